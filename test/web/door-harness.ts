import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/** Debian's Chromium (DESIGN §7); the door's browser tests are skipped, saying so, where it is missing. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const DOOR_BROWSER_SKIP = fs.existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) to run the browser tests`;

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(extra: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...FLAGS, ...extra] });
}

/** Builds the web app when its build is missing or stale, then serves the app on a free port of localhost. */
export async function listen(app: FastifyInstance): Promise<string> {
  const build = spawnSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('web build failed');
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://localhost:${(app.server.address() as AddressInfo).port}`;
}

/** axe-core on the page as it is: no serious or critical violation. */
export async function axeCheck(page: Page, name: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const file = `/tmp/axe-${name.replace(/\W+/g, '-')}.png`;
    await page.screenshot({ path: file, fullPage: true });
    throw new Error(`${name}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; ')} — screenshot ${file}`);
  }
}
