import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BadDataError, ResourceImmutableError, ResourceIndelibleError, UnauthorisedError } from '@ticketing/ticketing-nodejs-sdk';
import { ENGINE } from '../../helpers.ts';
import { admission, doorSetting, rejectsWith, sdkPlatform, twoDateDoor, type SdkPlatform } from './sdk-platform.ts';

/**
 * The SDK's token service and admission session (`event.issue_token`, `event.tokens`, `token.save/delete`,
 * `tk.session.admission`, `door.admit`, `door.admissions`): the door, admitting each ticket exactly once.
 */
describe(`TickeTing tokens and admissions through the SDK on ${ENGINE}`, () => {
  let t: SdkPlatform;
  before(async () => {
    t = await sdkPlatform();
  });
  after(() => t.p.close());

  test('door: admission tokens, the admission login, admissions (exactly once); the door key opens this event\'s door only', async () => {
    const { tk, host, category, venue, event, floor, balcony, buyer, token, door, doorKey } = await doorSetting(t, 'tokens');
    // 16 characters (80 bits) rather than TickeTing's 8: admission codes must not be guessable (security, item 6).
    assert.match(token.code, /^[A-Z0-9]{16}$/);
    assert.equal(token.global, false);
    assert.deepEqual(token.sections.map((s) => s.uri), [floor.uri]);
    const tokens = await event.tokens;
    assert.deepEqual(tokens.map((x) => x.global).sort(), [false, true]);
    assert.deepEqual((await event.tokens.filter({ global: 'true' }))[0].sections.map((s) => s.uri), [floor.uri, balcony.uri]);

    const tickets = await door.tickets(25);
    const admitted = await door.admit([tickets[0].serial]);
    assert.equal(admitted.length, 1);
    assert.equal(admitted[0].ticket, tickets[0].serial);
    assert.equal(admitted[0].patron.number, buyer.number);
    assert.match(admitted[0].admitted, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    await assert.rejects(door.admit([tickets[0].serial]), (e: { code?: number }) => e.code === 409);
    const admissions = await door.admissions(25);
    assert.deepEqual(admissions.map((a) => a.ticket), [tickets[0].serial]);
    // The serial names the ticket the native door knows by its barcode: admitted once, whichever door scans it.
    const ticketRow = await t.p.database.db.selectFrom('tickets').select(['id', 'barcode']).where('barcode', '=', tickets[1].serial.replace('-', '').slice(0, 16)).executeTakeFirstOrThrow();
    assert.ok(ticketRow.id);
    assert.equal((await door.admit([tickets[1].serial])).length, 1);
    await assert.rejects(door.admit([ticketRow.barcode]), (e: { code?: number }) => e.code === 409);

    // The door key opens this event's door only, and nothing else.
    assert.equal((await t.call(doorKey, 'POST', '/regions', { name: 'Door region', country: 'FR' })).statusCode, 403);
    const other = await tk.events.create({ host, title: 'Other door', description: '', type: 'Concert', public: true, category, subcategory: 'Jazz', venue, start: '2027-09-02T20:00:00Z', end: '2027-09-02T23:00:00Z' });
    assert.equal((await t.call(doorKey, 'GET', `${other.uri}/tickets`)).statusCode, 403);
    // A revoked token's door key stops working.
    assert.equal(await token.delete(), true);
    assert.equal((await t.call(doorKey, 'GET', `${event.uri}/tickets`)).statusCode, 403);
    const unknown = await t.call(t.adminKey, 'GET', '/tokens/ZZZZZZZZ');
    assert.deepEqual([unknown.statusCode, unknown.json().error], [401, 'The provided code does not belong to any event token']);
    // The revoked token's code is unknown now, in the words the SDK shows.
    await rejectsWith(tk.session.admission(token.code, 'Gate staff', 'gate-2'), UnauthorisedError, 'The provided code does not belong to any event token');
  });

  test('the global token can be neither changed (ResourceImmutableError) nor deleted (ResourceIndelibleError); a limited one can', async () => {
    const { event, floor, balcony, token } = await doorSetting(t, 'global');
    const global = (await event.tokens.filter({ global: 'true' }))[0];
    global.deny(global.sections[0]);
    await rejectsWith(global.save(), ResourceImmutableError, 'The global admission token cannot be modified or invalidated.');
    // The SDK puts back the sections it had; the server kept them too.
    assert.deepEqual(global.sections.map((s) => s.uri), [floor.uri, balcony.uri]);
    await rejectsWith(global.delete(), ResourceIndelibleError, 'The global admission token cannot be modified or invalidated.');
    assert.deepEqual((await event.tokens.filter({ global: 'true' }))[0].sections.map((s) => s.uri), [floor.uri, balcony.uri]);

    token.allow(balcony);
    assert.equal(await token.save(), true);
    const saved = (await event.tokens).find((x) => x.uri === token.uri)!;
    assert.deepEqual(saved.sections.map((s) => s.uri), [floor.uri, balcony.uri]);
  });
  test('two dates, two tariffs: each date-event has its own door; its sections, tickets and admissions carry the ids the event shows', async () => {
    const { tk, day1, day2, buyer } = await twoDateDoor(t, 'nights');
    const uris = (sections: { uri: string }[]) => sections.map((s) => s?.uri);
    // A token made at day 1 opens day 1: listed there (with the global token), not at day 2.
    const token = await day1.issue_token([day1.sections[0]] as never);
    assert.equal(token.uri, `${day1.uri}/tokens/${token.id}`);
    assert.deepEqual(uris(token.sections), uris(day1.sections), 'one URI per tariff of the section, as day 1 shows them');
    const [global] = await day2.tokens;
    assert.deepEqual([global.global, global.uri, uris(global.sections)], [true, `${day2.uri}/tokens/${global.id}`, uris(day2.sections)]);
    assert.deepEqual((await day1.tokens).map((x) => [x.uri, x.global, uris(x.sections)]), [[`${day1.uri}/tokens/${global.id}`, true, uris(day1.sections)], [token.uri, false, uris(day1.sections)]]);
    const elsewhere = await t.call(t.adminKey, 'GET', `${day2.uri}/tokens/${token.id}`);
    assert.deepEqual([elsewhere.statusCode, elsewhere.json().error], [404, 'There is presently no resource with the given URI.']);

    // The admission login names day 1 and its sections as day 1 names them: the SDK finds every one.
    const { door, doorKey } = await admission(t, tk, token.code, 'gate-day-1');
    assert.equal(door.event.uri, day1.uri);
    assert.deepEqual(uris(door.sections), uris(day1.sections));
    // Day 1's tickets only, each in the section (tariff) it was sold in, named as day 1 names it.
    const tickets = await door.tickets(25);
    assert.deepEqual(tickets.map((x) => x.section.uri).sort(), uris(day1.sections).sort());
    for (const x of tickets) {
      assert.equal(x.section.name, day1.sections.find((s) => s.uri === x.section.uri)!.name);
      assert.match(x.uri, new RegExp(`^${day1.uri}/tickets/\\d+$`));
      assert.equal(x.owner.number, buyer.number);
    }
    const onDay2 = (await t.call(t.adminKey, 'GET', `${day2.uri}/tickets`)).json().entries as { serial: string; section: { self: string; name: string } }[];
    assert.deepEqual(onDay2.map((x) => [x.section.self, x.section.name]), [[day2.sections[1].uri, 'Grounds (Child)']]);

    // A ticket of day 2 is refused at day 1's door, in TickeTing's words, and stays unused.
    await rejectsWith(door.admit([onDay2[0].serial]), BadDataError, 'None of the provided ticket serials grants admission to this event');
    const admitted = await door.admit([tickets[1].serial]);
    assert.deepEqual(admitted.map((a) => [a.ticket, a.section.uri, a.patron.number]), [[tickets[1].serial, tickets[1].section.uri, buyer.number]]);
    assert.match(admitted[0].uri, new RegExp(`^${day1.uri}/admissions/\\d+$`));
    assert.deepEqual((await door.admissions(25)).map((a) => [a.uri, a.ticket, a.section.uri]), [[admitted[0].uri, tickets[1].serial, tickets[1].section.uri]]);
    // Day 1's door key does not open day 2's door (as a key of another event would not).
    for (const [method, url, body] of [['GET', `${day2.uri}/tickets`, undefined], ['POST', `${day2.uri}/admissions`, { redeemer: 'R', device: 'D', serials: [onDay2[0].serial] }]] as const) {
      const r = await t.call(doorKey, method, url, body);
      assert.deepEqual([r.statusCode, r.json().error], [403, 'You are restricted from accessing this resource.'], `${method} ${url}`);
    }

    // The global token opens every date; its login names the date not yet over (tonight's door).
    const code = (await t.call(t.adminKey, 'POST', `${global.uri}/codes`, {})).json().code as string;
    const now = t.p.clock();
    t.p.clock.set(new Date('2027-08-02T10:00:00Z'));
    try {
      const { door: night2, doorKey: globalKey } = await admission(t, tk, code, 'gate-day-2');
      assert.equal(night2.event.uri, day2.uri);
      assert.deepEqual(uris(night2.sections), uris(day2.sections));
      assert.deepEqual((await night2.tickets(25)).map((x) => x.serial), [onDay2[0].serial]);
      await rejectsWith(night2.admit([tickets[0].serial]), BadDataError, 'None of the provided ticket serials grants admission to this event');
      assert.deepEqual((await night2.admit([onDay2[0].serial])).map((a) => a.section.uri), [day2.sections[1].uri]);
      // Each date-event lists its own date's admissions only, whoever asks.
      const listed = async (uri: string) => ((await t.call(t.adminKey, 'GET', `${uri}/admissions`)).json().entries as { ticket: string }[]).map((a) => a.ticket);
      assert.deepEqual(await listed(day1.uri), [tickets[1].serial]);
      assert.deepEqual(await listed(day2.uri), [onDay2[0].serial]);
      assert.deepEqual((await night2.admissions(25)).map((a) => a.ticket), [onDay2[0].serial]);
      // The same key at day 1's URI stands at day 1's door.
      const atDay1 = (await t.call(globalKey, 'GET', `${day1.uri}/tickets`)).json().entries as { serial: string }[];
      assert.deepEqual(atDay1.map((x) => x.serial).sort(), tickets.map((x) => x.serial).sort());
    } finally {
      t.p.clock.set(now);
    }

    // A token's sections must be sections of its date: another date's section, or a tariff of another section, is refused.
    const count = async () => (await t.call(t.adminKey, 'GET', `${day1.uri}/tokens`)).json().total as number;
    const before = await count();
    const [, otherTariff] = String(day2.sections[1].id).split('-');
    for (const section of [day2.sections[0].uri, `/sections/999999-${otherTariff}`, `/sections/${String(day1.sections[0].id).split('-')[0]}-999999`]) {
      const refused = await t.call(t.adminKey, 'POST', `${day1.uri}/tokens`, { sections: [section] });
      assert.deepEqual([refused.statusCode, refused.json().error], [400, 'The following arguments have invalid values: sections.'], section);
    }
    assert.equal(await count(), before);
    const unknownDate = await t.call(t.adminKey, 'GET', `/events/${String(day1.id).split('-')[0]}-999999/tokens`);
    assert.deepEqual([unknownDate.statusCode, unknownDate.json().error], [404, 'There is presently no resource with the given URI.']);
  });

  test('tenancy: another host sees and changes nothing at a date-event\'s door; a door key opens nothing of another host', async () => {
    const { day1, day2 } = await twoDateDoor(t, 'tenancy');
    const token = await day1.issue_token([day1.sections[0]] as never);
    const { doorKey } = await admission(t, t.sdk(t.adminKey), token.code, 'gate-tenancy');
    for (const [method, url, body] of [
      ['GET', `${day1.uri}/tokens`, undefined],
      ['GET', token.uri, undefined],
      ['POST', `${day2.uri}/tokens`, { sections: [day2.sections[0].uri] }],
      ['PUT', token.uri, { sections: [day1.sections[1].uri] }],
      ['DELETE', token.uri, undefined],
      ['POST', `${token.uri}/codes`, {}],
      ['GET', `${day1.uri}/tickets`, undefined],
      ['GET', `${day2.uri}/admissions`, undefined],
      ['POST', `${day1.uri}/admissions`, { redeemer: 'R', device: 'D', serials: ['ABCDEF-GHJKLMNPQRST'] }],
    ] as const) {
      const r = await t.call(t.hostKeyB, method, url, body);
      assert.deepEqual([r.statusCode, r.json().error], [404, 'There is presently no resource with the given URI.'], `${method} ${url}: ${r.body}`);
    }
    assert.equal((await t.call(t.adminKey, 'GET', `${day1.uri}/tokens`)).json().total, 2);
    assert.deepEqual((await t.call(t.adminKey, 'GET', `${day1.uri}/admissions`)).json().total, 0);
    // A host b event, made by the operator: day 1's door key cannot read or admit there.
    const other = await t.call(t.adminKey, 'POST', '/events', { host: String(t.p.b.organizationId), title: 'Beta night', start: '2027-08-01T20:00:00Z', end: '2027-08-01T22:00:00Z' });
    assert.equal(other.statusCode, 201, other.body);
    assert.equal((await t.call(doorKey, 'GET', `${other.json().self}/tickets`)).statusCode, 403);
    assert.equal((await t.call(doorKey, 'GET', `${other.json().self}/admissions`)).statusCode, 403);
    assert.equal((await t.call(doorKey, 'POST', `${other.json().self}/admissions`, { redeemer: 'R', device: 'D', serials: ['ABCDEF-GHJKLMNPQRST'] })).statusCode, 403);
  });
});
