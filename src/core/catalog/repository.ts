import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { SalesChannelsTable, Tables } from '../../db/tables.ts';
import { paged } from '../../db/paging.ts';
import type { Page } from '../pagination.ts';

/** Tables owned by one organization: every query on them is filtered by `organization_id`. */
export type TenantTable = 'venues' | 'series' | 'sales_channels' | 'events' | 'event_dates' | 'sections' | 'tariffs' | 'section_capacities';
/** Platform-wide catalog tables. */
export type PlatformTable = 'regions' | 'event_categories';

export interface ListOptions<T extends keyof Tables> {
  /** Equality filters on columns. */
  where?: Partial<Record<keyof Tables[T] & string, string | number | null>>;
  orderBy?: (keyof Tables[T] & string)[];
}

// Kysely's types cannot follow a table name chosen at run time; the casts below stay inside these two helpers.
/* eslint-disable @typescript-eslint/no-explicit-any */

function ordered(query: any, columns: string[] = ['id']) {
  for (const column of columns) query = query.orderBy(column);
  return query;
}

/** Equality filters (undefined = no filter, null = IS NULL), then one page in the given order. */
function listPage(query: any, page: Page, options: ListOptions<any>) {
  for (const [column, value] of Object.entries(options.where ?? {})) {
    if (value !== undefined) query = value === null ? query.where(column, 'is', null) : query.where(column, '=', value);
  }
  return paged(query, page, (q: any) => ordered(q.selectAll(), options.orderBy));
}

/**
 * Generic reads and writes for one tenant-owned table. The organization is a required argument of
 * every call, so no query on these tables can forget the tenant.
 */
