import type { FastifyReply } from 'fastify';
import type { Paged } from '../../core/pagination.ts';

/**
 * The native API speaks snake_case; core speaks camelCase. These two converters sit at the edge
 * so that neither side spells the other's names by hand.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the wire shape is checked by the response schema
export function snakeKeys(value: unknown, renames: Record<string, string> = WIRE_NAMES): any {
  if (Array.isArray(value)) return value.map((v) => snakeKeys(v, renames));
  if (value === null || typeof value !== 'object' || value instanceof Date || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[renames[key] ?? snakeName(key)] = snakeKeys((value as Record<string, unknown>)[key], renames);
  return out;
}

// Every answer converts the same few hundred names: each is converted once (bounded: free-form maps
// in bodies, such as door settings, could otherwise grow the caches without end).
function cachedNames(convert: (key: string) => string) {
  const names = new Map<string, string>();
  return (key: string) => {
    let name = names.get(key);
    if (name === undefined) {
      name = convert(key);
      if (names.size < 10_000) names.set(key, name);
    }
    return name;
  };
}
const snakeName = cachedNames((key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
const camelName = cachedNames((key) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()));

/**
 * Core names the native API spells differently: a sales channel is an "interface" and an account a
 * "user" in the Ticketing API's vocabulary.
 */
const WIRE_NAMES: Record<string, string> = {
  channelId: 'interface_id',
  channelIds: 'interface_ids',
  accountId: 'user_id',
  holderAccountId: 'holder_user_id',
  senderAccountId: 'sender_user_id',
  recipientAccountId: 'recipient_user_id',
};
const CORE_NAMES: Record<string, string> = Object.fromEntries(Object.entries(WIRE_NAMES).map(([core, wire]) => [wire, core]));

export function camelKeys<T = Record<string, unknown>>(value: unknown): T {
  if (Array.isArray(value)) return value.map((v) => camelKeys(v)) as T;
  if (value === null || typeof value !== 'object') return value as T;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[CORE_NAMES[key] ?? camelName(key)] = camelKeys(v);
  return out as T;
}

/** Native paging: `page` from 1, `per_page` 10 by default, at most 100. */
export interface PageQuery {
  page?: number;
  per_page?: number;
}

export function pageFrom(query: PageQuery) {
  const page = query.page ?? 1;
  const perPage = query.per_page ?? 10;
  return { page, perPage, window: { limit: perPage, offset: (page - 1) * perPage } };
}

/** A collection body keyed by its plural root, with the paging headers. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the wire shape is checked by the response schema
export function sendList<T>(reply: FastifyReply, root: string, paging: ReturnType<typeof pageFrom>, result: Paged<T>, present: (item: T) => unknown = snakeKeys): any {
  reply.header('X-Page', paging.page).header('X-Per-Page', paging.perPage).header('X-Total', result.total);
  return { [root]: result.items.map((item) => present(item)) };
}

/** 204 with an empty body (DELETE and other answers without content). */
export function noContent(reply: unknown) {
  return (reply as FastifyReply).code(204).send();
}
