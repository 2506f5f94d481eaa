import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { platform, type TestPlatform } from '../helpers.ts';
import { operatorPrincipal } from '../../src/demo/seed.ts';
import { issueTickets, signingKey, signTickets, toTicket } from '../../src/core/selling/tickets.ts';
import { writeQrVideo } from './door-video.ts';
import { DOOR_BROWSER_SKIP, axeCheck, launchChromium, listen } from './door-harness.ts';
import { ensureWebBuilt } from './harness.ts';

/**
 * The door app in real Chromium against a real server on a fresh database (DESIGN §7): two gates
 * apart admitting one ticket, the camera (Chromium's fake capture device showing a ticket's QR code),
 * a hand scanner typing, forged payloads, a reload without network, the end of a session, and axe on
 * every screen.
 */
describe('door app journeys (Chromium)', { skip: DOOR_BROWSER_SKIP }, () => {
  let p: TestPlatform;
  let base: string;
  let browser: Browser;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-door-'));

  before(async () => {
    ensureWebBuilt(); // before the app is built: it reads web/dist's pages once
    p = await platform();
    base = await listen(p.app);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await p?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  interface Issued { id: number; barcode: string; qr: string; holder: string }

  /** An event with two sections and `n` tickets on Floor (setup through the core; the door is then used as staff would). */
  async function eventWithTickets(n: number, options: { reentry?: boolean } = {}) {
    const op = operatorPrincipal(p.a.organizationId, p.a.adminAccountId);
    const event = await p.app.core.events.create(op, {
      title: `Concert ${Math.random().toString(36).slice(2, 6)}`,
      sections: [{ name: 'Floor', capacity: 1000 }, { name: 'Balcony', capacity: 100 }],
      dates: [{ startsAt: '2027-03-01T20:00:00+01:00' }],
      reentryAllowed: options.reentry ?? false,
    });
    const tariff = await p.app.core.events.addTariff(op, event.id, { sectionId: event.sections[0].id, label: 'Standing', price: 3000, quota: null, maxPerOrder: null, saleStartsAt: null, saleEndsAt: null });
    const now = p.clock().toISOString();
    const key = await signingKey(p.database.db, p.a.organizationId, now);
    const rows = await p.database.transaction((trx) =>
      issueTickets(trx, p.a.organizationId, Array.from({ length: n }, (_, i) => ({
        eventId: event.id, dateId: event.dates[0].id, sectionId: event.sections[0].id, tariffId: tariff.id, orderId: null, orderLineId: null, guestId: null,
        kind: 'sale' as const, holderName: `Holder ${i + 1}`, holderEmail: null, holderAccountId: null,
      })), now),
    );
    await signTickets(p.database, p.a.organizationId, rows, now);
    const tokens = await p.app.core.door.tokens.list(op, event.id, { limit: 10, offset: 0 }, { global: true });
    const { code } = await p.app.core.door.tokens.reissueCode(op, event.id, tokens.items[0].id);
    const tickets: Issued[] = rows.map((r, i) => ({ id: r.id, barcode: r.barcode, qr: toTicket(r, key).qrPayload!, holder: `Holder ${i + 1}` }));
    return { eventId: event.id, code, tickets };
  }

  async function phone(options: { locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: options.locale ?? 'en-GB' });
    const page = await context.newPage();
    return { context, page };
  }

  /** Opens /door, starts a session with the code and gate name, and waits until the device is ready (tickets stored, offline app installed). */
  async function startGate(page: Page, code: string, gate: string) {
    await page.goto(`${base}/door`);
    await page.getByLabel(/Admission code/).fill(code);
    await page.getByLabel(/Gate or device name/).fill(gate);
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByTestId('door-answer').waitFor();
    // The service worker controls the page and has the decoder: the door now opens offline.
    await page.locator('html[data-door-offline="ready"]').waitFor({ state: 'attached', timeout: 20000 });
  }

  const answer = (page: Page) => page.getByTestId('door-answer');
  async function scanByKeyboard(page: Page, code: string) {
    const before = await answer(page).getAttribute('data-seq');
    const input = page.getByTestId('door-scanner-input');
    await input.focus();
    await page.keyboard.type(code, { delay: 0 });
    await page.keyboard.press('Enter');
    await page.waitForFunction((prev) => document.querySelector('[data-testid="door-answer"]')?.getAttribute('data-seq') !== prev, before);
    return { admitted: await answer(page).getAttribute('data-admitted'), reason: await answer(page).getAttribute('data-reason'), offline: await answer(page).getAttribute('data-offline'), text: await answer(page).innerText() };
  }
  const waiting = async (page: Page) => Number(await page.getByTestId('door-waiting').getAttribute('data-value'));
  const noneWaiting = (page: Page) => page.locator('[data-testid="door-waiting"][data-value="0"]').waitFor({ timeout: 20000 });

  const serverAdmissions = async (ticketId: number) =>
    Number((await p.database.db.selectFrom('scans').select((eb) => eb.fn.countAll<number>().as('n')).where('ticket_id', '=', ticketId).where('result', '=', 'admitted').where('direction', '=', 'in').executeTakeFirstOrThrow()).n);

  test('two gates apart admit tickets, one ticket at both; back online, the server has one admission of it and both gates show the conflict', async () => {
    const { code, tickets } = await eventWithTickets(5);
    const [shared, a1, a2, b1] = tickets;
    const gateA = await phone();
    const gateB = await phone();
    await startGate(gateA.page, code, 'North gate');
    await axeCheck(gateA.page, 'door: scanning, ready');
    await startGate(gateB.page, code, 'South gate');

    await gateA.context.setOffline(true);
    await gateB.context.setOffline(true);
    await gateA.page.getByTestId('door-network').filter({ hasText: 'Offline' }).waitFor();

    // Gate A first, then B a moment later: A's scan of the shared ticket is the earlier one.
    for (const t of [shared, a1]) assert.deepEqual((({ admitted, offline }) => ({ admitted, offline }))(await scanByKeyboard(gateA.page, t.qr)), { admitted: 'true', offline: 'true' });
    assert.equal((await scanByKeyboard(gateA.page, a2.barcode)).admitted, 'true');
    await axeCheck(gateA.page, 'door: admitted offline');
    const sharedAtB = await scanByKeyboard(gateB.page, shared.qr);
    assert.equal(sharedAtB.admitted, 'true', 'gate B cannot know: it admits too');
    assert.equal((await scanByKeyboard(gateB.page, b1.barcode)).admitted, 'true');
    // Scanned twice at the same gate: refused at once, from the device's own admissions.
    const again = await scanByKeyboard(gateB.page, b1.barcode);
    assert.deepEqual([again.admitted, again.reason], ['false', 'already_admitted']);
    assert.match(again.text, /South gate/);
    await axeCheck(gateB.page, 'door: refused offline');
    assert.equal(await waiting(gateA.page), 3);
    assert.equal(await waiting(gateB.page), 3);

    // Back online: the `online` event syncs each gate (upload in order, then the changes since its cursor).
    await gateA.context.setOffline(false);
    await noneWaiting(gateA.page);
    await gateB.context.setOffline(false);
    await noneWaiting(gateB.page);
    // A synced before B uploaded: its next sync (timer, or the button) brings the conflict.
    await gateA.page.getByRole('button', { name: 'Sync now' }).click();
    for (const gate of [gateA, gateB]) {
      await gate.page.getByTestId('door-conflict').first().waitFor({ timeout: 15000 });
      const line = await gate.page.getByTestId('door-conflict').first().innerText();
      assert.match(line, /Holder 1/);
      assert.match(line, /North gate.*South gate/);
    }
    await axeCheck(gateB.page, 'door: conflicts');

    assert.equal(await serverAdmissions(shared.id), 1, 'exactly one admission of the shared ticket');
    for (const t of [a1, a2, b1]) assert.equal(await serverAdmissions(t.id), 1);
    const conflicts = await p.database.db.selectFrom('scan_conflicts').selectAll().where('ticket_id', '=', shared.id).execute();
    assert.equal(conflicts.length, 1);
    // The event's counters, as the gates now show them.
    assert.match(await gateA.page.getByTestId('door-event-counts').innerText(), /4 \/ 5/);
    await gateA.context.close();
    await gateB.context.close();
  });

  test('a hand scanner types into the focused input and presses Enter; the gate warns when the input loses the focus', async () => {
    const { code, tickets } = await eventWithTickets(2);
    const { context, page } = await phone();
    await startGate(page, code, 'Hall');
    // No click: the input already has the focus, as a hand scanner needs.
    await page.keyboard.type(tickets[0].barcode);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="door-answer"][data-admitted="true"]').waitFor();
    assert.match(await answer(page).innerText(), /Admitted[\s\S]*Holder 1[\s\S]*Floor[\s\S]*Standing/);
    assert.equal(await answer(page).getAttribute('data-offline'), 'false');
    assert.equal(await serverAdmissions(tickets[0].id), 1);
    // Another control takes the focus: a visible warning, and one tap gives it back.
    await page.getByLabel('Language').focus();
    await page.getByTestId('door-focus-lost').waitFor();
    await axeCheck(page, 'door: focus lost warning');
    await page.getByTestId('door-focus-lost').click();
    await page.getByTestId('door-scanner-ready').waitFor();
    await context.close();
  });

  test('a forged payload is refused online and offline', async () => {
    const { code, tickets } = await eventWithTickets(1);
    const { context, page } = await phone();
    await startGate(page, code, 'Forgery desk');
    const qr = tickets[0].qr;
    const lastDot = qr.lastIndexOf('.');
    const sig = qr.slice(lastDot + 1);
    const forged = `${qr.slice(0, lastDot)}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    const online = await scanByKeyboard(page, forged);
    assert.deepEqual([online.admitted, online.reason, online.offline], ['false', 'invalid_signature', 'false']);
    assert.match(online.text, /Forged or damaged code/);
    await context.setOffline(true);
    const offline = await scanByKeyboard(page, forged);
    assert.deepEqual([offline.admitted, offline.reason, offline.offline], ['false', 'invalid_signature', 'true']);
    // The real one still passes, offline.
    assert.equal((await scanByKeyboard(page, qr)).admitted, 'true');
    await context.close();
  });

  test('reloaded without a network, the door opens and keeps its queue; back online it uploads; ending the session forgets the tickets', async () => {
    const { code, tickets } = await eventWithTickets(3);
    const { context, page } = await phone({ locale: 'fr-FR' });
    await page.goto(`${base}/door`);
    await axeCheck(page, 'door: start (fr)');
    await page.getByLabel(/Code d’accès/).fill(code);
    await page.getByLabel(/Nom du point de contrôle/).fill('Entrée nord');
    await page.getByRole('button', { name: 'Commencer' }).click();
    await page.getByTestId('door-answer').waitFor();
    await page.locator('html[data-door-offline="ready"]').waitFor({ state: 'attached', timeout: 20000 });
    await context.setOffline(true);
    assert.equal((await scanByKeyboard(page, tickets[0].barcode)).admitted, 'true');
    assert.equal(await waiting(page), 1);
    await page.reload();
    await page.getByTestId('door-answer').waitFor();
    assert.equal(await waiting(page), 1, 'the queue survived the reload');
    const again = await scanByKeyboard(page, tickets[0].barcode);
    assert.deepEqual([again.admitted, again.reason], ['false', 'already_admitted']);
    assert.match(again.text, /Déjà entré/);
    await context.setOffline(false);
    await noneWaiting(page);
    assert.equal(await serverAdmissions(tickets[0].id), 1);
    assert.equal(await page.getByTestId('door-conflict').count(), 0, 'a scan the gate refused is no conflict');

    await page.getByRole('button', { name: 'Terminer la session' }).click();
    await page.getByRole('dialog').waitFor();
    await axeCheck(page, 'door: end session dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Terminer la session' }).click();
    await page.getByLabel(/Code d’accès/).waitFor();
    const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    assert.ok(!databases.includes('guichet-door'), 'the tickets are forgotten');
    await context.close();
  });

  test('a scan answered before IndexedDB has written it survives a reload: the gate answers at once, and no scan is lost', async () => {
    const { code, tickets } = await eventWithTickets(2);
    const { context, page } = await phone();
    await startGate(page, code, 'East gate');
    await context.setOffline(true);
    // The page is closed before the scan's transaction commits (a reload, a crashed tab): here, every
    // transaction the page commits from now on is aborted instead, so IndexedDB never gets the scan.
    await page.evaluate(() => {
      IDBTransaction.prototype.commit = function (this: IDBTransaction) {
        this.abort();
      };
    });
    const first = await scanByKeyboard(page, tickets[0].barcode);
    assert.deepEqual([first.admitted, first.offline], ['true', 'true'], 'answered without waiting for IndexedDB');
    assert.equal(await waiting(page), 1);
    const journal = await page.evaluate(() => JSON.parse(localStorage.getItem('guichet-door-journal') ?? '[]') as { scan: { code: string } | null }[]);
    assert.deepEqual(journal.map((e) => e.scan?.code), [tickets[0].barcode], 'not written yet: kept in the journal');
    await page.reload();
    await page.getByTestId('door-answer').waitFor();
    assert.equal(await waiting(page), 1, 'the scan is in the queue after the reload');
    const again = await scanByKeyboard(page, tickets[0].barcode);
    assert.deepEqual([again.admitted, again.reason], ['false', 'already_admitted'], 'and the gate remembers it let that ticket in');
    assert.match(await page.getByTestId('door-gate-counts').innerText(), /1 admitted[\s\S]*2 scans · 1 refused/, 'the counts kept with the scan');
    await context.setOffline(false);
    await noneWaiting(page);
    assert.equal(await serverAdmissions(tickets[0].id), 1);
    await context.close();
  });

  test('the camera: Chromium’s fake capture device shows a ticket’s QR code, and the gate admits that ticket', async () => {
    const { code, tickets } = await eventWithTickets(1);
    const video = path.join(tmp, 'ticket.y4m');
    writeQrVideo(video, tickets[0].qr);
    const camera = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
    try {
      const context = await camera.newContext({ viewport: { width: 390, height: 844 }, permissions: ['camera'] });
      const page = await context.newPage();
      await startGate(page, code, 'Camera gate');
      await page.getByTestId('door-camera-toggle').click();
      await page.locator('[data-testid="door-answer"][data-admitted="true"]').waitFor({ timeout: 30000 });
      assert.match(await answer(page).innerText(), /Holder 1/);
      await axeCheck(page, 'door: camera on, admitted');
      assert.equal(await serverAdmissions(tickets[0].id), 1);
    } finally {
      await camera.close();
    }
  });
});
