import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buyer, CARD, client, onSaleEvent, platform, token, type TestPlatform } from '../../helpers.ts';
import { operatorPrincipal } from '../../../src/demo/seed.ts';
import { theatreMap } from '../../core/seating/fixtures.ts';

describe('native API: the public shop, code quotes, signed order links, my purchases', () => {
  let p: TestPlatform;
  let event: Awaited<ReturnType<typeof onSaleEvent>>;
  before(async () => {
    p = await platform();
    event = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Floor', capacity: 20 }], tariffs: [{ section: 0, label: 'Adult', price: 3000, maxPerOrder: 4 }, { section: 0, label: 'Later', price: 1000, saleStartsAt: '2027-01-01T00:00:00Z' }] });
    await onSaleEvent(p.app, p.b, { sections: [{ name: 'Pit', capacity: 5 }], tariffs: [{ section: 0, label: 'Standing', price: 1500 }] });
    const op = operatorPrincipal(p.a.organizationId, p.a.adminAccountId);
    await p.app.core.codes.create(op, { code: 'HALF', kind: 'percentage', value: 50 });
  });
  after(async () => p?.close());

  test('lists public events of every organization without a credential, soonest first, with price and availability', async () => {
    const r = await p.app.inject({ method: 'GET', url: '/api/shop/events' });
    assert.equal(r.statusCode, 200, r.body);
    const events = r.json().events;
    assert.deepEqual(new Set(events.map((e: { organization: { slug: string } }) => e.organization.slug)), new Set(['alpha', 'beta']));
    const alpha = events.find((e: { id: number }) => e.id === event.eventId);
    assert.deepEqual(alpha.price_from, { amount: 1000, currency: 'EUR' });
    assert.equal(alpha.availability, 'available');
    assert.equal(r.headers['x-total'], '2');
    // No exact figures anywhere in what the public reads.
    assert.doesNotMatch(r.body, /capacity|taken|"available":\s*\d/);
  });

  test('search by text, organization, city, date range; bad input is a 4xx', async () => {
    const title = (await p.app.core.events.read(operatorPrincipal(p.a.organizationId, null), event.eventId)).title;
    const byText = (await p.app.inject({ method: 'GET', url: `/api/shop/events?q=${encodeURIComponent(title.slice(-6).toUpperCase())}` })).json().events;
    assert.deepEqual(byText.map((e: { id: number }) => e.id), [event.eventId]);
    assert.equal((await p.app.inject({ method: 'GET', url: '/api/shop/events?organization=beta' })).json().events.length, 1);
    assert.equal((await p.app.inject({ method: 'GET', url: '/api/shop/events?q=%25' })).json().events.length, 0, 'wildcards are literal');
    assert.equal((await p.app.inject({ method: 'GET', url: '/api/shop/events?city=Nowhere' })).json().events.length, 0);
    assert.equal((await p.app.inject({ method: 'GET', url: '/api/shop/events?from=2030-01-01T00:00:00Z' })).json().events.length, 0);
    assert.equal((await p.app.inject({ method: 'GET', url: '/api/shop/events?from=yesterday' })).statusCode, 422);
    assert.equal((await p.app.inject({ method: 'GET', url: '/api/shop/events?category_id=0' })).statusCode, 422);
  });

  test('an event page: dates, sections, tariffs with levels (sold out, few left, not yet on sale), never the figures', async () => {
    const read = async () => (await p.app.inject({ method: 'GET', url: `/api/shop/events/${event.eventId}` })).json().event;
    let shown = await read();
    const tariffs = shown.dates[0].sections[0].tariffs;
    assert.deepEqual(tariffs.map((t: { label: string; availability: string }) => [t.label, t.availability]), [['Adult', 'available'], ['Later', 'not_yet_on_sale']]);
    assert.equal(tariffs[0].max_per_order, 4);
    const admin = client(p.app, await token(p.app, p.a));
    for (let i = 0; i < 4; i++) {
      const r = await admin.post('/api/carts', { cart: { items: [{ tariff_id: event.tariffIds[0], date_id: event.dateIds[0], quantity: 4 }] } });
      assert.equal(r.statusCode, 201, r.body);
    }
    shown = await read();
    assert.equal(shown.dates[0].sections[0].tariffs[0].availability, 'few_left');
    await admin.post('/api/carts', { cart: { items: [{ tariff_id: event.tariffIds[0], date_id: event.dateIds[0], quantity: 4 }] } });
    shown = await read();
    assert.equal(shown.dates[0].sections[0].tariffs[0].availability, 'sold_out');
    assert.equal((await p.app.inject({ method: 'GET', url: '/api/shop/events/999999' })).statusCode, 404);
    assert.equal((await p.app.inject({ method: 'GET', url: '/api/shop/organizations/alpha' })).json().organization.name, 'Org alpha');
  });

  test('an event page says which sections a date sells seat by seat (its seat map), so the page sells the others by quantity', async () => {
    const seated = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Stalls', capacity: 40 }], tariffs: [{ section: 0, label: 'Adult', price: 3000 }], dates: ['2027-04-01T20:00:00+02:00', '2027-04-02T20:00:00+02:00'] });
    const op = operatorPrincipal(p.a.organizationId, p.a.adminAccountId);
    const map = await p.app.core.maps.create(op, { name: 'Salle', document: theatreMap({ rows: 2, seatsPerRow: 6 }) });
    await p.app.core.seats.assignMap(op, seated.eventId, seated.dateIds[0], { mapId: map.id });
    const shown = (await p.app.inject({ method: 'GET', url: `/api/shop/events/${seated.eventId}` })).json().event;
    assert.deepEqual(shown.dates.map((d: { sections: { seated: boolean }[] }) => d.sections.map((s) => s.seated)), [[true], [false]]);
  });

  test('a discount code is quoted without being used; a signed link opens the order; tampered links do not', async () => {
    const fresh = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Floor', capacity: 20 }], tariffs: [{ section: 0, label: 'Adult', price: 3000 }] });
    const me = await buyer(p.app, p.a, 'linda');
    const cart = (await me.post('/api/carts', { cart: { items: [{ tariff_id: fresh.tariffIds[0], date_id: fresh.dateIds[0], quantity: 2 }] } })).json().cart;
    const quote = await me.get(`/api/carts/${cart.id}/discount?code=half`);
    assert.equal(quote.statusCode, 200, quote.body);
    assert.deepEqual(quote.json().discount, { code: 'HALF', discount: 3000, total: 3000, currency: 'EUR' });
    assert.equal((await me.get(`/api/carts/${cart.id}/discount?code=NOPE`)).json().error.code, 'CODE_INVALID');
    const codes = await p.app.core.codes.list(operatorPrincipal(p.a.organizationId, null), { limit: 10, offset: 0 });
    assert.equal(codes.items.find((c) => c.code === 'HALF')!.used, 0, 'a quote uses nothing');

    const order = (await me.post(`/api/carts/${cart.id}/checkout`, { checkout: { buyer_email: 'linda@buyers.test', code: 'HALF', payment: { provider: 'test', card: CARD } } })).json().order;
    assert.equal(order.status, 'paid');
    const link = (await me.get(`/api/orders/${order.id}/link`)).json().link;
    assert.equal(link.path, `/orders/${link.token}`);
    const opened = await p.app.inject({ method: 'GET', url: `/api/order_links/${link.token}` });
    assert.equal(opened.statusCode, 200, opened.body);
    assert.equal(opened.json().order.number, order.number);
    assert.equal(opened.json().tickets.length, 2);
    assert.equal(opened.json().tickets[0].section_name, 'Floor');
    const qr = await p.app.inject({ method: 'GET', url: `/api/order_links/${link.token}/tickets/${opened.json().tickets[0].id}/qr_code` });
    assert.equal(qr.statusCode, 200);
    assert.match(qr.headers['content-type'] as string, /image\/svg\+xml/);
    // Another order id under the same signature, or a changed signature: not found.
    const [, org, id, sig] = /^(\d+)-(\d+)-(.+)$/.exec(link.token)!;
    // The signature changed in its first character (six whole bits; its last ones may be padding, and
    // replacing them with a fixed "AA" left it unchanged once in about a thousand runs).
    const tampered = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    const forged = [`${org}-${Number(id) + 1}-${sig}`, `${org}-${id}-${tampered}`, `${p.b.organizationId}-${id}-${sig}`];
    for (const t of forged) assert.equal((await p.app.inject({ method: 'GET', url: `/api/order_links/${t}` })).statusCode, 404, t);
    assert.equal((await p.app.inject({ method: 'GET', url: '/api/order_links/nonsense' })).statusCode, 422);
    // Someone else cannot ask for the link.
    const other = await buyer(p.app, p.a, 'mallory');
    assert.equal((await other.get(`/api/orders/${order.id}/link`)).statusCode, 404);

    const myOrders = await me.get('/api/me/orders');
    assert.equal(myOrders.statusCode, 200, myOrders.body);
    assert.equal(myOrders.json().orders[0].number, order.number);
    const myTickets = (await me.get('/api/me/tickets')).json().tickets;
    assert.equal(myTickets.length, 2);
    assert.ok(myTickets[0].qr_payload);
    assert.equal((await other.get('/api/me/tickets')).json().tickets.length, 0);
    assert.equal((await p.app.inject({ method: 'GET', url: '/api/me/tickets' })).statusCode, 401);
  });

  test('an event may require a name per ticket: checkout refuses without, prints them; the shop says so', async () => {
    const named = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Floor', capacity: 20 }], tariffs: [{ section: 0, label: 'Adult', price: 2000 }] });
    const admin = client(p.app, await token(p.app, p.a));
    assert.equal((await admin.patch(`/api/events/${named.eventId}`, { event: { holder_names: 'sometimes' } })).statusCode, 422);
    const set = await admin.patch(`/api/events/${named.eventId}`, { event: { holder_names: 'required' } });
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(set.json().event.holder_names, 'required');
    assert.equal((await p.app.inject({ method: 'GET', url: `/api/shop/events/${named.eventId}` })).json().event.holder_names, 'required');
    const me = await buyer(p.app, p.a, 'nadia');
    const cart = (await me.post('/api/carts', { cart: { items: [{ tariff_id: named.tariffIds[0], date_id: named.dateIds[0], quantity: 2 }] } })).json().cart;
    const item = cart.items[0].id;
    const without = await me.post(`/api/carts/${cart.id}/checkout`, { checkout: { buyer_name: 'Nadia', buyer_email: 'nadia@buyers.test', holders: [{ item_id: item, names: [{ name: 'Ana' }, { name: '  ' }] }] } });
    assert.equal(without.statusCode, 422, without.body);
    assert.equal(without.json().error.details[0].field, 'holders');
    const order = await me.post(`/api/carts/${cart.id}/checkout`, { checkout: { buyer_name: 'Nadia', buyer_email: 'nadia@buyers.test', holders: [{ item_id: item, names: [{ name: 'Ana' }, { name: 'Bruno' }] }], payment: { provider: 'test', card: CARD } } });
    assert.equal(order.statusCode, 201, order.body);
    const mine = (await me.get('/api/me/tickets')).json().tickets.filter((t: { event_id: number }) => t.event_id === named.eventId);
    assert.deepEqual(mine.map((t: { holder_name: string }) => t.holder_name), ['Ana', 'Bruno']);
  });

  test('my transfers, sent and received, in every organization: what they offer, never the barcodes', async () => {
    const fresh = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Balcony', capacity: 20 }], tariffs: [{ section: 0, label: 'Adult', price: 1000 }] });
    const sender = await buyer(p.app, p.a, 'oscar');
    const recipient = await buyer(p.app, p.a, 'paula');
    const cart = (await sender.post('/api/carts', { cart: { items: [{ tariff_id: fresh.tariffIds[0], date_id: fresh.dateIds[0], quantity: 2 }] } })).json().cart;
    const order = (await sender.post(`/api/carts/${cart.id}/checkout`, { checkout: { buyer_email: 'oscar@buyers.test', payment: { provider: 'test', card: CARD } } })).json().order;
    const ticketIds = (await sender.get('/api/me/tickets')).json().tickets.filter((t: { order_id: number }) => t.order_id === order.id).map((t: { id: number }) => t.id);
    const sent = await sender.post('/api/transfers', { transfer: { ticket_ids: [ticketIds[0]], recipient_email: 'paula@buyers.test' } });
    assert.equal(sent.statusCode, 201, sent.body);
    const mine = await sender.get('/api/me/transfers');
    assert.equal(mine.statusCode, 200, mine.body);
    const [out] = mine.json().transfers;
    assert.equal(out.direction, 'sent');
    assert.equal(out.status, 'pending');
    assert.equal(out.organization_id, p.a.organizationId);
    assert.deepEqual(out.tickets.map((t: { id: number; section_name: string }) => [t.id, t.section_name]), [[ticketIds[0], 'Balcony']]);
    assert.doesNotMatch(mine.body, /barcode|qr_/);
    const theirs = (await recipient.get('/api/me/transfers')).json().transfers;
    assert.deepEqual(theirs.map((t: { id: number; direction: string; sender_email: string }) => [t.id, t.direction, t.sender_email]), [[out.id, 'received', 'oscar@buyers.test']]);
    assert.equal((await (await buyer(p.app, p.a, 'quentin')).get('/api/me/transfers')).json().transfers.length, 0, 'nobody else sees it');
    assert.equal((await p.app.inject({ method: 'GET', url: '/api/me/transfers' })).statusCode, 401);
  });
});
