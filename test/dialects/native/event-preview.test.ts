import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client, platform, token, type TestPlatform } from '../../helpers.ts';
import { operatorPrincipal } from '../../../src/demo/seed.ts';

/**
 * GET /api/events/{id}/preview: the shop's event page for staff, before the event is listed. The
 * same body as the public read, for events in any state; only members with the catalog right of the
 * event's own organization (or its credentials with sell/admin scopes) may read it.
 */
describe('native API: the staff preview of an event’s shop page', () => {
  let p: TestPlatform;
  let draftId: number;
  let tariffId: number;
  const people: Record<'manager' | 'box_office' | 'door_staff' | 'customer', string> = {} as never;

  /** A person's token from the password grant of organization A's client (the organization they act for). */
  const personToken = async (email: string, password: string, scope = 'public buy sell admin') => {
    const r = await p.app.inject({ method: 'POST', url: '/api/auth/token', payload: { grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username: email, password, scope } });
    assert.equal(r.statusCode, 200, r.body);
    return r.json().access_token as string;
  };

  before(async () => {
    p = await platform();
    const op = operatorPrincipal(p.a.organizationId, p.a.adminAccountId);
    const venue = await p.app.core.places.createVenue(op, { name: 'Salle Rameau', kind: 'hall', addressLine1: '29 rue de la Martinière', zip: '69001', city: 'Lyon', countryCode: 'FR' });
    const event = await p.app.core.events.create(op, {
      title: 'Draft to preview', description: 'Not yet listed.', venueId: venue.id, holderNames: 'required',
      sections: [{ name: 'Parterre', capacity: 50 }],
      dates: [{ startsAt: '2027-06-01T20:00:00+02:00' }, { startsAt: '2027-06-02T20:00:00+02:00' }],
    });
    draftId = event.id;
    tariffId = (await p.app.core.events.addTariff(op, event.id, { sectionId: event.sections[0].id, label: 'Plein', price: 2800, maxPerOrder: 4 })).id;
    const org = client(p.app, await token(p.app, p.a));
    for (const role of ['manager', 'box_office', 'door_staff', 'customer'] as const) {
      const email = `${role}@alpha.test`;
      const created = await org.post('/api/users', { user: { username: role, email, password: `${role}-password`, ...(role === 'customer' ? {} : { role }) } });
      assert.equal(created.statusCode, 201, created.body);
      people[role] = await personToken(email, `${role}-password`, role === 'customer' ? 'public buy' : undefined);
    }
  });
  after(async () => p?.close());

  test('a draft is previewed by its organization with what the shop will show, while the public read does not find it', async () => {
    assert.equal((await p.app.inject({ method: 'GET', url: `/api/shop/events/${draftId}` })).statusCode, 404, 'not listed: not in the shop');
    const owner = client(p.app, await token(p.app, p.a));
    const r = await owner.get(`/api/events/${draftId}/preview`);
    assert.equal(r.statusCode, 200, r.body);
    const event = r.json().event;
    assert.equal(event.title, 'Draft to preview');
    assert.equal(event.holder_names, 'required');
    assert.equal(event.venue.city, 'Lyon');
    assert.equal(event.dates.length, 2);
    assert.deepEqual(event.dates[0].sections[0].tariffs.map((t: { id: number; label: string; price: number; max_per_order: number; availability: string }) => [t.id, t.label, t.price, t.max_per_order, t.availability]), [[tariffId, 'Plein', 2800, 4, 'available']]);
    assert.doesNotMatch(r.body, /capacity|taken/, 'no figures the shop would not show');
    // A manager (a person with the catalog right) reads it too, with the same answer.
    const managed = await client(p.app, people.manager).get(`/api/events/${draftId}/preview`);
    assert.equal(managed.statusCode, 200, managed.body);
    assert.deepEqual(managed.json(), r.json());
  });

  test('once listed, the preview answers exactly what the public read answers', async () => {
    const op = operatorPrincipal(p.a.organizationId, p.a.adminAccountId);
    const event = await p.app.core.events.create(op, { title: 'Listed one', sections: [{ name: 'Fosse', capacity: 10 }], dates: [{ startsAt: '2027-07-01T21:00:00+02:00' }] });
    await p.app.core.events.addTariff(op, event.id, { sectionId: event.sections[0].id, label: 'Debout', price: 1500 });
    await p.app.core.events.transition(op, event.id, 'under_review');
    await p.app.core.events.transition(op, event.id, 'listed');
    const shown = await p.app.inject({ method: 'GET', url: `/api/shop/events/${event.id}` });
    assert.equal(shown.statusCode, 200, shown.body);
    const previewed = await client(p.app, await token(p.app, p.a)).get(`/api/events/${event.id}/preview`);
    assert.equal(previewed.statusCode, 200, previewed.body);
    assert.deepEqual(previewed.json(), shown.json());
    // A cancelled event is still previewed (its dates say cancelled).
    await p.app.core.events.transition(op, event.id, 'cancelled');
    assert.equal((await client(p.app, await token(p.app, p.a)).get(`/api/events/${event.id}/preview`)).statusCode, 200);
  });

  test('another organization does not find it; buyers, box office and door staff are refused; no credential is 401', async () => {
    // Organization B's own credential, acting for B: A's event does not exist there.
    const other = await client(p.app, await token(p.app, p.b)).get(`/api/events/${draftId}/preview`);
    assert.equal(other.statusCode, 404, other.body);
    assert.equal(other.json().error.code, 'NOT_FOUND');
    // B's owner signing in through A's client acts for A, where they are no member: refused.
    const outsider = await p.app.inject({ method: 'POST', url: '/api/auth/token', payload: { grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username: p.b.adminEmail, password: p.b.adminPassword, scope: 'public buy' } });
    assert.equal(outsider.statusCode, 200, outsider.body);
    assert.equal((await client(p.app, outsider.json().access_token).get(`/api/events/${draftId}/preview`)).statusCode, 403);
    for (const who of ['customer', 'box_office', 'door_staff'] as const) {
      const r = await client(p.app, people[who]).get(`/api/events/${draftId}/preview`);
      assert.equal(r.statusCode, 403, `${who}: ${r.body}`);
      assert.equal(r.json().error.code, 'FORBIDDEN');
    }
    // A credential that is not a person needs a seller's scopes.
    const publicOnly = await client(p.app, await token(p.app, p.a, 'public')).get(`/api/events/${draftId}/preview`);
    assert.equal(publicOnly.statusCode, 403, publicOnly.body);
    assert.equal((await p.app.inject({ method: 'GET', url: `/api/events/${draftId}/preview` })).statusCode, 401);
  });

  test('bad input is a clear 4xx, an unknown event a 404', async () => {
    const owner = client(p.app, await token(p.app, p.a));
    for (const id of ['abc', '0', '-1', '99999999999']) {
      const r = await owner.get(`/api/events/${id}/preview`);
      assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${id}: ${r.statusCode} ${r.body}`);
      assert.ok(r.json().error.code, r.body);
    }
    assert.equal((await owner.get('/api/events/999999/preview')).statusCode, 404);
  });
});
