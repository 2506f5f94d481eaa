import { DomainError } from '../errors.ts';
import { requireScope, type MembershipRole, type Principal, type Scope } from './principal.ts';

/**
 * What a member of an organization may do, by membership role. A right names an area of the back
 * office; every native call declares the right it needs, and `authorizeMember` is the one check
 * that confines a person acting for an organization (password-grant token or browser session) to
 * the rights of their role. Credentials that are not a person (client credentials, API keys, door
 * keys, partner users) are governed by their scopes and are not affected.
 */
export const RIGHTS = [
  /** Anyone with a token: the public catalog, reference data, one's own account, carts, orders, tickets. */
  'any',
  /** Reading the organization's catalog as staff (every event, drafts included). */
  'catalog_read',
  /** Writing the catalog: events, dates, sections, tariffs, questions, venues, series, interfaces. */
  'catalog',
  /** Discount codes, guest lists, holds and kills, promotions. */
  'selling',
  /** Orders: search, detail, refunds, cancellations, holder changes; sale details. */
  'orders',
  /** The box office: selling at the counter with a manual payment, handing tickets over. */
  'box_office',
  /** Dashboard, ticket counts, capacities, transactions, exports. */
  'reporting',
  /** Scanning and the door's own reads (tickets, changes, statistics). */
  'door',
  /** Door set-up: admission tokens, control points, scan settings. */
  'door_setup',
  /** OAuth clients, API keys, partner keys, Pims users, the organization's settings. */
  'access',
  /** Members: invite, change a role, remove; ownership. */
  'members',
] as const;
export type Right = (typeof RIGHTS)[number];

const STAFF_EVERYTHING_BUT_MEMBERS: readonly Right[] = RIGHTS.filter((r) => r !== 'members');

/** The matrix (owner: everything; manager: everything but members and ownership; box office: sales, orders, box office; door staff: the door). */
export const ROLE_RIGHTS: Record<MembershipRole, readonly Right[]> = {
  owner: RIGHTS,
  manager: STAFF_EVERYTHING_BUT_MEMBERS,
  box_office: ['any', 'catalog_read', 'orders', 'box_office'],
  door_staff: ['any', 'catalog_read', 'door'],
};

/** A signed-in person who is not (or no longer) a member: a buyer. */
const CUSTOMER_RIGHTS: readonly Right[] = ['any'];

/**
 * The scopes a member's token may carry (asked for explicitly at sign-in: the password grant's
 * default stays `public buy`, a buyer's). Door staff get no `sell`: the calls that serve buyers and
 * sellers alike (orders, tickets, carts) then show them only their own; the door's calls ask for
 * the `door` right instead (`requireRightOrScope`).
 */
export const ROLE_SCOPES: Record<MembershipRole, readonly Scope[]> = {
  owner: ['public', 'buy', 'sell', 'admin'],
  manager: ['public', 'buy', 'sell', 'admin'],
  box_office: ['public', 'buy', 'sell'],
  door_staff: ['public', 'buy'],
};
const CUSTOMER_SCOPES: readonly Scope[] = ['public', 'buy'];

/** The scopes a person may hold in an organization where their role is `role` (null: not a member). */
export function scopesForRole(role: MembershipRole | null): readonly Scope[] {
  return role ? ROLE_SCOPES[role] : CUSTOMER_SCOPES;
}

/** The rights of a person whose role in the organization is `role` (null: not a member). */
export function rightsOf(role: MembershipRole | null): readonly Right[] {
  return role ? ROLE_RIGHTS[role] : CUSTOMER_RIGHTS;
}

/** Whether the principal is a person acting for the organization (so their role applies). */
export function actsAsPerson(principal: Principal): boolean {
  return principal.signedIn && principal.accountId !== null && !principal.door;
}

export function mayAct(principal: Principal, right: Right): boolean {
  if (!actsAsPerson(principal)) return true;
  return rightsOf(principal.membershipRole ?? null).includes(right);
}

/**
 * The one check: a person may make a call needing `right` only if their membership role grants it.
 * Non-person credentials pass (their scopes decide, in each service).
 */
export function authorizeMember(principal: Principal, right: Right): void {
  if (mayAct(principal, right)) return;
  const role = principal.membershipRole ?? null;
  throw new DomainError('FORBIDDEN', role ? `The ${role} role does not allow this (${right})` : 'Only members of the organization may do this', {
    role,
    required_right: right,
  });
}

/**
 * Scopes of a person's principal are re-derived from their current role on every resolution, so a
 * role lowered or a membership removed takes effect on tokens already issued.
 */
export function effectiveScopes(granted: readonly Scope[], role: MembershipRole | null): Scope[] {
  const allowed = scopesForRole(role);
  return granted.filter((s) => allowed.includes(s));
}

/**
 * For services that persons and other credentials both call: a person needs the right of their
 * role, anything else one of the scopes.
 */
export function requireRightOrScope(principal: Principal, right: Right, ...anyOf: Scope[]): void {
  if (actsAsPerson(principal)) authorizeMember(principal, right);
  else requireScope(principal, ...anyOf);
}
