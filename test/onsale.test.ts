import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { bearerCaller, CARD, client, onSaleEvent, platform, serveOnTestDatabase, token, type TestPlatform } from './helpers.ts';

/**
 * The on-sale invariant: sold + held + comps never exceed capacity, for sections and tariff quotas,
 * whatever the number of concurrent buyers and of Guichet processes.
 */
describe('on-sale: many concurrent buyers, never oversold', () => {
  let p: TestPlatform;
  before(async () => {
    p = await platform();
  });
  after(() => p.close());

  const taken = async (dateId: number) =>
    (await p.database.db.selectFrom('section_capacities').select(['taken', 'capacity']).where('date_id', '=', dateId).executeTakeFirstOrThrow());

  test('300 concurrent buyers for 50 places: exactly 50 are held, then sold', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Club', capacity: 50 }], tariffs: [{ section: 0, label: 'Entrée', price: 2000 }] });
    const shop = client(p.app, await token(p.app, p.a, 'public buy'));
    const attempts = await Promise.all(
      Array.from({ length: 300 }, async () => {
        const cart = (await shop.post('/api/carts', {})).json().cart;
        const added = await shop.post(`/api/carts/${cart.id}/items`, { item: { tariff_id: ev.tariffIds[0], date_id: ev.dateIds[0], quantity: 1 } });
        return { cartId: cart.id as number, status: added.statusCode, code: added.statusCode === 201 ? null : added.json().error.code };
      }),
    );
    const won = attempts.filter((a) => a.status === 201);
    assert.equal(won.length, 50);
    assert.ok(attempts.filter((a) => a.status !== 201).every((a) => a.code === 'SOLD_OUT'));
    assert.deepEqual(await taken(ev.dateIds[0]), { taken: 50, capacity: 50 });
    const paid = await Promise.all(
      won.map(async ({ cartId }) => {
        const order = (await shop.post(`/api/carts/${cartId}/checkout`, { checkout: {} })).json().order;
        return (await shop.post(`/api/orders/${order.id}/payments`, { payment: { provider: 'test', card: CARD } })).json().order.status;
      }),
    );
    assert.deepEqual(new Set(paid), new Set(['paid']));
    const sold = await p.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).where('date_id', '=', ev.dateIds[0]).where('status', '=', 'valid').executeTakeFirstOrThrow();
    assert.equal(Number(sold.n), 50);
  });

  test('a tariff quota holds under concurrency too, while the section keeps selling other tariffs', async () => {
    const ev = await onSaleEvent(p.app, p.a, {
      sections: [{ name: 'Salle', capacity: 1000 }],
      tariffs: [{ section: 0, label: 'Early bird', price: 1000, quota: 30 }, { section: 0, label: 'Plein', price: 3000 }],
    });
    const shop = client(p.app, await token(p.app, p.a, 'public buy'));
    const tryTariff = async (tariffId: number, quantity: number) => {
      const cart = (await shop.post('/api/carts', {})).json().cart;
      return (await shop.post(`/api/carts/${cart.id}/items`, { item: { tariff_id: tariffId, date_id: ev.dateIds[0], quantity } })).statusCode;
    };
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => tryTariff(ev.tariffIds[0], 1 + (i % 2))));
    const quota = await p.database.db.selectFrom('tariff_quotas').select('taken').where('tariff_id', '=', ev.tariffIds[0]).executeTakeFirstOrThrow();
    assert.ok(quota.taken <= 30 && quota.taken >= 29, `quota taken ${quota.taken}`);
    const granted = results.reduce((sum, status, i) => sum + (status === 201 ? 1 + (i % 2) : 0), 0);
    assert.equal(granted, quota.taken);
    assert.equal(await tryTariff(ev.tariffIds[1], 10), 201, 'other tariffs still sell');
    assert.equal((await taken(ev.dateIds[0])).taken, quota.taken + 10);
  });

  test('several Guichet processes on one database never oversell (a lone server and a server of two workers)', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Balcon', capacity: 60 }], tariffs: [{ section: 0, label: 'Balcon', price: 2500 }] });
    const servers = await Promise.all([serveOnTestDatabase(p), serveOnTestDatabase(p, 2)]);
    try {
      // The server processes run on the real clock: the token must be issued on it too, or it has long expired there.
      p.clock.set(new Date());
      assert.match(servers[1].banner, /2 workers/);
      const accessToken = await token(p.app, p.a, 'public buy');
      const call = bearerCaller(accessToken);
      const buy = async (i: number) => {
        const base = servers[i % 2].url;
        const cart = (await call(base, 'POST', '/api/carts', {})).body.cart;
        const added = await call(base, 'POST', `/api/carts/${cart.id}/items`, { item: { tariff_id: ev.tariffIds[0], date_id: ev.dateIds[0], quantity: 1 + (i % 3) } });
        if (added.status !== 201) return { status: added.status, code: added.body.error.code, sold: 0 };
        // Checkout on one process, pay on the other.
        const order = (await call(base, 'POST', `/api/carts/${cart.id}/checkout`, { checkout: {} })).body.order;
        const paid = await call(servers[(i + 1) % 2].url, 'POST', `/api/orders/${order.id}/payments`, { payment: { provider: 'test', card: CARD } });
        return { status: paid.status, code: null, sold: paid.body.order.status === 'paid' ? 1 + (i % 3) : 0 };
      };
      const results = await Promise.all(Array.from({ length: 120 }, (_, i) => buy(i)));
      const sold = results.reduce((sum, r) => sum + r.sold, 0);
      assert.ok(results.every((r) => r.status === 201 || r.code === 'SOLD_OUT'), JSON.stringify(results.filter((r) => r.status !== 201 && r.code !== 'SOLD_OUT')));
      const tickets = await p.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).where('date_id', '=', ev.dateIds[0]).where('status', '=', 'valid').executeTakeFirstOrThrow();
      assert.equal(Number(tickets.n), sold);
      assert.ok(sold <= 60, `sold ${sold}`);
      assert.ok(sold >= 58, `only ${sold} sold: the last places must sell too`);
      assert.equal((await taken(ev.dateIds[0])).taken, sold);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
});
