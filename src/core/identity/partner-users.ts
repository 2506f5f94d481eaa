import type { CoreContext } from '../context.ts';
import { conflict, forbidden, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { isUniqueViolation, toIso } from '../../db/quirks.ts';
import { credentialsRepository as repo } from './credentials-repository.ts';
import { identityRepository } from './repository.ts';
import { decoyHash, digest, hashPassword, randomToken, verifyPassword } from './secrets.ts';
import { type Principal, requireScope } from './principal.ts';

/**
 * Partner API users: HTTP Basic credentials an organization hands to a partner application
 * (the Pims dialect authenticates with them). Each belongs to one organization; `read` users may
 * only read, `write` users may also change what the partner API lets them change.
 */
export const PARTNER_ACCESS = ['read', 'write'] as const;
export type PartnerAccess = (typeof PARTNER_ACCESS)[number];

export interface PartnerUser {
  id: number;
  username: string;
  name: string;
  access: PartnerAccess;
  revokedAt: string | null;
  createdAt: string;
}

const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;

const toPartnerUser = (r: { id: number; username: string; name: string; access: string; revoked_at: Date | string | null; created_at: Date | string }): PartnerUser => ({
  id: r.id,
  username: r.username,
  name: r.name,
  access: r.access as PartnerAccess,
  revokedAt: toIso(r.revoked_at),
  createdAt: toIso(r.created_at)!,
});

/**
 * What each access grants, in the scope vocabulary the core services check. Partners read sales
 * figures (which need `sell`); `requireWrite` keeps read users from every change.
 */
const ACCESS_SCOPES: Record<PartnerAccess, Principal['scopes']> = {
  read: new Set(['public', 'sell']),
  write: new Set(['public', 'sell', 'admin']),
};

/** Refuses changes to partner users with read access (other credentials are governed by their scopes). */
export function requireWrite(principal: Principal): void {
  if (principal.credential.kind === 'partner_user' && !principal.scopes.has('admin')) throw forbidden('These credentials may only read');
}

export function partnerUserService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  return {
    requireWrite,
    /** Creates a partner API user; the password (generated unless given) is returned once and stored as an argon2id hash. */
    async create(principal: Principal, input: { username: string; name?: string; password?: string; access?: PartnerAccess }): Promise<{ user: PartnerUser; password: string }> {
      requireScope(principal, 'admin');
      if (!USERNAME.test(input.username)) throw invalid('username', 'must be 1 to 64 letters, digits or . _ @ -');
      if (input.password !== undefined && input.password.length < 12) throw invalid('password', 'must be at least 12 characters');
      const access = input.access ?? 'read';
      if (!(PARTNER_ACCESS as readonly string[]).includes(access)) throw invalid('access', `must be one of ${PARTNER_ACCESS.join(', ')}`);
      const password = input.password ?? randomToken(18);
      // Logins are unique on the platform: at /pims/api (no organization in the path) the login alone
      // names the partner user, and a second organization's same login would lock the first one out.
      if (await repo.partnerUserLoginTaken(database.db, input.username)) throw conflict(`A partner API user named "${input.username}" already exists`);
      try {
        const row = await repo.insertPartnerUser(database.db, {
          organization_id: principal.organizationId,
          account_id: principal.accountId,
          username: input.username,
          password_hash: await hashPassword(password),
          name: input.name ?? input.username,
          access,
          created_at: now(),
        });
        if (principal.accountId !== null) {
          await identityRepository.addActivity(database.db, { account_id: principal.accountId, kind: 'credential_created', detail: `partner api user ${row.username}`, created_at: now() });
        }
        return { user: toPartnerUser(row), password };
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`A partner API user named "${input.username}" already exists`);
        throw error;
      }
    },
    async list(principal: Principal, page: Page): Promise<Paged<PartnerUser>> {
      requireScope(principal, 'admin');
      const { rows, total } = await repo.partnerUsers(database.db, principal.organizationId, page);
      return { items: rows.map(toPartnerUser), total };
    },
    async revoke(principal: Principal, id: number): Promise<void> {
      requireScope(principal, 'admin');
      if (!(await repo.revokePartnerUser(database.db, principal.organizationId, id, now()))) throw notFound('Partner API user');
      ctx.caches.principals.clear();
    },
    /**
     * Resolves HTTP Basic credentials to the caller, or null when they are wrong, revoked, or (when
     * `organizationSlug` is given) belong to another organization. argon2 is slow on purpose, so a
     * verified pair is cached for AUTH_CACHE_SECONDS under a digest (never the password itself).
     */
    async authenticate(username: string, password: string, organizationSlug: string | null, client: { ip?: string | null } = {}): Promise<Principal | null> {
      const key = `basic:${digest(`${organizationSlug ?? ''}\n${username}\n${password}`)}`;
      const cached = ctx.caches.principals.get(key);
      if (cached) return cached;
      // Text PostgreSQL cannot store cannot be anyone's login.
      if (username.includes('\0') || (organizationSlug ?? '').includes('\0')) return null;
      let match: Awaited<ReturnType<typeof repo.livePartnerUsers>>[number] | undefined;
      const valid = await ctx.throttle.guard({ account: `pims:${username}`, ip: client.ip }, async () => {
        const candidates = await repo.livePartnerUsers(database.db, username, organizationSlug);
        const matches = [];
        for (const row of candidates) if (await verifyPassword(row.password_hash, password)) matches.push(row);
        if (candidates.length === 0) await verifyPassword(await decoyHash(), password);
        // Logins made before they were unique on the platform: the same name and password in two
        // organizations cannot tell them apart, the caller must use the organization's path.
        match = matches.length === 1 ? matches[0] : undefined;
        return match !== undefined;
      });
      if (!valid || !match) return null;
      const row = match;
      const principal: Principal = {
        organizationId: row.organization_id,
        accountId: null,
        signedIn: false,
        clientId: null,
        scopes: ACCESS_SCOPES[row.access as PartnerAccess] ?? ACCESS_SCOPES.read,
        platformRole: 'customer',
        credential: { kind: 'partner_user', id: row.id },
      };
      ctx.caches.principals.set(key, principal);
      return principal;
    },
  };
}

export type PartnerUserService = ReturnType<typeof partnerUserService>;
