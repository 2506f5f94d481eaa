import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrator.ts';
import { buildApp } from '../src/app.ts';
import { MemoryMailer } from '../src/core/notifications/mailer.ts';
import { operatorPrincipal } from '../src/demo/seed.ts';
import { checkPimsResponse } from './dialects/pims/entities.ts';

/**
 * The at-rest key of every Guichet a test starts, in-process or as a child process (they inherit the
 * environment): processes sharing a database must share it, as servers in production do.
 */
export const TEST_SECRET_KEY = 'a1'.repeat(32);
process.env.GUICHET_SECRET_KEY ??= TEST_SECRET_KEY;

/** The engine this test process runs on (scripts/test.mjs runs the suite once per engine). */
export const ENGINE = (process.env.GUICHET_TEST_ENGINE ?? 'sqlite') as 'sqlite' | 'postgres';
export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A fresh, migrated database on the engine under test: a temporary SQLite file, or a PostgreSQL
 * schema of its own (dropped by `drop`).
 */
export async function freshDatabase(options: { poolSize?: number } = {}): Promise<{ database: Database; url: string; schema?: string; drop(): Promise<void> }> {
  if (ENGINE === 'postgres') {
    const schema = `t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
    const database = await openDatabase(PG_URL, { schema, poolSize: options.poolSize ?? (Number(process.env.GUICHET_TEST_POOL_SIZE) || undefined) });
    await migrate(database);
    return {
      database,
      url: PG_URL,
      schema,
      async drop() {
        await database.close();
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-test-'));
  const file = path.join(dir, 'guichet.sqlite');
  const database = await openDatabase(file);
  await migrate(database);
  return {
    database,
    url: file,
    async drop() {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A clock tests can move forward. */
export function testClock(start = new Date('2026-11-23T10:00:00Z')) {
  let now = start.getTime();
  const clock = () => new Date(now);
  return Object.assign(clock, { advance: (ms: number) => void (now += ms), set: (d: Date) => void (now = d.getTime()) });
}

export interface Tenant {
  organizationId: number;
  slug: string;
  adminAccountId: number;
  adminEmail: string;
  adminPassword: string;
  clientId: string;
  clientSecret: string;
}

export interface TestPlatform {
  app: FastifyInstance;
  database: Database;
  mailer: MemoryMailer;
  clock: ReturnType<typeof testClock>;
  config: Config;
  /** Where the test database is, for separate processes: a SQLite file, or PostgreSQL with a schema. */
  url: string;
  schema?: string;
  /** Two organizations with an admin account and an all-scopes OAuth client each. */
  a: Tenant;
  b: Tenant;
  close(): Promise<void>;
}

/** `mailFromConfig`: e-mail goes where the configuration says (SMTP_URL, or kept) instead of `mailer` below. */
export async function platform(overrides: Partial<Config> = {}, options: { mailFromConfig?: boolean; poolSize?: number } = {}): Promise<TestPlatform> {
  const fresh = await freshDatabase({ poolSize: options.poolSize });
  // Export files go to a directory of the test's own, removed with it.
  const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-exports-'));
  const config = { ...loadConfig({}), exportDir, secretKey: process.env.GUICHET_SECRET_KEY!, ...overrides };
  const clock = testClock();
  const mailer = new MemoryMailer();
  const app = await buildApp({ config, database: fresh.database, clock, mailer: options.mailFromConfig ? undefined : mailer });
  const pimsViolations = validatePimsResponses(app);
  const tenant = async (slug: string): Promise<Tenant> => {
    const adminPassword = `${slug}-admin-password`;
    const admin = await app.core.accounts.create({ username: `${slug}-admin`, email: `admin@${slug}.test`, password: adminPassword });
    const org = await app.core.organizations.create({ slug, name: `Org ${slug}`, currency: 'EUR', timeZone: 'Europe/Paris', locale: 'fr-FR' }, { accountId: admin.id });
    const clientSecret = `${slug}-secret`;
    const { client } = await app.core.credentials.createClient(operatorPrincipal(org.id, admin.id), {
      name: `${slug} client`, scopes: 'public buy sell admin', clientId: `${slug}-client`, secret: clientSecret,
    });
    return { organizationId: org.id, slug, adminAccountId: admin.id, adminEmail: admin.email, adminPassword, clientId: client.clientId, clientSecret };
  };
  const a = await tenant('alpha');
  const b = await tenant('beta');
  return {
    app, database: fresh.database, mailer, clock, config, a, b, url: fresh.url, schema: fresh.schema,
    async close() {
      await app.close();
      await fresh.drop();
      fs.rmSync(exportDir, { recursive: true, force: true });
      if (pimsViolations.length > 0) throw new Error(`Pims responses that break the official entity definitions:\n${pimsViolations.join('\n')}`);
    },
  };
}

/**
 * Every response of the Pims API a test produces is checked against the official entity
 * definitions (test/dialects/pims/entities.ts), whatever the test asserts itself. A response that
 * breaks them is turned into a 500 naming the fault (so the test at hand fails on it) and is
 * reported again when the platform closes.
 */
function validatePimsResponses(app: FastifyInstance): string[] {
  const violations: string[] = [];
  app.addHook('onSend', async (request, reply, payload) => {
    // A CORS preflight is no Pims operation (the Pims API answers none: browsers may not read it).
    if (!request.url.startsWith('/pims/') || request.method === 'OPTIONS') return payload;
    const body = typeof payload === 'string' ? payload : payload === null || payload === undefined ? '' : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    const fault = body === null
      ? 'a streamed body'
      : checkPimsResponse(request.method, request.url, reply.statusCode, String(reply.getHeader('content-type') ?? ''), body);
    if (!fault) return payload;
    violations.push(`${request.method} ${request.url} → ${reply.statusCode}: ${fault}`);
    reply.status(500).type('text/plain; charset=utf-8');
    return `Pims entity violation: ${fault}\n${body}`;
  });
  return violations;
}

/** Gets an access token over HTTP, as a client would. */
export async function token(app: FastifyInstance, tenant: Pick<Tenant, 'clientId' | 'clientSecret'>, scope = 'public buy sell admin'): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/token',
    payload: { grant_type: 'client_credentials', client_id: tenant.clientId, client_secret: tenant.clientSecret, scope },
  });
  if (response.statusCode !== 200) throw new Error(`token request failed: ${response.statusCode} ${response.body}`);
  return response.json().access_token;
}

/** A small HTTP client bound to one bearer token. */
export function client(app: FastifyInstance, accessToken: string, headers: Record<string, string> = {}) {
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, extra: Record<string, string> = {}) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${accessToken}`, ...headers, ...extra }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return {
    get: (url: string, extra?: Record<string, string>) => call('GET', url, undefined, extra),
    post: (url: string, payload: unknown, extra?: Record<string, string>) => call('POST', url, payload, extra),
    patch: (url: string, payload: unknown, extra?: Record<string, string>) => call('PATCH', url, payload, extra),
    put: (url: string, payload: unknown, extra?: Record<string, string>) => call('PUT', url, payload, extra),
    delete: (url: string, extra?: Record<string, string>) => call('DELETE', url, undefined, extra),
  };
}

