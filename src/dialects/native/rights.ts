import type { Right } from '../../core/identity/roles.ts';

/**
 * The right each native route needs from a member (core/identity/roles.ts decides who has it).
 * A route may name its right in `config.right`; otherwise the first rule matching its method and
 * path (as registered, with `:params`, without the `/api` prefix) applies. A route no rule covers
 * needs `members` (owners only): new routes are closed to other roles until someone decides, and
 * test/dialects/native/roles.test.ts lists them.
 */
type Rule = [methods: string, path: RegExp, right: Right];

const READ = 'GET|HEAD';
const WRITE = 'POST|PUT|PATCH|DELETE';
const ANY = 'GET|HEAD|POST|PUT|PATCH|DELETE';

export const ROUTE_RIGHTS: readonly Rule[] = [
  // Signing in, one's own account, the public catalog and reference data: everyone.
  [ANY, /^\/auth\//, 'any'],
  [ANY, /^\/users\/password_resets/, 'any'],
  [READ, /^\/users$/, 'members'],
  [ANY, /^\/users(\/|$)/, 'any'], // self, or admins of managed accounts (core), roles need `members` (core)
  [READ, /^\/(countries|currencies)(\/|$)/, 'any'],
  [READ, /^\/organization(\/public_key)?$/, 'any'],
  [WRITE, /^\/organization$/, 'access'],
  [ANY, /^\/(oauth_clients|api_keys|partner_keys|partner_users)(\/|$)/, 'access'],

  // Door: scanning and its reads for door staff; its set-up for managers.
  [ANY, /^\/door\/sessions/, 'any'],
  [ANY, /^\/events\/:id\/admission_tokens/, 'door_setup'],
  [READ, /^\/(control_points|scan_settings)(\/|$)/, 'door'],
  [WRITE, /^\/(control_points|scan_settings)(\/|$)/, 'door_setup'],
  [ANY, /^\/(scans|door)(\/|$)/, 'door'],
  [READ, /^\/events\/:id\/door_statistics$/, 'door'],

  // Reporting.
  [ANY, /^\/events\/:id\/(ticket_counts|capacities$|promotion_costs)/, 'reporting'],
  [ANY, /^\/(promotions|promotion_types|reports|exports|jobs|dashboard)(\/|$)/, 'reporting'],

  // Delivery (outbox, webhooks) is configured like the other integrations; seat maps are catalog.
  [ANY, /^\/(outbox|webhooks)(\/|$)/, 'access'],
  [READ, /^\/(seat_maps|maps|seats)(\/|$)/, 'any'],
  [WRITE, /^\/(seat_maps|maps|seats)(\/|$)/, 'catalog'],

  // Selling tools.
  [ANY, /^\/(codes|guests|holds)(\/|$)/, 'selling'],

  // Orders: buyers see their own through the same routes (scopes decide); refunds and sale details are staff's.
  [ANY, /^\/orders\/:id\/refunds$/, 'orders'],
  [ANY, /^\/sale_details(\/|$)/, 'orders'],
  [ANY, /^\/(carts|orders|tickets|transfers)(\/|$)/, 'any'],

  // The catalog: read by everyone (the public sees listed events only), written by managers.
  [READ, /^\/(events|venues|regions|categories|series|interfaces)(\/|$)/, 'any'],
  [WRITE, /^\/(events|venues|regions|categories|series|interfaces)(\/|$)/, 'catalog'],
];

/** The right a route needs: its own `config.right`, else the first matching rule, else `members`. */
export function rightOfRoute(method: string, path: string): { right: Right; matched: boolean } {
  const bare = path.replace(/^\/api/, '');
  for (const [methods, pattern, right] of ROUTE_RIGHTS) {
    if (methods.split('|').includes(method) && pattern.test(bare)) return { right, matched: true };
  }
  return { right: 'members', matched: false };
}
