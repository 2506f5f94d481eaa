import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE } from '../../helpers.ts';
import { sdkPlatform, type SdkPlatform } from './sdk-platform.ts';

/** The SDK's preset service (`tk.presets`). */
describe(`TickeTing presets through the SDK on ${ENGINE}`, () => {
  let t: SdkPlatform;
  before(async () => {
    t = await sdkPlatform();
  });
  after(() => t.p.close());

  test('presets: the countries TickeTing names', async () => {
    const countries = await t.sdk(t.adminKey).presets.countries();
    assert.ok(countries.includes('Saint Lucia') && countries.includes('France'));
    const raw = await t.call(t.adminKey, 'GET', '/countries');
    assert.deepEqual(Object.keys(raw.json()), ['countries']);
    assert.deepEqual(raw.json().countries, countries);
  });
});
