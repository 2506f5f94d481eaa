import type { Db } from '../../db/database.ts';
import { fromFlag } from '../../db/quirks.ts';
import { identityRepository as identity } from './repository.ts';
import { decoyHash, verifyPassword } from './secrets.ts';
import type { CredentialThrottle } from './throttle.ts';

/**
 * The one check of a person's password, for every way of signing in (OAuth password grant, browser
 * sessions): the account by username or e-mail, active, with this password, under the brute-force
 * limits (per account and per address; a locked attempt is refused with RATE_LIMITED before any
 * hashing). An unknown account is checked against a decoy hash so that timing does not tell it apart.
 * A failure on a known account is recorded in its activity. Returns the account, or null: callers
 * never tell which part failed.
 */
export async function checkAccountPassword(db: Db, throttle: CredentialThrottle, identification: string, password: string, context: { ip: string | null; now: string }) {
  let account: Awaited<ReturnType<typeof identity.accountByIdentification>>;
  const valid = await throttle.guard({ account: identification, ip: context.ip }, async () => {
    account = await identity.accountByIdentification(db, identification);
    const ok = await verifyPassword(account?.password_hash ?? (await decoyHash()), password);
    return Boolean(account && fromFlag(account.activated) && ok);
  });
  const person = account!;
  if (!person || !valid) {
    if (person) await identity.addActivity(db, { account_id: person.id, kind: 'sign_in_failed', ip: context.ip, created_at: context.now });
    return null;
  }
  return person;
}
