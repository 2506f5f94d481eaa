import type { Db } from '../database.ts';
import type { Migration } from '../migrator.ts';

/**
 * Roles that cannot cross organizations. Until now `create-admin` made every organization's owner a
 * platform administrator, and such owners could grant platform roles through `POST /api/users`; a
 * platform role followed its holder into every organization. From now on only deliberate platform
 * operators hold one (the `create-operator` command). Every platform role granted the old way is
 * taken back here; an installation's operators run `create-operator --email …` to be one again.
 * The demo account (published credentials, demo data only) is the demo seed's deliberate operator
 * and keeps its role, so the demo's administrator integration key stays an operator's key.
 */
export const platformOperators: Migration = {
  version: 10,
  name: 'platform_operators',
  async up(db: Db) {
    await db
      .updateTable('accounts')
      .set({ platform_role: 'customer' })
      .where('platform_role', '<>', 'customer')
      .where('email', '<>', 'demo@guichet.test')
      .execute();
  },
};
