import { createHash } from 'node:crypto';
import { foldText } from '../../db/fold.ts';
import type { DirectoryChannel, DirectorySection, DirectoryTariff, DirectoryVenue, Grouping, Performance } from '../../core/catalog/directory.ts';
import type { Venue } from '../../core/catalog/places.ts';
import type { Series, SeriesKind } from '../../core/catalog/series.ts';
import { localDateTime } from '../../core/catalog/local-time.ts';
import { link, type Resource } from './hal.ts';

/** Guichet's catalog in the Pims vocabulary: field names, codes, translated labels, ids, number and time formats. */

export const LANGUAGES = ['en', 'fr', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The first of en/fr/de the client accepts (Accept-Language, by quality), else English. */
export function languageOf(header: string | undefined): Language {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.slice(0, 2), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked.find((r) => (LANGUAGES as readonly string[]).includes(r.lang))?.lang as Language) ?? 'en';
}

type Labels = Record<Language, string>;
const LABELS: Record<string, Record<string, Labels>> = {
  venue: {
    SAL: { en: 'Venue', fr: 'Salle', de: 'Spielstätte' },
    FES: { en: 'Festival', fr: 'Festival', de: 'Festival' },
  },
  series: {
    TOU: { en: 'Tour', fr: 'Tournée', de: 'Tournee' },
    LGS: { en: 'Long run', fr: 'Série longue', de: 'Spielserie' },
  },
  input: {
    DET: { en: 'Detailed', fr: 'Détaillé', de: 'Detailliert' },
    GLO: { en: 'Global', fr: 'Global', de: 'Gesamt' },
  },
  contract: {
    PRO: { en: 'Production', fr: 'Production', de: 'Produktion' },
    COP: { en: 'Co-production', fr: 'Coproduction', de: 'Koproduktion' },
    PLO: { en: 'Hire', fr: 'Plateau', de: 'Vermietung' },
    COR: { en: 'Co-realisation', fr: 'Coréalisation', de: 'Ko-Realisierung' },
    CES: { en: 'Sale', fr: 'Cession', de: 'Verkauf' },
  },
};
const typeObject = (kind: keyof typeof LABELS, id: string, lang: Language) => ({ id, label: LABELS[kind][id][lang] });

export const VENUE_TYPES: Record<string, 'hall' | 'festival'> = { SAL: 'hall', FES: 'festival' };
const VENUE_TYPE_OF: Record<string, string> = { hall: 'SAL', festival: 'FES' };
export const SERIES_TYPES: Record<string, SeriesKind> = { TOU: 'tour', LGS: 'long_run' };
const SERIES_TYPE_OF: Record<string, string> = { tour: 'TOU', long_run: 'LGS' };

/** Timestamps as the Pims document types them: integer Unix seconds (its examples: 1496903403, 1516500001). */
export const timestamp = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** A key the document marks optional and not nullable is left out when there is no value, never sent as null. */
export function optional<T>(key: string, value: T | null | undefined): Record<string, T> {
  return value === null || value === undefined ? {} : { [key]: value };
}

/**
 * Pims suppliers are entities with an integer id; a Guichet supplier is a name. Its id is derived
 * from the name (case- and accent-insensitively, 31 bits of its SHA-256), so the same supplier has
 * the same id on every promotion and every request.
 */
export function supplierId(name: string): number {
  return createHash('sha256').update(foldText(name.trim()) ?? '').digest().readUInt32BE(0) & 0x7fffffff || 1;
}

/** Decimal places of a currency's minor unit (EUR 2, JPY 0). */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Amounts in major units (Pims prints prices as decimal numbers). */
export function major(amount: number, currency: string): number {
  return amount / 10 ** minorDigits(currency);
}

/**
 * Pims series are Guichet series, and also events with several dates that belong to no series
 * (productions). One integer id space for both: series n → 2n, production n → 2n + 1.
 */
export const seriesIdOf = (source: 'series' | 'production', id: number) => (source === 'series' ? id * 2 : id * 2 + 1);
export function decodeSeriesId(id: number): { source: 'series' | 'production'; id: number } {
  return id % 2 === 0 ? { source: 'series', id: id / 2 } : { source: 'production', id: (id - 1) / 2 };
}

/** The Pims series an event date belongs to: its Guichet series, else its production when it has several dates. */
export function performanceSeriesId(p: Performance): number | null {
  if (p.seriesId !== null) return seriesIdOf('series', p.seriesId);
  return p.dateCount > 1 ? seriesIdOf('production', p.eventId) : null;
}

/** What Guichet does not model is printed as Pims' most common case: Guichet counts every sale (DET), own production (PRO). */
const contract = (lang: Language) => ({ type: typeObject('contract', 'PRO', lang), partner: null });

