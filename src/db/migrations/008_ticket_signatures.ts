import { sql } from 'kysely';
import type { Db, Engine } from '../database.ts';
import type { Migration } from '../migrator.ts';

/**
 * `tickets.qr_signature`: the Ed25519 signature of the ticket's QR payload, stored right after the
 * ticket is issued and when it changes hands, so that the door checks a scanned payload by comparing
 * it with the stored one instead of computing a signature at every scan, and presenting a ticket signs
 * nothing. Tickets issued before this migration have none: they are signed when presented and checked
 * by signing.
 *
 * The signature is derived from the signed fields (barcode, version, date, section), so the database
 * forgets it whenever one of them changes without the signature changing in the same statement: a
 * writer that does not know about signatures leaves a ticket that is signed afresh, never a stale one.
 */
export const ticketSignatures: Migration = {
  version: 8,
  name: 'ticket_signatures',
  async up(db: Db, engine: Engine) {
    await db.schema.alterTable('tickets').addColumn('qr_signature', 'text').execute();
    const signedFieldsChanged = (n: string, o: string, distinct: string) =>
      `(${n}.barcode <> ${o}.barcode OR ${n}.version <> ${o}.version OR ${n}.date_id <> ${o}.date_id OR ${n}.section_id <> ${o}.section_id) AND ${n}.qr_signature ${distinct} ${o}.qr_signature`;
    if (engine === 'postgres') {
      await sql
        .raw(
          `CREATE FUNCTION tickets_forget_stale_signature() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF ${signedFieldsChanged('NEW', 'OLD', 'IS NOT DISTINCT FROM')} THEN NEW.qr_signature := NULL; END IF;
  RETURN NEW;
END $$`,
        )
        .execute(db);
      // Only statements that set one of the signed fields run it (not the door's, nor payments').
      await sql
        .raw(`CREATE TRIGGER tickets_signature_update BEFORE UPDATE OF barcode, version, date_id, section_id ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_forget_stale_signature()`)
        .execute(db);
    } else {
      await sql
        .raw(
          `CREATE TRIGGER tickets_signature_update AFTER UPDATE OF barcode, version, date_id, section_id ON tickets WHEN ${signedFieldsChanged('NEW', 'OLD', 'IS')} BEGIN
  UPDATE tickets SET qr_signature = NULL WHERE id = NEW.id;
END`,
        )
        .execute(db);
    }
  },
};
