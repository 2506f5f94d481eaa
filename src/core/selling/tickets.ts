import crypto from 'node:crypto';
import QRCode from 'qrcode';
import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { toIso } from '../../db/quirks.ts';
import { pooledRandomBytes } from '../random.ts';
import { columnsOf } from '../../db/columns.ts';
import type { Database, Db, Engine } from '../../db/database.ts';
import { paged } from '../../db/paging.ts';
import { placeholderRow, prepared, preparedPerRowCount } from '../../db/prepared.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import type { Sealer } from '../identity/secrets.ts';
import type { TicketRow } from './repository.ts';
import { sql, type Insertable, type Updateable } from 'kysely';
import type { TicketsTable } from '../../db/tables.ts';
import { printedSeat, seatLabel, type SeatRef } from '../seating/index.ts';
import { recordPassChange } from '../delivery/outbox.ts'; // imports nothing back: no cycle with delivery's documents

/**
 * Tickets: one per admission. Each has a random barcode (16 characters from an alphabet without
 * look-alikes: 80 bits, unguessable, unique per organization) and a QR payload signed with the
 * organization's Ed25519 key, so a door device holding only the public key can check it offline.
 */
export const BARCODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
// randomReference relies on 32 letters (5 random bits each).
if (BARCODE_ALPHABET.length !== 32) throw new Error('BARCODE_ALPHABET must have 32 letters');
export const BARCODE_LENGTH = 16;
const PAYLOAD_VERSION = 'G1';
/** Payloads of seated tickets sign the seat too: `G2.<org>.<ticket>.<version>.<date>.<section>.<seat>.<barcode>.<signature>`. */
const SEATED_PAYLOAD_VERSION = 'G2';

/** `pending` from checkout until payment; `valid` admits; `refunded`/`cancelled` do not. */
export type TicketStatus = 'pending' | 'valid' | 'refunded' | 'cancelled';

