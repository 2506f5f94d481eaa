import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { operatorPrincipal } from '../../../src/demo/seed.ts';
import { phpFlag, phpList } from '../../../src/dialects/weezevent/params.ts';
import { onSaleEvent, platform, type OnSaleEvent, type TestPlatform } from '../../helpers.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers
type Json = any;

describe('Weezevent parameters are read the way PHP reads them', () => {
  let p: TestPlatform;
  let sign: string;
  let first: OnSaleEvent;
  let second: OnSaleEvent;
  let third: OnSaleEvent;

  const call = (url: string) => p.app.inject({ method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}${sign}` });
  const get = async (url: string): Promise<Json> => {
    const response = await call(url);
    assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
    return response.json();
  };

  before(async () => {
    p = await platform();
    const op = operatorPrincipal(p.a.organizationId, p.a.adminAccountId);
    const { key } = await p.app.core.partnerAccess.createKey(op, { name: 'Spellings' });
    const signIn = await p.app.inject({ method: 'POST', url: '/weezevent/auth/access_token', payload: { username: p.a.adminEmail, password: p.a.adminPassword, api_key: key } });
    assert.equal(signIn.statusCode, 200, signIn.body);
    sign = `api_key=${encodeURIComponent(key)}&access_token=${encodeURIComponent(signIn.json().accessToken)}`;
    const shape = { sections: [{ name: 'Fosse', capacity: 50 }], tariffs: [{ section: 0, label: 'Plein', price: 1000 }, { section: 0, label: 'Réduit', price: 500 }] };
    first = await onSaleEvent(p.app, p.a, shape);
    second = await onSaleEvent(p.app, p.a, shape);
    third = await onSaleEvent(p.app, p.a, shape);
    // Comps on each event (participants), and a withdrawn one on the first (include_deleted).
    for (const e of [first, second, third]) {
      await p.app.core.guests.create(op, { eventId: e.eventId, dateId: e.dateIds[0], sectionId: e.sectionIds[0], tariffId: e.tariffIds[0], name: 'Ada Lovelace', email: 'ada@example.org', quantity: 2 });
    }
    const withdrawn = await p.app.core.guests.create(op, { eventId: first.eventId, dateId: first.dateIds[0], sectionId: first.sectionIds[0], tariffId: first.tariffIds[1], name: 'Alan Turing', quantity: 1 });
    await p.app.core.guests.cancel(op, withdrawn.id);
  });
  after(() => p.close());

  test('the parser itself: every spelling of PHP’s FILTER_VALIDATE_BOOLEAN, the last of repeated values, lists in three spellings', () => {
    for (const yes of ['1', 'true', 'True', 'TRUE', 'on', 'On', 'yes', 'YES', ' true ']) assert.equal(phpFlag('full', yes), true, yes);
    for (const no of ['0', 'false', 'False', 'FALSE', 'off', 'OFF', 'no', 'No', '']) assert.equal(phpFlag('full', no), false, no);
    assert.equal(phpFlag('full', ['1', 'False']), false, 'the last one wins');
    for (const bad of ['2', 'maybe', 'truthy', 'null', undefined, {}]) assert.throws(() => phpFlag('full', bad), /full/);
    assert.deepEqual(phpList(['1', '2']), ['1', '2']);
    assert.deepEqual(phpList('1,2, 3'), ['1', '2', '3']);
    assert.deepEqual(phpList(['1,2', '3', '']), ['1', '2', '3']);
  });

  test('flags in every spelling, on /events (include_without_sales) and /participant/list (include_deleted, full, return_count)', async () => {
    const all = (await get('/weezevent/events?include_without_sales=1')).events.length;
    assert.ok(all >= 3);
    for (const spelling of ['1', 'true', 'True', 'TRUE', 'on', 'yes', 'Yes']) {
      assert.equal((await get(`/weezevent/events?include_without_sales=${spelling}`)).events.length, all, spelling);
    }
    // Python's requests sends its booleans as True/False: the call that was refused with 400.
    assert.equal((await get('/weezevent/events?include_not_published=True&include_closed=False')).events.length, all);

    const list = (flags: string) => get(`/weezevent/participant/list?id_event[]=${first.eventId}&${flags}`);
    const valid = (await list('include_deleted=0')).participants.length;
    assert.equal(valid, 2);
    for (const spelling of ['1', 'true', 'True', 'on', 'yes', 'YES']) assert.equal((await list(`include_deleted=${spelling}`)).participants.length, 3, spelling);
    for (const spelling of ['0', 'false', 'False', 'off', 'no', 'NO', '']) assert.equal((await list(`include_deleted=${spelling}`)).participants.length, 2, `"${spelling}"`);

    for (const spelling of ['1', 'True', 'on', 'yes']) {
      const body = await list(`full=${spelling}&return_count=${spelling}`);
      assert.ok('buyer' in body.participants[0], `full=${spelling} adds the buyer`);
      assert.deepEqual(body.count, { active: 2, deleted: 1 }, `return_count=${spelling}`);
    }
    for (const spelling of ['0', 'False', 'off', 'no', '']) {
      const body = await list(`full=${spelling}&return_count=${spelling}`);
      assert.ok(!('buyer' in body.participants[0]), `full=${spelling}`);
      assert.ok(!('count' in body), `return_count=${spelling}`);
    }
    // /dates reads display_passed through the same parser.
    assert.equal((await get(`/weezevent/dates?id_event=${first.eventId}&display_passed=True`)).dates.length, 1);
  });

  test('an unknown value for a known flag is a 400 naming the parameter, in Weezevent’s error format', async () => {
    for (const [url, name] of [
      ['/weezevent/events?include_closed=maybe', 'include_closed'],
      [`/weezevent/participant/list?id_event=${first.eventId}&full=2`, 'full'],
      [`/weezevent/participant/list?id_event=${first.eventId}&minimized=null`, 'minimized'],
      [`/weezevent/dates?id_event=${first.eventId}&display_passed=oui`, 'display_passed'],
    ]) {
      const response = await call(url);
      assert.equal(response.statusCode, 400, url);
      assert.match(response.json().error.message, new RegExp(name), url);
    }
  });

  test('arrays as id_event[]=1&id_event[]=2, as a repeated id_event=1&id_event=2, and as a comma list', async () => {
    const events = (body: Json) => body.events.map((e: Json) => Number(e.id)).sort((a: number, b: number) => a - b);
    const ids = [first.eventId, second.eventId].sort((a, b) => a - b);
    const spellings = [
      `id_event[]=${first.eventId}&id_event[]=${second.eventId}`,
      `id_event=${first.eventId}&id_event=${second.eventId}`,
      `id_event=${first.eventId},${second.eventId}`,
      `id_event[]=${first.eventId},${second.eventId}`,
    ];
    for (const spelling of spellings) {
      assert.deepEqual(events(await get(`/weezevent/tickets?${spelling}`)), ids, `/tickets ${spelling}`);
      assert.deepEqual([...new Set((await get(`/weezevent/dates?${spelling}`)).dates.map((d: Json) => Number(d.id_event)))].sort((a, b) => (a as number) - (b as number)), ids, `/dates ${spelling}`);
      const participants = (await get(`/weezevent/participant/list?${spelling}`)).participants;
      assert.equal(participants.length, 4, `/participant/list ${spelling}`);
      assert.deepEqual([...new Set(participants.map((x: Json) => Number(x.id_event)))].sort((a, b) => (a as number) - (b as number)), ids);
    }
    // id_ticket and date_ticket read lists the same way.
    const byTicket = (await get(`/weezevent/participant/list?id_ticket=${first.tariffIds[0]},${second.tariffIds[0]}`)).participants;
    assert.equal(byTicket.length, 4);
    const byDate = (await get(`/weezevent/participant/list?date_ticket[${third.dateIds[0]}]=${third.tariffIds[0]},${third.tariffIds[1]}`)).participants;
    assert.equal(byDate.length, 2);
  });
});
