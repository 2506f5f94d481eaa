import crypto from 'node:crypto';
import argon2 from 'argon2';

/**
 * Two kinds of secret, two kinds of hash:
 * - chosen secrets (passwords, OAuth client secrets that may be typed by people) get argon2id,
 *   memory-hard and salted;
 * - generated secrets (access/refresh tokens, API keys, reset tokens) carry 128+ bits of randomness,
 *   so a SHA-256 digest is enough and, unlike a salted hash, can be looked up by index.
 */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | null = null;
/** A hash of nothing anyone knows, verified for unknown accounts so that they cost the time of a known one. */
export function decoyHash(): Promise<string> {
  return (decoy ??= hashPassword(crypto.randomBytes(16).toString('hex')));
}

export function digest(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

/** An opaque random token, URL-safe. */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

/** Integration API keys: 32 lowercase hex characters (the TickeTing format). */
export function randomApiKey(): string {
  return crypto.randomBytes(16).toString('hex');
}

/**
 * Authenticated encryption (AES-256-GCM) of secrets the server must read back (QR-signing private
 * keys, stored idempotent answers), under the key from GUICHET_SECRET_KEY (see secret-key.ts).
 * Sealed values read `sealed:v1:<iv>:<tag>:<ciphertext>` (base64url), so a value stored before
 * encryption existed is recognised and still read.
 */
export interface Sealer {
  seal(plain: string): string;
  open(stored: string): string;
  isSealed(stored: string): boolean;
}

const SEALED = 'sealed:v1:';

export function createSealer(key: Buffer): Sealer {
  return {
    seal(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${SEALED}${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${body.toString('base64url')}`;
    },
    open(stored) {
      if (!stored.startsWith(SEALED)) return stored;
      const [iv, tag, body] = stored.slice(SEALED.length).split(':');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    isSealed: (stored) => stored.startsWith(SEALED),
  };
}
