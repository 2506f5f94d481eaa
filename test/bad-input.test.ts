/**
 * Bad input gets a clear 4xx and changes nothing; no route answers 500.
 *
 * The write routes are not listed by hand: they come from the generated OpenAPI document, so a new
 * route is covered (or, lacking a valid example body below, fails the coverage test) the day it is
 * added. Path parameters are filled with real ids of organization A's resources, so that each
 * malformed request reaches the route it aims at. After every request the database is fingerprinted
 * (row counts of every table, plus a dump of A's rows) and compared with the previous fingerprint.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { CARD, client, onSaleEvent, platform, token, type TestPlatform } from './helpers.ts';
import { operatorPrincipal } from '../src/demo/seed.ts';
import { TEST_CARDS } from '../src/core/selling/payments.ts';
import { theatreMap } from './core/seating/fixtures.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Api = ReturnType<typeof client>;
const WRITES: readonly string[] = ['POST', 'PATCH', 'PUT'];
/** The only answers a refused request may get. */
const REFUSALS = [400, 404, 409, 413, 415, 422];
const HUGE = 'x'.repeat(10 * 1024);
/** Far beyond any integer column of either engine (the same number as in the path-id checks). */
const BEYOND = 99999999999999999999;
const FRANCE = 250;

/** Who sends a request: A's all-scopes admin client, a platform administrator, or one of A's signed-in buyers. */
type Caller = 'admin' | 'platform' | 'holder' | 'recipient' | 'door';
/**
 * The caller of each URL (first match; A's admin otherwise), chosen so that every request gets past
 * authorization and its input is really looked at (otherwise it would stop at 403 first):
 * - platform-wide data is written by platform administrators only, and A's admin is a host: these
 *   routes get A's token issued to a platform administrator;
 * - transfers are between people (a client's own token is refused outright): the ticket holder sends
 *   and cancels them, the recipient claims or rejects them.
 * Carts and orders are the admin's own: it bought them, and sellers read every order anyway.
 */
const CALLERS: [RegExp, Caller][] = [
  [/^\/api\/(regions|categories)(\/|\?|$)/, 'platform'],
  [/^\/api\/transfers\/[^/?]+\/(claim|rejection)(\?|$)/, 'recipient'],
  [/^\/api\/transfers(\/|\?|$)/, 'holder'],
  // Scans come from door devices: a door credential for A's event (exchanged for an admission token code).
  [/^\/api\/scans(\/|\?|$)/, 'door'],
];
/** The signed-in buyers of A: one holds tickets and sends them, the other receives them. */
const PEOPLE = { holder: 'battery-holder', recipient: 'battery-recipient' } as const;
const emailOf = (name: string) => `${name}@buyers.test`;

interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  maxLength?: number;
}
interface Route { method: Method; path: string; label: string; pathParams: string[]; queryParams: string[]; body?: JsonSchema }

/** A's resources that the battery leaves as they are (the last test writes to some of them). */
interface Estate {
  admin: number; member: number; venue: number; series: number; interface: number; event: number;
  date: number; section: number; tariff: number; address: number; region: number; category: number;
  oauthClient: number; apiKey: number; partnerKey: number; partnerUser: number;
  /** A limited admission token of the event (its code gets reissued), and another token's code for door sessions. */
  admissionToken: number; doorCode: string; controlPoint: number;
  /** An event on sale now, to put in carts. */
  saleDate: number; saleTariff: number;
  code: number; question: number; guest: number;
  /** Reporting: an external interface, an entered ticket count (and one to approve), a promotion. */
  externalInterface: number; ticketCount: number; countToApprove: number; promotion: number;
  /** Seating: a map, and a seated event whose first date has seats (to block) and second a map to lay again. */
  map: number; seatedEvent: number; seatedDate: number; seatedDateToLay: number; seat: number;
  /** Delivery: a webhook endpoint (on a loopback port nobody listens on) and one delivery of it (its ping). */
  webhook: number; delivery: number;
  /** Members: a pending invitation. */
  invitation: number;
}
/**
 * A's selling resources, each in the state its write route needs (an open cart with a hold, a pending
 * order, a payment that requires action, a paid order, pending transfers, a ticket not yet offered).
 * Their actions spend them, so the last test stages a fresh set rather than reuse the battery's.
 */
interface Stage {
  cart: number; cartItem: number; cartToCheckout: number;
  orderToPay: number; orderChallenged: number; payment: number; orderToCancel: number; orderPaid: number;
  ticket: number; ticketToRefund: number;
  transferToClaim: number; transferToReject: number; transferable: number;
}
type Ids = Estate & Stage;
/** A route's valid body; null for the bodiless actions, whose valid form is no body at all. */
type Body = Record<string, unknown> | null;

// ---- The API as the OpenAPI document describes it --------------------------------------------

function routesOf(doc: { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema: JsonSchema }> } }>> }): Route[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, op]) => ({
      method: method.toUpperCase() as Method,
      path,
      label: `${method.toUpperCase()} ${path}`,
      pathParams: (op.parameters ?? []).filter((x) => x.in === 'path').map((x) => x.name),
      queryParams: (op.parameters ?? []).filter((x) => x.in === 'query').map((x) => x.name),
      body: op.requestBody?.content?.['application/json']?.schema,
    })),
  );
}

/** Every alternative of a schema, with nested anyOf flattened (Nullable(Union(...)) and the like). */
const variants = (schema: JsonSchema): JsonSchema[] => (schema.anyOf ? schema.anyOf.flatMap(variants) : [schema]);
const typesOf = (schema: JsonSchema) => new Set(variants(schema).flatMap((v) => (v.type === undefined ? [] : [v.type].flat())));

/**
 * A value no alternative of the schema accepts, even with the type coercion the app turns on
 * (numbers become strings, scalars become one-item arrays): an object, or a number where objects go.
 */
const wrongTypeFor = (schema: JsonSchema): unknown => (typesOf(schema).has('object') ? 42 : { not: 'the expected type' });

/** Whether one alternative of a schema takes `type`, alone or nullable (`type: [t, 'null']`). */
const takes = (v: JsonSchema, type: string) => v.type !== undefined && [v.type].flat().includes(type);

/** A 10 kB string where the schema takes strings (or lists of strings) and does not itself allow that much. */
function hugeFor(schema: JsonSchema): unknown {
  const strings = variants(schema).filter((v) => takes(v, 'string'));
  if (strings.length > 0) return strings.every((v) => (v.maxLength ?? 0) >= HUGE.length) ? undefined : HUGE;
  const lists = variants(schema).filter((v) => takes(v, 'array') && v.items);
  return lists.length > 0 && hugeFor(lists[0].items!) !== undefined ? [HUGE] : undefined;
}

