import type { Db } from '../../db/database.ts';
import { fromFlag } from '../../db/quirks.ts';
import { identityRepository as identity } from './repository.ts';
import { verifyPassword } from './secrets.ts';

/**
 * The one check of a person's password, for every way of signing in (OAuth password grant, browser
 * sessions): the account by username or e-mail, active, with this password. A failure on a known
 * account is recorded in its activity. Returns the account, or null: callers never tell which part failed.
 */
export async function checkAccountPassword(db: Db, identification: string, password: string, context: { ip: string | null; now: string }) {
  const account = await identity.accountByIdentification(db, identification);
  const valid = account && fromFlag(account.activated) && (await verifyPassword(account.password_hash, password));
  if (!account || !valid) {
    if (account) await identity.addActivity(db, { account_id: account.id, kind: 'sign_in_failed', ip: context.ip, created_at: context.now });
    return null;
  }
  return account;
}
