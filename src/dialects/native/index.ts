import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.ts';
import { DomainError } from '../../core/errors.ts';
import type { Principal } from '../../core/identity/principal.ts';
import type { Channel } from '../../core/catalog/channels.ts';
import { HTTP_STATUS, toDomainError } from '../../http/errors.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import { requestFingerprint } from '../../http/idempotency.ts';
import type { IdempotencyClaim } from '../../core/requests/idempotency.ts';
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
import { manageRoutes } from './routes/manage.ts';
import { authorizeMember, ROLE_RIGHTS, type Right } from '../../core/identity/roles.ts';
import { MEMBERSHIP_ROLES } from '../../core/identity/principal.ts';
import { rightOfRoute } from './rights.ts';
import { deliveryRoutes } from './routes/delivery.ts';
import { sessionRoutes } from './routes/session.ts';
import { shopRoutes } from './routes/shop.ts';
import { browserSessionOf, sessionOrganization, type BrowserSession } from '../../http/web-session.ts';
import { seatingRoutes } from './routes/seating.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The resolved caller (native API); null on the few routes that take no token. */
    principal: Principal | null;
    /** The sales channel ("interface") the request is processed through. */
    channel: Channel | null;
  }
  interface FastifyRequest {
    /** The web app's browser session, when the call came with its cookie (and no bearer token). */
    browserSession: BrowserSession | null;
    /** The Idempotency-Key this request will store its answer under, if it carried one (and the row claimed ahead of the work, if any). */
    idempotency: { claim: IdempotencyClaim; id: number | null } | null;
  }
  interface FastifyContextConfig {
    /** Routes that answer without a bearer token (token endpoint, password reset). */
    anonymous?: boolean;
    /**
     * Routes whose work claims the Idempotency-Key in its own transaction and names what it created
     * (see claimIdempotencyKey), and how to read that back (`order:12` → `/api/orders/12`) when the
     * answer was lost in a crash.
     */
    idempotentWork?: Record<string, (id: string) => string>;
    /** The right a member needs for this route (default: from rights.ts). */
    right?: Right;
    /** Whether a rule of rights.ts (or the route itself) named the right; false: closed to all but owners. */
    rightDeclared?: boolean;
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
  app.decorateRequest('idempotency', null);
  app.decorateRequest('browserSession', null);

  app.setErrorHandler((error, request, reply) => {
    const domain = toDomainError(error);
    if (domain) return renderError(reply, domain);
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Something went wrong on our side' } });
  });
  // Every route carries the right a member needs to call it, checked after authentication below.
  app.addHook('onRoute', (route) => {
    const config = (route.config ??= {}) as { right?: Right; rightDeclared?: boolean; anonymous?: boolean };
    if (config.right) config.rightDeclared = true;
    else {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const { right, matched } = rightOfRoute(methods.find((m) => m !== 'HEAD') ?? methods[0], route.url);
      config.right = right;
      config.rightDeclared = matched;
    }
    // The OpenAPI document says which roles may make the call.
    if (route.schema && !config.anonymous) {
      const roles = MEMBERSHIP_ROLES.filter((role) => ROLE_RIGHTS[role].includes(config.right!));
      const note = config.rightDeclared
        ? `Members: needs the \`${config.right}\` right (${roles.join(', ')}).`
        : `Members: no right assigned yet (\`${config.right}\`: ${roles.join(', ')} only).`;
      const schema = route.schema as { description?: string; 'x-guichet-right'?: Right };
      schema.description = schema.description ? `${schema.description}\n\n${note}` : note;
      // Machine-readable too: the web app derives what each page may offer from it (scripts/openapi.ts).
      schema['x-guichet-right'] = config.right;
    }
  });
  app.setNotFoundHandler((request, reply) => renderError(reply, new DomainError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`)));

  // Authenticate, count the request against its token's window, then pick the sales channel.
  app.addHook('onRequest', async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    // Door credentials (32 hex characters) cannot be access tokens (43 base64url characters).
    request.principal = token ? await (/^[0-9a-f]{32}$/.test(token) ? core.door.tokens.authenticate(token) : core.oauth.authenticate(token)) : null;
    // Without a bearer token, the web app's browser session (cookie + CSRF token) may act.
    if (!token) {
      request.browserSession = await browserSessionOf(core, request);
      if (request.browserSession) {
        const organizationId = await sessionOrganization(core, request, request.browserSession.session);
        if (organizationId !== null) request.principal = await core.webSessions.principal(request.browserSession.session, organizationId);
      }
    }
    // Door credentials are numbered apart from access tokens: their windows must not be shared.
    const key = request.browserSession
      ? `web:${request.browserSession.session.id}`
      : request.principal ? `${request.principal.credential.kind === 'door_key' ? 'door' : 'token'}:${request.principal.credential.id}` : `ip:${request.ip}`;
    const nowMs = core.ctx.clock().getTime();
    const limit = await rateLimiter.hit(key, nowMs);
    reply.header('RateLimit-Limit', limit.limit).header('RateLimit-Remaining', limit.remaining).header('RateLimit-Reset', limit.reset);
    if (!limit.allowed) {
      reply.header('Retry-After', Math.max(1, limit.reset - Math.floor(nowMs / 1000)));
      throw new DomainError('RATE_LIMITED', `Rate limit of ${limit.limit} requests per window exceeded`);
    }
    if (request.routeOptions.config?.anonymous) return;
    if (!request.principal) {
      if (request.browserSession) throw new DomainError('BAD_REQUEST', 'X-Organization (the id of the organization this call is for) is required with a browser session');
      throw new DomainError('UNAUTHENTICATED', token ? 'The access token is invalid, expired or revoked' : 'A bearer token is required');
    }
    // A person acting for the organization: their membership role must grant the route's right.
    // (Only for a matched route: an unknown URL is answered 404 by the not-found handler, whoever asks.)
    if (request.routeOptions.url !== undefined) authorizeMember(request.principal, request.routeOptions.config?.right ?? 'members');
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
    const work = request.routeOptions.config?.idempotentWork;
    const start = await core.idempotency.begin(request.principal, key, requestFingerprint(request), { inTransaction: Boolean(work) });
    if (start.kind === 'new') {
      request.idempotency = { claim: start.claim, id: start.id };
      // The work claims the key in its own transaction: it finds the claim on (a copy of) the principal.
      if (work) request.principal = { ...request.principal, idempotency: start.claim };
      return;
    }
    if (start.kind === 'resource') {
      // The work committed, its answer was lost with the process: answer with what it created, as it is now.
      const [kind, id] = start.resource.split(':');
      const path = work?.[kind]?.(id);
      if (!path) throw new DomainError('IDEMPOTENCY_IN_FLIGHT', 'A request with this Idempotency-Key was processed; its answer cannot be given again');
      const current = await app.inject({ method: 'GET', url: path, headers: { authorization: request.headers.authorization ?? '', ...(request.headers['x-interface'] ? { 'x-interface': String(request.headers['x-interface']) } : {}) } });
      return reply.code(current.statusCode === 200 ? 201 : current.statusCode).header('Idempotent-Replayed', 'true').type('application/json; charset=utf-8').send(current.body);
    }
    return reply.code(start.status).header('Idempotent-Replayed', 'true').type('application/json; charset=utf-8').send(start.body);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.idempotency === null) return payload;
    const { claim, id } = request.idempotency;
    request.idempotency = null;
    if (reply.statusCode >= 500) {
      if (id !== null) await core.idempotency.abandon(id);
    } else {
      await core.idempotency.finish(claim, reply.statusCode, typeof payload === 'string' ? payload : '');
    }
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
  await api.register(manageRoutes, { core });
  await api.register(deliveryRoutes, { core });
  await api.register(sessionRoutes, { core });
  await api.register(shopRoutes, { core });
  await api.register(seatingRoutes, { core });
}
