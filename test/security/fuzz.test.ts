/**
 * 5. No 5xx on any input: every route of every dialect, taken from Fastify's own route table (so a
 * route added later is fuzzed too), GET included, gets hostile values in its path, its query string
 * and its body — non-finite and out-of-range numbers, NUL bytes, impossible and year-0000 dates —
 * with valid credentials of its dialect (so the values reach the handlers), on the engine under test.
 * Any answer ≥ 500 fails the test, with the list of requests that got one.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RouteOptions } from 'fastify';
import { platform, type TestPlatform } from '../helpers.ts';
import { DEMO, seedDemo } from '../../src/demo/seed.ts';

/** ("Infinity" and "1e400" both read as Infinity once coerced; "-Infinity" stands for both signs.) */
const VALUES = ['-Infinity', '1e400', '2147483648', 'a\u0000b', '2027-02-30', '0000-01-01T00:00:00Z'];
/** Path parameters are ids or codes: the numbers and the NUL. */
const PATH_VALUES = ['1e400', '2147483648', 'a\u0000b'];
/** In JSON bodies the numbers are sent as numbers too (1e400 parses as Infinity). */
const BODY_VALUES: unknown[] = ['1e400', 'a\u0000b', '2027-02-30', '0000-01-01', '0000-01-01T00:00:00Z', 1e400, 2147483648];
/** Query names tried on every route besides those its schema declares (handlers that read the raw query). */
const COMMON_QUERY = ['page', 'per_page', 'records', 'page_size', 'id', 'event_id', 'date', 'from', 'to', 'start', 'end', 'limit', 'last_update', 'id_event'];

interface JsonSchema { type?: string | string[]; properties?: Record<string, JsonSchema>; anyOf?: JsonSchema[]; items?: JsonSchema }

/** Paths to the leaves of a body schema (depth ≤ 3), e.g. ['cart', 'items', 0, 'quantity']. */
function leaves(schema: JsonSchema | undefined, depth = 0): (string | number)[][] {
  if (!schema || depth > 3) return [];
  const variants = schema.anyOf ?? [schema];
  const out: (string | number)[][] = [];
  for (const s of variants) {
    if (s.properties) for (const [name, inner] of Object.entries(s.properties)) {
      const below = leaves(inner, depth + 1);
      if (below.length === 0) out.push([name]);
      for (const path of below) out.push([name, ...path]);
    } else if (s.items) {
      for (const path of leaves(s.items, depth + 1)) out.push([0, ...path]);
    }
  }
  return out;
}

/** A body with every given leaf set to the value (objects merged, one item per list). */
function build(paths: (string | number)[][], value: unknown): unknown {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    let holder: Record<string | number, unknown> = root;
    path.forEach((step, i) => {
      const last = i === path.length - 1;
      if (last) holder[step] = value;
      else {
        const nextIsIndex = typeof path[i + 1] === 'number';
        holder[step] ??= nextIsIndex ? [] : {};
        holder = holder[step] as Record<string | number, unknown>;
      }
    });
  }
  return root;
}

