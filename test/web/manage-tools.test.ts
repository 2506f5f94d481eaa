import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { checkAccessibility, journey, launchBrowser, PHONE, skipBrowser, startServer, type WebServer, buyInShop, signInToBackOffice } from './harness.ts';
import { operatorPrincipal } from '../../src/demo/seed.ts';

const SHOTS = process.env.MANAGE_SCREENSHOTS;

/**
 * The back office's selling, reporting, door and access pages in real Chromium, each driven as an
 * organizer would: a discount code created, then used in the shop (its use counted); comps for a
 * guest, withdrawn; kills and holds moving the sellable figures, an impossible one refused without
 * losing what was typed; an external count entered, approved, another rejected; an export followed
 * to its CSV; a door token whose code opens a door session; a Pims user whose password calls the
 * Pims API; the organization's settings; each role sees exactly these pages and the server refuses
 * the calls by hand. axe on every page, in English, one refusal in French.
 */
describe('web: the back office tools', { skip: skipBrowser }, () => {
  let server: WebServer;
  let browser: Browser;
  let organizationId: number;
  let eventId: number;
  const password = 'manage-password';
  const title = 'Le Bourgeois gentilhomme';

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const core = server.app.core;
    const owner = await core.accounts.create({ username: 'owner', email: 'owner@opera.test', password, firstName: 'Olive', lastName: 'Owner' });
    const org = await core.organizations.create({ slug: 'opera', name: 'Opéra Graslin', currency: 'EUR', timeZone: 'Europe/Paris', locale: 'fr-FR' }, { accountId: owner.id });
    organizationId = org.id;
    const op = operatorPrincipal(org.id, owner.id);
    const venue = await core.places.createVenue(op, { name: 'Grande salle', kind: 'hall', addressLine1: '1 place Graslin', zip: '44000', city: 'Nantes', countryCode: 'FR' });
    const event = await core.events.create(op, {
      title, venueId: venue.id, timeZone: 'Europe/Paris',
      sections: [{ name: 'Orchestre', capacity: 100 }, { name: 'Balcon', capacity: 40 }],
      dates: [{ startsAt: '2027-05-01T20:00:00+02:00' }, { startsAt: '2027-05-02T20:00:00+02:00' }],
    });
    eventId = event.id;
    await core.events.addTariff(op, event.id, { sectionId: event.sections[0].id, label: 'Plein', price: 3000, maxPerOrder: 6 });
    await core.events.addTariff(op, event.id, { sectionId: event.sections[1].id, label: 'Balcon', price: 1500, maxPerOrder: 6 });
    await core.events.transition(op, event.id, 'under_review');
    await core.events.transition(op, event.id, 'listed');
    await core.channels.create(op, { name: 'Fnac', kind: 'reseller', external: true });
    for (const role of ['manager', 'box_office', 'door_staff'] as const) {
      await core.accounts.register(op, { username: role, email: `${role}@opera.test`, password, role });
    }
    if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const signIn = (page: Page, email: string, next = '/manage') => signInToBackOffice(page, server.url, email, password, next);
  const nav = (page: Page) => page.getByRole('navigation', { name: 'Back office' });
  async function open(page: Page, link: string, label: string) {
    await nav(page).getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { name: label, level: 1 }).waitFor();
  }
  async function shot(page: Page, name: string) {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  }
  const chooseEvent = (page: Page) => page.getByLabel('Event', { exact: true }).selectOption({ label: title });

  journey('selling tools: a discount code used in the shop, comps for a guest, holds and kills', async (page) => {
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, 'owner@opera.test');

    // Discount codes: a refused code keeps what was typed; the right one is created, used in the shop, deactivated.
    await open(page, 'Discount codes', 'Discount codes');
    await checkAccessibility(page, 'manage codes (empty)');
    await page.getByRole('textbox', { name: 'Code', exact: true }).fill('SPRING 20');
    await page.getByLabel('Percent off').fill('20');
    await page.getByLabel('Usage limit').fill('5');
    await page.getByRole('button', { name: 'Create the code' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Code', exact: true }).inputValue(), 'SPRING 20', 'what was typed stays');
    await page.getByText('This value is not accepted.').waitFor();
    assert.equal(await page.getByLabel('Usage limit').inputValue(), '5');
    await page.getByRole('textbox', { name: 'Code', exact: true }).fill('SPRING20');
    await page.getByRole('button', { name: 'Create the code' }).click();
    const row = page.getByTestId('code-SPRING20');
    await row.getByText('0 of 5').waitFor();
    await buyInShop(browser, server.url, eventId, 'Orchestre — Plein', { quantity: 2, code: 'SPRING20' });
    await page.reload();
    await row.getByText('1 of 5').waitFor();
    await checkAccessibility(page, 'manage codes');
    await shot(page, 'codes');
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await row.getByText('Inactive').waitFor();
    const code = (await server.app.core.codes.list(operatorPrincipal(organizationId, null), { limit: 10, offset: 0 })).items.find((c) => c.code === 'SPRING20')!;
    assert.equal(code.active, false);
    assert.equal(code.used, 1);

    // Guest lists: two comps for a named guest, then withdrawn.
    await open(page, 'Guest lists', 'Guest lists');
    await chooseEvent(page);
    await page.getByLabel('Guest name').fill('Marie Invitée');
    await page.getByLabel('Tickets').fill('2');
    await page.getByRole('combobox', { name: 'Date', exact: true }).selectOption({ index: 1 });
    await page.getByRole('combobox', { name: 'Section', exact: true }).selectOption({ label: 'Balcon' });
    await page.getByRole('button', { name: 'Issue the comps' }).click();
    const guest = page.locator('tr', { hasText: 'Marie Invitée' });
    await guest.getByText('Issued').waitFor();
    await checkAccessibility(page, 'manage guests');
    await shot(page, 'guests');

    // Holds and kills: the comps are counted; kills and holds lower what is sellable; an impossible change is refused.
    await open(page, 'Holds and kills', 'Holds and kills');
    await chooseEvent(page);
    const balcony = page.locator('tr', { hasText: 'Balcon' }).first();
    await balcony.getByRole('textbox', { name: /^Kills,/ }).waitFor();
    const cells = async () => (await balcony.locator('td').allTextContents()).map((s) => s.trim());
    assert.deepEqual((await cells()).slice(2, 5), ['40', '0', '2'], 'capacity, sold, comps');
    await balcony.getByRole('textbox', { name: /^Kills,/ }).fill('3');
    await balcony.getByRole('textbox', { name: /^Holds,/ }).fill('5');
    await balcony.getByRole('button', { name: /^Save/ }).click();
    await page.getByText('Saved.').waitFor();
    await balcony.locator('td').nth(7).filter({ hasText: /^30$/ }).waitFor();
    assert.equal((await cells())[7], '30', 'sellable = 40 − 3 − 2 − 5');
    await balcony.getByRole('textbox', { name: /^Holds,/ }).fill('500');
    await balcony.getByRole('button', { name: /^Save/ }).click();
    await page.getByRole('alert').filter({ hasText: 'would no longer fit in the capacity' }).waitFor();
    assert.equal(await balcony.getByRole('textbox', { name: /^Holds,/ }).inputValue(), '500', 'the refused figure stays typed');
    await checkAccessibility(page, 'manage holds');
    await shot(page, 'holds');

    // Back to the guest list: the comps withdrawn, their places back.
    await open(page, 'Guest lists', 'Guest lists');
    await chooseEvent(page);
    await guest.getByRole('button', { name: 'Withdraw' }).click();
    await guest.getByText('Withdrawn').waitFor();
    const figures = (await server.app.core.capacities.list(operatorPrincipal(organizationId, null), eventId)).find((c) => c.comps > 0);
    assert.equal(figures, undefined, 'no comps left');
  }, { browser: () => browser });

  journey('reporting and access: counts entered and approved, an export downloaded, a door token, a Pims user, settings', async (page) => {
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, 'owner@opera.test');

    // Ticket counts: the shop's sale counted automatically; an external count entered then approved, another rejected.
    await open(page, 'Ticket counts', 'Ticket counts');
    await chooseEvent(page);
    await page.getByText('Guichet (automatic)').first().waitFor();
    const enter = async (sales: string) => {
      await page.getByLabel('Channel').selectOption({ label: 'Fnac' });
      await page.getByRole('combobox', { name: 'Date', exact: true }).selectOption({ index: 1 });
      await page.getByLabel('Tariff').selectOption({ index: 1 });
      await page.getByLabel('Tickets').fill(sales);
      await page.getByLabel('Amount (EUR)').fill(String(Number(sales) * 30));
      await page.getByRole('button', { name: 'Enter the count' }).click();
    };
    await enter('12');
    const entered = page.locator('tr', { hasText: 'Entered' });
    await entered.getByText('Awaiting approval').waitFor();
    await checkAccessibility(page, 'manage ticket counts');
    await shot(page, 'ticket-counts');
    await entered.getByRole('button', { name: 'Approve' }).click();
    await entered.getByText('Approved', { exact: true }).waitFor();
    await enter('3');
    await page.locator('tr', { hasText: 'Awaiting approval' }).getByRole('button', { name: 'Reject' }).click();
    await page.locator('tr', { hasText: 'Awaiting approval' }).waitFor({ state: 'detached' });
    const counts = (await server.app.core.ticketCounts.list(operatorPrincipal(organizationId, null), eventId, { limit: 100, offset: 0 }, { includeUnapproved: true })).items;
    assert.deepEqual(counts.filter((c) => c.source === 'entered').map((c) => [c.sales, c.approved]), [[12, true]]);

    // Exports: started, followed to the end, its CSV downloaded.
    await open(page, 'Exports', 'Exports');
    await page.getByLabel('What').selectOption('orders');
    await page.getByRole('button', { name: 'Start the export' }).click();
    await page.getByRole('button', { name: 'Download CSV' }).waitFor({ timeout: 30_000 });
    await page.getByRole('row', { name: /^Orders/ }).getByText('Done').waitFor();
    await checkAccessibility(page, 'manage exports');
    await shot(page, 'exports');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    assert.match(download.suggestedFilename(), /\.csv$/);
    assert.match(csv, /jeanne@buyers\.test/);

    // Door set-up: a token for the balcony; its code, shown once, opens a door session.
    await open(page, 'Door set-up', 'Door set-up');
    await chooseEvent(page);
    await page.getByText('Global (whole event)').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Porte balcon');
    await page.getByRole('checkbox', { name: 'Balcon' }).check();
    await page.getByRole('button', { name: 'Create the token' }).click();
    const admission = (await page.getByTestId('admission-code').textContent())!.trim();
    await checkAccessibility(page, 'manage door set-up');
    await shot(page, 'door-setup');
    const door = await fetch(`${server.url}/api/door/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session: { code: admission } }) });
    assert.equal(door.status, 201, await door.clone().text());
    await page.locator('tr', { hasText: 'Porte balcon' }).getByRole('button', { name: 'Revoke' }).click();
    await page.locator('tr', { hasText: 'Porte balcon' }).getByText('Revoked').waitFor();
    const refused = await fetch(`${server.url}/api/door/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session: { code: admission } }) });
    assert.ok(refused.status >= 400 && refused.status < 500, `refused: ${refused.status}`);

    // Partners: a Pims user whose password, shown once, calls the Pims API; an OAuth client created and revoked.
    await open(page, 'Partners and access', 'Partners and access');
    await page.getByLabel('User name').fill('fnac-reporting');
    await page.locator('section#pims, section[aria-labelledby="pims-title"]').getByRole('button', { name: 'Create' }).click();
    const pimsPassword = (await page.getByTestId('pims-secret').textContent())!.trim();
    const pims = await fetch(`${server.url}/pims/api/v1/events`, { headers: { authorization: `Basic ${Buffer.from(`fnac-reporting:${pimsPassword}`).toString('base64')}` } });
    assert.equal(pims.status, 200);
    const oauth = page.locator('section[aria-labelledby="oauth-title"]');
    await oauth.getByLabel('Name').fill('Box office kiosk');
    await oauth.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('oauth-secret').waitFor();
    await checkAccessibility(page, 'manage partners');
    await shot(page, 'partners');
    await oauth.getByRole('button', { name: 'Revoke Box office kiosk' }).click();
    await oauth.getByText('Revoked').waitFor();

    // Settings: a refusal (in French) keeps what was typed; then saved.
    await open(page, 'Settings', 'Organization settings');
    await page.getByTestId('public-key').waitFor();
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { name: 'Paramètres de l’organisation', level: 1 }).waitFor();
    await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('Opéra Graslin de Nantes');
    await page.getByLabel('Devise').fill('E1');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal((await alert.textContent())!.trim(), 'Certaines réponses manquent ou sont invalides.', 'said in French');
    await page.getByText('Cette valeur n’est pas acceptée.').waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Nom', exact: true }).inputValue(), 'Opéra Graslin de Nantes');
    await checkAccessibility(page, 'manage settings (fr, refused)');
    await page.getByLabel('Devise').fill('EUR');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Enregistré.').waitFor();
    await shot(page, 'settings-fr');
    assert.equal((await server.app.core.organizations.current(operatorPrincipal(organizationId, null))).name, 'Opéra Graslin de Nantes');
  }, { browser: () => browser });

  journey('each role sees exactly its tool pages (phone); the server refuses the rest by hand', async (page) => {
    const tools = ['Discount codes', 'Guest lists', 'Holds and kills', 'Ticket counts', 'Exports', 'Door set-up', 'Partners and access', 'Settings'];
    const expected: Record<string, string[]> = {
      owner: tools.concat('Members'),
      manager: tools,
      box_office: [],
      door_staff: [],
    };
    for (const [role, links] of Object.entries(expected)) {
      await page.context().clearCookies();
      await signIn(page, `${role}@opera.test`);
      await nav(page).waitFor();
      const shown = (await nav(page).getByRole('link').allTextContents()).filter((l) => tools.includes(l) || l === 'Members');
      assert.deepEqual(shown, links, role);
      if (role === 'manager') {
        await open(page, 'Holds and kills', 'Holds and kills');
        await checkAccessibility(page, 'manage holds (phone)');
        await shot(page, 'holds-phone');
        await open(page, 'Partners and access', 'Partners and access');
        await shot(page, 'partners-phone');
      }
      if (role !== 'owner' && role !== 'manager') {
        await page.goto(`${server.url}/manage/codes`);
        await page.getByRole('alert').filter({ hasText: 'Your role does not give access to this page.' }).waitFor();
      }
      const statuses = await page.evaluate(async ({ org, event, suffix }) => {
        const session = await (await fetch('/api/session')).json();
        const headers = { 'X-Organization': String(org), 'X-CSRF-Token': session.session.csrf_token, 'content-type': 'application/json' };
        const calls: [string, unknown][] = [
          ['/api/codes', { code: { code: `X${suffix}`, kind: 'percentage', value: 5 } }],
          [`/api/events/${event}/admission_tokens`, { admission_token: { section_ids: [1] } }],
          ['/api/partner_users', { partner_user: { username: `u${suffix}` } }],
          ['/api/exports', { export: { kind: 'orders' } }],
        ];
        const answers: number[] = [];
        for (const [path, body] of calls) answers.push((await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) })).status);
        return { code: answers[0], token: answers[1], pims: answers[2], export: answers[3] };
      }, { org: organizationId, event: eventId, suffix: role.replace('_', '') });
      const staff = role === 'owner' || role === 'manager';
      assert.equal(statuses.code, staff ? 201 : 403, `${role} code`);
      assert.equal(statuses.pims, staff ? 201 : 403, `${role} pims`);
      assert.equal(statuses.export, staff ? 202 : 403, `${role} export`);
      if (!staff) assert.equal(statuses.token, 403, `${role} token`);
    }
  }, { browser: () => browser, viewport: PHONE });
});
