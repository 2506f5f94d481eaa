import type { CoreContext } from '../context.ts';
import { notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { fromFlag, parseJsonList, toIso } from '../../db/quirks.ts';
import { DEFAULT_MAX_PER_ORDER } from '../selling/carts.ts';
import type { Principal } from '../identity/principal.ts';
import { requireRightOrScope } from '../identity/roles.ts';
import { storefrontRepository as repo, type StorefrontFilter } from './storefront-repository.ts';

/**
 * What a buyer can know about availability, from the live inventory, without the figures the
 * organizer keeps private: on sale, only a few left, sold out, not yet on sale, no longer on sale.
 */
export type Availability = 'available' | 'few_left' | 'sold_out' | 'not_yet_on_sale' | 'sale_ended' | 'cancelled';
/** Better first: a group (section, date, event) shows the best of its parts. */
const RANK: Availability[] = ['available', 'few_left', 'not_yet_on_sale', 'sold_out', 'sale_ended', 'cancelled'];
const best = (levels: Availability[]): Availability => (levels.length === 0 ? 'sold_out' : levels.reduce((a, b) => (RANK.indexOf(a) <= RANK.indexOf(b) ? a : b)));

/** "Only a few left" below a tenth of the places, and never for more than the last 5… at least. */
function level(free: number, total: number): Availability {
  if (free <= 0) return 'sold_out';
  return free <= Math.max(5, Math.ceil(total * 0.1)) ? 'few_left' : 'available';
}

export interface StorefrontOrganization { id: number; slug: string; name: string }
export interface StorefrontTariff {
  id: number; label: string; price: number; currency: string; maxPerOrder: number;
  saleStartsAt: string | null; saleEndsAt: string; availability: Availability;
}
/** `seated`: sold seat by seat on this date (its seat map), not by quantity. */
export interface StorefrontSection { id: number; name: string; description: string | null; seated: boolean; availability: Availability; tariffs: StorefrontTariff[] }
export interface StorefrontDate { id: number; startsAt: string; endsAt: string | null; availability: Availability; sections: StorefrontSection[] }
export interface StorefrontEventSummary {
  id: number;
  title: string;
  organization: StorefrontOrganization;
  venue: { name: string; city: string } | null;
  timeZone: string;
  imageUrl: string | null;
  nextStartsAt: string | null;
  dateCount: number;
  priceFrom: { amount: number; currency: string } | null;
  availability: Availability;
}
export interface StorefrontEvent extends Omit<StorefrontEventSummary, 'venue'> {
  description: string | null;
  disclaimer: string | null;
  /** Whether checkout asks a name per ticket: none, optional or required. */
  holderNames: string;
  venue: { name: string; addressLine1: string | null; addressLine2: string | null; zip: string | null; city: string; countryCode: string } | null;
  category: { id: number; name: { en: string; fr: string; de: string } } | null;
  dates: StorefrontDate[];
}

type Parts = Awaited<ReturnType<typeof repo.parts>>;
interface EventCore { id: number; organization_id: number; sale_starts_at: Date | string | null; sale_ends_at: Date | string | null }

/**
 * The public storefront: listed public events of every organization, searchable by text, date range,
 * city and category, with prices and availability levels; one event in full for its page.
 * Read-only, for anyone (no credential): it shows only what organizations published; staff may
 * preview their own events before publishing them.
 */
export function storefrontService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  /** Dates → sections → tariffs on the shop's channel (each organization's default), with availability. */
  function datesOf(event: EventCore, parts: Parts, sections: { id: number; name: string; description: string | null }[], defaultChannel: number | undefined, t: string): StorefrontDate[] {
    const channelsOf = new Map<number, number[]>();
    for (const c of parts.tariffChannels) channelsOf.set(c.tariff_id, [...(channelsOf.get(c.tariff_id) ?? []), c.channel_id]);
    const tariffs = parts.tariffs.filter((tf) => tf.event_id === event.id && (!channelsOf.has(tf.id) || (defaultChannel !== undefined && channelsOf.get(tf.id)!.includes(defaultChannel))));
    return parts.dates
      .filter((d) => d.event_id === event.id)
      .map((d) => {
        const startsAt = toIso(d.starts_at)!;
        const shown = sections
          .map((s) => {
            const capacity = parts.capacities.find((c) => c.date_id === d.id && c.section_id === s.id);
            const sellable = capacity ? capacity.capacity - capacity.kills - capacity.organizer_holds : 0;
            const sectionLevel = capacity ? level(sellable - capacity.taken, sellable) : 'sold_out';
            const offered = tariffs
              .filter((tf) => tf.section_id === s.id)
              .map((tf): StorefrontTariff => {
                const saleStartsAt = toIso(tf.sale_starts_at) ?? toIso(event.sale_starts_at);
                const saleEndsAt = toIso(tf.sale_ends_at) ?? toIso(event.sale_ends_at) ?? startsAt;
                let availability: Availability = sectionLevel;
                if (d.status === 'cancelled') availability = 'cancelled';
                else if (saleStartsAt && t < saleStartsAt) availability = 'not_yet_on_sale';
                else if (t >= saleEndsAt) availability = 'sale_ended';
                else if (tf.quota !== null && availability !== 'sold_out') {
                  const taken = parts.quotas.find((q) => q.tariff_id === tf.id && q.date_id === d.id)?.taken ?? 0;
                  const quotaLevel = level(tf.quota - taken, tf.quota);
                  if (RANK.indexOf(quotaLevel) > RANK.indexOf(availability)) availability = quotaLevel;
                }
                return { id: tf.id, label: tf.label, price: tf.price, currency: tf.currency, maxPerOrder: tf.max_per_order ?? DEFAULT_MAX_PER_ORDER, saleStartsAt, saleEndsAt, availability };
              });
            return { id: s.id, name: s.name, description: s.description, seated: (capacity?.seats ?? 0) > 0, availability: best(offered.map((o) => o.availability)), tariffs: offered };
          })
          .filter((s) => s.tariffs.length > 0);
        return { id: d.id, startsAt, endsAt: toIso(d.ends_at), availability: d.status === 'cancelled' ? 'cancelled' : best(shown.map((s) => s.availability)), sections: shown };
      });
  }

  function priceFrom(dates: StorefrontDate[]) {
    const prices = dates.flatMap((d) => d.sections.flatMap((s) => s.tariffs));
    if (prices.length === 0) return null;
    const cheapest = prices.reduce((a, b) => (b.price < a.price ? b : a));
    return { amount: cheapest.price, currency: cheapest.currency };
  }

  /** One event in full for its page, from its row (public or previewed alike). */
  async function eventPage(row: NonNullable<Awaited<ReturnType<typeof repo.event>>>): Promise<StorefrontEvent> {
    const t = now();
    const [parts, sections, channels] = await Promise.all([repo.parts(database.db, [row.id], t), repo.sections(database.db, row.id), repo.defaultChannels(database.db, [row.organization_id])]);
    const dates = datesOf(row, parts, sections, channels[0]?.id, t);
    const live = dates.filter((d) => d.availability !== 'cancelled');
    return {
      id: row.id,
      title: row.title,
      description: row.description,
      disclaimer: row.disclaimer ?? null,
      holderNames: row.holder_names,
      organization: { id: row.organization_id, slug: row.organization_slug, name: row.organization_name },
      venue: row.venue_name
        ? { name: row.venue_name, addressLine1: row.address_line1, addressLine2: row.address_line2, zip: row.zip, city: row.venue_city!, countryCode: row.country_code! }
        : null,
      category: row.category_id !== null && row.category_en ? { id: row.category_id, name: { en: row.category_en, fr: row.category_fr!, de: row.category_de! } } : null,
      timeZone: row.time_zone,
      imageUrl: parseJsonList(row.image_urls)[0] ?? null,
      nextStartsAt: live[0]?.startsAt ?? null,
      dateCount: live.length,
      priceFrom: priceFrom(live),
      availability: best(live.map((d) => d.availability)),
      dates,
    };
  }

  return {
    async events(filter: Omit<StorefrontFilter, 'now'>, page: Page): Promise<Paged<StorefrontEventSummary>> {
      const t = now();
      const { rows, total } = await repo.events(database.db, { ...filter, now: t }, page);
      const parts = await repo.parts(database.db, rows.map((r) => r.id), t);
      const channels = await repo.defaultChannels(database.db, [...new Set(rows.map((r) => r.organization_id))]);
      const sectionsOf = new Map<number, { id: number; name: string; description: string | null }[]>();
      for (const r of rows) sectionsOf.set(r.id, await repo.sections(database.db, r.id));
      const items = rows.map((r) => {
        const dates = datesOf({ id: r.id, organization_id: r.organization_id, sale_starts_at: null, sale_ends_at: null }, parts, sectionsOf.get(r.id)!, channels.find((c) => c.organization_id === r.organization_id)?.id, t);
        const upcoming = dates.filter((d) => d.availability !== 'cancelled');
        return {
          id: r.id,
          title: r.title,
          organization: { id: r.organization_id, slug: r.organization_slug, name: r.organization_name },
          venue: r.venue_name ? { name: r.venue_name, city: r.venue_city! } : null,
          timeZone: r.time_zone,
          imageUrl: parseJsonList(r.image_urls)[0] ?? null,
          nextStartsAt: toIso(r.next_starts_at),
          dateCount: upcoming.length,
          priceFrom: priceFrom(upcoming),
          availability: best(upcoming.map((d) => d.availability)),
        };
      });
      return { items, total };
    },

    async event(id: number): Promise<StorefrontEvent> {
      const row = await repo.event(database.db, id);
      if (!row || !fromFlag(row.is_public)) throw notFound('Event');
      return eventPage(row);
    },

    /**
     * The event's page as the shop will show it, for staff of its organization with the catalog
     * right, whatever its status (a draft, an event under review, a private one): what the
     * organizer checks before listing. Another organization's event is not found.
     */
    async preview(principal: Principal, id: number): Promise<StorefrontEvent> {
      requireRightOrScope(principal, 'catalog', 'sell', 'admin');
      const row = await repo.eventOfOrganization(database.db, principal.organizationId, id);
      if (!row) throw notFound('Event');
      return eventPage(row);
    },

    async organization(slug: string): Promise<StorefrontOrganization & { description: string | null; website: string | null; city: string | null }> {
      const row = await repo.organization(database.db, slug);
      if (!row) throw notFound('Organization');
      return { id: row.id, slug: row.slug, name: row.name, description: row.description, website: row.website, city: row.city };
    },

    /** What the search form offers: top-level categories and the cities with events on sale. */
    async facets(): Promise<{ categories: { id: number; name: { en: string; fr: string; de: string } }[]; cities: string[] }> {
      const [categories, cities] = await Promise.all([repo.categories(database.db), repo.cities(database.db, now())]);
      return { categories: categories.map((c) => ({ id: c.id, name: { en: c.name_en, fr: c.name_fr, de: c.name_de } })), cities: cities.map((c) => c.city) };
    },
  };
}

export type StorefrontService = ReturnType<typeof storefrontService>;
