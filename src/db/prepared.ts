import type { Compilable, CompiledQuery, Insertable, Kysely, QueryResult, Selectable } from 'kysely';
import type { Db } from './database.ts';
import type { Tables } from './tables.ts';

/**
 * A hot statement (on-sale, door), built with Kysely once and run many times: building and compiling
 * a Kysely query costs ≈ 20–50 µs, as much as SQLite takes to run it. `build` is ordinary Kysely code
 * written with the placeholders of `p`; it is compiled once per database (engine), and each run only
 * puts the call's values in the placeholders' places. Values the builder writes literally stay.
 *
 *   const cartById = prepared((db, p: { id: number }) => db.selectFrom('carts').selectAll().where('id', '=', p.id));
 *   const { rows } = await cartById(db, { id: 42 });
 *
 * A placeholder is one bound parameter: it cannot stand for a list (`in`) or an identifier. A value
 * left undefined is bound as NULL.
 */
export function prepared<A extends Record<string, unknown>, R>(build: (db: Db, p: A) => Compilable<R>) {
  const MARK = '\u0000guichet:';
  const placeholders = new Proxy({}, { get: (_, key) => `${MARK}${String(key)}` }) as A;
  // Keyed by the database's adapter: a transaction shares its database's adapter, and each engine compiles differently.
  const byAdapter = new WeakMap<object, { query: CompiledQuery<R>; slots: { key?: string; value?: unknown }[] }>();
  return (db: Db, args: A): Promise<QueryResult<R>> => {
    const adapter = db.getExecutor().adapter;
    let compiled = byAdapter.get(adapter);
    if (!compiled) {
      const query = build(db, placeholders).compile();
      const slots = query.parameters.map((value) => (typeof value === 'string' && value.startsWith(MARK) ? { key: value.slice(MARK.length) } : { value }));
      byAdapter.set(adapter, (compiled = { query, slots }));
    }
    const parameters = compiled.slots.map((slot) => (slot.key === undefined ? slot.value : (args[slot.key] ?? null)));
    return db.executeQuery<R>({ ...compiled.query, parameters });
  };
}

/**
 * A hot statement over a variable number of rows (a multi-row insert, an update of n ids): one
 * prepared statement per row count, built on first use. Row r's placeholders are named `<name>.<r>`.
 */
export function preparedPerRowCount<R>(build: (db: Db, p: Record<string, unknown>, rows: number) => Compilable<R>) {
  const byCount = new Map<number, (db: Db, args: Record<string, unknown>) => Promise<QueryResult<R>>>();
  return (rows: number) => {
    let statement = byCount.get(rows);
    if (!statement) byCount.set(rows, (statement = prepared((db, p: Record<string, unknown>) => build(db, p, rows))));
    return statement;
  };
}

/** The values of an INSERT row whose columns all take placeholders (`suffix` tells the rows of a multi-row insert apart). */
export function placeholderRow<C extends string>(p: Record<string, unknown>, columns: readonly C[], suffix = ''): Record<C, unknown> {
  return Object.fromEntries(columns.map((column) => [column, p[`${column}${suffix}`]])) as Record<C, unknown>;
}

/** Rows changed by an INSERT, UPDATE or DELETE without RETURNING. */
export const changedRows = (result: QueryResult<unknown>) => Number(result.numAffectedRows ?? 0);

/**
 * A prepared INSERT … RETURNING * of one row into a fixed list of columns; columns not listed take
 * their defaults, listed ones the values leave out are NULL.
 */
export function preparedInsert<T extends keyof Tables>(table: T, columns: readonly (keyof Insertable<Tables[T]> & string)[]) {
  // Kysely's types cannot follow a table chosen at run time; the columns are checked against the table above.
  const insert = prepared<Record<string, unknown>, Selectable<Tables[T]>>((db, p) =>
    (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
      .insertInto(table)
      .values(placeholderRow(p, columns))
      .returningAll() as unknown as Compilable<Selectable<Tables[T]>>,
  );
  return async (db: Db, values: Insertable<Tables[T]>): Promise<Selectable<Tables[T]>> => (await insert(db, values as Record<string, unknown>)).rows[0];
}
