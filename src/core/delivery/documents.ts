import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { PKPass } from 'passkit-generator';
import { SignJWT, decodeJwt, importPKCS8, jwtVerify } from 'jose';
import type { DeliveryConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { toIso } from '../../db/quirks.ts';
import { DomainError } from '../errors.ts';
import { qrPayload, signingKey } from '../selling/tickets.ts';
import { deliveryRepository as repo, type DocumentRow } from './repository.ts';
import { localTime, seatText, word, type Language } from './templates.ts';

/**
 * The ticket documents, rendered from the tickets as they are now whenever they are sent or
 * downloaded (never stored): a PDF per ticket and per order, an .ics per performance, an Apple
 * Wallet pass and a Google Wallet save link. Only valid tickets have documents.
 */

export type DocumentKind = 'order.pdf' | 'ticket.pdf' | 'ticket.pkpass' | 'date.ics';

export interface RenderedDocument {
  filename: string;
  contentType: string;
  body: Buffer;
}

const gone = (what: string) => new DomainError('CONFLICT', `${what} no longer admits: its documents are not available`);

/** Whether a ticket admits (valid, its event and date not cancelled): only those have documents. */
export const admits = (r: DocumentRow) => r.status === 'valid' && r.date_status !== 'cancelled' && r.event_status !== 'cancelled';

/** Admitting tickets' rows with their signed QR payloads. */
export async function withQr(db: Db, organizationId: number, rows: DocumentRow[], now: string) {
  const key = rows.length > 0 ? await signingKey(db, organizationId, now) : null;
  return rows.map((row) => ({ ...row, qr: qrPayload(key!, row) }));
}

/** A ticket's rows (with its QR payload), refused unless it admits. */
export async function admittingTickets(db: Db, organizationId: number, filter: { ticketIds?: number[]; orderId?: number }, now: string) {
  const rows = await repo.documentRows(db, organizationId, filter);
  return { all: rows, valid: await withQr(db, organizationId, rows.filter(admits), now) };
}
export type AdmittingTicket = Awaited<ReturnType<typeof admittingTickets>>['valid'][number];

const venueLine = (r: DocumentRow) => [r.venue_name, r.venue_address, [r.venue_zip, r.venue_city].filter(Boolean).join(' ')].filter(Boolean).join(', ') || null;

/** A PDF with one page per ticket: event, local date and time, venue, section, seat, tariff, holder, order number, QR code and barcode. */
export async function ticketsPdf(tickets: AdmittingTicket[], organizationName: string, language: Language): Promise<Buffer> {
  const qrs = await Promise.all(tickets.map((t) => QRCode.toBuffer(t.qr, { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 6 })));
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: tickets.map((t) => t.event_title)[0] ?? 'Tickets', Author: organizationName, Creator: 'Guichet' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  tickets.forEach((t, i) => {
    if (i > 0) doc.addPage();
    doc.fontSize(10).fillColor('#555').text(organizationName);
    doc.moveDown(0.5).fontSize(22).fillColor('#000').text(t.event_title);
    doc.moveDown(0.3).fontSize(13).text(localTime(toIso(t.starts_at)!, t.time_zone, language));
    const venue = venueLine(t);
    if (venue) doc.fontSize(11).text(venue);
    doc.moveDown();
    const field = (label: string, value: string | null) => value && doc.fontSize(11).fillColor('#555').text(`${label}${word(language, 'colon')}`, { continued: true }).fillColor('#000').text(value);
    field(word(language, 'section'), t.section_name);
    const seat = seatText(language, t.seat);
    if (seat) doc.fontSize(15).fillColor('#555').text(`${word(language, 'seat')}${word(language, 'colon')}`, { continued: true }).fillColor('#000').text(seat);
    field(word(language, 'tariff'), t.tariff_label);
    field(word(language, 'holder'), t.holder_name);
    field('#', t.order_number);
    doc.image(qrs[i], { fit: [220, 220] });
    doc.moveDown(0.5).fontSize(16).fillColor('#000').text(t.barcode, { characterSpacing: 2 });
    doc.fontSize(8).fillColor('#777').text(`${word(language, 'ticket')} ${t.id} · v${t.version}`);
  });
  doc.end();
  return done;
}

// ---- calendar -----------------------------------------------------------------------------------
const icsText = (value: string) => value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
const icsInstant = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
/** Lines longer than 75 octets are folded (RFC 5545 §3.1). */
function fold(line: string): string {
  const bytes = Buffer.from(line);
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  for (const char of line) {
    if (Buffer.byteLength(current + char) > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
    }
    current += char;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** An iCalendar entry for one performance (all tickets of one date share it). */
export function dateIcs(t: DocumentRow, organization: { slug: string; name: string }, now: string): Buffer {
  const venue = venueLine(t);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Guichet//Tickets//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:date-${t.date_id}@${organization.slug}.guichet`,
    `DTSTAMP:${icsInstant(now)}`,
    `DTSTART:${icsInstant(toIso(t.starts_at)!)}`,
    ...(t.ends_at ? [`DTEND:${icsInstant(toIso(t.ends_at)!)}`] : []),
    `SUMMARY:${icsText(t.event_title)}`,
    ...(venue ? [`LOCATION:${icsText(venue)}`] : []),
    ...(t.venue_latitude !== null && t.venue_longitude !== null ? [`GEO:${t.venue_latitude};${t.venue_longitude}`] : []),
    `ORGANIZER;CN=${icsText(organization.name)}:mailto:no-reply@${organization.slug}.guichet`,
    `STATUS:${t.date_status === 'cancelled' || t.event_status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return Buffer.from(lines.map(fold).join('\r\n') + '\r\n');
}

// ---- Apple Wallet ---------------------------------------------------------------------------------
/** A solid-colour PNG (the pass's icon): Wallet requires one; no image file needs shipping. */
function solidPng(size: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
let icon: Buffer | null = null;

const readPem = (value: string) => (value.includes('-----BEGIN') ? value : fs.readFileSync(value, 'utf8'));

/** A pass's serial number: the ticket and its version, so a ticket handed over gets a new pass and the old one is voided. */
export const passSerial = (t: { organization_id: number; id: number; version: number }) => `${t.organization_id}-${t.id}-${t.version}`;

/**
 * A signed `.pkpass`. An admitting ticket's carries its signed QR payload (and, when the operator runs
 * the pass web service, where and how to ask for updates); a `voided` one (the ticket was refunded,
 * cancelled or handed over since) carries no barcode and is shown by Wallet as void.
 */
export async function walletPass(
  config: NonNullable<DeliveryConfig['applePass']>,
  t: DocumentRow & { qr?: string },
  organizationName: string,
  language: Language,
  options: { serial: string; voided?: boolean; webService?: { url: string; token: string } },
): Promise<Buffer> {
  icon ??= solidPng(58, [33, 37, 41]);
  const pass = new PKPass(
    {
      'icon.png': icon,
      'icon@2x.png': icon,
      'pass.json': Buffer.from(
        JSON.stringify({
          formatVersion: 1,
          passTypeIdentifier: config.passTypeId,
          teamIdentifier: config.teamId,
          organizationName,
          description: t.event_title,
          serialNumber: options.serial,
          backgroundColor: 'rgb(255,255,255)',
          foregroundColor: 'rgb(0,0,0)',
          eventTicket: {},
          ...(options.voided ? { voided: true } : {}),
        }),
      ),
    },
    {
      wwdr: readPem(config.wwdr),
      signerCert: readPem(config.certificate),
      signerKey: readPem(config.key),
      ...(config.keyPassphrase ? { signerKeyPassphrase: config.keyPassphrase } : {}),
    },
    options.webService ? { webServiceURL: options.webService.url, authenticationToken: options.webService.token } : {},
  );
  pass.primaryFields.push({ key: 'event', label: word(language, 'ticket'), value: t.event_title });
  pass.secondaryFields.push(
    { key: 'date', label: 'Date', value: localTime(toIso(t.starts_at)!, t.time_zone, language) },
    { key: 'section', label: word(language, 'section'), value: t.section_name },
  );
  pass.auxiliaryFields.push(...[t.tariff_label && { key: 'tariff', label: word(language, 'tariff'), value: t.tariff_label }, t.holder_name && { key: 'holder', label: word(language, 'holder'), value: t.holder_name }].filter((f): f is { key: string; label: string; value: string } => Boolean(f)));
  if (t.venue_name) pass.backFields.push({ key: 'venue', label: word(language, 'venue'), value: venueLine(t)! });
  pass.setRelevantDates([{ relevantDate: toIso(t.starts_at)! }]);
  if (!options.voided && t.qr) pass.setBarcodes({ message: t.qr, format: 'PKBarcodeFormatQR', messageEncoding: 'iso-8859-1', altText: t.barcode });
  return pass.getAsBuffer();
}

// ---- Google Wallet ------------------------------------------------------------------------------
interface ServiceAccount { client_email: string; private_key: string }
const serviceAccounts = new Map<string, Promise<{ email: string; key: CryptoKey }>>();

/**
 * A Google Wallet "save" link: a JWT signed with the operator's service-account key that carries the
 * event ticket class and object themselves, so Google creates them when the holder saves it (no API call).
 */
export async function googleWalletLink(config: NonNullable<DeliveryConfig['googleWallet']>, t: AdmittingTicket, organization: { slug: string; name: string }, language: Language, origin: string): Promise<string> {
  let account = serviceAccounts.get(config.serviceAccountFile);
  if (!account) {
    account = (async () => {
      const json = JSON.parse(fs.readFileSync(config.serviceAccountFile, 'utf8')) as ServiceAccount;
      return { email: json.client_email, key: (await importPKCS8(json.private_key, 'RS256')) as CryptoKey };
    })();
    serviceAccounts.set(config.serviceAccountFile, account);
  }
  const { email, key } = await account;
  const id = (suffix: string) => `${config.issuerId}.${organization.slug}-${suffix}`.replace(/[^\w.-]/g, '_');
  const localized = (value: string) => ({ defaultValue: { language, value } });
  const classId = id(`event-${t.event_id}-date-${t.date_id}`);
  const jwt = await new SignJWT({
    aud: 'google',
    typ: 'savetowallet',
    origins: [origin],
    payload: {
      eventTicketClasses: [
        {
          id: classId,
          issuerName: organization.name,
          reviewStatus: 'UNDER_REVIEW',
          eventName: localized(t.event_title),
          dateTime: { start: toIso(t.starts_at), ...(t.ends_at ? { end: toIso(t.ends_at) } : {}) },
          ...(t.venue_name ? { venue: { name: localized(t.venue_name), address: localized(venueLine(t)!) } } : {}),
        },
      ],
      eventTicketObjects: [
        {
          // The version is part of the id: a transferred ticket is a new object with its new barcode.
          id: id(`ticket-${t.id}-v${t.version}`),
          classId,
          state: 'ACTIVE',
          barcode: { type: 'QR_CODE', value: t.qr, alternateText: t.barcode },
          ticketHolderName: t.holder_name ?? undefined,
          ticketNumber: t.barcode,
          seatInfo: { section: localized(t.section_name) },
          ...(t.tariff_label ? { ticketType: localized(t.tariff_label) } : {}),
        },
      ],
    },
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(email)
    .setIssuedAt()
    .sign(key);
  return `https://pay.google.com/gp/v/save/${jwt}`;
}

// ---- signed links -------------------------------------------------------------------------------
/** The organization's private key (decrypted from rest and cached by signingKey). */
async function privateKeyOf(db: Db, organizationId: number, now: string) {
  return (await signingKey(db, organizationId, now)).privateKey;
}

/**
 * What a link's token opens: the documents of one order (or of one guest's comps), without signing
 * in. One token per e-mail covers all its links (signing is the costly part of writing the mail).
 */
export interface DocumentClaim {
  organizationId: number;
  scope: 'order' | 'guest';
  id: number;
  language: Language;
}

/** A token for the links of an e-mail, signed with the organization's key; it expires. */
export async function signDocumentLink(db: Db, claim: DocumentClaim, now: Date, ttlSeconds: number): Promise<string> {
  const key = await privateKeyOf(db, claim.organizationId, now.toISOString());
  return new SignJWT({ org: claim.organizationId, scope: claim.scope, lang: claim.language })
    .setProtectedHeader({ alg: 'EdDSA' })
    .setIssuer('guichet')
    .setSubject(String(claim.id))
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(now.getTime() / 1000) + ttlSeconds)
    .sign(key);
}

/** What a link names, once its signature and expiry are checked; a tampered or expired link is refused. */
export async function verifyDocumentLink(db: Db, token: string, now: Date): Promise<DocumentClaim> {
  const refused = (why: string) => new DomainError('TOKEN_EXPIRED', `This link is ${why}; ask for the documents again`);
  let organizationId: number;
  try {
    organizationId = Number(decodeJwt(token).org);
  } catch {
    throw new DomainError('FORBIDDEN', 'This link is not valid');
  }
  if (!Number.isInteger(organizationId) || !(await repo.organization(db, organizationId))) throw new DomainError('FORBIDDEN', 'This link is not valid');
  const publicKey = crypto.createPublicKey((await signingKey(db, organizationId, now.toISOString())).publicKeyPem);
  try {
    const { payload } = await jwtVerify(token, publicKey, { algorithms: ['EdDSA'], issuer: 'guichet', currentDate: now });
    const scope = payload.scope as DocumentClaim['scope'];
    if ((scope !== 'order' && scope !== 'guest') || payload.org !== organizationId) throw new Error('bad claim');
    const language = (['en', 'fr', 'de'].includes(String(payload.lang)) ? payload.lang : 'en') as Language;
    return { organizationId, scope, id: Number(payload.sub), language };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_JWT_EXPIRED') throw refused('expired');
    throw new DomainError('FORBIDDEN', 'This link is not valid');
  }
}

export { gone };
