import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { TickeTing } from '@ticketing/ticketing-nodejs-sdk';
import { platform, type TestPlatform } from '../../helpers.ts';
import { operatorPrincipal } from '../../../src/demo/seed.ts';

/**
 * Guichet on a real port for the official TickeTing SDK, with a platform operator's administrator
 * key (as `create-operator` makes) and a host-level key of organization b.
 */
export async function sdkPlatform() {
  const p: TestPlatform = await platform();
  await p.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}/ticketing/v3/`;
  const operator = await p.app.core.accounts.create({ username: 'operator', email: 'operator@guichet.test', password: 'operator-password', platformRole: 'administrator' });
  const adminKey = (await p.app.core.credentials.createApiKey(operatorPrincipal(p.a.organizationId, operator.id), { name: 'admin', accessLevel: 'administrator' })).key;
  const hostKeyB = (await p.app.core.credentials.createApiKey(operatorPrincipal(p.b.organizationId, p.b.adminAccountId), { name: 'host b', accessLevel: 'host' })).key;
  const sdk = (apiKey: string) => {
    const tk = new TickeTing({ apiKey, sandbox: true });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK keeps its axios instance private
    (tk as any).__apiAdapter.__requester.defaults.baseURL = base;
    return tk;
  };
  /** Raw HTTP, for what the SDK does not cover. */
  const call = (key: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    p.app.inject({ method, url: `/ticketing/v3${url}`, headers: { 'x-api-key': key, 'x-client-version': '3.1.3' }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { p, base, adminKey, hostKeyB, operatorId: operator.id, sdk, call };
}

/** Asserts that a promise fails with the SDK's error class and the message a user would be shown. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's error classes
export async function rejectsWith(promise: Promise<unknown>, errorClass: new (...args: any[]) => unknown, message: string) {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof errorClass, `expected ${errorClass.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.equal((e as { message: string }).message, message);
    return true;
  });
}
