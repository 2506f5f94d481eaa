import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/index.ts';
import { DomainError, type ErrorCode } from '../../core/errors.ts';
import type { Principal } from '../../core/identity/principal.ts';
import { HTTP_STATUS, toDomainError } from '../../http/errors.ts';
import { weezeventRoutes } from './routes.ts';
import { normalizeParameters } from './params.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller of a Weezevent request (api_key + access_token); null on public routes. */
    partner: Principal | null;
  }
  interface FastifyContextConfig {
    /** Weezevent routes that take neither api_key nor access_token. */
    weezeventPublic?: boolean;
  }
}

/** Weezevent answers validation problems with 400, the other errors with the platform's statuses. */
const STATUS: Partial<Record<ErrorCode, number>> = { VALIDATION_FAILED: 400, INVALID_CREDENTIALS: 401 };

export function renderWeezeventError(reply: FastifyReply, error: DomainError) {
  return reply
    .status(STATUS[error.code] ?? HTTP_STATUS[error.code])
    .type('application/json; charset=utf-8')
    .send({ error: { message: error.message } });
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_PARAMETERS = 2000;

/**
 * PHP-style query strings, as every Weezevent client sends them: `id_event[]=1&id_event[]=2` is a
 * list, `date_ticket[138][]=44272` a map of lists (keys stay keys, even numeric ones), a repeated
 * plain `x=1&x=2` a list too. Two bracket levels at most; anything deeper is refused by the schemas.
 */
export function parsePhpQuery(url: string): Record<string, unknown> {
  const at = url.indexOf('?');
  const out: Record<string, unknown> = {};
  if (at < 0) return out;
  let count = 0;
  for (const [rawKey, value] of new URLSearchParams(url.slice(at + 1))) {
    if (++count > MAX_PARAMETERS) throw new DomainError('BAD_REQUEST', `At most ${MAX_PARAMETERS} query parameters`);
    const match = /^([^[\]]+)((?:\[[^[\]]*\]){0,2})$/.exec(rawKey);
    const name = match ? match[1] : rawKey;
    const path = match ? [...match[2].matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]) : [];
    if (UNSAFE_KEYS.has(name) || path.some((k) => UNSAFE_KEYS.has(k))) continue;
    let holder: Record<string, unknown> = out;
    let key = name;
    for (const segment of path) {
      if (segment === '') {
        // `x[]`: append to the list at `key`.
        const current = holder[key];
        holder[key] = Array.isArray(current) ? [...current, value] : current === undefined ? [value] : [current, value];
        key = '';
        break;
      }
      const next = holder[key];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) holder[key] = {};
      holder = holder[key] as Record<string, unknown>;
      key = segment;
    }
    if (key === '') continue;
    const current = holder[key];
    holder[key] = current === undefined ? value : Array.isArray(current) ? [...current, value] : typeof current === 'string' ? [current, value] : value;
  }
  return out;
}

function credential(request: FastifyRequest, name: 'api_key' | 'access_token'): string | undefined {
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.[name];
  const fromBody = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>)[name] : undefined;
  const value = fromQuery ?? fromBody;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The Weezevent API (api.weezevent.com), served from Guichet's data under `/weezevent` and its
 * `/weezevent/api/v2` prefix. Existing integrations change only their base URL and keys.
 */
export async function weezeventApi(app: FastifyInstance, { core }: { core: Core }) {
  app.decorateRequest('partner', null);

  app.setErrorHandler((error, request, reply) => {
    const domain = toDomainError(error);
    if (domain) return renderWeezeventError(reply, domain);
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send({ error: { message: 'Something went wrong on our side' } });
  });
  app.setNotFoundHandler((request, reply) => renderWeezeventError(reply, new DomainError('NOT_FOUND', `Unknown method ${request.method} ${request.url.split('?')[0]}`)));

  // Re-read the query string the PHP way (arrays, flags in every spelling: params.ts), then authenticate by api_key + access_token (query string,
  // or form body for the POST methods that clients send that way).
  app.addHook('preValidation', async (request) => {
    request.query = normalizeParameters(parsePhpQuery(request.url));
    if (request.routeOptions.config?.weezeventPublic) return;
    const apiKey = credential(request, 'api_key');
    const accessToken = credential(request, 'access_token');
    if (!apiKey) throw new DomainError('UNAUTHENTICATED', 'api_key is required');
    if (!accessToken) throw new DomainError('UNAUTHENTICATED', 'access_token is required');
    request.partner = await core.partnerAccess.authenticate(apiKey, accessToken);
    if (!request.partner) throw new DomainError('UNAUTHENTICATED', 'Invalid api_key or access_token');
  });

  await app.register(weezeventRoutes, { core });
  await app.register(weezeventRoutes, { core, prefix: '/api/v2' });
}
