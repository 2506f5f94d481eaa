/**
 * One organization can never see or touch another's data.
 *
 * Organizations A and B each build the same estate over HTTP (venue, series, interface, event with
 * sections, dates and a tariff, OAuth client, API key, member account, address; and selling: an
 * event on sale, a buyer's cart, pending and paid orders, a payment awaiting confirmation, tickets,
 * a discount code, a question and its answer, a guest, transfers to the buyer's friend). Then A,
 * holding an all-scopes admin token, goes after every URL of B's estate with every method, lists
 * everything it can list, points its own resources at B's, and names B's interfaces in X-Interface;
 * B's own buyer and friend, signed in through A's client, go after what a buyer can reach. Everything
 * must answer 404 (or 422 for references inside a body) and B's data, read back with B's own tokens,
 * must be exactly what it was. Within B, a buyer reaches only their own orders and tickets.
 * Platform-wide data (categories, regions, countries) is shared by design and not tested here.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { platform, token, client, buyer, onSaleEvent, CARD, type TestPlatform, type Tenant } from './helpers.ts';
import { TEST_CARDS } from '../src/core/selling/payments.ts';

type Api = ReturnType<typeof client>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const FRANCE = 250;

/**
 * Who acts for an organization: its all-scopes admin client, and two people signed in through its
 * client with the password grant: a buyer, and the buyer's friend, to whom the buyer sends tickets.
 */
type Role = 'admin' | 'buyer' | 'friend';
type Party = Record<Role, Api>;
/** Account names of an organization's buyer and friend (buyers.test addresses, see helpers' `buyer`). */
const personOf = (tenant: Tenant, role: Exclude<Role, 'admin'>) => `${tenant.slug}-${role}`;
const emailOf = (person: string) => `${person}@buyers.test`;
/** What a buyer can reach, attacked also by people; and what only people can (transfers refuse clients' tokens). */
const ANYONE: Role[] = ['admin', 'buyer', 'friend'];
const PEOPLE: Role[] = ['buyer', 'friend'];

/** The ids of everything one organization owns. */
interface Estate {
  admin: number;
  member: number;
  venue: number;
  series: number;
  interface: number;
  defaultInterface: number;
  event: number;
  sections: number[];
  dates: number[];
  tariff: number;
  oauthClient: number;
  mainOauthClient: number;
  apiKey: number;
  partnerKey: number;
  partnerUser: number;
  address: number;
  /** An event on sale now, with one section, date and tariff. */
  sale: { event: number; section: number; date: number; tariff: number };
  /** The buyer's open cart, holding one item. */
  cart: number;
  cartItem: number;
  /** The buyer's orders, each in the state its action needs; `paid` has answers and five tickets. */
  orders: { toPay: number; challenged: number; toCancel: number; paid: number };
  /** A card payment of `orders.challenged` that awaits confirmation. */
  payment: number;
  /** The paid order's tickets, held by the buyer: to personalize, to refund, then three sent to the friend. */
  tickets: number[];
  saleLine: number;
  code: number;
  question: number;
  guest: number;
  comps: number[];
  /** Every barcode of the organization's tickets, sold and comp. */
  barcodes: string[];
  /** Pending transfers from the buyer to the friend. */
  transfers: { toCancel: number; toClaim: number; toReject: number };
}

function send(api: Api, method: Method, url: string, body?: unknown, headers?: Record<string, string>) {
  const payload = body ?? {};
  switch (method) {
    case 'GET': return api.get(url, headers);
    case 'POST': return api.post(url, payload, headers);
    case 'PUT': return api.put(url, payload, headers);
    case 'PATCH': return api.patch(url, payload, headers);
    case 'DELETE': return api.delete(url, headers);
  }
}

/** Sends a creation request and returns the created object under `root`, failing loudly otherwise. */
async function created<T = Record<string, unknown>>(api: Api, url: string, body: Record<string, unknown>, root = Object.keys(body)[0]): Promise<T> {
  const response = await api.post(url, body);
  assert.equal(response.statusCode, 201, `POST ${url}: ${response.body}`);
  return response.json()[root];
}

const idsOf = (items: { id: number }[]) => items.map((item) => item.id);

/** The tickets and lines of an order, as the API shows them. */
interface Bought { id: number; lines: { id: number }[]; tickets: { id: number; barcode: string }[] }

