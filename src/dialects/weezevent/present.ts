import type { Attendee, AttendeeAnswer } from '../../core/selling/attendees.ts';
import type { Listing } from '../../core/catalog/calendar.ts';
import { isoWithOffset, localTime } from './time.ts';

/**
 * Guichet's data in Weezevent's shapes (see the sample responses): numeric ids where the samples
 * have numbers, strings where they have strings, flags as "0"/"1" strings, money in major units.
 */

/** Minor units → major units of a currency (EUR 1250 → 12.5). */
export function major(amount: number, currency: string): number {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return amount / 10 ** digits;
}

/** Prices in event details: "142.00". */
export const decimal = (amount: number, currency: string) => major(amount, currency).toFixed(2);

/** "Jean-Pierre Dupont" → first and last name (the last word is the last name). */
export function splitName(name: string | null): { first: string; last: string } {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length <= 1) return { first: words[0] ?? '', last: '' };
  return { first: words.slice(0, -1).join(' '), last: words[words.length - 1] };
}

/** Weezevent's `origin`: how the participant came in. */
export function origin(a: Pick<Attendee, 'kind' | 'channelKind'>): string {
  if (a.kind === 'comp') return 'invitation';
  switch (a.channelKind) {
    case 'box_office': return 'guichet';
    case 'partner':
    case 'reseller': return 'distributeur';
    case 'mobile': return 'mobile';
    default: return 'web';
  }
}

export interface ControlStatus { status: string; scan_date: string; scan_user: string; scan_user_name: string }
/** No door record: never scanned (Weezevent's zero values). */
export const NOT_SCANNED: ControlStatus = { status: '0', scan_date: '0000-00-00 00:00:00', scan_user: '0', scan_user_name: '' };

export function participant(a: Attendee, options: { full: boolean; minimized: boolean; answers?: AttendeeAnswer[]; control?: ControlStatus }) {
  const holder = splitName(a.holderName ?? a.buyerName);
  const owner = {
    first_name: holder.first,
    last_name: holder.last,
    email: a.holderEmail ?? a.buyerEmail ?? '',
    comment: '',
    custom_field: '',
    origin: origin(a),
  };
  const deleted = a.state === 'withdrawn' ? '1' : '0';
  if (options.minimized) {
    return {
      id_participant: a.ticketId, id_event: a.eventId, id_date: a.dateId, id_ticket: String(a.tariffId ?? 0), barcode: a.barcode, deleted,
      paid: a.state !== 'unpaid', owner: { first_name: owner.first_name, last_name: owner.last_name }, control_status: options.control ?? NOT_SCANNED,
    };
  }
  const base = {
    id_participant: a.ticketId,
    id_event: a.eventId,
    id_date: a.dateId,
    id_ticket: String(a.tariffId ?? 0),
    barcode: a.barcode,
    id_weez_ticket: `T${a.ticketId}E${a.eventId}O${a.orderId ?? 0}`,
    deleted,
    refund: a.status === 'refunded' ? '1' : '',
    comment: '',
    create_date: localTime(a.createdAt, a.timeZone),
    origin: origin(a),
    id_transaction: a.orderId ?? 0,
    paid: a.state !== 'unpaid',
    transaction_reference: a.orderNumber ?? '',
    control_status: options.control ?? NOT_SCANNED,
    owner,
  };
  if (!options.full) return base;
  const answers = options.answers ?? [];
  const buyer = splitName(a.buyerName);
  return {
    ...base,
    promo_code: a.discountCode ?? '',
    answers: answers.filter((x) => x.ticketId === a.ticketId).map(({ label, value }) => ({ label, value })),
    buyer: {
      first_name: buyer.first,
      last_name: buyer.last,
      email: a.buyerEmail ?? '',
      answers: answers.filter((x) => x.ticketId === null).map(({ label, value }) => ({ label, value })),
    },
  };
}

const coordinate = (value: number | null | undefined) => (value ?? 0).toFixed(7);

/** An event as event details and the public search describe it. */
export function listing(l: Listing, countryNames: Map<string, string>, withDetails: boolean) {
  const zone = l.timeZone;
  const first = l.dates[0];
  const last = l.dates[l.dates.length - 1];
  const country = l.venue ? { code: l.venue.countryCode, name: countryNames.get(l.venue.countryCode) ?? l.venue.countryCode } : { code: null, name: null };
  const base = {
    id: String(l.id),
    title: l.title,
    site_url: '',
    description: l.description ?? '',
    image: l.imageUrls[0] ?? '',
    category: l.category ? { id: String(l.category.id), name: l.category.names.fr } : { id: '', name: '' },
    period: { start: localTime(first?.startsAt, zone), end: localTime(last ? (last.endsAt ?? last.startsAt) : null, zone) },
    price: l.price ? { min: decimal(l.price.min, l.price.currency), max: decimal(l.price.max, l.price.currency) } : { min: '0.00', max: '0.00' },
    venue: {
      name: l.venue?.name ?? '',
      address: l.venue?.addressLine1 ?? '',
      zip_code: l.venue?.zip ?? '',
      city: l.venue?.city ?? '',
      state: l.venue?.state ?? '',
      country,
      coordinates: { long: coordinate(l.venue?.longitude), lat: coordinate(l.venue?.latitude) },
    },
    extras: { minisite_url: '' },
  };
  if (!withDetails) return base;
  return {
    ...base,
    sale_period: { start: localTime(l.saleStartsAt, zone), end: localTime(l.saleEndsAt ?? first?.startsAt, zone) },
    dates: l.dates.map((d) => ({ start: localTime(d.startsAt, zone), end: localTime(d.endsAt, zone) })),
    organizer: {
      organization_name: l.organizer.name,
      first_name: '',
      last_name: '',
      location: { address: '', zip_code: '', city: '', state: '', country: { code: '', name: '' } },
      phone: '',
      cell_phone: '',
      fax: '',
      email: '',
      website: '',
      blog: '',
    },
  };
}

export const lastUpdate = (iso: string, zone: string) => isoWithOffset(iso, zone);
