import { ApiError, NetworkError, doorApi, fromWireTicket, type DoorApi, type WireScanResult } from './api.ts';
import { decideOffline } from './decide.ts';
import { verifierFor, type Verifier } from './payload.ts';
import { forgetDevice, openStore, type DoorStore } from './store.ts';
import type { Answer, Briefing, Conflict, Counters, Direction, DoorSessionState, LocalTicket, QueuedScan } from './types.ts';

/**
 * The door app's engine, without any UI: a session on this device, scans answered online (exactly
 * once on the server, with a nonce) or offline (from the device's data, then queued), and the sync
 * that uploads the queue in order and then pulls what changed since the cursor. Screens subscribe
 * to it and render its state.
 */
export interface EngineState {
  session: DoorSessionState;
  briefing: Briefing;
  counters: Counters;
  conflicts: Conflict[];
  /** The network as the engine last found it. */
  online: boolean;
  syncing: boolean;
  /** The server refused the credential (token revoked): scanning continues offline, staff should start again. */
  credentialRefused: boolean;
  lastError: string | null;
  verifier: Verifier['engine'];
  /** The last answer (null before the first scan), its number (which changes with every answer), and the few before it, newest first. */
  answer: Answer | null;
  answerSeq: number;
  history: Answer[];
}

/** How long an online scan may take before the gate answers from its own data (the scan stays queued with its nonce). */
const ONLINE_TIMEOUT_MS = 2500;
const UPLOAD_BATCH = 500;

const now = () => new Date().toISOString();
/** What the API takes as a code (anything else is answered "unknown" and not sent). */
const uploadable = (code: string) => code.length > 0 && code.length <= 512 && /^[\x21-\x7e]+$/.test(code);
const nonce = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

/** The date a gate most likely admits to now: one starting within 12 hours, else any. */
function defaultDate(briefing: Briefing): number | null {
  const allowed = briefing.dates.filter((d) => !briefing.dateIds || briefing.dateIds.includes(d.id));
  if (allowed.length <= 1) return null;
  const t = Date.now();
  const near = allowed.filter((d) => Math.abs(new Date(d.startsAt).getTime() - t) < 12 * 3600_000);
  return near.length === 1 ? near[0].id : null;
}

export class DoorEngine {
  private listeners = new Set<(state: EngineState) => void>();
  private syncing: Promise<void> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private pendingAdmissions = new Set<number>();
  /** Scans answered so far in this page (tells refreshCounters that one came while it read). */
  private scans = 0;
  state: EngineState;

  private constructor(
    private store: DoorStore,
    private api: DoorApi,
    private verify: Verifier,
    state: Omit<EngineState, 'verifier' | 'answer' | 'answerSeq' | 'history'>,
  ) {
    this.state = { ...state, verifier: verify.engine, answer: null, answerSeq: 0, history: [] };
  }

  /** The session this device kept (after a reload, even offline), or null. */
  static async resume(): Promise<DoorEngine | null> {
    const store = await openStore();
    const [session, briefing, loaded] = await Promise.all([store.get('session'), store.get('briefing'), store.get('loaded')]);
    if (!session || !briefing || !loaded) {
      store.close();
      return null;
    }
    const engine = new DoorEngine(store, doorApi('', session.key), await verifierFor(briefing.publicKey), {
      session, briefing, counters: await DoorEngine.readCounters(store), conflicts: await store.conflicts(), online: navigator.onLine, syncing: false, credentialRefused: false, lastError: null,
    });
    for (const q of await store.queued(100000)) if (q.localAdmitted && q.ticketId !== null) engine.pendingAdmissions.add(q.ticketId);
    return engine;
  }

