import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { client, platform, token, type TestPlatform } from '../../helpers.ts';
import { RIGHTS } from '../../../src/core/identity/roles.ts';

type Api = ReturnType<typeof client>;

/**
 * What the back office's door set-up reads and the rights its pages derive from: the organization's
 * scan settings (what door devices read) apart from a person's own, per organization; and the
 * right each operation of the OpenAPI document declares (x-guichet-right), equal to what the server
 * enforces.
 */
describe('native: scan settings of the organization, and the rights the OpenAPI document declares', () => {
  let p: TestPlatform;
  let adminA: Api;
  let adminB: Api;
  const person = {} as Record<'owner' | 'door_staff', Api>;

  const signIn = async (email: string, password: string, scope: string) => {
    const r = await p.app.inject({ method: 'POST', url: '/api/auth/token', payload: { grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username: email, password, scope } });
    assert.equal(r.statusCode, 200, r.body);
    return client(p.app, r.json().access_token);
  };

  before(async () => {
    p = await platform();
    adminA = client(p.app, await token(p.app, p.a));
    adminB = client(p.app, await token(p.app, p.b));
    const created = await adminA.post('/api/users', { user: { username: 'gate', email: 'gate@alpha.test', password: 'gate-password', role: 'door_staff' } });
    assert.equal(created.statusCode, 201, created.body);
    person.owner = await signIn(p.a.adminEmail, p.a.adminPassword, 'public buy sell admin');
    person.door_staff = await signIn('gate@alpha.test', 'gate-password', 'public buy');
  });
  after(() => p.close());

  test("scope=organization reads the organization's defaults, not the caller's own; each organization its own", async () => {
    const org = async (api: Api) => {
      const r = await api.get('/api/scan_settings?scope=organization');
      assert.equal(r.statusCode, 200, r.body);
      return r.json().scan_settings as Record<string, string>;
    };
    // The owner's own choice stays theirs.
    assert.equal((await person.owner.patch('/api/scan_settings', { scan_settings: { scan_sound: false } })).statusCode, 200);
    assert.equal((await person.owner.get('/api/scan_settings')).json().scan_settings.scan_sound, '0');
    assert.equal((await org(person.owner)).scan_sound, '1', 'the organization still sounds');
    // The organization's defaults, changed with scope=organization, are what everyone reads underneath.
    const changed = await person.owner.patch('/api/scan_settings?scope=organization', { scan_settings: { sync_interval: 45, scan_vibration: false } });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual([changed.json().scan_settings.sync_interval, changed.json().scan_settings.scan_vibration, changed.json().scan_settings.scan_sound], ['45', '0', '1'], 'the answer is the organization’s settings');
    assert.deepEqual(await org(person.door_staff), { sync_interval: '45', scan_device: '', scan_focus: '0', scan_mode: '0', scan_vibration: '0', scan_sound: '1' }, 'door staff read them');
    // A false stays false, a null removes the key (back to the default), strings and numbers as given.
    const typed = await person.owner.patch('/api/scan_settings?scope=organization', { scan_settings: { scan_vibration: null, other: { theme: 'dark', volume: 0, beep: false } } });
    assert.equal(typed.statusCode, 200, typed.body);
    assert.deepEqual([typed.json().scan_settings.scan_vibration, typed.json().scan_settings.theme, typed.json().scan_settings.volume, typed.json().scan_settings.beep], ['1', 'dark', '0', '0']);
    assert.equal((await person.owner.patch('/api/scan_settings?scope=organization', { scan_settings: { scan_vibration: false, other: { theme: null } } })).json().scan_settings.theme, undefined);
    assert.equal((await person.owner.patch('/api/scan_settings?scope=organization', { scan_settings: { scan_sound: { on: true } } })).statusCode, 422);
    assert.equal((await person.owner.get('/api/scan_settings')).json().scan_settings.scan_sound, '0');
    assert.equal((await person.owner.get('/api/scan_settings')).json().scan_settings.sync_interval, '45');
    // Another organization keeps its own.
    assert.equal((await org(adminB)).sync_interval, '120');
    assert.equal((await org(adminA)).sync_interval, '45');
    // Door staff read them, and may not change the organization's.
    const refused = await person.door_staff.patch('/api/scan_settings?scope=organization', { scan_settings: { scan_sound: false } });
    assert.equal(refused.statusCode, 403, refused.body);
    assert.equal(refused.json().error.code, 'FORBIDDEN');
    assert.equal((await org(adminA)).scan_sound, '1');
    // A scope that is not one: the native error format, never a 500.
    const bad = await adminA.get('/api/scan_settings?scope=everyone');
    assert.equal(bad.statusCode, 422, bad.body);
    assert.equal(typeof bad.json().error.code, 'string');
  });

  test('every operation declares the right a member needs, and the server enforces that right', async () => {
    const doc = (await p.app.inject('/api/openapi.json')).json() as { paths: Record<string, Record<string, { 'x-guichet-right'?: string }>> };
    const declared = (path: string, method: string) => doc.paths[path]?.[method]?.['x-guichet-right'];
    let operations = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        operations++;
        const right = operation['x-guichet-right'];
        if (right !== undefined) assert.ok((RIGHTS as readonly string[]).includes(right), `${method} ${path}: ${right}`);
      }
    }
    assert.ok(operations > 100);
    // The calls of the back office's holds, promotions and door set-up pages.
    assert.equal(declared('/api/events/{id}/capacities', 'get'), 'reporting');
    assert.equal(declared('/api/events/{id}/dates/{date_id}/capacities/{section_id}', 'patch'), 'catalog');
    assert.equal(declared('/api/events/{id}/dates/{date_id}/seats', 'patch'), 'catalog');
    assert.equal(declared('/api/events/{id}/dates/{date_id}/seats', 'get'), 'any');
    assert.equal(declared('/api/promotions', 'post'), 'reporting');
    assert.equal(declared('/api/scan_settings', 'get'), 'door');
    assert.equal(declared('/api/scan_settings', 'patch'), 'door_setup');
    assert.equal(declared('/api/events/{id}/door_statistics', 'get'), 'door');
    // A route naming its own right (config.right) declares that one.
    assert.equal(declared('/api/access', 'get'), 'any');
    assert.equal(declared('/api/dashboard', 'get'), 'reporting');
    // Calls open to anyone without a token declare none.
    assert.equal(declared('/api/door/sessions', 'post'), undefined);
    // What is declared is what is enforced: door staff have `door`, not `reporting` nor `door_setup`.
    assert.equal((await person.door_staff.get('/api/scan_settings')).statusCode, 200);
    assert.equal((await person.door_staff.get('/api/control_points')).statusCode, 200);
    assert.equal((await person.door_staff.get('/api/promotions')).statusCode, 403);
    assert.equal((await person.door_staff.patch('/api/scan_settings', { scan_settings: { scan_sound: true } })).statusCode, 403);
  });
});