export function venue(base: string, v: DirectoryVenue | Venue, lang: Language): Resource {
  return {
    id: v.id,
    type: typeObject('venue', VENUE_TYPE_OF[v.kind] ?? 'SAL', lang),
    label: v.name,
    first_address: v.addressLine1,
    second_address: v.addressLine2,
    zip_code: v.zip,
    city: v.city,
    major_city: null,
    country_code: v.countryCode,
    creation_timestamp: timestamp(v.createdAt),
    last_update_timestamp: timestamp(v.updatedAt),
    alternative_labels: [],
    _links: link(`${base}/venues/${v.id}`),
  };
}

/** A day in the event's time zone (`YYYY-MM-DD`), as Pims prints its `date` fields. */
const localDay = (iso: string | null, timeZone: string) => (iso === null ? null : localDateTime(iso, timeZone).slice(0, 10));

export const hasVenue = (p: Performance): p is Performance & { venue: DirectoryVenue } => p.venue !== null;

/** Pims events are Guichet dates; only dates with a venue are Pims events (the document requires one). */
export function event(base: string, p: Performance & { venue: NonNullable<Performance['venue']> }, lang: Language): Resource {
  return {
    id: p.id,
    series_id: performanceSeriesId(p),
    label: p.label,
    datetime: p.localStartsAt,
    venue: venue(base, p.venue, lang),
    input_type: typeObject('input', 'DET', lang),
    contract: contract(lang),
    free: p.free,
    creation_timestamp: timestamp(p.createdAt),
    last_update_timestamp: timestamp(p.updatedAt),
    ...optional('cancellation_date', p.cancelled ? localDay(p.updatedAt, p.timeZone) : null),
    ...optional('currency', p.currency),
    ...optional('general_sales_date', localDay(p.saleStartsAt, p.timeZone)),
    ...optional('presales_date', localDay(p.presaleStartsAt, p.timeZone)),
    ...optional('sold_out_date', localDay(p.soldOutAt, p.timeZone)),
    ...optional('max_capacity', p.capacity),
    _links: link(`${base}/events/${p.id}`),
  };
}

export function series(base: string, g: Grouping | (Series & { source?: undefined }), venues: Map<number, DirectoryVenue>, lang: Language): Resource {
  const id = seriesIdOf(g.source ?? 'series', g.id);
  const v = g.venueId !== null ? venues.get(g.venueId) : undefined;
  return {
    id,
    type: typeObject('series', SERIES_TYPE_OF[g.kind] ?? 'TOU', lang),
    label: g.label,
    // Required by the document: a series with no date of its own yet shows the day it was created.
    first_date: g.firstDate ?? g.lastDate ?? g.createdAt.slice(0, 10),
    last_date: g.lastDate ?? g.firstDate ?? g.createdAt.slice(0, 10),
    creation_timestamp: timestamp(g.createdAt),
    last_update_timestamp: timestamp(g.updatedAt),
    contract: contract(lang),
    ...optional('venue', v ? venue(base, v, lang) : null),
    _links: link(`${base}/series/${id}`),
  };
}

/** Pims categories are Guichet sections (a zone with its capacity). */
export const category = (base: string, s: DirectorySection): Resource => ({
  id: s.id,
  label: s.name,
  short_label: null,
  ignored: false,
  last_update_timestamp: timestamp(s.updatedAt),
  _links: link(`${base}/categories/${s.id}`),
});

/** Pims channels are Guichet sales channels; a deactivated channel is "ignored". */
export const channel = (base: string, c: DirectoryChannel): Resource => ({
  id: c.id,
  label: c.name,
  short_label: null,
  ignored: !c.active,
  last_update_timestamp: timestamp(c.updatedAt),
  _links: link(`${base}/channels/${c.id}`),
});

/** Pims price ranges are Guichet tariffs. */
export const priceRange = (base: string, t: DirectoryTariff): Resource => ({
  id: t.id,
  label: t.label,
  short_label: null,
  ignored: false,
  last_update_timestamp: timestamp(t.updatedAt),
  _links: link(`${base}/price-ranges/${t.id}`),
});

export const eventCategory = (base: string, eventId: number, s: DirectorySection, tariffs: DirectoryTariff[]): Resource => ({
  id: s.id,
  ignored: false,
  category: category(base, s),
  event_price_ranges: tariffs.map((t) => ({
    id: t.id,
    price_range: priceRange(base, t),
    base_price: major(t.price, t.currency),
    public_price: major(t.price, t.currency),
    currency: t.currency,
    ignored: false,
  })),
  _links: link(`${base}/events/${eventId}/categories/${s.id}`),
});

export const eventChannel = (base: string, eventId: number, c: DirectoryChannel): Resource => ({
  id: c.id,
  ignored: !c.active,
  channel: channel(base, c),
  _links: link(`${base}/events/${eventId}/channels/${c.id}`),
});
