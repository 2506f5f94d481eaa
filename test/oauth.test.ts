import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { client, platform, token, type TestPlatform } from './helpers.ts';

describe('OAuth2 token endpoint', () => {
  let p: TestPlatform;
  before(async () => {
    p = await platform();
    // A customer who signs in with the password grant.
    await p.app.core.accounts.create({ username: 'lea', email: 'lea@example.test', password: 'lea-password' });
  });
  after(() => p.close());

  const tokenRequest = (payload: Record<string, string>, headers: Record<string, string> = {}) =>
    p.app.inject({ method: 'POST', url: '/api/auth/token', payload, headers });
  const formRequest = (body: string, headers: Record<string, string> = {}) =>
    p.app.inject({ method: 'POST', url: '/api/auth/token', payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

  test('client_credentials grants the asked scopes, always with public', async () => {
    const response = await tokenRequest({ grant_type: 'client_credentials', client_id: p.a.clientId, client_secret: p.a.clientSecret, scope: 'sell admin' });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
    assert.equal(body.scope, 'public sell admin');
    assert.equal(body.refresh_token, undefined, 'no refresh token for client credentials');
    assert.equal(response.headers['cache-control'], 'no-store');
    const me = await client(p.app, body.access_token).get('/api/organization');
    assert.equal(me.json().organization.slug, 'alpha');
  });

  test('form-encoded bodies and HTTP Basic client authentication work', async () => {
    const form = await formRequest(`grant_type=client_credentials&client_id=${p.a.clientId}&client_secret=${p.a.clientSecret}&scope=public%20sell`);
    assert.equal(form.statusCode, 200);
    assert.equal(form.json().scope, 'public sell');
    const basic = Buffer.from(`${p.a.clientId}:${p.a.clientSecret}`).toString('base64');
    const viaBasic = await formRequest('grant_type=client_credentials&scope=public', { authorization: `Basic ${basic}` });
    assert.equal(viaBasic.statusCode, 200);
    assert.equal(viaBasic.json().scope, 'public');
  });

  test('wrong client secret or unknown client: 401 invalid_client', async () => {
    for (const [id, secret] of [[p.a.clientId, 'wrong'], ['nobody', 'x'], [p.a.clientId, p.b.clientSecret]]) {
      const response = await tokenRequest({ grant_type: 'client_credentials', client_id: id, client_secret: secret });
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().error, 'invalid_client');
      assert.ok(response.json().error_description);
    }
  });

  test('unknown or missing grant type', async () => {
    const unknown = await tokenRequest({ grant_type: 'authorization_code', client_id: p.a.clientId, client_secret: p.a.clientSecret });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error, 'unsupported_grant_type');
    const missing = await tokenRequest({ client_id: p.a.clientId, client_secret: p.a.clientSecret });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error, 'invalid_request');
  });

  test('unknown scope, or a scope the client lacks: invalid_scope', async () => {
    const bogus = await tokenRequest({ grant_type: 'client_credentials', client_id: p.a.clientId, client_secret: p.a.clientSecret, scope: 'public superuser' });
    assert.equal(bogus.statusCode, 400);
    assert.equal(bogus.json().error, 'invalid_scope');
    const { client: limited, secret } = await p.app.core.credentials.createClient(
      { organizationId: p.a.organizationId, accountId: null, signedIn: false, clientId: null, scopes: new Set(['admin']), platformRole: 'customer', credential: { kind: 'access_token', id: 0 } },
      { name: 'shop front', scopes: 'public buy' },
    );
    const refused = await tokenRequest({ grant_type: 'client_credentials', client_id: limited.clientId, client_secret: secret, scope: 'public sell' });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().error, 'invalid_scope');
  });

  test('password grant: public and buy only, with a refresh token; sell or admin refused', async () => {
    const ok = await tokenRequest({ grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username: 'lea@example.test', password: 'lea-password' });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().scope, 'public buy');
    assert.ok(ok.json().refresh_token);
    const me = await client(p.app, ok.json().access_token).get('/api/users/me');
    assert.equal(me.json().user.username, 'lea');
    for (const scope of ['sell', 'admin', 'public buy admin']) {
      const refused = await tokenRequest({ grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username: 'lea', password: 'lea-password', scope });
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json().error, 'invalid_scope');
    }
  });

  test('password grant with a wrong password: invalid_grant, and the failure is in the activity log', async () => {
    const response = await tokenRequest({ grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username: 'lea', password: 'nope-nope' });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error, 'invalid_grant');
    const unknown = await tokenRequest({ grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username: 'ghost', password: 'whatever1' });
    assert.equal(unknown.json().error, 'invalid_grant');
    const missing = await tokenRequest({ grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username: 'lea' });
    assert.equal(missing.json().error, 'invalid_request');
    const kinds = (await p.database.db.selectFrom('account_activities').innerJoin('accounts', 'accounts.id', 'account_activities.account_id').select('kind').where('accounts.username', '=', 'lea').execute()).map((r) => r.kind);
    assert.ok(kinds.includes('sign_in'));
    assert.ok(kinds.includes('sign_in_failed'));
  });

  test('refresh tokens rotate; reusing a rotated one revokes the whole family', async () => {
    const first = (await tokenRequest({ grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username: 'lea', password: 'lea-password' })).json();
    const second = await tokenRequest({ grant_type: 'refresh_token', client_id: p.a.clientId, client_secret: p.a.clientSecret, refresh_token: first.refresh_token });
    assert.equal(second.statusCode, 200);
    assert.notEqual(second.json().refresh_token, first.refresh_token);
    assert.equal(second.json().scope, 'public buy');
    // Narrowing on refresh is allowed.
    const narrowed = await tokenRequest({ grant_type: 'refresh_token', client_id: p.a.clientId, client_secret: p.a.clientSecret, refresh_token: second.json().refresh_token, scope: 'public' });
    assert.equal(narrowed.json().scope, 'public');
    // Replay of the first (already rotated) token: refused, and the live descendant dies with it.
    const replay = await tokenRequest({ grant_type: 'refresh_token', client_id: p.a.clientId, client_secret: p.a.clientSecret, refresh_token: first.refresh_token });
    assert.equal(replay.json().error, 'invalid_grant');
    const descendant = await tokenRequest({ grant_type: 'refresh_token', client_id: p.a.clientId, client_secret: p.a.clientSecret, refresh_token: narrowed.json().refresh_token });
    assert.equal(descendant.json().error, 'invalid_grant');
    // Another client cannot use this client's refresh token.
    const fresh = (await tokenRequest({ grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username: 'lea', password: 'lea-password' })).json();
    const stolen = await tokenRequest({ grant_type: 'refresh_token', client_id: p.b.clientId, client_secret: p.b.clientSecret, refresh_token: fresh.refresh_token });
    assert.equal(stolen.json().error, 'invalid_grant');
  });

  test('access tokens expire after their lifetime', async () => {
    const accessToken = await token(p.app, p.a);
    assert.equal((await client(p.app, accessToken).get('/api/venues')).statusCode, 200);
    p.clock.advance(3600 * 1000 + 1);
    const expired = await client(p.app, accessToken).get('/api/venues');
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.json().error.code, 'UNAUTHENTICATED');
    assert.match(String(expired.headers['www-authenticate']), /^Bearer/);
  });

  test('revocation: a revoked token, and every token of a revoked client, stop working', async () => {
    const accessToken = await token(p.app, p.a);
    const revoke = await p.app.inject({ method: 'POST', url: '/api/auth/revoke', payload: { token: accessToken, client_id: p.a.clientId, client_secret: p.a.clientSecret } });
    assert.equal(revoke.statusCode, 200);
    assert.equal((await client(p.app, accessToken).get('/api/venues')).statusCode, 401);

    const admin = client(p.app, await token(p.app, p.a));
    const created = (await admin.post('/api/oauth_clients', { oauth_client: { name: 'kiosk', scopes: 'public sell' } })).json().oauth_client;
    const kioskToken = await token(p.app, { clientId: created.client_id, clientSecret: created.client_secret }, 'public sell');
    assert.equal((await client(p.app, kioskToken).get('/api/venues')).statusCode, 200);
    assert.equal((await admin.delete(`/api/oauth_clients/${created.id}`)).statusCode, 204);
    assert.equal((await client(p.app, kioskToken).get('/api/venues')).statusCode, 401);
    const again = await tokenRequest({ grant_type: 'client_credentials', client_id: created.client_id, client_secret: created.client_secret });
    assert.equal(again.json().error, 'invalid_client');
  });

  test('secrets are stored hashed, never in clear', async () => {
    const accessToken = await token(p.app, p.a);
    const rows = await p.database.db.selectFrom('access_tokens').select('token_hash').execute();
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r) => r.token_hash !== accessToken && /^[0-9a-f]{64}$/.test(r.token_hash)));
    const clients = await p.database.db.selectFrom('oauth_clients').select('secret_hash').execute();
    assert.ok(clients.every((c) => c.secret_hash.startsWith('$argon2id$') && !c.secret_hash.includes(p.a.clientSecret)));
    const accounts = await p.database.db.selectFrom('accounts').select('password_hash').execute();
    assert.ok(accounts.every((a) => a.password_hash.startsWith('$argon2id$')));
    const admin = client(p.app, accessToken);
    const key = (await admin.post('/api/api_keys', { api_key: { name: 'door app', access_level: 'host' } })).json().api_key;
    assert.match(key.key, /^[0-9a-f]{32}$/);
    const stored = await p.database.db.selectFrom('api_keys').select('key_hash').where('id', '=', key.id).executeTakeFirstOrThrow();
    assert.notEqual(stored.key_hash, key.key);
    const listed = (await admin.get('/api/api_keys')).json().api_keys;
    assert.ok(listed.every((k: { key?: string }) => k.key === undefined), 'keys are shown only once');
  });

  test('integration API keys: access levels above the caller are refused; revoked keys stop resolving', async () => {
    const admin = client(p.app, await token(p.app, p.a));
    const refused = await admin.post('/api/api_keys', { api_key: { name: 'too much', access_level: 'administrator' } });
    assert.equal(refused.statusCode, 403);
    const created = (await admin.post('/api/api_keys', { api_key: { name: 'reports', access_level: 'customer' } })).json().api_key;
    const principal = await p.app.core.credentials.authenticateApiKey(created.key);
    assert.equal(principal?.organizationId, p.a.organizationId);
    assert.deepEqual([...(principal?.scopes ?? [])].sort(), ['buy', 'public']);
    assert.equal((await admin.delete(`/api/api_keys/${created.id}`)).statusCode, 204);
    assert.equal(await p.app.core.credentials.authenticateApiKey(created.key), null);
  });
});
