import type { FastifyError, FastifyInstance } from 'fastify';
import type { Core } from '../../core/index.ts';
import { DomainError } from '../../core/errors.ts';

/**
 * Apple's PassKit web service, under `$PUBLIC_URL/passkit` (the `webServiceURL` of every pass when
 * APPLE_PASS_WEB_SERVICE is on): Wallet registers a device for a pass, asks which passes changed,
 * fetches the latest one, and sends its error logs. Answers are Apple's bare status codes.
 */
export async function passkitService(app: FastifyInstance, { core }: { core: Core }) {
  const passes = core.delivery.passes;
  type Device = { device: string; passType: string };
  type PassParams = Device & { serial: string };
  const STATUS: Partial<Record<string, number>> = { UNAUTHENTICATED: 401, NOT_FOUND: 404, BAD_REQUEST: 400, VALIDATION_FAILED: 400 };

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error instanceof DomainError ? STATUS[error.code] : error.statusCode && error.statusCode < 500 ? error.statusCode : undefined;
    if (status === undefined) throw error;
    return reply.code(status).send();
  });

  const registration = '/v1/devices/:device/registrations/:passType/:serial';
  app.post<{ Params: PassParams; Body: { pushToken: string } }>(registration, {
    schema: { hide: true, body: { type: 'object', required: ['pushToken'], properties: { pushToken: { type: 'string', minLength: 1, maxLength: 500 } } } },
  }, async (request, reply) => {
    const { device, passType, serial } = request.params;
    const created = await passes.register(device, passType, serial, request.headers.authorization, request.body.pushToken);
    return reply.code(created ? 201 : 200).send();
  });

  app.delete<{ Params: PassParams }>(registration, { schema: { hide: true } }, async (request, reply) => {
    const { device, passType, serial } = request.params;
    await passes.unregister(device, passType, serial, request.headers.authorization);
    return reply.code(200).send();
  });

  app.get<{ Params: Device; Querystring: { passesUpdatedSince?: string } }>('/v1/devices/:device/registrations/:passType', { schema: { hide: true } }, async (request, reply) => {
    const updated = await passes.updatedSerials(request.params.device, request.params.passType, request.query.passesUpdatedSince);
    return updated ? reply.send(updated) : reply.code(204).send();
  });

  app.get<{ Params: { passType: string; serial: string } }>('/v1/passes/:passType/:serial', { schema: { hide: true } }, async (request, reply) => {
    const pass = await passes.latest(request.params.passType, request.params.serial, request.headers.authorization, request.headers['accept-language']);
    const since = Date.parse(request.headers['if-modified-since'] ?? '');
    if (!Number.isNaN(since) && pass.lastModified.getTime() <= since) return reply.code(304).send();
    return reply.header('content-type', pass.contentType).header('last-modified', pass.lastModified.toUTCString()).send(pass.body);
  });

  // What Wallet reports going wrong with our passes; a few lines, cut short, in the server's log.
  app.post<{ Body: { logs: string[] } }>('/v1/log', {
    schema: { hide: true, body: { type: 'object', required: ['logs'], properties: { logs: { type: 'array', maxItems: 100, items: { type: 'string' } } } } },
  }, async (request, reply) => {
    for (const line of request.body.logs.slice(0, 20)) request.log.warn({ wallet: line.slice(0, 500) }, 'Apple Wallet log');
    return reply.code(200).send();
  });
}
