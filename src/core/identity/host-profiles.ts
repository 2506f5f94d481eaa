import type { CoreContext } from '../context.ts';
import { invalid, notFound } from '../errors.ts';
import { columnsOf, upper, type ColumnMapping } from '../../db/columns.ts';
import { isEmail } from '../validation.ts';
import { referenceService } from '../reference/reference.ts';
import { identityRepository as repo } from './repository.ts';
import { type Principal, requireScope } from './principal.ts';

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

/** An organization's host profile; a credential only ever sees its own organization's. */
export function hostProfileService(ctx: CoreContext) {
  const { database } = ctx;
  return {
    async read(principal: Principal, organizationId: number): Promise<HostProfile> {
      const row = organizationId === principal.organizationId ? await repo.organizationById(database.db, organizationId) : undefined;
      if (!row) throw notFound('Host');
      return toProfile(row);
    },
    async update(principal: Principal, organizationId: number, changes: HostProfileInput): Promise<HostProfile> {
      requireScope(principal, 'admin');
      if (organizationId !== principal.organizationId) throw notFound('Host');
      if (changes.name !== undefined && changes.name.trim() === '') throw invalid('name', 'must not be empty');
      if (changes.email != null && !isEmail(changes.email)) throw invalid('email', 'must be an e-mail address');
      if (changes.website != null && !/^https?:\/\/\S+$/.test(changes.website)) throw invalid('website', 'must be an http(s) URL');
      if (changes.country != null && !(await referenceService.countryByCode(database.db, changes.country))) throw invalid('country', 'must be an ISO 3166-1 alpha-2 country code');
      const row = await repo.updateOrganization(database.db, organizationId, { ...columnsOf(changes, COLUMNS), updated_at: ctx.clock().toISOString() });
      if (!row) throw notFound('Host');
      return toProfile(row);
    },
  };
}
