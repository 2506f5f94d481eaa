/**
 * 2. A password change or reset revokes every credential of the account: OAuth access and refresh
 * tokens, TickeTing sessions, the web app's browser sessions, Weezevent tokens (which also expire
 * now); reset codes are single-use and only the latest is valid. The credential that made a change
 * and asked to stay keeps working, with its own refresh token and no other.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { client, platform, token, type TestPlatform } from '../helpers.ts';
import { operatorPrincipal } from '../../src/demo/seed.ts';

describe('2. a password change or reset revokes every token', () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;
  let integrationKey: string;
  let partnerKey: string;

  before(async () => {
    p = await platform();
    admin = client(p.app, await token(p.app, p.a));
    const key = await admin.post('/api/api_keys', { api_key: { name: 'ticketing app', access_level: 'host' } });
    assert.equal(key.statusCode, 201, key.body);
    integrationKey = key.json().api_key.key;
    const pk = await admin.post('/api/partner_keys', { partner_key: { name: 'weezevent app' } });
    assert.equal(pk.statusCode, 201, pk.body);
    partnerKey = pk.json().partner_key.key;
  });
  after(() => p.close());

  /** Signs the account in every way there is; returns each credential. */
  async function signInEverywhere(username: string, email: string, password: string) {
    const grant = await p.app.inject({ method: 'POST', url: '/api/auth/token', payload: { grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username, password } });
    assert.equal(grant.statusCode, 200, grant.body);
    const session = await p.app.inject({ method: 'POST', url: '/ticketing/v3/sessions', headers: { 'x-api-key': integrationKey, 'x-client-version': '3.1.0' }, payload: { identification: username, password } });
    assert.equal(session.statusCode, 201, session.body);
    const weez = await p.app.inject({ method: 'POST', url: '/weezevent/auth/access_token', payload: { username: email, password, api_key: partnerKey } });
    assert.equal(weez.statusCode, 200, weez.body);
    const browser = await browserSignIn(username, password);
    return { access: grant.json().access_token as string, refresh: grant.json().refresh_token as string, session: session.json().key as string, weezevent: weez.json().accessToken as string, browser };
  }

  /** A browser signed in to the web app: its session cookie and CSRF token. */
  async function browserSignIn(identification: string, password: string) {
    const start = await p.app.inject({ method: 'GET', url: '/api/session' });
    const guest = /guichet_session=([^;]+)/.exec(String(start.headers['set-cookie']))![1];
    const signIn = await p.app.inject({
      method: 'POST', url: '/api/session/sign_in',
      headers: { cookie: `guichet_session=${guest}`, 'x-csrf-token': start.json().session.csrf_token },
      payload: { sign_in: { identification, password } },
    });
    assert.equal(signIn.statusCode, 200, signIn.body);
    return { cookie: `guichet_session=${/guichet_session=([^;]+)/.exec(String(signIn.headers['set-cookie']))![1]}`, csrf: signIn.json().session.csrf_token as string };
  }

  async function browserSignedIn(browser: { cookie: string }) {
    const session = await p.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: browser.cookie } });
    assert.equal(session.statusCode, 200, session.body);
    return session.json().session.account !== null;
  }

  /** Which of the credentials still work. A refresh token that works is rotated: `c.refresh` follows it. */
  async function stillWorking(c: Awaited<ReturnType<typeof signInEverywhere>>) {
    const me = await p.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${c.access}` } });
    const refreshed = await p.app.inject({ method: 'POST', url: '/api/auth/token', payload: { grant_type: 'refresh_token', client_id: p.a.clientId, client_secret: p.a.clientSecret, refresh_token: c.refresh } });
    if (refreshed.statusCode === 200) c.refresh = refreshed.json().refresh_token;
    const session = await p.app.inject({ method: 'GET', url: '/ticketing/v3/sessions/active', headers: { 'x-api-key': c.session, 'x-client-version': '3.1.0' } });
    const weez = await p.app.inject({ method: 'GET', url: `/weezevent/events?api_key=${partnerKey}&access_token=${c.weezevent}` });
    return { access: me.statusCode === 200, refresh: refreshed.statusCode === 200, session: session.statusCode === 200, weezevent: weez.statusCode === 200, browser: await browserSignedIn(c.browser) };
  }

  /** A member of A (Weezevent tokens are for members). */
  async function member(name: string) {
    return p.app.core.accounts.register(operatorPrincipal(p.a.organizationId, p.a.adminAccountId), { username: name, email: `${name}@example.test`, password: `${name}-password-1`, role: 'manager' });
  }

  test('2. a password change revokes every token, session, browser session and Weezevent token (but the one that asks to stay, with its refresh token)', async () => {
    await member('olga');
    const before = await signInEverywhere('olga', 'olga@example.test', 'olga-password-1');
    assert.deepEqual(await stillWorking(before), { access: true, refresh: true, session: true, weezevent: true, browser: true });
    const other = await signInEverywhere('olga', 'olga@example.test', 'olga-password-1');
    const changed = await p.app.inject({
      method: 'POST', url: '/api/users/me/password', headers: { authorization: `Bearer ${other.access}` },
      payload: { password: { current_password: 'olga-password-1', new_password: 'olga-password-2', keep_current_token: true } },
    });
    assert.equal(changed.statusCode, 204, changed.body);
    assert.deepEqual(await stillWorking(before), { access: false, refresh: false, session: false, weezevent: false, browser: false });
    // The access token that made the change and asked to stay goes on, and so does the refresh token
    // issued with it (and rotated from it); the same sign-in's other credentials do not.
    assert.deepEqual(await stillWorking(other), { access: true, refresh: true, session: false, weezevent: false, browser: false });
    assert.deepEqual(await stillWorking(other), { access: true, refresh: true, session: false, weezevent: false, browser: false }, 'the rotated refresh token is kept too');
    // Without keep_current_token, the token making the change ends too, with its refresh token.
    const again = await p.app.inject({
      method: 'POST', url: '/api/users/me/password', headers: { authorization: `Bearer ${other.access}` },
      payload: { password: { current_password: 'olga-password-2', new_password: 'olga-password-3' } },
    });
    assert.equal(again.statusCode, 204);
    assert.deepEqual(await stillWorking(other), { access: false, refresh: false, session: false, weezevent: false, browser: false });
    // Software credentials are not the person's: the organization's integration key still works.
    const integration = await p.app.inject({ method: 'GET', url: '/ticketing/v3/events', headers: { 'x-api-key': integrationKey, 'x-client-version': '3.1.0' } });
    assert.equal(integration.statusCode, 200);
  });

  test('2. keep_current_token keeps only its own refresh token, not those of other sign-ins', async () => {
    await member('sacha');
    const one = await signInEverywhere('sacha', 'sacha@example.test', 'sacha-password-1');
    const two = await signInEverywhere('sacha', 'sacha@example.test', 'sacha-password-1');
    // A second token of the same client and account, refreshed once: a family of its own.
    assert.equal((await stillWorking(two)).refresh, true);
    const changed = await p.app.inject({
      method: 'POST', url: '/api/users/me/password', headers: { authorization: `Bearer ${one.access}` },
      payload: { password: { current_password: 'sacha-password-1', new_password: 'sacha-password-2', keep_current_token: true } },
    });
    assert.equal(changed.statusCode, 204, changed.body);
    assert.deepEqual(await stillWorking(two), { access: false, refresh: false, session: false, weezevent: false, browser: false });
    assert.equal((await stillWorking(one)).refresh, true);
  });

  test('2. a password change made in the web app keeps that browser signed in and ends everything else', async () => {
    await member('wanda');
    const here = await signInEverywhere('wanda', 'wanda@example.test', 'wanda-password-1');
    const elsewhere = await signInEverywhere('wanda', 'wanda@example.test', 'wanda-password-1');
    const changed = await p.app.inject({
      method: 'POST', url: '/api/session/password', headers: { cookie: here.browser.cookie, 'x-csrf-token': here.browser.csrf },
      payload: { password_change: { current_password: 'wanda-password-1', password: 'wanda-password-2' } },
    });
    assert.equal(changed.statusCode, 204, changed.body);
    assert.deepEqual(await stillWorking(elsewhere), { access: false, refresh: false, session: false, weezevent: false, browser: false });
    assert.deepEqual(await stillWorking(here), { access: false, refresh: false, session: false, weezevent: false, browser: true });
  });

  test('2. a password reset revokes every token; reset codes are single-use and only the latest is valid', async () => {
    await member('pavel');
    const before = await signInEverywhere('pavel', 'pavel@example.test', 'pavel-password-1');
    const ask = () => p.app.inject({ method: 'POST', url: '/api/users/password_resets', payload: { password_reset: { email: 'pavel@example.test' } } });
    const confirm = (code: string, password: string) => p.app.inject({ method: 'POST', url: '/api/users/password_resets/confirm', payload: { password_reset: { token: code, password } } });
    const codeOf = () => /: (\S+)$/.exec(p.mailer.outbox.at(-1)!.text)![1];
    assert.equal((await ask()).statusCode, 202);
    const first = codeOf();
    assert.equal((await ask()).statusCode, 202);
    const second = codeOf();
    assert.notEqual(first, second);
    assert.equal((await confirm(first, 'pavel-password-2')).statusCode, 422, 'an older code stops working once a newer one is sent');
    assert.equal((await confirm(second, 'pavel-password-2')).statusCode, 204);
    assert.equal((await confirm(second, 'pavel-password-3')).statusCode, 422, 'single use');
    assert.deepEqual(await stillWorking(before), { access: false, refresh: false, session: false, weezevent: false, browser: false });
  });

  test('2. Weezevent tokens expire after WEEZEVENT_TOKEN_TTL_SECONDS', async () => {
    await member('quinn');
    const { weezevent } = await signInEverywhere('quinn', 'quinn@example.test', 'quinn-password-1');
    const get = () => p.app.inject({ method: 'GET', url: `/weezevent/events?api_key=${partnerKey}&access_token=${weezevent}` });
    assert.equal((await get()).statusCode, 200);
    p.clock.advance(p.config.weezeventTokenTtlSeconds * 1000 + 1000);
    assert.equal((await get()).statusCode, 401);
    admin = client(p.app, await token(p.app, p.a));
  });
});
