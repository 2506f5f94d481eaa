import type { CoreContext } from '../context.ts';
import type { Database } from '../../db/database.ts';
import { invalid } from '../errors.ts';
import type { Page } from '../pagination.ts';
import { parseInstant } from '../validation.ts';
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
 *   transaction id (`pg_current_xact_id()`), and the cursor records the snapshot the device is up
 *   to date with. A delta is the changes of transactions visible in the current snapshot but not in
 *   the device's: exactly those that ended since, in whatever order, and a transaction still running
 *   (in the new snapshot's running list) neither hides the others nor is lost: it comes next time.
 *   Pages of one delta keep the snapshot they page towards and the last (txid, id) handed out.
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

/**
 * Where a device stands.
 * - SQLite: the last change id handed out (`0.<id>`).
 * - PostgreSQL: the snapshot the device is up to date with (`p<xmin:xmax:xip,…>`), and, while a
 *   delta is being paged, the snapshot it is paging towards and the last (txid, id) handed out
 *   (`p<from>~<upto>~<txid>.<id>`).
 */
export type Cursor =
  | { engine: 'sqlite'; id: number }
  | { engine: 'postgres'; from: string; upto: string | null; after: { txid: string; id: number } };

const SNAPSHOT = String.raw`\d{1,20}:\d{1,20}:(?:\d{1,20}(?:,\d{1,20})*)?`;
const SQLITE_CURSOR = /^0\.(\d{1,15})$/;
const PG_CURSOR = new RegExp(String.raw`^p(${SNAPSHOT})(?:~(${SNAPSHOT})~(\d{1,20})\.(\d{1,15}))?$`);

export function parseCursor(value: string, engine: 'sqlite' | 'postgres'): Cursor {
  const refused = () => invalid('since', 'is not a cursor returned by the door API');
  if (engine === 'sqlite') {
    const match = SQLITE_CURSOR.exec(value);
    if (!match) throw refused();
    return { engine, id: Number(match[1]) };
  }
  const match = PG_CURSOR.exec(value);
  if (!match) throw refused();
  return { engine, from: match[1], upto: match[2] ?? null, after: { txid: match[3] ?? '0', id: Number(match[4] ?? 0) } };
}

export function formatCursor(cursor: Cursor): string {
  if (cursor.engine === 'sqlite') return `0.${cursor.id}`;
  return cursor.upto === null ? `p${cursor.from}` : `p${cursor.from}~${cursor.upto}~${cursor.after.txid}.${cursor.after.id}`;
}

/** Where a device stands now: read BEFORE the data it goes with, so nothing falls between. */
export async function currentCursor(database: Database): Promise<Cursor> {
  if (database.engine === 'postgres') return { engine: 'postgres', from: await repo.currentSnapshot(database.db), upto: null, after: { txid: '0', id: 0 } };
  return { engine: 'sqlite', id: await repo.lastChangeId(database.db) };
}

export function doorSyncService(ctx: CoreContext, scans: ScanService) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  return {
    /**
     * Valid tickets for the caller's scope, by id (`after` the last id of the previous page). Keep
     * the cursor of the first page: deltas from it cover everything that changed during the download.
     */
    async tickets(principal: Principal, eventId: number | null | undefined, options: { after?: number; limit?: number } = {}) {
      const scope: DoorScope = await scans.scopeOf(principal, eventId);
      const limit = Math.min(Math.max(options.limit ?? 1000, 1), 5000);
      const cursor = await currentCursor(database);
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
    dateScope: scans.dateScope,
    /**
     * The event as the caller's door names it: its dates (in start order), every section by name and
     * every tariff, with the caller's scope (the sections and dates it opens; null: all).
     */
    async catalog(principal: Principal, eventId: number | null | undefined) {
      const scope: DoorScope = await scans.scopeOf(principal, eventId);
      const org = principal.organizationId;
      const [dates, sections, tariffs] = await Promise.all([
        repo.eventDates(database.db, org, scope.eventId),
        repo.sectionNames(database.db, org, scope.eventId),
        repo.eventTariffs(database.db, org, scope.eventId),
      ]);
      return {
        id: scope.eventId,
        scope,
        dates: dates.map((d) => ({ id: d.id, startsAt: toIso(d.starts_at)! })),
        sections: sections.map((s) => ({ id: s.id, name: s.name })),
        tariffs: tariffs.map((t) => ({ id: t.id, sectionId: t.section_id, label: t.label })),
      };
    },
    /**
     * Tickets of the caller's door scope by page, with their holder: the valid ones, or those changed
     * since an instant (any status), or the given ids; on one date when `dateId` names one (see scans.dateScope).
     * For dialects whose doors page by number (TickeTing).
     */
    async ticketPage(principal: Principal, eventId: number | null | undefined, page: Page, filter: { modifiedSince?: string; ids?: number[]; dateId?: number | null } = {}) {
      const scope = await scans.dateScope(principal, eventId, filter.dateId);
      let modifiedSince: string | undefined;
      if (filter.modifiedSince !== undefined) {
        const parsed = parseInstant(filter.modifiedSince);
        if (!parsed) throw invalid('modified_since', 'must be an ISO 8601 date-time with a time zone');
        modifiedSince = parsed;
      }
      const { rows, total } = await repo.ticketPage(database.db, principal.organizationId, scope, page, { modifiedSince, ids: filter.ids });
      return {
        total,
        items: rows.map((r) => ({ ...toDoorTicket(r), holderAccountId: r.holder_account_id, issuedAt: toIso(r.created_at)!, modifiedAt: toIso(r.updated_at)! })),
      };
    },
    /** Changes of the caller's tickets since a cursor; `hasMore` asks for another call with the new cursor. */
    async changes(principal: Principal, eventId: number | null | undefined, since: string, options: { limit?: number } = {}) {
      const scope: DoorScope = await scans.scopeOf(principal, eventId);
      const cursor = parseCursor(since, database.engine);
      const limit = Math.min(Math.max(options.limit ?? 1000, 1), 5000);
      let next: Cursor;
      let rows;
      if (cursor.engine === 'sqlite') {
        rows = await repo.changesAfterId(database.db, principal.organizationId, scope.eventId, scope, cursor.id, limit);
        next = rows.length ? { engine: 'sqlite', id: rows[rows.length - 1].change_id } : cursor;
      } else {
        // The changes of transactions visible now but not in the device's snapshot: exactly what
        // committed since, whatever the order of their ids, and without waiting for transactions
        // still running (they are in the new snapshot's running list and come next time).
        const upto = cursor.upto ?? (await repo.currentSnapshot(database.db));
        rows = await repo.changesBetweenSnapshots(database.db, principal.organizationId, scope.eventId, scope, cursor.from, upto, cursor.after, limit);
        const last = rows[rows.length - 1];
        next = rows.length === limit ? { engine: 'postgres', from: cursor.from, upto, after: { txid: last.txid, id: last.change_id } } : { engine: 'postgres', from: upto, upto: null, after: { txid: '0', id: 0 } };
      }
      const hasMore = rows.length === limit;
      return {
        cursor: formatCursor(next),
        hasMore,
        changes: rows.map((r): DoorChange => ({ changeId: r.change_id, kind: r.kind as DoorChange['kind'], changedAt: toIso(r.changed_at)!, ticket: toDoorTicket(r) })),
      };
    },
  };
}

export type DoorSyncService = ReturnType<typeof doorSyncService>;
