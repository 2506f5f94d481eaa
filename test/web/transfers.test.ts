import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { checkAccessibility, journey, launchBrowser, newPage, PHONE, skipBrowser, startServer, type WebServer } from './harness.ts';
import { shopWithEvent } from './fixtures.ts';

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
}
/** The barcode a ticket card shows (its QR code's text alternative names it). */
const barcodeOf = async (card: ReturnType<Page['getByRole']>, prefix: string) => (await card.getByRole('img', { name: new RegExp(prefix) }).getAttribute('alt'))!.replace(prefix, '');

describe('web: names on the tickets at checkout; send a ticket to someone, who claims it', { skip: skipBrowser }, () => {
  let server: WebServer;
  let browser: Browser;
  let shop: Awaited<ReturnType<typeof shopWithEvent>>;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    shop = await shopWithEvent(server.app, { slug: 'odeon', title: 'Tartuffe' });
    await server.app.core.events.update(shop.op, shop.eventId, { holderNames: 'required' });
    await server.app.core.accounts.create({ username: 'alice', email: 'alice@example.test', password: 'alice password' });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  journey('a buyer names each ticket, sends one, takes it back, sends it again; the recipient claims it in French, another is declined', async (page) => {
    await page.goto(`${server.url}/account/sign-in?next=/events/${shop.eventId}`);
    await signIn(page, 'alice@example.test', 'alice password');
    await page.getByRole('heading', { name: 'Tartuffe', level: 1 }).waitFor();
    await page.getByRole('combobox', { name: /Quantity of Orchestra — Adult/ }).first().selectOption('3');
    await page.getByRole('button', { name: 'Reserve these tickets' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    // The event asks for a name per ticket: paying without them is refused, what was typed stays.
    await page.getByRole('group', { name: 'Ticket holders' }).waitFor();
    await page.getByText('The organizer asks for the name of each ticket’s holder').waitFor();
    await checkAccessibility(page, 'checkout with holder names');
    await page.getByRole('textbox', { name: 'Name on ticket 1 (Orchestra — Adult)' }).fill('Ana Alvarez');
    await page.getByRole('textbox', { name: 'Card number' }).fill('4242 4242 4242 4242');
    await page.getByRole('textbox', { name: 'Name on card' }).fill('Alice Martin');
    await page.getByRole('textbox', { name: 'Expiry (MM/YY)' }).fill('12/30');
    await page.getByRole('textbox', { name: 'Security code' }).fill('123');
    await page.getByRole('textbox', { name: 'Full name' }).fill('Alice Martin');
    await page.getByRole('button', { name: /^Pay/ }).click();
    assert.equal(await page.getByText('Required', { exact: true }).count(), 2);
    assert.equal(await page.getByRole('textbox', { name: 'Name on ticket 1 (Orchestra — Adult)' }).inputValue(), 'Ana Alvarez');
    await page.getByRole('textbox', { name: 'Name on ticket 2 (Orchestra — Adult)' }).fill('Bruno Berg');
    await page.getByRole('textbox', { name: 'Name on ticket 3 (Orchestra — Adult)' }).fill('Chloé Chevalier');
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.getByText('Thank you! Your order is confirmed.').waitFor();
    await page.getByText('Bruno Berg').waitFor();

    // My tickets: the names, and a ticket sent to someone.
    await page.goto(`${server.url}/account`);
    await page.getByRole('heading', { name: 'My tickets' }).waitFor();
    for (const name of ['Ana Alvarez', 'Bruno Berg', 'Chloé Chevalier']) await page.getByText(`Holder: ${name}`).waitFor();
    await checkAccessibility(page, 'my tickets');
    const ticket = (name: string) => page.getByRole('article').filter({ hasText: `Holder: ${name}` });
    const first = ticket('Ana Alvarez');
    const barcode = await barcodeOf(first, 'QR code of ticket ');
    await first.getByRole('button', { name: 'Send this ticket to someone' }).click();
    await first.getByRole('textbox', { name: "Recipient's e-mail address" }).fill('ALICE@example.test');
    await first.getByRole('button', { name: 'Send the ticket' }).click();
    await first.getByText('Send it to someone else: this is your own address.').waitFor();
    await checkAccessibility(page, 'send a ticket');
    await first.getByRole('textbox', { name: "Recipient's e-mail address" }).fill('bob@example.test');
    await first.getByRole('button', { name: 'Send the ticket' }).click();
    await first.getByText('Offered to bob@example.test').waitFor();
    await first.getByText('Transfer pending').waitFor();
    await first.getByRole('button', { name: 'Cancel the transfer' }).click();
    await first.getByText('The transfer was cancelled: the ticket stays yours.').waitFor();
    assert.equal(await first.getByText('Transfer pending').count(), 0);
    await first.getByRole('button', { name: 'Send this ticket to someone' }).click();
    await first.getByRole('textbox', { name: "Recipient's e-mail address" }).fill('bob@example.test');
    await first.getByRole('button', { name: 'Send the ticket' }).click();
    await first.getByText('Offered to bob@example.test').waitFor();
    // A second ticket to the same person, which they will decline.
    const second = ticket('Bruno Berg');
    await second.getByRole('button', { name: 'Send this ticket to someone' }).click();
    await second.getByRole('textbox', { name: "Recipient's e-mail address" }).fill('bob@example.test');
    await second.getByRole('button', { name: 'Send the ticket' }).click();
    await second.getByText('Offered to bob@example.test').waitFor();

    // The recipient's e-mail carries the claim link; Bob has no account yet, and reads French.
    await server.app.core.delivery.drain();
    const links = server.mailer.outbox.filter((m) => m.to === 'bob@example.test').map((m) => /\/account\/transfers\/\d+/.exec(m.text)![0]);
    assert.equal(links.length, 3, 'one mail per transfer sent');
    const bob = await newPage(browser, { locale: 'fr-FR', viewport: PHONE });
    try {
      const p = bob.page;
      await p.goto(`${server.url}${links[1]}`);
      await p.getByText('Quelqu’un vous a envoyé des billets.').waitFor();
      await checkAccessibility(p, 'claim, signed out (fr)');
      await p.getByRole('link', { name: 'Créer un compte' }).click();
      await p.getByLabel('Prénom').fill('Bob');
      await p.getByLabel('Adresse e-mail').fill('bob@example.test');
      await p.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill('bob password 1');
      await p.getByRole('button', { name: 'Créer mon compte' }).click();
      // Back on the claim page, signed in: what is offered, and the choice.
      await p.getByText('alice@example.test vous envoie un billet').waitFor();
      await p.getByText(/Tartuffe — .* · Orchestra · Adult/).waitFor();
      await checkAccessibility(p, 'claim (fr)');
      await p.getByRole('button', { name: 'Accepter les billets' }).click();
      await p.getByText('Les billets sont à vous').waitFor();
      await checkAccessibility(p, 'claimed (fr)');
      // The cancelled offer's link says it is closed, in French; the other one is declined from the account page.
      await p.goto(`${server.url}${links[0]}`);
      await p.getByText('Ce transfert n’est plus ouvert : il a été annulé par l’expéditeur.').waitFor();
      await p.goto(`${server.url}/account`);
      await p.getByRole('heading', { name: 'Billets qui vous sont envoyés' }).waitFor();
      await p.getByRole('link', { name: 'Accepter ou refuser' }).click();
      await p.getByRole('button', { name: 'Refuser' }).click();
      await p.getByText('Vous avez refusé : les billets restent à alice@example.test.').waitFor();
      // Bob holds the claimed ticket, under a new barcode, without the sender's holder name.
      await p.goto(`${server.url}/account`);
      await p.getByRole('heading', { name: 'Mes billets' }).waitFor();
      assert.equal(await p.getByRole('article').count(), 1);
      assert.notEqual(await barcodeOf(p.getByRole('article'), 'QR code du billet '), barcode);
      assert.equal(await p.getByText('Ana Alvarez').count(), 0);
    } finally {
      await bob.context.close();
    }

    // Alice: the claimed ticket is gone (its barcode retired), the declined one is hers again and can be sent anew.
    await page.reload();
    await page.getByText('Holder: Bruno Berg').waitFor();
    assert.equal(await page.getByText('Holder: Ana Alvarez').count(), 0);
    assert.equal(await page.getByText('Transfer pending').count(), 0);
    await ticket('Bruno Berg').getByRole('button', { name: 'Send this ticket to someone' }).waitFor();
    const tickets = await server.app.core.ctx.database.db.selectFrom('retired_barcodes').select('reason').execute();
    assert.deepEqual(tickets.map((r) => r.reason), ['transferred']);
  }, { browser: () => browser });
});
