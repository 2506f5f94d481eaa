import type { CoreContext } from '../context.ts';
import { credentialsRepository as creds } from './credentials-repository.ts';
import { identityRepository as identity } from './repository.ts';
import { decoyHash, digest, randomToken, verifyPassword } from './secrets.ts';
import { DomainError } from '../errors.ts';
import type { ThrottleSubject } from './throttle.ts';
import { formatScopes, operatorRole, parseScopes, type Principal, type Scope } from './principal.ts';
import { effectiveScopes, scopesForRole } from './roles.ts';
import type { MembershipRole } from './principal.ts';
import { fromFlag } from '../../db/quirks.ts';
import { checkAccountPassword } from './password-check.ts';

/** RFC 6749 §5.2 error codes: the token endpoint answers in OAuth's own vocabulary. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  /** Too many failed attempts (RFC 8628's code for "wait before trying again"): answered 429. */
  | 'slow_down';

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

export interface TokenRequest {
  grantType?: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
  username?: string;
  password?: string;
  refreshToken?: string;
  ip?: string | null;
}

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken?: string;
  scope: string;
}

/**
 * Scopes a person gets through the password grant unless they ask: a buyer's. Members of the
 * client's organization may ask for more (`scope=public buy sell admin`), up to what their role
 * allows (roles.ts); sell and admin are otherwise a client's own.
 */
const USER_SCOPES: readonly Scope[] = ['public', 'buy'];

