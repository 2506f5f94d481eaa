import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceNotFoundError } from '@ticketing/ticketing-nodejs-sdk';
import { ENGINE } from '../../helpers.ts';
import { places, sdkPlatform, type SdkPlatform } from './sdk-platform.ts';

/** The SDK's venue service (`tk.venues`, `venue.save/delete`). */
describe(`TickeTing venues through the SDK on ${ENGINE}`, () => {
  let t: SdkPlatform;
  before(async () => {
    t = await sdkPlatform();
  });
  after(() => t.p.close());

  test('venues: create, find, filter by region, save, delete', async () => {
    const tk = t.sdk(t.adminKey);
    const { region, venue } = await places(tk, 'venues');
    assert.equal(venue.region.id, region.id);
    assert.equal(venue.name, 'Stadium venues');
    assert.equal(venue.longitude, -60.95);
    assert.equal(venue.latitude, 14.07);
    assert.equal(venue.address, '1 Bay Road');
    venue.name = 'Daren Sammy Stadium';
    assert.equal(await venue.save(), true);
    assert.equal((await tk.venues.find(venue.id)).name, 'Daren Sammy Stadium');
    assert.ok((await tk.venues.list().filter({ region: region.id })).some((v) => v.id === venue.id));
    assert.equal(await venue.delete(), true);
    await assert.rejects(tk.venues.find(venue.id), (e: unknown) => e instanceof ResourceNotFoundError);
  });
});
