/**
 * 9. Safe defaults: the real command line (`src/main.ts serve`, what `npm start` runs) is started as
 * a child process with no HOST, no DATABASE_URL, no GUICHET_PRODUCTION, in a folder of its own:
 * - the default start of an empty embedded database is the demo (its published credentials are
 *   printed and work), and it listens on 127.0.0.1 only, and says so;
 * - HOST is honoured, and then the server does not claim to be on 127.0.0.1 only;
 * - a production start (GUICHET_PRODUCTION, or any DATABASE_URL: PostgreSQL on the PostgreSQL pass)
 *   creates no demo data and prints no demo credential; nor does a demo start on a platform that
 *   already has an organization of its own.
 * The demo is the embedded default's, so its two tests run in the SQLite pass; the PostgreSQL pass
 * starts the server on PostgreSQL (a production start by itself).
 * Where the server listens is read from the kernel's socket table (/proc/net/tcp), not only from
 * what it prints; nothing is sent to any address outside the loopback range.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DEMO } from '../../src/demo/seed.ts';
import { ENGINE, freshDatabase, PG_URL, processDatabaseUrl } from '../helpers.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
/** Variables a test process may carry that would change what a bare start does. */
const UNSET = ['HOST', 'PORT', 'DATABASE_URL', 'GUICHET_PRODUCTION', 'TRUST_PROXY', 'CORS_ORIGINS', 'WORKERS', 'REDIS_URL', 'SMTP_URL'];

const folders: string[] = [];
after(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

/** A folder of its own for a start: `./data/guichet.sqlite` (the default database) lands there. */
function folder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-defaults-'));
  folders.push(dir);
  return dir;
}

function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', JOB_POLL_SECONDS: '0' };
  for (const name of UNSET) delete env[name];
  // PORT=0: a free port, read from the announce line (the default 3000 may be taken on a shared machine).
  return { ...env, PORT: '0', ...extra };
}

/** Runs a one-shot command of the CLI (create-admin …) in `cwd`. */
function cli(cwd: string, args: string[], extra: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], { cwd, env: environment(extra), encoding: 'utf8', timeout: 240_000 });
  assert.equal(run.status, 0, `${args[0]}: ${run.stdout}${run.stderr}`);
}

/** Starts `serve` in `cwd`; resolves once it announces where it listens. */
function serve(cwd: string, extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, 'serve'], { cwd, env: environment(extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => void (output += chunk));
  child.stderr!.on('data', (chunk) => void (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = new Promise<{ url: string; host: string; port: number }>((resolve, reject) => {
    const look = () => {
      const match = /Guichet on (http:\/\/([^:/]+):(\d+))/.exec(output);
      if (match) resolve({ url: match[1], host: match[2], port: Number(match[3]) });
    };
    child.stdout!.on('data', look);
    child.once('exit', (code, signal) => reject(new Error(`the server exited before listening (${code ?? signal}):\n${output}`)));
  });
  return {
    started,
    get output() { return output; },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The local addresses (dotted IPv4, or `[v6]`) that listen on a TCP port, from the kernel's tables. */
function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4 || fields[3] !== '0A') continue; // 0A: LISTEN
      const [hex, portHex] = fields[1].split(':');
      if (parseInt(portHex, 16) !== port) continue;
      if (hex.length === 8) found.push(hex.match(/../g)!.reverse().map((b) => parseInt(b, 16)).join('.'));
      else found.push(`[${hex}]`);
    }
  }
  return found;
}

