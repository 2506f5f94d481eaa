import type { FastifyReply } from 'fastify';
import type { Core } from '../../core/index.ts';
import { DomainError, invalid } from '../../core/errors.ts';
import type { Page, Paged } from '../../core/pagination.ts';
import type { Principal } from '../../core/identity/principal.ts';
import type { Account } from '../../core/identity/accounts.ts';
import type { HostProfile } from '../../core/identity/host-profiles.ts';
import type { Category } from '../../core/catalog/categories.ts';
import type { Region, Venue } from '../../core/catalog/places.ts';
import type { Event, EventStatus } from '../../core/catalog/events.ts';
import { accountNumber, eventRef, sectionRef, staticMapUrl } from './identifiers.ts';
import { MESSAGES, TicketingError } from './index.ts';

/** TickeTing event statuses, by core status. */
export const STATUS_NAMES: Record<EventStatus, string> = {
  draft: 'Draft', under_review: 'Under Review', scheduled: 'Scheduled', listed: 'Listed', cancelled: 'Cancelled',
};
export const STATUS_BY_NAME: Record<string, EventStatus> = Object.fromEntries(Object.entries(STATUS_NAMES).map(([k, v]) => [v, k as EventStatus]));

/** The paging query every list takes. */
export interface ListQuery { records?: number; page?: number; sort?: string; order?: 'asc' | 'desc' }

export const DEFAULT_RECORDS = 25;

export function pageOf(query: ListQuery): Page & { page: number; records: number } {
  const records = query.records ?? DEFAULT_RECORDS;
  const page = query.page ?? 1;
  if (page < 1) throw new TicketingError(404, MESSAGES.noPage);
  return { limit: records, offset: (page - 1) * records, page, records };
}

/** `{total, page, records, entries}`; a page past the last one is a 404 (an empty list has one empty page). */
export async function sendList<T>(reply: FastifyReply, query: ListQuery, load: (page: Page) => Promise<Paged<T>>, present: (item: T) => unknown | Promise<unknown>) {
  const window = pageOf(query);
  const { items, total } = await load(window);
  if (window.page > 1 && window.offset >= total) throw new TicketingError(404, MESSAGES.noPage);
  const entries = [];
  for (const item of items) entries.push(await present(item));
  return reply.send({ total, page: window.page, records: window.records, entries });
}

