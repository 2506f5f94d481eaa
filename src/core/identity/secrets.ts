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
