import crypto from 'node:crypto';
import { claimIdempotencyKey } from '../requests/idempotency.ts';
import type { Insertable } from 'kysely';
import type { PaymentsTable } from '../../db/tables.ts';
import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { toIso } from '../../db/quirks.ts';
import type { Db } from '../../db/database.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { requireRightOrScope } from '../identity/roles.ts';
import { inventory } from './inventory.ts';
import { sectionCapacities } from '../catalog/repository.ts';
import { mayUsePurchase } from './carts.ts';
import { redeemCode, releaseCode } from './codes.ts';
import { defaultProviders, type ChargeResult, type PaymentInput, type PaymentProvider, type PaymentStatus } from './payments.ts';
import { sellingRepository as repo, type OrderSort, type OrderLineRow, type OrderRow, type PaymentRow, type TicketRow } from './repository.ts';
import { issueTickets, maySeeTicketOfOrder, randomReference, signedTicketRows, signingKey, toTicket, type Ticket } from './tickets.ts';
import { answersForCheckout, answersOfOrder, type AnswerInput } from './questions.ts';
import { cancelPendingTransfersOf } from './transfers.ts';
import { addTalliesFromJson, salesTallies, type TallyLine } from '../reporting/tallies.ts';
import { outboxEventRow, recordEvent } from '../delivery/index.ts';
import { checkOutSeats, freeTicketSeats, releaseSeats, sellSeats, ticketSeats } from '../seating/index.ts';

export type OrderStatus = 'pending' | 'paid' | 'expired' | 'cancelled' | 'partially_refunded' | 'refunded';

export interface OrderLine {
  id: number;
  eventId: number;
  dateId: number;
  sectionId: number;
  tariffId: number;
  channelId: number;
  quantity: number;
  unitPrice: number;
  discount: number;
  total: number;
  refundedQuantity: number;
}

export interface Payment {
  id: number;
  provider: string;
  method: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  reference: string | null;
  cardLast4: string | null;
  failureReason: string | null;
  createdAt: string;
}

export interface Order {
  id: number;
  number: string;
  status: OrderStatus;
  channelId: number;
  accountId: number | null;
  buyerName: string | null;
  buyerEmail: string | null;
  currency: string;
  subtotal: number;
  discount: number;
  total: number;
  refundedAmount: number;
  codeId: number | null;
  expiresAt: string | null;
  paidAt: string | null;
  lines: OrderLine[];
  payments: Payment[];
  tickets: Ticket[];
  createdAt: string;
}

export { ORDER_SORTS, type OrderSort } from './repository.ts';

/** One entry of an order's history. */
export interface OrderEvent {
  at: string;
  /** placed, payment_<status>, paid, refunded, cancelled, expired, transfer_sent, transfer_<status>. */
  kind: string;
  amount: number | null;
  detail: string | null;
}

/** A sale detail: one order line as sellers read it (what was sold, where, when, for how much). */
export interface SaleDetail extends OrderLine {
  orderId: number;
  orderNumber: string;
  orderStatus: OrderStatus;
  currency: string;
  paidAt: string | null;
}

export interface CheckoutInput {
  buyerName?: string | null;
  buyerEmail?: string | null;
  code?: string | null;
  /** Holder names per cart item, in ticket order. */
  holders?: { itemId: number; names: { name?: string | null; email?: string | null }[] }[];
  answers?: AnswerInput[];
  /** Pay in the same request (one-step checkout); a decline leaves the order pending. */
  payment?: PaymentInput;
  /** The buyer's language (an Accept-Language value): the e-mails about the order are written in it. */
  language?: string | null;
}

const toLine = (l: OrderLineRow): OrderLine => ({
  id: l.id,
  eventId: l.event_id,
  dateId: l.date_id,
  sectionId: l.section_id,
  tariffId: l.tariff_id,
  channelId: l.channel_id,
  quantity: l.quantity,
  unitPrice: l.unit_price,
  discount: l.discount,
  total: l.total,
  refundedQuantity: l.refunded_quantity,
});

const toPayment = (p: PaymentRow): Payment => ({
  id: p.id,
  provider: p.provider,
  method: p.method,
  status: p.status as PaymentStatus,
  amount: p.amount,
  currency: p.currency,
  reference: p.reference,
  cardLast4: p.card_last4,
  failureReason: p.failure_reason,
  createdAt: toIso(p.created_at)!,
});

