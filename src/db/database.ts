import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Tables } from './tables.ts';
import { isPostgresUrl } from '../config.ts';
import { foldText } from './fold.ts';

export type Engine = 'sqlite' | 'postgres';
export type Db = Kysely<Tables>;

/**
 * One handle on the platform's database, whichever engine is behind it.
 * `transaction` is the only way core services change state: on SQLite it takes the write lock
 * up front (BEGIN IMMEDIATE) so two processes never deadlock upgrading a read lock.
 */
export interface Database {
  engine: Engine;
  db: Db;
  transaction<T>(work: (trx: Db) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Locks the selected rows until the transaction ends. PostgreSQL: `FOR UPDATE`. SQLite has no
   * row locks and needs none: BEGIN IMMEDIATE already holds the database's single write lock.
   */
  forUpdate<Q extends { forUpdate(): Q }>(query: Q): Q;
  close(): Promise<void>;
}

// PostgreSQL returns int8 (counts, sums) as strings; every figure we count fits a JS number.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export interface TransactionOptions {
  /**
   * `false` for changes that may be lost in a crash without harm (a cart hold: the buyer sees an
   * expired hold), so that PostgreSQL need not wait for the WAL flush while the transaction's row
   * locks are held. A later durable commit makes it durable too. SQLite in WAL mode with
   * synchronous=NORMAL never waits for a flush at commit anyway.
   */
  durable?: boolean;
}

export interface OpenOptions {
  /** PostgreSQL schema to use (created if missing); tests give each run its own. */
  schema?: string;
  poolSize?: number;
  /**
   * SQLite: other server processes write to the same file (several workers). Taking the write lock
   * then never blocks the event loop (see writeLock); a lone process keeps SQLite's own wait.
   */
  otherWriters?: boolean;
}

/**
 * PostgreSQL may abort one of two transactions that wait on each other (deadlock, 40P01) or that
 * cannot be serialized (40001); the transaction wrote nothing, so it is simply run again.
 */
async function withRetry<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= attempts || (code !== '40P01' && code !== '40001')) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  return isPostgresUrl(url) ? openPostgres(url, options) : openSqlite(url, options);
}

/**
 * Kysely prepares every statement anew; preparing costs about as much as running a small statement.
 * The same SQL text (parameters are bound separately) reuses its prepared statement instead.
 */
function withStatementCache(connection: SqliteDatabase.Database): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return new Proxy(connection, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver);
      return (source: string) => {
        let statement = cache.get(source);
        if (!statement) {
          statement = target.prepare(source);
          // Dynamic SQL (IN lists of varying length) would grow the cache without bound.
          if (cache.size < 2000) cache.set(source, statement);
        }
        return statement;
      };
    },
  });
}

function openSqlite(file: string, options: OpenOptions): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const connection = new SqliteDatabase(file);
  connection.pragma('journal_mode = WAL');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  // A bigger page cache and memory-mapped reads: fewer system calls per statement on the hot path.
  connection.pragma('cache_size = -65536');
  connection.pragma('mmap_size = 268435456');
  connection.pragma('temp_store = MEMORY');
  // Checkpoint less often: each checkpoint flushes the database file, a pause on the hot path.
  connection.pragma('wal_autocheckpoint = 10000');
  // Case- and accent-insensitive search (fold.ts); PostgreSQL gets the same function from migration 007.
  connection.function('guichet_fold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldText(value) : value));
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(connection) }) });
  const begin = connection.prepare('begin immediate');
  const beginImmediate = options.otherWriters ? writeLock(connection, begin) : async () => void begin.run();
  const [commit, rollback, savepoint, release, rollbackTo] = ['commit', 'rollback', 'savepoint unit', 'release unit', 'rollback to unit'].map((q) => connection.prepare(q));

  /**
   * Group commit: the units of work that ask for a transaction during one turn of the event loop
   * run one after the other in a single transaction, each inside a savepoint, and share its commit.
   * A commit (the WAL write of every page the transaction touched) costs more than the statements of
   * an order or a scan; units of one batch mostly touch the same pages, written once. A unit that
   * fails is rolled back to its savepoint and fails alone; every unit is answered after the commit.
   */
  type Unit = { work: (trx: Db) => Promise<unknown>; resolve(value: unknown): void; reject(error: unknown): void };
  const queue: Unit[] = [];
  const MAX_BATCH = 64;
  async function runBatch(batch: Unit[]) {
    const outcomes = await db.connection().execute(async (conn) => {
      const settled: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
      let begun = false;
      try {
        await beginImmediate();
        begun = true;
        for (const unit of batch) {
          if (batch.length > 1) savepoint.run();
          try {
            settled.push({ ok: true, value: await unit.work(conn) });
            if (batch.length > 1) release.run();
          } catch (error) {
            if (batch.length === 1) throw error;
            rollbackTo.run();
            release.run();
            settled.push({ ok: false, error });
          }
        }
        commit.run();
        return settled;
      } catch (error) {
        if (begun) rollback.run();
        return batch.map(() => ({ ok: false as const, error }));
      }
    });
    outcomes.forEach((outcome, i) => (outcome.ok ? batch[i].resolve(outcome.value) : batch[i].reject(outcome.error)));
  }
  function flush() {
    const batch = queue.splice(0, MAX_BATCH);
    if (queue.length > 0) setImmediate(flush);
    void runBatch(batch).catch((error) => batch.forEach((unit) => unit.reject(error)));
  }
  return {
    engine: 'sqlite',
    db,
    // Kysely's SQLite driver owns a single connection behind a mutex: holding it for the
    // whole batch keeps other requests of this process out until we commit.
    transaction: <T>(work: (trx: Db) => Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        if (queue.push({ work, resolve: resolve as (value: unknown) => void, reject }) === 1) setImmediate(flush);
      }),
    forUpdate: (query) => query,
    close: () => db.destroy(),
  };
}