  /**
   * Opens a session: exchanges the admission token's code for a door credential, registers the gate,
   * and downloads the event and its tickets into IndexedDB (progress: tickets stored so far).
   */
  static async start(code: string, gate: string, onProgress: (stored: number) => void = () => {}): Promise<DoorEngine> {
    const started = performance.now();
    const opened = await doorApi().openSession(code.trim(), gate.trim());
    const api = doorApi('', opened.session.key);
    // Pages download ahead: the first while the gate registers, each next one while the last is stored.
    // (Marked handled: if the start fails before a page is awaited, its own failure is not news.)
    const download = (after: number) => {
      const page = api.snapshotPage(after);
      page.catch(() => undefined);
      return page;
    };
    let next = download(0);
    await forgetDevice();
    const store = await openStore();
    try {
      const [controlPointId, briefing] = await Promise.all([api.controlPoint(gate.trim()), api.briefing()]);
      const session: DoorSessionState = { key: opened.session.key, gate: gate.trim(), eventId: opened.session.event_id, controlPointId, dateId: defaultDate(briefing), direction: 'in', startedAt: now() };
      await store.set('session', session);
      await store.set('briefing', briefing);
      await store.set('gateCounts', { scans: 0, admitted: 0, refused: 0 });
      performance.measure('door:open', { start: started, end: performance.now() });
      let cursor: string | null = null;
      let stored = 0;
      for (let n = 0; ; n++) {
        const t0 = performance.now();
        const page = await next;
        const t1 = performance.now();
        performance.measure('door:download', { start: t0, end: t1 });
        if (page.nextAfter !== null) next = download(page.nextAfter);
        cursor ??= page.cursor; // the first page's: changes during the download come with the next delta
        await store.putSnapshotPage(n, page.rows);
        performance.measure('door:store', { start: t1, end: performance.now() });
        stored += page.rows.length;
        onProgress(stored);
        if (page.nextAfter === null) break;
      }
      await store.set('cursor', cursor!);
      await store.set('loaded', true);
      // Best effort: without it the browser may evict the tickets under storage pressure.
      void navigator.storage?.persist?.().catch(() => false);
      const engine = new DoorEngine(store, api, await verifierFor(briefing.publicKey), {
        session, briefing, counters: await DoorEngine.readCounters(store), conflicts: [], online: true, syncing: false, credentialRefused: false, lastError: null,
      });
      const synced = performance.now();
      await engine.sync();
      performance.measure('door:sync', { start: synced, end: performance.now() });
      return engine;
    } catch (error) {
      await forgetDevice(store);
      throw error;
    }
  }

  private static async readCounters(store: DoorStore): Promise<Counters> {
    const [gate, event, lastSyncAt, waiting, conflicts] = await Promise.all([store.get('gateCounts'), store.get('eventCounts'), store.get('lastSyncAt'), store.queueSize(), store.conflicts()]);
    return { gate: gate ?? { scans: 0, admitted: 0, refused: 0 }, event: event ?? null, lastSyncAt: lastSyncAt ?? null, waiting, conflicts: conflicts.length };
  }

