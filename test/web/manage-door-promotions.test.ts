import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { checkAccessibility, journey, launchBrowser, newPage, PHONE, skipBrowser, startServer, type WebServer, signInToBackOffice } from './harness.ts';
import { operatorPrincipal } from '../../src/demo/seed.ts';
import { theatreMap } from '../core/seating/fixtures.ts';

const SHOTS = process.env.MANAGE_SCREENSHOTS;

/**
 * The back office's promotions, seat-by-seat holds, scan settings and live door figures in real
 * Chromium: a promotion created then edited; two seats of a seated date held on the map (one
 * clicked, one typed by label) and shown not for sale in the shop; a scan setting and the event's
 * re-entry changed; a ticket scanned through the native door API moving the live figures; roles
 * without the rights see none of these pages and the server refuses their calls by hand. axe on
 * every page; the holds page at phone width; the door set-up page in French.
 */
describe('web: promotions, seat holds, scan settings, live door figures', { skip: skipBrowser }, () => {
  let server: WebServer;
  let browser: Browser;
  let organizationId: number;
  let eventId: number;
  let seatedDate: number;
  let standingDate: number;
  let stallsId: number;
  const seatIds = new Map<string, number>();
  let barcodes: string[] = [];
  const password = 'door-promo-password';
  const title = 'Cyrano de Bergerac';

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const core = server.app.core;
    const owner = await core.accounts.create({ username: 'owner', email: 'owner@odeon.test', password, firstName: 'Olive', lastName: 'Owner' });
    const org = await core.organizations.create({ slug: 'odeon', name: 'Théâtre de l’Odéon', currency: 'EUR', timeZone: 'Europe/Paris', locale: 'fr-FR' }, { accountId: owner.id });
    organizationId = org.id;
    const op = operatorPrincipal(org.id, owner.id);
    const venue = await core.places.createVenue(op, { name: 'Grande salle', kind: 'hall', addressLine1: '2 rue Corneille', zip: '75006', city: 'Paris', countryCode: 'FR' });
    // The section is named like the map's category ("Stalls"), so laying the map out needs no mapping.
    const event = await core.events.create(op, {
      title, venueId: venue.id, timeZone: 'Europe/Paris',
      sections: [{ name: 'Stalls', capacity: 100 }],
      dates: [{ startsAt: '2027-06-01T20:00:00+02:00' }, { startsAt: '2027-06-02T20:00:00+02:00' }],
    });
    eventId = event.id;
    stallsId = event.sections[0].id;
    [seatedDate, standingDate] = event.dates.map((d) => d.id);
    await core.events.addTariff(op, event.id, { sectionId: stallsId, label: 'Plein', price: 2500, maxPerOrder: 6 });
    const map = await core.maps.create(op, { name: 'Odéon', document: theatreMap({ rows: 3, seatsPerRow: 6 }) });
    await core.seats.assignMap(op, event.id, seatedDate, { mapId: map.id });
    for (const seat of (await core.seats.seats(op, event.id, seatedDate)).seats) seatIds.set(`${seat.row}-${seat.number}`, seat.id);
    await core.events.transition(op, event.id, 'under_review');
    await core.events.transition(op, event.id, 'listed');
    // Three comps on the unseated date: tickets for the door.
    const guest = await core.guests.create(op, { eventId, dateId: standingDate, sectionId: stallsId, name: 'Roxane', quantity: 3 });
    barcodes = guest.tickets.map((t) => t.barcode);
    for (const role of ['manager', 'box_office', 'door_staff'] as const) {
      await core.accounts.register(op, { username: role, email: `${role}@odeon.test`, password, role });
    }
    if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const signIn = (page: Page, email: string) => signInToBackOffice(page, server.url, email, password);
  const nav = (page: Page) => page.getByRole('navigation', { name: 'Back office' });
  async function open(page: Page, link: string, heading: string) {
    await nav(page).getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  }
  async function shot(page: Page, name: string) {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  }
  const chooseEvent = (page: Page) => page.getByLabel('Event', { exact: true }).first().selectOption({ label: title });
  const op = () => operatorPrincipal(organizationId, null);

  journey('a promotion created and edited; two seats held on the map and gone from the shop; scan settings; a scan moves the live figures', async (page) => {
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, 'owner@odeon.test');

    // Promotions: created with its cost for the event, seen in the list, then edited.
    await open(page, 'Promotions', 'Promotions');
    await page.getByText('No promotions yet.').waitFor();
    await checkAccessibility(page, 'manage promotions (empty)');
    const form = page.locator('section[aria-labelledby="promotion-form-title"]');
    await form.getByRole('textbox', { name: 'Label', exact: true }).fill('Affiches métro');
    await form.getByRole('combobox', { name: 'Type', exact: true }).selectOption({ label: 'Poster campaign (Outdoor)' });
    await form.getByLabel('Supplier').fill('Metrobus');
    await form.getByLabel('From', { exact: true }).fill('2027-05-01');
    await form.getByLabel('To', { exact: true }).fill('2027-05-31');
    await form.getByLabel('Payment', { exact: true }).selectOption({ label: 'Committed' });
    await form.getByLabel('Event 1').selectOption({ label: title });
    await form.getByLabel('Quantity 1').fill('200');
    await form.getByLabel('Unit cost 1 (EUR)').fill('1.5');
    await form.getByRole('button', { name: 'Add the promotion' }).click();
    const row = page.locator('tr', { hasText: 'Affiches métro' });
    await row.getByText('€300.00').waitFor();
    await row.getByText('from Metrobus').waitFor();
    await row.getByText(title).waitFor();
    await checkAccessibility(page, 'manage promotions');
    await shot(page, 'promotions');
    await row.getByRole('button', { name: 'Edit Affiches métro' }).click();
    const editing = page.locator('section[aria-labelledby="promotion-form-title"]', { hasText: 'Editing “Affiches métro”' });
    assert.equal(await editing.getByLabel('Quantity 1').inputValue(), '200', 'the form holds the promotion');
    await editing.getByLabel('Quantity 1').fill('400');
    await editing.getByRole('button', { name: 'Save the changes' }).click();
    await row.getByText('€600.00').waitFor();
    const [promotion] = (await server.app.core.promotions.list(op(), { limit: 10, offset: 0 })).items;
    assert.deepEqual([promotion.label, promotion.supplier, promotion.type, promotion.cost.state, promotion.cost.total, promotion.appliedTo.map((t) => t.eventId)], ['Affiches métro', 'Metrobus', 'poster', 'committed', 60000, [eventId]]);

    // Holds: on the seated date, A-1 picked on the map and A-2 typed by label, both held.
    await open(page, 'Holds and kills', 'Holds and kills');
    await chooseEvent(page);
    const seatsCard = page.locator('section[aria-labelledby="seat-holds-title"]');
    await seatsCard.locator('[data-seat="A-1"]').click();
    await seatsCard.getByLabel('Seats by label').fill('a2, Z-99');
    await seatsCard.getByRole('button', { name: 'Pick these seats' }).click();
    await seatsCard.getByRole('alert').filter({ hasText: 'Z-99' }).waitFor();
    await seatsCard.getByTestId('seats-selected').filter({ hasText: '2 seats picked: A-1, A-2' }).waitFor();
    assert.equal(await seatsCard.locator('[data-seat="A-2"]').getAttribute('aria-pressed'), 'true');
    await checkAccessibility(page, 'manage holds (seated, picking)');
    await seatsCard.getByRole('button', { name: 'Hold for the organizer' }).click();
    await seatsCard.getByTestId('seats-held').filter({ hasText: 'A-1, A-2' }).waitFor();
    await seatsCard.getByText('2 seats held.').waitFor();
    assert.match((await seatsCard.locator('[data-seat="A-1"]').getAttribute('aria-label'))!, /held for the organizer/);
    // The seated section's figures count the seats; they are changed on the map, not typed.
    const stalls = page.locator('tr', { hasText: 'seat by seat, below' });
    await stalls.locator('td').nth(6).filter({ hasText: /^2$/ }).waitFor();
    assert.equal(await stalls.getByRole('textbox').count(), 0);
    await checkAccessibility(page, 'manage holds (seated)');
    await shot(page, 'holds-seated');
    const held = (await server.app.core.seats.seats(op(), eventId, seatedDate)).seats.filter((s) => s.status === 'organizer_hold').map((s) => `${s.row}-${s.number}`);
    assert.deepEqual(held, ['A-1', 'A-2']);

    // The shop: both seats are not for sale, their neighbour is.
    const buyer = await newPage(browser);
    try {
      await buyer.page.goto(`${server.url}/events/${eventId}`);
      await buyer.page.getByRole('heading', { name: 'Choose your seats' }).waitFor();
      for (const seat of ['A-1', 'A-2']) assert.match((await buyer.page.locator(`[data-seat="${seat}"]`).getAttribute('aria-label'))!, /not for sale/, seat);
      assert.match((await buyer.page.locator('[data-seat="A-3"]').getAttribute('aria-label'))!, /available/);
    } finally {
      await buyer.context.close();
    }

    // Door set-up: a scan setting and the event's re-entry changed; the live figures at zero.
    await open(page, 'Door set-up', 'Door set-up');
    await chooseEvent(page);
    const live = page.locator('section[aria-labelledby="door-live-title"]');
    await live.getByTestId('door-admitted').filter({ hasText: '0 of 3' }).waitFor();
    const settings = page.locator('section[aria-labelledby="scan-settings-title"]');
    await settings.getByRole('switch', { name: 'Sound after each scan' }).uncheck();
    await settings.getByLabel('Sync every (seconds)').fill('60');
    await settings.getByRole('switch', { name: 'Re-entry' }).check();
    await settings.getByRole('button', { name: 'Save the scan settings' }).click();
    await settings.getByText('Saved.').waitFor();
    const defaults = await server.app.core.door.controlPoints.settings(op(), { organizationDefaults: true });
    assert.deepEqual([defaults.scan_sound, defaults.scan_vibration, defaults.sync_interval], ['0', '1', '60']);
    const stored = await server.app.core.ctx.database.db.selectFrom('events').select('reentry_allowed').where('id', '=', eventId).executeTakeFirstOrThrow();
    assert.equal(Number(stored.reentry_allowed), 1, 're-entry allowed');
    await checkAccessibility(page, 'manage door set-up (live)');

    // A gate opens a door session with an admission token, registers its control point, scans a ticket.
    const { code } = await server.app.core.door.tokens.create(op(), eventId, { name: 'Porte Corneille', sectionIds: [stallsId] });
    const session = await (await fetch(`${server.url}/api/door/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session: { code, device: 'gate 1' } }) })).json();
    const gate = { authorization: `Bearer ${session.session.key}`, 'content-type': 'application/json' };
    const point = await (await fetch(`${server.url}/api/control_points`, { method: 'POST', headers: gate, body: JSON.stringify({ control_point: { name: 'Entrée Corneille' } }) })).json();
    const scan = await fetch(`${server.url}/api/scans`, { method: 'POST', headers: gate, body: JSON.stringify({ scan: { code: barcodes[0], device: 'gate 1', control_point_id: point.control_point.id } }) });
    assert.equal(scan.status, 200);
    assert.equal((await scan.json()).scan.admitted, true);
    // The page, polling, shows it without a reload.
    await live.getByTestId('door-admitted').filter({ hasText: '1 of 3' }).waitFor({ timeout: 20_000 });
    await live.getByTestId('door-inside').filter({ hasText: /^1$/ }).waitFor();
    const gateRow = live.getByTestId(`door-gate-${point.control_point.id}`);
    assert.deepEqual((await gateRow.locator('td').allTextContents()).map((s) => s.trim()), ['Entrée Corneille', '1', '0', '0']);
    assert.deepEqual((await live.getByTestId(`door-section-${stallsId}`).locator('td').allTextContents()).map((s) => s.trim()), ['Stalls', '3', '1', '1']);
    await shot(page, 'door-setup-live');

    // In French: the same page, said in French, and accessible.
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { name: 'Réglages du contrôle', level: 1 }).waitFor();
    await page.locator('section[aria-labelledby="door-live-title"]', { hasText: 'Au contrôle en ce moment' }).getByTestId('door-admitted').filter({ hasText: '1 sur 3' }).waitFor();
    await page.getByRole('switch', { name: 'Son après chaque scan' }).waitFor();
    await checkAccessibility(page, 'manage door set-up (fr)');
    await shot(page, 'door-setup-fr');
  }, { browser: () => browser });

  journey('at phone width: a manager sees the holds page; roles without the rights see none of these pages and the server refuses by hand', async (page) => {
    const pages = ['Holds and kills', 'Promotions', 'Door set-up'];
    const expected: Record<string, string[]> = { manager: pages, box_office: [], door_staff: [] };
    for (const [role, links] of Object.entries(expected)) {
      await page.context().clearCookies();
      await signIn(page, `${role}@odeon.test`);
      await nav(page).waitFor();
      const shown = (await nav(page).getByRole('link').allTextContents()).filter((l) => pages.includes(l));
      assert.deepEqual(shown.sort(), [...links].sort(), role);
      if (role === 'manager') {
        await open(page, 'Holds and kills', 'Holds and kills');
        await chooseEvent(page);
        await page.locator('section[aria-labelledby="seat-holds-title"]').getByTestId('seats-held').filter({ hasText: 'A-1, A-2' }).waitFor();
        await checkAccessibility(page, 'manage holds (seated, phone)');
        await shot(page, 'holds-seated-phone');
        await open(page, 'Promotions', 'Promotions');
        await page.locator('tr', { hasText: 'Affiches métro' }).waitFor();
        await checkAccessibility(page, 'manage promotions (phone)');
        await shot(page, 'promotions-phone');
        await open(page, 'Door set-up', 'Door set-up');
        await chooseEvent(page);
        await page.locator('section[aria-labelledby="door-live-title"]').getByTestId('door-admitted').waitFor();
        await shot(page, 'door-setup-phone');
        continue;
      }
      for (const path of ['/manage/promotions', '/manage/holds', '/manage/door-setup']) {
        await page.goto(`${server.url}${path}`);
        await page.getByRole('alert').filter({ hasText: 'Your role does not give access to this page.' }).waitFor();
      }
      const statuses = await page.evaluate(async ({ org, event, date, seat }) => {
        const session = await (await fetch('/api/session')).json();
        const headers = { 'X-Organization': String(org), 'X-CSRF-Token': session.session.csrf_token, 'content-type': 'application/json' };
        // Plain loops only: a named function here would not survive the trip into the page.
        const calls: [string, string, unknown][] = [
          ['GET', '/api/promotions', undefined],
          ['POST', '/api/promotions', { promotion: { type: 'poster', label: 'X', cost: { type: 'paid' }, applied_to: [{ event_id: event, quantity: 1, unit_cost: 1 }] } }],
          ['PATCH', `/api/events/${event}/dates/${date}/seats`, { seats: { seat_ids: [seat], blocked: 'kill' } }],
          ['PATCH', '/api/scan_settings?scope=organization', { scan_settings: { scan_sound: true } }],
        ];
        const answers: number[] = [];
        for (const [method, path, body] of calls) answers.push((await fetch(path, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) })).status);
        return { promotions: answers[0], promotion: answers[1], seats: answers[2], settings: answers[3] };
      }, { org: organizationId, event: eventId, date: seatedDate, seat: seatIds.get('B-1')! });
      assert.deepEqual(statuses, { promotions: 403, promotion: 403, seats: 403, settings: 403 }, role);
    }
    // Nothing those calls asked for happened.
    assert.equal((await server.app.core.promotions.list(op(), { limit: 10, offset: 0 })).total, 1);
    assert.equal((await server.app.core.seats.seats(op(), eventId, seatedDate)).seats.find((s) => s.id === seatIds.get('B-1'))!.status, 'free');
    assert.equal((await server.app.core.door.controlPoints.settings(op(), { organizationDefaults: true })).scan_sound, '0');
  }, { browser: () => browser, viewport: PHONE });
});
