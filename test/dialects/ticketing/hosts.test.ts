import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BadDataError, ResourceExistsError, ResourceIndelibleError, ResourceNotFoundError, PermissionError } from '@ticketing/ticketing-nodejs-sdk';
import { ENGINE } from '../../helpers.ts';
import { places, rejectsWith, sdkPlatform } from './sdk-platform.ts';

/**
 * The SDK's host service (`tk.hosts`, `host.save/delete`, `host.events`, `host.statistics`,
 * `account.hosts`) on a real port, with the data set up through the SDK; who may do what across hosts.
 */
describe(`TickeTing hosts through the SDK on ${ENGINE}`, () => {
  let t: Awaited<ReturnType<typeof sdkPlatform>>;
  before(async () => {
    t = await sdkPlatform();
  });
  after(() => t.p.close());

  const HOST = {
    name: 'Soufrière Sounds', contact: 'Ana Joseph', email: 'hello@sounds.test', description: 'Live music', phone: '+1 758 555 0101',
    website: 'https://sounds.test', country: 'Saint Lucia', firstAddressLine: '1 Bridge Street', secondAddressLine: 'Upstairs',
    city: 'Soufrière', state: 'Soufrière', businessNo: 'LC-12345',
  };

  test('an operator\'s key creates a host, finds it, lists it last, saves it, lists its events and statistics, deletes it', async () => {
    const tk = t.sdk(t.adminKey);
    const host = await tk.hosts.create(HOST);
    for (const [field, value] of Object.entries(HOST)) assert.equal((host as unknown as Record<string, unknown>)[field], value, field);
    assert.match(host.uri, /^\/hosts\/\d+$/);
    assert.equal(host.id, host.uri.split('/')[2]);
    const found = await tk.hosts.find(host.id);
    assert.deepEqual({ ...found, _apiAdapter: null, __hostedEventService: null }, { ...host, _apiAdapter: null, __hostedEventService: null });
    const all = await tk.hosts.list();
    assert.equal(all[all.length - 1].id, host.id, 'a new host is the last entry of the list');

    // The operator who owns the key administers the new host.
    const operator = await tk.accounts.find(String(t.operatorId));
    assert.ok((await operator.hosts).some((h) => h.id === host.id));
    // (The SDK's host list takes no `account` filter; the API does.)
    const administered = await t.call(t.adminKey, 'GET', `/hosts?account=${operator.number}`);
    assert.ok(administered.json().entries.some((h: { self: string }) => h.self === host.uri));

    found.phone = '+1 758 555 0199';
    found.website = 'https://sounds.example';
    assert.equal(await found.save(), true);
    const saved = await tk.hosts.find(host.id);
    assert.equal(saved.phone, '+1 758 555 0199');
    assert.equal(saved.website, 'https://sounds.example');

    // Events for the host named in the body, created with the operator's key.
    const region = await tk.regions.create({ name: 'Soufrière', country: 'Saint Lucia', district: 'Soufrière', city: 'Soufrière' });
    const category = await tk.categories.create({ name: 'Live music', subcategories: ['Jazz'] });
    const venue = await tk.venues.create({ name: 'Pitons Stage', region, longitude: -61.06, latitude: 13.85, address: 'Pitons Road' });
    // A venue belongs to one host (Guichet venues are an organization's): the key's venue is not the new host's.
    await rejectsWith(
      tk.events.create({ host: saved, title: 'Sounds at the Pitons', description: 'Open air', type: 'Concert', public: true, category, subcategory: 'Jazz', venue, start: '2027-06-01T20:00:00-04:00', end: '2027-06-01T23:00:00-04:00', disclaimer: '', tags: [] }),
      BadDataError, 'Please provide a valid venue for the event',
    );
    const made = await t.call(t.adminKey, 'POST', '/events', { host: saved.id, title: 'Sounds at the Pitons', description: 'Open air', type: 'Concert', public: true, category: category.uri, subcategory: 'Jazz', start: '2027-06-01T20:00:00-04:00', end: '2027-06-01T23:00:00-04:00' });
    assert.equal(made.statusCode, 201, made.body);
    assert.equal(made.json().host, saved.uri);
    const event = await tk.events.find(made.json().self.split('/')[2]);
    assert.deepEqual((await saved.events).map((e) => e.id), [event.id]);
    const statistics = await saved.statistics();
    assert.deepEqual({ events: statistics.events, orders: statistics.orders, revenue: statistics.revenue, tickets: statistics.tickets }, { events: 1, orders: 0, revenue: 0, tickets: 0 });
    // The key's own organization does not see that host's events unless it names the host.
    assert.equal((await tk.events.list()).some((e) => e.id === event.id), false);
    assert.deepEqual((await tk.events.list().filter({ host: saved.id })).map((e) => e.id), [event.id]);

    // An empty host is removed; then it is unknown.
    assert.equal(await event.delete(), true);
    assert.equal(await saved.delete(), true);
    await rejectsWith(tk.hosts.find(host.id), ResourceNotFoundError, 'The specified host could not be found.');
    assert.equal(await venue.delete(), true);
    assert.equal(await region.delete(), true);
    assert.equal(await category.delete(), true);
  });

  test('errors: required fields in the host\'s order, a taken name, an unknown host, a host with sales', async () => {
    const tk = t.sdk(t.adminKey);
    await rejectsWith(tk.hosts.create({ description: 'no name' } as never), BadDataError, 'The following arguments are required, but have not been supplied: name, contact, email.');
    await rejectsWith(tk.hosts.create({ name: 'Only a name' } as never), BadDataError, 'The following arguments are required, but have not been supplied: contact, email.');
    await rejectsWith(tk.hosts.create({ name: 'Bad mail', contact: 'X', email: 'not-an-email' }), BadDataError, 'The following arguments have invalid values: email.');
    await tk.hosts.create({ name: 'Taken', contact: 'X', email: 'x@taken.test' });
    await rejectsWith(tk.hosts.create({ name: 'taken', contact: 'Y', email: 'y@taken.test' }), ResourceExistsError, 'The following arguments conflict with those of another host: name.');
    await rejectsWith(tk.hosts.find('999999'), ResourceNotFoundError, 'The specified host could not be found.');

    // Organization a has sold a ticket: it cannot be deleted.
    const { onSaleEvent, buyer, CARD } = await import('../../helpers.ts');
    const sale = await onSaleEvent(t.p.app, t.p.a, { sections: [{ name: 'Floor', capacity: 10 }], tariffs: [{ section: 0, label: 'Full', price: 0 }] });
    const shopper = await buyer(t.p.app, t.p.a, 'hostbuyer');
    const cart = await shopper.post('/api/carts', { cart: { items: [{ tariff_id: sale.tariffIds[0], date_id: sale.dateIds[0], quantity: 1 }] } });
    assert.equal(cart.statusCode, 201, cart.body);
    const order = await shopper.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_name: 'H B', buyer_email: 'hostbuyer@buyers.test', payment: { provider: 'test', card: CARD } } });
    assert.equal(order.statusCode, 201, order.body);
    const alpha = await tk.hosts.find(String(t.p.a.organizationId));
    await rejectsWith(alpha.delete(), ResourceIndelibleError, 'A host cannot be deleted once it has sold tickets.');
    assert.equal((await tk.hosts.find(alpha.id)).name, 'Org alpha');
  });

  test('a session creates its own host and administers it; host keys and other sessions stay in their own host', async () => {
    const tk = t.sdk(t.adminKey);
    await tk.accounts.create({ username: 'promoter', password: 'promoter-password', email: 'promoter@example.test', firstName: 'P', lastName: 'R', title: 'Mx', dateOfBirth: '1985-01-01', phone: '1', country: 'France' });
    const promoter = t.sdk(t.adminKey);
    await promoter.session.start({ identification: 'promoter', password: 'promoter-password' });
    const own = await promoter.hosts.create({ name: 'Promoter Nights', contact: 'P R', email: 'nights@example.test' });
    // The session sees its key's host and the one it created; nothing else.
    assert.deepEqual((await promoter.hosts.list()).map((h) => h.id).sort(), [String(t.p.a.organizationId), own.id].sort());
    own.description = 'Club nights';
    assert.equal(await own.save(), true);
    const region = await tk.regions.create({ name: 'Paris', country: 'France' });
    const category = await tk.categories.create({ name: 'Clubbing', subcategories: ['House'] });
    const venue = await tk.venues.create({ name: 'Club Venue', region, longitude: 2.35, latitude: 48.85, address: '1 rue de Paris' });
    // The venue belongs to the key's organization (a); the promoter's host has none of its own yet: an event there needs one of its venues.
    await rejectsWith(
      promoter.events.create({ host: own, title: 'House Night', description: '', type: 'Party', public: true, category, subcategory: 'House', venue, start: '2027-02-01T22:00:00Z', end: '2027-02-02T04:00:00Z', disclaimer: '', tags: [] }),
      BadDataError, 'Please provide a valid venue for the event',
    );
    // A host key of b sees nothing of the promoter's host, and cannot change it or create events there.
    const other = t.sdk(t.hostKeyB);
    await rejectsWith(other.hosts.find(own.id), ResourceNotFoundError, 'The specified host could not be found.');
    assert.deepEqual((await other.hosts.list()).map((h) => h.id), [String(t.p.b.organizationId)]);
    const hostOfOther = await other.hosts.find(String(t.p.b.organizationId));
    await rejectsWith(
      other.events.create({ host: own, title: 'Intruder', description: '', type: 'Party', public: true, category, subcategory: 'House', venue, start: '2027-02-01T22:00:00Z', end: '2027-02-02T04:00:00Z' }),
      PermissionError, 'This account is not an administrator for the relevant event host.',
    );
    const put = await t.call(t.hostKeyB, 'PUT', `/hosts/${own.id}`, { name: 'Taken over' });
    assert.equal(put.statusCode, 404);
    assert.equal((await t.call(t.hostKeyB, 'DELETE', `/hosts/${own.id}`)).statusCode, 404);
    assert.equal((await t.call(t.hostKeyB, 'GET', `/hosts/${own.id}/events`)).statusCode, 404);
    assert.equal((await t.call(t.hostKeyB, 'GET', `/hosts/${own.id}/statistics`)).statusCode, 404);
    assert.equal((await promoter.hosts.find(own.id)).name, 'Promoter Nights');
    // A host key cannot create hosts (only operators and people signed in do).
    const refused = await t.call(t.hostKeyB, 'POST', '/hosts', { name: 'Key-made', contact: 'K', email: 'k@example.test' });
    assert.equal(refused.statusCode, 403);
    assert.equal(typeof refused.json().error, 'string');
    assert.equal(hostOfOther.name, 'Org beta');
    // Another person's session does not reach the promoter's host either.
    await tk.accounts.create({ username: 'stranger', password: 'stranger-password', email: 'stranger@example.test', firstName: 'S', lastName: 'T', title: 'Mx', dateOfBirth: '1985-01-01', phone: '1', country: 'France' });
    const stranger = t.sdk(t.adminKey);
    await stranger.session.start({ identification: 'stranger', password: 'stranger-password' });
    await rejectsWith(stranger.hosts.find(own.id), ResourceNotFoundError, 'The specified host could not be found.');
    const byStranger = await t.call(stranger.apiKey, 'PUT', `/hosts/${own.id}`, { name: 'Mine' });
    assert.equal(byStranger.statusCode, 404);
    assert.ok(byStranger.json().error);
  });

  test('hosts: an operator\'s key sees every host, updates one, lists its events with filters and sorts, statistics', async () => {
    const tk = t.sdk(t.adminKey);
    const hosts = await tk.hosts.list();
    assert.deepEqual(hosts.map((h) => h.id).slice(0, 2), [String(t.p.a.organizationId), String(t.p.b.organizationId)]);
    const host = hosts[0];
    assert.equal(host.id, String(t.p.a.organizationId));
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

  test('tenancy: another host key cannot read or change this host, its events or venues', async () => {
    const tk = t.sdk(t.adminKey);
    const { venue } = await places(tk, 'tenancy');
    const host = await tk.hosts.find(String(t.p.a.organizationId));
    const event = await tk.events.create({ host, title: 'Private', description: '', type: 'Concert', public: true, category: (await tk.categories.list())[0], subcategory: '', venue, start: '2027-08-01T20:00:00Z', end: '2027-08-01T22:00:00Z' });
    const other = t.sdk(t.hostKeyB);
    await assert.rejects(other.hosts.find(host.id), (e: unknown) => e instanceof ResourceNotFoundError);
    await assert.rejects(other.events.find(event.id), (e: unknown) => e instanceof ResourceNotFoundError);
    await assert.rejects(other.venues.find(venue.id), (e: unknown) => e instanceof ResourceNotFoundError);
    assert.deepEqual((await other.hosts.list()).map((h) => h.id), [String(t.p.b.organizationId)]);
    assert.equal((await other.events.list()).some((e) => e.id === event.id), false);
    // Writes through the other key change nothing.
    for (const [method, url, body] of [
      ['PUT', `/hosts/${host.id}`, { name: 'Taken over' }],
      ['PUT', `/events/${event.id}`, { title: 'Taken over' }],
      ['DELETE', `/events/${event.id}`, undefined],
      ['PUT', `/venues/${venue.id}`, { name: 'Taken over' }],
      ['POST', `/events/${event.id}/sections`, { name: 'X', price: 1, capacity: 1 }],
    ] as const) {
      const r = await t.call(t.hostKeyB, method, url, body);
      assert.equal(r.statusCode, 404, `${method} ${url}: ${r.body}`);
    }
    const creating = await t.call(t.hostKeyB, 'POST', '/events', { host: host.id, title: 'Intruder', start: '2027-08-01T20:00:00Z', end: '2027-08-01T22:00:00Z' });
    assert.equal(creating.statusCode, 403);
    assert.equal((await tk.hosts.find(host.id)).name, 'Org alpha');
    assert.equal((await tk.events.find(event.id)).title, 'Private');
    assert.equal((await tk.venues.find(venue.id)).name, 'Stadium tenancy');
  });
});
