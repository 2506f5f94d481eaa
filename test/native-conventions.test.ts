import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { client, platform, token, type TestPlatform } from './helpers.ts';

describe('native API conventions', () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;
  before(async () => {
    // https://shop.example is a partner's shop allowed by configuration (CORS_ORIGINS).
    p = await platform({ corsOrigins: ['https://shop.example'] });
    admin = client(p.app, await token(p.app, p.a));
  });
  after(() => p.close());

  test('pagination: page/per_page with X-Page, X-Per-Page and X-Total', async () => {
    for (let i = 1; i <= 23; i++) {
      const r = await admin.post('/api/venues', { venue: { name: `Salle ${i}`, kind: 'hall', city: 'Nantes', country_code: 'FR' } });
      assert.equal(r.statusCode, 201);
    }
    const first = await admin.get('/api/venues');
    assert.equal(first.headers['x-page'], '1');
    assert.equal(first.headers['x-per-page'], '10');
    assert.equal(first.headers['x-total'], '23');
    assert.equal(first.json().venues.length, 10);
    const third = await admin.get('/api/venues?page=3&per_page=10');
    assert.deepEqual(third.json().venues.map((v: { name: string }) => v.name), ['Salle 21', 'Salle 22', 'Salle 23']);
    const five = await admin.get('/api/venues?per_page=5&page=2');
    assert.equal(five.headers['x-per-page'], '5');
    assert.deepEqual(five.json().venues.map((v: { name: string }) => v.name), ['Salle 6', 'Salle 7', 'Salle 8', 'Salle 9', 'Salle 10']);
    const past = await admin.get('/api/venues?page=9');
    assert.deepEqual(past.json().venues, []);
    assert.equal(past.headers['x-total'], '23');
    const hundred = await admin.get('/api/venues?per_page=100');
    assert.equal(hundred.json().venues.length, 23);
    for (const bad of ['per_page=101', 'per_page=0', 'page=0', 'page=x']) {
      const r = await admin.get(`/api/venues?${bad}`);
      assert.equal(r.statusCode, 422, bad);
      assert.equal(r.json().error.code, 'VALIDATION_FAILED');
    }
  });

  test('bodies are keyed by the resource root; DELETE answers 204 with an empty body', async () => {
    const created = await admin.post('/api/series', { series: { kind: 'tour', label: 'Tournée', first_date: '2027-01-01', last_date: '2027-02-01' } });
    assert.equal(created.statusCode, 201);
    const series = created.json().series;
    assert.equal(series.label, 'Tournée');
    const list = await admin.get('/api/series');
    assert.ok(Array.isArray(list.json().series));
    const unrooted = await admin.post('/api/series', { kind: 'tour', label: 'x' });
    assert.equal(unrooted.statusCode, 422);
    const deleted = await admin.delete(`/api/series/${series.id}`);
    assert.equal(deleted.statusCode, 204);
    assert.equal(deleted.body, '');
    assert.equal((await admin.get(`/api/series/${series.id}`)).statusCode, 404);
  });

  test('X-Interface: default channel when absent, the chosen one echoed, unknown or malformed refused', async () => {
    const channels = (await admin.get('/api/interfaces')).json().interfaces;
    const web = channels.find((c: { default: boolean }) => c.default);
    assert.ok(web);
    const plain = await admin.get('/api/venues');
    assert.equal(plain.headers['x-interface'], String(web.id));
    const boxOffice = (await admin.post('/api/interfaces', { interface: { name: 'Box office', kind: 'box_office' } })).json().interface;
    const chosen = await admin.get('/api/venues', { 'x-interface': String(boxOffice.id) });
    assert.equal(chosen.statusCode, 200);
    assert.equal(chosen.headers['x-interface'], String(boxOffice.id));
    const unknown = await admin.get('/api/venues', { 'x-interface': '99999' });
    assert.equal(unknown.statusCode, 404);
    const malformed = await admin.get('/api/venues', { 'x-interface': 'web' });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().error.code, 'BAD_REQUEST');
    // The default moves when another interface is made the default.
    await admin.patch(`/api/interfaces/${boxOffice.id}`, { interface: { default: true } });
    assert.equal((await admin.get('/api/venues')).headers['x-interface'], String(boxOffice.id));
    const refused = await admin.delete(`/api/interfaces/${boxOffice.id}`);
    assert.equal(refused.statusCode, 409);
  });

  test('401 without or with a bad token, 403 without the needed scope', async () => {
    const none = await p.app.inject({ method: 'GET', url: '/api/venues' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().error.code, 'UNAUTHENTICATED');
    const bad = await client(p.app, 'not-a-token').get('/api/venues');
    assert.equal(bad.statusCode, 401);
    const reader = client(p.app, await token(p.app, p.a, 'public'));
    assert.equal((await reader.get('/api/venues')).statusCode, 200);
    const write = await reader.post('/api/venues', { venue: { name: 'X', kind: 'hall', city: 'Nantes', country_code: 'FR' } });
    assert.equal(write.statusCode, 403);
    assert.equal(write.json().error.code, 'FORBIDDEN');
    const seller = client(p.app, await token(p.app, p.a, 'public sell'));
    assert.equal((await seller.post('/api/interfaces', { interface: { name: 'Kiosk', kind: 'partner' } })).statusCode, 403, 'interfaces need admin');
    assert.equal((await seller.get('/api/users')).statusCode, 403, 'member list needs admin');
  });

  test('unknown routes answer 404 in the native error format', async () => {
    const r = await admin.get('/api/nothing-here');
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().error.code, 'NOT_FOUND');
  });

  test('CORS: preflight answers with the request origin, methods, exposed headers, max age and credentials', async () => {
    const preflight = await p.app.inject({
      method: 'OPTIONS',
      url: '/api/events',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-interface' },
    });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://shop.example');
    assert.equal(preflight.headers['access-control-allow-credentials'], 'true');
    assert.match(String(preflight.headers['access-control-allow-methods']), /POST/);
    assert.match(String(preflight.headers['access-control-allow-methods']), /DELETE/);
    assert.match(String(preflight.headers['access-control-allow-headers']).toLowerCase(), /x-interface/);
    assert.equal(preflight.headers['access-control-max-age'], '86400');
    const actual = await admin.get('/api/venues', { origin: 'https://shop.example' });
    assert.equal(actual.headers['access-control-allow-origin'], 'https://shop.example');
    const exposed = String(actual.headers['access-control-expose-headers']);
    for (const h of ['X-Page', 'X-Per-Page', 'X-Total', 'X-Interface', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']) assert.ok(exposed.includes(h), h);
  });

  test('OpenAPI 3.1 document and interactive reference are generated from the routes', async () => {
    const doc = (await p.app.inject('/api/openapi.json')).json();
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/api/auth/token', '/api/events', '/api/events/{id}/tariffs', '/api/venues', '/api/countries/{id}/states', '/api/users/{id}/addresses']) {
      assert.ok(doc.paths[path], `${path} documented`);
    }
    assert.ok(doc.paths['/api/events'].post.requestBody, 'request bodies come from the schemas');
    const ui = await p.app.inject('/api/docs/');
    assert.equal(ui.statusCode, 200);
    assert.match(ui.body, /swagger/i);
  });
});

