import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BadDataError, ResourceExistsError, ResourceIndelibleError, ResourceNotFoundError } from '@ticketing/ticketing-nodejs-sdk';
import { ENGINE } from '../../helpers.ts';
import { places, sdkPlatform, type SdkPlatform } from './sdk-platform.ts';

/** The SDK's region service (`tk.regions`, `region.save/delete`): models field by field, every error class it turns a status into. */
describe(`TickeTing regions through the SDK on ${ENGINE}`, () => {
  let t: SdkPlatform;
  before(async () => {
    t = await sdkPlatform();
  });
  after(() => t.p.close());

  test('regions: create, find, list, save, delete; 409 on a duplicate and when venues are attached', async () => {
    const tk = t.sdk(t.adminKey);
    const { region, venue } = await places(tk, 'regions');
    assert.equal(region.name, 'Region regions');
    assert.equal(region.country, 'Saint Lucia');
    assert.equal(region.district, 'Gros Islet');
    assert.equal(region.city, 'Rodney Bay');
    assert.match(region.uri, /^\/regions\/\d+$/);
    await assert.rejects(tk.regions.create({ name: 'Region regions', country: 'LC' }), (e: unknown) => e instanceof ResourceExistsError);
    await assert.rejects(region.delete(), (e: unknown) => e instanceof ResourceIndelibleError);

    region.district = 'Castries';
    assert.equal(await region.save(), true);
    assert.equal((await tk.regions.find(region.id)).district, 'Castries');
    assert.ok((await tk.regions.list()).some((r) => r.id === region.id));

    assert.equal(await venue.delete(), true);
    assert.equal(await region.delete(), true);
    await assert.rejects(tk.regions.find(region.id), (e: unknown) => e instanceof ResourceNotFoundError);
  });

  test('bad input through the SDK: BadDataError (400) and nothing created', async () => {
    const tk = t.sdk(t.adminKey);
    const before = (await tk.regions.list(100)).length;
    await assert.rejects(tk.regions.create({ name: 'Nowhere', country: 'Atlantis' }), (e: unknown) => e instanceof BadDataError);
    assert.equal((await tk.regions.list(100)).length, before);
  });
});
