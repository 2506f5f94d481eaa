/**
 * 3. The server log holds no secret: a full scenario runs with the request log and the fallback mailer
 * captured (as `serve` runs them), then the log is searched for every secret the scenario created or
 * sent — passwords, client secrets, access and refresh tokens, API and partner keys, Weezevent tokens in
 * query strings, admission codes in TickeTing paths, password reset codes.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { LogMailer } from '../../src/core/notifications/mailer.ts';
import { operatorPrincipal } from '../../src/demo/seed.ts';
import { freshDatabase, testClock } from '../helpers.ts';
import { redactUrl } from '../../src/http/security.ts';

describe('3. logs hold no secret', () => {
  let app: FastifyInstance;
  let drop: () => Promise<void>;
  let log = '';
  const secrets = new Map<string, string>();
  const keep = (what: string, value: string) => {
    assert.ok(value && value.length >= 8, `${what} is a real secret`);
    secrets.set(what, value);
    return value;
  };

  before(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-exports-'));
    const stream = new Writable({ write(chunk, _enc, done) { log += chunk.toString(); done(); } });
    app = await buildApp({
      config: { ...loadConfig({}), exportDir, logLevel: 'trace' },
      database: fresh.database,
      clock: testClock(),
      mailer: new LogMailer((line) => (log += `${line}\n`)),
      logger: true,
      logStream: stream,
    });
  });
  after(async () => {
    await app.close();
    await drop();
  });

  test('3. a full scenario leaves none of its secrets in the log (request URLs, errors, mail)', async () => {
    const core = app.core;
    const ownerPassword = keep('owner password', 'owner-password-Secret1');
    const owner = await core.accounts.create({ username: 'owner', email: 'owner@example.test', password: ownerPassword });
    const org = await core.organizations.create({ slug: 'logs', name: 'Logs', currency: 'EUR', timeZone: 'Europe/Paris', locale: 'fr-FR' }, { accountId: owner.id });
    const { client: oauth, secret } = await core.credentials.createClient(operatorPrincipal(org.id, owner.id), { name: 'c', scopes: 'public buy sell admin' });
    keep('client secret', secret);

    // Native: tokens by form body and by query string (the latter is what leaks into URLs).
    const grant = await app.inject({ method: 'POST', url: '/api/auth/token', payload: { grant_type: 'password', client_id: oauth.clientId, client_secret: secret, username: 'owner', password: ownerPassword } });
    assert.equal(grant.statusCode, 200, grant.body);
    const access = keep('access token', grant.json().access_token);
    keep('refresh token', grant.json().refresh_token);
    const admin = await app.inject({ method: 'POST', url: '/api/auth/token', payload: { grant_type: 'client_credentials', client_id: oauth.clientId, client_secret: secret } });
    const adminToken = keep('admin token', admin.json().access_token);
    const auth = { authorization: `Bearer ${adminToken}` };
    await app.inject({ method: 'GET', url: `/api/events?access_token=${access}&token=${access}&password=${ownerPassword}&client_secret=${secret}`, headers: auth });

    // Keys shown once.
    const apiKey = keep('integration key', (await app.inject({ method: 'POST', url: '/api/api_keys', headers: auth, payload: { api_key: { name: 'k', access_level: 'host' } } })).json().api_key.key);
    const partnerKey = keep('partner key', (await app.inject({ method: 'POST', url: '/api/partner_keys', headers: auth, payload: { partner_key: { name: 'w' } } })).json().partner_key.key);
    const pims = await app.inject({ method: 'POST', url: '/api/partner_users', headers: auth, payload: { partner_user: { username: 'pims-logs', access: 'write' } } });
    const pimsPassword = keep('pims password', pims.json().partner_user.password);

    // Weezevent: credentials in the query string, as its clients send them.
    const weez = await app.inject({ method: 'GET', url: `/weezevent/auth/access_token?api_key=${partnerKey}&username=owner&password=${encodeURIComponent(ownerPassword)}` });
    assert.equal(weez.statusCode, 200, weez.body);
    const weezToken = keep('weezevent token', weez.json().accessToken);
    assert.equal((await app.inject({ method: 'GET', url: `/weezevent/events?api_key=${partnerKey}&access_token=${weezToken}` })).statusCode, 200);
    await app.inject({ method: 'GET', url: `/weezevent/api/v2/participants?api_key[]=${partnerKey}&access_token=${weezToken}` });

    // TickeTing: a session key, and the admission login with the code in the path.
    const session = await app.inject({ method: 'POST', url: '/ticketing/v3/sessions', headers: { 'x-api-key': apiKey, 'x-client-version': '3.1.0' }, payload: { identification: 'owner', password: ownerPassword } });
    assert.equal(session.statusCode, 201, session.body);
    keep('session key', session.json().key);
    const event = await core.events.create(operatorPrincipal(org.id, owner.id), { title: 'Logged', sections: [{ name: 'Floor', capacity: 10 }], dates: [{ startsAt: '2027-03-01T20:00:00+01:00' }] });
    const { code } = await core.door.tokens.create(operatorPrincipal(org.id, owner.id), event.id, { sectionIds: [event.sections[0].id] });
    keep('admission code', code);
    const login = await app.inject({ method: 'GET', url: `/ticketing/v3/tokens/${code}`, headers: { 'x-api-key': apiKey, 'x-client-version': '3.1.0' } });
    assert.equal(login.statusCode, 200, login.body);
    keep('door key', login.json().key);
    await app.inject({ method: 'GET', url: `/ticketing/v3/tokens/${code.toLowerCase()}-x`, headers: { 'x-api-key': apiKey, 'x-client-version': '3.1.0' } });

    // Pims Basic, right and wrong.
    const basic = (pw: string) => ({ authorization: `Basic ${Buffer.from(`pims-logs:${pw}`).toString('base64')}` });
    assert.equal((await app.inject({ method: 'GET', url: '/pims/api/v1/events', headers: basic(pimsPassword) })).statusCode, 200);
    await app.inject({ method: 'GET', url: '/pims/api/v1/events', headers: basic('wrong-password') });

    // A password reset: the fallback mailer says a mail was not sent, never what it said.
    assert.equal((await app.inject({ method: 'POST', url: '/api/users/password_resets', payload: { password_reset: { email: 'owner@example.test' } } })).statusCode, 202);
    const reset = await app.core.ctx.database.db.selectFrom('password_resets').select('token_hash').execute();
    assert.equal(reset.length, 1);
    assert.match(log, /\[mail\] not sent/);

    assert.ok(log.includes('"url":"/weezevent/events?api_key=[redacted]&access_token=[redacted]"'), 'the request is logged, redacted');
    assert.ok(log.includes('/ticketing/v3/tokens/[redacted]'));
    for (const [what, value] of secrets) assert.ok(!log.includes(value), `the log holds the ${what}`);
    // The reset code itself is known only to the mail: it is 43 base64url characters and none such is in the log.
    assert.ok(!/[A-Za-z0-9_-]{43}/.test(log.replace(/"reqId":"[^"]*"/g, '')), 'no token-shaped string in the log');
  });

  test('3. redaction: every credential parameter, PHP-style names, encoded names, secret path segments', () => {
    assert.equal(redactUrl('/x?api_key=1&access_token=2&page=3'), '/x?api_key=[redacted]&access_token=[redacted]&page=3');
    assert.equal(redactUrl('/x?api_key%5B%5D=1&PASSWORD=2&client_secret=3&code=4&refresh_token=5'), '/x?api_key%5B%5D=[redacted]&PASSWORD=[redacted]&client_secret=[redacted]&code=[redacted]&refresh_token=[redacted]');
    assert.equal(redactUrl('/ticketing/v3/tokens/ABCD2345EFGH6789?x=1'), '/ticketing/v3/tokens/[redacted]?x=1');
    assert.equal(redactUrl('/api/events?q=concert'), '/api/events?q=concert');
  });
});
