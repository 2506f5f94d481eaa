import type { CoreContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { fromFlag, parseJsonList, toIso } from '../../db/quirks.ts';
import type { Db } from '../../db/database.ts';
import { type Principal, requireScope } from '../identity/principal.ts';

/**
 * The calendar: events described for people choosing where to go — title, category, venue,
 * organizer, dates, price range and sale period. The public search reaches every organization's
 * listed public events (a partner calendar); details of one event are read within the caller's
 * organization, whatever its status.
 */
export interface Listing {
  id: number;
  organizationId: number;
  title: string;
  description: string | null;
  status: string;
  isPublic: boolean;
  timeZone: string;
  imageUrls: string[];
  category: { id: number; names: { en: string; fr: string; de: string } } | null;
  venue: { name: string; addressLine1: string | null; zip: string | null; city: string; state: string | null; countryCode: string; latitude: number | null; longitude: number | null } | null;
  organizer: { name: string; slug: string };
  dates: { id: number; startsAt: string; endsAt: string | null; status: string }[];
  saleStartsAt: string | null;
  saleEndsAt: string | null;
  /** Lowest and highest tariff prices in minor units (null without tariffs). */
  price: { min: number; max: number; currency: string } | null;
  updatedAt: string;
}

export interface CalendarSearch {
  /** Events with a date starting in [from, to) (ISO instants). */
  from?: string;
  to?: string;
  categoryId?: number;
  city?: string;
  zip?: string;
  countryCode?: string;
  province?: string;
  /** Part of the organizer's name, any case. */
  organizer?: string;
  limit: number;
}

/** The SQL of the calendar. */
const calendarRepository = {
  events(db: Db, scope: { organizationId: number; eventId: number } | { search: CalendarSearch }) {
    let query = db
      .selectFrom('events')
      .innerJoin('organizations', 'organizations.id', 'events.organization_id')
      .leftJoin('venues', 'venues.id', 'events.venue_id')
      .leftJoin('event_categories', (join) => join.on((eb) => eb('event_categories.id', '=', eb.fn.coalesce('events.subcategory_id', 'events.category_id'))))
      .select([
        'events.id', 'events.organization_id', 'events.title', 'events.description', 'events.status', 'events.is_public', 'events.time_zone',
        'events.image_urls', 'events.sale_starts_at', 'events.sale_ends_at', 'events.updated_at',
        'organizations.name as organization_name', 'organizations.slug as organization_slug',
        'venues.name as venue_name', 'venues.address_line1', 'venues.zip', 'venues.city', 'venues.state', 'venues.country_code', 'venues.latitude', 'venues.longitude',
        'event_categories.id as category_id', 'event_categories.name_en', 'event_categories.name_fr', 'event_categories.name_de',
      ]);
    if ('eventId' in scope) return query.where('events.organization_id', '=', scope.organizationId).where('events.id', '=', scope.eventId).execute();
    const s = scope.search;
    query = query.where('events.status', '=', 'listed').where('events.is_public', '=', 1);
    if (s.from || s.to) {
      query = query.where((eb) =>
        eb.exists(
          eb.selectFrom('event_dates').select('event_dates.id').whereRef('event_dates.event_id', '=', 'events.id').where('event_dates.status', '=', 'scheduled')
            .$if(Boolean(s.from), (q) => q.where('event_dates.starts_at', '>=', s.from!))
            .$if(Boolean(s.to), (q) => q.where('event_dates.starts_at', '<', s.to!)),
        ),
      );
    }
    if (s.categoryId !== undefined) query = query.where((eb) => eb.or([eb('events.category_id', '=', s.categoryId!), eb('events.subcategory_id', '=', s.categoryId!)]));
    if (s.city) query = query.where((eb) => eb(eb.fn('lower', ['venues.city']), '=', s.city!.toLowerCase()));
    if (s.zip) query = query.where('venues.zip', '=', s.zip);
    if (s.countryCode) query = query.where('venues.country_code', '=', s.countryCode.toUpperCase());
    if (s.province) query = query.where((eb) => eb(eb.fn('lower', ['venues.state']), '=', s.province!.toLowerCase()));
    if (s.organizer) query = query.where((eb) => eb(eb.fn('lower', ['organizations.name']), 'like', `%${s.organizer!.toLowerCase().replace(/[%_]/g, '')}%`));
    return query.orderBy('events.id').limit(s.limit).execute();
  },
  /** Dates and tariff price ranges of events already selected (of any organization: ids come from a scoped read). */
  async parts(db: Db, eventIds: number[]) {
    if (eventIds.length === 0) return { dates: [], prices: [] };
    const [dates, prices] = await Promise.all([
      db.selectFrom('event_dates').select(['id', 'event_id', 'starts_at', 'ends_at', 'status']).where('event_id', 'in', eventIds).orderBy('starts_at').orderBy('id').execute(),
      db
        .selectFrom('tariffs')
        .select(['event_id', 'currency', (eb) => eb.fn.min<number>('price').as('min'), (eb) => eb.fn.max<number>('price').as('max')])
        .where('event_id', 'in', eventIds)
        .groupBy(['event_id', 'currency'])
        .execute(),
    ]);
    return { dates, prices };
  },
};

type ListingRow = Awaited<ReturnType<typeof calendarRepository.events>>[number];

function assemble(rows: ListingRow[], parts: Awaited<ReturnType<typeof calendarRepository.parts>>): Listing[] {
  return rows.map((r) => {
    const price = parts.prices.find((p) => p.event_id === r.id);
    return {
      id: r.id,
      organizationId: r.organization_id,
      title: r.title,
      description: r.description,
      status: r.status,
      isPublic: fromFlag(r.is_public),
      timeZone: r.time_zone,
      imageUrls: parseJsonList(r.image_urls),
      category: r.category_id === null ? null : { id: r.category_id, names: { en: r.name_en!, fr: r.name_fr!, de: r.name_de! } },
      venue: r.venue_name === null ? null : {
        name: r.venue_name, addressLine1: r.address_line1, zip: r.zip, city: r.city!, state: r.state, countryCode: r.country_code!,
        latitude: r.latitude === null ? null : Number(r.latitude), longitude: r.longitude === null ? null : Number(r.longitude),
      },
      organizer: { name: r.organization_name, slug: r.organization_slug },
      dates: parts.dates.filter((d) => d.event_id === r.id).map((d) => ({ id: d.id, startsAt: toIso(d.starts_at)!, endsAt: toIso(d.ends_at), status: d.status })),
      saleStartsAt: toIso(r.sale_starts_at),
      saleEndsAt: toIso(r.sale_ends_at),
      price: price ? { min: Number(price.min), max: Number(price.max), currency: price.currency } : null,
      updatedAt: toIso(r.updated_at)!,
    };
  });
}

export function calendarService(ctx: CoreContext) {
  const { database } = ctx;
  return {
    /** Listed public events of every organization matching the search (no credential needed beyond the dialect's own). */
    async search(search: CalendarSearch): Promise<Listing[]> {
      const rows = await calendarRepository.events(database.db, { search });
      return assemble(rows, await calendarRepository.parts(database.db, rows.map((r) => r.id)));
    },
    /** One event of the caller's organization, described for the public. */
    async details(principal: Principal, eventId: number): Promise<Listing> {
      requireScope(principal, 'sell', 'admin');
      const rows = await calendarRepository.events(database.db, { organizationId: principal.organizationId, eventId });
      if (rows.length === 0) throw notFound('Event');
      return assemble(rows, await calendarRepository.parts(database.db, [eventId]))[0];
    },
  };
}

export type CalendarService = ReturnType<typeof calendarService>;
