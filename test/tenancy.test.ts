/**
 * One organization can never see or touch another's data.
 *
 * Organizations A and B each build the same estate over HTTP (venue, series, interface, event with
 * sections, dates and a tariff, OAuth client, API key, member account, address). Then A, holding an
 * all-scopes admin token, goes after every URL of B's estate with every method, lists everything it
 * can list, points its own resources at B's, and names B's interfaces in X-Interface. Everything
 * must answer 404 (or 422 for references inside a body) and B's data, read back with B's own token,
 * must be exactly what it was. Platform-wide data (categories, regions, countries) is shared by
 * design and not tested here.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { platform, token, client, type TestPlatform, type Tenant } from './helpers.ts';

type Api = ReturnType<typeof client>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const FRANCE = 250;

/** The ids of everything one organization owns. */
interface Estate {
  admin: number;
  member: number;
  venue: number;
  series: number;
  interface: number;
  defaultInterface: number;
  event: number;
  sections: number[];
  dates: number[];
  tariff: number;
  oauthClient: number;
  mainOauthClient: number;
  apiKey: number;
  address: number;
}

function send(api: Api, method: Method, url: string, body?: unknown, headers?: Record<string, string>) {
  const payload = body ?? {};
  switch (method) {
    case 'GET': return api.get(url, headers);
    case 'POST': return api.post(url, payload, headers);
    case 'PUT': return api.put(url, payload, headers);
    case 'PATCH': return api.patch(url, payload, headers);
    case 'DELETE': return api.delete(url, headers);
  }
}

/** Sends a creation request and returns the created object under `root`, failing loudly otherwise. */
async function created(api: Api, url: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const root = Object.keys(body)[0];
  const response = await api.post(url, body);
  assert.equal(response.statusCode, 201, `POST ${url}: ${response.body}`);
  return response.json()[root];
}

const idsOf = (items: { id: number }[]) => items.map((item) => item.id);

/** Builds one organization's estate through the native API, as that organization's admin. */
async function buildEstate(api: Api, tenant: Tenant): Promise<Estate> {
  const slug = tenant.slug;
  const venue = await created(api, '/api/venues', { venue: { name: `Salle ${slug}`, kind: 'hall', city: 'Nantes', country_code: 'FR', capacity: 800 } });
  const series = await created(api, '/api/series', { series: { kind: 'tour', label: `Tour ${slug}`, venue_id: venue.id } });
  const channel = await created(api, '/api/interfaces', { interface: { name: `Box office ${slug}`, kind: 'box_office' } });
  const event = await created(api, '/api/events', {
    event: {
      title: `Concert ${slug}`,
      venue_id: venue.id,
      series_id: series.id,
      sections: [{ name: 'Floor', capacity: 500 }, { name: 'Balcony', capacity: 300, position: 1 }],
      dates: [{ starts_at: '2027-03-01T20:00:00+01:00' }, { starts_at: '2027-03-02T20:00:00+01:00', venue_id: venue.id }],
    },
  }) as { id: number; sections: { id: number }[]; dates: { id: number }[] };
  const tariff = await created(api, `/api/events/${event.id}/tariffs`, {
    tariff: { section_id: event.sections[0].id, label: 'Full price', price: 3500, interface_ids: [channel.id] },
  });
  const oauthClient = await created(api, '/api/oauth_clients', { oauth_client: { name: `Shop ${slug}`, scopes: 'public buy' } });
  const apiKey = await created(api, '/api/api_keys', { api_key: { name: `Reporting ${slug}`, access_level: 'public' } });
  const member = await created(api, '/api/users', {
    user: { username: `${slug}-manager`, email: `manager@${slug}.test`, password: `${slug}-manager-password`, role: 'manager', first_name: 'Dominique' },
  });
  const address = await created(api, '/api/users/me/addresses', { address: { line1: '1 quai de la Fosse', city: 'Nantes', zip: '44000', country_id: FRANCE } });
  const interfaces = (await api.get('/api/interfaces?per_page=100')).json().interfaces as { id: number; default: boolean }[];
  const clients = (await api.get('/api/oauth_clients?per_page=100')).json().oauth_clients as { id: number; client_id: string }[];
  return {
    admin: tenant.adminAccountId,
    member: member.id as number,
    venue: venue.id as number,
    series: series.id as number,
    interface: channel.id as number,
    defaultInterface: interfaces.find((i) => i.default)!.id,
    event: event.id,
    sections: idsOf(event.sections),
    dates: idsOf(event.dates),
    tariff: tariff.id as number,
    oauthClient: oauthClient.id as number,
    mainOauthClient: clients.find((c) => c.client_id === tenant.clientId)!.id,
    apiKey: apiKey.id as number,
    address: address.id as number,
  };
}

