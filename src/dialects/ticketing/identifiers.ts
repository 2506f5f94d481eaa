import crypto from 'node:crypto';

/**
 * TickeTing's identifier and time formats (ticketing-facts.md), as reversible encodings of Guichet's
 * own ids and barcodes: nothing is stored for them, so every dialect keeps naming the same rows.
 */

// Account numbers: `AC-` and eight characters, an affine permutation of the account id modulo 36^8
// (a multiplier prime to 36), so numbers are stable, unique, and do not read as a counter.
const M = 36n ** 8n;
const A = 2654435761n;
const B = 1234567891n;
function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}
const A_INVERSE = inverse(A, M);
export const ACCOUNT_NUMBER = /^[A-Z]{2}-[A-Z0-9]{8}$/;

export function accountNumber(id: number): string {
  return `AC-${((BigInt(id) * A + B) % M).toString(36).toUpperCase().padStart(8, '0')}`;
}

/** The account id of a number (or of a plain id, still accepted), or null when it names none. */
export function accountIdOf(value: string | number): number | null {
  const text = String(value).trim().replace(/^.*\/accounts\//, '');
  if (/^\d{1,15}$/.test(text)) return Number(text) > 0 ? Number(text) : null;
  if (!ACCOUNT_NUMBER.test(text) || !text.startsWith('AC-')) return null;
  const id = (((BigInt(parseInt(text.slice(3).toLowerCase(), 36)) - B) % M + M) % M * A_INVERSE) % M;
  return id > 0n && id <= BigInt(Number.MAX_SAFE_INTEGER) && id < 2n ** 31n ? Number(id) : null;
}

// Ticket serials: six characters, a dash, twelve. Guichet barcodes are 16 characters of an alphabet
// of upper-case letters and digits; the serial is the barcode cut 6 + 10, followed by two check
// characters, so a serial names exactly the ticket the native door admits under its barcode.
const CHECK_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
function check(barcode: string): string {
  const digest = crypto.createHash('sha256').update(`ticketing-serial:${barcode}`).digest();
  return CHECK_ALPHABET[digest[0] % 32] + CHECK_ALPHABET[digest[1] % 32];
}
export const SERIAL = /^[A-Z0-9]{6}-[A-Z0-9]{12}$/;

export function ticketSerial(barcode: string): string {
  return /^[A-Z0-9]{16}$/.test(barcode) ? `${barcode.slice(0, 6)}-${barcode.slice(6)}${check(barcode)}` : barcode;
}

/** The barcode a serial stands for; anything else (a barcode, a signed QR payload) is passed through. */
export function barcodeOf(scanned: string): string {
  const text = scanned.trim().toUpperCase();
  if (!SERIAL.test(text)) return scanned.trim();
  const barcode = text.slice(0, 6) + text.slice(7, 17);
  return check(barcode) === text.slice(17) ? barcode : scanned.trim();
}

// Times.
const seconds = (iso: string) => new Date(iso).toISOString().slice(0, 19);
/** Ticket `issued`, admission `admitted`: `YYYY-MM-DDTHH:MM:SS+00:00`. */
export const offsetTime = (iso: string | null) => (iso ? `${seconds(iso)}+00:00` : null);
/** Session `started`: `YYYY-MM-DD HH:MM:SS` (UTC). */
export const sessionTime = (iso: string) => seconds(iso).replace('T', ' ');
/** Admission session `started`: ISO 8601 with milliseconds and `Z`. */
export const isoMillis = (iso: string) => new Date(iso).toISOString();

/**
 * A venue's `map`: a Google Static Maps URL of its coordinates, signed with the operator's URL-signing
 * secret (HMAC-SHA1 of path and query, base64url) as Google requires; null without key, secret or coordinates.
 */
export function staticMapUrl(latitude: number | null, longitude: number | null, key: string | null, secret: string | null): string | null {
  if (latitude === null || longitude === null || !key || !secret) return null;
  const center = `${latitude},${longitude}`;
  const path = `/maps/api/staticmap?center=${center}&zoom=15&size=600x300&maptype=roadmap&markers=color:red%7C${center}&key=${encodeURIComponent(key)}`;
  const signature = crypto
    .createHmac('sha1', Buffer.from(secret.replace(/-/g, '+').replace(/_/g, '/'), 'base64'))
    .update(path)
    .digest('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
  return `https://maps.googleapis.com${path}&signature=${signature}`;
}

// Dates and tariffs. A TickeTing event has one start and end, and a section one price: an event with
// several dates is shown as one event per date (`/events/{event}-{date}`), and a section with several
// tariffs as one section per tariff (`/sections/{section}-{tariff}`). Single ones keep the plain id.
const REF = /^(\d{1,9})(?:-(\d{1,9}))?$/;

/** `12` or `12-34` → the id and the part after the dash (null without one); null when it is neither. */
export function parseRef(text: string): { id: number; part: number | null } | null {
  const match = REF.exec(text.trim());
  return match ? { id: Number(match[1]), part: match[2] ? Number(match[2]) : null } : null;
}

/** The TickeTing id of one date of an event (the event's own id when it has a single date). */
export function eventRef(event: { id: number; dates: { id: number }[] }, dateId: number | null): string {
  return event.dates.length > 1 && dateId !== null ? `${event.id}-${dateId}` : String(event.id);
}

/** The TickeTing id of one tariff of a section (the section's own id when it has a single tariff). */
export function sectionRef(event: { tariffs: { id: number; sectionId: number }[] }, sectionId: number, tariffId: number | null): string {
  return event.tariffs.filter((t) => t.sectionId === sectionId).length > 1 && tariffId !== null ? `${sectionId}-${tariffId}` : String(sectionId);
}

/** `/events/{event}/sections/{section}` or `/sections/{section}` (each id possibly `{id}-{part}`) → both refs; null when it is neither. */
export function parseSectionUri(uri: string): { event: { id: number; part: number | null } | null; section: { id: number; part: number | null } } | null {
  const match = /^(?:\/?events\/([0-9-]+))?\/?sections\/([0-9-]+)$/.exec(uri.trim());
  const event = match?.[1] !== undefined ? parseRef(match[1]) : null;
  const section = match ? parseRef(match[2]) : null;
  return section && (event || match?.[1] === undefined) ? { event, section } : null;
}
