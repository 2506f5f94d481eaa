import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { client, platform, token, type TestPlatform, type Tenant } from './helpers.ts';
import { DEMO, operatorPrincipal, seedDemo } from '../src/demo/seed.ts';

/**
 * The Pims dialect over HTTP: field names and types of the Pims entities (seed-apis.md), HAL links
 * followed to the end, accent- and case-insensitive filters and sorts, languages, errors, writes,
 * and two organizations with their own Basic credentials.
 */

type Json = Record<string, unknown>;
const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

// ---- Entity shapes (seed-apis.md, Pims section), as they look on the wire (nested objects in _embedded) ----
type Kind = 'null' | 'number' | 'string' | 'boolean' | 'string|null' | 'number|null' | 'object|null' | 'array';
function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}
function assertFields(what: string, value: Json, fields: Record<string, Kind>) {
  for (const [field, kind] of Object.entries(fields)) {
    assert.ok(field in value, `${what}: missing ${field} in ${JSON.stringify(value).slice(0, 300)}`);
    assert.ok(kind.split('|').includes(kindOf(value[field])), `${what}.${field}: ${kindOf(value[field])} is not ${kind}`);
  }
}
const embedded = (value: Json) => (value._embedded ?? {}) as Record<string, Json & Json[]>;
function assertSelf(what: string, value: Json, path: RegExp) {
  const href = ((value._links as Json | undefined)?.self as Json | undefined)?.href;
  assert.equal(typeof href, 'string', `${what}: no _links.self.href`);
  assert.match(href as string, path, what);
}
function assertTypeObject(what: string, value: unknown, ids: string[]) {
  const v = value as Json;
  assertFields(what, v, { id: 'string', label: 'string' });
  assert.ok(ids.includes(v.id as string), `${what}.id ${v.id}`);
}
function assertVenue(v: Json) {
  assertFields('venue', v, {
    id: 'number', label: 'string', first_address: 'string|null', second_address: 'string|null', zip_code: 'string|null', city: 'string',
    major_city: 'string|null', country_code: 'string', creation_timestamp: 'number', last_update_timestamp: 'number', alternative_labels: 'array',
  });
  assertTypeObject('venue.type', embedded(v).type, ['SAL', 'FES']);
  assertSelf('venue', v, /\/venues\/\d+$/);
  assert.ok(Number.isInteger(v.creation_timestamp) && (v.creation_timestamp as number) > 1_500_000_000, 'Unix seconds');
}
function assertContract(c: unknown) {
  assert.ok(c && typeof c === 'object', 'contract');
  assert.ok('partner' in (c as Json), 'contract.partner');
  assertTypeObject('contract.type', embedded(c as Json).type, ['PRO', 'COP', 'PLO', 'COR', 'CES']);
}
function assertEvent(e: Json) {
  assertFields('event', e, {
    id: 'number', series_id: 'number|null', label: 'string', datetime: 'string', free: 'boolean', creation_timestamp: 'number', last_update_timestamp: 'number',
  });
  assert.match(e.datetime as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'venue-local, without offset');
  const emb = embedded(e);
  assertVenue(emb.venue);
  assertTypeObject('event.input_type', emb.input_type, ['DET', 'GLO']);
  assertContract(emb.contract);
  assertSelf('event', e, /\/events\/\d+$/);
}
function assertSeries(s: Json) {
  assertFields('series', s, { id: 'number', label: 'string', first_date: 'string|null', last_date: 'string|null', creation_timestamp: 'number', last_update_timestamp: 'number' });
  assertTypeObject('series.type', embedded(s).type, ['TOU', 'LGS']);
  assertContract(embedded(s).contract);
  if (embedded(s).venue) assertVenue(embedded(s).venue);
  assertSelf('series', s, /\/series\/\d+$/);
}
function assertLabelled(what: string, c: Json, path: RegExp) {
  assertFields(what, c, { id: 'number', label: 'string', ignored: 'boolean', last_update_timestamp: 'number', short_label: 'null' });
  assertSelf(what, c, path);
}
function assertCollection(body: Json, name: string) {
  assertFields('collection', body, { page_count: 'number', page_size: 'number', total_items: 'number', page: 'number' });
  const links = body._links as Record<string, { href: string }>;
  for (const rel of ['self', 'first', 'last']) assert.equal(typeof links[rel]?.href, 'string', `collection link ${rel}`);
  assert.ok(Array.isArray(embedded(body)[name]), `_embedded.${name}`);
  return embedded(body)[name] as unknown as Json[];
}

