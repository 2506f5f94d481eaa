import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { onSaleEvent, platform, type TestPlatform } from '../../helpers.ts';

/** A browser as the server sees it: a cookie jar and the CSRF token of its session. */
async function browser(app: FastifyInstance) {
  const jar = new Map<string, string>();
  let csrf = '';
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (setCookie: string | string[] | undefined) => {
    for (const line of [setCookie ?? []].flat()) {
      const [pair] = line.split(';');
      const [name, value] = pair.split('=');
      if (value === '' || /Expires=Thu, 01 Jan 1970/.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
  };
  const call = async (method: 'GET' | 'POST' | 'DELETE' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const response = await app.inject({
      method,
      url,
      headers: { cookie: cookieHeader(), ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }), ...headers },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    remember(response.headers['set-cookie']);
    if (url === '/api/session' || url.startsWith('/api/session/')) {
      if (response.statusCode < 300 && response.body) csrf = response.json().session.csrf_token;
    }
    return response;
  };
  await call('GET', '/api/session');
  return { call, jar, get csrf() { return csrf; }, set csrf(v: string) { csrf = v; } };
}

describe('native API: browser sessions (cookie + CSRF)', () => {
  let p: TestPlatform;
  before(async () => {
    // Served behind a TLS-terminating proxy whose X-Forwarded-Proto is believed (TRUST_PROXY).
    p = await platform({ trustProxy: true });
    await p.app.core.accounts.create({ username: 'buyer1', email: 'buyer1@example.test', password: 'buyer1-password' });
  });
  after(async () => p?.close());

  test('GET /api/session starts a guest session in an httpOnly SameSite cookie and gives its CSRF token', async () => {
    const response = await p.app.inject({ method: 'GET', url: '/api/session' });
    assert.equal(response.statusCode, 200);
    const cookie = String(response.headers['set-cookie']);
    assert.match(cookie, /^guichet_session=[A-Za-z0-9_-]{43};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/); // plain HTTP here; Secure and __Host- over HTTPS
    assert.equal(response.json().session.account, null);
    assert.match(response.json().session.csrf_token, /^[0-9a-f]{64}$/);
    assert.equal(response.headers['cache-control'], 'no-store');
    const https = await p.app.inject({ method: 'GET', url: '/api/session', headers: { 'x-forwarded-proto': 'https' } });
    assert.match(String(https.headers['set-cookie']), /^__Host-guichet_session=.*Secure/);
  });

  test('sign in needs the session and its CSRF token; the key changes; wrong passwords are refused', async () => {
    const b = await browser(p.app);
    const before = b.jar.get('guichet_session');
    const noToken = await b.call('POST', '/api/session/sign_in', { sign_in: { identification: 'buyer1@example.test', password: 'buyer1-password' } }, { 'x-csrf-token': 'nope' });
    assert.equal(noToken.statusCode, 403);
    assert.equal(noToken.json().error.code, 'FORBIDDEN');
    const noSession = await p.app.inject({ method: 'POST', url: '/api/session/sign_in', payload: { sign_in: { identification: 'buyer1@example.test', password: 'buyer1-password' } } });
    assert.equal(noSession.statusCode, 403);
    const wrong = await b.call('POST', '/api/session/sign_in', { sign_in: { identification: 'buyer1@example.test', password: 'not it' } });
    assert.equal(wrong.statusCode, 422);
    assert.equal(wrong.json().error.code, 'INVALID_CREDENTIALS');
    const ok = await b.call('POST', '/api/session/sign_in', { sign_in: { identification: 'buyer1@example.test', password: 'buyer1-password' } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().session.account.email, 'buyer1@example.test');
    assert.notEqual(b.jar.get('guichet_session'), before, 'a new key after sign-in');
    // The key from before sign-in is worthless now.
    const old = await p.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: `guichet_session=${before}` } });
    assert.equal(old.json().session.account, null);
    const signOut = await b.call('DELETE', '/api/session');
    assert.equal(signOut.statusCode, 204);
    assert.equal((await b.call('GET', '/api/session')).json().session.account, null);
  });

  test('another origin cannot use the cookie: it is ignored on cross-site requests', async () => {
    const b = await browser(p.app);
    await b.call('POST', '/api/session/sign_in', { sign_in: { identification: 'buyer1', password: 'buyer1-password' } });
    const cross = await b.call('GET', '/api/session', undefined, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(cross.statusCode, 403);
    const orders = await b.call('GET', '/api/orders', undefined, { origin: 'https://evil.example', 'x-organization': String(p.a.organizationId) });
    assert.equal(orders.statusCode, 401);
    const same = await b.call('GET', '/api/orders', undefined, { 'sec-fetch-site': 'same-origin', 'x-organization': String(p.a.organizationId) });
    assert.equal(same.statusCode, 200);
  });

  test('sign up creates a buyer account and signs in; bad input is a clear 4xx', async () => {
    const b = await browser(p.app);
    const short = await b.call('POST', '/api/session/sign_up', { user: { email: 'new@example.test', password: 'short' } });
    assert.equal(short.statusCode, 422);
    const badEmail = await b.call('POST', '/api/session/sign_up', { user: { email: 'not-an-email', password: 'long enough 1' } });
    assert.equal(badEmail.statusCode, 422);
    const created = await b.call('POST', '/api/session/sign_up', { user: { email: 'New@Example.test', password: 'long enough 1', first_name: 'Nina' } });
    assert.equal(created.statusCode, 201);
    assert.equal(created.json().session.account.email, 'new@example.test');
    const again = await (await browser(p.app)).call('POST', '/api/session/sign_up', { user: { email: 'new@example.test', password: 'long enough 1' } });
    assert.equal(again.statusCode, 409);
  });

  test("a password reset ends every browser session of the account; a change ends the others'", async () => {
    await p.app.core.accounts.create({ username: 'rita', email: 'rita@example.test', password: 'rita-password-1' });
    const one = await browser(p.app);
    const two = await browser(p.app);
    for (const b of [one, two]) assert.equal((await b.call('POST', '/api/session/sign_in', { sign_in: { identification: 'rita', password: 'rita-password-1' } })).statusCode, 200);
    const change = await one.call('POST', '/api/session/password', { password_change: { current_password: 'rita-password-1', password: 'rita-password-2' } });
    assert.equal(change.statusCode, 204);
    assert.equal((await one.call('GET', '/api/session')).json().session.account?.username, 'rita');
    assert.equal((await two.call('GET', '/api/session')).json().session.account, null);
    const wrongCurrent = await one.call('POST', '/api/session/password', { password_change: { current_password: 'nope', password: 'rita-password-3' } });
    assert.equal(wrongCurrent.statusCode, 422);

    await p.app.inject({ method: 'POST', url: '/api/users/password_resets', payload: { password_reset: { email: 'rita@example.test' } } });
    const code = /: (\S+)$/.exec(p.mailer.outbox.at(-1)!.text)![1];
    const reset = await p.app.inject({ method: 'POST', url: '/api/users/password_resets/confirm', payload: { password_reset: { token: code, password: 'rita-password-4' } } });
    assert.equal(reset.statusCode, 204);
    assert.equal((await one.call('GET', '/api/session')).json().session.account, null);
  });

  test("a guest's cart belongs to the browser session that started it", async () => {
    const event = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Floor', capacity: 10 }], tariffs: [{ section: 0, label: 'Adult', price: 2500 }] });
    const org = { 'x-organization': String(p.a.organizationId) };
    const guest = await browser(p.app);
    const created = await guest.call('POST', '/api/carts', { cart: { items: [{ tariff_id: event.tariffIds[0], date_id: event.dateIds[0], quantity: 2 }] } }, org);
    assert.equal(created.statusCode, 201, created.body);
    const cartId = created.json().cart.id;
    assert.equal((await guest.call('GET', `/api/carts/${cartId}`, undefined, org)).statusCode, 200);
    const stranger = await browser(p.app);
    assert.equal((await stranger.call('GET', `/api/carts/${cartId}`, undefined, org)).statusCode, 404);
    // Without X-Organization a guest's call cannot say which organization it is for.
    const noOrg = await guest.call('GET', `/api/carts/${cartId}`);
    assert.equal(noOrg.statusCode, 400);
    // A state-changing call without the CSRF token is refused, and nothing is held.
    const forged = await guest.call('POST', `/api/carts/${cartId}/items`, { item: { tariff_id: event.tariffIds[0], date_id: event.dateIds[0], quantity: 1 } }, { ...org, 'x-csrf-token': '' });
    assert.equal(forged.statusCode, 403);
    assert.equal((await guest.call('GET', `/api/carts/${cartId}`, undefined, org)).json().cart.items.length, 1);
  });

  test('members act in their organization with their role; buyers elsewhere only buy', async () => {
    const b = await browser(p.app);
    await b.call('POST', '/api/session/sign_in', { sign_in: { identification: p.a.adminEmail, password: p.a.adminPassword } });
    const session = (await b.call('GET', '/api/session')).json().session;
    assert.deepEqual(session.memberships.map((m: { slug: string; role: string }) => [m.slug, m.role]), [['alpha', 'owner']]);
    // Without X-Organization a member acts in their organization.
    assert.equal((await b.call('GET', '/api/codes')).statusCode, 200);
    const elsewhere = await b.call('GET', '/api/codes', undefined, { 'x-organization': String(p.b.organizationId) });
    assert.equal(elsewhere.statusCode, 403);
  });
});
