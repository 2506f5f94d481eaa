import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { checkAccessibility, journey, LAPTOP, launchBrowser, PHONE, skipBrowser, startServer, type WebServer } from './harness.ts';
import { shopWithEvent } from './fixtures.ts';

const SHOTS = process.env.WEB_SCREENSHOTS; // a folder: keep screenshots of the pages for a human to look at

async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** From an event page: choose a quantity on the first date and reserve. */
async function reserve(page: Page, quantity: number) {
  await page.getByRole('combobox', { name: /Quantity of Orchestra — Adult/ }).first().selectOption(String(quantity));
  await page.getByRole('button', { name: 'Reserve these tickets' }).click();
  await page.getByRole('heading', { name: 'Checkout' }).waitFor();
}

async function fillBuyer(page: Page) {
  await page.getByRole('textbox', { name: 'Full name' }).fill('Camille Dupont');
  await page.getByRole('textbox', { name: 'E-mail address' }).fill('camille@example.test');
}

async function fillCard(page: Page, number: string) {
  await page.getByRole('textbox', { name: 'Card number' }).fill(number);
  await page.getByRole('textbox', { name: 'Name on card' }).fill('Camille Dupont');
  await page.getByRole('textbox', { name: 'Expiry (MM/YY)' }).fill('12/30');
  await page.getByRole('textbox', { name: 'Security code' }).fill('123');
}

