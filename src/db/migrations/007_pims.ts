import { sql } from 'kysely';
import type { Db, Engine } from '../database.ts';
import type { Migration } from '../migrator.ts';
import { FOLD_FROM, FOLD_TO } from '../fold.ts';
import { localDateTime } from '../../core/catalog/local-time.ts';
import { columnTypes, tenantOwned, withId, type Builder } from './builders.ts';

/**
 * Partner API support (first user: the Pims dialect):
 * - `partner_api_users`: HTTP Basic users of one organization (password as an argon2id hash);
 * - `event_dates.local_starts_at`: each date's wall-clock start in its event's time zone, kept by
 *   the catalog, so that dates can be filtered and sorted in local time on both engines;
 * - the PostgreSQL function `guichet_fold` (case- and accent-insensitive search; SQLite registers
 *   the same function on each connection, see db/fold.ts).
 */
export const pims: Migration = {
  version: 7,
  name: 'pims',
  async up(db: Db, engine: Engine) {
    const { instant } = columnTypes(engine);
    await tenantOwned(withId(engine, db.schema.createTable('partner_api_users') as unknown as Builder))
      .addColumn('account_id', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('access', 'text', (c) => c.notNull())
      .addColumn('revoked_at', instant)
      .addColumn('created_at', instant, (c) => c.notNull())
      .addUniqueConstraint('partner_api_users_username', ['organization_id', 'username'] as never)
      .execute();
    await db.schema.createIndex('partner_api_users_login').on('partner_api_users').column('username').execute();

    await db.schema.alterTable('event_dates').addColumn('local_starts_at', 'text').execute();
    const rows = await db
      .selectFrom('event_dates')
      .innerJoin('events', 'events.id', 'event_dates.event_id')
      .select(['event_dates.id', 'event_dates.starts_at', 'events.time_zone'])
      .execute();
    for (const r of rows) {
      await db.updateTable('event_dates').set({ local_starts_at: localDateTime(r.starts_at, r.time_zone) }).where('id', '=', r.id).execute();
    }
    await db.schema.createIndex('event_dates_local_start').on('event_dates').columns(['organization_id', 'local_starts_at']).execute();

    if (engine === 'postgres') {
      await sql`create or replace function guichet_fold(value text) returns text language sql immutable strict parallel safe
        as ${sql.raw(`$$ select translate(lower(value), '${FOLD_FROM.replace(/'/g, "''")}', '${FOLD_TO}') $$`)}`.execute(db);
    }
  },
};
