import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { checkAccessibility, journey, LAPTOP, launchBrowser, PHONE, skipBrowser, startServer, type WebServer, buyInShop, signInToBackOffice } from './harness.ts';
import { operatorPrincipal } from '../../src/demo/seed.ts';
import { theatreMap } from '../core/seating/fixtures.ts';

const SHOTS = process.env.MANAGE_SCREENSHOTS;

/**
 * Editing an event in the back office, in real Chromium: created from the organization's empty
 * list, then a second date, a section with its own capacity on one date and a tariff added in
 * place; a price edited; the names asked on tickets changed; a refused change keeping what was
 * typed; the draft previewed as the shop will show it, buying disabled; once listed and sold, the
 * sold tariff's deletion refused in French while an unsold one goes. A box office member is offered
 * none of it. axe on every page, one at phone width.
 */
describe('web: editing an event and previewing it', { skip: skipBrowser }, () => {
  let server: WebServer;
  let browser: Browser;
  let organizationId: number;
  const password = 'manage-password';
  const title = 'Le Malade imaginaire';

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const core = server.app.core;
    // The owner is also a platform administrator here, so listing needs no second person.
    const owner = await core.accounts.create({ username: 'owner', email: 'owner@comedie.test', password, platformRole: 'administrator', firstName: 'Olive', lastName: 'Owner' });
    const org = await core.organizations.create({ slug: 'comedie', name: 'Comédie de Caen', currency: 'EUR', timeZone: 'Europe/Paris', locale: 'fr-FR' }, { accountId: owner.id });
    organizationId = org.id;
    const op = operatorPrincipal(org.id, owner.id);
    await core.places.createVenue(op, { name: 'Théâtre d’Hérouville', kind: 'hall', addressLine1: '1 square du Théâtre', zip: '14200', city: 'Hérouville', countryCode: 'FR' });
    await core.accounts.register(op, { username: 'box_office', email: 'box_office@comedie.test', password, role: 'box_office' });
    if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const signIn = (page: Page, email: string) => signInToBackOffice(page, server.url, email, password);
  async function shot(page: Page, name: string) {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  }
  const readEvent = (id: number) => server.app.core.events.read(operatorPrincipal(organizationId, null), id);
  const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

  journey('the owner edits an event’s dates, sections and tariffs, previews the draft, and is told why a sold tariff stays', async (page) => {
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, 'owner@comedie.test');
    await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Events', exact: true }).click();
    await page.getByText('No events yet.').waitFor();
    await checkAccessibility(page, 'manage events (empty)');

    // Created with one date, one section, one tariff, and names required on tickets.
    await page.getByRole('link', { name: 'Create an event' }).click();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Names on tickets').selectOption('required');
    await page.getByLabel('Starts at 1').fill('2027-04-10T20:00');
    await page.getByLabel('Section name 1').fill('Parterre');
    await page.getByLabel('Capacity 1').fill('120');
    await page.getByLabel('Label 1').fill('Plein');
    await page.getByLabel('Price 1').fill('30');
    await shot(page, 'event-create');
    await page.getByRole('button', { name: 'Create the event' }).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    const eventId = Number(/events\/(\d+)/.exec(page.url())![1]);
    let event = await readEvent(eventId);
    assert.equal(event.holderNames, 'required', 'the holder-names control of the form was sent');
    assert.equal(event.dates[0].startsAt, '2027-04-10T18:00:00.000Z', 'times typed are the organization’s (Paris, summer time)');
    await checkAccessibility(page, 'manage event editor (draft)');
    await shot(page, 'event-editor');

    // A second date, with its end and venue.
    const newDate = page.getByRole('form', { name: 'Add a date' });
    await newDate.getByLabel('Starts at').fill('2027-04-11T16:00');
    await newDate.getByLabel('Ends at').fill('2027-04-11T18:30');
    await newDate.getByLabel('Venue').selectOption({ label: 'Théâtre d’Hérouville, Hérouville' });
    await newDate.getByRole('button', { name: 'Add a date' }).click();
    await region(page, 'Dates').getByRole('listitem').nth(1).waitFor();
    assert.equal(await newDate.getByLabel('Starts at').inputValue(), '', 'the form is empty again for the next one');

    // A section, given a smaller capacity on the second date.
    const newSection = page.getByRole('form', { name: 'Add a section' });
    await newSection.getByLabel('Name').fill('Balcon');
    await newSection.getByLabel('Capacity').fill('40');
    await newSection.getByRole('button', { name: 'Add a section' }).click();
    await region(page, 'Sections').getByRole('listitem', { name: 'Balcon' }).waitFor();
    const capacitySaved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/capacities/'));
    await page.getByRole('textbox', { name: /^Capacity of Balcon on 11 Apr 2027/ }).fill('30');
    await page.getByRole('button', { name: /^Save 11 Apr 2027/ }).click();
    assert.equal((await capacitySaved).status(), 200);
    event = await readEvent(eventId);
    const balcon = event.sections.find((s) => s.name === 'Balcon')!;
    assert.deepEqual(event.dates.map((d) => d.capacities.find((c) => c.sectionId === balcon.id)!.capacity), [40, 30]);
    assert.equal(event.dates[1].endsAt, '2027-04-11T16:30:00.000Z');
    assert.ok(event.dates[1].venueId);

    // A tariff on the new section, with a limit per order and a quota.
    const newTariff = page.getByRole('form', { name: 'Add a tariff' });
    await newTariff.getByLabel('Label').fill('Balcon réduit');
    await newTariff.getByRole('combobox', { name: /^Section/ }).selectOption({ label: 'Balcon' });
    await newTariff.getByLabel('Price (EUR)').fill('18');
    await newTariff.getByLabel('Max per order').fill('4');
    await newTariff.getByLabel('Quota (per date)').fill('20');
    await newTariff.getByRole('button', { name: 'Add a tariff' }).click();
    await region(page, 'Tariffs').getByRole('listitem', { name: 'Balcon réduit' }).getByText(/max 4 per order · quota 20/).waitFor();

    // A price edited; a refused change (a sale that closes before it opens) keeps what was typed.
    await page.getByRole('button', { name: 'Edit Plein' }).click();
    const editPlein = page.getByRole('form', { name: 'Edit Plein' });
    await editPlein.getByLabel('Price (EUR)').fill('32.50');
    await editPlein.getByLabel('Sale opens').fill('2027-04-01T10:00');
    await editPlein.getByLabel('Sale closes').fill('2027-03-01T10:00');
    await editPlein.getByRole('button', { name: 'Save' }).click();
    await region(page, 'Tariffs').getByRole('alert').waitFor();
    assert.match(await editPlein.getByLabel('Price (EUR)').inputValue(), /^32\.50?$/, 'what was typed stays');
    assert.equal(await editPlein.getByLabel('Sale closes').inputValue(), '2027-03-01T10:00');
    await checkAccessibility(page, 'manage event editor (a tariff refused)');
    await editPlein.getByLabel('Sale closes').fill('');
    await editPlein.getByLabel('Sale opens').fill('');
    await editPlein.getByRole('button', { name: 'Save' }).click();
    await region(page, 'Tariffs').getByRole('listitem', { name: 'Plein' }).getByText('€32.50').waitFor();
    event = await readEvent(eventId);
    assert.deepEqual(event.tariffs.map((t) => [t.label, t.price, t.maxPerOrder, t.quota]), [['Plein', 3250, null, null], ['Balcon réduit', 1800, 4, 20]]);

    // The names asked on tickets, changed in the details.
    const details = region(page, 'Details');
    await details.getByLabel('Names on tickets').selectOption('optional');
    await details.getByRole('button', { name: 'Save' }).click();
    await details.getByText('Saved.').waitFor();
    assert.equal((await readEvent(eventId)).holderNames, 'optional');

    // The draft, previewed as the shop will show it: every date and tariff, nothing can be bought.
    await page.getByRole('link', { name: 'Preview in the shop' }).click();
    await page.getByText('Preview — not on sale').waitFor();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    assert.equal(await page.getByRole('article').count(), 2, 'both dates');
    await page.getByRole('combobox', { name: /Quantity of Balcon — Balcon réduit/ }).first().waitFor();
    assert.equal(await page.getByRole('combobox', { name: /^Quantity of / }).count(), 4);
    for (const select of await page.getByRole('combobox', { name: /^Quantity of / }).all()) assert.equal(await select.isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Reserve these tickets' }).isDisabled(), true);
    await checkAccessibility(page, 'manage event preview');
    await shot(page, 'event-preview');
    await page.setViewportSize(PHONE);
    await page.getByText('Preview — not on sale').waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling at phone width');
    await checkAccessibility(page, 'manage event preview (phone)');
    await shot(page, 'event-preview-phone');
    await page.setViewportSize(LAPTOP);
    assert.equal((await page.request.get(`${server.url}/api/shop/events/${eventId}`)).status(), 404, 'the public shop does not have it yet');

    // Listed and sold: the sold tariff cannot be deleted (said in French), the unsold one can.
    await page.getByRole('link', { name: 'Back to the event' }).click();
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('Under review', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'List in the shop' }).click();
    await page.getByText('Listed', { exact: true }).waitFor();
    await buyInShop(browser, server.url, eventId, 'Parterre — Plein');
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('button', { name: 'Supprimer Plein' }).click();
    const refusal = region(page, 'Tarifs').getByRole('alert');
    await refusal.waitFor();
    assert.equal((await refusal.textContent())?.trim(), 'Ce tarif a été vendu\u00a0: il ne peut pas être supprimé. Terminez plutôt sa vente (sa date de clôture).');
    await checkAccessibility(page, 'manage event editor (fr, deletion refused)');
    await shot(page, 'event-editor-refused-fr');
    await page.getByRole('button', { name: 'Supprimer Balcon réduit' }).click();
    await region(page, 'Tarifs').getByRole('listitem', { name: 'Balcon réduit' }).waitFor({ state: 'detached' });
    event = await readEvent(eventId);
    assert.deepEqual(event.tariffs.map((t) => t.label), ['Plein'], 'the sold tariff stays, the other went');

    // The editor and the list at phone width, in French.
    await page.setViewportSize(PHONE);
    await checkAccessibility(page, 'manage event editor (fr, phone)');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling at phone width');
    await shot(page, 'event-editor-fr-phone');
    await page.getByRole('navigation', { name: 'Back-office' }).getByRole('link', { name: 'Événements', exact: true }).click();
    await page.getByRole('row', { name: new RegExp(title) }).getByText('En vente').waitFor();
    await checkAccessibility(page, 'manage events (fr, phone)');
    await shot(page, 'events-fr-phone');
  }, { browser: () => browser });

  journey('a section seated on a date shows its capacity there read-only, saying why; its new capacity leaves that date its seats', async (page) => {
    const core = server.app.core;
    const op = operatorPrincipal(organizationId, null);
    const event = await core.events.create(op, {
      title: 'Cyrano', sections: [{ name: 'Stalls', capacity: 10 }, { name: 'Bar', capacity: 30 }],
      dates: [{ startsAt: '2027-05-10T20:00:00+02:00' }, { startsAt: '2027-05-11T20:00:00+02:00' }],
    });
    // The first date laid out from a map of 10 seats (the section's default, as it happens).
    const map = await core.maps.create(op, { name: 'Salle', document: theatreMap({ rows: 2, seatsPerRow: 5 }) });
    await core.seats.assignMap(op, event.id, event.dates[0].id, { mapId: map.id });
    await signIn(page, 'owner@comedie.test');
    await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Events', exact: true }).click();
    await page.getByRole('link', { name: 'Cyrano', exact: true }).click();
    const capacities = region(page, 'Capacity per date');
    const stallsCells = capacities.getByRole('textbox', { name: /^Capacity of Stalls on / });
    await stallsCells.first().waitFor();
    assert.equal(await stallsCells.nth(0).inputValue(), '10');
    assert.equal(await stallsCells.nth(0).isEditable(), false, 'the seated date: its capacity is its seats');
    assert.equal(await stallsCells.nth(1).isEditable(), true, 'the other date');
    assert.equal(await capacities.getByRole('textbox', { name: /^Capacity of Bar on / }).nth(0).isEditable(), true, 'general admission on the seated date');
    const note = 'Seated on this date: its capacity is its number of seats. Kill or hold seats one by one under Holds and kills.';
    assert.equal(await capacities.getByText(note, { exact: true }).count(), 1, 'said once, beside the seated cell');
    await checkAccessibility(page, 'manage event editor (a seated date)');
    await shot(page, 'event-editor-seated');

    // The section's capacity changed: the unseated date follows, the seated one keeps its seats.
    await page.getByRole('button', { name: 'Edit Stalls' }).click();
    const edit = page.getByRole('form', { name: 'Edit Stalls' });
    await edit.getByText('Dates where this section is seated keep their number of seats.').waitFor();
    await edit.getByRole('textbox', { name: /^Capacity/ }).fill('12');
    await edit.getByRole('button', { name: 'Save' }).click();
    await region(page, 'Sections').getByText('Stalls — capacity 12').waitFor();
    const read = await readEvent(event.id);
    const stalls = read.sections.find((s) => s.name === 'Stalls')!;
    assert.deepEqual(read.dates.map((d) => d.capacities.find((c) => c.sectionId === stalls.id)), [
      { sectionId: stalls.id, capacity: 10, seated: true }, { sectionId: stalls.id, capacity: 12, seated: false },
    ]);
    assert.equal(await stallsCells.nth(1).inputValue(), '12');

    await page.getByLabel('Language').selectOption('fr');
    await region(page, 'Jauge par date').getByText('Numérotée à cette date\u00a0: sa jauge est son nombre de places. Bloquez ou réservez les places une à une dans Réserves et blocages.', { exact: true }).waitFor();
    await checkAccessibility(page, 'manage event editor (fr, a seated date)');
  }, { browser: () => browser });

  journey('a box office member is offered neither the events pages nor the preview', async (page) => {
    await signIn(page, 'box_office@comedie.test');
    const nav = page.getByRole('navigation', { name: 'Back office' });
    await nav.waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Events', exact: true }).count(), 0);
    const event = (await server.app.core.events.list(operatorPrincipal(organizationId, null), { limit: 1, offset: 0 })).items[0];
    await page.goto(`${server.url}/manage/events/${event.id}/preview`);
    await page.getByRole('alert').filter({ hasText: 'Your role does not give access to this page.' }).waitFor();
    await checkAccessibility(page, 'manage event preview (box office)');
  }, { browser: () => browser, viewport: PHONE });
});
