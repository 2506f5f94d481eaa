import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AdmissionTokensTable, ControlPointsTable, ScansTable } from '../../db/tables.ts';
import { paged } from '../../db/paging.ts';
import { changedRows, placeholderRow, prepared } from '../../db/prepared.ts';
import type { Page } from '../pagination.ts';

export type AdmissionTokenRow = Selectable<AdmissionTokensTable>;
export type ControlPointRow = Selectable<ControlPointsTable>;
export type ScanRow = Selectable<ScansTable>;

/** What the door needs to know about a ticket: identity, validity, and door state. */
const TICKET_DOOR_COLUMNS = [
  'tickets.id',
  'tickets.organization_id',
  'tickets.event_id',
  'tickets.date_id',
  'tickets.section_id',
  'tickets.seat_id',
  'tickets.tariff_id',
  'tickets.barcode',
  'tickets.version',
  'tickets.status',
  'tickets.holder_name',
  'tickets.door_state',
  'tickets.admitted_at',
  'tickets.admission_scan_id',
  'tickets.exited_at',
] as const;

/**
 * SQL of the door. Every lookup from a request takes the organization; statements on rows the
 * service already loaded for that organization go by id.
 */
type DoorScopeFilter = { sectionIds: readonly number[] | null; dateIds: readonly number[] | null };

/** The door's change log joined with each ticket's current state, within a door scope. */
function changesQuery(db: Db, organizationId: number, eventId: number, scope: DoorScopeFilter, txid: string) {
  let query = db
    .selectFrom('door_changes')
    .innerJoin('tickets', 'tickets.id', 'door_changes.ticket_id')
    .select(['door_changes.id as change_id', 'door_changes.kind', 'door_changes.changed_at', ...TICKET_DOOR_COLUMNS])
    .select(sql<string>`${sql.raw(txid)}`.as('txid'))
    .where('door_changes.organization_id', '=', organizationId)
    .where('door_changes.event_id', '=', eventId);
  if (scope.sectionIds) query = query.where('tickets.section_id', 'in', scope.sectionIds.length ? [...scope.sectionIds] : [-1]);
  if (scope.dateIds) query = query.where('tickets.date_id', 'in', scope.dateIds.length ? [...scope.dateIds] : [-1]);
  return query;
}

const SCAN_COLUMNS = [
  'organization_id', 'event_id', 'ticket_id', 'code', 'direction', 'result', 'reason', 'control_point_id', 'device', 'token_id', 'credential_id', 'nonce_key', 'offline', 'scanned_at', 'received_at',
] as const;
export type ScanValues = Required<Pick<Insertable<ScansTable>, (typeof SCAN_COLUMNS)[number]>>;

/**
 * The door states a valid ticket may pass from: in, from 'none' (and from 'out' when the event allows
 * re-entry); out, from 'in'. The conditional UPDATEs below are written with them, and the scan that
 * decides before its one statement (PostgreSQL, `recordScanIfUnchanged`) asks them too.
 */
export function passableStates(direction: 'in' | 'out', reentry: boolean): string[] {
  if (direction === 'out') return ['in'];
  return reentry ? ['none', 'out'] : ['none'];
}

/** The admission: a valid ticket in one of `states` moves to 'in' (the states are part of the statement). */
const admitFrom = (states: string[]) =>
  prepared((db: Db, p: { ticketId: number; scanId: number; at: string; now: string }) =>
    db
      .updateTable('tickets')
      .set({ door_state: 'in', admitted_at: p.at, admission_scan_id: p.scanId, updated_at: p.now })
      .where('id', '=', p.ticketId)
      .where('status', '=', 'valid')
      .where('door_state', 'in', states),
  );

