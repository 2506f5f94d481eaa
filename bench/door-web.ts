/**
 * The door app's figures (issue 20), in real Chromium on localhost:
 * - its JavaScript, gzipped: what /door loads (its own entry, door.html, and its chunks), and the QR decoder's worker and .wasm apart;
 * - scan → answer on the page, online (the server's answer) and offline (the device's: barcodes, and
 *   signed QR payloads, whose Ed25519 signature the page checks), median and p95;
 * - starting a session on a 50,000-ticket event: download and store in IndexedDB until the gate is ready.
 *
 * `npm run bench:door-web -- [--tickets 50000] [--scans 40]`. Targets: ≤ 150 KB gz; < 100 ms online;
 * < 30 ms offline; < 10 s for 50,000 tickets. Figures are printed, never asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.ts';
import { issueTickets, signingKey, signTickets, toTicket } from '../src/core/selling/tickets.ts';
import { benchConfig, benchDatabase, benchOrganization, percentile } from './support.ts';
import { launchChromium, listen } from '../test/web/door-harness.ts';
import { SNAPSHOT_PAGE } from '../web/src/door/api.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TICKETS = arg('tickets', 50000);
const SCANS = arg('scans', 40);
const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'web/dist');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
/** The machine's load (1, 5, 15 minutes): figures on a shared machine mean little without it. */
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(', ');
const gz = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;

/** The JavaScript /door loads: its own entry (door.html) and that entry's static imports (Vite's manifest), and its CSS. */
function doorJavaScript() {
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, { file: string; imports?: string[]; css?: string[] }>;
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const f of chunk.css ?? []) files.add(f);
    for (const i of chunk.imports ?? []) visit(i);
  };
  visit('door.html');
  const js = [...files].filter((f) => f.endsWith('.js'));
  const assets = fs.readdirSync(path.join(dist, 'assets'));
  const worker = assets.filter((f) => f.startsWith('qr-worker') && f.endsWith('.js')).map((f) => `assets/${f}`);
  const wasm = assets.filter((f) => f.endsWith('.wasm')).map((f) => `assets/${f}`);
  return {
    js: js.reduce((n, f) => n + gz(f), 0),
    files: js.length,
    css: [...files].filter((f) => f.endsWith('.css')).reduce((n, f) => n + gz(f), 0),
    worker: worker.reduce((n, f) => n + gz(f), 0),
    wasm: wasm.reduce((n, f) => n + gz(f), 0),
  };
}

const { database, cleanup } = await benchDatabase('sqlite');
const { core, org, op } = await benchOrganization(database);
const app = await buildApp({ config: benchConfig(), database });
const base = await listen(app);
const size = doorJavaScript();
console.log(`door JavaScript: ${kb(size.js)} gzipped in ${size.files} files (target ≤ 150 KB), CSS ${kb(size.css)}; QR worker ${kb(size.worker)}, its .wasm ${kb(size.wasm)} (loaded when the camera starts)`);

async function eventWith(n: number) {
  const event = await core.events.create(op, { title: `Bench door ${n}`, sections: [{ name: 'Floor', capacity: n + 10 }], dates: [{ startsAt: '2027-03-01T20:00:00+01:00' }] });
  const now = new Date().toISOString();
  const key = await signingKey(database.db, org.id, now);
  const ids: { barcode: string; qr: string }[] = [];
  for (let done = 0; done < n; done += 5000) {
    const rows = await database.transaction((trx) =>
      issueTickets(trx, org.id, Array.from({ length: Math.min(5000, n - done) }, (_, i) => ({
        eventId: event.id, dateId: event.dates[0].id, sectionId: event.sections[0].id, tariffId: null, orderId: null, orderLineId: null, guestId: null,
        kind: 'sale' as const, holderName: `Holder ${done + i}`, holderEmail: null, holderAccountId: null,
      })), now),
    );
    await signTickets(database, org.id, rows, now);
    ids.push(...rows.map((r) => ({ barcode: r.barcode, qr: toTicket(r, key).qrPayload! })));
  }
  const tokens = await core.door.tokens.list(op, event.id, { limit: 1, offset: 0 }, { global: true });
  const { code } = await core.door.tokens.reissueCode(op, event.id, tokens.items[0].id);
  return { code, tickets: ids };
}

