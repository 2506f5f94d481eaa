import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';

/**
 * The key that encrypts secrets stored at rest (QR-signing private keys, stored idempotent answers).
 * GUICHET_SECRET_KEY (32 bytes as 64 hex characters or base64) when set. Otherwise an embedded
 * (non-production) start generates one into the data folder, next to the SQLite file, and keeps it
 * there; a production start without the variable refuses to start: a key generated on one server's
 * disk would be lost with it, or differ between servers.
 */
export function resolveSecretKey(config: Pick<Config, 'secretKey' | 'production' | 'databaseUrl'>): Buffer {
  if (config.secretKey) return parseSecretKey(config.secretKey);
  if (config.production) {
    throw new Error('GUICHET_SECRET_KEY is required in production (32 random bytes, e.g. `openssl rand -hex 32`): it encrypts the secrets stored in the database');
  }
  const dir = config.databaseUrl === ':memory:' || /^postgres(ql)?:\/\//.test(config.databaseUrl) ? './data' : path.dirname(config.databaseUrl);
  const file = path.join(dir, 'secret.key');
  try {
    return parseSecretKey(fs.readFileSync(file, 'utf8').trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(dir, { recursive: true });
  const key = crypto.randomBytes(32);
  try {
    // 'wx': two processes starting at once keep the first one's key.
    fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseSecretKey(fs.readFileSync(file, 'utf8').trim());
  }
}

export function parseSecretKey(value: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error('GUICHET_SECRET_KEY must be 32 bytes: 64 hex characters or 44 base64 characters');
  return key;
}
