import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE, freshDatabase, processDatabaseUrl, runCli, testClock } from '../helpers.ts';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/app.ts';
import { MemoryMailer } from '../../src/core/notifications/mailer.ts';
import { DEMO, operatorPrincipal, seedDemo } from '../../src/demo/seed.ts';


/**
 * Issue 16, item 1: the owner of organization `other`, made with `create-admin` as any installation
 * makes its organizations, attacks organization `demo` — through a TickeTing session opened with a
 * mere public key of demo, and through the native API's user creation. Before the fix `create-admin`
 * made every owner a platform administrator and that role followed them into demo.
 */
describe(`security on ${ENGINE}`, () => {
  test('1. escalation across organizations', async () => {
    const fresh = await freshDatabase();
    const env = { DATABASE_URL: processDatabaseUrl(fresh) };
    const made = await runCli(['create-admin', '--email', 'owner@other.test', '--username', 'other-owner', '--password', 'other-password-1', '--organization', 'other'], env);
    assert.equal(made.code, 0, made.stderr);
    const client = await runCli(['create-client', '--organization', 'other', '--name', 'back office', '--owner', 'owner@other.test'], env);
    assert.equal(client.code, 0, client.stderr);
    const clientId = /client_id=(\S+)/.exec(client.stdout)![1];
    const clientSecret = /client_secret=(\S+)/.exec(client.stdout)![1];

    const app = await buildApp({ config: loadConfig({}), database: fresh.database, clock: testClock(new Date()), mailer: new MemoryMailer() });
    try {
      await seedDemo(app.core);
      const demo = (await app.core.organizations.bySlug(DEMO.organization))!;
      const operator = (await app.core.accounts.findByEmail(DEMO.email))!;
      const owner = (await app.core.accounts.findByEmail('owner@other.test'))!;
      assert.equal(owner.platformRole, 'customer', 'create-admin makes an owner, not a platform administrator');

      // A public key of demo, as any web page of demo's would publish.
      const publicKey = (await app.core.credentials.createApiKey(operatorPrincipal(demo.id, operator.id), { name: 'shop', accessLevel: 'public' })).key;
      const tk = (key: string, method: 'GET' | 'POST', url: string, payload?: object) =>
        app.inject({ method, url: `/ticketing/v3${url}`, headers: { 'x-api-key': key, 'x-client-version': '3.0.0' }, ...(payload ? { payload } : {}) });

      const started = await tk(publicKey, 'POST', '/sessions', { identification: 'other-owner', password: 'other-password-1' });
      assert.equal(started.statusCode, 201, started.body);
      const session = started.json().key as string;

      // demo's accounts, drafts and orders stay out of reach; no lasting key can be made there.
      const accounts = await tk(session, 'GET', '/accounts');
      assert.equal(accounts.statusCode, 403, accounts.body);
      const buyer = (await app.core.accounts.findByEmail(DEMO.buyerEmail))!;
      assert.ok([403, 404].includes((await tk(session, 'GET', `/accounts/${buyer.id}`)).statusCode));
      const drafts = await tk(session, 'GET', '/events?status=Draft');
      assert.ok(drafts.statusCode !== 200 || drafts.json().total === 0, drafts.body);
      const orders = await tk(session, 'GET', '/orders');
      assert.ok(orders.statusCode !== 200 || orders.json().total === 0, orders.body);
      const key = await tk(session, 'POST', '/integrations', { name: 'backdoor', access: 'administrator' });
      assert.equal(key.statusCode, 403, key.body);
      assert.equal((await tk(session, 'POST', '/integrations', { name: 'backdoor', access: 'host' })).statusCode, 403);
      assert.equal((await tk(session, 'POST', '/regions', { name: 'Mine now', country: 'FR' })).statusCode, 403);

      // The native API grants no platform role, even to an organization's owner with every scope.
      const tokenAnswer = await app.inject({
        method: 'POST', url: '/api/auth/token',
        payload: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'public buy sell admin' },
      });
      assert.equal(tokenAnswer.statusCode, 200, tokenAnswer.body);
      const bearer = { authorization: `Bearer ${tokenAnswer.json().access_token}` };
      for (const platformRole of ['administrator', 'support', 'host']) {
        const minted = await app.inject({
          method: 'POST', url: '/api/users', headers: bearer,
          payload: { user: { username: `minted-${platformRole}`, email: `minted-${platformRole}@other.test`, password: 'minted-password', role: 'owner', platform_role: platformRole } },
        });
        assert.equal(minted.statusCode, 403, minted.body);
        assert.equal(await app.core.accounts.findByEmail(`minted-${platformRole}@other.test`), null, 'nothing was written');
      }
      // other's owner administers other, and other only.
      assert.equal((await app.inject({ method: 'GET', url: '/api/regions', headers: bearer })).statusCode, 200);
      assert.equal((await app.inject({ method: 'POST', url: '/api/regions', headers: bearer, payload: { region: { name: 'Theirs', country_code: 'FR' } } })).statusCode, 403);

      // The demo's administrator key is a deliberate operator's: it still spans organizations.
      const ops = await tk(DEMO.ticketingKey, 'POST', '/regions', { name: 'Operators may', country: 'FR' });
      assert.equal(ops.statusCode, 201, ops.body);

      // create-operator is the one way to a platform role.
      const promoted = await runCli(['create-operator', '--email', 'owner@other.test'], env);
      assert.equal(promoted.code, 0, promoted.stderr);
      assert.equal((await app.core.accounts.findByEmail('owner@other.test'))!.platformRole, 'administrator');
    } finally {
      await app.close();
      await fresh.drop();
    }
  });
});
