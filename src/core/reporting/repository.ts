import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { TicketCountLinesTable, TicketCountsTable } from '../../db/tables.ts';
import { paged } from '../../db/paging.ts';
import type { Page } from '../pagination.ts';

export type TicketCountRow = Selectable<TicketCountsTable>;
export type TicketCountLineRow = Selectable<TicketCountLinesTable>;

export interface CountFilter {
  dateId?: number;
  from?: string;
  to?: string;
  includeUnapproved?: boolean;
  /** Latest day first. */
  descending?: boolean;
}

/** A figure of one channel × section × tariff. */
export interface FigureRow {
  date_id: number;
  day: string;
  channel_id: number;
  section_id: number;
  tariff_id: number;
  sales: number;
  gross: number;
  currency: string;
}

/** The SQL of reporting. Every query takes the organization. */
/** Net sales (sold − refunded) and net gross of the tallies of some dates over a day range; callers group them. */
function netTallies(db: Db, organizationId: number, eventId: number, dateIds: number[], fromDay: string, toDay: string) {
  return db
    .selectFrom('sales_tallies')
    .select([
      sql<string>`min(currency)`.as('currency'),
      sql<number>`sum(sold) - sum(refunded)`.as('sales'),
      sql<number>`sum(gross) - sum(refunded_gross)`.as('gross'),
    ])
    .where('organization_id', '=', organizationId)
    .where('event_id', '=', eventId)
    .where('date_id', 'in', dateIds)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay);
}

