import type { Db, Engine } from '../database.ts';
import type { Migration } from '../migrator.ts';
import { columnTypes, withId, type Builder } from './builders.ts';

/**
 * Browser sessions of the web app (shop, account, back office, door): the browser holds the key in an
 * httpOnly cookie; the server keeps its SHA-256 digest. A session starts as a guest's (no account: a
 * buyer may buy without one) and is given an account when the person signs in (with a new key).
 * Guest purchases belong to the browser session that made them: `carts.web_session_id`,
 * `orders.web_session_id`, as a shop front's purchases belong to its OAuth client.
 */
export const webSessions: Migration = {
  version: 12,
  name: 'web_sessions',
  async up(db: Db, engine: Engine) {
    const { instant } = columnTypes(engine);
    const s = db.schema;
    await withId(engine, s.createTable('web_sessions') as unknown as Builder)
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('account_id', 'integer', (c) => c.references('accounts.id').onDelete('cascade'))
      .addColumn('created_at', instant, (c) => c.notNull())
      .addColumn('signed_in_at', instant)
      .addColumn('last_seen_at', instant, (c) => c.notNull())
      .addColumn('expires_at', instant, (c) => c.notNull())
      .addColumn('ended_at', instant)
      .execute();
    await s.createIndex('web_sessions_account').on('web_sessions').column('account_id').execute();
    await s.alterTable('carts').addColumn('web_session_id', 'integer').execute();
    await s.alterTable('orders').addColumn('web_session_id', 'integer').execute();
  },
};
