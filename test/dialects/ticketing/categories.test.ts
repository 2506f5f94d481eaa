import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceExistsError } from '@ticketing/ticketing-nodejs-sdk';
import { ENGINE } from '../../helpers.ts';
import { places, sdkPlatform, type SdkPlatform } from './sdk-platform.ts';

/** The SDK's category service (`tk.categories`, `category.save/delete`). */
describe(`TickeTing categories through the SDK on ${ENGINE}`, () => {
  let t: SdkPlatform;
  before(async () => {
    t = await sdkPlatform();
  });
  after(() => t.p.close());

  test('categories: create, find, list, save, delete; 409 on a duplicate name (case-insensitive)', async () => {
    const tk = t.sdk(t.adminKey);
    const { category } = await places(tk, 'catalog');
    assert.equal(category.name, 'Music catalog');
    assert.deepEqual(category.subcategories, ['Jazz', 'Soca']);
    await assert.rejects(tk.categories.create({ name: 'music CATALOG', subcategories: [] }), (e: unknown) => e instanceof ResourceExistsError);

    category.subcategories = ['Jazz', 'Calypso'];
    assert.equal(await category.save(), true);
    assert.deepEqual((await tk.categories.find(category.id)).subcategories, ['Jazz', 'Calypso']);
    assert.ok((await tk.categories.list()).some((c) => c.id === category.id));
    assert.equal(await category.delete(), true);
  });
});