const browser = await launchChromium();
try {
  // 1. Scan → answer, online then offline, on a small event.
  const small = await eventWith(SCANS * 3 + 10);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const start = async (code: string) => {
    await page.goto(`${base}/door`);
    await page.locator('input[name="code"]').fill(code);
    await page.locator('input[name="gate"]').fill('Bench gate');
    const t0 = performance.now();
    await page.locator('button[type="submit"]').click();
    await page.getByTestId('door-answer').waitFor({ timeout: 120000 });
    return performance.now() - t0;
  };
  await start(small.code);
  /** From submitting the code to the answer on screen, measured in the page. */
  const timeScan = (code: string) =>
    page.evaluate(
      (c) =>
        new Promise<number>((resolve) => {
          const panel = document.querySelector('[data-testid="door-answer"]')!;
          const before = panel.getAttribute('data-seq');
          const input = document.querySelector<HTMLInputElement>('[data-testid="door-scanner-input"]')!;
          const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
          setter.call(input, c);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          const t0 = performance.now();
          const observer = new MutationObserver(() => {
            if (panel.getAttribute('data-seq') !== before) {
              observer.disconnect();
              requestAnimationFrame(() => resolve(performance.now() - t0));
            }
          });
          observer.observe(panel, { attributes: true });
          input.form!.requestSubmit();
        }),
      code,
    );
  const run = async (label: string, codes: string[]) => {
    const times: number[] = [];
    for (const c of codes) times.push(await timeScan(c));
    times.sort((a, b) => a - b);
    console.log(`scan → answer ${label}: median ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms over ${times.length} scans (load average ${load()})`);
  };
  await timeScan(small.tickets[0].barcode); // warm-up
  await run('online (target < 100 ms)', small.tickets.slice(1, SCANS + 1).map((t) => t.barcode));
  await context.setOffline(true);
  await run('offline, barcodes (target < 30 ms)', small.tickets.slice(SCANS + 1, 2 * SCANS + 1).map((t) => t.barcode));
  await run('offline, signed QR codes (target < 30 ms)', small.tickets.slice(2 * SCANS + 1, 3 * SCANS + 1).map((t) => t.qr));
  await context.close();

  // 2. A 50,000-ticket snapshot into IndexedDB (a fresh device).
  const seeded = performance.now();
  const big = await eventWith(TICKETS);
  console.log(`(seeded ${TICKETS} tickets in ${((performance.now() - seeded) / 1000).toFixed(1)} s)`);
  // The server's part, from Node: each snapshot page as the app asks for it (time to the last byte, size, JSON.parse).
  const opened = await fetch(`${base}/api/door/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session: { code: big.code, device: 'Bench probe' } }) }).then((r) => r.json() as Promise<{ session: { key: string } }>);
  const server = { ms: 0, bytes: 0, gzBytes: 0, parseMs: 0, pages: 0 };
  for (let after: number | null = 0; after !== null; server.pages++) {
    const p0 = performance.now();
    const text = await fetch(`${base}/api/door/snapshot?after=${after}&limit=${SNAPSHOT_PAGE}`, { headers: { authorization: `Bearer ${opened.session.key}` } }).then((r) => r.text());
    const p1 = performance.now();
    const body = JSON.parse(text) as { next_after: number | null };
    server.ms += p1 - p0;
    server.parseMs += performance.now() - p1;
    server.bytes += Buffer.byteLength(text);
    server.gzBytes += zlib.gzipSync(text).length;
    after = body.next_after;
  }
  console.log(`  snapshot from the server: ${server.pages} pages of ≤ ${SNAPSHOT_PAGE}, ${(server.ms / 1000).toFixed(2)} s to the last byte, ${kb(server.bytes)} (${kb(server.gzBytes)} gzipped), JSON.parse in Node ${server.parseMs.toFixed(0)} ms`);
  const fresh = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const bigPage = await fresh.newPage();
  await bigPage.goto(`${base}/door`);
  await bigPage.locator('input[name="code"]').fill(big.code);
  await bigPage.locator('input[name="gate"]').fill('Bench gate');
  const t0 = performance.now();
  await bigPage.locator('button[type="submit"]').click();
  await bigPage.getByTestId('door-answer').waitFor({ timeout: 300000 });
  const took = performance.now() - t0;
  const stored = await bigPage.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('guichet-door');
        open.onsuccess = () => {
          // The snapshot is kept a page a record (web/src/door/store.ts).
          const pages = open.result.transaction('snapshot').objectStore('snapshot').getAll();
          pages.onsuccess = () => resolve((pages.result as string[]).reduce((n, page) => n + (JSON.parse(page) as unknown[]).length, 0));
        };
      }),
  );
  const phases = await bigPage.evaluate(() => {
    const sum: Record<string, number> = {};
    for (const m of performance.getEntriesByType('measure')) if (m.name.startsWith('door:')) sum[m.name.slice(5)] = (sum[m.name.slice(5)] ?? 0) + m.duration;
    return sum;
  });
  // download: time spent waiting for a page (the next one downloads while one is stored); store: IndexedDB writes; sync: the first sync.
  console.log(`  in the page: ${Object.entries(phases).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(', ')}`);
  console.log(`start with ${TICKETS} tickets (download + IndexedDB, until the gate is ready): ${(took / 1000).toFixed(2)} s, ${stored} tickets stored (target < 10 s)`);
  await fresh.close();
} finally {
  await browser.close();
  await app.close();
  await cleanup();
}
console.log(`(load average at the end: ${load()}; compare runs on the same machine)`);
