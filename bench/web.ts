// npm run bench:web — builds the web app, prints each area's gzipped JavaScript and CSS (what its
// first load downloads: the app's entry and the area's chunks), then, in real Chromium on localhost
// against a real server on a fresh database, the time until the event page is usable (its "reserve"
// button can be pressed) and until a checkout answers (pay pressed → confirmation shown).
// Budgets: the shop's first load ≤ 200 KB of gzipped JavaScript; the event page usable in < 1 s.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { launchBrowser, LAPTOP, startServer } from '../test/web/harness.ts';
import { shopWithEvent } from '../test/web/fixtures.ts';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.env.RUNS ?? 5);
const build = spawnSync(process.execPath, ['scripts/build-web.mjs', '--force'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

type Chunk = { file: string; imports?: string[]; css?: string[]; isEntry?: boolean };
const dist = path.join(root, 'web/dist');
const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;
const gz = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
/** The files a chunk loads before it runs: itself and its static imports, transitively. */
function closure(key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key].imports ?? []) closure(dep, seen);
  return seen;
}
const entry = 'index.html';
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
console.log('\nFirst load of each area (gzipped; the app entry + the area chunk and what it imports; the door has its own entry, door.html):');
const sizes: Record<string, number> = {};
for (const area of ['shop', 'account', 'manage', 'door']) {
  const key = area === 'door' ? 'door.html' : Object.keys(manifest).find((k) => k.endsWith(`src/${area}/index.tsx`));
  if (!key || !manifest[key]) continue;
  const keys = area === 'door' ? closure(key) : new Set([...closure(entry), ...closure(key)]);
  const js = [...keys].reduce((sum, k) => sum + gz(manifest[k].file), 0);
  const css = [...new Set([...keys].flatMap((k) => manifest[k].css ?? []))].reduce((sum, f) => sum + gz(f), 0);
  const own = [...closure(key)].filter((k) => !closure(entry).has(k)).reduce((sum, k) => sum + gz(manifest[k].file), 0);
  sizes[area] = js;
  console.log(`  ${area.padEnd(8)} JS ${kb(js).padStart(9)} (area's own ${kb(own)})   CSS ${kb(css).padStart(9)}`);
}
console.log(`  budget: shop JS ≤ 200 KB → ${sizes.shop <= 200 * 1024 ? 'met' : 'NOT met'}`);

const server = await startServer();
const browser = await launchBrowser();
try {
  const shop = await shopWithEvent(server.app, { slug: 'bench', capacity: 10_000 });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const usable: number[] = [];
  const answered: number[] = [];
  /** How long after the entry script the event's request started: the waterfall (entry → chunk → event) if large. */
  const eventAfterEntry: number[] = [];
  for (let i = 0; i < runs; i++) {
    // A fresh context each time: a first visit, nothing cached.
    const context = await browser.newContext({ viewport: LAPTOP, locale: 'en-GB' });
    const page = await context.newPage();
    const start = Date.now();
    await page.goto(`${server.url}/events/${shop.eventId}`);
    await page.getByRole('combobox', { name: /Quantity of Orchestra — Adult/ }).first().waitFor();
    await page.getByRole('button', { name: 'Reserve these tickets' }).waitFor();
    usable.push(Date.now() - start);
    // A string, not a function: tsx names the function's inner arrows with a `__name` helper the page lacks.
    eventAfterEntry.push(await page.evaluate<number>(`(() => {
      const entries = performance.getEntriesByType('resource');
      const started = (pattern) => entries.find((e) => pattern.test(e.name))?.startTime ?? NaN;
      return Math.round(started(/\\/api\\/shop\\/events\\/\\d+$/) - started(/\\/assets\\/index-[^/]+\\.js$/));
    })()`));
    await page.getByRole('combobox', { name: /Quantity of Orchestra — Adult/ }).first().selectOption('1');
    await page.getByRole('button', { name: 'Reserve these tickets' }).click();
    await page.getByRole('textbox', { name: 'Full name' }).fill('Bench Buyer');
    await page.getByRole('textbox', { name: 'E-mail address' }).fill('bench@example.test');
    await page.getByRole('textbox', { name: 'Card number' }).fill('4242424242424242');
    await page.getByRole('textbox', { name: 'Name on card' }).fill('Bench Buyer');
    await page.getByRole('textbox', { name: 'Expiry (MM/YY)' }).fill('12/30');
    await page.getByRole('textbox', { name: 'Security code' }).fill('123');
    const paid = Date.now();
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.getByText('Thank you! Your order is confirmed.').waitFor();
    answered.push(Date.now() - paid);
    await context.close();
  }
  console.log(`\nIn Chromium on localhost (${runs} first visits, shared loaded machine):`);
  console.log(`  event page usable     median ${median(usable)} ms   (runs: ${usable.join(', ')})   budget < 1000 ms → ${median(usable) < 1000 ? 'met' : 'NOT met'}`);
  console.log(`  event request started median ${median(eventAfterEntry)} ms after the entry script's (runs: ${eventAfterEntry.join(', ')}; ~0 when the page's HTML preloads it)`);
  console.log(`  checkout answered     median ${median(answered)} ms   (pay pressed → confirmation page with tickets; runs: ${answered.join(', ')})`);
} finally {
  await browser.close();
  await server.close();
}
