import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { checkAccessibility, journey, launchBrowser, newPage, PHONE, skipBrowser, startServer, type WebServer } from './harness.ts';
import { shopWithEvent } from './fixtures.ts';
import { theatreMap } from '../core/seating/fixtures.ts';

const SHOTS = process.env.WEB_SCREENSHOTS; // a folder: keep screenshots of the pages for a human to look at
async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/**
 * The box office on a seated date, in real Chromium: a clerk (box-office role) picks seats on the
 * date's seat map or asks for the best available, takes cash or a card terminal, and hands over
 * tickets that carry their seats; the shop's seat map then shows those seats taken. A seat someone
 * took meanwhile is explained and given back. axe on every page; English on a laptop, French on a phone.
 */
describe('web: the box office sells seats', { skip: skipBrowser }, () => {
  let server: WebServer;
  let browser: Browser;
  let shop: Awaited<ReturnType<typeof shopWithEvent>>;
  const password = 'counter-password';
  /** Seat ids of the seated date by "row-number". */
  const seatIds = new Map<string, number>();

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const core = server.app.core;
    shop = await shopWithEvent(server.app, { slug: 'odeon', title: 'Cyrano', capacity: 100 });
    // A second tariff of the same section, so the clerk can sell one seat at a reduced price.
    await core.events.addTariff(shop.op, shop.eventId, { sectionId: (await core.events.read(shop.op, shop.eventId)).sections[0].id, label: 'Reduced', price: 1800, maxPerOrder: 6 });
    // The section is named like the map's category ("Stalls"), so laying the map out needs no mapping.
    await core.ctx.database.db.updateTable('sections').set({ name: 'Stalls' }).where('event_id', '=', shop.eventId).execute();
    const map = await core.maps.create(shop.op, { name: 'Odéon', document: theatreMap({ rows: 4, seatsPerRow: 8 }) });
    await core.seats.assignMap(shop.op, shop.eventId, shop.dateIds[0], { mapId: map.id });
    for (const seat of (await core.seats.seats(shop.op, shop.eventId, shop.dateIds[0])).seats) seatIds.set(`${seat.row}-${seat.number}`, seat.id);
    await core.accounts.register(shop.op, { username: 'clerk', email: 'clerk@odeon.test', password, role: 'box_office' });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Signs the clerk in (labels in English or French) and opens the box office. */
  async function openBoxOffice(page: Page, french = false) {
    await page.goto(`${server.url}/account/sign-in?next=/manage/box-office`);
    await page.getByLabel(french ? 'Adresse e-mail' : 'E-mail address').fill('clerk@odeon.test');
    await page.getByRole('textbox', { name: french ? 'Mot de passe' : 'Password', exact: true }).fill(password);
    await page.getByRole('button', { name: french ? 'Se connecter' : 'Sign in' }).last().click();
    await page.waitForURL(/\/manage\/box-office/);
    await page.getByRole('heading', { name: french ? 'Billetterie sur place' : 'Box office', level: 1 }).waitFor();
  }
  /** Another buyer holds these seats (through the core, as their own cart would). */
  async function someoneTakes(...seats: string[]) {
    const channel = await server.app.core.channels.resolve(shop.organizationId, null);
    await server.app.core.carts.create(shop.op, channel, [{ tariffId: shop.tariffId, dateId: shop.dateIds[0], seatIds: seats.map((s) => seatIds.get(s)!) }]);
  }
  /** The seats of an order's valid tickets, from the database ("row-number"), and how it was paid. */
  async function soldWith(orderNumber: string) {
    const db = server.app.core.ctx.database.db;
    const order = await db.selectFrom('orders').select(['id', 'status', 'total']).where('number', '=', orderNumber).executeTakeFirstOrThrow();
    const tickets = await db.selectFrom('tickets').select(['seat', 'seat_id', 'tariff_id']).where('order_id', '=', order.id).where('status', '=', 'valid').execute();
    const payments = await db.selectFrom('payments').select(['provider', 'method', 'status', 'amount']).where('order_id', '=', order.id).execute();
    const seats = tickets.map((x) => JSON.parse(x.seat!) as { row: string; number: string }).map((s) => `${s.row}-${s.number}`).sort();
    for (const x of tickets) assert.equal(x.seat_id, seatIds.get(`${(JSON.parse(x.seat!) as { row: string }).row}-${(JSON.parse(x.seat!) as { number: string }).number}`), 'the ticket names its seat row');
    return { order, seats, tariffs: tickets.map((x) => x.tariff_id), payments };
  }
  const orderNumber = async (page: Page) => /(?:order|commande) (\S+)/.exec((await page.getByRole('status').filter({ hasText: /Sold: order|Vendu\s: commande/ }).textContent())!)![1];

  journey('a clerk sells two seats chosen on the map for cash; the tickets carry them and the shop shows them taken', async (page) => {
    await openBoxOffice(page);
    await page.getByLabel('Event').selectOption({ label: 'Cyrano' });
    await page.getByLabel('Date').selectOption({ index: 1 });
    await page.getByRole('heading', { name: 'Choose the seats' }).waitFor();
    // Nothing to sell before a seat is chosen.
    assert.equal(await page.getByRole('button', { name: 'Sell and take payment' }).isDisabled(), true);
    await checkAccessibility(page, 'box office seat map');
    await page.getByRole('button', { name: 'Row B, seat 3, €25.00, available' }).click();
    await page.getByRole('button', { name: 'Row B, seat 4, €25.00, available' }).click();
    await page.getByText('Seats chosen (2)').waitFor();
    await page.getByText('Total: €50.00').waitFor();
    // The second seat at the reduced tariff.
    await page.getByLabel('Tariff for Row B, seat 4').selectOption({ label: 'Reduced · €18.00' });
    await page.getByText('Total: €43.00').waitFor();
    await shot(page, 'box-office-seats-laptop');
    await page.getByRole('button', { name: 'Sell and take payment' }).click();
    await page.getByText(/Sold: order/).waitFor();
    assert.equal(await page.getByRole('img', { name: /^QR / }).count(), 2);
    assert.deepEqual((await page.getByTestId('ticket-seat').allTextContents()).sort(), ['Row B, seat 3', 'Row B, seat 4']);
    await checkAccessibility(page, 'box office seats sold');
    await shot(page, 'box-office-seats-sold-laptop');

    const sold = await soldWith(await orderNumber(page));
    assert.deepEqual(sold.seats, ['B-3', 'B-4']);
    assert.equal(sold.order.status, 'paid');
    assert.equal(sold.order.total, 4300);
    assert.deepEqual(sold.payments.map((p) => [p.provider, p.method, p.status, p.amount]), [['manual', 'cash', 'authorised', 4300]]);

    // The shop's seat map shows both seats taken (its availability is cached a second: reload until it says so).
    const { context, page: buyer } = await newPage(browser);
    try {
      let taken = 0;
      for (let i = 0; i < 40 && taken < 2; i++) {
        await buyer.goto(`${server.url}/events/${shop.eventId}`);
        await buyer.getByRole('heading', { name: 'Choose your seats' }).waitFor();
        taken = await buyer.getByRole('button', { name: /^Row B, seat [34], taken$/ }).count();
        if (taken < 2) await buyer.waitForTimeout(100);
      }
      assert.equal(taken, 2, 'the shop shows B3 and B4 taken');
      assert.equal(await buyer.getByRole('button', { name: /^Row B, seat 2, €18\.00, available$/ }).count(), 1, 'their neighbour is still free');
    } finally {
      await context.close();
    }
  }, { browser: () => browser });

  journey('on a phone, in French: a seat taken meanwhile is explained, then the best two seats are sold by card terminal', async (page) => {
    await openBoxOffice(page, true);
    await page.getByLabel('Événement').selectOption({ label: 'Cyrano' });
    await page.getByLabel('Date').selectOption({ index: 1 });
    await page.getByRole('heading', { name: 'Choisissez les places' }).waitFor();
    await page.getByRole('button', { name: /^Rang C, place 1, .*, disponible$/ }).click();
    await page.getByRole('button', { name: /^Rang C, place 2, .*, disponible$/ }).click();
    await page.getByText('Places choisies (2)').waitFor();
    await someoneTakes('C-2');
    await page.getByRole('button', { name: 'Vendre et encaisser' }).click();
    await page.getByRole('alert').filter({ hasText: 'Rang C, place 2 a été prise entre-temps (en ligne ou à un autre guichet) et est rendue' }).waitFor();
    await page.getByText('Place choisie (1)').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Rang C, place 1, .*, choisie$/ }).count(), 1, 'the other seat stays chosen');
    await checkAccessibility(page, 'box office seat refused (fr, phone)');
    await shot(page, 'box-office-seats-refused-fr-phone');

    // Best available instead: two seats side by side, chosen by the server.
    await page.getByText('Meilleures places', { exact: true }).click();
    await page.getByLabel('Tarif').selectOption({ index: 1 });
    await page.getByLabel('Quantité').fill('2');
    await page.getByText('Terminal de paiement', { exact: true }).click();
    await checkAccessibility(page, 'box office best available (fr, phone)');
    await page.getByRole('button', { name: 'Vendre et encaisser' }).click();
    await page.getByText(/Vendu\s: commande/).waitFor();
    const shown = (await page.getByTestId('ticket-seat').allTextContents()).sort();
    assert.equal(shown.length, 2);
    for (const line of shown) assert.match(line, /^Rang [A-D], place \d$/);
    await shot(page, 'box-office-seats-best-fr-phone');

    const sold = await soldWith(await orderNumber(page));
    assert.deepEqual(sold.payments.map((p) => [p.provider, p.method, p.status]), [['manual', 'card_terminal', 'authorised']]);
    assert.deepEqual(sold.seats.map((s) => `Rang ${s.split('-')[0]}, place ${s.split('-')[1]}`), shown, 'the tickets shown are the seats sold');
    const [a, b] = sold.seats.map((s) => ({ row: s.split('-')[0], number: Number(s.split('-')[1]) }));
    assert.equal(a.row, b.row, 'side by side: one row');
    assert.equal(Math.abs(a.number - b.number), 1, 'side by side: neighbours');
    assert.notDeepEqual([a.number, b.number].sort(), [4, 5], 'not across the aisle');
    assert.ok(!sold.seats.includes('B-3') && !sold.seats.includes('B-4') && !sold.seats.includes('C-2'), 'never a seat someone else has');
  }, { browser: () => browser, locale: 'fr-FR', viewport: PHONE });
});
