import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buyer, CARD, client, onSaleEvent, platform, token, type TestPlatform } from './helpers.ts';
import { verifyQrPayload, BARCODE_ALPHABET } from '../src/core/selling/tickets.ts';
import { TEST_CARDS } from '../src/core/selling/payments.ts';

type Api = ReturnType<typeof client>;

describe('selling: carts, holds, orders, payments, tickets', () => {
  let p: TestPlatform;
  let seller: Api;
  before(async () => {
    p = await platform();
    seller = client(p.app, await token(p.app, p.a));
  });
  after(() => p.close());

  /** Adds an item to a fresh cart; returns the cart id and the answer. */
  async function hold(api: Api, tariffId: number, dateId: number, quantity: number, headers?: Record<string, string>) {
    const cart = (await api.post('/api/carts', {}, headers)).json().cart;
    const response = await api.post(`/api/carts/${cart.id}/items`, { item: { tariff_id: tariffId, date_id: dateId, quantity } }, headers);
    return { cartId: cart.id as number, response };
  }
  const available = async (dateId: number, sectionId: number) => {
    const row = await p.database.db.selectFrom('section_capacities').selectAll().where('date_id', '=', dateId).where('section_id', '=', sectionId).executeTakeFirstOrThrow();
    return row.capacity - row.taken - row.kills - row.organizer_holds;
  };

  test('the whole flow: cart → hold → checkout → card payment → valid tickets with signed QR codes', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Fosse', capacity: 100 }], tariffs: [{ section: 0, label: 'Plein', price: 4500 }] });
    const lea = await buyer(p.app, p.a, 'lea');
    const { cartId, response } = await hold(lea, ev.tariffIds[0], ev.dateIds[0], 2);
    assert.equal(response.statusCode, 201, response.body);
    const cart = response.json().cart;
    assert.equal(cart.total, 9000);
    assert.equal(cart.items[0].status, 'held');
    assert.equal(cart.expires_at, '2026-11-23T10:15:00.000Z', 'held for 15 minutes');
    assert.equal(await available(ev.dateIds[0], ev.sectionIds[0]), 98);

    const checkout = await lea.post(`/api/carts/${cartId}/checkout`, { checkout: { buyer_name: 'Léa Dupont', buyer_email: 'lea@buyers.test' } });
    assert.equal(checkout.statusCode, 201, checkout.body);
    const order = checkout.json().order;
    assert.equal(order.status, 'pending');
    assert.equal(order.total, 9000);
    assert.equal(order.tickets.length, 2);
    assert.ok(order.tickets.every((t: { status: string }) => t.status === 'pending'), 'tickets do not admit before payment');

    const paid = await lea.post(`/api/orders/${order.id}/payments`, { payment: { provider: 'test', card: CARD } });
    assert.equal(paid.statusCode, 201, paid.body);
    assert.equal(paid.json().payment.status, 'authorised');
    assert.equal(paid.json().payment.card_last4, '4242');
    const done = paid.json().order;
    assert.equal(done.status, 'paid');
    assert.equal(done.tickets.length, 2);
    const { public_key } = (await lea.get('/api/organization/public_key')).json();
    for (const ticket of done.tickets) {
      assert.equal(ticket.status, 'valid');
      assert.equal(ticket.holder_name, 'Léa Dupont');
      assert.equal(ticket.barcode.length, 16);
      assert.ok([...ticket.barcode].every((c: string) => BARCODE_ALPHABET.includes(c)));
      const verified = verifyQrPayload(public_key.public_key_pem, ticket.qr_payload);
      assert.deepEqual(verified, { organizationId: p.a.organizationId, ticketId: ticket.id, version: 1, dateId: ev.dateIds[0], sectionId: ev.sectionIds[0], barcode: ticket.barcode });
      const stored = await p.database.db.selectFrom('tickets').select('qr_signature').where('id', '=', ticket.id).executeTakeFirstOrThrow();
      assert.equal(stored.qr_signature, ticket.qr_payload.split('.')[7], 'the signature is stored with the ticket');
      const forged = ticket.qr_payload.replace(ticket.barcode, 'ZZZZZZZZZZZZZZZZ');
      assert.equal(verifyQrPayload(public_key.public_key_pem, forged), null, 'a tampered payload fails verification');
    }
    assert.notEqual(done.tickets[0].barcode, done.tickets[1].barcode);
    const named = await lea.patch(`/api/tickets/${done.tickets[1].id}`, { ticket: { holder_name: 'Hugo Dupont', holder_email: 'Hugo@Example.test' } });
    assert.deepEqual([named.json().ticket.holder_name, named.json().ticket.holder_email], ['Hugo Dupont', 'hugo@example.test']);
    assert.equal(named.json().ticket.barcode, done.tickets[1].barcode, 'naming the holder keeps the barcode');
    const png = await lea.get(`/api/tickets/${done.tickets[0].id}/qr_code`);
    assert.equal(png.headers['content-type'], 'image/png');
    assert.deepEqual([...png.rawPayload.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    const svg = await lea.get(`/api/tickets/${done.tickets[0].id}/qr_code`, { accept: 'image/svg+xml' });
    assert.match(svg.body, /^<svg/);
    // The buyer sees their tickets and orders; another buyer does not.
    const mine = await lea.get('/api/tickets');
    assert.equal(mine.json().tickets?.length, 2, mine.body);
    assert.equal((await lea.get('/api/orders')).json().orders[0].id, order.id);
    const other = await buyer(p.app, p.a, 'other');
    assert.equal((await other.get(`/api/orders/${order.id}`)).statusCode, 404);
    assert.equal((await other.get(`/api/tickets/${done.tickets[0].id}`)).statusCode, 404);
    assert.deepEqual((await other.get('/api/tickets')).json().tickets, []);
    // Sellers read the lines as sale details; buyers may not.
    const details = (await seller.get(`/api/sale_details?event_id=${ev.eventId}`)).json().sale_details;
    assert.deepEqual(details.map((d: { quantity: number; total: number; order_number: string }) => [d.quantity, d.total, d.order_number]), [[2, 9000, order.number]]);
    assert.equal((await lea.get('/api/sale_details')).statusCode, 403);
  });

  test('holds expire by themselves: their places return to sale, checkout and late payments are refused', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Loge', capacity: 2 }], tariffs: [{ section: 0, label: 'Loge', price: 10000 }] });
    const first = await buyer(p.app, p.a, 'early');
    const second = await buyer(p.app, p.a, 'late');
    const held = await hold(first, ev.tariffIds[0], ev.dateIds[0], 2);
    assert.equal(held.response.statusCode, 201);
    const refused = await hold(second, ev.tariffIds[0], ev.dateIds[0], 1);
    assert.equal(refused.response.statusCode, 409);
    assert.equal(refused.response.json().error.code, 'SOLD_OUT');
    assert.equal(refused.response.json().error.details.available, 0);
    p.clock.advance(15 * 60 * 1000 + 1);
    // No sweeper ran: the expired hold stops counting at the next attempt.
    const later = await hold(second, ev.tariffIds[0], ev.dateIds[0], 2);
    assert.equal(later.response.statusCode, 201, later.response.body);
    const cart = (await first.get(`/api/carts/${held.cartId}`)).json().cart;
    assert.equal(cart.items[0].status, 'expired');
    const checkout = await first.post(`/api/carts/${held.cartId}/checkout`, { checkout: {} });
    assert.equal(checkout.statusCode, 409);
    assert.equal(checkout.json().error.code, 'HOLD_EXPIRED');
    // A payment that arrives after the order's window: refused, nothing sold twice.
    const order = (await second.post(`/api/carts/${later.cartId}/checkout`, { checkout: {} })).json().order;
    p.clock.advance(15 * 60 * 1000 + 1);
    const late = await second.post(`/api/orders/${order.id}/payments`, { payment: { provider: 'test', card: CARD } });
    assert.equal(late.statusCode, 409);
    assert.equal(late.json().error.code, 'HOLD_EXPIRED');
    assert.equal((await second.get(`/api/orders/${order.id}`)).json().order.status, 'expired');
    assert.equal(await p.app.core.orders.expireStale(), 1, 'housekeeping records the expiry');
    assert.equal(await available(ev.dateIds[0], ev.sectionIds[0]), 2);
  });

  test('clear refusals: not on sale yet, no longer, not on this interface, over the maximum per order', async () => {
    const boxOffice = (await seller.post('/api/interfaces', { interface: { name: 'Guichet', kind: 'box_office' } })).json().interface;
    const ev = await onSaleEvent(p.app, p.a, {
      sections: [{ name: 'Salle', capacity: 100 }],
      tariffs: [
        { section: 0, label: 'Soon', price: 1000, saleStartsAt: '2026-12-01T10:00:00Z' },
        { section: 0, label: 'Over', price: 1000, saleEndsAt: '2026-11-01T10:00:00Z' },
        { section: 0, label: 'Box office only', price: 1000, channelIds: [boxOffice.id] },
        { section: 0, label: 'Max 4', price: 1000, maxPerOrder: 4 },
      ],
    });
    const shop = await buyer(p.app, p.a, 'picky');
    const soon = (await hold(shop, ev.tariffIds[0], ev.dateIds[0], 1)).response;
    assert.equal(soon.statusCode, 422);
    assert.equal(soon.json().error.code, 'NOT_ON_SALE');
    assert.match(soon.json().error.message, /not on sale yet/i);
    const over = (await hold(shop, ev.tariffIds[1], ev.dateIds[0], 1)).response;
    assert.match(over.json().error.message, /no longer on sale/i);
    const web = (await hold(shop, ev.tariffIds[2], ev.dateIds[0], 1)).response;
    assert.equal(web.json().error.code, 'NOT_ON_SALE');
    const counter = (await hold(seller, ev.tariffIds[2], ev.dateIds[0], 1, { 'x-interface': String(boxOffice.id) })).response;
    assert.equal(counter.statusCode, 201, 'sold at the box office');
    const { cartId, response } = await hold(shop, ev.tariffIds[3], ev.dateIds[0], 3);
    assert.equal(response.statusCode, 201);
    const more = await shop.post(`/api/carts/${cartId}/items`, { item: { tariff_id: ev.tariffIds[3], date_id: ev.dateIds[0], quantity: 2 } });
    assert.equal(more.statusCode, 422);
    assert.equal(more.json().error.code, 'OVER_MAX_PER_ORDER');
    for (const [item, status] of [[{ tariff_id: ev.tariffIds[3], date_id: ev.dateIds[0], quantity: 0 }, 422], [{ tariff_id: ev.tariffIds[3], date_id: ev.dateIds[0], quantity: -2 }, 422], [{ tariff_id: 99999, date_id: ev.dateIds[0], quantity: 1 }, 422]] as const) {
      assert.equal((await shop.post(`/api/carts/${cartId}/items`, { item })).statusCode, status);
    }
    assert.equal(await available(ev.dateIds[0], ev.sectionIds[0]), 100 - 1 - 3, 'refusals took nothing');
  });

  test('payments: declined cards leave the order pending, 3-D Secure-like confirmation, manual payments for staff only', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Salle', capacity: 50 }], tariffs: [{ section: 0, label: 'Plein', price: 2500 }] });
    const paul = await buyer(p.app, p.a, 'paul');
    const order = async (api: Api) => {
      const { cartId } = await hold(api, ev.tariffIds[0], ev.dateIds[0], 1);
      return (await api.post(`/api/carts/${cartId}/checkout`, { checkout: {} })).json().order;
    };
    const first = await order(paul);
    const declined = await paul.post(`/api/orders/${first.id}/payments`, { payment: { provider: 'test', card: { ...CARD, number: TEST_CARDS.declined } } });
    assert.equal(declined.statusCode, 402);
    assert.equal(declined.json().error.code, 'PAYMENT_DECLINED');
    assert.equal((await paul.get(`/api/orders/${first.id}`)).json().order.status, 'pending');
    const malformed = await paul.post(`/api/orders/${first.id}/payments`, { payment: { provider: 'test', card: { ...CARD, number: '4242424242424241' } } });
    assert.equal(malformed.statusCode, 422);
    const expired = await paul.post(`/api/orders/${first.id}/payments`, { payment: { provider: 'test', card: { ...CARD, expiry: '01/20' } } });
    assert.equal(expired.statusCode, 422);
    assert.equal((await paul.post(`/api/orders/${first.id}/payments`, { payment: { provider: 'test', card: CARD } })).json().order.status, 'paid');
    assert.equal((await paul.post(`/api/orders/${first.id}/payments`, { payment: { provider: 'test', card: CARD } })).statusCode, 409, 'a paid order is not paid twice');

    const second = await order(paul);
    const challenge = await paul.post(`/api/orders/${second.id}/payments`, { payment: { provider: 'test', card: { ...CARD, number: TEST_CARDS.requiresAction } } });
    assert.equal(challenge.statusCode, 201);
    assert.equal(challenge.json().payment.status, 'requires_action');
    assert.equal(challenge.json().order.status, 'pending');
    const confirmed = await paul.post(`/api/orders/${second.id}/payments/${challenge.json().payment.id}/confirmation`, { confirmation: { outcome: 'approve' } });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.equal(confirmed.json().order.status, 'paid');

    const third = await order(paul);
    const cash = await paul.post(`/api/orders/${third.id}/payments`, { payment: { provider: 'manual', method: 'cash' } });
    assert.equal(cash.statusCode, 403, 'buyers cannot record cash');
    const counter = await seller.post(`/api/orders/${third.id}/payments`, { payment: { provider: 'manual', method: 'card_terminal' } });
    assert.equal(counter.statusCode, 201);
    assert.equal(counter.json().order.status, 'paid');
    assert.equal(counter.json().payment.method, 'card_terminal');
  });

  test('free orders complete at checkout', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Parvis', capacity: 10 }], tariffs: [{ section: 0, label: 'Gratuit', price: 0 }] });
    const free = await buyer(p.app, p.a, 'freebie');
    const { cartId } = await hold(free, ev.tariffIds[0], ev.dateIds[0], 3);
    const order = (await free.post(`/api/carts/${cartId}/checkout`, { checkout: { buyer_name: 'Zoé' } })).json().order;
    assert.equal(order.status, 'paid');
    assert.equal(order.total, 0);
    assert.deepEqual(order.tickets.map((t: { status: string }) => t.status), ['valid', 'valid', 'valid']);
  });

  test('cancellation and refunds return capacity; partial refunds add up to the total', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Salle', capacity: 20 }], tariffs: [{ section: 0, label: 'Plein', price: 1000 }] });
    const nina = await buyer(p.app, p.a, 'nina');
    const { cartId } = await hold(nina, ev.tariffIds[0], ev.dateIds[0], 3);
    const pending = (await nina.post(`/api/carts/${cartId}/checkout`, { checkout: {} })).json().order;
    assert.equal(await available(ev.dateIds[0], ev.sectionIds[0]), 17);
    assert.equal((await nina.post(`/api/orders/${pending.id}/cancellation`, {})).json().order.status, 'cancelled');
    assert.equal(await available(ev.dateIds[0], ev.sectionIds[0]), 20);

    const second = await hold(nina, ev.tariffIds[0], ev.dateIds[0], 3);
    const order = (await nina.post(`/api/carts/${second.cartId}/checkout`, { checkout: { code: null } })).json().order;
    await nina.post(`/api/orders/${order.id}/payments`, { payment: { provider: 'test', card: CARD } });
    assert.equal((await nina.post(`/api/orders/${order.id}/cancellation`, {})).statusCode, 409, 'paid orders are refunded, not cancelled');
    assert.equal((await nina.post(`/api/orders/${order.id}/refunds`, { refund: {} })).statusCode, 403, 'refunds are for sellers');
    const tickets = (await nina.get(`/api/orders/${order.id}`)).json().order.tickets;
    const partial = await seller.post(`/api/orders/${order.id}/refunds`, { refund: { ticket_ids: [tickets[0].id], reason: 'cannot come' } });
    assert.equal(partial.statusCode, 201, partial.body);
    assert.equal(partial.json().order.status, 'partially_refunded');
    assert.equal(partial.json().order.refunded_amount, 1000);
    assert.equal(await available(ev.dateIds[0], ev.sectionIds[0]), 18);
    const again = await seller.post(`/api/orders/${order.id}/refunds`, { refund: { ticket_ids: [tickets[0].id] } });
    assert.equal(again.statusCode, 422, 'a refunded ticket is not refunded twice');
    const rest = await seller.post(`/api/orders/${order.id}/refunds`, { refund: {} });
    assert.equal(rest.json().order.status, 'refunded');
    assert.equal(rest.json().order.refunded_amount, 3000);
    assert.deepEqual(rest.json().order.tickets.map((t: { status: string }) => t.status), ['refunded', 'refunded', 'refunded']);
    assert.equal(await available(ev.dateIds[0], ev.sectionIds[0]), 20);
  });

  test('discount codes: percentage and fixed, restricted, windowed; usage limit holds under concurrent checkouts', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Salle', capacity: 500 }], tariffs: [{ section: 0, label: 'Plein', price: 3000 }, { section: 0, label: 'Réduit', price: 2000 }] });
    const create = (code: Record<string, unknown>) => seller.post('/api/codes', { code });
    assert.equal((await create({ code: 'HALF', kind: 'percentage', value: 50, tariff_ids: [ev.tariffIds[0]] })).statusCode, 201);
    assert.equal((await create({ code: 'TENOFF', kind: 'fixed', value: 1000, currency: 'EUR' })).statusCode, 201);
    assert.equal((await create({ code: 'LATER', kind: 'percentage', value: 10, starts_at: '2027-01-01T00:00:00Z' })).statusCode, 201);
    assert.equal((await create({ code: 'half', kind: 'fixed', value: 1 })).statusCode, 409, 'codes are unique regardless of case');
    assert.equal((await create({ code: 'BAD', kind: 'percentage', value: 150 })).statusCode, 422);
    const ana = await buyer(p.app, p.a, 'ana');
    const checkoutWith = async (code: string, tariff = 0, quantity = 2) => {
      const { cartId } = await hold(ana, ev.tariffIds[tariff], ev.dateIds[0], quantity);
      return ana.post(`/api/carts/${cartId}/checkout`, { checkout: { code } });
    };
    const half = (await checkoutWith('half')).json().order;
    assert.deepEqual([half.subtotal, half.discount, half.total], [6000, 3000, 3000]);
    const notHere = await checkoutWith('HALF', 1);
    assert.equal(notHere.statusCode, 422);
    assert.equal(notHere.json().error.code, 'CODE_INVALID');
    const ten = (await checkoutWith('TENOFF', 1)).json().order;
    assert.deepEqual([ten.subtotal, ten.discount, ten.total], [4000, 1000, 3000]);
    assert.equal((await checkoutWith('LATER')).json().error.code, 'CODE_INVALID');
    assert.equal((await checkoutWith('NOPE')).json().error.code, 'CODE_INVALID');

    const limited = (await create({ code: 'FIRST5', kind: 'percentage', value: 20, usage_limit: 5 })).json().code;
    const carts = [];
    for (let i = 0; i < 20; i++) carts.push((await hold(ana, ev.tariffIds[1], ev.dateIds[0], 1)).cartId);
    const results = await Promise.all(carts.map((id) => ana.post(`/api/carts/${id}/checkout`, { checkout: { code: 'FIRST5' } })));
    assert.equal(results.filter((r) => r.statusCode === 201).length, 5);
    assert.ok(results.filter((r) => r.statusCode !== 201).every((r) => r.json().error.code === 'CODE_EXHAUSTED'));
    assert.equal((await seller.get(`/api/codes/${limited.id}`)).json().code.used, 5);
    // A cancelled order gives its use back.
    const withCode = results.find((r) => r.statusCode === 201)!.json().order;
    await ana.post(`/api/orders/${withCode.id}/cancellation`, {});
    assert.equal((await seller.get(`/api/codes/${limited.id}`)).json().code.used, 4);
  });

  test('questions: required answers per order and per ticket, validated by kind', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Salle', capacity: 50 }], tariffs: [{ section: 0, label: 'Plein', price: 1500 }] });
    const ask = (question: Record<string, unknown>) => seller.post(`/api/events/${ev.eventId}/questions`, { question });
    const diet = (await ask({ label: 'Régime alimentaire', kind: 'choice', options: ['omnivore', 'végétarien'], scope: 'ticket', required: true })).json().question;
    const newsletter = (await ask({ label: 'Newsletter', kind: 'checkbox', scope: 'order' })).json().question;
    const birth = (await ask({ label: 'Date de naissance', kind: 'date', scope: 'order', required: true })).json().question;
    assert.equal((await ask({ label: 'x', kind: 'choice', options: ['one'] })).statusCode, 422, 'a choice needs options');
    const eva = await buyer(p.app, p.a, 'eva');
    assert.equal((await eva.get(`/api/events/${ev.eventId}/questions`)).json().questions.length, 3);
    const { cartId } = await hold(eva, ev.tariffIds[0], ev.dateIds[0], 2);
    const itemId = (await eva.get(`/api/carts/${cartId}`)).json().cart.items[0].id;
    const missing = await eva.post(`/api/carts/${cartId}/checkout`, { checkout: { answers: [{ question_id: diet.id, item_id: itemId, index: 0, value: 'omnivore' }] } });
    assert.equal(missing.statusCode, 422);
    assert.ok(missing.json().error.details.length >= 2, 'the second ticket and the birth date are missing');
    const wrong = await eva.post(`/api/carts/${cartId}/checkout`, {
      checkout: { answers: [{ question_id: diet.id, item_id: itemId, index: 0, value: 'carnivore' }, { question_id: diet.id, item_id: itemId, index: 1, value: 'omnivore' }, { question_id: birth.id, value: '1990-13-01' }] },
    });
    assert.equal(wrong.statusCode, 422);
    assert.equal((await eva.get(`/api/carts/${cartId}`)).json().cart.status, 'open', 'a refused checkout leaves the cart as it was');
    const good = await eva.post(`/api/carts/${cartId}/checkout`, {
      checkout: {
        answers: [
          { question_id: diet.id, item_id: itemId, index: 0, value: 'omnivore' },
          { question_id: diet.id, item_id: itemId, index: 1, value: 'végétarien' },
          { question_id: birth.id, value: '1990-05-17' },
          { question_id: newsletter.id, value: true },
        ],
      },
    });
    assert.equal(good.statusCode, 201, good.body);
    const answers = (await eva.get(`/api/orders/${good.json().order.id}/answers`)).json().answers;
    assert.deepEqual(answers.map((a: { label: string; value: unknown }) => [a.label, a.value]), [
      ['Régime alimentaire', 'omnivore'], ['Régime alimentaire', 'végétarien'], ['Date de naissance', '1990-05-17'], ['Newsletter', true],
    ]);
    const tickets = good.json().order.tickets.map((t: { id: number }) => t.id);
    assert.deepEqual(answers.slice(0, 2).map((a: { ticket_id: number }) => a.ticket_id), tickets);
  });

  test('a cart is checked out once; another buyer cannot check it out and leaves it open; an event without questions takes no answers', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Salle', capacity: 50 }], tariffs: [{ section: 0, label: 'Plein', price: 1500 }] });
    const ines = await buyer(p.app, p.a, 'ines');
    const other = await buyer(p.app, p.a, 'other');
    const { cartId } = await hold(ines, ev.tariffIds[0], ev.dateIds[0], 1);
    const foreign = await other.post(`/api/carts/${cartId}/checkout`, { checkout: {} });
    assert.equal(foreign.statusCode, 404, 'another buyer does not see this cart');
    assert.equal((await ines.get(`/api/carts/${cartId}`)).json().cart.status, 'open', 'their attempt changed nothing');
    const stray = await ines.post(`/api/carts/${cartId}/checkout`, { checkout: { answers: [{ question_id: 999999, value: 'x' }] } });
    assert.equal(stray.statusCode, 422, 'this event asks no questions');
    assert.equal(stray.json().error.details[0].field, 'answers.0.question_id');
    assert.equal((await ines.get(`/api/carts/${cartId}`)).json().cart.status, 'open', 'a refused checkout leaves the cart open');
    const first = await ines.post(`/api/carts/${cartId}/checkout`, { checkout: {} });
    assert.equal(first.statusCode, 201, first.body);
    const again = await ines.post(`/api/carts/${cartId}/checkout`, { checkout: {} });
    assert.equal(again.statusCode, 409, 'a cart becomes one order');
    const orders = await p.database.db.selectFrom('orders').select('id').where('cart_id', '=', cartId).execute();
    assert.equal(orders.length, 1);
  });

  test('Idempotency-Key: the same request replays its answer; a different one with the same key is refused', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Salle', capacity: 50 }], tariffs: [{ section: 0, label: 'Plein', price: 1500 }] });
    const ines = await buyer(p.app, p.a, 'ines');
    const key = { 'idempotency-key': 'cart-create-1' };
    const first = await ines.post('/api/carts', {}, key);
    const again = await ines.post('/api/carts', {}, key);
    assert.equal(again.statusCode, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.json().cart.id, first.json().cart.id);
    const cartId = first.json().cart.id;
    // Concurrent duplicates of one add-to-cart: held once.
    const item = { item: { tariff_id: ev.tariffIds[0], date_id: ev.dateIds[0], quantity: 2 } };
    const burst = await Promise.all(Array.from({ length: 5 }, () => ines.post(`/api/carts/${cartId}/items`, item, { 'idempotency-key': 'add-1' })));
    assert.ok(burst.every((r) => r.statusCode === 201 || (r.statusCode === 409 && r.json().error.code === 'IDEMPOTENCY_IN_FLIGHT')), burst.map((r) => r.statusCode).join());
    assert.equal(await available(ev.dateIds[0], ev.sectionIds[0]), 48, 'two places held once');
    const different = await ines.post(`/api/carts/${cartId}/items`, { item: { ...item.item, quantity: 1 } }, { 'idempotency-key': 'add-1' });
    assert.equal(different.statusCode, 422);
    // A retried checkout (same key) never creates a second order, nor a retried payment a second charge.
    const checkout = () => ines.post(`/api/carts/${cartId}/checkout`, { checkout: {} }, { 'idempotency-key': 'checkout-1' });
    const [once, twice] = [await checkout(), await checkout()];
    assert.equal(twice.json().order.id, once.json().order.id);
    const orderId = once.json().order.id;
    const pay = () => ines.post(`/api/orders/${orderId}/payments`, { payment: { provider: 'test', card: CARD } }, { 'idempotency-key': 'pay-1' });
    const payments = await Promise.all([pay(), pay(), pay()]);
    assert.ok(payments.some((r) => r.statusCode === 201));
    const stored = await p.database.db.selectFrom('payments').select('id').where('order_id', '=', orderId).execute();
    assert.equal(stored.length, 1, 'one payment recorded');
    const orders = await p.database.db.selectFrom('orders').select('id').where('cart_id', '=', cartId).execute();
    assert.equal(orders.length, 1);
    const bad = await ines.post('/api/carts', {}, { 'idempotency-key': '' });
    assert.equal(bad.statusCode, 400);
    // Replays last 24 hours.
    p.clock.advance(24 * 3600 * 1000 + 1);
    const fresh = client(p.app, await token(p.app, p.a));
    const afterDay = await fresh.post('/api/carts', {}, key);
    assert.equal(afterDay.headers['idempotent-replayed'], undefined);
  });

  test('after a transfer the buyer no longer sees the new barcode; a refund cancels a pending transfer', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Salle', capacity: 20 }], tariffs: [{ section: 0, label: 'Plein', price: 1000 }] });
    const giver = await buyer(p.app, p.a, 'giver');
    const friend = await buyer(p.app, p.a, 'friend');
    const { cartId } = await hold(giver, ev.tariffIds[0], ev.dateIds[0], 2);
    const order = (await giver.post(`/api/carts/${cartId}/checkout`, { checkout: {} })).json().order;
    const tickets = (await giver.post(`/api/orders/${order.id}/payments`, { payment: { provider: 'test', card: CARD } })).json().order.tickets;
    const transfer = (await giver.post('/api/transfers', { transfer: { ticket_ids: [tickets[0].id], recipient_email: 'friend@buyers.test' } })).json().transfer;
    assert.equal((await friend.post(`/api/transfers/${transfer.id}/claim`, {})).statusCode, 200);
    const mine = (await giver.get(`/api/orders/${order.id}`)).json().order.tickets.map((t: { id: number }) => t.id);
    assert.deepEqual(mine, [tickets[1].id], "the buyer's order shows only the ticket they still hold");
    assert.equal((await giver.get(`/api/tickets/${tickets[0].id}`)).statusCode, 404);
    const theirs = (await friend.get(`/api/tickets/${tickets[0].id}`)).json().ticket;
    assert.notEqual(theirs.barcode, tickets[0].barcode);
    const pending = (await giver.post('/api/transfers', { transfer: { ticket_ids: [tickets[1].id], recipient_email: 'friend@buyers.test' } })).json().transfer;
    const staff = client(p.app, await token(p.app, p.a)); // earlier tests moved the clock past the suite's seller token
    assert.equal((await staff.post(`/api/orders/${order.id}/refunds`, { refund: { ticket_ids: [tickets[1].id] } })).statusCode, 201);
    assert.equal((await giver.get(`/api/transfers/${pending.id}`)).json().transfer.status, 'cancelled');
    assert.equal((await friend.post(`/api/transfers/${pending.id}/claim`, {})).statusCode, 409);
  });

  test('one-step checkout: the payment given with the checkout pays the order in the same request', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Salle', capacity: 20 }], tariffs: [{ section: 0, label: 'Plein', price: 1200 }] });
    const quick = await buyer(p.app, p.a, 'quick');
    const first = await hold(quick, ev.tariffIds[0], ev.dateIds[0], 2);
    const paid = await quick.post(`/api/carts/${first.cartId}/checkout`, { checkout: { buyer_name: 'Quick', payment: { provider: 'test', card: CARD } } });
    assert.equal(paid.statusCode, 201, paid.body);
    assert.equal(paid.json().order.status, 'paid');
    assert.equal(paid.json().order.payments[0].status, 'authorised');
    assert.deepEqual(paid.json().order.tickets.map((t: { status: string }) => t.status), ['valid', 'valid']);
    const second = await hold(quick, ev.tariffIds[0], ev.dateIds[0], 1);
    const declined = await quick.post(`/api/carts/${second.cartId}/checkout`, { checkout: { payment: { provider: 'test', card: { ...CARD, number: TEST_CARDS.declined } } } });
    assert.equal(declined.statusCode, 402);
    const orderId = declined.json().error.details.order_id;
    const waiting = (await quick.get(`/api/orders/${orderId}`)).json().order;
    assert.equal(waiting.status, 'pending', 'the order waits for another payment');
    assert.deepEqual(waiting.payments.map((x: { status: string }) => x.status), ['declined'], 'the declined attempt is recorded');
    const retried = await quick.post(`/api/orders/${orderId}/payments`, { payment: { provider: 'test', card: CARD } });
    assert.equal(retried.json().order.status, 'paid', retried.body);
    // Paid at checkout: holds sold, the sale tallied, the door told of the new tickets — as when paid apart.
    const holds = await p.database.db.selectFrom('cart_items').select(['status', 'expires_at']).where('cart_id', 'in', [first.cartId, second.cartId]).execute();
    assert.deepEqual(holds.map((h) => [h.status, h.expires_at]), [['sold', null], ['sold', null]]);
    const tally = await p.database.db.selectFrom('sales_tallies').select((eb) => eb.fn.sum<number>('sold').as('n')).where('tariff_id', '=', ev.tariffIds[0]).executeTakeFirstOrThrow();
    assert.equal(Number(tally.n), 3);
    const issued = await p.database.db.selectFrom('door_changes').select('ticket_id').where('kind', '=', 'issued').where('ticket_id', 'in', paid.json().order.tickets.map((t: { id: number }) => t.id)).execute();
    assert.equal(issued.length, 2);
    // A malformed card refuses the checkout as a whole: no order, the cart still open with its hold.
    const fourth = await hold(quick, ev.tariffIds[0], ev.dateIds[0], 1);
    const ordersBefore = await p.database.db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const malformed = await quick.post(`/api/carts/${fourth.cartId}/checkout`, { checkout: { payment: { provider: 'test', card: { ...CARD, cvv: 'abc' } } } });
    assert.equal(malformed.statusCode, 422, malformed.body);
    assert.equal((await quick.get(`/api/carts/${fourth.cartId}`)).json().cart.status, 'open');
    const ordersAfter = await p.database.db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(ordersAfter.n), Number(ordersBefore.n));
    // A challenged card leaves the order pending until the buyer's confirmation.
    const challenged = await quick.post(`/api/carts/${fourth.cartId}/checkout`, { checkout: { payment: { provider: 'test', card: { ...CARD, number: TEST_CARDS.requiresAction } } } });
    assert.equal(challenged.statusCode, 201, challenged.body);
    const challengedOrder = challenged.json().order;
    assert.equal(challengedOrder.status, 'pending');
    assert.equal(challengedOrder.payments[0].status, 'requires_action');
    const confirmed = await quick.post(`/api/orders/${challengedOrder.id}/payments/${challengedOrder.payments[0].id}/confirmation`, { confirmation: { outcome: 'approve' } });
    assert.equal(confirmed.json().order.status, 'paid', confirmed.body);
    const third = await hold(quick, ev.tariffIds[0], ev.dateIds[0], 1);
    const cash = await quick.post(`/api/carts/${third.cartId}/checkout`, { checkout: { payment: { provider: 'manual', method: 'cash' } } });
    assert.equal(cash.statusCode, 403, 'manual payments are for staff, refused before any order exists');
    assert.equal((await quick.get(`/api/carts/${third.cartId}`)).json().cart.status, 'open');
  });
});
