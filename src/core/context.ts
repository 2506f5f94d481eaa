import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Mailer } from './notifications/mailer.ts';
import { TtlCache } from './cache.ts';
import type { Principal } from './identity/principal.ts';
import type { Channel } from './catalog/channels.ts';
import type { Sealer } from './identity/secrets.ts';
import type { CredentialThrottle } from './identity/throttle.ts';

/** What every core service is built with. The clock is injectable so expiry can be tested. */
export interface CoreContext {
  database: Database;
  config: Config;
  clock: () => Date;
  mailer: Mailer;
  /** Per-process caches of what every request resolves (see cache.ts). */
  caches: CoreCaches;
  /** Encrypts the secrets stored at rest (GUICHET_SECRET_KEY). */
  sealer: Sealer;
  /** Brute-force limits of every credential check. */
  throttle: CredentialThrottle;
}

export interface CoreCaches {
  /** Access-token digest → principal and expiry. */
  principals: TtlCache<string, Principal>;
  /** `${organizationId}:${channelId | 'default'}` → channel. */
  channels: TtlCache<string, Channel>;
}

export function createCaches(config: Config, clock: () => Date): CoreCaches {
  const ttl = config.authCacheSeconds * 1000;
  return { principals: new TtlCache(ttl, clock), channels: new TtlCache(ttl, clock) };
}
