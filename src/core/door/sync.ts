import type { CoreContext } from '../context.ts';
import { invalid } from '../errors.ts';
import { toIso } from '../../db/quirks.ts';
import type { Principal } from '../identity/principal.ts';
import { signingKey } from '../selling/tickets.ts';
import { doorRepository as repo } from './repository.ts';
import { toDoorTicket, type DoorScope, type DoorTicket, type ScanService } from './scans.ts';

/**
 * Offline devices: a download of the tickets valid for the caller's sections (plus the public key
 * that verifies QR payloads), then deltas since a cursor.
 *
 * The change log (`door_changes`) is written by triggers on `tickets`, so every transaction that
 * changes what the door cares about (payment validating tickets, cancellation and refund, transfer
 * claim, comps, admission and exit) records it in the same transaction.
 *
 * The cursor must be exact: a device must never miss a change nor need a full download again.
 * - SQLite: one writer at a time (BEGIN IMMEDIATE), so change ids commit in id order; the cursor
 *   is the last id handed out.
 * - PostgreSQL: a serial id is drawn when the row is inserted, not when its transaction commits,
 *   so a reader that saw id 105 may later see 104 commit. Each change therefore records its
 *   transaction id (`pg_current_xact_id()`), and a reader only hands out changes of transactions
 *   older than its snapshot's xmin — every such transaction has ended, so the set below xmin can
 *   never grow. Changes are ordered by (txid, id) and the cursor is the last pair handed out (or
 *   (xmin, 0) when everything below xmin was handed out). A long-running transaction holds xmin
 *   back and so delays deltas (never loses them).
 *
 * The cursor is opaque to clients: "<txid>.<id>".
 */
export interface DoorChange {
  changeId: number;
  kind: 'issued' | 'cancelled' | 'transferred' | 'admitted' | 'exited' | 'reset';
  changedAt: string;
  /** The ticket as it is now (a later change may already show in it; applying it again is harmless). */
  ticket: DoorTicket;
}

export interface Cursor {
  txid: string;
  id: number;
}

const CURSOR_PATTERN = /^(\d{1,20})\.(\d{1,15})$/;

export function parseCursor(value: string): Cursor {
  const match = CURSOR_PATTERN.exec(value);
  if (!match) throw invalid('since', 'is not a cursor returned by the door API');
  return { txid: match[1], id: Number(match[2]) };
}

export const formatCursor = (cursor: Cursor) => `${cursor.txid}.${cursor.id}`;

const compare = (a: Cursor, b: Cursor) => {
  const ta = BigInt(a.txid);
  const tb = BigInt(b.txid);
  return ta !== tb ? (ta < tb ? -1 : 1) : a.id - b.id;
};

export function doorSyncService(ctx: CoreContext, scans: ScanService) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  /** Where a device stands now: read BEFORE the data it goes with, so nothing falls between. */
  async function currentCursor(): Promise<Cursor> {
    if (database.engine === 'postgres') return { txid: await repo.snapshotXmin(database.db), id: 0 };
    return { txid: '0', id: await repo.lastChangeId(database.db) };
  }

  return {
    /**
     * Valid tickets for the caller's scope, by id (`after` the last id of the previous page). Keep
     * the cursor of the first page: deltas from it cover everything that changed during the download.
     */
    async tickets(principal: Principal, eventId: number | null | undefined, options: { after?: number; limit?: number } = {}) {
      const scope: DoorScope = await scans.scopeOf(principal, eventId);
      const limit = Math.min(Math.max(options.limit ?? 1000, 1), 5000);
      const cursor = await currentCursor();
      const rows = await repo.validTickets(database.db, principal.organizationId, scope.eventId, scope.sectionIds, scope.dateIds, options.after ?? 0, limit);
      const key = await signingKey(database.db, principal.organizationId, now());
      return {
        eventId: scope.eventId,
        sectionIds: scope.sectionIds,
        dateIds: scope.dateIds,
        cursor: formatCursor(cursor),
        tickets: rows.map(toDoorTicket),
        /** The `after` of the next page, or null when this was the last. */
        nextAfter: rows.length === limit ? rows[rows.length - 1].id : null,
        publicKey: { algorithm: 'Ed25519' as const, publicKeyPem: key.publicKeyPem, publicKey: key.publicKeyRaw },
      };
    },
    /** Changes of the caller's tickets since a cursor; `hasMore` asks for another call with the new cursor. */
    async changes(principal: Principal, eventId: number | null | undefined, since: string, options: { limit?: number } = {}) {
      const scope: DoorScope = await scans.scopeOf(principal, eventId);
      const after = parseCursor(since);
      const limit = Math.min(Math.max(options.limit ?? 1000, 1), 5000);
      const pg = database.engine === 'postgres';
      // Read xmin first: an older xmin is always safe (every transaction below it has ended).
      const xmin = pg ? await repo.snapshotXmin(database.db) : null;
      const rows = await repo.changes(database.db, database.engine, principal.organizationId, scope.eventId, scope, after, xmin, limit);
      const hasMore = rows.length === limit;
      let cursor: Cursor = rows.length ? { txid: String(rows[rows.length - 1].txid), id: rows[rows.length - 1].change_id } : after;
      // Everything below xmin was handed out: later calls may start at xmin.
      if (!hasMore && xmin !== null && compare({ txid: xmin, id: 0 }, cursor) > 0) cursor = { txid: xmin, id: 0 };
      return {
        cursor: formatCursor(cursor),
        hasMore,
        changes: rows.map((r): DoorChange => ({ changeId: r.change_id, kind: r.kind as DoorChange['kind'], changedAt: toIso(r.changed_at)!, ticket: toDoorTicket(r) })),
      };
    },
  };
}

export type DoorSyncService = ReturnType<typeof doorSyncService>;
