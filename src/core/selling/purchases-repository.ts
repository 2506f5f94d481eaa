import type { Db } from '../../db/database.ts';
import type { Page } from '../pagination.ts';
import { paged } from '../../db/paging.ts';

/** SQL of a buyer's own purchases, across the organizations they bought from (bounded by the account, not a tenant). */
export const purchasesRepository = {
  orders(db: Db, accountId: number, page: Page) {
    const query = db.selectFrom('orders').innerJoin('organizations', 'organizations.id', 'orders.organization_id').where('orders.account_id', '=', accountId);
    return paged(query, page, (q) =>
      q
        .select([
          'orders.id', 'orders.organization_id', 'organizations.name as organization_name', 'orders.number', 'orders.status', 'orders.currency',
          'orders.total', 'orders.created_at', 'orders.expires_at',
        ])
        .orderBy('orders.created_at', 'desc')
        .orderBy('orders.id', 'desc'),
    );
  },
  /** Tickets with what a person reads on them: event, performance, venue, section, tariff. */
  tickets(db: Db, where: { holderAccountId: number } | { organizationId: number; orderId: number }) {
    let query = db
      .selectFrom('tickets')
      .innerJoin('events', 'events.id', 'tickets.event_id')
      .innerJoin('event_dates', 'event_dates.id', 'tickets.date_id')
      .innerJoin('sections', 'sections.id', 'tickets.section_id')
      .innerJoin('organizations', 'organizations.id', 'tickets.organization_id')
      .leftJoin('tariffs', 'tariffs.id', 'tickets.tariff_id')
      .leftJoin('venues', (j) => j.on((eb) => eb('venues.id', '=', eb.fn.coalesce('event_dates.venue_id', 'events.venue_id'))))
      .selectAll('tickets')
      .select([
        'events.title as event_title', 'events.time_zone', 'event_dates.starts_at', 'sections.name as section_name', 'tariffs.label as tariff_label',
        'venues.name as venue_name', 'venues.city as venue_city', 'organizations.name as organization_name', 'event_dates.status as date_status',
      ]);
    if ('holderAccountId' in where) query = query.where('tickets.holder_account_id', '=', where.holderAccountId).where('tickets.status', '=', 'valid');
    else query = query.where('tickets.organization_id', '=', where.organizationId).where('tickets.order_id', '=', where.orderId);
    return query.orderBy('event_dates.starts_at').orderBy('tickets.id').execute();
  },
  orderEvents(db: Db, orderIds: number[]) {
    if (orderIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('order_lines')
      .innerJoin('events', 'events.id', 'order_lines.event_id')
      .innerJoin('event_dates', 'event_dates.id', 'order_lines.date_id')
      .select(['order_lines.order_id', 'events.title', 'events.time_zone', 'event_dates.starts_at', 'order_lines.quantity'])
      .where('order_lines.order_id', 'in', orderIds)
      .orderBy('order_lines.id')
      .execute();
  },
  /** The latest transfers a person sent (by account) or received (by address), in every organization, newest first. */
  transfers(db: Db, me: { id: number; email: string }, limit: number) {
    return db
      .selectFrom('transfers')
      .innerJoin('organizations', 'organizations.id', 'transfers.organization_id')
      .innerJoin('accounts as sender', 'sender.id', 'transfers.sender_account_id')
      .select([
        'transfers.id', 'transfers.organization_id', 'organizations.name as organization_name', 'transfers.status', 'transfers.sender_account_id',
        'sender.email as sender_email', 'transfers.recipient_email', 'transfers.created_at', 'transfers.resolved_at',
      ])
      .where((eb) => eb.or([eb('transfers.sender_account_id', '=', me.id), eb('transfers.recipient_email', '=', me.email)]))
      .orderBy('transfers.id', 'desc')
      .limit(limit)
      .execute();
  },
  /** What a transfer offers, as a person reads it (event, performance, section, tariff): never the barcodes. */
  transferTickets(db: Db, transferIds: number[]) {
    if (transferIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('transfer_tickets')
      .innerJoin('tickets', 'tickets.id', 'transfer_tickets.ticket_id')
      .innerJoin('events', 'events.id', 'tickets.event_id')
      .innerJoin('event_dates', 'event_dates.id', 'tickets.date_id')
      .innerJoin('sections', 'sections.id', 'tickets.section_id')
      .leftJoin('tariffs', 'tariffs.id', 'tickets.tariff_id')
      .select([
        'transfer_tickets.transfer_id', 'tickets.id', 'events.title as event_title', 'events.time_zone', 'event_dates.starts_at',
        'sections.name as section_name', 'tariffs.label as tariff_label',
      ])
      .where('transfer_tickets.transfer_id', 'in', transferIds)
      .orderBy('tickets.id')
      .execute();
  },
};
