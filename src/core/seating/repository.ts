import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { EventSeatsTable, SeatMapsTable, SeatMapVersionsTable } from '../../db/tables.ts';
import { changedRows, prepared, preparedInsert, preparedPerRowCount } from '../../db/prepared.ts';
import { tenantTable } from '../../db/table-access.ts';
import { paged } from '../../db/paging.ts';
import type { Page } from '../pagination.ts';

export type SeatMapRow = Selectable<SeatMapsTable>;
export type SeatMapVersionRow = Selectable<SeatMapVersionsTable>;
export type EventSeatRow = Selectable<EventSeatsTable>;

export const seatMaps = tenantTable('seat_maps');

/** A seat that can be taken now: for sale, and nobody's, or held by a hold whose time has passed. */
const takeable = (now: unknown) => sql<boolean>`blocked is null and (cart_item_id is null or (held_until is not null and held_until <= ${now}))`;

// The on-sale's seat statements, built once (see db/prepared.ts).
const hot = {
  /** The seats of a (date, section) a buyer could take now, in seating order (for best available). */
  freeSeats: prepared((db, p: { dateId: number; sectionId: number; now: string }) =>
    db
      .selectFrom('event_seats')
      .select(['id', 'rank', 'block', 'position', 'area', 'row_label', 'number'])
      .where('date_id', '=', p.dateId)
      .where('section_id', '=', p.sectionId)
      .where(takeable(p.now))
      .orderBy('block')
      .orderBy('position'),
  ),
  /** The best-ranked seats of a (date, section) nobody ever held (walks a partial index). */
  neverHeldSeats: prepared((db, p: { dateId: number; sectionId: number; limit: number }) =>
    db
      .selectFrom('event_seats')
      .select(['id', 'rank', 'block', 'position', 'area', 'row_label', 'number'])
      .where('date_id', '=', p.dateId)
      .where('section_id', '=', p.sectionId)
      .where('cart_item_id', 'is', null)
      .where('blocked', 'is', null)
      .orderBy('rank')
      .limit(p.limit),
  ),
  /** Named seats, whatever their state (the buyer's pick is checked against the date and section). */
  seatsById: (n: number) =>
    prepared((db, p: Record<string, unknown>) =>
      db
        .selectFrom('event_seats')
        .select(['id', 'date_id', 'section_id', 'rank', 'block', 'position', 'area', 'row_label', 'number'])
        .where(
          'id',
          'in',
          Array.from({ length: n }, (_, i) => p[`id${i}`] as number),
        ),
    ),
  /** Binds seats to a hold until a time, those nobody else has: the seats' whole critical section. */
  claim: preparedPerRowCount((db, p, rows) =>
    db
      .updateTable('event_seats')
      .set({ cart_item_id: p.itemId as number, held_until: p.until as string | null })
      .where('id', 'in', Array.from({ length: rows }, (_, r) => p[`id.${r}`] as number))
      .where('date_id', '=', p.dateId as number)
      .where('section_id', '=', p.sectionId as number)
      .where(takeable(p.now)),
  ),
  /** A hold's seats stay its own until `until` (checkout re-arms them for the payment window). */
  rearm: prepared((db, p: { itemId: number; until: string; now: string }) =>
    db.updateTable('event_seats').set({ held_until: p.until }).where('cart_item_id', '=', p.itemId).where('held_until', '>', p.now),
  ),
  /** A hold's live seats become sold (held_until null: nobody can take them over). */
  sell: prepared((db, p: { itemId: number; now: string }) =>
    db.updateTable('event_seats').set({ held_until: null }).where('cart_item_id', '=', p.itemId).where('held_until', '>', p.now),
  ),
  /** The seats of a date as laid out (what each is, not who has it), in id order. */
  dateSeats: prepared((db, p: { dateId: number }) =>
    db
      .selectFrom('event_seats')
      .select(['id', 'section_id', 'area', 'row_label', 'number', 'category', 'x', 'y', 'rank', 'flags'])
      .where('date_id', '=', p.dateId)
      .orderBy('id'),
  ),
  dateSeatStates: prepared((db, p: { dateId: number }) =>
    db.selectFrom('event_seats').select(['id', 'blocked', 'cart_item_id', 'held_until']).where('date_id', '=', p.dateId).orderBy('id'),
  ),
};
const seatsByIdCache = new Map<number, ReturnType<typeof hot.seatsById>>();

