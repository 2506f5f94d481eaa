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
  /** The acting account's platform role ('customer' when there is no account). */
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

/** Writes to platform-wide data (regions, categories) are reserved to platform administrators. */
export function requirePlatformAdministrator(principal: Principal): void {
  requireScope(principal, 'admin');
  if (principal.platformRole !== 'administrator') {
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
