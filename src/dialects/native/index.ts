import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.ts';
import { DomainError } from '../../core/errors.ts';
import type { Principal } from '../../core/identity/principal.ts';
import type { Channel } from '../../core/catalog/channels.ts';
import { HTTP_STATUS, toDomainError } from '../../http/errors.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import { requestFingerprint } from '../../http/idempotency.ts';
import { authRoutes } from './routes/auth.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { eventRoutes } from './routes/events.ts';
import { referenceRoutes } from './routes/reference.ts';
import { userRoutes } from './routes/users.ts';
import { organizationRoutes } from './routes/organization.ts';
import { sellingRoutes } from './routes/selling.ts';
import { guestRoutes } from './routes/guests.ts';
import { transferRoutes } from './routes/transfers.ts';
import { partnerKeyRoutes } from './routes/partner-keys.ts';
import { doorRoutes } from './routes/door.ts';
import { doorDeviceRoutes } from './routes/door-device.ts';
import { partnerUserRoutes } from './routes/partner-users.ts';
import { reportingRoutes } from './routes/reporting.ts';
import { seatingRoutes } from './routes/seating.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The resolved caller (native API); null on the few routes that take no token. */
    principal: Principal | null;
    /** The sales channel ("interface") the request is processed through. */
    channel: Channel | null;
  }
  interface FastifyRequest {
    /** The stored Idempotency-Key row this request will answer, if it carried one. */
    idempotencyId: number | null;
  }
  interface FastifyContextConfig {
    /** Routes that answer without a bearer token (token endpoint, password reset). */
    anonymous?: boolean;
  }
}

export interface NativeOptions {
  core: Core;
  rateLimiter: RateLimiter;
}

/** The caller, or 401: for handlers of routes that require a token. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('UNAUTHENTICATED', 'A valid bearer token is required');
  return request.principal;
}

export function renderError(reply: FastifyReply, error: DomainError) {
  const status = HTTP_STATUS[error.code];
  if (status === 401) reply.header('WWW-Authenticate', 'Bearer realm="guichet"');
  return reply
    .status(status)
    .type('application/json; charset=utf-8')
    .send({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
}

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

function interfaceId(header: string | string[] | undefined): number | null {
  if (header === undefined || header === '') return null;
  const value = Array.isArray(header) ? header[0] : header;
  if (!/^\d{1,9}$/.test(value)) throw new DomainError('BAD_REQUEST', 'X-Interface must be the numeric id of one of your interfaces');
  return Number(value);
}

/**
 * The native API (the "Ticketing API" conventions): OAuth2 bearer tokens, scopes, root-keyed
 * bodies, per_page paging headers, X-Interface, sliding-window rate limit, `{error:{…}}` errors.
 */
export async function nativeApi(app: FastifyInstance, options: NativeOptions) {
  const { core, rateLimiter } = options;
  app.decorateRequest('principal', null);
  app.decorateRequest('channel', null);
  app.decorateRequest('idempotencyId', null);

  app.setErrorHandler((error, request, reply) => {
    const domain = toDomainError(error);
    if (domain) return renderError(reply, domain);
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Something went wrong on our side' } });
  });
  app.setNotFoundHandler((request, reply) => renderError(reply, new DomainError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`)));

  // Authenticate, count the request against its token's window, then pick the sales channel.
  app.addHook('onRequest', async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    // Door credentials (32 hex characters) cannot be access tokens (43 base64url characters).
    request.principal = token ? await (/^[0-9a-f]{32}$/.test(token) ? core.door.tokens.authenticate(token) : core.oauth.authenticate(token)) : null;
    // Door credentials are numbered apart from access tokens: their windows must not be shared.
    const key = request.principal ? `${request.principal.credential.kind === 'door_key' ? 'door' : 'token'}:${request.principal.credential.id}` : `ip:${request.ip}`;
    const nowMs = core.ctx.clock().getTime();
    const limit = await rateLimiter.hit(key, nowMs);
    reply.header('RateLimit-Limit', limit.limit).header('RateLimit-Remaining', limit.remaining).header('RateLimit-Reset', limit.reset);
    if (!limit.allowed) {
      reply.header('Retry-After', Math.max(1, limit.reset - Math.floor(nowMs / 1000)));
      throw new DomainError('RATE_LIMITED', `Rate limit of ${limit.limit} requests per window exceeded`);
    }
    if (request.routeOptions.config?.anonymous) return;
    if (!request.principal) {
      throw new DomainError('UNAUTHENTICATED', token ? 'The access token is invalid, expired or revoked' : 'A bearer token is required');
    }
    request.channel = await core.channels.resolve(request.principal.organizationId, interfaceId(request.headers['x-interface']));
    reply.header('X-Interface', request.channel.id);
  });

  // Idempotency-Key on POST: replay the stored answer, refuse a duplicate in flight, store the new answer.
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined || !request.principal) return;
    if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new DomainError('BAD_REQUEST', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
    }
    const start = await core.idempotency.begin(request.principal, key, requestFingerprint(request));
    if (start.kind === 'new') {
      request.idempotencyId = start.id;
      return;
    }
    return reply.code(start.status).header('Idempotent-Replayed', 'true').type('application/json; charset=utf-8').send(start.body);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.idempotencyId === null) return payload;
    const id = request.idempotencyId;
    request.idempotencyId = null;
    if (reply.statusCode >= 500) await core.idempotency.abandon(id);
    else await core.idempotency.finish(id, reply.statusCode, typeof payload === 'string' ? payload : '');
    return payload;
  });

  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  await api.register(authRoutes, { core });
  await api.register(userRoutes, { core });
  await api.register(organizationRoutes, { core });
  await api.register(referenceRoutes, { core });
  await api.register(catalogRoutes, { core });
  await api.register(eventRoutes, { core });
  await api.register(sellingRoutes, { core });
  await api.register(guestRoutes, { core });
  await api.register(transferRoutes, { core });
  await api.register(partnerKeyRoutes, { core });
  await api.register(doorRoutes, { core });
  await api.register(doorDeviceRoutes, { core });
  await api.register(partnerUserRoutes, { core });
  await api.register(reportingRoutes, { core });
  await api.register(seatingRoutes, { core });
}
