import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { checkAccessibility, journey, launchBrowser, newPage, PHONE, skipBrowser, startServer, type WebServer } from './harness.ts';
import { operatorPrincipal } from '../../src/demo/seed.ts';

const root = path.resolve(import.meta.dirname, '../..');
/** door.html's entry, and index.html's: which page a URL was answered with. */
const DOOR_ENTRY = '/src/door/main.tsx';
const APP_ENTRY = '/src/main.tsx';

/** The door's start screen is on screen (the door app, not the other areas' app). */
async function doorStartScreen(page: Page) {
  await page.getByLabel(/Admission code/).waitFor();
  await page.getByLabel(/Gate or device name/).waitFor();
}

/**
 * How one reaches the door app's own page (web/door.html): from the other areas' app, whose router
 * hands /door to the browser (a full load of door.html) — a door-staff member signing in — and in
 * `vite` dev, whose server answers door.html for /door and below as the real server does.
 */
describe('web: reaching the door page', { skip: skipBrowser }, () => {
  let server: WebServer;
  let browser: Browser;
  const password = 'door-staff-password';

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const core = server.app.core;
    const owner = await core.accounts.create({ username: 'owner', email: 'owner@gates.test', password, firstName: 'Olive', lastName: 'Owner' });
    const org = await core.organizations.create({ slug: 'gates', name: 'Salle des Portes', currency: 'EUR', timeZone: 'Europe/Paris', locale: 'fr-FR' }, { accountId: owner.id });
    await core.accounts.register(operatorPrincipal(org.id, owner.id), { username: 'doorstaff', email: 'door@gates.test', password, role: 'door_staff' });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(page: Page, next: string) {
    await page.goto(`${server.url}/account/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByLabel('E-mail address').fill('door@gates.test');
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).last().click();
  }

  journey('a door-staff member sent to the door signs in and lands on the door app, loaded as its own page', async (page) => {
    await signIn(page, '/door');
    // The app's router navigates to /door after signing in; its /door route loads the door's own page.
    await page.waitForURL(`${server.url}/door`);
    await doorStartScreen(page);
    const entries = await page.evaluate(() => [...document.querySelectorAll<HTMLScriptElement>('script[type="module"][src]')].map((s) => s.getAttribute('src')));
    assert.ok(entries.some((src) => /\/assets\/door-[^/]+\.js$/.test(src ?? '')), `door.html's entry, not the app's: ${entries.join(', ')}`);
    assert.ok(!entries.some((src) => /\/assets\/index-[^/]+\.js$/.test(src ?? '')), 'the other areas\u2019 entry is not loaded');
    await checkAccessibility(page, 'door: start, after signing in');
  }, { browser: () => browser, viewport: PHONE });

  journey('a door-staff member signing in at /manage finds the door (their one page) and it opens', async (page) => {
    await signIn(page, '/manage');
    await page.waitForURL(/\/manage$/);
    const nav = page.getByRole('navigation', { name: 'Back office' });
    await nav.getByRole('link', { name: 'Door' }).click();
    await page.waitForURL(`${server.url}/door`);
    await doorStartScreen(page);
  }, { browser: () => browser, viewport: PHONE });

  describe('in vite dev', () => {
    let vite: ViteDevServer;
    let base: string;
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-vite-dev-'));

    before(async () => {
      // The project's own config (web/vite.config.ts), as `vite` in web/ runs it; its dependency
      // cache in a directory of this test's (not node_modules/.vite, which other checkouts may share).
      vite = await createServer({
        configFile: path.join(root, 'web/vite.config.ts'),
        cacheDir,
        logLevel: 'error',
        clearScreen: false,
        server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, fs: { allow: [root, fs.realpathSync(path.join(root, 'node_modules')), cacheDir] } },
      });
      await vite.listen();
      base = `http://127.0.0.1:${(vite.httpServer!.address() as AddressInfo).port}`;
    });
    after(async () => {
      await vite?.close();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    });

    test('the dev server answers door.html for /door and below, index.html elsewhere', async () => {
      for (const url of ['/door', '/door/', '/door?gate=north', '/door/anything']) {
        const response = await fetch(`${base}${url}`, { headers: { accept: 'text/html' } });
        assert.equal(response.status, 200, url);
        const html = await response.text();
        assert.ok(html.includes(`src="${DOOR_ENTRY}"`), `${url} answers door.html`);
        assert.ok(html.includes('/door/manifest.webmanifest'), `${url}: the door's manifest`);
      }
      for (const url of ['/', '/manage', '/doors', '/events/1']) {
        const html = await (await fetch(`${base}${url}`, { headers: { accept: 'text/html' } })).text();
        assert.ok(html.includes(`src="${APP_ENTRY}"`) && !html.includes(DOOR_ENTRY), `${url} answers index.html`);
      }
    });

    test('Chromium opens /door from the dev server: the door app starts', async () => {
      const { context, page } = await newPage(browser, { viewport: PHONE });
      try {
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        // The first load transforms the door's modules on demand: give it time.
        page.setDefaultTimeout(90_000);
        await page.goto(`${base}/door`);
        await doorStartScreen(page);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
});
