import type { Db, Engine } from '../database.ts';
import type { Migration } from '../migrator.ts';
import { columnTypes, tenantOwned, withId } from './builders.ts';

/**
 * `pass_registrations`: the Apple Wallet devices that asked to hear about a pass (the PassKit web
 * service's device registrations). A pass's serial names the ticket and its version
 * (`<organization>-<ticket>-<version>`), so a pass handed over keeps its serial and is voided.
 */
export const passRegistrations: Migration = {
  version: 21,
  name: 'pass_registrations',
  async up(db: Db, engine: Engine) {
    const { instant } = columnTypes(engine);
    await tenantOwned(withId(engine, db.schema.createTable('pass_registrations')))
      .addColumn('device_library_id', 'text', (c) => c.notNull())
      .addColumn('pass_type_id', 'text', (c) => c.notNull())
      .addColumn('serial_number', 'text', (c) => c.notNull())
      .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
      .addColumn('push_token', 'text', (c) => c.notNull())
      .addColumn('created_at', instant, (c) => c.notNull())
      .addUniqueConstraint('pass_registrations_device_pass', ['device_library_id', 'pass_type_id', 'serial_number'])
      .execute();
    await db.schema.createIndex('pass_registrations_serial').on('pass_registrations').columns(['pass_type_id', 'serial_number']).execute();
  },
};
