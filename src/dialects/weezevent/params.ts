import { invalid } from '../../core/errors.ts';

/**
 * Weezevent is a PHP service, and its clients send parameters the way their own language prints
 * them: Python's `True`, JavaScript's `true`, PHP's `1`, form checkboxes' `on`. The dialect reads
 * them as PHP's `filter_var(…, FILTER_VALIDATE_BOOLEAN)` does, once, at its edge, so every method
 * sees the same plain `1`/`0` whatever the client wrote.
 */

const TRUE = new Set(['1', 'true', 'on', 'yes']);
const FALSE = new Set(['0', 'false', 'off', 'no', '']);

/** Every flag a Weezevent method reads. */
export const FLAGS = new Set([
  'include_not_published', 'include_closed', 'include_without_sales', 'display_passed',
  'include_deleted', 'include_unpaid', 'moderation', 'full', 'minimized', 'return_count', 'return_count_total', 'return_removed',
]);

/** Every list a Weezevent method reads (`x[]=1&x[]=2`, `x=1&x=2` or `x=1,2`); `date_ticket` is a map of such lists. */
export const LISTS = new Set(['id_event', 'id_ticket', 'transaction_reference']);
const LIST_MAPS = new Set(['date_ticket']);

/** One flag: true/false in any case, 1/0, on/off, yes/no, empty for false; anything else is a 400 naming it. */
export function phpFlag(name: string, value: unknown): boolean {
  // A flag sent twice (`full=0&full=1`) is read as PHP reads it: the last one wins.
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  const text = typeof last === 'string' ? last.trim().toLowerCase() : undefined;
  if (text !== undefined && TRUE.has(text)) return true;
  if (text !== undefined && FALSE.has(text)) return false;
  throw invalid(name, 'must be a flag: 1/0, true/false, on/off, yes/no (or empty for false)');
}

/** One list: the values of every spelling, comma lists split, empty items dropped. */
export function phpList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => (typeof item === 'string' ? item.split(',') : [item])).map((item) => (typeof item === 'string' ? item.trim() : item)).filter((item) => item !== '') as string[];
}

/**
 * The query (or form body) with its flags as `1`/`0` and its lists as lists, ready for the
 * methods' schemas. Parameters the dialect does not know are left as they are (and ignored).
 */
export function normalizeParameters(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params };
  for (const [name, value] of Object.entries(params)) {
    if (FLAGS.has(name)) out[name] = phpFlag(name, value) ? '1' : '0';
    else if (LISTS.has(name)) out[name] = phpList(value);
    else if (LIST_MAPS.has(name) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[name] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, list]) => [key, phpList(list)]));
    }
  }
  return out;
}
