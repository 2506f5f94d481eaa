import { scopesForRole } from './roles.ts';
import type { CoreContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { fromFlag, toIso } from '../../db/quirks.ts';
import { digest, randomToken } from './secrets.ts';
import { checkAccountPassword } from './password-check.ts';
import { identityRepository } from './repository.ts';
import { webSessionRepository as repo } from './web-sessions-repository.ts';
import type { MembershipRole, PlatformRole, Principal, Scope } from './principal.ts';

export interface WebSession {
  id: number;
  /** Null for a guest (a browser that has not signed in). */
  account: { id: number; username: string; email: string; firstName: string | null; lastName: string | null; platformRole: PlatformRole } | null;
  expiresAt: string;
}

export interface Membership {
  organizationId: number;
  slug: string;
  name: string;
  role: MembershipRole;
}


/**
 * Browser sessions: the key lives in an httpOnly cookie, never where page scripts can read it; the
 * server stores its SHA-256 digest. A session starts as a guest's and gets an account (and a new key,
 * so a key planted before sign-in is worthless after it) when the person signs in. The CSRF token
 * sent with state-changing calls is derived from the key, so it needs no storage and dies with it.
 */
export function webSessionService(ctx: CoreContext) {
  const { database, config } = ctx;
  const now = () => ctx.clock().toISOString();
  const expiry = () => new Date(ctx.clock().getTime() + config.webSessionTtlSeconds * 1000).toISOString();

  return {
    /** A new guest session; the key is given once. */
    async start(): Promise<{ key: string; session: WebSession }> {
      const key = randomToken();
      const t = now();
      const expiresAt = expiry();
      const { id } = await repo.insert(database.db, { key_hash: digest(key), account_id: null, created_at: t, last_seen_at: t, expires_at: expiresAt });
      return { key, session: { id, account: null, expiresAt } };
    },

    /** The live session of a key, or null (unknown, ended, expired, or its account deactivated). Slides its expiry. */
    async resolve(key: string): Promise<WebSession | null> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(key)) return null;
      const t = now();
      const row = await repo.live(database.db, digest(key), t);
      if (!row) return null;
      if (row.account_id !== null && !fromFlag(row.activated)) return null;
      let expiresAt = toIso(row.expires_at)!;
      // Slide the expiry at most once an hour per session: a read per request, a write per hour.
      if (ctx.clock().getTime() - new Date(toIso(row.last_seen_at)!).getTime() > 3600_000) {
        expiresAt = expiry();
        await repo.extend(database.db, row.id, t, expiresAt);
      }
      return {
        id: row.id,
        account:
          row.account_id === null
            ? null
            : { id: row.account_id, username: row.username!, email: row.email!, firstName: row.first_name ?? null, lastName: row.last_name ?? null, platformRole: row.platform_role as PlatformRole },
        expiresAt,
      };
    },

    /** The caller a session acts as inside one organization: a buyer, with the member's rights where they are a member. */
    async principal(session: WebSession, organizationId: number): Promise<Principal> {
      const role = session.account ? ((await repo.membershipRole(database.db, session.account.id, organizationId))?.role as MembershipRole | undefined) ?? null : null;
      return {
        organizationId,
        accountId: session.account?.id ?? null,
        signedIn: session.account !== null,
        clientId: null,
        // What a member may do follows their role (roles.ts, the same table as the password grant's).
        scopes: new Set(scopesForRole(role)),
        platformRole: session.account?.platformRole ?? 'customer',
        credential: { kind: 'web_session', id: session.id },
        membershipRole: role,
      };
    },

    async memberships(accountId: number): Promise<Membership[]> {
      const rows = await repo.memberships(database.db, accountId);
      return rows.map((r) => ({ organizationId: r.id, slug: r.slug, name: r.name, role: r.role as MembershipRole }));
    },

    /**
     * Signs a browser in with the core password check (the one the OAuth password grant uses, and the
     * throttle with it). The session keeps its id (a guest's cart stays theirs) but gets a new key.
     */
    async signIn(current: WebSession | null, identification: string, password: string, ip: string | null): Promise<{ key: string; session: WebSession }> {
      const t = now();
      const account = await checkAccountPassword(database.db, ctx.throttle, identification, password, { ip, now: t });
      if (!account) throw new DomainError('INVALID_CREDENTIALS', 'Invalid username, e-mail or password');
      const key = randomToken();
      const expiresAt = expiry();
      const id = await database.transaction(async (trx) => {
        let id = current?.id ?? null;
        if (id !== null && current!.account === null) {
          await repo.rekey(trx, id, { key_hash: digest(key), account_id: account.id, signed_in_at: t, last_seen_at: t, expires_at: expiresAt });
        } else {
          // Someone else's session (or none): end it and start afresh.
          if (id !== null) await repo.end(trx, id, t);
          id = (await repo.insert(trx, { key_hash: digest(key), account_id: account.id, created_at: t, signed_in_at: t, last_seen_at: t, expires_at: expiresAt })).id;
        }
        await identityRepository.addActivity(trx, { account_id: account.id, kind: 'sign_in', detail: 'web session', ip, created_at: t });
        return id;
      });
      return {
        key,
        session: {
          id,
          account: { id: account.id, username: account.username, email: account.email, firstName: account.first_name, lastName: account.last_name, platformRole: account.platform_role as PlatformRole },
          expiresAt,
        },
      };
    },

    async signOut(session: WebSession): Promise<void> {
      await repo.end(database.db, session.id, now());
    },

    /** Housekeeping: forgets sessions that ended or expired more than a day ago. */
    async purge(): Promise<void> {
      await repo.purge(database.db, new Date(ctx.clock().getTime() - 24 * 3600_000).toISOString());
    },

    /** The token state-changing calls carry (X-CSRF-Token), derived from the session key. */
    csrfToken(key: string): string {
      return digest(`csrf:${key}`);
    },
  };
}

export type WebSessionService = ReturnType<typeof webSessionService>;
