import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../db/database.ts';
import { containsPattern } from '../../db/fold.ts';
import { paged } from '../../db/paging.ts';
import type { Page } from '../pagination.ts';

/** An order on one key; `descending` for `sort=-key`. */
export interface Sort<K extends string> { key: K; descending: boolean }

/** Case- and accent-insensitive "contains" on a column (see db/fold.ts). */
const contains = (column: string, needle: string): Expression<SqlBool> =>
  sql<SqlBool>`guichet_fold(${sql.ref(column)}) like ${containsPattern(needle)} escape '\\'`;
const folded = (column: string) => sql`guichet_fold(${sql.ref(column)})`;

// Kysely cannot type ORDER BY expressions chosen at run time from a key map; the casts stay in this file.
/* eslint-disable @typescript-eslint/no-explicit-any */
function ordered(query: any, expressions: Record<string, unknown>, sort: Sort<string>, tieBreak: string) {
  const direction = sort.descending ? 'desc' : 'asc';
  return query.orderBy(expressions[sort.key], direction).orderBy(tieBreak, direction);
}

export interface PerformanceQuery {
  label?: string;
  city?: string;
  /** Local wall-clock bounds, `YYYY-MM-DDTHH:MM:SS`, inclusive. */
  from?: string;
  to?: string;
  seriesId?: number;
  /** Dates of one event (a production). */
  productionId?: number;
  venueId?: number;
  dateId?: number;
  /** Only dates held at a venue (the date's or its event's). */
  withVenue?: boolean;
}

/**
 * Read-side SQL for partner directories (the Pims dialect first): performances (event dates) with
 * their event and venue, series and multi-date productions, venues, sections, tariffs and sales
 * channels, with case- and accent-insensitive text filters and sorts. Every query is confined to
 * one organization.
 */