export interface OnSaleEvent {
  eventId: number;
  dateIds: number[];
  sectionIds: number[];
  /** Tariff ids in the order given. */
  tariffIds: number[];
}

/**
 * A listed event on sale now, built through the core (setup only; tests then go through HTTP):
 * one date per entry of `dates`, the given sections, and tariffs on those sections (by index).
 */
export async function onSaleEvent(
  app: FastifyInstance,
  tenant: Tenant,
  options: {
    sections: { name: string; capacity: number }[];
    tariffs: { section: number; label: string; price: number; quota?: number | null; maxPerOrder?: number | null; saleStartsAt?: string; saleEndsAt?: string; channelIds?: number[] }[];
    dates?: string[];
  },
): Promise<OnSaleEvent> {
  const op = operatorPrincipal(tenant.organizationId, tenant.adminAccountId);
  const event = await app.core.events.create(op, {
    title: `On sale ${crypto.randomBytes(3).toString('hex')}`,
    sections: options.sections,
    dates: (options.dates ?? ['2027-03-01T20:00:00+01:00']).map((startsAt) => ({ startsAt })),
  });
  const tariffIds: number[] = [];
  for (const t of options.tariffs) {
    const tariff = await app.core.events.addTariff(op, event.id, {
      sectionId: event.sections[t.section].id, label: t.label, price: t.price, quota: t.quota ?? null, maxPerOrder: t.maxPerOrder ?? null,
      saleStartsAt: t.saleStartsAt ?? null, saleEndsAt: t.saleEndsAt ?? null, channelIds: t.channelIds,
    });
    tariffIds.push(tariff.id);
  }
  await app.core.events.transition(op, event.id, 'under_review');
  await app.core.events.transition(op, event.id, 'listed');
  return { eventId: event.id, dateIds: event.dates.map((d) => d.id), sectionIds: event.sections.map((s) => s.id), tariffIds };
}

/** Signs a buyer in with the password grant (creating the account on first use) and returns an API client. */
export async function buyer(app: FastifyInstance, tenant: Tenant, name: string) {
  const email = `${name}@buyers.test`;
  if (!(await app.core.accounts.findByEmail(email))) await app.core.accounts.create({ username: name, email, password: `${name}-password` });
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/token',
    payload: { grant_type: 'password', client_id: tenant.clientId, client_secret: tenant.clientSecret, username: email, password: `${name}-password` },
  });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
  return client(app, response.json().access_token);
}

/** The approving test card. */
export const CARD = { number: '4242424242424242', cvv: '123', expiry: '12/30', holder: 'Test Buyer' };

/** The DATABASE_URL a separate Guichet process is given for a test database (PostgreSQL: with its schema on the path). */
export function processDatabaseUrl(fresh: { url: string; schema?: string }): string {
  return fresh.schema ? `${PG_URL}?options=${encodeURIComponent(`-c search_path=${fresh.schema}`)}` : fresh.url;
}

/** Runs the real CLI (`src/main.ts`) with extra environment; resolves with its exit code and output. */
export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Starts a separate Guichet server (`serve`, with `workers` processes) on the test database; resolves once it listens. */
export function serveOnTestDatabase(p: TestPlatform, workers = 1): Promise<{ url: string; banner: string; stop(): Promise<void> }> {
  const databaseUrl = processDatabaseUrl(p);
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, GUICHET_PRODUCTION: '1', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', WORKERS: String(workers) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /Guichet on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) {
        resolve({
          url: `http://127.0.0.1:${match[1]}`,
          banner: output,
          stop: () => new Promise((done) => { child.once('exit', () => done()); child.kill('SIGTERM'); }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${output}`)));
  });
}

/** A JSON caller over real HTTP with one bearer token, for servers started by `serveOnTestDatabase`. */
export function bearerCaller(accessToken: string) {
  return async (base: string, method: string, url: string, body?: unknown) => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
}
