import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidStateError, UnauthorisedError } from '@ticketing/ticketing-nodejs-sdk';
import { ENGINE } from '../../helpers.ts';
import { rejectsWith, sdkPlatform, type SdkPlatform } from './sdk-platform.ts';

/** The SDK's session manager (`tk.session`): start, info, resume, end, with the errors it defines. */
describe(`TickeTing sessions through the SDK on ${ENGINE}`, () => {
  let t: SdkPlatform;
  before(async () => {
    t = await sdkPlatform();
  });
  after(() => t.p.close());

  test('sessions: start with username or e-mail, 32-character key, info, resume, end', async () => {
    const tk = t.sdk(t.adminKey);
    const key = await tk.session.start({ identification: 'alpha-admin', password: t.p.a.adminPassword });
    assert.match(key, /^[0-9a-f]{32}$/);
    const info = await tk.session.info();
    assert.equal(info.account.username, 'alpha-admin');
    assert.equal(info.account.email, t.p.a.adminEmail);
    assert.equal(tk.apiKey, key);

    const other = t.sdk(t.adminKey);
    assert.equal(await other.session.resume(key), true);
    assert.equal(await tk.session.end(), true);
    // The ended key no longer authenticates: 403, which the SDK reads as "already ended".
    await rejectsWith(other.session.end(), InvalidStateError, 'The session has already been ended.');
    assert.equal(tk.apiKey, t.adminKey);

    const byEmail = t.sdk(t.adminKey);
    assert.match(await byEmail.session.start({ identification: t.p.a.adminEmail, password: t.p.a.adminPassword }), /^[0-9a-f]{32}$/);
    await rejectsWith(t.sdk(t.adminKey).session.start({ identification: 'alpha-admin', password: 'wrong-password' }), UnauthorisedError, 'A session cannot be started with the given password.');
    // An unknown account is answered as a wrong password (TickeTing says 404; Guichet does not reveal accounts).
    await rejectsWith(t.sdk(t.adminKey).session.start({ identification: 'nobody', password: 'whatever-1' }), UnauthorisedError, 'A session cannot be started with the given password.');
  });
});