  subscribe(listener: (state: EngineState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private update(changes: Partial<EngineState>) {
    this.state = { ...this.state, ...changes };
    for (const l of this.listeners) l(this.state);
  }

  /** The counters as IndexedDB has them (after a sync). Read again if a scan came meanwhile: a scan updates them in memory at once. */
  private async refreshCounters(): Promise<void> {
    const scans = this.scans;
    const counters = await DoorEngine.readCounters(this.store);
    if (scans !== this.scans) return this.refreshCounters();
    this.update({ counters });
  }

  /** Syncs when the network comes back and every sync_interval seconds (not only Background Sync, which most browsers lack). */
  run() {
    const onOnline = () => {
      this.update({ online: true });
      void this.sync();
    };
    const onOffline = () => this.update({ online: false });
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    const seconds = Math.min(Math.max(Number(this.state.briefing.settings.sync_interval) || 120, 5), 120);
    this.timer = setInterval(() => void this.sync(), seconds * 1000);
    if (navigator.onLine) void this.sync();
    return () => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
    };
  }

  async setDirection(direction: Direction) {
    const session = { ...this.state.session, direction };
    await this.store.set('session', session);
    this.update({ session });
  }

  async setDate(dateId: number | null) {
    const session = { ...this.state.session, dateId };
    await this.store.set('session', session);
    this.update({ session });
  }

  private names(ticket: { sectionId: number; tariffId: number | null; dateId: number } | null) {
    const b = this.state.briefing;
    return {
      sectionName: ticket ? (b.sections.find((s) => s.id === ticket.sectionId)?.name ?? null) : null,
      tariffLabel: ticket?.tariffId != null ? (b.tariffs.find((t) => t.id === ticket.tariffId)?.label ?? null) : null,
      dateStartsAt: ticket ? (b.dates.find((d) => d.id === ticket.dateId)?.startsAt ?? null) : null,
    };
  }

  /**
   * One scan (camera, hand scanner or typed): the server's answer when online, else the device's.
   * The answer is shown as soon as it is known: what the scan changes on the device (the queue, the
   * ticket, the counts) is in memory at once and reaches IndexedDB just after (store.recordScan says
   * why no scan is lost); a sync waits for those writes.
   */
  async scan(rawCode: string): Promise<Answer> {
    const started = performance.now();
    const code = rawCode.trim();
    const { session } = this.state;
    const scan = { code, nonce: nonce(), scannedAt: now(), direction: session.direction, dateId: session.dateId };
    let outcome: { answer: Answer; ticket: LocalTicket | null; queued: QueuedScan | null } | null = null;
    if (navigator.onLine && !this.state.credentialRefused && uploadable(code)) {
      try {
        const { scan: result } = await this.api.scan({ code, nonce: scan.nonce, scanned_at: scan.scannedAt, direction: scan.direction, control_point_id: session.controlPointId, date_id: scan.dateId }, ONLINE_TIMEOUT_MS);
        outcome = { ...this.onlineAnswer(result, code, started), queued: null };
        this.refreshEventCountsSoon();
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) this.update({ credentialRefused: true, lastError: error.message });
        else if (error instanceof ApiError) this.update({ lastError: error.message });
        else if (error instanceof NetworkError) this.update({ online: false });
        // Answer from the device; the scan is queued with the same nonce, so if the server did get
        // it, the upload replays the first answer instead of counting it twice.
      }
    }
    outcome ??= await this.offlineAnswer(code, scan, started);
    const { answer, ticket, queued } = outcome;
    const { counters } = this.state;
    const gate = {
      scans: counters.gate.scans + 1,
      admitted: counters.gate.admitted + (answer.admitted && answer.direction === 'in' ? 1 : 0),
      refused: counters.gate.refused + (answer.admitted ? 0 : 1),
    };
    this.scans += 1;
    this.store.recordScan({ scan: queued, ticket, gateCounts: gate }).catch((error: unknown) => this.update({ lastError: error instanceof Error ? error.message : String(error) }));
    // One update, so the screen renders once: the answer, the counters, the network as found.
    this.update({
      answer,
      answerSeq: this.state.answerSeq + 1,
      history: [answer, ...this.state.history].slice(0, 5),
      counters: { ...counters, gate, waiting: counters.waiting + (queued ? 1 : 0) },
      ...(answer.offline ? {} : { online: true }),
    });
    return answer;
  }

  /** The server's answer, and the ticket as the server now has it (kept on the device). */
  private onlineAnswer(result: WireScanResult, code: string, started: number): { answer: Answer; ticket: LocalTicket | null } {
    const where = result.admission ? (result.admission.control_point_name ?? result.admission.device) : null;
    let kept: LocalTicket | null = null;
    if (result.ticket) {
      const before = this.store.ticketById(result.ticket.id);
      const admittedWhere = result.admitted && result.direction === 'in' ? this.state.session.gate : (where ?? before?.admittedWhere ?? null);
      kept = fromWireTicket(result.ticket, admittedWhere);
    }
    const ticket = result.ticket ? fromWireTicket(result.ticket) : null;
    const answer: Answer = {
      admitted: result.admitted,
      direction: result.direction,
      reason: result.reason,
      offline: false,
      replayed: result.replayed,
      holderName: ticket?.holderName ?? null,
      ...this.names(ticket),
      admission: result.reason === 'already_admitted' ? { at: result.admission?.scanned_at ?? ticket?.admittedAt ?? null, where } : null,
      code,
      at: result.scanned_at,
      tookMs: performance.now() - started,
    };
    return { answer, ticket: kept };
  }

