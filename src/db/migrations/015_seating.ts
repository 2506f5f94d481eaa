import { sql } from 'kysely';
import type { Db, Engine } from '../database.ts';
import type { Migration } from '../migrator.ts';
import { columnTypes, tenantOwned, withId, withTimestamps, type Builder } from './builders.ts';

/**
 * Reserved seating (issue 22): seat maps (versioned documents), the seats of a date (one row per seat,
 * expanded from the map version the date uses), and the seat a hold, a ticket carries.
 *
 * A seat row is the only truth about who has that seat: `cart_item_id` names the hold that has it,
 * live while `held_until` is in the future, sold when `held_until` is NULL; a hold past its time
 * is taken over in place by the next buyer (no sweeper). `blocked` withdraws it from sale
 * (`kill`) or keeps it aside for the organizer (`hold`).
 */
export const seating: Migration = {
  version: 15,
  name: 'seating',
  async up(db: Db, engine: Engine) {
    const { instant, real } = columnTypes(engine);
    const s = db.schema;
    const create = (name: string) => withId(engine, s.createTable(name) as unknown as Builder);

    await withTimestamps(engine, tenantOwned(create('seat_maps')))
      .addColumn('venue_id', 'integer', (c) => c.references('venues.id').onDelete('set null'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await s.createIndex('seat_maps_organization').on('seat_maps').column('organization_id').execute();
    // Every version ever uploaded stays: a date keeps the version it was given.
    await tenantOwned(create('seat_map_versions'))
      .addColumn('map_id', 'integer', (c) => c.notNull().references('seat_maps.id').onDelete('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('seat_count', 'integer', (c) => c.notNull())
      .addColumn('created_at', instant, (c) => c.notNull())
      .addUniqueConstraint('seat_map_versions_unique', ['map_id', 'version'] as never)
      .execute();

    await s.alterTable('event_dates').addColumn('map_version_id', 'integer').execute();
    // Seats of a seated (date, section): 0 for general admission. Read by the on-sale's offer.
    await s.alterTable('section_capacities').addColumn('seats', 'integer', (c) => c.notNull().defaultTo(0)).execute();

    await tenantOwned(create('event_seats'))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('date_id', 'integer', (c) => c.notNull().references('event_dates.id').onDelete('cascade'))
      .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id').onDelete('cascade'))
      .addColumn('map_version_id', 'integer', (c) => c.notNull())
      .addColumn('seat_key', 'text', (c) => c.notNull())
      .addColumn('area', 'text', (c) => c.notNull())
      .addColumn('row_label', 'text', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('x', real, (c) => c.notNull())
      .addColumn('y', real, (c) => c.notNull())
      .addColumn('rank', 'integer', (c) => c.notNull())
      // Seats next to each other share a block (one row between two aisles) and follow each other in `position`.
      .addColumn('block', 'integer', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('flags', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('blocked', 'text')
      .addColumn('cart_item_id', 'integer')
      .addColumn('held_until', instant)
      .addUniqueConstraint('event_seats_key', ['date_id', 'seat_key'] as never)
      .execute();
    await s.createIndex('event_seats_date_section').on('event_seats').columns(['date_id', 'section_id', 'block', 'position']).execute();
    await s.createIndex('event_seats_cart_item').on('event_seats').column('cart_item_id').execute();
    // Best available looks first among the seats nobody ever held, best ranks first: a short walk of
    // this index whatever is already sold (seats of lapsed holds are looked at when these run short).
    await sql.raw(`CREATE INDEX event_seats_never_held ON event_seats (date_id, section_id, rank) WHERE cart_item_id IS NULL AND blocked IS NULL`).execute(db);

    // The seats a hold has (JSON, written once with the hold): NULL for general admission.
    await s.alterTable('cart_items').addColumn('seats', 'text').execute();
    await s.alterTable('tickets').addColumn('seat_id', 'integer').execute();
    // The seat as printed (JSON: area, row, number), so presenting a ticket reads no other table.
    await s.alterTable('tickets').addColumn('seat', 'text').execute();
    await s.createIndex('tickets_seat').on('tickets').column('seat_id').execute();

    // The seat is signed too (G2 payloads): the stored signature is forgotten when it changes (see migration 8).
    const signedFieldsChanged = (n: string, o: string, distinct: string) =>
      `(${n}.barcode <> ${o}.barcode OR ${n}.version <> ${o}.version OR ${n}.date_id <> ${o}.date_id OR ${n}.section_id <> ${o}.section_id OR ${n}.seat_id ${distinct === 'IS' ? 'IS NOT' : 'IS DISTINCT FROM'} ${o}.seat_id) AND ${n}.qr_signature ${distinct} ${o}.qr_signature`;
    if (engine === 'postgres') {
      await sql
        .raw(
          `CREATE OR REPLACE FUNCTION tickets_forget_stale_signature() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF ${signedFieldsChanged('NEW', 'OLD', 'IS NOT DISTINCT FROM')} THEN NEW.qr_signature := NULL; END IF;
  RETURN NEW;
END $$`,
        )
        .execute(db);
      await sql.raw(`DROP TRIGGER tickets_signature_update ON tickets`).execute(db);
      await sql
        .raw(`CREATE TRIGGER tickets_signature_update BEFORE UPDATE OF barcode, version, date_id, section_id, seat_id ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_forget_stale_signature()`)
        .execute(db);
    } else {
      await sql.raw(`DROP TRIGGER tickets_signature_update`).execute(db);
      await sql
        .raw(
          `CREATE TRIGGER tickets_signature_update AFTER UPDATE OF barcode, version, date_id, section_id, seat_id ON tickets WHEN ${signedFieldsChanged('NEW', 'OLD', 'IS')} BEGIN
  UPDATE tickets SET qr_signature = NULL WHERE id = NEW.id;
END`,
        )
        .execute(db);
    }
  },
};