/**
 * Every URL of an estate, with a body that is valid for its write route (so a 404 can only mean
 * "not yours", never "bad body"). `write` names the method that really exists there, if any;
 * `readable` says whether a GET route exists (otherwise the data is read back through a list).
 */
interface Target { url: string; body: Record<string, unknown>; write: Method | null; readable: boolean }

function targetsOf(e: Estate): Target[] {
  const event = `/api/events/${e.event}`;
  const [date] = e.dates;
  const [section] = e.sections;
  return [
    { url: `/api/venues/${e.venue}`, body: { venue: { name: 'Taken over', capacity: 1 } }, write: 'PATCH', readable: true },
    { url: `/api/series/${e.series}`, body: { series: { label: 'Taken over' } }, write: 'PATCH', readable: true },
    { url: `/api/interfaces/${e.interface}`, body: { interface: { name: 'Taken over', kind: 'partner' } }, write: 'PATCH', readable: true },
    { url: `/api/interfaces/${e.defaultInterface}`, body: { interface: { name: 'Taken over' } }, write: 'PATCH', readable: true },
    { url: event, body: { event: { title: 'Taken over', public: false } }, write: 'PATCH', readable: true },
    { url: `${event}/dates`, body: { date: { starts_at: '2027-04-01T20:00:00+02:00' } }, write: 'POST', readable: true },
    { url: `${event}/dates/${date}`, body: { date: { status: 'cancelled' } }, write: 'PATCH', readable: true },
    { url: `${event}/sections`, body: { section: { name: 'Pit', capacity: 10 } }, write: 'POST', readable: true },
    { url: `${event}/sections/${section}`, body: { section: { capacity: 1 } }, write: 'PATCH', readable: true },
    { url: `${event}/tariffs`, body: { tariff: { section_id: section, label: 'Free', price: 0 } }, write: 'POST', readable: true },
    { url: `${event}/tariffs/${e.tariff}`, body: { tariff: { price: 1 } }, write: 'PATCH', readable: true },
    { url: `${event}/dates/${date}/capacities/${section}`, body: { capacity: { capacity: 1 } }, write: 'PUT', readable: false },
    { url: `/api/users/${e.member}`, body: { user: { role: 'door_staff' } }, write: 'PATCH', readable: true },
    { url: `/api/users/${e.admin}`, body: { user: { last_name: 'Mallory' } }, write: 'PATCH', readable: true },
    { url: `/api/users/${e.admin}/addresses`, body: { address: { line1: '2 rue Crébillon', city: 'Nantes', country_id: FRANCE } }, write: 'POST', readable: true },
    { url: `/api/users/${e.admin}/addresses/${e.address}`, body: { address: { city: 'Elsewhere', is_default: true } }, write: 'PATCH', readable: true },
    { url: `/api/users/${e.admin}/activity`, body: {}, write: null, readable: true },
    { url: `/api/oauth_clients/${e.oauthClient}`, body: { oauth_client: { name: 'Taken over' } }, write: null, readable: true },
    { url: `/api/oauth_clients/${e.mainOauthClient}`, body: { oauth_client: { name: 'Taken over' } }, write: null, readable: true },
    { url: `/api/api_keys/${e.apiKey}`, body: { api_key: { name: 'Taken over', access_level: 'host' } }, write: null, readable: false },
  ];
}

/** Lists an organization sees, with the root key of each answer and the estate ids that belong in it. */
const listsOf = (e: Estate): { url: string; root: string; ids: number[] }[] => [
  { url: '/api/venues', root: 'venues', ids: [e.venue] },
  { url: '/api/events', root: 'events', ids: [e.event] },
  { url: '/api/series', root: 'series', ids: [e.series] },
  { url: '/api/interfaces', root: 'interfaces', ids: [e.interface, e.defaultInterface] },
  { url: '/api/users', root: 'users', ids: [e.admin, e.member] },
  { url: '/api/oauth_clients', root: 'oauth_clients', ids: [e.oauthClient, e.mainOauthClient] },
  { url: '/api/api_keys', root: 'api_keys', ids: [e.apiKey] },
  { url: `/api/events/${e.event}/dates`, root: 'dates', ids: e.dates },
  { url: `/api/events/${e.event}/sections`, root: 'sections', ids: e.sections },
  { url: `/api/events/${e.event}/tariffs`, root: 'tariffs', ids: [e.tariff] },
  { url: '/api/users/me/addresses', root: 'addresses', ids: [e.address] },
];