describe('web: the shop', { skip: skipBrowser }, () => {
  let server: WebServer;
  let browser: Browser;
  let shop: Awaited<ReturnType<typeof shopWithEvent>>;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    shop = await shopWithEvent(server.app, { slug: 'moliere', capacity: 100 });
    await server.app.core.codes.create(shop.op, { code: 'WELCOME10', kind: 'percentage', value: 10 });
    await server.app.core.codes.create(shop.op, { code: 'USEDUP', kind: 'fixed', value: 500, usageLimit: 1 });
    // Its one use already taken (setup shortcut: as if someone had bought with it).
    await server.app.core.ctx.database.db.updateTable('discount_codes').set({ used: 1 }).where('code', '=', 'USEDUP').execute();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [label, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
    journey(`a guest finds an event and buys with an approving card (${label})`, async (page) => {
      await page.goto(server.url);
      await page.getByRole('heading', { name: 'Events' }).waitFor();
      await page.getByRole('link', { name: 'Le Misanthrope' }).waitFor();
      await checkAccessibility(page, 'home');
      await shot(page, `home-${label}`);
      await page.getByRole('textbox', { name: 'What are you looking for?' }).fill('misanthrope');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByText('1 event', { exact: true }).waitFor();
      await page.getByRole('link', { name: 'Le Misanthrope' }).click();
      await page.getByRole('heading', { name: 'Le Misanthrope', level: 1 }).waitFor();
      await page.getByText('La Grande Salle').waitFor();
      await checkAccessibility(page, 'event');
      await shot(page, `event-${label}`);
      await reserve(page, 2);
      await page.getByText(/Your tickets are held for \d+:\d\d/).waitFor();
      await checkAccessibility(page, 'checkout');
      await shot(page, `checkout-${label}`);
      await fillBuyer(page);
      await fillCard(page, '4242 4242 4242 4242');
      await page.getByRole('button', { name: /^Pay/ }).click();
      await page.getByText('Thank you! Your order is confirmed.').waitFor();
      await page.getByRole('img', { name: /QR code of ticket/ }).first().waitFor();
      assert.equal(await page.getByRole('img', { name: /QR code of ticket/ }).count(), 2);
      await checkAccessibility(page, 'confirmation');
      await shot(page, `confirmation-${label}`);
      // The page's address is the signed link: it opens the order in another browser too.
      const other = await browser.newContext();
      const again = await other.newPage();
      await again.goto(page.url());
      await again.getByText('Thank you! Your order is confirmed.').waitFor();
      await other.close();
    }, { browser: () => browser, viewport });
  }

  journey('a declined card, then a retry that succeeds, and nothing typed is lost', async (page) => {
    await page.goto(`${server.url}/events/${shop.eventId}`);
    await reserve(page, 1);
    await fillBuyer(page);
    await fillCard(page, '4000 0000 0000 0002');
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.getByRole('alert').filter({ hasText: 'Your card was declined' }).waitFor();
    await checkAccessibility(page, 'checkout declined');
    assert.equal(await page.getByRole('textbox', { name: 'Full name' }).inputValue(), 'Camille Dupont');
    await page.getByRole('textbox', { name: 'Card number' }).fill('4242424242424242');
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.getByText('Thank you! Your order is confirmed.').waitFor();
  }, { browser: () => browser });

  journey('the bank asks to confirm the payment (3-D Secure-like)', async (page) => {
    await page.goto(`${server.url}/events/${shop.eventId}`);
    await reserve(page, 1);
    await fillBuyer(page);
    await fillCard(page, '4000 0000 0000 3220');
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.getByRole('heading', { name: 'Confirm the payment' }).waitFor();
    await checkAccessibility(page, 'payment confirmation');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Thank you! Your order is confirmed.').waitFor();
  }, { browser: () => browser });

  journey('a discount code is checked as it is typed and applied', async (page) => {
    await page.goto(`${server.url}/events/${shop.eventId}`);
    await reserve(page, 2);
    await page.getByRole('textbox', { name: 'Discount code' }).fill('USEDUP');
    await page.getByText('This discount code has been used up.').waitFor();
    await page.getByRole('textbox', { name: 'Discount code' }).fill('NOPE');
    await page.getByText('This discount code does not exist or does not apply to these tickets.').waitFor();
    await page.getByRole('textbox', { name: 'Discount code' }).fill('welcome10');
    await page.getByText('WELCOME10: −€5.00').waitFor();
    await checkAccessibility(page, 'checkout with code');
    await page.getByRole('button', { name: 'Pay €45.00' }).waitFor();
    await fillBuyer(page);
    await fillCard(page, '4242424242424242');
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.getByText('Thank you! Your order is confirmed.').waitFor();
    await page.getByText('€45.00').first().waitFor();
  }, { browser: () => browser });

  journey('an event with required questions (per order and per ticket)', async (page) => {
    const asking = await shopWithEvent(server.app, {
      slug: 'asking', title: 'Le Cid',
      questions: [
        { label: 'How did you hear about us?', kind: 'choice', scope: 'order', required: true, options: ['Radio', 'Friends'] },
        { label: 'Date of birth', kind: 'date', scope: 'ticket', required: true },
        { label: 'I accept the conditions', kind: 'checkbox', scope: 'order', required: true },
      ],
    });
    await page.goto(`${server.url}/events/${asking.eventId}`);
    await reserve(page, 2);
    await fillBuyer(page);
    await fillCard(page, '4242424242424242');
    await page.getByRole('button', { name: /^Pay/ }).click();
    assert.ok((await page.getByText('Required').count()) >= 4, 'each missing answer is pointed out');
    await checkAccessibility(page, 'checkout with questions');
    await page.getByRole('combobox', { name: 'How did you hear about us?' }).selectOption('Friends');
    await page.getByLabel('Date of birth (ticket 1)').fill('1990-05-01');
    await page.getByLabel('Date of birth (ticket 2)').fill('1992-07-14');
    await page.getByRole('checkbox', { name: 'I accept the conditions' }).check();
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.getByText('Thank you! Your order is confirmed.').waitFor();
  }, { browser: () => browser });

  journey('sold out in the meantime: explained, and the choice is kept', async (page) => {
    const small = await shopWithEvent(server.app, { slug: 'small', title: 'Intimate concert', capacity: 3 });
    await page.goto(`${server.url}/events/${small.eventId}`);
    await page.getByRole('combobox', { name: /Quantity of Orchestra — Adult/ }).first().selectOption('2');
    // Someone else takes places meanwhile, through the API.
    const channel = await server.app.core.channels.resolve(small.organizationId, null);
    await server.app.core.carts.create(small.op, channel, [{ tariffId: small.tariffId, dateId: small.dateIds[0], quantity: 2 }]);
    await page.getByRole('button', { name: 'Reserve these tickets' }).click();
    await page.getByRole('alert').filter({ hasText: 'Sold out in the meantime' }).waitFor();
    await checkAccessibility(page, 'event sold out');
    assert.equal(await page.getByRole('combobox', { name: /Quantity of Orchestra — Adult/ }).first().inputValue(), '2');
  }, { browser: () => browser });

  journey('the whole purchase with the keyboard only', async (page) => {
    await page.goto(`${server.url}/events/${shop.eventId}`);
    await page.getByRole('heading', { name: 'Le Misanthrope', level: 1 }).waitFor();
    const focusOn = async (name: RegExp | string, role: 'combobox' | 'button' | 'textbox' = 'combobox') => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          return el ? (el.getAttribute('aria-label') ?? el.innerText ?? '') + '|' + (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '' : '') : '';
        });
        if (typeof name === 'string' ? focused.includes(name) : name.test(focused)) return;
      }
      throw new Error(`could not reach ${name} (${role}) with Tab`);
    };
    await focusOn(/Quantity of Orchestra — Adult/);
    await page.keyboard.press('ArrowDown');
    await focusOn('Reserve these tickets', 'button');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    await focusOn('Full name', 'textbox');
    await page.keyboard.type('Kim Keyboard');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kim@example.test');
    await focusOn('Card number', 'textbox');
    await page.keyboard.type('4242424242424242');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Kim Keyboard');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12/30');
    await page.keyboard.press('Tab');
    await page.keyboard.type('123');
    await page.keyboard.press('Enter');
    await page.getByText('Thank you! Your order is confirmed.').waitFor();
  }, { browser: () => browser });

  journey('the shop in French', async (page) => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Événements' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
    await checkAccessibility(page, 'home (fr)');
    await page.getByRole('link', { name: 'Le Misanthrope' }).first().click();
    await page.getByRole('button', { name: 'Réserver ces billets' }).waitFor();
    // Dates in the event's time zone, written the French way; prices in euros the French way.
    await page.getByText('lundi 1 mars 2027 à 20:00').waitFor();
    await page.getByText('25,00 €').first().waitFor();
    await checkAccessibility(page, 'event (fr)');
    await shot(page, 'event-fr-phone');
    await page.getByRole('combobox', { name: /Quantité de Orchestra — Adult/ }).first().selectOption('1');
    await page.getByRole('button', { name: 'Réserver ces billets' }).click();
    await page.getByRole('heading', { name: 'Paiement', level: 1 }).waitFor();
    await page.getByRole('button', { name: /^Payer/ }).click();
    await page.getByText('Obligatoire').first().waitFor();
    await checkAccessibility(page, 'checkout (fr)');
    // The reader switches to German.
    await page.getByRole('combobox', { name: 'Langue' }).selectOption('de');
    await page.getByRole('heading', { name: 'Bezahlung', level: 1 }).waitFor();
  }, { browser: () => browser, locale: 'fr-FR', viewport: PHONE });
});

describe('web: a hold that runs out', { skip: skipBrowser }, () => {
  let server: WebServer;
  let browser: Browser;
  before(async () => {
    server = await startServer({ holdTtlSeconds: 4 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  journey('the cart shows the time left, then says the places were released', async (page) => {
    const shop = await shopWithEvent(server.app, { slug: 'short-hold' });
    await page.goto(`${server.url}/events/${shop.eventId}`);
    await reserve(page, 1);
    await page.getByText(/Your tickets are held for 0:0\d/).waitFor();
    await fillBuyer(page);
    await page.getByRole('alert').filter({ hasText: 'Your reservation ran out' }).waitFor({ timeout: 20_000 });
    await checkAccessibility(page, 'checkout hold expired');
    assert.equal(await page.getByRole('textbox', { name: 'Full name' }).inputValue(), 'Camille Dupont');
    await page.getByRole('link', { name: 'Choose tickets again' }).click();
    await page.getByRole('heading', { name: 'Le Misanthrope', level: 1 }).waitFor();
  }, { browser: () => browser });
});
