/** What the benchmarks share: a fresh database, a bench organization, a server in its own process, figures. */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrator.ts';
import { loadConfig } from '../src/config.ts';
import { createCore } from '../src/core/index.ts';
import { MemoryMailer } from '../src/core/notifications/mailer.ts';
import { operatorPrincipal } from '../src/demo/seed.ts';

export const BENCH_PG = process.env.TEST_DATABASE_URL || process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

/** A fresh, migrated database: a temporary SQLite file, or a PostgreSQL schema of its own; `url` is what a server process opens. */
/**
 * One at-rest key for the bench's own core (which seeds the data and its signing keys) and its server
 * processes: without it each generated its own, and the server could not open the keys the seeding made.
 */
const BENCH_SECRET_KEY = process.env.GUICHET_SECRET_KEY || crypto.randomBytes(32).toString('hex');

/** The configuration of a core or app the bench runs in its own process. */
export const benchConfig = () => ({ ...loadConfig({}), secretKey: BENCH_SECRET_KEY });

export async function benchDatabase(engine: 'sqlite' | 'postgres') {
  const schema = `bench_${crypto.randomBytes(4).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-bench-'));
  const file = path.join(dir, 'guichet.sqlite');
  const database: Database = engine === 'postgres' ? await openDatabase(BENCH_PG, { schema }) : await openDatabase(file);
  await migrate(database);
  return {
    database,
    url: engine === 'postgres' ? `${BENCH_PG}?options=${encodeURIComponent(`-c search_path=${schema}`)}` : file,
    async cleanup() {
      if (engine === 'postgres') await sql.raw(`drop schema ${schema} cascade`).execute(database.db);
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The core on a bench database, with an organization `bench` and its owner's operator principal. */
export async function benchOrganization(database: Database) {
  const core = createCore({ database, config: benchConfig(), clock: () => new Date(), mailer: new MemoryMailer() });
  const owner = await core.accounts.create({ username: 'bench', email: 'bench@guichet.test', password: 'bench-password', platformRole: 'administrator' });
  const org = await core.organizations.create({ slug: 'bench', name: 'Bench', currency: 'EUR', timeZone: 'Europe/Paris', locale: 'fr-FR' }, { accountId: owner.id });
  return { core, org, op: operatorPrincipal(org.id, owner.id) };
}

/** CPU seconds used so far by the processes `match` picks (Linux /proc), NaN where /proc cannot be read. */
function cpuSecondsOf(match: (pid: number, command: string, parentPid: number) => boolean): number {
  try {
    let total = 0;
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime + stime (fields 14 and 15, in clock ticks of 1/100 s); the parent pid is field 4.
      if (match(Number(entry), command, Number(fields[1]))) total += (Number(fields[11]) + Number(fields[12])) / 100;
    }
    return total;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds a process and its children (cluster workers) have used so far, to report the server's cost apart from the load generator's. */
export const processCpuSeconds = (pid: number) => cpuSecondsOf((p, _command, parent) => p === pid || parent === pid);

/**
 * CPU seconds the PostgreSQL server's processes on this machine have used so far (its backends serve
 * the benchmark's server): on a machine that hosts both, the database's share of each order or scan.
 */
export const postgresCpuSeconds = () => cpuSecondsOf((_pid, command) => command === 'postgres');

/**
 * Round trips the benchmark's server processes send to PostgreSQL, counted at their driver
 * (src/db/database.ts: each process publishes its count to a file of this folder every 100 ms).
 * Call before `startServer`; `read()` waits for the counts to settle and sums them.
 */
export function roundTripCounter() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-round-trips-'));
  process.env.GUICHET_ROUND_TRIPS_DIR = dir;
  const sum = () =>
    fs
      .readdirSync(dir)
      .filter((name) => name !== String(process.pid))
      .reduce((total, name) => total + Number(fs.readFileSync(path.join(dir, name), 'utf8') || 0), 0);
  return {
    /** The servers' total so far (each process writes it every 100 ms: read 300 ms after the work). */
    async read() {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return sum();
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The server processes this benchmark started. Whatever way the benchmark ends (an error, a signal, its
 * watchdog), they are killed: a server left running would go on holding the machine's CPU and its
 * database connections (a hung run once left one behind).
 */
const servers = new Set<ChildProcess>();
const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
function killServers() {
  for (const child of servers) if (running(child)) child.kill('SIGKILL'); // a cluster's workers end with their primary
}
process.on('exit', killServers);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killServers();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  });
}

/**
 * Ends the benchmark if it has not ended after `seconds`, saying in which phase it was stuck (the
 * servers are killed on the way out). Call `phase(name)` as it goes.
 */
export function watchdog(seconds: number) {
  let current = 'starting';
  const timer = setTimeout(() => {
    console.error(`benchmark: not finished after ${seconds} s, stuck in phase "${current}"; its servers are killed`);
    process.exit(1);
  }, seconds * 1000);
  timer.unref();
  return {
    phase(name: string) {
      current = name;
    },
    done: () => clearTimeout(timer),
  };
}

const START_SECONDS = 300;

export interface BenchServer {
  base: string;
  pid: number;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s; at once if it has already exited. */
  stop(): Promise<void>;
}

/** A Guichet server in its own process (or `workers` processes) on that database (production start: no demo data); `BENCH_CPU_PROFILE=<dir>` profiles it. */
export function startServer(databaseUrl: string, options: { workers?: number } = {}): Promise<BenchServer> {
  return new Promise((resolve, reject) => {
    const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts', 'serve'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, GUICHET_SECRET_KEY: BENCH_SECRET_KEY, GUICHET_PRODUCTION: '1', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', RATE_LIMIT_MAX: '100000000', WORKERS: String(options.workers ?? 1) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    servers.add(child);
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const stop = async () => {
      if (running(child)) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          console.error(`benchmark: server ${child.pid} still running 10 s after SIGTERM; killed`);
          child.kill('SIGKILL');
        }, 10_000);
        await exited;
        clearTimeout(timer);
      }
      servers.delete(child);
    };
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /Guichet on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) resolve({ base: `http://127.0.0.1:${match[1]}`, pid: child.pid!, stop });
    });
    let late = false;
    child.once('exit', (code, signal) => reject(new Error(late ? `server did not start within ${START_SECONDS} s: ${output}` : `server exited (${signal ?? code}): ${output}`)));
    // Not up in time (a loaded machine takes its time to start tsx and the workers): stopped, and the benchmark told why.
    setTimeout(() => {
      if (/Guichet on /.test(output)) return;
      late = true;
      void stop();
    }, START_SECONDS * 1000).unref();
  });
}

/** The engine's raw ceiling: one-row conditional-update transactions, as fast as they go. */
export async function rawCeiling(database: Database, seconds = 3) {
  await sql`create table bench_counter (id integer primary key, n integer not null, cap integer not null)`.execute(database.db);
  await sql`insert into bench_counter values (1, 0, 2000000000)`.execute(database.db);
  const until = Date.now() + seconds * 1000;
  let count = 0;
  const worker = async () => {
    while (Date.now() < until) {
      await database.transaction(async (trx) => {
        await sql`update bench_counter set n = n + 1 where id = 1 and n + 1 <= cap`.execute(trx);
      });
      count++;
    }
  };
  // SQLite serializes writers anyway; PostgreSQL gets as many concurrent writers as its pool.
  await Promise.all(Array.from({ length: database.engine === 'postgres' ? 8 : 1 }, worker));
  await sql`drop table bench_counter`.execute(database.db);
  return count / seconds;
}
