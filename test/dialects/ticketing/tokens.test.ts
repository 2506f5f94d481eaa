import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceImmutableError, ResourceIndelibleError, UnauthorisedError } from '@ticketing/ticketing-nodejs-sdk';
import { ENGINE } from '../../helpers.ts';
import { doorSetting, rejectsWith, sdkPlatform, type SdkPlatform } from './sdk-platform.ts';

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
});