export interface Ticket {
  id: number;
  kind: 'sale' | 'comp';
  status: TicketStatus;
  eventId: number;
  dateId: number;
  sectionId: number;
  tariffId: number | null;
  orderId: number | null;
  guestId: number | null;
  barcode: string;
  version: number;
  holderName: string | null;
  holderEmail: string | null;
  holderAccountId: number | null;
  /** The seat of a ticket for a seated section (core/seating), null for general admission. */
  seat: { id: number; area: string; row: string; number: string; label: string } | null;
  /** The signed QR payload (what the QR image encodes); only a valid ticket has one. */
  qrPayload: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A random reference read by people (barcodes, order numbers): letters and digits without look-alikes. */
export function randomReference(length: number): string {
  // The alphabet has 32 letters: the low 5 bits of a random byte pick one without bias.
  const bytes = pooledRandomBytes(length);
  let code = '';
  for (let i = 0; i < length; i++) code += BARCODE_ALPHABET[bytes[i] & 31];
  return code;
}

export const newBarcode = () => randomReference(BARCODE_LENGTH);

export interface SigningKey {
  organizationId: number;
  publicKeyPem: string;
  /** The raw 32-byte Ed25519 public key, base64url: what door apps usually embed. */
  publicKeyRaw: string;
  sign(message: string): string;
  /** The private key itself, for other signatures made with the organization's key (signed document links); never stored or sent. */
  privateKey: crypto.KeyObject;
}

const keyCache = new WeakMap<Db, Map<number, SigningKey>>();
/** The at-rest encryption of each database's private keys (registered by createCore). */
const sealers = new WeakMap<Db, Sealer>();
export function registerSealer(db: Db, sealer: Sealer) {
  sealers.set(db, sealer);
}

/**
 * Among the tickets of an order the viewer may use, those whose barcode they may see: all of them
 * for sellers and shop fronts; for a signed-in buyer only those they still hold (a transferred
 * ticket belongs to its recipient) — the same rule as `ticketRepository.visible`.
 */
export function maySeeTicketOfOrder(viewer: Principal, ticket: TicketRow): boolean {
  return viewer.scopes.has('sell') || !viewer.signedIn || ticket.holder_account_id === viewer.accountId;
}

const TICKET_COLUMNS = [
  'organization_id', 'event_id', 'date_id', 'section_id', 'tariff_id', 'order_id', 'order_line_id', 'guest_id', 'kind', 'barcode', 'version',
  'holder_name', 'holder_email', 'holder_account_id', 'status', 'seat_id', 'seat', 'created_at', 'updated_at',
] as const;
type NewTicketRow = Required<Pick<Insertable<TicketsTable>, (typeof TICKET_COLUMNS)[number]>>;
/** Tickets signed before they are stored: under ids drawn beforehand, with their signatures. */
const SIGNED_TICKET_COLUMNS = ['id', ...TICKET_COLUMNS, 'qr_signature'] as const;
type SignedTicketRow = NewTicketRow & { id: number; qr_signature: string };
const INSERT_BATCH = 100;

// An order has a few tickets; seeding uses full batches.
const insertStatement = (columns: readonly string[]) =>
  preparedPerRowCount((db, p, rows) =>
    db
      .insertInto('tickets')
      .values(Array.from({ length: rows }, (_, r) => placeholderRow(p, columns, `.${r}`) as NewTicketRow))
      .onConflict((oc) => oc.columns(['organization_id', 'barcode']).doNothing())
      .returningAll(),
  );
const insertTicketsStatement = insertStatement(TICKET_COLUMNS);
const insertSignedTicketsStatement = insertStatement(SIGNED_TICKET_COLUMNS);

// The signatures of n tickets: one UPDATE with a CASE on the id.
const storeSignaturesStatement = preparedPerRowCount((db, p, rows) => {
  const range = Array.from({ length: rows }, (_, r) => r);
  return (
    db
      .updateTable('tickets')
      .set({ qr_signature: sql<string>`case ${sql.ref('id')} ${sql.join(range.map((r) => sql`when ${p[`id.${r}`]} then ${p[`signature.${r}`]}`), sql` `)} end` })
      .where('id', 'in', range.map((r) => p[`id.${r}`] as number))
      // Fills only missing signatures: a transfer in between wrote its own, for the new barcode.
      .where('qr_signature', 'is', null)
  );
});

const nextIdsPostgres = prepared((db, p: { n: number }) =>
  db.selectFrom(sql<{ n: number }>`generate_series(1, ${p.n}::int)`.as('g')).select(sql<number>`nextval(pg_get_serial_sequence('tickets', 'id'))`.as('id')),
);
// AUTOINCREMENT's sequence, or the largest id if a row was stored with an explicit id beyond it.
const lastIdSqlite = prepared((db, _p: Record<string, never>) =>
  db.selectNoFrom(sql<number>`max(coalesce((select seq from sqlite_sequence where name = 'tickets'), 0), coalesce((select max(id) from tickets), 0))`.as('last')),
);

/** The SQL of tickets and signing keys. */
const ticketRepository = {
  key(db: Db, organizationId: number) {
    return db.selectFrom('organization_keys').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
  },
  /** Stores a key unless another process stored one first (then that one is used). */
  async insertKey(db: Db, values: { organization_id: number; public_key: string; private_key: string; created_at: string }) {
    await db.insertInto('organization_keys').values(values).onConflict((oc) => oc.column('organization_id').doNothing()).execute();
  },
  async sealKey(db: Db, organizationId: number, plain: string, sealed: string) {
    await db.updateTable('organization_keys').set({ private_key: sealed }).where('organization_id', '=', organizationId).where('private_key', '=', plain).execute();
  },
  /** Inserts tickets (at most INSERT_BATCH), skipping any whose barcode is taken; returns those inserted. */
  insertTickets(db: Db, rows: NewTicketRow[] | SignedTicketRow[]) {
    const signed = 'qr_signature' in rows[0];
    const columns = signed ? SIGNED_TICKET_COLUMNS : TICKET_COLUMNS;
    const args: Record<string, unknown> = {};
    rows.forEach((row, r) => columns.forEach((column) => (args[`${column}.${r}`] = (row as SignedTicketRow)[column])));
    return (signed ? insertSignedTicketsStatement : insertTicketsStatement)(rows.length)(db, args).then((result) => result.rows);
  },
  /**
   * n ticket ids for tickets stored later in the same transaction. PostgreSQL draws them from the
   * sequence; SQLite gives the next ones after the table's sequence, which stay free because the
   * transaction holds the database's only write lock until it stores them.
   */
  async nextIds(db: Db, engine: Engine, n: number): Promise<number[]> {
    if (engine === 'postgres') {
      const { rows } = await nextIdsPostgres(db, { n });
      return rows.map((r) => Number(r.id));
    }
    const { rows } = await lastIdSqlite(db, {});
    const last = Number(rows[0]?.last ?? 0);
    return Array.from({ length: n }, (_, i) => last + 1 + i);
  },
  /** Stores the QR signatures of just-issued tickets that have none yet (at most INSERT_BATCH), in one statement. */
  async storeSignatures(db: Db, tickets: { id: number; qr_signature: string | null }[]) {
    const args: Record<string, unknown> = {};
    tickets.forEach((ticket, r) => {
      args[`id.${r}`] = ticket.id;
      args[`signature.${r}`] = ticket.qr_signature;
    });
    await storeSignaturesStatement(tickets.length)(db, args);
  },
  update(db: Db, organizationId: number, id: number, values: Updateable<TicketsTable>) {
    return db.updateTable('tickets').set(values).where('organization_id', '=', organizationId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  /** The tickets a principal may see: the organization's for sellers, their own for buyers, a shop's anonymous orders' for a shop. */
  visible(db: Db, principal: Principal) {
    let query = db.selectFrom('tickets').where('tickets.organization_id', '=', principal.organizationId);
    if (principal.scopes.has('sell')) return query;
    if (principal.signedIn) {
      // The holder, not the buyer: once a ticket is transferred its new barcode is the recipient's alone.
      return query.where('tickets.holder_account_id', '=', principal.accountId ?? -1);
    }
    // A guest in a browser: the tickets of the orders their browser session made.
    if (principal.credential.kind === 'web_session') {
      const session = principal.credential.id;
      return query.where((eb) =>
        eb.exists(eb.selectFrom('orders').select('orders.id').whereRef('orders.id', '=', 'tickets.order_id').where('orders.web_session_id', '=', session).where('orders.account_id', 'is', null)),
      );
    }
    const client = principal.clientId ?? -1;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('orders').select('orders.id').whereRef('orders.id', '=', 'tickets.order_id').where('orders.oauth_client_id', '=', client).where('orders.account_id', 'is', null)),
    );
    return query;
  },
};

/** The organization's signing key, created on first use. The private key never leaves the server. */
export async function signingKey(db: Db, organizationId: number, now: string): Promise<SigningKey> {
  let cache = keyCache.get(db);
  if (!cache) keyCache.set(db, (cache = new Map()));
  const cached = cache.get(organizationId);
  if (cached) return cached;
  const sealer = sealers.get(db);
  if (!sealer) throw new Error('no at-rest key registered for this database (createCore registers it)');
  let row = await ticketRepository.key(db, organizationId);
  if (!row) {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
    await ticketRepository.insertKey(db, {
      organization_id: organizationId,
      public_key: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      private_key: sealer.seal(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
      created_at: now,
    });
    row = (await ticketRepository.key(db, organizationId))!;
  }
  const privateKey = crypto.createPrivateKey(sealer.open(row.private_key));
  // A key stored in clear before keys were encrypted is encrypted on first use.
  if (!sealer.isSealed(row.private_key)) await ticketRepository.sealKey(db, organizationId, row.private_key, sealer.seal(row.private_key));
  const publicKey = crypto.createPublicKey(row.public_key);
  const key: SigningKey = {
    organizationId,
    publicKeyPem: row.public_key,
    publicKeyRaw: (publicKey.export({ format: 'jwk' }) as { x: string }).x,
    sign: (message) => crypto.sign(null, Buffer.from(message), privateKey).toString('base64url'),
    privateKey,
  };
  cache.set(organizationId, key);
  return key;
}

/** What the signature covers: the ticket's identity, version (bumped by transfers), performance, section, seat if any, and barcode. */
function payloadBody(organizationId: number, t: SignedFields) {
  if (t.seat_id !== null && t.seat_id !== undefined) return [SEATED_PAYLOAD_VERSION, organizationId, t.id, t.version, t.date_id, t.section_id, t.seat_id, t.barcode].join('.');
  return [PAYLOAD_VERSION, organizationId, t.id, t.version, t.date_id, t.section_id, t.barcode].join('.');
}
type SignedFields = Pick<TicketRow, 'id' | 'version' | 'date_id' | 'section_id' | 'seat_id' | 'barcode'>;

/** The signature of a ticket's QR payload as it is now (stored with the ticket when it is issued or changes hands). */
export function qrSignature(key: SigningKey, ticket: SignedFields): string {
  return key.sign(payloadBody(key.organizationId, ticket));
}

export function qrPayload(key: SigningKey, ticket: SignedFields & { qr_signature?: string | null }): string {
  return `${payloadBody(key.organizationId, ticket)}.${ticket.qr_signature ?? qrSignature(key, ticket)}`;
}

/** What a QR payload says, before anyone checks its signature; null if it is not one. */
export function parseQrPayload(payload: string) {
  const parts = payload.split('.');
  const seated = parts[0] === SEATED_PAYLOAD_VERSION;
  if (parts.length !== (seated ? 9 : 8) || (parts[0] !== PAYLOAD_VERSION && !seated)) return null;
  const [, organizationId, ticketId, version, dateId, sectionId] = parts;
  return {
    organizationId: Number(organizationId),
    ticketId: Number(ticketId),
    version: Number(version),
    dateId: Number(dateId),
    sectionId: Number(sectionId),
    // Only seated (G2) payloads name a seat.
    ...(seated ? { seatId: Number(parts[6]) } : {}),
    barcode: parts[parts.length - 2],
    body: parts.slice(0, -1).join('.'),
    signature: parts[parts.length - 1],
  };
}
export type ParsedQrPayload = NonNullable<ReturnType<typeof parseQrPayload>>;

/**
 * Whether a parsed payload carries this server's signature, given the ticket its barcode names (if
 * any). When the payload describes that ticket as it is now and the ticket's signature is stored, the
 * two are compared: nothing to compute. Otherwise (an older version, another ticket, a ticket issued
 * before signatures were stored) the signature is computed again and compared: Ed25519 signatures are
 * deterministic (RFC 8032), so the one signature this server ever issues for a body is the only one
 * to accept, and signing costs about a third of verifying (≈ 50 against ≈ 150 µs here).
 */
export function isAuthenticQrPayload(key: SigningKey, payload: ParsedQrPayload, ticket?: SignedFields & { qr_signature: string | null }): boolean {
  const expected =
    ticket?.qr_signature && payload.body === payloadBody(key.organizationId, ticket) ? ticket.qr_signature : key.sign(payload.body);
  const given = Buffer.from(payload.signature, 'base64url');
  const wanted = Buffer.from(expected, 'base64url');
  return given.length === wanted.length && crypto.timingSafeEqual(given, wanted);
}

/**
 * Checks a QR payload with an organization's public key (PEM, or a parsed key object, which spares
 * parsing the PEM at every check), as an offline door device does; returns what it says, or null if
 * forged or malformed.
 */
export function verifyQrPayload(key: string | crypto.KeyObject, payload: string) {
  const parsed = parseQrPayload(payload);
  if (!parsed) return null;
  let valid = false;
  try {
    valid = crypto.verify(null, Buffer.from(parsed.body), typeof key === 'string' ? crypto.createPublicKey(key) : key, Buffer.from(parsed.signature, 'base64url'));
  } catch {
    return null;
  }
  if (!valid) return null;
  const { body: _body, signature: _signature, ...fields } = parsed;
  return fields;
}

function seatOf(row: TicketRow): Ticket['seat'] {
  if (row.seat_id === null || row.seat === null) return null;
  const printed = JSON.parse(row.seat) as { area: string; row: string; number: string };
  return { id: row.seat_id, ...printed, label: seatLabel(printed) };
}

export function toTicket(row: TicketRow, key: SigningKey): Ticket {
  return {
    id: row.id,
    kind: row.kind as Ticket['kind'],
    status: row.status as TicketStatus,
    eventId: row.event_id,
    dateId: row.date_id,
    sectionId: row.section_id,
    tariffId: row.tariff_id,
    orderId: row.order_id,
    guestId: row.guest_id,
    barcode: row.barcode,
    version: row.version,
    holderName: row.holder_name,
    holderEmail: row.holder_email,
    holderAccountId: row.holder_account_id,
    seat: seatOf(row),
    qrPayload: row.status === 'valid' ? qrPayload(key, row) : null,
    createdAt: toIso(row.created_at)!,
    updatedAt: toIso(row.updated_at)!,
  };
}

export interface NewTicket {
  eventId: number;
  dateId: number;
  sectionId: number;
  tariffId: number | null;
  orderId: number | null;
  orderLineId: number | null;
  guestId: number | null;
  kind: 'sale' | 'comp';
  holderName: string | null;
  holderEmail: string | null;
  holderAccountId: number | null;
  /** A seated ticket's seat (the seat its hold has), printed on it and signed in its QR payload. */
  seat?: SeatRef | null;
}

/**
 * Inserts tickets with fresh barcodes. A barcode collision (1 in 2^80) skips the row (ON CONFLICT DO
 * NOTHING keeps the transaction usable on PostgreSQL) and that row is drawn again. Given the
 * organization's signing key, the tickets are signed before they are stored, under ids drawn first
 * (a sale's tickets: nothing to write after the transaction); otherwise they are stored unsigned and
 * signed afterwards (`signTickets`).
 */
export async function issueTickets(
  db: Db,
  organizationId: number,
  tickets: NewTicket[],
  now: string,
  status: TicketStatus = 'valid',
  signing?: { key: SigningKey; engine: Engine },
): Promise<TicketRow[]> {
  let pending: (NewTicketRow | SignedTicketRow)[] = signing
    ? signedTicketRows(signing.key, organizationId, await ticketRepository.nextIds(db, signing.engine, tickets.length), tickets, now, status)
    : tickets.map((t) => newTicketRow(organizationId, t, now, status));
  // A barcode drawn again changes what the signature covers.
  const sign = (row: NewTicketRow | SignedTicketRow) => (signing && 'id' in row ? { ...row, qr_signature: qrSignature(signing.key, row) } : row);
  const inserted: TicketRow[] = [];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 5) throw new Error('could not draw unique barcodes');
    const round: TicketRow[] = [];
    for (let i = 0; i < pending.length; i += INSERT_BATCH) {
      round.push(...(await ticketRepository.insertTickets(db, pending.slice(i, i + INSERT_BATCH) as NewTicketRow[] | SignedTicketRow[])));
    }
    inserted.push(...round);
    const stored = new Set(round.map((r) => r.barcode));
    pending = pending.filter((row) => !stored.has(row.barcode)).map((row) => sign({ ...row, barcode: newBarcode() }));
  }
  return inserted.sort((a, b) => a.id - b.id);
}

