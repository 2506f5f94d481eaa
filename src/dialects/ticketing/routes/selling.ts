import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.ts';
import { DomainError, invalid } from '../../../core/errors.ts';
import type { Principal } from '../../../core/identity/principal.ts';
import type { Event } from '../../../core/catalog/events.ts';
import type { Order, OrderStatus } from '../../../core/selling/orders.ts';
import type { Transfer, TransferStatus } from '../../../core/selling/transfers.ts';
import { callerOf } from '../index.ts';
import { accountIdOf, accountNumber, eventRef, parseSectionUri, sectionRef } from '../identifiers.ts';
import { requireId, sendList, toAmount, type ListQuery, type References } from '../present.ts';
import * as S from '../schemas.ts';

const ORDER_STATUS: Record<OrderStatus, string> = {
  pending: 'Pending', paid: 'Fulfilled', expired: 'Expired', cancelled: 'Cancelled', partially_refunded: 'Partially Refunded', refunded: 'Refunded',
};
const TRANSFER_STATUS: Record<TransferStatus, string> = { pending: 'Pending', claimed: 'Claimed', cancelled: 'Cancelled', rejected: 'Rejected' };
const TRANSFER_STATUS_BY_NAME = Object.fromEntries(Object.entries(TRANSFER_STATUS).map(([k, v]) => [v, k as TransferStatus]));

/**
 * `/events/{event}/sections/{section}` (what the SDK's section.uri is) → the ids it names, with the
 * date (`{event}-{date}`) and tariff (`{section}-{tariff}`) when the URI carries them.
 */
function sectionOf(uri: string) {
  const parsed = parseSectionUri(uri);
  if (!parsed?.event) throw invalid('items', `${uri} is not a section URI (/events/{event}/sections/{section})`);
  return { eventId: parsed.event.id, dateId: parsed.event.part, sectionId: parsed.section.id, tariffId: parsed.section.part };
}

