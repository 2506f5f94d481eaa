/**
 * 6. Brute force: every password, secret and code check counts failures per account and per client
 * address, locks with a doubling backoff, refuses a locked subject before hashing anything, and is the
 * same check behind every dialect; X-Forwarded-For is believed only from configured proxies; admission
 * codes carry 80 bits; refusals do not tell whether an account exists.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { client, onSaleEvent, platform, token, type TestPlatform } from '../helpers.ts';
import { operatorPrincipal } from '../../src/demo/seed.ts';

describe('6. brute force: limits per account and per address on every credential check', () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;
  let integrationKey: string;
  let partnerKey: string;
  const MAX = 3;

  before(async () => {
    p = await platform({ credentialThrottle: { maxFailures: MAX, maxFailuresPerIp: 12, windowSeconds: 900, maxLockSeconds: 3600 } });
    admin = client(p.app, await token(p.app, p.a));
    integrationKey = (await admin.post('/api/api_keys', { api_key: { name: 'app', access_level: 'host' } })).json().api_key.key;
    partnerKey = (await admin.post('/api/partner_keys', { partner_key: { name: 'w' } })).json().partner_key.key;
    await p.app.core.accounts.create({ username: 'victim', email: 'victim@example.test', password: 'victim-password' });
  });
  after(() => p.close());

  const from = (ip: string) => ({ remoteAddress: ip });
  const passwordGrant = (username: string, password: string, ip: string, headers: Record<string, string> = {}) =>
    p.app.inject({ method: 'POST', url: '/api/auth/token', ...from(ip), headers, payload: { grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username, password } });

  test('6. the token endpoint locks an account after repeated failures, with backoff, before hashing; the right password waits too', async () => {
    for (let i = 0; i < MAX; i++) assert.equal((await passwordGrant('victim', `wrong-${i}`, `10.0.0.${i + 1}`)).statusCode, 400);
    // Locked: even the right password, from yet another address, waits (no oracle while locked).
    const locked = await passwordGrant('victim', 'victim-password', '10.0.0.99');
    assert.equal(locked.statusCode, 429, locked.body);
    assert.equal(locked.json().error, 'slow_down');
    assert.ok(Number(locked.headers['retry-after']) >= 30);
    p.clock.advance(31_000);
    assert.equal((await passwordGrant('victim', 'wrong-again', '10.0.0.5')).statusCode, 400);
    // One more failure after the lock: the next lock is twice as long.
    const longer = await passwordGrant('victim', 'victim-password', '10.0.0.6');
    assert.equal(longer.statusCode, 429);
    assert.ok(Number(longer.headers['retry-after']) > 31, `doubled: ${longer.headers['retry-after']}`);
    p.clock.advance(61_000);
    assert.equal((await passwordGrant('victim', 'victim-password', '10.0.0.7')).statusCode, 200, 'after the lock, the right password works and clears the count');
    admin = client(p.app, await token(p.app, p.a));
  });

  test('6. an address guessing many accounts is locked; X-Forwarded-For from an untrusted peer changes nothing', async () => {
    let last = 0;
    for (let i = 0; i < 12; i++) last = (await passwordGrant(`nobody-${i}`, 'guess', '10.9.9.9', { 'x-forwarded-for': `192.0.2.${i}` })).statusCode;
    assert.equal(last, 400);
    const blocked = await passwordGrant('nobody-x', 'guess', '10.9.9.9', { 'x-forwarded-for': '198.51.100.1' });
    assert.equal(blocked.statusCode, 429, 'the forwarded address was not believed: the peer is locked');
    // Another peer is not.
    assert.equal((await passwordGrant('nobody-y', 'guess', '10.9.9.10')).statusCode, 400);
  });

  test('6. TickeTing sessions, Weezevent access tokens and Pims Basic are throttled, and answer alike for unknown accounts', async () => {
    const ticketing = (identification: string, password: string, ip: string) =>
      p.app.inject({ method: 'POST', url: '/ticketing/v3/sessions', ...from(ip), headers: { 'x-api-key': integrationKey, 'x-client-version': '3.1.0' }, payload: { identification, password } });
    const unknown = await ticketing('ghost-account', 'whatever-1', '10.1.0.1');
    const wrong = await ticketing('alpha-admin', 'whatever-1', '10.1.0.2');
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(unknown.json(), wrong.json(), 'an unknown account reads like a wrong password');
    for (let i = 0; i < MAX; i++) await ticketing('alpha-admin', `guess-${i}`, `10.1.1.${i}`);
    assert.equal((await ticketing('alpha-admin', p.a.adminPassword, '10.1.2.1')).statusCode, 429);

    const weez = (username: string, password: string, ip: string) =>
      p.app.inject({ method: 'POST', url: '/weezevent/auth/access_token', ...from(ip), payload: { username, password, api_key: partnerKey } });
    // B's admin exists but is not a member of A: the same answer as a wrong password.
    const foreign = await weez(p.b.adminEmail, p.b.adminPassword, '10.2.0.1');
    const nobody = await weez('nobody@example.test', 'whatever-1', '10.2.0.2');
    assert.equal(foreign.statusCode, 401);
    assert.deepEqual(foreign.json(), nobody.json());
    for (let i = 0; i < MAX; i++) await weez('victim@example.test', `guess-${i}`, `10.2.1.${i}`);
    assert.equal((await weez('victim@example.test', 'victim-password', '10.2.2.1')).statusCode, 429);

    const created = await admin.post('/api/partner_users', { partner_user: { username: 'pims-bf', access: 'read' } });
    const password = created.json().partner_user.password;
    const pims = (pw: string, ip: string) => p.app.inject({ method: 'GET', url: '/pims/api/v1/events', ...from(ip), headers: { authorization: `Basic ${Buffer.from(`pims-bf:${pw}`).toString('base64')}` } });
    for (let i = 0; i < MAX; i++) assert.equal((await pims(`guess-${i}`, `10.3.0.${i}`)).statusCode, 401);
    const lockedPims = await pims(password, '10.3.1.1');
    assert.equal(lockedPims.statusCode, 429, lockedPims.body);
    assert.match(lockedPims.headers['content-type'] as string, /problem\+json/);
    p.clock.advance(31_000);
    assert.equal((await pims(password, '10.3.1.2')).statusCode, 200);
    admin = client(p.app, await token(p.app, p.a));
  });

  test('6. admission codes carry 80 bits, and guessing them is throttled per address', async () => {
    const event = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Floor', capacity: 5 }], tariffs: [{ section: 0, label: 'Full', price: 1000 }] });
    const { code } = await p.app.core.door.tokens.create(operatorPrincipal(p.a.organizationId, p.a.adminAccountId), event.eventId, { sectionIds: [event.sectionIds[0]] });
    assert.match(code, /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{16}$/, '16 characters of 32: 80 bits');
    const open = (c: string, ip: string) => p.app.inject({ method: 'POST', url: '/api/door/sessions', ...from(ip), payload: { session: { code: c } } });
    let status = 0;
    for (let i = 0; i < 12; i++) status = (await open(`ABCD-EFGH-JKLM-NP${'23456789ABCD'[i]}Q`, '10.4.0.1')).statusCode;
    assert.equal(status, 404);
    assert.equal((await open(code, '10.4.0.1')).statusCode, 429, 'the guessing address is locked, even for a right code');
    assert.equal((await open(code.replace(/(.{4})/g, '$1-').slice(0, -1).toLowerCase(), '10.4.0.2')).statusCode, 201, 'typed with dashes, any case');
  });
});
