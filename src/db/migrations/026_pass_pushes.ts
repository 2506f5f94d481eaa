import type { Db } from '../database.ts';
import type { Migration } from '../migrator.ts';

/**
 * Apple Wallet pushes (issue 21): when a ticket changes, the worker finds the devices registered for
 * its passes (by ticket), and an APNs 410 answer unregisters a device's push token everywhere.
 */
export const passPushes: Migration = {
  version: 26,
  name: 'pass_pushes',
  async up(db: Db) {
    await db.schema.createIndex('pass_registrations_ticket').on('pass_registrations').column('ticket_id').execute();
    await db.schema.createIndex('pass_registrations_push_token').on('pass_registrations').columns(['pass_type_id', 'push_token']).execute();
  },
};