describe('5. no 5xx on any input: every route of every dialect', () => {
  let p: TestPlatform;
  let bearer: string;
  let weezeventToken: string;
  const failures: string[] = [];
  let requests = 0;

  before(async () => {
    p = await platform({
      rateLimit: { max: 1_000_000_000, windowSeconds: 3600 },
      credentialThrottle: { maxFailures: 1_000_000, maxFailuresPerIp: 1_000_000, windowSeconds: 60, maxLockSeconds: 1 },
    });
    await seedDemo(p.app.core);
    const t = await p.app.inject({ method: 'POST', url: '/api/auth/token', payload: { grant_type: 'client_credentials', client_id: DEMO.clientId, client_secret: DEMO.clientSecret, scope: 'public buy sell admin' } });
    bearer = t.json().access_token;
    const w = await p.app.inject({ method: 'POST', url: '/weezevent/auth/access_token', payload: { username: DEMO.email, password: DEMO.password, api_key: DEMO.weezeventApiKey } });
    weezeventToken = w.json().accessToken;
  });
  after(() => p.close());

  /** The dialect's credentials for a URL. */
  function credentials(url: string): { headers: Record<string, string>; query: string } {
    if (url.startsWith('/ticketing/')) return { headers: { 'x-api-key': DEMO.ticketingKey, 'x-client-version': '3.1.0' }, query: '' };
    if (url.startsWith('/weezevent')) return { headers: {}, query: `api_key=${DEMO.weezeventApiKey}&access_token=${weezeventToken}` };
    if (url.startsWith('/pims/')) return { headers: { authorization: `Basic ${Buffer.from(`${DEMO.pimsUsername}:${DEMO.pimsPassword}`).toString('base64')}` }, query: '' };
    return { headers: { authorization: `Bearer ${bearer}` }, query: '' };
  }

  async function send(method: string, url: string, body?: unknown) {
    const { headers, query } = credentials(url);
    const full = query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
    requests++;
    const response = await p.app.inject({
      method: method as 'GET',
      url: full,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    if (response.statusCode >= 500 && process.env.FUZZ_VERBOSE) console.log(`5xx: ${method} ${url} ${JSON.stringify(body) ?? ''} → ${response.statusCode}`);
    if (response.statusCode >= 500) failures.push(`${method} ${url} ${body !== undefined ? JSON.stringify(body) : ''} → ${response.statusCode} ${response.body.slice(0, 200)}`);
  }

  test('the route table covers every dialect; no hostile value gets an answer ≥ 500', { timeout: 40 * 60_000 }, async () => {
    const routes: { method: string; url: string; route: RouteOptions }[] = [];
    const seen = new Set<string>();
    for (const route of p.app.routeTable) {
      for (const method of [route.method].flat()) {
        if (method === 'HEAD' || method === 'OPTIONS') continue;
        if (route.url.startsWith('/api/docs')) continue; // swagger-ui's static files
        const id = `${method} ${route.url}`;
        if (seen.has(id)) continue;
        seen.add(id);
        routes.push({ method, url: route.url, route });
      }
    }
    for (const prefix of ['/api/', '/ticketing/v3/', '/weezevent/', '/pims/api/v1/', '/pims/:organization/api/']) {
      assert.ok(routes.some((r) => r.url.startsWith(prefix)), `routes under ${prefix}`);
    }
    // One mount point of each repeated dialect is enough (Weezevent's /api/v2 and Pims' four are the same handlers).
    const fuzzed = routes.filter((r) => (!r.url.startsWith('/weezevent/api/v2') && !r.url.startsWith('/pims/')) || r.url.startsWith('/pims/api/v1/'));
    const paramValue = (name: string) => (name === 'organization' ? DEMO.organization : '1');
    for (const { method, url, route } of fuzzed) {
      const params = [...url.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]);
      const fill = (hostile: string | null, which: string | null) =>
        url.replace(/:([A-Za-z_]+)/g, (_m, name: string) => (hostile !== null && name === which ? encodeURIComponent(hostile) : paramValue(name)));
      const schema = route.schema as { querystring?: JsonSchema; body?: JsonSchema } | undefined;
      const queryNames = [...new Set([...Object.keys(schema?.querystring?.properties ?? {}), ...COMMON_QUERY])];
      const bodyLeaves = ['POST', 'PUT', 'PATCH'].includes(method) ? leaves(schema?.body) : [];
      for (const value of PATH_VALUES) for (const param of params) if (param !== 'organization') await send(method, fill(value, param));
      for (const value of VALUES) await send(method, `${fill(null, null)}?${queryNames.map((n) => `${n}=${encodeURIComponent(value)}`).join('&')}`);
      // Every leaf of the body schema at once.
      for (const value of BODY_VALUES) {
        const base = fill(null, null);
        if (bodyLeaves.length > 0) await send(method, base, build(bodyLeaves, value));
        else if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) await send(method, base, { value, id: value, name: value });
      }
      if (process.env.FUZZ_VERBOSE) console.log(`${method} ${url}: ${requests} requests so far`);
    }
    console.log(`fuzzer: ${fuzzed.length} routes, ${requests} requests, ${failures.length} answers ≥ 500`);
    assert.deepEqual(failures, []);
  });
});