/** The admin, buyer and friend of an organization, each signed in through its own client. */
async function partyOf(p: TestPlatform, tenant: Tenant): Promise<Party> {
  return {
    admin: client(p.app, await token(p.app, tenant)),
    buyer: await buyer(p.app, tenant, personOf(tenant, 'buyer')),
    friend: await buyer(p.app, tenant, personOf(tenant, 'friend')),
  };
}

/**
 * Builds one organization's estate through the native API, as that organization's admin; its buyer
 * does the buying (an on-sale event needs a platform review, so that one is set up through the core).
 */
async function buildEstate(p: TestPlatform, party: Party, tenant: Tenant): Promise<Estate> {
  const { admin: api, buyer: shopper } = party;
  const slug = tenant.slug;
  const venue = await created(api, '/api/venues', { venue: { name: `Salle ${slug}`, kind: 'hall', city: 'Nantes', country_code: 'FR', capacity: 800 } });
  const series = await created(api, '/api/series', { series: { kind: 'tour', label: `Tour ${slug}`, venue_id: venue.id } });
  const channel = await created(api, '/api/interfaces', { interface: { name: `Box office ${slug}`, kind: 'box_office' } });
  const event = await created(api, '/api/events', {
    event: {
      title: `Concert ${slug}`,
      venue_id: venue.id,
      series_id: series.id,
      sections: [{ name: 'Floor', capacity: 500 }, { name: 'Balcony', capacity: 300, position: 1 }],
      dates: [{ starts_at: '2027-03-01T20:00:00+01:00' }, { starts_at: '2027-03-02T20:00:00+01:00', venue_id: venue.id }],
    },
  }) as { id: number; sections: { id: number }[]; dates: { id: number }[] };
  const tariff = await created(api, `/api/events/${event.id}/tariffs`, {
    tariff: { section_id: event.sections[0].id, label: 'Full price', price: 3500, interface_ids: [channel.id] },
  });
  const oauthClient = await created(api, '/api/oauth_clients', { oauth_client: { name: `Shop ${slug}`, scopes: 'public buy' } });
  const apiKey = await created(api, '/api/api_keys', { api_key: { name: `Reporting ${slug}`, access_level: 'public' } });
  const partnerKey = await created(api, '/api/partner_keys', { partner_key: { name: `Access control ${slug}` } });
  const partnerUser = await created(api, '/api/partner_users', { partner_user: { username: `pims-${slug}` } });
  const member = await created(api, '/api/users', {
    user: { username: `${slug}-manager`, email: `manager@${slug}.test`, password: `${slug}-manager-password`, role: 'manager', first_name: 'Dominique' },
  });
  const address = await created(api, '/api/users/me/addresses', { address: { line1: '1 quai de la Fosse', city: 'Nantes', zip: '44000', country_id: FRANCE } });
  const interfaces = (await api.get('/api/interfaces?per_page=100')).json().interfaces as { id: number; default: boolean }[];
  const clients = (await api.get('/api/oauth_clients?per_page=100')).json().oauth_clients as { id: number; client_id: string }[];

  const sale = await onSaleEvent(p.app, tenant, { sections: [{ name: 'Fosse', capacity: 100 }], tariffs: [{ section: 0, label: 'Plein', price: 2000 }] });
  const item = { tariff_id: sale.tariffIds[0], date_id: sale.dateIds[0], quantity: 1 };
  const code = await created(api, '/api/codes', { code: { code: `SAVE-${slug}`, kind: 'percentage', value: 10 } });
  const question = await created(api, `/api/events/${sale.eventId}/questions`, { question: { label: 'Dietary needs', kind: 'text' } });
  const guest = await created<Bought>(api, '/api/guests', {
    guest: { event_id: sale.eventId, date_id: sale.dateIds[0], section_id: sale.sectionIds[0], name: `Guest of ${slug}`, quantity: 2 },
  });
  const cart = await created<{ id: number; items: { id: number }[] }>(shopper, '/api/carts', { cart: { items: [item] } });
  const order = async (quantity: number, checkout: Record<string, unknown> = {}) => {
    const { id } = await created(shopper, '/api/carts', { cart: { items: [{ ...item, quantity }] } });
    return created<Bought>(shopper, `/api/carts/${id}/checkout`, { checkout }, 'order');
  };
  const pay = <T>(orderId: number, number: string, root: 'payment' | 'order') =>
    created<T>(shopper, `/api/orders/${orderId}/payments`, { payment: { provider: 'test', card: { ...CARD, number } } }, root);
  const [toPay, challenged, toCancel] = [await order(1), await order(1), await order(1)];
  const payment = await pay<{ id: number; status: string }>(challenged.id, TEST_CARDS.requiresAction, 'payment');
  assert.equal(payment.status, 'requires_action');
  const bought = await order(5, { buyer_name: `Buyer of ${slug}`, answers: [{ question_id: question.id, value: 'Vegetarian' }] });
  const paid = await pay<Bought>(bought.id, CARD.number, 'order');
  const transfers: number[] = [];
  for (const ticket of paid.tickets.slice(2)) {
    const transfer = await created(shopper, '/api/transfers', { transfer: { ticket_ids: [ticket.id], recipient_email: emailOf(personOf(tenant, 'friend')) } });
    transfers.push(transfer.id as number);
  }
  return {
    admin: tenant.adminAccountId,
    member: member.id as number,
    venue: venue.id as number,
    series: series.id as number,
    interface: channel.id as number,
    defaultInterface: interfaces.find((i) => i.default)!.id,
    event: event.id,
    sections: idsOf(event.sections),
    dates: idsOf(event.dates),
    tariff: tariff.id as number,
    oauthClient: oauthClient.id as number,
    partnerUser: partnerUser.id as number,
    mainOauthClient: clients.find((c) => c.client_id === tenant.clientId)!.id,
    apiKey: apiKey.id as number,
    partnerKey: partnerKey.id as number,
    address: address.id as number,
    sale: { event: sale.eventId, section: sale.sectionIds[0], date: sale.dateIds[0], tariff: sale.tariffIds[0] },
    cart: cart.id,
    cartItem: cart.items[0].id,
    orders: { toPay: toPay.id, challenged: challenged.id, toCancel: toCancel.id, paid: paid.id },
    payment: payment.id,
    tickets: idsOf(paid.tickets),
    saleLine: paid.lines[0].id,
    code: code.id as number,
    question: question.id as number,
    guest: guest.id,
    comps: idsOf(guest.tickets),
    barcodes: [...paid.tickets, ...guest.tickets].map((t) => t.barcode),
    transfers: { toCancel: transfers[0], toClaim: transfers[1], toReject: transfers[2] },
  };
}

