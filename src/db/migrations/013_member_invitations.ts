import type { Db, Engine } from '../database.ts';
import type { Migration } from '../migrator.ts';
import { columnTypes, tenantOwned, withId } from './builders.ts';

/**
 * `member_invitations`: an organization invites someone by e-mail to become a member with a role.
 * The invitation's code is mailed (and shown once to whoever invited); only its SHA-256 digest is
 * stored. Accepting it (signed in, once, before it expires) makes the account a member.
 */
export const memberInvitations: Migration = {
  version: 13,
  name: 'member_invitations',
  async up(db: Db, engine: Engine) {
    const { instant } = columnTypes(engine);
    await tenantOwned(withId(engine, db.schema.createTable('member_invitations')))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('code_hash', 'text', (c) => c.notNull().unique())
      .addColumn('invited_by', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
      .addColumn('expires_at', instant, (c) => c.notNull())
      .addColumn('accepted_at', instant)
      .addColumn('accepted_by', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
      .addColumn('revoked_at', instant)
      .addColumn('created_at', instant, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('member_invitations_organization').on('member_invitations').columns(['organization_id', 'id']).execute();
  },
};
