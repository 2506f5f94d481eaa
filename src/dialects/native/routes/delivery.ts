import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Core } from '../../../core/index.ts';
import { messageLanguage, TOPICS, type RenderedDocument } from '../../../core/delivery/index.ts';
import { principalOf } from '../index.ts';
import { noContent, pageFrom, sendList, snakeKeys } from '../present.ts';
import * as S from '../schemas.ts';

const Attempt = Type.Object({ attempted_at: Type.String(), succeeded: Type.Boolean(), response_status: Type.Union([Type.Integer(), Type.Null()]), duration_ms: Type.Integer(), error: Type.Union([Type.String(), Type.Null()]) });
const Message = Type.Object({
  id: Type.Integer(),
  uid: Type.String({ description: 'Stable id: the webhook-id header, the e-mail Message-ID' }),
  kind: Type.String({ description: 'event, email, webhook or push (an Apple Wallet pass update)' }),
  topic: Type.String(),
  status: Type.String({ description: 'pending, sent, kept (no SMTP configured), dead or cancelled' }),
  recipient: Type.Union([Type.String(), Type.Null()]),
  endpoint_id: Type.Union([Type.Integer(), Type.Null()]),
  attempts: Type.Integer(),
  due_at: Type.Union([Type.String(), Type.Null()]),
  last_error: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  sent_at: Type.Union([Type.String(), Type.Null()]),
  subject: Type.Optional(Type.String()),
  text: Type.Optional(Type.String()),
  html: Type.Optional(Type.String()),
  body: Type.Optional(Type.Unknown()),
  log: Type.Array(Attempt),
});
const EventTypes = Type.Array(Type.String({ enum: ['*', ...TOPICS] }), { minItems: 1, maxItems: TOPICS.length + 1, description: `Any of ${TOPICS.join(', ')}, or * for all` });
const Endpoint = Type.Object({
  id: Type.Integer(),
  url: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  event_types: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  disabled_reason: Type.Union([Type.String(), Type.Null()], { description: 'failing (disabled after the last retry) or by_owner' }),
  created_at: Type.String(),
  updated_at: Type.String(),
});
const CreatedEndpoint = Type.Object({ ...Endpoint.properties, secret: Type.String({ description: 'The signing secret (whsec_…), shown in this answer only' }) });
const EndpointCreate = S.Strict({ url: Type.String({ maxLength: 2000 }), event_types: EventTypes, description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])) });
const EndpointUpdate = S.Strict({ url: Type.Optional(Type.String({ maxLength: 2000 })), event_types: Type.Optional(EventTypes), description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])), enabled: Type.Optional(Type.Boolean()) });
const DeliveryParams = S.Strict({ id: S.Id, delivery_id: S.Id });
const MessageQuery = S.withPaging({ kind: Type.Optional(Type.Union(['event', 'email', 'webhook', 'push'].map((k) => Type.Literal(k)))), status: Type.Optional(Type.String({ maxLength: 20 })) });
const documentResponse = (description: string) => ({ 200: { description }, ...S.errorResponses });

function sendDocument(reply: FastifyReply, document: RenderedDocument, download = false) {
  return reply
    .type(document.contentType)
    .header('content-disposition', `${download ? 'attachment' : 'inline'}; filename="${document.filename}"`)
    .header('cache-control', 'private, no-store')
    .send(document.body);
}

