import type { Db, Engine } from '../database.ts';
import type { Migration } from '../migrator.ts';
import { columnTypes, tenantOwned, withId, type Builder } from './builders.ts';

/**
 * What the Weezevent dialect needs from the core:
 * - partner keys: an organization's key that signs every request of a partner integration, created
 *   and revoked by its admins, stored as a SHA-256 digest;
 * - partner tokens: the persistent access token a member obtains with that key and their password
 *   (digest only), ended when the key is revoked or the membership removed;
 * - guest comps issued on a tariff (a Weezevent participant always has a price category), so that
 *   they count against the tariff's quota and report their tariff;
 * - an index for incremental sync of tickets changed since an instant.
 */
export const weezevent: Migration = {
  version: 6,
  name: 'weezevent',
  async up(db: Db, engine: Engine) {
    const { instant } = columnTypes(engine);
    const s = db.schema;
    const create = (name: string) => withId(engine, s.createTable(name) as unknown as Builder);

    await tenantOwned(create('partner_keys'))
      .addColumn('account_id', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('revoked_at', instant)
      .addColumn('last_used_at', instant)
      .addColumn('created_at', instant, (c) => c.notNull())
      .execute();
    await s.createIndex('partner_keys_organization').on('partner_keys').column('organization_id').execute();

    await tenantOwned(create('partner_tokens'))
      .addColumn('partner_key_id', 'integer', (c) => c.notNull().references('partner_keys.id').onDelete('cascade'))
      .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('revoked_at', instant)
      .addColumn('created_at', instant, (c) => c.notNull())
      .execute();
    await s.createIndex('partner_tokens_key').on('partner_tokens').column('partner_key_id').execute();

    await s.alterTable('guests').addColumn('tariff_id', 'integer', (c) => c.references('tariffs.id')).execute();
    await s.createIndex('tickets_organization_updated').on('tickets').columns(['organization_id', 'updated_at']).execute();
  },
};
