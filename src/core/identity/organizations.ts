import type { CoreContext } from '../context.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { isUniqueViolation, toIso } from '../../db/quirks.ts';
import { columnsOf, upper } from '../../db/columns.ts';
import type { Db } from '../../db/database.ts';
import { identityRepository as repo, type OrganizationRow } from './repository.ts';
import { referenceService } from '../reference/reference.ts';
import { channels } from '../catalog/repository.ts';
import { type Principal, requireScope } from './principal.ts';

export interface Organization {
  id: number;
  slug: string;
  name: string;
  currency: string;
  timeZone: string;
  locale: string;
  createdAt: string;
  updatedAt: string;
}

export interface OrganizationInput {
  slug: string;
  name: string;
  currency: string;
  timeZone: string;
  locale: string;
}

const toOrganization = (r: OrganizationRow): Organization => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  currency: r.currency,
  timeZone: r.time_zone,
  locale: r.locale,
  createdAt: toIso(r.created_at)!,
  updatedAt: toIso(r.updated_at)!,
});

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
}

function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

async function check(db: Db, input: Partial<OrganizationInput>) {
  if (input.slug !== undefined && !/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.slug)) throw invalid('slug', 'must be 2 to 63 lowercase letters, digits or dashes');
  if (input.currency !== undefined && !(await referenceService.currency(db, input.currency))) throw invalid('currency', 'must be an ISO 4217 currency code');
  if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) throw invalid('time_zone', 'must be an IANA time zone');
  if (input.locale !== undefined && !isLocale(input.locale)) throw invalid('locale', 'must be a BCP 47 language tag');
}

/** Organizations (tenants). Each is born with a default web sales channel. */
export function organizationService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();
  return {
    async create(input: OrganizationInput, owner?: { accountId: number }): Promise<Organization> {
      await check(database.db, input);
      return database.transaction(async (trx) => {
        const t = now();
        let row: OrganizationRow;
        try {
          row = await repo.insertOrganization(trx, {
            slug: input.slug,
            name: input.name,
            currency: input.currency.toUpperCase(),
            time_zone: input.timeZone,
            locale: input.locale,
            created_at: t,
            updated_at: t,
          });
        } catch (error) {
          if (isUniqueViolation(error)) throw conflict(`An organization with slug "${input.slug}" already exists`);
          throw error;
        }
        await channels.insert(trx, { organization_id: row.id, name: 'Web', kind: 'web', is_default: 1, active: 1, created_at: t, updated_at: t });
        if (owner) await repo.upsertMembership(trx, owner.accountId, row.id, 'owner', t);
        return toOrganization(row);
      });
    },
    async addOwner(organizationId: number, accountId: number): Promise<Organization> {
      const row = await repo.organizationById(database.db, organizationId);
      if (!row) throw notFound('Organization');
      await repo.upsertMembership(database.db, accountId, organizationId, 'owner', now());
      return toOrganization(row);
    },
    /** Whether the platform has no organization yet (the only case where a demo start seeds demo data). */
    async none(): Promise<boolean> {
      return !(await repo.anyOrganization(database.db));
    },
    async bySlug(slug: string): Promise<Organization | null> {
      const row = await repo.organizationBySlug(database.db, slug);
      return row ? toOrganization(row) : null;
    },
    async current(principal: Principal): Promise<Organization> {
      const row = await repo.organizationById(database.db, principal.organizationId);
      if (!row) throw notFound('Organization');
      return toOrganization(row);
    },
    async update(principal: Principal, changes: Partial<Omit<OrganizationInput, 'slug'>>): Promise<Organization> {
      requireScope(principal, 'admin');
      await check(database.db, changes);
      const row = await repo.updateOrganization(database.db, principal.organizationId, {
        ...columnsOf(changes, { name: 'name', currency: ['currency', upper], timeZone: 'time_zone', locale: 'locale' }),
        updated_at: now(),
      });
      if (!row) throw notFound('Organization');
      return toOrganization(row);
    },
  };
}

export type OrganizationService = ReturnType<typeof organizationService>;