export function oauthService(ctx: CoreContext) {
  const { database, config } = ctx;
  const now = () => ctx.clock().toISOString();
  const later = (seconds: number) => new Date(ctx.clock().getTime() + seconds * 1000).toISOString();

  /** Client secrets are argon2 hashes: checked under the brute-force limits, per client id and address. */
  async function authenticateClient(clientId: string | undefined, clientSecret: string | undefined, ip: string | null) {
    if (!clientId || clientSecret === undefined) throw new OAuthError('invalid_client', 'Client authentication failed');
    let client: Awaited<ReturnType<typeof creds.clientByClientId>>;
    const valid = await throttled({ account: `client:${clientId}`, ip }, async () => {
      client = await creds.clientByClientId(database.db, clientId);
      const ok = await verifyPassword(client?.secret_hash ?? (await decoyHash()), clientSecret);
      return Boolean(client && client.revoked_at === null && ok);
    });
    if (!valid) throw new OAuthError('invalid_client', 'Client authentication failed');
    return client!;
  }

  /** The throttle's refusal in OAuth's words (RFC 6749 has no code for it; invalid_request with a reason, as most servers do). */
  async function throttled(subject: ThrottleSubject, check: () => Promise<boolean>) {
    try {
      return await ctx.throttle.guard(subject, check);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'RATE_LIMITED') throw new OAuthError('slow_down', error.message);
      throw error;
    }
  }

  /** The scopes granted: those asked (default: all allowed), always with the mandatory `public`. */
  function grantScopes(requested: string | undefined, allowed: readonly Scope[]): Scope[] {
    const asked = parseScopes(requested);
    if (asked === null) throw new OAuthError('invalid_scope', 'Unknown scope; scopes are public, buy, sell and admin');
    const wanted = asked.length === 0 ? [...allowed] : asked;
    const refused = wanted.filter((s) => !allowed.includes(s));
    if (refused.length > 0) throw new OAuthError('invalid_scope', `Scope not allowed for this grant or client: ${refused.join(' ')}`);
    return [...new Set<Scope>(['public', ...wanted])];
  }

  async function issue(
    trx: Parameters<Parameters<typeof database.transaction>[0]>[0],
    grant: { clientRowId: number; organizationId: number; accountId: number | null; grantType: 'client_credentials' | 'password'; scopes: Scope[]; family?: string; withRefresh: boolean },
  ): Promise<IssuedToken> {
    const accessToken = randomToken();
    const scope = formatScopes(grant.scopes);
    // The access token names its refresh token's family: keeping the one means keeping the other.
    const family = grant.withRefresh ? grant.family ?? randomToken(12) : null;
    await creds.insertAccessToken(trx, {
      token_hash: digest(accessToken),
      oauth_client_id: grant.clientRowId,
      organization_id: grant.organizationId,
      account_id: grant.accountId,
      scopes: scope,
      grant_type: grant.grantType,
      expires_at: later(config.accessTokenTtlSeconds),
      created_at: now(),
      refresh_family: family,
    });
    const issued: IssuedToken = { accessToken, tokenType: 'Bearer', expiresIn: config.accessTokenTtlSeconds, scope };
    if (family !== null) {
      const refreshToken = randomToken();
      await creds.insertRefreshToken(trx, {
        token_hash: digest(refreshToken),
        family,
        oauth_client_id: grant.clientRowId,
        organization_id: grant.organizationId,
        account_id: grant.accountId,
        scopes: scope,
        grant_type: grant.grantType,
        expires_at: later(config.refreshTokenTtlSeconds),
        created_at: now(),
      });
      issued.refreshToken = refreshToken;
    }
    return issued;
  }

  return {
    async token(request: TokenRequest): Promise<IssuedToken> {
      const grantType = request.grantType;
      if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required');
      if (!['client_credentials', 'password', 'refresh_token'].includes(grantType)) {
        throw new OAuthError('unsupported_grant_type', `Unsupported grant type: ${grantType}`);
      }
      const client = await authenticateClient(request.clientId, request.clientSecret, request.ip ?? null);
      const clientScopes = parseScopes(client.scopes) ?? [];

      if (grantType === 'client_credentials') {
        const scopes = grantScopes(request.scope, clientScopes);
        return database.transaction((trx) =>
          issue(trx, { clientRowId: client.id, organizationId: client.organization_id, accountId: client.account_id, grantType: 'client_credentials', scopes, withRefresh: false }),
        );
      }

      if (grantType === 'password') {
        if (!request.username || request.password === undefined) {
          throw new OAuthError('invalid_request', 'username and password are required');
        }
        const account = await checkAccountPassword(database.db, ctx.throttle, request.username, request.password, { ip: request.ip ?? null, now: now() }).catch((error: unknown) => {
          if (error instanceof DomainError && error.code === 'RATE_LIMITED') throw new OAuthError('slow_down', (error as DomainError).message);
          throw error;
        });
        if (!account) throw new OAuthError('invalid_grant', 'Invalid username or password');
        const membership = await identity.membership(database.db, account.id, client.organization_id);
        const roleScopes = scopesForRole((membership?.role as MembershipRole | undefined) ?? null);
        const allowed = clientScopes.filter((s) => roleScopes.includes(s));
        // A member asking for more than their role allows gets what it allows (RFC 6749 §3.3: the
        // answer's `scope` says so); anyone else asking for staff scopes is refused.
        const asked = request.scope ? parseScopes(request.scope) : [];
        let scopes: Scope[];
        if (!request.scope) scopes = grantScopes(undefined, allowed.filter((s) => USER_SCOPES.includes(s)));
        else if (membership && asked) scopes = [...new Set<Scope>(['public', ...asked.filter((s) => allowed.includes(s))])];
        else scopes = grantScopes(request.scope, allowed);
        return database.transaction(async (trx) => {
          await identity.addActivity(trx, { account_id: account.id, kind: 'sign_in', detail: `client ${client.client_id}`, ip: request.ip ?? null, created_at: now() });
          return issue(trx, { clientRowId: client.id, organizationId: client.organization_id, accountId: account.id, grantType: 'password', scopes, withRefresh: true });
        });
      }

      // refresh_token: rotate. A token used twice means it leaked: the whole family is revoked.
      if (!request.refreshToken) throw new OAuthError('invalid_request', 'refresh_token is required');
      const stored = await creds.refreshToken(database.db, digest(request.refreshToken));
      if (!stored || stored.oauth_client_id !== client.id) throw new OAuthError('invalid_grant', 'Invalid refresh token');
      if (stored.used_at !== null) {
        await creds.revokeRefreshFamily(database.db, stored.family, now());
        throw new OAuthError('invalid_grant', 'Refresh token already used');
      }
      if (stored.revoked_at !== null || new Date(stored.expires_at).getTime() <= ctx.clock().getTime()) {
        throw new OAuthError('invalid_grant', 'Refresh token expired or revoked');
      }
      const scopes = grantScopes(request.scope, (parseScopes(stored.scopes) ?? []).filter((s) => clientScopes.includes(s)));
      return database.transaction(async (trx) => {
        if (!(await creds.useRefreshToken(trx, stored.id, now()))) throw new OAuthError('invalid_grant', 'Refresh token already used');
        return issue(trx, {
          clientRowId: client.id,
          organizationId: stored.organization_id,
          accountId: stored.account_id,
          grantType: stored.grant_type as 'client_credentials' | 'password',
          scopes,
          family: stored.family,
          withRefresh: true,
        });
      });
    },

    /** RFC 7009: revoking an unknown token is not an error. */
    async revoke(request: { clientId?: string; clientSecret?: string; token?: string; ip?: string | null }): Promise<void> {
      const client = await authenticateClient(request.clientId, request.clientSecret, request.ip ?? null);
      if (!request.token) throw new OAuthError('invalid_request', 'token is required');
      await database.transaction((trx) => creds.revokeTokenByHash(trx, client.id, digest(request.token!), now()));
      ctx.caches.principals.clear();
    },

    /** Resolves a bearer token to the caller, or null when it is unknown, expired or revoked. */
    async authenticate(accessToken: string): Promise<Principal | null> {
      const hash = digest(accessToken);
      const cached = ctx.caches.principals.get(hash);
      if (cached) return cached;
      const row = await creds.liveAccessToken(database.db, hash, now());
      if (!row) return null;
      if (row.account_id !== null && !fromFlag(row.activated)) return null;
      const signedIn = row.grant_type === 'password';
      const membershipRole = (row.membership_role as MembershipRole | null) ?? null;
      const granted = parseScopes(row.scopes) ?? [];
      const principal: Principal = {
        organizationId: row.organization_id,
        accountId: row.account_id,
        signedIn,
        clientId: row.oauth_client_id,
        // A person's scopes follow their current role: a role lowered or removed applies to tokens already issued.
        scopes: new Set(signedIn ? effectiveScopes(granted, membershipRole) : granted),
        ...(signedIn ? { membershipRole } : {}),
        platformRole: operatorRole(row.platform_role),
        credential: { kind: 'access_token', id: row.id },
      };
      // Only live tokens are cached, and never past their own expiry.
      ctx.caches.principals.set(hash, principal, new Date(row.expires_at).getTime());
      return principal;
    },
  };
}

export type OAuthService = ReturnType<typeof oauthService>;
