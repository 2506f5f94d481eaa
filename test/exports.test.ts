import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { CARD, client, onSaleEvent, platform, token, PG_URL, type TestPlatform } from './helpers.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { createCore } from '../src/core/index.ts';
import { MemoryMailer } from '../src/core/notifications/mailer.ts';

type Api = ReturnType<typeof client>;

describe('exports as jobs', () => {
  let p: TestPlatform;
  let seller: Api;
  let sellerB: Api;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-exports-'));
    p = await platform({ exportDir: dir });
    seller = client(p.app, await token(p.app, p.a));
    sellerB = client(p.app, await token(p.app, p.b));
  });
  after(async () => {
    await p.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Follows a job until it is done (or failed); returns its last state. */
  async function finished(api: Api, id: number) {
    for (;;) {
      const job = (await api.get(`/api/jobs/${id}`)).json().job;
      if (job.status === 'done' || job.status === 'failed') return job;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function exported(body: Record<string, unknown>) {
    const r = await seller.post('/api/exports', { export: body });
    assert.equal(r.statusCode, 202, r.body);
    assert.equal(r.headers.location, `/api/jobs/${r.json().job.id}`);
    const job = await finished(seller, r.json().job.id);
    assert.equal(job.status, 'done', JSON.stringify(job));
    const file = await seller.get(job.download_url);
    assert.equal(file.statusCode, 200);
    assert.match(String(file.headers['content-type']), /^text\/csv/);
    return { job, rows: parse(file.body, { columns: true }) as Record<string, string>[] };
  }

  test('orders, tickets and ticket counts export to CSV with progress; another organization sees none of it', async () => {
    const ev = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Salle', capacity: 500 }], tariffs: [{ section: 0, label: 'Plein', price: 1500 }] });
    const orders: number[] = [];
    for (let i = 0; i < 5; i++) {
      const cart = (await seller.post('/api/carts', { cart: { items: [{ tariff_id: ev.tariffIds[0], date_id: ev.dateIds[0], quantity: i + 1 }] } })).json().cart;
      const order = await seller.post(`/api/carts/${cart.id}/checkout`, { checkout: { buyer_name: `Buyer, "${i}"`, buyer_email: `b${i}@example.test`, payment: { provider: 'test', card: CARD } } });
      assert.equal(order.statusCode, 201, order.body);
      orders.push(order.json().order.id);
    }
    // Organization B's sales must not leak into A's export.
    const evB = await onSaleEvent(p.app, p.b, { sections: [{ name: 'B', capacity: 10 }], tariffs: [{ section: 0, label: 'B', price: 100 }] });
    const cartB = (await sellerB.post('/api/carts', { cart: { items: [{ tariff_id: evB.tariffIds[0], date_id: evB.dateIds[0], quantity: 2 }] } })).json().cart;
    assert.equal((await sellerB.post(`/api/carts/${cartB.id}/checkout`, { checkout: { payment: { provider: 'test', card: CARD } } })).statusCode, 201);

    const o = await exported({ kind: 'orders' });
    assert.deepEqual([o.job.progress, o.job.total], [5, 5]);
    assert.deepEqual(o.rows.map((r) => Number(r.id)), orders);
    assert.equal(o.rows[2].buyer_name, 'Buyer, "2"', 'quoting survives commas and quotes');
    assert.deepEqual([o.rows[2].status, o.rows[2].total, o.rows[2].currency], ['paid', '4500', 'EUR']);

    const t = await exported({ kind: 'tickets', event_id: ev.eventId });
    assert.equal(t.rows.length, 15);
    assert.deepEqual([t.job.progress, t.job.total], [15, 15]);
    assert.ok(t.rows.every((r) => r.status === 'valid' && r.barcode.length === 16 && r.event_id === String(ev.eventId)));
    const tickets = await p.database.db.selectFrom('tickets').select(['id', 'barcode']).where('event_id', '=', ev.eventId).orderBy('id').execute();
    assert.deepEqual(t.rows.map((r) => [Number(r.id), r.barcode]), tickets.map((x) => [x.id, x.barcode]));

    const c = await exported({ kind: 'ticket_counts', event_id: ev.eventId });
    assert.equal(c.rows.length, 1);
    assert.deepEqual([c.rows[0].sales, c.rows[0].gross, c.rows[0].source, c.rows[0].approved], ['15', String(15 * 1500), 'auto', '1']);

    // B sees neither A's jobs nor their files.
    assert.equal((await sellerB.get(`/api/jobs/${o.job.id}`)).statusCode, 404);
    assert.equal((await sellerB.get(`/api/jobs/${o.job.id}/file`)).statusCode, 404);
    assert.equal((await sellerB.get('/api/jobs')).json().jobs.length, 0);
    assert.equal((await sellerB.post('/api/exports', { export: { kind: 'tickets', event_id: ev.eventId } })).statusCode, 422);
    assert.equal(Number((await seller.get('/api/jobs')).headers['x-total']), 3);
  });

  test('bad export requests are refused and queue nothing', async () => {
    const before = Number((await seller.get('/api/jobs')).headers['x-total']);
    for (const body of [
      { export: { kind: 'everything' } },
      { export: { kind: 'ticket_counts' } },
      { export: { kind: 'orders', from: 'last week' } },
      { export: { kind: 'orders', from: '2026-12-01T00:00:00Z', to: '2026-11-01T00:00:00Z' } },
      { export: { kind: 'orders', event_id: 999999 } },
      { export: { kind: 'orders', extra: true } },
      { kind: 'orders' },
    ]) {
      const r = await seller.post('/api/exports', body);
      assert.equal(r.statusCode, 422, `${JSON.stringify(body)} → ${r.body}`);
    }
    assert.equal(Number((await seller.get('/api/jobs')).headers['x-total']), before);
    assert.equal((await seller.get('/api/jobs/999999')).statusCode, 404);
    const buyerToken = client(p.app, await token(p.app, p.a, 'buy'));
    assert.equal((await buyerToken.post('/api/exports', { export: { kind: 'orders' } })).statusCode, 403);
  });

  test('a job is claimed once: two runners on one database run each queued job exactly once', async () => {
    // A second process's view: its own connection and its own core.
    const second: Database = p.schema ? await openDatabase(PG_URL, { schema: p.schema }) : await openDatabase(p.url);
    const other = createCore({ database: second, config: { ...p.config, exportDir: dir }, clock: p.clock, mailer: new MemoryMailer() });
    try {
      const t = p.clock().toISOString();
      const ids: number[] = [];
      for (let i = 0; i < 8; i++) {
        const row = await p.database.db
          .insertInto('jobs')
          .values({ organization_id: p.a.organizationId, kind: 'export:orders', params: '{}', status: 'queued', progress: 0, total: null, file: null, error: null, attempts: 0, runner: null, requested_by: null, created_at: t, started_at: null, finished_at: null })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.push(row.id);
      }
      const [ranHere, ranThere] = await Promise.all([p.app.core.exports.runPending(), other.exports.runPending()]);
      assert.equal(ranHere + ranThere, ids.length, `each job ran once (${ranHere} + ${ranThere})`);
      const rows = await p.database.db.selectFrom('jobs').selectAll().where('id', 'in', ids).execute();
      assert.ok(rows.every((r) => r.status === 'done' && r.attempts === 1), JSON.stringify(rows.map((r) => [r.status, r.attempts])));
      assert.deepEqual(new Set(rows.map((r) => r.runner)).size <= 2, true);
      assert.ok(rows.every((r) => r.runner === p.app.core.exports.runnerId || r.runner === other.exports.runnerId));
    } finally {
      await second.close();
    }
  });
});
