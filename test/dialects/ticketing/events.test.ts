import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidStateError, ResourceIndelibleError, ResourceNotFoundError } from '@ticketing/ticketing-nodejs-sdk';
import { ENGINE } from '../../helpers.ts';
import { operatorPrincipal } from '../../../src/demo/seed.ts';
import { places, rejectsWith, sdkPlatform, type SdkPlatform } from './sdk-platform.ts';

/**
 * The SDK's event service (`tk.events`, `tk.events.published`, `event.save/submit/delete/statistics`),
 * and how Guichet's events with several dates or several tariffs per section reach it.
 */
describe(`TickeTing events through the SDK on ${ENGINE}`, () => {
  let t: SdkPlatform;
  before(async () => {
    t = await sdkPlatform();
  });
  after(() => t.p.close());

  test('events: create, sections, save, submit (once), administrator approval, published events, statistics, delete only drafts', async () => {
    const tk = t.sdk(t.adminKey);
    const host = await tk.hosts.find(String(t.p.a.organizationId));
    const { category, venue } = await places(tk, 'events');
    const event = await tk.events.create({
      host, title: 'Jazz Festival', description: 'Three stages', type: 'Festival', public: true, category, subcategory: 'Soca', venue,
      start: '2027-05-08T18:00:00-04:00', end: '2027-05-09T02:00:00-04:00', disclaimer: 'No refunds', tags: ['jazz', 'festival'],
    });
    assert.equal(event.status, 'Draft');
    assert.equal(event.category.id, category.id);
    assert.equal(event.subcategory, 'Soca');
    assert.equal(event.venue.id, venue.id);
    assert.equal(event.start, '2027-05-08T22:00:00.000Z');
    assert.deepEqual(event.tags, ['jazz', 'festival']);

    const section = await t.call(tk.apiKey, 'POST', `${event.uri}/sections`, { name: 'General', description: 'Standing', price: 45.5, capacity: 300 });
    assert.equal(section.statusCode, 201, section.body);
    const withSection = await tk.events.find(event.id);
    assert.equal(withSection.sections.length, 1);
    assert.equal(withSection.sections[0].uri, `${event.uri}${section.json().self}`);
    assert.deepEqual(withSection.sections[0].price, { base: 45.5, current: 45.5, expires: null });
    assert.equal(withSection.sections[0].remaining, 300);

    withSection.title = 'St Lucia Jazz Festival';
    withSection.end = '2027-05-09T03:00:00-04:00';
    assert.equal(await withSection.save(), true);
    const saved = await tk.events.find(event.id);
    assert.equal(saved.title, 'St Lucia Jazz Festival');
    assert.equal(saved.end, '2027-05-09T07:00:00.000Z');

    assert.equal(await saved.submit(), true);
    await assert.rejects(saved.submit(), (e: unknown) => e instanceof InvalidStateError);
    assert.equal((await tk.events.find(event.id)).status, 'Under Review');
    assert.equal((await tk.events.published.list()).some((e) => e.id === event.id), false);

    const approved = await t.call(tk.apiKey, 'POST', `${event.uri}/approvals`, { status: 'Listed' });
    assert.equal(approved.statusCode, 201, approved.body);
    assert.equal(approved.json().status, 'Listed');
    const published = await tk.events.published.list().filter({ title: 'st lucia' });
    assert.deepEqual(published.map((e) => e.id), [event.id]);
    assert.equal((await tk.events.list().filter({ section: withSection.sections[0].id })).length, 1);

    const statistics = await saved.statistics();
    assert.deepEqual({ capacity: statistics.capacity, orders: statistics.orders, tickets: statistics.tickets }, { capacity: 300, orders: 0, tickets: 0 });
    await assert.rejects(saved.delete(), (e: unknown) => e instanceof ResourceIndelibleError);

    const draft = await tk.events.create({ host, title: 'Scrapped', description: '', type: 'Concert', public: false, category, subcategory: 'Jazz', venue, start: '2027-07-01T20:00:00Z', end: '2027-07-01T22:00:00Z' });
    assert.equal(await draft.delete(), true);
    await assert.rejects(tk.events.find(draft.id), (e: unknown) => e instanceof ResourceNotFoundError);
  });

  test('several dates are several TickeTing events, several tariffs several sections; an order sells exactly the URI\'s date and tariff', async () => {
    const tk = t.sdk(t.adminKey);
    const host = await tk.hosts.find(String(t.p.a.organizationId));
    const { category, venue } = await places(tk, 'dates');
    const created = await tk.events.create({ host, title: 'Carnival Run', description: '', type: 'Festival', public: true, category, subcategory: 'Soca', venue, start: '2027-07-10T20:00:00Z', end: '2027-07-10T23:00:00Z' });
    assert.equal(created.uri, `/events/${created.id}`, 'a single date keeps the plain id');
    assert.equal((await t.call(t.adminKey, 'POST', `${created.uri}/sections`, { name: 'Grounds', price: 40, capacity: 100 })).statusCode, 201);
    // What TickeTing cannot express is made by the organizer in Guichet: a second date and a second tariff.
    const organizer = operatorPrincipal(t.p.a.organizationId, t.operatorId);
    const eventId = Number(created.id);
    const made = await t.p.app.core.events.read(organizer, eventId);
    const [firstDate, section, full] = [made.dates[0].id, made.sections[0].id, made.tariffs[0].id];
    const secondDate = (await t.p.app.core.events.addDate(organizer, eventId, { startsAt: '2027-07-11T20:00:00Z', endsAt: '2027-07-11T23:00:00Z' })).id;
    const child = (await t.p.app.core.events.addTariff(organizer, eventId, { sectionId: section, label: 'Child', price: 2000 })).id;
    const [day1Id, day2Id] = [`${eventId}-${firstDate}`, `${eventId}-${secondDate}`];

    // One entry per date in every list, each with one section per tariff.
    const listed = await tk.events.list(100).filter({ title: 'carnival' });
    assert.deepEqual(listed.map((e) => [e.id, e.start, e.end]), [
      [day1Id, '2027-07-10T20:00:00.000Z', '2027-07-10T23:00:00.000Z'],
      [day2Id, '2027-07-11T20:00:00.000Z', '2027-07-11T23:00:00.000Z'],
    ]);
    for (const e of listed) {
      assert.deepEqual(e.sections.map((s) => [s.uri, s.name, s.price, s.capacity, s.sold, s.remaining, s.reserved]), [
        [`/events/${e.id}/sections/${section}-${full}`, 'Grounds (Grounds)', { base: 40, current: 40, expires: null }, 100, 0, 100, 0],
        [`/events/${e.id}/sections/${section}-${child}`, 'Grounds (Child)', { base: 20, current: 20, expires: null }, 100, 0, 100, 0],
      ]);
    }
    assert.deepEqual((await host.events.filter({ title: 'carnival' })).map((e) => e.id), [day1Id, day2Id]);
    assert.deepEqual((await tk.events.list().filter({ section: `${section}-${child}` })).map((e) => e.id), [day1Id, day2Id]);
    const day2 = await tk.events.find(day2Id);
    assert.equal(day2.uri, `/events/${day2Id}`);
    assert.equal(day2.start, '2027-07-11T20:00:00.000Z');
    // The event's own id still answers, with its first date; an unknown date is unknown.
    assert.equal((await tk.events.find(created.id)).uri, `/events/${day1Id}`);
    await rejectsWith(tk.events.find(`${eventId}-999999`), ResourceNotFoundError, 'There is presently no resource with the given URI.');

    // Saving one date-event moves that date only.
    day2.end = '2027-07-12T00:30:00Z';
    assert.equal(await day2.save(), true);
    assert.equal((await tk.events.find(day2Id)).end, '2027-07-12T00:30:00.000Z');
    assert.equal((await tk.events.find(day1Id)).end, '2027-07-10T23:00:00.000Z');
    // The plain id cannot say which date to move.
    const plain = await t.call(t.adminKey, 'PUT', `/events/${eventId}`, { start: '2027-07-09T20:00:00Z' });
    assert.deepEqual([plain.statusCode, plain.json().error], [400, 'The following arguments have invalid values: start.']);
    assert.equal((await tk.events.find(day1Id)).start, '2027-07-10T20:00:00.000Z');

    // The review workflow is the event's: submitting one date submits them all.
    assert.equal(await day2.submit(), true);
    assert.equal((await tk.events.find(day1Id)).status, 'Under Review');
    assert.equal((await t.call(t.adminKey, 'POST', `${day2.uri}/approvals`, { status: 'Listed' })).statusCode, 201);
    assert.deepEqual((await tk.events.published.list(100).filter({ title: 'carnival' })).map((e) => e.id), [day1Id, day2Id]);

    // An admission token names the sections as the date-event shows them (a token opens a section, whatever the tariff).
    const onDay2 = await tk.events.find(day2Id);
    const token = await onDay2.issue_token([onDay2.sections[1]] as never);
    assert.deepEqual(token.sections.map((s) => s.uri), onDay2.sections.map((s) => s.uri));

    // The order sells the child tariff on the second date, nothing else.
    const buyer = await tk.accounts.create({ username: 'carla', password: 'carla-password', email: 'carla@example.test', firstName: 'Carla', lastName: 'C', title: 'Ms', dateOfBirth: '1990-01-01', phone: '1', country: 'FR' });
    const childOnDay2 = onDay2.sections[1];
    const placed = await t.call(t.adminKey, 'POST', '/orders', { customer: buyer.uri, items: { [childOnDay2.uri]: 2 } });
    assert.equal(placed.statusCode, 201, placed.body);
    assert.deepEqual(placed.json().items.map((i: { section: string; name: string; price: number; quantity: number }) => [i.section, i.name, i.price, i.quantity]), [[childOnDay2.uri, 'Grounds', 20, 2]]);
    const orderId = Number(placed.json().self.split('/')[2]);
    const lines = await t.p.database.db.selectFrom('order_lines').select(['date_id', 'tariff_id', 'quantity']).where('order_id', '=', orderId).execute();
    assert.deepEqual(lines.map((l) => [l.date_id, l.tariff_id, Number(l.quantity)]), [[secondDate, child, 2]]);
    const held = await tk.events.find(day2Id);
    assert.deepEqual(held.sections.map((s) => [s.sold, s.remaining, s.reserved]), [[0, 98, 2], [0, 98, 2]]);
    const card = { number: '4242424242424242', cvv: '123', expiryDate: '12/30', name: 'Carla C' };
    const paid = await t.call(t.adminKey, 'POST', `${placed.json().self}/payments`, card);
    assert.deepEqual([paid.statusCode, paid.json().status, paid.json().amount], [201, 'Authorised', 40]);
    const sold = await tk.events.find(day2Id);
    assert.deepEqual(sold.sections.map((s) => [s.sold, s.remaining, s.reserved]), [[0, 98, 0], [2, 98, 0]]);
    assert.equal(sold.popularity, 2);
    const untouched = await tk.events.find(day1Id);
    assert.deepEqual(untouched.sections.map((s) => [s.sold, s.remaining, s.reserved]), [[0, 100, 0], [0, 100, 0]]);
    assert.equal(untouched.popularity, 0);

    // A URI that does not say which date, or which tariff, is refused and sells nothing.
    for (const uri of [`/events/${eventId}/sections/${section}-${child}`, `${day2.uri}/sections/${section}`]) {
      const refused = await t.call(t.adminKey, 'POST', '/orders', { customer: buyer.uri, items: { [uri]: 1 } });
      assert.deepEqual([refused.statusCode, refused.json().error], [400, 'The following arguments have invalid values: items.'], uri);
    }
    assert.deepEqual((await tk.events.find(day2Id)).sections.map((s) => s.remaining), [98, 98]);
  });
});
