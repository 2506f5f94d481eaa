/**
 * 8. CORS: only the server's own origin and CORS_ORIGINS may read answers from a browser, with
 * credentials only for those; `null` never; the Pims API (HTTP Basic, which browsers send by
 * themselves) is not readable cross-origin at all.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { platform, type TestPlatform } from '../helpers.ts';
import { loadConfig } from '../../src/config.ts';

describe('8. CORS by configuration', () => {
  let p: TestPlatform;
  before(async () => {
    p = await platform({ corsOrigins: loadConfig({ CORS_ORIGINS: 'https://shop.example.test, https://partner.example.test/' }).corsOrigins });
  });
  after(() => p.close());

  const preflight = (url: string, origin: string) =>
    p.app.inject({ method: 'OPTIONS', url, headers: { origin, 'access-control-request-method': 'GET', host: 'guichet.example.test' } });
  const get = (url: string, origin: string, headers: Record<string, string> = {}) => p.app.inject({ method: 'GET', url, headers: { origin, host: 'guichet.example.test', ...headers } });

  test('8. configured origins and the own origin are allowed, with credentials; any other origin and null are not', async () => {
    for (const origin of ['https://shop.example.test', 'https://partner.example.test', 'http://guichet.example.test']) {
      const answer = await preflight('/api/events', origin);
      assert.equal(answer.headers['access-control-allow-origin'], origin, origin);
      assert.equal(answer.headers['access-control-allow-credentials'], 'true');
    }
    for (const origin of ['https://evil.example.test', 'null', 'https://shop.example.test.evil.test']) {
      const answer = await preflight('/api/events', origin);
      assert.equal(answer.headers['access-control-allow-origin'], undefined, origin);
      assert.equal(answer.headers['access-control-allow-credentials'], undefined, origin);
      const simple = await get('/', origin);
      assert.equal(simple.headers['access-control-allow-origin'], undefined, origin);
    }
  });

  test('8. the Pims API is never readable cross-origin, even from a configured origin', async () => {
    const basic = { authorization: `Basic ${Buffer.from('x:y').toString('base64')}` };
    for (const url of ['/pims/api/v1/events', '/pims/alpha/api/v1/events']) {
      assert.equal((await preflight(url, 'https://shop.example.test')).headers['access-control-allow-origin'], undefined);
      assert.equal((await get(url, 'https://shop.example.test', basic)).headers['access-control-allow-origin'], undefined);
      assert.equal((await get(url, 'https://evil.example.test', basic)).headers['access-control-allow-credentials'], undefined);
    }
  });

  test('8. by default (no CORS_ORIGINS) only the own origin', async () => {
    assert.deepEqual(loadConfig({}).corsOrigins, []);
  });
});
