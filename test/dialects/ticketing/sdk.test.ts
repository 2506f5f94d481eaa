import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { TickeTing, PageAccessError, ResourceExistsError, ResourceIndelibleError, InvalidStateError, BadDataError, ResourceNotFoundError, UnauthorisedError } from '@ticketing/ticketing-nodejs-sdk';
import { platform, type TestPlatform } from '../../helpers.ts';
import { operatorPrincipal } from '../../../src/demo/seed.ts';

/**
 * The official TickeTing SDK (npm @ticketing/ticketing-nodejs-sdk), unchanged, against Guichet on a
 * real port: only its base URL is set, at run time, on its internal axios instance.
 */
describe('TickeTing dialect through the official SDK', () => {
  let p: TestPlatform;
  let base: string;
  /** Administrator integration key of organization a, and a host key of organization b. */
  let adminKey: string;
  let otherHostKey: string;

  function sdk(apiKey: string) {
    const tk = new TickeTing({ apiKey, sandbox: true });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK keeps its axios instance private
    (tk as any).__apiAdapter.__requester.defaults.baseURL = base;
    return tk;
  }
  /** Raw HTTP for what the SDK does not cover. */
  const call = (key: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    p.app.inject({ method, url: `/ticketing/v3${url}`, headers: { 'x-api-key': key, 'x-client-version': '3.1.3' }, ...(payload !== undefined ? { payload: payload as object } : {}) });

  before(async () => {
    p = await platform();
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}/ticketing/v3/`;
    // A platform operator's administrator key (create-operator): it spans organizations.
    const operator = await p.app.core.accounts.create({ username: 'operator', email: 'operator@guichet.test', password: 'operator-password', platformRole: 'administrator' });
    adminKey = (await p.app.core.credentials.createApiKey(operatorPrincipal(p.a.organizationId, operator.id), { name: 'admin', accessLevel: 'administrator' })).key;
    otherHostKey = (await p.app.core.credentials.createApiKey(operatorPrincipal(p.b.organizationId, p.b.adminAccountId), { name: 'host b', accessLevel: 'host' })).key;
  });
  after(() => p.close());

  /** Region, category and venue through the SDK, for events. */
  async function places(tk: TickeTing, suffix: string) {
    const region = await tk.regions.create({ name: `Region ${suffix}`, country: 'Saint Lucia', district: 'Gros Islet', city: 'Rodney Bay' });
    const category = await tk.categories.create({ name: `Music ${suffix}`, subcategories: ['Jazz', 'Soca'] });
    const venue = await tk.venues.create({ name: `Stadium ${suffix}`, region, longitude: -60.95, latitude: 14.07, address: '1 Bay Road' });
    return { region, category, venue };
  }

  test('sessions: start with username or e-mail, 32-character key, info, resume, end', async () => {
    const tk = sdk(adminKey);
    const key = await tk.session.start({ identification: 'alpha-admin', password: p.a.adminPassword });
    assert.match(key, /^[0-9a-f]{32}$/);
    const info = await tk.session.info();
    assert.equal(info.account.username, 'alpha-admin');
    assert.equal(info.account.email, p.a.adminEmail);
    assert.equal(tk.apiKey, key);

    const other = sdk(adminKey);
    assert.equal(await other.session.resume(key), true);
    assert.equal(await tk.session.end(), true);
    // The ended key no longer authenticates: 403, which the SDK reads as "already ended".
    await assert.rejects(other.session.end(), (e: unknown) => e instanceof InvalidStateError);
    assert.equal(tk.apiKey, adminKey);

    const byEmail = sdk(adminKey);
    assert.match(await byEmail.session.start({ identification: p.a.adminEmail, password: p.a.adminPassword }), /^[0-9a-f]{32}$/);
    await assert.rejects(sdk(adminKey).session.start({ identification: 'alpha-admin', password: 'wrong-password' }), (e: unknown) => e instanceof UnauthorisedError);
    // An unknown account is answered as a wrong password (TickeTing says 404; Guichet does not reveal accounts).
    await assert.rejects(sdk(adminKey).session.start({ identification: 'nobody', password: 'whatever-1' }), (e: unknown) => e instanceof UnauthorisedError);
  });

  test('accounts: create, find, filter, update by the holder, preferences, 409 on a duplicate, close', async () => {
    const tk = sdk(adminKey);
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
    const marie = sdk(adminKey);
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
    const ended = await call(marie.apiKey, 'GET', '/sessions/active');
    assert.deepEqual([ended.statusCode, ended.json().error], [403, 'The session has ended or does not exist.']);
  });

  test('password reset: the SDK asks, the mailed code and a new password confirm it, once', async () => {
    const tk = sdk(adminKey);
    await tk.accounts.create({ username: 'nadia', password: 'forgotten-1', email: 'nadia@example.test', firstName: 'N', lastName: 'R', title: 'Ms', dateOfBirth: '1991-01-01', phone: '1', country: 'FR' });
    const sent = p.mailer.outbox.length;
    const reset = await tk.accounts.reset('nadia@example.test');
    assert.equal(reset.status, 'Pending');
    const code = /: (\S+)$/.exec(p.mailer.outbox[sent].text)![1];
    assert.equal(await reset.confirm({ code, password: 'remembered-2' }), true);
    assert.match(await sdk(adminKey).session.start({ identification: 'nadia', password: 'remembered-2' }), /^[0-9a-f]{32}$/);
    await assert.rejects(reset.confirm({ code, password: 'hijacked-3' }), (e: unknown) => e instanceof BadDataError);
    // Unknown addresses get the same answer and no mail.
    assert.equal((await tk.accounts.reset('nobody@example.test')).status, 'Pending');
    assert.equal(p.mailer.outbox.length, sent + 1);
  });

  test('account verification: the mailed code marks the account verified, once', async () => {
    const tk = sdk(adminKey);
    const account = await tk.accounts.create({ username: 'victor', password: 'victor-password', email: 'victor@example.test', firstName: 'V', lastName: 'H', title: 'Mr', dateOfBirth: '1980-01-01', phone: '1', country: 'FR' });
    assert.equal(account.verified, false);
    const sent = p.mailer.outbox.length;
    const verification = await tk.accounts.verify('victor@example.test');
    assert.equal(verification.status, 'Pending');
    const code = /: (\S+)$/.exec(p.mailer.outbox[sent].text)![1];
    await assert.rejects(verification.confirm({ code: 'wrong-code' }), (e: unknown) => e instanceof BadDataError);
    assert.equal((await tk.accounts.find(account.id)).verified, false);
    assert.equal(await verification.confirm({ code }), true);
    assert.equal((await tk.accounts.find(account.id)).verified, true);
    await assert.rejects(verification.confirm({ code }), (e: unknown) => e instanceof BadDataError);
  });

  test('regions, categories and venues: create, list, find, save, delete; 409 on duplicates and when in use', async () => {
    const tk = sdk(adminKey);
    const { region, category, venue } = await places(tk, 'catalog');
    assert.equal(region.country, 'Saint Lucia');
    assert.deepEqual(category.subcategories, ['Jazz', 'Soca']);
    assert.equal(venue.region.id, region.id);

    await assert.rejects(tk.regions.create({ name: 'Region catalog', country: 'LC' }), (e: unknown) => e instanceof ResourceExistsError);
    await assert.rejects(tk.categories.create({ name: 'music CATALOG', subcategories: [] }), (e: unknown) => e instanceof ResourceExistsError);
    await assert.rejects(region.delete(), (e: unknown) => e instanceof ResourceIndelibleError);

    region.district = 'Castries';
    assert.equal(await region.save(), true);
    assert.equal((await tk.regions.find(region.id)).district, 'Castries');
    category.subcategories = ['Jazz', 'Calypso'];
    assert.equal(await category.save(), true);
    assert.deepEqual((await tk.categories.find(category.id)).subcategories, ['Jazz', 'Calypso']);
    venue.name = 'Daren Sammy Stadium';
    assert.equal(await venue.save(), true);
    assert.equal((await tk.venues.find(venue.id)).name, 'Daren Sammy Stadium');
    assert.ok((await tk.venues.list().filter({ region: region.id })).some((v) => v.id === venue.id));
    assert.ok((await tk.regions.list()).some((r) => r.id === region.id));
    assert.ok((await tk.categories.list()).some((c) => c.id === category.id));

    assert.equal(await venue.delete(), true);
    assert.equal(await region.delete(), true);
    await assert.rejects(tk.regions.find(region.id), (e: unknown) => e instanceof ResourceNotFoundError);
    assert.equal(await category.delete(), true);

    const countries = await tk.presets.countries();
    assert.ok(countries.includes('Saint Lucia') && countries.includes('France'));
  });

  test('hosts: an operator\'s key sees every host, updates one, lists its events with filters and sorts, statistics', async () => {
    const tk = sdk(adminKey);
    const hosts = await tk.hosts.list();
    assert.deepEqual(hosts.map((h) => h.id).slice(0, 2), [String(p.a.organizationId), String(p.b.organizationId)]);
    const host = hosts[0];
    assert.equal(host.id, String(p.a.organizationId));
    host.contact = 'Camille Martin';
    host.email = 'hello@alpha.test';
    host.country = 'France';
    assert.equal(await host.save(), true);
    const again = await tk.hosts.find(host.id);
    assert.equal(again.contact, 'Camille Martin');
    assert.equal(again.country, 'France');

    const { category, venue } = await places(tk, 'hosts');
    for (const [title, start] of [['Zouk Night', '2027-05-01T20:00:00-04:00'], ['Acoustic Evening', '2027-04-01T20:00:00-04:00'], ['Midnight Jazz', '2027-06-01T20:00:00-04:00']]) {
      await tk.events.create({ host, title, description: 'd', type: 'Concert', public: true, category, subcategory: 'Jazz', venue, start, end: start.replace('T20', 'T23'), disclaimer: '', tags: ['music'] });
    }
    const alphabetical = await again.events.sort('alphabetical', true);
    const titles = alphabetical.map((e) => e.title).filter((t) => ['Zouk Night', 'Acoustic Evening', 'Midnight Jazz'].includes(t));
    assert.deepEqual(titles, ['Acoustic Evening', 'Midnight Jazz', 'Zouk Night']);
    const byStart = (await again.events.sort('start', false)).map((e) => e.title).filter((t) => titles.includes(t));
    assert.deepEqual(byStart, ['Midnight Jazz', 'Zouk Night', 'Acoustic Evening']);
    const jazz = await again.events.filter({ title: 'jazz' });
    assert.deepEqual(jazz.map((e) => e.title), ['Midnight Jazz']);
    const drafts = await again.events.filter({ status: 'Draft' });
    assert.ok(drafts.length >= 3 && drafts.every((e) => e.status === 'Draft'));
    assert.deepEqual(await again.events.filter({ status: 'Listed', title: 'zouk' }), []);

    const statistics = await again.statistics();
    assert.ok(statistics.events >= 3);
    assert.equal(typeof statistics.revenue, 'number');
  });

  test('events: create, sections, save, submit (once), administrator approval, published events, statistics, delete only drafts', async () => {
    const tk = sdk(adminKey);
    const host = await tk.hosts.find(String(p.a.organizationId));
    const { category, venue } = await places(tk, 'events');
    const event = await tk.events.create({
      host, title: 'Jazz Festival', description: 'Three stages', type: 'Festival', public: true, category, subcategory: 'Soca', venue,
      start: '2027-05-08T18:00:00-04:00', end: '2027-05-09T02:00:00-04:00', disclaimer: 'No refunds', tags: ['jazz', 'festival'],
    });
    assert.equal(event.status, 'Draft');
    assert.equal(event.category.id, category.id);
    assert.equal(event.subcategory, 'Soca');
    assert.equal(event.venue.id, venue.id);
    assert.equal(event.start, '2027-05-08T22:00:00.000Z');
    assert.deepEqual(event.tags, ['jazz', 'festival']);

    const section = await call(tk.apiKey, 'POST', `${event.uri}/sections`, { name: 'General', description: 'Standing', price: 45.5, capacity: 300 });
    assert.equal(section.statusCode, 201, section.body);
    const withSection = await tk.events.find(event.id);
    assert.equal(withSection.sections.length, 1);
    assert.equal(withSection.sections[0].uri, `${event.uri}${section.json().self}`);
    assert.deepEqual(withSection.sections[0].price, { base: 45.5, current: 45.5, expires: null });
    assert.equal(withSection.sections[0].remaining, 300);

    withSection.title = 'St Lucia Jazz Festival';
    withSection.end = '2027-05-09T03:00:00-04:00';
    assert.equal(await withSection.save(), true);
    const saved = await tk.events.find(event.id);
    assert.equal(saved.title, 'St Lucia Jazz Festival');
    assert.equal(saved.end, '2027-05-09T07:00:00.000Z');

    assert.equal(await saved.submit(), true);
    await assert.rejects(saved.submit(), (e: unknown) => e instanceof InvalidStateError);
    assert.equal((await tk.events.find(event.id)).status, 'Under Review');
    assert.equal((await tk.events.published.list()).some((e) => e.id === event.id), false);

    const approved = await call(tk.apiKey, 'POST', `${event.uri}/approvals`, { status: 'Listed' });
    assert.equal(approved.statusCode, 201, approved.body);
    assert.equal(approved.json().status, 'Listed');
    const published = await tk.events.published.list().filter({ title: 'st lucia' });
    assert.deepEqual(published.map((e) => e.id), [event.id]);
    assert.equal((await tk.events.list().filter({ section: withSection.sections[0].id })).length, 1);

    const statistics = await saved.statistics();
    assert.deepEqual({ capacity: statistics.capacity, orders: statistics.orders, tickets: statistics.tickets }, { capacity: 300, orders: 0, tickets: 0 });
    await assert.rejects(saved.delete(), (e: unknown) => e instanceof ResourceIndelibleError);

    const draft = await tk.events.create({ host, title: 'Scrapped', description: '', type: 'Concert', public: false, category, subcategory: 'Jazz', venue, start: '2027-07-01T20:00:00Z', end: '2027-07-01T22:00:00Z' });
    assert.equal(await draft.delete(), true);
    await assert.rejects(tk.events.find(draft.id), (e: unknown) => e instanceof ResourceNotFoundError);
  });

  test('door: admission tokens, the admission login, tickets of the redeemer\'s sections, admissions (exactly once)', async () => {
    const tk = sdk(adminKey);
    const host = await tk.hosts.find(String(p.a.organizationId));
    const { category, venue } = await places(tk, 'door');
    const created = await tk.events.create({ host, title: 'Door Night', description: '', type: 'Concert', public: true, category, subcategory: 'Jazz', venue, start: '2027-09-01T20:00:00Z', end: '2027-09-01T23:00:00Z' });
    for (const [name, capacity] of [['Floor', 50], ['Balcony', 20]] as const) {
      assert.equal((await call(adminKey, 'POST', `${created.uri}/sections`, { name, price: 0, capacity })).statusCode, 201);
    }
    await created.submit();
    assert.equal((await call(adminKey, 'POST', `${created.uri}/approvals`, { status: 'Listed' })).statusCode, 201);
    const event = await tk.events.find(created.id);
    const [floor, balcony] = event.sections;
    const buyer = await tk.accounts.create({ username: 'dora', password: 'dora-password', email: 'dora@example.test', firstName: 'Dora', lastName: 'D', title: 'Ms', dateOfBirth: '1990-01-01', phone: '1', country: 'FR' });
    const ordered = await call(adminKey, 'POST', '/orders', { customer: buyer.uri, items: { [floor.uri]: 2, [balcony.uri]: 1 } });
    assert.equal(ordered.json().status, 'Fulfilled', ordered.body);

    const token = await event.issue_token([floor] as never);
    // 16 characters (80 bits) rather than TickeTing's 8: admission codes must not be guessable (security, item 6).
    assert.match(token.code, /^[A-Z0-9]{16}$/);
    assert.equal(token.global, false);
    assert.deepEqual(token.sections.map((s) => s.uri), [floor.uri]);
    const tokens = await event.tokens;
    assert.deepEqual(tokens.map((t) => t.global).sort(), [false, true]);
    assert.deepEqual((await event.tokens.filter({ global: 'true' }))[0].sections.map((s) => s.uri), [floor.uri, balcony.uri]);

    const door = await tk.session.admission(token.code, 'Gate staff', 'gate-1');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the admission session builds its own axios instance
    (door as any).__apiAdapter.__requester.defaults.baseURL = base;
    const tickets = await door.tickets(25);
    assert.equal(tickets.length, 2, 'only the token\'s section');
    assert.ok(tickets.every((t) => t.section.uri === floor.uri && t.status === 'Issued' && t.owner.number === buyer.number));
    assert.ok(tickets.every((t) => /^[A-Z0-9]{6}-[A-Z0-9]{12}$/.test(t.serial) && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/.test(t.issued) && t.redeemed === 'N/A'));
    assert.deepEqual(await door.tickets(25).filter({ modified_since: '2099-01-01T00:00:00Z' }), []);

    const admitted = await door.admit([tickets[0].serial]);
    assert.equal(admitted.length, 1);
    assert.equal(admitted[0].ticket, tickets[0].serial);
    assert.equal(admitted[0].patron.number, buyer.number);
    assert.match(admitted[0].admitted, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    await assert.rejects(door.admit([tickets[0].serial]), (e: { code?: number }) => e.code === 409);
    const admissions = await door.admissions(25);
    assert.deepEqual(admissions.map((a) => a.ticket), [tickets[0].serial]);
    assert.match((await door.tickets(25)).find((t) => t.serial === tickets[0].serial)!.redeemed, /\+00:00$/);
    // The serial names the ticket the native door knows by its barcode: admitted once, whichever door scans it.
    const ticketRow = await p.database.db.selectFrom('tickets').select(['id', 'barcode']).where('barcode', '=', tickets[1].serial.replace('-', '').slice(0, 16)).executeTakeFirstOrThrow();
    assert.ok(ticketRow.id);
    assert.equal((await door.admit([tickets[1].serial])).length, 1);
    await assert.rejects(door.admit([ticketRow.barcode]), (e: { code?: number }) => e.code === 409);

    // The door key opens this event's door only, and nothing else.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const doorKey = (door as any).__apiAdapter.key as string;
    assert.equal((await call(doorKey, 'POST', '/regions', { name: 'Door region', country: 'FR' })).statusCode, 403);
    const other = await tk.events.create({ host, title: 'Other door', description: '', type: 'Concert', public: true, category, subcategory: 'Jazz', venue, start: '2027-09-02T20:00:00Z', end: '2027-09-02T23:00:00Z' });
    assert.equal((await call(doorKey, 'GET', `${other.uri}/tickets`)).statusCode, 403);
    // A revoked token's door key stops working.
    assert.equal(await token.delete(), true);
    assert.equal((await call(doorKey, 'GET', `${event.uri}/tickets`)).statusCode, 403);
    assert.equal((await call(adminKey, 'GET', '/tokens/ZZZZZZZZ')).statusCode, 404);
  });

  test('lists: records and page, next/previous, a page past the end or below 1 is a 404 (PageAccessError)', async () => {
    const tk = sdk(adminKey);
    for (const name of ['Page A', 'Page B', 'Page C']) await tk.regions.create({ name, country: 'France' });
    const all = await tk.regions.list();
    const first = tk.regions.list(2);
    const page1 = await first;
    assert.equal(page1.length, 2);
    assert.equal(await first.pages, Math.ceil(all.length / 2));
    const page2 = await tk.regions.list(2).goto(2);
    assert.deepEqual(page2.map((r) => r.id), all.slice(2, 4).map((r) => r.id));
    await assert.rejects(async () => { await tk.regions.list(2).goto(1000); }, (e: unknown) => e instanceof PageAccessError);
    await assert.rejects(async () => { await tk.regions.list(2).goto(0); }, (e: unknown) => e instanceof PageAccessError);
    const raw = await call(adminKey, 'GET', '/regions?records=2&page=1');
    assert.deepEqual(Object.keys(raw.json()), ['total', 'page', 'records', 'entries']);
    assert.equal(raw.json().total, all.length);
  });

  test('tenancy: another host key cannot read or change this host, its events or venues', async () => {
    const tk = sdk(adminKey);
    const { venue } = await places(tk, 'tenancy');
    const host = await tk.hosts.find(String(p.a.organizationId));
    const event = await tk.events.create({ host, title: 'Private', description: '', type: 'Concert', public: true, category: (await tk.categories.list())[0], subcategory: '', venue, start: '2027-08-01T20:00:00Z', end: '2027-08-01T22:00:00Z' });
    const other = sdk(otherHostKey);
    await assert.rejects(other.hosts.find(host.id), (e: unknown) => e instanceof ResourceNotFoundError);
    await assert.rejects(other.events.find(event.id), (e: unknown) => e instanceof ResourceNotFoundError);
    await assert.rejects(other.venues.find(venue.id), (e: unknown) => e instanceof ResourceNotFoundError);
    assert.deepEqual((await other.hosts.list()).map((h) => h.id), [String(p.b.organizationId)]);
    assert.equal((await other.events.list()).some((e) => e.id === event.id), false);
    // Writes through the other key change nothing.
    for (const [method, url, body] of [
      ['PUT', `/hosts/${host.id}`, { name: 'Taken over' }],
      ['PUT', `/events/${event.id}`, { title: 'Taken over' }],
      ['DELETE', `/events/${event.id}`, undefined],
      ['PUT', `/venues/${venue.id}`, { name: 'Taken over' }],
      ['POST', `/events/${event.id}/sections`, { name: 'X', price: 1, capacity: 1 }],
    ] as const) {
      const r = await call(otherHostKey, method, url, body);
      assert.equal(r.statusCode, 404, `${method} ${url}: ${r.body}`);
    }
    const creating = await call(otherHostKey, 'POST', '/events', { host: host.id, title: 'Intruder', start: '2027-08-01T20:00:00Z', end: '2027-08-01T22:00:00Z' });
    assert.equal(creating.statusCode, 403);
    assert.equal((await tk.hosts.find(host.id)).name, 'Org alpha');
    assert.equal((await tk.events.find(event.id)).title, 'Private');
    assert.equal((await tk.venues.find(venue.id)).name, 'Stadium tenancy');
  });

  test('bad input through the SDK: BadDataError (400) and nothing created', async () => {
    const tk = sdk(adminKey);
    const before = (await tk.regions.list(100)).length;
    await assert.rejects(tk.regions.create({ name: 'Nowhere', country: 'Atlantis' }), (e: unknown) => e instanceof BadDataError);
    await assert.rejects(tk.accounts.create({ username: 'x y', password: 'short', email: 'not-an-email', firstName: '', lastName: '', title: 'Dr', dateOfBirth: 'x', phone: '', country: '' }), (e: unknown) => e instanceof BadDataError);
    assert.equal((await tk.regions.list(100)).length, before);
  });
});