/** The hot statements of a scan (see db/prepared.ts). */
const hot = {
  scanTicket: prepared((db: Db, p: { organizationId: number; barcode: string }) =>
    db
      .selectFrom('tickets')
      .innerJoin('events', 'events.id', 'tickets.event_id')
      .select([...TICKET_DOOR_COLUMNS, 'events.reentry_allowed', 'tickets.qr_signature'])
      .where('tickets.organization_id', '=', p.organizationId)
      .where('tickets.barcode', '=', p.barcode),
  ),
  ticketById: prepared((db: Db, p: { organizationId: number; id: number }) =>
    db.selectFrom('tickets').select(TICKET_DOOR_COLUMNS).where('tickets.organization_id', '=', p.organizationId).where('tickets.id', '=', p.id),
  ),
  insertScan: prepared((db: Db, p: ScanValues) =>
    db
      .insertInto('scans')
      .values(placeholderRow(p, SCAN_COLUMNS) as ScanValues)
      .onConflict((oc) => oc.columns(['organization_id', 'nonce_key']).doNothing())
      .returning('id'),
  ),
  scanByNonce: prepared((db: Db, p: { organizationId: number; nonceKey: string }) =>
    db.selectFrom('scans').selectAll().where('organization_id', '=', p.organizationId).where('nonce_key', '=', p.nonceKey),
  ),
  setScanOutcome: prepared((db: Db, p: { id: number; result: string; reason: string | null; otherScanId: number | null }) =>
    db.updateTable('scans').set({ result: p.result, reason: p.reason, other_scan_id: p.otherScanId }).where('id', '=', p.id),
  ),
  scanWithPlace: prepared((db: Db, p: { organizationId: number; id: number }) =>
    db
      .selectFrom('scans')
      .leftJoin('control_points', 'control_points.id', 'scans.control_point_id')
      .select(['scans.id', 'scans.scanned_at', 'scans.control_point_id', 'scans.device', 'control_points.name as control_point_name'])
      .where('scans.organization_id', '=', p.organizationId)
      .where('scans.id', '=', p.id),
  ),
  // One statement per set of states it may admit from (first entry; re-entry too).
  admitFromNone: admitFrom(passableStates('in', false)),
  admitFromNoneOrOut: admitFrom(passableStates('in', true)),
  exit: prepared((db: Db, p: { ticketId: number; at: string; now: string }) =>
    db
      .updateTable('tickets')
      .set({ door_state: 'out', exited_at: p.at, updated_at: p.now })
      .where('id', '=', p.ticketId)
      .where('status', '=', 'valid')
      .where('door_state', 'in', passableStates('out', false)),
  ),
  /** PostgreSQL: `scanTicket` with the row version read (`xmin`), which `recordScanIfUnchanged` compares. */
  scanTicketVersioned: prepared((db: Db, p: { organizationId: number; barcode: string }) =>
    db
      .selectFrom('tickets')
      .innerJoin('events', 'events.id', 'tickets.event_id')
      .select([...TICKET_DOOR_COLUMNS, 'events.reentry_allowed', 'tickets.qr_signature', sql<string>`tickets.xmin::text`.as('row_version')])
      .where('tickets.organization_id', '=', p.organizationId)
      .where('tickets.barcode', '=', p.barcode),
  ),
};

