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

export type SdkPlatform = Awaited<ReturnType<typeof sdkPlatform>>;

/** Region, category and venue through the SDK, for events. */
export async function places(tk: TickeTing, suffix: string) {
  const region = await tk.regions.create({ name: `Region ${suffix}`, country: 'Saint Lucia', district: 'Gros Islet', city: 'Rodney Bay' });
  const category = await tk.categories.create({ name: `Music ${suffix}`, subcategories: ['Jazz', 'Soca'] });
  const venue = await tk.venues.create({ name: `Stadium ${suffix}`, region, longitude: -60.95, latitude: 14.07, address: '1 Bay Road' });
  return { region, category, venue };
}

/**
 * The door's setting, through the SDK and the API: a listed event of host a with two free sections
 * (Floor 50, Balcony 20), a customer who bought 2 Floor and 1 Balcony, an admission token for the
 * Floor and the admission session opened with its code.
 */
export async function doorSetting(t: SdkPlatform, suffix: string) {
  const tk = t.sdk(t.adminKey);
  const host = await tk.hosts.find(String(t.p.a.organizationId));
  const { category, venue } = await places(tk, suffix);
  const created = await tk.events.create({ host, title: `Door Night ${suffix}`, description: '', type: 'Concert', public: true, category, subcategory: 'Jazz', venue, start: '2027-09-01T20:00:00Z', end: '2027-09-01T23:00:00Z' });
  for (const [name, capacity] of [['Floor', 50], ['Balcony', 20]] as const) {
    assert.equal((await t.call(t.adminKey, 'POST', `${created.uri}/sections`, { name, price: 0, capacity })).statusCode, 201);
  }
  await created.submit();
  assert.equal((await t.call(t.adminKey, 'POST', `${created.uri}/approvals`, { status: 'Listed' })).statusCode, 201);
  const event = await tk.events.find(created.id);
  const [floor, balcony] = event.sections;
  const buyer = await tk.accounts.create({ username: `dora-${suffix}`, password: 'dora-password', email: `dora-${suffix}@example.test`, firstName: 'Dora', lastName: 'D', title: 'Ms', dateOfBirth: '1990-01-01', phone: '1', country: 'FR' });
  const ordered = await t.call(t.adminKey, 'POST', '/orders', { customer: buyer.uri, items: { [floor.uri]: 2, [balcony.uri]: 1 } });
  assert.equal(ordered.json().status, 'Fulfilled', ordered.body);
  const token = await event.issue_token([floor] as never);
  const { door, doorKey } = await admission(t, tk, token.code, 'gate-1');
  return { tk, host, category, venue, event, floor, balcony, buyer, token, door, doorKey };
}

/** The SDK's admission login with a token code, pointed at Guichet; with the door key it holds. */
export async function admission(t: SdkPlatform, tk: TickeTing, code: string, device: string) {
  const door = await tk.session.admission(code, 'Gate staff', device);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the admission session builds its own axios instance
  (door as any).__apiAdapter.__requester.defaults.baseURL = t.base;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { door, doorKey: (door as any).__apiAdapter.key as string };
}

/**
 * The door of an event with two dates and a section with two tariffs, both free: TickeTing makes the
 * event with one date and one price, the organizer adds the second date and a Child tariff in Guichet
 * (as in events.test.ts). The event is then two TickeTing events, `day1` and `day2`, each with the
 * sections `Grounds (Grounds)` and `Grounds (Child)`. A buyer holds a ticket of each tariff on the
 * first date and a Child ticket on the second.
 */
export async function twoDateDoor(t: SdkPlatform, suffix: string) {
  const tk = t.sdk(t.adminKey);
  const host = await tk.hosts.find(String(t.p.a.organizationId));
  const { category, venue } = await places(tk, suffix);
  const created = await tk.events.create({ host, title: `Two Nights ${suffix}`, description: '', type: 'Festival', public: true, category, subcategory: 'Soca', venue, start: '2027-08-01T20:00:00Z', end: '2027-08-01T23:00:00Z' });
  assert.equal((await t.call(t.adminKey, 'POST', `${created.uri}/sections`, { name: 'Grounds', price: 0, capacity: 100 })).statusCode, 201);
  const organizer = operatorPrincipal(t.p.a.organizationId, t.operatorId);
  const eventId = Number(created.id);
  const made = await t.p.app.core.events.read(organizer, eventId);
  const [firstDate, sectionId, full] = [made.dates[0].id, made.sections[0].id, made.tariffs[0].id];
  const secondDate = (await t.p.app.core.events.addDate(organizer, eventId, { startsAt: '2027-08-02T20:00:00Z', endsAt: '2027-08-02T23:00:00Z' })).id;
  const child = (await t.p.app.core.events.addTariff(organizer, eventId, { sectionId, label: 'Child', price: 0 })).id;
  await created.submit();
  assert.equal((await t.call(t.adminKey, 'POST', `${created.uri}/approvals`, { status: 'Listed' })).statusCode, 201);
  const day1 = await tk.events.find(`${eventId}-${firstDate}`);
  const day2 = await tk.events.find(`${eventId}-${secondDate}`);
  const buyer = await tk.accounts.create({ username: `nina-${suffix}`, password: 'nina-password', email: `nina-${suffix}@example.test`, firstName: 'Nina', lastName: 'N', title: 'Ms', dateOfBirth: '1990-01-01', phone: '1', country: 'FR' });
  const ordered = await t.call(t.adminKey, 'POST', '/orders', { customer: buyer.uri, items: { [day1.sections[0].uri]: 1, [day1.sections[1].uri]: 1, [day2.sections[1].uri]: 1 } });
  assert.equal(ordered.json().status, 'Fulfilled', ordered.body);
  return { tk, host, day1, day2, buyer, eventId, dates: [firstDate, secondDate], sectionId, tariffs: [full, child] };
}
