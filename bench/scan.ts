/**
 * Door benchmark: the doors open and eight gates scan at once.
 *
 *   npm run bench:scan -- [--engine sqlite|postgres] [--tickets 20000] [--gates 8] [--twice 0.1] [--replays 0.02] [--qr 0.5] [--workers 1]
 *
 * Seeds a fresh database with one event and `--tickets` valid tickets (straight through the core, in
 * batches), starts a Guichet server in its own process, opens one door session per gate over HTTP
 * (an admission token code exchanged for a door credential), then drives `--gates` concurrent gates
 * over real HTTP (undici), each scanning its queue one request at a time. Every ticket is scanned
 * once; a share (`--twice`) is scanned again from another gate at about the same moment, and a share
 * (`--replays`) is sent again with the same nonce (a device retrying). Half the scans (`--qr`) carry
 * the signed QR payload instead of the barcode. Prints scans/s, p50/p99 latency and the server
 * process's CPU time per scan (steadier than scans/s on a shared machine) and the engine's raw ceiling
 * (as bench:onsale), then verifies that every ticket was admitted exactly once (answers and database both).
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import { sql } from 'kysely';
import { Pool } from 'undici';
import { issueTickets, signingKey, signTickets, toTicket } from '../src/core/selling/tickets.ts';
import { benchDatabase, benchOrganization, percentile, postgresCpuSeconds, processCpuSeconds, rawCeiling, roundTripCounter, startServer, watchdog, type BenchServer } from './support.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    tickets: { type: 'string', default: '20000' },
    gates: { type: 'string', default: '8' },
    twice: { type: 'string', default: '0.1' },
    replays: { type: 'string', default: '0.02' },
    qr: { type: 'string', default: '0.5' },
    // Server processes sharing the port (the server's WORKERS setting).
    workers: { type: 'string', default: '1' },
  },
});
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
const ticketCount = Number(values.tickets);
const gateCount = Number(values.gates);
const twiceShare = Number(values.twice);
const replayShare = Number(values.replays);
const qrShare = Number(values.qr);
const workers = Number(values.workers);

async function prepare() {
  const { database, url, cleanup } = await benchDatabase(engine);
  const { core, org, op } = await benchOrganization(database);
  const sections = ['Fosse', 'Gradins', 'Balcon', 'Loges'];
  const event = await core.events.create(op, {
    title: 'Doors open',
    sections: sections.map((name) => ({ name, capacity: Math.ceil(ticketCount / sections.length) + 10 })),
    dates: [{ startsAt: '2030-06-01T20:00:00+02:00' }],
  });
  // The tickets, straight through the core in batches (the door is what is measured, not selling).
  const now = new Date().toISOString();
  const key = await signingKey(database.db, org.id, now);
  const rows = [];
  for (let start = 0; start < ticketCount; start += 2000) {
    const n = Math.min(2000, ticketCount - start);
    rows.push(
      ...(await database.transaction((trx) =>
        issueTickets(
          trx,
          org.id,
          Array.from({ length: n }, (_, i) => ({
            eventId: event.id, dateId: event.dates[0].id, sectionId: event.sections[(start + i) % sections.length].id, tariffId: null,
            orderId: null, orderLineId: null, guestId: null, kind: 'comp' as const, holderName: null, holderEmail: null, holderAccountId: null,
          })),
          now,
        ),
      )),
    );
  }
  // Signed and stored after issue, as a sale or a guest list does.
  await signTickets(database, org.id, rows, now);
  const tickets = rows.map((r) => ({ id: r.id, barcode: r.barcode, qr: toTicket(r, key).qrPayload! }));
  const global = (await core.door.tokens.list(op, event.id, { limit: 1, offset: 0 }, { global: true })).items[0];
  const { code } = await core.door.tokens.reissueCode(op, event.id, global.id);
  return {
    database,
    url,
    code,
    eventId: event.id,
    tickets,
    cleanup,
  };
}

interface Planned { ticket: number; code: string; nonce: string; kind: 'first' | 'second' | 'replay' }

/** Each gate's queue: every ticket once, some again from the next gate at about the same position, some replayed. */
function plan(tickets: { id: number; barcode: string; qr: string }[]): Planned[][] {
  const queues: Planned[][] = Array.from({ length: gateCount }, () => []);
  tickets.forEach((t, i) => {
    const gate = i % gateCount;
    const code = Math.random() < qrShare ? t.qr : t.barcode;
    const first: Planned = { ticket: t.id, code, nonce: `g${gate}-${i}`, kind: 'first' };
    queues[gate].push(first);
    if (Math.random() < twiceShare) {
      const other = (gate + 1) % gateCount;
      queues[other].push({ ticket: t.id, code: Math.random() < qrShare ? t.qr : t.barcode, nonce: `g${other}-again-${i}`, kind: 'second' });
    }
    if (Math.random() < replayShare) queues[gate].push({ ...first, kind: 'replay' });
  });
  return queues;
}

