import type { IdempotencyClaim } from '../requests/idempotency.ts';
import { DomainError } from '../errors.ts';

export const SCOPES = ['public', 'buy', 'sell', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export const PLATFORM_ROLES = ['customer', 'support', 'host', 'administrator'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export const MEMBERSHIP_ROLES = ['owner', 'manager', 'box_office', 'door_staff'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

/** Integration API keys carry an access level: the platform roles, plus read-only `public`. */
export const ACCESS_LEVELS = ['public', ...PLATFORM_ROLES] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/**
 * Who is calling, once a credential has been resolved. Every credential belongs to exactly one
 * organization (the tenant all its reads and writes are confined to), and may act for an account.
 */
export interface Principal {
  organizationId: number;
  accountId: number | null;
  /**
   * Whether a person signed in (password grant): then purchases are theirs. Client-credentials
   * tokens act for the client (accountId is the client's owner, for platform rights only).
   */
  signedIn: boolean;
  /** The OAuth client the token was issued to (null for API keys): anonymous carts belong to it. */
  clientId: number | null;
  scopes: ReadonlySet<Scope>;
  /**
   * The caller's platform role. Only a platform operator's credential carries 'administrator' or
   * 'support' (operators are made by the `create-operator` command, never through an API); every
   * other credential is 'customer' here, and its rights come from `scopes`, i.e. from its
   * organization and the account's membership there.
   */
  platformRole: PlatformRole;
  /**
   * For a person (signedIn: password grant or browser session): their membership role in this
   * organization, null when they are not a member. What they may do follows it
   * (core/identity/roles.ts). Absent for other credentials.
   */
  membershipRole?: MembershipRole | null;
  credential: { kind: 'access_token' | 'api_key' | 'session' | 'door_key' | 'partner_user' | 'web_session'; id: number };
  /**
   * Set only for door credentials (exchanged for an admission token code): the one event and the
   * sections and dates (null = all) this caller may scan and sync. Such a principal has no scopes.
   */
  door?: DoorAccess;
  /**
   * The request's Idempotency-Key, when the work claims it in its own transaction (orders, carts):
   * see claimIdempotencyKey. Set by the HTTP layer on a copy of the principal, for one request.
   */
  idempotency?: IdempotencyClaim;
}

export interface DoorAccess {
  tokenId: number;
  eventId: number;
  sectionIds: readonly number[] | null;
  dateIds: readonly number[] | null;
}

export function requireScope(principal: Principal, ...anyOf: Scope[]): void {
  if (!anyOf.some((s) => principal.scopes.has(s))) {
    throw new DomainError('FORBIDDEN', `This requires the ${anyOf.join(' or ')} scope`, { required_scopes: anyOf });
  }
}

/**
 * THE check for a principal that spans organizations: a platform operator's administrator
 * credential. Every other credential is bound to its one organization (`organizationId`); anything
 * that lets a caller act outside it goes through this function (see `tenancy.ts`).
 */
export function spansOrganizations(principal: Principal): boolean {
  return principal.platformRole === 'administrator' && principal.scopes.has('admin');
}

/**
 * The platform role a credential carries, from its account's stored role: only operators
 * (administrator, support) keep one, capped by what the credential itself may do (a public or
 * customer key of an operator is no operator's key).
 */
export function operatorRole(accountRole: string | null | undefined, cap: 'administrator' | 'support' | 'none' = 'administrator'): PlatformRole {
  if (cap === 'none') return 'customer';
  if (accountRole === 'administrator') return cap;
  if (accountRole === 'support') return 'support';
  return 'customer';
}

/** Writes to platform-wide data (regions, categories) are reserved to platform administrators (operators). */
export function requirePlatformAdministrator(principal: Principal): void {
  requireScope(principal, 'admin');
  if (!spansOrganizations(principal)) {
    throw new DomainError('FORBIDDEN', 'Only platform administrators can change platform-wide data');
  }
}

export function requireAccount(principal: Principal): number {
  if (principal.accountId === null) throw new DomainError('FORBIDDEN', 'This requires a token issued to a user');
  return principal.accountId;
}

export function parseScopes(value: string | undefined | null): Scope[] | null {
  if (value === undefined || value === null || value.trim() === '') return [];
  const parts = value.trim().split(/[\s,]+/);
  if (!parts.every((p) => (SCOPES as readonly string[]).includes(p))) return null;
  return [...new Set(parts as Scope[])];
}

export function formatScopes(scopes: Iterable<Scope>): string {
  const set = new Set(scopes);
  return SCOPES.filter((s) => set.has(s)).join(' ');
}