/**
 * Every URL of an estate, with a body that is valid for its write route (so a 404 can only mean
 * "not yours", never "bad body"). `write` names the method that really exists there, if any;
 * `readable` says whether a GET route exists (otherwise the data is read back through a list).
 * `by` is who reads it and sends its write in its own organization (the admin unless said);
 * `attackers` who goes after it from A (A's admin unless said; people are B's own buyer and friend,
 * signed in through A's client).
 */
interface Target { url: string; body: Record<string, unknown>; write: Method | null; readable: boolean; by?: Role; attackers?: Role[] }

function targetsOf(e: Estate): Target[] {
  const event = `/api/events/${e.event}`;
  const [date] = e.dates;
  const [section] = e.sections;
  const sale = `/api/events/${e.sale.event}`;
  const cart = `/api/carts/${e.cart}`;
  const [ticket, refunded] = e.tickets;
  return [
    { url: `/api/venues/${e.venue}`, body: { venue: { name: 'Taken over', capacity: 1 } }, write: 'PATCH', readable: true },
    { url: `/api/series/${e.series}`, body: { series: { label: 'Taken over' } }, write: 'PATCH', readable: true },
    { url: `/api/interfaces/${e.interface}`, body: { interface: { name: 'Taken over', kind: 'partner' } }, write: 'PATCH', readable: true },
    { url: `/api/interfaces/${e.defaultInterface}`, body: { interface: { name: 'Taken over' } }, write: 'PATCH', readable: true },
    { url: event, body: { event: { title: 'Taken over', public: false } }, write: 'PATCH', readable: true },
    { url: `${event}/dates`, body: { date: { starts_at: '2027-04-01T20:00:00+02:00' } }, write: 'POST', readable: true },
    { url: `${event}/dates/${date}`, body: { date: { status: 'cancelled' } }, write: 'PATCH', readable: true },
    { url: `${event}/sections`, body: { section: { name: 'Pit', capacity: 10 } }, write: 'POST', readable: true },
    { url: `${event}/sections/${section}`, body: { section: { capacity: 1 } }, write: 'PATCH', readable: true },
    { url: `${event}/tariffs`, body: { tariff: { section_id: section, label: 'Free', price: 0 } }, write: 'POST', readable: true },
    { url: `${event}/tariffs/${e.tariff}`, body: { tariff: { price: 1 } }, write: 'PATCH', readable: true },
    { url: `${event}/dates/${date}/capacities/${section}`, body: { capacity: { capacity: 1 } }, write: 'PUT', readable: false },
    { url: `/api/users/${e.member}`, body: { user: { role: 'door_staff' } }, write: 'PATCH', readable: true },
    { url: `/api/users/${e.admin}`, body: { user: { last_name: 'Mallory' } }, write: 'PATCH', readable: true },
    { url: `/api/users/${e.admin}/addresses`, body: { address: { line1: '2 rue Crébillon', city: 'Nantes', country_id: FRANCE } }, write: 'POST', readable: true },
    { url: `/api/users/${e.admin}/addresses/${e.address}`, body: { address: { city: 'Elsewhere', is_default: true } }, write: 'PATCH', readable: true },
    { url: `/api/users/${e.admin}/activity`, body: {}, write: null, readable: true },
    { url: `/api/oauth_clients/${e.oauthClient}`, body: { oauth_client: { name: 'Taken over' } }, write: null, readable: true },
    { url: `/api/oauth_clients/${e.mainOauthClient}`, body: { oauth_client: { name: 'Taken over' } }, write: null, readable: true },
    { url: `/api/api_keys/${e.apiKey}`, body: { api_key: { name: 'Taken over', access_level: 'host' } }, write: null, readable: false },
    { url: `/api/partner_keys/${e.partnerKey}`, body: {}, write: 'DELETE', readable: false },
    { url: `/api/partner_users/${e.partnerUser}`, body: {}, write: 'DELETE', readable: false },
    // Selling.
    { url: sale, body: { event: { title: 'Taken over' } }, write: null, readable: true },
    { url: cart, body: {}, write: null, readable: true, attackers: ANYONE },
    { url: `${cart}/items`, body: { item: { tariff_id: e.sale.tariff, date_id: e.sale.date, quantity: 1 } }, write: 'POST', readable: false, attackers: ANYONE },
    { url: `${cart}/items/${e.cartItem}`, body: {}, write: 'DELETE', readable: false, attackers: ANYONE },
    { url: `${cart}/checkout`, body: { checkout: { buyer_name: 'Mallory' } }, write: 'POST', readable: false, attackers: ANYONE },
    { url: `/api/orders/${e.orders.paid}`, body: {}, write: null, readable: true, attackers: ANYONE },
    { url: `/api/orders/${e.orders.paid}/answers`, body: {}, write: null, readable: true, attackers: ANYONE },
    { url: `/api/orders/${e.orders.toPay}/payments`, body: { payment: { provider: 'test', card: CARD } }, write: 'POST', readable: false, attackers: ANYONE },
    {
      url: `/api/orders/${e.orders.challenged}/payments/${e.payment}/confirmation`, body: { confirmation: { outcome: 'approve' } }, write: 'POST', readable: false, attackers: ANYONE,
    },
    { url: `/api/orders/${e.orders.toCancel}/cancellation`, body: {}, write: 'POST', readable: false, attackers: ANYONE },
    { url: `/api/orders/${e.orders.paid}/refunds`, body: { refund: { ticket_ids: [refunded], reason: 'Taken over' } }, write: 'POST', readable: false },
    { url: `/api/tickets/${ticket}`, body: { ticket: { holder_name: 'Mallory', holder_email: 'mallory@example.test' } }, write: 'PATCH', readable: true, attackers: ANYONE },
    { url: `/api/tickets/${ticket}/qr_code`, body: {}, write: null, readable: true, attackers: ANYONE },
    { url: `/api/tickets/${e.comps[0]}`, body: { ticket: { holder_name: 'Mallory' } }, write: null, readable: true },
    { url: `/api/codes/${e.code}`, body: { code: { value: 99, active: false } }, write: 'PATCH', readable: true },
    { url: `${sale}/questions`, body: { question: { label: 'Taken over', kind: 'text' } }, write: 'POST', readable: true },
    { url: `${sale}/questions/${e.question}`, body: { question: { label: 'Taken over', position: 5 } }, write: 'PATCH', readable: false },
    { url: `/api/guests/${e.guest}`, body: {}, write: 'DELETE', readable: true },
    { url: `/api/transfers/${e.transfers.toCancel}`, body: {}, write: 'DELETE', readable: true, by: 'buyer', attackers: PEOPLE },
    { url: `/api/transfers/${e.transfers.toClaim}/claim`, body: {}, write: 'POST', readable: false, by: 'friend', attackers: PEOPLE },
    { url: `/api/transfers/${e.transfers.toReject}/rejection`, body: {}, write: 'POST', readable: false, by: 'friend', attackers: PEOPLE },
  ];
}

