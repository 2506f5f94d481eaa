import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServer, type WebServer } from './harness.ts';
import { shopWithEvent } from './fixtures.ts';

/** The app's HTML: strict CSP, never cached stale, and each area's code (and an event page's event) preloaded. */
describe('web: the pages the server answers', () => {
  let server: WebServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server?.close());

  const page = async (path: string) => {
    const r = await fetch(`${server.url}${path}`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    return r.text();
  };
  const preloaded = (html: string) => [...html.matchAll(/<link rel="modulepreload" crossorigin href="(\/assets\/[^"]+)">/g)].map((m) => m[1]);

  test("an event page preloads the shop's code and the event, so neither waits for the entry to run", async () => {
    const shop = await shopWithEvent(server.app);
    const html = await page(`/events/${shop.eventId}`);
    assert.ok(preloaded(html).some((f) => /\/shop-[\w-]+\.js$/.test(f)), html);
    assert.ok(html.includes(`<link rel="preload" as="fetch" crossorigin href="/api/shop/events/${shop.eventId}">`));
    // Every chunk the shop's first load needs is named by the HTML (Vite's entry tags or the server's
    // preloads): none is found only once another chunk has run.
    type Chunk = { file: string; imports?: string[] };
    const manifest = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../web/dist/.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;
    const closure = (key: string, seen = new Set<string>()): Set<string> => {
      if (!seen.has(key)) for (const dep of manifest[key].imports ?? []) closure(dep, seen.add(key));
      return seen;
    };
    const named = new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]));
    const needed = [...closure('index.html'), ...closure('src/shop/index.tsx')].map((k) => `/${manifest[k].file}`);
    assert.deepEqual(needed.filter((file) => !named.has(file)), [], html);
    // What is preloaded exists, cached for good.
    for (const file of preloaded(html)) {
      const asset = await fetch(`${server.url}${file}`);
      assert.equal(asset.status, 200, file);
      assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    }
    const event = await fetch(`${server.url}/api/shop/events/${shop.eventId}`);
    assert.equal((await event.json()).event.id, shop.eventId);
  });

  test('each area preloads its own code only: a buyer is never sent the back office', async () => {
    const home = preloaded(await page('/'));
    const manage = preloaded(await page('/manage/events'));
    const account = preloaded(await page('/account/transfers/1'));
    assert.ok(home.some((f) => /\/shop-/.test(f)) && !home.some((f) => /\/(manage|door|account)-/.test(f)), home.join(' '));
    assert.ok(manage.some((f) => /\/manage-/.test(f)) && !manage.some((f) => /\/shop-/.test(f)), manage.join(' '));
    assert.ok(account.some((f) => /\/account-/.test(f)) && !account.some((f) => /\/(manage|shop)-/.test(f)), account.join(' '));
    assert.doesNotMatch(await page('/o/somewhere'), /as="fetch"/);
  });
});
