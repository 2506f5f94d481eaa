import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.ts';
import { DomainError } from '../../core/errors.ts';
import type { Principal } from '../../core/identity/principal.ts';
import { toDomainError } from '../../http/errors.ts';
import { sendProblem } from './hal.ts';
import { pimsRoutes } from './routes.ts';
import { pimsReportingRoutes } from './reporting.ts';

/**
 * The Pims partner API (P1): HTTP Basic with partner API users, HAL bodies, problem+json errors.
 * Served at `/pims/api` and `/pims/api/v1` (the organization is the credentials'), and at
 * `/pims/<organization>/api[/v1]`, the equivalent of a Pims customer domain: there, credentials of
 * another organization are as wrong as a bad password (401).
 */
export const PIMS_PREFIXES = ['/pims/api', '/pims/api/v1', '/pims/:organization/api', '/pims/:organization/api/v1'];

const principals = new WeakMap<FastifyRequest, Principal>();

/** The authenticated caller of a Pims request. */
export function callerOf(request: FastifyRequest): Principal {
  const principal = principals.get(request);
  if (!principal) throw new DomainError('UNAUTHENTICATED', 'Unauthorized');
  return principal;
}

function basicCredentials(header: string | undefined): { username: string; password: string } | null {
  const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export async function pimsApi(app: FastifyInstance, options: { core: Core }) {
  const { core } = options;
  const prefix = app.prefix;

  app.setErrorHandler((error, request, reply) => {
    const domain = toDomainError(error);
    if (domain) return sendProblem(reply, domain);
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).type('application/problem+json; charset=utf-8').send(
      JSON.stringify({ type: 'https://tools.ietf.org/html/rfc2616#section-10', title: 'Internal Server Error', status: 500, detail: 'Something went wrong on our side' }),
    );
  });
  app.setNotFoundHandler((_request, reply) => sendProblem(reply, new DomainError('NOT_FOUND', 'Entity not found.')));

  app.addHook('onRequest', async (request) => {
    const credentials = basicCredentials(request.headers.authorization);
    if (!credentials) throw new DomainError('UNAUTHENTICATED', 'Unauthorized');
    const organization = (request.params as Record<string, string> | undefined)?.organization ?? null;
    const principal = await core.partnerUsers.authenticate(credentials.username, credentials.password, organization, { ip: request.ip });
    if (!principal) throw new DomainError('UNAUTHENTICATED', 'Unauthorized');
    if (request.method !== 'GET' && request.method !== 'HEAD') core.partnerUsers.requireWrite(principal);
    principals.set(request, principal);
  });

  await app.withTypeProvider<TypeBoxTypeProvider>().register(pimsRoutes, { core, prefix: '', mount: prefix });
  await app.withTypeProvider<TypeBoxTypeProvider>().register(pimsReportingRoutes, { core, prefix: '', mount: prefix });
}

/** Registers the Pims API at each of its mount points. */
export async function registerPims(app: FastifyInstance, core: Core) {
  for (const prefix of PIMS_PREFIXES) await app.register(pimsApi, { prefix, core });
}
