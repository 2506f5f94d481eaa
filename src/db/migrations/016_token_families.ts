import type { Db } from '../database.ts';
import type { Migration } from '../migrator.ts';

/**
 * Security (issue 16): `access_tokens.refresh_family` names the family of the refresh token issued
 * with the access token (password and refresh grants), so that a password change made with an access
 * token that asks to stay signed in keeps that session's refresh token, and only it. Tokens issued
 * before have none: their refresh tokens end with the rest.
 */
export const tokenFamilies: Migration = {
  version: 16,
  name: 'token_families',
  async up(db: Db) {
    await db.schema.alterTable('access_tokens').addColumn('refresh_family', 'text').execute();
  },
};
