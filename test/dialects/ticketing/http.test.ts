import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { platform, type TestPlatform } from '../../helpers.ts';
import { DEMO, operatorPrincipal, seedDemo } from '../../../src/demo/seed.ts';

const V = { 'x-client-version': '3.0.0' };
/** A TickeTing error body: the SDK reads `error`, the document shows `message`. */
const words = (text: string) => ({ error: text, message: text });

/** The TickeTing dialect over raw HTTP: every error status and message, integrations, orders and transfers. */
describe('TickeTing dialect over raw HTTP', () => {
  let p: TestPlatform;
  let adminKey: string;
  let otherHostKey: string;

  const call = (key: string | undefined, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = V) =>
    p.app.inject({ method, url: `/ticketing/v3${url}`, headers: { ...(key !== undefined ? { 'x-api-key': key } : {}), ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const count = async (table: 'orders' | 'transfers' | 'accounts' | 'regions' | 'events') =>
    Number((await p.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  async function session(identification: string, password: string) {
    const r = await call(adminKey, 'POST', '/sessions', { identification, password });
    assert.equal(r.statusCode, 201, r.body);
    return r.json() as { key: string; account: { self: string; number: string } };
  }
  async function customer(name: string) {
    const r = await call(adminKey, 'POST', '/accounts', { username: name, password: `${name}-password`, email: `${name}@example.test`, firstName: name, lastName: 'Test' });
    assert.equal(r.statusCode, 201, r.body);
    return { ...(r.json() as { self: string; number: string; email: string }), ...(await session(name, `${name}-password`)) };
  }

  /** A listed event with a paid section and a free one, built through the dialect. */
  async function listedEvent(title: string) {
    const region = await call(adminKey, 'POST', '/regions', { name: `Region ${title}`, country: 'LC' });
    const venue = await call(adminKey, 'POST', '/venues', { name: `Venue ${title}`, address: '1 Bay Road', longitude: -60.95, latitude: 14.07, region: region.json().self });
    const event = await call(adminKey, 'POST', '/events', {
      host: String(p.a.organizationId), title, public: true, venue: venue.json().self, start: '2027-03-01T20:00:00Z', end: '2027-03-01T23:00:00Z',
    });
    assert.equal(event.statusCode, 201, event.body);
    const uri = event.json().self as string;
    const paid = await call(adminKey, 'POST', `${uri}/sections`, { name: 'Stand', price: 25, capacity: 100 });
    const free = await call(adminKey, 'POST', `${uri}/sections`, { name: 'Lawn', price: 0, capacity: 100 });
    assert.equal((await call(adminKey, 'POST', `${uri}/submissions`, {})).statusCode, 201);
    assert.equal((await call(adminKey, 'POST', `${uri}/approvals`, { status: 'Listed' })).statusCode, 201);
    return { uri, paid: `${uri}${paid.json().self}`, free: `${uri}${free.json().self}` };
  }

  before(async () => {
    p = await platform();
    // A platform operator's administrator key (create-operator): it spans organizations.
    const operator = await p.app.core.accounts.create({ username: 'operator', email: 'operator@guichet.test', password: 'operator-password', platformRole: 'administrator' });
    adminKey = (await p.app.core.credentials.createApiKey(operatorPrincipal(p.a.organizationId, operator.id), { name: 'admin', accessLevel: 'administrator' })).key;
    otherHostKey = (await p.app.core.credentials.createApiKey(operatorPrincipal(p.b.organizationId, p.b.adminAccountId), { name: 'host b', accessLevel: 'host' })).key;
  });
  after(() => p.close());

  test('X-API-Key: missing or empty → 401, invalid → 403, with the document\'s messages', async () => {
    for (const key of [undefined, '', '   ']) {
      const r = await call(key, 'GET', '/countries');
      assert.equal(r.statusCode, 401);
      assert.deepEqual(r.json(), words('Your request could not be authenticated.'));
    }
    for (const key of ['ffffffffffffffffffffffffffffffff', 'not-a-key', adminKey.toUpperCase()]) {
      const r = await call(key, 'GET', '/countries');
      assert.equal(r.statusCode, 403);
      assert.deepEqual(r.json(), words('You are restricted from accessing this resource.'));
    }
  });

  test('X-Client-Version: missing, malformed or below 3.0.0 → 412; 3.0.0 and later pass', async () => {
    for (const headers of [{}, { 'x-client-version': '2.9.9' }, { 'x-client-version': 'latest' }, { 'x-client-version': '' }] as Record<string, string>[]) {
      const r = await call(adminKey, 'GET', '/countries', undefined, headers);
      assert.equal(r.statusCode, 412, JSON.stringify(headers));
      assert.deepEqual(r.json(), words('Please upgrade your client to complete this request'));
    }
    for (const version of ['3.0.0', '3.1.3', '3.1.3-rc.10', '4.0.0']) {
      assert.equal((await call(adminKey, 'GET', '/countries', undefined, { 'x-client-version': version })).statusCode, 200, version);
    }
  });

  test('404: unknown endpoint and unknown resource, each with its message', async () => {
    const endpoint = await call(adminKey, 'GET', '/invalid/endpoint');
    assert.equal(endpoint.statusCode, 404);
    assert.deepEqual(endpoint.json(), words('The requested endpoint /invalid/endpoint does not exist on this server.'));
    for (const url of ['/events/0000000', '/events/99999', '/regions/777', '/venues/777', '/categories/777', '/orders/777']) {
      const r = await call(adminKey, 'GET', url);
      assert.equal(r.statusCode, 404, url);
      assert.deepEqual(r.json(), words('There is presently no resource with the given URI.'), url);
    }
    // Accounts and hosts have words of their own.
    for (const url of ['/accounts/424242', '/accounts/AC-ZZZZZZZZ']) assert.deepEqual((await call(adminKey, 'GET', url)).json(), words('The requested account could not be located'), url);
    assert.deepEqual((await call(adminKey, 'GET', '/hosts/777')).json(), words('The specified host could not be found.'));
    const pastTheEnd = await call(adminKey, 'GET', '/regions?page=99');
    assert.equal(pastTheEnd.statusCode, 404);
    assert.deepEqual(pastTheEnd.json(), words('The specified page does not exist for the given records per page'));
    // An unknown endpoint still needs a key.
    assert.equal((await call(undefined, 'GET', '/invalid/endpoint')).statusCode, 401);
  });

  test('sessions: one answer, the document\'s 401, for a wrong password and an unknown account; active session; end', async () => {
    const wrong = await call(adminKey, 'POST', '/sessions', { identification: 'alpha-admin', password: 'nope-nope' });
    assert.equal(wrong.statusCode, 401);
    assert.deepEqual(wrong.json(), words('A session cannot be started with the given password.'));
    // TickeTing answers 404 for an unknown account; Guichet does not reveal which accounts exist (test/security).
    const unknown = await call(adminKey, 'POST', '/sessions', { identification: 'ghost', password: 'nope-nope' });
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(unknown.json(), words('A session cannot be started with the given password.'));

    const s = await session('alpha-admin', p.a.adminPassword);
    assert.match(s.key, /^[0-9a-f]{32}$/);
    const active = await call(s.key, 'GET', '/sessions/active');
    assert.equal(active.statusCode, 200);
    assert.equal(active.json().account.username, 'alpha-admin');
    assert.equal((await call(adminKey, 'GET', '/sessions/active')).statusCode, 404, 'an integration key is no session');
    assert.equal((await call(s.key, 'DELETE', '/sessions/active')).statusCode, 200);
    const ended = await call(s.key, 'GET', '/sessions/active');
    assert.equal(ended.statusCode, 403, 'an ended session key is refused');
    assert.deepEqual(ended.json(), words('The session has ended or does not exist.'));
    assert.equal((await call(s.key, 'DELETE', '/sessions/active')).statusCode, 403);
  });

  test('integrations: keys with access levels; what each level may do', async () => {
    const created = await call(adminKey, 'POST', '/integrations', { name: 'Box office', access: 'support' });
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual(Object.keys(created.json()).sort(), ['access', 'key', 'name']);
    assert.equal(created.json().access, 'support');
    assert.match(created.json().key, /^[0-9a-f]{32}$/);
    assert.equal((await call(created.json().key, 'GET', '/hosts')).statusCode, 200);

    const publicKey = (await call(adminKey, 'POST', '/integrations', { name: 'Website', access: 'public' })).json().key;
    const regions = await count('regions');
    const refused = await call(publicKey, 'POST', '/regions', { name: 'Public region', country: 'FR' });
    assert.equal(refused.statusCode, 403);
    assert.deepEqual(refused.json(), words('You are restricted from accessing this resource.'));
    assert.equal(await count('regions'), regions);
    assert.equal((await call(publicKey, 'POST', '/integrations', { name: 'Escalate', access: 'host' })).statusCode, 403);
    // A host may hand out host keys, not platform staff keys.
    assert.equal((await call(otherHostKey, 'POST', '/integrations', { name: 'Escalate', access: 'administrator' })).statusCode, 403);
    const bad = await call(adminKey, 'POST', '/integrations', { name: 'X', access: 'root' });
    assert.equal(bad.statusCode, 400);
    assert.equal(typeof bad.json().message, 'string');
  });

  test('bad input: 400 {message}, nothing written', async () => {
    const before = { accounts: await count('accounts'), events: await count('events'), regions: await count('regions') };
    const cases: [string, string, unknown][] = [
      ['POST', '/accounts', { username: 'no-password', email: 'x@example.test' }],
      ['POST', '/accounts', { username: 'extra', password: 'long-enough', email: 'y@example.test', admin: true }],
      ['POST', '/accounts', { username: 'badmail', password: 'long-enough', email: 'nope' }],
      ['POST', '/regions', { name: 'R', country: 'Narnia' }],
      ['POST', '/events', { host: String(p.a.organizationId), title: 'No dates' }],
      ['POST', '/events', { host: String(p.a.organizationId), title: 'Bad date', start: 'tomorrow', end: 'later' }],
      ['POST', '/events', { host: String(p.a.organizationId), title: 'Reversed', start: '2027-01-02T00:00:00Z', end: '2027-01-01T00:00:00Z' }],
      ['POST', '/events', { host: String(p.a.organizationId), title: 'Bad category', category: '/categories/99999', start: '2027-01-01T00:00:00Z', end: '2027-01-02T00:00:00Z' }],
      ['GET', '/regions?records=0', undefined],
      ['GET', '/regions?records=abc', undefined],
      ['GET', '/events?sort=random', undefined],
    ];
    for (const [method, url, body] of cases) {
      const r = await call(adminKey, method as 'POST', url, body);
      assert.equal(r.statusCode, 400, `${method} ${url} ${JSON.stringify(body)}: ${r.body}`);
      assert.equal(typeof r.json().message, 'string');
    }
    const broken = await p.app.inject({ method: 'POST', url: '/ticketing/v3/regions', headers: { 'x-api-key': adminKey, ...V, 'content-type': 'application/json' }, payload: '{"name":' });
    assert.equal(broken.statusCode, 400);
    assert.equal(typeof broken.json().message, 'string');
    assert.deepEqual({ accounts: await count('accounts'), events: await count('events'), regions: await count('regions') }, before);
  });

  test('orders: placed by the customer, paid by card (Declined, then Authorised), free orders fulfilled at once', async () => {
    const event = await listedEvent('Order Night');
    const buyer = await customer('olivia');
    const orders = await count('orders');
    const placed = await call(buyer.key, 'POST', '/orders', { customer: buyer.account.self, items: { [event.paid]: 2 } });
    assert.equal(placed.statusCode, 201, placed.body);
    const order = placed.json();
    assert.equal(order.status, 'Pending');
    assert.deepEqual([order.subtotal, order.fees, order.total], [50, 0, 50]);
    assert.deepEqual(order.items.map((i: { name: string; price: number; quantity: number }) => [i.name, i.price, i.quantity]), [['Stand', 25, 2]]);
    assert.equal(order.customer.number, buyer.account.number);
    assert.equal(await count('orders'), orders + 1);

    const card = { number: '4000000000000002', cvv: '123', expiryDate: '12/30', name: 'Olivia Test', email: 'olivia@example.test', phone: '1', address1: 'x', city: 'Castries', district: 'Castries', country: 'Saint Lucia' };
    const declined = await call(buyer.key, 'POST', `${order.self}/payments`, card);
    assert.equal(declined.statusCode, 201, declined.body);
    assert.equal(declined.json().status, 'Declined');
    assert.equal((await call(buyer.key, 'GET', order.self)).json().status, 'Pending');
    const authorised = await call(buyer.key, 'POST', `${order.self}/payments`, { ...card, number: '4242424242424242' });
    assert.equal(authorised.statusCode, 201, authorised.body);
    assert.deepEqual([authorised.json().status, authorised.json().amount], ['Authorised', 50]);
    assert.equal((await call(buyer.key, 'GET', order.self)).json().status, 'Fulfilled');
    const again = await call(buyer.key, 'POST', `${order.self}/payments`, { ...card, number: '4242424242424242' });
    assert.equal(again.statusCode, 409);
    assert.equal(typeof again.json().message, 'string');
    const badCard = await call(buyer.key, 'POST', `${order.self}/payments`, { ...card, expiryDate: '13/30' });
    assert.equal(badCard.statusCode, 400);

    const free = await call(buyer.key, 'POST', '/orders', { customer: buyer.account.number, items: { [event.free]: 1 } });
    assert.equal(free.statusCode, 201, free.body);
    assert.deepEqual([free.json().status, free.json().total], ['Fulfilled', 0]);

    // A seller key places an order for a customer; statistics count the paid orders.
    const forCustomer = await call(adminKey, 'POST', '/orders', { customer: buyer.account.self, items: { [event.paid]: 1 } });
    assert.equal(forCustomer.statusCode, 201, forCustomer.body);
    assert.equal(forCustomer.json().customer.number, buyer.account.number);
    const stats = (await call(adminKey, 'GET', `${event.uri}/statistics`)).json();
    assert.deepEqual([stats.orders, stats.revenue, stats.tickets], [2, 50, 3]);
    const section = (await call(adminKey, 'GET', event.uri)).json().sections.find((s: { name: string }) => s.name === 'Stand');
    assert.deepEqual([section.sold, section.reserved, section.remaining], [2, 1, 97]);
  });

  test('orders: refusals change nothing; another customer or another host cannot use them', async () => {
    const event = await listedEvent('Refusals');
    const buyer = await customer('pierre');
    const other = await customer('quinn');
    const before = await count('orders');
    const cases: [string, unknown, number][] = [
      [buyer.key, { customer: buyer.account.self, items: { '/events/1/sections/999999': 1 } }, 400],
      [buyer.key, { customer: buyer.account.self, items: { [event.paid]: 0 } }, 400],
      [buyer.key, { customer: buyer.account.self, items: { 'not-a-uri': 1 } }, 400],
      [buyer.key, { customer: buyer.account.self, items: {} }, 400],
      [buyer.key, { customer: other.account.self, items: { [event.paid]: 1 } }, 403],
      [buyer.key, { customer: buyer.account.self, items: { [event.paid]: 101 } }, 400],
      [otherHostKey, { customer: buyer.account.self, items: { [event.paid]: 1 } }, 400],
    ];
    for (const [key, body, status] of cases) {
      const r = await call(key, 'POST', '/orders', body);
      assert.equal(r.statusCode, status, `${JSON.stringify(body)}: ${r.body}`);
    }
    assert.equal(await count('orders'), before);
    // A checkout the core refuses (here: a required question TickeTing orders cannot answer) gives its holds back at once.
    const asking = await listedEvent('Asking');
    await p.app.core.questions.create(operatorPrincipal(p.a.organizationId, p.a.adminAccountId), Number(asking.uri.split('/').pop()), { label: 'Dietary needs', kind: 'text', required: true });
    const refused = await call(buyer.key, 'POST', '/orders', { customer: buyer.account.self, items: { [asking.paid]: 3 } });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal(await count('orders'), before);
    assert.equal((await call(adminKey, 'GET', asking.uri)).json().sections.find((s: { name: string }) => s.name === 'Stand').remaining, 100);
    const placed = (await call(buyer.key, 'POST', '/orders', { customer: buyer.account.self, items: { [event.paid]: 1 } })).json();
    assert.equal((await call(other.key, 'GET', placed.self)).statusCode, 404);
    assert.equal((await call(otherHostKey, 'GET', placed.self)).statusCode, 404);
    assert.equal((await call(otherHostKey, 'POST', `${placed.self}/payments`, { number: '4242424242424242', cvv: '123', expiryDate: '12/30', name: 'X' })).statusCode, 404);
    assert.equal((await call(buyer.key, 'GET', placed.self)).json().status, 'Pending');
  });

  test('transfers: initiate by section and quantity, claim, cancel, reject', async () => {
    const event = await listedEvent('Transfers');
    const sender = await customer('sam');
    const recipient = await customer('rita');
    const order = (await call(sender.key, 'POST', '/orders', { customer: sender.account.self, items: { [event.free]: 3 } })).json();
    assert.equal(order.status, 'Fulfilled');

    const send = (count: number, to = recipient.email) => call(sender.key, 'POST', '/transfers', { sender: sender.account.self, recipient: to, tickets: { [event.free]: count } });
    const first = await send(1);
    assert.equal(first.statusCode, 201, first.body);
    const t1 = first.json();
    assert.equal(t1.status, 'Pending');
    assert.equal(t1.sender.number, sender.account.number);
    assert.equal(t1.recipient.email, recipient.email);
    assert.equal(t1.tickets.length, 1);
    const claimed = await call(recipient.key, 'POST', `${t1.self}/claims`, {});
    assert.equal(claimed.statusCode, 201, claimed.body);
    assert.equal(claimed.json().status, 'Claimed');

    const t2 = (await send(1)).json();
    assert.notDeepEqual(t2.tickets, t1.tickets);
    const cancelled = await call(sender.key, 'DELETE', t2.self);
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    assert.equal(cancelled.json().status, 'Cancelled');
    assert.equal((await call(recipient.key, 'POST', `${t2.self}/claims`, {})).statusCode, 409);

    const t3 = (await send(2)).json();
    const rejected = await call(recipient.key, 'POST', `${t3.self}/rejections`, {});
    assert.equal(rejected.statusCode, 201, rejected.body);
    assert.equal(rejected.json().status, 'Rejected');
    const mine = (await call(sender.key, 'GET', '/transfers?role=sender')).json();
    assert.equal(mine.total, 3);

    // Refused: more tickets than held, someone else's account as sender, a stranger claiming. Nothing is created.
    const before = await count('transfers');
    assert.equal((await send(3)).statusCode, 400);
    assert.equal((await call(recipient.key, 'POST', '/transfers', { sender: sender.account.self, recipient: 'x@example.test', tickets: { [event.free]: 1 } })).statusCode, 403);
    assert.equal(await count('transfers'), before);
    // Transfers are between people: an integration key is refused; another organization's person sees nothing.
    assert.equal((await call(otherHostKey, 'GET', t1.self)).statusCode, 403);
    const outsider = await call(otherHostKey, 'POST', '/sessions', { identification: 'beta-admin', password: p.b.adminPassword });
    assert.equal(outsider.statusCode, 201, outsider.body);
    assert.equal((await call(outsider.json().key, 'GET', t1.self)).statusCode, 404);
    assert.equal((await call(outsider.json().key, 'GET', '/transfers/777')).statusCode, 404);
    assert.equal((await call(outsider.json().key, 'POST', `${t1.self}/claims`, {})).statusCode, 404);
  });

  test('door: bad token input is 400 and creates nothing; another host cannot see or use the tokens', async () => {
    const event = await listedEvent('Door refusals');
    const tokens = async () => (await call(adminKey, 'GET', `${event.uri}/tokens`)).json().total as number;
    const before = await tokens();
    for (const body of [{ sections: [] }, { sections: ['/events/1/sections/999999'] }, { sections: ['nonsense'] }, { sections: [event.paid], extra: 1 }, {}]) {
      const r = await call(adminKey, 'POST', `${event.uri}/tokens`, body);
      assert.equal(r.statusCode, 400, `${JSON.stringify(body)}: ${r.body}`);
    }
    assert.equal(await tokens(), before);
    const created = await call(adminKey, 'POST', `${event.uri}/tokens`, { sections: [event.paid] });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal((await call(otherHostKey, 'GET', `${event.uri}/tokens`)).statusCode, 404);
    assert.equal((await call(otherHostKey, 'DELETE', created.json().self)).statusCode, 404);
    assert.equal((await call(otherHostKey, 'POST', `${event.uri}/tokens`, { sections: [event.paid] })).statusCode, 404);
    const login = await call(otherHostKey, 'GET', `/tokens/${created.json().code}`);
    assert.equal(login.statusCode, 200, 'the code is the secret: any app may log in with it');
    const doorKey = login.json().key;
    assert.equal((await call(doorKey, 'GET', `${event.uri}/tickets?modified_since=yesterday`)).statusCode, 400);
    const none = await call(doorKey, 'POST', `${event.uri}/admissions`, { redeemer: 'R', device: 'D', serials: ['NOTABARCODE'] });
    assert.equal(none.statusCode, 400);
    assert.deepEqual(none.json(), words('None of the provided ticket serials grants admission to this event'));
    assert.equal((await call(adminKey, 'GET', `${event.uri}/admissions`)).json().total, 0);
  });

  test('review workflow: only administrators approve, only events under review; rejection and publication', async () => {
    const hostKey = (await call(adminKey, 'POST', '/integrations', { name: 'Host app', access: 'host' })).json().key;
    const make = async (title: string) => (await call(hostKey, 'POST', '/events', { host: String(p.a.organizationId), title, start: '2027-10-01T20:00:00Z', end: '2027-10-01T22:00:00Z' })).json().self as string;
    const status = async (uri: string) => (await call(adminKey, 'GET', uri)).json().status;
    const uri = await make('Reviewed');
    assert.equal((await call(adminKey, 'POST', `${uri}/approvals`, { status: 'Listed' })).statusCode, 409, 'a draft is not under review');
    assert.equal((await call(adminKey, 'POST', `${uri}/publications`, {})).statusCode, 409);
    assert.equal((await call(hostKey, 'POST', `${uri}/submissions`, {})).statusCode, 201);
    assert.equal((await call(hostKey, 'POST', `${uri}/approvals`, { status: 'Listed' })).statusCode, 403, 'hosts do not approve their own events');
    assert.equal((await call(adminKey, 'POST', `${uri}/approvals`, { status: 'Published' })).statusCode, 400);
    assert.equal(await status(uri), 'Under Review');
    assert.equal((await call(adminKey, 'POST', `${uri}/rejections`, {})).statusCode, 201);
    assert.equal(await status(uri), 'Draft');
    await call(hostKey, 'POST', `${uri}/submissions`, {});
    assert.equal((await call(adminKey, 'POST', `${uri}/approvals`, { status: 'Scheduled' })).statusCode, 201);
    assert.equal(await status(uri), 'Scheduled');
    // The public sees a listed event only: an unlisted one is 403 (the document's rule), an unknown one 404.
    const publicKey = (await call(adminKey, 'POST', '/integrations', { name: 'Shop front', access: 'public' })).json().key;
    const hidden = await call(publicKey, 'GET', uri);
    assert.equal(hidden.statusCode, 403, hidden.body);
    assert.deepEqual(hidden.json(), words('You are not authorised to access this unlisted event.'));
    assert.equal((await call(publicKey, 'GET', '/events/999999')).statusCode, 404);
    assert.equal((await call(adminKey, 'POST', `${uri}/approvals`, { status: 'Listed' })).statusCode, 409, 'already approved');
    assert.equal((await call(hostKey, 'POST', `${uri}/publications`, {})).statusCode, 201);
    assert.equal(await status(uri), 'Listed');
    assert.equal((await call(publicKey, 'GET', uri)).statusCode, 200, 'listed: the public sees it');
  });

  test('demo data: the documented administrator integration key works', async () => {
    await seedDemo(p.app.core);
    const r = await call(DEMO.ticketingKey, 'GET', '/hosts');
    assert.equal(r.statusCode, 200, r.body);
    // The demo key is the demo operator's: it sees every host, and can create one.
    assert.ok(r.json().entries.some((h: { name: string }) => h.name === 'Guichet Demo Productions'));
    const made = await call(DEMO.ticketingKey, 'POST', '/hosts', { name: 'Sandbox host', contact: 'Me', email: 'me@sandbox.test' });
    assert.equal(made.statusCode, 201, made.body);
    const events = await call(DEMO.ticketingKey, 'GET', '/events?records=2&sort=alphabetical');
    assert.equal(events.statusCode, 200);
    assert.equal(events.json().records, 2);
    assert.ok(events.json().total >= 4);
  });
});