/** The SQL of seat maps and of the seats of dates. Lookups from a request take the organization. */
export const seatingRepository = {
  insertMap: (db: Db, values: Insertable<SeatMapsTable>) => seatMaps.insert(db, values),
  map: (db: Db, organizationId: number, id: number) => seatMaps.get(db, organizationId, id),
  listMaps(db: Db, organizationId: number, page: Page, filter: { venueId?: number }) {
    let query = db.selectFrom('seat_maps').where('organization_id', '=', organizationId);
    if (filter.venueId !== undefined) query = query.where('venue_id', '=', filter.venueId);
    return paged(query, page, (q) => q.selectAll().orderBy('id'));
  },
  /** Moves a map to its next version unless someone else did first; the new number, or undefined. */
  async bumpVersion(db: Db, organizationId: number, id: number, from: number, values: { name?: string; venue_id?: number | null; updated_at: string }) {
    const row = await db
      .updateTable('seat_maps')
      .set({ ...values, version: from + 1 })
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .where('version', '=', from)
      .returningAll()
      .executeTakeFirst();
    return row;
  },
  insertVersion: preparedInsert('seat_map_versions', ['organization_id', 'map_id', 'version', 'document', 'seat_count', 'created_at']),
  version(db: Db, organizationId: number, mapId: number, version: number) {
    return db.selectFrom('seat_map_versions').selectAll().where('organization_id', '=', organizationId).where('map_id', '=', mapId).where('version', '=', version).executeTakeFirst();
  },
  versionById(db: Db, organizationId: number, id: number) {
    return db.selectFrom('seat_map_versions').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  },
  /** Whether any date uses a version of this map. */
  async mapInUse(db: Db, organizationId: number, mapId: number) {
    const row = await db
      .selectFrom('event_dates')
      .innerJoin('seat_map_versions', 'seat_map_versions.id', 'event_dates.map_version_id')
      .select('event_dates.id')
      .where('seat_map_versions.organization_id', '=', organizationId)
      .where('seat_map_versions.map_id', '=', mapId)
      .limit(1)
      .executeTakeFirst();
    return Boolean(row);
  },
  removeMap: (db: Db, organizationId: number, id: number) => seatMaps.remove(db, organizationId, id),

  // ---- The seats of a date --------------------------------------------------------------------
  /** Whether any seat of the date is held or sold, or any place of its sections taken. */
  async dateHasSales(db: Db, organizationId: number, dateId: number) {
    const capacity = await db
      .selectFrom('section_capacities')
      .select('id')
      .where('organization_id', '=', organizationId)
      .where('date_id', '=', dateId)
      .where('taken', '>', 0)
      .limit(1)
      .executeTakeFirst();
    return Boolean(capacity);
  },
  async removeDateSeats(db: Db, organizationId: number, dateId: number) {
    await db.deleteFrom('event_seats').where('organization_id', '=', organizationId).where('date_id', '=', dateId).execute();
  },
  async insertSeats(db: Db, rows: Insertable<EventSeatsTable>[]) {
    // A few hundred rows per statement keeps under SQLite's bound-parameter limit (32,766).
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('event_seats').values(rows.slice(i, i + 500)).execute();
  },
  async setDateMap(db: Db, organizationId: number, dateId: number, mapVersionId: number | null, now: string) {
    await db.updateTable('event_dates').set({ map_version_id: mapVersionId, updated_at: now }).where('organization_id', '=', organizationId).where('id', '=', dateId).execute();
  },
  /** Lays a (date, section)'s inventory row out for its seats (or a standing area's capacity); kills and holds from the map's blocked seats. */
  async setSectionInventory(db: Db, organizationId: number, dateId: number, sectionId: number, values: { capacity: number; seats: number; kills: number; organizer_holds: number }) {
    await db.updateTable('section_capacities').set(values).where('organization_id', '=', organizationId).where('date_id', '=', dateId).where('section_id', '=', sectionId).execute();
  },
  /** Every seat of a date (for buyers, for the organizer). */
  dateSeats: (db: Db, dateId: number) => hot.dateSeats(db, { dateId }).then((r) => r.rows),
  /** Who has each seat of a date (id order): what availability reads again at each refresh. */
  dateSeatStates: (db: Db, dateId: number) => hot.dateSeatStates(db, { dateId }).then((r) => r.rows),
  /** Seats of a date by id, checked against the organization. */
  seatsOfDate(db: Db, organizationId: number, dateId: number, ids: number[]) {
    return db.selectFrom('event_seats').selectAll().where('organization_id', '=', organizationId).where('date_id', '=', dateId).where('id', 'in', ids).execute();
  },
  /**
   * Blocks (kill, hold) or unblocks seats that nobody holds or bought; returns those changed with the
   * section each was in, so the caller can keep the sections' inventory rows in step.
   */
  async setBlocked(db: Db, organizationId: number, dateId: number, ids: number[], blocked: 'kill' | 'hold' | null, now: string) {
    let query = db
      .updateTable('event_seats')
      .set({ blocked, cart_item_id: null, held_until: null })
      .where('organization_id', '=', organizationId)
      .where('date_id', '=', dateId)
      .where('id', 'in', ids);
    query = blocked === null ? query.where('blocked', 'is not', null) : query.where(takeable(now));
    return query.returning(['id', 'section_id']).execute();
  },
  async addBlocked(db: Db, organizationId: number, dateId: number, sectionId: number, kills: number, holds: number) {
    await db
      .updateTable('section_capacities')
      .set({ kills: sql`kills + ${kills}`, organizer_holds: sql`organizer_holds + ${holds}` })
      .where('organization_id', '=', organizationId)
      .where('date_id', '=', dateId)
      .where('section_id', '=', sectionId)
      .execute();
  },

  // ---- Selling (called inside the cart's, checkout's, payment's transactions) -----------------
  neverHeldSeats: (db: Db, dateId: number, sectionId: number, limit: number) => hot.neverHeldSeats(db, { dateId, sectionId, limit }).then((r) => r.rows),
  freeSeats: (db: Db, dateId: number, sectionId: number, now: string) => hot.freeSeats(db, { dateId, sectionId, now }).then((r) => r.rows),
  seatsById(db: Db, ids: number[]) {
    let statement = seatsByIdCache.get(ids.length);
    if (!statement) seatsByIdCache.set(ids.length, (statement = hot.seatsById(ids.length)));
    return statement(db, Object.fromEntries(ids.map((id, i) => [`id${i}`, id]))).then((r) => r.rows);
  },
  /** Binds the seats (distinct) to a hold if nobody else has any of them; returns the ids of those someone else has. */
  async claim(db: Db, seats: { ids: number[]; dateId: number; sectionId: number }, itemId: number, until: string | null, now: string): Promise<number[]> {
    const args: Record<string, unknown> = { dateId: seats.dateId, sectionId: seats.sectionId, itemId, until, now };
    seats.ids.forEach((id, r) => (args[`id.${r}`] = id));
    if (changedRows(await hot.claim(seats.ids.length)(db, args)) === seats.ids.length) return [];
    const bound = await db.selectFrom('event_seats').select(['id', 'cart_item_id']).where('id', 'in', seats.ids).execute();
    return seats.ids.filter((id) => bound.find((row) => row.id === id)?.cart_item_id !== itemId);
  },
  rearm: async (db: Db, itemId: number, until: string, now: string) => changedRows(await hot.rearm(db, { itemId, until, now })),
  sell: async (db: Db, itemId: number, now: string) => changedRows(await hot.sell(db, { itemId, now })),
  /** Frees the seats holds still have (removed item, cancelled or expired order). */
  async freeHeld(db: Db, itemIds: number[]) {
    if (itemIds.length === 0) return;
    await db.updateTable('event_seats').set({ cart_item_id: null, held_until: null }).where('cart_item_id', 'in', itemIds).where('held_until', 'is not', null).execute();
  },
  /** Frees sold seats (refunded tickets). */
  async freeSold(db: Db, seatIds: number[]) {
    if (seatIds.length === 0) return;
    await db.updateTable('event_seats').set({ cart_item_id: null, held_until: null }).where('id', 'in', seatIds).where('held_until', 'is', null).execute();
  },
  /** Writes the seat of each just-issued ticket. */
  async seatTicket(db: Db, ticketId: number, seatId: number, seat: string) {
    await db.updateTable('tickets').set({ seat_id: seatId, seat }).where('id', '=', ticketId).execute();
  },
};
