import type { Db } from '../../db/database.ts';
import type { Principal } from './principal.ts';

/** The SQL of revoking everything an account signed in with. */
const revocationRepository = {
  async revokeAccessTokens(db: Db, accountId: number, at: string, keepId: number | null) {
    let query = db.updateTable('access_tokens').set({ revoked_at: at }).where('account_id', '=', accountId).where('grant_type', '=', 'password').where('revoked_at', 'is', null);
    if (keepId !== null) query = query.where('id', '<>', keepId);
    return Number((await query.executeTakeFirst()).numUpdatedRows);
  },
  async revokeRefreshTokens(db: Db, accountId: number, at: string) {
    const result = await db.updateTable('refresh_tokens').set({ revoked_at: at }).where('account_id', '=', accountId).where('grant_type', '=', 'password').where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  },
  async endSessions(db: Db, accountId: number, at: string, keepId: number | null) {
    let query = db.updateTable('sessions').set({ ended_at: at }).where('account_id', '=', accountId).where('ended_at', 'is', null);
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
  partnerTokens: number;
}

/**
 * Ends every credential a person obtained with their password: OAuth access and refresh tokens of the
 * password grant, TickeTing sessions, Weezevent access tokens, and any pending reset code. Called in the
 * transaction of a password change or reset (and of anything else that must sign a person out
 * everywhere). `keep` spares the credential that made the change, when it asked to stay signed in.
 * Credentials of software (OAuth clients, integration keys, partner keys) are not the person's and stay.
 * The caller clears the in-process caches after the commit (other processes follow within
 * AUTH_CACHE_SECONDS).
 */
export async function revokeAccountCredentials(db: Db, accountId: number, at: string, options: { keep?: Principal['credential'] | null } = {}): Promise<Revoked> {
  const keep = options.keep ?? null;
  const accessTokens = await revocationRepository.revokeAccessTokens(db, accountId, at, keep?.kind === 'access_token' ? keep.id : null);
  const refreshTokens = await revocationRepository.revokeRefreshTokens(db, accountId, at);
  const sessions = await revocationRepository.endSessions(db, accountId, at, keep?.kind === 'session' ? keep.id : null);
  const partnerTokens = await revocationRepository.revokePartnerTokens(db, accountId, at);
  await revocationRepository.voidPasswordResets(db, accountId, at);
  return { accessTokens, refreshTokens, sessions, partnerTokens };
}