describe('sliding-window rate limit', () => {
  let p: TestPlatform;
  before(async () => {
    p = await platform({ rateLimit: { max: 3, windowSeconds: 60 } });
  });
  after(() => p.close());

  test('each request counts for one window; 429 with Retry-After past the limit; reset is when the oldest expires', async () => {
    const accessToken = await token(p.app, p.a);
    const api = client(p.app, accessToken);
    const t0 = p.clock().getTime();
    const first = await api.get('/api/venues');
    assert.equal(first.headers['ratelimit-limit'], '3');
    assert.equal(first.headers['ratelimit-remaining'], '2');
    assert.equal(first.headers['ratelimit-reset'], String(Math.ceil((t0 + 60_000) / 1000)));
    p.clock.advance(20_000);
    assert.equal((await api.get('/api/venues')).headers['ratelimit-remaining'], '1');
    p.clock.advance(20_000);
    const third = await api.get('/api/venues');
    assert.equal(third.statusCode, 200);
    assert.equal(third.headers['ratelimit-remaining'], '0');
    const limited = await api.get('/api/venues');
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().error.code, 'RATE_LIMITED');
    assert.equal(limited.headers['retry-after'], '20');
    // Another token has its own window.
    const other = client(p.app, await token(p.app, p.a));
    assert.equal((await other.get('/api/venues')).statusCode, 200);
    // When the first request's hour (here: minute) is over, exactly one slot frees up, and reset moves to the second.
    p.clock.advance(20_001);
    const again = await api.get('/api/venues');
    assert.equal(again.statusCode, 200);
    assert.equal(again.headers['ratelimit-remaining'], '0');
    assert.equal(again.headers['ratelimit-reset'], String(Math.ceil((t0 + 20_000 + 60_000) / 1000)));
    assert.equal((await api.get('/api/venues')).statusCode, 429);
  });
});
