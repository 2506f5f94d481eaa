import type { Db } from '../../db/database.ts';
import type { Principal } from './principal.ts';

/** The SQL of revoking everything an account signed in with. */
const revocationRepository = {
  async revokeAccessTokens(db: Db, accountId: number, at: string, keepId: number | null) {
    let query = db.updateTable('access_tokens').set({ revoked_at: at }).where('account_id', '=', accountId).where('grant_type', '=', 'password').where('revoked_at', 'is', null);
    if (keepId !== null) query = query.where('id', '<>', keepId);
    return Number((await query.executeTakeFirst()).numUpdatedRows);
  },
  /** The family of the refresh token issued with an access token (null for tokens issued without one). */
  async refreshFamilyOf(db: Db, accessTokenId: number) {
    const row = await db.selectFrom('access_tokens').select('refresh_family').where('id', '=', accessTokenId).executeTakeFirst();
    return row?.refresh_family ?? null;
  },
  async revokeRefreshTokens(db: Db, accountId: number, at: string, keepFamily: string | null) {
    let query = db.updateTable('refresh_tokens').set({ revoked_at: at }).where('account_id', '=', accountId).where('grant_type', '=', 'password').where('revoked_at', 'is', null);
    if (keepFamily !== null) query = query.where('family', '<>', keepFamily);
    return Number((await query.executeTakeFirst()).numUpdatedRows);
  },
  /** Ends the account's live TickeTing sessions (`sessions`) or browser sessions (`web_sessions`), but `keepId`. */
  async endSessions(db: Db, table: 'sessions' | 'web_sessions', accountId: number, at: string, keepId: number | null) {
    let query = db.updateTable(table).set({ ended_at: at }).where('account_id', '=', accountId).where('ended_at', 'is', null);
    if (keepId !== null) query = query.where('id', '<>', keepId);
    return Number((await query.executeTakeFirst()).numUpdatedRows);
  },
  async revokePartnerTokens(db: Db, accountId: number, at: string) {
    const result = await db.updateTable('partner_tokens').set({ revoked_at: at }).where('account_id', '=', accountId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  },
  /** Reset codes not yet used stop working (the one being used is already marked used). */
  async voidPasswordResets(db: Db, accountId: number, at: string) {
    await db.updateTable('password_resets').set({ used_at: at }).where('account_id', '=', accountId).where('used_at', 'is', null).execute();
  },
};

export interface Revoked {
  accessTokens: number;
  refreshTokens: number;
  sessions: number;
  webSessions: number;
  partnerTokens: number;
}

/**
 * THE one place that signs a person out everywhere: ends every credential they obtained with their
 * password — OAuth access and refresh tokens of the password grant, TickeTing sessions, the web app's
 * browser sessions, Weezevent access tokens — and voids any pending reset code. Called in the
 * transaction of a password change or reset, and of closing an account.
 * `keep` spares the credential that made the change, when it asked to stay signed in: an access token
 * keeps the refresh token issued with it (its family), and only that one; a TickeTing session or a
 * browser session keeps itself.
 * Credentials of software (OAuth clients, integration keys, partner keys) are not the person's and stay.
 * The caller clears the in-process caches after the commit (other processes follow within
 * AUTH_CACHE_SECONDS).
 */
export async function revokeAccountCredentials(db: Db, accountId: number, at: string, options: { keep?: Principal['credential'] | null } = {}): Promise<Revoked> {
  const keep = options.keep ?? null;
  const keptAccessToken = keep?.kind === 'access_token' ? keep.id : null;
  const keptFamily = keptAccessToken === null ? null : await revocationRepository.refreshFamilyOf(db, keptAccessToken);
  const revoked: Revoked = {
    accessTokens: await revocationRepository.revokeAccessTokens(db, accountId, at, keptAccessToken),
    refreshTokens: await revocationRepository.revokeRefreshTokens(db, accountId, at, keptFamily),
    sessions: await revocationRepository.endSessions(db, 'sessions', accountId, at, keep?.kind === 'session' ? keep.id : null),
    webSessions: await revocationRepository.endSessions(db, 'web_sessions', accountId, at, keep?.kind === 'web_session' ? keep.id : null),
    partnerTokens: await revocationRepository.revokePartnerTokens(db, accountId, at),
  };
  await revocationRepository.voidPasswordResets(db, accountId, at);
  return revoked;
}
