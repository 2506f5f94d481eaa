import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { checkAccessibility, journey, launchBrowser, PHONE, skipBrowser, startServer, type WebServer } from './harness.ts';
import { operatorPrincipal } from '../../src/demo/seed.ts';

const SHOTS = process.env.WEB_SCREENSHOTS;
async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/**
 * The back office's seat-map generator in Chromium: a manager describes two blocks (rows × seats,
 * odd/even numbering, numbered rows), saves the map and lays it out on one date; the seats exist
 * with the numbers asked for, each block in its section. Bad numbers are explained before anything
 * is sent; laying a map out on a date that has sold is refused and explained. axe, phone and laptop.
 */
describe('web: the seat-map generator', { skip: skipBrowser }, () => {
  let server: WebServer;
  let browser: Browser;
  let event: { id: number; dates: { id: number }[]; sections: { id: number; name: string }[] };
  let op: ReturnType<typeof operatorPrincipal>;
  const password = 'generator-password';

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const core = server.app.core;
    const owner = await core.accounts.create({ username: 'gen-owner', email: 'owner@odeon.test', password });
    const org = await core.organizations.create({ slug: 'odeon', name: 'Odéon', currency: 'EUR', timeZone: 'Europe/Paris', locale: 'fr-FR' }, { accountId: owner.id });
    op = operatorPrincipal(org.id, owner.id);
    event = await core.events.create(op, {
      title: 'Phèdre',
      timeZone: 'Europe/Paris',
      sections: [{ name: 'Orchestre', capacity: 10 }, { name: 'Balcon', capacity: 10 }],
      dates: [{ startsAt: '2027-05-01T20:00:00+02:00' }, { startsAt: '2027-05-02T20:00:00+02:00' }],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(page: Page) {
    await page.goto(`${server.url}/account/sign-in?next=/manage/events/${event.id}`);
    await page.getByLabel('E-mail address').fill('owner@odeon.test');
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).last().click();
    await page.getByRole('heading', { name: 'Phèdre', level: 1 }).waitFor();
  }

  journey('a manager generates a map of two blocks and lays it out on the first date', async (page) => {
    await signIn(page);
    await page.getByRole('link', { name: 'Seat map generator' }).click();
    await page.getByRole('heading', { name: 'Seat map generator', level: 1 }).waitFor();
    await page.getByRole('textbox', { name: 'Name of the map' }).fill('Grande salle');
    await page.getByRole('textbox', { name: 'Rows in block 1' }).fill('3');
    await page.getByRole('textbox', { name: 'Seats per row in block 1' }).fill('6');
    await page.getByRole('combobox', { name: 'Seat numbering in block 1' }).selectOption('odd_even');
    await page.getByText('A row reads: 5 3 1 2 4 6').waitFor();
    await page.getByRole('button', { name: 'Add a block' }).click();
    await page.getByRole('textbox', { name: 'Name of block 2' }).fill('Balcon');
    await page.getByRole('combobox', { name: 'Section selling block 2' }).selectOption({ label: 'Balcon' });
    await page.getByRole('textbox', { name: 'Rows in block 2' }).fill('');
    await page.getByRole('button', { name: 'Save the map and lay it out' }).click();
    // Refused on the page, before anything is sent; what was typed stays.
    await page.getByText('A whole number from 1 to 200').waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Name of the map' }).inputValue(), 'Grande salle');
    await page.getByRole('textbox', { name: 'Rows in block 2' }).fill('2');
    await page.getByRole('textbox', { name: 'Seats per row in block 2' }).fill('4');
    await page.getByRole('combobox', { name: 'Seat numbering in block 2' }).selectOption('ltr');
    await page.getByRole('combobox', { name: 'Row names in block 2' }).selectOption('numbers');
    await page.getByText('26 seats in all').waitFor();
    await page.getByRole('combobox', { name: 'Lay the map out on' }).selectOption({ index: 1 });
    await checkAccessibility(page, 'seat map generator');
    await shot(page, 'generator-laptop');
    await page.getByRole('button', { name: 'Save the map and lay it out' }).click();
    await page.getByRole('status').filter({ hasText: 'The map “Grande salle” (26 seats) is laid out on:' }).waitFor();

    const seating = await server.app.core.seats.seats(op, event.id, event.dates[0].id);
    assert.equal(seating.seats.length, 26);
    const orchestre = seating.seats.filter((s) => s.sectionId === event.sections[0].id);
    const balcon = seating.seats.filter((s) => s.sectionId === event.sections[1].id);
    assert.equal(orchestre.length, 18);
    assert.equal(balcon.length, 8);
    assert.deepEqual(orchestre.filter((s) => s.row === 'A').sort((a, b) => a.x - b.x).map((s) => s.number), ['5', '3', '1', '2', '4', '6']);
    assert.deepEqual([...new Set(balcon.map((s) => s.row))], ['1', '2']);
    assert.equal((await server.app.core.seats.seats(op, event.id, event.dates[1].id)).seats.length, 0, 'the other date is untouched');
    const [capacity] = await server.app.core.ctx.database.db.selectFrom('section_capacities').select(['capacity', 'seats']).where('date_id', '=', event.dates[0].id).where('section_id', '=', event.sections[0].id).execute();
    assert.deepEqual(capacity, { capacity: 18, seats: 18 });
  }, { browser: () => browser });

  journey('on a phone: laying a map out on a date that has sold is refused and explained', async (page) => {
    // A guest ticket on the second date (general admission still): its places are taken.
    await server.app.core.guests.create(op, { eventId: event.id, dateId: event.dates[1].id, sectionId: event.sections[0].id, name: 'Invité', quantity: 1 });
    await signIn(page);
    await page.goto(`${server.url}/manage/events/${event.id}/seat-map`);
    await page.getByRole('textbox', { name: 'Name of the map' }).fill('Petite salle');
    await page.getByRole('combobox', { name: 'Lay the map out on' }).selectOption({ index: 2 });
    await page.getByRole('button', { name: 'Save the map and lay it out' }).click();
    await page.getByRole('alert').filter({ hasText: 'already held or sold' }).waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Name of the map' }).inputValue(), 'Petite salle');
    await checkAccessibility(page, 'seat map generator refused (phone)');
    await shot(page, 'generator-refused-phone');
  }, { browser: () => browser, viewport: PHONE });
});
