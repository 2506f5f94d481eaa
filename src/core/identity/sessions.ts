import type { CoreContext } from '../context.ts';
import { DomainError, notFound } from '../errors.ts';
import { fromFlag, toIso } from '../../db/quirks.ts';
import type { Db } from '../../db/database.ts';
import { identityRepository } from './repository.ts';
import { decoyHash, digest, randomApiKey, verifyPassword } from './secrets.ts';
import { ACCESS_LEVEL_SCOPES } from './credentials.ts';
import { operatorRole, type AccessLevel, type PlatformRole, type Principal } from './principal.ts';
import { toAccount, type Account } from './accounts.ts';

export interface Session {
  id: number;
  organizationId: number;
  account: Account;
  startedAt: string;
  endedAt: string | null;
}

/**
 * What a signed-in person may do inside the session's organization: platform operators keep their
 * platform level; otherwise owners and managers act as the host, box office and door staff as support,
 * everyone else as a customer.
 */
function accessLevel(platformRole: PlatformRole, membershipRole: string | null): AccessLevel {
  if (platformRole === 'administrator' || platformRole === 'support') return platformRole;
  if (membershipRole === 'owner' || membershipRole === 'manager') return 'host';
  if (membershipRole === 'box_office' || membershipRole === 'door_staff') return 'support';
  return 'customer';
}

/**
 * Sign-in sessions: a person proves their password and gets a 32-hex-character key that acts for
 * them, like an integration key, inside one organization (the tenant of the credential used to start
 * it). Keys are stored as SHA-256 digests.
 */
export function sessionService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  async function present(db: Db, row: { id: number; organization_id: number; account_id: number; started_at: Date | string; ended_at: Date | string | null }): Promise<Session> {
    const account = await identityRepository.accountById(db, row.account_id);
    if (!account) throw notFound('Account');
    return { id: row.id, organizationId: row.organization_id, account: toAccount(account), startedAt: toIso(row.started_at)!, endedAt: toIso(row.ended_at) };
  }

  return {
    /**
     * INVALID_CREDENTIALS for an unknown or closed account and for a wrong password alike (the answer
     * never tells whether an account exists); under the brute-force limits.
     */
    async start(organizationId: number, identification: string, password: string, client: { ip?: string | null } = {}): Promise<{ session: Session; key: string }> {
      let found: Awaited<ReturnType<typeof identityRepository.accountByIdentification>>;
      const valid = await ctx.throttle.guard({ account: identification, ip: client.ip }, async () => {
        found = await identityRepository.accountByIdentification(database.db, identification);
        const ok = await verifyPassword(found?.password_hash ?? (await decoyHash()), password);
        return Boolean(found && fromFlag(found.activated) && ok);
      });
      if (!valid) throw new DomainError('INVALID_CREDENTIALS', 'The identification or the password is wrong');
      const account = found!;
      const key = randomApiKey();
      const t = now();
      const row = await database.transaction(async (trx) => {
        const inserted = await identityRepository.insertSession(trx, { organization_id: organizationId, account_id: account.id, key_hash: digest(key), started_at: t });
        await identityRepository.addActivity(trx, { account_id: account.id, kind: 'session_started', created_at: t });
        return inserted;
      });
      return { session: await present(database.db, row), key };
    },

    /** The live session of a key, or null. */
    async byKey(key: string): Promise<Session | null> {
      if (!/^[0-9a-f]{32}$/.test(key)) return null;
      const row = await identityRepository.sessionByKeyHash(database.db, digest(key));
      if (!row || row.ended_at !== null) return null;
      return present(database.db, row);
    },

    /** Whether a key is a session's, live or ended (to tell "ended" from "unknown"). */
    async byKeyEvenEnded(key: string): Promise<boolean> {
      if (!/^[0-9a-f]{32}$/.test(key)) return false;
      return (await identityRepository.sessionByKeyHash(database.db, digest(key))) !== undefined;
    },

    /** Resolves a live session key to the caller. */
    async authenticate(key: string): Promise<Principal | null> {
      if (!/^[0-9a-f]{32}$/.test(key)) return null;
      const row = await identityRepository.liveSessionGrant(database.db, digest(key));
      if (!row || !fromFlag(row.activated)) return null;
      // Rights come from the account's membership in the session's organization; only operators keep a platform role.
      const platformRole = operatorRole(row.platform_role);
      const level = accessLevel(platformRole, row.role ?? null);
      return {
        organizationId: row.organization_id,
        accountId: row.account_id,
        signedIn: true,
        clientId: null,
        scopes: new Set(ACCESS_LEVEL_SCOPES[level]),
        platformRole,
        credential: { kind: 'session', id: row.id },
      };
    },

    /** Ends a session; false when the key is unknown, INVALID_TRANSITION when it already ended. */
    async end(key: string): Promise<boolean> {
      if (!/^[0-9a-f]{32}$/.test(key)) return false;
      return database.transaction(async (trx) => {
        const row = await identityRepository.sessionByKeyHash(trx, digest(key));
        if (!row) return false;
        if (row.ended_at !== null) throw new DomainError('INVALID_TRANSITION', 'The session has already ended');
        await identityRepository.endSession(trx, row.id, now());
        await identityRepository.addActivity(trx, { account_id: row.account_id, kind: 'session_ended', created_at: now() });
        return true;
      });
    },
  };
}

export type SessionService = ReturnType<typeof sessionService>;
