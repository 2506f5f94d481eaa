import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { client, onSaleEvent, platform, token, type TestPlatform } from '../../helpers.ts';
import { theatreMap } from './fixtures.ts';

type Api = ReturnType<typeof client>;

/**
 * A seated section's places on a date laid out from a seat map change seat by seat only (issue 22):
 * its capacity, kills and organizer holds by number are refused through every route that can
 * change them (native PATCH and PUT of a date's capacity, a section's capacity across its dates),
 * with a 409 that says what to do, and nothing is written; a standing area's section and general
 * admission keep their changes by number; another organization learns nothing.
 */
describe('seating: a seated section is not changed by number', () => {
  let p: TestPlatform;
  let admin: Api;
  before(async () => {
    p = await platform({ seatsCacheMs: 0 });
    admin = client(p.app, await token(p.app, p.a));
  });
  after(() => p.close());

  /**
   * An event with a seated section (Stalls: 2 rows of 5 seats), a standing area (Pit, 120 places by
   * the map) and a general-admission section the map does not draw (Bar), on two dates; the first
   * date laid out from the map, a seat killed and another held there, seat by seat.
   */
  async function seatedEvent(stallsCapacity = 100) {
    const sections = [{ name: 'Stalls', capacity: stallsCapacity }, { name: 'Pit', capacity: 50 }, { name: 'Bar', capacity: 30 }];
    const ev = await onSaleEvent(p.app, p.a, {
      sections, tariffs: sections.map((_, i) => ({ section: i, label: `T${i}`, price: 2000 })), dates: ['2027-03-01T20:00:00+01:00', '2027-03-02T20:00:00+01:00'],
    });
    const map = await admin.post('/api/maps', { map: { name: 'Theatre', document: theatreMap({ rows: 2, seatsPerRow: 5, standing: 120 }) } });
    assert.equal(map.statusCode, 201, map.body);
    const [seated, unseated] = ev.dateIds;
    const laid = await admin.put(`/api/events/${ev.eventId}/dates/${seated}/map`, { map: { map_id: map.json().map.id } });
    assert.equal(laid.statusCode, 200, laid.body);
    const seats = (await admin.get(`/api/events/${ev.eventId}/dates/${seated}/seats`)).json().seats as { id: number; status: string }[];
    for (const [seat, blocked] of [[seats[0], 'kill'], [seats[1], 'hold']] as const) {
      const done = await admin.patch(`/api/events/${ev.eventId}/dates/${seated}/seats`, { seats: { seat_ids: [seat.id], blocked } });
      assert.equal(done.statusCode, 200, done.body);
    }
    const [stalls, pit, bar] = ev.sectionIds;
    return { ...ev, seated, unseated, stalls, pit, bar };
  }

  /** Everything a by-number change could touch: the date's inventory rows and its seats' statuses. */
  const snapshot = async (ev: { eventId: number; seated: number }) => ({
    rows: await p.database.db.selectFrom('section_capacities').select(['date_id', 'section_id', 'capacity', 'kills', 'organizer_holds', 'taken', 'seats']).where('event_id', '=', ev.eventId).orderBy('date_id').orderBy('section_id').execute(),
    seats: ((await admin.get(`/api/events/${ev.eventId}/dates/${ev.seated}/seats`)).json().seats as { id: number; status: string }[]).map((s) => `${s.id}:${s.status}`),
  });
  const row = async (dateId: number, sectionId: number) =>
    p.database.db.selectFrom('section_capacities').select(['capacity', 'kills', 'organizer_holds', 'seats']).where('date_id', '=', dateId).where('section_id', '=', sectionId).executeTakeFirstOrThrow();
  const capacityUrl = (ev: { eventId: number }, dateId: number, sectionId: number) => `/api/events/${ev.eventId}/dates/${dateId}/capacities/${sectionId}`;

  function assertSeatedRefusal(response: Awaited<ReturnType<Api['get']>>, what: string) {
    assert.equal(response.statusCode, 409, `${what}: ${response.body}`);
    const error = response.json().error;
    assert.equal(error.code, 'CONFLICT', what);
    assert.match(error.message, /seated on this date.*number of seats \(10\).*Kill or hold its seats one by one/, what);
    assert.deepEqual(error.details, { seated: true, seats: 10 }, what);
  }

  test('kills, organizer holds and capacity by number are refused on a seated section, and nothing changes', async () => {
    const ev = await seatedEvent();
    assert.deepEqual(await row(ev.seated, ev.stalls), { capacity: 10, kills: 1, organizer_holds: 1, seats: 10 }, 'laid out and blocked seat by seat');
    const before = await snapshot(ev);
    const figures = (await admin.get(`/api/events/${ev.eventId}/capacities`)).json().capacities;
    for (const body of [{ kills: 3 }, { organizer_holds: 0 }, { capacity: 12 }, { kills: 1, organizer_holds: 1 }, { capacity: 10, kills: 0, organizer_holds: 0 }]) {
      assertSeatedRefusal(await admin.patch(capacityUrl(ev, ev.seated, ev.stalls), { capacity: body }), `PATCH ${JSON.stringify(body)}`);
    }
    for (const capacity of [12, 10, 0]) assertSeatedRefusal(await admin.put(capacityUrl(ev, ev.seated, ev.stalls), { capacity: { capacity } }), `PUT ${capacity}`);
    assert.deepEqual(await snapshot(ev), before, 'no inventory row and no seat changed');
    assert.deepEqual((await admin.get(`/api/events/${ev.eventId}/capacities`)).json().capacities, figures);

    // Seat by seat still works, and keeps the counts in step with the seats.
    const free = ((await admin.get(`/api/events/${ev.eventId}/dates/${ev.seated}/seats`)).json().seats as { id: number; status: string }[]).filter((s) => s.status === 'free');
    assert.equal((await admin.patch(`/api/events/${ev.eventId}/dates/${ev.seated}/seats`, { seats: { seat_ids: [free[0].id, free[1].id], blocked: 'kill' } })).statusCode, 200);
    assert.deepEqual(await row(ev.seated, ev.stalls), { capacity: 10, kills: 3, organizer_holds: 1, seats: 10 });
  });

  test('a standing area, general admission on the seated date, and the same section on an unseated date keep changes by number', async () => {
    const ev = await seatedEvent();
    assert.deepEqual(await row(ev.seated, ev.pit), { capacity: 120, kills: 0, organizer_holds: 0, seats: 0 }, 'the map sized the standing area');
    for (const [dateId, sectionId, what] of [[ev.seated, ev.pit, 'standing area'], [ev.seated, ev.bar, 'general admission'], [ev.unseated, ev.stalls, 'Stalls on the unseated date']] as const) {
      const patched = await admin.patch(capacityUrl(ev, dateId, sectionId), { capacity: { capacity: 90, kills: 4, organizer_holds: 6 } });
      assert.equal(patched.statusCode, 200, `${what}: ${patched.body}`);
      assert.equal(patched.json().capacity.sellable, 80, what);
      assert.deepEqual(await row(dateId, sectionId), { capacity: 90, kills: 4, organizer_holds: 6, seats: 0 }, what);
      const put = await admin.put(capacityUrl(ev, dateId, sectionId), { capacity: { capacity: 95 } });
      assert.equal(put.statusCode, 200, `${what}: ${put.body}`);
      assert.deepEqual(put.json().date.capacities.find((c: { section_id: number }) => c.section_id === sectionId), { section_id: sectionId, capacity: 95, seated: false }, what);
    }
    // The rule that already held still holds: withdrawing places never goes below what is taken.
    assert.equal((await admin.patch(capacityUrl(ev, ev.seated, ev.pit), { capacity: { kills: 96 } })).json().error.details.taken, 0);
    // The event says which sections are seated on which date (what the back office shows read-only).
    const event = (await admin.get(`/api/events/${ev.eventId}`)).json().event;
    const seatedOn = (dateId: number) => event.dates.find((d: { id: number }) => d.id === dateId).capacities.filter((c: { seated: boolean }) => c.seated).map((c: { section_id: number }) => c.section_id);
    assert.deepEqual(seatedOn(ev.seated), [ev.stalls]);
    assert.deepEqual(seatedOn(ev.unseated), []);
  });

  test("a section's new capacity applies to its unseated dates; a date where it is seated keeps its number of seats", async () => {
    // The section's default equals the seat count, so the old "dates still at the default" rule would have caught the seated date.
    const ev = await seatedEvent(10);
    assert.deepEqual([await row(ev.seated, ev.stalls), await row(ev.unseated, ev.stalls)].map((r) => r.capacity), [10, 10]);
    const before = await snapshot(ev);
    const changed = await admin.patch(`/api/events/${ev.eventId}/sections/${ev.stalls}`, { section: { capacity: 14 } });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().section.capacity, 14);
    assert.deepEqual(await row(ev.seated, ev.stalls), { capacity: 10, kills: 1, organizer_holds: 1, seats: 10 }, 'the seated date keeps its seats');
    assert.deepEqual(await row(ev.unseated, ev.stalls), { capacity: 14, kills: 0, organizer_holds: 0, seats: 0 });
    assert.deepEqual((await snapshot(ev)).seats, before.seats);
    // A date added later takes the section's capacity.
    const added = await admin.post(`/api/events/${ev.eventId}/dates`, { date: { starts_at: '2027-03-03T20:00:00+01:00' } });
    assert.equal(added.statusCode, 201, added.body);
    assert.deepEqual(added.json().date.capacities.find((c: { section_id: number }) => c.section_id === ev.stalls), { section_id: ev.stalls, capacity: 14, seated: false });
  });

  test("another organization learns nothing: its changes are not found, not refused as seated", async () => {
    const ev = await seatedEvent();
    const before = await snapshot(ev);
    const other = client(p.app, await token(p.app, p.b));
    for (const response of [
      await other.patch(capacityUrl(ev, ev.seated, ev.stalls), { capacity: { kills: 2 } }),
      await other.put(capacityUrl(ev, ev.seated, ev.stalls), { capacity: { capacity: 12 } }),
      await other.patch(capacityUrl(ev, ev.seated, ev.pit), { capacity: { kills: 2 } }),
      await other.patch(`/api/events/${ev.eventId}/sections/${ev.stalls}`, { section: { capacity: 14 } }),
    ]) {
      assert.equal(response.statusCode, 404, response.body);
      assert.equal(response.json().error.code, 'NOT_FOUND');
    }
    // Nor does naming the seated date under another event of the same organization reach it.
    const elsewhere = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Stalls', capacity: 5 }], tariffs: [{ section: 0, label: 'T', price: 1000 }] });
    for (const response of [
      await admin.patch(capacityUrl({ eventId: elsewhere.eventId }, ev.seated, ev.stalls), { capacity: { kills: 2 } }),
      await admin.put(capacityUrl({ eventId: elsewhere.eventId }, ev.seated, ev.stalls), { capacity: { capacity: 12 } }),
    ]) assert.equal(response.statusCode, 404, response.body);
    assert.deepEqual(await snapshot(ev), before);
  });
});
