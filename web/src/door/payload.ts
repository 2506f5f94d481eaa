/**
 * Signed QR payloads, checked offline with the organization's public key.
 *
 * Format (src/core/selling/tickets.ts): `G1.<organization>.<ticket>.<version>.<date>.<section>.<barcode>.<signature>`;
 * the Ed25519 signature (base64url) covers everything before the last dot. WebCrypto verifies
 * Ed25519 in current Chromium, Firefox and Safari; where a browser lacks it, @noble/ed25519 (audited,
 * ~5 KB) is loaded on demand, so the common case downloads nothing more.
 */
export interface QrPayload {
  organizationId: number;
  ticketId: number;
  version: number;
  dateId: number;
  sectionId: number;
  barcode: string;
  body: string;
  signature: string;
}

export const isSignedPayload = (code: string) => code.startsWith('G1.');

export function parsePayload(code: string): QrPayload | null {
  const parts = code.split('.');
  if (parts.length !== 8 || parts[0] !== 'G1') return null;
  const numbers = parts.slice(1, 6).map((p) => (/^\d{1,10}$/.test(p) ? Number(p) : NaN));
  if (numbers.some((n) => Number.isNaN(n)) || !/^[A-Za-z0-9_-]{20,200}$/.test(parts[7]) || !/^[\x21-\x7e]{1,64}$/.test(parts[6])) return null;
  const [organizationId, ticketId, version, dateId, sectionId] = numbers;
  return { organizationId, ticketId, version, dateId, sectionId, barcode: parts[6].toUpperCase(), body: parts.slice(0, 7).join('.'), signature: parts[7] };
}

export function fromBase64Url(value: string): Uint8Array<ArrayBuffer> {
  const b64 = value.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (value.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export type Verifier = ((payload: QrPayload) => Promise<boolean>) & { engine: 'webcrypto' | 'noble' };

/** A verifier for one public key (raw, base64url): WebCrypto when the browser has Ed25519, else @noble/ed25519. */
export async function verifierFor(rawPublicKey: string, options: { forceFallback?: boolean } = {}): Promise<Verifier> {
  const publicKey = fromBase64Url(rawPublicKey);
  const encoder = new TextEncoder();
  if (!options.forceFallback) {
    try {
      const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
      const verify = async (p: QrPayload) => {
        try {
          return await crypto.subtle.verify({ name: 'Ed25519' }, key, fromBase64Url(p.signature), encoder.encode(p.body));
        } catch {
          return false;
        }
      };
      return Object.assign(verify, { engine: 'webcrypto' as const });
    } catch {
      // No Ed25519 in this browser's WebCrypto: fall through.
    }
  }
  const ed = await import('@noble/ed25519');
  const verify = async (p: QrPayload) => {
    try {
      return await ed.verifyAsync(fromBase64Url(p.signature), encoder.encode(p.body), publicKey);
    } catch {
      return false;
    }
  };
  return Object.assign(verify, { engine: 'noble' as const });
}
