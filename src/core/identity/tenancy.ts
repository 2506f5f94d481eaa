import type { CoreContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { identityRepository as repo } from './repository.ts';
import { ACCESS_LEVEL_SCOPES } from './credentials.ts';
import { spansOrganizations, type AccessLevel, type Principal } from './principal.ts';

/** The access level a membership role gives in its organization (the same ladder as sessions). */
function membershipLevel(role: string | undefined): AccessLevel | null {
  if (role === 'owner' || role === 'manager') return 'host';
  if (role === 'box_office' || role === 'door_staff') return 'support';
  return null;
}

/**
 * Acting in an organization other than the credential's own. Every credential is bound to one
 * organization; this is the one place that lets a caller act in another, and only:
 * - a principal that spans organizations (a platform operator's administrator credential,
 *   `spansOrganizations`), with the same rights there;
 * - a person signed in (session or password grant) who is a member of that organization, with the
 *   rights of that membership only: nothing of the credential's own organization comes along.
 * Anyone else is refused (FORBIDDEN).
 */
export function tenancyService(ctx: CoreContext) {
  const { database } = ctx;
  return {
    async within(principal: Principal, organizationId: number): Promise<Principal> {
      if (organizationId === principal.organizationId) return principal;
      if (spansOrganizations(principal)) return { ...principal, organizationId };
      const person = principal.signedIn && principal.accountId !== null && !principal.door;
      const membership = person ? await repo.membership(database.db, principal.accountId!, organizationId) : undefined;
      const level = membershipLevel(membership?.role);
      if (!level) throw new DomainError('FORBIDDEN', 'This account is not an administrator for the relevant event host.');
      return { ...principal, organizationId, scopes: new Set(ACCESS_LEVEL_SCOPES[level]), platformRole: 'customer' };
    },
    /**
     * The caller as it may act on an event named by id: bound to the event's organization when
     * `within` allows it, else unchanged (so the event stays as invisible as any other tenant's).
     */
    async forEvent(principal: Principal, eventId: number): Promise<Principal> {
      const organizationId = await repo.organizationOfEvent(database.db, eventId);
      if (organizationId === null || organizationId === principal.organizationId) return principal;
      return this.within(principal, organizationId).catch(() => principal);
    },
    /** Organizations the caller may act in: null for all (an operator), else its own and those its person administers. */
    async reachable(principal: Principal): Promise<number[] | null> {
      if (spansOrganizations(principal)) return null;
      const person = principal.signedIn && principal.accountId !== null && !principal.door;
      const administered = person ? await repo.administeredOrganizations(database.db, principal.accountId!) : [];
      return [...new Set([principal.organizationId, ...administered])];
    },
    /** Whether the caller may act in the organization (same rule as `within`, without throwing). */
    async mayActIn(principal: Principal, organizationId: number): Promise<boolean> {
      try {
        await this.within(principal, organizationId);
        return true;
      } catch {
        return false;
      }
    },
  };
}

export type TenancyService = ReturnType<typeof tenancyService>;
