import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from './database.ts';
import type { Tables } from './tables.ts';
import { paged } from './paging.ts';

/** A window on a list (core/pagination.ts has the same shape). */
type Page = { limit: number; offset: number };

/** Tables owned by one organization (they have an `organization_id` and an `id`): every query on them is filtered by the organization. */
export type TenantTable = { [K in keyof Tables]: Tables[K] extends { organization_id: number; id: unknown } ? K : never }[keyof Tables];
/** Platform-wide tables with an id. */
export type PlatformTable = 'regions' | 'event_categories';

export interface ListOptions<T extends keyof Tables> {
  /** Equality filters on columns. */
  where?: Partial<Record<keyof Tables[T] & string, string | number | null>>;
  orderBy?: (keyof Tables[T] & string)[];
}

// Kysely's types cannot follow a table name chosen at run time; the casts below stay inside these two helpers.
/* eslint-disable @typescript-eslint/no-explicit-any */

function ordered(query: any, columns: string[] = ['id']) {
  for (const column of columns) query = query.orderBy(column);
  return query;
}

/** Equality filters (undefined = no filter, null = IS NULL), then one page in the given order. */
function listPage(query: any, page: Page, options: ListOptions<any>) {
  for (const [column, value] of Object.entries(options.where ?? {})) {
    if (value !== undefined) query = value === null ? query.where(column, 'is', null) : query.where(column, '=', value);
  }
  return paged(query, page, (q: any) => ordered(q.selectAll(), options.orderBy));
}

/**
 * Generic reads and writes for one tenant-owned table. The organization is a required argument of
 * every call, so no query on these tables can forget the tenant.
 */
export function tenantTable<T extends TenantTable>(table: T) {
  type Row = Selectable<Tables[T]>;
  const scoped = (db: Db, organizationId: number) => (db as any).selectFrom(table).where('organization_id', '=', organizationId);
  return {
    async get(db: Db, organizationId: number, id: number): Promise<Row | undefined> {
      return scoped(db, organizationId).selectAll().where('id', '=', id).executeTakeFirst();
    },
    async list(db: Db, organizationId: number, page: Page, options: ListOptions<T> = {}): Promise<{ rows: Row[]; total: number }> {
      return listPage(scoped(db, organizationId), page, options) as Promise<{ rows: Row[]; total: number }>;
    },
    async all(db: Db, organizationId: number, where: ListOptions<T>['where'] = {}): Promise<Row[]> {
      let query = scoped(db, organizationId);
      for (const [column, value] of Object.entries(where)) query = query.where(column, '=', value);
      return query.selectAll().orderBy('id').execute();
    },
    async insert(db: Db, values: Insertable<Tables[T]>): Promise<Row> {
      return (db as any).insertInto(table).values(values).returningAll().executeTakeFirstOrThrow();
    },
    async update(db: Db, organizationId: number, id: number, values: Updateable<Tables[T]>): Promise<Row | undefined> {
      return (db as any)
        .updateTable(table)
        .set(values)
        .where('organization_id', '=', organizationId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },
    async remove(db: Db, organizationId: number, id: number): Promise<boolean> {
      const result = await (db as any).deleteFrom(table).where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

/** Generic reads and writes for a platform-wide table. */
export function platformTable<T extends PlatformTable>(table: T) {
  type Row = Selectable<Tables[T]>;
  return {
    async get(db: Db, id: number): Promise<Row | undefined> {
      return (db as any).selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
    },
    async list(db: Db, page: Page, options: ListOptions<T> = {}): Promise<{ rows: Row[]; total: number }> {
      return listPage((db as any).selectFrom(table), page, options) as Promise<{ rows: Row[]; total: number }>;
    },
    async insert(db: Db, values: Insertable<Tables[T]>): Promise<Row> {
      return (db as any).insertInto(table).values(values).returningAll().executeTakeFirstOrThrow();
    },
    async update(db: Db, id: number, values: Updateable<Tables[T]>): Promise<Row | undefined> {
      return (db as any).updateTable(table).set(values).where('id', '=', id).returningAll().executeTakeFirst();
    },
    async remove(db: Db, id: number): Promise<boolean> {
      const result = await (db as any).deleteFrom(table).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

