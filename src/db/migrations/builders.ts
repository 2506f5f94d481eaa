import type { CreateTableBuilder, ColumnDataType } from 'kysely';
import type { Engine } from '../database.ts';

/** Column types that differ between the engines, named once. */
export function columnTypes(engine: Engine) {
  const pg = engine === 'postgres';
  return {
    instant: (pg ? 'timestamptz' : 'text') as ColumnDataType,
    real: (pg ? 'double precision' : 'real') as ColumnDataType,
  };
}

export type Builder = CreateTableBuilder<string, never>;

export function withId(engine: Engine, table: Builder): Builder {
  return table.addColumn('id', 'integer', (c) =>
    engine === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
  );
}

export function withTimestamps(engine: Engine, table: Builder): Builder {
  const { instant } = columnTypes(engine);
  return table
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('updated_at', instant, (c) => c.notNull());
}

export function tenantOwned(table: Builder): Builder {
  return table.addColumn('organization_id', 'integer', (c) =>
    c.notNull().references('organizations.id').onDelete('cascade'),
  );
}

