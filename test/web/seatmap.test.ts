import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { checkAccessibility, journey, launchBrowser, PHONE, skipBrowser, startServer, type WebServer } from './harness.ts';
import { shopWithEvent } from './fixtures.ts';
import { theatreMap } from '../core/seating/fixtures.ts';

const SHOTS = process.env.WEB_SCREENSHOTS; // a folder: keep screenshots of the pages for a human to look at
async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** The seat that has the keyboard focus: its accessible name. */
const focusedSeat = (page: Page) => page.evaluate(() => (document.activeElement?.classList.contains('guichet-seat') ? document.activeElement.getAttribute('aria-label') : null));

/** Tab (or Shift+Tab) until the keyboard focus is on a seat of the map, as a keyboard user would. */
async function tabIntoMap(page: Page, backwards = false) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    if (await focusedSeat(page)) return;
  }
  throw new Error('the seat map never got the keyboard focus');
}

/** Tab until the focused element is the button of this name. */
async function tabTo(page: Page, name: string) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => (document.activeElement?.tagName === 'BUTTON' ? document.activeElement.textContent?.trim() : null));
    if (label === name) return;
  }
  throw new Error(`never reached the button "${name}" with Tab`);
}

describe('web: the shop seat map', { skip: skipBrowser }, () => {
  let server: WebServer;
  let browser: Browser;
  let shop: Awaited<ReturnType<typeof shopWithEvent>>;
  /** Seat ids of the seated date by "row-number". */
  const seatIds = new Map<string, number>();

  /** Another buyer holds these seats (through the core, as their own cart would). */
  async function someoneTakes(...seats: string[]) {
    const channel = await server.app.core.channels.resolve(shop.organizationId, null);
    await server.app.core.carts.create(shop.op, channel, [{ tariffId: shop.tariffId, dateId: shop.dateIds[0], seatIds: seats.map((s) => seatIds.get(s)!) }]);
  }
  const soldSeats = async () =>
    (await server.app.core.ctx.database.db.selectFrom('tickets').select(['seat']).where('seat', 'is not', null).execute()).map((r) => JSON.parse(r.seat!) as { row: string; number: string }).map((s) => `${s.row}-${s.number}`).sort();

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    // The section is named like the map's category ("Stalls"), so laying the map out needs no mapping.
    shop = await shopWithEvent(server.app, { slug: 'odeon', title: 'Cyrano', capacity: 100 });
    await server.app.core.ctx.database.db.updateTable('sections').set({ name: 'Stalls' }).where('event_id', '=', shop.eventId).execute();
    const map = await server.app.core.maps.create(shop.op, { name: 'Odéon', document: theatreMap({ rows: 4, seatsPerRow: 8 }) });
    await server.app.core.seats.assignMap(shop.op, shop.eventId, shop.dateIds[0], { mapId: map.id });
    const seating = await server.app.core.seats.seats(shop.op, shop.eventId, shop.dateIds[0]);
    for (const seat of seating.seats) seatIds.set(`${seat.row}-${seat.number}`, seat.id);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  journey('a keyboard-only buyer picks two seats side by side, one is taken meanwhile, and buys two others', async (page) => {
    await page.goto(`${server.url}/events/${shop.eventId}`);
    await page.getByRole('heading', { name: 'Choose your seats' }).waitFor();
    // Only the unseated date keeps its quantity list; the seated date's section is sold on the map.
    assert.equal(await page.getByRole('combobox', { name: /Quantity of Stalls/ }).count(), 1);
    await checkAccessibility(page, 'seat map');
    await shot(page, 'seatmap-laptop');

    await tabIntoMap(page);
    assert.match((await focusedSeat(page))!, /^Row A, seat 1, €25\.00, available$/);
    // Down to row B, right to seat 4: "Row B, seat 4, €25.00, available".
    await page.keyboard.press('ArrowDown');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await focusedSeat(page), 'Row B, seat 4, €25.00, available');
    await page.keyboard.press('Enter');
    assert.equal(await focusedSeat(page), 'Row B, seat 4, €25.00, chosen');
    // Seat 4 is the last before the aisle: seat 5 is across it; the buyer takes 3 instead.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press(' ');
    assert.equal(await focusedSeat(page), 'Row B, seat 3, €25.00, chosen');
    await page.getByText('Your seats (2)').waitFor();
    await page.getByText('Seats total: €50.00').waitFor();

    // Someone else takes B3 before the buyer reserves: refused, explained, B4 stays chosen.
    await someoneTakes('B-3');
    await tabTo(page, 'Reserve these seats');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Row B, seat 3 was taken by another buyer a moment ago. Your other seats are still chosen' }).waitFor();
    await page.getByText('Your seat (1)').waitFor();
    await page.getByRole('button', { name: 'Give back Row B, seat 4' }).waitFor();
    await checkAccessibility(page, 'seat map refusal');
    await shot(page, 'seatmap-refused-laptop');

    // Back into the map (the focus returns to the last seat used): A3 and A4 instead, B4 given back.
    await tabIntoMap(page, true);
    assert.match((await focusedSeat(page))!, /^Row B, seat 3, /);
    await page.keyboard.press('ArrowUp');
    assert.equal(await focusedSeat(page), 'Row A, seat 3, €25.00, available');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedSeat(page), 'Row B, seat 4, €25.00, chosen');
    await page.keyboard.press('Enter'); // gives B4 back
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter'); // A3, next to A4
    await page.getByText('Your seats (2)').waitFor();
    await tabTo(page, 'Reserve these seats');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    await page.getByText(/Your tickets are held for \d+:\d\d/).waitFor();
    await page.getByRole('textbox', { name: 'Full name' }).fill('Roxane Robin');
    await page.getByRole('textbox', { name: 'E-mail address' }).fill('roxane@example.test');
    await page.getByRole('textbox', { name: 'Card number' }).fill('4242 4242 4242 4242');
    await page.getByRole('textbox', { name: 'Name on card' }).fill('Roxane Robin');
    await page.getByRole('textbox', { name: 'Expiry (MM/YY)' }).fill('12/30');
    await page.getByRole('textbox', { name: 'Security code' }).fill('123');
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.getByText('Thank you! Your order is confirmed.').waitFor();
    assert.deepEqual(await soldSeats(), ['A-3', 'A-4']);
  }, { browser: () => browser });

  journey('an event sold only on seat maps has one action per date, the map\'s: no "Reserve these tickets" bar at €0.00', async (page) => {
    const mapOnly = await shopWithEvent(server.app, { slug: 'chaillot', title: 'Phèdre', capacity: 100 });
    await server.app.core.ctx.database.db.updateTable('sections').set({ name: 'Stalls' }).where('event_id', '=', mapOnly.eventId).execute();
    const map = await server.app.core.maps.create(mapOnly.op, { name: 'Chaillot', document: theatreMap({ rows: 2, seatsPerRow: 6 }) });
    for (const dateId of mapOnly.dateIds) await server.app.core.seats.assignMap(mapOnly.op, mapOnly.eventId, dateId, { mapId: map.id });
    await page.goto(`${server.url}/events/${mapOnly.eventId}`);
    // Both dates drawn, each with its own reserve action; no quantity list, so no bar.
    await page.getByRole('button', { name: 'Reserve these seats' }).nth(1).waitFor();
    assert.equal(await page.getByRole('combobox', { name: /Quantity of/ }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Reserve these tickets' }).count(), 0);
    assert.equal(await page.getByText('Total: €0.00', { exact: true }).count(), 0);
    // The mixed event keeps the bar for its general-admission date.
    await page.goto(`${server.url}/events/${shop.eventId}`);
    await page.getByRole('button', { name: 'Reserve these seats' }).waitFor();
    await page.getByRole('button', { name: 'Reserve these tickets' }).waitFor();
  }, { browser: () => browser });

  for (const [locale, letter, explained] of [
    ['fr-FR', 'C', 'Rang C, place 2 vient d’être prise par un autre acheteur. Vos autres places restent choisies'],
    ['de-DE', 'D', 'Reihe D, Platz 2 wurde gerade von jemand anderem gebucht. Ihre anderen Plätze bleiben gewählt'],
  ] as const) {
    journey(`on a phone, in ${locale}: zoom, touch two seats, one taken meanwhile is explained`, async (page) => {
      await page.goto(`${server.url}/events/${shop.eventId}`);
      const map = page.getByRole('group', { name: /^(Plan de salle|Saalplan)/ });
      await map.waitFor();
      const before = (await map.boundingBox())!.width;
      await page.getByRole('button', { name: /^(Agrandir|Vergrößern)$/ }).click();
      await page.getByRole('button', { name: /^(Agrandir|Vergrößern)$/ }).click();
      assert.ok((await map.boundingBox())!.width > before * 1.5, 'zooming in draws the map larger (the frame scrolls)');
      await checkAccessibility(page, `seat map ${locale} phone`);
      await shot(page, `seatmap-${locale}-phone`);
      const row = locale === 'fr-FR' ? `Rang ${letter}, place` : `Reihe ${letter}, Platz`;
      await page.getByRole('button', { name: new RegExp(`^${row} 1,`) }).click();
      await page.getByRole('button', { name: new RegExp(`^${row} 2,`) }).click();
      await someoneTakes(`${letter}-2`);
      await page.getByRole('button', { name: /^(Réserver ces places|Diese Plätze reservieren)$/ }).click();
      await page.getByRole('alert').filter({ hasText: explained }).waitFor();
      assert.equal(await page.getByRole('button', { name: new RegExp(`^${row} 1, .*, (choisie|gewählt)(,|$)`) }).count(), 1, 'the other seat stays chosen');
      await shot(page, `seatmap-${locale}-refused-phone`);
    }, { browser: () => browser, locale, viewport: PHONE });
  }
});
