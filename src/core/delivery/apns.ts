import fs from 'node:fs';
import http2 from 'node:http2';
import { performance } from 'node:perf_hooks';

/**
 * Apple's push service (APNs) as Wallet pass updates use it: an HTTP/2 POST of `{}` to
 * `/3/device/<push token>` with the pass type id as topic, authenticated by the pass type
 * certificate (TLS client certificate). A device that receives it asks the pass web service which
 * of its passes changed. One connection per process, opened on demand and closed when idle.
 */
export interface ApnsSettings {
  /** `https://api.push.apple.com` (APNS_HOST), or a stand-in (tests). */
  host: string;
  certificate: string;
  key: string;
  keyPassphrase: string | null;
  /** Extra certificate authority to trust for the host (APNS_CA_CERT), e.g. a test's own. */
  ca?: string | null;
}

export interface PushOutcome {
  status: number;
  /** APNs's `reason` (`Unregistered`, `BadDeviceToken`…), when it gives one. */
  reason: string | null;
  durationMs: number;
}

export const APPLE_PUSH_HOST = 'https://api.push.apple.com';
const IDLE_CLOSE_MS = 30_000;
const readPem = (value: string) => (value.includes('-----BEGIN') ? value : fs.readFileSync(value, 'utf8'));

export function apnsClient(settings: ApnsSettings) {
  let session: http2.ClientHttp2Session | null = null;
  let inFlight = 0;
  let idle: NodeJS.Timeout | null = null;

  function connect(): http2.ClientHttp2Session {
    if (session && !session.closed && !session.destroyed) return session;
    const opened = http2.connect(settings.host, {
      cert: readPem(settings.certificate),
      key: readPem(settings.key),
      ...(settings.keyPassphrase ? { passphrase: settings.keyPassphrase } : {}),
      ...(settings.ca ? { ca: readPem(settings.ca) } : {}),
    });
    const forget = () => {
      if (session === opened) session = null;
    };
    // A broken connection fails the requests on it (retried by the outbox); the next push reconnects.
    opened.on('error', forget);
    opened.on('close', forget);
    opened.on('goaway', forget);
    session = opened;
    return opened;
  }

  /** Sends one push; answers APNs's status, or throws when there was no answer (connection, timeout). */
  async function push(pushToken: string, topic: string, timeoutMs: number): Promise<PushOutcome> {
    const started = performance.now();
    if (idle) clearTimeout(idle);
    idle = null;
    inFlight++;
    const current = connect();
    current.ref();
    try {
      return await new Promise<PushOutcome>((resolve, reject) => {
        const request = current.request({ ':method': 'POST', ':path': `/3/device/${encodeURIComponent(pushToken)}`, 'apns-topic': topic, 'content-type': 'application/json' });
        let status = 0;
        const chunks: Buffer[] = [];
        request.setTimeout(timeoutMs, () => {
          request.close(http2.constants.NGHTTP2_CANCEL);
          reject(new Error(`APNs did not answer within ${timeoutMs} ms`));
        });
        request.on('response', (headers) => (status = Number(headers[':status'])));
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          let reason: string | null = null;
          try {
            reason = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { reason?: string }).reason ?? null;
          } catch {
            // 200 has no body
          }
          resolve({ status, reason, durationMs: Math.round(performance.now() - started) });
        });
        request.on('error', reject);
        request.end('{}');
      });
    } finally {
      if (--inFlight === 0) {
        // Idle: the connection no longer keeps the process alive, and is closed after a while.
        current.unref();
        idle = setTimeout(close, IDLE_CLOSE_MS);
        idle.unref();
      }
    }
  }

  function close() {
    if (idle) clearTimeout(idle);
    idle = null;
    session?.close();
    session = null;
  }

  return { push, close };
}
