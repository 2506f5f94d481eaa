/**
 * Reporting benchmark: an event with many tickets across dates, channels, sections and tariffs.
 *
 *   npm run bench:reports -- [--engine sqlite|postgres] [--tickets 1000000] [--dates 10] [--days 60] [--runs 15]
 *
 * Seeds a fresh database (SQL bulk inserts in big transactions: orders, one line each, their
 * tickets), builds the sales tallies with the equivalent bulk path (one INSERT … SELECT … GROUP BY
 * over the seeded lines, spread over the same slots as the payment path), then times through the
 * HTTP stack (app.inject, a real token) the ticket-count summary and detailed views — whole period
 * and one week — over several runs (median, max), and an export of every ticket of the event as a
 * CSV job, sampling the process's peak RSS while it runs. Prints the figures.
 */
import { parseArgs } from 'node:util';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Insertable } from 'kysely';
import type { OrdersTable } from '../src/db/tables.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrator.ts';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/app.ts';
import { MemoryMailer } from '../src/core/notifications/mailer.ts';
import { operatorPrincipal } from '../src/demo/seed.ts';
import { TALLY_SLOTS } from '../src/core/reporting/tallies.ts';
import { BENCH_PG } from './support.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    tickets: { type: 'string', default: '1000000' },
    dates: { type: 'string', default: '10' },
    days: { type: 'string', default: '60' },
    runs: { type: 'string', default: '15' },
  },
});
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
const targetTickets = Number(values.tickets);
const dateCount = Number(values.dates);
const dayCount = Number(values.days);
const runs = Number(values.runs);
const PG = BENCH_PG;
const SECTIONS = 4;
const TARIFFS_PER_SECTION = 3;
const CHANNELS = 4;
/** A cheap integer hash, so that dates, days, channels and tariffs vary independently of each other. */
const mix = (i: number, salt: number) => {
  let h = Math.imul(i ^ (i >>> 16), 0x45d9f3b + salt * 2);
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2d);
  return (h ^ (h >>> 16)) >>> 0;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main() {
  const schema = `bench_${crypto.randomBytes(4).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-bench-reports-'));
  const database = engine === 'postgres' ? await openDatabase(PG, { schema }) : await openDatabase(path.join(dir, 'guichet.sqlite'));
  await migrate(database);
  // The clock stands on the last seeded day, so that the last day's count is today's live one.
  const start = Date.UTC(2026, 8, 1, 12);
  const now = new Date(start + (dayCount - 1) * 86_400_000 + 3600_000);
  const app = await buildApp({ config: { ...loadConfig({}), exportDir: path.join(dir, 'exports'), jobPollSeconds: 0 }, database, clock: () => now, mailer: new MemoryMailer() });
  const core = app.core;
  try {
    const owner = await core.accounts.create({ username: 'bench', email: 'bench@guichet.test', password: 'bench-password', platformRole: 'administrator' });
    const org = await core.organizations.create({ slug: 'bench', name: 'Bench', currency: 'EUR', timeZone: 'Europe/Paris', locale: 'fr-FR' }, { accountId: owner.id });
    const op = operatorPrincipal(org.id, owner.id);
    await core.credentials.createClient(op, { name: 'bench', scopes: 'public buy sell admin', clientId: 'bench-client', secret: 'bench-secret' });
    const channelIds = [(await core.channels.resolve(org.id, null)).id];
    for (let i = 1; i < CHANNELS; i++) channelIds.push((await core.channels.create(op, { name: `Channel ${i}`, kind: 'partner' })).id);
    const perSectionCapacity = Math.ceil(targetTickets / dateCount / SECTIONS) + 100;
    const event = await core.events.create(op, {
      title: 'The long run',
      sections: Array.from({ length: SECTIONS }, (_, i) => ({ name: `Section ${i + 1}`, capacity: perSectionCapacity })),
      dates: Array.from({ length: dateCount }, (_, i) => ({ startsAt: new Date(Date.UTC(2027, 0, 1 + i, 19)).toISOString() })),
    });
    const tariffs: { id: number; sectionId: number; price: number }[] = [];
    for (const section of event.sections) {
      for (let k = 0; k < TARIFFS_PER_SECTION; k++) {
        const price = 2000 + 1000 * k;
        tariffs.push({ id: (await core.events.addTariff(op, event.id, { sectionId: section.id, label: `${section.name} ${k}`, price })).id, sectionId: section.id, price });
      }
    }
    const dateIds = event.dates.map((d) => d.id);

    // ---- Seed: orders of 1–4 tickets, one line each, spread over dates, channels, tariffs and days.
    const seedStart = performance.now();
    const orderCount = Math.round(targetTickets / 2.5);
    const batch = 1000; // × 20 columns: under SQLite's 32766 bound parameters
    const t0 = new Date(start).toISOString();
    for (let from = 0; from < orderCount; from += 50 * batch) {
      await database.transaction(async (trx) => {
        let firstOrder = Infinity;
        let lastOrder = 0;
        for (let b = from; b < Math.min(orderCount, from + 50 * batch); b += batch) {
          const orders: Insertable<OrdersTable>[] = [];
          for (let i = b; i < Math.min(orderCount, b + batch); i++) {
            const tariff = tariffs[mix(i, 1) % tariffs.length];
            const quantity = 1 + (i % 4);
            const at = new Date(start + (mix(i, 2) % dayCount) * 86_400_000).toISOString();
            orders.push({
              organization_id: org.id, number: `B${i}`, cart_id: null, channel_id: channelIds[mix(i, 3) % CHANNELS], oauth_client_id: null, account_id: null,
              status: 'paid', currency: 'EUR', subtotal: quantity * tariff.price, discount: 0, total: quantity * tariff.price, refunded_amount: 0, code_id: null,
              buyer_name: `Buyer ${i}`, buyer_email: `buyer${i}@example.test`, expires_at: null, paid_at: at, cancelled_at: null, created_at: at, updated_at: at,
            });
          }
          const inserted = await trx.insertInto('orders').values(orders).returning(['id', 'number']).execute();
          for (const o of inserted) {
            firstOrder = Math.min(firstOrder, o.id);
            lastOrder = Math.max(lastOrder, o.id);
          }
          await trx
            .insertInto('order_lines')
            .values(inserted.map((o) => {
              const i = Number(o.number.slice(1));
              const tariff = tariffs[mix(i, 1) % tariffs.length];
              const quantity = 1 + (i % 4);
              return {
                organization_id: org.id, order_id: o.id, cart_item_id: null, event_id: event.id, date_id: dateIds[mix(i, 4) % dateCount], section_id: tariff.sectionId, tariff_id: tariff.id,
                channel_id: orders[i - b].channel_id, quantity, unit_price: tariff.price, discount: 0, total: quantity * tariff.price, created_at: orders[i - b].created_at as string,
              };
            }))
            .execute();
        }
        // Tickets: one per place of each line, made by the database from the lines (barcodes from the line id).
        await sql`
          with recursive n(k) as (select 1 union all select k + 1 from n where k < 4)
          insert into tickets (organization_id, event_id, date_id, section_id, tariff_id, order_id, order_line_id, guest_id, kind, barcode, version,
                               holder_name, holder_email, holder_account_id, status, created_at, updated_at)
          select l.organization_id, l.event_id, l.date_id, l.section_id, l.tariff_id, l.order_id, l.id, null, 'sale', 'B' || l.id || '-' || n.k, 1,
                 null, null, null, 'valid', l.created_at, l.created_at
          from order_lines l join n on n.k <= l.quantity
          where l.order_id between ${firstOrder} and ${lastOrder}`.execute(trx);
      });
      process.stdout.write(`\rseeding: ${Math.min(orderCount, from + 50 * batch)} / ${orderCount} orders`);
    }
    // Inventory rows agree with what was sold.
    await sql`update section_capacities set taken = (select count(*) from tickets t where t.date_id = section_capacities.date_id and t.section_id = section_capacities.section_id)
              where event_id = ${event.id}`.execute(database.db);
    // The aggregates: the payment path's upsert, done in bulk (same keys and slots; paid at 12:00 UTC, the same day in Paris).
    const slots = engine === 'postgres' ? TALLY_SLOTS : 1;
    const day = engine === 'postgres' ? sql`to_char(o.paid_at at time zone 'Europe/Paris', 'YYYY-MM-DD')` : sql`substr(o.paid_at, 1, 10)`;
    await database.transaction(async (trx) => {
      await sql`
        insert into sales_tallies (organization_id, event_id, date_id, channel_id, section_id, tariff_id, day, slot, sold, refunded, gross, refunded_gross, currency)
        select l.organization_id, l.event_id, l.date_id, l.channel_id, l.section_id, l.tariff_id, ${day}, o.id % ${sql.lit(slots)}, sum(l.quantity), 0, sum(l.total), 0, o.currency
        from order_lines l join orders o on o.id = l.order_id
        where l.event_id = ${event.id}
        group by l.organization_id, l.event_id, l.date_id, l.channel_id, l.section_id, l.tariff_id, ${day}, o.id % ${sql.lit(slots)}, o.currency`.execute(trx);
    });
    if (engine === 'postgres') await sql`analyze`.execute(database.db);
    const ticketCount = Number((await sql<{ n: number }>`select count(*) as n from tickets where event_id = ${event.id}`.execute(database.db)).rows[0].n);
    const tallyRows = Number((await sql<{ n: number }>`select count(*) as n from sales_tallies`.execute(database.db)).rows[0].n);
    console.log(`\nseeded ${ticketCount} tickets in ${orderCount} orders, ${dateCount} dates × ${SECTIONS} sections × ${tariffs.length} tariffs × ${CHANNELS} channels × ${dayCount} days; ${tallyRows} tally rows; ${((performance.now() - seedStart) / 1000).toFixed(1)} s (${engine})`);

    // ---- Timed reads through HTTP.
    const tokenAnswer = await app.inject({ method: 'POST', url: '/api/auth/token', payload: { grant_type: 'client_credentials', client_id: 'bench-client', client_secret: 'bench-secret', scope: 'public sell admin' } });
    const headers = { authorization: `Bearer ${tokenAnswer.json().access_token}` };
    const get = async (url: string) => {
      const t = performance.now();
      const r = await app.inject({ method: 'GET', url, headers });
      const ms = performance.now() - t;
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 200)}`);
      return { ms, body: r.json(), total: Number(r.headers['x-total']) };
    };
    const base = `/api/events/${event.id}/ticket_counts`;
    const first = await get(`${base}?per_page=100`);
    console.log(`first read (creates the ${first.total} automatic count headers): ${first.ms.toFixed(1)} ms`);
    // Sanity: the counts add up to the tickets.
    let sold = 0;
    for (let page = 1; (page - 1) * 100 < first.total; page++) sold += (await get(`${base}?per_page=100&page=${page}`)).body.ticket_counts.reduce((n: number, c: { sales: number }) => n + c.sales, 0);
    console.log(`counts add up to ${sold} tickets (${sold === ticketCount ? 'exact' : 'MISMATCH'})`);
    const week = `from=${new Date(start + 10 * 86_400_000).toISOString().slice(0, 10)}&to=${new Date(start + 16 * 86_400_000).toISOString().slice(0, 10)}`;
    const views: [string, string][] = [
      ['summary, first page of 100', `${base}?per_page=100`],
      ['summary, one week, one date', `${base}?per_page=100&${week}&date_id=${dateIds[0]}`],
      ['detailed, first page of 25', `${base}/detailed?per_page=25`],
      ['detailed, first page of 100', `${base}/detailed?per_page=100`],
      ['detailed, one week', `${base}/detailed?per_page=100&${week}`],
      ["capacities", `/api/events/${event.id}/capacities`],
    ];
    console.log(`\n| view | median | max | (${runs} runs) |\n|---|---|---|---|`);
    for (const [name, url] of views) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push((await get(url)).ms);
      times.sort((a, b) => a - b);
      console.log(`| ${name} | ${times[Math.floor(times.length / 2)].toFixed(1)} ms | ${times[times.length - 1].toFixed(1)} ms | |`);
    }

    // ---- Export of every ticket, with peak RSS sampled meanwhile.
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const exportStart = performance.now();
    const requested = await app.inject({ method: 'POST', url: '/api/exports', headers, payload: { export: { kind: 'tickets', event_id: event.id } } });
    if (requested.statusCode !== 202) throw new Error(requested.body);
    await core.exports.drain();
    const job = (await get(`/api/jobs/${requested.json().job.id}`)).body.job;
    const exportMs = performance.now() - exportStart;
    clearInterval(sampler);
    const file = path.join(dir, 'exports', job.file_name ?? '');
    const size = job.file_name ? fs.statSync(file).size : 0;
    console.log(`\nexport of all tickets: ${job.status}, ${job.progress} / ${job.total} rows, ${(exportMs / 1000).toFixed(1)} s, ${mb(size)} CSV; RSS ${mb(rssBefore)} before, peak ${mb(peak)} (+${mb(peak - rssBefore)})`);
  } finally {
    await app.close();
    await database.close();
    if (engine === 'postgres' && process.env.BENCH_KEEP) console.log(`kept schema ${schema}`);
    else if (engine === 'postgres') {
      const pg = await import('pg');
      const client = new pg.default.Client({ connectionString: PG });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
