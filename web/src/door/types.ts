/** The door app's own shapes (what it keeps in IndexedDB and shows); the API's are snake_case. */

export type Reason =
  | 'unknown'
  | 'invalid_signature'
  | 'wrong_event'
  | 'wrong_date'
  | 'wrong_section'
  | 'cancelled'
  | 'unpaid'
  | 'transferred'
  | 'revoked'
  | 'already_admitted'
  | 'not_admitted';

export type Direction = 'in' | 'out';

/** The event as the gate knows it (GET /api/door/event). */
export interface Briefing {
  event: { id: number; title: string; timeZone: string; reentryAllowed: boolean; organizationName: string };
  dates: { id: number; startsAt: string }[];
  sections: { id: number; name: string }[];
  tariffs: { id: number; sectionId: number; label: string }[];
  sectionIds: number[] | null;
  dateIds: number[] | null;
  publicKey: string;
  settings: Record<string, string>;
}

/** The door session kept on the device until the staff end it. */
export interface DoorSessionState {
  key: string;
  gate: string;
  eventId: number;
  controlPointId: number | null;
  /** The date this gate admits to (null: any date its credential allows). */
  dateId: number | null;
  direction: Direction;
  startedAt: string;
}

export interface LocalTicket {
  id: number;
  barcode: string;
  version: number;
  dateId: number;
  sectionId: number;
  tariffId: number | null;
  holderName: string | null;
  /** valid, pending, refunded, cancelled (the snapshot has only valid ones; changes bring the rest). */
  status: string;
  doorState: 'none' | 'in' | 'out';
  admittedAt: string | null;
  /** Control point or device of the admission, when known. */
  admittedWhere: string | null;
}

/** A scan waiting to be uploaded (POST /api/scans/batch), in the order it was made. */
export interface QueuedScan {
  seq?: number;
  code: string;
  nonce: string;
  scannedAt: string;
  direction: Direction;
  dateId: number | null;
  /** What the gate answered offline, and for which ticket (kept admitted locally until uploaded). */
  localAdmitted: boolean;
  ticketId: number | null;
  lastError?: string;
}

export interface Conflict {
  id: number;
  ticketId: number;
  holderName: string | null;
  winner: { scannedAt: string; where: string | null };
  loser: { scannedAt: string; where: string | null };
  /** This gate's scan lost (the person it let in had already been admitted elsewhere). */
  involvesThisGate: boolean;
}

/** What the gate shows after a scan. */
export interface Answer {
  admitted: boolean;
  direction: Direction;
  reason: Reason | null;
  /** Answered from the device's own data (no network). */
  offline: boolean;
  replayed: boolean;
  holderName: string | null;
  sectionName: string | null;
  tariffLabel: string | null;
  dateStartsAt: string | null;
  /** For already_admitted: when and where. */
  admission: { at: string | null; where: string | null } | null;
  code: string;
  at: string;
  /** Milliseconds from the scan to this answer. */
  tookMs: number;
}

export interface Counters {
  gate: { scans: number; admitted: number; refused: number };
  /** The event's, from the server when last online. */
  event: { admitted: number; total: number } | null;
  lastSyncAt: string | null;
  waiting: number;
  conflicts: number;
}
