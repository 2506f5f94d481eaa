import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CARD, client, ENGINE, onSaleEvent, platform, token, type TestPlatform } from '../../helpers.ts';
import { postgresRoundTrips, tracePostgresStatements } from '../../../src/db/database.ts';
import { signingKey, verifyQrPayload } from '../../../src/core/selling/tickets.ts';
import { theatreMap } from '../seating/fixtures.ts';

/**
 * The on-sale's and the door's round trips to PostgreSQL, counted at the driver (every statement the
 * pool's clients send, BEGIN and COMMIT included): each costs both processes CPU and a wake-up, and
 * their number is what limits orders/s on a small machine (README, Performance). The counts are
 * deterministic; a change that adds a statement to these paths fails here and says by how much.
 * SQLite has no round trips (the engine runs in the process): PostgreSQL only.
 */
const ORDER_BUDGET = 6;
/** An admitting scan (barcode or QR) and an exit: the ticket read, then one statement (issue 23's target: ≤ 3). */
const SCAN_BUDGET = 2;
/** A scan refused as already admitted: the same two, and where the admission that counts was made. */
const REFUSAL_BUDGET = 3;
/** An unknown code: the ticket read and the retired barcodes' (nothing is recorded). */
const UNKNOWN_BUDGET = 2;

describe('round trips to PostgreSQL on the hot paths', { skip: ENGINE !== 'postgres' && 'SQLite runs in the process: no round trip to count' }, () => {
  let p: TestPlatform;
  before(async () => {
    p = await platform();
  });
  after(() => p.close());

  /** The work's result, its round trips, and the statements sent (shown when a budget is exceeded). */
  const counted = async <T>(work: () => Promise<T>) => {
    const statements: string[] = [];
    const before = postgresRoundTrips();
    tracePostgresStatements(statements);
    try {
      const result = await work();
      return { result, trips: postgresRoundTrips() - before, statements };
    } finally {
      tracePostgresStatements(null);
    }
  };
  const shown = (statements: string[]) => statements.map((s, i) => `  ${i + 1}. ${s.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n');

  test(`a one-step order (cart with its hold, checkout paid by the in-process test card) takes at most ${ORDER_BUDGET} round trips; a scan at most ${SCAN_BUDGET}`, async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Fosse', capacity: 100 }], tariffs: [{ section: 0, label: 'Fosse', price: 4500, maxPerOrder: 4 }] });
    const shop = client(p.app, await token(p.app, p.a, 'public buy'));
    const order = async (quantity: number) => {
      const cart = await shop.post('/api/carts', { cart: { items: [{ tariff_id: ev.tariffIds[0], date_id: ev.dateIds[0], quantity }] } });
      assert.equal(cart.statusCode, 201, cart.body);
      const paid = await shop.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_email: 'buyer@example.test', payment: { provider: 'test', card: CARD } } });
      assert.equal(paid.statusCode, 201, paid.body);
      assert.equal(paid.json().order.status, 'paid');
      return paid.json().order;
    };
    // The first order fills the process's caches (the token, the signing key, the event's time zone).
    await order(1);
    const runs: { trips: number; statements: string[] }[] = [];
    let tickets: { barcode: string; qr_payload: string }[] = [];
    for (const quantity of [1, 2]) {
      const run = await counted(() => order(quantity));
      runs.push(run);
      tickets = run.result.tickets;
      assert.equal(run.result.tickets.length, quantity);
    }
    console.log(`round trips per one-step order: ${runs.map((r) => r.trips).join(', ')} (1 and 2 tickets)\n${shown(runs[1].statements)}`);
    for (const { trips, statements } of runs) assert.ok(trips <= ORDER_BUDGET, `a one-step order took ${trips} round trips (budget ${ORDER_BUDGET}):\n${shown(statements)}`);
    const taken = await p.database.db.selectFrom('section_capacities').select('taken').where('date_id', '=', ev.dateIds[0]).executeTakeFirstOrThrow();
    assert.equal(taken.taken, 4);

    // The door: the global admission token's code exchanged for a gate's key, then scans.
    const admin = client(p.app, await token(p.app, p.a));
    const global = (await admin.get(`/api/events/${ev.eventId}/admission_tokens?global=true`)).json().admission_tokens[0];
    const code = (await admin.post(`/api/events/${ev.eventId}/admission_tokens/${global.id}/code`, {})).json().admission_token.code;
    const session = await p.app.inject({ method: 'POST', url: '/api/door/sessions', payload: { session: { code, device: 'gate 1' } } });
    assert.equal(session.statusCode, 201, session.body);
    const gate = client(p.app, session.json().session.key);
    const scan = (body: Record<string, unknown>) => gate.post('/api/scans', { scan: body }).then((r) => (assert.equal(r.statusCode, 200, r.body), r.json().scan));
    // A first scan warms the gate's caches.
    await scan({ code: 'NOT-A-TICKET', nonce: 'warm' });
    const first = await counted(() => scan({ code: tickets[0].barcode, nonce: 'a' }));
    const qr = await counted(() => scan({ code: tickets[1].qr_payload, nonce: 'b' }));
    const again = await counted(() => scan({ code: tickets[0].barcode, nonce: 'c' }));
    const out = await counted(() => scan({ code: tickets[1].barcode, direction: 'out', nonce: 'd' }));
    const unknown = await counted(() => scan({ code: 'NOT-A-TICKET-EITHER', nonce: 'e' }));
    assert.equal(first.result.admitted, true);
    assert.equal(qr.result.admitted, true);
    assert.equal(again.result.admitted, false);
    assert.equal(again.result.reason, 'already_admitted');
    assert.equal(again.result.admission.scan_id, first.result.scan_id);
    assert.equal(out.result.admitted, true);
    assert.equal(unknown.result.reason, 'unknown');
    console.log(
      `round trips per scan: ${first.trips} (barcode), ${qr.trips} (QR), ${again.trips} (already admitted), ${out.trips} (exit), ${unknown.trips} (unknown)\n${shown(first.statements)}\n${shown(again.statements)}`,
    );
    for (const { trips, statements } of [first, qr, out]) assert.ok(trips <= SCAN_BUDGET, `an admitting scan took ${trips} round trips (budget ${SCAN_BUDGET}):\n${shown(statements)}`);
    assert.ok(again.trips <= REFUSAL_BUDGET, `a refused scan took ${again.trips} round trips (budget ${REFUSAL_BUDGET}):\n${shown(again.statements)}`);
    assert.ok(unknown.trips <= UNKNOWN_BUDGET, `an unknown code took ${unknown.trips} round trips (budget ${UNKNOWN_BUDGET}):\n${shown(unknown.statements)}`);
    const recorded = await p.database.db.selectFrom('scans').select(['nonce_key', 'result', 'reason']).where('event_id', '=', ev.eventId).orderBy('id').execute();
    assert.deepEqual(
      recorded.map((r) => [r.nonce_key?.replace(/^.*:/, ''), r.result, r.reason]),
      [['a', 'admitted', null], ['b', 'admitted', null], ['c', 'rejected', 'already_admitted'], ['d', 'admitted', null]],
    );
  });
  test('a checkout off the one-statement path (seats; an order awaiting payment) writes each ticket once, seat and signature included, in its own transaction', async () => {
    const admin = client(p.app, await token(p.app, p.a));
    const shop = client(p.app, await token(p.app, p.a, 'public buy'));
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Stalls', capacity: 1 }, { name: 'Fosse', capacity: 10 }], tariffs: [{ section: 0, label: 'Stalls', price: 3000 }, { section: 1, label: 'Fosse', price: 2000 }] });
    const map = (await admin.post('/api/maps', { map: { name: 'Theatre', document: theatreMap() } })).json().map;
    assert.equal((await admin.put(`/api/events/${ev.eventId}/dates/${ev.dateIds[0]}/map`, { map: { map_id: map.id } })).statusCode, 200);
    const checkout = async (item: Record<string, unknown>, payment: boolean) => {
      const cart = await shop.post('/api/carts', { cart: { items: [{ date_id: ev.dateIds[0], ...item }] } });
      assert.equal(cart.statusCode, 201, cart.body);
      return counted(async () => {
        const order = await shop.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_email: 'buyer@example.test', ...(payment ? { payment: { provider: 'test', card: CARD } } : {}) } });
        assert.equal(order.statusCode, 201, order.body);
        return order.json().order;
      });
    };
    const seated = await checkout({ tariff_id: ev.tariffIds[0], quantity: 2 }, true);
    const pending = await checkout({ tariff_id: ev.tariffIds[1], quantity: 2 }, false);
    assert.equal(seated.result.status, 'paid');
    assert.equal(pending.result.status, 'pending');
    for (const run of [seated, pending]) {
      const written = run.statements.filter((q) => /^\s*(insert into|update) "tickets"/i.test(q));
      assert.equal(written.length, 1, `the tickets are written by one statement, not inserted then updated with their seats or signatures:\n${shown(run.statements)}`);
      assert.equal(run.statements.filter((q) => /^\s*begin/i.test(q)).length, 1, `one transaction:\n${shown(run.statements)}`);
    }
    // The tickets as stored carry their seat and a signature over it (the seated payload names the seat).
    const key = await signingKey(p.database.db, p.a.organizationId, new Date().toISOString());
    const stored = await p.database.db.selectFrom('tickets').selectAll().where('order_id', 'in', [seated.result.id, pending.result.id]).orderBy('id').execute();
    assert.equal(stored.length, 4);
    assert.ok(stored.every((t) => t.qr_signature !== null), 'every ticket is stored signed');
    const seatedTickets = stored.filter((t) => t.order_id === seated.result.id);
    assert.ok(seatedTickets.every((t) => t.seat_id !== null && t.seat !== null));
    for (const ticket of seated.result.tickets as { qr_payload: string; seat: { id: number } }[]) {
      const verified = verifyQrPayload(key.publicKeyPem, ticket.qr_payload);
      assert.equal(verified?.seatId, ticket.seat.id, 'the signed payload names the seat');
    }
  });
});
