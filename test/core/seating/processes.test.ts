import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { bearerCaller, CARD, client, onSaleEvent, platform, serveOnTestDatabase, token, type TestPlatform } from '../../helpers.ts';
import { theatreMap } from './fixtures.ts';

/**
 * Seats across processes: buyers on two separate Guichet servers (one of them with two workers) race
 * for the same few seats, by name and best available; each seat is held and sold at most once.
 */
describe('seating across server processes', () => {
  let p: TestPlatform;
  before(async () => {
    p = await platform();
  });
  after(() => p.close());

  test('two servers, three processes, 150 buyers for 16 seats: no seat sold twice, best-available pairs side by side', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Stalls', capacity: 1 }], tariffs: [{ section: 0, label: 'Stalls', price: 3000 }] });
    const admin = client(p.app, await token(p.app, p.a));
    const map = (await admin.post('/api/maps', { map: { name: 'Small', document: theatreMap({ rows: 2, seatsPerRow: 8, aisleAfter: 4 }) } })).json().map;
    assert.equal((await admin.put(`/api/events/${ev.eventId}/dates/${ev.dateIds[0]}/map`, { map: { map_id: map.id } })).statusCode, 200);
    const seats = (await admin.get(`/api/events/${ev.eventId}/dates/${ev.dateIds[0]}/seats`)).json().seats as { id: number; row: string; number: string }[];
    const servers = await Promise.all([serveOnTestDatabase(p), serveOnTestDatabase(p, 2)]);
    try {
      // The server processes run on the real clock: the token must be issued on it too.
      p.clock.set(new Date());
      const accessToken = await token(p.app, p.a, 'public buy');
      const call = bearerCaller(accessToken);
      const buy = async (i: number) => {
        const base = servers[i % 2].url;
        const named = i % 3 === 0;
        // Named buyers all want the same two pairs of the front row.
        const item = named ? { seat_ids: i % 2 === 0 ? [seats[2].id, seats[3].id] : [seats[3].id, seats[4].id] } : { quantity: 2 };
        const added = await call(base, 'POST', '/api/carts', { cart: { items: [{ tariff_id: ev.tariffIds[0], date_id: ev.dateIds[0], ...item }] } });
        if (added.status !== 201) return { named, code: added.body.error.code as string, seats: [] as number[] };
        // Checkout on the other process.
        const order = await call(servers[(i + 1) % 2].url, 'POST', `/api/carts/${added.body.cart.id}/checkout`, { checkout: { payment: { provider: 'test', card: CARD } } });
        assert.equal(order.status, 201, JSON.stringify(order.body));
        return { named, code: null, seats: order.body.order.tickets.map((t: { seat: { id: number } }) => t.seat.id) as number[] };
      };
      const results = await Promise.all(Array.from({ length: 150 }, (_, i) => buy(i)));
      assert.ok(results.every((r) => r.code === null || r.code === 'SOLD_OUT'), JSON.stringify(results.filter((r) => r.code && r.code !== 'SOLD_OUT')));
      const sold = results.flatMap((r) => r.seats);
      assert.equal(new Set(sold).size, sold.length, 'no seat sold twice');
      assert.ok(results.filter((r) => r.named && r.code === null).length <= 2, 'the contested named pairs overlap: at most one of each');
      const byId = new Map(seats.map((s) => [s.id, s]));
      for (const r of results.filter((x) => !x.named && x.seats.length === 2)) {
        const [a, b] = r.seats.map((id) => byId.get(id)!);
        assert.equal(a.row, b.row);
        assert.equal(Math.abs(Number(a.number) - Number(b.number)), 1);
      }
      const tickets = await p.database.db.selectFrom('tickets').select('seat_id').where('date_id', '=', ev.dateIds[0]).where('status', '=', 'valid').execute();
      assert.equal(tickets.length, sold.length);
      assert.equal(new Set(tickets.map((t) => t.seat_id)).size, tickets.length);
      const capacity = await p.database.db.selectFrom('section_capacities').select('taken').where('date_id', '=', ev.dateIds[0]).executeTakeFirstOrThrow();
      assert.equal(capacity.taken, sold.length);
      assert.ok(sold.length >= 12, `only ${sold.length} of 16 seats sold`);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      p.clock.set(new Date('2026-11-23T10:00:00Z'));
    }
  });
});
