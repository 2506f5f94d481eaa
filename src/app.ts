import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import { registerWebApp } from './http/web-app.ts';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { createCore, type Core } from './core/index.ts';
import type { Mailer } from './core/notifications/mailer.ts';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from './http/rate-limit.ts';
import { checkRequestValues, corsDelegator, logSerializers } from './http/security.ts';
import { HTTP_STATUS, toDomainError } from './http/errors.ts';
import { nativeApi } from './dialects/native/index.ts';
import { ticketingApi } from './dialects/ticketing/index.ts';
import { weezeventApi } from './dialects/weezevent/index.ts';
import { registerPims } from './dialects/pims/index.ts';
import { developmentMailRoutes } from './dialects/native/routes/delivery.ts';
import { passkitService } from './dialects/passkit/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The core services, for embedders, the CLI and tests. */
    core: Core;
    /** Every route of every dialect, as registered (the fuzzer walks it, so later routes are covered too). */
    routeTable: RouteOptions[];
  }
}

export interface AppOptions {
  config: Config;
  database: Database;
  clock?: () => Date;
  /** Where e-mail goes; default: SMTP when SMTP_URL is set, otherwise kept in the outbox for owners to read. */
  mailer?: Mailer | null;
  logger?: boolean;
  /** Where the log goes when `logger` is on (stdout by default): tests read it. */
  logStream?: NodeJS.WritableStream;
}

/** Headers browsers may read from cross-origin answers: paging, rate limit and the sales channel. */
const EXPOSED_HEADERS = ['X-Page', 'X-Per-Page', 'X-Total', 'X-Interface', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After', 'Location', 'Idempotent-Replayed'];

/** TRUST_PROXY=<n>: the n nearest hops are proxies (Fastify's own numeric form, as a function for its types). */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** Builds the HTTP application around one database: every dialect, the OpenAPI document and docs. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const core = createCore({
    database,
    config,
    clock: options.clock ?? (() => new Date()),
    mailer: options.mailer,
  });
  const rateLimiter: RateLimiter = config.redisUrl
    ? new RedisRateLimiter(config.redisUrl, config.rateLimit.max, config.rateLimit.windowSeconds * 1000)
    : new MemoryRateLimiter(config.rateLimit.max, config.rateLimit.windowSeconds * 1000);

  const app = Fastify({
    // URLs are logged redacted: credential parameters and secret path segments never reach the log.
    logger: options.logger ? { level: config.logLevel, serializers: logSerializers, ...(options.logStream ? { stream: options.logStream } : {}) } : false,
    // X-Forwarded-For/-Host/-Proto are believed only from the proxies TRUST_PROXY names.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    // Unknown body fields are refused (422) rather than silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allowUnionTypes: true } },
  });
  app.decorate('core', core);
  const routeTable: RouteOptions[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => void routeTable.push(route));
  app.addHook('onClose', async () => rateLimiter.close());
  app.addHook('onClose', async () => core.ctx.throttle.close());
  // Routes outside the dialects (/, /health, the OpenAPI document and docs) answer errors the native way.
  app.setErrorHandler((error, request, reply) => {
    const domain = toDomainError(error);
    if (domain) return reply.status(HTTP_STATUS[domain.code]).send({ error: { code: domain.code, message: domain.message } });
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Something went wrong on our side' } });
  });
  // Every route of every dialect, before its handler: finite, in-range numbers and no NUL (see security.ts).
  app.addHook('preHandler', async (request) => checkRequestValues(request));
  // An export job running in this process finishes before the database closes.
  app.addHook('onClose', async () => core.exports.stop());
  // The outbox worker finishes what it is sending before the database closes.
  app.addHook('onClose', async () => core.delivery.stop());

  await app.register(formbody);
  await app.register(cookie);
  await app.register(cors, () =>
    corsDelegator(config.corsOrigins, {
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['Authorization', 'Content-Type', 'X-Interface', 'Idempotency-Key', 'Accept-Language', 'X-API-Key', 'X-Client-Version', 'X-Organization'],
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: config.corsMaxAgeSeconds,
    }),
  );
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Guichet native API',
        version: '1.0.0',
        description:
          'OAuth2 bearer tokens (POST /api/auth/token), scopes public/buy/sell/admin, bodies keyed by resource root, ' +
          'page/per_page paging with X-Page, X-Per-Page and X-Total headers, X-Interface sales channel header, ' +
          'sliding-window rate limit with RateLimit-* headers, errors as {"error":{"code","message","details"}}.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          browserSession: { type: 'apiKey', in: 'cookie', name: 'guichet_session', description: 'The web app: httpOnly session cookie; state-changing calls also send X-CSRF-Token (GET /api/session) and X-Organization' },
        },
      },
      security: [{ bearer: [] }],
    },
    // Only the native API is documented here; the other dialects follow their own published documents.
    transform: ({ schema, url }) => (url.startsWith('/api/') ? { schema, url } : { schema: { ...schema, hide: true }, url }),
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { anonymous: true } }, async () => app.swagger());

  await app.register(nativeApi, { prefix: '/api', core, rateLimiter });
  await app.register(ticketingApi, { prefix: '/ticketing/v3', core });
  await app.register(weezeventApi, { prefix: '/weezevent', core });
  await registerPims(app, core);
  // Apple Wallet asks here for the passes' updates (the passes say so only when APPLE_PASS_WEB_SERVICE is on).
  await app.register(passkitService, { prefix: '/passkit', core });
  // What the platform e-mailed or kept, for whoever runs it on their machine (never in production).
  if (!config.production) await app.register(developmentMailRoutes, { core });

  // The web app (shop, account, back office, door) at `/`, a client of the native API.
  await registerWebApp(app, config.webDist);
  app.get('/health', { schema: { hide: true } }, async () => {
    await database.db.selectFrom('schema_migrations').select('version').limit(1).execute();
    return { status: 'ok', engine: database.engine };
  });
  return app;
}
