import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { checkAccessibility, journey, launchBrowser, PHONE, skipBrowser, startServer, type WebServer, buyInShop, signInToBackOffice } from './harness.ts';
import { operatorPrincipal } from '../../src/demo/seed.ts';

const SHOTS = process.env.MANAGE_SCREENSHOTS;

/**
 * The back office in real Chromium: from an empty organization, an event with two dates, two
 * sections and three tariffs is created and listed; a sale made in the shop's pages (another
 * browser) shows on the dashboard; one ticket is refunded and the figures move; a cash sale at the box
 * office; an invitation; each role sees exactly its pages and the server refuses the rest, even
 * when called by hand from the page. axe on every page.
 */
describe('web: the back office', { skip: skipBrowser }, () => {
  let server: WebServer;
  let browser: Browser;
  let organizationId: number;
  const password = 'manage-password';

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const core = server.app.core;
    // The owner is also a platform administrator here, so the listing needs no second person.
    const owner = await core.accounts.create({ username: 'owner', email: 'owner@theatre.test', password, platformRole: 'administrator', firstName: 'Olive', lastName: 'Owner' });
    const org = await core.organizations.create({ slug: 'theatre', name: 'Théâtre Graslin', currency: 'EUR', timeZone: 'Europe/Paris', locale: 'fr-FR' }, { accountId: owner.id });
    organizationId = org.id;
    const op = operatorPrincipal(org.id, owner.id);
    for (const role of ['manager', 'box_office', 'door_staff'] as const) {
      await core.accounts.register(op, { username: role, email: `${role}@theatre.test`, password, role });
    }
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const signIn = (page: Page, email: string) => signInToBackOffice(page, server.url, email, password);
  const nav = (page: Page) => page.getByRole('navigation', { name: 'Back office' });
  async function shot(page: Page, name: string) {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  }
  const figure = async (page: Page, section: string, label: string) =>
    (await page.locator(`section[aria-labelledby="${section}"]`).getByText(label, { exact: true }).locator('xpath=following-sibling::*[1]').textContent())?.trim();

  journey('the owner creates and lists an event, sees a sale on the dashboard, refunds a ticket, sells at the box office, invites a member', async (page) => {
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, 'owner@theatre.test');
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await checkAccessibility(page, 'manage dashboard (empty)');
    assert.equal(await figure(page, 'period', 'Tickets sold'), '0');

    // Events: create one with two dates, two sections and three tariffs.
    await nav(page).getByRole('link', { name: 'Events', exact: true }).click();
    await page.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
    await checkAccessibility(page, 'manage events');
    await page.getByRole('link', { name: 'Create an event' }).click();
    await page.getByRole('heading', { name: 'Create an event' }).waitFor();
    await page.getByLabel('Title').fill('Les Fourberies de Scapin');
    await page.getByLabel('Starts at 1').fill('2027-03-12T20:00');
    await page.getByRole('button', { name: 'Add a date' }).click();
    await page.getByLabel('Starts at 2').fill('2027-03-13T20:00');
    await page.getByLabel('Section name 1').fill('Orchestre');
    await page.getByLabel('Capacity 1').fill('200');
    await page.getByRole('button', { name: 'Add a section' }).click();
    await page.getByLabel('Section name 2').fill('Balcon');
    await page.getByLabel('Capacity 2').fill('80');
    await page.getByLabel('Label 1').fill('Plein tarif');
    await page.getByLabel('Price 1').fill('32');
    await page.getByRole('button', { name: 'Add a tariff' }).click();
    await page.getByLabel('Label 2').fill('Réduit');
    await page.getByLabel('Price 2').fill('24');
    await page.getByLabel('Max per order 2').fill('4');
    await page.getByRole('button', { name: 'Add a tariff' }).click();
    await page.getByLabel('Label 3').fill('Balcon');
    await page.getByLabel('Section 3', { exact: true }).selectOption({ label: 'Balcon' });
    await page.getByLabel('Price 3').fill('18');
    await checkAccessibility(page, 'manage event form');
    await shot(page, 'event-form');
    await page.getByRole('button', { name: 'Create the event' }).click();
    await page.getByRole('heading', { name: 'Les Fourberies de Scapin', level: 1 }).waitFor();
    await page.getByText('Draft', { exact: true }).waitFor();
    await checkAccessibility(page, 'manage event detail');
    // Its life cycle: submitted, then listed (the owner is a platform administrator here).
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('Under review', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'List in the shop' }).click();
    await page.getByText('Listed', { exact: true }).waitFor();
    const eventId = Number(/events\/(\d+)/.exec(page.url())![1]);
    const event = (await server.app.core.events.read(operatorPrincipal(organizationId, null), eventId));
    assert.equal(event.dates.length, 2);
    assert.equal(event.sections.length, 2);
    assert.equal(event.tariffs.length, 3);
    assert.deepEqual(event.tariffs.map((t) => t.price), [3200, 2400, 1800]);

    // A buyer buys two tickets; the dashboard shows them.
    await buyInShop(browser, server.url, eventId, 'Orchestre — Plein tarif', { quantity: 2 });
    await nav(page).getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.reload();
    await page.getByTestId(`by-event-${eventId}`).waitFor();
    assert.equal(await figure(page, 'today', 'Tickets sold'), '2');
    assert.match((await figure(page, 'today', 'Revenue (net of refunds)'))!, /64[.,]00/);
    await page.getByLabel('Event', { exact: true }).selectOption({ label: 'Les Fourberies de Scapin' });
    await page.getByRole('heading', { name: 'How full' }).waitFor();
    await checkAccessibility(page, 'manage dashboard (with sales)');
    await shot(page, 'dashboard');

    // Orders: found by the buyer's name; one ticket refunded; the figures move.
    await nav(page).getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByLabel('Search by number, name or e-mail').fill('jeanne');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('row', { name: /Jeanne Acheteuse/ }).getByRole('link').click();
    await page.getByRole('heading', { name: /^Order / }).waitFor();
    await checkAccessibility(page, 'manage order detail');
    await page.getByRole('checkbox').first().check();
    await page.getByRole('button', { name: 'Refund selected tickets' }).click();
    await page.getByText('Done.').waitFor();
    await page.getByText('Partly refunded').first().waitFor();
    await shot(page, 'order');
    await nav(page).getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    assert.equal(await figure(page, 'today', 'Tickets sold'), '1');
    const counts = (await server.app.core.ticketCounts.list(operatorPrincipal(organizationId, null), eventId, { limit: 100, offset: 0 }, {})).items;
    assert.equal(counts.reduce((n, c) => n + c.sales, 0), 1, 'the ticket counts say the same');

    // The box office: a cash sale, tickets shown to hand over.
    await nav(page).getByRole('link', { name: 'Box office', exact: true }).click();
    await page.getByLabel('Event').selectOption({ label: 'Les Fourberies de Scapin' });
    await page.getByLabel('Date').selectOption({ index: 2 });
    await page.getByLabel('Tariff').selectOption({ index: 3 });
    await page.getByLabel('Quantity').fill('2');
    await checkAccessibility(page, 'manage box office');
    await page.getByRole('button', { name: 'Sell and take payment' }).click();
    await page.getByText(/Sold: order/).waitFor();
    assert.equal(await page.getByRole('img', { name: /^QR / }).count(), 2);
    await checkAccessibility(page, 'manage box office sold');
    await shot(page, 'box-office');

    // Members: invite someone; the code is shown once.
    await nav(page).getByRole('link', { name: 'Members', exact: true }).click();
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    await page.getByLabel('E-mail address').fill('new.manager@theatre.test');
    await page.getByLabel('Role', { exact: true }).selectOption('manager');
    await page.getByRole('button', { name: 'Send the invitation' }).click();
    const code = (await page.getByTestId('invitation-code').textContent())!;
    await server.app.core.delivery.drain(); // the invitation's e-mail is the outbox's, sent after the commit
    assert.ok(server.mailer.outbox.some((m) => m.to === 'new.manager@theatre.test' && m.text.includes(code)));
    await checkAccessibility(page, 'manage members');
    await shot(page, 'members');
  }, { browser: () => browser });

  journey('each role sees exactly its pages; the server refuses the others even when called by hand', async (page) => {
    const expected = {
      manager: ['Dashboard', 'Events', 'Orders', 'Box office', 'Discount codes', 'Guest lists', 'Holds and kills', 'Ticket counts', 'Promotions', 'Exports', 'Door set-up', 'Partners and access', 'Settings', 'Door'],
      box_office: ['Orders', 'Box office'],
      door_staff: ['Door'],
    };
    for (const [role, links] of Object.entries(expected)) {
      await page.context().clearCookies();
      await signIn(page, `${role}@theatre.test`);
      const nav = page.getByRole('navigation', { name: 'Back office' });
      await nav.waitFor();
      assert.deepEqual(await nav.getByRole('link').allTextContents(), links, role);
      await checkAccessibility(page, `manage home (${role})`);
      if (role === 'box_office') await shot(page, 'box-office-role-phone');
      // A page the role does not open says so.
      await page.goto(`${server.url}/manage/members`);
      await page.getByRole('alert').filter({ hasText: 'Your role does not give access to this page.' }).waitFor();
      // And the API refuses the call made by hand from the page, with the session's own CSRF token.
      const refused = await page.evaluate(async (org) => {
        const session = await (await fetch('/api/session')).json();
        const headers = { 'X-Organization': String(org), 'X-CSRF-Token': session.session.csrf_token, 'content-type': 'application/json' };
        const invite = await fetch('/api/invitations', { method: 'POST', headers, body: JSON.stringify({ invitation: { email: 'x@y.test', role: 'owner' } }) });
        const dashboard = await fetch('/api/dashboard', { headers });
        return { invite: invite.status, dashboard: dashboard.status };
      }, organizationId);
      assert.equal(refused.invite, 403, role);
      assert.equal(refused.dashboard, role === 'manager' ? 200 : 403, role);
    }
  }, { browser: () => browser, viewport: PHONE });
});
