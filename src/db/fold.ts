/**
 * Case- and accent-insensitive text comparison on both engines ("chloe" finds "Chloé"), the way
 * utf8_unicode_ci compares. One mapping, used three ways: `foldText` in JavaScript (for the value
 * searched for), the SQLite function `guichet_fold` (registered on every connection, see
 * database.ts) and the PostgreSQL function `guichet_fold` (created by migration 007 as
 * `translate(lower(x), FROM, TO)`), so that both engines fold exactly alike.
 */

function buildMap(): Map<string, string> {
  const map = new Map<string, string>();
  // Latin-1 Supplement, Latin Extended-A and B: letters whose decomposition is one ASCII letter plus marks.
  for (let code = 0xc0; code <= 0x24f; code++) {
    const ch = String.fromCodePoint(code);
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    if (/^[a-z]$/.test(base)) map.set(ch, base);
  }
  // Letters with a stroke do not decompose.
  for (const [from, to] of [['ø', 'o'], ['Ø', 'o'], ['đ', 'd'], ['Đ', 'd'], ['ł', 'l'], ['Ł', 'l'], ['ħ', 'h'], ['Ħ', 'h'], ['ı', 'i']] as const) map.set(from, to);
  for (let code = 0x41; code <= 0x5a; code++) map.set(String.fromCharCode(code), String.fromCharCode(code + 32));
  return map;
}

const FOLD = buildMap();

/** The two strings of PostgreSQL's `translate(lower(x), from, to)`. */
export const FOLD_FROM = [...FOLD.keys()].join('');
export const FOLD_TO = [...FOLD.values()].join('');

/** Lowercase, accents removed (the same result as the SQL function `guichet_fold`). */
export function foldText(value: string | null): string | null {
  if (value === null) return null;
  let out = '';
  for (const ch of value.toLowerCase()) out += FOLD.get(ch) ?? ch;
  return out;
}

/** A LIKE pattern that finds `needle` anywhere, with LIKE's wildcards taken literally (ESCAPE '\'). */
export function containsPattern(needle: string): string {
  return `%${foldText(needle)!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
