import http from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DomainError } from '../../core/errors.ts';
import type { Paged } from '../../core/pagination.ts';
import { HTTP_STATUS } from '../../http/errors.ts';

/** The HAL and problem+json wire format of the Pims API (P1 `info.description`). */

export const HAL = 'application/hal+json';
export const PROBLEM = 'application/problem+json';

type Json = unknown;
export type Resource = { [key: string]: unknown };

/** Lists of plain values, which stay in place (every other list holds objects, embedded even when empty). */
const SCALAR_LISTS = new Set(['alternative_labels']);

const isObject = (v: unknown): v is Resource => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Pims documents its bodies "as if plain JSON"; on the wire every nested object (and list of
 * objects) moves into `_embedded`, recursively. Resources carry their own `_links.self`.
 */
export function halify(resource: Resource): Resource {
  const out: Resource = {};
  const embedded: Record<string, Json> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (value === undefined) continue;
    if (key === '_links' || key === '_embedded') out[key] = value;
    else if (isObject(value)) embedded[key] = halify(value);
    else if (Array.isArray(value) && !SCALAR_LISTS.has(key) && value.every(isObject)) embedded[key] = value.map((v) => halify(v as Resource) as Json);
    else out[key] = value;
  }
  if (Object.keys(embedded).length > 0) out._embedded = { ...((out._embedded as Record<string, Json>) ?? {}), ...embedded };
  return out;
}

export const link = (href: string) => ({ self: { href } });

/** The absolute URL of this API mount as the client called it (with the organization and version it used). */
export function baseUrl(request: FastifyRequest, prefix: string): string {
  const organization = (request.params as Record<string, string> | undefined)?.organization ?? '';
  return `${request.protocol}://${request.host}${prefix.replace(':organization', encodeURIComponent(organization))}`;
}

export interface Paging { page: number; pageSize: number }

/** A collection page: items under `_embedded.<name>`, links a client can follow to the end. */
export function collection(request: FastifyRequest, base: string, name: string, paging: Paging, result: Paged<Resource>): Resource {
  const pageCount = Math.ceil(result.total / paging.pageSize);
  const path = request.url.split('?')[0];
  const origin = base.slice(0, base.indexOf('/', base.indexOf('//') + 2));
  const query = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
  const at = (page: number | null) => {
    const q = new URLSearchParams(query);
    q.delete('page');
    if (page !== null) q.set('page', String(page));
    const s = q.toString();
    return { href: `${origin}${path}${s ? `?${s}` : ''}` };
  };
  const links: Record<string, Json> = { self: at(paging.page), first: at(null), last: at(Math.max(1, pageCount)) };
  if (paging.page < pageCount) links.next = at(paging.page + 1);
  if (paging.page > 1) links.prev = at(Math.min(paging.page - 1, Math.max(1, pageCount)));
  return {
    _links: links,
    _embedded: { [name]: result.items.map((item) => halify(item) as Json) },
    page_count: pageCount,
    page_size: paging.pageSize,
    total_items: result.total,
    page: paging.page,
  };
}

export function sendHal(reply: FastifyReply, body: Resource, status = 200) {
  return reply.status(status).type(`${HAL}; charset=utf-8`).send(JSON.stringify(body));
}

/** Errors as RFC 7807 problems, with the details Pims gives for 401, 403 and 404. */
export function sendProblem(reply: FastifyReply, error: DomainError) {
  const status = HTTP_STATUS[error.code];
  const detail =
    status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 404 ? 'Entity not found.' : error.message;
  if (status === 401) reply.header('WWW-Authenticate', 'Basic realm="Pims API", charset="UTF-8"');
  return reply
    .status(status)
    .type(`${PROBLEM}; charset=utf-8`)
    .send(JSON.stringify({ type: 'https://tools.ietf.org/html/rfc2616#section-10', title: http.STATUS_CODES[status] ?? 'Error', status, detail }));
}
