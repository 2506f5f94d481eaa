import { CompiledQuery, type Compilable, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Db } from './database.ts';
import type { Tables } from './tables.ts';

/**
 * A query built with Kysely once and run many times: for the hot paths (on-sale, door), where
 * building a query (≈ 20–50 µs) costs as much as SQLite running it. The builder receives `p(i)`,
 * a stand-in for the i-th argument; it is compiled once per database (engine), and each run only
 * puts the arguments in the stand-ins' places. Values the builder writes literally stay as they are.
 *
 *   const cartById = prepared((db, p) => db.selectFrom('carts').selectAll().where('id', '=', p(0)));
 *   const cart = await cartById.first(db, 42);
 *
 * A stand-in is one bound parameter, so it cannot stand for a list (`in` lists) or an identifier.
 */
class Slot {
  constructor(readonly index: number) {}
}

interface Compiled {
  sql: string;
  /** For each bound parameter: the argument it takes, or the literal value the builder gave. */
  parameters: (Slot | unknown)[];
}

// `any`: a stand-in must fit wherever a value of any column type is expected.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Stand = (index: number) => any;

export function prepared<Row>(build: (db: Db, p: Stand) => Compilable<Row>) {
  // Keyed by the database's adapter: a transaction shares its database's adapter, and each engine compiles differently.
  const compiled = new WeakMap<object, Compiled>();
  const p: Stand = (index) => new Slot(index);

  function compiledFor(db: Db): Compiled {
    const adapter = db.getExecutor().adapter;
    let entry = compiled.get(adapter);
    if (!entry) {
      const query = build(db, p).compile();
      entry = { sql: query.sql, parameters: [...query.parameters] };
      compiled.set(adapter, entry);
    }
    return entry;
  }

  async function run(db: Db, args: unknown[]) {
    const { sql, parameters } = compiledFor(db);
    const values = parameters.map((value) => (value instanceof Slot ? args[value.index] : value));
    return db.executeQuery<Row>(CompiledQuery.raw(sql, values));
  }

  return {
    async all(db: Db, ...args: unknown[]): Promise<Row[]> {
      return (await run(db, args)).rows;
    },
    async first(db: Db, ...args: unknown[]): Promise<Row | undefined> {
      return (await run(db, args)).rows[0];
    },
    /** Rows changed by an insert, update or delete without RETURNING. */
    async changed(db: Db, ...args: unknown[]): Promise<number> {
      return Number((await run(db, args)).numAffectedRows ?? 0);
    },
  };
}

/**
 * A prepared single-row INSERT … RETURNING * for a fixed list of columns; a column the values leave
 * out is inserted as NULL (give every column that has a default other than NULL).
 */
export function preparedInsert<T extends keyof Tables>(table: T, columns: readonly (keyof Insertable<Tables[T]> & string)[]) {
  // Kysely's types cannot follow a table chosen at run time; the columns are checked against the table above.
  const query = prepared<Selectable<Tables[T]>>((db, p) =>
    (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
      .insertInto(table)
      .values(Object.fromEntries(columns.map((column, i) => [column, p(i)])))
      .returningAll() as unknown as Compilable<Selectable<Tables[T]>>,
  );
  return async (db: Db, values: Insertable<Tables[T]>): Promise<Selectable<Tables[T]>> => {
    const row = await query.first(db, ...columns.map((column) => (values as Record<string, unknown>)[column] ?? null));
    return row!;
  };
}
