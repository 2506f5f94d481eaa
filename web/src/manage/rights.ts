import { API_RIGHTS } from '../shared/api-rights.ts';
import type { Right } from './context.tsx';

type Routes = typeof API_RIGHTS;
/** A call of the native API, named as the typed client names it: method and path. */
export type Call = { [P in keyof Routes]: [method: keyof Routes[P] & string, path: P] }[keyof Routes];

/**
 * The rights a member needs to make every one of these calls, read from the server's own table
 * (each operation's x-guichet-right, generated into api-rights.ts): a page that lists the calls it
 * makes then requires exactly what the server checks, and offers nothing the server would refuse.
 */
export function rightsFor(...calls: Call[]): Right[] {
  return [...new Set(calls.map(([method, path]) => (API_RIGHTS[path] as unknown as Record<string, Right>)[method]))];
}
