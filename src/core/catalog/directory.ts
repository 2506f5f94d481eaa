import type { CoreContext } from '../context.ts';
import { notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { fromFlag, toCount, toIso } from '../../db/quirks.ts';
import type { Principal } from '../identity/principal.ts';
import { catalogRepository, channels as channelTable } from './repository.ts';
import { directoryRepository as repo, type GroupingRow, type PerformanceQuery, type PerformanceRow, type SectionRow, type Sort, type TariffRow, type VenueRow, type ChannelRow } from './directory-repository.ts';
import type { SeriesKind } from './series.ts';
import type { VenueKind } from './places.ts';

export type { Sort } from './directory-repository.ts';

/**
 * The organization's catalog as partners read it (the Pims dialect first): every performance of
 * every event whatever its status, searchable and sortable case- and accent-insensitively, with
 * local wall-clock times. Read-only; the caller's organization bounds every query.
 */
export interface DirectoryVenue {
  id: number; name: string; kind: VenueKind; addressLine1: string | null; addressLine2: string | null; zip: string | null;
  city: string; countryCode: string; createdAt: string; updatedAt: string;
}
export interface Performance {
  /** The date's id. */
  id: number;
  eventId: number;
  seriesId: number | null;
  /** How many dates the event has (a production with several dates groups them). */
  dateCount: number;
  label: string;
  startsAt: string;
  /** Wall-clock start in the event's time zone, `YYYY-MM-DDTHH:MM:SS`. */
  localStartsAt: string;
  timeZone: string;
  cancelled: boolean;
  eventStatus: string;
  saleStartsAt: string | null;
  /** When the earliest pre-sale opens: a tariff's own sale starting before the event's general sale. */
  presaleStartsAt: string | null;
  /** When the date sold out (its last ticket issued), while nothing is left to sell on it. */
  soldOutAt: string | null;
  venue: DirectoryVenue | null;
  /** Sum of the sections' capacities on this date. */
  capacity: number | null;
  /** True when the event has tariffs and all of them are free. */
  free: boolean;
  currency: string | null;
  createdAt: string;
  updatedAt: string;
}
/** A series, or an event with several dates that belongs to no series (a production). */
export interface Grouping {
  source: 'series' | 'production';
  id: number;
  kind: SeriesKind;
  label: string;
  firstDate: string | null;
  lastDate: string | null;
  venueId: number | null;
  createdAt: string;
  updatedAt: string;
}
export interface DirectorySection { id: number; eventId: number; name: string; position: number; createdAt: string; updatedAt: string }
export interface DirectoryTariff { id: number; eventId: number; sectionId: number; label: string; price: number; currency: string; createdAt: string; updatedAt: string }
export interface DirectoryChannel { id: number; name: string; active: boolean; createdAt: string; updatedAt: string }

const later = (a: Date | string, b: Date | string) => (toIso(a)! > toIso(b)! ? toIso(a)! : toIso(b)!);

const toDirectoryVenue = (r: VenueRow): DirectoryVenue => ({
  id: r.id, name: r.name, kind: r.kind as VenueKind, addressLine1: r.address_line1, addressLine2: r.address_line2, zip: r.zip,
  city: r.city, countryCode: r.country_code, createdAt: toIso(r.created_at)!, updatedAt: toIso(r.updated_at)!,
});

const toPerformance = (r: PerformanceRow): Performance => ({
  id: r.id,
  eventId: r.event_id,
  seriesId: r.series_id,
  dateCount: toCount(r.date_count),
  label: r.title,
  startsAt: toIso(r.starts_at)!,
  localStartsAt: r.local_starts_at ?? toIso(r.starts_at)!.slice(0, 19),
  timeZone: r.time_zone,
  cancelled: r.status === 'cancelled' || r.event_status === 'cancelled',
  eventStatus: r.event_status,
  saleStartsAt: toIso(r.sale_starts_at),
  presaleStartsAt: toIso(r.presale_starts_at),
  soldOutAt: toIso(r.sold_out_at),
  venue:
    r.venue_id === null
      ? null
      : toDirectoryVenue({
          id: r.venue_id, name: r.venue_name!, kind: r.venue_kind!, address_line1: r.venue_address_line1, address_line2: r.venue_address_line2,
          zip: r.venue_zip, city: r.venue_city!, country_code: r.venue_country_code!, created_at: r.venue_created_at!, updated_at: r.venue_updated_at!,
        }),
  capacity: r.capacity === null ? null : toCount(r.capacity),
  free: toCount(r.tariff_count) > 0 && toCount(r.max_price) === 0,
  currency: r.currency,
  createdAt: toIso(r.created_at)!,
  updatedAt: later(later(r.updated_at, r.event_updated_at), r.venue_updated_at ?? r.updated_at),
});

const toGrouping = (r: GroupingRow): Grouping => ({
  source: r.source, id: r.id, kind: r.kind as SeriesKind, label: r.label, firstDate: r.first_date, lastDate: r.last_date,
  venueId: r.venue_id, createdAt: toIso(r.created_at)!, updatedAt: toIso(r.updated_at)!,
});
const toSection = (r: SectionRow): DirectorySection => ({ id: r.id, eventId: r.event_id, name: r.name, position: r.position, createdAt: toIso(r.created_at)!, updatedAt: toIso(r.updated_at)! });
const toTariff = (r: TariffRow): DirectoryTariff => ({
  id: r.id, eventId: r.event_id, sectionId: r.section_id, label: r.label, price: r.price, currency: r.currency, createdAt: toIso(r.created_at)!, updatedAt: toIso(r.updated_at)!,
});
const toChannel = (r: ChannelRow): DirectoryChannel => ({ id: r.id, name: r.name, active: fromFlag(r.active), createdAt: toIso(r.created_at)!, updatedAt: toIso(r.updated_at)! });

const ONE: Page = { limit: 1, offset: 0 };

export function directoryService(ctx: CoreContext) {
  const { database } = ctx;
  const db = () => database.db;

  async function performance(principal: Principal, dateId: number): Promise<Performance> {
    const { rows } = await repo.performances(db(), principal.organizationId, { dateId }, { key: 'datetime', descending: false }, ONE);
    if (rows.length === 0) throw notFound('Event date');
    return toPerformance(rows[0]);
  }

  return {
    async performances(principal: Principal, filter: Omit<PerformanceQuery, 'dateId'>, sort: Sort<'label' | 'datetime' | 'venue_label' | 'city'>, page: Page): Promise<Paged<Performance>> {
      const { rows, total } = await repo.performances(db(), principal.organizationId, filter, sort, page);
      return { items: rows.map(toPerformance), total };
    },
    performance,

    /** A performance's sections with their tariffs, and the channels its tariffs are sold on (deactivated ones included). */
    async performanceParts(principal: Principal, dateId: number): Promise<{ performance: Performance; sections: { section: DirectorySection; tariffs: DirectoryTariff[] }[]; channels: DirectoryChannel[] }> {
      const found = await performance(principal, dateId);
      const parts = await catalogRepository.eventParts(db(), principal.organizationId, [found.eventId]);
      const tariffs = parts.tariffs.map((t) => toTariff(t as unknown as TariffRow));
      const sections = parts.sections.map((s) => {
        const section = toSection(s as unknown as SectionRow);
        return { section, tariffs: tariffs.filter((t) => t.sectionId === section.id) };
      });
      // A tariff restricted to no channel is sold on every channel.
      const everywhere = parts.tariffs.some((t) => !parts.tariffChannels.some((c) => c.tariff_id === t.id));
      const allChannels = await channelTable.all(db(), principal.organizationId);
      const used = new Set(parts.tariffChannels.map((c) => c.channel_id));
      const channels = allChannels.filter((c) => everywhere || used.has(c.id)).map((c) => toChannel(c as unknown as ChannelRow));
      return { performance: found, sections, channels };
    },

    async groupings(
      principal: Principal,
      filter: { label?: string; from?: string; to?: string; kind?: SeriesKind },
      sort: Sort<'label' | 'first_date' | 'last_date'>,
      page: Page,
    ): Promise<Paged<Grouping>> {
      const { rows, total } = await repo.groupings(db(), principal.organizationId, filter, sort, page);
      return { items: rows.map(toGrouping), total };
    },
    async grouping(principal: Principal, source: 'series' | 'production', id: number): Promise<Grouping> {
      const { rows } = await repo.groupings(db(), principal.organizationId, { source, id }, { key: 'label', descending: false }, ONE);
      if (rows.length === 0) throw notFound('Series');
      return toGrouping(rows[0]);
    },

    async venues(principal: Principal, filter: { label?: string; city?: string; countryCode?: string; kind?: VenueKind }, sort: Sort<'label' | 'city' | 'country'>, page: Page): Promise<Paged<DirectoryVenue>> {
      const { rows, total } = await repo.venues(db(), principal.organizationId, filter, sort, page);
      return { items: rows.map(toDirectoryVenue), total };
    },
    async venuesById(principal: Principal, ids: number[]): Promise<Map<number, DirectoryVenue>> {
      const wanted = new Set(ids);
      if (wanted.size === 0) return new Map();
      const { rows } = await repo.venues(db(), principal.organizationId, { ids: [...wanted] }, { key: 'label', descending: false }, { limit: wanted.size, offset: 0 });
      return new Map(rows.map((r) => [r.id, toDirectoryVenue(r)]));
    },

    async sections(principal: Principal, filter: { label?: string }, sort: Sort<'label' | 'order'>, page: Page): Promise<Paged<DirectorySection>> {
      const { rows, total } = await repo.sections(db(), principal.organizationId, filter, sort, page);
      return { items: rows.map(toSection), total };
    },
    async section(principal: Principal, id: number): Promise<DirectorySection> {
      const { rows } = await repo.sections(db(), principal.organizationId, { id }, { key: 'order', descending: false }, ONE);
      if (rows.length === 0) throw notFound('Section');
      return toSection(rows[0]);
    },
    async tariffs(principal: Principal, filter: { label?: string }, sort: Sort<'label'>, page: Page): Promise<Paged<DirectoryTariff>> {
      const { rows, total } = await repo.tariffs(db(), principal.organizationId, filter, sort, page);
      return { items: rows.map(toTariff), total };
    },
    async tariff(principal: Principal, id: number): Promise<DirectoryTariff> {
      const { rows } = await repo.tariffs(db(), principal.organizationId, { id }, { key: 'label', descending: false }, ONE);
      if (rows.length === 0) throw notFound('Tariff');
      return toTariff(rows[0]);
    },
    /** The date ids of some events, in start order. */
    async datesOfEvents(principal: Principal, eventIds: number[]): Promise<Map<number, number[]>> {
      const out = new Map<number, number[]>();
      for (const r of await repo.eventDates(db(), principal.organizationId, [...new Set(eventIds)])) out.set(r.event_id, [...(out.get(r.event_id) ?? []), r.id]);
      return out;
    },
    async channels(principal: Principal, filter: { label?: string; includeInactive: boolean }, sort: Sort<'label'>, page: Page): Promise<Paged<DirectoryChannel>> {
      const { rows, total } = await repo.channels(db(), principal.organizationId, { label: filter.label, onlyActive: !filter.includeInactive }, sort, page);
      return { items: rows.map(toChannel), total };
    },
    async channel(principal: Principal, id: number): Promise<DirectoryChannel> {
      const { rows } = await repo.channels(db(), principal.organizationId, { id, onlyActive: false }, { key: 'label', descending: false }, ONE);
      if (rows.length === 0) throw notFound('Channel');
      return toChannel(rows[0]);
    },
  };
}

export type DirectoryService = ReturnType<typeof directoryService>;
