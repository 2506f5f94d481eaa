import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { client, platform, token, type TestPlatform } from './helpers.ts';

describe('users, passwords, activity and addresses', () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;
  before(async () => {
    p = await platform();
    admin = client(p.app, await token(p.app, p.a));
  });
  after(() => p.close());

  const passwordToken = async (username: string, password: string) => {
    const r = await p.app.inject({
      method: 'POST',
      url: '/api/auth/token',
      payload: { grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username, password },
    });
    return r.statusCode === 200 ? (r.json().access_token as string) : null;
  };

  test('a buyer registers with the buy scope, signs in, reads and updates their profile', async () => {
    const shop = client(p.app, await token(p.app, p.a, 'public buy'));
    const created = await shop.post('/api/users', {
      user: { username: 'jeanne', email: 'Jeanne@Example.test', password: 'correct horse', first_name: 'Jeanne', title: 'Ms', date_of_birth: '1990-05-17', country: 'fr' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const user = created.json().user;
    assert.equal(user.email, 'jeanne@example.test', 'e-mail stored lowercased');
    assert.equal(user.country, 'FR');
    assert.equal(user.platform_role, 'customer');
    assert.equal(user.verified, false);
    assert.equal(user.password, undefined);
    assert.equal((await shop.post('/api/users', { user: { username: 'jeanne2', email: 'JEANNE@example.test', password: 'another one' } })).statusCode, 409);
    const staff = await shop.post('/api/users', { user: { username: 'sneaky', email: 'sneaky@example.test', password: 'sneaky-pass', role: 'owner' } });
    assert.equal(staff.statusCode, 403, 'a shop cannot create staff');

    const own = client(p.app, (await passwordToken('jeanne@example.test', 'correct horse'))!);
    const me = (await own.get('/api/users/me')).json().user;
    assert.equal(me.id, user.id);
    assert.equal(me.role, null, 'a buyer is no member of the organization');
    const updated = await own.patch('/api/users/me', { user: { phone: '+33 6 12 34 56 78', city: 'Nantes' } });
    assert.equal(updated.json().user.city, 'Nantes');
    for (const [body, field] of [[{ title: 'Dr' }, 'user.title'], [{ date_of_birth: '1990-02-30' }, 'date_of_birth'], [{ country: 'QQ' }, 'country']] as const) {
      const r = await own.patch('/api/users/me', { user: body });
      assert.equal(r.statusCode, 422, JSON.stringify(body));
      assert.ok(r.json().error.details.some((d: { field: string }) => d.field.endsWith(field.replace('user.', ''))), r.body);
    }
    // Other accounts are invisible to a buyer.
    assert.equal((await own.get(`/api/users/${p.a.adminAccountId}`)).statusCode, 404);
  });

  test('admins create staff with a membership role, list members, change roles, remove members', async () => {
    const created = await admin.post('/api/users', { user: { username: 'door1', email: 'door1@alpha.test', password: 'door-password', role: 'door_staff' } });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().user.role, 'door_staff');
    const members = (await admin.get('/api/users?per_page=100')).json().users;
    assert.deepEqual(members.map((m: { username: string; role: string }) => [m.username, m.role]).sort(), [['alpha-admin', 'owner'], ['door1', 'door_staff']]);
    const byEmail = (await admin.get('/api/users?email=DOOR1@alpha.test')).json().users;
    assert.equal(byEmail.length, 1);
    const id = created.json().user.id;
    assert.equal((await admin.patch(`/api/users/${id}`, { user: { role: 'box_office' } })).json().user.role, 'box_office');
    const takeover = await admin.patch(`/api/users/${id}`, { user: { email: 'attacker@evil.test' } });
    assert.equal(takeover.statusCode, 403, "an admin cannot change a member's e-mail (it would hand over the password reset)");
    const platformRole = await admin.post('/api/users', { user: { username: 'boss', email: 'boss@alpha.test', password: 'boss-password', platform_role: 'administrator' } });
    assert.equal(platformRole.statusCode, 403, 'only platform administrators grant platform roles');
    assert.equal((await admin.delete(`/api/users/${id}`)).statusCode, 204);
    assert.equal((await admin.get(`/api/users/${id}`)).statusCode, 404, 'no longer a member: not visible');
  });

  test('password change needs the current password; the activity log records it', async () => {
    await p.app.core.accounts.create({ username: 'marc', email: 'marc@example.test', password: 'old-password' });
    const own = client(p.app, (await passwordToken('marc', 'old-password'))!);
    const wrong = await own.post('/api/users/me/password', { password: { current_password: 'not-it', new_password: 'new-password' } });
    assert.equal(wrong.statusCode, 422);
    assert.equal(wrong.json().error.code, 'INVALID_CREDENTIALS');
    const short = await own.post('/api/users/me/password', { password: { current_password: 'old-password', new_password: 'short' } });
    assert.equal(short.statusCode, 422);
    // The token making the change asks to stay signed in (every other credential ends: test/security).
    assert.equal((await own.post('/api/users/me/password', { password: { current_password: 'old-password', new_password: 'new-password', keep_current_token: true } })).statusCode, 204);
    assert.equal(await passwordToken('marc', 'old-password'), null);
    assert.ok(await passwordToken('marc', 'new-password'));
    const activity = (await own.get('/api/users/me/activity')).json().activities.map((a: { kind: string }) => a.kind);
    assert.deepEqual(activity, ['sign_in', 'sign_in_failed', 'password_changed', 'sign_in'], 'newest first');
  });

  test('password reset: mailed single-use code, stored hashed, expires; unknown addresses get the same answer', async () => {
    await p.app.core.accounts.create({ username: 'nina', email: 'nina@example.test', password: 'forgotten-1' });
    const ask = (email: string) => p.app.inject({ method: 'POST', url: '/api/users/password_resets', payload: { password_reset: { email } } });
    const confirm = (code: string, password: string) =>
      p.app.inject({ method: 'POST', url: '/api/users/password_resets/confirm', payload: { password_reset: { token: code, password } } });
    const unknown = await ask('nobody@example.test');
    assert.equal(unknown.statusCode, 202);
    assert.equal(p.mailer.outbox.length, 0);
    assert.equal((await ask('NINA@example.test')).statusCode, 202);
    assert.equal(p.mailer.outbox.length, 1);
    const code = /: (\S+)$/.exec(p.mailer.outbox[0].text)![1];
    const stored = await p.database.db.selectFrom('password_resets').select('token_hash').execute();
    assert.ok(stored.every((r) => r.token_hash !== code));
    assert.equal((await confirm(code, 'remembered-2')).statusCode, 204);
    assert.ok(await passwordToken('nina', 'remembered-2'));
    const replay = await confirm(code, 'hijacked-3');
    assert.equal(replay.statusCode, 422, 'single use');
    assert.equal(replay.json().error.code, 'TOKEN_EXPIRED');
    // A code older than its lifetime is refused.
    await ask('nina@example.test');
    const late = /: (\S+)$/.exec(p.mailer.outbox[1].text)![1];
    p.clock.advance(3601 * 1000);
    assert.equal((await confirm(late, 'too-late-4')).statusCode, 422);
    assert.ok(await passwordToken('nina', 'remembered-2'));
    admin = client(p.app, await token(p.app, p.a)); // the hour also ended the admin's token
  });

  test('addresses: CRUD for oneself, with country and state checked', async () => {
    await p.app.core.accounts.create({ username: 'olga', email: 'olga@example.test', password: 'olga-password' });
    const own = client(p.app, (await passwordToken('olga', 'olga-password'))!);
    const paris = (await admin.get('/api/countries/250/states?per_page=100')).json().states.find((s: { code: string }) => s.code === 'FR-75C');
    const created = await own.post('/api/users/me/addresses', { address: { line1: '1 rue de Rivoli', city: 'Paris', zip: '75001', country_id: 250, state_id: paris.id, is_default: true } });
    assert.equal(created.statusCode, 201, created.body);
    const address = created.json().address;
    assert.equal(address.is_default, true);
    const second = (await own.post('/api/users/me/addresses', { address: { line1: 'Bahnhofstraße 1', city: 'Berlin', country_id: 276, is_default: true } })).json().address;
    const list = (await own.get('/api/users/me/addresses')).json().addresses;
    assert.deepEqual(list.map((a: { id: number; is_default: boolean }) => [a.id, a.is_default]), [[address.id, false], [second.id, true]], 'one default at a time');
    const wrongState = await own.patch(`/api/users/me/addresses/${second.id}`, { address: { state_id: paris.id } });
    assert.equal(wrongState.statusCode, 422, 'a French state on a German address');
    assert.equal((await own.post('/api/users/me/addresses', { address: { line1: 'x', city: 'y', country_id: 1 } })).statusCode, 422);
    const updated = await own.patch(`/api/users/me/addresses/${address.id}`, { address: { line2: 'Bâtiment B' } });
    assert.equal(updated.json().address.line2, 'Bâtiment B');
    assert.equal((await own.delete(`/api/users/me/addresses/${address.id}`)).statusCode, 204);
    assert.equal((await own.get(`/api/users/me/addresses/${address.id}`)).statusCode, 404);
    const me = (await own.get('/api/users/me')).json().user;
    assert.equal((await admin.get(`/api/users/${me.id}/addresses`)).statusCode, 404, "an admin cannot read a non-member's addresses");
  });

  test('client-credentials tokens act for the client owner; `me` needs a user', async () => {
    const me = (await admin.get('/api/users/me')).json().user;
    assert.equal(me.id, p.a.adminAccountId);
    assert.equal(me.role, 'owner');
    const { client: anonymous, secret } = await p.app.core.credentials.createClient(
      { organizationId: p.a.organizationId, accountId: null, signedIn: false, clientId: null, scopes: new Set(['admin']), platformRole: 'customer', credential: { kind: 'access_token', id: 0 } },
      { name: 'robot', scopes: 'public sell' },
    );
    const robot = client(p.app, await token(p.app, { clientId: anonymous.clientId, clientSecret: secret }, 'public sell'));
    const r = await robot.get('/api/users/me');
    assert.equal(r.statusCode, 403);
  });
});