/**
 * SQLite's write lock. Another process may hold it (several server workers on one file):
 * SQLite's own busy handler would then sleep with the whole event loop blocked, so the attempt is
 * made without waiting and retried from the event loop, which serves other requests meanwhile.
 */
function writeLock(connection: SqliteDatabase.Database, begin: SqliteDatabase.Statement, timeoutMs = 5000) {
  const dontWait = connection.prepare('pragma busy_timeout = 0');
  const wait = connection.prepare(`pragma busy_timeout = ${timeoutMs}`);
  return async () => {
    const deadline = Date.now() + timeoutMs;
    dontWait.get();
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          begin.run();
          return;
        } catch (error) {
          if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
          // The holder's transactions last well under a millisecond: retry at once a few times, then back off.
          await new Promise((resolve) => (attempt < 8 ? setImmediate(resolve) : setTimeout(resolve, 1)));
        }
      }
    } finally {
      wait.get();
    }
  };
}

/**
 * Statements sent to PostgreSQL by this process, counted at the driver: every `query` call of a pool
 * client is one round trip (BEGIN, COMMIT and ROLLBACK included). The benchmarks print it per order
 * and per scan; tests read it to hold the hot paths to their count.
 */
let roundTrips = 0;
export const postgresRoundTrips = () => roundTrips;
/** While a list is given, each statement's text is appended to it too (tests say which statements a path sent). */
let traced: string[] | null = null;
export function tracePostgresStatements(into: string[] | null) {
  traced = into;
}

/**
 * `GUICHET_ROUND_TRIPS_DIR=<dir>` (benchmarks): each server process writes its count to `<dir>/<pid>`
 * every 100 ms, so the process that drives a server can read what that server sent.
 */
function publishRoundTrips() {
  const dir = process.env.GUICHET_ROUND_TRIPS_DIR;
  if (!dir || publishing) return;
  publishing = true;
  let written = -1;
  setInterval(() => {
    if (written === roundTrips) return;
    written = roundTrips;
    fs.writeFileSync(path.join(dir, String(process.pid)), String(written));
  }, 100).unref();
}
let publishing = false;

function preparedStatements(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const names = new Map<string, string>();
  // Kysely calls query(text, values).
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
    roundTrips++;
    if (traced) traced.push(typeof text === 'string' ? text : String((text as { text?: string }).text));
    if (typeof text === 'string' && Array.isArray(values) && rest.length === 0) {
      // Statements with long IN lists differ by length; only a bounded set is kept prepared.
      let name = names.get(text);
      if (name === undefined && names.size < 500 && !/^\s*(begin|commit|rollback|set )/i.test(text)) {
        name = `g${names.size}`;
        names.set(text, name);
      }
      if (name !== undefined) return query({ name, text, values });
    }
    return query(text, values, ...rest);
  };
}

async function openPostgres(url: string, options: OpenOptions): Promise<Database> {
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  if (schema) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`create schema if not exists ${schema}`);
    await client.end();
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // Named statements are parsed and planned once per connection instead of at every execution.
  pool.on('connect', (client) => preparedStatements(client));
  publishRoundTrips();
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    db,
    // BEGIN and its SET LOCAL go as one simple-protocol query (no parameters): one round trip fewer
    // for each transaction that need not be durable (the on-sale's cart holds, the stored ticket signatures).
    transaction: (work, options) =>
      withRetry(() =>
        db.connection().execute(async (conn) => {
          await sql.raw(options?.durable === false ? 'begin; set local synchronous_commit to off' : 'begin').execute(conn);
          try {
            const result = await work(conn);
            await sql.raw('commit').execute(conn);
            return result;
          } catch (error) {
            // A broken connection cannot roll back; the original error is the one to report.
            await sql.raw('rollback').execute(conn).catch(() => undefined);
            throw error;
          }
        }),
      ),
    forUpdate: (query) => query.forUpdate(),
    close: () => db.destroy(),
  };
}