/** Orders (placed for a customer, paid by card) and ticket transfers between accounts. */
export async function sellingRoutes(app: FastifyInstance, { core, refs }: { core: Core; refs: References }) {
  async function events(caller: Principal, ids: number[]) {
    const found = new Map<number, Event>();
    for (const id of new Set(ids)) found.set(id, await core.events.read(caller, id));
    return found;
  }

  async function presentOrder(caller: Principal, order: Order) {
    const byId = await events(caller, order.lines.map((l) => l.eventId));
    const customer = order.accountId ? await core.accounts.get(order.accountId) : null;
    return {
      self: `/orders/${order.id}`,
      number: order.number,
      status: ORDER_STATUS[order.status],
      placed: order.createdAt,
      subtotal: toAmount(order.subtotal),
      fees: 0,
      discount: toAmount(order.discount),
      total: toAmount(order.total),
      currency: order.currency,
      items: order.lines.map((l) => {
        const event = byId.get(l.eventId)!;
        const section = event.sections.find((s) => s.id === l.sectionId);
        return { number: String(l.id), section: `/events/${eventRef(event, l.dateId)}/sections/${sectionRef(event, l.sectionId, l.tariffId)}`, name: section?.name ?? null, description: event.title, price: toAmount(l.unitPrice), quantity: l.quantity };
      }),
      customer: customer ? await refs.account(customer) : null,
    };
  }

  app.post('/orders', { schema: { body: S.OrderCreate } }, async (request, reply) => {
    const caller = callerOf(request);
    const body = request.body as { customer: string | number; items: Record<string, number> };
    const customerId = accountIdOf(body.customer);
    if (customerId === null) throw invalid('customer', 'is not an account URI or number');
    // A signed-in person orders for themself; sellers (support, host, administrator keys) for a customer.
    if (caller.signedIn ? caller.accountId !== customerId : !caller.scopes.has('sell')) throw new DomainError('FORBIDDEN', 'not your account');
    const customer = await core.accounts.read(caller, customerId).catch((error) => {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') throw invalid('customer', 'is not a known account');
      throw error;
    });
    const wanted = Object.entries(body.items).map(([uri, quantity]) => ({ ...sectionOf(uri), uri, quantity }));
    const byId = await events(caller, wanted.map((w) => w.eventId)).catch((error) => {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') throw invalid('items', 'names a section of an unknown event');
      throw error;
    });
    // Exactly the date and tariff the URI names; a plain id stands for the only date or tariff there is.
    const items = wanted.map((w) => {
      const event = byId.get(w.eventId)!;
      const tariffs = event.tariffs.filter((t) => t.sectionId === w.sectionId && (w.tariffId === null || t.id === w.tariffId));
      const dates = event.dates.filter((d) => w.dateId === null || d.id === w.dateId);
      if (tariffs.length !== 1 || dates.length !== 1) throw invalid('items', `${w.uri} is not a section on sale`);
      return { tariffId: tariffs[0].id, dateId: dates[0].id, quantity: w.quantity };
    });
    const channel = await core.channels.resolve(caller.organizationId, null);
    const name = [customer.firstName, customer.lastName].filter(Boolean).join(' ') || customer.username;
    const order = await core.directOrders.place(caller, channel, items, { forAccountId: customer.id, buyerName: name, buyerEmail: customer.email });
    return reply.status(201).send(await presentOrder(caller, order));
  });
  app.get('/orders/:id', { schema: { params: S.Id } }, async (request, reply) => {
    const caller = callerOf(request);
    return reply.send(await presentOrder(caller, await core.orders.read(caller, Number((request.params as { id: string }).id))));
  });
  app.post('/orders/:id/payments', { schema: { params: S.Id, body: S.PaymentCreate } }, async (request, reply) => {
    const caller = callerOf(request);
    const id = Number((request.params as { id: string }).id);
    const card = request.body as { number: string; cvv: string; expiryDate: string; name: string };
    try {
      const { payment } = await core.orders.pay(caller, id, { provider: 'test', card: { number: card.number, cvv: card.cvv, expiry: card.expiryDate, holder: card.name } });
      return reply.status(201).send({ date: payment.createdAt, amount: toAmount(payment.amount), status: payment.status === 'authorised' ? 'Authorised' : 'Pending' });
    } catch (error) {
      // A declined card is an answer, not an error: the order stays pending and can be paid again.
      if (error instanceof DomainError && error.code === 'PAYMENT_DECLINED') {
        const order = await core.orders.read(caller, id);
        return reply.status(201).send({ date: core.ctx.clock().toISOString(), amount: toAmount(order.total), status: 'Declined' });
      }
      throw error;
    }
  });

  async function presentTransfer(t: Transfer) {
    const party = async (accountId: number | null, email: string) => {
      const account = accountId ? await core.accounts.get(accountId) : null;
      return account ? { self: `/accounts/${accountNumber(account.id)}`, number: accountNumber(account.id), username: account.username, email: account.email } : { self: null, number: null, username: null, email };
    };
    const sender = await core.accounts.get(t.senderAccountId);
    return {
      self: `/transfers/${t.id}`,
      status: TRANSFER_STATUS[t.status],
      initiated: t.createdAt,
      resolved: t.resolvedAt,
      sender: await party(sender.id, sender.email),
      recipient: await party(t.recipientAccountId, t.recipientEmail),
      tickets: t.ticketIds.map((id) => `/tickets/${id}`),
    };
  }

  app.post('/transfers', { schema: { body: S.TransferCreate } }, async (request, reply) => {
    const caller = callerOf(request);
    const body = request.body as { sender: string | number; recipient: string; tickets: Record<string, number> };
    if (accountIdOf(body.sender) !== caller.accountId) throw new DomainError('FORBIDDEN', 'not your account');
    const sections = Object.entries(body.tickets).map(([uri, quantity]) => ({ sectionId: sectionOf(uri).sectionId, quantity }));
    const transfer = await core.transfers.create(caller, { recipientEmail: body.recipient, sections });
    return reply.status(201).send(await presentTransfer(transfer));
  });
  app.get('/transfers', { schema: { querystring: S.ListQuery(S.TransferFilters) } }, async (request, reply) => {
    const caller = callerOf(request);
    const q = request.query as ListQuery & { role?: 'sender' | 'recipient'; status?: string };
    return sendList(reply, q, (page) => core.transfers.list(caller, page, {
      role: q.role === 'sender' ? 'sent' : q.role === 'recipient' ? 'received' : undefined,
      status: q.status ? TRANSFER_STATUS_BY_NAME[q.status] : undefined,
    }), presentTransfer);
  });
  app.get('/transfers/:id', { schema: { params: S.Id } }, async (request, reply) => {
    return reply.send(await presentTransfer(await core.transfers.read(callerOf(request), Number((request.params as { id: string }).id))));
  });
  app.post('/transfers/:id/claims', { schema: { params: S.Id, body: S.Empty } }, async (request, reply) => {
    const transfer = await core.transfers.claim(callerOf(request), Number((request.params as { id: string }).id));
    return reply.status(201).send(await presentTransfer(transfer));
  });
  app.post('/transfers/:id/rejections', { schema: { params: S.Id, body: S.Empty } }, async (request, reply) => {
    const transfer = await core.transfers.reject(callerOf(request), Number((request.params as { id: string }).id));
    return reply.status(201).send(await presentTransfer(transfer));
  });
  app.delete('/transfers/:id', { schema: { params: S.Id } }, async (request, reply) => {
    const caller = callerOf(request);
    const id = Number((request.params as { id: string }).id);
    await core.transfers.cancel(caller, id);
    return reply.send(await presentTransfer(await core.transfers.read(caller, id)));
  });
}
