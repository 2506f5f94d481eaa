import { sql } from 'kysely';
import type { CoreContext } from '../context.ts';
import { invalid, notFound } from '../errors.ts';
import type { Db } from '../../db/database.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { events } from '../catalog/repository.ts';

/**
 * The transactions report: orders placed, payments received and refunds made over a period, for
 * the organization or one event, with totals per channel and per payment method. An order that
 * spans several events counts whole under each of them (payments are per order, not per line).
 */
export interface TransactionFilter { from: string; to: string; eventId?: number }

export interface TransactionTotals {
  from: string;
  to: string;
  eventId: number | null;
  /** One entry per currency. */
  currencies: {
    currency: string;
    orders: { placed: number; paid: number; cancelledOrExpired: number; total: number };
    payments: { count: number; amount: number };
    refunds: { count: number; amount: number };
    /** payments − refunds. */
    net: number;
    byChannel: { channelId: number; orders: number; payments: number; paymentAmount: number; refunds: number; refundAmount: number; net: number }[];
    byPaymentMethod: { provider: string; method: string; payments: number; paymentAmount: number; refunds: number; refundAmount: number; net: number }[];
  }[];
}

const transactionRepository = {
  /** Orders restricted to the organization and, when given, to those with a line of the event. */
  orderScope(db: Db, organizationId: number, eventId: number | undefined) {
    let query = db.selectFrom('orders').where('orders.organization_id', '=', organizationId);
    if (eventId !== undefined) {
      query = query.where((eb) => eb.exists(eb.selectFrom('order_lines').select('order_lines.id').whereRef('order_lines.order_id', '=', 'orders.id').where('order_lines.event_id', '=', eventId)));
    }
    return query;
  },
  async orders(db: Db, organizationId: number, f: TransactionFilter) {
    const rows = await transactionRepository
      .orderScope(db, organizationId, f.eventId)
      .select([
        'orders.currency',
        'orders.channel_id',
        sql<number>`count(*)`.as('placed'),
        sql<number>`sum(case when orders.paid_at is not null then 1 else 0 end)`.as('paid'),
        sql<number>`sum(case when orders.status in ('cancelled', 'expired') then 1 else 0 end)`.as('dropped'),
        sql<number>`sum(case when orders.paid_at is not null then orders.total else 0 end)`.as('total'),
      ])
      .where('orders.created_at', '>=', f.from)
      .where('orders.created_at', '<', f.to)
      .groupBy(['orders.currency', 'orders.channel_id'])
      .execute();
    return rows.map((r) => ({ ...r, placed: Number(r.placed), paid: Number(r.paid), dropped: Number(r.dropped), total: Number(r.total) }));
  },
  async payments(db: Db, organizationId: number, f: TransactionFilter) {
    const rows = await transactionRepository
      .orderScope(db, organizationId, f.eventId)
      .innerJoin('payments', 'payments.order_id', 'orders.id')
      .select(['payments.currency', 'orders.channel_id', 'payments.provider', 'payments.method', sql<number>`count(*)`.as('n'), sql<number>`sum(payments.amount)`.as('amount')])
      .where('payments.status', '=', 'authorised')
      .where('payments.created_at', '>=', f.from)
      .where('payments.created_at', '<', f.to)
      .groupBy(['payments.currency', 'orders.channel_id', 'payments.provider', 'payments.method'])
      .execute();
    return rows.map((r) => ({ ...r, n: Number(r.n), amount: Number(r.amount) }));
  },
  /** Refunds, with the method of the payment they went back through. */
  async refunds(db: Db, organizationId: number, f: TransactionFilter) {
    const rows = await transactionRepository
      .orderScope(db, organizationId, f.eventId)
      .innerJoin('refunds', 'refunds.order_id', 'orders.id')
      .leftJoin('payments', (join) => join.onRef('payments.order_id', '=', 'orders.id').on('payments.status', '=', 'authorised'))
      .select([
        'orders.currency',
        'orders.channel_id',
        sql<string>`coalesce(payments.provider, 'none')`.as('provider'),
        sql<string>`coalesce(payments.method, 'none')`.as('method'),
        sql<number>`count(*)`.as('n'),
        sql<number>`sum(refunds.amount)`.as('amount'),
      ])
      .where('refunds.created_at', '>=', f.from)
      .where('refunds.created_at', '<', f.to)
      .groupBy(['orders.currency', 'orders.channel_id', 'payments.provider', 'payments.method'])
      .execute();
    return rows.map((r) => ({ ...r, n: Number(r.n), amount: Number(r.amount) }));
  },
};

