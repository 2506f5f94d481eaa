import type { CoreContext } from '../context.ts';
import { TtlCache } from '../cache.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { fromFlag, toIso, toFlag } from '../../db/quirks.ts';
import type { Db } from '../../db/database.ts';
import type { Principal } from '../identity/principal.ts';
import { requireRightOrScope } from '../identity/roles.ts';
import { isAuthenticQrPayload, parseQrPayload, signingKey, type ParsedQrPayload } from '../selling/tickets.ts';
import { doorRepository as repo, passableStates, type DoorTicketRow, type ScanRow } from './repository.ts';

/**
 * Scanning. A scan names a barcode or a signed QR payload, a direction, where (control point or
 * device) and when. The answer is `admitted`, or rejected with a stable reason:
 *
 * - `unknown` (no such barcode in this organization — another tenant's tickets are unknown here),
 *   `invalid_signature` (forged or tampered QR payload): nothing is recorded;
 * - `wrong_event`, `wrong_date`, `wrong_section` (outside what this credential admits to),
 *   `cancelled` (refunded or cancelled), `unpaid`, `transferred` (an old barcode retired by a
 *   transfer), `already_admitted` (with when and where), `not_admitted` (an exit without entry).
 *
 * Exactly once: admission is a conditional UPDATE of the ticket's door state inside one short
 * transaction (rows changed = 1 admits), never read-then-write; concurrent gates race on that row.
 * On PostgreSQL an online scan is decided from the ticket read first and written in one statement
 * that locks the ticket and writes only if its row version is still the one read (compare and set);
 * otherwise it is decided again in the transaction. A client nonce makes a scan idempotent: the
 * (device, nonce) pair is a unique key on the scan, so a repeated nonce answers the first scan's
 * answer and counts nothing.
 */
