import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CARD, client, ENGINE, onSaleEvent, platform, token, type TestPlatform } from '../../helpers.ts';

/**
 * A request never needs a second connection while its transaction holds one. If it did, an on-sale
 * with as many buyers in checkout as the pool has connections would stop for good: every connection
 * inside a transaction, each waiting for a connection to come back (it happened: the checkout read the
 * organization's signing key outside its transaction, and `bench:onsale` on PostgreSQL hung at its first
 * orders, before the key was cached). With a pool of ONE connection such a request waits forever, so
 * this test fails by its timeout. The fresh organization has no signing key yet: its first checkout,
 * comp and scan each go through the path that creates and reads it.
 * SQLite has one connection and no pool: PostgreSQL only.
 */
describe('a pool of one connection serves the on-sale and the door (no request waits for a second connection)', { skip: ENGINE !== 'postgres' && 'SQLite has no connection pool' }, () => {
  let p: TestPlatform;
  before(async () => {
    p = await platform({}, { poolSize: 1 });
  });
  after(() => p.close());

  test('a one-step order, a two-step order, a comp and a scan each complete on one connection', { timeout: 60_000 }, async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Fosse', capacity: 50 }], tariffs: [{ section: 0, label: 'Fosse', price: 4500, maxPerOrder: 4 }] });
    const shop = client(p.app, await token(p.app, p.a, 'public buy'));
    const cart = async () => {
      const added = await shop.post('/api/carts', { cart: { items: [{ tariff_id: ev.tariffIds[0], date_id: ev.dateIds[0], quantity: 2 }] } });
      assert.equal(added.statusCode, 201, added.body);
      return added.json().cart.id as number;
    };
    // The organization's very first order: its signing key is created during this checkout.
    const oneStep = await shop.post(`/api/carts/${await cart()}/checkout`, { checkout: { buyer_email: 'first@example.test', payment: { provider: 'test', card: CARD } } });
    assert.equal(oneStep.statusCode, 201, oneStep.body);
    assert.equal(oneStep.json().order.status, 'paid');
    assert.equal(oneStep.json().order.tickets.length, 2);

    const pending = await shop.post(`/api/carts/${await cart()}/checkout`, { checkout: { buyer_email: 'second@example.test' } });
    assert.equal(pending.statusCode, 201, pending.body);
    const paid = await shop.post(`/api/orders/${pending.json().order.id}/payments`, { payment: { provider: 'test', card: CARD } });
    assert.equal(paid.statusCode, 201, paid.body);
    assert.equal(paid.json().order.status, 'paid');

    const admin = client(p.app, await token(p.app, p.a, 'admin sell'));
    const comp = await admin.post('/api/guests', { guest: { event_id: ev.eventId, date_id: ev.dateIds[0], section_id: ev.sectionIds[0], name: 'Camille Martin', quantity: 1 } });
    assert.equal(comp.statusCode, 201, comp.body);

    const scanned = await admin.post('/api/scans', { scan: { code: oneStep.json().order.tickets[0].qr_payload, event_id: ev.eventId } });
    assert.equal(scanned.statusCode, 200, scanned.body);
    assert.equal(scanned.json().scan.admitted, true, scanned.body);
  });
});
