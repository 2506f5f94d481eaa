import qs from 'qs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/index.ts';
import { DomainError, type ErrorCode } from '../../core/errors.ts';
import type { Principal } from '../../core/identity/principal.ts';
import { HTTP_STATUS, toDomainError } from '../../http/errors.ts';
import { weezeventRoutes } from './routes.ts';

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

/** PHP-style query strings: `id_event[]=1&id_event[]=2`, `date_ticket[138][]=44272`. */
export function parsePhpQuery(url: string): Record<string, unknown> {
  const at = url.indexOf('?');
  if (at < 0) return {};
  return qs.parse(url.slice(at + 1), { arrayLimit: 1000, parameterLimit: 2000, depth: 2, allowPrototypes: false});
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

  // Re-read the query string the PHP way, then authenticate by api_key + access_token (query string,
  // or form body for the POST methods that clients send that way).
  app.addHook('preValidation', async (request) => {
    request.query = parsePhpQuery(request.url);
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