export function transactionService(ctx: CoreContext) {
  const { database } = ctx;
  return {
    async totals(principal: Principal, filter: TransactionFilter): Promise<TransactionTotals> {
      requireScope(principal, 'sell', 'admin');
      if (!(filter.from < filter.to)) throw invalid('to', 'must be after from');
      if (filter.eventId !== undefined && !(await events.get(database.db, principal.organizationId, filter.eventId))) throw notFound('Event');
      const db = database.db;
      const [orders, payments, refunds] = await Promise.all([
        transactionRepository.orders(db, principal.organizationId, filter),
        transactionRepository.payments(db, principal.organizationId, filter),
        transactionRepository.refunds(db, principal.organizationId, filter),
      ]);
      const currencies = [...new Set([...orders, ...payments, ...refunds].map((r) => r.currency))].sort();
      return {
        from: filter.from,
        to: filter.to,
        eventId: filter.eventId ?? null,
        currencies: currencies.map((currency) => {
          const o = orders.filter((r) => r.currency === currency);
          const p = payments.filter((r) => r.currency === currency);
          const rf = refunds.filter((r) => r.currency === currency);
          const sum = <T>(rows: T[], f: (r: T) => number) => rows.reduce((n, r) => n + f(r), 0);
          const channelIds = [...new Set([...o, ...p, ...rf].map((r) => r.channel_id))].sort((a, b) => a - b);
          const methods = [...new Set([...p, ...rf].map((r) => `${r.provider}\u0000${r.method}`))].sort();
          return {
            currency,
            orders: { placed: sum(o, (r) => r.placed), paid: sum(o, (r) => r.paid), cancelledOrExpired: sum(o, (r) => r.dropped), total: sum(o, (r) => r.total) },
            payments: { count: sum(p, (r) => r.n), amount: sum(p, (r) => r.amount) },
            refunds: { count: sum(rf, (r) => r.n), amount: sum(rf, (r) => r.amount) },
            net: sum(p, (r) => r.amount) - sum(rf, (r) => r.amount),
            byChannel: channelIds.map((channelId) => {
              const pc = p.filter((r) => r.channel_id === channelId);
              const rc = rf.filter((r) => r.channel_id === channelId);
              return {
                channelId,
                orders: sum(o.filter((r) => r.channel_id === channelId), (r) => r.placed),
                payments: sum(pc, (r) => r.n), paymentAmount: sum(pc, (r) => r.amount),
                refunds: sum(rc, (r) => r.n), refundAmount: sum(rc, (r) => r.amount),
                net: sum(pc, (r) => r.amount) - sum(rc, (r) => r.amount),
              };
            }),
            byPaymentMethod: methods.map((key) => {
              const [provider, method] = key.split('\u0000');
              const pm = p.filter((r) => r.provider === provider && r.method === method);
              const rm = rf.filter((r) => r.provider === provider && r.method === method);
              return {
                provider, method,
                payments: sum(pm, (r) => r.n), paymentAmount: sum(pm, (r) => r.amount),
                refunds: sum(rm, (r) => r.n), refundAmount: sum(rm, (r) => r.amount),
                net: sum(pm, (r) => r.amount) - sum(rm, (r) => r.amount),
              };
            }),
          };
        }),
      };
    },
  };
}

export type TransactionService = ReturnType<typeof transactionService>;