  /** The device's answer, the ticket as this gate now knows it (when it let it in or out), and the scan to upload. */
  private async offlineAnswer(code: string, scan: { nonce: string; scannedAt: string; direction: Direction; dateId: number | null }, started: number): Promise<{ answer: Answer; ticket: LocalTicket | null; queued: QueuedScan | null }> {
    const { session, briefing } = this.state;
    const decision = await decideOffline(code, { briefing, verify: this.verify, direction: scan.direction, dateId: scan.dateId }, this.store);
    let ticket: LocalTicket | null = decision.ticket;
    if (decision.admitted) {
      const base: LocalTicket = ticket ?? {
        // Authentic but issued after the last sync: remembered so this gate refuses it a second time.
        id: decision.signed!.ticketId, barcode: decision.signed!.barcode, version: decision.signed!.version, dateId: decision.signed!.dateId, sectionId: decision.signed!.sectionId,
        tariffId: null, holderName: null, status: 'valid', doorState: 'none', admittedAt: null, admittedWhere: null,
      };
      ticket = scan.direction === 'in' ? { ...base, doorState: 'in', admittedAt: scan.scannedAt, admittedWhere: session.gate } : { ...base, doorState: 'out' };
      if (scan.direction === 'in') this.pendingAdmissions.add(ticket.id);
    }
    // Forged and unknown codes are queued too: the server records nothing for them, but it is its call.
    const queued: QueuedScan | null = uploadable(code)
      ? { code, nonce: scan.nonce, scannedAt: scan.scannedAt, direction: scan.direction, dateId: scan.dateId, localAdmitted: decision.admitted && scan.direction === 'in', localResult: decision.admitted ? 'admitted' : 'rejected', localReason: decision.reason, ticketId: ticket?.id ?? null }
      : null;
    const names = this.names(ticket ?? (decision.signed ? { ...decision.signed, tariffId: null } : null));
    const answer: Answer = {
      admitted: decision.admitted,
      direction: scan.direction,
      reason: decision.reason,
      offline: true,
      replayed: false,
      holderName: ticket?.holderName ?? null,
      ...names,
      admission: decision.reason === 'already_admitted' && ticket ? { at: ticket.admittedAt, where: ticket.admittedWhere } : null,
      code,
      at: scan.scannedAt,
      tookMs: performance.now() - started,
    };
    return { answer, ticket: decision.admitted ? ticket : null, queued };
  }

  private countsTimer: ReturnType<typeof setTimeout> | null = null;
  /** The event's admitted / total after online scans: at most one request a second, after the answer. */
  private refreshEventCountsSoon() {
    this.countsTimer ??= setTimeout(async () => {
      this.countsTimer = null;
      try {
        const { counters } = await this.api.counters(this.state.session.controlPointId);
        await this.store.set('eventCounts', { admitted: counters.event.admitted, total: counters.event.total });
        await this.refreshCounters();
      } catch {
        // Next time.
      }
    }, 1000);
  }

  /** Uploads the queue in order, then pulls the changes since the cursor, the conflicts and the counters. One at a time. */
  sync(): Promise<void> {
    this.syncing ??= this.doSync().finally(() => {
      this.syncing = null;
      this.update({ syncing: false });
    });
    return this.syncing;
  }