/**
 * Tickets to issue under ids reserved beforehand (PostgreSQL: the checkout's first statement draws
 * them from the sequence), signed before they are stored: the statement that writes the order
 * stores them with their signatures (sellingRepository.placePaidOrder), no signing transaction after.
 */
export function signedTicketRows(key: SigningKey, organizationId: number, ids: number[], tickets: NewTicket[], now: string, status: TicketStatus): SignedTicketRow[] {
  return tickets.map((t, i) => {
    const row = { id: ids[i], ...newTicketRow(organizationId, t, now, status) };
    return { ...row, qr_signature: qrSignature(key, row) };
  });
}

function newTicketRow(organizationId: number, t: NewTicket, now: string, status: TicketStatus): NewTicketRow {
  return {
    organization_id: organizationId,
    event_id: t.eventId,
    date_id: t.dateId,
    section_id: t.sectionId,
    tariff_id: t.tariffId,
    order_id: t.orderId,
    order_line_id: t.orderLineId,
    guest_id: t.guestId,
    kind: t.kind,
    barcode: newBarcode(),
    version: 1,
    holder_name: t.holderName,
    holder_email: t.holderEmail,
    holder_account_id: t.holderAccountId,
    status,
    seat_id: t.seat?.id ?? null,
    seat: t.seat ? printedSeat(t.seat) : null,
    created_at: now,
    updated_at: now,
  };
}