async function main() {
  // Generous (seeding included): a run still going after it is stuck, and ends with its server killed.
  const guard = watchdog(600);
  guard.phase('preparing the database and the tickets');
  const setup = await prepare();
  const trips = roundTripCounter();
  let server: BenchServer | null = null;
  try {
    guard.phase('starting the server');
    server = await startServer(setup.url, { workers });
    guard.phase('the scans');
    // A scan unanswered for 30 s fails the run rather than waiting for ever.
    const pool = new Pool(server.base, { connections: gateCount, headersTimeout: 30_000, bodyTimeout: 30_000 });
    // One door session per gate, over HTTP, as the scanning app would open it.
    const keys: string[] = [];
    for (let g = 0; g < gateCount; g++) {
      const response = await pool.request({ path: '/api/door/sessions', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session: { code: setup.code, device: `gate ${g}` } }) });
      const body = (await response.body.json()) as { session: { key: string } };
      if (response.statusCode !== 201) throw new Error(`session: ${response.statusCode} ${JSON.stringify(body)}`);
      keys.push(body.session.key);
    }
    const queues = plan(setup.tickets);
    const latencies: number[] = [];
    const admittedBy = new Map<number, number>();
    const counts = { admitted: 0, already: 0, replayed: 0, replayMismatch: 0, other: 0, errors: 0 };
    const firstAnswers = new Map<string, boolean>();
    const clientCpu = process.cpuUsage();
    const serverCpuBefore = processCpuSeconds(server.pid);
    const databaseCpuBefore = engine === 'postgres' ? postgresCpuSeconds() : Number.NaN;
    const tripsBefore = engine === 'postgres' ? await trips.read() : 0;
    const started = performance.now();
    await Promise.all(
      queues.map(async (queue, g) => {
        const headers = { authorization: `Bearer ${keys[g]}`, 'content-type': 'application/json' };
        for (const s of queue) {
          const t0 = performance.now();
          const response = await pool.request({ path: '/api/scans', method: 'POST', headers, body: JSON.stringify({ scan: { code: s.code, nonce: s.nonce, device: `gate ${g}` } }) });
          const body = (await response.body.json()) as { scan: { admitted: boolean; reason: string | null; replayed: boolean } };
          latencies.push(performance.now() - t0);
          if (response.statusCode !== 200) { counts.errors++; continue; }
          const answer = body.scan;
          if (answer.replayed) {
            counts.replayed++;
            if (firstAnswers.get(s.nonce) !== answer.admitted) counts.replayMismatch++;
            continue;
          }
          firstAnswers.set(s.nonce, answer.admitted);
          if (answer.admitted) {
            counts.admitted++;
            admittedBy.set(s.ticket, (admittedBy.get(s.ticket) ?? 0) + 1);
          } else if (answer.reason === 'already_admitted') counts.already++;
          else counts.other++;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(clientCpu);
    // The server's own CPU per scan: less dependent on the machine's load than scans/s.
    const serverCpu = processCpuSeconds(server.pid) - serverCpuBefore;
    const databaseCpu = postgresCpuSeconds() - databaseCpuBefore;
    const tripsDuring = engine === 'postgres' ? (await trips.read()) - tripsBefore : 0;
    await pool.close();
    const db = setup.database.db;
    const [inside, admittedScans, distinctAdmitted] = await Promise.all([
      db.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).where('door_state', '=', 'in').executeTakeFirstOrThrow(),
      db.selectFrom('scans').select((eb) => eb.fn.countAll().as('n')).where('result', '=', 'admitted').executeTakeFirstOrThrow(),
      db.selectFrom('scans').select(sql<number>`count(distinct ticket_id)`.as('n')).where('result', '=', 'admitted').executeTakeFirstOrThrow(),
    ]);
    guard.phase('stopping the server');
    await server.stop();
    guard.phase('the raw ceiling');
    // The machine's speed varies (the same code measured 1.5× apart on two machines): the ceiling tells by how much.
    const ceiling = await rawCeiling(setup.database);
    latencies.sort((a, b) => a - b);
    const total = latencies.length;
    const onceEach = setup.tickets.every((t) => admittedBy.get(t.id) === 1);
    const exact = onceEach && Number(inside.n) === ticketCount && Number(admittedScans.n) === ticketCount && Number(distinctAdmitted.n) === ticketCount && counts.replayMismatch === 0 && counts.errors === 0 && counts.other === 0;
    console.log(`scan benchmark — ${engine}, ${gateCount} gates, ${ticketCount} tickets, ${workers} server process${workers > 1 ? 'es' : ''}, ${os.cpus().length} cores`);
    console.log(`  scans                 ${total} in ${elapsed.toFixed(2)} s → ${(total / elapsed).toFixed(0)} scans/s`);
    console.log(`  latency               p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`);
    console.log(`  answers               ${counts.admitted} admitted, ${counts.already} already admitted, ${counts.replayed} nonce replays (${counts.replayMismatch} differing), ${counts.other} other refusals, ${counts.errors} errors`);
    console.log(`  database              ${Number(inside.n)} tickets in, ${Number(admittedScans.n)} admitting scans for ${Number(distinctAdmitted.n)} distinct tickets`);
    console.log(`  server CPU            ${((serverCpu * 1000) / Math.max(1, total)).toFixed(3)} ms per scan (${(serverCpu / elapsed).toFixed(2)} cores busy)`);
    if (engine === 'postgres') console.log(`  round trips           ${(tripsDuring / Math.max(1, total)).toFixed(2)} per scan (${tripsDuring} statements sent to PostgreSQL by the server during the scans, counted at its driver, BEGIN and COMMIT included)`);
    if (engine === 'postgres') console.log(`  database CPU          ${((databaseCpu * 1000) / Math.max(1, total)).toFixed(3)} ms per scan (${(databaseCpu / elapsed).toFixed(2)} cores busy: the local PostgreSQL's processes)`);
    console.log(`  load generator        used ${((cpu.user + cpu.system) / 1e6 / elapsed).toFixed(2)} of the machine's ${os.cpus().length} cores (it runs beside the server)`);
    console.log(`  raw engine ceiling    ${ceiling.toFixed(0)} one-row conditional-update transactions/s`);
    console.log(`  ratio                 ${(total / elapsed / ceiling).toFixed(3)} scans per raw transaction`);
    console.log(`  exactly once          ${exact ? 'yes: every ticket admitted exactly once' : 'NO'}`);
    if (!exact) process.exitCode = 1;
  } finally {
    guard.phase('cleaning up');
    await server?.stop();
    trips.cleanup();
    await setup.cleanup();
    guard.done();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
