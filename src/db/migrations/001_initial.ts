import { iso31661, iso31662 } from 'iso-3166';
import currencyCodes from 'currency-codes';
import type { Db, Engine } from '../database.ts';
import type { Migration } from '../migrator.ts';
import { columnTypes, tenantOwned, withId, withTimestamps, type Builder } from './builders.ts';

export const initial: Migration = {
  version: 1,
  name: 'initial',
  async up(db: Db, engine: Engine) {
    const { instant, real } = columnTypes(engine);
    const s = db.schema;
    const create = (name: string) => withId(engine, s.createTable(name) as unknown as Builder);

    // Reference data (platform-wide, filled below from ISO datasets).
    await s
      .createTable('countries')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('alpha3', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .execute();
    await create('states')
      .addColumn('country_id', 'integer', (c) => c.notNull().references('countries.id'))
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('states_country').on('states').column('country_id').execute();
    await s
      .createTable('currencies')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('numeric_code', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('minor_units', 'integer', (c) => c.notNull())
      .execute();

    // Identity.
    await withTimestamps(engine, create('organizations'))
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('locale', 'text', (c) => c.notNull())
      .execute();
    await withTimestamps(engine, create('accounts'))
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text')
      .addColumn('last_name', 'text')
      .addColumn('title', 'text')
      .addColumn('date_of_birth', 'text')
      .addColumn('phone', 'text')
      .addColumn('address_line1', 'text')
      .addColumn('address_line2', 'text')
      .addColumn('city', 'text')
      .addColumn('state', 'text')
      .addColumn('country', 'text')
      .addColumn('platform_role', 'text', (c) => c.notNull())
      .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('activated', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await s
      .createTable('memberships')
      .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', instant, (c) => c.notNull())
      .addPrimaryKeyConstraint('memberships_pk', ['account_id', 'organization_id'])
      .execute();
    await s.createIndex('memberships_organization').on('memberships').column('organization_id').execute();
    await create('account_activities')
      .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('ip', 'text')
      .addColumn('created_at', instant, (c) => c.notNull())
      .execute();
    await s.createIndex('account_activities_account').on('account_activities').columns(['account_id', 'id']).execute();
    await create('password_resets')
      .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('expires_at', instant, (c) => c.notNull())
      .addColumn('used_at', instant)
      .addColumn('created_at', instant, (c) => c.notNull())
      .execute();
    await tenantOwned(create('oauth_clients'))
      .addColumn('account_id', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
      .addColumn('client_id', 'text', (c) => c.notNull().unique())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('revoked_at', instant)
      .addColumn('created_at', instant, (c) => c.notNull())
      .execute();
    for (const table of ['access_tokens', 'refresh_tokens'] as const) {
      let t = tenantOwned(create(table))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('oauth_client_id', 'integer', (c) => c.notNull().references('oauth_clients.id').onDelete('cascade'))
        .addColumn('account_id', 'integer', (c) => c.references('accounts.id').onDelete('cascade'))
        .addColumn('scopes', 'text', (c) => c.notNull())
        // 'password' when a person signed in, 'client_credentials' when the client acts for itself.
        .addColumn('grant_type', 'text', (c) => c.notNull())
        .addColumn('expires_at', instant, (c) => c.notNull())
        .addColumn('revoked_at', instant)
        .addColumn('created_at', instant, (c) => c.notNull());
      if (table === 'refresh_tokens') t = t.addColumn('family', 'text', (c) => c.notNull()).addColumn('used_at', instant);
      await t.execute();
    }
    await s.createIndex('refresh_tokens_family').on('refresh_tokens').column('family').execute();
    await create('api_keys')
      .addColumn('organization_id', 'integer', (c) => c.references('organizations.id').onDelete('cascade'))
      .addColumn('account_id', 'integer', (c) => c.references('accounts.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('access_level', 'text', (c) => c.notNull())
      .addColumn('revoked_at', instant)
      .addColumn('last_used_at', instant)
      .addColumn('created_at', instant, (c) => c.notNull())
      .execute();
    await withTimestamps(engine, create('addresses'))
      .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('label', 'text')
      .addColumn('first_name', 'text')
      .addColumn('last_name', 'text')
      .addColumn('line1', 'text', (c) => c.notNull())
      .addColumn('line2', 'text')
      .addColumn('zip', 'text')
      .addColumn('city', 'text', (c) => c.notNull())
      .addColumn('state_id', 'integer', (c) => c.references('states.id'))
      .addColumn('country_id', 'integer', (c) => c.notNull().references('countries.id'))
      .addColumn('phone', 'text')
      .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createIndex('addresses_account').on('addresses').column('account_id').execute();

    // Catalog.
    await withTimestamps(engine, tenantOwned(create('sales_channels')))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await s.createIndex('sales_channels_organization').on('sales_channels').column('organization_id').execute();
    await withTimestamps(engine, create('regions'))
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('country_code', 'text', (c) => c.notNull())
      .addColumn('district', 'text')
      .addColumn('city', 'text')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await withTimestamps(engine, create('event_categories'))
      .addColumn('parent_id', 'integer', (c) => c.references('event_categories.id').onDelete('cascade'))
      .addColumn('name_en', 'text', (c) => c.notNull())
      .addColumn('name_fr', 'text', (c) => c.notNull())
      .addColumn('name_de', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await withTimestamps(engine, tenantOwned(create('venues')))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('address_line1', 'text')
      .addColumn('address_line2', 'text')
      .addColumn('zip', 'text')
      .addColumn('city', 'text', (c) => c.notNull())
      .addColumn('state', 'text')
      .addColumn('country_code', 'text', (c) => c.notNull())
      .addColumn('latitude', real)
      .addColumn('longitude', real)
      .addColumn('capacity', 'integer')
      .addColumn('region_id', 'integer', (c) => c.references('regions.id'))
      .execute();
    await s.createIndex('venues_organization').on('venues').column('organization_id').execute();
    await withTimestamps(engine, tenantOwned(create('series')))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('first_date', 'text')
      .addColumn('last_date', 'text')
      .addColumn('venue_id', 'integer', (c) => c.references('venues.id'))
      .execute();
    await s.createIndex('series_organization').on('series').column('organization_id').execute();
    await withTimestamps(engine, tenantOwned(create('events')))
      .addColumn('series_id', 'integer', (c) => c.references('series.id'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('category_id', 'integer', (c) => c.references('event_categories.id'))
      .addColumn('subcategory_id', 'integer', (c) => c.references('event_categories.id'))
      .addColumn('venue_id', 'integer', (c) => c.references('venues.id'))
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('sale_starts_at', instant)
      .addColumn('sale_ends_at', instant)
      .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('image_urls', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    await s.createIndex('events_organization_status').on('events').columns(['organization_id', 'status']).execute();
    await withTimestamps(engine, tenantOwned(create('event_dates')))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('starts_at', instant, (c) => c.notNull())
      .addColumn('ends_at', instant)
      .addColumn('venue_id', 'integer', (c) => c.references('venues.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('event_dates_event').on('event_dates').columns(['event_id', 'starts_at']).execute();
    await withTimestamps(engine, tenantOwned(create('sections')))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('capacity', 'integer', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createIndex('sections_event').on('sections').column('event_id').execute();
    await tenantOwned(create('section_capacities'))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('date_id', 'integer', (c) => c.notNull().references('event_dates.id').onDelete('cascade'))
      .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id').onDelete('cascade'))
      .addColumn('capacity', 'integer', (c) => c.notNull())
      .addUniqueConstraint('section_capacities_date_section', ['date_id', 'section_id'])
      .execute();
    await s.createIndex('section_capacities_event').on('section_capacities').column('event_id').execute();
    await withTimestamps(engine, tenantOwned(create('tariffs')))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id').onDelete('cascade'))
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('price', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('sale_starts_at', instant)
      .addColumn('sale_ends_at', instant)
      .addColumn('max_per_order', 'integer')
      .addColumn('quota', 'integer')
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createIndex('tariffs_event').on('tariffs').column('event_id').execute();
    await s
      .createTable('tariff_channels')
      .addColumn('tariff_id', 'integer', (c) => c.notNull().references('tariffs.id').onDelete('cascade'))
      .addColumn('channel_id', 'integer', (c) => c.notNull().references('sales_channels.id').onDelete('cascade'))
      .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('tariff_channels_pk', ['tariff_id', 'channel_id'])
      .execute();

    await loadReferenceData(db);
  },
};

/** ISO 3166-1 countries, ISO 3166-2 subdivisions and ISO 4217 currencies, from maintained npm datasets. */
async function loadReferenceData(db: Db) {
  const countries = iso31661.map((c) => ({ id: Number(c.numeric), code: c.alpha2, alpha3: c.alpha3, name: c.name }));
  await insertInChunks(db, 'countries', countries);
  const countryIds = new Map(countries.map((c) => [c.code, c.id]));
  const states = [...iso31662]
    .sort((a, b) => a.code.localeCompare(b.code))
    .filter((s) => countryIds.has(s.code.slice(0, 2)))
    .map((s) => ({ country_id: countryIds.get(s.code.slice(0, 2))!, code: s.code, name: s.name }));
  await insertInChunks(db, 'states', states);
  const currencies = currencyCodes.data.map((c) => ({
    code: c.code,
    numeric_code: Number(c.number),
    name: c.currency,
    minor_units: c.digits,
  }));
  await insertInChunks(db, 'currencies', currencies);
}

async function insertInChunks<T extends 'countries' | 'states' | 'currencies'>(db: Db, table: T, rows: object[]) {
  // SQLite caps bound parameters per statement; 100 rows × ≤ 4 columns stays well under it.
  for (let i = 0; i < rows.length; i += 100) {
    await db.insertInto(table).values(rows.slice(i, i + 100) as never).execute();
  }
}