  private async doSync() {
    if (this.state.credentialRefused) return;
    this.update({ syncing: true });
    try {
      const { session } = this.state;
      // 0. The scans answered just before are in IndexedDB (or the sync stops here and says why).
      await this.store.settle();
      // 1. Upload, oldest first, in batches the API accepts.
      for (;;) {
        const batch = await this.store.queued(UPLOAD_BATCH);
        if (batch.length === 0) break;
        let results: WireScanResult[];
        try {
          ({ scans: results } = await this.api.upload(batch.map((q) => ({ code: q.code, nonce: q.nonce, scanned_at: q.scannedAt, direction: q.direction, control_point_id: session.controlPointId, date_id: q.dateId, device_result: q.localResult, device_reason: q.localReason }))));
        } catch (error) {
          if (error instanceof ApiError && error.status !== 429 && error.status < 500) {
            // Refused whole (never expected: the app sends what the API accepts): keep the scans, say so.
            for (const q of batch) await this.store.markQueued({ ...q, lastError: error.message });
          }
          throw error;
        }
        const answered = new Map<number, LocalTicket>();
        for (const [i, r] of results.entries()) {
          if (r.ticket) {
            const before = answered.get(r.ticket.id) ?? this.store.ticketById(r.ticket.id);
            answered.set(r.ticket.id, fromWireTicket(r.ticket, r.admitted && r.direction === 'in' ? session.gate : (before?.admittedWhere ?? null)));
          }
          if (batch[i].ticketId !== null) this.pendingAdmissions.delete(batch[i].ticketId!);
        }
        await this.store.putTickets([...answered.values()]);
        await this.store.dequeue(batch.map((q) => q.seq!));
        await this.refreshCounters();
      }
      // 2. Pull what changed since the cursor (admissions at other gates, refunds, transfers).
      let cursor = (await this.store.get('cursor'))!;
      for (;;) {
        const delta = await this.api.changes(cursor);
        if (delta.changes.length) await this.store.applyChanges(delta.changes.map((c) => fromWireTicket(c.ticket)), this.pendingAdmissions);
        cursor = delta.cursor;
        await this.store.set('cursor', cursor);
        if (!delta.has_more) break;
      }
      // 3. Conflicts (two gates admitted one ticket while apart) and the event's counters.
      const conflicts = await this.api.conflicts(session.controlPointId, new Map());
      for (const c of conflicts) c.holderName = this.store.ticketById(c.ticketId)?.holderName ?? null;
      await this.store.setConflicts(conflicts);
      const { counters } = await this.api.counters(session.controlPointId);
      await this.store.set('eventCounts', { admitted: counters.event.admitted, total: counters.event.total });
      await this.store.set('lastSyncAt', now());
      this.update({ online: true, lastError: null, conflicts });
    } catch (error) {
      if (error instanceof NetworkError) this.update({ online: false });
      else if (error instanceof ApiError && (error.status === 401 || error.status === 403)) this.update({ credentialRefused: true, lastError: error.message });
      else this.update({ lastError: error instanceof Error ? error.message : String(error) });
    } finally {
      await this.refreshCounters();
    }
  }

  /**
   * Ends the session: ends the credential on the server when it can, and forgets every ticket on the
   * device. Refuses while scans wait for upload unless `force` (they would be lost).
   */
  async end(options: { force?: boolean } = {}): Promise<{ ended: boolean; waiting: number }> {
    await this.store.settle().catch(() => undefined);
    const waiting = await this.store.queueSize();
    if (waiting > 0 && !options.force) {
      await this.sync();
      const still = await this.store.queueSize();
      if (still > 0) return { ended: false, waiting: still };
    }
    try {
      await this.api.closeSession();
    } catch {
      // Offline or already revoked: the device forgets it all the same.
    }
    this.listeners.clear();
    if (this.timer) clearInterval(this.timer);
    if (this.countsTimer) clearTimeout(this.countsTimer);
    await forgetDevice(this.store);
    return { ended: true, waiting: 0 };
  }
}