const beyondFor = (schema: JsonSchema): unknown => (typesOf(schema).has('integer') ? BEYOND : undefined);

/**
 * What a write route takes: a body under exactly one root key, which may itself be optional (then `{}`
 * and no body at all are valid forms), or nothing (null: a bodiless action).
 */
interface Shape { root: string; properties: [string, JsonSchema][]; optional: boolean }

function shapeOf(route: Route): Shape | null {
  // A bodiless action may still declare the nothing it takes (`null`, `{}`): no root key either way.
  const keyed = route.body ? variants(route.body).filter((v) => Object.keys(v.properties ?? {}).length > 0) : [];
  if (keyed.length === 0) return null;
  const roots = keyed.flatMap((v) => Object.entries(v.properties!));
  assert.equal(roots.length, 1, `${route.label}: a native body has exactly one root key`);
  const [root, schema] = roots[0];
  return { root, properties: Object.entries(schema.properties ?? {}), optional: !(keyed[0].required ?? []).includes(root) };
}

/** A body each write route accepts (shown by the last test), so that one bad part is the only fault. */
function validBodies(ids: Ids, admin: { email: string; password: string }): Record<string, Body> {
  const startsAt = '2027-06-01T20:00:00+02:00';
  const item = { tariff_id: ids.saleTariff, date_id: ids.saleDate, quantity: 1 };
  return {
    'POST /api/users': { user: { username: 'battery-user', email: 'battery@alpha.test', password: 'battery-password', role: 'box_office' } },
    'POST /api/users/password_resets': { password_reset: { email: admin.email } },
    'POST /api/users/password_resets/confirm': { password_reset: { token: 'a-code-nobody-was-sent', password: 'brand-new-password' } },
    'PATCH /api/users/{id}': { user: { role: 'owner' } },
    'POST /api/users/me/password': { password: { current_password: admin.password, new_password: 'another-password' } },
    'POST /api/users/{id}/addresses': { address: { line1: '5 rue de Rivoli', city: 'Paris', country_id: FRANCE } },
    'PATCH /api/users/{id}/addresses/{address_id}': { address: { city: 'Lyon' } },
    'PATCH /api/organization': { organization: { name: 'Alpha renamed' } },
    'POST /api/oauth_clients': { oauth_client: { name: 'Battery client', scopes: 'public buy' } },
    'POST /api/api_keys': { api_key: { name: 'Battery key', access_level: 'public' } },
    'POST /api/partner_keys': { partner_key: { name: 'Battery partner key' } },
    'POST /api/partner_users': { partner_user: { username: 'battery-partner', access: 'read' } },
    'POST /api/venues': { venue: { name: 'Zénith', kind: 'hall', city: 'Nantes', country_code: 'FR' } },
    'PATCH /api/venues/{id}': { venue: { capacity: 900 } },
    'POST /api/regions': { region: { name: 'Loire-Atlantique', country_code: 'FR' } },
    'PATCH /api/regions/{id}': { region: { city: 'Nantes' } },
    'POST /api/categories': { category: { names: { en: 'Opera', fr: 'Opéra', de: 'Oper' } } },
    'PATCH /api/categories/{id}': { category: { position: 3 } },
    'POST /api/series': { series: { kind: 'long_run', label: 'Summer run' } },
    'PATCH /api/series/{id}': { series: { label: 'Autumn run' } },
    'POST /api/interfaces': { interface: { name: 'Kiosk', kind: 'mobile' } },
    'PATCH /api/interfaces/{id}': { interface: { name: 'Kiosk 2' } },
    'POST /api/events': { event: { title: 'Battery concert' } },
    'PATCH /api/events/{id}': { event: { title: 'Battery concert, renamed' } },
    'POST /api/events/{id}/dates': { date: { starts_at: startsAt } },
    'PATCH /api/events/{id}/dates/{date_id}': { date: { ends_at: '2027-06-01T23:00:00+02:00' } },
    'POST /api/events/{id}/sections': { section: { name: 'Balcony', capacity: 50 } },
    'PATCH /api/events/{id}/sections/{section_id}': { section: { name: 'Upper balcony' } },
    'POST /api/events/{id}/tariffs': { tariff: { section_id: ids.section, label: 'Reduced', price: 1500 } },
    'PATCH /api/events/{id}/tariffs/{tariff_id}': { tariff: { label: 'Student' } },
    'PUT /api/events/{id}/dates/{date_id}/capacities/{section_id}': { capacity: { capacity: 10 } },
    'POST /api/carts': { cart: { items: [item] } },
    'POST /api/carts/{id}/items': { item },
    'POST /api/carts/{id}/checkout': { checkout: { buyer_name: 'Battery Buyer', buyer_email: 'battery@buyers.test' } },
    'POST /api/orders/{id}/payments': { payment: { provider: 'test', card: CARD } },
    'POST /api/orders/{id}/payments/{payment_id}/confirmation': { confirmation: { outcome: 'approve' } },
    'POST /api/orders/{id}/cancellation': null,
    'POST /api/orders/{id}/refunds': { refund: { ticket_ids: [ids.ticketToRefund], reason: 'Battery refund' } },
    'PATCH /api/tickets/{id}': { ticket: { holder_name: 'Battery Holder', holder_email: 'holder@buyers.test' } },
    'POST /api/codes': { code: { code: 'BATTERY10', kind: 'percentage', value: 10, tariff_ids: [ids.saleTariff] } },
    'PATCH /api/codes/{id}': { code: { value: 20 } },
    'POST /api/events/{id}/questions': { question: { label: 'Dietary needs', kind: 'choice', options: ['none', 'vegetarian'] } },
    'PATCH /api/events/{id}/questions/{question_id}': { question: { label: 'Access needs' } },
    'POST /api/guests': { guest: { event_id: ids.event, date_id: ids.date, section_id: ids.section, name: 'Battery Guest', quantity: 1 } },
    'POST /api/transfers': { transfer: { ticket_ids: [ids.transferable], recipient_email: emailOf(PEOPLE.recipient) } },
    'POST /api/transfers/{id}/claim': null,
    'POST /api/transfers/{id}/rejection': null,
    'POST /api/events/{id}/admission_tokens': { admission_token: { name: 'Balcony door', section_ids: [ids.section] } },
    'PATCH /api/events/{id}/admission_tokens/{token_id}': { admission_token: { name: 'Side door' } },
    'POST /api/events/{id}/admission_tokens/{token_id}/code': null,
    'POST /api/door/sessions': { session: { code: ids.doorCode, device: 'Battery phone' } },
    'POST /api/control_points': { control_point: { name: 'Battery gate' } },
    'PATCH /api/control_points/{id}': { control_point: { name: 'Battery gate 2' } },
    'PATCH /api/scan_settings': { scan_settings: { sync_interval: '60', other: { theme: 'dark' } } },
    'POST /api/scans': { scan: { code: 'ZZZZZZZZZZZZZZZZ', direction: 'in', nonce: 'battery-1' } },
    'POST /api/maps': { map: { name: 'Battery map', document: theatreMap({ rows: 1, seatsPerRow: 4 }) } },
    'PATCH /api/maps/{id}': { map: { name: 'Battery map, renamed' } },
    'PUT /api/events/{id}/dates/{date_id}/map': { map: { map_id: ids.map } },
    'PATCH /api/events/{id}/dates/{date_id}/seats': { seats: { seat_ids: [ids.seat], blocked: 'hold' } },
    'POST /api/scans/batch': { batch: { scans: [{ code: 'ZZZZZZZZZZZZZZZZ', nonce: 'battery-2', scanned_at: '2026-11-23T10:00:00Z' }] } },
    'POST /api/events/{id}/ticket_counts': {
      ticket_count: { date_id: ids.date, day: '2026-11-20', lines: [{ interface_id: ids.externalInterface, section_id: ids.section, tariff_id: ids.tariff, sales: 2, gross: 5600 }] },
    },
    'PATCH /api/events/{id}/ticket_counts/{count_id}': { ticket_count: { comment: 'Battery comment' } },
    'POST /api/events/{id}/ticket_counts/{count_id}/approval': null,
    'PATCH /api/events/{id}/dates/{date_id}/capacities/{section_id}': { capacity: { kills: 1, organizer_holds: 2 } },
    'POST /api/promotions': { promotion: { type: 'poster', label: 'Battery posters', cost: { type: 'paid', state: 'planned' }, applied_to: [{ event_id: ids.event, quantity: 10, unit_cost: 150 }] } },
    'PATCH /api/promotions/{id}': { promotion: { label: 'Battery posters, reprinted' } },
    'POST /api/exports': { export: { kind: 'orders' } },
    'POST /api/webhooks': { webhook: { url: 'http://127.0.0.1:9/battery-2', event_types: ['order.refunded'] } },
    'PATCH /api/webhooks/{id}': { webhook: { event_types: ['order.paid', 'order.refunded'] } },
    'POST /api/webhooks/{id}/secret': null,
    'POST /api/webhooks/{id}/ping': null,
    'POST /api/webhooks/{id}/deliveries/{delivery_id}/redelivery': null,
    'POST /api/invitations': { invitation: { email: 'invitee@alpha.test', role: 'door_staff' } },
    'POST /api/invitations/acceptance': { invitation: { code: 'a-code-nobody-was-sent' } },
    // Browser sessions: the battery calls with a bearer token, as a script would.
    'POST /api/session/sign_up': { user: { email: 'battery-signup@buyers.test', password: 'battery-password' } },
    'POST /api/session/sign_in': { sign_in: { identification: admin.email, password: 'not-the-password' } },
    'POST /api/session/password': { password_change: { current_password: admin.password, password: 'another-password-2' } },
  };
}

