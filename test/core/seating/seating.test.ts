import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buyer, CARD, client, onSaleEvent, platform, token, type TestPlatform } from '../../helpers.ts';
import { verifyQrPayload } from '../../../src/core/selling/tickets.ts';
import { theatreMap } from './fixtures.ts';

type Api = ReturnType<typeof client>;
interface SeatView { id: number; row: string; number: string; state: string; status?: string; section_id: number; flags: string[] }

/**
 * Reserved seating through the native API: maps (validated, versioned), a date laid out from a map,
 * seats held by name or best available, never twice, freed by expiry, removal, cancellation, refund.
 */
describe('seating: maps, seats, seat holds', () => {
  let p: TestPlatform;
  let admin: Api;
  let shop: Api;
  before(async () => {
    // Availability is cached per process for SEATS_CACHE_MS of the core clock, which tests hold still.
    p = await platform({ seatsCacheMs: 0 });
    admin = client(p.app, await token(p.app, p.a));
    shop = client(p.app, await token(p.app, p.a, 'public buy'));
  });
  after(() => p.close());

  async function seatedEvent(map = theatreMap(), sections = [{ name: 'Stalls', capacity: 1 }]) {
    const ev = await onSaleEvent(p.app, p.a, { sections, tariffs: sections.map((_, i) => ({ section: i, label: `T${i}`, price: 3000 })) });
    const created = await admin.post('/api/maps', { map: { name: 'Theatre', document: map } });
    assert.equal(created.statusCode, 201, created.body);
    const laid = await admin.put(`/api/events/${ev.eventId}/dates/${ev.dateIds[0]}/map`, { map: { map_id: created.json().map.id } });
    assert.equal(laid.statusCode, 200, laid.body);
    const seats = async (api: Api = shop) => (await api.get(`/api/events/${ev.eventId}/dates/${ev.dateIds[0]}/seats`)).json().seats as SeatView[];
    const byLabel = async (label: string) => (await seats()).find((s) => `${s.row}${s.number}` === label)!;
    const hold = async (item: Record<string, unknown>, api: Api = shop) => {
      const cart = (await api.post('/api/carts', {})).json().cart;
      const added = await api.post(`/api/carts/${cart.id}/items`, { item: { tariff_id: ev.tariffIds[0], date_id: ev.dateIds[0], ...item } });
      return { cartId: cart.id as number, response: added };
    };
    return { ...ev, mapId: created.json().map.id as number, seats, byLabel, hold };
  }

  const capacityRow = (dateId: number) =>
    p.database.db.selectFrom('section_capacities').select(['capacity', 'taken', 'kills', 'organizer_holds', 'seats']).where('date_id', '=', dateId).executeTakeFirstOrThrow();

  test('a map document is validated, every problem listed with its path', async () => {
    const bad = theatreMap();
    const seats = (bad.areas[0] as { rows: { seats: Record<string, unknown>[] }[] }).rows[1].seats;
    seats[3].number = '3';
    seats[4].category = 'nowhere';
    delete seats[5].x;
    const refused = await admin.post('/api/maps', { map: { name: 'Bad', document: bad } });
    assert.equal(refused.statusCode, 422, refused.body);
    const fields = refused.json().error.details.map((d: { field: string }) => d.field);
    assert.ok(fields.includes('map.document.areas[0].rows[1].seats[5].x'), fields.join());
    const semantic = theatreMap();
    (semantic.areas[0] as { rows: { seats: Record<string, unknown>[] }[] }).rows[1].seats[3].number = '3';
    (semantic.areas[0] as { rows: { seats: Record<string, unknown>[] }[] }).rows[1].seats[4].category = 'nowhere';
    const details = (await admin.post('/api/maps', { map: { name: 'Bad', document: semantic } })).json().error.details;
    assert.deepEqual(details.map((d: { field: string }) => d.field), ['map.document.areas[0].rows[1].seats[3].number', 'map.document.areas[0].rows[1].seats[4].category']);
    assert.match(details[0].message, /duplicate seat "3" in row "B"/);
    const wrongKind = await admin.post('/api/maps', { map: { name: 'Bad', document: { ...theatreMap(), areas: [{ key: 'x', name: 'X', kind: 'balcony' }] } } });
    assert.equal(wrongKind.json().error.details[0].field, 'map.document.areas[0].kind');
    assert.equal((await admin.post('/api/maps', { map: { name: 'Bad', document: 'not a map' } })).statusCode, 422);
    assert.equal((await admin.post('/api/maps', { map: { name: 'Bad', document: theatreMap(), extra: 1 } })).statusCode, 422);
    assert.equal((await shop.post('/api/maps', { map: { name: 'No', document: theatreMap() } })).statusCode, 403, 'buyers cannot upload maps');
    const schema = await admin.get('/api/maps/schema');
    assert.equal(schema.statusCode, 200);
    assert.ok(schema.json().properties.areas);
  });

  test('maps are versioned; a date keeps the version it was laid out from; another organization sees nothing', async () => {
    const ev = await seatedEvent();
    const v2 = await admin.patch(`/api/maps/${ev.mapId}`, { map: { document: theatreMap({ rows: 2 }) } });
    assert.equal(v2.statusCode, 200, v2.body);
    assert.equal(v2.json().map.version, 2);
    assert.equal(v2.json().map.seat_count, 20);
    assert.equal((await admin.get(`/api/maps/${ev.mapId}?version=1`)).json().map.seat_count, 50);
    assert.equal((await ev.seats()).length, 50, 'the date still has version 1');
    const dateMap = (await shop.get(`/api/events/${ev.eventId}/dates/${ev.dateIds[0]}/map`)).json().date_map;
    assert.equal(dateMap.map_version, 1);
    assert.equal(dateMap.category_sections.stalls, ev.sectionIds[0]);
    assert.deepEqual(await capacityRow(ev.dateIds[0]), { capacity: 50, taken: 0, kills: 0, organizer_holds: 0, seats: 50 });
    assert.equal((await admin.delete(`/api/maps/${ev.mapId}`)).statusCode, 409, 'a map in use cannot be deleted');
    const other = client(p.app, await token(p.app, p.b));
    assert.equal((await other.get(`/api/maps/${ev.mapId}`)).statusCode, 404);
    assert.equal((await other.put(`/api/events/${ev.eventId}/dates/${ev.dateIds[0]}/map`, { map: { map_id: ev.mapId } })).statusCode, 404);
  });

  test('picking seats by name: one buyer holds and buys them, nobody else can; tickets carry and sign their seat', async () => {
    const ev = await seatedEvent();
    const [a3, a4] = [await ev.byLabel('A3'), await ev.byLabel('A4')];
    const first = await ev.hold({ seat_ids: [a3.id, a4.id] });
    assert.equal(first.response.statusCode, 201, first.response.body);
    assert.deepEqual(first.response.json().cart.items[0].seats.map((s: { row: string; number: string }) => `${s.row}${s.number}`), ['A3', 'A4']);
    const second = await ev.hold({ seat_ids: [a4.id] });
    assert.equal(second.response.statusCode, 409);
    assert.equal(second.response.json().error.code, 'SOLD_OUT');
    assert.deepEqual(second.response.json().error.details.seat_ids, [a4.id]);
    assert.equal((await ev.byLabel('A4')).state, 'taken');
    const order = await shop.post(`/api/carts/${first.cartId}/checkout`, { checkout: { buyer_email: 'x@buyers.test', payment: { provider: 'test', card: CARD } } });
    assert.equal(order.statusCode, 201, order.body);
    const tickets = order.json().order.tickets;
    assert.deepEqual(tickets.map((t: { seat: { label: string } }) => t.seat.label), ['Stalls, row A, seat 3', 'Stalls, row A, seat 4']);
    const key = (await admin.get('/api/organization/public_key')).json().public_key.public_key_pem;
    const signed = verifyQrPayload(key, tickets[0].qr_payload);
    assert.equal(signed?.seatId, a3.id, 'the QR payload signs the seat');
    assert.match(tickets[0].qr_payload, /^G2\./);
    assert.equal((await admin.get(`/api/tickets/${tickets[1].id}`)).json().ticket.seat.id, a4.id);
    const view = (await ev.seats(admin)).find((s) => s.id === a3.id)!;
    assert.equal(view.status, 'sold');
    assert.equal((await ev.seats()).find((s) => s.id === a3.id)!.status, undefined, 'buyers do not see why');
    // The door admits it by its signed payload.
    assert.deepEqual(await capacityRow(ev.dateIds[0]), { capacity: 50, taken: 2, kills: 0, organizer_holds: 0, seats: 50 });
    assert.equal((await admin.put(`/api/events/${ev.eventId}/dates/${ev.dateIds[0]}/map`, { map: { map_id: ev.mapId } })).statusCode, 409, 'a sold date keeps its map');
    // Seats of another section or date are refused.
    assert.equal((await ev.hold({ seat_ids: [999999] })).response.statusCode, 422);
    assert.equal((await ev.hold({ seat_ids: [a3.id], quantity: 2 })).response.statusCode, 422);
    // Polls carry an ETag: 304 while nothing changed, the new states once a seat is taken.
    const url = `/api/events/${ev.eventId}/dates/${ev.dateIds[0]}/seats`;
    const etag = (await shop.get(url)).headers.etag as string;
    assert.ok(etag);
    assert.equal((await shop.get(url, { 'if-none-match': etag })).statusCode, 304);
    assert.equal((await ev.hold({ seat_ids: [(await ev.byLabel('A5')).id] })).response.statusCode, 201);
    const changed = await shop.get(url, { 'if-none-match': etag });
    assert.equal(changed.statusCode, 200);
    assert.equal((changed.json().seats as SeatView[]).find((s) => `${s.row}${s.number}` === 'A5')!.state, 'taken');
  });

  test('best available: n seats side by side in one row, best ranks first, aisles respected', async () => {
    const ev = await seatedEvent(theatreMap({ rows: 3, seatsPerRow: 8, aisleAfter: 4 }));
    const three = await ev.hold({ quantity: 3 });
    assert.equal(three.response.statusCode, 201, three.response.body);
    const seats = three.response.json().cart.items[0].seats as { row: string; number: string }[];
    assert.deepEqual(seats.map((s) => `${s.row}${s.number}`), ['A2', 'A3', 'A4'], 'front row, next to the aisle, one side of it');
    const four = (await ev.hold({ quantity: 4 })).response.json().cart.items[0].seats as { row: string; number: string }[];
    assert.deepEqual(four.map((s) => `${s.row}${s.number}`), ['A5', 'A6', 'A7', 'A8']);
    const five = await ev.hold({ quantity: 5 });
    assert.equal(five.response.statusCode, 409, 'no five seats side by side: blocks of four between aisles');
    assert.match(five.response.json().error.message, /side by side/);
    const scattered = await ev.hold({ quantity: 5, adjacent: false });
    assert.equal(scattered.response.statusCode, 201, scattered.response.body);
    assert.equal((await shop.post('/api/carts', { cart: { items: [{ tariff_id: ev.tariffIds[0], date_id: ev.dateIds[0], quantity: 2 }] } })).statusCode, 201, 'a cart created with its items');
  });

  test('an expired seat hold is taken over without a sweeper; its buyer cannot check out; removing and cancelling free seats', async () => {
    const ev = await seatedEvent();
    const seat = await ev.byLabel('C5');
    const late = await ev.hold({ seat_ids: [seat.id] });
    assert.equal(late.response.statusCode, 201);
    p.clock.advance((p.config.holdTtlSeconds + 1) * 1000);
    try {
      const other = client(p.app, await token(p.app, p.a, 'public buy'));
      const next = await ev.hold({ seat_ids: [seat.id] }, other);
      assert.equal(next.response.statusCode, 201, next.response.body);
      const refused = await shop.post(`/api/carts/${late.cartId}/checkout`, { checkout: { payment: { provider: 'test', card: CARD } } });
      assert.equal(refused.json().error.code, 'HOLD_EXPIRED');
      // Removing the item frees its seat at once.
      const itemId = next.response.json().cart.items[0].id;
      assert.equal((await other.delete(`/api/carts/${next.cartId}/items/${itemId}`)).statusCode, 200);
      assert.equal((await ev.byLabel('C5')).state, 'free');
      // A pending order cancelled frees its seats.
      const again = await ev.hold({ seat_ids: [seat.id] }, other);
      const order = (await other.post(`/api/carts/${again.cartId}/checkout`, { checkout: {} })).json().order;
      assert.equal(order.status, 'pending');
      assert.equal(order.tickets[0].seat.id, seat.id);
      assert.equal((await ev.byLabel('C5')).state, 'taken');
      assert.equal((await other.post(`/api/orders/${order.id}/cancellation`, {})).statusCode, 200);
      assert.equal((await ev.byLabel('C5')).state, 'free');
      assert.equal((await capacityRow(ev.dateIds[0])).taken, 1, 'only the first, lapsed hold is still counted until released');
    } finally {
      p.clock.set(new Date('2026-11-23T10:00:00Z'));
    }
  });

  test('a pending order paid later sells its seats; a refund puts them back on sale', async () => {
    const ev = await seatedEvent();
    const held = await ev.hold({ quantity: 2 });
    const order = (await shop.post(`/api/carts/${held.cartId}/checkout`, { checkout: {} })).json().order;
    const paid = await shop.post(`/api/orders/${order.id}/payments`, { payment: { provider: 'test', card: CARD } });
    assert.equal(paid.statusCode, 201, paid.body);
    const seatIds = paid.json().order.tickets.map((t: { seat: { id: number } }) => t.seat.id);
    assert.deepEqual((await ev.seats(admin)).filter((s) => seatIds.includes(s.id)).map((s) => s.status), ['sold', 'sold']);
    const refunded = await admin.post(`/api/orders/${order.id}/refunds`, { refund: { ticket_ids: [paid.json().order.tickets[0].id] } });
    assert.equal(refunded.statusCode, 201, refunded.body);
    const states = (await ev.seats(admin)).filter((s) => seatIds.includes(s.id)).map((s) => s.status);
    assert.deepEqual(states, ['free', 'sold']);
    assert.equal((await capacityRow(ev.dateIds[0])).taken, 1);
    assert.equal((await ev.hold({ seat_ids: [seatIds[0]] })).response.statusCode, 201, 'the refunded seat sells again');
  });

  test('a transfer keeps the seat (signed afresh); the door admits a seated ticket by its G2 payload, once', async () => {
    const ev = await seatedEvent();
    const alice = await buyer(p.app, p.a, 'seat-alice');
    const bob = await buyer(p.app, p.a, 'seat-bob');
    const seat = await ev.byLabel('B7');
    const { cartId, response } = await ev.hold({ seat_ids: [seat.id] }, alice);
    assert.equal(response.statusCode, 201, response.body);
    const ticket = (await alice.post(`/api/carts/${cartId}/checkout`, { checkout: { payment: { provider: 'test', card: CARD } } })).json().order.tickets[0];
    const transfer = (await alice.post('/api/transfers', { transfer: { ticket_ids: [ticket.id], recipient_email: 'seat-bob@buyers.test' } })).json().transfer;
    const claimed = await bob.post(`/api/transfers/${transfer.id}/claim`, {});
    assert.equal(claimed.statusCode, 200, claimed.body);
    const moved = claimed.json().transfer.tickets?.[0] ?? (await bob.get(`/api/tickets/${ticket.id}`)).json().ticket;
    assert.equal(moved.seat.id, seat.id);
    assert.notEqual(moved.qr_payload, ticket.qr_payload);
    const key = (await admin.get('/api/organization/public_key')).json().public_key.public_key_pem;
    assert.equal(verifyQrPayload(key, moved.qr_payload)?.seatId, seat.id);
    assert.equal((await ev.seats(admin)).find((s) => s.id === seat.id)!.status, 'sold', 'the seat stays sold');
    // The door: the global admission token's code, exchanged for a door credential.
    const global = (await admin.get(`/api/events/${ev.eventId}/admission_tokens?global=true`)).json().admission_tokens[0];
    const code = (await admin.post(`/api/events/${ev.eventId}/admission_tokens/${global.id}/code`, {})).json().admission_token.code;
    const door = client(p.app, (await p.app.inject({ method: 'POST', url: '/api/door/sessions', payload: { session: { code, device: 'gate' } } })).json().session.key);
    const first = (await door.post('/api/scans', { scan: { code: moved.qr_payload } })).json().scan;
    assert.equal(first.admitted, true, JSON.stringify(first));
    const again = (await door.post('/api/scans', { scan: { code: moved.qr_payload } })).json().scan;
    assert.equal(again.admitted, false);
    const old = (await door.post('/api/scans', { scan: { code: ticket.qr_payload } })).json().scan;
    assert.equal(old.admitted, false, 'the sender\'s payload no longer admits');
  });

  test('availability is every seat as laid out with its state, written the same way after a change of states and after the date is laid out again', async () => {
    const ev = await seatedEvent(theatreMap({ rows: 2, seatsPerRow: 4, aisleAfter: 2 }));
    const url = `/api/events/${ev.eventId}/dates/${ev.dateIds[0]}/seats`;
    const expected = async (seller: boolean) => {
      const rows = await p.database.db.selectFrom('event_seats').selectAll().where('date_id', '=', ev.dateIds[0]).orderBy('id').execute();
      const held = new Set((await p.database.db.selectFrom('event_seats').select('id').where('date_id', '=', ev.dateIds[0]).where('cart_item_id', 'is not', null).execute()).map((r) => r.id));
      return rows.map((r) => ({
        id: r.id, section_id: r.section_id, area: r.area, row: r.row_label, number: r.number, label: `${r.area}, row ${r.row_label}, seat ${r.number}`,
        category: r.category, x: r.x, y: r.y, rank: r.rank, flags: r.flags ? r.flags.split(',') : [], state: held.has(r.id) ? 'taken' : 'free',
        ...(seller ? { status: held.has(r.id) ? 'held' : 'free' } : {}),
      }));
    };
    const read = async (api: Api) => {
      const response = await api.get(url);
      assert.equal(response.statusCode, 200);
      return response.json().seats;
    };
    assert.deepEqual(await read(shop), await expected(false));
    assert.equal((await ev.hold({ seat_ids: [(await ev.byLabel('B2')).id] })).response.statusCode, 201);
    for (const [api, seller] of [[shop, false], [admin, true]] as const) {
      const seats = await read(api);
      assert.deepEqual(seats, await expected(seller));
      assert.deepEqual(Object.keys(seats[0]), ['id', 'section_id', 'area', 'row', 'number', 'label', 'category', 'x', 'y', 'rank', 'flags', 'state', ...(seller ? ['status'] : [])]);
    }
    // Laid out again (nothing sold yet: the hold is given back first) from a bigger version: new seats, new ids.
    await p.database.db.updateTable('event_seats').set({ cart_item_id: null, held_until: null }).where('date_id', '=', ev.dateIds[0]).execute();
    await p.database.db.updateTable('section_capacities').set({ taken: 0 }).where('date_id', '=', ev.dateIds[0]).execute();
    await p.database.db.deleteFrom('cart_items').where('date_id', '=', ev.dateIds[0]).execute();
    assert.equal((await admin.patch(`/api/maps/${ev.mapId}`, { map: { document: theatreMap({ rows: 3, seatsPerRow: 4, aisleAfter: 2 }) } })).statusCode, 200);
    const relaid = await admin.put(url.replace(/seats$/, 'map'), { map: { map_id: ev.mapId } });
    assert.equal(relaid.statusCode, 200, relaid.body);
    const after = await read(shop);
    assert.equal(after.length, 12);
    assert.deepEqual(after, await expected(false));
  });

  test('kills and organizer holds: not for sale, counted on the inventory row, never over a held seat', async () => {
    const ev = await seatedEvent(theatreMap({ rows: 1, seatsPerRow: 4, aisleAfter: 4 }));
    const all = await ev.seats();
    const killed = await admin.patch(`/api/events/${ev.eventId}/dates/${ev.dateIds[0]}/seats`, { seats: { seat_ids: [all[0].id], blocked: 'kill' } });
    assert.equal(killed.statusCode, 200, killed.body);
    await admin.patch(`/api/events/${ev.eventId}/dates/${ev.dateIds[0]}/seats`, { seats: { seat_ids: [all[1].id], blocked: 'hold' } });
    assert.deepEqual((await ev.seats()).map((s) => s.state), ['unavailable', 'unavailable', 'free', 'free']);
    assert.deepEqual((await ev.seats(admin)).map((s) => s.status), ['killed', 'organizer_hold', 'free', 'free']);
    assert.deepEqual(await capacityRow(ev.dateIds[0]), { capacity: 4, taken: 0, kills: 1, organizer_holds: 1, seats: 4 });
    assert.equal((await ev.hold({ seat_ids: [all[0].id] })).response.statusCode, 409);
    const held = await ev.hold({ seat_ids: [all[2].id] });
    assert.equal(held.response.statusCode, 201);
    const conflict = await admin.patch(`/api/events/${ev.eventId}/dates/${ev.dateIds[0]}/seats`, { seats: { seat_ids: [all[2].id, all[3].id], blocked: 'kill' } });
    assert.equal(conflict.statusCode, 409);
    assert.deepEqual(conflict.json().error.details.seat_ids, [all[2].id]);
    assert.equal((await ev.byLabel('A4')).state, 'free', 'nothing was written');
    assert.equal((await ev.hold({ quantity: 2 })).response.statusCode, 409, 'one seat left');
    const vip = await admin.post('/api/guests', { guest: { event_id: ev.eventId, date_id: ev.dateIds[0], section_id: ev.sectionIds[0], name: 'VIP', quantity: 1 } });
    assert.equal(vip.statusCode, 201, vip.body);
    assert.equal(vip.json().guest.tickets[0].seat.id, all[3].id, 'a comp takes the seat left, never a killed or held one');
    await admin.patch(`/api/events/${ev.eventId}/dates/${ev.dateIds[0]}/seats`, { seats: { seat_ids: [all[0].id, all[1].id], blocked: null } });
    assert.deepEqual(await capacityRow(ev.dateIds[0]), { capacity: 4, taken: 2, kills: 0, organizer_holds: 0, seats: 4 });
    assert.equal((await shop.patch(`/api/events/${ev.eventId}/dates/${ev.dateIds[0]}/seats`, { seats: { seat_ids: [all[0].id], blocked: 'kill' } })).statusCode, 403);
  });

  test('a standing area sizes its own section; general admission next to seats is unchanged', async () => {
    const ev = await seatedEvent(theatreMap({ rows: 1, seatsPerRow: 4, standing: 120 }), [{ name: 'Stalls', capacity: 1 }, { name: 'Pit', capacity: 1 }]);
    const rows = await p.database.db.selectFrom('section_capacities').select(['section_id', 'capacity', 'seats']).where('date_id', '=', ev.dateIds[0]).orderBy('section_id').execute();
    assert.deepEqual(rows.map((r) => [r.capacity, r.seats]), [[4, 4], [120, 0]]);
    const cart = (await shop.post('/api/carts', {})).json().cart;
    const pit = await shop.post(`/api/carts/${cart.id}/items`, { item: { tariff_id: ev.tariffIds[1], date_id: ev.dateIds[0], quantity: 3 } });
    assert.equal(pit.statusCode, 201);
    assert.equal(pit.json().cart.items[0].seats, null);
    assert.equal((await shop.post(`/api/carts/${cart.id}/items`, { item: { tariff_id: ev.tariffIds[1], date_id: ev.dateIds[0], seat_ids: [1] } })).statusCode, 422, 'no seats to pick in a standing section');
    const order = (await shop.post(`/api/carts/${cart.id}/checkout`, { checkout: { payment: { provider: 'test', card: CARD } } })).json().order;
    assert.equal(order.status, 'paid');
    assert.deepEqual(order.tickets.map((t: { seat: unknown }) => t.seat), [null, null, null]);
    assert.match(order.tickets[0].qr_payload, /^G1\./);
  });

  test('comps on a seated section take seats (named or best available), never none; refused with reasons; cancelling frees them', async () => {
    const ev = await seatedEvent(theatreMap({ rows: 2, seatsPerRow: 6, aisleAfter: 3 }), [{ name: 'Stalls', capacity: 1 }, { name: 'Pit', capacity: 10 }]);
    const comp = (extra: Record<string, unknown>) => admin.post('/api/guests', { guest: { event_id: ev.eventId, date_id: ev.dateIds[0], section_id: ev.sectionIds[0], name: 'Press', ...extra } });
    const guestCount = async () => (await p.database.db.selectFrom('guests').select((eb) => eb.fn.countAll<number>().as('n')).where('event_id', '=', ev.eventId).executeTakeFirstOrThrow()).n;
    const seatsOf = (guest: { tickets: { seat: { row: string; number: string } | null }[] }) => guest.tickets.map((t) => (t.seat ? `${t.seat.row}${t.seat.number}` : null));
    const [b1, b2] = [await ev.byLabel('B1'), await ev.byLabel('B2')];

    const named = await comp({ quantity: 2, seat_ids: [b1.id, b2.id] });
    assert.equal(named.statusCode, 201, named.body);
    assert.deepEqual(seatsOf(named.json().guest), ['B1', 'B2']);
    assert.equal((await ev.seats(admin)).find((s) => s.id === b1.id)!.status, 'sold');
    const key = (await admin.get('/api/organization/public_key')).json().public_key.public_key_pem;
    assert.equal(verifyQrPayload(key, named.json().guest.tickets[0].qr_payload)?.seatId, b1.id, 'the comp ticket signs its seat');

    const best = await comp({ quantity: 3 });
    assert.equal(best.statusCode, 201, best.body);
    assert.deepEqual(seatsOf(best.json().guest), ['A1', 'A2', 'A3'], 'best available, side by side');
    // Nobody else can have a comp's seat: neither a buyer nor another guest.
    const held = await ev.hold({ seat_ids: [b2.id] });
    assert.equal(held.response.statusCode, 409);
    assert.deepEqual(held.response.json().error.details.seat_ids, [b2.id]);
    const before = await guestCount();
    const twice = await comp({ quantity: 1, seat_ids: [b2.id] });
    assert.equal(twice.statusCode, 409, twice.body);
    assert.equal(twice.json().error.code, 'SOLD_OUT');
    assert.deepEqual(twice.json().error.details.seat_ids, [b2.id]);
    // Refusals say why (422) and leave nothing behind.
    for (const [extra, field, why] of [
      [{ quantity: 2, seat_ids: [b2.id] }, 'guest.seat_ids', /names 1 seats for a quantity of 2/],
      [{ quantity: 1, seat_ids: [999999] }, 'guest.seat_ids', /not seats of this/],
      [{ quantity: 1, seat_ids: [b1.id], section_id: ev.sectionIds[1] }, 'guest.seat_ids', /no numbered seats/],
    ] as const) {
      const refused = await comp(extra);
      assert.equal(refused.statusCode, 422, refused.body);
      assert.equal(refused.json().error.code, 'VALIDATION_FAILED');
      assert.match(refused.json().error.message, why);
      assert.ok(refused.json().error.details.some((d: { field: string }) => d.field.endsWith('seat_ids')), `${field}: ${refused.body}`);
    }
    assert.equal(await guestCount(), before, 'a refused comp leaves no guest behind');
    assert.equal((await comp({ quantity: 7, section_id: ev.sectionIds[0] })).json().error.code, 'SOLD_OUT', 'more comps than seats left');
    assert.equal((await capacityRow(ev.dateIds[0])).taken, 5);

    // Cancelling the guest frees their seats.
    assert.equal((await admin.delete(`/api/guests/${named.json().guest.id}`)).statusCode, 204);
    assert.equal((await ev.byLabel('B1')).state, 'free');
    assert.equal((await ev.byLabel('B2')).state, 'free');
    const again = await ev.hold({ seat_ids: [b1.id, b2.id] });
    assert.equal(again.response.statusCode, 201, again.response.body);
  });

  test('hundreds of buyers race for a few seats, by name and best available: each seat held and sold once, pairs side by side', async () => {
    const ev = await seatedEvent(theatreMap({ rows: 2, seatsPerRow: 10, aisleAfter: 4 }));
    const all = await ev.seats();
    const wanted = all.filter((s) => s.row === 'A').map((s) => s.id);
    const results = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const item = i % 2 === 0 ? { seat_ids: [wanted[i % wanted.length], wanted[(i + 1) % wanted.length]].filter((v, k, a) => a.indexOf(v) === k) } : { quantity: 2 };
        const { cartId, response } = await ev.hold(item);
        const bestAvailable = 'quantity' in item;
        if (response.statusCode !== 201) return { bestAvailable, code: response.json().error.code as string, seats: [] as number[] };
        const order = await shop.post(`/api/carts/${cartId}/checkout`, { checkout: { payment: { provider: 'test', card: CARD } } });
        assert.equal(order.statusCode, 201, order.body);
        return { bestAvailable, code: null, seats: order.json().order.tickets.map((t: { seat: { id: number } }) => t.seat.id) as number[] };
      }),
    );
    assert.ok(results.every((r) => r.code === null || r.code === 'SOLD_OUT'), JSON.stringify(results.filter((r) => r.code && r.code !== 'SOLD_OUT')));
    const sold = results.flatMap((r) => r.seats);
    assert.equal(new Set(sold).size, sold.length, 'no seat sold twice');
    const tickets = await p.database.db.selectFrom('tickets').select(['seat_id']).where('date_id', '=', ev.dateIds[0]).where('status', '=', 'valid').execute();
    assert.equal(tickets.length, sold.length);
    assert.equal(new Set(tickets.map((t) => t.seat_id)).size, tickets.length);
    // Pairs side by side in blocks of 4 and 6 seats: at worst a lone seat is left in each block.
    assert.ok(sold.length >= 16, `${sold.length} seats sold of 20`);
    const byId = new Map(all.map((s) => [s.id, s]));
    for (const r of results.filter((x) => x.bestAvailable && x.seats.length === 2)) {
      const [a, b] = r.seats.map((id) => byId.get(id)!);
      assert.equal(a.row, b.row);
      assert.equal(Math.abs(Number(a.number) - Number(b.number)), 1, `${a.row}${a.number} and ${b.row}${b.number} side by side`);
      assert.equal(Number(a.number) <= 4, Number(b.number) <= 4, 'not across the aisle');
    }
    assert.deepEqual(await capacityRow(ev.dateIds[0]), { capacity: 20, taken: sold.length, kills: 0, organizer_holds: 0, seats: 20 });
  });
});
