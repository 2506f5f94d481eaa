import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { SalesChannelsTable, Tables } from '../../db/tables.ts';
import { paged } from '../../db/paging.ts';
import { platformTable, tenantTable } from '../../db/table-access.ts';
import type { Page } from '../pagination.ts';

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
  subcategories(db: Db, parentIds: number[]) {
    return db.selectFrom('event_categories').selectAll().where('parent_id', 'in', parentIds).orderBy('position').orderBy('id').execute();
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
