import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.ts';
import { DomainError, type ErrorCode } from '../../core/errors.ts';
import type { Principal } from '../../core/identity/principal.ts';
import { HTTP_STATUS, toDomainError } from '../../http/errors.ts';
import { identityRoutes } from './routes/identity.ts';
import { hostRoutes } from './routes/hosts.ts';
import { eventRoutes } from './routes/events.ts';
import { placeRoutes } from './routes/places.ts';
import { sellingRoutes } from './routes/selling.ts';
import { doorRoutes } from './routes/door.ts';
import { References } from './present.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The TickeTing caller: resolved from X-API-Key (an integration key or a session key). */
    ticketingCaller: Principal | null;
    /** The X-API-Key as sent, for the session routes. */
    ticketingKey: string | null;
  }
}

/** The messages of the TickeTing v3 document, word for word. */
export const MESSAGES = {
  unauthenticated: 'Your request could not be authenticated.',
  restricted: 'You are restricted from accessing this resource.',
  upgrade: 'Please upgrade your client to complete this request',
  noResource: 'There is presently no resource with the given URI.',
  serverError: 'There was a server error while excuting this request. Please see system logs for details.',
  noEndpoint: (path: string) => `The requested endpoint ${path} does not exist on this server.`,
} as const;

export const MINIMUM_CLIENT_VERSION = [3, 0, 0] as const;

/** Whether an X-Client-Version value (semver, pre-release allowed) meets the minimum. */
export function clientVersionAccepted(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = /^\s*v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.-]*)?\s*$/.exec(value);
  if (!match) return false;
  const parts = match.slice(1, 4).map(Number);
  for (let i = 0; i < 3; i++) {
    if (parts[i] !== MINIMUM_CLIENT_VERSION[i]) return parts[i] > MINIMUM_CLIENT_VERSION[i];
  }
  return true;
}

/** HTTP status of each domain error in this dialect: TickeTing answers 400 for any bad input, 409 for any refused state change. */
const STATUS: Record<ErrorCode, number> = {
  ...HTTP_STATUS,
  VALIDATION_FAILED: 400,
  INVALID_CREDENTIALS: 401,
  TOKEN_EXPIRED: 400,
  NOT_ON_SALE: 409,
  OVER_MAX_PER_ORDER: 400,
  PAYMENT_DECLINED: 409,
  CODE_INVALID: 400,
};

/** Renders a domain error the TickeTing way: the document's fixed messages for 401/403/404, `{message}` otherwise. */
export function renderError(reply: FastifyReply, error: DomainError) {
  const status = STATUS[error.code];
  const body =
    status === 401 && error.code === 'UNAUTHENTICATED' ? { message: MESSAGES.unauthenticated }
    : status === 403 ? { message: MESSAGES.restricted }
    : status === 404 ? { error: MESSAGES.noResource }
    : { message: error.message };
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/** The caller, for routes that act for one (every route: X-API-Key is required everywhere). */
export function callerOf(request: FastifyRequest): Principal {
  if (!request.ticketingCaller) throw new DomainError('UNAUTHENTICATED', MESSAGES.unauthenticated);
  return request.ticketingCaller;
}

export interface TicketingOptions {
  core: Core;
}

/**
 * The TickeTing REST API v3 dialect, mounted at /ticketing/v3: X-API-Key (integration or session
 * key) and X-Client-Version headers, `{total, page, records, entries}` lists, `self` URIs relative
 * to the root, `{message}` / `{error}` answers with the document's messages.
 */
export async function ticketingApi(app: FastifyInstance, options: TicketingOptions) {
  const { core } = options;
  const prefix = app.prefix;
  app.decorateRequest('ticketingCaller', null);
  app.decorateRequest('ticketingKey', null);

  app.setErrorHandler((error, request, reply) => {
    const domain = toDomainError(error);
    if (domain) return renderError(reply, domain);
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send({ message: MESSAGES.serverError });
  });

  // Unknown endpoints still need a key and a client version, like every request, then get the document's 404.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0].slice(prefix.length) || '/';
    return reply.status(404).send({ message: MESSAGES.noEndpoint(path) });
  });

  async function checkHeaders(request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined || key.trim() === '') {
      return reply.status(401).send({ message: MESSAGES.unauthenticated });
    }
    // An integration key, a session key or a door key (from GET /tokens/{code}): all 32 hex characters.
    const caller =
      (await core.credentials.authenticateApiKey(key.trim())) ?? (await core.sessions.authenticate(key.trim())) ?? (await core.door.tokens.authenticate(key.trim()));
    if (!caller) return reply.status(403).send({ message: MESSAGES.restricted });
    if (!clientVersionAccepted(request.headers['x-client-version'])) {
      return reply.status(412).send({ error: MESSAGES.upgrade });
    }
    request.ticketingCaller = caller;
    request.ticketingKey = key.trim();
  }
  app.addHook('onRequest', checkHeaders);

  const refs = new References(core);
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  await api.register(identityRoutes, { core, refs });
  await api.register(hostRoutes, { core, refs });
  await api.register(eventRoutes, { core, refs });
  await api.register(placeRoutes, { core, refs });
  await api.register(sellingRoutes, { core, refs });
  await api.register(doorRoutes, { core, refs });
}