export const doorRepository = {
  // ---- admission tokens and door credentials
  /** Inserts a token unless its code digest is taken (then undefined: draw another code). */
  insertToken(db: Db, values: Insertable<AdmissionTokensTable>) {
    return db.insertInto('admission_tokens').values(values).onConflict((oc) => oc.column('code_hash').doNothing()).returningAll().executeTakeFirst();
  },
  token(db: Db, organizationId: number, eventId: number, id: number) {
    return db.selectFrom('admission_tokens').selectAll().where('organization_id', '=', organizationId).where('event_id', '=', eventId).where('id', '=', id).executeTakeFirst();
  },
  tokens(db: Db, organizationId: number, eventId: number, page: Page, filter: { global?: boolean; includeRevoked?: boolean }) {
    let query = db.selectFrom('admission_tokens').where('organization_id', '=', organizationId).where('event_id', '=', eventId);
    if (filter.global !== undefined) query = query.where('is_global', '=', filter.global ? 1 : 0);
    if (!filter.includeRevoked) query = query.where('revoked_at', 'is', null);
    return paged(query, page, (q) => q.selectAll().orderBy('id'));
  },
  async hasGlobalToken(db: Db, organizationId: number, eventId: number) {
    return Boolean(
      await db.selectFrom('admission_tokens').select('id').where('organization_id', '=', organizationId).where('event_id', '=', eventId).where('is_global', '=', 1).limit(1).executeTakeFirst(),
    );
  },
  updateToken(db: Db, organizationId: number, id: number, values: Updateable<AdmissionTokensTable>) {
    return db.updateTable('admission_tokens').set(values).where('organization_id', '=', organizationId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  async revokeToken(db: Db, organizationId: number, id: number, now: string) {
    const row = await db
      .updateTable('admission_tokens')
      .set({ revoked_at: now, updated_at: now })
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    await db.updateTable('door_credentials').set({ revoked_at: now }).where('token_id', '=', id).where('revoked_at', 'is', null).execute();
    return true;
  },
  /** A live token by its code digest (codes are unique across organizations). */
  liveTokenByCode(db: Db, codeHash: string) {
    return db.selectFrom('admission_tokens').selectAll().where('code_hash', '=', codeHash).where('revoked_at', 'is', null).executeTakeFirst();
  },
  insertCredential(db: Db, values: { organization_id: number; token_id: number; key_hash: string; device: string | null; created_at: string }) {
    return db.insertInto('door_credentials').values(values).returning('id').executeTakeFirstOrThrow();
  },
  /** A live door credential with its live token: what a door key resolves to. */
  liveCredential(db: Db, keyHash: string) {
    return db
      .selectFrom('door_credentials')
      .innerJoin('admission_tokens', 'admission_tokens.id', 'door_credentials.token_id')
      .select(['door_credentials.id', 'door_credentials.organization_id', 'door_credentials.token_id', 'admission_tokens.event_id', 'admission_tokens.section_ids', 'admission_tokens.date_ids'])
      .where('door_credentials.key_hash', '=', keyHash)
      .where('door_credentials.revoked_at', 'is', null)
      .where('admission_tokens.revoked_at', 'is', null)
      .executeTakeFirst();
  },
  async revokeCredential(db: Db, organizationId: number, id: number, now: string) {
    await db.updateTable('door_credentials').set({ revoked_at: now }).where('organization_id', '=', organizationId).where('id', '=', id).execute();
  },

  // ---- catalog facts the door checks
  event(db: Db, organizationId: number, eventId: number) {
    return db.selectFrom('events').select(['id', 'reentry_allowed', 'status']).where('organization_id', '=', organizationId).where('id', '=', eventId).executeTakeFirst();
  },
  sectionNames(db: Db, organizationId: number, eventId: number) {
    return db.selectFrom('sections').select(['id', 'name']).where('organization_id', '=', organizationId).where('event_id', '=', eventId).orderBy('position').orderBy('id').execute();
  },
  async sectionIds(db: Db, eventId: number) {
    return (await db.selectFrom('sections').select('id').where('event_id', '=', eventId).execute()).map((r) => r.id);
  },
  async dateIds(db: Db, eventId: number) {
    return (await db.selectFrom('event_dates').select('id').where('event_id', '=', eventId).execute()).map((r) => r.id);
  },

  // ---- control points and scan settings
  insertControlPoint(db: Db, values: Insertable<ControlPointsTable>) {
    return db.insertInto('control_points').values(values).returningAll().executeTakeFirstOrThrow();
  },
  controlPoint(db: Db, organizationId: number, id: number) {
    return db.selectFrom('control_points').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  },
  controlPoints(db: Db, organizationId: number, page: Page, filter: { eventId?: number }) {
    let query = db.selectFrom('control_points').where('organization_id', '=', organizationId);
    if (filter.eventId !== undefined) {
      const eventId = filter.eventId;
      query = query.where((eb) => eb.or([eb('event_id', '=', eventId), eb('event_id', 'is', null)]));
    }
    return paged(query, page, (q) => q.selectAll().orderBy('id'));
  },
  updateControlPoint(db: Db, organizationId: number, id: number, values: Updateable<ControlPointsTable>) {
    return db.updateTable('control_points').set(values).where('organization_id', '=', organizationId).where('id', '=', id).returningAll().executeTakeFirst();
  },
  async settings(db: Db, organizationId: number, accountIds: number[]) {
    return db.selectFrom('scan_settings').selectAll().where('organization_id', '=', organizationId).where('account_id', 'in', accountIds).execute();
  },
  async saveSettings(db: Db, organizationId: number, accountId: number, settings: string, now: string) {
    await db
      .insertInto('scan_settings')
      .values({ organization_id: organizationId, account_id: accountId, settings, updated_at: now })
      .onConflict((oc) => oc.columns(['organization_id', 'account_id']).doUpdateSet({ settings, updated_at: now }))
      .execute();
  },

  // ---- scanning
  ticketByBarcode(db: Db, organizationId: number, barcode: string) {
    return db.selectFrom('tickets').select(TICKET_DOOR_COLUMNS).where('tickets.organization_id', '=', organizationId).where('tickets.barcode', '=', barcode).executeTakeFirst();
  },
  /** The scanned ticket with its event's re-entry rule: the one read before the admitting transaction. */
  async scanTicket(db: Db, organizationId: number, barcode: string) {
    return (await hot.scanTicket(db, { organizationId, barcode })).rows[0];
  },
  async ticketById(db: Db, organizationId: number, id: number) {
    return (await hot.ticketById(db, { organizationId, id })).rows[0];
  },
  retiredBarcode(db: Db, organizationId: number, barcode: string) {
    return db.selectFrom('retired_barcodes').select(['ticket_id', 'reason', 'retired_at']).where('organization_id', '=', organizationId).where('barcode', '=', barcode).executeTakeFirst();
  },
  /** Records a scan unless its nonce was seen: the new id, or undefined for a repeated nonce. */
  async insertScan(db: Db, values: ScanValues) {
    return (await hot.insertScan(db, values)).rows[0]?.id;
  },
  async scanByNonce(db: Db, organizationId: number, nonceKey: string) {
    return (await hot.scanByNonce(db, { organizationId, nonceKey })).rows[0];
  },
  async setScanOutcome(db: Db, id: number, values: { result: string; reason: string | null; other_scan_id: number | null }) {
    await hot.setScanOutcome(db, { id, result: values.result, reason: values.reason, otherScanId: values.other_scan_id });
  },
  /** A scan with the name of its control point (for "already admitted at …"). */
  async scanWithPlace(db: Db, organizationId: number, id: number) {
    return (await hot.scanWithPlace(db, { organizationId, id })).rows[0];
  },
  /**
   * The admission itself: one conditional UPDATE. Only a valid ticket whose door state is 'none'
   * (or 'out' too, when re-entry is allowed) moves to 'in'; concurrent gates race on this row and
   * exactly one sees a row changed.
   */
  async admit(db: Db, ticketId: number, reentry: boolean, scanId: number, at: string, now: string) {
    return changedRows(await (reentry ? hot.admitFromNoneOrOut : hot.admitFromNone)(db, { ticketId, scanId, at, now })) === 1;
  },
  async exit(db: Db, ticketId: number, at: string, now: string) {
    return changedRows(await hot.exit(db, { ticketId, at, now })) === 1;
  },
  /** PostgreSQL: the scanned ticket, its event's re-entry rule and its row version (see `recordScanIfUnchanged`). */
  async scanTicketVersioned(db: Db, organizationId: number, barcode: string) {
    return (await hot.scanTicketVersioned(db, { organizationId, barcode })).rows[0];
  },
  /**
   * PostgreSQL: a whole online scan in ONE statement (one round trip, its own transaction), decided
   * by the caller from the ticket as `scanTicketVersioned` read it. The ticket is locked, and only if
   * its row version is still the one read (nothing changed it since: no other gate, no refund), the
   * scan is recorded as decided (unless its nonce was seen) and, when it admits (or lets out), the
   * ticket's door state moves by the same conditional UPDATE as `admit`/`exit`. A concurrent scan
   * of the ticket waits for the lock and then finds another version: `unchanged` false, nothing
   * written, and the caller decides again in a transaction. Exactly once holds either way: the
   * lock and the version make the decision and the write one step.
   */
  async recordScanIfUnchanged(
    db: Db,
    p: { ticketId: number; rowVersion: string; scan: ScanValues & { other_scan_id: number | null }; pass: null | { direction: 'in' | 'out'; from: string[]; at: string; now: string } },
  ): Promise<{ unchanged: boolean; scanId: number | null; passed: boolean }> {
    const pass = p.pass;
    const moved = pass
      ? sql`, moved as (
          update tickets set door_state = ${pass.direction}::text,
            ${pass.direction === 'in' ? sql`admitted_at = ${pass.at}::timestamptz, admission_scan_id = recorded.id` : sql`exited_at = ${pass.at}::timestamptz`},
            updated_at = ${pass.now}::timestamptz
          from recorded
          where tickets.id = ${p.ticketId}::int and tickets.status = 'valid' and tickets.door_state = any(${pass.from}::text[])
          returning tickets.id
        )`
      : sql``;
    const columns = sql.join([...SCAN_COLUMNS, 'other_scan_id'].map((c) => sql.ref(c)));
    const result = await sql<{ unchanged: boolean; scan_id: number | null; passed: boolean }>`
      with locked as (
        select id from tickets where id = ${p.ticketId}::int and xmin = ${p.rowVersion}::xid for update
      ),
      recorded as (
        insert into scans (${columns})
        select ${columns} from json_populate_record(null::scans, ${JSON.stringify(p.scan)}::json), locked
        on conflict (organization_id, nonce_key) do nothing
        returning id
      )${moved}
      select exists (select from locked) as unchanged, (select id from recorded) as scan_id,
        ${pass ? sql`exists (select from moved)` : sql`false`} as passed`.execute(db);
    const row = result.rows[0];
    return { unchanged: row.unchanged, scanId: row.scan_id, passed: row.passed };
  },
  /** Offline conflict: an earlier scan takes over the admission, provided it is still `fromScanId`'s. */
  async moveAdmission(db: Db, ticketId: number, fromScanId: number, scanId: number, at: string, now: string) {
    const result = await db
      .updateTable('tickets')
      .set({ admitted_at: at, admission_scan_id: scanId, updated_at: now })
      .where('id', '=', ticketId)
      .where('admission_scan_id', '=', fromScanId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
  async insertConflict(db: Db, values: { organization_id: number; event_id: number; ticket_id: number; winning_scan_id: number; losing_scan_id: number; created_at: string }) {
    await db.insertInto('scan_conflicts').values(values).execute();
  },
  conflicts(db: Db, organizationId: number, eventId: number, page: Page) {
    const query = db.selectFrom('scan_conflicts').where('organization_id', '=', organizationId).where('event_id', '=', eventId);
    return paged(query, page, (q) => q.selectAll().orderBy('id'));
  },
  scansByIds(db: Db, organizationId: number, ids: number[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('scans')
      .leftJoin('control_points', 'control_points.id', 'scans.control_point_id')
      .selectAll('scans')
      .select('control_points.name as control_point_name')
      .where('scans.organization_id', '=', organizationId)
      .where('scans.id', 'in', ids)
      .execute();
  },
  /** An event's scans, newest last; `sectionIds`/`dateIds` keep those of tickets of these sections/dates (null: all). */
  scans(db: Db, organizationId: number, eventId: number, page: Page, filter: { ticketId?: number; controlPointId?: number; result?: string; sectionIds?: readonly number[] | null; dateIds?: readonly number[] | null }) {
    let query = db.selectFrom('scans').leftJoin('control_points', 'control_points.id', 'scans.control_point_id').where('scans.organization_id', '=', organizationId).where('scans.event_id', '=', eventId);
    const { sectionIds, dateIds } = filter;
    if (sectionIds || dateIds) {
      query = query.where('scans.ticket_id', 'in', (eb) => {
        let tickets = eb.selectFrom('tickets').select('tickets.id').where('tickets.organization_id', '=', organizationId).where('tickets.event_id', '=', eventId);
        if (sectionIds) tickets = tickets.where('tickets.section_id', 'in', sectionIds.length ? [...sectionIds] : [-1]);
        if (dateIds) tickets = tickets.where('tickets.date_id', 'in', dateIds.length ? [...dateIds] : [-1]);
        return tickets;
      });
    }
    if (filter.ticketId !== undefined) query = query.where('scans.ticket_id', '=', filter.ticketId);
    if (filter.controlPointId !== undefined) query = query.where('scans.control_point_id', '=', filter.controlPointId);
    if (filter.result !== undefined) query = query.where('scans.result', '=', filter.result);
    return paged(query, page, (q) => q.selectAll('scans').select('control_points.name as control_point_name').orderBy('scans.id'));
  },

  // ---- offline download and delta sync
  /** Valid tickets of an event (optionally some sections/dates), by id after `afterId`. */
  validTickets(db: Db, organizationId: number, eventId: number, sectionIds: readonly number[] | null, dateIds: readonly number[] | null, afterId: number, limit: number) {
    let query = db
      .selectFrom('tickets')
      .select(TICKET_DOOR_COLUMNS)
      .where('tickets.organization_id', '=', organizationId)
      .where('tickets.event_id', '=', eventId)
      .where('tickets.status', '=', 'valid')
      .where('tickets.id', '>', afterId);
    if (sectionIds) query = query.where('tickets.section_id', 'in', sectionIds.length ? [...sectionIds] : [-1]);
    if (dateIds) query = query.where('tickets.date_id', 'in', dateIds.length ? [...dateIds] : [-1]);
    return query.orderBy('tickets.id').limit(limit).execute();
  },
  /**
   * One page of an event's tickets within a door scope, with their holders: valid tickets, or —
   * with `modifiedSince` — every ticket changed at or after that instant (so a device also learns
   * which tickets stopped being valid).
   */
  async ticketPage(db: Db, organizationId: number, scope: { eventId: number; sectionIds: readonly number[] | null; dateIds: readonly number[] | null }, page: { limit: number; offset: number }, filter: { modifiedSince?: string; ids?: number[] }) {
    let query = db.selectFrom('tickets').where('tickets.organization_id', '=', organizationId).where('tickets.event_id', '=', scope.eventId);
    if (scope.sectionIds) query = query.where('tickets.section_id', 'in', scope.sectionIds.length ? [...scope.sectionIds] : [-1]);
    if (scope.dateIds) query = query.where('tickets.date_id', 'in', scope.dateIds.length ? [...scope.dateIds] : [-1]);
    if (filter.ids) query = query.where('tickets.id', 'in', filter.ids.length ? filter.ids : [-1]);
    else if (filter.modifiedSince) query = query.where('tickets.updated_at', '>=', filter.modifiedSince);
    else query = query.where('tickets.status', '=', 'valid');
    return paged(query, page, (q) => q.select([...TICKET_DOOR_COLUMNS, 'tickets.holder_account_id', 'tickets.created_at', 'tickets.updated_at']).orderBy('tickets.id'));
  },
  /** PostgreSQL: the current snapshot (`xmin:xmax:running xids`), what a device's cursor records. */
  async currentSnapshot(db: Db): Promise<string> {
    const { rows } = await sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`.execute(db);
    return rows[0].snapshot;
  },
  async lastChangeId(db: Db): Promise<number> {
    const row = await db.selectFrom('door_changes').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    return Number(row?.id ?? 0);
  },
  /** SQLite (one writer at a time, ids commit in order): changes after an id, joined with the ticket's current state. */
  changesAfterId(db: Db, organizationId: number, eventId: number, scope: DoorScopeFilter, afterId: number, limit: number) {
    return changesQuery(db, organizationId, eventId, scope, "'0'").where('door_changes.id', '>', afterId).orderBy('door_changes.id').limit(limit).execute();
  },
  /**
   * PostgreSQL: the changes written by transactions that are visible in snapshot `upto` but were not
   * in snapshot `from` (still running, or not started), after (txid, id), in (txid, id) order.
   */
  changesBetweenSnapshots(db: Db, organizationId: number, eventId: number, scope: DoorScopeFilter, from: string, upto: string, after: { txid: string; id: number }, limit: number) {
    return changesQuery(db, organizationId, eventId, scope, 'door_changes.txid::text')
      // Bounds the index range: nothing below `from`'s xmin is new, nothing at or past `upto`'s xmax is visible in it.
      .where(sql<boolean>`door_changes.txid >= pg_snapshot_xmin(${from}::pg_snapshot)`)
      .where(sql<boolean>`door_changes.txid < pg_snapshot_xmax(${upto}::pg_snapshot)`)
      .where(sql<boolean>`not pg_visible_in_snapshot(door_changes.txid, ${from}::pg_snapshot)`)
      .where(sql<boolean>`pg_visible_in_snapshot(door_changes.txid, ${upto}::pg_snapshot)`)
      .where(sql<boolean>`(door_changes.txid, door_changes.id) > (${after.txid}::xid8, ${after.id}::integer)`)
      .orderBy(sql`door_changes.txid`)
      .orderBy('door_changes.id')
      .limit(limit)
      .execute();
  },

  // ---- statistics
  ticketCounts(db: Db, organizationId: number, eventId: number) {
    return db
      .selectFrom('tickets')
      .select((eb) => [
        'date_id',
        'section_id',
        'tariff_id',
        eb.fn.countAll<number>().as('total'),
        sql<number>`sum(case when door_state <> 'none' then 1 else 0 end)`.as('scanned'),
        sql<number>`sum(case when door_state = 'in' then 1 else 0 end)`.as('in_count'),
        sql<number>`sum(case when door_state = 'out' then 1 else 0 end)`.as('out_count'),
      ])
      .where('organization_id', '=', organizationId)
      .where('event_id', '=', eventId)
      .where('status', '=', 'valid')
      .groupBy(['date_id', 'section_id', 'tariff_id'])
      .orderBy('date_id')
      .orderBy('section_id')
      .orderBy('tariff_id')
      .execute();
  },
  /** The tariff's event, when the tariff is the organization's. */
  tariffEvent(db: Db, organizationId: number, tariffId: number) {
    return db.selectFrom('tariffs').select(['id', 'event_id']).where('organization_id', '=', organizationId).where('id', '=', tariffId).executeTakeFirst();
  },
  scanCountsByControlPoint(db: Db, organizationId: number, eventId: number) {
    return db
      .selectFrom('scans')
      .leftJoin('control_points', 'control_points.id', 'scans.control_point_id')
      .select((eb) => ['scans.control_point_id', 'control_points.name', 'scans.direction', 'scans.result', eb.fn.countAll<number>().as('n')])
      .where('scans.organization_id', '=', organizationId)
      .where('scans.event_id', '=', eventId)
      .groupBy(['scans.control_point_id', 'control_points.name', 'scans.direction', 'scans.result'])
      .execute();
  },
  admittedScanTimes(db: Db, organizationId: number, eventId: number) {
    return db
      .selectFrom('scans')
      .select('scanned_at')
      .where('organization_id', '=', organizationId)
      .where('event_id', '=', eventId)
      .where('result', '=', 'admitted')
      .where('direction', '=', 'in')
      .execute();
  },
  /** Door state of given tickets with where they were last admitted (for participant lists). */
  ticketDoorStates(db: Db, organizationId: number, ticketIds: number[]) {
    if (ticketIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('tickets')
      .leftJoin('scans', 'scans.id', 'tickets.admission_scan_id')
      .leftJoin('control_points', 'control_points.id', 'scans.control_point_id')
      .select(['tickets.id', 'tickets.door_state', 'tickets.admitted_at', 'tickets.exited_at', 'scans.control_point_id', 'scans.device', 'control_points.name as control_point_name'])
      .where('tickets.organization_id', '=', organizationId)
      .where('tickets.id', 'in', ticketIds)
      .execute();
  },

  // ---- what a door device keeps offline (door app)
  deviceEvent(db: Db, organizationId: number, eventId: number) {
    return db
      .selectFrom('events')
      .innerJoin('organizations', 'organizations.id', 'events.organization_id')
      .select(['events.id', 'events.title', 'events.time_zone', 'events.reentry_allowed', 'organizations.name as organization_name'])
      .where('events.organization_id', '=', organizationId)
      .where('events.id', '=', eventId)
      .executeTakeFirst();
  },
  eventDates(db: Db, organizationId: number, eventId: number) {
    return db.selectFrom('event_dates').select(['id', 'starts_at', 'local_starts_at']).where('organization_id', '=', organizationId).where('event_id', '=', eventId).orderBy('starts_at').orderBy('id').execute();
  },
  eventTariffs(db: Db, organizationId: number, eventId: number) {
    return db.selectFrom('tariffs').select(['id', 'section_id', 'label']).where('organization_id', '=', organizationId).where('event_id', '=', eventId).orderBy('position').orderBy('id').execute();
  },
  /**
   * One page of a door snapshot: the valid tickets of a scope by id, with where an admitted ticket
   * was admitted (control point name or device), so an offline gate can say which gate it was.
   */
  snapshotTickets(db: Db, organizationId: number, eventId: number, scope: DoorScopeFilter, afterId: number, limit: number) {
    let query = db
      .selectFrom('tickets')
      .leftJoin('scans', 'scans.id', 'tickets.admission_scan_id')
      .leftJoin('control_points', 'control_points.id', 'scans.control_point_id')
      .select([
        'tickets.id', 'tickets.barcode', 'tickets.version', 'tickets.date_id', 'tickets.section_id', 'tickets.tariff_id', 'tickets.holder_name',
        'tickets.door_state', 'tickets.admitted_at', 'control_points.name as control_point_name', 'scans.device',
      ])
      .where('tickets.organization_id', '=', organizationId)
      .where('tickets.event_id', '=', eventId)
      .where('tickets.status', '=', 'valid')
      .where('tickets.id', '>', afterId);
    if (scope.sectionIds) query = query.where('tickets.section_id', 'in', scope.sectionIds.length ? [...scope.sectionIds] : [-1]);
    if (scope.dateIds) query = query.where('tickets.date_id', 'in', scope.dateIds.length ? [...scope.dateIds] : [-1]);
    return query.orderBy('tickets.id').limit(limit).execute();
  },
};

export type DoorTicketRow = NonNullable<Awaited<ReturnType<typeof doorRepository.ticketById>>>;
