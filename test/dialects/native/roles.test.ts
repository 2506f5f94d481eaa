import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CARD, client, onSaleEvent, platform, token, type OnSaleEvent, type TestPlatform } from '../../helpers.ts';

type Api = ReturnType<typeof client>;
const ROLES = ['owner', 'manager', 'box_office', 'door_staff', 'customer'] as const;
type Who = (typeof ROLES)[number];

/**
 * Membership roles, enforced by the server on every native call a person makes (password-grant
 * tokens here): each role is allowed exactly its areas, and the refusals hold when the calls are
 * made by hand.
 */
describe('membership roles: what each member may call', () => {
  let p: TestPlatform;
  let org: Api;
  let sale: OnSaleEvent;
  const people = {} as Record<Who, { id: number; email: string; password: string; api: Api }>;

  const signIn = async (email: string, password: string, scope = 'public buy sell admin') => {
    const r = await p.app.inject({ method: 'POST', url: '/api/auth/token', payload: { grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username: email, password, scope } });
    assert.equal(r.statusCode, 200, r.body);
    return r.json() as { access_token: string; scope: string };
  };

  before(async () => {
    p = await platform();
    org = client(p.app, await token(p.app, p.a));
    sale = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Floor', capacity: 100 }], tariffs: [{ section: 0, label: 'Full', price: 3000 }] });
    people.owner = { id: p.a.adminAccountId, email: p.a.adminEmail, password: p.a.adminPassword, api: null as unknown as Api };
    for (const role of ['manager', 'box_office', 'door_staff', 'customer'] as const) {
      const email = `${role}@alpha.test`;
      const password = `${role}-password`;
      const created = await org.post('/api/users', { user: { username: role, email, password, ...(role === 'customer' ? {} : { role }) } });
      assert.equal(created.statusCode, 201, created.body);
      people[role] = { id: created.json().user.id, email, password, api: null as unknown as Api };
    }
    for (const who of ROLES) people[who].api = client(p.app, (await signIn(people[who].email, people[who].password, who === 'customer' ? 'public buy' : undefined)).access_token);
  });
  after(() => p.close());

  test('the password grant gives a member the scopes their role allows, a buyer keeps public buy', async () => {
    const expected: Record<Who, string> = { owner: 'public buy sell admin', manager: 'public buy sell admin', box_office: 'public buy sell', door_staff: 'public buy', customer: '' };
    for (const who of ROLES) {
      if (who === 'customer') continue;
      assert.equal((await signIn(people[who].email, people[who].password)).scope, expected[who], who);
    }
    // Without asking, anyone gets a buyer's scopes (the shop signs people in this way).
    assert.equal((await signIn(people.owner.email, people.owner.password, '')).scope, 'public buy');
    const refused = await p.app.inject({ method: 'POST', url: '/api/auth/token', payload: { grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username: people.customer.email, password: people.customer.password, scope: 'sell' } });
    assert.equal(refused.json().error, 'invalid_scope');
  });

  test('GET /api/access tells each person their role and rights', async () => {
    const expected: Record<Who, string[]> = {
      owner: ['any', 'catalog_read', 'catalog', 'selling', 'orders', 'box_office', 'reporting', 'door', 'door_setup', 'access', 'members'],
      manager: ['any', 'catalog_read', 'catalog', 'selling', 'orders', 'box_office', 'reporting', 'door', 'door_setup', 'access'],
      box_office: ['any', 'catalog_read', 'orders', 'box_office'],
      door_staff: ['any', 'catalog_read', 'door'],
      customer: ['any'],
    };
    for (const who of ROLES) {
      const access = (await people[who].api.get('/api/access')).json().access;
      assert.equal(access.role, who === 'customer' ? null : who);
      assert.equal(access.person, true);
      assert.deepEqual(access.rights, expected[who], who);
    }
    const asClient = (await org.get('/api/access')).json().access;
    assert.equal(asClient.person, false);
  });

  test('each role is allowed exactly its areas; every refusal is 403 FORBIDDEN naming the right', async () => {
    const e = sale.eventId;
    const calls: { name: string; allowed: Who[]; call: (api: Api) => ReturnType<Api['get']> }[] = [
      { name: 'dashboard', allowed: ['owner', 'manager'], call: (api) => api.get('/api/dashboard') },
      { name: 'ticket counts', allowed: ['owner', 'manager'], call: (api) => api.get(`/api/events/${e}/ticket_counts`) },
      { name: 'exports', allowed: ['owner', 'manager'], call: (api) => api.get('/api/jobs') },
      { name: 'create an event', allowed: ['owner', 'manager'], call: (api) => api.post('/api/events', { event: { title: 'By hand', sections: [{ name: 'Floor', capacity: 10 }], dates: [{ starts_at: '2027-05-01T20:00:00+02:00' }] } }) },
      { name: 'change a tariff', allowed: ['owner', 'manager'], call: (api) => api.patch(`/api/events/${e}/tariffs/${sale.tariffIds[0]}`, { tariff: { label: 'Full price' } }) },
      { name: 'discount codes', allowed: ['owner', 'manager'], call: (api) => api.get('/api/codes') },
      { name: 'guest lists', allowed: ['owner', 'manager'], call: (api) => api.get('/api/guests') },
      { name: 'sale details', allowed: ['owner', 'manager', 'box_office'], call: (api) => api.get('/api/sale_details') },
      { name: 'admission tokens', allowed: ['owner', 'manager'], call: (api) => api.get(`/api/events/${e}/admission_tokens`) },
      { name: 'door statistics', allowed: ['owner', 'manager', 'door_staff'], call: (api) => api.get(`/api/events/${e}/door_statistics`) },
      { name: 'OAuth clients', allowed: ['owner', 'manager'], call: (api) => api.get('/api/oauth_clients') },
      { name: 'Pims users', allowed: ['owner', 'manager'], call: (api) => api.get('/api/partner_users') },
      { name: "the organization's settings", allowed: ['owner', 'manager'], call: (api) => api.patch('/api/organization', { organization: { name: 'Org alpha' } }) },
      { name: 'members', allowed: ['owner'], call: (api) => api.get('/api/users') },
      { name: 'invitations', allowed: ['owner'], call: (api) => api.get('/api/invitations') },
      { name: 'events (read)', allowed: ['owner', 'manager', 'box_office', 'door_staff', 'customer'], call: (api) => api.get('/api/events') },
    ];
    const wrong: string[] = [];
    for (const { name, allowed, call } of calls) {
      for (const who of ROLES) {
        const response = await call(people[who].api);
        const refused = response.statusCode === 403;
        if (allowed.includes(who) && (refused || response.statusCode >= 400)) wrong.push(`${who} ${name}: expected success, got ${response.statusCode} ${response.body}`);
        if (!allowed.includes(who)) {
          if (!refused) wrong.push(`${who} ${name}: expected 403, got ${response.statusCode}`);
          else if (response.json().error.code !== 'FORBIDDEN') wrong.push(`${who} ${name}: ${response.body}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
    // Client credentials are not a person: their scopes decide, as before.
    assert.equal((await org.get('/api/invitations')).statusCode, 200);
  });

  test('the box office sells for cash; door staff cannot take a manual payment nor read every order', async () => {
    const item = { tariff_id: sale.tariffIds[0], date_id: sale.dateIds[0], quantity: 2 };
    const cart = await people.box_office.api.post('/api/carts', { cart: { items: [item] } });
    assert.equal(cart.statusCode, 201, cart.body);
    const order = await people.box_office.api.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_name: 'At the counter', payment: { provider: 'manual', method: 'cash' } } });
    assert.equal(order.statusCode, 201, order.body);
    assert.equal(order.json().order.status, 'paid');

    const doorCart = await people.door_staff.api.post('/api/carts', { cart: { items: [item] } });
    assert.equal(doorCart.statusCode, 201, doorCart.body);
    const free = await people.door_staff.api.post(`/api/carts/${doorCart.json().cart.id}/checkout`, { checkout: { buyer_name: 'Friend', payment: { provider: 'manual', method: 'cash' } } });
    assert.equal(free.statusCode, 403, free.body);

    // The box office sees the organization's orders; door staff and buyers only their own.
    assert.ok(Number((await people.box_office.api.get('/api/orders')).headers['x-total']) >= 1);
    for (const who of ['door_staff', 'customer'] as const) {
      const listed = (await people[who].api.get('/api/orders')).json().orders as { buyer_name: string }[];
      assert.ok(listed.every((o) => o.buyer_name !== 'At the counter'), who);
    }
    // A refund is the box office's, not the door's.
    const orderId = order.json().order.id;
    assert.equal((await people.door_staff.api.post(`/api/orders/${orderId}/refunds`, { refund: {} })).statusCode, 403);
    assert.equal((await people.box_office.api.post(`/api/orders/${orderId}/refunds`, { refund: { ticket_ids: [order.json().order.tickets[0].id] } })).statusCode, 201);
  });

  test('only owners manage members: a manager can neither grant a role nor remove anyone', async () => {
    const manager = people.manager.api;
    assert.equal((await manager.post('/api/users', { user: { username: 'crony', email: 'crony@alpha.test', password: 'crony-password', role: 'owner' } })).statusCode, 403);
    assert.equal((await manager.patch(`/api/users/${people.manager.id}`, { user: { role: 'owner' } })).statusCode, 403);
    assert.equal((await manager.delete(`/api/users/${people.owner.id}`)).statusCode, 403);
    assert.equal((await manager.post('/api/invitations', { invitation: { email: 'x@alpha.test', role: 'owner' } })).statusCode, 403);
    // The last owner cannot leave nor be demoted.
    const owner = people.owner.api;
    const leave = await owner.delete(`/api/users/${people.owner.id}`);
    assert.equal(leave.statusCode, 409, leave.body);
    assert.equal((await owner.patch(`/api/users/${people.owner.id}`, { user: { role: 'manager' } })).statusCode, 409);
  });

  test('a role lowered or a membership removed applies to tokens already issued', async () => {
    const temp = await org.post('/api/users', { user: { username: 'temp', email: 'temp@alpha.test', password: 'temp-password', role: 'manager' } });
    const id = temp.json().user.id;
    const api = client(p.app, (await signIn('temp@alpha.test', 'temp-password')).access_token);
    const first = await api.get('/api/dashboard');
    assert.equal(first.statusCode, 200, first.body);
    const lowered = await people.owner.api.patch(`/api/users/${id}`, { user: { role: 'door_staff' } });
    assert.equal(lowered.statusCode, 200, lowered.body);
    assert.equal((await api.get('/api/dashboard')).statusCode, 403);
    assert.equal((await api.get(`/api/events/${sale.eventId}/door_statistics`)).statusCode, 200);
    assert.equal((await people.owner.api.delete(`/api/users/${id}`)).statusCode, 204);
    assert.equal((await api.get(`/api/events/${sale.eventId}/door_statistics`)).statusCode, 403);
    assert.equal((await api.get('/api/sale_details')).statusCode, 403);
    // What the token still carries is a buyer's: their own orders only.
    assert.equal((await api.get('/api/orders')).json().orders.length, 0);
  });

  test('invitations: an owner invites by e-mail, the person accepts the code once and gets the role', async () => {
    const invited = await people.owner.api.post('/api/invitations', { invitation: { email: 'Newcomer@Example.test', role: 'box_office' } });
    assert.equal(invited.statusCode, 201, invited.body);
    const { code, id, status, email } = invited.json().invitation;
    assert.equal(status, 'pending');
    assert.equal(email, 'newcomer@example.test');
    await p.app.core.delivery.drain(); // the invitation's e-mail is the outbox's, sent after the commit
    const mail = p.mailer.outbox.at(-1)!;
    assert.equal(mail.to, 'newcomer@example.test');
    assert.ok(mail.text.includes(code));
    // The list shows it without its code.
    const listed = (await people.owner.api.get('/api/invitations')).json().invitations;
    assert.equal(listed[0].id, id);
    assert.equal(listed[0].code, undefined);

    const shop = client(p.app, await token(p.app, p.a, 'public buy'));
    await shop.post('/api/users', { user: { username: 'newcomer', email: 'newcomer@example.test', password: 'newcomer-password' } });
    const before = client(p.app, (await signIn('newcomer@example.test', 'newcomer-password', 'public buy')).access_token);
    assert.equal((await before.get('/api/sale_details')).statusCode, 403);
    const accepted = await before.post('/api/invitations/acceptance', { invitation: { code } });
    assert.equal(accepted.statusCode, 201, accepted.body);
    assert.deepEqual(accepted.json().membership, { organization_id: p.a.organizationId, role: 'box_office' });
    assert.equal((await before.post('/api/invitations/acceptance', { invitation: { code } })).statusCode, 422, 'single use');
    const after_ = client(p.app, (await signIn('newcomer@example.test', 'newcomer-password')).access_token);
    assert.equal((await after_.get('/api/sale_details')).statusCode, 200);

    // A revoked invitation cannot be accepted; another organization cannot revoke ours.
    const second = (await people.owner.api.post('/api/invitations', { invitation: { email: 'late@example.test', role: 'manager' } })).json().invitation;
    const other = client(p.app, await token(p.app, p.b));
    assert.equal((await other.delete(`/api/invitations/${second.id}`)).statusCode, 404);
    assert.equal((await people.owner.api.delete(`/api/invitations/${second.id}`)).statusCode, 204);
    assert.equal((await before.post('/api/invitations/acceptance', { invitation: { code: second.code } })).statusCode, 422);
    assert.equal((await people.owner.api.post('/api/invitations', { invitation: { email: 'not-an-email', role: 'manager' } })).statusCode, 422);
    assert.equal((await people.owner.api.post('/api/invitations', { invitation: { email: 'a@b.test', role: 'emperor' } })).statusCode, 422);
  });

  test('the OpenAPI document names the right of every route, and no route is left unassigned', async () => {
    const doc = (await p.app.inject('/api/openapi.json')).json();
    const unassigned: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { description?: string }>>)) {
      if (!path.startsWith('/api/')) continue;
      for (const [method, op] of Object.entries(ops)) if (op.description?.includes('no right assigned')) unassigned.push(`${method.toUpperCase()} ${path}`);
    }
    assert.deepEqual(unassigned, []);
    assert.match(doc.paths['/api/dashboard'].get.description, /needs the `reporting` right \(owner, manager\)/);
  });

  test('a card payment by a buyer still works (the rights do not touch the shop)', async () => {
    const buyer = people.customer.api;
    const cart = await buyer.post('/api/carts', { cart: { items: [{ tariff_id: sale.tariffIds[0], date_id: sale.dateIds[0], quantity: 1 }] } });
    const order = await buyer.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_name: 'Buyer', buyer_email: 'customer@alpha.test', payment: { provider: 'test', card: CARD } } });
    assert.equal(order.statusCode, 201, order.body);
    assert.equal(order.json().order.status, 'paid');
    const history = (await buyer.get(`/api/orders/${order.json().order.id}/history`)).json().history;
    assert.deepEqual(history.map((h: { kind: string }) => h.kind), ['placed', 'payment_authorised', 'paid']);
  });
});