/** Everything an organization can read about its own estate, as its own admin sees it. */
async function snapshot(api: Api, e: Estate): Promise<Record<string, { status: number; body: unknown }>> {
  const urls = [...targetsOf(e).filter((t) => t.readable).map((t) => t.url), ...listsOf(e).map((l) => `${l.url}?per_page=100`), '/api/organization', '/api/users/me'];
  const result: Record<string, { status: number; body: unknown }> = {};
  for (const url of urls) {
    const response = await api.get(url);
    result[url] = { status: response.statusCode, body: response.json() };
  }
  return result;
}

function assertNotFound(response: { statusCode: number; json(): unknown; body: string }, what: string) {
  assert.equal(response.statusCode, 404, `${what}: expected 404, got ${response.statusCode} ${response.body}`);
  const body = response.json() as { error?: { code?: unknown; message?: unknown } };
  assert.equal(body.error?.code, 'NOT_FOUND', `${what}: ${response.body}`);
  assert.equal(typeof body.error?.message, 'string', what);
}

describe("one organization can never see or touch another's data", () => {
  let p: TestPlatform;
  let apiA: Api;
  let apiB: Api;
  let estateA: Estate;
  let estateB: Estate;

  before(async () => {
    p = await platform();
    apiA = client(p.app, await token(p.app, p.a));
    apiB = client(p.app, await token(p.app, p.b));
    estateA = await buildEstate(apiA, p.a);
    estateB = await buildEstate(apiB, p.b);
  });
  after(() => p.close());

  test('each organization reads its own estate in full (so the checks below are not vacuous)', async () => {
    for (const [api, estate] of [[apiA, estateA], [apiB, estateB]] as const) {
      const seen = await snapshot(api, estate);
      for (const [url, { status }] of Object.entries(seen)) assert.equal(status, 200, `GET ${url}`);
      for (const list of listsOf(estate)) {
        const ids = idsOf((seen[`${list.url}?per_page=100`].body as Record<string, { id: number }[]>)[list.root]);
        for (const id of list.ids) assert.ok(ids.includes(id), `${list.url} should list ${id}, got ${ids.join(', ')}`);
      }
    }
  });

  test("A gets 404 NOT_FOUND for every method on every URL of B's estate, and B's data is unchanged", async () => {
    const before = await snapshot(apiB, estateB);
    p.clock.advance(60_000); // any write, even a no-op one, would now show in updated_at
    for (const target of targetsOf(estateB)) {
      for (const method of METHODS) assertNotFound(await send(apiA, method, target.url, target.body), `A: ${method} ${target.url}`);
    }
    assert.deepEqual(await snapshot(apiB, estateB), before);

    // The bodies A sent were valid: B itself can send each of them to its own estate.
    for (const target of targetsOf(estateB).filter((t) => t.write !== null)) {
      const response = await send(apiB, target.write!, target.url, target.body);
      assert.ok(response.statusCode >= 200 && response.statusCode < 300, `B: ${target.write} ${target.url}: ${response.statusCode} ${response.body}`);
    }
  });

  test("A's lists show A's resources and never B's", async () => {
    const listsB = listsOf(estateB);
    for (const [index, list] of listsOf(estateA).entries()) {
      const response = await apiA.get(`${list.url}?per_page=100`);
      assert.equal(response.statusCode, 200, `${list.url}: ${response.body}`);
      const ids = idsOf(response.json()[list.root]);
      for (const id of list.ids) assert.ok(ids.includes(id), `${list.url} should list A's ${id}, got ${ids.join(', ')}`);
      for (const id of listsB[index].ids) assert.ok(!ids.includes(id), `${list.url} lists B's ${id}: ${ids.join(', ')}`);
    }
  });

  test("A cannot point its own resources at B's, nor reach B's parts through A's own parents", async () => {
    const a = estateA;
    const b = estateB;
    const event = `/api/events/${a.event}`;
    const startsAt = '2027-05-01T20:00:00+02:00';
    // References inside a body are refused as invalid values, naming the field.
    const references: { method: Method; url: string; body: Record<string, unknown>; field: string }[] = [
      { method: 'POST', url: '/api/events', body: { event: { title: 'Stolen venue', venue_id: b.venue } }, field: 'venue_id' },
      { method: 'POST', url: '/api/events', body: { event: { title: 'Stolen series', series_id: b.series } }, field: 'series_id' },
      { method: 'POST', url: '/api/events', body: { event: { title: 'Stolen date venue', dates: [{ starts_at: startsAt, venue_id: b.venue }] } }, field: 'venue_id' },
      { method: 'PATCH', url: event, body: { event: { venue_id: b.venue } }, field: 'venue_id' },
      { method: 'PATCH', url: event, body: { event: { series_id: b.series } }, field: 'series_id' },
      { method: 'POST', url: '/api/series', body: { series: { kind: 'tour', label: 'Stolen', venue_id: b.venue } }, field: 'venue_id' },
      { method: 'PATCH', url: `/api/series/${a.series}`, body: { series: { venue_id: b.venue } }, field: 'venue_id' },
      { method: 'POST', url: `${event}/dates`, body: { date: { starts_at: startsAt, venue_id: b.venue } }, field: 'venue_id' },
      { method: 'PATCH', url: `${event}/dates/${a.dates[0]}`, body: { date: { venue_id: b.venue } }, field: 'venue_id' },
      { method: 'POST', url: `${event}/tariffs`, body: { tariff: { section_id: b.sections[0], label: 'Stolen', price: 100 } }, field: 'section_id' },
      { method: 'POST', url: `${event}/tariffs`, body: { tariff: { section_id: a.sections[0], label: 'Stolen', price: 100, interface_ids: [b.interface] } }, field: 'interface_ids' },
      { method: 'PATCH', url: `${event}/tariffs/${a.tariff}`, body: { tariff: { section_id: b.sections[0] } }, field: 'section_id' },
      { method: 'PATCH', url: `${event}/tariffs/${a.tariff}`, body: { tariff: { interface_ids: [b.defaultInterface] } }, field: 'interface_ids' },
    ];
    // B's parts addressed under A's own event or account are simply not there.
    const mixed: { method: Method; url: string; body: Record<string, unknown> }[] = [
      ...(['GET', 'PATCH', 'DELETE'] as const).flatMap((method) => [
        { method, url: `${event}/dates/${b.dates[0]}`, body: { date: { status: 'cancelled' } } },
        { method, url: `${event}/sections/${b.sections[0]}`, body: { section: { capacity: 1 } } },
        { method, url: `${event}/tariffs/${b.tariff}`, body: { tariff: { price: 1 } } },
        { method, url: `/api/users/me/addresses/${b.address}`, body: { address: { city: 'Elsewhere' } } },
        { method, url: `/api/users/${a.admin}/addresses/${b.address}`, body: { address: { city: 'Elsewhere' } } },
      ]),
      { method: 'PUT', url: `${event}/dates/${b.dates[0]}/capacities/${b.sections[0]}`, body: { capacity: { capacity: 1 } } },
      { method: 'PUT', url: `${event}/dates/${a.dates[0]}/capacities/${b.sections[0]}`, body: { capacity: { capacity: 1 } } },
      { method: 'PUT', url: `${event}/dates/${b.dates[0]}/capacities/${a.sections[0]}`, body: { capacity: { capacity: 1 } } },
    ];

    const beforeA = await snapshot(apiA, a);
    const beforeB = await snapshot(apiB, b);
    p.clock.advance(60_000);
    for (const r of references) {
      const response = await send(apiA, r.method, r.url, r.body);
      const what = `${r.method} ${r.url} ${JSON.stringify(r.body)}`;
      assert.equal(response.statusCode, 422, `${what}: ${response.statusCode} ${response.body}`);
      const error = response.json().error as { code: string; details?: { field: string }[] };
      assert.equal(error.code, 'VALIDATION_FAILED', what);
      assert.ok(error.details?.some((d) => d.field === r.field), `${what}: details should name ${r.field}: ${response.body}`);
    }
    for (const r of mixed) assertNotFound(await send(apiA, r.method, r.url, r.body), `${r.method} ${r.url}`);
    assert.deepEqual(await snapshot(apiA, a), beforeA);
    assert.deepEqual(await snapshot(apiB, b), beforeB);
  });

  test("an X-Interface header naming one of B's interfaces gets 404 for A, and creates nothing", async () => {
    // A's own interface is honoured, so the header is really read.
    const own = await apiA.get('/api/venues', { 'x-interface': String(estateA.interface) });
    assert.equal(own.statusCode, 200, own.body);
    assert.equal(own.headers['x-interface'], String(estateA.interface));

    const before = await snapshot(apiA, estateA);
    const venue = { venue: { name: 'Through B', kind: 'hall', city: 'Nantes', country_code: 'FR' } };
    for (const channel of [estateB.interface, estateB.defaultInterface]) {
      for (const [method, url] of [['GET', '/api/venues'], ['GET', `/api/events/${estateA.event}`], ['GET', '/api/organization'], ['POST', '/api/venues']] as const) {
        const response = await send(apiA, method, url, venue, { 'x-interface': String(channel) });
        assertNotFound(response, `${method} ${url} with X-Interface ${channel}`);
        assert.equal(response.headers['x-interface'], undefined, 'no interface is echoed back');
      }
    }
    assert.deepEqual(await snapshot(apiA, estateA), before);
  });
});
