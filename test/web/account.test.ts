import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser } from 'playwright-core';
import { checkAccessibility, journey, launchBrowser, newPage, PHONE, skipBrowser, startServer, type WebServer } from './harness.ts';

describe('web: the buyer signs up, in and out, resets and changes a password', { skip: skipBrowser }, () => {
  let server: WebServer;
  let browser: Browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  journey('sign up, sign out, sign in', async (page) => {
    await page.goto(`${server.url}/account/sign-in`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await checkAccessibility(page, 'sign in');
    await page.getByRole('link', { name: 'Create one' }).click();
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    await checkAccessibility(page, 'sign up');
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Lovelace');
    await page.getByLabel('E-mail address').fill('ada@example.test');
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByText('Signed in as Ada Lovelace').waitFor();
    await checkAccessibility(page, 'account');
    // No token where scripts can read it: the session cookie is httpOnly and SameSite.
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'guichet_session');
    assert.ok(session && session.httpOnly && session.sameSite === 'Lax');
    assert.equal(await page.evaluate(() => document.cookie.includes('guichet_session')), false);
    assert.equal(await page.evaluate(() => Object.keys(localStorage).some((k) => /token|session/i.test(k))), false);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('E-mail address').fill('ada@example.test');
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).last().click();
    await page.getByRole('alert').filter({ hasText: 'The e-mail address or password is wrong.' }).waitFor();
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).last().click();
    await page.getByText('Signed in as Ada Lovelace').waitFor();
  }, { browser: () => browser });

  journey('reset a forgotten password, on a phone', async (page) => {
    await server.app.core.accounts.create({ username: 'grace', email: 'grace@example.test', password: 'old password 1' });
    await page.goto(`${server.url}/account/sign-in`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await checkAccessibility(page, 'password reset');
    await page.getByLabel('E-mail address').fill('grace@example.test');
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('Code from the e-mail').waitFor();
    const mail = server.mailer.outbox.find((m) => m.to === 'grace@example.test');
    assert.ok(mail, 'a reset mail was sent');
    const code = /: (\S+)$/.exec(mail.text)![1];
    await page.getByLabel('Code from the e-mail').fill(code);
    await page.getByLabel('New password').fill('new password 2');
    await page.getByRole('button', { name: 'Choose this password' }).click();
    await page.getByText('Your password was changed.').waitFor();
    await checkAccessibility(page, 'password reset done');
    await page.getByRole('link', { name: 'Sign in' }).last().click();
    await page.getByLabel('E-mail address').fill('grace@example.test');
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('new password 2');
    await page.getByRole('button', { name: 'Sign in' }).last().click();
    await page.getByText('Signed in as grace@example.test').waitFor();
  }, { browser: () => browser, viewport: PHONE });

  journey("changing the password signs the account's other browsers out", async (page) => {
    await server.app.core.accounts.create({ username: 'alan', email: 'alan@example.test', password: 'first password' });
    const signIn = async (p: typeof page) => {
      await p.goto(`${server.url}/account/sign-in`);
      await p.getByLabel('E-mail address').fill('alan@example.test');
      await p.getByRole('textbox', { name: 'Password', exact: true }).fill('first password');
      await p.getByRole('button', { name: 'Sign in' }).last().click();
      await p.getByText('Signed in as alan@example.test').waitFor();
    };
    const other = await newPage(browser);
    try {
      await signIn(page);
      await signIn(other.page);
      await page.getByLabel('Current password').fill('first password');
      await page.getByLabel('New password').fill('second password');
      await page.getByRole('button', { name: 'Change my password' }).click();
      await page.getByText('Your other devices were signed out.').waitFor();
      // This browser stays signed in; the other one is signed out.
      await page.reload();
      await page.getByText('Signed in as alan@example.test').waitFor();
      await other.page.reload();
      await other.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    } finally {
      await other.context.close();
    }
  }, { browser: () => browser });
});
