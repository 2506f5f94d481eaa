import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { SalesChannelsTable, Tables } from '../../db/tables.ts';
import { paged } from '../../db/paging.ts';
import { platformTable, tenantTable } from '../../db/table-access.ts';
import type { Page } from '../pagination.ts';

/** A change of a section's places on one date by number (undefined: unchanged). */
export interface PlacesChange { capacity?: number; kills?: number; organizerHolds?: number }

export const venues = tenantTable('venues');
export const series = tenantTable('series');
export const channels = tenantTable('sales_channels');
export const events = tenantTable('events');
export const eventDates = tenantTable('event_dates');
export const sections = tenantTable('sections');
export const tariffs = tenantTable('tariffs');
export const sectionCapacities = tenantTable('section_capacities');
export const regions = platformTable('regions');
export const categories = platformTable('event_categories');

/** The events of an organization that pass a list's filters (no order, no page). */
function filteredEvents(db: Db, organizationId: number, filter: EventListFilter) {
  let query = db.selectFrom('events').where('events.organization_id', '=', organizationId);
  if (filter.onlyListed) query = query.where('events.status', '=', 'listed').where('events.is_public', '=', 1);
  if (filter.status) query = query.where('events.status', '=', filter.status);
  if (filter.seriesId) query = query.where('events.series_id', '=', filter.seriesId);
  if (filter.venueId) query = query.where('events.venue_id', '=', filter.venueId);
  if (filter.isPublic !== undefined) query = query.where('events.is_public', '=', filter.isPublic ? 1 : 0);
  if (filter.title) query = query.where((eb) => eb(eb.fn('lower', ['events.title']), 'like', `%${filter.title!.toLowerCase().replace(/[%_]/g, '')}%`));
  if (filter.regionId) {
    const regionId = filter.regionId;
    query = query.where('events.venue_id', 'in', (eb) => eb.selectFrom('venues').select('venues.id').where('venues.organization_id', '=', organizationId).where('venues.region_id', '=', regionId));
  }
  if (filter.sectionId) {
    const sectionId = filter.sectionId;
    query = query.where('events.id', 'in', (eb) => eb.selectFrom('sections').select('sections.event_id').where('sections.organization_id', '=', organizationId).where('sections.id', '=', sectionId));
  }
  // Active: not over yet (some date ends, or starts, at or after now).
  if (filter.activeAt) {
    const at = filter.activeAt;
    query = query.where('events.id', 'in', (eb) =>
      eb.selectFrom('event_dates').select('event_dates.event_id').where('event_dates.organization_id', '=', organizationId)
        .where((w) => w.or([w('event_dates.ends_at', '>=', at), w.and([w('event_dates.ends_at', 'is', null), w('event_dates.starts_at', '>=', at)])])));
  }
  return query;
}

