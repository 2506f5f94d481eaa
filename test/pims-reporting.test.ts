import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buyer, CARD, client, onSaleEvent, platform, token, type OnSaleEvent, type TestPlatform } from './helpers.ts';

/**
 * The Pims reporting operations over HTTP, on the reporting core: ticket counts (summary and
 * detailed) that follow real sales, counts entered for external channels, capacities, promotions
 * (filters, sorts, languages, writes, status PATCH), errors and tenancy.
 */

type Json = Record<string, unknown> & { _embedded?: Record<string, Json & Json[]>; _links?: Record<string, { href: string }> };
const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
function assertFields(what: string, value: Json, fields: Record<string, string>) {
  for (const [field, kind] of Object.entries(fields)) {
    assert.ok(field in value, `${what}: missing ${field} in ${JSON.stringify(value).slice(0, 300)}`);
    assert.ok(kind.split('|').includes(kindOf(value[field])), `${what}.${field}: ${kindOf(value[field])} is not ${kind}`);
  }
}

describe('pims reporting operations', () => {
  let p: TestPlatform;
  let sale: OnSaleEvent;
  let other: OnSaleEvent;
  let reseller: number;
  let reader: string;
  let writer: string;
  let otherReader: string;

  before(async () => {
    p = await platform();
    const admin = client(p.app, await token(p.app, p.a));
    const external = await admin.post('/api/interfaces', { interface: { name: 'Revendeur', kind: 'reseller', external: true } });
    assert.equal(external.statusCode, 201, external.body);
    reseller = external.json().interface.id;
    sale = await onSaleEvent(p.app, p.a, {
      sections: [{ name: 'Fosse', capacity: 100 }],
      tariffs: [{ section: 0, label: 'Plein', price: 2500 }],
      dates: ['2027-03-01T20:00:00+01:00', '2027-03-02T20:00:00+01:00'],
    });
    other = await onSaleEvent(p.app, p.b, { sections: [{ name: 'Fosse', capacity: 10 }], tariffs: [{ section: 0, label: 'Plein', price: 1000 }] });
    // Two tickets sold and paid on the first date.
    const ann = await buyer(p.app, p.a, 'ann');
    const cart = (await ann.post('/api/carts', { cart: { items: [{ tariff_id: sale.tariffIds[0], date_id: sale.dateIds[0], quantity: 2 }] } })).json().cart;
    const order = (await ann.post(`/api/carts/${cart.id}/checkout`, { checkout: { buyer_name: 'Ann', buyer_email: 'ann@buyers.test', payment: { provider: 'test', card: CARD } } })).json().order;
    assert.equal(order.status, 'paid');
    for (const [tenant, username, access] of [[p.a, 'reader', 'read'], [p.a, 'writer', 'write'], [p.b, 'other', 'read']] as const) {
      const api = client(p.app, await token(p.app, tenant));
      const r = await api.post('/api/partner_users', { partner_user: { username, access, password: `${username}-password-1` } });
      assert.equal(r.statusCode, 201, r.body);
    }
    reader = basic('reader', 'reader-password-1');
    writer = basic('writer', 'writer-password-1');
    otherReader = basic('other', 'other-password-1');
  });
  after(() => p.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, authorization: string, payload?: unknown, headers: Record<string, string> = {}) =>
    p.app.inject({ method, url, headers: { authorization, ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  async function ok(url: string, authorization = reader, headers: Record<string, string> = {}): Promise<Json> {
    const r = await call('GET', url, authorization, undefined, headers);
    assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
    assert.match(String(r.headers['content-type']), /^application\/hal\+json/);
    return r.json();
  }
  async function items(url: string, name: string, authorization = reader, headers: Record<string, string> = {}): Promise<Json[]> {
    const body = await ok(url, authorization, headers);
    assertFields('collection', body, { page_count: 'number', page_size: 'number', total_items: 'number', page: 'number' });
    assert.ok(Array.isArray(body._embedded?.[name]), `_embedded.${name}`);
    return body._embedded![name] as unknown as Json[];
  }
  function assertProblem(r: { statusCode: number; headers: Record<string, unknown>; json(): Json }, status: number | number[], detail?: string) {
    assert.ok((Array.isArray(status) ? status : [status]).includes(r.statusCode), `status ${r.statusCode}: ${JSON.stringify(r.json())}`);
    assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
    assertFields('problem', r.json(), { type: 'string', title: 'string', status: 'number', detail: 'string' });
    if (detail) assert.equal(r.json().detail, detail);
  }
  const rows = async (table: 'ticket_counts' | 'promotions' | 'promotion_targets') =>
    Number((await p.app.core.ctx.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  test('ticket counts follow the sales: summary and detailed shapes, dates, sorts', async () => {
    const date = sale.dateIds[0];
    const counts = await items(`/pims/api/v1/events/${date}/ticket-counts`, 'ticket_counts');
    assert.ok(counts.length >= 1);
    for (const c of counts) {
      assertFields('ticket count', c, { id: 'number', date: 'string', comment: 'string|null', approved: 'boolean', final: 'boolean', sales: 'number', reservations: 'number|null', gross: 'number', currency: 'string' });
      assert.match(c.date as string, /^\d{4}-\d{2}-\d{2}$/);
      assert.match(c._links!.self.href, new RegExp(`/events/${date}/ticket-counts/${c.id}$`));
    }
    assert.equal(counts.reduce((n, c) => n + (c.sales as number), 0), 2);
    assert.equal(counts.reduce((n, c) => n + (c.gross as number), 0), 50, 'decimal gross in major units');
    const detailed = await items(`/pims/api/events/${date}/ticket-counts/detailed`, 'ticket_counts');
    let sold = 0;
    for (const c of detailed) {
      assertFields('detailed count', c, { id: 'number', date: 'string', comment: 'string|null', approved: 'boolean', final: 'boolean' });
      for (const ch of c._embedded?.event_channels ?? []) {
        assertFields('event channel', ch, { id: 'number' });
        for (const cat of ch._embedded!.event_categories as unknown as Json[]) {
          assert.equal(cat.id, sale.sectionIds[0]);
          for (const r of cat._embedded!.event_price_ranges as unknown as Json[]) {
            assertFields('event price range', r, { id: 'number', sales: 'number', reservations: 'number|null', gross: 'number', currency: 'string' });
            assert.equal(r.id, sale.tariffIds[0]);
            sold += r.sales as number;
          }
        }
      }
    }
    assert.equal(sold, 2);
    const one = await ok(`/pims/api/events/${date}/ticket-counts/${counts[0].id}`);
    assert.equal(one.id, counts[0].id);
    const oneDetailed = await ok(`/pims/api/events/${date}/ticket-counts/detailed/${counts[0].id}`);
    assert.equal(oneDetailed.id, counts[0].id);
    assertProblem(await call('GET', `/pims/api/events/${sale.dateIds[1]}/ticket-counts/${counts[0].id}`, reader), 404, 'Entity not found.');
    const second = await items(`/pims/api/events/${sale.dateIds[1]}/ticket-counts`, 'ticket_counts');
    assert.equal(second.reduce((n, c) => n + (c.sales as number), 0), 0, 'the other date sold nothing');
    const asc = (await items(`/pims/api/events/${date}/ticket-counts?sort=date`, 'ticket_counts')).map((c) => c.date as string);
    const desc = (await items(`/pims/api/events/${date}/ticket-counts?sort=-date`, 'ticket_counts')).map((c) => c.date as string);
    assert.deepEqual(desc, [...asc].reverse());
    assert.equal((await items(`/pims/api/events/${date}/ticket-counts?to_date=2000-01-01`, 'ticket_counts')).length, 0);
    assertProblem(await call('GET', `/pims/api/events/${date}/ticket-counts?from_date=01/01/2026`, reader), 422, "Unknown date format, should be 'Y-m-d?H:i:s'");
  });

  test('show_ignored: figures of a deactivated channel are left out unless asked for', async () => {
    const date = sale.dateIds[1];
    const admin = client(p.app, await token(p.app, p.a));
    const kiosk = (await admin.post('/api/interfaces', { interface: { name: 'Kiosque', kind: 'web' } })).json().interface.id as number;
    // One ticket sold through the kiosk on the second date, then the kiosk is deactivated (ignored).
    const bob = await buyer(p.app, p.a, 'bob');
    const cart = (await bob.post('/api/carts', { cart: { items: [{ tariff_id: sale.tariffIds[0], date_id: date, quantity: 1 }] } }, { 'x-interface': String(kiosk) })).json().cart;
    const order = (await bob.post(`/api/carts/${cart.id}/checkout`, { checkout: { buyer_email: 'bob@buyers.test', payment: { provider: 'test', card: CARD } } }, { 'x-interface': String(kiosk) })).json().order;
    assert.equal(order.status, 'paid');
    const sold = async (query: string) => {
      const summary = (await items(`/pims/api/events/${date}/ticket-counts${query}`, 'ticket_counts')).reduce((n, c) => n + (c.sales as number), 0);
      const detailed = await items(`/pims/api/events/${date}/ticket-counts/detailed${query}`, 'ticket_counts');
      const channelList = detailed.flatMap((c) => (c._embedded?.event_channels ?? []) as Json[]);
      const ranges = channelList.flatMap((ch) => (ch._embedded!.event_categories as unknown as Json[]).flatMap((cat) => cat._embedded!.event_price_ranges as unknown as Json[]));
      return { summary, detailed: ranges.reduce((n, r) => n + (r.sales as number), 0), channels: channelList.map((ch) => ch.id) };
    };
    assert.deepEqual(await sold(''), { summary: 1, detailed: 1, channels: [kiosk] }, 'an active channel counts');
    assert.equal((await admin.patch(`/api/interfaces/${kiosk}`, { interface: { active: false } })).statusCode, 200);
    assert.deepEqual(await sold(''), { summary: 0, detailed: 0, channels: [] }, 'an ignored channel is left out');
    assert.deepEqual(await sold('?show_ignored=true'), { summary: 1, detailed: 1, channels: [kiosk] }, 'unless asked for');
    const [count] = await items(`/pims/api/events/${date}/ticket-counts?show_ignored=true`, 'ticket_counts');
    assert.equal((await ok(`/pims/api/events/${date}/ticket-counts/${count.id}`)).sales, 0);
    assert.equal((await ok(`/pims/api/events/${date}/ticket-counts/${count.id}?show_ignored=true`)).sales, 1);
    assert.equal((await admin.patch(`/api/interfaces/${kiosk}`, { interface: { active: true } })).statusCode, 200);
  });

  test('counts entered for external channels: created by write users, hidden until approved, validated, changed and deleted', async () => {
    const date = sale.dateIds[0];
    const body = (sales: number, gross: number, channel = reseller, tariff = sale.tariffIds[0]) => ({
      date: '2026-11-20', comment: 'Revendeur, semaine 47',
      event_channels: [{ id: channel, event_categories: [{ id: sale.sectionIds[0], event_price_ranges: [{ id: tariff, sales, gross }] }] }],
    });
    const before = await rows('ticket_counts');
    assertProblem(await call('POST', `/pims/api/events/${date}/ticket-counts`, reader, body(5, 125)), 403, 'Forbidden');
    for (const bad of [
      body(5, -1), body(-5, 125), body(5, 125.001), body(5, 125, sale.tariffIds[0] + 999), body(5, 125, reseller, other.tariffIds[0]),
      { ...body(5, 125), date: '2026-02-30' }, { ...body(5, 125), extra: true }, { date: '2026-11-20', event_channels: [] },
    ]) {
      assertProblem(await call('POST', `/pims/api/events/${date}/ticket-counts`, writer, bad), [400, 409, 422]);
    }
    assert.equal(await rows('ticket_counts'), before, 'refused counts change nothing');
    const created = await call('POST', `/pims/api/events/${date}/ticket-counts`, writer, body(5, 125));
    assert.equal(created.statusCode, 201, created.body);
    const count = created.json();
    assert.equal(count.approved, false);
    assert.equal(count.date, '2026-11-20');
    const listed = async (query: string) => (await items(`/pims/api/events/${date}/ticket-counts${query}`, 'ticket_counts')).map((c) => c.id);
    assert.ok(!(await listed('')).includes(count.id), 'not approved: left out by default');
    assert.ok((await listed('?show_not_approved=true')).includes(count.id));
    const entered = (await items(`/pims/api/events/${date}/ticket-counts?show_not_approved=true`, 'ticket_counts')).find((c) => c.id === count.id)!;
    assert.equal(entered.sales, 5);
    assert.equal(entered.gross, 125);
    const changed = await call('PATCH', `/pims/api/events/${date}/ticket-counts/${count.id}`, writer, { comment: 'corrigé', event_channels: body(6, 150).event_channels });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().comment, 'corrigé');
    assertProblem(await call('PATCH', `/pims/api/events/${sale.dateIds[1]}/ticket-counts/${count.id}`, writer, { comment: 'x' }), 404, 'Entity not found.');
    assertProblem(await call('DELETE', `/pims/api/events/${date}/ticket-counts/${count.id}`, otherReader), 403);
    assert.equal((await call('DELETE', `/pims/api/events/${date}/ticket-counts/${count.id}`, writer)).statusCode, 204);
    assertProblem(await call('GET', `/pims/api/events/${date}/ticket-counts/${count.id}`, reader), 404, 'Entity not found.');
  });

  test('capacities: one entry per date with its sections', async () => {
    const date = sale.dateIds[0];
    const list = await items(`/pims/api/events/${date}/capacities`, 'capacities');
    assert.equal(list.length, 1);
    const c = list[0];
    assertFields('capacity', c, { id: 'number', date: 'string' });
    const sections = c._embedded!.event_categories as unknown as Json[];
    assert.equal(sections.length, 1);
    assertFields('capacity category', sections[0], { id: 'number', total_capacity: 'number', kills: 'number', comps: 'number', holds: 'number', sellable_capacity: 'number' });
    assert.equal(sections[0].total_capacity, 100);
    assert.equal(sections[0].sellable_capacity, 100);
    assert.equal((await ok(`/pims/api/events/${date}/capacities/${c.id}`)).id, c.id);
    assertProblem(await call('GET', `/pims/api/events/${date}/capacities/${sale.dateIds[1]}`, reader), 404, 'Entity not found.');
  });

  test('promotions: writes, status PATCH, filters, sorts, languages, validation', async () => {
    const promotion = (label: string, unitCost: number, quantity: number, extra: Record<string, unknown> = {}) => ({
      type_id: 'poster', label, start_date: '2027-01-10', end_date: '2027-02-28',
      cost: { type_id: 'PAY', state_id: 'PRE', quantity, unit_cost: unitCost },
      applied_to: [{ event_id: sale.dateIds[0], quantity, unit_cost: unitCost }], ...extra,
    });
    const before = { promotions: await rows('promotions'), targets: await rows('promotion_targets') };
    assertProblem(await call('POST', '/pims/api/promotions', reader, promotion('Lecture seule', 1, 1)), 403, 'Forbidden');
    for (const bad of [
      { ...promotion('Bad type', 1, 1), type_id: 'skywriting' },
      promotion('Foreign event', 1, 1, { applied_to: [{ event_id: other.dateIds[0], quantity: 1, unit_cost: 1 }] }),
      promotion('Both', 1, 1, { applied_to: [{ event_id: sale.dateIds[0], series_id: 2, quantity: 1, unit_cost: 1 }] }),
      promotion('Dates', 1, 1, { start_date: '2027-03-01', end_date: '2027-02-01' }),
      promotion('Cents', 1.234, 1),
      { ...promotion('No targets', 1, 1), applied_to: [] },
    ]) {
      assertProblem(await call('POST', '/pims/api/promotions', writer, bad), [400, 422]);
    }
    assert.deepEqual({ promotions: await rows('promotions'), targets: await rows('promotion_targets') }, before, 'refused promotions change nothing');

    const small = await call('POST', '/pims/api/promotions', writer, promotion('Affichage Été', 1.5, 100));
    assert.equal(small.statusCode, 201, small.body);
    const big = await call('POST', '/pims/api/promotions', writer, promotion('Radio Nantes', 250, 4, { type_id: 'radio_spot', start_date: '2027-02-01' }));
    assert.equal(big.statusCode, 201, big.body);
    const created = small.json();
    assertFields('promotion', created, { id: 'number', label: 'string', start_date: 'string|null', end_date: 'string|null', supplier: 'object|null', comments: 'string|null' });
    const type = created._embedded.type;
    assertFields('promotion.type', type, { id: 'string', label: 'string' });
    assertFields('promotion.type.family', type._embedded.family, { id: 'string', label: 'string' });
    const cost = created._embedded.cost;
    assertFields('promotion.cost', cost, { currency: 'string', quantity: 'number|null', unit_cost: 'number|null' });
    assert.equal(cost._embedded.type.id, 'PAY');
    assert.equal(cost._embedded.state.id, 'PRE');
    const applied = created._embedded.applied_to as Json[];
    assert.equal(applied.length, 1);
    assertFields('applied_to', applied[0], { quantity: 'number', unit_cost: 'number' });
    assert.equal(applied[0].unit_cost, 1.5);
    assert.equal(applied[0].series_id, sale.eventId * 2 + 1, 'an event with several dates is a Pims series');

    const patched = await call('PATCH', `/pims/api/promotions/${created.id}`, writer, { status_id: 'ENG' });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json()._embedded.cost._embedded.state.id, 'ENG');
    assertProblem(await call('PATCH', `/pims/api/promotions/${created.id}`, writer, { status_id: 'DONE' }), 422);
    assertProblem(await call('PATCH', `/pims/api/promotions/${created.id}`, writer, {}), 422);

    const fr = await ok(`/pims/api/promotions/${created.id}`, reader, { 'accept-language': 'fr' });
    assert.equal(fr._embedded!.type.label, "Campagne d'affichage");
    assert.equal(fr._embedded!.cost._embedded!.type.label, 'Payant');
    assert.equal(fr._embedded!.cost._embedded!.state.label, 'Engagé');
    const de = await ok(`/pims/api/promotions/${created.id}`, reader, { 'accept-language': 'de' });
    assert.equal(de._embedded!.type._embedded!.family.label, 'Außenwerbung');

    const labels = async (url: string) => (await items(url, 'promotions')).map((x) => x.label);
    assert.deepEqual(await labels('/pims/api/promotions?label=ete'), ['Affichage Été']);
    assert.deepEqual(await labels('/pims/api/promotions?label=AFFICHAGE%20ETE'), ['Affichage Été']);
    assert.deepEqual(await labels('/pims/api/promotions?type=radio_spot'), ['Radio Nantes']);
    assert.deepEqual(await labels('/pims/api/promotions?family=outdoor'), ['Affichage Été']);
    assert.deepEqual(await labels('/pims/api/promotions?sort=-total_cost'), ['Radio Nantes', 'Affichage Été']);
    assert.deepEqual(await labels('/pims/api/promotions?sort=total_cost'), ['Affichage Été', 'Radio Nantes']);
    assert.deepEqual(await labels('/pims/api/promotions?sort=-date'), ['Radio Nantes', 'Affichage Été']);
    assert.deepEqual(await labels(`/pims/api/events/${sale.dateIds[1]}/promotions`), ['Affichage Été', 'Radio Nantes']);
    assert.deepEqual(await labels(`/pims/api/series/${sale.eventId * 2 + 1}/promotions`), ['Affichage Été', 'Radio Nantes']);
    assertProblem(await call('GET', '/pims/api/promotions?type=skywriting', reader), 422);

    assertProblem(await call('GET', `/pims/api/promotions/${created.id}`, otherReader), 404, 'Entity not found.');
    assert.deepEqual((await items('/pims/api/promotions', 'promotions', otherReader)).length, 0);
    assertProblem(await call('PATCH', `/pims/api/promotions/${created.id}`, basic('other', 'other-password-1'), { status_id: 'PAY' }), 403);
    assert.equal((await call('DELETE', `/pims/api/promotions/${created.id}`, writer)).statusCode, 204);
    assertProblem(await call('GET', `/pims/api/promotions/${created.id}`, reader), 404, 'Entity not found.');
  });

  test('tenancy: another organization reads none of these figures', async () => {
    assertProblem(await call('GET', `/pims/api/events/${sale.dateIds[0]}/ticket-counts`, otherReader), 404, 'Entity not found.');
    assertProblem(await call('GET', `/pims/api/events/${sale.dateIds[0]}/capacities`, otherReader), 404, 'Entity not found.');
    assertProblem(await call('GET', `/pims/api/events/${sale.dateIds[0]}/promotions`, otherReader), 404, 'Entity not found.');
    assertProblem(await call('GET', `/pims/alpha/api/v1/events/${sale.dateIds[0]}/ticket-counts`, otherReader), 401, 'Unauthorized');
    const theirs = await items(`/pims/api/events/${other.dateIds[0]}/ticket-counts`, 'ticket_counts', otherReader);
    assert.equal(theirs.reduce((n, c) => n + (c.sales as number), 0), 0);
  });
});
