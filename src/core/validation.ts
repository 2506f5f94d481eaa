/** Small value checks shared by the core services. */

/** A real calendar date as YYYY-MM-DD: 2027-02-30 and year 0000 (which PostgreSQL refuses) are not. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value.startsWith('0000')) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** An instant given by a client: ISO 8601 with a time zone designator. Returns the normalized UTC string. */
export function parseInstant(value: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.exec(value);
  // A real date and time of day: no rolling 2027-02-30 over into March, no year 0000.
  if (!match || !isCalendarDate(match[1]) || Number(match[2]) > 23 || Number(match[3]) > 59 || Number(match[5] ?? 0) > 59) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A plausible e-mail address (the only proof of an address is a message that arrives). */
export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}
