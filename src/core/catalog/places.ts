import type { CoreContext } from '../context.ts';
import { DomainError, conflict, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { fromFlag, isForeignKeyViolation, isUniqueViolation, toFlag, toIso } from '../../db/quirks.ts';
import { columnsOf, upper, type ColumnMapping } from '../../db/columns.ts';
import type { Db } from '../../db/database.ts';
import { type Principal, requirePlatformAdministrator, requireScope } from '../identity/principal.ts';
import { referenceService } from '../reference/reference.ts';
import { catalogRepository, regions, venues } from './repository.ts';

export const VENUE_KINDS = ['hall', 'festival'] as const;
export type VenueKind = (typeof VENUE_KINDS)[number];

export interface VenueInput {
  name: string;
  kind: VenueKind;
  addressLine1?: string | null;
  addressLine2?: string | null;
  zip?: string | null;
  city: string;
  state?: string | null;
  countryCode: string;
  latitude?: number | null;
  longitude?: number | null;
  capacity?: number | null;
  regionId?: number | null;
}
export interface Venue extends Required<VenueInput> {
  id: number;
  createdAt: string;
  updatedAt: string;
}

export interface RegionInput {
  name: string;
  countryCode: string;
  district?: string | null;
  city?: string | null;
  active?: boolean;
}
export interface Region extends Required<RegionInput> {
  id: number;
  createdAt: string;
  updatedAt: string;
}

type VenueRow = NonNullable<Awaited<ReturnType<typeof venues.get>>>;
type RegionRow = NonNullable<Awaited<ReturnType<typeof regions.get>>>;

const toVenue = (r: VenueRow): Venue => ({
  id: r.id,
  name: r.name,
  kind: r.kind as VenueKind,
  addressLine1: r.address_line1,
  addressLine2: r.address_line2,
  zip: r.zip,
  city: r.city,
  state: r.state,
  countryCode: r.country_code,
  latitude: r.latitude,
  longitude: r.longitude,
  capacity: r.capacity,
  regionId: r.region_id,
  createdAt: toIso(r.created_at)!,
  updatedAt: toIso(r.updated_at)!,
});

const toRegion = (r: RegionRow): Region => ({
  id: r.id,
  name: r.name,
  countryCode: r.country_code,
  district: r.district,
  city: r.city,
  active: fromFlag(r.active),
  createdAt: toIso(r.created_at)!,
  updatedAt: toIso(r.updated_at)!,
});

async function checkCountry(db: Db, field: string, code: string | undefined) {
  if (code !== undefined && !(await referenceService.countryByCode(db, code))) throw invalid(field, 'must be an ISO 3166-1 alpha-2 country code');
}

const VENUE_COLUMNS: ColumnMapping<VenueInput> = {
  name: 'name', kind: 'kind', addressLine1: 'address_line1', addressLine2: 'address_line2', zip: 'zip', city: 'city', state: 'state',
  countryCode: ['country_code', upper], latitude: 'latitude', longitude: 'longitude', capacity: 'capacity', regionId: 'region_id',
};
const REGION_COLUMNS: ColumnMapping<RegionInput> = { name: 'name', countryCode: ['country_code', upper], district: 'district', city: 'city', active: ['active', toFlag] };

/** Venues (per organization) and regions (platform-wide). */
export function placeService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  async function checkVenue(db: Db, input: Partial<VenueInput>) {
    if (input.kind !== undefined && !(VENUE_KINDS as readonly string[]).includes(input.kind)) throw invalid('kind', `must be one of ${VENUE_KINDS.join(', ')}`);
    await checkCountry(db, 'country_code', input.countryCode);
    if (input.regionId != null && !(await regions.get(db, input.regionId))) throw invalid('region_id', 'is not a known region');
    if (input.latitude != null && (input.latitude < -90 || input.latitude > 90)) throw invalid('latitude', 'must be between -90 and 90');
    if (input.longitude != null && (input.longitude < -180 || input.longitude > 180)) throw invalid('longitude', 'must be between -180 and 180');
  }

  return {
    async listVenues(principal: Principal, page: Page, filter: { city?: string; countryCode?: string; kind?: string; regionId?: number; name?: string } = {}): Promise<Paged<Venue>> {
      const { rows, total } = await venues.list(database.db, principal.organizationId, page, {
        where: { city: filter.city, country_code: filter.countryCode?.toUpperCase(), kind: filter.kind, region_id: filter.regionId, name: filter.name },
      });
      return { items: rows.map(toVenue), total };
    },
    async readVenue(principal: Principal, id: number): Promise<Venue> {
      const row = await venues.get(database.db, principal.organizationId, id);
      if (!row) throw notFound('Venue');
      return toVenue(row);
    },
    async createVenue(principal: Principal, input: VenueInput): Promise<Venue> {
      requireScope(principal, 'sell', 'admin');
      await checkVenue(database.db, input);
      const t = now();
      const row = await venues.insert(database.db, {
        organization_id: principal.organizationId,
        address_line1: null, address_line2: null, zip: null, state: null, latitude: null, longitude: null, capacity: null, region_id: null,
        ...columnsOf(input, VENUE_COLUMNS),
        created_at: t,
        updated_at: t,
      } as never);
      return toVenue(row);
    },
    async updateVenue(principal: Principal, id: number, changes: Partial<VenueInput>): Promise<Venue> {
      requireScope(principal, 'sell', 'admin');
      await checkVenue(database.db, changes);
      const row = await venues.update(database.db, principal.organizationId, id, { ...columnsOf(changes, VENUE_COLUMNS), updated_at: now() });
      if (!row) throw notFound('Venue');
      return toVenue(row);
    },
    async deleteVenue(principal: Principal, id: number): Promise<void> {
      requireScope(principal, 'sell', 'admin');
      await database.transaction(async (trx) => {
        if (!(await venues.get(trx, principal.organizationId, id))) throw notFound('Venue');
        for (const table of ['events', 'event_dates', 'series'] as const) {
          if (await catalogRepository.isReferenced(trx, table, 'venue_id', id)) throw new DomainError('IN_USE', 'This venue is used by events or series');
        }
        await venues.remove(trx, principal.organizationId, id);
      });
    },

    /** Regions by name, or by creation (`order: 'creation'`, TickeTing's list order). */
    async listRegions(page: Page, filter: { active?: boolean; countryCode?: string; order?: 'name' | 'creation' } = {}): Promise<Paged<Region>> {
      const { rows, total } = await regions.list(database.db, page, {
        where: { active: filter.active === undefined ? undefined : toFlag(filter.active), country_code: filter.countryCode?.toUpperCase() },
        orderBy: filter.order === 'creation' ? ['id'] : ['name'],
      });
      return { items: rows.map(toRegion), total };
    },
    async readRegion(id: number): Promise<Region> {
      const row = await regions.get(database.db, id);
      if (!row) throw notFound('Region');
      return toRegion(row);
    },
    async createRegion(principal: Principal, input: RegionInput): Promise<Region> {
      requirePlatformAdministrator(principal);
      await checkCountry(database.db, 'country_code', input.countryCode);
      const t = now();
      try {
        const row = await regions.insert(database.db, {
          district: null,
          city: null,
          active: 1,
          ...columnsOf(input, REGION_COLUMNS),
          created_at: t,
          updated_at: t,
        } as never);
        return toRegion(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`A region named "${input.name}" already exists`);
        throw error;
      }
    },
    async updateRegion(principal: Principal, id: number, changes: Partial<RegionInput>): Promise<Region> {
      requirePlatformAdministrator(principal);
      await checkCountry(database.db, 'country_code', changes.countryCode);
      try {
        const row = await regions.update(database.db, id, {
          ...columnsOf(changes, REGION_COLUMNS),
          updated_at: now(),
        });
        if (!row) throw notFound('Region');
        return toRegion(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`A region named "${changes.name}" already exists`);
        throw error;
      }
    },
    async deleteRegion(principal: Principal, id: number): Promise<void> {
      requirePlatformAdministrator(principal);
      try {
        if (!(await regions.remove(database.db, id))) throw notFound('Region');
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new DomainError('IN_USE', 'This region is used by venues');
        throw error;
      }
    },
  };
}

export type PlaceService = ReturnType<typeof placeService>;
