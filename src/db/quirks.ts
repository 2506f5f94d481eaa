/**
 * The few differences between the engines' answers, hidden here once (DESIGN §2).
 */

/** Instants are written as fixed-width ISO-8601 UTC strings on both engines. */
export function isoNow(clock: () => Date = () => new Date()): string {
  return clock().toISOString();
}

// What Date#toISOString writes, as SQLite stores every instant (years 0000–9999).
const CANONICAL_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Reads an instant column: PostgreSQL gives a Date, SQLite the ISO string we wrote. */
export function toIso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  // Already canonical (SQLite returns what we wrote): parsing and formatting again costs ≈ 1 µs a field.
  return CANONICAL_INSTANT.test(value) ? value : new Date(value).toISOString();
}

export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toFlag(value: boolean): number {
  return value ? 1 : 0;
}

export function fromFlag(value: number | boolean | null | undefined): boolean {
  return value === true || value === 1;
}

/** Counts come back as numbers or (bigint columns on PG) numeric strings. */
export function toCount(value: number | string | bigint | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

export function parseJsonList(value: string | null | undefined): string[] {
  if (!value) return [];
  const parsed = JSON.parse(value);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** Whether a database error is a unique-constraint violation, on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return e?.code === '23503' || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