export function tenantTable<T extends TenantTable>(table: T) {
  type Row = Selectable<Tables[T]>;
  const scoped = (db: Db, organizationId: number) => (db as any).selectFrom(table).where('organization_id', '=', organizationId);
  return {
    async get(db: Db, organizationId: number, id: number): Promise<Row | undefined> {
      return scoped(db, organizationId).selectAll().where('id', '=', id).executeTakeFirst();
    },
    async list(db: Db, organizationId: number, page: Page, options: ListOptions<T> = {}): Promise<{ rows: Row[]; total: number }> {
      return listPage(scoped(db, organizationId), page, options) as Promise<{ rows: Row[]; total: number }>;
    },
    async all(db: Db, organizationId: number, where: ListOptions<T>['where'] = {}): Promise<Row[]> {
      let query = scoped(db, organizationId);
      for (const [column, value] of Object.entries(where)) query = query.where(column, '=', value);
      return query.selectAll().orderBy('id').execute();
    },
    async insert(db: Db, values: Insertable<Tables[T]>): Promise<Row> {
      return (db as any).insertInto(table).values(values).returningAll().executeTakeFirstOrThrow();
    },
    async update(db: Db, organizationId: number, id: number, values: Updateable<Tables[T]>): Promise<Row | undefined> {
      return (db as any)
        .updateTable(table)
        .set(values)
        .where('organization_id', '=', organizationId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },
    async remove(db: Db, organizationId: number, id: number): Promise<boolean> {
      const result = await (db as any).deleteFrom(table).where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

/** Generic reads and writes for a platform-wide table. */
export function platformTable<T extends PlatformTable>(table: T) {
  type Row = Selectable<Tables[T]>;
  return {
    async get(db: Db, id: number): Promise<Row | undefined> {
      return (db as any).selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
    },
    async list(db: Db, page: Page, options: ListOptions<T> = {}): Promise<{ rows: Row[]; total: number }> {
      return listPage((db as any).selectFrom(table), page, options) as Promise<{ rows: Row[]; total: number }>;
    },
    async insert(db: Db, values: Insertable<Tables[T]>): Promise<Row> {
      return (db as any).insertInto(table).values(values).returningAll().executeTakeFirstOrThrow();
    },
    async update(db: Db, id: number, values: Updateable<Tables[T]>): Promise<Row | undefined> {
      return (db as any).updateTable(table).set(values).where('id', '=', id).returningAll().executeTakeFirst();
    },
    async remove(db: Db, id: number): Promise<boolean> {
      const result = await (db as any).deleteFrom(table).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export const venues = tenantTable('venues');
export const series = tenantTable('series');
export const channels = tenantTable('sales_channels');
export const events = tenantTable('events');
export const eventDates = tenantTable('event_dates');
export const sections = tenantTable('sections');
export const tariffs = tenantTable('tariffs');
export const sectionCapacities = tenantTable('section_capacities');
export const regions = platformTable('regions');
export const categories = platformTable('event_categories');

/** Queries that do not fit the generic helpers. */
export const catalogRepository = {
  async insertChannel(db: Db, values: Insertable<SalesChannelsTable>) {
    return channels.insert(db, values);
  },
  defaultChannel(db: Db, organizationId: number) {
    return db
      .selectFrom('sales_channels')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('is_default', '=', 1)
      .executeTakeFirst();
  },
  async clearDefaultChannel(db: Db, organizationId: number) {
    await db.updateTable('sales_channels').set({ is_default: 0 }).where('organization_id', '=', organizationId).execute();
  },
  /** Events of an organization, optionally only those buyers may see (listed and public). */
  async listEvents(db: Db, organizationId: number, page: Page, filter: { onlyListed: boolean; status?: string; seriesId?: number; venueId?: number }) {
    let query = db.selectFrom('events').where('organization_id', '=', organizationId);
    if (filter.onlyListed) query = query.where('status', '=', 'listed').where('is_public', '=', 1);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.seriesId) query = query.where('series_id', '=', filter.seriesId);
    if (filter.venueId) query = query.where('venue_id', '=', filter.venueId);
    return paged(query, page, (q) => q.selectAll().orderBy('id'));
  },
  /** Dates, sections, tariffs, per-date capacities and tariff channels of a set of events, in one round each. */
  async eventParts(db: Db, organizationId: number, eventIds: number[]) {
    if (eventIds.length === 0) return { dates: [], sections: [], tariffs: [], capacities: [], tariffChannels: [] };
    const [dates, sectionRows, tariffRows, capacities, tariffChannels] = await Promise.all([
      db.selectFrom('event_dates').selectAll().where('organization_id', '=', organizationId).where('event_id', 'in', eventIds).orderBy('starts_at').orderBy('id').execute(),
      db.selectFrom('sections').selectAll().where('organization_id', '=', organizationId).where('event_id', 'in', eventIds).orderBy('position').orderBy('id').execute(),
      db.selectFrom('tariffs').selectAll().where('organization_id', '=', organizationId).where('event_id', 'in', eventIds).orderBy('position').orderBy('id').execute(),
      db.selectFrom('section_capacities').selectAll().where('organization_id', '=', organizationId).where('event_id', 'in', eventIds).orderBy('id').execute(),
      db
        .selectFrom('tariff_channels')
        .innerJoin('tariffs', 'tariffs.id', 'tariff_channels.tariff_id')
        .select(['tariff_channels.tariff_id', 'tariff_channels.channel_id'])
        .where('tariff_channels.organization_id', '=', organizationId)
        .where('tariffs.event_id', 'in', eventIds)
        .orderBy('tariff_channels.channel_id')
        .execute(),
    ]);
    return { dates, sections: sectionRows, tariffs: tariffRows, capacities, tariffChannels };
  },
  async setTariffChannels(db: Db, organizationId: number, tariffId: number, channelIds: number[]) {
    await db.deleteFrom('tariff_channels').where('tariff_id', '=', tariffId).where('organization_id', '=', organizationId).execute();
    if (channelIds.length > 0) {
      await db
        .insertInto('tariff_channels')
        .values(channelIds.map((channel_id) => ({ tariff_id: tariffId, channel_id, organization_id: organizationId })))
        .execute();
    }
  },
  async insertCapacities(db: Db, rows: Insertable<Tables['section_capacities']>[]) {
    for (let i = 0; i < rows.length; i += 100) await db.insertInto('section_capacities').values(rows.slice(i, i + 100)).execute();
  },
  async setCapacity(db: Db, organizationId: number, dateId: number, sectionId: number, capacity: number) {
    return db
      .updateTable('section_capacities')
      .set({ capacity })
      .where('organization_id', '=', organizationId)
      .where('date_id', '=', dateId)
      .where('section_id', '=', sectionId)
      .returningAll()
      .executeTakeFirst();
  },
  /** Whether any row of `table` points at `id` through `column` (to refuse deleting what is in use). */
  async isReferenced(db: Db, table: 'events' | 'venues' | 'event_dates' | 'series', column: string, id: number) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const row = await (db as any).selectFrom(table).select('id').where(column, '=', id).limit(1).executeTakeFirst();
    return Boolean(row);
  },
};

export type ChannelRow = Selectable<SalesChannelsTable>;
