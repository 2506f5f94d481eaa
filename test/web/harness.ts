import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import { buildApp } from '../../src/app.ts';
import { MemoryMailer } from '../../src/core/notifications/mailer.ts';
import { freshDatabase } from '../helpers.ts';

/**
 * The browser-test harness: a real Guichet server on a fresh database on port 0, Debian's Chromium
 * driven by playwright-core (never a downloaded browser), axe-core on every page, a screenshot when
 * a journey fails (test/web/screenshots/, not committed).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const browserAvailable = fs.existsSync(CHROMIUM);
/** Why browser journeys are skipped, or false when they run. */
export const skipBrowser = browserAvailable ? false : `Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) to run the browser tests`;
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const root = path.resolve(import.meta.dirname, '../..');
const SCREENSHOTS = path.join(root, 'test/web/screenshots');

/** Builds web/dist when it is missing or older than its sources (once per process). */
let built = false;
export function ensureWebBuilt() {
  if (built) return;
  const result = spawnSync(process.execPath, ['scripts/build-web.mjs'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the web app failed');
  built = true;
}

export interface WebServer {
  url: string;
  app: FastifyInstance;
  mailer: MemoryMailer;
  close(): Promise<void>;
}

/** A real server (real clock, real port) on a fresh database, serving the built app. */
export async function startServer(overrides: Partial<Config> = {}): Promise<WebServer> {
  ensureWebBuilt();
  const fresh = await freshDatabase();
  const mailer = new MemoryMailer();
  const config: Config = { ...loadConfig({}), port: 0, host: '127.0.0.1', rateLimit: { max: 100_000, windowSeconds: 3600 }, ...overrides };
  const app = await buildApp({ config, database: fresh.database, mailer });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    mailer,
    async close() {
      await app.close();
      await fresh.drop();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}

export const PHONE = { width: 390, height: 844 };
export const LAPTOP = { width: 1366, height: 800 };

/** A fresh browser context (own cookies), in a language, on a viewport. */
export async function newPage(browser: Browser, options: { locale?: string; viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: options.locale ?? 'en-GB', viewport: options.viewport ?? LAPTOP, timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/**
 * axe-core on the page as it is now: no serious or critical violation (WCAG 2.x A/AA rules and best
 * practices). The failure message names each rule and the elements concerned.
 */
export async function checkAccessibility(page: Page, label: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const detail = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n    ')}`).join('\n  ');
    throw new Error(`accessibility violations on ${label} (${page.url()}):\n  ${detail}`);
  }
  audited.add(label);
}
/** Pages checked by axe in this process (journeys assert they checked what they visited). */
export const audited = new Set<string>();

/**
 * A journey: a test that gets its own browser page and leaves a screenshot of it when it fails.
 * `pages` receives the page to drive.
 */
export function journey(name: string, body: (page: Page, t: TestContext) => Promise<void>, options: { browser: () => Browser; locale?: string; viewport?: { width: number; height: number } }) {
  test(name, async (t) => {
    const { context, page } = await newPage(options.browser(), { locale: options.locale, viewport: options.viewport });
    try {
      await body(page, t);
    } catch (error) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      const file = path.join(SCREENSHOTS, `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      t.diagnostic(`screenshot: ${path.relative(root, file)}`);
      throw error;
    } finally {
      await context.close();
    }
  });
}

/** Signs a member in through the sign-in page (English labels) and waits for the back office. */
export async function signInToBackOffice(page: Page, baseUrl: string, email: string, password: string, next = '/manage') {
  await page.goto(`${baseUrl}/account/sign-in?next=${next}`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await page.waitForURL(/\/manage/);
}

/**
 * A buyer, in a browser of their own, buys through the shop's pages: `quantity` of the tariff whose
 * quantity list is named `Quantity of <tariff>…` on the event page, then the checkout (with `code`, if
 * given, checked as it is typed) paid with the test provider's approving card, until the confirmation.
 */
export async function buyInShop(browser: Browser, baseUrl: string, eventId: number, tariff: string, options: { quantity?: number; code?: string } = {}) {
  const { context, page } = await newPage(browser);
  try {
    await page.goto(`${baseUrl}/events/${eventId}`);
    await page.getByRole('combobox', { name: new RegExp(`Quantity of ${tariff}`) }).first().selectOption(String(options.quantity ?? 1));
    await page.getByRole('button', { name: 'Reserve these tickets' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    if (options.code) {
      await page.getByRole('textbox', { name: 'Discount code' }).fill(options.code);
      await page.getByText(new RegExp(`${options.code}: −`)).waitFor();
    }
    await page.getByRole('textbox', { name: 'Full name' }).fill('Jeanne Acheteuse');
    await page.getByRole('textbox', { name: 'E-mail address' }).fill('jeanne@buyers.test');
    await page.getByRole('textbox', { name: 'Card number' }).fill('4242424242424242');
    await page.getByRole('textbox', { name: 'Name on card' }).fill('Jeanne Acheteuse');
    await page.getByRole('textbox', { name: 'Expiry (MM/YY)' }).fill('12/30');
    await page.getByRole('textbox', { name: 'Security code' }).fill('123');
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.getByText('Thank you! Your order is confirmed.').waitFor();
  } finally {
    await context.close();
  }
}
