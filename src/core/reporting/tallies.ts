import { sql, type Insertable } from 'kysely';
import { placeholderRow, prepared } from '../../db/prepared.ts';
import type { SalesTalliesTable } from '../../db/tables.ts';
import { dayIn } from '../catalog/local-time.ts';
import type { Database, Db } from '../../db/database.ts';
import { TtlCache } from '../cache.ts';

/**
 * Sales tallies: the aggregates ticket counts are read from, kept exact by the transactions that
 * change sales (payment, refund). One upsert per order line at most (one per order for a sale), on
 * a row chosen by (date, channel, tariff, event-local day, slot). The slot (order id modulo
 * SLOTS) spreads one busy tally over a few rows on PostgreSQL, so concurrent buyers of the same
 * tariff do not queue on one row lock; readers sum the slots. SQLite has one writer at a time
 * anyway: one slot.
 */
export const TALLY_SLOTS = 8;

export interface TallyLine {
  event_id: number;
  date_id: number;
  channel_id: number;
  section_id: number;
  tariff_id: number;
}


const TALLY_COLUMNS = ['organization_id', 'event_id', 'date_id', 'channel_id', 'section_id', 'tariff_id', 'day', 'slot', 'sold', 'refunded', 'gross', 'refunded_gross', 'currency'] as const;
// A tally row is one (date, channel, tariff, local day, slot); a sale adds to it.
const TALLY_KEY = ['date_id', 'channel_id', 'tariff_id', 'day', 'slot'] as const;
const addToTally = {
  sold: sql<number>`sales_tallies.sold + excluded.sold`,
  refunded: sql<number>`sales_tallies.refunded + excluded.refunded`,
  gross: sql<number>`sales_tallies.gross + excluded.gross`,
  refunded_gross: sql<number>`sales_tallies.refunded_gross + excluded.refunded_gross`,
};
const addOneTally = prepared((db, p: Insertable<SalesTalliesTable>) =>
  db
    .insertInto('sales_tallies')
    .values(placeholderRow(p, TALLY_COLUMNS) as Insertable<SalesTalliesTable>)
    .onConflict((oc) => oc.columns(TALLY_KEY).doUpdateSet(addToTally)),
);

/**
 * PostgreSQL: the same upsert as `recordSale`'s, of rows given as a JSON array (`saleRows`), as one
 * part of a data-modifying CTE that writes a whole order (sellingRepository.placePaidOrder).
 */
export const addTalliesFromJson = (rows: string) => {
  const columns = sql.join(TALLY_COLUMNS.map((c) => sql.ref(c)));
  const added = sql.join(Object.entries(addToTally).map(([column, value]) => sql`${sql.ref(column)} = ${value}`));
  return sql`insert into sales_tallies (${columns}) select ${columns} from json_populate_recordset(null::sales_tallies, ${rows}::json) on conflict (${sql.join(TALLY_KEY.map((c) => sql.ref(c)))}) do update set ${added}`;
};

export function salesTallies(database: Database, clock: () => Date) {
  const slots = database.engine === 'postgres' ? TALLY_SLOTS : 1;
  // An event's time zone almost never changes; a sale made in the minute after a change may be
  // tallied on the day of the old zone.
  const zones = new TtlCache<number, string>(60_000, clock);

  async function zoneOf(db: Db, eventId: number): Promise<string> {
    const cached = zones.get(eventId);
    if (cached) return cached;
    const row = await db.selectFrom('events').select('time_zone').where('id', '=', eventId).executeTakeFirstOrThrow();
    zones.set(eventId, row.time_zone);
    return row.time_zone;
  }

  /** The tally rows a change of sales adds to (merged per row: PostgreSQL refuses to update one row twice in one INSERT … ON CONFLICT). */
  async function rowsOf(
    db: Db,
    organizationId: number,
    orderId: number,
    at: Date,
    currency: string,
    rows: { line: TallyLine; sold: number; refunded: number; gross: number; refundedGross: number }[],
  ): Promise<Insertable<SalesTalliesTable>[]> {
    const merged = new Map<string, (typeof rows)[number] & { day: string }>();
    for (const row of rows) {
      const day = dayIn(await zoneOf(db, row.line.event_id), at);
      const key = `${row.line.date_id}:${row.line.channel_id}:${row.line.tariff_id}:${day}`;
      const entry = merged.get(key);
      if (entry) {
        entry.sold += row.sold;
        entry.refunded += row.refunded;
        entry.gross += row.gross;
        entry.refundedGross += row.refundedGross;
      } else merged.set(key, { ...row, day });
    }
    const slot = orderId % slots;
    return [...merged.values()].map((r) => ({
      organization_id: organizationId,
      event_id: r.line.event_id,
      date_id: r.line.date_id,
      channel_id: r.line.channel_id,
      section_id: r.line.section_id,
      tariff_id: r.line.tariff_id,
      day: r.day,
      slot,
      sold: r.sold,
      refunded: r.refunded,
      gross: r.gross,
      refunded_gross: r.refundedGross,
      currency,
    }));
  }

  async function add(...args: Parameters<typeof rowsOf>) {
    const rows = await rowsOf(...args);
    if (rows.length === 0) return;
    const [trx] = args;
    if (rows.length === 1) {
      // An order of one tariff (the usual case): the prepared one-row statement.
      await addOneTally(trx, rows[0]);
      return;
    }
    await trx.insertInto('sales_tallies').values(rows).onConflict((oc) => oc.columns(TALLY_KEY).doUpdateSet(addToTally)).execute();
  }

  return {
    /** A paid order: its lines are sold, for their totals (after discounts). One statement per order. */
    recordSale(trx: Db, order: { id: number; organization_id: number; currency: string }, lines: (TallyLine & { quantity: number; total: number })[], at: Date) {
      return add(trx, order.organization_id, order.id, at, order.currency, lines.map((line) => ({ line, sold: line.quantity, refunded: 0, gross: line.total, refundedGross: 0 })));
    },
    /** The rows `recordSale` would add to, for a statement that writes a whole order at once (see `addTalliesFromJson`). */
    saleRows(db: Db, order: { id: number; organization_id: number; currency: string }, lines: (TallyLine & { quantity: number; total: number })[], at: Date) {
      return rowsOf(db, order.organization_id, order.id, at, order.currency, lines.map((line) => ({ line, sold: line.quantity, refunded: 0, gross: line.total, refundedGross: 0 })));
    },
    /** Tickets refunded from an order's lines, with the amount each line gives back; counted on the refund's day. */
    recordRefund(trx: Db, order: { id: number; organization_id: number; currency: string }, refunds: { line: TallyLine; quantity: number; amount: number }[], at: Date) {
      return add(trx, order.organization_id, order.id, at, order.currency, refunds.map((r) => ({ line: r.line, sold: 0, refunded: r.quantity, gross: 0, refundedGross: r.amount })));
    },
    zoneOf,
  };
}

export type SalesTallies = ReturnType<typeof salesTallies>;