/** Lists an organization sees (as `by`, the admin unless said), with the root key of each answer and the estate ids that belong in it. */
const listsOf = (e: Estate): { url: string; root: string; ids: number[]; by?: Role }[] => [
  { url: '/api/venues', root: 'venues', ids: [e.venue] },
  { url: '/api/events', root: 'events', ids: [e.event] },
  { url: '/api/series', root: 'series', ids: [e.series] },
  { url: '/api/interfaces', root: 'interfaces', ids: [e.interface, e.defaultInterface] },
  { url: '/api/users', root: 'users', ids: [e.admin, e.member] },
  { url: '/api/oauth_clients', root: 'oauth_clients', ids: [e.oauthClient, e.mainOauthClient] },
  { url: '/api/api_keys', root: 'api_keys', ids: [e.apiKey] },
  { url: '/api/partner_keys', root: 'partner_keys', ids: [e.partnerKey] },
  { url: '/api/partner_users', root: 'partner_users', ids: [e.partnerUser] },
  { url: `/api/events/${e.event}/dates`, root: 'dates', ids: e.dates },
  { url: `/api/events/${e.event}/sections`, root: 'sections', ids: e.sections },
  { url: `/api/events/${e.event}/tariffs`, root: 'tariffs', ids: [e.tariff] },
  { url: '/api/users/me/addresses', root: 'addresses', ids: [e.address] },
  { url: '/api/orders', root: 'orders', ids: Object.values(e.orders) },
  { url: '/api/tickets', root: 'tickets', ids: [...e.tickets, ...e.comps] },
  { url: '/api/sale_details', root: 'sale_details', ids: [e.saleLine] },
  { url: '/api/codes', root: 'codes', ids: [e.code] },
  { url: '/api/guests', root: 'guests', ids: [e.guest] },
  { url: `/api/events/${e.sale.event}/questions`, root: 'questions', ids: [e.question] },
  { url: '/api/transfers', root: 'transfers', ids: Object.values(e.transfers), by: 'buyer' },
];

