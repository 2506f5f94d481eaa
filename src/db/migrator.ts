import { sql } from 'kysely';
import type { Database, Db, Engine } from './database.ts';
import { isoNow } from './quirks.ts';
import { migrations } from './migrations/index.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: Db, engine: Engine): Promise<void>;
}

// Any constant shared by every Guichet process: the key of the advisory lock that serializes migrations.
const MIGRATION_LOCK_KEY = 0x6775_6963;

/**
 * Applies pending migrations in one transaction that holds the migration lock, so several
 * processes starting at once on one database apply each migration exactly once
 * (PostgreSQL: transaction-scoped advisory lock; SQLite: BEGIN IMMEDIATE is already exclusive).
 * Kysely's own Migrator takes no lock on SQLite, hence this small one.
 */
export async function migrate(database: Database): Promise<{ applied: string[] }> {
  return database.transaction(async (trx) => {
    if (database.engine === 'postgres') await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
    await trx.schema
      .createTable('schema_migrations')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', database.engine === 'postgres' ? 'timestamptz' : 'text', (c) => c.notNull())
      .execute();
    const done = new Set((await trx.selectFrom('schema_migrations').select('version').execute()).map((r) => r.version));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await migration.up(trx, database.engine);
      await trx
        .insertInto('schema_migrations')
        .values({ version: migration.version, name: migration.name, applied_at: isoNow() })
        .execute();
      applied.push(`${migration.version}_${migration.name}`);
    }
    return { applied };
  });
}