/** Order numbers are short public references (not the id). */
const orderNumber = () => randomReference(10);

/** The share of a line's total that refunding `n` more of its tickets gives back (the parts add up exactly to the total). */
export function refundShare(line: { total: number; quantity: number; refunded_quantity: number }, n: number) {
  const before = Math.floor((line.total * line.refunded_quantity) / line.quantity);
  const after = Math.floor((line.total * (line.refunded_quantity + n)) / line.quantity);
  return after - before;
}

const orderLinkMessage = (organizationId: number, orderId: number) => `guichet-order-link.v1.${organizationId}.${orderId}`;

export function orderService(ctx: CoreContext, providers: Map<string, PaymentProvider> = defaultProviders()) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();
  const tallies = salesTallies(database, ctx.clock);

  async function owned(db: Db, principal: Principal, id: number): Promise<OrderRow> {
    requireScope(principal, 'buy', 'sell');
    const order = await repo.order(db, principal.organizationId, id);
    if (!order || !mayUsePurchase(principal, order)) throw notFound('Order');
    return order;
  }

  async function present(rows: OrderRow[], viewer?: Principal): Promise<Order[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [lines, payments, tickets] = await Promise.all([repo.lines(database.db, ids), repo.payments(database.db, ids), repo.ticketsOfOrders(database.db, ids)]);
    return assemble(rows, { lines, payments, tickets }, viewer);
  }

  /** Orders from rows already at hand (the write paths have them: no need to read them back). */
  async function assemble(rows: OrderRow[], parts: { lines: OrderLineRow[]; payments: PaymentRow[]; tickets: TicketRow[] }, viewer?: Principal): Promise<Order[]> {
    const { lines, payments, tickets } = parts;
    const key = await signingKey(database.db, rows[0].organization_id, now());
    const t = now();
    return rows.map((r) => {
      const expiresAt = toIso(r.expires_at);
      // A pending order past its payment window is expired, whether or not housekeeping has recorded it yet.
      const status = (r.status === 'pending' && expiresAt !== null && expiresAt <= t ? 'expired' : r.status) as OrderStatus;
      return {
        id: r.id,
        number: r.number,
        status,
        channelId: r.channel_id,
        accountId: r.account_id,
        buyerName: r.buyer_name,
        buyerEmail: r.buyer_email,
        currency: r.currency,
        subtotal: r.subtotal,
        discount: r.discount,
        total: r.total,
        refundedAmount: r.refunded_amount,
        codeId: r.code_id,
        expiresAt: status === 'pending' ? expiresAt : null,
        paidAt: toIso(r.paid_at),
        lines: lines.filter((l) => l.order_id === r.id).map(toLine),
        payments: payments.filter((p) => p.order_id === r.id).map(toPayment),
        tickets: tickets.filter((x) => x.order_id === r.id && (!viewer || maySeeTicketOfOrder(viewer, x))).map((x) => toTicket(x, key)),
        createdAt: toIso(r.created_at)!,
      };
    });
  }

  const one = async (principal: Principal, id: number) => (await present([await owned(database.db, principal, id)], principal))[0];

  /** Turns an order's holds into sales; the paid order and its lines, or null when a hold had expired meanwhile. */
  async function complete(trx: Db, order: OrderRow, t: string, known?: OrderLineRow[]) {
    const lines = known ?? (await repo.lines(trx, [order.id]));
    const sold = await repo.sellHolds(trx, order.id, t);
    if (sold.length !== lines.length) return null;
    // A seat taken over after its hold lapsed: nothing of this transaction may stay (see settle).
    if (!(await sellSeats(trx, sold, t))) throw new SeatsLapsed();
    const paid = await repo.payOrder(trx, order.id, t);
    if (!paid) return null;
    // The ticket counts' aggregates change in the same transaction as the sale.
    await tallies.recordSale(trx, paid, lines, new Date(t));
    return { order: paid, lines };
  }

  /** Releases what a pending order holds (places and code use) and gives it a final status. */
  async function release(trx: Db, order: OrderRow, status: 'cancelled' | 'expired', t: string) {
    if (!(await repo.transitionOrder(trx, order.id, ['pending'], { status, cancelled_at: status === 'cancelled' ? t : null, updated_at: t }))) return false;
    const holds = await repo.releaseOrderHolds(trx, order.id);
    for (const hold of holds) {
      await inventory.giveBack(trx, { capacityId: hold.capacity_id, tariffId: hold.tariff_id, dateId: hold.date_id }, hold.quantity);
    }
    await releaseSeats(trx, holds);
    if (order.code_id !== null) await releaseCode(trx, order.code_id);
    return true;
  }

  /** Charges a loaded pending order through a provider and settles it. */
  async function payLoaded(principal: Principal, order: OrderRow, input: PaymentInput, lines?: OrderLineRow[]): Promise<{ order: Order; payment: Payment }> {
    const provider = providerFor(principal, input);
    if (order.status !== 'pending' || toIso(order.expires_at)! <= now()) {
      throw new DomainError(order.status === 'pending' ? 'HOLD_EXPIRED' : 'CONFLICT', `This order is ${order.status === 'pending' ? 'expired' : order.status}`);
    }
    const result = await provider.charge(order.total, order.currency, input, ctx.clock());
    const values = paymentValues(order, provider, result, now());
    if (result.status === 'authorised') {
      // The payment is recorded in the same transaction that sells the places.
      const paid = await settle(order, provider, { values }, lines);
      return { order: (await assemble([paid.order], { lines: paid.lines, payments: [paid.payment], tickets: paid.tickets }, principal))[0], payment: toPayment(paid.payment) };
    }
    const payment = await repo.insertPayment(database.db, values);
    if (result.status === 'declined') throw declined(payment);
    return { order: await one(principal, order.id), payment: toPayment(payment) };
  }

  function providerFor(principal: Principal, input: PaymentInput): PaymentProvider {
    const provider = providers.get(input.provider);
    if (!provider) throw invalid('provider', `must be one of ${[...providers.keys()].join(', ')}`);
    // Manual payments (cash, card terminal) are the box office's: a member needs that right, a client the sell scope.
    if (provider.staffOnly) {
      requireScope(principal, 'sell');
      requireRightOrScope(principal, 'box_office', 'sell');
    }
    return provider;
  }
  return {
    /**
     * Checkout: the cart's live holds become an order, priced (with the code, if any), with the
     * buyer's answers. A free order is complete at once; otherwise it awaits payment for as long as
     * places are held. A payment given with the checkout through an in-process provider is charged
     * in the same transaction: an authorised order is created paid (holds sold, tickets valid) in
     * one commit; a declined or challenged one stays pending with its payment recorded.
     */
    async checkout(principal: Principal, cartId: number, input: CheckoutInput): Promise<Order> {
      requireScope(principal, 'buy', 'sell');
      const provider = input.payment ? providerFor(principal, input.payment) : null; // refuse before creating anything
      const t = now();
      const until = new Date(ctx.clock().getTime() + ctx.config.holdTtlSeconds * 1000).toISOString();
      let charged: (ChargeResult & { amount: number }) | null = null;
      // Read before the transaction, not inside it: the key is read (or created) through the pool, and a
      // transaction that waits for a second connection stops the on-sale once every connection is in one.
      const key = await signingKey(database.db, principal.organizationId, t);
      const result = await database.transaction(async (trx) => {
        // The cart is marked checked out first (the transaction undoes it if the checkout fails).
        const claim = await repo.claimCartForCheckout(trx, database.engine, principal.organizationId, cartId, t);
        if (!claim) {
          const found = await repo.cart(trx, principal.organizationId, cartId);
          if (!found || !mayUsePurchase(principal, found)) throw notFound('Cart');
          throw new DomainError('CONFLICT', 'This cart has already been checked out');
        }
        const { cart } = claim;
        if (!mayUsePurchase(principal, cart)) throw notFound('Cart');
        const inCart = claim.items.filter((i) => i.status === 'held' || i.status === 'expired');
        if (inCart.length === 0) throw invalid('cart', 'the cart is empty');
        const expired = inCart.filter((i) => i.status === 'expired' || toIso(i.expires_at)! <= t);
        const items = inCart;
        if (expired.length > 0) {
          throw new DomainError('HOLD_EXPIRED', 'Some places are no longer held: remove the expired items and add them again', { expired_item_ids: expired.map((i) => i.id) });
        }
        // An event that requires holder names gets one for each of its tickets, or no order.
        const holderOf = (itemId: number, n: number) => input.holders?.find((h) => h.itemId === itemId)?.names[n];
        const unnamed = items.filter((i) => i.names_required && Array.from({ length: i.quantity }, (_, n) => holderOf(i.id, n)?.name?.trim()).some((name) => !name));
        if (unnamed.length > 0) {
          const [event] = await repo.eventsRequiringNames(trx, principal.organizationId, [unnamed[0].event_id]);
          throw invalid('holders', `${event.title} needs the name of each ticket's holder`);
        }
        const currency = items[0].currency;
        if (items.some((i) => i.currency !== currency)) throw invalid('cart', 'all items of an order must be in one currency');
        const priced = items.map((i) => ({ tariffId: i.tariff_id, eventId: i.event_id, total: i.unit_price * i.quantity }));
        const subtotal = priced.reduce((sum, l) => sum + l.total, 0);
        const discount = input.code ? await redeemCode(trx, principal.organizationId, input.code, priced, currency, t) : null;
        const total = subtotal - (discount?.total ?? 0);
        if (provider?.inProcess && total > 0) charged = { ...(await provider.charge(total, currency, input.payment!, ctx.clock())), amount: total };
        const paidNow = total === 0 || charged?.status === 'authorised';
        const orderValues = {
          organization_id: principal.organizationId,
          number: orderNumber(),
          cart_id: cartId,
          channel_id: cart.channel_id,
          oauth_client_id: principal.clientId,
          account_id: cart.account_id ?? (principal.signedIn ? principal.accountId : null),
          web_session_id: cart.web_session_id,
          status: paidNow ? 'paid' : 'pending',
          currency,
          subtotal,
          discount: discount?.total ?? 0,
          total,
          code_id: discount?.codeId ?? null,
          buyer_name: input.buyerName ?? null,
          buyer_email: input.buyerEmail?.toLowerCase() ?? null,
          expires_at: paidNow ? null : until,
          paid_at: paidNow ? t : null,
          created_at: t,
          updated_at: t,
        };
        const lineValues = (orderId: number) =>
          items.map((i, index) => ({
            organization_id: principal.organizationId,
            order_id: orderId,
            cart_item_id: i.id,
            event_id: i.event_id,
            date_id: i.date_id,
            section_id: i.section_id,
            tariff_id: i.tariff_id,
            channel_id: cart.channel_id,
            quantity: i.quantity,
            unit_price: i.unit_price,
            discount: discount?.discounts[index] ?? 0,
            total: priced[index].total - (discount?.discounts[index] ?? 0),
            created_at: t,
          }));
        // Tickets exist from checkout on (status `valid` only once paid), so holder names and per-ticket answers attach to them.
        const ticketsOf = (orderId: number, accountId: number | null, lines: { id: number; event_id: number; date_id: number; section_id: number; tariff_id: number; quantity: number; cart_item_id: number | null }[]) =>
          lines.flatMap((line) => {
            const seats = ticketSeats(items.find((i) => i.id === line.cart_item_id)!, line.quantity);
            return Array.from({ length: line.quantity }, (_, n) => ({
              eventId: line.event_id,
              dateId: line.date_id,
              sectionId: line.section_id,
              tariffId: line.tariff_id,
              orderId,
              orderLineId: line.id,
              guestId: null,
              kind: 'sale' as const,
              holderName: holderOf(line.cart_item_id!, n)?.name?.trim() || input.buyerName || null,
              holderEmail: (holderOf(line.cart_item_id!, n)?.email ?? input.buyerEmail ?? null)?.toLowerCase() ?? null,
              holderAccountId: accountId,
              seat: seats[n],
            }));
          });
        // PostgreSQL, a paid order of general-admission places whose events ask no questions (the
        // on-sale): written by one statement under the ids the claim drew, its tickets signed first.
        if (claim.ids && key && paidNow && items.every((i) => i.seats === null && !i.asks_questions)) {
          const ids = claim.ids;
          const order = { ...orderValues, id: ids.order };
          await claimIdempotencyKey(trx, principal, `order:${order.id}`, t);
          const lines = lineValues(order.id).map((line, index) => ({ ...line, id: ids.lines[index] }));
          const tickets = signedTicketRows(key, principal.organizationId, ids.tickets, ticketsOf(order.id, order.account_id, lines), t, 'valid');
          const written = await repo.placePaidOrder(trx, {
            cartId,
            now: t,
            order,
            lines,
            tickets,
            tallies: { sql: addTalliesFromJson, rows: await tallies.saleRows(trx, order, lines, new Date(t)) },
            // The confirmation e-mail and webhooks: one outbox row, written with the sale.
            outbox: outboxEventRow(ctx.config, { organizationId: order.organization_id, topic: 'order.paid', subjectId: order.id, payload: input.language ? { language: input.language } : undefined }, t),
            payments: charged ? [paymentValues(order, provider!, charged, t)] : [],
          });
          if (written.sold !== items.length) throw new DomainError('HOLD_EXPIRED', 'Some places are no longer held');
          // A barcode already taken (1 in 2^80) skipped its ticket: the transaction is undone, the buyer may try again.
          if (written.tickets.length !== tickets.length) throw new Error('a ticket barcode was drawn twice; nothing was recorded');
          return written;
        }
        const order = await repo.insertOrder(trx, orderValues);
        // The Idempotency-Key, if any, commits with the order or not at all.
        await claimIdempotencyKey(trx, principal, `order:${order.id}`, t);
        const claimed = paidNow ? await repo.sellCartHolds(trx, cartId, order.id, t) : await repo.claimHolds(trx, cartId, order.id, until, t);
        if (claimed.length !== items.length) throw new DomainError('HOLD_EXPIRED', 'Some places are no longer held');
        const lines = await repo.insertLines(trx, lineValues(order.id));
        // Signed before they are stored (the key was read above): nothing is written after this transaction.
        const tickets = await issueTickets(trx, principal.organizationId, ticketsOf(order.id, order.account_id, lines), t, paidNow ? 'valid' : 'pending', { key, engine: database.engine });
        // Seated holds: their seats are sold (or kept for the payment window); the tickets carry them.
        if (items.some((i) => i.seats !== null)) await checkOutSeats(trx, items, paidNow ? null : until, t);
        const ticketPlaces = tickets.map((ticket) => {
          const line = lines.find((l) => l.id === ticket.order_line_id)!;
          const siblings = tickets.filter((x) => x.order_line_id === line.id);
          return { ticketId: ticket.id, eventId: line.event_id, itemId: line.cart_item_id!, index: siblings.indexOf(ticket) };
        });
        const asking = [...new Set(items.filter((i) => i.asks_questions).map((i) => i.event_id))];
        await answersForCheckout(trx, principal.organizationId, order.id, asking, ticketPlaces, input.answers ?? [], t);
        // The ticket counts' aggregates change in the same transaction as the sale.
        if (paidNow) await tallies.recordSale(trx, order, lines, new Date(t));
        // The confirmation e-mail and webhooks: one outbox row, written with the sale.
        if (paidNow) await recordEvent(ctx.config, trx, { organizationId: order.organization_id, topic: 'order.paid', subjectId: order.id, payload: input.language ? { language: input.language } : undefined }, t);
        const payments = charged ? [await repo.insertPayment(trx, paymentValues(order, provider!, charged, t))] : [];
        return { order, lines, tickets, payments };
      }).catch(async (error) => {
        // Nothing was recorded: an authorisation taken before the failure is given back.
        if (charged?.status === 'authorised') await provider!.refund(charged.reference, charged.amount);
        throw error;
      });
      const [payment] = result.payments;
      if (payment?.status === 'declined') throw declined(payment);
      // A provider that calls out is charged now, between this transaction and the payment's.
      if (input.payment && !payment && result.order.status === 'pending') return (await payLoaded(principal, result.order, input.payment, result.lines)).order;
      return (await assemble([result.order], result, principal))[0];
    },

    read: one,

    /**
     * What happened to an order, oldest first, from the records themselves: placed, each payment
     * attempt, paid, each refund, cancelled or expired, and transfers of its tickets.
     */
    async history(principal: Principal, orderId: number): Promise<OrderEvent[]> {
      const order = await owned(database.db, principal, orderId);
      const [payments, refunds, transfers] = await Promise.all([
        repo.payments(database.db, [order.id]),
        repo.refundsOf(database.db, principal.organizationId, order.id),
        repo.transfersOfOrder(database.db, principal.organizationId, order.id),
      ]);
      const events: OrderEvent[] = [{ at: toIso(order.created_at)!, kind: 'placed', amount: order.total, detail: null }];
      for (const p of payments) {
        events.push({ at: toIso(p.created_at)!, kind: `payment_${p.status}`, amount: p.amount, detail: [p.provider, p.method, p.card_last4 ? `•••• ${p.card_last4}` : null, p.failure_reason].filter(Boolean).join(' · ') });
      }
      if (order.paid_at) events.push({ at: toIso(order.paid_at)!, kind: 'paid', amount: order.total, detail: null });
      for (const r of refunds) events.push({ at: toIso(r.created_at)!, kind: 'refunded', amount: r.amount, detail: r.reason });
      if (order.cancelled_at) events.push({ at: toIso(order.cancelled_at)!, kind: order.status === 'expired' ? 'expired' : 'cancelled', amount: null, detail: null });
      for (const t of transfers) {
        events.push({ at: toIso(t.created_at)!, kind: 'transfer_sent', amount: null, detail: `${t.tickets} → ${t.recipient_email}` });
        if (t.resolved_at) events.push({ at: toIso(t.resolved_at)!, kind: `transfer_${t.status}`, amount: null, detail: t.recipient_email });
      }
      return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    },

    /** The answers to the event questions given with an order, for whoever may read the order. */
    /**
     * A signed link to one order, for a buyer without an account (what the confirmation e-mail
     * carries): whoever holds it may read the order and its tickets, nothing else. Signed with the
     * organization's Ed25519 key; it does not expire, like the tickets it shows.
     */
    async link(principal: Principal, orderId: number): Promise<string> {
      const order = await owned(database.db, principal, orderId);
      const key = await signingKey(database.db, order.organization_id, now());
      return `${order.organization_id}-${order.id}-${key.sign(orderLinkMessage(order.organization_id, order.id))}`;
    },

    /** The order a signed link names; NOT_FOUND for a link that is malformed or not signed by the organization. */
    async byLink(token: string): Promise<Order & { organizationId: number }> {
      const match = /^(\d{1,9})-(\d{1,9})-([A-Za-z0-9_-]{86})$/.exec(token);
      if (!match) throw notFound('Order');
      const organizationId = Number(match[1]);
      const orderId = Number(match[2]);
      const row = await repo.order(database.db, organizationId, orderId);
      if (!row) throw notFound('Order');
      const key = await signingKey(database.db, organizationId, now());
      const valid = crypto.verify(null, Buffer.from(orderLinkMessage(organizationId, orderId)), crypto.createPublicKey(key.publicKeyPem), Buffer.from(match[3], 'base64url'));
      if (!valid) throw notFound('Order');
      const [order] = await present([row]);
      return { ...order, organizationId };
    },

    async answers(principal: Principal, orderId: number) {
      await owned(database.db, principal, orderId);
      return answersOfOrder(database.db, principal.organizationId, orderId);
    },

    async list(principal: Principal, page: Page, filter: { status?: string; eventId?: number; from?: string; to?: string; search?: string; sort?: OrderSort } = {}): Promise<Paged<Order>> {
      requireScope(principal, 'buy', 'sell');
      // Buyers list their own orders; sellers every order of the organization.
      const seller = principal.scopes.has('sell');
      const { rows, total } = await repo.listOrders(database.db, principal.organizationId, page, {
        ...filter,
        accountId: !seller && principal.signedIn ? (principal.accountId ?? -1) : undefined,
        clientId: !seller && !principal.signedIn ? (principal.clientId ?? -1) : undefined,
      });
      return { items: await present(rows, principal), total };
    },

    /** Pays a pending order through a provider. Declines leave the order pending so the buyer can try again. */
    async pay(principal: Principal, orderId: number, input: PaymentInput): Promise<{ order: Order; payment: Payment }> {
      return payLoaded(principal, await owned(database.db, principal, orderId), input);
    },

    /** Completes a payment that required the buyer's action (the test provider's 3-D Secure-like step). */
    async confirmPayment(principal: Principal, orderId: number, paymentId: number, outcome: 'approve' | 'decline'): Promise<{ order: Order; payment: Payment }> {
      const order = await owned(database.db, principal, orderId);
      const payment = await repo.payment(database.db, principal.organizationId, orderId, paymentId);
      if (!payment) throw notFound('Payment');
      if (payment.status !== 'requires_action') throw new DomainError('CONFLICT', `This payment is ${payment.status}`);
      const provider = providers.get(payment.provider)!;
      const status = await provider.confirm(payment.reference ?? '', outcome);
      if (!(await repo.setPaymentStatus(database.db, payment.id, 'requires_action', status, now(), status === 'declined' ? 'authentication_failed' : null))) {
        throw new DomainError('CONFLICT', 'This payment has already been confirmed');
      }
      if (status === 'authorised') await settle(order, provider, { existing: { ...payment, status } });
      else throw new DomainError('PAYMENT_DECLINED', 'The payment was declined (authentication_failed)', { payment_id: payment.id, reason: 'authentication_failed' });
      const saved = await repo.payment(database.db, principal.organizationId, orderId, paymentId);
      return { order: await one(principal, orderId), payment: toPayment(saved!) };
    },

    /** Cancels a pending order: its places and code use return at once. Paid orders are refunded instead. */
    async cancel(principal: Principal, orderId: number): Promise<Order> {
      await database.transaction(async (trx) => {
        const order = await owned(trx, principal, orderId);
        if (order.status !== 'pending') throw new DomainError('INVALID_TRANSITION', `A ${order.status} order cannot be cancelled${order.status === 'paid' ? '; refund it' : ''}`);
        await release(trx, order, 'cancelled', now());
        await repo.setPendingTickets(trx, order.id, 'cancelled', now());
        await recordEvent(ctx.config, trx, { organizationId: order.organization_id, topic: 'order.cancelled', subjectId: order.id }, now());
      });
      return one(principal, orderId);
    },

    /** Refunds all or some tickets of a paid order (sellers only); their places return to sale. */
    async refund(principal: Principal, orderId: number, input: { ticketIds?: number[]; reason?: string | null }): Promise<Order> {
      requireScope(principal, 'sell');
      await database.transaction(async (trx) => {
        const order = await owned(trx, principal, orderId);
        if (order.status !== 'paid' && order.status !== 'partially_refunded') throw new DomainError('INVALID_TRANSITION', `A ${order.status} order cannot be refunded`);
        const t = now();
        const refunded = await repo.refundTickets(trx, order.id, input.ticketIds ?? null, t);
        if (refunded.length === 0 || (input.ticketIds && refunded.length !== new Set(input.ticketIds).size)) {
          throw invalid('ticket_ids', 'must be valid tickets of this order');
        }
        await freeTicketSeats(trx, refunded);
        // A refunded ticket can no longer be handed over.
        await cancelPendingTransfersOf(trx, principal.organizationId, refunded.map((x) => x.id), t);
        const lines = await repo.lines(trx, [order.id]);
        let amount = 0;
        const tallied: { line: TallyLine; quantity: number; amount: number }[] = [];
        for (const line of lines) {
          const n = refunded.filter((x) => x.order_line_id === line.id).length;
          if (n === 0) continue;
          const share = refundShare(line, n);
          amount += share;
          tallied.push({ line, quantity: n, amount: share });
          await repo.addRefundedQuantity(trx, line.id, n);
          const [capacity] = await sectionCapacities.all(trx, order.organization_id, { date_id: line.date_id, section_id: line.section_id });
          await inventory.giveBack(trx, { capacityId: capacity.id, tariffId: line.tariff_id, dateId: line.date_id }, n);
        }
        await tallies.recordRefund(trx, order, tallied, new Date(t));
        const anyLeft = await repo.hasValidTickets(trx, order.id);
        await repo.addRefunded(trx, order.id, amount, anyLeft ? 'partially_refunded' : 'refunded', t);
        await repo.insertRefund(trx, { organization_id: order.organization_id, order_id: order.id, amount, reason: input.reason ?? null, created_at: t });
        await recordEvent(ctx.config, trx, { organizationId: order.organization_id, topic: 'order.refunded', subjectId: order.id, payload: { amount, refunded_ticket_ids: refunded.map((x) => x.id) } }, t);
        const payment = (await repo.payments(trx, [order.id])).find((p) => p.status === 'authorised');
        if (payment && amount > 0) await providers.get(payment.provider)?.refund(payment.reference ?? '', amount);
      });
      return one(principal, orderId);
    },

    async saleDetails(principal: Principal, page: Page, filter: { eventId?: number; dateId?: number; channelId?: number; from?: string; to?: string } = {}): Promise<Paged<SaleDetail>> {
      requireScope(principal, 'sell');
      const { rows, total } = await repo.saleDetails(database.db, principal.organizationId, page, filter);
      return {
        items: rows.map((r) => ({
          ...toLine(r),
          orderId: r.order_id,
          orderNumber: r.order_number,
          orderStatus: r.order_status as OrderStatus,
          currency: r.currency,
          paidAt: toIso(r.paid_at),
        })),
        total,
      };
    },

    /**
     * Housekeeping: records pending orders whose payment window closed as expired and gives back their
     * code uses. Inventory does not wait for this (expired holds stop counting by themselves).
     */
    async expireStale(limit = 500): Promise<number> {
      const t = now();
      let expired = 0;
      for (const stale of await repo.staleOrders(database.db, t, limit)) {
        await database.transaction(async (trx) => {
          const order = await repo.order(trx, stale.organization_id, stale.id);
          if (order && (await release(trx, order, 'expired', t))) {
            await repo.setPendingTickets(trx, order.id, 'cancelled', t);
            expired++;
          }
        });
      }
      return expired;
    },
  };

  /** Records an authorised payment: the order becomes paid, or, if its holds lapsed meanwhile, the payment is voided. */
  async function settle(order: OrderRow, provider: PaymentProvider, payment: { existing: PaymentRow } | { values: Insertable<PaymentsTable> }, lines?: OrderLineRow[]) {
    const t = now();
    const done = await database
      .transaction(async (trx) => {
        const paid = await complete(trx, order, t, lines);
        if (!paid) return null;
        const recorded = 'existing' in payment ? payment.existing : await repo.insertPayment(trx, payment.values);
        await recordEvent(ctx.config, trx, { organizationId: order.organization_id, topic: 'order.paid', subjectId: order.id }, t);
        return { ...paid, payment: recorded, tickets: await activateTickets(trx, order.id, t) };
      })
      .catch((error) => {
        if (error instanceof SeatsLapsed) return null;
        throw error;
      });
    if (done) return done;
    const reference = 'existing' in payment ? payment.existing.reference : payment.values.reference;
    await provider.refund(reference ?? '', order.total);
    if ('existing' in payment) await repo.setPaymentStatus(database.db, payment.existing.id, payment.existing.status, 'voided', t, 'hold_expired');
    else await repo.insertPayment(database.db, { ...payment.values, status: 'voided', failure_reason: 'hold_expired' });
    throw new DomainError('HOLD_EXPIRED', 'The places were no longer held when the payment arrived; the payment has been voided');
  }
}

/** Thrown inside a payment's transaction when a seat of the order was taken over after its hold lapsed: the transaction rolls back and the payment is voided. */
class SeatsLapsed extends Error {}

/** The record of a charge on an order, whatever its outcome. */
function paymentValues(order: Pick<OrderRow, 'organization_id' | 'id' | 'total' | 'currency'>, provider: PaymentProvider, result: ChargeResult, t: string): Insertable<PaymentsTable> {
  return {
    organization_id: order.organization_id,
    order_id: order.id,
    provider: provider.name,
    method: result.method,
    status: result.status,
    amount: order.total,
    currency: order.currency,
    reference: result.reference,
    card_last4: result.cardLast4,
    failure_reason: result.failureReason,
    created_at: t,
    updated_at: t,
  };
}

const declined = (payment: PaymentRow) =>
  new DomainError('PAYMENT_DECLINED', `The payment was declined (${payment.failure_reason})`, { order_id: payment.order_id, payment_id: payment.id, reason: payment.failure_reason });

/** A paid order's tickets start admitting. */
const activateTickets = (trx: Db, orderId: number, t: string) => repo.setPendingTickets(trx, orderId, 'valid', t);

export type OrderService = ReturnType<typeof orderService>;
