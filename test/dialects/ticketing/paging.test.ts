import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PageAccessError } from '@ticketing/ticketing-nodejs-sdk';
import { ENGINE } from '../../helpers.ts';
import { rejectsWith, sdkPlatform, type SdkPlatform } from './sdk-platform.ts';

/** The SDK's collections (`list(records)`, `goto`, `pages`): `{total, page, records, entries}`, PageAccessError. */
describe(`TickeTing paging through the SDK on ${ENGINE}`, () => {
  let t: SdkPlatform;
  before(async () => {
    t = await sdkPlatform();
  });
  after(() => t.p.close());

  test('lists: records and page, next/previous, a page past the end or below 1 is a 404 (PageAccessError)', async () => {
    const tk = t.sdk(t.adminKey);
    for (const name of ['Page A', 'Page B', 'Page C']) await tk.regions.create({ name, country: 'France' });
    const all = await tk.regions.list();
    const first = tk.regions.list(2);
    const page1 = await first;
    assert.equal(page1.length, 2);
    assert.equal(await first.pages, Math.ceil(all.length / 2));
    const page2 = await tk.regions.list(2).goto(2);
    assert.deepEqual(page2.map((r) => r.id), all.slice(2, 4).map((r) => r.id));
    await assert.rejects(async () => { await tk.regions.list(2).goto(1000); }, (e: unknown) => e instanceof PageAccessError);
    await assert.rejects(async () => { await tk.regions.list(2).goto(0); }, (e: unknown) => e instanceof PageAccessError);
    const raw = await t.call(t.adminKey, 'GET', '/regions?records=2&page=1');
    assert.deepEqual(Object.keys(raw.json()), ['total', 'page', 'records', 'entries']);
    assert.equal(raw.json().total, all.length);
  });

  test('PageAccessError carries the words the user sees, on every collection', async () => {
    const tk = t.sdk(t.adminKey);
    const noPage = 'The specified page does not exist for the given records per page';
    for (const collection of [tk.hosts, tk.accounts, tk.regions, tk.venues, tk.categories, tk.events, tk.events.published]) {
      await rejectsWith(Promise.resolve(collection.list(1).goto(100000)), PageAccessError, noPage);
    }
    // A page below 1 is refused by the SDK itself, in its own words; the server says the same 404 as past the end.
    await rejectsWith(Promise.resolve(tk.regions.list(2).goto(0)), PageAccessError, 'Please specify a positive integer page number');
    const below = await t.call(t.adminKey, 'GET', '/regions?records=2&page=0');
    assert.deepEqual([below.statusCode, below.json().error], [404, noPage]);
    // An empty list has one empty page.
    assert.deepEqual(await tk.events.list().filter({ title: 'no such title' }), []);
  });
});
