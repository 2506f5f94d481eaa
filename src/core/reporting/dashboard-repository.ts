import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** SQL of the back office's dashboard: sums over the sales tallies and approved entered counts, never over tickets. */
export const dashboardRepository = {
  /** Net sales (sold − refunded) and net gross per event × channel × event-local day, from the tallies. */
  tallied(db: Db, organizationId: number, from: string, to: string, eventId: number | undefined) {
    let query = db
      .selectFrom('sales_tallies')
      .select([
        'event_id',
        'channel_id',
        'day',
        'currency',
        sql<number>`sum(sold - refunded)`.as('tickets'),
        sql<number>`sum(gross - refunded_gross)`.as('revenue'),
      ])
      .where('organization_id', '=', organizationId)
      .where('day', '>=', from)
      .where('day', '<=', to);
    if (eventId !== undefined) query = query.where('event_id', '=', eventId);
    return query.groupBy(['event_id', 'channel_id', 'day', 'currency']).execute();
  },

  /** Figures typed in for external channels, once approved (as ticket counts count them). */
  entered(db: Db, organizationId: number, from: string, to: string, eventId: number | undefined) {
    let query = db
      .selectFrom('ticket_count_lines as l')
      .innerJoin('ticket_counts as c', 'c.id', 'l.ticket_count_id')
      .select([
        'c.event_id',
        'l.channel_id',
        'c.day',
        'l.currency',
        sql<number>`sum(l.sales)`.as('tickets'),
        sql<number>`sum(l.gross)`.as('revenue'),
      ])
      .where('c.organization_id', '=', organizationId)
      .where('l.organization_id', '=', organizationId)
      .where('c.source', '=', 'entered')
      .where('c.approved', '=', 1)
      .where('c.day', '>=', from)
      .where('c.day', '<=', to);
    if (eventId !== undefined) query = query.where('c.event_id', '=', eventId);
    return query.groupBy(['c.event_id', 'l.channel_id', 'c.day', 'l.currency']).execute();
  },

  /** Orders paid in [since, until) per event and channel (an order of two events counts once for each). */
  paidOrders(db: Db, organizationId: number, since: string, until: string, eventId: number | undefined) {
    let query = db
      .selectFrom('orders as o')
      .innerJoin('order_lines as l', 'l.order_id', 'o.id')
      .select(['l.event_id', 'o.channel_id', sql<number>`count(distinct o.id)`.as('orders')])
      .where('o.organization_id', '=', organizationId)
      .where('l.organization_id', '=', organizationId)
      .where('o.paid_at', '>=', since)
      .where('o.paid_at', '<', until);
    if (eventId !== undefined) query = query.where('l.event_id', '=', eventId);
    return query.groupBy(['l.event_id', 'o.channel_id']).execute();
  },

  /** Orders paid in [since, until) per channel (an order has one channel; one of two events counts once). */
  paidOrdersByChannel(db: Db, organizationId: number, since: string, until: string, eventId: number | undefined) {
    let query = db
      .selectFrom('orders as o')
      .select(['o.channel_id', sql<number>`count(*)`.as('n')])
      .where('o.organization_id', '=', organizationId)
      .where('o.paid_at', '>=', since)
      .where('o.paid_at', '<', until);
    if (eventId !== undefined) {
      query = query.where(({ exists, selectFrom }) =>
        exists(selectFrom('order_lines as l').select('l.id').whereRef('l.order_id', '=', 'o.id').where('l.event_id', '=', eventId)),
      );
    }
    return query.groupBy('o.channel_id').execute();
  },

  eventTitles(db: Db, organizationId: number, ids: number[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('events').select(['id', 'title', 'time_zone']).where('organization_id', '=', organizationId).where('id', 'in', ids).execute();
  },
  channelNames(db: Db, organizationId: number, ids: number[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('sales_channels').select(['id', 'name']).where('organization_id', '=', organizationId).where('id', 'in', ids).execute();
  },
  organization(db: Db, organizationId: number) {
    return db.selectFrom('organizations').select(['currency', 'time_zone']).where('id', '=', organizationId).executeTakeFirstOrThrow();
  },
};
