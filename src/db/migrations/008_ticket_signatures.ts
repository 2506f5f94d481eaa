import type { Db } from '../database.ts';
import type { Migration } from '../migrator.ts';

/**
 * `tickets.qr_signature`: the Ed25519 signature of the ticket's QR payload, stored when the ticket is
 * issued or changes hands, so that the door checks a scanned payload by comparing it with the stored
 * one instead of computing a signature at every scan, and presenting a ticket signs nothing. Tickets
 * issued before this migration have none: they are signed when presented and checked by signing.
 */
export const ticketSignatures: Migration = {
  version: 8,
  name: 'ticket_signatures',
  async up(db: Db) {
    await db.schema.alterTable('tickets').addColumn('qr_signature', 'text').execute();
  },
};
