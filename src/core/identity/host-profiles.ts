import type { CoreContext } from '../context.ts';
import { DomainError, conflict, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { isForeignKeyViolation } from '../../db/quirks.ts';
import { organizationService } from './organizations.ts';
import { tenancyService } from './tenancy.ts';
import { columnsOf, upper, type ColumnMapping } from '../../db/columns.ts';
import { isEmail } from '../validation.ts';
import { referenceService } from '../reference/reference.ts';
import { identityRepository as repo } from './repository.ts';
import { type Principal, requireScope, spansOrganizations } from './principal.ts';

/** The public face of an organization as an event host (TickeTing "host"). */
export interface HostProfileInput {
  name?: string;
  contactName?: string | null;
  email?: string | null;
  description?: string | null;
  phone?: string | null;
  website?: string | null;
  /** ISO 3166-1 alpha-2. */
  country?: string | null;
  addressLine1?: string | null;
  addressLine2?: string | null;
  city?: string | null;
  state?: string | null;
  businessNumber?: string | null;
}
export interface HostProfile extends Required<HostProfileInput> {
  organizationId: number;
  slug: string;
}

const COLUMNS: ColumnMapping<HostProfileInput> = {
  name: 'name', contactName: 'contact_name', email: 'email', description: 'description', phone: 'phone', website: 'website',
  country: ['country', upper], addressLine1: 'address_line1', addressLine2: 'address_line2', city: 'city', state: 'state', businessNumber: 'business_number',
};

type Row = NonNullable<Awaited<ReturnType<typeof repo.organizationById>>>;
const toProfile = (r: Row): HostProfile => ({
  organizationId: r.id, slug: r.slug, name: r.name, contactName: r.contact_name, email: r.email, description: r.description, phone: r.phone,
  website: r.website, country: r.country, addressLine1: r.address_line1, addressLine2: r.address_line2, city: r.city, state: r.state, businessNumber: r.business_number,
});

async function check(db: Parameters<typeof referenceService.countryByCode>[0], changes: HostProfileInput) {
  if (changes.name !== undefined && changes.name.trim() === '') throw invalid('name', 'must not be empty');
  if (changes.email != null && !isEmail(changes.email)) throw invalid('email', 'must be an e-mail address');
  if (changes.website != null && !/^https?:\/\/\S+$/.test(changes.website)) throw invalid('website', 'must be an http(s) URL');
  if (changes.country != null && !(await referenceService.countryByCode(db, changes.country))) throw invalid('country', 'must be an ISO 3166-1 alpha-2 country code');
}

/** A slug for a new organization from its name: lower-case words joined by dashes, made unique. */
function slugOf(name: string): string {
  const base = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return base.length >= 2 ? base : `host-${base}`;
}

/**
 * Organizations as event hosts (TickeTing "host"). Who may do what is decided here and in
 * `tenancy.within`: a caller sees and changes the hosts it may act in (its own organization, the
 * ones its signed-in person administers, every one for a platform operator); a host is created by an
 * operator or a signed-in person, who becomes its owner.
 */
export function hostProfileService(ctx: CoreContext) {
  const { database } = ctx;
  const tenancy = tenancyService(ctx);
  const organizations = organizationService(ctx);
  const now = () => ctx.clock().toISOString();

  async function visible(principal: Principal, organizationId: number) {
    const reachable = await tenancy.reachable(principal);
    const row = reachable === null || reachable.includes(organizationId) ? await repo.organizationById(database.db, organizationId) : undefined;
    if (!row) throw notFound('Host');
    return row;
  }

  return {
    async read(principal: Principal, organizationId: number): Promise<HostProfile> {
      return toProfile(await visible(principal, organizationId));
    },

    /** Hosts the caller may act in; `accountId`: only those that account administers. */
    async list(principal: Principal, page: Page, filter: { accountId?: number } = {}): Promise<Paged<HostProfile>> {
      let ids = await tenancy.reachable(principal);
      if (filter.accountId !== undefined) {
        const administered = await repo.administeredOrganizations(database.db, filter.accountId);
        ids = ids === null ? administered : ids.filter((id) => administered.includes(id));
      }
      const { rows, total } = await repo.organizations(database.db, page, ids === null ? {} : { ids });
      return { items: rows.map(toProfile), total };
    },

    /**
     * A new host: an organization with the caller's organization's currency, time zone and locale, and
     * the caller's account (the person signed in, or the operator who owns the key) as its owner.
     */
    async create(principal: Principal, input: HostProfileInput & { name: string }): Promise<HostProfile> {
      const person = principal.signedIn && principal.accountId !== null && !principal.door;
      if (!spansOrganizations(principal) && !person) throw new DomainError('FORBIDDEN', 'Only a signed-in account or a platform operator can create a host');
      if (principal.accountId === null) throw new DomainError('FORBIDDEN', 'A host needs an account to administer it');
      await check(database.db, input);
      if (await repo.organizationByName(database.db, input.name.trim())) throw conflict(`A host named "${input.name}" already exists`, { fields: ['name'] });
      const own = await repo.organizationById(database.db, principal.organizationId);
      const base = slugOf(input.name);
      let slug = base;
      for (let n = 2; await organizations.bySlug(slug); n++) slug = `${base}-${n}`;
      const organization = await organizations.create(
        { slug, name: input.name.trim(), currency: own?.currency ?? 'EUR', timeZone: own?.time_zone ?? 'UTC', locale: own?.locale ?? 'en' },
        { accountId: principal.accountId },
      );
      const { name: _name, ...profile } = input;
      const row = await repo.updateOrganization(database.db, organization.id, { ...columnsOf(profile, COLUMNS), updated_at: now() });
      return toProfile(row!);
    },

    async update(principal: Principal, organizationId: number, changes: HostProfileInput): Promise<HostProfile> {
      await visible(principal, organizationId);
      const acting = await tenancy.within(principal, organizationId);
      requireScope(acting, 'admin');
      await check(database.db, changes);
      if (changes.name !== undefined) {
        const taken = await repo.organizationByName(database.db, changes.name.trim());
        if (taken && taken.id !== organizationId) throw conflict(`A host named "${changes.name}" already exists`, { fields: ['name'] });
      }
      const row = await repo.updateOrganization(database.db, organizationId, { ...columnsOf(changes, COLUMNS), updated_at: now() });
      if (!row) throw notFound('Host');
      return toProfile(row);
    },

    /** Removes a host that never sold anything (its events, keys and memberships go with it); one with sales → IN_USE. */
    async remove(principal: Principal, organizationId: number): Promise<void> {
      await visible(principal, organizationId);
      const acting = await tenancy.within(principal, organizationId);
      requireScope(acting, 'admin');
      await database.transaction(async (trx) => {
        if (await repo.hasOrders(trx, organizationId)) throw new DomainError('IN_USE', 'A host that has sold tickets cannot be deleted');
        try {
          await repo.deleteOrganization(trx, organizationId);
        } catch (error) {
          if (isForeignKeyViolation(error)) throw new DomainError('IN_USE', 'This host still has data that cannot be deleted');
          throw error;
        }
      });
      ctx.caches.principals.clear();
    },
  };
}

export type HostProfileService = ReturnType<typeof hostProfileService>;
