import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { operatorPrincipal } from '../../../src/demo/seed.ts';
import { checkPimsResponse, foldHal, pimsPath, validateEntity } from './entities.ts';
import { platform, type TestPlatform } from '../../helpers.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers
type Json = any;

const venue = {
  id: 27, type: { id: 'SAL', label: 'Venue' }, label: 'Zénith de Nantes Métropole', first_address: null, second_address: null, zip_code: '44800',
  city: 'Saint-Herblain', major_city: null, country_code: 'FR', creation_timestamp: 1496903403, last_update_timestamp: 1516500001, alternative_labels: [],
};
const event = {
  id: 2142, series_id: 263, label: 'Alan Wilson', datetime: '2018-01-11T20:00:00', venue, input_type: { id: 'DET', label: 'Detailed' },
  contract: { type: { id: 'PRO', label: 'Production' }, partner: null }, free: false, creation_timestamp: 1496903403, last_update_timestamp: 1516500001,
};

describe('the Pims entity schemas catch what a generated client would reject', () => {
  test('a document-conform event passes; each kind of fault is caught', () => {
    assert.equal(validateEntity('EventsEntity', event), null);
    assert.equal(validateEntity('EventsEntity', { ...event, general_sales_date: '2017-10-01', max_capacity: 8500, currency: 'EUR' }), null);
    const faults: [string, unknown][] = [
      ['ISO timestamp', { ...event, creation_timestamp: '2017-06-08T06:30:03+00:00' }],
      ['optional key sent as null', { ...event, cancellation_date: null }],
      ['date-time where a day is due', { ...event, general_sales_date: '2017-10-01T10:00:00' }],
      ['required key missing', { ...event, series_id: undefined }],
      ['venue null', { ...event, venue: null }],
      ['key the document does not list', { ...event, total_cost: 3 }],
      ['code outside its enum', { ...event, input_type: { id: 'XXX', label: 'x' } }],
    ];
    for (const [what, value] of faults) assert.notEqual(validateEntity('EventsEntity', JSON.parse(JSON.stringify(value))), null, what);
    assert.notEqual(validateEntity('CategoriesEntity', { id: 1, label: 'Fosse', ignored: false, last_update_timestamp: 1516500001 }), null, 'short_label missing');
    assert.equal(validateEntity('CategoriesEntity', { id: 1, label: 'Fosse', short_label: null, ignored: false, last_update_timestamp: 1516500001 }), null);
  });

  test('HAL is folded back before checking; paths of every mount are recognised', () => {
    const wire = { id: 1, _links: { self: { href: 'x' } }, _embedded: { venue: { ...venue, _embedded: { type: venue.type }, type: undefined, _links: { self: { href: 'y' } } } } };
    assert.deepEqual(foldHal(JSON.parse(JSON.stringify(wire))), { id: 1, venue: { ...venue } });
    for (const url of ['/pims/api/events/3', '/pims/api/v1/events/3', '/pims/demo/api/events/3?x=1', '/pims/demo/api/v1/events/3/']) assert.equal(pimsPath(url), '/events/3', url);
    assert.equal(pimsPath('/api/events'), null);
    assert.match(checkPimsResponse('GET', '/pims/api/events/3', 200, 'application/hal+json', JSON.stringify({ ...event, _links: { self: { href: 'z' } }, cancellation_date: null }))!, /cancellation_date/);
    assert.match(checkPimsResponse('GET', '/pims/api/events/3', 404, 'application/json', '{}')!, /problem\+json/);
  });
});

describe('Pims events carry what Guichet knows, and leave out what it does not', () => {
  let p: TestPlatform;
  const auth = `Basic ${Buffer.from('partner:partner-password-1').toString('base64')}`;
  const get = async (url: string): Promise<Json> => {
    const response = await p.app.inject({ method: 'GET', url, headers: { authorization: auth } });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };
  before(async () => {
    p = await platform();
    const op = operatorPrincipal(p.a.organizationId, p.a.adminAccountId);
    await p.app.core.partnerUsers.create(op, { username: 'partner', password: 'partner-password-1', access: 'read' });
  });
  after(() => p.close());

  test('general sales, pre-sale and sold-out dates, capacity, currency; cancellation only when cancelled; a date without venue is no Pims event', async () => {
    const op = operatorPrincipal(p.a.organizationId, p.a.adminAccountId);
    const venue = await p.app.core.places.createVenue(op, { name: 'Stereolux', kind: 'hall', city: 'Nantes', countryCode: 'FR' });
    const event = await p.app.core.events.create(op, {
      title: 'Showcase', venueId: venue.id, saleStartsAt: '2026-11-20T10:00:00+01:00',
      sections: [{ name: 'Fosse', capacity: 3 }],
      dates: [{ startsAt: '2027-01-15T20:00:00+01:00' }, { startsAt: '2027-01-16T20:00:00+01:00' }],
    });
    await p.app.core.events.addTariff(op, event.id, { sectionId: event.sections[0].id, label: 'Plein', price: 2000 });
    await p.app.core.events.addTariff(op, event.id, { sectionId: event.sections[0].id, label: 'Prévente', price: 1500, saleStartsAt: '2026-11-18T10:00:00+01:00' });
    await p.app.core.events.transition(op, event.id, 'under_review');
    await p.app.core.events.transition(op, event.id, 'listed');
    await p.app.core.guests.create(op, { eventId: event.id, dateId: event.dates[0].id, sectionId: event.sections[0].id, name: 'Presse', quantity: 3 });
    const noVenue = await p.app.core.events.create(op, { title: 'Nowhere', sections: [{ name: 'A', capacity: 5 }], dates: [{ startsAt: '2027-02-01T20:00:00+01:00' }] });

    const [full, open] = (await get('/pims/api/events?sort=datetime'))._embedded.events;
    assert.equal(full.general_sales_date, '2026-11-20');
    assert.equal(full.presales_date, '2026-11-18');
    assert.equal(full.sold_out_date, '2026-11-23', 'sold out with its last ticket, today on the test clock');
    assert.equal(full.max_capacity, 3);
    assert.equal(full.currency, 'EUR');
    assert.ok(!('cancellation_date' in full));
    assert.ok(!('sold_out_date' in open));
    assert.equal((await get('/pims/api/events')).total_items, 2, 'the date without a venue is left out');
    const missing = await p.app.inject({ method: 'GET', url: `/pims/api/events/${noVenue.dates[0].id}`, headers: { authorization: auth } });
    assert.equal(missing.statusCode, 404);

    await p.app.core.events.transition(op, event.id, 'cancelled');
    const cancelled = await get(`/pims/api/events/${open.id}`);
    assert.equal(cancelled.cancellation_date, '2026-11-23');
  });
});
