import type { Db, Engine } from '../database.ts';
import type { Migration } from '../migrator.ts';
import { columnTypes } from './builders.ts';

/**
 * Security (issue 16):
 * - `partner_tokens.expires_at`: Weezevent access tokens expire (WEEZEVENT_TOKEN_TTL_SECONDS); tokens
 *   issued before have none and keep working until revoked (a password change revokes them).
 * - `idempotency_keys.resource`: the resource a request created, written in the same transaction as
 *   the work (orders, carts), so that a retry after a crash gets the one answer even when the stored
 *   answer was lost with the process; and an index on `created_at` for the 24-hour purge.
 */
export const security: Migration = {
  version: 9,
  name: 'security',
  async up(db: Db, engine: Engine) {
    const { instant } = columnTypes(engine);
    await db.schema.alterTable('partner_tokens').addColumn('expires_at', instant).execute();
    await db.schema.alterTable('idempotency_keys').addColumn('resource', 'text').execute();
    await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
  },
};
