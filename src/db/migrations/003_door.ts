import { sql } from 'kysely';
import type { Db, Engine } from '../database.ts';
import type { Migration } from '../migrator.ts';
import { columnTypes, tenantOwned, withId, withTimestamps, type Builder } from './builders.ts';

/**
 * The door: admission tokens and the door credentials exchanged for them, control points, scan-app
 * settings, scans (every one, admitted or not), offline conflicts, the door state of each ticket, and
 * the change log that feeds offline devices' delta sync.
 */
export const door: Migration = {
  version: 3,
  name: 'door',
  async up(db: Db, engine: Engine) {
    const { instant } = columnTypes(engine);
    const pg = engine === 'postgres';
    const s = db.schema;
    const create = (name: string) => withId(engine, s.createTable(name) as unknown as Builder);

    await s.alterTable('events').addColumn('reentry_allowed', 'integer', (c) => c.notNull().defaultTo(0)).execute();

    // The ticket's door state: 'none' (never in), 'in', 'out'. Admission is one conditional UPDATE of it.
    await s.alterTable('tickets').addColumn('door_state', 'text', (c) => c.notNull().defaultTo('none')).execute();
    await s.alterTable('tickets').addColumn('admitted_at', instant).execute();
    await s.alterTable('tickets').addColumn('admission_scan_id', 'integer').execute();
    await s.alterTable('tickets').addColumn('exited_at', instant).execute();

    // Admission tokens: a code (stored as a SHA-256 digest) that door staff exchange for a credential.
    // `section_ids`/`date_ids` JSON lists; null = every section/date (the global token has both null).
    await withTimestamps(engine, tenantOwned(create('admission_tokens')))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('is_global', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('name', 'text')
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('section_ids', 'text')
      .addColumn('date_ids', 'text')
      .addColumn('revoked_at', instant)
      .addUniqueConstraint('admission_tokens_code', ['code_hash'] as never)
      .execute();
    await s.createIndex('admission_tokens_event').on('admission_tokens').columns(['organization_id', 'event_id']).execute();

    await tenantOwned(create('door_credentials'))
      .addColumn('token_id', 'integer', (c) => c.notNull().references('admission_tokens.id').onDelete('cascade'))
      .addColumn('key_hash', 'text', (c) => c.notNull())
      .addColumn('device', 'text')
      .addColumn('created_at', instant, (c) => c.notNull())
      .addColumn('revoked_at', instant)
      .addUniqueConstraint('door_credentials_key', ['key_hash'] as never)
      .execute();
    await s.createIndex('door_credentials_token').on('door_credentials').column('token_id').execute();

    // Control points: a named device or scan user; optionally tied to one event.
    await withTimestamps(engine, tenantOwned(create('control_points')))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('event_id', 'integer', (c) => c.references('events.id').onDelete('cascade'))
      .addColumn('token_id', 'integer', (c) => c.references('admission_tokens.id').onDelete('set null'))
      .execute();
    await s.createIndex('control_points_organization').on('control_points').columns(['organization_id', 'id']).execute();

    // Scan-app settings: free-form JSON per account (account_id 0 = the organization's defaults).
    await s
      .createTable('scan_settings')
      .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('account_id', 'integer', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('updated_at', instant, (c) => c.notNull())
      .addPrimaryKeyConstraint('scan_settings_pk', ['organization_id', 'account_id'])
      .execute();

    // Every scan, admitted or not. `nonce_key` = "<device>:<nonce>", unique per organization: a
    // repeated nonce finds the first scan instead of counting twice.
    await tenantOwned(create('scans'))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('control_point_id', 'integer', (c) => c.references('control_points.id').onDelete('set null'))
      .addColumn('device', 'text')
      .addColumn('token_id', 'integer')
      .addColumn('credential_id', 'integer')
      .addColumn('nonce_key', 'text')
      .addColumn('offline', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('other_scan_id', 'integer')
      .addColumn('scanned_at', instant, (c) => c.notNull())
      .addColumn('received_at', instant, (c) => c.notNull())
      .addUniqueConstraint('scans_nonce', ['organization_id', 'nonce_key'] as never)
      .execute();
    await s.createIndex('scans_event').on('scans').columns(['organization_id', 'event_id', 'scanned_at']).execute();
    await s.createIndex('scans_ticket').on('scans').column('ticket_id').execute();

    // Two admissions of one ticket (offline devices): the earlier one won; both scans are kept.
    await tenantOwned(create('scan_conflicts'))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
      .addColumn('winning_scan_id', 'integer', (c) => c.notNull())
      .addColumn('losing_scan_id', 'integer', (c) => c.notNull())
      .addColumn('created_at', instant, (c) => c.notNull())
      .execute();
    await s.createIndex('scan_conflicts_event').on('scan_conflicts').columns(['organization_id', 'event_id']).execute();

    // The change log of door-relevant ticket state (issued, cancelled, transferred, admitted, exited),
    // written by triggers so every writer (selling, transfers, guests, the door) records it in its own
    // transaction. PostgreSQL: `txid` is the writing transaction (see core/door/changes.ts for why).
    let changes = s
      .createTable('door_changes')
      .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
      .addColumn('organization_id', 'integer', (c) => c.notNull())
      .addColumn('event_id', 'integer', (c) => c.notNull())
      .addColumn('ticket_id', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('changed_at', instant, (c) => c.notNull());
    changes = pg
      ? changes.addColumn('txid', sql`xid8`, (c) => c.notNull().defaultTo(sql`pg_current_xact_id()`))
      : changes.addColumn('txid', 'integer', (c) => c.notNull().defaultTo(0));
    await changes.execute();
    await s.createIndex('door_changes_event').on('door_changes').columns(['organization_id', 'event_id', 'txid', 'id']).execute();

    const kind = (n: string, o: string) => `CASE WHEN ${n}.version <> ${o}.version THEN 'transferred'
      WHEN ${n}.status <> ${o}.status THEN (CASE WHEN ${n}.status = 'valid' THEN 'issued' ELSE 'cancelled' END)
      WHEN ${n}.door_state = 'in' THEN 'admitted' WHEN ${n}.door_state = 'out' THEN 'exited' ELSE 'reset' END`;
    const distinct = pg ? 'IS DISTINCT FROM' : 'IS NOT';
    const changed = (n: string, o: string) =>
      `(${n}.status <> ${o}.status OR ${n}.version <> ${o}.version OR ${n}.door_state <> ${o}.door_state OR ${n}.admission_scan_id ${distinct} ${o}.admission_scan_id)`;
    if (pg) {
      // Statement-level triggers with transition tables: one multi-row insert per statement.
      await sql
        .raw(
          `CREATE FUNCTION door_record_ticket_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO door_changes (organization_id, event_id, ticket_id, kind, changed_at)
      SELECT n.organization_id, n.event_id, n.id, 'issued', n.updated_at FROM new_rows n WHERE n.status = 'valid';
  ELSE
    INSERT INTO door_changes (organization_id, event_id, ticket_id, kind, changed_at)
      SELECT n.organization_id, n.event_id, n.id, ${kind('n', 'o')}, n.updated_at
      FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE ${changed('n', 'o')};
  END IF;
  RETURN NULL;
END $$`,
        )
        .execute(db);
      await sql.raw(`CREATE TRIGGER tickets_door_insert AFTER INSERT ON tickets REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION door_record_ticket_changes()`).execute(db);
      await sql
        .raw(`CREATE TRIGGER tickets_door_update AFTER UPDATE ON tickets REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION door_record_ticket_changes()`)
        .execute(db);
    } else {
      // SQLite triggers run inside the writing statement: no round trip.
      await sql
        .raw(
          `CREATE TRIGGER tickets_door_insert AFTER INSERT ON tickets WHEN NEW.status = 'valid' BEGIN
  INSERT INTO door_changes (organization_id, event_id, ticket_id, kind, changed_at) VALUES (NEW.organization_id, NEW.event_id, NEW.id, 'issued', NEW.updated_at);
END`,
        )
        .execute(db);
      await sql
        .raw(
          `CREATE TRIGGER tickets_door_update AFTER UPDATE ON tickets WHEN ${changed('NEW', 'OLD')} BEGIN
  INSERT INTO door_changes (organization_id, event_id, ticket_id, kind, changed_at) VALUES (NEW.organization_id, NEW.event_id, NEW.id, ${kind('NEW', 'OLD')}, NEW.updated_at);
END`,
        )
        .execute(db);
    }
  },
};
