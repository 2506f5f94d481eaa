import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { toIso } from '../../db/quirks.ts';
import { credentialsRepository as repo } from './credentials-repository.ts';
import { identityRepository } from './repository.ts';
import { digest, hashPassword, randomApiKey, randomToken } from './secrets.ts';
import { ACCESS_LEVELS, formatScopes, operatorRole, parseScopes, spansOrganizations, type AccessLevel, type Principal, type Scope, requireScope } from './principal.ts';

export interface OAuthClient {
  id: number;
  clientId: string;
  name: string;
  scopes: string;
  revokedAt: string | null;
  createdAt: string;
}

export interface ApiKey {
  id: number;
  name: string;
  accessLevel: AccessLevel;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

const toClient = (r: { id: number; client_id: string; name: string; scopes: string; revoked_at: Date | string | null; created_at: Date | string }): OAuthClient => ({
  id: r.id,
  clientId: r.client_id,
  name: r.name,
  scopes: r.scopes,
  revokedAt: toIso(r.revoked_at),
  createdAt: toIso(r.created_at)!,
});

const toApiKey = (r: { id: number; name: string; access_level: string; revoked_at: Date | string | null; last_used_at: Date | string | null; created_at: Date | string }): ApiKey => ({
  id: r.id,
  name: r.name,
  accessLevel: r.access_level as AccessLevel,
  revokedAt: toIso(r.revoked_at),
  lastUsedAt: toIso(r.last_used_at),
  createdAt: toIso(r.created_at)!,
});

/** What each integration-key access level may do, in the scope vocabulary every dialect shares. */
export const ACCESS_LEVEL_SCOPES: Record<AccessLevel, Scope[]> = {
  public: ['public'],
  customer: ['public', 'buy'],
  support: ['public', 'buy', 'sell'],
  host: ['public', 'buy', 'sell', 'admin'],
  administrator: ['public', 'buy', 'sell', 'admin'],
};

/** Access levels an organization admin may hand out; support and administrator are the platform's own. */
const ORGANIZATION_LEVELS: readonly AccessLevel[] = ['public', 'customer', 'host'];

/** Creation, listing and revocation of the credentials an organization hands to its software. */
export function credentialService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  async function logCreation(principal: Principal, detail: string) {
    if (principal.accountId !== null) {
      await identityRepository.addActivity(database.db, { account_id: principal.accountId, kind: 'credential_created', detail, created_at: now() });
    }
  }

  return {
    /** Creates an OAuth client; the secret is returned once and stored only as an argon2id hash. */
    async createClient(
      principal: Principal,
      input: { name: string; scopes?: string; clientId?: string; secret?: string },
      options: { organizationId?: number } = {},
    ): Promise<{ client: OAuthClient; secret: string }> {
      requireScope(principal, 'admin');
      const scopes = parseScopes(input.scopes ?? 'public buy');
      if (scopes === null) throw invalid('scopes', 'must be a list of public, buy, sell, admin');
      const secret = input.secret ?? randomToken(32);
      const row = await repo.insertClient(database.db, {
        organization_id: options.organizationId ?? principal.organizationId,
        account_id: principal.accountId,
        client_id: input.clientId ?? `gc_${randomToken(12)}`,
        secret_hash: await hashPassword(secret),
        name: input.name,
        scopes: formatScopes(['public', ...scopes]),
        created_at: now(),
      });
      await logCreation(principal, `oauth client ${row.client_id}`);
      return { client: toClient(row), secret };
    },
    async listClients(principal: Principal, page: Page): Promise<Paged<OAuthClient>> {
      requireScope(principal, 'admin');
      const { rows, total } = await repo.clients(database.db, principal.organizationId, page);
      return { items: rows.map(toClient), total };
    },
    async readClient(principal: Principal, id: number): Promise<OAuthClient> {
      requireScope(principal, 'admin');
      const row = await repo.client(database.db, principal.organizationId, id);
      if (!row) throw notFound('OAuth client');
      return toClient(row);
    },
    /** Revoking a client ends every token it issued. */
    async revokeClient(principal: Principal, id: number): Promise<void> {
      requireScope(principal, 'admin');
      const done = await database.transaction((trx) => repo.revokeClient(trx, principal.organizationId, id, now()));
      if (!done) throw notFound('OAuth client');
      ctx.caches.principals.clear();
    },

    /**
     * Creates an integration key (32 lowercase hex characters), returned once, stored as a digest.
     * `key` fixes it (demo data and the CLI only; never taken from a request).
     */
    async createApiKey(principal: Principal, input: { name: string; accessLevel: AccessLevel; key?: string }): Promise<{ apiKey: ApiKey; key: string }> {
      requireScope(principal, 'admin');
      if (!(ACCESS_LEVELS as readonly string[]).includes(input.accessLevel)) {
        throw invalid('access_level', `must be one of ${ACCESS_LEVELS.join(', ')}`);
      }
      // Support and administrator keys are the platform operators' own (an administrator key of an
      // operator spans organizations; see spansOrganizations).
      if (!ORGANIZATION_LEVELS.includes(input.accessLevel) && !spansOrganizations(principal) && principal.platformRole !== input.accessLevel) {
        throw new DomainError('FORBIDDEN', `Only platform staff can create ${input.accessLevel} keys`);
      }
      if (input.key !== undefined && !/^[0-9a-f]{32}$/.test(input.key)) throw invalid('key', 'must be 32 lowercase hex characters');
      const key = input.key ?? randomApiKey();
      const row = await repo.insertApiKey(database.db, {
        organization_id: principal.organizationId,
        account_id: principal.accountId,
        name: input.name,
        key_hash: digest(key),
        access_level: input.accessLevel,
        created_at: now(),
      });
      await logCreation(principal, `api key ${row.id} (${input.accessLevel})`);
      return { apiKey: toApiKey(row), key };
    },
    async listApiKeys(principal: Principal, page: Page): Promise<Paged<ApiKey>> {
      requireScope(principal, 'admin');
      const { rows, total } = await repo.apiKeys(database.db, principal.organizationId, page);
      return { items: rows.map(toApiKey), total };
    },
    async revokeApiKey(principal: Principal, id: number): Promise<void> {
      requireScope(principal, 'admin');
      if (!(await repo.revokeApiKey(database.db, principal.organizationId, id, now()))) throw notFound('API key');
    },
    /** Resolves an integration key to the caller (used by the dialects that authenticate by key). */
    async authenticateApiKey(key: string): Promise<Principal | null> {
      if (!/^[0-9a-f]{32}$/.test(key)) return null;
      const row = await repo.liveApiKey(database.db, digest(key));
      if (!row || row.organization_id === null) return null;
      const level = row.access_level as AccessLevel;
      return {
        organizationId: row.organization_id,
        accountId: row.account_id,
        signedIn: false,
        clientId: null,
        scopes: new Set(ACCESS_LEVEL_SCOPES[level]),
        // Only an operator's key carries a platform role; any other key acts inside its organization.
        platformRole: operatorRole(row.platform_role, level === 'administrator' ? 'administrator' : level === 'support' ? 'support' : 'none'),
        credential: { kind: 'api_key', id: row.id },
      };
    },
  };
}

export type CredentialService = ReturnType<typeof credentialService>;
