import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { checkAccessibility, journey, LAPTOP, launchBrowser, PHONE, skipBrowser, startServer, type WebServer } from './harness.ts';
import { shopWithEvent } from './fixtures.ts';
import { theatreMap } from '../core/seating/fixtures.ts';

const SHOTS = process.env.WEB_SCREENSHOTS; // a folder: keep screenshots of the pages for a human to look at
async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}
/** What is on screen now (not the whole page): where the bar sits as the buyer scrolls. */
async function screenShot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const boxOf = async (locator: Locator) => {
  const box = await locator.boundingBox();
  assert.ok(box, 'the element is shown');
  return box;
};
/** The "Reserve these tickets" bar around a button of that name (its nearest Mantine Paper). */
const barOf = (button: Locator) => button.locator('xpath=ancestor::div[contains(concat(" ", @class, " "), " mantine-Paper-root ")][1]');

const RESERVE = { 'en-GB': 'Reserve these tickets', 'fr-FR': 'Réserver ces billets' } as const;
const QUANTITY = { 'en-GB': 'Quantity of ', 'fr-FR': 'Quantité de ' } as const;

describe('web: the shop event page\'s reserve bar', { skip: skipBrowser }, () => {
  let server: WebServer;
  let browser: Browser;
  /** A seated date (the map sells its one section), then a general-admission date. */
  let mixed: Awaited<ReturnType<typeof shopWithEvent>>;
  /** Its first date has seats on a map (Stalls) and standing places sold by quantity (Pit); its second is general admission. */
  let concert: Awaited<ReturnType<typeof shopWithEvent>>;
  /** General admission only: two dates, three sections each (a list longer than a phone's screen). */
  let standing: Awaited<ReturnType<typeof shopWithEvent>>;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const db = server.app.core.ctx.database.db;
    mixed = await shopWithEvent(server.app, { slug: 'bouffes', title: 'Cyrano', capacity: 100 });
    await db.updateTable('sections').set({ name: 'Stalls' }).where('event_id', '=', mixed.eventId).execute();
    const mixedMap = await server.app.core.maps.create(mixed.op, { name: 'Bouffes', document: theatreMap({ rows: 3, seatsPerRow: 6 }) });
    await server.app.core.seats.assignMap(mixed.op, mixed.eventId, mixed.dateIds[0], { mapId: mixedMap.id });

    concert = await shopWithEvent(server.app, { slug: 'cigale', title: 'Un concert', capacity: 100, moreSections: [{ name: 'Pit', capacity: 50, price: 1800 }] });
    await db.updateTable('sections').set({ name: 'Stalls' }).where('event_id', '=', concert.eventId).where('name', '=', 'Orchestra').execute();
    const concertMap = await server.app.core.maps.create(concert.op, { name: 'Cigale', document: theatreMap({ rows: 3, seatsPerRow: 6, standing: 50 }) });
    await server.app.core.seats.assignMap(concert.op, concert.eventId, concert.dateIds[0], { mapId: concertMap.id });

    standing = await shopWithEvent(server.app, { slug: 'trianon', title: 'Le Bal', moreSections: [{ name: 'Balcony', capacity: 40, price: 1500 }, { name: 'Gallery', capacity: 30, price: 1000 }] });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  journey('a mixed event: the seated date has its map and no "Reserve these tickets" bar; the general-admission date has the bar', async (page) => {
    await page.goto(`${server.url}/events/${mixed.eventId}`);
    const [seatedDate, gaDate] = [page.getByRole('article').nth(0), page.getByRole('article').nth(1)];
    await seatedDate.getByRole('button', { name: 'Reserve these seats' }).waitFor();
    const reserve = page.getByRole('button', { name: 'Reserve these tickets' });
    assert.equal(await reserve.count(), 1, 'one bar, for the general-admission date');
    assert.equal(await seatedDate.getByRole('combobox', { name: /^Quantity of / }).count(), 0, 'the seated date sells only on its map');
    assert.equal(await gaDate.getByRole('combobox', { name: /^Quantity of Stalls/ }).count(), 1);
    // Nothing chosen: the bar says so, never "Total: €0.00" (and the seat map's own total is its own).
    await page.getByText('No tickets chosen yet', { exact: true }).waitFor();
    assert.equal(await page.getByText('Total: €0.00', { exact: true }).count(), 0);
    await checkAccessibility(page, 'mixed event');
    await shot(page, 'reserve-bar-mixed-laptop-en');

    // Looking at the seated date's map: the bar is not beside it (neither over the seated date, nor on screen below it).
    const map = seatedDate.getByRole('group', { name: /^Seat map/ });
    await map.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const bar = barOf(reserve);
    const barBox = await boxOf(bar);
    assert.ok(!overlaps(barBox, await boxOf(seatedDate)), `the bar (${JSON.stringify(barBox)}) is not over the seated date`);
    assert.ok(barBox.y >= (await boxOf(seatedDate)).y + (await boxOf(seatedDate)).height, 'the bar comes after the seated date');
    await screenShot(page, 'reserve-bar-mixed-laptop-en-on-map');

    // The general-admission date: choose, the bar's total follows (read out), reserve.
    await gaDate.getByRole('combobox', { name: /^Quantity of Stalls/ }).selectOption('2');
    await bar.getByText('Total: €50.00', { exact: true }).waitFor();
    assert.equal(await bar.getByText('Total: €50.00').getAttribute('aria-live'), 'polite');
    await reserve.click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
  }, { browser: () => browser });

  journey('a date with seats on a map and standing places: the bar follows the standing quantities only, never over the map', async (page) => {
    await page.goto(`${server.url}/events/${concert.eventId}`);
    const [both, gaDate] = [page.getByRole('article').nth(0), page.getByRole('article').nth(1)];
    await both.getByRole('button', { name: 'Reserve these seats' }).waitFor();
    assert.equal(await both.getByRole('combobox', { name: /^Quantity of Pit/ }).count(), 1, 'the standing section by quantity');
    assert.equal(await both.getByRole('combobox', { name: /^Quantity of Stalls/ }).count(), 0, 'the seated section on the map only');
    const reserveHere = both.getByRole('button', { name: 'Reserve these tickets' });
    assert.equal(await reserveHere.count(), 1, 'the date has a bar for its standing places');
    assert.equal(await gaDate.getByRole('combobox', { name: /^Quantity of / }).count(), 2);
    assert.equal(await page.getByRole('button', { name: 'Reserve these tickets' }).count(), 2, 'and the general-admission date its own');
    // Two bars: each button is described by its date.
    const described = await reserveHere.evaluate((b) => (b.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent).join(' | '));
    assert.match(described, /1 March 2027/);
    await checkAccessibility(page, 'seated and standing date');
    await shot(page, 'reserve-bar-seated-and-standing-laptop-en');

    // The bar sits between the standing list and the map; looking at the map, it stays above it.
    const map = both.getByRole('group', { name: /^Seat map/ });
    await map.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const barBox = await boxOf(barOf(reserveHere));
    const mapFrame = await boxOf(both.getByRole('heading', { name: 'Choose your seats' }));
    assert.ok(barBox.y + barBox.height <= mapFrame.y, 'the bar is above the seat map, not over it');
    await screenShot(page, 'reserve-bar-seated-and-standing-laptop-en-on-map');

    await both.getByRole('combobox', { name: /^Quantity of Pit/ }).selectOption('1');
    await barOf(reserveHere).getByText('Total: €18.00', { exact: true }).waitFor();
    // The other date's bar has nothing chosen.
    await barOf(page.getByRole('button', { name: 'Reserve these tickets' }).nth(1)).getByText('No tickets chosen yet', { exact: true }).waitFor();
    await reserveHere.click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    await page.getByText(/Pit — Adult/).first().waitFor();
  }, { browser: () => browser });

  for (const locale of ['en-GB', 'fr-FR'] as const) {
    journey(`on a phone (${locale}), the bar never hides a quantity the keyboard reaches, nor the list's last row`, async (page) => {
      await page.goto(`${server.url}/events/${standing.eventId}`);
      const reserve = page.getByRole('button', { name: RESERVE[locale] });
      await reserve.waitFor();
      const selects = page.getByRole('combobox', { name: new RegExp(`^${QUANTITY[locale]}`) });
      assert.equal(await selects.count(), 6);
      await checkAccessibility(page, `general admission, phone ${locale}`);
      await shot(page, `reserve-bar-phone-${locale}`);

      // Tab through the page as a keyboard user: each quantity list focused is in full view, above the bar.
      let seen = 0;
      for (let i = 0; i < 80 && seen < 6; i++) {
        await page.keyboard.press('Tab');
        const focus = await page.evaluate((quantity) => {
          const el = document.activeElement as HTMLElement | null;
          if (!el || el.tagName !== 'SELECT' || !(el.getAttribute('aria-label') ?? '').startsWith(quantity)) return null;
          // (No named helper in here: the TypeScript runner would wrap it in code the page lacks.)
          const [select, row] = [el, el.closest('tr')!].map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height }));
          return { select, row, label: el.getAttribute('aria-label') };
        }, QUANTITY[locale]);
        if (!focus) continue;
        seen++;
        const barBox = await boxOf(barOf(reserve));
        assert.ok(focus.row.y + focus.row.height <= barBox.y + 1, `"${focus.label}" (row ${JSON.stringify(focus.row)}) is not behind the bar (${JSON.stringify(barBox)})`);
        assert.ok(focus.row.y >= 0, `"${focus.label}" is on screen`);
      }
      assert.equal(seen, 6, 'the keyboard reached every quantity list');
      await screenShot(page, `reserve-bar-phone-${locale}-last-focused`);

      // Scrolled to the page's end: the last date's last row can be read, the bar after it.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const lastRow = page.getByRole('row').last();
      const rowBox = await boxOf(lastRow);
      const barBox = await boxOf(barOf(reserve));
      assert.ok(!overlaps(rowBox, barBox), 'the last row is not covered by the bar');

      // The total is read out as it changes, and the bar still reserves.
      await selects.last().selectOption('2');
      const total = barOf(reserve).getByText(locale === 'fr-FR' ? /^Total\u00a0: \d+,00\s€$/ : /^Total: €\d+\.00$/);
      await total.waitFor();
      assert.equal(await total.getAttribute('aria-live'), 'polite');
      await checkAccessibility(page, `general admission chosen, phone ${locale}`);
      await reserve.click();
      await page.getByRole('heading', { name: locale === 'fr-FR' ? 'Paiement' : 'Checkout', level: 1 }).waitFor();
    }, { browser: () => browser, locale, viewport: PHONE });
  }

  // The pages as a human sees them, in the other language and size (axe on each).
  for (const [locale, label, viewport] of [['fr-FR', 'laptop', LAPTOP], ['en-GB', 'phone', PHONE], ['fr-FR', 'phone', PHONE]] as const) {
    journey(`the mixed and the seated-and-standing events (${locale}, ${label})`, async (page) => {
      for (const [name, event] of [['mixed', mixed], ['seated-and-standing', concert]] as const) {
        await page.goto(`${server.url}/events/${event.eventId}`);
        await page.getByRole('button', { name: locale === 'fr-FR' ? 'Réserver ces places' : 'Reserve these seats' }).first().waitFor();
        await page.getByRole('button', { name: RESERVE[locale] }).first().waitFor();
        await checkAccessibility(page, `${name} ${locale} ${label}`);
        await shot(page, `reserve-bar-${name}-${label}-${locale}`);
      }
    }, { browser: () => browser, locale, viewport });
  }
});