/**
 * Real ids for a route's path parameters. `{id}` means the resource named by the path prefix; for
 * users it is `me` or a number: the admin for address routes (the address is theirs), else a member.
 * Actions that move their resource on (checkout, pay, confirm, cancel, reject) each get a resource
 * of their own, in the state the action needs.
 */
function parameterSets(route: Route, ids: Ids): Record<string, string>[] {
  if (route.pathParams.length === 0) return [{}];
  const own: Record<string, Record<string, number>> = {
    'POST /api/carts/{id}/checkout': { id: ids.cartToCheckout },
    'POST /api/orders/{id}/payments': { id: ids.orderToPay },
    'POST /api/orders/{id}/payments/{payment_id}/confirmation': { id: ids.orderChallenged },
    'POST /api/orders/{id}/cancellation': { id: ids.orderToCancel },
    'POST /api/transfers/{id}/rejection': { id: ids.transferToReject },
    'PUT /api/events/{id}/dates/{date_id}/map': { id: ids.seatedEvent },
    'PATCH /api/events/{id}/dates/{date_id}/seats': { id: ids.seatedEvent },
  };
  // Approving spends its count: the approval gets one of its own.
  const ownChildren: Record<string, Record<string, number>> = {
    'POST /api/events/{id}/ticket_counts/{count_id}/approval': { count_id: ids.countToApprove },
    'PUT /api/events/{id}/dates/{date_id}/map': { date_id: ids.seatedDateToLay },
    'PATCH /api/events/{id}/dates/{date_id}/seats': { date_id: ids.seatedDate },
  };
  // Shop slugs and signed order links are not ids: any value stands for them here (malformed ids are what is tried).
  const children: Record<string, number | string> = {
    slug: 'alpha', token: 'battery-link', ticket_id: ids.ticket,
    date_id: ids.date, section_id: ids.section, tariff_id: ids.tariff, address_id: ids.address,
    item_id: ids.cartItem, payment_id: ids.payment, question_id: ids.question, token_id: ids.admissionToken, count_id: ids.ticketCount,
    delivery_id: ids.delivery,
  };
  const owners: Record<string, number> = {
    venues: ids.venue, series: ids.series, interfaces: ids.interface, events: ids.event, regions: ids.region,
    categories: ids.category, oauth_clients: ids.oauthClient, api_keys: ids.apiKey, partner_keys: ids.partnerKey, partner_users: ids.partnerUser, countries: FRANCE,
    carts: ids.cart, orders: ids.orderPaid, tickets: ids.ticket, codes: ids.code, guests: ids.guest, transfers: ids.transferToClaim,
    control_points: ids.controlPoint,
    promotions: ids.promotion, jobs: 1, maps: ids.map, webhooks: ids.webhook, invitations: ids.invitation, outbox: ids.delivery, shop: ids.event,
  };
  const resource = route.path.split('/')[2];
  const userIds = ['me', String(route.path.includes('/addresses') ? ids.admin : ids.member)];
  const idValues = resource === 'users' ? userIds : [String(own[route.label]?.id ?? owners[resource])];
  return idValues.map((id) =>
    Object.fromEntries(route.pathParams.map((name) => {
      const value = name === 'id' ? id : (ownChildren[route.label]?.[name] ?? children[name]);
      assert.ok(value !== undefined && value !== 'undefined', `${route.label}: no real id for path parameter ${name}`);
      return [name, String(value)];
    })),
  );
}

