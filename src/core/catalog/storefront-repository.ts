import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Page } from '../pagination.ts';
import { paged } from '../../db/paging.ts';

export interface StorefrontFilter {
  text?: string;
  from?: string;
  to?: string;
  city?: string;
  categoryId?: number;
  organizationSlug?: string;
  now: string;
}

/** An event with its organization, venue and category, as its shop page shows it. */
function eventPage(db: Db) {
  return db
    .selectFrom('events')
    .innerJoin('organizations', 'organizations.id', 'events.organization_id')
    .leftJoin('venues', 'venues.id', 'events.venue_id')
    .leftJoin('event_categories', 'event_categories.id', 'events.category_id')
    .selectAll('events')
    .select([
      'organizations.slug as organization_slug', 'organizations.name as organization_name',
      'venues.name as venue_name', 'venues.address_line1', 'venues.address_line2', 'venues.zip', 'venues.city as venue_city', 'venues.country_code',
      'event_categories.name_en as category_en', 'event_categories.name_fr as category_fr', 'event_categories.name_de as category_de',
    ]);
}

/**
 * SQL of the public storefront: events on public sale across every organization (this is the one
 * read that is not confined to one tenant, and it only ever shows what each organization published:
 * listed, public events and their scheduled dates; the staff preview is confined to its tenant).
 */
export const storefrontRepository = {
  async events(db: Db, filter: StorefrontFilter, page: Page) {
    let query = db
      .selectFrom('events')
      .innerJoin('organizations', 'organizations.id', 'events.organization_id')
      .leftJoin('venues', 'venues.id', 'events.venue_id')
      .where('events.status', '=', 'listed')
      .where('events.is_public', '=', 1)
      .where((eb) => {
        let dates = eb.selectFrom('event_dates').select('event_dates.id').whereRef('event_dates.event_id', '=', 'events.id').where('event_dates.status', '=', 'scheduled').where('event_dates.starts_at', '>', filter.now);
        if (filter.from) dates = dates.where('event_dates.starts_at', '>=', filter.from);
        if (filter.to) dates = dates.where('event_dates.starts_at', '<', filter.to);
        return eb.exists(dates);
      });
    if (filter.text) {
      const pattern = `%${filter.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or([
          eb(sql`lower(events.title)`, 'like', sql`${pattern} escape '\\'`),
          eb(sql`lower(coalesce(events.description, ''))`, 'like', sql`${pattern} escape '\\'`),
          eb(sql`lower(coalesce(venues.name, ''))`, 'like', sql`${pattern} escape '\\'`),
          eb(sql`lower(organizations.name)`, 'like', sql`${pattern} escape '\\'`),
        ]),
      );
    }
    if (filter.city) query = query.where(sql`lower(venues.city)`, '=', filter.city.toLowerCase());
    if (filter.categoryId !== undefined) query = query.where((eb) => eb.or([eb('events.category_id', '=', filter.categoryId!), eb('events.subcategory_id', '=', filter.categoryId!)]));
    if (filter.organizationSlug) query = query.where('organizations.slug', '=', filter.organizationSlug);
    const next = sql<string>`(select min(d.starts_at) from event_dates d where d.event_id = events.id and d.status = 'scheduled' and d.starts_at > ${filter.now})`;
    return paged(query, page, (q) =>
      q
        .select([
          'events.id', 'events.title', 'events.description', 'events.time_zone', 'events.image_urls', 'events.category_id',
          'organizations.id as organization_id', 'organizations.slug as organization_slug', 'organizations.name as organization_name', 'organizations.currency as organization_currency',
          'venues.name as venue_name', 'venues.city as venue_city',
        ])
        .select(next.as('next_starts_at'))
        .orderBy(next)
        .orderBy('events.id'),
    );
  },

  /** The scheduled future dates, tariffs and capacity rows of some events (any organization: they are public). */
  async parts(db: Db, eventIds: number[], now: string) {
    if (eventIds.length === 0) return { dates: [], tariffs: [], capacities: [], quotas: [], tariffChannels: [] };
    const [dates, tariffs, capacities, quotas, tariffChannels] = await Promise.all([
      db.selectFrom('event_dates').selectAll().where('event_id', 'in', eventIds).where('starts_at', '>', now).where('status', 'in', ['scheduled', 'cancelled']).orderBy('starts_at').orderBy('id').execute(),
      db.selectFrom('tariffs').selectAll().where('event_id', 'in', eventIds).orderBy('position').orderBy('id').execute(),
      db.selectFrom('section_capacities').select(['event_id', 'date_id', 'section_id', 'capacity', 'taken', 'kills', 'organizer_holds', 'seats']).where('event_id', 'in', eventIds).execute(),
      db.selectFrom('tariff_quotas').innerJoin('tariffs', 'tariffs.id', 'tariff_quotas.tariff_id').select(['tariff_quotas.tariff_id', 'tariff_quotas.date_id', 'tariff_quotas.taken']).where('tariffs.event_id', 'in', eventIds).execute(),
      db.selectFrom('tariff_channels').innerJoin('tariffs', 'tariffs.id', 'tariff_channels.tariff_id').select(['tariff_channels.tariff_id', 'tariff_channels.channel_id']).where('tariffs.event_id', 'in', eventIds).execute(),
    ]);
    return { dates, tariffs, capacities, quotas, tariffChannels };
  },

  /** A listed, public event with its organization, venue and category. */
  event(db: Db, id: number) {
    return eventPage(db).where('events.id', '=', id).where('events.status', '=', 'listed').where('events.is_public', '=', 1).executeTakeFirst();
  },
  /** The same for staff previewing their own organization's event, whatever its status or visibility. */
  eventOfOrganization(db: Db, organizationId: number, id: number) {
    return eventPage(db).where('events.id', '=', id).where('events.organization_id', '=', organizationId).executeTakeFirst();
  },
  sections(db: Db, eventId: number) {
    return db.selectFrom('sections').select(['id', 'name', 'description', 'position']).where('event_id', '=', eventId).orderBy('position').orderBy('id').execute();
  },
  defaultChannels(db: Db, organizationIds: number[]) {
    if (organizationIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('sales_channels').select(['id', 'organization_id']).where('organization_id', 'in', organizationIds).where('is_default', '=', 1).execute();
  },
  organization(db: Db, slug: string) {
    return db.selectFrom('organizations').select(['id', 'slug', 'name', 'description', 'website', 'city', 'currency', 'time_zone']).where('slug', '=', slug).executeTakeFirst();
  },
  categories(db: Db) {
    return db.selectFrom('event_categories').select(['id', 'name_en', 'name_fr', 'name_de']).where('parent_id', 'is', null).orderBy('position').orderBy('id').execute();
  },
  cities(db: Db, now: string) {
    return db
      .selectFrom('venues')
      .innerJoin('events', 'events.venue_id', 'venues.id')
      .select('venues.city')
      .distinct()
      .where('events.status', '=', 'listed')
      .where('events.is_public', '=', 1)
      .where((eb) => eb.exists(eb.selectFrom('event_dates').select('event_dates.id').whereRef('event_dates.event_id', '=', 'events.id').where('event_dates.starts_at', '>', now)))
      .orderBy('venues.city')
      .execute();
  },
};
