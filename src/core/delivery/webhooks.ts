import crypto from 'node:crypto';
import dns from 'node:dns/promises';
import net from 'node:net';
import { Webhook } from 'standardwebhooks';
import { DomainError, invalid } from '../errors.ts';

/**
 * Webhook transport: Standard Webhooks signatures (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256(id.timestamp.body)>`), a bounded wait, and the refusal
 * of targets inside private networks (the server must not be turned into a probe of its own network).
 */

/** Waits between attempts after a failure: about three days in all, then the endpoint is disabled. */
export const WEBHOOK_RETRY_SCHEDULE_SECONDS = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600, 14 * 3600, 14 * 3600, 16 * 3600];
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_SCHEDULE_SECONDS.length + 1;

export const newWebhookSecret = () => `whsec_${crypto.randomBytes(24).toString('base64')}`;

const privateRanges = new net.BlockList();
for (const [address, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  privateRanges.addSubnet(address, prefix, 'ipv4');
}
for (const [address, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  privateRanges.addSubnet(address, prefix, 'ipv6');
}
function isPrivate(address: string): boolean {
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return privateRanges.check(mapped[1], 'ipv4');
  return privateRanges.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4');
}

/** Checks a target URL: http(s), and (unless allowed) no loopback, private or link-local address behind it. */
export async function checkWebhookTarget(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('url', 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('url', 'must be an http(s) URL');
  if (url.username || url.password) throw invalid('url', 'must not carry credentials');
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw invalid('url', `the host ${host} cannot be resolved`);
  }
  if (addresses.length === 0 || addresses.some(isPrivate)) throw new DomainError('VALIDATION_FAILED', 'url: targets in loopback or private address ranges are refused', [{ field: 'url', message: 'resolves to a loopback or private address' }]);
  return url;
}

export interface WebhookOutcome {
  ok: boolean;
  status: number | null;
  durationMs: number;
  error: string | null;
}

/** Posts one signed message; 2xx is success, anything else (or no answer in time) a failure to retry. */
export async function postWebhook(target: { url: string; secret: string }, message: { id: string; body: string; at: Date }, options: { timeoutMs: number; allowPrivate: boolean }): Promise<WebhookOutcome> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    await checkWebhookTarget(target.url, options.allowPrivate);
    const signature = new Webhook(target.secret).sign(message.id, message.at, message.body);
    const response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Guichet-Webhooks/1.0',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(message.at.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: message.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, durationMs: took(), error: ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    const reason = error instanceof DomainError ? error.message : error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
    return { ok: false, status: null, durationMs: took(), error: reason.slice(0, 500) };
  }
}