export const REJECT_REASONS = [
  'unknown',
  'invalid_signature',
  'wrong_event',
  'wrong_date',
  'wrong_section',
  'cancelled',
  'unpaid',
  'transferred',
  'revoked',
  'already_admitted',
  'not_admitted',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
export type ScanDirection = 'in' | 'out';

export interface ScanInput {
  /** A barcode, or a signed QR payload (`G1.…`). */
  code: string;
  direction?: ScanDirection;
  controlPointId?: number | null;
  /** Free-text device name when there is no registered control point. */
  device?: string | null;
  nonce?: string | null;
  /** When the scan happened (offline devices upload later); defaults to now. */
  scannedAt?: string | null;
  /** The event scanned for; implied by a door credential, required of staff tokens. */
  eventId?: number | null;
  /** The performance being admitted, when the gate knows it: tickets of other dates are `wrong_date`. */
  dateId?: number | null;
  /**
   * Uploaded offline scans: what the device answered. A scan it refused is recorded as refused (with
   * the server's reason, else the device's) and never admits nor makes a conflict: nobody went in.
   */
  deviceResult?: 'admitted' | 'rejected' | null;
  deviceReason?: RejectReason | null;
}

export interface DoorTicket {
  id: number;
  eventId: number;
  dateId: number;
  sectionId: number;
  tariffId: number | null;
  barcode: string;
  version: number;
  status: string;
  holderName: string | null;
  doorState: 'none' | 'in' | 'out';
  admittedAt: string | null;
  exitedAt: string | null;
}

export interface ScanPlace {
  scanId: number;
  scannedAt: string;
  controlPointId: number | null;
  controlPointName: string | null;
  device: string | null;
}

export interface ScanResult {
  /** The recorded scan; null when nothing was recorded (unknown code, forged payload). */
  scanId: number | null;
  admitted: boolean;
  direction: ScanDirection;
  reason: RejectReason | null;
  /** True when this answer repeats the first scan with the same nonce. */
  replayed: boolean;
  scannedAt: string;
  ticket: DoorTicket | null;
  /** For `already_admitted`: the admission that counts (when and where). */
  admission: ScanPlace | null;
  /** Offline uploads: this scan took part in a double admission (see conflicts). */
  conflict: boolean;
}

export interface Scan {
  id: number;
  eventId: number;
  ticketId: number | null;
  code: string;
  direction: ScanDirection;
  result: 'admitted' | 'rejected';
  reason: RejectReason | null;
  controlPointId: number | null;
  controlPointName: string | null;
  device: string | null;
  offline: boolean;
  otherScanId: number | null;
  scannedAt: string;
  receivedAt: string;
}

export interface ScanConflict {
  id: number;
  eventId: number;
  ticketId: number;
  winner: Scan;
  loser: Scan;
  createdAt: string;
}

export function toDoorTicket(row: DoorTicketRow): DoorTicket {
  return {
    id: row.id,
    eventId: row.event_id,
    dateId: row.date_id,
    sectionId: row.section_id,
    tariffId: row.tariff_id,
    barcode: row.barcode,
    version: row.version,
    status: row.status,
    holderName: row.holder_name,
    doorState: row.door_state as DoorTicket['doorState'],
    admittedAt: toIso(row.admitted_at),
    exitedAt: toIso(row.exited_at),
  };
}

export function toScan(row: ScanRow & { control_point_name?: string | null }): Scan {
  return {
    id: row.id,
    eventId: row.event_id,
    ticketId: row.ticket_id,
    code: row.code,
    direction: row.direction as ScanDirection,
    result: row.result as Scan['result'],
    reason: row.reason as RejectReason | null,
    controlPointId: row.control_point_id,
    controlPointName: row.control_point_name ?? null,
    device: row.device,
    offline: fromFlag(row.offline),
    otherScanId: row.other_scan_id,
    scannedAt: toIso(row.scanned_at)!,
    receivedAt: toIso(row.received_at)!,
  };
}

/** What a caller may scan: one event, some sections and dates (null = all). */
export interface DoorScope {
  eventId: number;
  sectionIds: readonly number[] | null;
  dateIds: readonly number[] | null;
}

export const MAX_UPLOAD = 500;

export function scanService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();
  // Control points rarely change and are checked on every scan that names one.
  const controlPointCache = new TtlCache<string, boolean>(Math.max(ctx.config.authCacheSeconds, 1) * 1000, ctx.clock);

  /** The event and sections the caller may work on: a door credential's own, or any event of the organization for staff. */
  async function scopeOf(db: Db, principal: Principal, eventId: number | null | undefined): Promise<DoorScope> {
    if (principal.door) {
      if (eventId !== undefined && eventId !== null && eventId !== principal.door.eventId) {
        throw new DomainError('FORBIDDEN', `This door credential admits to event ${principal.door.eventId} only`);
      }
      return principal.door;
    }
    requireRightOrScope(principal, 'door', 'sell', 'admin');
    if (eventId === undefined || eventId === null) throw invalid('event_id', 'is required');
    if (!(await repo.event(db, principal.organizationId, eventId))) throw notFound('Event');
    return { eventId, sectionIds: null, dateIds: null };
  }

  /**
   * The caller's door scope on one date of the event (null: every date the scope opens), for doors
   * that stand at one date (a TickeTing event is one date of a Guichet event). A door credential that
   * does not open that date is refused like one of another event; a date of no such event is unknown.
   */
  async function dateScope(principal: Principal, eventId: number | null | undefined, dateId: number | null | undefined): Promise<DoorScope> {
    const scope = await scopeOf(database.db, principal, eventId);
    if (dateId === null || dateId === undefined) return scope;
    if (scope.dateIds) {
      if (!scope.dateIds.includes(dateId)) throw new DomainError('FORBIDDEN', `This door credential does not admit to date ${dateId}`);
    } else if (!(await repo.dateIds(database.db, scope.eventId)).includes(dateId)) {
      throw notFound('Date');
    }
    return { ...scope, dateIds: [dateId] };
  }

  async function checkControlPoint(principal: Principal, id: number) {
    const key = `${principal.organizationId}:${id}`;
    if (controlPointCache.get(key)) return;
    if (!(await repo.controlPoint(database.db, principal.organizationId, id))) throw invalid('control_point_id', 'is not a control point of this organization');
    controlPointCache.set(key, true);
  }

  function instantOf(value: string | null | undefined): string {
    if (value === undefined || value === null) return now();
    const parsed = new Date(value);
    if (Number.isNaN(parsed.getTime()) || !/[zZ]|[+-]\d\d:?\d\d$/.test(value)) throw invalid('scanned_at', 'must be an ISO 8601 date-time with a time zone');
    return parsed.toISOString();
  }

  async function placeOf(organizationId: number, scanId: number | null): Promise<ScanPlace | null> {
    if (scanId === null) return null;
    const row = await repo.scanWithPlace(database.db, organizationId, scanId);
    if (!row) return null;
    return { scanId: row.id, scannedAt: toIso(row.scanned_at)!, controlPointId: row.control_point_id, controlPointName: row.control_point_name, device: row.device };
  }

  /** The answer of a recorded scan, as it was first given (nonce replays). */
  async function answerOf(principal: Principal, scan: ScanRow, replayed: boolean): Promise<ScanResult> {
    const ticket = scan.ticket_id === null ? undefined : await repo.ticketById(database.db, principal.organizationId, scan.ticket_id);
    return {
      scanId: scan.id,
      admitted: scan.result === 'admitted',
      direction: scan.direction as ScanDirection,
      reason: scan.reason as RejectReason | null,
      replayed,
      scannedAt: toIso(scan.scanned_at)!,
      ticket: ticket ? toDoorTicket(ticket) : null,
      admission: scan.reason === 'already_admitted' ? await placeOf(principal.organizationId, scan.other_scan_id) : null,
      conflict: false,
    };
  }

  /** Why a ticket cannot pass this gate, whatever its door state; null when it may. */
  function staticReason(ticket: DoorTicketRow, scope: DoorScope, input: ScanInput): RejectReason | null {
    if (ticket.event_id !== scope.eventId) return 'wrong_event';
    if ((scope.dateIds && !scope.dateIds.includes(ticket.date_id)) || (input.dateId != null && input.dateId !== ticket.date_id)) return 'wrong_date';
    if (scope.sectionIds && !scope.sectionIds.includes(ticket.section_id)) return 'wrong_section';
    if (ticket.status === 'pending') return 'unpaid';
    if (ticket.status !== 'valid') return 'cancelled';
    return null;
  }

  /** May the ticket pass this way now (valid, and in a state it may pass from)? What the conditional UPDATEs check. */
  function passes(ticket: DoorTicketRow, direction: ScanDirection, reentry: boolean): boolean {
    return ticket.status === 'valid' && passableStates(direction, reentry).includes(ticket.door_state);
  }

  /** Why a ticket that may not pass this way now is refused, and the admission that made it `already_admitted`. */
  function refusalOf(ticket: DoorTicketRow, direction: ScanDirection): { why: RejectReason; other: number | null } {
    let why: RejectReason;
    if (ticket.status !== 'valid') why = ticket.status === 'pending' ? 'unpaid' : 'cancelled';
    else if (direction === 'out') why = 'not_admitted';
    else why = 'already_admitted';
    return { why, other: why === 'already_admitted' ? ticket.admission_scan_id : null };
  }

  /** A signed payload of another ticket or an older version of this one (a transfer made it a new barcode). */
  const signedForAnother = (signed: ParsedQrPayload | null, ticket: DoorTicketRow) => signed !== null && (signed.ticketId !== ticket.id || signed.version !== ticket.version);

  /** The ticket as a scan that let it pass leaves it. */
  function passedTicket(ticket: DoorTicketRow, direction: ScanDirection, at: string, scanId: number): DoorTicketRow {
    return direction === 'in' ? { ...ticket, door_state: 'in', admitted_at: at, admission_scan_id: scanId } : { ...ticket, door_state: 'out', exited_at: at };
  }

  const REPLAY = Symbol('replay');
  const STALE = Symbol('stale');

  /** The answer to a repeated nonce: the first scan's, as it was given. */
  async function replayOf(principal: Principal, nonceKey: string): Promise<ScanResult> {
    const first = await repo.scanByNonce(database.db, principal.organizationId, nonceKey);
    if (!first) throw new DomainError('CONFLICT', 'The scan with this nonce is still being processed; try again');
    return answerOf(principal, first, true);
  }

  interface Scanned {
    code: string;
    barcode: string;
    signed: ParsedQrPayload | null;
    key: Awaited<ReturnType<typeof signingKey>> | null;
    nonceKey: string | null;
    direction: ScanDirection;
    at: string;
  }

  /**
   * PostgreSQL, online: the scan in two round trips (the ticket read, then one statement that
   * records it and moves the door state, `recordScanIfUnchanged`), where the transaction takes five.
   * STALE when the ticket changed between the two (another gate, a refund) or its barcode is a
   * retired one: the transaction then decides. Same rules, same answers.
   */
  async function scanAtOnce(principal: Principal, scope: DoorScope, input: ScanInput, s: Scanned): Promise<ScanResult | typeof STALE> {
    const organizationId = principal.organizationId;
    const { direction, at } = s;
    const current = await repo.scanTicketVersioned(database.db, organizationId, s.barcode);
    if (s.signed && !isAuthenticQrPayload(s.key!, s.signed, current)) return unrecordedAnswer('invalid_signature', direction, at);
    if (!current) return (await repo.retiredBarcode(database.db, organizationId, s.barcode)) ? STALE : unrecordedAnswer('unknown', direction, at);
    let reason: RejectReason | null = signedForAnother(s.signed, current) ? 'transferred' : null;
    reason ??= staticReason(current, scope, input);
    const reentry = fromFlag(current.reentry_allowed ?? 0);
    const pass = !reason && passes(current, direction, reentry);
    const refusal = reason ? { why: reason, other: null } : pass ? null : refusalOf(current, direction);
    const t = now();
    const written = await repo.recordScanIfUnchanged(database.db, {
      ticketId: current.id,
      rowVersion: current.row_version,
      scan: { ...scanValues(principal, scope, input, s, current.id, refusal?.why ?? null, false, t), other_scan_id: refusal?.other ?? null },
      pass: pass ? { direction, from: passableStates(direction, reentry), at, now: t } : null,
    });
    if (!written.unchanged) return STALE;
    if (written.scanId === null) return replayOf(principal, s.nonceKey!);
    // The ticket was locked at the version read: the conditional UPDATE cannot disagree with the decision.
    if (written.passed !== pass) throw new Error(`door: scan ${written.scanId} decided ${pass} but the ticket ${written.passed ? 'moved' : 'did not move'}`);
    const { row_version: _version, ...ticket } = current;
    const after = pass ? passedTicket(ticket, direction, at, written.scanId) : ticket;
    return {
      scanId: written.scanId,
      admitted: pass,
      direction,
      reason: refusal?.why ?? null,
      replayed: false,
      scannedAt: at,
      ticket: toDoorTicket(after),
      admission: refusal?.other != null ? await placeOf(organizationId, refusal.other) : null,
      conflict: false,
    };
  }

  function unrecordedAnswer(reason: RejectReason, direction: ScanDirection, at: string): ScanResult {
    return { scanId: null, admitted: false, direction, reason, replayed: false, scannedAt: at, ticket: null, admission: null, conflict: false };
  }

  /** The scan row as first written (its result may be corrected in the same transaction when the race is lost). */
  function scanValues(principal: Principal, scope: DoorScope, input: ScanInput, s: Scanned, ticketId: number, reason: RejectReason | null, offline: boolean, receivedAt: string) {
    return {
      organization_id: principal.organizationId,
      event_id: scope.eventId,
      ticket_id: ticketId,
      code: s.code.slice(0, 512),
      direction: s.direction,
      result: reason ? 'rejected' : 'admitted',
      reason,
      control_point_id: input.controlPointId ?? null,
      device: input.device ?? null,
      token_id: principal.door?.tokenId ?? null,
      credential_id: principal.credential.id,
      nonce_key: s.nonceKey,
      offline: toFlag(offline),
      scanned_at: s.at,
      received_at: receivedAt,
    };
  }

  /** One scan, online (now) or offline (uploaded later: the earlier of two admissions wins). */
  async function process(principal: Principal, scope: DoorScope, input: ScanInput, offline: boolean): Promise<ScanResult> {
    const organizationId = principal.organizationId;
    const direction: ScanDirection = input.direction ?? 'in';
    if (direction !== 'in' && direction !== 'out') throw invalid('direction', 'must be in or out');
    const at = instantOf(input.scannedAt);
    if (input.controlPointId != null) await checkControlPoint(principal, input.controlPointId);
    const unrecorded = (reason: RejectReason): ScanResult => unrecordedAnswer(reason, direction, at);

    // 1. Which ticket: a signed payload names it by barcode, and its signature must be this organization's.
    const code = input.code.trim();
    let barcode = code.toUpperCase();
    let signed: ParsedQrPayload | null = null;
    if (code.startsWith('G1.') || code.startsWith('G2.')) {
      signed = parseQrPayload(code);
      if (!signed || signed.organizationId !== organizationId) return unrecorded('invalid_signature');
      barcode = signed.barcode;
    }
    const key = signed ? await signingKey(database.db, organizationId, now()) : null;
    const nonceKey = input.nonce ? `${input.controlPointId != null ? `cp${input.controlPointId}` : input.device ? `dev:${input.device}` : `${principal.credential.kind}:${principal.credential.id}`}:${input.nonce}` : null;
    const scanned: Scanned = { code, barcode, signed, key, nonceKey, direction, at };
    if (database.engine === 'postgres' && !offline) {
      const answer = await scanAtOnce(principal, scope, input, scanned);
      if (answer !== STALE) return answer;
    }

    // 2. One short transaction: read the ticket, record the scan (claiming its nonce), then the
    // conditional UPDATE. Read inside, the ticket spares SQLite a read transaction of its own (a scan's
    // CPU measured 12 % lower). On PostgreSQL: offline uploads, retired barcodes, and online scans whose
    // ticket changed after `scanAtOnce` read it. `admissionOf`: the scan whose admission made this one
    // `already_admitted` (read after commit).
    type Outcome = { result: ScanResult; admissionOf: number | null };
    const outcome = await database.transaction(async (trx): Promise<Outcome | typeof REPLAY> => {
      const current = await repo.scanTicket(trx, organizationId, barcode);
      if (signed && !isAuthenticQrPayload(key!, signed, current)) return { result: unrecorded('invalid_signature'), admissionOf: null };
      let ticket: (DoorTicketRow & { reentry_allowed?: number }) | undefined = current;
      let reason: RejectReason | null = null;
      if (!ticket) {
        const retired = await repo.retiredBarcode(trx, organizationId, barcode);
        if (retired) ticket = await repo.ticketById(trx, organizationId, retired.ticket_id);
        if (!retired || !ticket) return { result: unrecorded('unknown'), admissionOf: null };
        reason = retired.reason === 'transferred' ? 'transferred' : 'revoked';
      } else if (signedForAnother(signed, ticket)) {
        reason = 'transferred';
      }
      reason ??= staticReason(ticket, scope, input);
      if (!reason && offline && input.deviceResult === 'rejected') reason = input.deviceReason ?? 'already_admitted';
      const found = ticket;
      const t = now();
      const scanId = await repo.insertScan(trx, scanValues(principal, scope, input, scanned, found.id, reason, offline, t));
      if (scanId === undefined) return REPLAY;
      const answer = (admitted: boolean, why: RejectReason | null, row: DoorTicketRow, conflict = false): ScanResult => ({
        scanId,
        admitted,
        direction,
        reason: why,
        replayed: false,
        scannedAt: at,
        ticket: toDoorTicket(row),
        admission: null,
        conflict,
      });
      if (reason) return { result: answer(false, reason, found), admissionOf: null };
      if (direction === 'in') {
        if (await repo.admit(trx, found.id, fromFlag(found.reentry_allowed ?? 0), scanId, at, t)) return { result: answer(true, null, passedTicket(found, direction, at, scanId)), admissionOf: null };
      } else if (await repo.exit(trx, found.id, at, t)) {
        return { result: answer(true, null, passedTicket(found, direction, at, scanId)), admissionOf: null };
      }
      // Lost the race or not allowed: say why, from the ticket as it is now.
      const latest = (await repo.ticketById(trx, organizationId, found.id))!;
      const { why, other } = refusalOf(latest, direction);
      let conflict = false;
      if (other !== null && offline) {
        conflict = true;
        const latestAt = toIso(latest.admitted_at);
        if (latest.door_state === 'in' && latestAt !== null && at < latestAt && (await repo.moveAdmission(trx, found.id, other, scanId, at, t))) {
          // Two devices admitted the ticket while offline: the earlier scan wins; the other is kept, marked the loser.
          await repo.setScanOutcome(trx, other, { result: 'rejected', reason: 'already_admitted', other_scan_id: scanId });
          await repo.insertConflict(trx, { organization_id: organizationId, event_id: scope.eventId, ticket_id: found.id, winning_scan_id: scanId, losing_scan_id: other, created_at: t });
          return { result: answer(true, null, { ...latest, admitted_at: at, admission_scan_id: scanId }, true), admissionOf: null };
        }
        await repo.insertConflict(trx, { organization_id: organizationId, event_id: scope.eventId, ticket_id: found.id, winning_scan_id: other, losing_scan_id: scanId, created_at: t });
      }
      await repo.setScanOutcome(trx, scanId, { result: 'rejected', reason: why, other_scan_id: other });
      return { result: answer(false, why, latest, conflict), admissionOf: other };
    });
    if (outcome === REPLAY) return replayOf(principal, nonceKey!);
    if (outcome.admissionOf !== null) outcome.result.admission = await placeOf(organizationId, outcome.admissionOf);
    return outcome.result;
  }

  return {
    /** Scans one ticket now (or at `scannedAt`): the gate's question, answered exactly once. */
    async scan(principal: Principal, input: ScanInput): Promise<ScanResult> {
      const scope = await scopeOf(database.db, principal, input.eventId);
      return process(principal, scope, input, false);
    },
    /**
     * Offline scans uploaded later, with their original times and nonces. Processed in time order,
     * each in its own short transaction; a re-upload replays (nonces). When two devices admitted the
     * same ticket, the earlier scan wins and the conflict is recorded. Answers in input order.
     */
    async upload(principal: Principal, eventId: number | null | undefined, scans: ScanInput[]): Promise<ScanResult[]> {
      if (scans.length > MAX_UPLOAD) throw invalid('scans', `at most ${MAX_UPLOAD} scans per upload`);
      const scope = await scopeOf(database.db, principal, eventId);
      for (const [i, s] of scans.entries()) if (!s.nonce) throw invalid(`scans[${i}].nonce`, 'is required for uploaded scans');
      const order = scans.map((s, i) => ({ i, at: instantOf(s.scannedAt) })).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.i - b.i));
      const results: ScanResult[] = new Array(scans.length);
      for (const { i, at } of order) results[i] = await process(principal, scope, { ...scans[i], scannedAt: at, eventId: scope.eventId }, true);
      return results;
    },
    /** An event's scans; a door credential sees those of its own sections and dates only; `dateId` narrows to one date. */
    async list(principal: Principal, eventId: number | null | undefined, page: Page, filter: { ticketId?: number; controlPointId?: number; result?: string; dateId?: number | null } = {}): Promise<Paged<Scan>> {
      const { dateId, ...rest } = filter;
      const scope = await dateScope(principal, eventId, dateId);
      const { rows, total } = await repo.scans(database.db, principal.organizationId, scope.eventId, page, { ...rest, sectionIds: scope.sectionIds, dateIds: scope.dateIds });
      return { items: rows.map(toScan), total };
    },
    /** Double admissions found in offline uploads, with both scans. */
    async conflicts(principal: Principal, eventId: number | null | undefined, page: Page): Promise<Paged<ScanConflict>> {
      const scope = await scopeOf(database.db, principal, eventId);
      const { rows, total } = await repo.conflicts(database.db, principal.organizationId, scope.eventId, page);
      const scans = new Map((await repo.scansByIds(database.db, principal.organizationId, rows.flatMap((r) => [r.winning_scan_id, r.losing_scan_id]))).map((s) => [s.id, toScan(s)]));
      return {
        items: rows.map((r) => ({ id: r.id, eventId: r.event_id, ticketId: r.ticket_id, winner: scans.get(r.winning_scan_id)!, loser: scans.get(r.losing_scan_id)!, createdAt: toIso(r.created_at)! })),
        total,
      };
    },
    scopeOf: (principal: Principal, eventId?: number | null) => scopeOf(database.db, principal, eventId),
    dateScope,
  };
}

export type ScanService = ReturnType<typeof scanService>;
