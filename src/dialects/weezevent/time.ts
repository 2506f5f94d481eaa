import { DateTime } from 'luxon';
import { localDateTime } from '../../core/catalog/local-time.ts';

/**
 * Weezevent's two ways of writing time: `Y-m-d H:i:s` in local time (event dates, participants,
 * server_time) and ISO 8601 with an offset (last_update, sale windows).
 */
const LOCAL = 'yyyy-MM-dd HH:mm:ss';

/** `Y-m-d H:i:s` of an instant in a time zone; "" when there is none (the samples' empty end dates). */
export function localTime(iso: string | null | undefined, zone: string): string {
  if (!iso) return '';
  return localDateTime(iso, zone).replace('T', ' ');
}

/** ISO 8601 with the zone's offset, as in `last_update` ("2013-05-27T18:02:16+02:00"). */
export function isoWithOffset(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toISO({ suppressMilliseconds: true, includeOffset: true })!;
}

/** ISO 8601 in UTC with a `+0000` offset, as in the tickets' sale windows; null when there is none. */
export function saleTime(iso: string | null): string | null {
  if (!iso) return null;
  return DateTime.fromISO(iso, { zone: 'utc' }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZZ");
}

/**
 * Reads a client's `Y-m-d H:i:s` (or `Y-m-d`, or ISO 8601 with an offset) as an instant, local
 * times in the given zone; null when it is not a valid date.
 */
export function parseLocal(value: string, zone: string): string | null {
  const text = value.trim();
  let parsed = DateTime.fromFormat(text, LOCAL, { zone });
  if (!parsed.isValid) parsed = DateTime.fromFormat(text, 'yyyy-MM-dd', { zone });
  if (!parsed.isValid) parsed = DateTime.fromISO(text, { zone, setZone: false });
  return parsed.isValid ? parsed.toUTC().toISO()! : null;
}

/** The start of the day after a calendar date, in a zone (for inclusive `date_end`). */
export function nextDay(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).startOf('day').plus({ days: 1 }).toUTC().toISO()!;
}
