import type { Db, Engine } from '../database.ts';
import type { Migration } from '../migrator.ts';
import { columnTypes, tenantOwned, withId, type Builder } from './builders.ts';

/**
 * What the TickeTing dialect needs that the core lacked: e-mail verification codes, sign-in sessions whose key is used like an
 * API key, a host profile on organizations, an event's type and disclaimer, an account's preferred
 * region and the organization that registered it.
 */
export const ticketing: Migration = {
  version: 5,
  name: 'ticketing',
  async up(db: Db, engine: Engine) {
    const { instant } = columnTypes(engine);
    const s = db.schema;

    // A session is started by an account inside one organization (the tenant of the key that started it);
    // its key is 32 hex characters, stored as a SHA-256 digest.
    await tenantOwned(withId(engine, s.createTable('sessions') as unknown as Builder))
      .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('started_at', instant, (c) => c.notNull())
      .addColumn('ended_at', instant)
      .execute();
    await s.createIndex('sessions_account').on('sessions').column('account_id').execute();

    // E-mail verification codes: single use, stored as digests, like password reset codes.
    await withId(engine, s.createTable('account_verifications') as unknown as Builder)
      .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('code_hash', 'text', (c) => c.notNull().unique())
      .addColumn('expires_at', instant, (c) => c.notNull())
      .addColumn('used_at', instant)
      .addColumn('created_at', instant, (c) => c.notNull())
      .execute();

    for (const column of ['contact_name', 'email', 'description', 'phone', 'website', 'country', 'address_line1', 'address_line2', 'city', 'state', 'business_number']) {
      await s.alterTable('organizations').addColumn(column, 'text').execute();
    }
    await s.alterTable('events').addColumn('event_type', 'text').execute();
    await s.alterTable('events').addColumn('disclaimer', 'text').execute();
    // The organization whose credential registered the account: its admins may see and manage it.
    await s.alterTable('accounts').addColumn('registered_by_organization_id', 'integer', (c) => c.references('organizations.id').onDelete('set null')).execute();
    await s.alterTable('accounts').addColumn('preferred_region_id', 'integer', (c) => c.references('regions.id').onDelete('set null')).execute();
  },
};
