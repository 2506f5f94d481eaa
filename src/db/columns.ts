/**
 * Maps the fields a caller gave (camelCase domain input) to table columns, skipping absent ones:
 * the shape of every partial update. A mapping entry is a column name, or [column, convert] where
 * `convert` turns a non-null value into its stored form (null stays null).
 */
export type ColumnMapping<I> = { [K in keyof I]?: string | [string, (value: NonNullable<I[K]>) => unknown] };

export function columnsOf<I extends object>(input: Partial<I>, mapping: ColumnMapping<I>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, target] of Object.entries(mapping) as [keyof I & string, string | [string, (v: unknown) => unknown]][]) {
    const value = input[key];
    if (value === undefined) continue;
    const [column, convert] = typeof target === 'string' ? [target, null] : target;
    out[column] = value === null || !convert ? value : convert(value);
  }
  return out;
}

export const upper = (value: string) => value.toUpperCase();
