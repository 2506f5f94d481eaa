import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CARD, client, onSaleEvent, platform, token, type TestPlatform } from './helpers.ts';
import { operatorPrincipal } from '../src/demo/seed.ts';

describe('catalog', () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;
  let reviewer: ReturnType<typeof client>;
  let categoryId: number;
  let subcategoryId: number;
  before(async () => {
    p = await platform();
    admin = client(p.app, await token(p.app, p.a));
    // A platform administrator's client: the only one allowed to review events and edit platform-wide data.
    const staff = await p.app.core.accounts.create({ username: 'staff', email: 'staff@guichet.test', password: 'staff-password', platformRole: 'administrator' });
    const { client: c, secret } = await p.app.core.credentials.createClient(operatorPrincipal(p.a.organizationId, staff.id), { name: 'staff', scopes: 'public sell admin' });
    reviewer = client(p.app, await token(p.app, { clientId: c.clientId, clientSecret: secret }, 'public sell admin'));
    const category = (await reviewer.post('/api/categories', { category: { names: { en: 'Theatre', fr: 'Théâtre', de: 'Theater' } } })).json().category;
    categoryId = category.id;
    subcategoryId = (await reviewer.post('/api/categories', { category: { names: { en: 'Comedy', fr: 'Comédie', de: 'Komödie' }, parent_id: categoryId } })).json().category.id;
  });
  after(() => p.close());

  async function newEvent(title = 'Le Misanthrope') {
    const venue = (await admin.post('/api/venues', { venue: { name: 'Théâtre Graslin', kind: 'hall', city: 'Nantes', country_code: 'fr', capacity: 780 } })).json().venue;
    const response = await admin.post('/api/events', {
      event: {
        title, category_id: categoryId, subcategory_id: subcategoryId, venue_id: venue.id, tags: ['molière'],
        sections: [{ name: 'Parterre', capacity: 500 }, { name: 'Loges', capacity: 80, position: 1 }],
        dates: [{ starts_at: '2027-02-01T20:00:00+01:00', ends_at: '2027-02-01T22:00:00+01:00' }, { starts_at: '2027-02-02T20:00:00+01:00' }],
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    return { event: response.json().event, venue };
  }

  test('an event is created as a draft with sections, dates and a capacity per date and section', async () => {
    const { event, venue } = await newEvent();
    assert.equal(event.status, 'draft');
    assert.equal(event.time_zone, 'Europe/Paris', "the organization's time zone by default");
    assert.equal(event.venue_id, venue.id);
    assert.equal(event.dates[0].starts_at, '2027-02-01T19:00:00.000Z', 'stored in UTC');
    assert.deepEqual(event.dates[0].capacities, [{ section_id: event.sections[0].id, capacity: 500, seated: false }, { section_id: event.sections[1].id, capacity: 80, seated: false }]);
    // A section added later gets a capacity on every existing date; a date added later on every section.
    const balcony = (await admin.post(`/api/events/${event.id}/sections`, { section: { name: 'Balcon', capacity: 120 } })).json().section;
    const date = (await admin.post(`/api/events/${event.id}/dates`, { date: { starts_at: '2027-02-03T20:00:00+01:00' } })).json().date;
    assert.equal(date.capacities.length, 3);
    const read = (await admin.get(`/api/events/${event.id}`)).json().event;
    assert.ok(read.dates.every((d: { capacities: { section_id: number }[] }) => d.capacities.some((c) => c.section_id === balcony.id)));
    // Capacity overridden on one date only.
    const changed = await admin.put(`/api/events/${event.id}/dates/${date.id}/capacities/${balcony.id}`, { capacity: { capacity: 60 } });
    assert.equal(changed.statusCode, 200);
    assert.equal(changed.json().date.capacities.find((c: { section_id: number }) => c.section_id === balcony.id).capacity, 60);
    // Changing the section's capacity moves dates that had the default, not the overridden one.
    await admin.patch(`/api/events/${event.id}/sections/${balcony.id}`, { section: { capacity: 150 } });
    const after = (await admin.get(`/api/events/${event.id}`)).json().event;
    const balconyOn = (dateId: number) => after.dates.find((d: { id: number }) => d.id === dateId).capacities.find((c: { section_id: number }) => c.section_id === balcony.id).capacity;
    assert.equal(balconyOn(date.id), 60);
    assert.equal(balconyOn(event.dates[0].id), 150);
  });

  test('tariffs: section of the event, currency, quota, channels of the organization', async () => {
    const { event } = await newEvent();
    const boxOffice = (await admin.post('/api/interfaces', { interface: { name: 'Guichet', kind: 'box_office' } })).json().interface;
    const created = await admin.post(`/api/events/${event.id}/tariffs`, {
      tariff: { section_id: event.sections[0].id, label: 'Plein tarif', price: 3500, max_per_order: 6, quota: 100, interface_ids: [boxOffice.id], sale_starts_at: '2026-12-01T10:00:00+01:00' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const tariff = created.json().tariff;
    assert.equal(tariff.currency, 'EUR');
    assert.deepEqual(tariff.interface_ids, [boxOffice.id]);
    assert.equal(tariff.sale_starts_at, '2026-12-01T09:00:00.000Z');
    const other = await newEvent('Autre');
    const cases: [Record<string, unknown>, string][] = [
      [{ section_id: other.event.sections[0].id, label: 'x', price: 1 }, 'section_id'],
      [{ section_id: event.sections[0].id, label: 'x', price: 1, currency: 'XYZ' }, 'currency'],
      [{ section_id: event.sections[0].id, label: 'x', price: 1, interface_ids: [987654] }, 'interface_ids'],
      [{ section_id: event.sections[0].id, label: 'x', price: 1, sale_starts_at: '2027-01-02T00:00:00Z', sale_ends_at: '2027-01-01T00:00:00Z' }, 'sale_starts_at'],
      [{ section_id: event.sections[0].id, label: 'x', price: 1, sale_starts_at: 'tomorrow' }, 'sale_starts_at'],
    ];
    for (const [body, field] of cases) {
      const r = await admin.post(`/api/events/${event.id}/tariffs`, { tariff: body });
      assert.equal(r.statusCode, 422, `${field}: ${r.body}`);
      assert.equal(r.json().error.details[0].field, field);
    }
    const negative = await admin.post(`/api/events/${event.id}/tariffs`, { tariff: { section_id: event.sections[0].id, label: 'x', price: -5 } });
    assert.equal(negative.statusCode, 422);
    const tariffs = (await admin.get(`/api/events/${event.id}/tariffs`)).json().tariffs;
    assert.equal(tariffs.length, 1, 'refused tariffs wrote nothing');
  });

  test('event life cycle: submit, review by a platform administrator, list, cancel', async () => {
    const { event } = await newEvent();
    const jump = await admin.patch(`/api/events/${event.id}`, { event: { status: 'listed' } });
    assert.equal(jump.statusCode, 409);
    assert.equal(jump.json().error.code, 'INVALID_TRANSITION');
    assert.equal((await admin.patch(`/api/events/${event.id}`, { event: { status: 'under_review' } })).json().event.status, 'under_review');
    const selfApproval = await admin.patch(`/api/events/${event.id}`, { event: { status: 'listed' } });
    assert.equal(selfApproval.statusCode, 403, 'an organizer cannot approve its own event');
    assert.equal((await reviewer.patch(`/api/events/${event.id}`, { event: { status: 'scheduled' } })).json().event.status, 'scheduled');
    assert.equal((await admin.patch(`/api/events/${event.id}`, { event: { status: 'listed' } })).json().event.status, 'listed');
    const deleting = await admin.delete(`/api/events/${event.id}`);
    assert.equal(deleting.statusCode, 409, 'only drafts are deleted');
    assert.equal((await admin.patch(`/api/events/${event.id}`, { event: { status: 'cancelled' } })).json().event.status, 'cancelled');
    const frozen = await admin.patch(`/api/events/${event.id}`, { event: { title: 'Renamed' } });
    assert.equal(frozen.statusCode, 409);
    const draft = await newEvent('Draft to delete');
    assert.equal((await admin.delete(`/api/events/${draft.event.id}`)).statusCode, 204);
    assert.equal((await admin.get(`/api/events/${draft.event.id}`)).statusCode, 404);
  });

  test('the public scope reads listed public events only', async () => {
    const { event: listed } = await newEvent('Listed');
    await admin.patch(`/api/events/${listed.id}`, { event: { status: 'under_review' } });
    await reviewer.patch(`/api/events/${listed.id}`, { event: { status: 'listed' } });
    const { event: draft } = await newEvent('Still a draft');
    const publicReader = client(p.app, await token(p.app, p.a, 'public'));
    const seen = (await publicReader.get('/api/events?per_page=100')).json().events.map((e: { id: number }) => e.id);
    assert.ok(seen.includes(listed.id));
    assert.ok(!seen.includes(draft.id));
    assert.equal((await publicReader.get(`/api/events/${draft.id}`)).statusCode, 404);
    assert.equal((await publicReader.get(`/api/events/${listed.id}`)).statusCode, 200);
    await admin.patch(`/api/events/${listed.id}`, { event: { public: false } });
    assert.equal((await publicReader.get(`/api/events/${listed.id}`)).statusCode, 404, 'a private event is not shown to the public');
    const filtered = (await admin.get('/api/events?status=draft&per_page=100')).json().events;
    assert.ok(filtered.every((e: { status: string }) => e.status === 'draft'));
  });

  test('event references are checked: category tree, venue and series of the organization, time zone', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ title: 'x', category_id: subcategoryId }, 'category_id'],
      [{ title: 'x', category_id: categoryId, subcategory_id: categoryId }, 'subcategory_id'],
      [{ title: 'x', venue_id: 999999 }, 'venue_id'],
      [{ title: 'x', series_id: 999999 }, 'series_id'],
      [{ title: 'x', time_zone: 'Mars/Olympus' }, 'time_zone'],
      [{ title: 'x', image_urls: ['javascript:alert(1)'] }, 'image_urls'],
      [{ title: 'x', dates: [{ starts_at: '2027-01-01T20:00:00Z', ends_at: '2027-01-01T19:00:00Z' }] }, 'starts_at'],
    ];
    const before = (await admin.get('/api/events')).headers['x-total'];
    for (const [body, field] of cases) {
      const r = await admin.post('/api/events', { event: body });
      assert.equal(r.statusCode, 422, `${field}: ${r.body}`);
      assert.equal(r.json().error.details[0].field, field);
    }
    assert.equal((await admin.get('/api/events')).headers['x-total'], before, 'nothing written');
  });

  test('venues in use cannot be deleted; series with events neither', async () => {
    const { venue } = await newEvent();
    const refused = await admin.delete(`/api/venues/${venue.id}`);
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'IN_USE');
    const series = (await admin.post('/api/series', { series: { kind: 'long_run', label: 'Run' } })).json().series;
    await admin.post('/api/events', { event: { title: 'In the run', series_id: series.id } });
    assert.equal((await admin.delete(`/api/series/${series.id}`)).statusCode, 409);
    const badDates = await admin.post('/api/series', { series: { kind: 'tour', label: 'x', first_date: '2027-03-01', last_date: '2027-02-01' } });
    assert.equal(badDates.statusCode, 422);
    const unused = (await admin.post('/api/venues', { venue: { name: 'Unused', kind: 'festival', city: 'Clisson', country_code: 'FR' } })).json().venue;
    assert.equal((await admin.delete(`/api/venues/${unused.id}`)).statusCode, 204);
  });

  test('a date, section or tariff that has sold is refused as IN_USE and stays; unsold ones can go', async () => {
    const show = await onSaleEvent(p.app, p.a, {
      sections: [{ name: 'Fosse', capacity: 10 }, { name: 'Balcon', capacity: 5 }],
      tariffs: [{ section: 0, label: 'Normal', price: 2000 }, { section: 1, label: 'Balcon', price: 3000 }],
      dates: ['2027-03-01T20:00:00+01:00', '2027-03-02T20:00:00+01:00'],
    });
    const cart = await admin.post('/api/carts', { cart: { items: [{ tariff_id: show.tariffIds[0], date_id: show.dateIds[0], quantity: 1 }] } });
    assert.equal(cart.statusCode, 201, cart.body);
    const paid = await admin.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_email: 'kept@buyers.test', payment: { provider: 'test', card: CARD } } });
    assert.equal(paid.json().order.status, 'paid', paid.body);
    for (const path of [`dates/${show.dateIds[0]}`, `sections/${show.sectionIds[0]}`, `tariffs/${show.tariffIds[0]}`]) {
      const refused = await admin.delete(`/api/events/${show.eventId}/${path}`);
      assert.equal(refused.statusCode, 409, `${path}: ${refused.body}`);
      assert.equal(refused.json().error.code, 'IN_USE');
    }
    const event = (await admin.get(`/api/events/${show.eventId}`)).json().event;
    assert.deepEqual([event.dates.length, event.sections.length, event.tariffs.length], [2, 2, 2], 'nothing was removed');
    // What never sold goes: the second tariff, then its section, and the second date.
    assert.equal((await admin.delete(`/api/events/${show.eventId}/tariffs/${show.tariffIds[1]}`)).statusCode, 204);
    assert.equal((await admin.delete(`/api/events/${show.eventId}/sections/${show.sectionIds[1]}`)).statusCode, 204);
    assert.equal((await admin.delete(`/api/events/${show.eventId}/dates/${show.dateIds[1]}`)).statusCode, 204);
  });

  test('categories: names in en/fr/de chosen by Accept-Language; platform administrators only may write', async () => {
    const fr = (await admin.get(`/api/categories/${categoryId}`, { 'accept-language': 'fr-FR,fr;q=0.9' })).json().category;
    assert.equal(fr.name, 'Théâtre');
    assert.equal(fr.subcategories[0].name, 'Comédie');
    const de = (await admin.get('/api/categories', { 'accept-language': 'de' })).json().categories;
    assert.equal(de.find((c: { id: number }) => c.id === categoryId).name, 'Theater');
    assert.equal((await admin.get(`/api/categories/${categoryId}`)).json().category.name, 'Theatre');
    const refused = await admin.post('/api/categories', { category: { names: { en: 'Circus', fr: 'Cirque', de: 'Zirkus' } } });
    assert.equal(refused.statusCode, 403);
    const nested = await reviewer.post('/api/categories', { category: { names: { en: 'a', fr: 'a', de: 'a' }, parent_id: subcategoryId } });
    assert.equal(nested.statusCode, 422, 'two levels only');
  });

  test('regions: platform-wide, unique names, administrators only', async () => {
    const created = await reviewer.post('/api/regions', { region: { name: 'Bretagne', country_code: 'FR', city: 'Rennes' } });
    assert.equal(created.statusCode, 201);
    assert.equal((await reviewer.post('/api/regions', { region: { name: 'Bretagne', country_code: 'FR' } })).statusCode, 409);
    assert.equal((await admin.post('/api/regions', { region: { name: 'Alsace', country_code: 'FR' } })).statusCode, 403);
    assert.equal((await reviewer.post('/api/regions', { region: { name: 'Nowhere', country_code: 'QQ' } })).statusCode, 422);
    const other = client(p.app, await token(p.app, p.b, 'public'));
    const seen = (await other.get('/api/regions')).json().regions.map((r: { name: string }) => r.name);
    assert.ok(seen.includes('Bretagne'), 'regions are shared by every organization');
    const region = created.json().region;
    await admin.post('/api/venues', { venue: { name: 'Le Liberté', kind: 'hall', city: 'Rennes', country_code: 'FR', region_id: region.id } });
    assert.equal((await reviewer.delete(`/api/regions/${region.id}`)).statusCode, 409, 'a region used by a venue stays');
  });

  test('reference data: countries with ISO numeric ids, their states, currencies', async () => {
    const france = (await admin.get('/api/countries/250')).json().country;
    assert.deepEqual(france, { id: 250, code: 'FR', alpha3: 'FRA', name: 'France' });
    const byCode = (await admin.get('/api/countries?code=de')).json().countries;
    assert.equal(byCode[0].name, 'Germany');
    const all = await admin.get('/api/countries?per_page=100');
    assert.ok(Number(all.headers['x-total']) >= 249);
    const states = await admin.get('/api/countries/250/states?per_page=100');
    assert.ok(Number(states.headers['x-total']) > 100);
    assert.ok(states.json().states.every((s: { code: string; country_id: number }) => s.code.startsWith('FR-') && s.country_id === 250));
    assert.equal((await admin.get('/api/countries/999/states')).statusCode, 404);
    const currencies = await admin.get('/api/currencies?per_page=100');
    const eur = currencies.json().currencies.find((c: { code: string }) => c.code === 'EUR');
    assert.deepEqual(eur, { code: 'EUR', numeric_code: 978, name: 'Euro', minor_units: 2 });
  });
});