/** Everything an organization can read about its own estate, as its own admin (or the person `by`) sees it. */
async function snapshot(party: Party, e: Estate): Promise<Record<string, { status: number; body: unknown }>> {
  const reads: [Role, string][] = [
    ...targetsOf(e).filter((t) => t.readable).map((t): [Role, string] => [t.by ?? 'admin', t.url]),
    ...listsOf(e).map((l): [Role, string] => [l.by ?? 'admin', `${l.url}?per_page=100`]),
    ['admin', '/api/organization'],
    ['admin', '/api/users/me'],
  ];
  const result: Record<string, { status: number; body: unknown }> = {};
  for (const [role, url] of reads) {
    const response = await party[role].get(url);
    // QR codes are images: compared byte for byte.
    const json = String(response.headers['content-type']).startsWith('application/json');
    result[url] = { status: response.statusCode, body: json ? response.json() : response.rawPayload.toString('base64') };
  }
  return result;
}

function assertNotFound(response: { statusCode: number; json(): unknown; body: string }, what: string) {
  assert.equal(response.statusCode, 404, `${what}: expected 404, got ${response.statusCode} ${response.body}`);
  const body = response.json() as { error?: { code?: unknown; message?: unknown } };
  assert.equal(body.error?.code, 'NOT_FOUND', `${what}: ${response.body}`);
  assert.equal(typeof body.error?.message, 'string', what);
}

