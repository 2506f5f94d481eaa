import type { Briefing, Conflict, Direction, LocalTicket, Reason } from './types.ts';

/**
 * The door's calls to the native API, with the door credential as bearer key. A door credential
 * reaches only its own event's door routes (README, "The door"); it is kept in IndexedDB because
 * the gate must sync after a reload without a network to sign in again, and is forgotten when the
 * session ends.
 */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}
/** No answer at all (offline, timeout, connection refused): the scan falls back to the device. */
export class NetworkError extends Error {}

interface WireTicket {
  id: number;
  date_id: number;
  section_id: number;
  tariff_id: number | null;
  barcode: string;
  version: number;
  status: string;
  holder_name: string | null;
  door_state: 'none' | 'in' | 'out';
  admitted_at: string | null;
}
export interface WireScanResult {
  scan_id: number | null;
  admitted: boolean;
  direction: Direction;
  reason: Reason | null;
  replayed: boolean;
  scanned_at: string;
  ticket: WireTicket | null;
  admission: { scanned_at: string; control_point_name: string | null; device: string | null } | null;
  conflict: boolean;
}

export const fromWireTicket = (t: WireTicket, admittedWhere: string | null = null): LocalTicket => ({
  id: t.id,
  barcode: t.barcode,
  version: t.version,
  dateId: t.date_id,
  sectionId: t.section_id,
  tariffId: t.tariff_id,
  holderName: t.holder_name,
  status: t.status,
  doorState: t.door_state,
  admittedAt: t.admitted_at,
  admittedWhere,
});

/** Tickets per snapshot page: the most the server gives (fewer round trips on a slow network). */
export const SNAPSHOT_PAGE = 20000;

/** A ticket as the snapshot sends it (GET /api/door/snapshot `columns`), kept as is on the device. */
export type SnapshotRow = [id: number, barcode: string, version: number, dateId: number, sectionId: number, tariffId: number | null, holderName: string | null, doorState: 'none' | 'in' | 'out', admittedAt: string | null, admittedWhere: string | null];

export const fromSnapshotRow = ([id, barcode, version, dateId, sectionId, tariffId, holderName, doorState, admittedAt, admittedWhere]: SnapshotRow): LocalTicket => ({
  id, barcode, version, dateId, sectionId, tariffId, holderName, status: 'valid', doorState, admittedAt, admittedWhere,
});

export function doorApi(base = '', key?: string) {
  async function call<T>(method: string, path: string, body?: unknown, options: { timeoutMs?: number; auth?: boolean } = {}): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 15000);
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(key && options.auth !== false ? { authorization: `Bearer ${key}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        cache: 'no-store',
        // The door credential is the only identity: the browser's session cookie (and its CSRF rule) stays out.
        credentials: 'omit',
      });
    } catch (error) {
      throw new NetworkError(error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text().catch(() => '');
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // A proxy's or captive portal's page: not our server.
      throw new NetworkError(`Unexpected answer (${response.status})`);
    }
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
      throw new ApiError(response.status, error?.code ?? 'ERROR', error?.message ?? `HTTP ${response.status}`);
    }
    return json as T;
  }

  return {
    openSession: (code: string, device: string) =>
      call<{ session: { key: string; event_id: number; section_ids: number[] | null; date_ids: number[] | null } }>('POST', '/api/door/sessions', { session: { code, device } }, { auth: false }),
    closeSession: () => call<void>('DELETE', '/api/door/sessions/current', undefined, { timeoutMs: 5000 }),

    async controlPoint(name: string): Promise<number> {
      const list = await call<{ control_points: { id: number; name: string }[] }>('GET', '/api/control_points?per_page=100');
      const existing = list.control_points.find((c) => c.name === name);
      if (existing) return existing.id;
      return (await call<{ control_point: { id: number } }>('POST', '/api/control_points', { control_point: { name } })).control_point.id;
    },

    async briefing(): Promise<Briefing> {
      const { door_event: b } = await call<{
        door_event: {
          event: { id: number; title: string; time_zone: string; reentry_allowed: boolean; organization_name: string };
          dates: { id: number; starts_at: string }[];
          sections: { id: number; name: string }[];
          tariffs: { id: number; section_id: number; label: string }[];
          section_ids: number[] | null;
          date_ids: number[] | null;
          public_key: { raw: string };
          settings: Record<string, string>;
        };
      }>('GET', '/api/door/event');
      return {
        event: { id: b.event.id, title: b.event.title, timeZone: b.event.time_zone, reentryAllowed: b.event.reentry_allowed, organizationName: b.event.organization_name },
        dates: b.dates.map((d) => ({ id: d.id, startsAt: d.starts_at })),
        sections: b.sections,
        tariffs: b.tariffs.map((t) => ({ id: t.id, sectionId: t.section_id, label: t.label })),
        sectionIds: b.section_ids,
        dateIds: b.date_ids,
        publicKey: b.public_key.raw,
        settings: b.settings,
      };
    },

    async snapshotPage(after: number, limit = SNAPSHOT_PAGE) {
      const page = await call<{ cursor: string; next_after: number | null; rows: SnapshotRow[] }>('GET', `/api/door/snapshot?after=${after}&limit=${limit}`, undefined, { timeoutMs: 60000 });
      return { cursor: page.cursor, nextAfter: page.next_after, rows: page.rows };
    },

    changes: (since: string) =>
      call<{ cursor: string; has_more: boolean; changes: { kind: string; ticket: WireTicket }[] }>('GET', `/api/door/changes?since=${encodeURIComponent(since)}&limit=2000`, undefined, { timeoutMs: 30000 }),

    scan: (body: { code: string; nonce: string; scanned_at: string; direction: Direction; control_point_id: number | null; date_id: number | null }, timeoutMs: number) =>
      call<{ scan: WireScanResult }>('POST', '/api/scans', { scan: body }, { timeoutMs }),

    upload: (scans: { code: string; nonce: string; scanned_at: string; direction: Direction; control_point_id: number | null; date_id: number | null; device_result: 'admitted' | 'rejected'; device_reason: Reason | null }[]) =>
      call<{ scans: WireScanResult[] }>('POST', '/api/scans/batch', { batch: { scans } }, { timeoutMs: 60000 }),

    async conflicts(controlPointId: number | null, names: Map<number, string | null>): Promise<Conflict[]> {
      type WireScan = { scanned_at: string; control_point_id: number | null; control_point_name: string | null; device: string | null };
      const { conflicts } = await call<{ conflicts: { id: number; ticket_id: number; winner: WireScan; loser: WireScan }[] }>('GET', '/api/scans/conflicts?per_page=100');
      const place = (s: WireScan) => ({ scannedAt: s.scanned_at, where: s.control_point_name ?? s.device });
      return conflicts.map((c) => ({
        id: c.id,
        ticketId: c.ticket_id,
        holderName: names.get(c.ticket_id) ?? null,
        winner: place(c.winner),
        loser: place(c.loser),
        involvesThisGate: controlPointId !== null && (c.winner.control_point_id === controlPointId || c.loser.control_point_id === controlPointId),
      }));
    },

    counters: (controlPointId: number | null) =>
      call<{ counters: { event: { total: number; admitted: number; inside: number } } }>('GET', `/api/door/counters${controlPointId ? `?control_point_id=${controlPointId}` : ''}`, undefined, { timeoutMs: 5000 }),
  };
}

export type DoorApi = ReturnType<typeof doorApi>;
