/**
 * 10. Low findings: X-Forwarded-* are believed only from the proxies TRUST_PROXY names, so nobody can
 * point the Pims API's links elsewhere with X-Forwarded-Host; Pims logins are unique on the platform,
 * so a second organization's user with the same name and password cannot lock the first one out.
 * (Account existence through TickeTing's and Weezevent's answers is checked with the brute-force
 * limits, in brute-force.test.ts: "answer alike for unknown accounts".)
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.ts';
import { client, platform, token, type TestPlatform } from '../helpers.ts';

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
const HOSTILE = { 'x-forwarded-host': 'attacker.example', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' };

/** Every absolute link of a Pims answer. */
function links(body: string): string[] {
  return [...body.matchAll(/"href":"([^"]+)"/g)].map((m) => m[1]);
}

describe('10. X-Forwarded-Host trusted only from configured proxies; Pims logins unique on the platform', () => {
  test('10. TRUST_PROXY: unset trusts no proxy; true, a hop count, or a list of addresses', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16' }).trustProxy, ['10.0.0.1', '192.168.0.0/16']);
  });

  describe('with no proxy configured (the default)', () => {
    let p: TestPlatform;
    let reader: string;
    before(async () => {
      p = await platform();
      const admin = client(p.app, await token(p.app, p.a));
      const created = await admin.post('/api/partner_users', { partner_user: { username: 'bi-reader', password: 'bi-reader-password-1' } });
      assert.equal(created.statusCode, 201, created.body);
      reader = basic('bi-reader', 'bi-reader-password-1');
    });
    after(() => p.close());

    test('10. X-Forwarded-Host and -Proto from any client cannot point Pims links elsewhere', async () => {
      const plain = await p.app.inject({ method: 'GET', url: '/pims/api/v1/events', headers: { authorization: reader } });
      assert.equal(plain.statusCode, 200, plain.body);
      const forged = await p.app.inject({ method: 'GET', url: '/pims/api/v1/events', headers: { authorization: reader, ...HOSTILE } });
      assert.equal(forged.statusCode, 200, forged.body);
      assert.ok(links(forged.body).length > 0, 'the answer has links');
      assert.deepEqual(links(forged.body), links(plain.body), 'the same links as without the headers');
      for (const href of links(forged.body)) assert.match(href, /^http:\/\/localhost:80\/pims\//);
      assert.doesNotMatch(forged.body, /attacker\.example/);
    });

    test('10. a second organization cannot take a Pims login already used, so it cannot lock the first one out', async () => {
      const adminB = client(p.app, await token(p.app, p.b));
      const same = await adminB.post('/api/partner_users', { partner_user: { username: 'bi-reader', password: 'bi-reader-password-1' } });
      assert.equal(same.statusCode, 409, same.body);
      // The first organization's partner still reads its own data.
      const own = await p.app.inject({ method: 'GET', url: '/pims/api/v1/events', headers: { authorization: reader } });
      assert.equal(own.statusCode, 200, own.body);
    });
  });

  describe('behind a configured proxy (TRUST_PROXY=10.0.0.1)', () => {
    let p: TestPlatform;
    let reader: string;
    before(async () => {
      p = await platform({ trustProxy: loadConfig({ TRUST_PROXY: '10.0.0.1' }).trustProxy });
      const admin = client(p.app, await token(p.app, p.a));
      const created = await admin.post('/api/partner_users', { partner_user: { username: 'bi-proxied', password: 'bi-proxied-password-1' } });
      assert.equal(created.statusCode, 201, created.body);
      reader = basic('bi-proxied', 'bi-proxied-password-1');
    });
    after(() => p.close());

    test('10. the proxy\'s X-Forwarded-Host and -Proto make the public links; the same headers from anyone else do not', async () => {
      const proxied = await p.app.inject({ method: 'GET', url: '/pims/api/v1/events', remoteAddress: '10.0.0.1', headers: { authorization: reader, 'x-forwarded-host': 'tickets.example', 'x-forwarded-proto': 'https' } });
      assert.equal(proxied.statusCode, 200, proxied.body);
      assert.ok(links(proxied.body).length > 0);
      for (const href of links(proxied.body)) assert.match(href, /^https:\/\/tickets\.example\/pims\//);
      const direct = await p.app.inject({ method: 'GET', url: '/pims/api/v1/events', remoteAddress: '192.0.2.7', headers: { authorization: reader, ...HOSTILE } });
      assert.equal(direct.statusCode, 200, direct.body);
      for (const href of links(direct.body)) assert.match(href, /^http:\/\/localhost:80\/pims\//);
      assert.doesNotMatch(direct.body, /attacker\.example/);
    });
  });
});
