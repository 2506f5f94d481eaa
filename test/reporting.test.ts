import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buyer, CARD, client, onSaleEvent, platform, token, type OnSaleEvent, type TestPlatform } from './helpers.ts';
import { refundShare } from '../src/core/selling/orders.ts';
import { backfill } from '../src/db/migrations/004_reporting.ts';

type Api = ReturnType<typeof client>;
interface TariffFigure { tariff_id: number; sales: number; reservations: number | null; gross: number; currency: string }
interface Count {
  id: number; date_id: number; day: string; source: string; approved: boolean; final: boolean; sales: number; reservations: number | null; gross: number; comment: string | null;
  interfaces?: { interface_id: number; sections: { section_id: number; tariffs: TariffFigure[] }[] }[];
}

describe('reporting: ticket counts, capacities, promotions, transactions', () => {
  let p: TestPlatform;
  let seller: Api;
  let sellerB: Api;
  let web: number;
  let boxOffice: number;
  let reseller: number;

  before(async () => {
    p = await platform();
    seller = client(p.app, await token(p.app, p.a));
    sellerB = client(p.app, await token(p.app, p.b));
    web = (await seller.post('/api/interfaces', { interface: { name: 'Web shop', kind: 'web', default: true } })).json().interface.id;
    boxOffice = (await seller.post('/api/interfaces', { interface: { name: 'Box office', kind: 'box_office' } })).json().interface.id;
    const external = await seller.post('/api/interfaces', { interface: { name: 'Reseller', kind: 'reseller', external: true } });
    assert.equal(external.statusCode, 201, external.body);
    assert.equal(external.json().interface.external, true);
    reseller = external.json().interface.id;
  });
  after(() => p.close());

  /** A paid order of `quantity` × tariff on a date, bought by a signed-in buyer (web) or at the box office. */
  async function sell(api: Api, tariffId: number, dateId: number, quantity: number, options: { channel?: number; pay?: boolean; holderEmail?: string } = {}) {
    const headers = options.channel ? { 'x-interface': String(options.channel) } : undefined;
    const cart = (await api.post('/api/carts', { cart: { items: [{ tariff_id: tariffId, date_id: dateId, quantity }] } }, headers)).json().cart;
    assert.ok(cart?.id, 'cart created');
    const checkout = await api.post(`/api/carts/${cart.id}/checkout`, { checkout: { buyer_name: 'Buyer', buyer_email: options.holderEmail ?? 'buyer@example.test' } }, headers);
    assert.equal(checkout.statusCode, 201, checkout.body);
    const order = checkout.json().order;
    if (options.pay === false) return order;
    const payment = options.channel === boxOffice ? { provider: 'manual', method: 'cash' } : { provider: 'test', card: CARD };
    const paid = await api.post(`/api/orders/${order.id}/payments`, { payment }, headers);
    assert.equal(paid.statusCode, 201, paid.body);
    return paid.json().order;
  }

  async function counts(eventId: number, query = '', api: Api = seller): Promise<Count[]> {
    const all: Count[] = [];
    for (let page = 1; ; page++) {
      const r = await api.get(`/api/events/${eventId}/ticket_counts/detailed?per_page=100&page=${page}${query}`);
      assert.equal(r.statusCode, 200, r.body);
      all.push(...r.json().ticket_counts);
      if (all.length >= Number(r.headers['x-total'])) return all;
    }
  }

  /** Net sales and gross per date × interface × tariff, summed over counts. */
  function totalsOf(list: Count[]) {
    const out = new Map<string, { sales: number; gross: number }>();
    for (const c of list) for (const ch of c.interfaces!) for (const s of ch.sections) for (const t of s.tariffs) {
      const key = `${c.date_id}:${ch.interface_id}:${t.tariff_id}`;
      const e = out.get(key) ?? { sales: 0, gross: 0 };
      e.sales += t.sales;
      e.gross += t.gross;
      out.set(key, e);
    }
    for (const [key, e] of out) if (e.sales === 0 && e.gross === 0) out.delete(key);
    return out;
  }

  /** What the orders say: valid sale tickets, and line totals less what refunds gave back, per date × channel × tariff. */
  async function fromOrders(eventId: number) {
    const lines = await p.database.db
      .selectFrom('order_lines')
      .innerJoin('orders', 'orders.id', 'order_lines.order_id')
      .selectAll('order_lines')
      .where('order_lines.event_id', '=', eventId)
      .where('orders.paid_at', 'is not', null)
      .execute();
    const valid = await p.database.db
      .selectFrom('tickets')
      .select(['order_line_id', sql<number>`count(*)`.as('n')])
      .where('event_id', '=', eventId)
      .where('kind', '=', 'sale')
      .where('status', '=', 'valid')
      .groupBy('order_line_id')
      .execute();
    const out = new Map<string, { sales: number; gross: number }>();
    for (const line of lines) {
      const key = `${line.date_id}:${line.channel_id}:${line.tariff_id}`;
      const e = out.get(key) ?? { sales: 0, gross: 0 };
      e.sales += Number(valid.find((v) => v.order_line_id === line.id)?.n ?? 0);
      e.gross += line.total - refundShare({ total: line.total, quantity: line.quantity, refunded_quantity: 0 }, line.refunded_quantity);
      out.set(key, e);
    }
    for (const [key, e] of out) if (e.sales === 0 && e.gross === 0) out.delete(key);
    return out;
  }

  test('ticket counts match the orders exactly after sales, refunds, comps and transfers, day by day', async () => {
    const ev = await onSaleEvent(p.app, p.a, {
      sections: [{ name: 'Fosse', capacity: 200 }, { name: 'Balcon', capacity: 100 }],
      tariffs: [{ section: 0, label: 'Plein', price: 4500 }, { section: 0, label: 'Réduit', price: 3000 }, { section: 1, label: 'Balcon', price: 6000 }],
      dates: ['2027-03-01T20:00:00+01:00', '2027-03-02T20:00:00+01:00'],
    });
    const [plein, reduit, balcon] = ev.tariffIds;
    const [d1, d2] = ev.dateIds;
    const alice = await buyer(p.app, p.a, 'count-alice');
    const bob = await buyer(p.app, p.a, 'count-bob');

    // Day 1 (2026-11-23 in Paris): web sales, box-office sales, a partial refund, a comp.
    const o1 = await sell(alice, plein, d1, 3, { holderEmail: 'count-alice@buyers.test' });
    await sell(alice, reduit, d1, 2);
    await sell(seller, balcon, d2, 4, { channel: boxOffice });
    const o4 = await sell(seller, plein, d2, 2, { channel: boxOffice });
    const refund1 = await seller.post(`/api/orders/${o1.id}/refunds`, { refund: { ticket_ids: [o1.tickets[0].id] } });
    assert.equal(refund1.statusCode, 201, refund1.body);
    const comp = await seller.post('/api/guests', { guest: { event_id: ev.eventId, date_id: d1, section_id: ev.sectionIds[0], name: 'Press', quantity: 5 } });
    assert.equal(comp.statusCode, 201, comp.body);
    // A transfer of a sold ticket: the holder changes, not the sales.
    const transfer = await alice.post('/api/transfers', { transfer: { ticket_ids: [o1.tickets[1].id], recipient_email: 'count-bob@buyers.test' } });
    assert.equal(transfer.statusCode, 201, transfer.body);
    assert.equal((await bob.post(`/api/transfers/${transfer.json().transfer.id}/claim`, {})).statusCode, 200);
    // A pending order and a cancelled one: reservations at most, never sales.
    await sell(bob, balcon, d1, 2, { pay: false });
    const cancelled = await sell(bob, reduit, d2, 1, { pay: false });
    assert.equal((await bob.post(`/api/orders/${cancelled.id}/cancellation`, {})).statusCode, 200);

    let list = await counts(ev.eventId);
    assert.deepEqual(totalsOf(list), await fromOrders(ev.eventId));
    const day1 = list.filter((c) => c.day === '2026-11-23');
    assert.deepEqual(day1.map((c) => c.date_id).sort(), [d1, d2].sort(), 'one automatic count per date for the day');
    const d1Today = day1.find((c) => c.date_id === d1)!;
    assert.deepEqual([d1Today.source, d1Today.approved, d1Today.final], ['auto', true, false], "today's count is live");
    assert.equal(d1Today.sales, 3 - 1 + 2, 'three sold, one refunded, two more; the comps and the pending order are not sales');
    assert.equal(d1Today.gross, 3 * 4500 - 4500 + 2 * 3000);
    assert.equal(d1Today.reservations, 2, 'the pending order holds two places');
    assert.equal(day1.find((c) => c.date_id === d2)!.sales, 6);
    assert.equal(day1.find((c) => c.date_id === d2)!.reservations, 0);
    const byInterface = Object.fromEntries(day1.find((c) => c.date_id === d2)!.interfaces!.map((i) => [i.interface_id, i]));
    assert.deepEqual(Object.keys(byInterface).map(Number), [boxOffice], 'date 2 sold at the box office only');
    assert.deepEqual(byInterface[boxOffice].sections.map((s) => s.section_id).sort(), [...ev.sectionIds].sort());

    // The next day: more sales, and a refund of a ticket sold the day before counts on its own day.
    p.clock.advance(24 * 3600 * 1000);
    // Access tokens last an hour: sign in again.
    seller = client(p.app, await token(p.app, p.a));
    sellerB = client(p.app, await token(p.app, p.b));
    const alice2 = await buyer(p.app, p.a, 'count-alice');
    await sell(alice2, plein, d1, 1);
    const refund2 = await seller.post(`/api/orders/${o4.id}/refunds`, { refund: {} });
    assert.equal(refund2.statusCode, 201, refund2.body);
    list = await counts(ev.eventId);
    assert.deepEqual(totalsOf(list), await fromOrders(ev.eventId), 'still exact after the second day');
    const unfolded = await p.database.db.selectFrom('sales_tallies').select('slot').where('day', '<', '2026-11-24').where('slot', '>', 0).execute();
    assert.equal(unfolded.length, 0, "past days' slots are folded into one row each");
    const before = list.filter((c) => c.day === '2026-11-23');
    assert.ok(before.every((c) => c.final), "yesterday's counts are final");
    assert.equal(before.find((c) => c.date_id === d2)!.sales, 6, "yesterday's figure is unchanged by today's refund");
    assert.ok(before.every((c) => c.reservations === null), 'reservations are a live figure of today only');
    const today = list.filter((c) => c.day === '2026-11-24');
    assert.equal(today.find((c) => c.date_id === d1)!.sales, 1);
    assert.equal(today.find((c) => c.date_id === d2)!.sales, -2, 'the refund of two tickets');
    assert.equal(today.find((c) => c.date_id === d2)!.gross, -9000);
    assert.equal(today.find((c) => c.date_id === d1)!.reservations, 0, 'the pending order expired overnight');

    // Filters: period and date; the summary has the same totals without the breakdown.
    const onlyToday = await counts(ev.eventId, '&from=2026-11-24&to=2026-11-24');
    assert.deepEqual(onlyToday.map((c) => c.day), ['2026-11-24', '2026-11-24']);
    const d2Only = await counts(ev.eventId, `&date_id=${d2}`);
    assert.ok(d2Only.every((c) => c.date_id === d2) && d2Only.length === 2);
    const summary = await seller.get(`/api/events/${ev.eventId}/ticket_counts?per_page=100`);
    assert.equal(summary.statusCode, 200);
    assert.deepEqual(
      summary.json().ticket_counts.map((c: Count) => [c.id, c.sales, c.gross, 'interfaces' in c]),
      list.map((c) => [c.id, c.sales, c.gross, false]),
    );
    const one = await seller.get(`/api/events/${ev.eventId}/ticket_counts/${list[0].id}`);
    assert.deepEqual(one.json().ticket_count, list[0]);
    // Automatic counts take a comment and nothing else; they cannot be approved again or deleted.
    const commented = await seller.patch(`/api/events/${ev.eventId}/ticket_counts/${list[0].id}`, { ticket_count: { comment: 'Launch day' } });
    assert.equal(commented.json().ticket_count.comment, 'Launch day');
    assert.equal((await seller.patch(`/api/events/${ev.eventId}/ticket_counts/${list[0].id}`, { ticket_count: { day: '2026-11-20' } })).statusCode, 422);
    assert.equal((await seller.post(`/api/events/${ev.eventId}/ticket_counts/${list[0].id}/approval`, {})).statusCode, 409);
    assert.equal((await seller.delete(`/api/events/${ev.eventId}/ticket_counts/${list[0].id}`)).statusCode, 409);

    // Sales made before the reporting migration are tallied by its backfill: the same counts.
    const capacitiesBefore = (await seller.get(`/api/events/${ev.eventId}/capacities`)).json().capacities;
    await p.database.db.deleteFrom('sales_tallies').execute();
    await p.database.db.updateTable('section_capacities').set({ comps: 0 }).execute();
    await backfill(p.database.db);
    assert.deepEqual((await counts(ev.eventId)).map((c) => [c.id, c.sales, c.gross]), list.map((c) => [c.id, c.sales, c.gross]));
    assert.deepEqual((await seller.get(`/api/events/${ev.eventId}/capacities`)).json().capacities, capacitiesBefore);

    // Another organization sees none of it.
    assert.equal((await sellerB.get(`/api/events/${ev.eventId}/ticket_counts`)).statusCode, 404);
    assert.equal((await sellerB.get(`/api/events/${ev.eventId}/ticket_counts/${list[0].id}`)).statusCode, 404);
    assert.equal((await sellerB.get(`/api/events/${ev.eventId}/capacities`)).statusCode, 404);
    // Buyers do not read reports.
    assert.equal((await alice2.get(`/api/events/${ev.eventId}/ticket_counts`)).statusCode, 403);
  });

  test('external channels: counts entered by staff are validated, left out until approved, then frozen', async () => {
    const ev = await onSaleEvent(p.app, p.a, {
      sections: [{ name: 'Fosse', capacity: 100 }, { name: 'Balcon', capacity: 50 }],
      tariffs: [{ section: 0, label: 'Plein', price: 4000 }, { section: 1, label: 'Balcon', price: 5000 }],
    });
    const [fosse, balconSection] = ev.sectionIds;
    const [plein, balcon] = ev.tariffIds;
    const url = `/api/events/${ev.eventId}/ticket_counts`;
    const line = { interface_id: reseller, section_id: fosse, tariff_id: plein, sales: 12, gross: 48000 };
    const body = (changes: Record<string, unknown> = {}, lines: unknown[] = [line]) => ({ ticket_count: { date_id: ev.dateIds[0], day: '2026-11-20', comment: 'Weekly report', lines, ...changes } });

    // Refusals, each with a clear 4xx and nothing written.
    const refusals: [unknown, number][] = [
      [body({}, [{ ...line, interface_id: web }]), 422],
      [body({}, [{ ...line, tariff_id: balcon }]), 422],
      [body({}, [{ ...line, section_id: balconSection }]), 422],
      [body({}, [{ ...line, sales: -1 }]), 422],
      [body({}, [{ ...line, currency: 'USD' }]), 422],
      [body({}, [line, line]), 422],
      [body({}, []), 422],
      [body({ day: '2026-02-30' }), 422],
      [body({ unknown: 1 }), 422],
      [body({ date_id: 999999 }), 422],
    ];
    for (const [payload, status] of refusals) {
      const r = await seller.post(url, payload);
      assert.equal(r.statusCode, status, `${JSON.stringify(payload)} → ${r.body}`);
    }
    assert.equal((await sellerB.post(url, body())).statusCode, 404, "another organization's event");
    assert.equal((await counts(ev.eventId, '&include_unapproved=true')).filter((c) => c.source === 'entered').length, 0, 'nothing written');

    const created = await seller.post(url, body({}, [line, { interface_id: reseller, section_id: balconSection, tariff_id: balcon, sales: 3, reservations: 4, gross: 15000 }]));
    assert.equal(created.statusCode, 201, created.body);
    const count = created.json().ticket_count as Count;
    assert.deepEqual([count.source, count.approved, count.sales, count.gross, count.reservations], ['entered', false, 15, 63000, 4]);
    assert.equal(count.interfaces![0].sections.length, 2);

    const visible = async (query = '') => (await counts(ev.eventId, query)).filter((c) => c.source === 'entered').map((c) => c.id);
    assert.deepEqual(await visible(), [], 'unapproved counts are left out');
    assert.deepEqual(await visible('&include_unapproved=true'), [count.id], 'unless asked for');

    const edited = await seller.patch(`${url}/${count.id}`, { ticket_count: { lines: [{ ...line, sales: 13, gross: 52000 }], final: true } });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.deepEqual([edited.json().ticket_count.sales, edited.json().ticket_count.final], [13, true]);
    assert.equal((await seller.patch(`${url}/${count.id}`, { ticket_count: { lines: [{ ...line, interface_id: boxOffice }] } })).statusCode, 422);

    // Approval needs the admin scope.
    const sellOnly = client(p.app, await token(p.app, p.a, 'sell'));
    assert.equal((await sellOnly.post(`${url}/${count.id}/approval`, {})).statusCode, 403);
    const approved = await seller.post(`${url}/${count.id}/approval`, {});
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().ticket_count.approved, true);
    assert.deepEqual(await visible(), [count.id]);
    assert.equal((await seller.post(`${url}/${count.id}/approval`, {})).statusCode, 409, 'already approved');
    assert.equal((await seller.patch(`${url}/${count.id}`, { ticket_count: { comment: 'late change' } })).statusCode, 409, 'approved counts are frozen');
    assert.equal((await seller.delete(`${url}/${count.id}`)).statusCode, 409);

    // An unapproved count can be deleted.
    const other = (await seller.post(url, body({ day: '2026-11-21' }))).json().ticket_count;
    assert.equal((await seller.delete(`${url}/${other.id}`)).statusCode, 204);
    assert.equal((await seller.get(`${url}/${other.id}`)).statusCode, 404);
  });

  test('capacities: kills, comps, organizer holds and sellable capacity stay consistent with the inventory under concurrent sales', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Club', capacity: 30 }], tariffs: [{ section: 0, label: 'Entrée', price: 2000 }] });
    const [date] = ev.dateIds;
    const [section] = ev.sectionIds;
    const capacityUrl = `/api/events/${ev.eventId}/dates/${date}/capacities/${section}`;
    const set = await seller.patch(capacityUrl, { capacity: { kills: 4, organizer_holds: 3 } });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(set.json().capacity, { date_id: date, section_id: section, capacity: 30, kills: 4, comps: 0, organizer_holds: 3, sellable: 23, sold: 0, held: 0, available: 23 });
    assert.equal((await seller.post('/api/guests', { guest: { event_id: ev.eventId, date_id: date, section_id: section, name: 'Guest', quantity: 2 } })).statusCode, 201);

    // Twelve buyers at once want 2 places each (24) where 21 remain.
    const buyers = await Promise.all(Array.from({ length: 12 }, (_, i) => buyer(p.app, p.a, `cap-${i}`)));
    const results = await Promise.all(buyers.map(async (b) => {
      const cart = await b.post('/api/carts', { cart: { items: [{ tariff_id: ev.tariffIds[0], date_id: date, quantity: 2 }] } });
      if (cart.statusCode !== 201) return cart.statusCode;
      const checkout = await b.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { payment: { provider: 'test', card: CARD } } });
      return checkout.statusCode;
    }));
    assert.equal(results.filter((s) => s === 201).length, 10, results.join(','));
    const capacities = (await seller.get(`/api/events/${ev.eventId}/capacities`)).json().capacities;
    assert.equal(capacities.length, 1);
    const c = capacities[0];
    const soldTickets = await p.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('event_id', '=', ev.eventId).where('kind', '=', 'sale').where('status', '=', 'valid').executeTakeFirstOrThrow();
    assert.equal(c.sold, Number(soldTickets.n));
    assert.deepEqual([c.capacity, c.kills, c.comps, c.organizer_holds, c.sellable, c.sold, c.held, c.available], [30, 4, 2, 3, 21, 20, 0, 1]);
    assert.equal(c.sold + c.held + c.comps + c.kills + c.organizer_holds + c.available, c.capacity);
    // Ticket counts agree with capacities.
    const today = (await counts(ev.eventId)).filter((x) => x.date_id === date);
    assert.equal(today.reduce((n, x) => n + x.sales, 0), c.sold);

    // Withdrawing more than what is free is refused; releasing holds frees them at once.
    const refused = await seller.patch(capacityUrl, { capacity: { kills: 6 } });
    assert.equal(refused.statusCode, 409, refused.body);
    const released = await seller.patch(capacityUrl, { capacity: { organizer_holds: 0 } });
    assert.deepEqual([released.json().capacity.organizer_holds, released.json().capacity.available, released.json().capacity.sellable], [0, 4, 24]);
    assert.equal((await seller.patch(capacityUrl, { capacity: { capacity: 25 } })).statusCode, 409, 'capacity below what is taken plus kills');
    const grown = await seller.patch(capacityUrl, { capacity: { capacity: 40 } });
    assert.deepEqual([grown.json().capacity.capacity, grown.json().capacity.available, grown.json().capacity.sellable], [40, 14, 34]);
    for (const bad of [{ capacity: {} }, { capacity: { kills: -1 } }, { capacity: { kills: 1, extra: 1 } }]) {
      assert.equal((await seller.patch(capacityUrl, bad)).statusCode, 422, JSON.stringify(bad));
    }
    assert.equal((await sellerB.patch(capacityUrl, { capacity: { kills: 0 } })).statusCode, 404);
    assert.equal((await client(p.app, await token(p.app, p.a, 'sell')).patch(capacityUrl, { capacity: { kills: 0 } })).statusCode, 403);
  });

  test('promotions: CRUD with labels in en/fr/de, costs applied to events and series, rolled up per event', async () => {
    const series = (await seller.post('/api/series', { series: { kind: 'tour', label: 'Tournée' } })).json().series;
    const eventIn = async (title: string) => (await seller.post('/api/events', { event: { title, series_id: series.id, sections: [{ name: 'A', capacity: 10 }], dates: [{ starts_at: '2027-05-01T20:00:00+02:00' }] } })).json().event.id as number;
    const e1 = await eventIn('Nantes');
    const e2 = await eventIn('Lyon');
    const input = {
      type: 'radio_spot', label: 'Campagne radio', supplier: 'Radio Ouest', start_date: '2027-03-01', end_date: '2027-03-31',
      cost: { type: 'paid', state: 'committed', currency: 'EUR' }, comments: 'Two weeks',
      applied_to: [{ event_id: e1, quantity: 2, unit_cost: 10000 }, { series_id: series.id, quantity: 1, unit_cost: 30001 }],
    };
    const created = await seller.post('/api/promotions', { promotion: input }, { 'accept-language': 'fr' });
    assert.equal(created.statusCode, 201, created.body);
    const promo = created.json().promotion;
    assert.deepEqual(promo.type, { id: 'radio_spot', label: 'Spot radio', family: { id: 'media', label: 'Médias' } });
    assert.deepEqual([promo.cost.type, promo.cost.state, promo.cost.total], [{ id: 'paid', label: 'Payant' }, { id: 'committed', label: 'Engagé' }, 50001]);
    assert.equal(promo.applied_to[0].total, 20000);
    const de = (await seller.get(`/api/promotions/${promo.id}`, { 'accept-language': 'de-CH, en;q=0.5' })).json().promotion;
    assert.equal(de.type.label, 'Radiospot');
    assert.equal((await seller.get('/api/promotion_types', { 'accept-language': 'de' })).json().promotion_types.find((t: { id: string }) => t.id === 'poster').family.label, 'Außenwerbung');

    // A second promotion in exchange for visibility (valued, no cash cost).
    const exchange = await seller.post('/api/promotions', {
      promotion: { type: 'partnership', label: 'Partenariat', cost: { type: 'exchange', state: 'planned' }, applied_to: [{ event_id: e2, quantity: 1, unit_cost: 0, valued_quantity: 10, valued_unit_cost: 500 }] },
    });
    assert.equal(exchange.statusCode, 201, exchange.body);
    assert.equal(exchange.json().promotion.cost.valued_total, 5000);
    assert.equal(exchange.json().promotion.cost.currency, 'EUR', "the organization's currency by default");

    const costs = async (eventId: number) => (await seller.get(`/api/events/${eventId}/promotion_costs`)).json().promotion_costs;
    assert.deepEqual(await costs(e1), [{ event_id: e1, currency: 'EUR', direct: 20000, from_series: 15001, total: 35001, valued_total: 0, promotions: 1 }]);
    assert.deepEqual(await costs(e2), [{ event_id: e2, currency: 'EUR', direct: 0, from_series: 15000, total: 15000, valued_total: 5000, promotions: 2 }]);

    // Filters.
    const ids = async (query: string) => (await seller.get(`/api/promotions?${query}`)).json().promotions.map((x: { id: number }) => x.id);
    assert.deepEqual(await ids(`event_id=${e1}`), [promo.id]);
    assert.deepEqual(await ids(`series_id=${series.id}`), [promo.id]);
    assert.deepEqual(await ids('family=partnership'), [exchange.json().promotion.id]);
    assert.deepEqual(await ids('type=radio_spot&from=2027-03-15&to=2027-04-30'), [promo.id]);
    assert.deepEqual(await ids('type=radio_spot&from=2027-04-01'), []);

    // Update: cost fields merge, targets are replaced.
    const updated = await seller.patch(`/api/promotions/${promo.id}`, { promotion: { cost: { state: 'invoiced' }, applied_to: [{ event_id: e1, quantity: 1, unit_cost: 10000 }] } });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.deepEqual([updated.json().promotion.cost.state.id, updated.json().promotion.cost.type.id, updated.json().promotion.cost.total], ['invoiced', 'paid', 10000]);
    assert.deepEqual(await costs(e2), [{ event_id: e2, currency: 'EUR', direct: 0, from_series: 0, total: 0, valued_total: 5000, promotions: 1 }]);

    // Refusals.
    for (const bad of [
      { ...input, applied_to: [{ event_id: e1, series_id: series.id, quantity: 1, unit_cost: 1 }] },
      { ...input, applied_to: [] },
      { ...input, type: 'skywriting' },
      { ...input, start_date: '2027-04-01', end_date: '2027-03-01' },
      { ...input, cost: { type: 'paid', currency: 'ZZZ' } },
      { ...input, applied_to: [{ event_id: 999999, quantity: 1, unit_cost: 1 }] },
    ]) {
      const r = await seller.post('/api/promotions', { promotion: bad });
      assert.equal(r.statusCode, 422, `${JSON.stringify(bad)} → ${r.body}`);
    }
    // Tenancy: another organization neither sees nor changes it, nor targets A's events.
    assert.equal((await sellerB.get(`/api/promotions/${promo.id}`)).statusCode, 404);
    assert.equal((await sellerB.patch(`/api/promotions/${promo.id}`, { promotion: { label: 'x' } })).statusCode, 404);
    assert.equal((await sellerB.delete(`/api/promotions/${promo.id}`)).statusCode, 404);
    assert.equal((await sellerB.get('/api/promotions')).json().promotions.length, 0);
    assert.equal((await sellerB.post('/api/promotions', { promotion: input })).statusCode, 422);
    assert.equal((await sellerB.get(`/api/events/${e1}/promotion_costs`)).statusCode, 404);

    assert.equal((await seller.delete(`/api/promotions/${promo.id}`)).statusCode, 204);
    assert.equal((await seller.get(`/api/promotions/${promo.id}`)).statusCode, 404);
  });

  test('transactions: orders, payments and refunds over a period with totals per interface and payment method', async () => {
    const ev: OnSaleEvent = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Salle', capacity: 100 }], tariffs: [{ section: 0, label: 'Plein', price: 2500 }] });
    const from = p.clock().toISOString();
    const carol = await buyer(p.app, p.a, 'tx-carol');
    const o1 = await sell(carol, ev.tariffIds[0], ev.dateIds[0], 2);
    await sell(seller, ev.tariffIds[0], ev.dateIds[0], 1, { channel: boxOffice });
    await sell(carol, ev.tariffIds[0], ev.dateIds[0], 1, { pay: false });
    assert.equal((await seller.post(`/api/orders/${o1.id}/refunds`, { refund: { ticket_ids: [o1.tickets[0].id] } })).statusCode, 201);
    p.clock.advance(1000);
    const to = p.clock().toISOString();

    const r = await seller.get(`/api/reports/transactions?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&event_id=${ev.eventId}`);
    assert.equal(r.statusCode, 200, r.body);
    const [eur] = r.json().transactions.currencies;
    assert.deepEqual(eur.orders, { placed: 3, paid: 2, cancelled_or_expired: 0, total: 7500 });
    assert.deepEqual(eur.payments, { count: 2, amount: 7500 });
    assert.deepEqual(eur.refunds, { count: 1, amount: 2500 });
    assert.equal(eur.net, 5000);
    assert.deepEqual(eur.by_interface, [
      { interface_id: web, orders: 2, payments: 1, payment_amount: 5000, refunds: 1, refund_amount: 2500, net: 2500 },
      { interface_id: boxOffice, orders: 1, payments: 1, payment_amount: 2500, refunds: 0, refund_amount: 0, net: 2500 },
    ].sort((a, b) => a.interface_id - b.interface_id));
    assert.deepEqual(eur.by_payment_method, [
      { provider: 'manual', method: 'cash', payments: 1, payment_amount: 2500, refunds: 0, refund_amount: 0, net: 2500 },
      { provider: 'test', method: 'card', payments: 1, payment_amount: 5000, refunds: 1, refund_amount: 2500, net: 2500 },
    ]);
    // A period before the sales is empty; another organization sees nothing; bad input is refused.
    const empty = await seller.get(`/api/reports/transactions?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`);
    assert.deepEqual(empty.json().transactions.currencies, []);
    const otherOrg = await sellerB.get(`/api/reports/transactions?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    assert.deepEqual(otherOrg.json().transactions.currencies, []);
    assert.equal((await sellerB.get(`/api/reports/transactions?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&event_id=${ev.eventId}`)).statusCode, 404);
    for (const query of ['from=yesterday&to=2026-12-01T00:00:00Z', 'to=2026-12-01T00:00:00Z', `from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`]) {
      assert.equal((await seller.get(`/api/reports/transactions?${query}`)).statusCode, 422, query);
    }
  });
});