/** The id at the end of a `self` URI (or a bare id), as the SDK derives it; null when there is none. */
export function idFromUri(value: string | number, collection?: string): number | null {
  const text = String(value).trim();
  const match = /^(?:.*\/)?(\d{1,15})$/.exec(text);
  if (!match) return null;
  if (collection && text.includes('/') && !new RegExp(`(^|/)${collection}/\\d+$`).test(text)) return null;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export function requireId(field: string, value: string | number, collection?: string): number {
  const id = idFromUri(value, collection);
  if (id === null) throw invalid(field, `must be the URI or id of a ${collection ? collection.replace(/s$/, '') : 'resource'}`);
  return id;
}

/** Amounts: core keeps integer minor units; TickeTing shows decimal amounts (two decimals). */
export const toAmount = (minor: number) => Math.round(minor) / 100;
export const toMinor = (amount: number) => Math.round(amount * 100);

/** A TickeTing section (one tariff of a Guichet section on one date). */
export interface SectionView {
  self: string; name: string; description: string | null; price: { base: number; current: number; expires: null };
  salesStart: string | null; salesEnd: string | null; active: boolean; capacity: number; sold: number; remaining: number; reserved: number;
}

/**
 * Lookups the presenters need: country names (TickeTing names countries; core keeps ISO codes),
 * categories, venues and regions of events.
 */
export class References {
  private countries: Promise<{ byCode: Map<string, string>; byName: Map<string, string> }> | null = null;
  constructor(private readonly core: Core) {}

  private load() {
    this.countries ??= this.core.reference.countries({ limit: 1000, offset: 0 }).then(({ items }) => ({
      byCode: new Map(items.map((c) => [c.code, c.name])),
      byName: new Map(items.map((c) => [c.name.toLowerCase(), c.code])),
    }));
    return this.countries;
  }
  async countryNames(): Promise<string[]> {
    return [...(await this.load()).byCode.values()].sort((a, b) => a.localeCompare(b));
  }
  /** A country given by name or ISO alpha-2 code → its code. */
  async countryCode(field: string, value: string): Promise<string> {
    const { byCode, byName } = await this.load();
    const code = byCode.has(value.toUpperCase()) ? value.toUpperCase() : byName.get(value.toLowerCase());
    if (!code) throw invalid(field, 'must be a country name (see /countries) or an ISO 3166-1 alpha-2 code');
    return code;
  }
  async countryName(code: string | null): Promise<string | null> {
    if (!code) return null;
    return (await this.load()).byCode.get(code.toUpperCase()) ?? code;
  }

  async account(a: Account) {
    const number = accountNumber(a.id);
    return {
      self: `/accounts/${number}`,
      number,
      username: a.username,
      email: a.email,
      role: a.platformRole,
      verified: a.verified,
      activated: a.activated,
      firstName: a.firstName,
      lastName: a.lastName,
      title: a.title,
      dateOfBirth: a.dateOfBirth,
      phone: a.phone,
      country: await this.countryName(a.country),
      firstAddressLine: a.addressLine1,
      secondAddressLine: a.addressLine2,
      city: a.city,
      state: a.state,
      preferences: `/accounts/${number}/preferences`,
    };
  }

  async host(h: HostProfile) {
    return {
      self: `/hosts/${h.organizationId}`,
      name: h.name,
      contact: h.contactName,
      email: h.email,
      description: h.description,
      phone: h.phone,
      website: h.website,
      country: await this.countryName(h.country),
      firstAddressLine: h.addressLine1,
      secondAddressLine: h.addressLine2,
      city: h.city,
      state: h.state,
      businessNo: h.businessNumber,
    };
  }

  category(c: Category) {
    return { self: `/categories/${c.id}`, name: c.names.en, subcategories: c.subcategories.map((s) => s.names.en) };
  }

  async region(r: Region) {
    return { self: `/regions/${r.id}`, name: r.name, country: await this.countryName(r.countryCode), district: r.district, city: r.city, icon: null, active: r.active };
  }

  /** A venue; its region is a URI in venue answers, and a region object inside events. */
  async venue(v: Venue, region: 'uri' | Region | null = 'uri') {
    return {
      self: `/venues/${v.id}`,
      name: v.name,
      region: region === 'uri' ? (v.regionId ? `/regions/${v.regionId}` : null) : region ? await this.region(region) : { self: null },
      longitude: v.longitude,
      latitude: v.latitude,
      address: [v.addressLine1, v.addressLine2].filter(Boolean).join(', ') || null,
      map: staticMapUrl(v.latitude, v.longitude, this.core.ctx.config.mapsKey, this.core.ctx.config.mapsSigningSecret),
    };
  }

  /**
   * One TickeTing event: a date of a Guichet event (its first when none is named), with one section
   * per tariff on that date, each with the figures of that date and tariff (core's offers).
   */
  async event(principal: Principal, e: Event, dateId: number | null = null) {
    const date = (dateId !== null ? e.dates.find((d) => d.id === dateId) : e.dates[0]) ?? null;
    if (dateId !== null && !date) throw new TicketingError(404, MESSAGES.noResource);
    const [category, venue, offers] = await Promise.all([
      e.categoryId ? this.core.categories.read(e.categoryId).catch(() => null) : null,
      (date?.venueId ?? e.venueId) ? this.core.places.readVenue(principal, (date?.venueId ?? e.venueId)!).catch(() => null) : null,
      this.core.statistics.offers(principal, e),
    ]);
    const region = venue?.regionId ? await this.core.places.readRegion(venue.regionId).catch(() => null) : null;
    const ofDate = offers.filter((o) => o.dateId === date?.id);
    return {
      self: `/events/${eventRef(e, date?.id ?? null)}`,
      host: `/hosts/${principal.organizationId}`,
      published: e.createdAt,
      title: e.title,
      description: e.description,
      status: STATUS_NAMES[e.status],
      type: e.type,
      public: e.isPublic,
      category: category ? this.category(category) : { self: null, name: null, subcategories: [] },
      subcategory: category?.subcategories.find((s) => s.id === e.subcategoryId)?.names.en ?? null,
      start: date?.startsAt ?? null,
      end: date?.endsAt ?? null,
      venue: venue ? await this.venue(venue, region) : { self: null, region: { self: null } },
      disclaimer: e.disclaimer,
      tags: e.tags,
      popularity: ofDate.reduce((sum, o) => sum + o.sold, 0),
      sections: e.sections.flatMap((s): SectionView[] => {
        const own = ofDate.filter((o) => o.sectionId === s.id);
        // Places held (not yet sold) in the section on this date, whatever the tariff.
        const reserved = own.length > 0 ? Math.max(0, own[0].taken - own.reduce((sum, o) => sum + o.sold, 0)) : 0;
        if (own.length === 0) {
          // A section without a tariff (or an event without dates) is shown, not on sale.
          const capacity = date?.capacities.find((c) => c.sectionId === s.id)?.capacity ?? s.capacity;
          return [{ self: `/sections/${s.id}`, name: s.name, description: s.description, price: { base: 0, current: 0, expires: null }, salesStart: null, salesEnd: null, active: false, capacity, sold: 0, remaining: 0, reserved }];
        }
        return own.map((o) => {
          const tariff = e.tariffs.find((t) => t.id === o.tariffId)!;
          return {
            self: `/sections/${sectionRef(e, s.id, o.tariffId)}`,
            name: own.length > 1 ? `${s.name} (${tariff.label})` : s.name,
            description: s.description,
            price: { base: toAmount(o.price), current: toAmount(o.price), expires: null },
            salesStart: o.saleStartsAt,
            salesEnd: o.saleEndsAt,
            active: o.onSale,
            capacity: o.capacity,
            sold: o.sold,
            remaining: o.remaining,
            reserved,
          };
        });
      }),
      banner: e.imageUrls[0] ?? null,
      thumbnail: e.imageUrls[1] ?? e.imageUrls[0] ?? null,
    };
  }
}
