import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';

/**
 * The key that encrypts secrets stored at rest (QR-signing private keys, stored idempotent answers).
 * GUICHET_SECRET_KEY (32 bytes as 64 hex characters or base64) when set. Otherwise one is generated
 * into the data folder (next to the SQLite file; `./data` with PostgreSQL) and kept there. A production
 * start without the variable says so on stderr: a key on one server's disk is lost with that disk, and
 * servers sharing one database must share one key, so production should set the variable.
 */
export function resolveSecretKey(config: Pick<Config, 'secretKey' | 'production' | 'databaseUrl'>): Buffer {
  if (config.secretKey) return parseSecretKey(config.secretKey);
  const dir = config.databaseUrl === ':memory:' || /^postgres(ql)?:\/\//.test(config.databaseUrl) ? './data' : path.dirname(config.databaseUrl);
  const file = path.join(dir, 'secret.key');
  try {
    return parseSecretKey(fs.readFileSync(file, 'utf8').trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(dir, { recursive: true });
  if (config.production) {
    console.error(`GUICHET_SECRET_KEY is not set: generated ${file} to encrypt the secrets stored in the database. Set GUICHET_SECRET_KEY (e.g. \`openssl rand -hex 32\`) to the same value on every server sharing this database, and keep it safe.`);
  }
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
