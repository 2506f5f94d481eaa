import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CARD, client, type TestPlatform, platform } from '../../helpers.ts';
import { DEMO, seedDemo } from '../../../src/demo/seed.ts';

type Api = ReturnType<typeof client>;

/**
 * The dashboard reads the records ticket counts read (sales tallies, approved entered counts):
 * on the demo data, with sales, a refund and an external channel's figures added, every event's
 * tickets and revenue equal the sum of its ticket counts over the same days.
 */
describe('dashboard: the figures agree with the ticket counts', () => {
  let p: TestPlatform;
  let api: Api;
  const from = '2026-01-01';
  const to = '2026-12-31';

  before(async () => {
    p = await platform();
    await seedDemo(p.app.core);
    const t = await p.app.inject({ method: 'POST', url: '/api/auth/token', payload: { grant_type: 'client_credentials', client_id: DEMO.clientId, client_secret: DEMO.clientSecret, scope: 'public buy sell admin' } });
    api = client(p.app, t.json().access_token);
  });
  after(() => p.close());

  async function allCounts(eventId: number) {
    const counts: { sales: number; gross: number; day: string }[] = [];
    for (let page = 1; ; page++) {
      const r = await api.get(`/api/events/${eventId}/ticket_counts?from=${from}&to=${to}&per_page=100&page=${page}`);
      assert.equal(r.statusCode, 200, r.body);
      counts.push(...r.json().ticket_counts);
      if (counts.length >= Number(r.headers['x-total'])) return counts;
    }
  }

  async function compare() {
    const d = (await api.get(`/api/dashboard?from=${from}&to=${to}`)).json().dashboard;
    const events = (await api.get('/api/events?per_page=100')).json().events as { id: number }[];
    for (const event of events) {
      const counts = await allCounts(event.id);
      const row = d.by_event.find((e: { event_id: number }) => e.event_id === event.id) ?? { tickets: 0, revenue: 0 };
      assert.equal(row.tickets, counts.reduce((n, c) => n + c.sales, 0), `tickets of event ${event.id}`);
      assert.equal(row.revenue, counts.reduce((n, c) => n + c.gross, 0), `revenue of event ${event.id}`);
    }
    const sum = (rows: { tickets: number; revenue: number }[], key: 'tickets' | 'revenue') => rows.reduce((n, r) => n + r[key], 0);
    for (const key of ['tickets', 'revenue'] as const) {
      assert.equal(sum(d.by_event, key), d.period[key]);
      assert.equal(sum(d.by_channel, key), d.period[key]);
      assert.equal(sum(d.over_time, key), d.period[key]);
    }
    return d;
  }

  test('demo data as seeded', async () => {
    await compare();
  });

  test('after sales on two channels, a refund and an approved external count, the dashboard moves with the counts', async () => {
    const events = (await api.get('/api/events?per_page=100')).json().events as { id: number; status: string; dates: { id: number }[]; tariffs: { id: number }[]; sections: { id: number }[] }[];
    const onSale = events.filter((e) => e.status === 'listed' && e.tariffs.length > 0);
    assert.ok(onSale.length >= 2);
    const before_ = await compare();
    const sold: { id: number; tickets: { id: number }[] }[] = [];
    for (const [i, event] of onSale.slice(0, 2).entries()) {
      const cart = await api.post('/api/carts', { cart: { items: [{ tariff_id: event.tariffs[0].id, date_id: event.dates[event.dates.length - 1].id, quantity: 2 + i }] } });
      assert.equal(cart.statusCode, 201, cart.body);
      const payment = i === 0 ? { provider: 'manual', method: 'cash' } : { provider: 'test', card: CARD };
      const order = await api.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_name: 'Dashboard test', buyer_email: 'dash@example.test', payment } });
      assert.equal(order.statusCode, 201, order.body);
      sold.push(order.json().order);
    }
    const refund = await api.post(`/api/orders/${sold[0].id}/refunds`, { refund: { ticket_ids: [sold[0].tickets[0].id] } });
    assert.equal(refund.statusCode, 201, refund.body);

    // An external channel's figures count once approved.
    const external = (await api.post('/api/interfaces', { interface: { name: 'Reseller', kind: 'reseller', external: true } })).json().interface;
    const event = onSale[0];
    const entered = await api.post(`/api/events/${event.id}/ticket_counts`, {
      ticket_count: { date_id: event.dates[0].id, day: '2026-11-20', lines: [{ interface_id: external.id, section_id: event.sections[0].id, tariff_id: event.tariffs[0].id, sales: 7, gross: 7000 }] },
    });
    assert.equal(entered.statusCode, 201, entered.body);
    assert.equal((await api.post(`/api/events/${event.id}/ticket_counts/${entered.json().ticket_count.id}/approval`, {})).statusCode, 200);

    const after_ = await compare();
    assert.equal(after_.period.tickets, before_.period.tickets + (2 - 1) + 3 + 7);
    assert.equal(after_.period.orders, before_.period.orders + 2);
    assert.equal(after_.today.orders, before_.today.orders + 2);
    assert.equal(after_.today.tickets, before_.today.tickets + (2 - 1) + 3);
    const reseller = after_.by_channel.find((c: { interface_id: number }) => c.interface_id === external.id);
    assert.deepEqual({ tickets: reseller.tickets, revenue: reseller.revenue, name: reseller.name }, { tickets: 7, revenue: 7000, name: 'Reseller' });
    assert.equal(after_.over_time.find((d: { day: string }) => d.day === '2026-11-20').tickets >= 7, true);

    // One event: its fill per date and section (as the capacities say) and its door arrivals.
    const one = (await api.get(`/api/dashboard?event_id=${event.id}`)).json().dashboard;
    const capacities = (await api.get(`/api/events/${event.id}/capacities`)).json().capacities;
    assert.deepEqual(one.fill, capacities);
    assert.deepEqual(one.arrivals, []);
    assert.ok(one.by_event.every((e: { event_id: number }) => e.event_id === event.id));
  });

  test('order search: by number, part of the name (any case, accents) or e-mail; sorted on the server', async () => {
    const byName = await api.get('/api/orders?q=dashbóard%20TEST');
    assert.equal(byName.statusCode, 200, byName.body);
    const found = byName.json().orders as { id: number; number: string; total: number }[];
    assert.equal(found.length, 2);
    assert.equal((await api.get('/api/orders?q=DASH@example')).json().orders.length, 2);
    const byNumber = (await api.get(`/api/orders?q=${found[0].number.toLowerCase()}`)).json().orders;
    assert.deepEqual(byNumber.map((o: { id: number }) => o.id), [found[0].id]);
    assert.equal((await api.get('/api/orders?q=100%25')).json().orders.length, 0, 'LIKE wildcards are searched for literally');
    const sorted = (await api.get('/api/orders?q=dashboard&sort=total')).json().orders as { total: number }[];
    assert.ok(sorted[0].total <= sorted[1].total);
    assert.equal((await api.get('/api/orders?sort=drop%20table')).statusCode, 422);
    const history = (await api.get(`/api/orders/${found.find((o) => o.total > 0)!.id}/history`)).json().history as { kind: string }[];
    assert.ok(history.some((h) => h.kind === 'paid'));
  });

  test('bad periods are refused with 422, never a 500', async () => {
    for (const query of ['from=2026-02-01&to=2026-01-01', 'from=2020-01-01&to=2026-01-01', 'from=2026-02-30']) {
      const r = await api.get(`/api/dashboard?${query}`);
      assert.ok([400, 422].includes(r.statusCode), `${query}: ${r.statusCode} ${r.body}`);
    }
    assert.equal((await api.get('/api/dashboard?event_id=999999')).statusCode, 404);
  });
});