describe("one organization can never see or touch another's data", () => {
  let p: TestPlatform;
  let partyA: Party;
  let partyB: Party;
  let apiA: Api;
  /** What attacks from A: A's admin, and B's own buyer and friend signed in through A's client. */
  let intruders: Party;
  let estateA: Estate;
  let estateB: Estate;

  before(async () => {
    p = await platform();
    partyA = await partyOf(p, p.a);
    partyB = await partyOf(p, p.b);
    apiA = partyA.admin;
    intruders = { admin: apiA, buyer: await buyer(p.app, p.a, personOf(p.b, 'buyer')), friend: await buyer(p.app, p.a, personOf(p.b, 'friend')) };
    estateA = await buildEstate(p, partyA, p.a);
    estateB = await buildEstate(p, partyB, p.b);
  });
  after(() => p.close());

  test('each organization reads its own estate in full (so the checks below are not vacuous)', async () => {
    for (const [party, estate] of [[partyA, estateA], [partyB, estateB]] as const) {
      const seen = await snapshot(party, estate);
      for (const [url, { status }] of Object.entries(seen)) assert.equal(status, 200, `GET ${url}`);
      for (const list of listsOf(estate)) {
        const ids = idsOf((seen[`${list.url}?per_page=100`].body as Record<string, { id: number }[]>)[list.root]);
        for (const id of list.ids) assert.ok(ids.includes(id), `${list.url} should list ${id}, got ${ids.join(', ')}`);
      }
    }
  });

  test("A gets 404 NOT_FOUND for every method on every URL of B's estate, and B's data is unchanged", async () => {
    const before = await snapshot(partyB, estateB);
    p.clock.advance(60_000); // any write, even a no-op one, would now show in updated_at
    for (const target of targetsOf(estateB)) {
      for (const role of target.attackers ?? ['admin']) {
        for (const method of METHODS) assertNotFound(await send(intruders[role], method, target.url, target.body), `A's ${role}: ${method} ${target.url}`);
      }
    }
    assert.deepEqual(await snapshot(partyB, estateB), before);

    // The bodies A sent were valid, and the resources in a state to take them: B itself can send each
    // of them to its own estate (in this order: the cart gets its second item before losing its first).
    for (const target of targetsOf(estateB).filter((t) => t.write !== null)) {
      const response = await send(partyB[target.by ?? 'admin'], target.write!, target.url, target.body);
      assert.ok(response.statusCode >= 200 && response.statusCode < 300, `B: ${target.write} ${target.url}: ${response.statusCode} ${response.body}`);
    }
  });

  test("A's lists show A's resources and never B's; B's barcodes appear nowhere in A", async () => {
    const listsB = listsOf(estateB);
    const bodies: string[] = [];
    for (const [index, list] of listsOf(estateA).entries()) {
      const response = await partyA[list.by ?? 'admin'].get(`${list.url}?per_page=100`);
      assert.equal(response.statusCode, 200, `${list.url}: ${response.body}`);
      bodies.push(response.body);
      const ids = idsOf(response.json()[list.root]);
      for (const id of list.ids) assert.ok(ids.includes(id), `${list.url} should list A's ${id}, got ${ids.join(', ')}`);
      for (const id of listsB[index].ids) assert.ok(!ids.includes(id), `${list.url} lists B's ${id}: ${ids.join(', ')}`);
    }
    // Carts are read one by one, never listed.
    assertNotFound(await apiA.get('/api/carts?per_page=100'), 'A: GET /api/carts');
    // Every barcode of A shows in A's lists, and none of B's.
    const seen = bodies.join('\n');
    for (const barcode of estateA.barcodes) assert.ok(seen.includes(barcode), `A's barcode ${barcode} should be listed`);
    for (const barcode of estateB.barcodes) assert.ok(!seen.includes(barcode), `B's barcode ${barcode} is listed in A`);

    // B's own people, signed in through A's client, find nothing of theirs in A.
    for (const role of PEOPLE) {
      for (const [url, root] of [['/api/orders', 'orders'], ['/api/tickets', 'tickets'], ['/api/transfers', 'transfers']]) {
        const response = await intruders[role].get(`${url}?per_page=100`);
        assert.equal(response.statusCode, 200, `B's ${role} in A: ${url}: ${response.body}`);
        assert.deepEqual(response.json()[root], [], `B's ${role} in A: ${url}`);
      }
    }
  });

  test("A cannot point its own resources at B's, nor reach B's parts through A's own parents", async () => {
    const a = estateA;
    const b = estateB;
    const event = `/api/events/${a.event}`;
    const sale = `/api/events/${a.sale.event}`;
    const startsAt = '2027-05-01T20:00:00+02:00';
    const stolenItem = { item: { tariff_id: b.sale.tariff, date_id: b.sale.date, quantity: 1 } };
    const stolenCode = { code: 'STOLEN', kind: 'fixed', value: 100 };
    const guestOn = (at: Estate['sale'], date: number) => ({ guest: { event_id: at.event, date_id: date, section_id: at.section, name: 'Stolen', quantity: 1 } });
    // References inside a body are refused as invalid values, naming the field (sent by A's admin, or by B's buyer signed in through A).
    const references: { method: Method; url: string; body: Record<string, unknown>; field: string; by?: Role }[] = [
      { method: 'POST', url: '/api/events', body: { event: { title: 'Stolen venue', venue_id: b.venue } }, field: 'venue_id' },
      { method: 'POST', url: '/api/events', body: { event: { title: 'Stolen series', series_id: b.series } }, field: 'series_id' },
      { method: 'POST', url: '/api/events', body: { event: { title: 'Stolen date venue', dates: [{ starts_at: startsAt, venue_id: b.venue }] } }, field: 'venue_id' },
      { method: 'PATCH', url: event, body: { event: { venue_id: b.venue } }, field: 'venue_id' },
      { method: 'PATCH', url: event, body: { event: { series_id: b.series } }, field: 'series_id' },
      { method: 'POST', url: '/api/series', body: { series: { kind: 'tour', label: 'Stolen', venue_id: b.venue } }, field: 'venue_id' },
      { method: 'PATCH', url: `/api/series/${a.series}`, body: { series: { venue_id: b.venue } }, field: 'venue_id' },
      { method: 'POST', url: `${event}/dates`, body: { date: { starts_at: startsAt, venue_id: b.venue } }, field: 'venue_id' },
      { method: 'PATCH', url: `${event}/dates/${a.dates[0]}`, body: { date: { venue_id: b.venue } }, field: 'venue_id' },
      { method: 'POST', url: `${event}/tariffs`, body: { tariff: { section_id: b.sections[0], label: 'Stolen', price: 100 } }, field: 'section_id' },
      { method: 'POST', url: `${event}/tariffs`, body: { tariff: { section_id: a.sections[0], label: 'Stolen', price: 100, interface_ids: [b.interface] } }, field: 'interface_ids' },
      { method: 'PATCH', url: `${event}/tariffs/${a.tariff}`, body: { tariff: { section_id: b.sections[0] } }, field: 'section_id' },
      { method: 'PATCH', url: `${event}/tariffs/${a.tariff}`, body: { tariff: { interface_ids: [b.defaultInterface] } }, field: 'interface_ids' },
      { method: 'POST', url: `/api/carts/${a.cart}/items`, body: stolenItem, field: 'tariff_id' },
      { method: 'POST', url: '/api/carts', body: { cart: { items: [stolenItem.item] } }, field: 'tariff_id' },
      { method: 'POST', url: '/api/codes', body: { code: { ...stolenCode, tariff_ids: [b.sale.tariff] } }, field: 'tariff_ids' },
      { method: 'POST', url: '/api/codes', body: { code: { ...stolenCode, event_ids: [b.sale.event] } }, field: 'event_ids' },
      { method: 'PATCH', url: `/api/codes/${a.code}`, body: { code: { tariff_ids: [b.sale.tariff] } }, field: 'tariff_ids' },
      { method: 'POST', url: '/api/guests', body: guestOn(b.sale, b.sale.date), field: 'event_id' },
      { method: 'POST', url: '/api/guests', body: guestOn(a.sale, b.sale.date), field: 'date_id' },
      { method: 'POST', url: `/api/orders/${a.orders.paid}/refunds`, body: { refund: { ticket_ids: [b.tickets[1]] } }, field: 'ticket_ids' },
      { method: 'POST', url: '/api/transfers', body: { transfer: { ticket_ids: [b.tickets[1]], recipient_email: 'mallory@example.test' } }, field: 'ticket_ids', by: 'buyer' },
    ];
    // B's parts addressed under A's own event or account are simply not there.
    const mixed: { method: Method; url: string; body: Record<string, unknown> }[] = [
      ...(['GET', 'PATCH', 'DELETE'] as const).flatMap((method) => [
        { method, url: `${event}/dates/${b.dates[0]}`, body: { date: { status: 'cancelled' } } },
        { method, url: `${event}/sections/${b.sections[0]}`, body: { section: { capacity: 1 } } },
        { method, url: `${event}/tariffs/${b.tariff}`, body: { tariff: { price: 1 } } },
        { method, url: `/api/users/me/addresses/${b.address}`, body: { address: { city: 'Elsewhere' } } },
        { method, url: `/api/users/${a.admin}/addresses/${b.address}`, body: { address: { city: 'Elsewhere' } } },
        { method, url: `/api/carts/${a.cart}/items/${b.cartItem}`, body: {} },
        { method, url: `${sale}/questions/${b.question}`, body: { question: { label: 'Taken over' } } },
      ]),
      { method: 'POST', url: `/api/orders/${a.orders.challenged}/payments/${b.payment}/confirmation`, body: { confirmation: { outcome: 'approve' } } },
      { method: 'PUT', url: `${event}/dates/${b.dates[0]}/capacities/${b.sections[0]}`, body: { capacity: { capacity: 1 } } },
      { method: 'PUT', url: `${event}/dates/${a.dates[0]}/capacities/${b.sections[0]}`, body: { capacity: { capacity: 1 } } },
      { method: 'PUT', url: `${event}/dates/${b.dates[0]}/capacities/${a.sections[0]}`, body: { capacity: { capacity: 1 } } },
    ];

    const beforeA = await snapshot(partyA, a);
    const beforeB = await snapshot(partyB, b);
    p.clock.advance(60_000);
    for (const r of references) {
      const response = await send(intruders[r.by ?? 'admin'], r.method, r.url, r.body);
      const what = `${r.method} ${r.url} ${JSON.stringify(r.body)}`;
      assert.equal(response.statusCode, 422, `${what}: ${response.statusCode} ${response.body}`);
      const error = response.json().error as { code: string; details?: { field: string }[] };
      assert.equal(error.code, 'VALIDATION_FAILED', what);
      assert.ok(error.details?.some((d) => d.field === r.field), `${what}: details should name ${r.field}: ${response.body}`);
    }
    for (const r of mixed) assertNotFound(await send(apiA, r.method, r.url, r.body), `${r.method} ${r.url}`);
    assert.deepEqual(await snapshot(partyA, a), beforeA);
    assert.deepEqual(await snapshot(partyB, b), beforeB);
  });

  test("an X-Interface header naming one of B's interfaces gets 404 for A, and creates nothing", async () => {
    // A's own interface is honoured, so the header is really read.
    const own = await apiA.get('/api/venues', { 'x-interface': String(estateA.interface) });
    assert.equal(own.statusCode, 200, own.body);
    assert.equal(own.headers['x-interface'], String(estateA.interface));

    const before = await snapshot(partyA, estateA);
    const venue = { venue: { name: 'Through B', kind: 'hall', city: 'Nantes', country_code: 'FR' } };
    for (const channel of [estateB.interface, estateB.defaultInterface]) {
      for (const [method, url] of [['GET', '/api/venues'], ['GET', `/api/events/${estateA.event}`], ['GET', '/api/organization'], ['POST', '/api/venues']] as const) {
        const response = await send(apiA, method, url, venue, { 'x-interface': String(channel) });
        assertNotFound(response, `${method} ${url} with X-Interface ${channel}`);
        assert.equal(response.headers['x-interface'], undefined, 'no interface is echoed back');
      }
    }
    assert.deepEqual(await snapshot(partyA, estateA), before);
  });

  test("within B, a buyer reaches only their own orders and tickets, and a shop front's token none of a signed-in buyer's", async () => {
    const stranger = await buyer(p.app, p.b, 'beta-stranger');
    const shop = client(p.app, await token(p.app, p.b, 'public buy'));
    // Both may buy, so that their 404s below are about whose data it is: each reads back its own cart.
    for (const api of [stranger, shop]) {
      const cart = await created(api, '/api/carts', { cart: { items: [{ tariff_id: estateB.sale.tariff, date_id: estateB.sale.date, quantity: 1 }] } });
      assert.equal((await api.get(`/api/carts/${cart.id}`)).statusCode, 200);
    }
    const before = await snapshot(partyB, estateB);
    p.clock.advance(60_000);
    // What B's buyer can reach: the stranger goes after all of it, the shop front after all but the
    // transfers (those refuse a client's own token outright, with 403).
    const reachable = targetsOf(estateB).filter((t) => t.attackers?.includes('buyer'));
    const attacks: [string, Api, Target[]][] = [
      ['another buyer', stranger, reachable],
      ["the shop front's token", shop, reachable.filter((t) => t.attackers!.includes('admin'))],
    ];
    for (const [who, api, targets] of attacks) {
      for (const target of targets) {
        for (const method of METHODS) assertNotFound(await send(api, method, target.url, target.body), `${who}: ${method} ${target.url}`);
      }
      for (const list of listsOf(estateB).filter((l) => ['/api/orders', '/api/tickets'].includes(l.url))) {
        const response = await api.get(`${list.url}?per_page=100`);
        assert.equal(response.statusCode, 200, `${who}: ${list.url}: ${response.body}`);
        const ids = idsOf(response.json()[list.root]);
        for (const id of list.ids) assert.ok(!ids.includes(id), `${who}: ${list.url} lists the buyer's ${id}`);
      }
    }
    assert.deepEqual(await snapshot(partyB, estateB), before);
  });
});
