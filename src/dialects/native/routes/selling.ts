import type { OrderSort } from '../../../core/selling/orders.ts';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../../core/index.ts';
import type { Channel } from '../../../core/catalog/channels.ts';
import { DomainError } from '../../../core/errors.ts';
import { principalOf } from '../index.ts';
import { crudRoutes } from '../crud.ts';
import { camelKeys, noContent, pageFrom, sendList, snakeKeys } from '../present.ts';
import * as S from '../schemas.ts';
import * as X from '../selling-schemas.ts';

type Params = Record<string, number>;
/* eslint-disable @typescript-eslint/no-explicit-any */

function channelOf(request: FastifyRequest): Channel {
  if (!request.channel) throw new DomainError('UNAUTHENTICATED', 'A valid bearer token is required');
  return request.channel;
}

const CartParams = S.Strict({ id: S.Id });
const CartItemParams = S.Strict({ id: S.Id, item_id: S.Id });
const PaymentParams = S.Strict({ id: S.Id, payment_id: S.Id });
const QuestionParams = S.Strict({ id: S.Id, question_id: S.Id });

/** Carts and holds, checkout, orders, payments, refunds, sale details, tickets and their QR codes, codes, questions. */
export async function sellingRoutes(app: FastifyInstance, { core }: { core: Core }) {
  const p = principalOf;
  const cart = Type.Object({ cart: X.Cart });
  const order = Type.Object({ order: X.Order });

  // ---- Carts ----------------------------------------------------------------------------------
  const cartTags = ['carts'];
  app.post('/carts', {
    config: { idempotentWork: { cart: (id) => `/api/carts/${id}` } },
    schema: {
      tags: cartTags,
      summary: 'Start a cart on the request interface (scope buy), optionally holding its first items at once',
      body: Type.Union([Type.Null(), Type.Object({ cart: Type.Optional(S.Strict({ items: Type.Optional(Type.Array(X.CartItemCreate, { maxItems: 20 })) })) }, { additionalProperties: false })]),
      response: { 201: cart, ...S.errorResponses },
    },
  }, async (request, reply) => {
    const items = camelKeys<{ tariffId: number; dateId: number; quantity: number }[]>((request.body as any)?.cart?.items ?? []);
    return reply.code(201).send({ cart: snakeKeys(await core.carts.create(p(request), channelOf(request), items)) });
  });

  app.get('/carts/:id', {
    schema: { tags: cartTags, summary: 'Read a cart: items, holds and when they expire', params: CartParams, response: { 200: cart, ...S.errorResponses } },
  }, async (request) => ({ cart: snakeKeys(await core.carts.read(p(request), (request.params as Params).id)) }));

  app.post('/carts/:id/items', {
    schema: {
      tags: cartTags,
      summary: 'Add tickets: holds the places for the hold time (15 minutes by default)',
      description: 'Errors: SOLD_OUT (409), NOT_ON_SALE (422: not yet, no longer, not on this interface), OVER_MAX_PER_ORDER (422).',
      params: CartParams,
      body: S.Rooted('item', X.CartItemCreate),
      response: { 201: cart, ...S.errorResponses },
    },
  }, async (request, reply) => {
    const item = camelKeys<{ tariffId: number; dateId: number; quantity: number }>((request.body as any).item);
    return reply.code(201).send({ cart: snakeKeys(await core.carts.addItem(p(request), (request.params as Params).id, item, channelOf(request))) });
  });

  app.delete('/carts/:id/items/:item_id', {
    schema: { tags: cartTags, summary: 'Remove an item; its places return to sale at once', params: CartItemParams, response: { 200: cart, ...S.errorResponses } },
  }, async (request) => {
    const { id, item_id } = request.params as Params;
    return { cart: snakeKeys(await core.carts.removeItem(p(request), id, item_id)) };
  });

  app.post('/carts/:id/checkout', {
    config: { idempotentWork: { order: (id) => `/api/orders/${id}` } },
    schema: {
      tags: cartTags,
      summary: 'Turn the cart into an order (pending until paid; free orders are paid at once); with `payment`, pay it in the same request',
      description: 'Errors: HOLD_EXPIRED (409), CODE_INVALID (422), CODE_EXHAUSTED (409), VALIDATION_FAILED for missing or invalid answers; with a payment, PAYMENT_DECLINED (402, the order stays pending: details.order_id).',
      params: CartParams,
      body: S.Rooted('checkout', X.Checkout),
      response: { 201: order, ...S.errorResponses },
    },
  }, async (request, reply) => {
    const input = camelKeys<any>((request.body as any).checkout);
    // The buyer's language, for the e-mails about the order.
    input.language = request.headers['accept-language'] ?? null;
    return reply.code(201).send({ order: snakeKeys(await core.orders.checkout(p(request), (request.params as Params).id, input)) });
  });

  // ---- Orders and payments ----------------------------------------------------------------------
  const orderTags = ['orders'];
  app.get('/orders', {
    schema: { tags: orderTags, summary: "Orders: a buyer's own, or all of the organization's for sellers", querystring: X.OrderListQuery, response: { 200: Type.Object({ orders: Type.Array(X.Order) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const query = request.query as { page?: number; per_page?: number; status?: string; event_id?: number; from?: string; to?: string; q?: string; sort?: OrderSort };
    const paging = pageFrom(query);
    const result = await core.orders.list(p(request), paging.window, { status: query.status, eventId: query.event_id, from: query.from, to: query.to, search: query.q, sort: query.sort });
    return sendList(reply, 'orders', paging, result);
  });
  app.get('/orders/:id', {
    schema: { tags: orderTags, summary: 'Read an order with its lines, payments and tickets', params: CartParams, response: { 200: order, ...S.errorResponses } },
  }, async (request) => ({ order: snakeKeys(await core.orders.read(p(request), (request.params as Params).id)) }));

  app.post('/orders/:id/payments', {
    schema: {
      tags: orderTags,
      summary: 'Pay an order: provider `test` with a card, or `manual` (box office: cash or card terminal, sellers only)',
      description:
        'Test cards: 4242424242424242 approves, 4000000000000002 is declined (402 PAYMENT_DECLINED), 4000000000009995 is declined for insufficient funds, 4000000000003220 requires action (confirm it with POST …/payments/{payment_id}/confirmation).',
      params: CartParams,
      body: S.Rooted('payment', X.PaymentCreate),
      response: { 201: Type.Object({ payment: X.Payment, order: X.Order }), ...S.errorResponses },
    },
  }, async (request, reply) => {
    const body = (request.body as any).payment;
    const result = await core.orders.pay(p(request), (request.params as Params).id, { provider: body.provider, card: body.card, method: body.method });
    return reply.code(201).send(snakeKeys(result));
  });
  app.post('/orders/:id/payments/:payment_id/confirmation', {
    schema: { tags: orderTags, summary: 'Complete a payment that required action (3-D Secure-like)', params: PaymentParams, body: S.Rooted('confirmation', X.PaymentConfirmation), response: { 200: Type.Object({ payment: X.Payment, order: X.Order }), ...S.errorResponses } },
  }, async (request) => {
    const { id, payment_id } = request.params as Params;
    return snakeKeys(await core.orders.confirmPayment(p(request), id, payment_id, (request.body as any).confirmation.outcome));
  });
  app.post('/orders/:id/cancellation', {
    schema: { tags: orderTags, summary: 'Cancel a pending order; its places and code use return at once', params: CartParams, body: S.NoBody, response: { 200: order, ...S.errorResponses } },
  }, async (request) => ({ order: snakeKeys(await core.orders.cancel(p(request), (request.params as Params).id)) }));
  app.post('/orders/:id/refunds', {
    schema: { tags: orderTags, summary: 'Refund all or some tickets of a paid order (sellers); places return to sale', params: CartParams, body: S.Rooted('refund', X.RefundCreate), response: { 201: order, ...S.errorResponses } },
  }, async (request, reply) => {
    const body = camelKeys<{ ticketIds?: number[]; reason?: string | null }>((request.body as any).refund);
    return reply.code(201).send({ order: snakeKeys(await core.orders.refund(p(request), (request.params as Params).id, body)) });
  });
  app.get('/orders/:id/answers', {
    schema: { tags: orderTags, summary: "An order's answers to the event questions", params: CartParams, response: { 200: Type.Object({ answers: Type.Array(X.Answer) }), ...S.errorResponses } },
  }, async (request) => ({ answers: snakeKeys(await core.orders.answers(p(request), (request.params as Params).id)) }));

  app.get('/sale_details', {
    schema: { tags: orderTags, summary: 'Order lines of paid orders, for sellers', querystring: X.SaleDetailQuery, response: { 200: Type.Object({ sale_details: Type.Array(X.SaleDetail) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const query = request.query as { page?: number; per_page?: number; event_id?: number; date_id?: number; interface_id?: number; from?: string; to?: string };
    const paging = pageFrom(query);
    const result = await core.orders.saleDetails(p(request), paging.window, { eventId: query.event_id, dateId: query.date_id, channelId: query.interface_id, from: query.from, to: query.to });
    return sendList(reply, 'sale_details', paging, result);
  });

  // ---- Tickets ----------------------------------------------------------------------------------
  const ticketTags = ['tickets'];
  app.get('/tickets', {
    schema: {
      tags: ticketTags,
      summary: "Tickets: a buyer's own, or the organization's for sellers",
      querystring: S.withPaging({ event_id: Type.Optional(S.Id), date_id: Type.Optional(S.Id), order_id: Type.Optional(S.Id), status: Type.Optional(Type.String({ maxLength: 20 })) }),
      response: { 200: Type.Object({ tickets: Type.Array(X.Ticket) }), ...S.errorResponses },
    },
  }, async (request, reply) => {
    const query = request.query as { page?: number; per_page?: number; event_id?: number; date_id?: number; order_id?: number; status?: string };
    const paging = pageFrom(query);
    const result = await core.tickets.list(p(request), paging.window, { eventId: query.event_id, dateId: query.date_id, orderId: query.order_id, status: query.status });
    return sendList(reply, 'tickets', paging, result);
  });
  app.get('/tickets/:id', {
    schema: { tags: ticketTags, summary: 'Read a ticket', params: CartParams, response: { 200: Type.Object({ ticket: X.Ticket }), ...S.errorResponses } },
  }, async (request) => ({ ticket: snakeKeys(await core.tickets.read(p(request), (request.params as Params).id)) }));
  app.patch('/tickets/:id', {
    schema: { tags: ticketTags, summary: 'Name the ticket holder', params: CartParams, body: S.Rooted('ticket', X.TicketUpdate), response: { 200: Type.Object({ ticket: X.Ticket }), ...S.errorResponses } },
  }, async (request) => ({ ticket: snakeKeys(await core.tickets.updateHolder(p(request), (request.params as Params).id, camelKeys((request.body as any).ticket))) }));
  app.get('/tickets/:id/qr_code', {
    schema: {
      tags: ticketTags,
      summary: "The ticket's QR code, PNG (default) or SVG (`?format=svg` or `Accept: image/svg+xml`)",
      params: CartParams,
      querystring: S.Strict({ format: Type.Optional(Type.Union([Type.Literal('png'), Type.Literal('svg')])) }),
      response: { 200: { description: 'image/png or image/svg+xml' }, ...S.errorResponses },
    },
  }, async (request, reply: FastifyReply) => {
    const asked = (request.query as { format?: 'png' | 'svg' }).format;
    const format = asked ?? (String(request.headers.accept ?? '').includes('image/svg+xml') ? 'svg' : 'png');
    const image = await core.tickets.qrCode(p(request), (request.params as Params).id, format);
    return reply.type(image.contentType).send(image.body);
  });
  app.get('/organization/public_key', {
    schema: { tags: ticketTags, summary: 'The Ed25519 public key that verifies ticket QR payloads offline', response: { 200: Type.Object({ public_key: X.PublicKey }), ...S.errorResponses } },
  }, async (request) => ({ public_key: snakeKeys(await core.tickets.publicKey(p(request))) }));

  // ---- Codes ------------------------------------------------------------------------------------
  crudRoutes(app, {
    path: '/codes', singular: 'code', plural: 'codes', tags: ['codes'],
    schemas: { item: X.Code, create: X.CodeCreate, update: X.CodeUpdate },
    list: (r, page) => core.codes.list(p(r), page),
    read: (r, id) => core.codes.read(p(r), id),
    create: (r, input) => core.codes.create(p(r), input as any),
    update: (r, id, changes) => core.codes.update(p(r), id, changes),
    remove: (r, id) => core.codes.remove(p(r), id),
  });

  // ---- Questions --------------------------------------------------------------------------------
  const questionTags = ['events'];
  app.get('/events/:id/questions', {
    schema: { tags: questionTags, summary: "The event's checkout questions", params: CartParams, response: { 200: Type.Object({ questions: Type.Array(X.Question) }), ...S.errorResponses } },
  }, async (request) => ({ questions: snakeKeys(await core.questions.list(p(request), (request.params as Params).id)) }));
  app.post('/events/:id/questions', {
    schema: { tags: questionTags, summary: 'Ask a question at checkout (per order or per ticket)', params: CartParams, body: S.Rooted('question', X.QuestionCreate), response: { 201: Type.Object({ question: X.Question }), ...S.errorResponses } },
  }, async (request, reply) => reply.code(201).send({ question: snakeKeys(await core.questions.create(p(request), (request.params as Params).id, camelKeys((request.body as any).question))) }));
  app.patch('/events/:id/questions/:question_id', {
    schema: { tags: questionTags, summary: 'Update a question', params: QuestionParams, body: S.Rooted('question', X.QuestionUpdate), response: { 200: Type.Object({ question: X.Question }), ...S.errorResponses } },
  }, async (request) => {
    const { id, question_id } = request.params as Params;
    return { question: snakeKeys(await core.questions.update(p(request), id, question_id, camelKeys((request.body as any).question))) };
  });
  app.delete('/events/:id/questions/:question_id', {
    schema: { tags: questionTags, summary: 'Delete a question', params: QuestionParams, response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    const { id, question_id } = request.params as Params;
    await core.questions.remove(p(request), id, question_id);
    return noContent(reply);
  });
}
