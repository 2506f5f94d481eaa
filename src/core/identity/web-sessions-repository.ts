import type { Db } from '../../db/database.ts';
import type { Insertable } from 'kysely';
import type { WebSessionsTable } from '../../db/tables.ts';

/** SQL for browser sessions (migration 012). */
export const webSessionRepository = {
  /** A live session by its key's digest, with its account's standing (null account = a guest). */
  live(db: Db, keyHash: string, now: string) {
    return db
      .selectFrom('web_sessions')
      .leftJoin('accounts', 'accounts.id', 'web_sessions.account_id')
      .select([
        'web_sessions.id', 'web_sessions.account_id', 'web_sessions.expires_at', 'web_sessions.last_seen_at',
        'accounts.platform_role', 'accounts.activated', 'accounts.username', 'accounts.email', 'accounts.first_name', 'accounts.last_name',
      ])
      .where('web_sessions.key_hash', '=', keyHash)
      .where('web_sessions.ended_at', 'is', null)
      .where('web_sessions.expires_at', '>', now)
      .executeTakeFirst();
  },
  insert(db: Db, values: Insertable<WebSessionsTable>) {
    return db.insertInto('web_sessions').values(values).returning('id').executeTakeFirstOrThrow();
  },
  /** Gives the session a new key (and an account, on sign-in): the old key stops working at once. */
  async rekey(db: Db, id: number, values: { key_hash: string; account_id: number | null; signed_in_at: string | null; last_seen_at: string; expires_at: string }) {
    await db.updateTable('web_sessions').set(values).where('id', '=', id).where('ended_at', 'is', null).execute();
  },
  async extend(db: Db, id: number, now: string, expiresAt: string) {
    await db.updateTable('web_sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', id).execute();
  },
  async end(db: Db, id: number, now: string) {
    await db.updateTable('web_sessions').set({ ended_at: now }).where('id', '=', id).where('ended_at', 'is', null).execute();
  },
  memberships(db: Db, accountId: number) {
    return db
      .selectFrom('memberships')
      .innerJoin('organizations', 'organizations.id', 'memberships.organization_id')
      .select(['organizations.id', 'organizations.slug', 'organizations.name', 'memberships.role'])
      .where('memberships.account_id', '=', accountId)
      .orderBy('organizations.name')
      .execute();
  },
  membershipRole(db: Db, accountId: number, organizationId: number) {
    return db.selectFrom('memberships').select('role').where('account_id', '=', accountId).where('organization_id', '=', organizationId).executeTakeFirst();
  },
  /** Forgets sessions that ended or expired before `before`. */
  async purge(db: Db, before: string) {
    await db.deleteFrom('web_sessions').where((eb) => eb.or([eb('expires_at', '<', before), eb('ended_at', '<', before)])).execute();
  },
};
