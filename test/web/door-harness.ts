import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, checkAccessibility, skipBrowser } from './harness.ts';

/** The door's journeys use the web harness (harness.ts); they add Chromium flags (the fake camera) and a server with the test clock. */
export const DOOR_BROWSER_SKIP = skipBrowser;
export const axeCheck = checkAccessibility;

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(extra: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...FLAGS, ...extra] });
}

/**
 * Serves `app` on a free port of localhost. The app reads web/dist's pages when it is built: call
 * ensureWebBuilt() before building it (a rebuild afterwards would serve /door from a stale dist).
 */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://localhost:${(app.server.address() as AddressInfo).port}`;
}
