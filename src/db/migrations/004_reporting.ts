import { sql } from 'kysely';
import type { Db, Engine } from '../database.ts';
import type { Migration } from '../migrator.ts';
import { columnTypes, tenantOwned, withId, withTimestamps, type Builder } from './builders.ts';

/**
 * Reporting: sales tallies (the aggregates ticket counts read), entered ticket counts for external
 * channels, comps on the inventory row, promotions and their costs, background jobs (exports).
 */
export const reporting: Migration = {
  version: 4,
  name: 'reporting',
  async up(db: Db, engine: Engine) {
    const { instant } = columnTypes(engine);
    const s = db.schema;
    const create = (name: string) => withId(engine, s.createTable(name) as unknown as Builder);

    // A channel Guichet does not sell through (a reseller, a partner box office): its counts are entered by staff.
    await s.alterTable('sales_channels').addColumn('external', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    // Comps issued on the inventory row (a part of `taken`), kept by the guest service in the same transaction.
    await s.alterTable('section_capacities').addColumn('comps', 'integer', (c) => c.notNull().defaultTo(0)).execute();

    // Sales tallies: what was sold and refunded per date × channel × tariff × day (event-local day),
    // maintained by the payment and refund transactions. `slot` spreads one tally over a few rows so
    // that concurrent buyers do not queue on one row lock (PostgreSQL); readers sum the slots.
    await s
      .createTable('sales_tallies')
      .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('date_id', 'integer', (c) => c.notNull().references('event_dates.id').onDelete('cascade'))
      .addColumn('channel_id', 'integer', (c) => c.notNull().references('sales_channels.id').onDelete('cascade'))
      .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id').onDelete('cascade'))
      .addColumn('tariff_id', 'integer', (c) => c.notNull().references('tariffs.id').onDelete('cascade'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('slot', 'integer', (c) => c.notNull())
      .addColumn('sold', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('refunded', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('gross', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('refunded_gross', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('currency', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('sales_tallies_pk', ['date_id', 'channel_id', 'tariff_id', 'day', 'slot'])
      .execute();
    // The reports read an event's tallies by day range in this order, so grouping needs no sort.
    // The counters are left out of it: updating them never touches the index (HOT updates on PostgreSQL).
    await s
      .createIndex('sales_tallies_event_day')
      .on('sales_tallies')
      .columns(['event_id', 'day', 'date_id', 'channel_id', 'section_id', 'tariff_id'])
      .execute();

    // Ticket counts: the header of a dated figure. `auto` counts (Guichet's channels) are one per
    // date and day, their figures read from the tallies; `entered` counts carry their own lines.
    await withTimestamps(engine, tenantOwned(create('ticket_counts')))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('date_id', 'integer', (c) => c.notNull().references('event_dates.id').onDelete('cascade'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('comment', 'text')
      .addColumn('approved', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('final', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('entered_by', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
      .addColumn('approved_by', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
      .addColumn('approved_at', instant)
      .execute();
    await s.createIndex('ticket_counts_event_day').on('ticket_counts').columns(['event_id', 'day']).execute();
    await sql`create unique index ticket_counts_auto on ticket_counts (date_id, day) where source = 'auto'`.execute(db);
    await tenantOwned(create('ticket_count_lines'))
      .addColumn('ticket_count_id', 'integer', (c) => c.notNull().references('ticket_counts.id').onDelete('cascade'))
      .addColumn('channel_id', 'integer', (c) => c.notNull().references('sales_channels.id').onDelete('cascade'))
      .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id').onDelete('cascade'))
      .addColumn('tariff_id', 'integer', (c) => c.notNull().references('tariffs.id').onDelete('cascade'))
      .addColumn('sales', 'integer', (c) => c.notNull())
      .addColumn('reservations', 'integer')
      .addColumn('gross', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('ticket_count_lines_count').on('ticket_count_lines').column('ticket_count_id').execute();

    // Promotions: marketing actions and what they cost, applied to events and series.
    await withTimestamps(engine, tenantOwned(create('promotions')))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('supplier', 'text')
      .addColumn('starts_on', 'text')
      .addColumn('ends_on', 'text')
      .addColumn('cost_type', 'text', (c) => c.notNull())
      .addColumn('cost_state', 'text')
      .addColumn('quantity', 'integer')
      .addColumn('unit_cost', 'bigint')
      .addColumn('valued_quantity', 'integer')
      .addColumn('valued_unit_cost', 'bigint')
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('comments', 'text')
      .execute();
    await s.createIndex('promotions_organization').on('promotions').columns(['organization_id', 'starts_on']).execute();
    await tenantOwned(create('promotion_targets'))
      .addColumn('promotion_id', 'integer', (c) => c.notNull().references('promotions.id').onDelete('cascade'))
      .addColumn('event_id', 'integer', (c) => c.references('events.id').onDelete('cascade'))
      .addColumn('series_id', 'integer', (c) => c.references('series.id').onDelete('cascade'))
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('unit_cost', 'bigint', (c) => c.notNull())
      .addColumn('valued_quantity', 'integer')
      .addColumn('valued_unit_cost', 'bigint')
      .execute();
    await s.createIndex('promotion_targets_promotion').on('promotion_targets').column('promotion_id').execute();
    await s.createIndex('promotion_targets_event').on('promotion_targets').column('event_id').execute();
    await s.createIndex('promotion_targets_series').on('promotion_targets').column('series_id').execute();

    // Background jobs (CSV exports): claimed with a conditional update, so each runs once.
    await tenantOwned(create('jobs'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('total', 'integer')
      .addColumn('file', 'text')
      .addColumn('error', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('runner', 'text')
      .addColumn('requested_by', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
      .addColumn('created_at', instant, (c) => c.notNull())
      .addColumn('started_at', instant)
      .addColumn('finished_at', instant)
      .execute();
    await s.createIndex('jobs_status').on('jobs').columns(['status', 'id']).execute();

    await backfill(db);
  },
};

/**
 * Sales and comps made before this migration: comps counted from issued guests; tallies from paid
 * order lines, sold on their payment day, refunded on the day of the order's last refund (earlier
 * data does not say which refund took which ticket). One slot: they are history, not contended.
 */
export async function backfill(db: Db) {
  await sql`update section_capacities set comps = coalesce((select sum(g.quantity) from guests g where g.capacity_id = section_capacities.id and g.status = 'issued'), 0)`.execute(db);
  const lines = await db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .innerJoin('events as e', 'e.id', 'l.event_id')
    .select(['l.organization_id', 'l.event_id', 'l.date_id', 'l.channel_id', 'l.section_id', 'l.tariff_id', 'l.quantity', 'l.total', 'l.refunded_quantity', 'o.currency', 'o.paid_at', 'e.time_zone', 'o.id as order_id'])
    .where('o.paid_at', 'is not', null)
    .execute();
  if (lines.length === 0) return;
  const lastRefund = new Map(
    (await db.selectFrom('refunds').select(['order_id', (eb) => eb.fn.max('created_at').as('at')]).groupBy('order_id').execute()).map((r) => [r.order_id, r.at]),
  );
  const tallies = new Map<string, { organization_id: number; event_id: number; date_id: number; channel_id: number; section_id: number; tariff_id: number; day: string; slot: number; sold: number; refunded: number; gross: number; refunded_gross: number; currency: string }>();
  const add = (l: (typeof lines)[number], at: Date | string, figures: { sold: number; refunded: number; gross: number; refundedGross: number }) => {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: l.time_zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
    const key = `${l.date_id}:${l.channel_id}:${l.tariff_id}:${day}`;
    const entry = tallies.get(key) ?? {
      organization_id: l.organization_id, event_id: l.event_id, date_id: l.date_id, channel_id: l.channel_id, section_id: l.section_id, tariff_id: l.tariff_id,
      day, slot: 0, sold: 0, refunded: 0, gross: 0, refunded_gross: 0, currency: l.currency,
    };
    entry.sold += figures.sold;
    entry.refunded += figures.refunded;
    entry.gross += figures.gross;
    entry.refunded_gross += figures.refundedGross;
    tallies.set(key, entry);
  };
  for (const l of lines) {
    add(l, l.paid_at!, { sold: l.quantity, refunded: 0, gross: l.total, refundedGross: 0 });
    const refundedAt = lastRefund.get(l.order_id);
    if (l.refunded_quantity > 0 && refundedAt) {
      add(l, refundedAt as Date | string, { sold: 0, refunded: l.refunded_quantity, gross: 0, refundedGross: Math.floor((l.total * l.refunded_quantity) / l.quantity) });
    }
  }
  const rows = [...tallies.values()];
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('sales_tallies').values(rows.slice(i, i + 500)).execute();
}