const urlOf = (path: string, params: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]);

// ---- Fingerprint of the database --------------------------------------------------------------

/**
 * Tables whose rows belong to one organization; accounts and addresses are A's through memberships,
 * the tickets of a transfer through the transfer.
 */
const TENANT_TABLES = [
  'venues', 'series', 'events', 'event_dates', 'sections', 'section_capacities', 'tariffs', 'tariff_channels', 'tariff_quotas', 'sales_channels',
  'memberships', 'oauth_clients', 'api_keys', 'partner_api_users', 'carts', 'cart_items', 'orders', 'order_lines', 'payments', 'refunds', 'idempotency_keys',
  'discount_codes', 'guests', 'tickets', 'retired_barcodes', 'organization_keys', 'questions', 'answers', 'transfers', 'partner_keys', 'partner_tokens',
  'admission_tokens', 'door_credentials', 'control_points', 'scan_settings', 'scans', 'scan_conflicts', 'door_changes',
  'ticket_counts', 'ticket_count_lines', 'promotions', 'promotion_targets', 'jobs', 'sales_tallies',
];
/** Append-only logs of what happened (sign-ins, failed attempts) and the migration ledger. */
const UNCOUNTED = ['account_activities', 'schema_migrations'];

type Fingerprint = Record<string, string>;