export const reportingRepository = {
  /** The latest day that already has an automatic count for the event ('' when none). */
  async lastAutoDay(db: Db, organizationId: number, eventId: number): Promise<string> {
    const row = await db
      .selectFrom('ticket_counts')
      .select((eb) => eb.fn.max('day').as('day'))
      .where('organization_id', '=', organizationId)
      .where('event_id', '=', eventId)
      .where('source', '=', 'auto')
      .executeTakeFirst();
    return (row?.day as string | null) ?? '';
  },
  /** (date, day) pairs with sales movements from `sinceDay` on. */
  tallyDays(db: Db, organizationId: number, eventId: number, sinceDay: string) {
    return db
      .selectFrom('sales_tallies')
      .select(['date_id', 'day'])
      .distinct()
      .where('organization_id', '=', organizationId)
      .where('event_id', '=', eventId)
      .where('day', '>=', sinceDay)
      .execute();
  },
  autoCountsOn(db: Db, organizationId: number, eventId: number, sinceDay: string) {
    return db
      .selectFrom('ticket_counts')
      .select(['date_id', 'day'])
      .where('organization_id', '=', organizationId)
      .where('event_id', '=', eventId)
      .where('source', '=', 'auto')
      .where('day', '>=', sinceDay)
      .execute();
  },
  async insertAutoCounts(db: Db, values: Insertable<TicketCountsTable>[]) {
    if (values.length === 0) return;
    // A concurrent reader may have created the same count: the unique index keeps one.
    for (let i = 0; i < values.length; i += 200) {
      await db.insertInto('ticket_counts').values(values.slice(i, i + 200)).onConflict((oc) => oc.doNothing()).execute();
    }
  },
  /**
   * Folds the slots of an event's past days into slot 0. Movements land on the current day only, so
   * past days' rows are no longer contended: one row each is enough, and reads get up to 8× fewer rows.
   * A sale committing just after midnight on yesterday's rows is still counted (readers sum every slot).
   */
  async foldPastSlots(db: Db, organizationId: number, eventId: number, beforeDay: string) {
    await sql`
      insert into sales_tallies (organization_id, event_id, date_id, channel_id, section_id, tariff_id, day, slot, sold, refunded, gross, refunded_gross, currency)
      select organization_id, event_id, date_id, channel_id, section_id, tariff_id, day, 0, sum(sold), sum(refunded), sum(gross), sum(refunded_gross), min(currency)
      from sales_tallies
      where organization_id = ${organizationId} and event_id = ${eventId} and day < ${beforeDay} and slot > 0
      group by organization_id, event_id, date_id, channel_id, section_id, tariff_id, day
      on conflict (date_id, channel_id, tariff_id, day, slot) do update set
        sold = sales_tallies.sold + excluded.sold, refunded = sales_tallies.refunded + excluded.refunded,
        gross = sales_tallies.gross + excluded.gross, refunded_gross = sales_tallies.refunded_gross + excluded.refunded_gross`.execute(db);
    await db.deleteFrom('sales_tallies').where('organization_id', '=', organizationId).where('event_id', '=', eventId).where('day', '<', beforeDay).where('slot', '>', 0).execute();
  },
  listCounts(db: Db, organizationId: number, eventId: number, page: Page, filter: CountFilter) {
    let query = db.selectFrom('ticket_counts').where('organization_id', '=', organizationId).where('event_id', '=', eventId);
    if (filter.dateId !== undefined) query = query.where('date_id', '=', filter.dateId);
    if (filter.from) query = query.where('day', '>=', filter.from);
    if (filter.to) query = query.where('day', '<=', filter.to);
    if (!filter.includeUnapproved) query = query.where('approved', '=', 1);
    const direction = filter.descending ? 'desc' : 'asc';
    return paged(query, page, (q) => q.selectAll().orderBy('day', direction).orderBy('date_id', direction).orderBy('id', direction));
  },
  count(db: Db, organizationId: number, eventId: number, id: number) {
    return db.selectFrom('ticket_counts').selectAll().where('organization_id', '=', organizationId).where('event_id', '=', eventId).where('id', '=', id).executeTakeFirst();
  },
  /** Net sales and gross of the automatic counts of some dates over a day range, per channel × tariff. */
  async autoFigures(db: Db, organizationId: number, eventId: number, dateIds: number[], fromDay: string, toDay: string): Promise<FigureRow[]> {
    if (dateIds.length === 0) return [];
    const rows = await netTallies(db, organizationId, eventId, dateIds, fromDay, toDay)
      .select(['date_id', 'day', 'channel_id', 'section_id', 'tariff_id'])
      // In the index's order (a tariff has one currency): no sort needed.
      .groupBy(['day', 'date_id', 'channel_id', 'section_id', 'tariff_id'])
      .execute();
    return rows.map((r) => ({ ...r, sales: Number(r.sales), gross: Number(r.gross) }));
  },
  /** Net sales and gross of the automatic counts of some dates over a day range, per date and day only (the summary view). */
  async autoTotals(db: Db, organizationId: number, eventId: number, dateIds: number[], fromDay: string, toDay: string): Promise<(Omit<FigureRow, 'channel_id' | 'section_id' | 'tariff_id'>)[]> {
    if (dateIds.length === 0) return [];
    const rows = await netTallies(db, organizationId, eventId, dateIds, fromDay, toDay).select(['date_id', 'day']).groupBy(['day', 'date_id']).execute();
    return rows.map((r) => ({ ...r, sales: Number(r.sales), gross: Number(r.gross) }));
  },
  /** Places held right now (live carts and orders awaiting payment) per date × channel × tariff. */
  async liveReservations(db: Db, organizationId: number, dateIds: number[], now: string) {
    if (dateIds.length === 0) return [];
    // Through the inventory rows of the dates: holds are indexed by inventory row and status.
    const rows = await db
      .selectFrom('section_capacities as c')
      .innerJoin('cart_items', 'cart_items.capacity_id', 'c.id')
      .innerJoin('carts', 'carts.id', 'cart_items.cart_id')
      .select(['cart_items.date_id', 'carts.channel_id', 'cart_items.section_id', 'cart_items.tariff_id', 'cart_items.currency', sql<number>`sum(cart_items.quantity)`.as('n')])
      .where('c.organization_id', '=', organizationId)
      .where('c.date_id', 'in', dateIds)
      .where('cart_items.status', '=', 'held')
      .where('cart_items.expires_at', '>', now)
      .groupBy(['cart_items.date_id', 'carts.channel_id', 'cart_items.section_id', 'cart_items.tariff_id', 'cart_items.currency'])
      .execute();
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  },
  countLines(db: Db, countIds: number[]): Promise<TicketCountLineRow[]> {
    if (countIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('ticket_count_lines').selectAll().where('ticket_count_id', 'in', countIds).orderBy('id').execute();
  },
  insertCount(db: Db, values: Insertable<TicketCountsTable>) {
    return db.insertInto('ticket_counts').values(values).returningAll().executeTakeFirstOrThrow();
  },
  async replaceLines(db: Db, countId: number, lines: Insertable<TicketCountLinesTable>[]) {
    await db.deleteFrom('ticket_count_lines').where('ticket_count_id', '=', countId).execute();
    if (lines.length > 0) await db.insertInto('ticket_count_lines').values(lines).execute();
  },
  updateCount(db: Db, organizationId: number, id: number, values: Partial<Insertable<TicketCountsTable>>, onlyUnapproved: boolean) {
    let query = db.updateTable('ticket_counts').set(values).where('organization_id', '=', organizationId).where('id', '=', id);
    if (onlyUnapproved) query = query.where('approved', '=', 0);
    return query.returningAll().executeTakeFirst();
  },
  async deleteCount(db: Db, organizationId: number, id: number) {
    const result = await db.deleteFrom('ticket_counts').where('organization_id', '=', organizationId).where('id', '=', id).where('source', '=', 'entered').where('approved', '=', 0).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  },
};