async function demoClientWorks(url: string): Promise<boolean> {
  const answer = await fetch(`${url}/api/auth/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: DEMO.clientId, client_secret: DEMO.clientSecret, scope: 'public' }),
  });
  return answer.status === 200;
}

async function demoKeysWork(url: string): Promise<{ client: boolean; ticketing: boolean; pims: boolean }> {
  const ticketing = await fetch(`${url}/ticketing/v3/events`, { headers: { 'x-api-key': DEMO.ticketingKey, 'x-client-version': '3.1.0' } });
  const pims = await fetch(`${url}/pims/api/v1/events`, { headers: { authorization: `Basic ${Buffer.from(`${DEMO.pimsUsername}:${DEMO.pimsPassword}`).toString('base64')}` } });
  return { client: await demoClientWorks(url), ticketing: ticketing.status === 200, pims: pims.status === 200 };
}

/**
 * A production start on the engine under test: the embedded default database with GUICHET_PRODUCTION
 * set, or PostgreSQL (a schema of its own), where any DATABASE_URL is a production start by itself.
 */
async function productionStart(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (ENGINE !== 'postgres') return { env: { GUICHET_PRODUCTION: '1' }, drop: async () => {} };
  const fresh = await freshDatabase();
  await fresh.database.close();
  return {
    env: { DATABASE_URL: processDatabaseUrl(fresh) },
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${fresh.schema} cascade`);
      await c.end();
    },
  };
}

/** The demo is the embedded default's: on PostgreSQL every start is a production start (tested below). */
const EMBEDDED_ONLY = ENGINE === 'postgres' ? 'the default start is embedded (SQLite): run in the SQLite pass' : false;

function assertNoDemoCredential(output: string) {
  for (const secret of [DEMO.password, DEMO.clientSecret, DEMO.ticketingKey, DEMO.pimsPassword, DEMO.buyerPassword]) {
    assert.ok(!output.includes(secret), `no demo credential (${secret}) is printed:\n${output}`);
  }
}

describe('9. safe defaults: demo credentials only on a demo start, 127.0.0.1 unless HOST is set', () => {
  test('9. the default start of an empty embedded database is the demo, listening on 127.0.0.1 only, and says so', { timeout: 600_000, skip: EMBEDDED_ONLY }, async () => {
    const server = serve(folder());
    try {
      const { url, host, port } = await server.started;
      assert.equal(host, '127.0.0.1');
      assert.deepEqual(listeningAddresses(port), ['127.0.0.1'], 'bound to the loopback address only, not to every interface');
      assert.equal((await fetch(`${url}/health`)).status, 200);
      assert.match(server.output, /Listening on 127\.0\.0\.1 only .*set HOST=/);
      assert.match(server.output, /Demo organization "demo" created with fixed credentials/);
      assert.ok(server.output.includes(DEMO.password) && server.output.includes(DEMO.clientSecret), 'the demo prints its published credentials');
      assert.deepEqual(await demoKeysWork(url), { client: true, ticketing: true, pims: true });
    } finally {
      await server.stop();
    }
  });

  test('9. HOST is honoured, and the server no longer says it listens on 127.0.0.1 only', { timeout: 300_000 }, async () => {
    // Another loopback address: binding 0.0.0.0 would open a test server to every network.
    const production = await productionStart();
    const server = serve(folder(), { ...production.env, HOST: '127.0.0.2' });
    try {
      const { url, host, port } = await server.started;
      assert.equal(host, '127.0.0.2');
      assert.deepEqual(listeningAddresses(port), ['127.0.0.2']);
      assert.equal((await fetch(`${url}/health`)).status, 200);
      assert.doesNotMatch(server.output, /127\.0\.0\.1 only/);
    } finally {
      await server.stop();
      await production.drop();
    }
  });

  test(`9. a production start (${ENGINE}) creates no demo data and prints no demo credential`, { timeout: 300_000 }, async () => {
    const production = await productionStart();
    const server = serve(folder(), production.env);
    try {
      const { url, host } = await server.started;
      assert.equal(host, '127.0.0.1');
      assertNoDemoCredential(server.output);
      assert.doesNotMatch(server.output, /Demo organization/);
      assert.deepEqual(await demoKeysWork(url), { client: false, ticketing: false, pims: false });
    } finally {
      await server.stop();
      await production.drop();
    }
  });

  test('9. a demo start on a platform that already has an organization of its own adds no demo credentials', { timeout: 300_000, skip: EMBEDDED_ONLY }, async () => {
    const cwd = folder();
    cli(cwd, ['create-admin', '--email', 'owner@example.test', '--username', 'owner', '--password', 'owner-password-1', '--organization', 'own']);
    const server = serve(cwd);
    try {
      const { url } = await server.started;
      assertNoDemoCredential(server.output);
      assert.equal(await demoClientWorks(url), false);
    } finally {
      await server.stop();
    }
  });
});