/** Ticket documents (PDF, .ics, wallet), signed document links, the outbox as owners read it, webhook endpoints. */
export async function deliveryRoutes(parent: FastifyInstance, { core }: { core: Core }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const p = principalOf;
  // Webhook payloads show resources as this API does.
  core.delivery.presentWith(snakeKeys);
  const language = (header: string | undefined, organizationLocale?: string) => messageLanguage(header, organizationLocale);

  // ---- documents ------------------------------------------------------------------------------
  const docTags = ['documents'];
  app.get('/documents', {
    config: { anonymous: true },
    schema: {
      tags: docTags,
      summary: 'A document through the signed link of an e-mail (no token needed); refused once expired or altered, or once its tickets no longer admit',
      querystring: S.Strict({
        token: Type.String({ minLength: 1, maxLength: 4000 }),
        file: Type.Union([Type.Literal('order.pdf'), Type.Literal('ticket.pdf'), Type.Literal('date.ics'), Type.Literal('ticket.pkpass')], { description: 'order.pdf (an order link), or a ticket’s ticket.pdf, date.ics or ticket.pkpass with `ticket`' }),
        ticket: Type.Optional(S.Id),
      }),
      response: documentResponse('application/pdf, text/calendar or application/vnd.apple.pkpass'),
    },
  }, async (request, reply) => sendDocument(reply, await core.delivery.byLink(request.query.token, request.query.file, request.query.ticket)));

  app.get('/orders/:id/pdf', {
    schema: { tags: docTags, summary: "The order's valid tickets as one PDF (the buyer, or staff)", params: S.IdParams, response: documentResponse('application/pdf') },
  }, async (request, reply) => {
    const order = await core.orders.read(p(request), request.params.id);
    return sendDocument(reply, await core.delivery.render(p(request).organizationId, 'order.pdf', order.id, language(request.headers['accept-language'])));
  });

  const ticketDocument = (path: string, kind: 'ticket.pdf' | 'date.ics' | 'ticket.pkpass', summary: string, type: string) =>
    app.get(`/tickets/:id/${path}`, {
      schema: { tags: docTags, summary, params: S.IdParams, response: documentResponse(type) },
    }, async (request, reply) => {
      const ticket = await core.tickets.read(p(request), request.params.id); // the holder, the buyer's shop, or staff
      return sendDocument(reply, await core.delivery.render(p(request).organizationId, kind, ticket.id, language(request.headers['accept-language'])), kind === 'ticket.pkpass');
    });
  ticketDocument('pdf', 'ticket.pdf', 'The ticket as a PDF: event, local date and time, venue, section, tariff, holder, order, QR code and barcode', 'application/pdf');
  ticketDocument('ics', 'date.ics', "The ticket's performance as an iCalendar entry", 'text/calendar');
  ticketDocument('pkpass', 'ticket.pkpass', 'An Apple Wallet pass for the ticket (404 when the operator configured no pass certificate)', 'application/vnd.apple.pkpass');
  app.get('/tickets/:id/google_wallet', {
    schema: {
      tags: docTags,
      summary: 'A Google Wallet "save" link for the ticket (404 when the operator configured no service account)',
      params: S.IdParams,
      response: { 200: Type.Object({ google_wallet: Type.Object({ save_url: Type.String() }) }), ...S.errorResponses },
    },
  }, async (request) => {
    const ticket = await core.tickets.read(p(request), request.params.id);
    return { google_wallet: { save_url: await core.delivery.googleWallet(p(request).organizationId, ticket.id, language(request.headers['accept-language'])) } };
  });

  // ---- the outbox ----------------------------------------------------------------------------------
  const outboxTags = ['outbox'];
  app.get('/outbox/messages', {
    schema: { tags: outboxTags, summary: "The organization's outgoing messages, newest first: e-mails (kept ones are readable here when no SMTP server is configured), webhook deliveries and the events behind them (owners)", querystring: MessageQuery, response: { 200: Type.Object({ messages: Type.Array(Message) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'messages', paging, await core.delivery.messages(p(request), paging.window, { kind: request.query.kind, status: request.query.status }));
  });
  app.get('/outbox/messages/:id', {
    schema: { tags: outboxTags, summary: 'One outgoing message with its delivery log (owners)', params: S.IdParams, response: { 200: Type.Object({ message: Message }), ...S.errorResponses } },
  }, async (request) => ({ message: snakeKeys(await core.delivery.message(p(request), request.params.id)) }));

  // ---- webhooks -----------------------------------------------------------------------------------
  const hookTags = ['webhooks'];
  const one = Type.Object({ webhook: Endpoint });
  app.get('/webhooks', {
    schema: { tags: hookTags, summary: "The organization's webhook endpoints (owners)", querystring: S.PageQuery, response: { 200: Type.Object({ webhooks: Type.Array(Endpoint) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'webhooks', paging, await core.delivery.listEndpoints(p(request), paging.window));
  });
  app.post('/webhooks', {
    schema: {
      tags: hookTags,
      summary: 'Add an endpoint; the answer holds its signing secret, shown once (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature)',
      body: S.Rooted('webhook', EndpointCreate),
      response: { 201: Type.Object({ webhook: CreatedEndpoint }), ...S.errorResponses },
    },
  }, async (request, reply) => {
    const { url, event_types, description } = request.body.webhook;
    return reply.code(201).send({ webhook: snakeKeys(await core.delivery.createEndpoint(p(request), { url, eventTypes: event_types, description })) });
  });
  app.get('/webhooks/:id', {
    schema: { tags: hookTags, summary: 'One endpoint (owners)', params: S.IdParams, response: { 200: one, ...S.errorResponses } },
  }, async (request) => ({ webhook: snakeKeys(await core.delivery.readEndpoint(p(request), request.params.id)) }));
  app.patch('/webhooks/:id', {
    schema: { tags: hookTags, summary: 'Change an endpoint; `enabled: true` turns a disabled one back on', params: S.IdParams, body: S.Rooted('webhook', EndpointUpdate), response: { 200: one, ...S.errorResponses } },
  }, async (request) => {
    const { url, event_types, description, enabled } = request.body.webhook;
    return { webhook: snakeKeys(await core.delivery.updateEndpoint(p(request), request.params.id, { url, eventTypes: event_types, description, enabled })) };
  });
  app.delete('/webhooks/:id', {
    schema: { tags: hookTags, summary: 'Remove an endpoint; its pending deliveries are cancelled', params: S.IdParams, response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    await core.delivery.deleteEndpoint(p(request), request.params.id);
    return noContent(reply);
  });
  app.post('/webhooks/:id/secret', {
    schema: { tags: hookTags, summary: 'A new signing secret, shown once; the old one stops signing at once', params: S.IdParams, body: Type.Optional(S.NoBody), response: { 200: Type.Object({ webhook: Type.Object({ secret: Type.String() }) }), ...S.errorResponses } },
  }, async (request) => ({ webhook: await core.delivery.rotateSecret(p(request), request.params.id) }));
  app.post('/webhooks/:id/ping', {
    schema: { tags: hookTags, summary: 'Send a test message (type `ping`) now; the answer is the delivery with its outcome', params: S.IdParams, body: Type.Optional(S.NoBody), response: { 200: Type.Object({ delivery: Message }), ...S.errorResponses } },
  }, async (request) => ({ delivery: snakeKeys(await core.delivery.ping(p(request), request.params.id)) }));
  app.get('/webhooks/:id/deliveries', {
    schema: { tags: hookTags, summary: "An endpoint's delivery log, newest first: status, attempts with time, response code and duration", params: S.IdParams, querystring: S.PageQuery, response: { 200: Type.Object({ deliveries: Type.Array(Message) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'deliveries', paging, await core.delivery.deliveries(p(request), request.params.id, paging.window));
  });
  app.post('/webhooks/:id/deliveries/:delivery_id/redelivery', {
    schema: { tags: hookTags, summary: 'Send a delivery again now, with the same webhook-id', params: DeliveryParams, body: Type.Optional(S.NoBody), response: { 200: Type.Object({ delivery: Message }), ...S.errorResponses } },
  }, async (request) => ({ delivery: snakeKeys(await core.delivery.redeliver(p(request), request.params.id, request.params.delivery_id)) }));
}

/**
 * Development only (not registered in production): every e-mail the platform sent or kept, so a
 * newcomer without an SMTP server sees what would have gone out. `/dev/mail` lists them (JSON);
 * `/dev/mail/<id>` shows one as the recipient would (HTML).
 */
export async function developmentMailRoutes(parent: FastifyInstance, { core }: { core: Core }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/dev/mail', { schema: { hide: true, querystring: S.PageQuery } }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'messages', paging, await core.delivery.developmentMail(paging.window));
  });
  app.get('/dev/mail/:id', { schema: { hide: true, params: S.IdParams } }, async (request, reply) => {
    const found = await core.delivery.developmentMailOne(request.params.id);
    if (!found) return reply.code(404).type('text/plain').send('No such e-mail');
    return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(found.html ?? `<pre>${found.text?.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</pre>`);
  });
}