async function fingerprint(p: TestPlatform): Promise<Fingerprint> {
  const { db, engine } = p.app.core.ctx.database;
  const org = p.a.organizationId;
  const listing = engine === 'sqlite'
    ? sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
    : sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`;
  const tables = (await listing.execute(db)).rows.map((r) => r.name).filter((t) => !UNCOUNTED.includes(t)).sort();
  const print: Fingerprint = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    print[`count ${table}`] = String(rows[0].n);
  }
  const members = sql`select account_id from memberships where organization_id = ${org}`;
  const dumps = [
    ...TENANT_TABLES.map((table) => [table, sql`select * from ${sql.table(table)} where organization_id = ${org} order by 1, 2`] as const),
    ['accounts', sql`select * from accounts where id in (${members}) order by id`] as const,
    ['addresses', sql`select * from addresses where account_id in (${members}) order by id`] as const,
    ['transfer_tickets', sql`select * from transfer_tickets where transfer_id in (select id from transfers where organization_id = ${org}) order by 1, 2`] as const,
    ['organizations', sql`select * from organizations where id = ${org}`] as const,
    // Platform-wide rows that the battery's platform-administrator token could reach.
    ['regions', sql`select * from regions order by id`] as const,
    ['event_categories', sql`select * from event_categories order by id`] as const,
  ];
  for (const [table, query] of dumps) print[`rows ${table}`] = JSON.stringify((await query.execute(db)).rows);
  return print;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever JSON an answer carries
function jsonOf(response: { json(): any }): any {
  try {
    return response.json();
  } catch {
    return undefined;
  }
}

const changedParts = (before: Fingerprint, after: Fingerprint) =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => before[key] !== after[key]);

// ---- The battery ------------------------------------------------------------------------------

/** One malformed request: a JSON value, or a raw payload with its content type. */
interface Case {
  name: string;
  json?: unknown;
  raw?: string;
  type?: string;
  /** Refused by schema validation: 422 VALIDATION_FAILED with details naming one of these fields. */
  invalid?: string[];
  /** Refused by the schema or by the service, any 4xx, with details naming one of these fields. */
  named?: string[];
}

/**
 * Bodiless actions (cancel an order, claim or reject a transfer) take no body: one they cannot read or
 * do not expect is refused before anything happens. Their valid form, no body, is never sent here:
 * it would carry the action out.
 */
const BODILESS_CASES: Case[] = [
  { name: 'a body that is not JSON', raw: '{"unexpected_root": ', type: 'application/json' },
  { name: 'an empty body declared as JSON', raw: '', type: 'application/json' },
  { name: 'a form-encoded body', raw: 'unexpected_root=x', type: 'application/x-www-form-urlencoded' },
  { name: 'a body over the 1 MiB limit', raw: JSON.stringify({ padding: 'x'.repeat(1_100_000) }), type: 'application/json' },
  { name: 'an unknown root key', json: { unexpected_root: {} } },
  { name: 'a JSON array', json: [] },
];

/** Cases built from a route's shape and its valid body. */
type Cases = (shape: Shape | null, base: Body) => Case[];

function wholeBodyCases(shape: Shape | null, base: Body): Case[] {
  if (!shape) return BODILESS_CASES;
  const { root, properties, optional } = shape;
  const valid = base![root] as Record<string, unknown>;
  const schemaFault = (name: string, json: unknown, invalid = [root]): Case => ({ name, json, invalid });
  const every = (make: (schema: JsonSchema) => unknown) =>
    Object.fromEntries(properties.map(([name, schema]) => [name, make(schema)]).filter(([, value]) => value !== undefined));
  const huge = every(hugeFor);
  return [
    { name: 'a body that is not JSON', raw: `{"${root}": {"name": `, type: 'application/json' },
    { name: 'an empty body declared as JSON', raw: '', type: 'application/json' },
    { name: 'the right JSON sent as text/plain', raw: JSON.stringify(base), type: 'text/plain' },
    { name: 'a form-encoded body', raw: `${root}=x`, type: 'application/x-www-form-urlencoded' },
    { name: 'a body over the 1 MiB limit', raw: JSON.stringify({ [root]: { ...valid, padding: 'x'.repeat(1_100_000) } }), type: 'application/json' },
    schemaFault('[]', [], ['body']),
    // Without its root a body is empty: a fault, unless the root is optional (POST /api/carts, where
    // no body, `null` and `{}` all mean "an empty cart").
    ...(optional ? [] : [{ name: 'no body at all' }, schemaFault('JSON null', null, ['body']), schemaFault('{}', {})]),
    schemaFault('the root as a string', { [root]: 'x' }),
    schemaFault('the root as a number', { [root]: 42 }),
    schemaFault('the root as null', { [root]: null }),
    schemaFault('the root as an array', { [root]: [valid] }),
    schemaFault('the root with every property of the wrong type', { [root]: every(wrongTypeFor) }, properties.map(([name]) => `${root}.${name}`)),
    ...(Object.keys(huge).length > 0 ? [{ name: 'the root with every string property 10 kB long', json: { [root]: { ...valid, ...huge } } }] : []),
    schemaFault('a valid root plus an unknown field', { [root]: { ...valid, unexpected_field: 'x' } }, [`${root}.unexpected_field`]),
    schemaFault('a valid root next to an unknown top-level key', { ...base, unexpected_root: {} }, ['unexpected_root']),
  ];
}

/** One property at a time gone wrong, the rest of the body valid. */
function propertyCases(make: (schema: JsonSchema) => unknown, what: string, by: 'schema' | 'schema or service'): Cases {
  return (shape, base) => {
    if (!shape) return []; // nothing to get wrong one property at a time
    const { root, properties } = shape;
    const valid = base![root] as Record<string, unknown>;
    return properties.flatMap(([name, schema]) => {
      const value = make(schema);
      if (value === undefined) return [];
      // The schema names a field `root.field`, the services name it `field`.
      const fields = by === 'schema' ? { invalid: [`${root}.${name}`] } : { named: [`${root}.${name}`, name] };
      return [{ name: `${name} ${what}`, json: { [root]: { ...valid, [name]: value } }, ...fields }];
    });
  };
}

describe('bad input gets a clear 4xx and changes nothing; no route answers 500', () => {
  let p: TestPlatform;
  let routes: Route[];
  let writeRoutes: Route[];
  let ids: Ids;
  let bodies: Record<string, Body>;
  /** Bearer tokens of the callers (see CALLERS). */
  const tokens = {} as Record<Caller, string>;
  /** The database as it was after the previous request of the battery. */
  let last: Fingerprint;

  const inject = (method: Method, url: string, c: Pick<Case, 'json' | 'raw' | 'type'> = {}) => {
    const payload = c.raw ?? (c.json !== undefined ? JSON.stringify(c.json) : undefined);
    const type = c.raw !== undefined ? c.type : c.json !== undefined ? 'application/json' : undefined;
    const caller = CALLERS.find(([pattern]) => pattern.test(url))?.[1] ?? 'admin';
    return p.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[caller]}`, ...(type ? { 'content-type': type } : {}) },
      ...(payload !== undefined ? { payload } : {}),
    });
  };
  const bodiesFor = (x: Ids) => validBodies(x, { email: p.a.adminEmail, password: p.a.adminPassword });
  /** The valid body of a route as a request: JSON, or nothing for the bodiless actions. */
  const validRequest = (body: Body | undefined) => (body ? { json: body } : {});

  /** Sends one request that must be refused; returns what is wrong with the answer or the database. */
  async function refused(what: string, method: Method, url: string, c: Case = { name: '' }): Promise<string[]> {
    const response = await inject(method, url, c);
    const problems: string[] = [];
    const error = jsonOf(response)?.error as { code?: unknown; message?: unknown; details?: { field: string }[] } | undefined;
    if (!REFUSALS.includes(response.statusCode)) problems.push(`${what}: status ${response.statusCode} ${response.body.slice(0, 300)}`);
    else if (typeof error?.code !== 'string' || typeof error.message !== 'string') problems.push(`${what}: no {error:{code,message}} in ${response.body.slice(0, 300)}`);
    else if (c.invalid && (response.statusCode !== 422 || error.code !== 'VALIDATION_FAILED')) {
      problems.push(`${what}: expected 422 VALIDATION_FAILED, got ${response.statusCode} ${error.code}`);
    } else {
      const fields = c.invalid ?? c.named ?? [];
      const named = (field: string) => fields.some((f) => field === f || field.startsWith(`${f}.`));
      if (fields.length > 0 && !(Array.isArray(error.details) && error.details.some((d) => named(d.field)))) {
        problems.push(`${what}: details name none of ${fields.join(', ')}: ${JSON.stringify(error.details)}`);
      }
    }
    return [...problems, ...(await databaseProblems(what))];
  }

  /** Compares the database with its state after the previous request. */
  async function databaseProblems(what: string): Promise<string[]> {
    const now = await fingerprint(p);
    const changed = changedParts(last, now);
    last = now;
    return changed.length > 0 ? [`${what}: the database changed (${changed.join(', ')})`] : [];
  }

  /** Runs cases against every real URL of a route and asserts that none of them got through. */
  async function battery(route: Route, cases: Cases) {
    const shape = shapeOf(route);
    const problems: string[] = [];
    let current = ids;
    for (const index of parameterSets(route, ids).keys()) {
      for (const c of cases(shape, bodiesFor(current)[route.label])) {
        const url = urlOf(route.path, parameterSets(route, current)[index]);
        const found = await refused(`${route.method} ${url} with ${c.name}`, route.method, url, c);
        problems.push(...found);
        // A request that got through may have spent its resource (an order cancelled, a transfer
        // claimed): the next case gets fresh ones, so that it is still a test of its own.
        if (found.length > 0) {
          current = { ...ids, ...(await stage(ids)) };
          last = await fingerprint(p);
        }
      }
    }
    assert.deepEqual(problems, []);
  }

  /** A's signed-in buyer `name` (password grant through A's client), created on first use. */
  async function signIn(name: string): Promise<string> {
    if (!(await p.app.core.accounts.findByEmail(emailOf(name)))) await p.app.core.accounts.create({ username: name, email: emailOf(name), password: `${name}-password` });
    const response = await p.app.inject({
      method: 'POST',
      url: '/api/auth/token',
      payload: { grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username: emailOf(name), password: `${name}-password` },
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.json().access_token;
  }

  /** Bought through HTTP as A's admin (a seller, who reads every order) and as the ticket holder. */
  async function stage(estate: Estate): Promise<Stage> {
    const created = async (response: ReturnType<Api['post']>) => {
      const answer = await response;
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json();
    };
    const item = { tariff_id: estate.saleTariff, date_id: estate.saleDate, quantity: 1 };
    const cartOf = async (api: Api, quantity = 1) => (await created(api.post('/api/carts', { cart: { items: [{ ...item, quantity }] } }))).cart;
    const orderOf = async (api: Api, quantity = 1) => (await created(api.post(`/api/carts/${(await cartOf(api, quantity)).id}/checkout`, { checkout: {} }))).order;
    const pay = (api: Api, orderId: number, number = CARD.number) => created(api.post(`/api/orders/${orderId}/payments`, { payment: { provider: 'test', card: { ...CARD, number } } }));
    const admin = client(p.app, tokens.admin);
    const holder = client(p.app, tokens.holder);

    const cart = await cartOf(admin);
    const cartToCheckout = await cartOf(admin);
    const [orderToPay, orderChallenged, orderToCancel] = [await orderOf(admin), await orderOf(admin), await orderOf(admin)];
    const challenge = await pay(admin, orderChallenged.id, TEST_CARDS.requiresAction);
    assert.equal(challenge.payment.status, 'requires_action');
    const paid = (await pay(admin, (await orderOf(admin, 2)).id)).order;
    const held = (await pay(holder, (await orderOf(holder, 3)).id)).order.tickets.map((t: { id: number }) => t.id);
    const transfer = async (ticket: number) =>
      (await created(holder.post('/api/transfers', { transfer: { ticket_ids: [ticket], recipient_email: emailOf(PEOPLE.recipient) } }))).transfer.id as number;
    return {
      cart: cart.id, cartItem: cart.items[0].id, cartToCheckout: cartToCheckout.id,
      orderToPay: orderToPay.id, orderChallenged: orderChallenged.id, payment: challenge.payment.id, orderToCancel: orderToCancel.id, orderPaid: paid.id,
      ticket: paid.tickets[0].id, ticketToRefund: paid.tickets[1].id,
      transferToClaim: await transfer(held[0]), transferToReject: await transfer(held[1]), transferable: held[2],
    };
  }

  before(async () => {
    // Webhook endpoints on loopback are allowed here (deliveries fail at once: nothing listens there).
    p = await platform({ delivery: { ...loadConfig({}).delivery, webhookAllowPrivate: true, webhookTimeoutMs: 1000 } });
    tokens.admin = await token(p.app, p.a);
    // Regions and categories are platform-wide: only platform administrators write them.
    const administrator = await p.app.core.accounts.create({ username: 'alpha-operator', email: 'operator@alpha.test', password: 'operator-password', platformRole: 'administrator' });
    const platformClient = { clientId: 'alpha-operator-client', clientSecret: 'alpha-operator-secret' };
    await p.app.core.credentials.createClient(operatorPrincipal(p.a.organizationId, administrator.id), {
      name: 'Operator', scopes: 'public buy sell admin', clientId: platformClient.clientId, secret: platformClient.clientSecret,
    });
    tokens.platform = await token(p.app, platformClient);
    tokens.holder = await signIn(PEOPLE.holder);
    tokens.recipient = await signIn(PEOPLE.recipient);
    const doc = (await p.app.inject('/api/openapi.json')).json();
    routes = routesOf(doc).filter((r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/auth/'));
    writeRoutes = routes.filter((r) => WRITES.includes(r.method));

    // One of each of A's resources, so that every path parameter has a real id to point at.
    const made = async (url: string, body: Record<string, unknown>) => {
      const response = await inject('POST', url, { json: body });
      assert.equal(response.statusCode, 201, `${url}: ${response.body}`);
      return response.json()[Object.keys(body)[0]];
    };
    const venue = await made('/api/venues', { venue: { name: 'Salle Paul Fort', kind: 'hall', city: 'Nantes', country_code: 'FR' } });
    const series = await made('/api/series', { series: { kind: 'tour', label: 'Winter tour', venue_id: venue.id } });
    const channel = await made('/api/interfaces', { interface: { name: 'Box office', kind: 'box_office' } });
    const event = await made('/api/events', {
      event: { title: 'Opening night', venue_id: venue.id, series_id: series.id, sections: [{ name: 'Floor', capacity: 400 }], dates: [{ starts_at: '2027-02-01T20:00:00+01:00' }] },
    });
    const tariff = await made(`/api/events/${event.id}/tariffs`, { tariff: { section_id: event.sections[0].id, label: 'Full price', price: 2800 } });
    const member = await made('/api/users', { user: { username: 'alpha-manager', email: 'manager@alpha.test', password: 'manager-password', role: 'manager' } });
    const address = await made('/api/users/me/addresses', { address: { line1: '1 place Graslin', city: 'Nantes', country_id: FRANCE } });
    const oauthClient = await made('/api/oauth_clients', { oauth_client: { name: 'Shop' } });
    const apiKey = await made('/api/api_keys', { api_key: { name: 'Reports', access_level: 'public' } });
    const partnerKey = await made('/api/partner_keys', { partner_key: { name: 'Access control' } });
    const partnerUser = await made('/api/partner_users', { partner_user: { username: 'bi-connector' } });
    const region = await made('/api/regions', { region: { name: 'Pays de la Loire', country_code: 'FR' } });
    const category = await made('/api/categories', { category: { names: { en: 'Concerts', fr: 'Concerts', de: 'Konzerte' } } });
    const code = await made('/api/codes', { code: { code: 'WELCOME', kind: 'fixed', value: 500, currency: 'EUR' } });
    const question = await made(`/api/events/${event.id}/questions`, { question: { label: 'How did you hear of us?', kind: 'text' } });
    const guest = await made('/api/guests', { guest: { event_id: event.id, date_id: event.dates[0].id, section_id: event.sections[0].id, name: 'Press', quantity: 2 } });
    const external = await made('/api/interfaces', { interface: { name: 'Reseller', kind: 'reseller', external: true } });
    const countLines = [{ interface_id: external.id, section_id: event.sections[0].id, tariff_id: tariff.id, sales: 3, gross: 8400 }];
    const ticketCount = await made(`/api/events/${event.id}/ticket_counts`, { ticket_count: { date_id: event.dates[0].id, day: '2026-11-01', lines: countLines } });
    const countToApprove = await made(`/api/events/${event.id}/ticket_counts`, { ticket_count: { date_id: event.dates[0].id, day: '2026-11-02', lines: countLines } });
    const promotion = await made('/api/promotions', { promotion: { type: 'radio_spot', label: 'Radio', cost: { type: 'paid' }, applied_to: [{ series_id: series.id, quantity: 1, unit_cost: 9900 }] } });
    const sale = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Fosse', capacity: 5000 }], tariffs: [{ section: 0, label: 'Plein', price: 2500 }] });
    const admissionToken = await made(`/api/events/${event.id}/admission_tokens`, { admission_token: { section_ids: [event.sections[0].id] } });
    const doorToken = await made(`/api/events/${event.id}/admission_tokens`, { admission_token: { name: 'Sessions', section_ids: [event.sections[0].id] } });
    const session = await made('/api/door/sessions', { session: { code: doorToken.code } });
    tokens.door = session.key;
    const controlPoint = await made('/api/control_points', { control_point: { name: 'Main gate' } });
    const map = await made('/api/maps', { map: { name: 'Small hall', document: theatreMap({ rows: 1, seatsPerRow: 4 }) } });
    const seated = await made('/api/events', {
      event: { title: 'Seated night', sections: [{ name: 'Stalls', capacity: 4 }], dates: [{ starts_at: '2027-03-01T20:00:00+01:00' }, { starts_at: '2027-03-02T20:00:00+01:00' }] },
    });
    for (const date of seated.dates) assert.equal((await inject('PUT', `/api/events/${seated.id}/dates/${date.id}/map`, { json: { map: { map_id: map.id } } })).statusCode, 200);
    const seat = (await inject('GET', `/api/events/${seated.id}/dates/${seated.dates[0].id}/seats`, {})).json().seats[0];
    const webhook = await made('/api/webhooks', { webhook: { url: 'http://127.0.0.1:9/battery', event_types: ['order.paid'] } });
    const ping = (await inject('POST', `/api/webhooks/${webhook.id}/ping`, {})).json();
    const invitation = await made('/api/invitations', { invitation: { email: 'pending@alpha.test', role: 'box_office' } });
    const estate: Estate = {
      invitation: invitation.id,
      webhook: webhook.id, delivery: Object.values(ping as Record<string, { id: number }>)[0].id,
      map: map.id, seatedEvent: seated.id, seatedDate: seated.dates[0].id, seatedDateToLay: seated.dates[1].id, seat: seat.id,
      admin: p.a.adminAccountId, member: member.id, venue: venue.id, series: series.id, interface: channel.id, event: event.id,
      date: event.dates[0].id, section: event.sections[0].id, tariff: tariff.id, address: address.id, region: region.id,
      category: category.id, oauthClient: oauthClient.id, apiKey: apiKey.id, partnerKey: partnerKey.id, partnerUser: partnerUser.id,
      admissionToken: admissionToken.id, doorCode: doorToken.code, controlPoint: controlPoint.id,
      saleDate: sale.dateIds[0], saleTariff: sale.tariffIds[0], code: code.id, question: question.id, guest: guest.id,
      externalInterface: external.id, ticketCount: ticketCount.id, countToApprove: countToApprove.id, promotion: promotion.id,
    };
    ids = { ...estate, ...(await stage(estate)) };
    bodies = bodiesFor(ids);
    last = await fingerprint(p);
  });
  after(() => p.close());

  test('the OpenAPI document lists the write routes, and each has a valid example body here', () => {
    assert.ok(writeRoutes.length >= 45, `only ${writeRoutes.length} write routes found`);
    const expected = [
      'POST /api/venues', 'PATCH /api/users/{id}', 'PUT /api/events/{id}/dates/{date_id}/capacities/{section_id}', 'POST /api/carts',
      'POST /api/orders/{id}/payments/{payment_id}/confirmation', 'POST /api/orders/{id}/cancellation', 'PATCH /api/tickets/{id}', 'POST /api/transfers/{id}/claim',
    ];
    for (const label of expected) {
      assert.ok(writeRoutes.some((r) => r.label === label), `${label} is missing from the OpenAPI document`);
    }
    assert.deepEqual(writeRoutes.map((r) => r.label).sort(), Object.keys(bodies).sort());
  });

  test('malformed bodies on every write route', async (t) => {
    for (const route of writeRoutes) await t.test(route.label, () => battery(route, wholeBodyCases));
  });

  test('each property of every write route refuses a value of the wrong type', async (t) => {
    for (const route of writeRoutes) {
      await t.test(route.label, () => battery(route, propertyCases(wrongTypeFor, 'of the wrong type', 'schema')));
    }
  });

  test('each string property of every write route refuses 10 kB', async (t) => {
    for (const route of writeRoutes) {
      await t.test(route.label, () => battery(route, propertyCases(hugeFor, 'of 10 kB', 'schema or service')));
    }
  });

  test('each integer property of every write route refuses a number beyond any integer column', async (t) => {
    for (const route of writeRoutes) {
      await t.test(route.label, () => battery(route, propertyCases(beyondFor, `= ${BEYOND}`, 'schema or service')));
    }
  });

  test('malformed query parameters on every list route answer 422 and change nothing', async () => {
    const lists = routes.filter((r) => r.method === 'GET' && r.queryParams.includes('per_page'));
    assert.ok(lists.length >= 15, `only ${lists.length} list routes found`);
    const queries: [string, string][] = [
      ['per_page=0', 'querystring.per_page'], ['per_page=1000', 'querystring.per_page'], ['per_page=abc', 'querystring.per_page'],
      ['page=-1', 'querystring.page'], ['page=0', 'querystring.page'], ['page=abc', 'querystring.page'], ['page=1.5', 'querystring.page'],
      ['unexpected=1', 'querystring.unexpected'],
    ];
    const problems: string[] = [];
    for (const route of lists) {
      const url = urlOf(route.path, parameterSets(route, ids)[0]);
      for (const [query, field] of queries) problems.push(...(await refused(`GET ${url}?${query}`, 'GET', `${url}?${query}`, { name: query, invalid: [field] })));
    }
    for (const query of ['status=bogus', 'venue_id=abc', 'series_id=0']) {
      problems.push(...(await refused(`GET /api/events?${query}`, 'GET', `/api/events?${query}`, { name: query, invalid: [`querystring.${query.split('=')[0]}`] })));
    }
    assert.deepEqual(problems, []);
  });

  test('numbers beyond any integer column in a query string answer 4xx or an empty page, never 500', async () => {
    const lists = routes.filter((r) => r.method === 'GET' && r.queryParams.includes('page'));
    const problems: string[] = [];
    const urls = [
      ...lists.map((route) => `${urlOf(route.path, parameterSets(route, ids)[0])}?page=${BEYOND}`),
      '/api/events?venue_id=2147483648', '/api/events?series_id=2147483648',
    ];
    for (const url of urls) {
      const response = await inject('GET', url);
      const empty = response.statusCode === 200 && Object.values(response.json() as Record<string, unknown[]>).every((list) => list.length === 0);
      if (!empty && !(response.statusCode >= 400 && response.statusCode < 500)) problems.push(`GET ${url}: ${response.statusCode} ${response.body.slice(0, 200)}`);
    }
    assert.deepEqual(problems, []);
  });

  test('malformed path ids answer 4xx on every route, whatever the method, and change nothing', async () => {
    const withIds = routes.filter((r) => r.pathParams.length > 0);
    assert.ok(withIds.length >= 70, `only ${withIds.length} routes with path parameters found`);
    const badIds = ['abc', '0', '-1', '1.5', '99999999999999999999', '2147483648', '9999999999'];
    const problems: string[] = [];
    for (const route of withIds) {
      const real = parameterSets(route, ids).at(-1)!; // numeric ids everywhere
      const body = bodies[route.label];
      for (const name of route.pathParams) {
        for (const bad of badIds) {
          const url = urlOf(route.path, { ...real, [name]: bad });
          problems.push(...(await refused(`${route.method} ${url}`, route.method, url, { name: bad, ...validRequest(body) })));
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  test('the token endpoint answers malformed requests with an RFC 6749 error, never 500, and issues nothing', async () => {
    const creds = { client_id: p.a.clientId, client_secret: p.a.clientSecret };
    const json = 'application/json';
    const form = 'application/x-www-form-urlencoded';
    const cases: { name: string; url?: string; raw: string; type: string; status: number; error: string }[] = [
      { name: 'not JSON', raw: '{"grant_type": ', type: json, status: 400, error: 'invalid_request' },
      { name: 'an empty JSON body', raw: '', type: json, status: 400, error: 'invalid_request' },
      { name: 'JSON null', raw: 'null', type: json, status: 400, error: 'invalid_request' },
      { name: '[]', raw: '[]', type: json, status: 400, error: 'invalid_request' },
      { name: '{}', raw: '{}', type: json, status: 400, error: 'invalid_request' },
      { name: 'no grant_type', raw: JSON.stringify(creds), type: json, status: 400, error: 'invalid_request' },
      { name: 'no grant_type, form-encoded', raw: new URLSearchParams(creds).toString(), type: form, status: 400, error: 'invalid_request' },
      { name: 'grant_type as a number', raw: JSON.stringify({ ...creds, grant_type: 42 }), type: json, status: 400, error: 'unsupported_grant_type' },
      { name: 'grant_type as an object', raw: JSON.stringify({ ...creds, grant_type: { client_credentials: true } }), type: json, status: 400, error: 'invalid_request' },
      { name: 'an unknown grant_type', raw: JSON.stringify({ ...creds, grant_type: 'authorization_code' }), type: json, status: 400, error: 'unsupported_grant_type' },
      { name: 'client credentials as numbers', raw: JSON.stringify({ grant_type: 'client_credentials', client_id: 1, client_secret: 2 }), type: json, status: 401, error: 'invalid_client' },
      { name: 'client credentials as arrays of objects', raw: JSON.stringify({ grant_type: 'client_credentials', client_id: [{}], client_secret: [{}] }), type: json, status: 400, error: 'invalid_request' },
      { name: 'scope as a number', raw: JSON.stringify({ ...creds, grant_type: 'client_credentials', scope: 7 }), type: json, status: 400, error: 'invalid_scope' },
      { name: 'password grant without a password', raw: JSON.stringify({ ...creds, grant_type: 'password', username: 'alpha-admin' }), type: json, status: 400, error: 'invalid_request' },
      { name: 'a 10 kB client_id', raw: JSON.stringify({ grant_type: 'client_credentials', client_id: HUGE, client_secret: HUGE }), type: json, status: 400, error: 'invalid_request' },
      { name: 'a text/plain body', raw: 'grant_type=client_credentials', type: 'text/plain', status: 400, error: 'invalid_request' },
      { name: 'a body over the 1 MiB limit', raw: JSON.stringify({ ...creds, grant_type: 'client_credentials', scope: 'x'.repeat(1_100_000) }), type: json, status: 400, error: 'invalid_request' },
      { name: 'revoke: not JSON', url: '/api/auth/revoke', raw: '{"token": ', type: json, status: 400, error: 'invalid_request' },
      { name: 'revoke: no token', url: '/api/auth/revoke', raw: JSON.stringify(creds), type: json, status: 400, error: 'invalid_request' },
      { name: 'revoke: token as an object', url: '/api/auth/revoke', raw: JSON.stringify({ ...creds, token: {} }), type: json, status: 400, error: 'invalid_request' },
      { name: 'revoke: a body over the 1 MiB limit', url: '/api/auth/revoke', raw: JSON.stringify({ ...creds, token: 'x'.repeat(1_100_000) }), type: json, status: 400, error: 'invalid_request' },
    ];
    const problems: string[] = [];
    for (const c of cases) {
      const response = await p.app.inject({ method: 'POST', url: c.url ?? '/api/auth/token', headers: { 'content-type': c.type }, payload: c.raw });
      const body = jsonOf(response);
      const rfc6749 = typeof body?.error === 'string' && typeof body?.error_description === 'string';
      if (response.statusCode !== c.status || !rfc6749 || body.error !== c.error) {
        problems.push(`${c.name}: expected ${c.status} ${c.error}, got ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
      problems.push(...(await databaseProblems(c.name)));
    }
    assert.deepEqual(problems, []);
  });

  // Last, because they change data.
  test('a body whose root is optional may also be left out', async () => {
    const optional = writeRoutes.filter((route) => shapeOf(route)?.optional);
    assert.ok(optional.some((route) => route.label === 'POST /api/carts'), optional.map((route) => route.label).join(', '));
    const problems: string[] = [];
    for (const route of optional) {
      for (const request of [{ json: {} }, {}]) {
        const response = await inject(route.method, urlOf(route.path, parameterSets(route, ids)[0]), request);
        if (response.statusCode !== 201) problems.push(`${route.label} with ${'json' in request ? '{}' : 'no body'}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  // Proof that each example body is valid, so every refusal above was about the one thing each case
  // broke. No reset code was ever mailed: that answer comes from the service, past schema validation.
  // The selling actions spend their resources, so they get a freshly staged set: the battery's, had
  // a malformed request moved one on, would make its valid request fail here too.
  test('the example bodies used above are accepted by their routes', async () => {
    const refusedByService: Record<string, string> = {
      'POST /api/users/password_resets/confirm': 'TOKEN_EXPIRED',
      'POST /api/invitations/acceptance': 'TOKEN_EXPIRED',
      // Browser-session routes refuse a script that has no browser session and CSRF token (test/dialects/native/web-session.test.ts signs in for real).
      'POST /api/session/sign_up': 'FORBIDDEN',
      'POST /api/session/sign_in': 'FORBIDDEN',
      'POST /api/session/password': 'FORBIDDEN',
    };
    const fresh: Ids = { ...ids, ...(await stage(ids)) };
    const examples = bodiesFor(fresh);
    const problems: string[] = [];
    for (const route of writeRoutes) {
      for (const params of parameterSets(route, fresh)) {
        const url = urlOf(route.path, params);
        const response = await inject(route.method, url, validRequest(examples[route.label]));
        const expected = refusedByService[route.label];
        const ok = expected ? response.json().error?.code === expected : response.statusCode >= 200 && response.statusCode < 300;
        if (!ok) problems.push(`${route.method} ${url}: expected ${expected ?? '2xx'}, got ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
