import type { Db } from '../database.ts';
import type { Migration } from '../migrator.ts';

/**
 * Whether an event asks for a name per ticket at checkout (issue 18): `none` (the buyer's name is
 * printed on every ticket, as before), `optional` (the shop offers a field per ticket) or `required`
 * (checkout refuses a ticket without one).
 */
export const holderNames: Migration = {
  version: 18,
  name: 'holder_names',
  async up(db: Db) {
    await db.schema.alterTable('events').addColumn('holder_names', 'text', (c) => c.notNull().defaultTo('none')).execute();
  },
};