export const directoryRepository = {
  async performances(db: Db, organizationId: number, filter: PerformanceQuery, sort: Sort<'label' | 'datetime' | 'venue_label' | 'city'>, page: Page) {
    let query = (db as any)
      .selectFrom('event_dates as d')
      .innerJoin('events as e', 'e.id', 'd.event_id')
      .leftJoin('venues as v', (join: any) => join.on(sql`v.id = coalesce(d.venue_id, e.venue_id)`))
      .where('d.organization_id', '=', organizationId)
      .where('e.organization_id', '=', organizationId);
    if (filter.dateId !== undefined) query = query.where('d.id', '=', filter.dateId);
    if (filter.label) query = query.where(contains('e.title', filter.label));
    if (filter.city) query = query.where(contains('v.city', filter.city));
    if (filter.from) query = query.where('d.local_starts_at', '>=', filter.from);
    if (filter.to) query = query.where('d.local_starts_at', '<=', filter.to);
    if (filter.seriesId !== undefined) query = query.where('e.series_id', '=', filter.seriesId);
    if (filter.productionId !== undefined) query = query.where('e.id', '=', filter.productionId);
    if (filter.venueId !== undefined) query = query.where(sql`coalesce(d.venue_id, e.venue_id)`, '=', filter.venueId);
    if (filter.withVenue) query = query.where('v.id', 'is not', null);
    const orders = { label: folded('e.title'), datetime: sql.ref('d.local_starts_at'), venue_label: folded('v.name'), city: folded('v.city') };
    return paged(query, page, (q: any) =>
      ordered(
        q.select([
          'd.id', 'd.event_id', 'd.starts_at', 'd.local_starts_at', 'd.status', 'd.created_at', 'd.updated_at',
          'e.title', 'e.series_id', 'e.time_zone', 'e.status as event_status', 'e.sale_starts_at',
          'e.created_at as event_created_at', 'e.updated_at as event_updated_at',
          'v.id as venue_id', 'v.name as venue_name', 'v.kind as venue_kind', 'v.address_line1 as venue_address_line1',
          'v.address_line2 as venue_address_line2', 'v.zip as venue_zip', 'v.city as venue_city', 'v.country_code as venue_country_code',
          'v.created_at as venue_created_at', 'v.updated_at as venue_updated_at',
          sql<number>`(select count(*) from event_dates d2 where d2.event_id = e.id)`.as('date_count'),
          sql<number | null>`(select sum(sc.capacity) from section_capacities sc where sc.date_id = d.id)`.as('capacity'),
          sql<number>`(select count(*) from tariffs t where t.event_id = e.id)`.as('tariff_count'),
          sql<number | null>`(select max(t.price) from tariffs t where t.event_id = e.id)`.as('max_price'),
          sql<string | null>`(select min(t.currency) from tariffs t where t.event_id = e.id)`.as('currency'),
          // A pre-sale: a tariff whose own sale opens before the event's general sale.
          sql<Stamp | null>`(select min(t.sale_starts_at) from tariffs t where t.event_id = e.id and t.sale_starts_at < e.sale_starts_at)`.as('presale_starts_at'),
          // Sold out: nothing left to sell on any section of the date; it happened with the last ticket issued.
          sql<Stamp | null>`(case when (select sum(sc.capacity - sc.kills - sc.organizer_holds - sc.taken) from section_capacities sc where sc.date_id = d.id) <= 0
            then (select max(tk.created_at) from tickets tk where tk.date_id = d.id) end)`.as('sold_out_at'),
        ]),
        orders,
        sort,
        'd.id',
      ),
    ) as Promise<{ rows: PerformanceRow[]; total: number }>;
  },

  /** Series, plus events with several dates that belong to no series ("productions"), as one list. */
  async groupings(
    db: Db,
    organizationId: number,
    filter: { label?: string; from?: string; to?: string; kind?: string; source?: 'series' | 'production'; id?: number },
    sort: Sort<'label' | 'first_date' | 'last_date'>,
    page: Page,
  ) {
    const localDay = (bound: 'min' | 'max', where: ReturnType<typeof sql>) =>
      sql<string | null>`(select ${sql.raw(bound)}(substr(d.local_starts_at, 1, 10)) from event_dates d inner join events e2 on e2.id = d.event_id where ${where})`;
    const series = (db as any)
      .selectFrom('series as s')
      .where('s.organization_id', '=', organizationId)
      .select([
        sql<string>`'series'`.as('source'), 's.id', 's.kind', 's.label',
        sql<string | null>`coalesce(s.first_date, ${localDay('min', sql`e2.series_id = s.id`)})`.as('first_date'),
        sql<string | null>`coalesce(s.last_date, ${localDay('max', sql`e2.series_id = s.id`)})`.as('last_date'),
        's.venue_id', 's.created_at', 's.updated_at',
      ]);
    let productions = (db as any).selectFrom('events as e').where('e.organization_id', '=', organizationId);
    // Listed: the productions that belong to no series. Read by id: any event with several dates
    // (a promotion on one event of a series names it so).
    if (!(filter.source === 'production' && filter.id !== undefined)) productions = productions.where('e.series_id', 'is', null);
    productions = productions
      .where(sql`(select count(*) from event_dates d where d.event_id = e.id)`, '>', 1)
      .select([
        sql<string>`'production'`.as('source'), 'e.id',
        sql<string>`case when (select count(distinct coalesce(d.venue_id, e.venue_id)) from event_dates d where d.event_id = e.id) > 1 then 'tour' else 'long_run' end`.as('kind'),
        'e.title as label',
        localDay('min', sql`e2.id = e.id`).as('first_date'),
        localDay('max', sql`e2.id = e.id`).as('last_date'),
        sql<number | null>`case when (select count(distinct coalesce(d.venue_id, e.venue_id)) from event_dates d where d.event_id = e.id) > 1 then null else e.venue_id end`.as('venue_id'),
        'e.created_at', 'e.updated_at',
      ]);
    let query = (db as any).selectFrom(series.unionAll(productions).as('g'));
    if (filter.source) query = query.where('g.source', '=', filter.source);
    if (filter.id !== undefined) query = query.where('g.id', '=', filter.id);
    if (filter.label) query = query.where(contains('g.label', filter.label));
    if (filter.kind) query = query.where('g.kind', '=', filter.kind);
    if (filter.from) query = query.where('g.last_date', '>=', filter.from);
    if (filter.to) query = query.where('g.first_date', '<=', filter.to);
    const orders = { label: folded('g.label'), first_date: sql.ref('g.first_date'), last_date: sql.ref('g.last_date') };
    return paged(query, page, (q: any) => ordered(q.selectAll(), orders, sort, 'g.id')) as Promise<{ rows: GroupingRow[]; total: number }>;
  },

  async venues(db: Db, organizationId: number, filter: { label?: string; city?: string; countryCode?: string; kind?: string; ids?: number[] }, sort: Sort<'label' | 'city' | 'country'>, page: Page) {
    let query = (db as any).selectFrom('venues').where('organization_id', '=', organizationId);
    if (filter.ids) query = query.where('id', 'in', filter.ids);
    if (filter.label) query = query.where(contains('name', filter.label));
    if (filter.city) query = query.where(contains('city', filter.city));
    if (filter.countryCode) query = query.where('country_code', '=', filter.countryCode.toUpperCase());
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    const orders = { label: folded('name'), city: folded('city'), country: sql.ref('country_code') };
    return paged(query, page, (q: any) => ordered(q.selectAll(), orders, sort, 'id')) as Promise<{ rows: VenueRow[]; total: number }>;
  },

  async sections(db: Db, organizationId: number, filter: { label?: string; id?: number }, sort: Sort<'label' | 'order'>, page: Page) {
    let query = (db as any).selectFrom('sections').where('organization_id', '=', organizationId);
    if (filter.id !== undefined) query = query.where('id', '=', filter.id);
    if (filter.label) query = query.where(contains('name', filter.label));
    const orders = { label: folded('name'), order: sql.ref('position') };
    return paged(query, page, (q: any) => ordered(q.selectAll(), orders, sort, 'id')) as Promise<{ rows: SectionRow[]; total: number }>;
  },

  async tariffs(db: Db, organizationId: number, filter: { label?: string; id?: number }, sort: Sort<'label'>, page: Page) {
    let query = (db as any).selectFrom('tariffs').where('organization_id', '=', organizationId);
    if (filter.id !== undefined) query = query.where('id', '=', filter.id);
    if (filter.label) query = query.where(contains('label', filter.label));
    return paged(query, page, (q: any) => ordered(q.selectAll(), { label: folded('label') }, sort, 'id')) as Promise<{ rows: TariffRow[]; total: number }>;
  },

  /** The dates of some events, in start order. */
  eventDates(db: Db, organizationId: number, eventIds: number[]) {
    if (eventIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('event_dates').select(['id', 'event_id']).where('organization_id', '=', organizationId).where('event_id', 'in', eventIds).orderBy('starts_at').orderBy('id').execute();
  },

  async channels(db: Db, organizationId: number, filter: { label?: string; id?: number; onlyActive: boolean }, sort: Sort<'label'>, page: Page) {
    let query = (db as any).selectFrom('sales_channels').where('organization_id', '=', organizationId);
    if (filter.id !== undefined) query = query.where('id', '=', filter.id);
    if (filter.onlyActive) query = query.where('active', '=', 1);
    if (filter.label) query = query.where(contains('name', filter.label));
    return paged(query, page, (q: any) => ordered(q.selectAll(), { label: folded('name') }, sort, 'id')) as Promise<{ rows: ChannelRow[]; total: number }>;
  },
};
/* eslint-enable @typescript-eslint/no-explicit-any */

type Stamp = Date | string;
export interface PerformanceRow {
  id: number; event_id: number; starts_at: Stamp; local_starts_at: string | null; status: string; created_at: Stamp; updated_at: Stamp;
  title: string; series_id: number | null; time_zone: string; event_status: string; sale_starts_at: Stamp | null;
  event_created_at: Stamp; event_updated_at: Stamp;
  venue_id: number | null; venue_name: string | null; venue_kind: string | null; venue_address_line1: string | null; venue_address_line2: string | null;
  venue_zip: string | null; venue_city: string | null; venue_country_code: string | null; venue_created_at: Stamp | null; venue_updated_at: Stamp | null;
  date_count: number | string; capacity: number | string | null; tariff_count: number | string; max_price: number | string | null; currency: string | null;
  presale_starts_at: Stamp | null; sold_out_at: Stamp | null;
}
export interface GroupingRow {
  source: 'series' | 'production'; id: number; kind: string; label: string; first_date: string | null; last_date: string | null;
  venue_id: number | null; created_at: Stamp; updated_at: Stamp;
}
export interface VenueRow {
  id: number; name: string; kind: string; address_line1: string | null; address_line2: string | null; zip: string | null; city: string;
  country_code: string; created_at: Stamp; updated_at: Stamp;
}
export interface SectionRow { id: number; event_id: number; name: string; description: string | null; capacity: number; position: number; created_at: Stamp; updated_at: Stamp }
export interface TariffRow { id: number; event_id: number; section_id: number; label: string; price: number; currency: string; position: number; created_at: Stamp; updated_at: Stamp }
export interface ChannelRow { id: number; name: string; kind: string; active: number; created_at: Stamp; updated_at: Stamp }
