import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, seedDemo } from '../../src/demo/seed.ts';
import type { DemoSummary } from '../../src/demo/history.ts';
import { platform, type TestPlatform } from '../helpers.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers
type Json = any;

/**
 * From a fresh demo, a partner walks every GET operation of Pims and every Weezevent method, the way
 * a client does: no list the demo has data for comes back empty. Every Pims answer is also checked
 * against the official entity definitions by the test platform itself (helpers.ts).
 */
describe('the demo, walked through Pims and Weezevent', () => {
  let p: TestPlatform;
  let summary: DemoSummary;
  const pimsAuth = `Basic ${Buffer.from(`${DEMO.pimsUsername}:${DEMO.pimsPassword}`).toString('base64')}`;
  const visited = new Set<string>();

  /** A Pims GET; the path template (ids replaced) is recorded to prove every operation was walked. */
  async function pims(path: string): Promise<Json> {
    const response = await p.app.inject({ method: 'GET', url: `/pims/api/v1${path}`, headers: { authorization: pimsAuth } });
    assert.equal(response.statusCode, 200, `${path}: ${response.body.slice(0, 500)}`);
    visited.add(path.split('?')[0].replace(/\/\d+/g, '/{id}'));
    return response.json();
  }
  /** Every item of a Pims collection, following `next` links to the end. */
  async function pimsAll(path: string): Promise<Json[]> {
    const items: Json[] = [];
    let body = await pims(`${path}${path.includes('?') ? '&' : '?'}page_size=10`);
    for (;;) {
      items.push(...(Object.values(body._embedded)[0] as Json[]));
      if (!body._links.next) break;
      body = await pims(body._links.next.href.replace(/^https?:\/\/[^/]+\/pims\/api\/v1/, ''));
    }
    assert.equal(items.length, body.total_items, path);
    return items;
  }
  const self = (item: Json) => (item._links.self.href as string).replace(/^https?:\/\/[^/]+\/pims\/api\/v1/, '');

  before(async () => {
    p = await platform();
    const seeded = await seedDemo(p.app.core);
    assert.equal(seeded.created, true);
    summary = seeded.summary!;
  });
  after(() => p.close());

  test('the history is the one the banner reports: over a thousand tickets on three channels, refunds, comps, scans', () => {
    assert.ok(summary.ticketsSold >= 800, `${summary.ticketsSold} tickets`);
    assert.equal(summary.channels, 3);
    assert.ok(summary.orders >= 300);
    assert.ok(summary.refunded >= 1);
    assert.ok(summary.comps >= 10);
    assert.ok(summary.scans >= 100);
  });

  test('Pims: every GET operation answers, and no list is empty where the demo has data', async () => {
    for (const path of ['/categories', '/channels', '/price-ranges', '/venues', '/series', '/promotions']) {
      const items = await pimsAll(path);
      assert.ok(items.length > 0, `${path} is empty`);
      for (const item of items) await pims(self(item));
    }
    const events = await pimsAll('/events');
    assert.ok(events.length >= 11, `${events.length} events`);
    const labels = new Set(events.map((e) => e.label));
    for (const label of ['Alan Wilson', 'Le Malade imaginaire', 'Festival des Grands Prés']) assert.ok(labels.has(label), label);

    let soldOut = 0;
    let presale = 0;
    for (const e of events) {
      await pims(`/events/${e.id}`);
      const onSale = e.label !== 'Festival des Grands Prés';
      if (e.sold_out_date) soldOut++;
      if (e.presales_date) presale++;
      assert.ok(e.general_sales_date, `${e.label}: general_sales_date`);
      assert.equal(e.currency, 'EUR');
      assert.ok(e.max_capacity > 0);
      const categories = await pimsAll(`/events/${e.id}/categories`);
      assert.ok(categories.length > 0, `${e.id} categories`);
      await pims(`/events/${e.id}/categories/${categories[0].id}`);
      const channels = await pimsAll(`/events/${e.id}/channels`);
      assert.ok(channels.length > 0, `${e.id} channels`);
      await pims(`/events/${e.id}/channels/${channels[0].id}`);
      const capacities = await pimsAll(`/events/${e.id}/capacities`);
      assert.ok(capacities.length > 0, `${e.id} capacities`);
      await pims(`/events/${e.id}/capacities/${capacities[0].id}`);
      const promotions = await pimsAll(`/events/${e.id}/promotions`);
      assert.ok(promotions.length > 0, `${e.label} ${e.datetime}: promotions`);
      const counts = await pimsAll(`/events/${e.id}/ticket-counts?show_not_approved=true`);
      const detailed = await pimsAll(`/events/${e.id}/ticket-counts/detailed?show_not_approved=true`);
      if (onSale) {
        assert.ok(counts.length > 0, `${e.label} ${e.datetime}: ticket counts`);
        assert.ok(counts.some((c) => c.sales > 0), `${e.label} ${e.datetime}: some sales`);
        assert.ok(detailed.some((c) => c._embedded.event_channels.length > 0), `${e.label} ${e.datetime}: detailed figures`);
        await pims(`/events/${e.id}/ticket-counts/${counts[0].id}`);
        await pims(`/events/${e.id}/ticket-counts/detailed/${detailed[0].id}`);
      }
    }
    assert.equal(soldOut, 1, 'the première sold out');
    assert.equal(presale, 3, 'the tour has a fan-club pre-sale');
    // The reseller's counts: approved ones count, the pending one shows with show_not_approved.
    const tourDates = events.filter((e) => e.label === 'Alan Wilson').sort((a, b) => a.datetime.localeCompare(b.datetime));
    const entered = (await pimsAll(`/events/${tourDates[0].id}/ticket-counts?show_not_approved=true`)).filter((c) => c.comment?.includes('Fnac'));
    assert.deepEqual(entered.map((c) => c.approved).sort(), [false, true, true]);

    for (const s of await pimsAll('/series')) {
      assert.ok((await pimsAll(`/series/${s.id}/events`)).length > 0, `series ${s.label}: events`);
      assert.ok((await pimsAll(`/series/${s.id}/promotions`)).length > 0, `series ${s.label}: promotions`);
    }
    for (const v of await pimsAll('/venues')) assert.ok((await pimsAll(`/venues/${v.id}/events`)).length > 0, `venue ${v.label}: events`);

    const promotions = await pimsAll('/promotions');
    const families = new Set(promotions.map((x) => x._embedded.type._embedded.family.id));
    const costTypes = new Set(promotions.map((x) => x._embedded.cost._embedded.type.id));
    assert.ok(families.size >= 4, `families ${[...families]}`);
    assert.deepEqual([...costTypes].sort(), ['ECH', 'GRA', 'PAY']);
    // Applied to Guichet series and to events; every demo event has several dates, so Pims sees each as a series.
    // (an event of a Guichet series is read as its production: GET /series/{id} answers it, /series lists only series and lone productions).
    const targets = promotions.flatMap((x) => x._embedded.applied_to.map((t: Json) => t.series_id));
    assert.ok(targets.length >= 8, `targets ${targets}`);
    for (const id of new Set(targets)) await pims(`/series/${id}`);
    assert.ok(new Set(targets).size >= 4, 'two series and at least two events');

    // All 28 operations of the document were called.
    assert.equal(visited.size, 28, [...visited].sort().join('\n'));
  });

  test('Weezevent: every method answers, and no list is empty where the demo has data', async () => {
    const signIn = await p.app.inject({ method: 'POST', url: '/weezevent/auth/access_token', payload: { username: DEMO.email, password: DEMO.password, api_key: DEMO.weezeventApiKey } });
    assert.equal(signIn.statusCode, 200, signIn.body);
    const sign = `api_key=${DEMO.weezeventApiKey}&access_token=${encodeURIComponent(signIn.json().accessToken)}`;
    const wz = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, form?: Record<string, string>): Promise<Json> => {
      const response = await p.app.inject({
        method, url: `/weezevent${url}${url.includes('?') ? '&' : '?'}${sign}`,
        ...(form ? { payload: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
      });
      assert.equal(response.statusCode, 200, `${method} ${url}: ${response.body.slice(0, 500)}`);
      return response.json();
    };

    // A fresh start answers the default call with the events on sale (the ones with sales).
    const events = (await wz('GET', '/events')).events;
    assert.ok(events.length >= 2, 'events with sales');
    const all = (await wz('GET', '/events?include_without_sales=True')).events;
    assert.ok(all.length >= 3);
    const ids = all.map((e: Json) => e.id);
    const withSales = events.map((e: Json) => e.id);

    const dates = (await wz('GET', `/dates?id_event=${ids.join(',')}&display_passed=1`)).dates;
    assert.ok(dates.length >= 11, `${dates.length} dates`);
    const tickets = (await wz('GET', `/tickets?${ids.map((id: string) => `id_event[]=${id}`).join('&')}`)).events;
    assert.equal(tickets.length, ids.length);
    const tariffIds: string[] = tickets.flatMap((e: Json) => [...e.tickets, ...e.categories.flatMap((c: Json) => c.tickets)].map((t: Json) => t.id));
    assert.ok(tariffIds.length >= 8);
    let scanned = 0;
    for (const id of tariffIds) scanned += (await wz('GET', `/tickets/${id}/stats`)).stats.scanned;
    assert.ok(scanned > 100, `${scanned} scanned`);
    assert.ok('stats' in (await wz('GET', `/ticket/${tariffIds[0]}/stats`)));

    const participants = (await wz('GET', `/participant/list?${withSales.map((id: string) => `id_event[]=${id}`).join('&')}&full=True`)).participants;
    assert.ok(participants.length >= 800, `${participants.length} participants`);
    assert.ok(participants.some((x: Json) => x.control_status.status === '1'), 'some admitted at the door');
    assert.ok(participants.some((x: Json) => x.origin === 'invitation'), 'comps');
    assert.ok(participants.some((x: Json) => x.promo_code), 'discount codes');
    const deleted = (await wz('GET', `/participants?id_event=${withSales.join(',')}&return_removed=yes`)).participants;
    assert.ok(deleted.length > 0, 'refunded tickets');
    const answered = participants.filter((x: Json) => x.buyer?.answers?.length > 0);
    assert.ok(answered.length > 0, 'answers to questions');
    assert.ok((await wz('GET', `/participant/${answered[0].id_participant}/answers`)).answers.length > 0);

    assert.ok(Object.keys((await wz('GET', '/scan/settings')).settings).length > 0);
    assert.ok((await wz('POST', '/scan/user', { user: 'Tablette hall' })).id);
    const details = await wz('GET', `/event/${withSales[0]}/details`);
    assert.ok(details.events.title);
    const search = await wz('GET', '/event/search?max_result=50');
    assert.ok(search.events.length > 0, 'public search');
    const categories = (await p.app.inject({ method: 'GET', url: '/weezevent/event/categories' })).json();
    assert.ok(categories.event_categories.length > 0);

    // The participant writes, on the festival (not yet on sale: comps may still be added).
    const festival = all.find((e: Json) => !withSales.includes(e.id));
    const festivalTickets = tickets.find((e: Json) => e.id === festival.id);
    const festivalDates = dates.filter((d: Json) => d.id_event === festival.id);
    const added = await wz('POST', '/v3/participants', {
      data: JSON.stringify({ participants: [{ id_evenement: festival.id, id_billet: festivalTickets.tickets[0].id, id_date: festivalDates[0].id, email: 'nora.benali@example.org', nom: 'Benali', prenom: 'Nora' }] }),
    });
    assert.equal(added.total_added, 1);
    const id = added.participants[0].id_participant;
    assert.equal((await wz('PATCH', '/v3/participants', { data: JSON.stringify({ participants: [{ id_participant: id, prenom: 'Norah' }] }) })).total_updated, 1);
    assert.equal((await wz('DELETE', '/v3/participants', { data: JSON.stringify({ participants: [{ id_participant: id }] }) })).total_deleted, 1);
  });
});
