import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { operatorPrincipal } from '../src/demo/seed.ts';
import { buyer, CARD, client, onSaleEvent, platform, token, type TestPlatform, type Tenant } from './helpers.ts';

type Api = ReturnType<typeof client>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers
type Json = any;

/** The real Weezevent sample responses (one file is not valid JSON as found: a `\#39` escape). */
const SAMPLES = path.resolve(import.meta.dirname, 'fixtures/weezevent-samples');
const sample = (name: string): Json => JSON.parse(fs.readFileSync(path.join(SAMPLES, `${name}.json`), 'utf8').replace(/\\#/g, '#'));

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Every field of the sample is in the answer with the same JSON type (a null in the sample accepts
 * anything); each element of an answer's list matches the sample's first element.
 */
function assertShape(actual: unknown, expected: unknown, where = '$') {
  if (expected === null) return;
  assert.equal(kind(actual), kind(expected), `${where}: expected ${kind(expected)}, got ${kind(actual)} (${JSON.stringify(actual)})`);
  if (Array.isArray(expected)) {
    if (expected.length === 0) return;
    (actual as unknown[]).forEach((item, i) => assertShape(item, expected[0], `${where}[${i}]`));
  } else if (typeof expected === 'object') {
    for (const [key, value] of Object.entries(expected as Record<string, unknown>)) {
      assert.ok(key in (actual as object), `${where}.${key} is missing`);
      assertShape((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
    }
  }
}

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const ISO_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

describe('the Weezevent dialect', () => {
  let p: TestPlatform;
  let admin: Api;
  let adminB: Api;
  let keyA: string;
  let tokenA: string;
  let keyB: string;
  let tokenB: string;

  /** A Weezevent call signed with a key and token (A's by default); `query` is appended as is. */
  const wz = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, options: { key?: string; token?: string; form?: Record<string, string>; sign?: boolean } = {}) => {
    const sign = options.sign === false ? '' : `api_key=${encodeURIComponent(options.key ?? keyA)}&access_token=${encodeURIComponent(options.token ?? tokenA)}`;
    const full = sign ? `${url}${url.includes('?') ? '&' : '?'}${sign}` : url;
    return p.app.inject({
      method,
      url: full,
      ...(options.form ? { payload: new URLSearchParams(options.form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
    });
  };
  const get = async (url: string, options?: Parameters<typeof wz>[2]) => {
    const response = await wz('GET', url, options);
    assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
    return response.json() as Json;
  };

  async function partnerKey(api: Api): Promise<{ id: number; key: string }> {
    const response = await api.post('/api/partner_keys', { partner_key: { name: 'Access control' } });
    assert.equal(response.statusCode, 201, response.body);
    return response.json().partner_key;
  }
  async function signIn(tenant: Tenant, key: string): Promise<string> {
    const response = await wz('POST', '/weezevent/auth/access_token', { sign: false, form: { username: tenant.adminEmail, password: tenant.adminPassword, api_key: key } });
    assert.equal(response.statusCode, 200, response.body);
    return response.json().accessToken;
  }

  /** Rows that a refused write must leave unchanged. */
  async function written() {
    const db = p.database.db;
    const [guests, tickets, capacities] = await Promise.all([
      db.selectFrom('guests').selectAll().orderBy('id').execute(),
      db.selectFrom('tickets').select(['id', 'status', 'holder_name', 'holder_email', 'updated_at']).orderBy('id').execute(),
      db.selectFrom('section_capacities').select(['id', 'taken']).orderBy('id').execute(),
    ]);
    return JSON.stringify({ guests, tickets, capacities });
  }

  /** A paid order of `quantity` tickets bought by a signed-in buyer, with answers when the event has questions. */
  async function buy(tenant: Tenant, tariffId: number, dateId: number, quantity: number, who: string, answers?: (itemId: number) => unknown[]) {
    const api = await buyer(p.app, tenant, who);
    const cart = (await api.post('/api/carts', { cart: { items: [{ tariff_id: tariffId, date_id: dateId, quantity }] } })).json().cart;
    assert.ok(cart, 'cart created');
    const checkout = await api.post(`/api/carts/${cart.id}/checkout`, {
      checkout: { buyer_name: `${who} Buyer`, buyer_email: `${who}@buyers.test`, payment: { provider: 'test', card: CARD }, ...(answers ? { answers: answers(cart.items[0].id) } : {}) },
    });
    assert.equal(checkout.statusCode, 201, checkout.body);
    const order = checkout.json().order;
    assert.equal(order.status, 'paid');
    return order as { id: number; number: string; tickets: { id: number; barcode: string }[] };
  }

  before(async () => {
    p = await platform();
    admin = client(p.app, await token(p.app, p.a));
    adminB = client(p.app, await token(p.app, p.b));
    keyA = (await partnerKey(admin)).key;
    keyB = (await partnerKey(adminB)).key;
    tokenA = await signIn(p.a, keyA);
    tokenB = await signIn(p.b, keyB);
  });
  after(() => p.close());

  test('sign-in: form body, query string or GET; a persistent token; errors as {"error":{"message"}}', async () => {
    const query = `username=${encodeURIComponent(p.a.adminEmail)}&password=${encodeURIComponent(p.a.adminPassword)}&api_key=${keyA}`;
    for (const method of ['POST', 'GET'] as const) {
      const response = await p.app.inject({ method, url: `/weezevent/auth/access_token?${query}` });
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(Object.keys(response.json()), ['accessToken']);
      assert.equal(typeof response.json().accessToken, 'string');
    }
    const v2 = await p.app.inject({ method: 'POST', url: '/weezevent/api/v2/auth/access_token/', payload: query, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(v2.statusCode, 200, v2.body);
    // The token keeps working for WEEZEVENT_TOKEN_TTL_SECONDS (30 days by default; expiry: test/security).
    p.clock.advance(29 * 24 * 3600 * 1000);
    await get('/weezevent/events');
    // (The native API's hour-long tokens did expire: take new ones for the tests that follow.)
    admin = client(p.app, await token(p.app, p.a));
    adminB = client(p.app, await token(p.app, p.b));

    const refusals: { form: Record<string, string>; status: number }[] = [
      { form: { username: p.a.adminEmail, password: 'wrong-password', api_key: keyA }, status: 401 },
      { form: { username: p.a.adminEmail, password: p.a.adminPassword, api_key: 'not-a-key' }, status: 401 },
      { form: { username: p.a.adminEmail, password: p.a.adminPassword }, status: 401 },
      { form: { api_key: keyA }, status: 400 },
      // B's admin is not a member of A's organization: refused like a wrong password (no account enumeration).
      { form: { username: p.b.adminEmail, password: p.b.adminPassword, api_key: keyA }, status: 401 },
    ];
    for (const { form, status } of refusals) {
      const response = await wz('POST', '/weezevent/auth/access_token', { sign: false, form });
      assert.equal(response.statusCode, status, `${JSON.stringify(form)}: ${response.body}`);
      assert.equal(typeof response.json().error.message, 'string');
      assert.deepEqual(Object.keys(response.json()), ['error']);
    }
    const tokens = await p.database.db.selectFrom('partner_tokens').select('token_hash').execute();
    assert.ok(tokens.every((t) => /^[0-9a-f]{64}$/.test(t.token_hash)), 'tokens are stored as digests');
    const keys = await p.database.db.selectFrom('partner_keys').select('key_hash').execute();
    assert.ok(!keys.some((k) => k.key_hash === keyA), 'keys are stored as digests');

    for (const [url, status] of [
      ['/weezevent/events', 401],
      [`/weezevent/events?api_key=${keyA}`, 401],
      [`/weezevent/events?api_key=${keyA}&access_token=nope`, 401],
      [`/weezevent/events?api_key=${keyB}&access_token=${tokenA}`, 401],
    ] as const) {
      const response = await p.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, status, url);
      assert.equal(typeof response.json().error.message, 'string');
    }
    const unknown = await get('/weezevent/nowhere').catch(() => null);
    assert.equal(unknown, null);
    const notFound = await wz('GET', '/weezevent/nowhere');
    assert.equal(notFound.statusCode, 404);
    assert.equal(typeof notFound.json().error.message, 'string');
  });

  test('revoking a partner key through the native API ends its tokens', async () => {
    const { id, key } = await partnerKey(admin);
    const accessToken = await signIn(p.a, key);
    await get('/weezevent/events', { key, token: accessToken });
    assert.equal((await admin.delete(`/api/partner_keys/${id}`)).statusCode, 204);
    assert.equal((await wz('GET', '/weezevent/events', { key, token: accessToken })).statusCode, 401);
    assert.equal((await adminB.delete(`/api/partner_keys/${id}`)).statusCode, 404, "another organization's key is not found");
    const listed = (await admin.get('/api/partner_keys')).json().partner_keys;
    assert.ok(listed.some((k: Json) => k.id === id && k.revoked_at !== null));
    assert.ok(listed.every((k: Json) => !('key' in k)), 'a key is shown only once');
  });

  test('events, dates and tickets: the samples\' shapes, include_* defaults, PHP arrays, both prefixes', async () => {
    const ev = await onSaleEvent(p.app, p.a, {
      sections: [{ name: 'Fosse', capacity: 100 }, { name: 'Balcon', capacity: 50 }],
      tariffs: [{ section: 0, label: 'Plein', price: 2500, quota: 60, saleEndsAt: '2027-02-28T20:00:00Z' }, { section: 0, label: 'Réduit', price: 999 }, { section: 1, label: 'Balcon', price: 1500 }],
      dates: ['2027-03-01T20:00:00+01:00', '2027-03-02T20:30:00+01:00'],
    });
    const single = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Salle', capacity: 10 }], tariffs: [{ section: 0, label: 'Unique', price: 0 }] });
    await buy(p.a, ev.tariffIds[0], ev.dateIds[0], 2, 'ines');

    // Events without sales are left out by default.
    let events = (await get('/weezevent/events')).events;
    assert.deepEqual(events.map((e: Json) => e.id), [ev.eventId]);
    events = (await get('/weezevent/events?include_without_sales=1')).events;
    assert.ok(events.some((e: Json) => e.id === single.eventId));
    assertShape({ events }, sample('getEvent'));
    const e = events.find((x: Json) => x.id === ev.eventId);
    assert.equal(e.participants, 2);
    assert.equal(e.multiple_dates, 1);
    assert.equal(e.date.start, '2027-03-01 20:00:00', 'local time of the event');
    assert.match(e.date.end, LOCAL_TIME);
    assert.equal((await get('/weezevent/events?include_without_sales=true&include_not_published=0')).events.length, events.length, 'all are published');
    assert.equal((await wz('GET', '/weezevent/events?include_closed=maybe')).statusCode, 400);

    for (const url of [`/weezevent/dates?id_event[]=${ev.eventId}&id_event[]=${single.eventId}`, `/weezevent/api/v2/dates/?id_event%5B%5D=${ev.eventId}&id_event%5B%5D=${single.eventId}`]) {
      const dates = await get(url);
      assertShape(dates, sample('getDates'));
      assert.equal(dates.dates.length, 3);
      assert.deepEqual(dates.dates[0], { id: ev.dateIds[0], id_event: ev.eventId, date: '2027-03-01 20:00:00', tickets: ev.tariffIds.map(String) });
    }
    assert.equal((await get(`/weezevent/dates?id_event=${single.eventId}`)).dates.length, 1, 'a plain parameter works too');

    const tickets = await get(`/weezevent/tickets?id_event[]=${ev.eventId}&id_event[]=${single.eventId}`);
    assertShape(tickets, sample('getTickets'));
    const [multi, one] = tickets.events;
    assert.equal(multi.id, ev.eventId);
    assert.deepEqual(multi.categories.map((c: Json) => c.name), ['Fosse', 'Balcon'], 'sections are ticket categories');
    const plein = multi.categories[0].tickets[0];
    assert.deepEqual(plein, { id: String(ev.tariffIds[0]), name: 'Plein', price: 25, participants: 2, quota: 60, start_sale: null, end_sale: '2027-02-28T20:00:00+0000' });
    assert.equal(multi.categories[0].tickets[1].price, 9.99);
    assert.equal(one.tickets.length, 1, 'a single-section event lists its tickets directly');
    assert.equal(one.tickets[0].price, 0);

    // Another organization's event is not found.
    const foreign = await onSaleEvent(p.app, p.b, { sections: [{ name: 'B', capacity: 5 }], tariffs: [{ section: 0, label: 'B', price: 100 }] });
    for (const url of [`/weezevent/dates?id_event[]=${foreign.eventId}`, `/weezevent/tickets?id_event[]=${foreign.eventId}`, `/weezevent/event/${foreign.eventId}/details`]) {
      const response = await wz('GET', url);
      assert.equal(response.statusCode, 404, url);
      assert.equal(typeof response.json().error.message, 'string');
    }
    for (const url of ['/weezevent/dates', '/weezevent/tickets?id_event[]=abc', '/weezevent/dates?id_event[]=1&id_event[]=x']) {
      const response = await wz('GET', url);
      assert.equal(response.statusCode, 400, url);
      assert.deepEqual(Object.keys(response.json()), ['error']);
    }
  });

  test('participant list: the sample\'s shape, both spellings, every filter, answers with full=1', async () => {
    const ev = await onSaleEvent(p.app, p.a, {
      sections: [{ name: 'Fosse', capacity: 100 }], tariffs: [{ section: 0, label: 'Plein', price: 2500 }, { section: 0, label: 'Réduit', price: 1000 }],
      dates: ['2027-04-01T20:00:00+02:00', '2027-04-02T20:00:00+02:00'],
    });
    const diet = (await admin.post(`/api/events/${ev.eventId}/questions`, { question: { label: 'Régime', kind: 'choice', options: ['omnivore', 'végétarien'], scope: 'ticket', required: true } })).json().question;
    const news = (await admin.post(`/api/events/${ev.eventId}/questions`, { question: { label: 'Newsletter', kind: 'checkbox', scope: 'order' } })).json().question;
    const first = await buy(p.a, ev.tariffIds[0], ev.dateIds[0], 2, 'paul', (item) => [
      { question_id: diet.id, item_id: item, index: 0, value: 'omnivore' }, { question_id: diet.id, item_id: item, index: 1, value: 'végétarien' }, { question_id: news.id, value: true },
    ]);
    const answer = (item: number) => [{ question_id: diet.id, item_id: item, index: 0, value: 'omnivore' }];
    const second = await buy(p.a, ev.tariffIds[1], ev.dateIds[1], 1, 'rose', answer);
    const third = await buy(p.a, ev.tariffIds[0], ev.dateIds[1], 1, 'hugo', answer);

    for (const url of [`/weezevent/participant/list?id_event[]=${ev.eventId}`, `/weezevent/participants?id_event[]=${ev.eventId}`, `/weezevent/api/v2/participant/list/?id_event[]=${ev.eventId}`]) {
      const list = await get(url);
      assertShape(list, sample('getParticipants'));
      assert.equal(list.participants.length, 4, url);
      assert.match(list.server_time, LOCAL_TIME);
    }
    const list = (await get(`/weezevent/participants?id_event[]=${ev.eventId}`)).participants;
    const p1 = list[0];
    assert.equal(p1.id_participant, first.tickets[0].id);
    assert.equal(p1.id_event, ev.eventId);
    assert.equal(p1.id_date, ev.dateIds[0]);
    assert.equal(p1.id_ticket, String(ev.tariffIds[0]));
    assert.equal(p1.barcode, first.tickets[0].barcode);
    assert.equal(p1.deleted, '0');
    assert.equal(p1.id_transaction, first.id);
    assert.equal(p1.transaction_reference, first.number);
    assert.equal(p1.create_date, DateTime.fromJSDate(p.clock()).setZone('Europe/Paris').toFormat('yyyy-MM-dd HH:mm:ss'), 'the event\'s local time');
    assert.deepEqual(p1.owner, { first_name: 'paul', last_name: 'Buyer', email: 'paul@buyers.test', comment: '', custom_field: '', origin: 'web' });
    assert.deepEqual(p1.control_status, { status: '0', scan_date: '0000-00-00 00:00:00', scan_user: '0', scan_user_name: '' });
    assert.ok(!('answers' in p1));

    const ids = (url: string) => get(url).then((r) => r.participants.map((x: Json) => x.id_participant));
    const [t1, t2] = first.tickets.map((t) => t.id);
    const [t3] = second.tickets.map((t) => t.id);
    const [t4] = third.tickets.map((t) => t.id);
    assert.deepEqual(await ids(`/weezevent/participants?id_ticket[]=${ev.tariffIds[1]}`), [t3]);
    assert.deepEqual(await ids(`/weezevent/participants?id_ticket=${ev.tariffIds[1]}`), [t3], 'plain parameter');
    assert.deepEqual(await ids(`/weezevent/participants?date_ticket[${ev.dateIds[1]}][]=${ev.tariffIds[0]}`), [t4]);
    assert.deepEqual(await ids(`/weezevent/participants?date_ticket[${ev.dateIds[1]}][]=${ev.tariffIds[0]}&date_ticket[${ev.dateIds[1]}][]=${ev.tariffIds[1]}`), [t3, t4]);
    assert.deepEqual(await ids(`/weezevent/participants?date_ticket[${ev.dateIds[0]}][]=${ev.tariffIds[0]}&id_ticket[]=${ev.tariffIds[1]}`), [t1, t2, t3], 'id_ticket adds to date_ticket');
    assert.deepEqual(await ids(`/weezevent/participants?id_event[]=${ev.eventId}&transaction_reference[]=${second.number}&transaction_reference[]=${third.number}`), [t3, t4]);
    assert.deepEqual(await ids(`/weezevent/participants?id_event[]=${ev.eventId}&max=2&page=2`), [t3, t4]);
    assert.deepEqual(await ids(`/weezevent/participants?id_event[]=${ev.eventId}&max=3&page=1`), [t1, t2, t3]);
    const counted = await get(`/weezevent/participants?id_event[]=${ev.eventId}&return_count=1&max=1`);
    assert.deepEqual(counted.count, { active: 4, deleted: 0 });
    assert.equal(counted.participants.length, 1);

    const full = (await get(`/weezevent/participant/list?id_event[]=${ev.eventId}&full=1`)).participants;
    assert.deepEqual(full[0].answers, [{ label: 'Régime', value: 'omnivore' }]);
    assert.deepEqual(full[1].answers, [{ label: 'Régime', value: 'végétarien' }]);
    assert.deepEqual(full[0].buyer, { first_name: 'paul', last_name: 'Buyer', email: 'paul@buyers.test', answers: [{ label: 'Newsletter', value: 'Oui' }] });
    assert.equal(full[0].promo_code, '');
    const minimized = (await get(`/weezevent/participant/list?id_event[]=${ev.eventId}&minimized=1`)).participants;
    assert.ok(Object.keys(minimized[0]).length < Object.keys(list[0]).length);
    assert.equal(minimized[0].barcode, p1.barcode);

    for (const url of [`/weezevent/participant/${t2}/answers`, `/weezevent/participants/${t2}/answers/`]) {
      const answers = await get(url);
      assertShape(answers, sample('getParticipantAnswers'));
      assert.deepEqual(answers.answers, [{ label: 'Régime', value: 'végétarien' }]);
    }

    // B's key never sees A's participants, whatever the filter.
    const b = { key: keyB, token: tokenB };
    assert.deepEqual((await get(`/weezevent/participants?id_event[]=${ev.eventId}`, b)).participants, []);
    assert.deepEqual((await get('/weezevent/participants', b)).participants, []);
    assert.deepEqual((await get(`/weezevent/participants?transaction_reference[]=${first.number}`, b)).participants, []);
    assert.equal((await wz('GET', `/weezevent/participant/${t1}/answers`, b)).statusCode, 404);

    for (const url of [
      `/weezevent/participants?id_event[]=x`, `/weezevent/participants?date_ticket[x][]=1`, `/weezevent/participants?last_update=yesterday`,
      `/weezevent/participants?max=0`, `/weezevent/participants?page=-1`, `/weezevent/participants?full=2`, `/weezevent/participant/abc/answers`,
    ]) {
      const response = await wz('GET', url);
      assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
      assert.equal(typeof response.json().error.message, 'string');
    }
  });

  test('incremental sync: last_update returns exactly what changed since server_time, deletions with include_deleted', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Fosse', capacity: 100 }], tariffs: [{ section: 0, label: 'Plein', price: 2500 }] });
    const order = await buy(p.a, ev.tariffIds[0], ev.dateIds[0], 3, 'sync');
    const initial = await get(`/weezevent/participants?id_event[]=${ev.eventId}`);
    assert.equal(initial.participants.length, 3);
    const since = initial.server_time;

    p.clock.advance(60_000);
    const [kept, refunded, renamed] = order.tickets.map((t) => t.id);
    assert.equal((await admin.post(`/api/orders/${order.id}/refunds`, { refund: { ticket_ids: [refunded] } })).statusCode, 201);
    assert.equal((await admin.patch(`/api/tickets/${renamed}`, { ticket: { holder_name: 'Nouveau Nom' } })).statusCode, 200);
    const added = await wz('POST', '/weezevent/v3/participants', {
      form: { data: JSON.stringify({ participants: [{ id_evenement: ev.eventId, id_billet: ev.tariffIds[0], email: 'vip@example.test', nom: 'Durand', prenom: 'Alix' }] }) },
    });
    assert.equal(added.statusCode, 200, added.body);
    const comp = added.json().participants[0].id_participant;

    const changed = await get(`/weezevent/participants?id_event[]=${ev.eventId}&last_update=${encodeURIComponent(since)}`);
    assert.deepEqual(changed.participants.map((x: Json) => x.id_participant), [renamed, comp], 'the refunded ticket is left out without include_deleted');
    const withDeleted = await get(`/weezevent/participants?id_event[]=${ev.eventId}&last_update=${encodeURIComponent(since)}&include_deleted=1`);
    assert.deepEqual(withDeleted.participants.map((x: Json) => [x.id_participant, x.deleted]), [[refunded, '1'], [renamed, '0'], [comp, '0']]);
    assert.ok(!withDeleted.participants.some((x: Json) => x.id_participant === kept));
    assert.equal(withDeleted.participants[1].owner.first_name, 'Nouveau');
    const removed = await get(`/weezevent/participants?id_event[]=${ev.eventId}&return_removed=1`);
    assert.deepEqual(removed.participants.map((x: Json) => x.id_participant), [refunded]);
    const before = await get(`/weezevent/participants?id_event[]=${ev.eventId}&last_update_before=${encodeURIComponent(since)}&include_deleted=1`);
    assert.deepEqual(before.participants.map((x: Json) => x.id_participant), [kept]);

    // Nothing changed since the last answer: nothing comes back.
    p.clock.advance(60_000);
    const next = await get(`/weezevent/participants?id_event[]=${ev.eventId}&last_update=${encodeURIComponent(withDeleted.server_time)}&include_deleted=1`);
    assert.deepEqual(next.participants, []);
  });

  test('participant writes: POST adds real comps that count against capacity, PATCH renames, DELETE gives the place back; all or nothing', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Salle', capacity: 3 }], tariffs: [{ section: 0, label: 'Invitation', price: 0, quota: 3 }] });
    await buy(p.a, ev.tariffIds[0], ev.dateIds[0], 1, 'early');
    const person = (nom: string) => ({ id_evenement: ev.eventId, id_billet: ev.tariffIds[0], email: `${nom.toLowerCase()}@example.test`, nom, prenom: 'Alex' });
    const post = (participants: unknown[]) => wz('POST', '/weezevent/v3/participants', { form: { data: JSON.stringify({ participants }) } });

    const added = await post([person('Martin'), person('Bernard')]);
    assert.equal(added.statusCode, 200, added.body);
    const body = added.json();
    assert.equal(body.total_added, 2);
    assert.equal(body.participants[0].nom, 'Martin');
    assert.equal(body.participants[0].prenom, 'Alex');
    assert.equal(typeof body.participants[0].id_participant, 'number');
    const tickets = await admin.get(`/api/tickets?event_id=${ev.eventId}&per_page=100`);
    const comps = tickets.json().tickets.filter((t: Json) => t.kind === 'comp');
    assert.equal(comps.length, 2);
    assert.ok(comps.every((t: Json) => t.status === 'valid' && t.tariff_id === ev.tariffIds[0]));
    const listed = (await get(`/weezevent/participants?id_event[]=${ev.eventId}`)).participants;
    assert.equal(listed.length, 3);
    assert.equal(listed[1].owner.last_name, 'Martin');
    assert.equal(listed[1].owner.origin, 'invitation');

    // Full: the next participant is refused and nothing is written.
    const foreign = await onSaleEvent(p.app, p.b, { sections: [{ name: 'B', capacity: 5 }], tariffs: [{ section: 0, label: 'B', price: 100 }] });
    const before = await written();
    const full = await post([person('Petit')]);
    assert.equal(full.statusCode, 409, full.body);
    assert.equal(typeof full.json().error.message, 'string');
    assert.equal(await written(), before);
    const sale = await buyer(p.app, p.a, 'late');
    const cart = await sale.post('/api/carts', { cart: { items: [{ tariff_id: ev.tariffIds[0], date_id: ev.dateIds[0], quantity: 1 }] } });
    assert.equal(cart.statusCode, 409, 'the comps took the last places from sale too');

    // Bad input in any participant of a batch: 400, nothing written.
    for (const form of [
      { data: 'not json' },
      { data: JSON.stringify({ participants: [] }) },
      { data: JSON.stringify({ nothing: true }) },
      { data: JSON.stringify({ participants: [{ id_evenement: ev.eventId }] }) },
      { data: JSON.stringify({ participants: [{ id_evenement: ev.eventId, id_billet: 'abc' }] }) },
      { data: JSON.stringify({ participants: [{ id_evenement: foreign.eventId, id_billet: foreign.tariffIds[0] }] }) },
      { data: JSON.stringify({ participants: [{ id_evenement: ev.eventId, id_billet: foreign.tariffIds[0] }] }) },
      { data: JSON.stringify({ participants: [{ id_evenement: ev.eventId, id_billet: ev.tariffIds[0], email: 'not-an-email' }] }) },
      {},
    ]) {
      const response = await wz('POST', '/weezevent/v3/participants', { form: form as Record<string, string> });
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${JSON.stringify(form)}: ${response.statusCode} ${response.body}`);
      assert.equal(typeof response.json().error.message, 'string');
      assert.equal(await written(), before, JSON.stringify(form));
    }

    const [martin, bernard] = body.participants.map((x: Json) => x.id_participant);
    const patch = await wz('PATCH', '/weezevent/v3/participants', { form: { data: JSON.stringify({ participants: [{ id_participant: martin, nom: 'Martin-Roux', email: 'mr@example.test' }] }) } });
    assert.equal(patch.statusCode, 200, patch.body);
    assert.equal(patch.json().participants[0].nom, 'Martin-Roux');
    assert.equal(patch.json().participants[0].email, 'mr@example.test');

    // B cannot delete A's participant; A's deletion frees the place.
    const beforeDelete = await written();
    const stolen = await wz('DELETE', '/weezevent/v3/participants', { key: keyB, token: tokenB, form: { data: JSON.stringify({ participants: [{ id_participant: martin }] }) } });
    assert.equal(stolen.statusCode, 404);
    assert.equal(await written(), beforeDelete);
    const deleted = await wz('DELETE', '/weezevent/v3/participants', { form: { data: JSON.stringify({ participants: [{ id_participant: martin }, { id_participant: bernard }] }) } });
    assert.equal(deleted.statusCode, 200, deleted.body);
    assert.equal(deleted.json().total_deleted, 2);
    const again = await wz('DELETE', '/weezevent/v3/participants', { form: { data: JSON.stringify({ participants: [{ id_participant: martin }] }) } });
    assert.equal(again.statusCode, 409, 'already deleted');
    const listedAfter = (await get(`/weezevent/participants?id_event[]=${ev.eventId}&include_deleted=1`)).participants;
    assert.deepEqual(listedAfter.map((x: Json) => x.deleted), ['0', '1', '1']);
    assert.equal((await post([person('Petit'), person('Grand')])).statusCode, 200, 'the places are back');
  });

  test('event details, public search across organizations (listed events only), public categories', async () => {
    const venue = (await admin.post('/api/venues', { venue: { name: 'Le Lieu Unique', kind: 'hall', city: 'Nantes', zip: '44000', country_code: 'FR', latitude: 47.2154, longitude: -1.5456 } })).json().venue;
    const category = await p.app.core.categories.create(operatorPrincipal(p.a.organizationId, p.a.adminAccountId), { names: { en: 'Clubbing', fr: 'Soirée clubbing', de: 'Clubbing' } });
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Salle', capacity: 100 }], tariffs: [{ section: 0, label: 'A', price: 14200 }, { section: 0, label: 'B', price: 500 }], dates: ['2027-06-27T09:00:00+02:00', '2027-06-30T09:00:00+02:00'] });
    assert.equal((await admin.patch(`/api/events/${ev.eventId}`, { event: { venue_id: venue.id, category_id: category.id } })).statusCode, 200);
    const draft = (await admin.post('/api/events', { event: { title: 'Brouillon', venue_id: venue.id, dates: [{ starts_at: '2027-06-28T20:00:00+02:00' }] } })).json().event;
    const other = await onSaleEvent(p.app, p.b, { sections: [{ name: 'B', capacity: 5 }], tariffs: [{ section: 0, label: 'B', price: 100 }], dates: ['2027-06-29T20:00:00+02:00'] });

    for (const url of [`/weezevent/event/${ev.eventId}/details`, `/weezevent/event/${ev.eventId}/details/`, `/weezevent/api/v2/event/${ev.eventId}/details`]) {
      const details = await get(url);
      assertShape(details, sample('getEventDetails'));
      assert.match(details.last_update, ISO_OFFSET);
      assert.equal(details.events.id, String(ev.eventId));
      assert.deepEqual(details.events.price, { min: '5.00', max: '142.00' });
      assert.deepEqual(details.events.period, { start: '2027-06-27 09:00:00', end: '2027-06-30 09:00:00' });
      assert.deepEqual(details.events.dates.map((d: Json) => d.start), ['2027-06-27 09:00:00', '2027-06-30 09:00:00']);
      assert.deepEqual(details.events.category, { id: String(category.id), name: 'Soirée clubbing' });
      assert.equal(details.events.venue.city, 'Nantes');
      assert.deepEqual(details.events.venue.country, { code: 'FR', name: 'FRANCE' });
      assert.equal(details.events.venue.coordinates.lat, '47.2154000');
    }
    assert.equal((await get(`/weezevent/event/${draft.id}/details`)).events.title, 'Brouillon', 'the own organization reads its drafts');

    const search = await get('/weezevent/event/search/?date_start=2027-06-01&date_end=2027-06-30');
    assertShape(search, sample('getEventSearch'));
    const found = search.events.map((e: Json) => Number(e.id));
    assert.ok(found.includes(ev.eventId) && found.includes(other.eventId), 'listed events of every organization');
    assert.ok(!found.includes(draft.id), 'never a draft');
    assert.equal(search.count, search.events.length);
    assert.deepEqual((await get(`/weezevent/event/search?city=nantes&category=${category.id}`)).events.map((e: Json) => Number(e.id)), [ev.eventId]);
    assert.deepEqual((await get('/weezevent/event/search?date=2027-06-29')).events.map((e: Json) => Number(e.id)), [other.eventId]);
    assert.equal((await get('/weezevent/event/search?date_start=2027-06-01&max_result=1')).events.length, 1);
    assert.deepEqual((await get('/weezevent/event/search?organizer=Org%20beta&date_start=2027-06-01')).events.map((e: Json) => Number(e.id)), [other.eventId]);
    assert.equal((await wz('GET', '/weezevent/event/search?date=someday')).statusCode, 400);
    assert.equal((await wz('GET', '/weezevent/event/search', { sign: false })).statusCode, 401, 'the search takes a key');

    for (const method of ['GET', 'POST'] as const) {
      const response = await p.app.inject({ method, url: '/weezevent/event/categories/' });
      assert.equal(response.statusCode, 200, 'public: no key, no token');
      assertShape(response.json(), sample('getEventCategories'));
      assert.ok(response.json().event_categories.some((c: Json) => c.id === String(category.id) && c.name === 'Soirée clubbing' && c.name_other === 'Clubbing'));
    }
  });

  test('the door: scan settings and scan user, ticket stats moving with scans made through the door API, control_status and sync', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Fosse', capacity: 100 }], tariffs: [{ section: 0, label: 'Plein', price: 2500 }, { section: 0, label: 'Réduit', price: 1000 }] });
    const order = await buy(p.a, ev.tariffIds[0], ev.dateIds[0], 3, 'door');
    await buy(p.a, ev.tariffIds[1], ev.dateIds[0], 1, 'other');

    // Settings: stored per user, answered as strings like the sample.
    const saved = await wz('POST', '/weezevent/scan/settings', { form: { test: 'test', scan_sound: '0' } });
    assert.equal(saved.statusCode, 200, saved.body);
    for (const url of ['/weezevent/scan/settings', '/weezevent/api/v2/scan/settings', '/weezevent/api/v2/scan/settings/']) {
      const settings = await get(url);
      assertShape(settings, sample('getScanSettings'));
      assert.equal(settings.settings.test, 'test');
      assert.equal(settings.settings.scan_sound, '0');
    }
    assert.equal((await wz('POST', '/weezevent/scan/settings', { form: { 'Bad Key': '1' } })).statusCode, 400);

    // The control station names itself; the same name is the same station.
    const named = await wz('POST', '/weezevent/scan/user', { form: { user: 'Porte Nord' } });
    assert.equal(named.statusCode, 200, named.body);
    assertShape(named.json(), sample('getScanUser'));
    const station = named.json().id;
    assert.equal((await wz('POST', '/weezevent/scan/user', { form: { user: 'Porte Nord' } })).json().id, station);
    assert.notEqual((await wz('POST', '/weezevent/scan/user', { form: { user: 'Porte Sud' } })).json().id, station);
    assert.equal((await wz('POST', '/weezevent/scan/user', { form: {} })).statusCode, 400);

    const stats = async (url: string) => {
      const body = await get(url);
      assertShape(body, sample('getTicketStats'));
      return body.stats;
    };
    const plein = ev.tariffIds[0];
    assert.deepEqual(await stats(`/weezevent/tickets/${plein}/stats`), { total: 3, scanned: 0, in: 0, out: 0 });
    const initial = await get(`/weezevent/participants?id_event[]=${ev.eventId}`);

    p.clock.advance(60_000);
    const scan = (code: string, direction: 'in' | 'out') => admin.post('/api/scans', { scan: { code, event_id: ev.eventId, direction, control_point_id: Number(station) } });
    const [first, second] = order.tickets;
    const admitted = await scan(first.barcode, 'in');
    assert.equal(admitted.json().scan?.admitted, true, admitted.body);
    assert.equal((await scan(second.barcode, 'in')).json().scan.admitted, true);
    assert.deepEqual(await stats(`/weezevent/ticket/${plein}/stats`), { total: 3, scanned: 2, in: 2, out: 0 });
    const exit = await scan(second.barcode, 'out');
    assert.equal(exit.statusCode, 200, exit.body);
    assert.deepEqual(await stats(`/weezevent/tickets/${plein}/stats/?id_date=${ev.dateIds[0]}`), { total: 3, scanned: 2, in: 1, out: 1 });
    assert.deepEqual(await stats(`/weezevent/tickets/${ev.tariffIds[1]}/stats`), { total: 1, scanned: 0, in: 0, out: 0 });
    assert.deepEqual(await stats(`/weezevent/tickets/${plein}/stats?id_date=${ev.dateIds[0] + 1000}`), { total: 0, scanned: 0, in: 0, out: 0 });

    // Scans reach the participant list, and incremental sync brings them to other gates.
    const changed = await get(`/weezevent/participants?id_event[]=${ev.eventId}&last_update=${encodeURIComponent(initial.server_time)}`);
    assert.deepEqual(changed.participants.map((x: Json) => x.id_participant), [first.id, second.id]);
    const status = changed.participants[0].control_status;
    assert.equal(status.status, '1');
    assert.equal(status.scan_user, station);
    assert.equal(status.scan_user_name, 'Porte Nord');
    assert.equal(status.scan_date, DateTime.fromJSDate(p.clock()).setZone('Europe/Paris').toFormat('yyyy-MM-dd HH:mm:ss'));
    const unscanned = (await get(`/weezevent/participants?id_event[]=${ev.eventId}`)).participants.find((x: Json) => x.id_participant === order.tickets[2].id);
    assert.equal(unscanned.control_status.status, '0');

    // Another organization sees none of it.
    const b = { key: keyB, token: tokenB };
    assert.equal((await wz('GET', `/weezevent/tickets/${plein}/stats`, b)).statusCode, 404);
    assert.equal((await wz('GET', `/weezevent/tickets/abc/stats`)).statusCode, 400);
    assert.deepEqual((await get('/weezevent/scan/settings', b)).settings.test, undefined);
  });
});
