import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { client, platform, type TestPlatform } from './helpers.ts';
import { DEMO, seedDemo } from '../src/demo/seed.ts';

describe('demo organization and the "done means" flow', () => {
  let p: TestPlatform;
  before(async () => {
    p = await platform();
    assert.equal((await seedDemo(p.app.core)).created, true);
  });
  after(() => p.close());

  test('seeding twice is harmless', async () => {
    assert.deepEqual(await seedDemo(p.app.core), { created: false });
  });

  test('the documented curl: client credentials with the demo client, then GET /api/events', async () => {
    const response = await p.app.inject({
      method: 'POST',
      url: '/api/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=${DEMO.clientId}&client_secret=${DEMO.clientSecret}&scope=public sell admin`,
    });
    assert.equal(response.statusCode, 200, response.body);
    const events = await client(p.app, response.json().access_token).get('/api/events');
    assert.equal(events.statusCode, 200);
    const body = events.json();
    assert.ok(Array.isArray(body.events));
    assert.equal(events.headers['x-total'], '4');
    const tour = body.events.find((e: { title: string }) => e.title === 'Alan Wilson');
    assert.equal(tour.dates.length, 3);
    assert.ok(tour.tariffs.length >= 3);
    assert.ok(tour.series_id);
  });

  test('the demo account signs in with the password grant; the public sees listed events only', async () => {
    for (const [username, password] of [[DEMO.email, DEMO.password], [DEMO.buyerEmail, DEMO.buyerPassword]]) {
      const response = await p.app.inject({
        method: 'POST',
        url: '/api/auth/token',
        payload: { grant_type: 'password', client_id: DEMO.clientId, client_secret: DEMO.clientSecret, username, password },
      });
      assert.equal(response.statusCode, 200, username);
      const api = client(p.app, response.json().access_token);
      const listed = (await api.get('/api/events')).json().events;
      assert.deepEqual(listed.map((e: { status: string }) => e.status), ['listed', 'listed']);
    }
  });
});