/** Queries that do not fit the generic helpers. */
export const catalogRepository = {
  defaultChannel(db: Db, organizationId: number) {
    return db
      .selectFrom('sales_channels')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('is_default', '=', 1)
      .executeTakeFirst();
  },
  async clearDefaultChannel(db: Db, organizationId: number) {
    await db.updateTable('sales_channels').set({ is_default: 0 }).where('organization_id', '=', organizationId).execute();
  },
  /** Events of an organization, optionally only those buyers may see (listed and public). */
  async listEvents(db: Db, organizationId: number, page: Page, filter: EventListFilter) {
    const direction = filter.order === 'desc' ? 'desc' : 'asc';
    return paged(filteredEvents(db, organizationId, filter), page, (q) => {
      const selected = q.selectAll('events');
      switch (filter.sort) {
        case 'alphabetical':
          return selected.orderBy('events.title', direction).orderBy('events.id', direction);
        case 'start':
          return selected
            .orderBy((eb) => eb.selectFrom('event_dates').select((d) => d.fn.min('event_dates.starts_at').as('s')).whereRef('event_dates.event_id', '=', 'events.id'), direction)
            .orderBy('events.id', direction);
        case 'popularity':
          return selected
            .orderBy((eb) => eb.selectFrom('tickets').select((t) => t.fn.countAll().as('n')).whereRef('tickets.event_id', '=', 'events.id').where('tickets.organization_id', '=', organizationId), direction)
            .orderBy('events.id', direction);
        case 'published':
          return selected.orderBy('events.created_at', direction).orderBy('events.id', direction);
        default:
          return selected.orderBy('events.id', direction);
      }
    });
  },
  /**
   * The same list with one row per date (an event without dates keeps one row, its date null):
   * `active` and the `start` and `popularity` sorts then look at each date on its own.
   */
  async listEventDates(db: Db, organizationId: number, page: Page, filter: EventListFilter) {
    const direction = filter.order === 'desc' ? 'desc' : 'asc';
    let query = filteredEvents(db, organizationId, { ...filter, activeAt: undefined }).leftJoin('event_dates', 'event_dates.event_id', 'events.id');
    if (filter.activeAt) {
      const at = filter.activeAt;
      query = query.where((w) => w.or([w('event_dates.ends_at', '>=', at), w.and([w('event_dates.ends_at', 'is', null), w('event_dates.starts_at', '>=', at)])]));
    }
    return paged(query, page, (q) => {
      const selected = q.selectAll('events').select('event_dates.id as listed_date_id');
      switch (filter.sort) {
        case 'alphabetical':
          return selected.orderBy('events.title', direction).orderBy('events.id', direction).orderBy('event_dates.starts_at', direction);
        case 'start':
          return selected.orderBy('event_dates.starts_at', direction).orderBy('events.id', direction).orderBy('event_dates.id', direction);
        case 'popularity':
          return selected
            .orderBy((eb) => eb.selectFrom('tickets').select((t) => t.fn.countAll().as('n')).whereRef('tickets.date_id', '=', 'event_dates.id').where('tickets.organization_id', '=', organizationId), direction)
            .orderBy('events.id', direction).orderBy('event_dates.id', direction);
        case 'published':
          return selected.orderBy('events.created_at', direction).orderBy('events.id', direction).orderBy('event_dates.starts_at', direction);
        default:
          return selected.orderBy('events.id', direction).orderBy('event_dates.starts_at', direction).orderBy('event_dates.id', direction);
      }
    });
  },
  /** Dates, sections, tariffs, per-date capacities and tariff channels of a set of events, in one round each. */
  async eventParts(db: Db, organizationId: number, eventIds: number[]) {
    if (eventIds.length === 0) return { dates: [], sections: [], tariffs: [], capacities: [], tariffChannels: [] };
    const [dates, sectionRows, tariffRows, capacities, tariffChannels] = await Promise.all([
      db.selectFrom('event_dates').selectAll().where('organization_id', '=', organizationId).where('event_id', 'in', eventIds).orderBy('starts_at').orderBy('id').execute(),
      db.selectFrom('sections').selectAll().where('organization_id', '=', organizationId).where('event_id', 'in', eventIds).orderBy('position').orderBy('id').execute(),
      db.selectFrom('tariffs').selectAll().where('organization_id', '=', organizationId).where('event_id', 'in', eventIds).orderBy('position').orderBy('id').execute(),
      db.selectFrom('section_capacities').selectAll().where('organization_id', '=', organizationId).where('event_id', 'in', eventIds).orderBy('id').execute(),
      db
        .selectFrom('tariff_channels')
        .innerJoin('tariffs', 'tariffs.id', 'tariff_channels.tariff_id')
        .select(['tariff_channels.tariff_id', 'tariff_channels.channel_id'])
        .where('tariff_channels.organization_id', '=', organizationId)
        .where('tariffs.event_id', 'in', eventIds)
        .orderBy('tariff_channels.channel_id')
        .execute(),
    ]);
    return { dates, sections: sectionRows, tariffs: tariffRows, capacities, tariffChannels };
  },
  subcategories(db: Db, parentIds: number[]) {
    return db.selectFrom('event_categories').selectAll().where('parent_id', 'in', parentIds).orderBy('position').orderBy('id').execute();
  },
  async setTariffChannels(db: Db, organizationId: number, tariffId: number, channelIds: number[]) {
    await db.deleteFrom('tariff_channels').where('tariff_id', '=', tariffId).where('organization_id', '=', organizationId).execute();
    if (channelIds.length > 0) {
      await db
        .insertInto('tariff_channels')
        .values(channelIds.map((channel_id) => ({ tariff_id: tariffId, channel_id, organization_id: organizationId })))
        .execute();
    }
  },
  async insertCapacities(db: Db, rows: Insertable<Tables['section_capacities']>[]) {
    for (let i = 0; i < rows.length; i += 100) await db.insertInto('section_capacities').values(rows.slice(i, i + 100)).execute();
  },
  /**
   * Sets a section's capacity, kills or organizer holds on one date by number, in one conditional
   * update: never on a section seated on that date (`seats` > 0: its places are its seats, see
   * section-places.ts), and with `fit` only if what is already taken still fits. Whether it changed.
   */
  async setPlacesByNumber(db: Db, organizationId: number, eventId: number, dateId: number, sectionId: number, change: PlacesChange, fit: boolean) {
    const { capacity, kills, organizerHolds: holds } = change;
    let query = db
      .updateTable('section_capacities')
      .set({ ...(capacity !== undefined ? { capacity } : {}), ...(kills !== undefined ? { kills } : {}), ...(holds !== undefined ? { organizer_holds: holds } : {}) })
      .where('organization_id', '=', organizationId)
      .where('event_id', '=', eventId)
      .where('date_id', '=', dateId)
      .where('section_id', '=', sectionId)
      .where('seats', '=', 0);
    if (fit) query = query.where(sql<boolean>`taken + ${kills ?? sql.ref('kills')} + ${holds ?? sql.ref('organizer_holds')} <= ${capacity ?? sql.ref('capacity')}`);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
  /** A section's places on one date (its inventory row), to say why a change was refused. */
  placesOf(db: Db, organizationId: number, eventId: number, dateId: number, sectionId: number) {
    return db
      .selectFrom('section_capacities')
      .select(['capacity', 'taken', 'kills', 'organizer_holds', 'seats'])
      .where('organization_id', '=', organizationId)
      .where('event_id', '=', eventId)
      .where('date_id', '=', dateId)
      .where('section_id', '=', sectionId)
      .executeTakeFirst();
  },
  /** Whether any row of `table` points at `id` through `column` (to refuse deleting what is in use). */
  async isReferenced(db: Db, table: 'events' | 'venues' | 'event_dates' | 'series', column: string, id: number) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const row = await (db as any).selectFrom(table).select('id').where(column, '=', id).limit(1).executeTakeFirst();
    return Boolean(row);
  },
};

export type ChannelRow = Selectable<SalesChannelsTable>;

export const EVENT_SORTS = ['alphabetical', 'published', 'popularity', 'start'] as const;
export interface EventListFilter {
  onlyListed: boolean;
  status?: string;
  seriesId?: number;
  venueId?: number;
  regionId?: number;
  sectionId?: number;
  isPublic?: boolean;
  /** Case-insensitive part of the title. */
  title?: string;
  /** Only events with a date not over at this instant. */
  activeAt?: string;
  sort?: (typeof EVENT_SORTS)[number];
  order?: 'asc' | 'desc';
}
