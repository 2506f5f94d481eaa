import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE } from '../../helpers.ts';
import { doorSetting, sdkPlatform, type SdkPlatform } from './sdk-platform.ts';

/** The tickets an admission session reads (`door.tickets`): the redeemer's sections, TickeTing's formats. */
describe(`TickeTing tickets through the SDK on ${ENGINE}`, () => {
  let t: SdkPlatform;
  before(async () => {
    t = await sdkPlatform();
  });
  after(() => t.p.close());

  test('tickets of the redeemer\'s sections: serials, statuses and times as TickeTing has them; redeemed once admitted', async () => {
    const { floor, buyer, door } = await doorSetting(t, 'tickets');
    const tickets = await door.tickets(25);
    assert.equal(tickets.length, 2, 'only the token\'s section');
    assert.ok(tickets.every((x) => x.section.uri === floor.uri && x.status === 'Issued' && x.owner.number === buyer.number));
    assert.ok(tickets.every((x) => /^[A-Z0-9]{6}-[A-Z0-9]{12}$/.test(x.serial) && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/.test(x.issued) && x.redeemed === 'N/A'));
    assert.deepEqual(await door.tickets(25).filter({ modified_since: '2099-01-01T00:00:00Z' }), []);
    await door.admit([tickets[0].serial]);
    assert.match((await door.tickets(25)).find((x) => x.serial === tickets[0].serial)!.redeemed, /\+00:00$/);
  });
});