describe('pims dialect', () => {
  let p: TestPlatform;
  const ids = {} as Record<string, number>;
  let reader: string;
  let writer: string;
  let otherReader: string;

  async function seed(tenant: Tenant, prefix: string) {
    const op = operatorPrincipal(tenant.organizationId, tenant.adminAccountId);
    const core = p.app.core;
    const zenith = await core.places.createVenue(op, { name: `${prefix}Zénith de Nantes Métropole`, kind: 'hall', addressLine1: 'Boulevard du Zénith', zip: '44800', city: 'Saint-Herblain', countryCode: 'FR' });
    const olympia = await core.places.createVenue(op, { name: `${prefix}L'Olympia`, kind: 'hall', city: 'Paris', countryCode: 'FR' });
    const prés = await core.places.createVenue(op, { name: `${prefix}Les Grands Prés`, kind: 'festival', city: 'Bouguenais', countryCode: 'FR' });
    const bern = await core.places.createVenue(op, { name: `${prefix}Bierhübeli`, kind: 'hall', city: 'Bern', countryCode: 'CH' });
    const tour = await core.series.create(op, { kind: 'tour', label: `${prefix}Chloé — Tournée`, firstDate: '2027-03-12', lastDate: '2027-04-02' });
    const web = (await core.channels.list(op, { limit: 10, offset: 0 })).items[0];
    const boxOffice = await core.channels.create(op, { name: 'Box office', kind: 'box_office' });
    const retired = await core.channels.create(op, { name: 'Old partner', kind: 'partner' });
    await core.channels.remove(op, retired.id);
    // A tour date pair in two venues (in a series); a production with three dates and no series; a free single date.
    const concert = await core.events.create(op, {
      title: `${prefix}Chloé Martin`, seriesId: tour.id, venueId: zenith.id, saleStartsAt: '2026-10-01T10:00:00+02:00',
      sections: [{ name: 'Fosse', capacity: 3000 }, { name: 'Gradins', capacity: 2000, position: 1 }],
      dates: [{ startsAt: '2027-03-12T20:00:00+01:00' }, { startsAt: '2027-04-02T20:30:00+02:00', venueId: olympia.id }],
    });
    await core.events.addTariff(op, concert.id, { sectionId: concert.sections[0].id, label: 'Fosse plein tarif', price: 4500 });
    await core.events.addTariff(op, concert.id, { sectionId: concert.sections[1].id, label: 'Gradins réduit', price: 3950, channelIds: [boxOffice.id] });
    const festival = await core.events.create(op, {
      title: `${prefix}Festival Été`, venueId: prés.id,
      sections: [{ name: 'Pelouse', capacity: 15000 }],
      dates: ['2027-07-09', '2027-07-10', '2027-07-11'].map((d) => ({ startsAt: `${d}T16:00:00+02:00` })),
    });
    await core.events.addTariff(op, festival.id, { sectionId: festival.sections[0].id, label: 'Pass jour', price: 5900, channelIds: [web.id] });
    const free = await core.events.create(op, {
      title: `${prefix}Zoë en plein air`, venueId: bern.id, timeZone: 'Europe/Zurich',
      sections: [{ name: 'Wiese', capacity: 500 }], dates: [{ startsAt: '2027-06-01T23:30:00+02:00' }],
    });
    await core.events.addTariff(op, free.id, { sectionId: free.sections[0].id, label: 'Gratuit', price: 0 });
    return { zenith, olympia, prés, bern, tour, concert, festival, free, web, boxOffice, retired };
  }

  let a: Awaited<ReturnType<typeof seed>>;
  let b: Awaited<ReturnType<typeof seed>>;
  let adminA: ReturnType<typeof client>;

  before(async () => {
    p = await platform();
    a = await seed(p.a, '');
    b = await seed(p.b, 'B ');
    adminA = client(p.app, await token(p.app, p.a));
    const created = await adminA.post('/api/partner_users', { partner_user: { username: 'reader', name: 'BI connector', password: 'reader-password-1' } });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().partner_user.access, 'read');
    ids.reader = created.json().partner_user.id;
    const w = await adminA.post('/api/partner_users', { partner_user: { username: 'writer', access: 'write' } });
    assert.equal(w.statusCode, 201, w.body);
    writer = basic('writer', w.json().partner_user.password);
    reader = basic('reader', 'reader-password-1');
    const adminB = client(p.app, await token(p.app, p.b));
    // The same user name in another organization, with its own password.
    const other = await adminB.post('/api/partner_users', { partner_user: { username: 'reader', password: 'beta-reader-password' } });
    assert.equal(other.statusCode, 201, other.body);
    otherReader = basic('reader', 'beta-reader-password');
  });
  after(() => p.close());

  const get = (url: string, authorization = reader, headers: Record<string, string> = {}) => p.app.inject({ method: 'GET', url, headers: { authorization, ...headers } });
  const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, authorization = writer) =>
    p.app.inject({ method, url, headers: { authorization }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const ok = async (url: string, authorization = reader, headers: Record<string, string> = {}) => {
    const response = await get(url, authorization, headers);
    assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
    assert.match(String(response.headers['content-type']), /^application\/hal\+json/);
    return response.json() as Json;
  };
  const items = async (url: string, name: string, authorization = reader, headers: Record<string, string> = {}) => assertCollection(await ok(url, authorization, headers), name);
  function assertProblem(response: { statusCode: number; headers: Record<string, unknown>; json(): Json }, status: number, detail?: string | RegExp) {
    assert.equal(response.statusCode, status);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    const body = response.json();
    assertFields('problem', body, { type: 'string', title: 'string', status: 'number', detail: 'string' });
    assert.equal(body.status, status);
    if (typeof detail === 'string') assert.equal(body.detail, detail);
    else if (detail) assert.match(body.detail as string, detail);
  }

  test('auth: 401 without or with wrong credentials, 403 without the right, the version segment is optional', async () => {
    assertProblem(await p.app.inject({ method: 'GET', url: '/pims/api/v1/events' }), 401, 'Unauthorized');
    const noAuth = await p.app.inject({ method: 'GET', url: '/pims/api/events' });
    assert.match(String(noAuth.headers['www-authenticate']), /^Basic /);
    assertProblem(await get('/pims/api/v1/events', basic('reader', 'wrong-password')), 401, 'Unauthorized');
    assertProblem(await get('/pims/api/v1/events', 'Bearer something'), 401, 'Unauthorized');
    assertProblem(await get('/pims/api/v1/events', basic('nobody', 'reader-password-1')), 401, 'Unauthorized');
    const venuesBefore = (await p.app.core.directory.venues(operatorPrincipal(p.a.organizationId, null), {}, { key: 'label', descending: false }, { limit: 100, offset: 0 })).total;
    assertProblem(await send('POST', '/pims/api/v1/venues', { label: 'Nope', city: 'Nantes', country_code: 'FR' }, reader), 403, 'Forbidden');
    const venuesAfter = (await p.app.core.directory.venues(operatorPrincipal(p.a.organizationId, null), {}, { key: 'label', descending: false }, { limit: 100, offset: 0 })).total;
    assert.equal(venuesAfter, venuesBefore, 'a refused write changes nothing');
    const withVersion = await ok('/pims/api/v1/events?sort=datetime');
    const without = await ok('/pims/api/events?sort=datetime');
    assert.deepEqual(
      assertCollection(without, 'events').map((e) => e.id),
      assertCollection(withVersion, 'events').map((e) => e.id),
    );
    assert.match((without._links as Json & { self: { href: string } }).self.href, /\/pims\/api\/events\?/);
  });

  test('a revoked partner user is refused at once; creating users needs the admin scope', async () => {
    const made = await adminA.post('/api/partner_users', { partner_user: { username: 'temp', password: 'temporary-password' } });
    assert.equal(made.statusCode, 201);
    const temp = basic('temp', 'temporary-password');
    await ok('/pims/api/venues', temp);
    assert.equal((await adminA.delete(`/api/partner_users/${made.json().partner_user.id}`)).statusCode, 204);
    assertProblem(await get('/pims/api/venues', temp), 401, 'Unauthorized');
    const listed = await adminA.get('/api/partner_users');
    assert.equal(listed.statusCode, 200);
    const users = listed.json().partner_users as Json[];
    assert.ok(users.every((u) => !('password' in u) && !('password_hash' in u)), 'passwords are never listed');
    assert.ok(users.find((u) => u.username === 'temp')?.revoked_at);
    const seller = client(p.app, await token(p.app, p.a, 'public sell'));
    assert.equal((await seller.post('/api/partner_users', { partner_user: { username: 'sneaky' } })).statusCode, 403);
    assert.equal((await adminA.post('/api/partner_users', { partner_user: { username: 'writer' } })).statusCode, 409, 'user names are unique in an organization');
    assert.equal((await adminA.post('/api/partner_users', { partner_user: { username: 'bad name!' } })).statusCode, 422);
    const row = await p.app.core.ctx.database.db.selectFrom('partner_api_users').select('password_hash').where('username', '=', 'reader').where('organization_id', '=', p.a.organizationId).executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^\$argon2id\$/, 'stored hashed');
  });

  test('tenancy: each organization sees only its data; on an organization path other credentials are 401', async () => {
    const mine = await items('/pims/api/events?page_size=100', 'events');
    const theirs = await items('/pims/api/events?page_size=100', 'events', otherReader);
    assert.ok(mine.length > 0 && theirs.length > 0);
    assert.ok(mine.every((e) => !(e.label as string).startsWith('B ')));
    assert.ok(theirs.every((e) => (e.label as string).startsWith('B ')));
    const bDate = b.concert.dates[0].id;
    assertProblem(await get(`/pims/api/events/${bDate}`), 404, 'Entity not found.');
    assertProblem(await get(`/pims/api/venues/${b.zenith.id}`), 404, 'Entity not found.');
    assertProblem(await get(`/pims/api/venues/${b.zenith.id}/events`), 404, 'Entity not found.');
    assertProblem(await get(`/pims/api/events/${bDate}/categories`), 404, 'Entity not found.');
    assertProblem(await get(`/pims/api/series/${b.tour.id * 2}`), 404, 'Entity not found.');
    assertProblem(await send('PATCH', `/pims/api/venues/${b.zenith.id}`, { label: 'Taken over' }), 404, 'Entity not found.');
    assertProblem(await send('DELETE', `/pims/api/series/${b.tour.id * 2}`), 404, 'Entity not found.');
    assert.equal((await p.app.core.places.readVenue(operatorPrincipal(p.b.organizationId, null), b.zenith.id)).name, 'B Zénith de Nantes Métropole');
    // The organization's own path: its credentials work, another organization's are as wrong as a bad password.
    await ok('/pims/alpha/api/v1/events', reader);
    await ok('/pims/beta/api/events', otherReader);
    assertProblem(await get('/pims/beta/api/v1/events', reader), 401, 'Unauthorized');
    assertProblem(await get(`/pims/alpha/api/v1/events/${a.concert.dates[0].id}`, otherReader), 401, 'Unauthorized');
    assertProblem(await get('/pims/nowhere/api/v1/events', reader), 401, 'Unauthorized');
    assertProblem(await send('POST', '/pims/beta/api/venues', { label: 'Intruder', city: 'Nantes', country_code: 'FR' }), 401, 'Unauthorized');
  });

  test('events: Pims fields and types, local date-times, series ids, HAL embedding', async () => {
    const list = await items('/pims/api/events?sort=datetime', 'events');
    assert.equal(list.length, 6);
    list.forEach(assertEvent);
    const one = await ok(`/pims/api/events/${a.concert.dates[1].id}`);
    assertEvent(one);
    assert.equal(one.id, a.concert.dates[1].id);
    assert.equal(one.label, 'Chloé Martin');
    assert.equal(one.datetime, '2027-04-02T20:30:00', 'Paris summer time, no offset');
    assert.equal(embedded(one).venue.label, "L'Olympia", 'the date overrides the event venue');
    assert.equal(one.series_id, a.tour.id * 2, 'the Guichet series');
    assert.equal(one.free, false);
    assert.equal(one.max_capacity, 5000);
    assert.equal(one.general_sales_date, '2026-10-01');
    const festivalDay = await ok(`/pims/api/events/${a.festival.dates[0].id}`);
    assert.equal(festivalDay.series_id, a.festival.id * 2 + 1, 'a production with several dates');
    const free = await ok(`/pims/api/events/${a.free.dates[0].id}`);
    assert.equal(free.series_id, null);
    assert.equal(free.free, true);
    assert.equal(free.datetime, '2027-06-01T23:30:00', "the event's own time zone");
    assertProblem(await get('/pims/api/events/999999'), 404, 'Entity not found.');
    assertProblem(await get('/pims/api/events/abc'), 404, 'Entity not found.');
    assertProblem(await get('/pims/api/events/1/nothing-here'), 404, 'Entity not found.');
  });

  test('paging: page_size defaults to 25; first/next/prev/last links lead a client through every item', async () => {
    const body = await ok('/pims/api/events');
    assert.equal(body.page_size, 25);
    assert.equal(body.page, 1);
    const seen: number[] = [];
    let url: string | undefined = '/pims/api/events?page_size=4&sort=-datetime&label=e';
    let pages = 0;
    let last: Json | null = null;
    while (url) {
      const page = await ok(url.replace(/^https?:\/\/[^/]+/, ''));
      const links = page._links as Record<string, { href: string }>;
      assertCollection(page, 'events').forEach((e) => seen.push(e.id as number));
      if (pages === 0) {
        assert.equal(links.prev, undefined);
        assert.ok(!/[?&]page=/.test(links.first.href), 'first has no page parameter');
        assert.match(links.self.href, /label=e/, 'filters are kept in links');
      } else assert.ok(links.prev);
      pages++;
      last = page;
      url = links.next?.href;
    }
    assert.ok(last);
    assert.equal(pages, 2);
    assert.equal(last.page, last.page_count);
    assert.equal(seen.length, last.total_items);
    assert.equal(new Set(seen).size, seen.length);
    const lastHref = (last._links as Record<string, { href: string }>).last.href;
    assert.match(lastHref, /page=2/);
    const beyond = await ok('/pims/api/events?page=9');
    assert.equal(assertCollection(beyond, 'events').length, 0);
    for (const bad of ['page=0', 'page_size=0', 'page_size=abc', 'page=-1', 'page_size=100000']) assertProblem(await get(`/pims/api/events?${bad}`), 422);
  });

  test('filters and sorts are case- and accent-insensitive; dates are filtered in local time', async () => {
    const labels = async (url: string) => (await items(url, 'events')).map((e) => `${e.label}@${e.datetime}`);
    assert.deepEqual(await labels('/pims/api/events?label=chloe&sort=datetime'), ['Chloé Martin@2027-03-12T20:00:00', 'Chloé Martin@2027-04-02T20:30:00']);
    assert.equal((await labels('/pims/api/events?label=CHLOÉ')).length, 2);
    assert.equal((await labels('/pims/api/events?label=ete')).length, 3);
    assert.equal((await labels('/pims/api/events?label=ZOE')).length, 1);
    assert.equal((await labels('/pims/api/events?label=%25')).length, 0, 'LIKE wildcards are literal');
    assert.equal((await labels('/pims/api/events?city=SAINT-herblain')).length, 1);
    // 2027-03-12T20:00 in Nantes is 19:00 UTC: the bounds are local wall-clock times.
    assert.equal((await labels('/pims/api/events?from_datetime=2027-03-12T20:00:00&to_datetime=2027-03-12T20:00:00')).length, 1);
    assert.equal((await labels('/pims/api/events?from_datetime=2027-03-12%2020:00:01&to_datetime=2027-03-13')).length, 0);
    assert.deepEqual(await labels('/pims/api/events?from_date=2027-06-01&to_date=2027-06-01'), ['Zoë en plein air@2027-06-01T23:30:00'], 'the whole local day');
    assert.equal((await labels('/pims/api/events?from_date=2027-07-10')).length, 2);
    for (const bad of ['from_datetime=12/03/2027', 'to_date=2027-02-30', 'from_date=tomorrow', 'to_datetime=2027-03-12T25:00:00']) {
      assertProblem(await get(`/pims/api/events?${bad}`), 422, "Unknown date format, should be 'Y-m-d?H:i:s'");
    }
    const sorted = async (sort: string) => (await items(`/pims/api/events?sort=${sort}`, 'events')).map((e) => e.id as number);
    const byLabel = (await items('/pims/api/events?sort=label', 'events')).map((e) => e.label);
    assert.deepEqual(byLabel, ['Chloé Martin', 'Chloé Martin', 'Festival Été', 'Festival Été', 'Festival Été', 'Zoë en plein air']);
    const byLabelDesc = (await items('/pims/api/events?sort=-label', 'events')).map((e) => e.label);
    assert.deepEqual(byLabelDesc, [...byLabel].reverse());
    const byDate = (await items('/pims/api/events?sort=datetime', 'events')).map((e) => e.datetime as string);
    assert.deepEqual(byDate, [...byDate].sort());
    assert.deepEqual(await sorted('-datetime'), [...(await sorted('datetime'))].reverse());
    const byVenue = (await items('/pims/api/events?sort=venue_label', 'events')).map((e) => embedded(e).venue.label);
    assert.deepEqual(byVenue, ['Bierhübeli', "L'Olympia", 'Les Grands Prés', 'Les Grands Prés', 'Les Grands Prés', 'Zénith de Nantes Métropole']);
    const byCity = (await items('/pims/api/events?sort=-city', 'events')).map((e) => embedded(e).venue.city);
    assert.deepEqual(byCity, ['Saint-Herblain', 'Paris', 'Bouguenais', 'Bouguenais', 'Bouguenais', 'Bern']);
    assertProblem(await get('/pims/api/events?sort=price'), 422);
    // Venues: accent-insensitive sort puts "Zénith" after "Les Grands Prés" and label filters ignore accents.
    const venueLabels = (await items('/pims/api/venues?sort=label', 'venues')).map((v) => v.label);
    assert.deepEqual(venueLabels, ['Bierhübeli', "L'Olympia", 'Les Grands Prés', 'Zénith de Nantes Métropole']);
    assert.deepEqual((await items('/pims/api/venues?label=BIERHUBELI', 'venues')).map((v) => v.label), ['Bierhübeli']);
    assert.deepEqual((await items('/pims/api/venues?label=pres&type=FES', 'venues')).map((v) => v.label), ['Les Grands Prés']);
    assert.deepEqual((await items('/pims/api/venues?country_code=ch', 'venues')).map((v) => v.label), ['Bierhübeli']);
    assert.equal((await items('/pims/api/venues?sort=-country', 'venues'))[3].label, 'Bierhübeli');
    assert.equal((await items('/pims/api/venues?sort=country', 'venues'))[0].label, 'Bierhübeli');
    assert.deepEqual((await items('/pims/api/venues?sort=city', 'venues')).map((v) => v.city), ['Bern', 'Bouguenais', 'Paris', 'Saint-Herblain']);
    assertProblem(await get('/pims/api/venues?type=XYZ'), 422);
  });

  test('Accept-Language translates type labels (en by default, fr, de)', async () => {
    const label = async (headers: Record<string, string>) => {
      const e = await ok(`/pims/api/events/${a.concert.dates[0].id}`, reader, headers);
      return [embedded(embedded(e).venue).type.label, embedded(e).input_type.label, embedded(embedded(e).contract).type.label];
    };
    assert.deepEqual(await label({}), ['Venue', 'Detailed', 'Production']);
    assert.deepEqual(await label({ 'accept-language': 'fr' }), ['Salle', 'Détaillé', 'Production']);
    assert.deepEqual(await label({ 'accept-language': 'de-CH, fr;q=0.5' }), ['Spielstätte', 'Detailliert', 'Produktion']);
    assert.deepEqual(await label({ 'accept-language': 'es, fr;q=0.8, en;q=0.9' }), ['Venue', 'Detailed', 'Production']);
    const series = await items('/pims/api/series?sort=first_date', 'series', reader, { 'accept-language': 'fr' });
    assert.deepEqual(series.map((s) => embedded(s).type.label), ['Tournée', 'Série longue']);
    const venue = await ok(`/pims/api/venues/${a.prés.id}`, reader, { 'accept-language': 'de' });
    assert.deepEqual(embedded(venue).type, { id: 'FES', label: 'Festival' });
  });

  test('categories, channels and price ranges; the event views of them; show_ignored', async () => {
    const categories = await items('/pims/api/categories', 'categories');
    categories.forEach((c) => assertLabelled('category', c, /\/categories\/\d+$/));
    assert.deepEqual(categories.map((c) => c.label), ['Fosse', 'Pelouse', 'Wiese', 'Gradins'], 'by order by default');
    assert.deepEqual((await items('/pims/api/categories?sort=-label', 'categories')).map((c) => c.label), ['Wiese', 'Pelouse', 'Gradins', 'Fosse']);
    assert.deepEqual((await items('/pims/api/categories?label=FOSSE', 'categories')).map((c) => c.label), ['Fosse']);
    assertLabelled('category', await ok(`/pims/api/categories/${a.concert.sections[1].id}`), /\/categories\/\d+$/);
    assertProblem(await get(`/pims/api/categories/${b.concert.sections[1].id}`), 404, 'Entity not found.');

    const channels = await items('/pims/api/channels', 'channels');
    channels.forEach((c) => assertLabelled('channel', c, /\/channels\/\d+$/));
    assert.ok(!channels.some((c) => c.id === a.retired.id), 'a deactivated channel is ignored');
    const all = await items('/pims/api/channels?show_ignored=true', 'channels');
    assert.equal(all.find((c) => c.id === a.retired.id)?.ignored, true);
    assert.equal((await ok(`/pims/api/channels/${a.retired.id}`)).ignored, true);
    assertProblem(await get('/pims/api/channels?show_ignored=perhaps'), 422);

    const prices = await items('/pims/api/price-ranges?sort=-label', 'price_ranges');
    prices.forEach((c) => assertLabelled('price range', c, /\/price-ranges\/\d+$/));
    assert.deepEqual(prices.map((t) => t.label), ['Pass jour', 'Gratuit', 'Gradins réduit', 'Fosse plein tarif']);
    assert.deepEqual((await items('/pims/api/price-ranges?label=reduit', 'price_ranges')).map((t) => t.label), ['Gradins réduit']);
    assertLabelled('price range', await ok(`/pims/api/price-ranges/${prices[0].id}`), /\/price-ranges\/\d+$/);

    const date = a.concert.dates[0].id;
    const eventCategories = await items(`/pims/api/events/${date}/categories`, 'categories');
    assert.equal(eventCategories.length, 2);
    for (const c of eventCategories) {
      assertFields('event category', c, { id: 'number', ignored: 'boolean' });
      assertLabelled('event category.category', embedded(c).category, /\/categories\/\d+$/);
      assertSelf('event category', c, new RegExp(`/events/${date}/categories/\\d+$`));
      for (const r of embedded(c).event_price_ranges as unknown as Json[]) {
        assertFields('event price range', r, { id: 'number', base_price: 'number', public_price: 'number', currency: 'string', ignored: 'boolean' });
        assertLabelled('event price range.price_range', embedded(r).price_range, /\/price-ranges\/\d+$/);
      }
    }
    const gradins = await ok(`/pims/api/events/${date}/categories/${a.concert.sections[1].id}`);
    const range = (embedded(gradins).event_price_ranges as unknown as Json[])[0];
    assert.equal(range.base_price, 39.5, 'decimal amounts in major units');
    assert.equal(range.currency, 'EUR');
    assertProblem(await get(`/pims/api/events/${date}/categories/${a.festival.sections[0].id}`), 404, 'Entity not found.');

    const eventChannels = await items(`/pims/api/events/${date}/channels`, 'channels');
    eventChannels.forEach((c) => {
      assertFields('event channel', c, { id: 'number', ignored: 'boolean' });
      assertLabelled('event channel.channel', embedded(c).channel, /\/channels\/\d+$/);
    });
    // One tariff is sold everywhere: every active channel; the deactivated one only with show_ignored.
    assert.deepEqual(eventChannels.map((c) => c.id).sort(), [a.web.id, a.boxOffice.id].sort());
    assert.equal((await items(`/pims/api/events/${date}/channels?show_ignored=true`, 'channels')).length, 3);
    const festivalChannels = await items(`/pims/api/events/${a.festival.dates[1].id}/channels`, 'channels');
    assert.deepEqual(festivalChannels.map((c) => c.id), [a.web.id], 'only the channels its tariffs are sold on');
    assertFields('event channel', await ok(`/pims/api/events/${date}/channels/${a.web.id}`), { id: 'number', ignored: 'boolean' });
    assertProblem(await get(`/pims/api/events/${a.festival.dates[1].id}/channels/${a.boxOffice.id}`), 404, 'Entity not found.');
    const paged = await ok(`/pims/api/events/${date}/categories?page_size=1&page=2`);
    assert.equal(paged.page_count, 2);
    assert.equal(assertCollection(paged, 'categories').length, 1);
  });

  test('series: Guichet series and multi-date productions, their events, filters and sorts', async () => {
    const series = await items('/pims/api/series', 'series');
    series.forEach(assertSeries);
    assert.deepEqual(series.map((s) => s.label), ['Chloé — Tournée', 'Festival Été'], 'by first date by default');
    const festival = series[1];
    assert.equal(festival.id, a.festival.id * 2 + 1);
    assert.equal(festival.first_date, '2027-07-09');
    assert.equal(festival.last_date, '2027-07-11');
    assert.equal(embedded(festival).type.id, 'LGS', 'one venue: a long run');
    assert.equal(embedded(festival).venue.label, 'Les Grands Prés');
    assert.deepEqual((await items('/pims/api/series?sort=-first_date', 'series')).map((s) => s.label), ['Festival Été', 'Chloé — Tournée']);
    assert.deepEqual((await items('/pims/api/series?sort=label', 'series')).map((s) => s.label), ['Chloé — Tournée', 'Festival Été']);
    assert.deepEqual((await items('/pims/api/series?sort=-last_date', 'series')).map((s) => s.label), ['Festival Été', 'Chloé — Tournée']);
    assert.deepEqual((await items('/pims/api/series?label=TOURNEE', 'series')).map((s) => s.label), ['Chloé — Tournée']);
    assert.deepEqual((await items('/pims/api/series?type=LGS', 'series')).map((s) => s.label), ['Festival Été']);
    assert.deepEqual((await items('/pims/api/series?from_date=2027-05-01', 'series')).map((s) => s.label), ['Festival Été']);
    assert.deepEqual((await items('/pims/api/series?to_date=2027-03-12', 'series')).map((s) => s.label), ['Chloé — Tournée']);
    assertProblem(await get('/pims/api/series?from_date=2027-5-1'), 422, "Unknown date format, should be 'Y-m-d?H:i:s'");
    assertSeries(await ok(`/pims/api/series/${a.tour.id * 2}`));
    const tourEvents = await items(`/pims/api/series/${a.tour.id * 2}/events?sort=-datetime`, 'events');
    assert.deepEqual(tourEvents.map((e) => e.id), [a.concert.dates[1].id, a.concert.dates[0].id]);
    assert.ok(tourEvents.every((e) => e.series_id === a.tour.id * 2));
    const festivalEvents = await items(`/pims/api/series/${festival.id}/events?from_datetime=2027-07-10`, 'events');
    assert.equal(festivalEvents.length, 2);
    assertProblem(await get(`/pims/api/series/${a.free.id * 2 + 1}`), 404, 'Entity not found.');
    // An event of several dates inside a series is not listed as a series of its own, but its id (used by promotions) resolves.
    const production = await ok(`/pims/api/series/${a.concert.id * 2 + 1}`);
    assertSeries(production);
    assert.equal(production.label, 'Chloé Martin');
    assert.equal(embedded(production).type.id, 'TOU', 'two venues: a tour');
    assert.equal((await items(`/pims/api/series/${a.concert.id * 2 + 1}/events`, 'events')).length, 2);
  });

  test('venues and their events', async () => {
    const venues = await items('/pims/api/venues', 'venues');
    assert.equal(venues.length, 4);
    venues.forEach(assertVenue);
    const zenith = await ok(`/pims/api/venues/${a.zenith.id}`);
    assertVenue(zenith);
    assert.equal(zenith.first_address, 'Boulevard du Zénith');
    assert.equal(zenith.zip_code, '44800');
    const events = await items(`/pims/api/venues/${a.zenith.id}/events`, 'events');
    assert.deepEqual(events.map((e) => e.id), [a.concert.dates[0].id]);
    assert.equal((await items(`/pims/api/venues/${a.prés.id}/events?to_datetime=2027-07-10T15:59:59`, 'events')).length, 1);
  });

  test('writes: venues and series created, changed and deleted with the native rules; bad input changes nothing', async () => {
    const created = await send('POST', '/pims/api/v1/venues', { label: 'Stéréolux', type_id: 'SAL', first_address: '4 bd Léon Bureau', zip_code: '44200', city: 'Nantes', country_code: 'fr' });
    assert.equal(created.statusCode, 201, created.body);
    assert.match(String(created.headers['content-type']), /^application\/hal\+json/);
    const venue = created.json();
    assertVenue(venue);
    assert.equal(venue.country_code, 'FR');
    const changed = await send('PATCH', `/pims/api/venues/${venue.id}`, { label: 'Stereolux', type_id: 'FES' });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().label, 'Stereolux');
    assert.equal(changed.json()._embedded.type.id, 'FES');
    assert.equal((await ok(`/pims/api/venues/${venue.id}`)).label, 'Stereolux');

    const db = p.app.core.ctx.database.db;
    const count = async (table: 'venues' | 'series') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = { venues: await count('venues'), series: await count('series') };
    const refusals: [string, 'POST' | 'PATCH', unknown][] = [
      ['/pims/api/venues', 'POST', { label: 'No city', country_code: 'FR' }],
      ['/pims/api/venues', 'POST', { label: 'Bad country', city: 'Nantes', country_code: 'XX' }],
      ['/pims/api/venues', 'POST', { label: 'Bad type', type_id: 'ARENA', city: 'Nantes', country_code: 'FR' }],
      ['/pims/api/venues', 'POST', { label: 'Extra', city: 'Nantes', country_code: 'FR', capacity: 10 }],
      ['/pims/api/venues', 'POST', 'not json'],
      [`/pims/api/venues/${venue.id}`, 'PATCH', {}],
      [`/pims/api/venues/${venue.id}`, 'PATCH', { label: '' }],
      ['/pims/api/series', 'POST', { label: 'No type' }],
      ['/pims/api/series', 'POST', { label: 'Bad dates', type_id: 'TOU', first_date: '2027-05-01', last_date: '2027-04-01' }],
      ['/pims/api/series', 'POST', { label: 'Bad day', type_id: 'TOU', first_date: '2027-02-30' }],
      ['/pims/api/series', 'POST', { label: 'Foreign venue', type_id: 'LGS', venue_id: b.zenith.id }],
      [`/pims/api/series/${a.tour.id * 2}`, 'PATCH', { type_id: 'XYZ' }],
    ];
    for (const [url, method, payload] of refusals) {
      const response = await send(method, url, payload);
      assert.ok([400, 422].includes(response.statusCode), `${method} ${url} ${JSON.stringify(payload)}: ${response.statusCode} ${response.body}`);
      assertProblem(response, response.statusCode);
    }
    assert.deepEqual({ venues: await count('venues'), series: await count('series') }, before, 'nothing changed');
    assertProblem(await send('DELETE', `/pims/api/venues/${a.zenith.id}`), 409);
    assert.equal((await send('DELETE', `/pims/api/venues/${venue.id}`)).statusCode, 204);
    assertProblem(await get(`/pims/api/venues/${venue.id}`), 404, 'Entity not found.');

    const s = await send('POST', '/pims/api/series', { label: 'Résidence d’été', type_id: 'LGS', first_date: '2027-08-01', last_date: '2027-08-31', venue_id: a.prés.id });
    assert.equal(s.statusCode, 201, s.body);
    assertSeries(s.json());
    assert.equal(s.json().id % 2, 0);
    assert.equal(s.json()._embedded.venue.id, a.prés.id);
    const renamed = await send('PATCH', `/pims/api/series/${s.json().id}`, { label: 'Résidence', type_id: 'TOU' });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json()._embedded.type.id, 'TOU');
    assertProblem(await send('PATCH', `/pims/api/series/${a.festival.id * 2 + 1}`, { label: 'A production' }), 409);
    assertProblem(await send('DELETE', `/pims/api/series/${a.tour.id * 2}`), 409);
    assert.equal((await send('DELETE', `/pims/api/series/${s.json().id}`)).statusCode, 204);
    assertProblem(await get(`/pims/api/series/${s.json().id}`), 404, 'Entity not found.');
  });

  test('an event moved to another time zone keeps its instant and shows its new local time', async () => {
    const op = operatorPrincipal(p.a.organizationId, p.a.adminAccountId);
    await p.app.core.events.update(op, a.free.id, { timeZone: 'America/New_York' });
    assert.equal((await ok(`/pims/api/events/${a.free.dates[0].id}`)).datetime, '2027-06-01T17:30:00');
    await p.app.core.events.updateDate(op, a.free.id, a.free.dates[0].id, { startsAt: '2027-06-02T20:00:00-04:00' });
    assert.equal((await ok(`/pims/api/events/${a.free.dates[0].id}`)).datetime, '2027-06-02T20:00:00');
    assert.equal((await items('/pims/api/events?from_date=2027-06-02&to_date=2027-06-02', 'events')).length, 1);
    await p.app.core.events.update(op, a.free.id, { timeZone: 'Europe/Zurich' });
  });

  test('demo: the demo organization has a Pims user demo / demo-pims-password', async () => {
    await seedDemo(p.app.core);
    const demo = basic(DEMO.pimsUsername, DEMO.pimsPassword);
    const events = await items('/pims/api/v1/events', 'events', demo);
    assert.ok(events.some((e) => e.label === 'Alan Wilson'));
    await ok('/pims/demo/api/v1/series', demo);
    assertProblem(await get('/pims/alpha/api/v1/events', demo), 401, 'Unauthorized');
  });
});