/**
 * Signs just-issued tickets' QR payloads and stores the signatures (`row.qr_signature` is set too), in
 * a transaction of its own after the issuing one: comps (whose seats are chosen after their tickets
 * are issued) and seeding. A sale's tickets are signed before they are stored (`issueTickets` with the
 * key). Tickets left unsigned by a crash in between are signed when presented and checked by signing
 * at the door.
 */
export async function signTickets(database: Database, organizationId: number, rows: TicketRow[], now: string): Promise<void> {
  const unsigned = rows.filter((row) => row.qr_signature === null);
  if (unsigned.length === 0) return;
  const key = await signingKey(database.db, organizationId, now);
  for (const row of unsigned) row.qr_signature = qrSignature(key, row);
  await database.transaction(
    async (trx) => {
      for (let i = 0; i < unsigned.length; i += INSERT_BATCH) await ticketRepository.storeSignatures(trx, unsigned.slice(i, i + INSERT_BATCH));
    },
    { durable: false },
  );
}

/** Reading tickets, their QR codes, and the public key that verifies them. */
export function ticketService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  const visible = (principal: Principal) => ticketRepository.visible(database.db, principal);

  async function one(principal: Principal, id: number): Promise<TicketRow> {
    requireScope(principal, 'buy', 'sell');
    const row = await visible(principal).selectAll('tickets').where('tickets.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Ticket');
    return row;
  }

  return {
    async list(principal: Principal, page: Page, filter: { eventId?: number; dateId?: number; orderId?: number; status?: string } = {}): Promise<Paged<Ticket>> {
      requireScope(principal, 'buy', 'sell');
      let query = visible(principal);
      if (filter.eventId !== undefined) query = query.where('tickets.event_id', '=', filter.eventId);
      if (filter.dateId !== undefined) query = query.where('tickets.date_id', '=', filter.dateId);
      if (filter.orderId !== undefined) query = query.where('tickets.order_id', '=', filter.orderId);
      if (filter.status !== undefined) query = query.where('tickets.status', '=', filter.status);
      const { rows, total } = await paged(query, page, (q) => q.selectAll('tickets').orderBy('tickets.id'));
      const key = await signingKey(database.db, principal.organizationId, now());
      return { items: rows.map((r) => toTicket(r, key)), total };
    },
    async read(principal: Principal, id: number): Promise<Ticket> {
      const row = await one(principal, id);
      return toTicket(row, await signingKey(database.db, principal.organizationId, now()));
    },
    /** Names the person who will use the ticket (the holder or a seller may). */
    async updateHolder(principal: Principal, id: number, holder: { holderName?: string | null; holderEmail?: string | null }): Promise<Ticket> {
      const row = await one(principal, id);
      if (row.status !== 'valid') throw invalid('status', 'only valid tickets can be personalized');
      // The holder is on the ticket's Wallet pass: devices holding it are told, with the change or not at all.
      const updated = await database.transaction(async (trx) => {
        const row = await ticketRepository.update(trx, principal.organizationId, id, {
          ...columnsOf(holder, { holderName: 'holder_name', holderEmail: ['holder_email', (email: string) => email.toLowerCase()] }),
          updated_at: now(),
        });
        await recordPassChange(ctx.config, trx, principal.organizationId, [id], now());
        return row;
      });
      return toTicket(updated, await signingKey(database.db, principal.organizationId, now()));
    },
    /** The QR image of a ticket's signed payload. */
    async qrCode(principal: Principal, id: number, format: 'png' | 'svg'): Promise<{ contentType: string; body: Buffer | string }> {
      const ticket = await this.read(principal, id);
      if (ticket.qrPayload === null) throw new DomainError('CONFLICT', `A ${ticket.status} ticket has no QR code`);
      if (format === 'svg') return { contentType: 'image/svg+xml', body: await QRCode.toString(ticket.qrPayload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
      return { contentType: 'image/png', body: await QRCode.toBuffer(ticket.qrPayload, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 }) };
    },
    async publicKey(principal: Principal) {
      const key = await signingKey(database.db, principal.organizationId, now());
      return { algorithm: 'Ed25519', publicKeyPem: key.publicKeyPem, publicKey: key.publicKeyRaw, payloadFormat: 'G1.<organization>.<ticket>.<version>.<date>.<section>.<barcode>.<signature base64url>; seated tickets G2.<organization>.<ticket>.<version>.<date>.<section>.<seat>.<barcode>.<signature base64url>' };
    },
  };
}

export type TicketService = ReturnType<typeof ticketService>;
