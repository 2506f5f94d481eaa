import type { SelectQueryBuilder } from 'kysely';
import { toCount } from './quirks.ts';

/**
 * One page of a filtered query plus the total number of matches (for X-Total and friends):
 * `select` adds the selection and order to the filtered query for the rows; the count reuses the filter.
 */
export async function paged<DB, TB extends keyof DB, O>(
  filtered: SelectQueryBuilder<DB, TB, object>,
  window: { limit: number; offset: number },
  select: (query: SelectQueryBuilder<DB, TB, object>) => SelectQueryBuilder<DB, TB, O>,
): Promise<{ rows: O[]; total: number }> {
  const [rows, total] = await Promise.all([
    select(filtered).limit(window.limit).offset(window.offset).execute(),
    filtered.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as O[], total: toCount((total as { n: number | string }).n) };
}
