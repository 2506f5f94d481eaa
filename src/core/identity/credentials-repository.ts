import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AccessTokensTable, ApiKeysTable, OauthClientsTable, PartnerApiUsersTable, RefreshTokensTable } from '../../db/tables.ts';
import { paged } from '../../db/paging.ts';
import type { Page } from '../pagination.ts';

/** Marks an organization's live credential revoked; false when there is no such live credential. */
async function revokeOwned(db: Db, table: 'oauth_clients' | 'api_keys' | 'partner_api_users', organizationId: number, id: number, now: string) {
  const row = await db
    .updateTable(table)
    .set({ revoked_at: now })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return Boolean(row);
}

/** SQL for credentials: OAuth clients, access and refresh tokens, integration API keys. Secrets are digests only. */
export const credentialsRepository = {
  clientByClientId(db: Db, clientId: string) {
    return db.selectFrom('oauth_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  },
  client(db: Db, organizationId: number, id: number) {
    return db
      .selectFrom('oauth_clients')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .executeTakeFirst();
  },
  async clients(db: Db, organizationId: number, page: Page) {
    const query = db.selectFrom('oauth_clients').where('organization_id', '=', organizationId);
    return paged(query, page, (q) => q.selectAll().orderBy('id'));
  },
  insertClient(db: Db, values: Insertable<OauthClientsTable>) {
    return db.insertInto('oauth_clients').values(values).returningAll().executeTakeFirstOrThrow();
  },
  async revokeClient(db: Db, organizationId: number, id: number, now: string) {
    if (!(await revokeOwned(db, 'oauth_clients', organizationId, id, now))) return false;
    await db.updateTable('access_tokens').set({ revoked_at: now }).where('oauth_client_id', '=', id).where('revoked_at', 'is', null).execute();
    await db.updateTable('refresh_tokens').set({ revoked_at: now }).where('oauth_client_id', '=', id).where('revoked_at', 'is', null).execute();
    return true;
  },

  async insertAccessToken(db: Db, values: Insertable<AccessTokensTable>) {
    await db.insertInto('access_tokens').values(values).execute();
  },
  async insertRefreshToken(db: Db, values: Insertable<RefreshTokensTable>) {
    await db.insertInto('refresh_tokens').values(values).execute();
  },

  /** An access token that is live now, with its client still live, and the acting account's platform role. */
  liveAccessToken(db: Db, tokenHash: string, now: string) {
    return db
      .selectFrom('access_tokens')
      .innerJoin('oauth_clients', 'oauth_clients.id', 'access_tokens.oauth_client_id')
      .leftJoin('accounts', 'accounts.id', 'access_tokens.account_id')
      .leftJoin('memberships', (j) =>
        j.onRef('memberships.account_id', '=', 'access_tokens.account_id').onRef('memberships.organization_id', '=', 'access_tokens.organization_id'),
      )
      .select([
        'memberships.role as membership_role',
        'access_tokens.id',
        'access_tokens.organization_id',
        'access_tokens.account_id',
        'access_tokens.oauth_client_id',
        'access_tokens.grant_type',
        'access_tokens.expires_at',
        'access_tokens.scopes',
        'accounts.platform_role',
        'accounts.activated',
      ])
      .where('access_tokens.token_hash', '=', tokenHash)
      .where('access_tokens.revoked_at', 'is', null)
      .where('access_tokens.expires_at', '>', now)
      .where('oauth_clients.revoked_at', 'is', null)
      .executeTakeFirst();
  },

  refreshToken(db: Db, tokenHash: string) {
    return db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  },
  /** Marks a refresh token used; false when another request rotated it first. */
  async useRefreshToken(db: Db, id: number, now: string) {
    const row = await db
      .updateTable('refresh_tokens')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return Boolean(row);
  },
  async revokeRefreshFamily(db: Db, family: string, now: string) {
    await db.updateTable('refresh_tokens').set({ revoked_at: now }).where('family', '=', family).where('revoked_at', 'is', null).execute();
  },
  async revokeTokenByHash(db: Db, oauthClientId: number, tokenHash: string, now: string) {
    await db
      .updateTable('access_tokens')
      .set({ revoked_at: now })
      .where('token_hash', '=', tokenHash)
      .where('oauth_client_id', '=', oauthClientId)
      .where('revoked_at', 'is', null)
      .execute();
    const refresh = await db
      .selectFrom('refresh_tokens')
      .select('family')
      .where('token_hash', '=', tokenHash)
      .where('oauth_client_id', '=', oauthClientId)
      .executeTakeFirst();
    if (refresh) await this.revokeRefreshFamily(db, refresh.family, now);
  },

  insertApiKey(db: Db, values: Insertable<ApiKeysTable>) {
    return db.insertInto('api_keys').values(values).returningAll().executeTakeFirstOrThrow();
  },
  liveApiKey(db: Db, keyHash: string) {
    return db
      .selectFrom('api_keys')
      .leftJoin('accounts', 'accounts.id', 'api_keys.account_id')
      .select(['api_keys.id', 'api_keys.organization_id', 'api_keys.account_id', 'api_keys.access_level', 'accounts.platform_role'])
      .where('api_keys.key_hash', '=', keyHash)
      .where('api_keys.revoked_at', 'is', null)
      .executeTakeFirst();
  },
  async apiKeys(db: Db, organizationId: number, page: Page) {
    const query = db.selectFrom('api_keys').where('organization_id', '=', organizationId);
    return paged(query, page, (q) => q.selectAll().orderBy('id'));
  },
  revokeApiKey(db: Db, organizationId: number, id: number, now: string) {
    return revokeOwned(db, 'api_keys', organizationId, id, now);
  },

  insertPartnerUser(db: Db, values: Insertable<PartnerApiUsersTable>) {
    return db.insertInto('partner_api_users').values(values).returningAll().executeTakeFirstOrThrow();
  },
  async partnerUsers(db: Db, organizationId: number, page: Page) {
    const query = db.selectFrom('partner_api_users').where('organization_id', '=', organizationId);
    return paged(query, page, (q) => q.selectAll().orderBy('id'));
  },
  /** Live partner API users with this user name (in one organization when its slug is given). */
  async partnerUserLoginTaken(db: Db, username: string) {
    return Boolean(await db.selectFrom('partner_api_users').select('id').where('username', '=', username).where('revoked_at', 'is', null).limit(1).executeTakeFirst());
  },
  livePartnerUsers(db: Db, username: string, organizationSlug: string | null) {
    let query = db
      .selectFrom('partner_api_users')
      .innerJoin('organizations', 'organizations.id', 'partner_api_users.organization_id')
      .select(['partner_api_users.id', 'partner_api_users.organization_id', 'partner_api_users.account_id', 'partner_api_users.password_hash', 'partner_api_users.access'])
      .where('partner_api_users.username', '=', username)
      .where('partner_api_users.revoked_at', 'is', null);
    if (organizationSlug !== null) query = query.where('organizations.slug', '=', organizationSlug);
    return query.limit(5).execute();
  },
  revokePartnerUser(db: Db, organizationId: number, id: number, now: string) {
    return revokeOwned(db, 'partner_api_users', organizationId, id, now);
  },
};
