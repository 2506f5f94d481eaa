import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BadDataError, PermissionError, ResourceExistsError, ResourceNotFoundError, UnauthorisedError } from '@ticketing/ticketing-nodejs-sdk';
import { ENGINE } from '../../helpers.ts';
import { places, rejectsWith, sdkPlatform } from './sdk-platform.ts';

/** The SDK's account service and session manager: formats, who may do what, every error with its words. */
describe(`TickeTing accounts and sessions through the SDK on ${ENGINE}`, () => {
  let t: Awaited<ReturnType<typeof sdkPlatform>>;
  before(async () => {
    t = await sdkPlatform();
  });
  after(() => t.p.close());

  const profile = (name: string) => ({
    username: name, password: `${name}-password`, email: `${name}@example.test`, firstName: name, lastName: 'Test', title: 'Mx',
    dateOfBirth: '1990-02-03', phone: '+33 1 23 45 67 89', country: 'France', firstAddressLine: '1 rue X', secondAddressLine: 'Bât. B', city: 'Nantes', state: 'Loire-Atlantique',
  });

  test('registration: the account as TickeTing has it, field by field; its number in URIs; listed last', async () => {
    const tk = t.sdk(t.adminKey);
    const created = await tk.accounts.create(profile('lina'));
    assert.match(created.number, /^[A-Z]{2}-[A-Z0-9]{8}$/);
    assert.equal(created.uri, `/accounts/${created.number}`);
    assert.equal(created.id, created.number);
    const expected = { ...profile('lina'), role: 'customer', verified: false, activated: true } as Record<string, unknown>;
    delete expected.password;
    for (const [field, value] of Object.entries(expected)) assert.equal((created as unknown as Record<string, unknown>)[field], value, field);
    const found = await tk.accounts.find(created.number);
    assert.equal(found.number, created.number);
    assert.equal(found.email, 'lina@example.test');
    const all = await tk.accounts.list(100);
    assert.equal(all[all.length - 1].number, created.number, 'a new account is the last entry');
    assert.deepEqual((await tk.accounts.list().filter({ number: created.number })).map((a) => a.number), [created.number]);
    assert.deepEqual((await tk.accounts.list().filter({ email: 'lina@example.test' })).map((a) => a.number), [created.number]);
    assert.deepEqual((await tk.accounts.list().filter({ username: 'lina' })).map((a) => a.number), [created.number]);
    assert.equal((await tk.accounts.find(created.number)).number, (await tk.accounts.find(created.number)).number, 'stable');
  });

  test('errors: required fields in order, invalid values, taken username or e-mail, unknown account', async () => {
    const tk = t.sdk(t.adminKey);
    await rejectsWith(tk.accounts.create({ email: 'x@example.test' } as never), BadDataError, 'The following arguments are required, but have not been supplied: username, password.');
    await rejectsWith(tk.accounts.create({ ...profile('omar'), email: 'not-an-email' }), BadDataError, 'The following arguments have invalid values: email.');
    await tk.accounts.create(profile('omar'));
    await rejectsWith(tk.accounts.create({ ...profile('omar'), email: 'omar2@example.test' }), ResourceExistsError, 'The following arguments conflict with those of another user: username.');
    await rejectsWith(tk.accounts.create({ ...profile('omar2'), email: 'omar@example.test' }), ResourceExistsError, 'The following arguments conflict with those of another user: email.');
    await rejectsWith(tk.accounts.find('AC-ZZZZZZZZ'), ResourceNotFoundError, 'The requested account could not be located');
  });

  test('sessions: start, info with the formats, resume, end; wrong password, unknown account, ended key', async () => {
    await t.sdk(t.adminKey).accounts.create(profile('sami'));
    const tk = t.sdk(t.adminKey);
    const key = await tk.session.start({ identification: 'sami', password: 'sami-password' });
    assert.match(key, /^[0-9a-f]{32}$/);
    const info = await tk.session.info();
    assert.match(info.started, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.equal(info.account.username, 'sami');
    const resumed = t.sdk(t.adminKey);
    assert.equal(await resumed.session.resume(key), true);
    assert.match((await resumed.session.info()).started, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.equal(await tk.session.end(), true);
    const ended = await t.call(key, 'GET', '/sessions/active');
    assert.deepEqual([ended.statusCode, ended.json().error], [403, 'The session has ended or does not exist.']);
    await rejectsWith(t.sdk(t.adminKey).session.start({ identification: 'sami', password: 'wrong-password' }), UnauthorisedError, 'A session cannot be started with the given password.');
    // TickeTing answers 404 for an unknown account; Guichet answers as for a wrong password (no account enumeration: test/security).
    await rejectsWith(t.sdk(t.adminKey).session.start({ identification: 'nobody', password: 'whatever-1' }), UnauthorisedError, 'A session cannot be started with the given password.');
  });

  test('who may read, change and delete an account: itself, an administrator; others in the host get 403; another host sees none', async () => {
    const admin = t.sdk(t.adminKey);
    const rita = await admin.accounts.create(profile('rita'));
    await admin.accounts.create(profile('theo'));
    const ritaSession = t.sdk(t.adminKey);
    await ritaSession.session.start({ identification: 'rita', password: 'rita-password' });
    const theoSession = t.sdk(t.adminKey);
    await theoSession.session.start({ identification: 'theo', password: 'theo-password' });

    // The account itself changes its profile.
    const mine = await ritaSession.accounts.find(rita.number);
    mine.city = 'Angers';
    mine.phone = '+33 2 00 00 00 00';
    assert.equal(await mine.save(), true);
    assert.equal((await admin.accounts.find(rita.number)).city, 'Angers');
    // So does an administrator.
    const byAdmin = await admin.accounts.find(rita.number);
    byAdmin.lastName = 'Martin';
    assert.equal(await byAdmin.save(), true);
    assert.equal((await ritaSession.accounts.find(rita.number)).lastName, 'Martin');

    // Another customer of the same host: 403 with TickeTing's words, nothing changed.
    await rejectsWith(theoSession.accounts.find(rita.number), PermissionError, 'You are not authorised to access or modify this account.');
    const put = await t.call(theoSession.apiKey, 'PUT', `/accounts/${rita.number}`, { city: 'Elsewhere' });
    assert.deepEqual([put.statusCode, put.json().error], [403, 'You are not authorised to access or modify this account.']);
    const del = await t.call(theoSession.apiKey, 'DELETE', `/accounts/${rita.number}`);
    assert.deepEqual([del.statusCode, del.json().error], [403, 'You are not authorised to access or modify this account.']);
    // Another host's key does not even see it.
    await rejectsWith(t.sdk(t.hostKeyB).accounts.find(rita.number), ResourceNotFoundError, 'The requested account could not be located');
    assert.equal((await admin.accounts.find(rita.number)).city, 'Angers');

    // Preferences hold a region URI; a PUT without region names it.
    const region = await admin.regions.create({ name: 'Pays de la Loire', country: 'France' });
    const preferences = await mine.preferences;
    assert.equal(preferences.region, null);
    preferences.region = region;
    assert.equal(await preferences.save(), true);
    assert.equal((await mine.preferences).region!.uri, region.uri);
    const raw = await t.call(ritaSession.apiKey, 'GET', `/accounts/${rita.number}/preferences`);
    assert.deepEqual(raw.json(), { self: `/accounts/${rita.number}/preferences`, region: Number(region.id) });
    const noRegion = await t.call(ritaSession.apiKey, 'PUT', `/accounts/${rita.number}/preferences`, {});
    assert.deepEqual([noRegion.statusCode, noRegion.json().error], [400, 'The following arguments are required, but have not been supplied: region.']);

    // Deleted by itself: gone.
    assert.equal(await mine.delete(), true);
    await rejectsWith(admin.accounts.find(rita.number), ResourceNotFoundError, 'The requested account could not be located');
    await rejectsWith(t.sdk(t.adminKey).session.start({ identification: 'rita', password: 'rita-password' }), UnauthorisedError, 'A session cannot be started with the given password.');
  });

  test('accounts: create, find, filter, update by the holder, preferences, 409 on a duplicate, close', async () => {
    const tk = t.sdk(t.adminKey);
    const { region } = await places(tk, 'accounts');
    const created = await tk.accounts.create({
      username: 'marie', password: 'marie-password', email: 'marie@example.test', firstName: 'Marie', lastName: 'Joseph', title: 'Ms',
      dateOfBirth: '1990-04-02', phone: '+1 758 555 0100', country: 'Saint Lucia', city: 'Castries',
    });
    assert.equal(created.username, 'marie');
    assert.equal(created.role, 'customer');
    assert.equal(created.country, 'Saint Lucia');
    assert.equal(created.uri, `/accounts/${created.number}`);
    const found = await tk.accounts.find(created.id);
    assert.equal(found.email, 'marie@example.test');
    const filtered = await tk.accounts.list().filter({ username: 'marie' });
    assert.deepEqual(filtered.map((a) => a.number), [created.number]);
    assert.deepEqual(await tk.accounts.list().filter({ email: 'nobody@example.test' }), []);
    await assert.rejects(
      tk.accounts.create({ username: 'marie', password: 'marie-password', email: 'other@example.test', firstName: 'M', lastName: 'J', title: 'Ms', dateOfBirth: '1990-01-01', phone: '1', country: 'LC' }),
      (e: unknown) => e instanceof ResourceExistsError,
    );

    // Only the holder changes a profile: through a session of their own.
    const marie = t.sdk(t.adminKey);
    await marie.session.start({ identification: 'marie', password: 'marie-password' });
    const mine = await marie.accounts.find(created.id);
    mine.city = 'Soufrière';
    assert.equal(await mine.save(), true);
    assert.equal((await tk.accounts.find(created.id)).city, 'Soufrière');

    const preferences = await mine.preferences;
    assert.equal(preferences.region, null);
    preferences.region = region;
    assert.equal(await preferences.save(), true);
    assert.equal((await mine.preferences).region!.id, region.id);

    assert.equal(await mine.delete(), true);
    // A deleted account is gone (TickeTing: 404 with its words), and its session ended with it.
    await assert.rejects(tk.accounts.find(created.id), (e: unknown) => e instanceof ResourceNotFoundError && e.message === 'The requested account could not be located');
    // (The SDK's find turns any 403 into its own words.)
    await assert.rejects(marie.session.info().then(() => marie.accounts.find(created.id)), (e: { code?: number; message?: string }) => e.code === 403 && e.message === 'You are not authorised to access or modify this account.');
    const ended = await t.call(marie.apiKey, 'GET', '/sessions/active');
    assert.deepEqual([ended.statusCode, ended.json().error], [403, 'The session has ended or does not exist.']);
  });

  test('password reset: the SDK asks, the mailed code and a new password confirm it, once', async () => {
    const tk = t.sdk(t.adminKey);
    await tk.accounts.create({ username: 'nadia', password: 'forgotten-1', email: 'nadia@example.test', firstName: 'N', lastName: 'R', title: 'Ms', dateOfBirth: '1991-01-01', phone: '1', country: 'FR' });
    const sent = t.p.mailer.outbox.length;
    const reset = await tk.accounts.reset('nadia@example.test');
    assert.equal(reset.status, 'Pending');
    const code = /: (\S+)$/.exec(t.p.mailer.outbox[sent].text)![1];
    assert.equal(await reset.confirm({ code, password: 'remembered-2' }), true);
    assert.match(await t.sdk(t.adminKey).session.start({ identification: 'nadia', password: 'remembered-2' }), /^[0-9a-f]{32}$/);
    await assert.rejects(reset.confirm({ code, password: 'hijacked-3' }), (e: unknown) => e instanceof BadDataError);
    // Unknown addresses get the same answer and no mail.
    assert.equal((await tk.accounts.reset('nobody@example.test')).status, 'Pending');
    assert.equal(t.p.mailer.outbox.length, sent + 1);
  });

  test('account verification: the mailed code marks the account verified, once', async () => {
    const tk = t.sdk(t.adminKey);
    const account = await tk.accounts.create({ username: 'victor', password: 'victor-password', email: 'victor@example.test', firstName: 'V', lastName: 'H', title: 'Mr', dateOfBirth: '1980-01-01', phone: '1', country: 'FR' });
    assert.equal(account.verified, false);
    const sent = t.p.mailer.outbox.length;
    const verification = await tk.accounts.verify('victor@example.test');
    assert.equal(verification.status, 'Pending');
    const code = /: (\S+)$/.exec(t.p.mailer.outbox[sent].text)![1];
    await assert.rejects(verification.confirm({ code: 'wrong-code' }), (e: unknown) => e instanceof BadDataError);
    assert.equal((await tk.accounts.find(account.id)).verified, false);
    assert.equal(await verification.confirm({ code }), true);
    assert.equal((await tk.accounts.find(account.id)).verified, true);
    await assert.rejects(verification.confirm({ code }), (e: unknown) => e instanceof BadDataError);
  });

  test('bad input through the SDK: BadDataError (400) and no account created', async () => {
    const tk = t.sdk(t.adminKey);
    const before = (await tk.accounts.list(100)).length;
    await assert.rejects(tk.accounts.create({ username: 'x y', password: 'short', email: 'not-an-email', firstName: '', lastName: '', title: 'Dr', dateOfBirth: 'x', phone: '', country: '' }), (e: unknown) => e instanceof BadDataError);
    assert.equal((await tk.accounts.list(100)).length, before);
  });
});
