import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { client, platform, token, type TestPlatform } from './helpers.ts';
import { signingKey, verifyQrPayload } from '../src/core/selling/tickets.ts';

type Api = ReturnType<typeof client>;
interface Ticket { id: number; kind: string; status: string; guest_id: number; tariff_id: number | null; order_id: number | null; barcode: string; version: number; holder_name: string; holder_email: string; qr_payload: string; section_id: number; date_id: number }

describe('guest lists (comps)', () => {
  let p: TestPlatform;
  let admin: Api;
  let adminB: Api;

  before(async () => {
    p = await platform();
    admin = client(p.app, await token(p.app, p.a));
    adminB = client(p.app, await token(p.app, p.b));
  });
  after(() => p.close());

  /** An event of the caller's organization with two sections (Floor of `floor` places, Balcony of 10) and two dates. */
  async function newEvent(api: Api = admin, floor = 5) {
    const response = await api.post('/api/events', {
      event: {
        title: 'Soirée des invités',
        sections: [{ name: 'Floor', capacity: floor }, { name: 'Balcony', capacity: 10 }],
        dates: [{ starts_at: '2027-03-01T20:00:00+01:00' }, { starts_at: '2027-03-02T20:00:00+01:00' }],
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    const event = response.json().event;
    return { id: event.id as number, floor: event.sections[0].id as number, balcony: event.sections[1].id as number, date: event.dates[0].id as number, date2: event.dates[1].id as number };
  }

  /** What the inventory counts as taken on one (date, section). */
  async function taken(dateId: number, sectionId: number) {
    const row = await p.database.db.selectFrom('section_capacities').select('taken').where('date_id', '=', dateId).where('section_id', '=', sectionId).executeTakeFirstOrThrow();
    return row.taken;
  }

  /** Rows written for guests and tickets, everywhere: a refused request must leave both unchanged. */
  async function written() {
    const guests = await p.database.db.selectFrom('guests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const tickets = await p.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { guests: Number(guests.n), tickets: Number(tickets.n) };
  }

  const guest = (e: { id: number; date: number; floor: number }, quantity: number, extra: Record<string, unknown> = {}) =>
    admin.post('/api/guests', { guest: { event_id: e.id, date_id: e.date, section_id: e.floor, name: 'Camille Martin', quantity, ...extra } });

  test('comps take places like sales: a full section refuses with SOLD_OUT and writes nothing; cancelling gives the places back', async () => {
    const e = await newEvent();
    const first = await guest(e, 3, { email: 'Camille@Example.TEST', note: 'Press' });
    assert.equal(first.statusCode, 201, first.body);
    const g = first.json().guest;
    assert.equal(g.status, 'issued');
    assert.equal(g.quantity, 3);
    assert.equal(g.email, 'camille@example.test');
    assert.equal(g.note, 'Press');
    assert.equal(g.issued_by, p.a.adminAccountId);
    assert.equal(g.tickets.length, 3);
    const key = await signingKey(p.database.db, p.a.organizationId, p.clock().toISOString());
    for (const t of g.tickets as Ticket[]) {
      assert.deepEqual(
        { kind: t.kind, status: t.status, guest: t.guest_id, tariff: t.tariff_id, order: t.order_id, name: t.holder_name, email: t.holder_email, date: t.date_id, section: t.section_id, version: t.version },
        { kind: 'comp', status: 'valid', guest: g.id, tariff: null, order: null, name: 'Camille Martin', email: 'camille@example.test', date: e.date, section: e.floor, version: 1 },
      );
      const signed = verifyQrPayload(key.publicKeyPem, t.qr_payload);
      assert.deepEqual(signed, { organizationId: p.a.organizationId, ticketId: t.id, version: 1, dateId: e.date, sectionId: e.floor, barcode: t.barcode });
      const stored = await p.database.db.selectFrom('tickets').select('qr_signature').where('id', '=', t.id).executeTakeFirstOrThrow();
      assert.equal(stored.qr_signature, t.qr_payload.split('.')[7], 'the signature is stored with the ticket');
    }
    assert.equal(new Set((g.tickets as Ticket[]).map((t) => t.barcode)).size, 3, 'one barcode per ticket');
    assert.equal(await taken(e.date, e.floor), 3);
    assert.equal(await taken(e.date2, e.floor), 0, 'only the chosen date');

    const before = await written();
    const refused = await guest(e, 3);
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().error.code, 'SOLD_OUT');
    assert.equal(refused.json().error.details.available, 2);
    assert.deepEqual(await written(), before, 'no guest and no ticket written');
    assert.equal(await taken(e.date, e.floor), 3);

    assert.equal((await admin.delete(`/api/guests/${g.id}`)).statusCode, 204);
    assert.equal(await taken(e.date, e.floor), 0, 'the places are back');
    const cancelled = (await admin.get(`/api/guests/${g.id}`)).json().guest;
    assert.equal(cancelled.status, 'cancelled');
    assert.deepEqual((cancelled.tickets as Ticket[]).map((t) => t.status), ['cancelled', 'cancelled', 'cancelled']);
    const again = await admin.delete(`/api/guests/${g.id}`);
    assert.equal(again.statusCode, 409, 'a cancelled guest stays readable; cancelling it again is a conflict');
    assert.equal(again.json().error.code, 'INVALID_TRANSITION');
    assert.equal(await taken(e.date, e.floor), 0, 'places are given back once only');

    const second = await guest(e, 3);
    assert.equal(second.statusCode, 201, second.body);
    assert.equal(await taken(e.date, e.floor), 3);
    assert.equal((await guest(e, 2)).statusCode, 201, 'exactly the capacity');
    assert.equal(await taken(e.date, e.floor), 5);
    assert.equal((await guest(e, 1)).json().error.code, 'SOLD_OUT');
  });

  test('many concurrent guest requests never issue more comps than the capacity', async () => {
    const e = await newEvent(admin, 10);
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => guest(e, 1, { name: `Guest ${i}` })));
    const statuses = answers.map((r) => r.statusCode);
    assert.equal(statuses.filter((s) => s === 201).length, 10, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 409).length, 20, JSON.stringify(statuses));
    assert.ok(answers.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'SOLD_OUT'));
    assert.equal(await taken(e.date, e.floor), 10);
    const comps = await p.database.db.selectFrom('tickets').select('id').where('event_id', '=', e.id).where('kind', '=', 'comp').where('status', '=', 'valid').execute();
    assert.equal(comps.length, 10);
    const listed = await admin.get(`/api/guests?event_id=${e.id}&status=issued&per_page=100`);
    assert.equal(listed.headers['x-total'], '10');
  });

  test('bad input is refused with the field named, and writes nothing', async () => {
    const e = await newEvent();
    const other = await newEvent();
    const foreign = await newEvent(adminB);
    const cancelledDate = await newEvent();
    assert.equal((await admin.patch(`/api/events/${cancelledDate.id}/dates/${cancelledDate.date}`, { date: { status: 'cancelled' } })).statusCode, 200);
    const cancelledEvent = await newEvent();
    assert.equal((await admin.patch(`/api/events/${cancelledEvent.id}`, { event: { status: 'cancelled' } })).json().event.status, 'cancelled');

    const valid = { event_id: e.id, date_id: e.date, section_id: e.floor, name: 'Camille', quantity: 1 };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...valid, quantity: 0 }, 422, 'guest.quantity'],
      [{ ...valid, quantity: 101 }, 422, 'guest.quantity'],
      [{ ...valid, quantity: 1.5 }, 422, 'guest.quantity'],
      [{ ...valid, name: '' }, 422, 'guest.name'],
      [{ ...valid, name: '   ' }, 422, 'name'],
      [{ ...valid, email: 'not an address' }, 422, 'guest.email'],
      [{ ...valid, unexpected: 1 }, 422, 'guest.unexpected'],
      [{ ...valid, section_id: other.floor }, 422, 'section_id'],
      [{ ...valid, date_id: other.date }, 422, 'date_id'],
      [{ ...valid, event_id: foreign.id, date_id: foreign.date, section_id: foreign.floor }, 422, 'event_id'],
      [{ ...valid, date_id: foreign.date }, 422, 'date_id'],
      [{ ...valid, section_id: foreign.floor }, 422, 'section_id'],
      [{ ...valid, event_id: 999999 }, 422, 'event_id'],
      [{ ...valid, event_id: cancelledEvent.id, date_id: cancelledEvent.date, section_id: cancelledEvent.floor }, 422, 'event_id'],
      [{ ...valid, event_id: cancelledDate.id, date_id: cancelledDate.date, section_id: cancelledDate.floor }, 422, 'date_id'],
    ];
    const before = await written();
    for (const [body, status, field] of cases) {
      const r = await admin.post('/api/guests', { guest: body });
      assert.equal(r.statusCode, status, `${JSON.stringify(body)}: ${r.body}`);
      assert.equal(r.json().error.code, 'VALIDATION_FAILED');
      assert.ok(r.json().error.details.some((d: { field: string }) => d.field === field), `${field}: ${r.body}`);
    }
    assert.deepEqual(await written(), before);
    for (const x of [e, other, foreign]) assert.equal(await taken(x.date, x.floor), 0);

    // Guests are staff business: a buyer's token may not issue comps.
    const shop = client(p.app, await token(p.app, p.a, 'public buy'));
    const forbidden = await shop.post('/api/guests', { guest: valid });
    assert.equal(forbidden.statusCode, 403);
    assert.equal((await shop.get('/api/guests')).statusCode, 403);
    assert.deepEqual(await written(), before);
  });

  test('lists filter by event and date, with the native paging headers', async () => {
    const e = await newEvent(admin, 50);
    const ids: number[] = [];
    for (const [date, name] of [[e.date, 'Ada'], [e.date, 'Brice'], [e.date2, 'Chloé']] as const) {
      const r = await admin.post('/api/guests', { guest: { event_id: e.id, date_id: date, section_id: e.balcony, name, quantity: 2 } });
      assert.equal(r.statusCode, 201, r.body);
      ids.push(r.json().guest.id);
    }
    const page1 = await admin.get(`/api/guests?event_id=${e.id}&per_page=2`);
    assert.equal(page1.statusCode, 200);
    assert.equal(page1.headers['x-total'], '3');
    assert.equal(page1.headers['x-page'], '1');
    assert.equal(page1.headers['x-per-page'], '2');
    assert.deepEqual(page1.json().guests.map((g: { id: number }) => g.id), ids.slice(0, 2));
    const page2 = await admin.get(`/api/guests?event_id=${e.id}&per_page=2&page=2`);
    assert.deepEqual(page2.json().guests.map((g: { id: number }) => g.id), ids.slice(2));
    assert.equal(page2.json().guests[0].tickets.length, 2);
    const second = await admin.get(`/api/guests?date_id=${e.date2}`);
    assert.deepEqual(second.json().guests.map((g: { name: string }) => g.name), ['Chloé']);
    assert.equal(await taken(e.date, e.balcony), 4);
    assert.equal(await taken(e.date2, e.balcony), 2);
  });

  test("another organization's guests are 404, and stay as they were", async () => {
    const e = await newEvent();
    const g = (await guest(e, 2)).json().guest;
    assert.equal((await adminB.get(`/api/guests/${g.id}`)).statusCode, 404);
    const deleting = await adminB.delete(`/api/guests/${g.id}`);
    assert.equal(deleting.statusCode, 404);
    assert.equal(deleting.json().error.code, 'NOT_FOUND');
    const listB = await adminB.get('/api/guests?per_page=100');
    assert.ok(!listB.json().guests.some((x: { id: number }) => x.id === g.id));
    assert.equal((await adminB.get(`/api/guests?event_id=${e.id}`)).headers['x-total'], '0');
    const still = (await admin.get(`/api/guests/${g.id}`)).json().guest;
    assert.equal(still.status, 'issued');
    assert.ok((still.tickets as Ticket[]).every((t) => t.status === 'valid'));
    assert.equal(await taken(e.date, e.floor), 2);
    assert.equal((await admin.get('/api/guests/999999')).statusCode, 404);
  });
});
