import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Database, Db } from '../../db/database.ts';
import type { DeliveryAttemptsTable, OutboxMessagesTable, PassRegistrationsTable, WebhookEndpointsTable } from '../../db/delivery-tables.ts';
import '../../db/delivery-tables.ts';
import { paged } from '../../db/paging.ts';
import type { Page } from '../pagination.ts';

export type MessageRow = Selectable<OutboxMessagesTable>;
export type EndpointRow = Selectable<WebhookEndpointsTable>;
export type AttemptRow = Selectable<DeliveryAttemptsTable>;

/** The SQL of delivery: the outbox, webhook endpoints, attempts, and the reads documents and e-mails need. */
export const deliveryRepository = {
  // ---- outbox --------------------------------------------------------------------------------
  /** Many messages, a few hundred rows per statement (both engines cap a statement's parameters). */
  async insertMessages(db: Db, rows: Insertable<OutboxMessagesTable>[]) {
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('outbox_messages').values(rows.slice(i, i + 500)).execute();
  },
  insertMessage(db: Db, row: Insertable<OutboxMessagesTable>) {
    return db.insertInto('outbox_messages').values(row).returningAll().executeTakeFirstOrThrow();
  },

  /**
   * Claims up to `limit` due messages for this process: each claim moves the message's due time
   * forward by the lease and counts an attempt, in one short transaction. PostgreSQL skips rows
   * other processes are claiming (`FOR UPDATE SKIP LOCKED`); SQLite has one writer at a time.
   */
  claimDue(database: Database, now: string, leaseUntil: string, limit: number, id?: number): Promise<MessageRow[]> {
    return database.transaction(async (trx) => {
      let due = trx.selectFrom('outbox_messages').select('id').where('status', '=', 'pending').where('due_at', '<=', now);
      if (id !== undefined) due = due.where('id', '=', id);
      due = due.orderBy('due_at').limit(limit);
      if (database.engine === 'postgres') due = due.forUpdate().skipLocked();
      const ids = (await due.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      return trx
        .updateTable('outbox_messages')
        .set((eb) => ({ due_at: leaseUntil, attempts: eb('attempts', '+', 1), updated_at: now }))
        .where('id', 'in', ids)
        .where('status', '=', 'pending')
        .returningAll()
        .execute();
    });
  },
  /**
   * Of messages this worker claimed (id → the attempt its claim counted), those whose claim is still
   * the current one: pending, not claimed again since. In the caller's transaction, rows locked on
   * PostgreSQL until it ends (SQLite's BEGIN IMMEDIATE already holds its one write lock).
   */
  async stillClaimed(db: Db, claims: Map<number, number>, lock: boolean): Promise<number[]> {
    if (claims.size === 0) return [];
    let query = db.selectFrom('outbox_messages').select(['id', 'attempts']).where('id', 'in', [...claims.keys()]).where('status', '=', 'pending');
    if (lock) query = query.forUpdate();
    return (await query.execute()).filter((r) => claims.get(r.id) === r.attempts).map((r) => r.id);
  },
  markSent(db: Db, ids: number[], now: string) {
    if (ids.length === 0) return Promise.resolve();
    return db.updateTable('outbox_messages').set({ status: 'sent', sent_at: now, updated_at: now }).where('id', 'in', ids).execute().then(() => undefined);
  },
  updateMessage(db: Db, id: number, values: Updateable<OutboxMessagesTable>) {
    return db.updateTable('outbox_messages').set(values).where('id', '=', id).execute();
  },
  insertAttempt(db: Db, row: Insertable<DeliveryAttemptsTable>) {
    return db.insertInto('delivery_attempts').values(row).execute();
  },
  message(db: Db, organizationId: number, id: number) {
    return db.selectFrom('outbox_messages').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  },
  messageById(db: Db, id: number) {
    return db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirst();
  },
  listMessages(db: Db, organizationId: number | null, page: Page, filter: { kind?: string; status?: string; endpointId?: number }) {
    let query = db.selectFrom('outbox_messages');
    if (organizationId !== null) query = query.where('organization_id', '=', organizationId);
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.endpointId !== undefined) query = query.where('endpoint_id', '=', filter.endpointId);
    return paged(query, page, (q) => q.selectAll().orderBy('id', 'desc'));
  },
  attempts(db: Db, messageIds: number[]) {
    if (messageIds.length === 0) return Promise.resolve([] as AttemptRow[]);
    return db.selectFrom('delivery_attempts').selectAll().where('message_id', 'in', messageIds).orderBy('id').execute();
  },
  /**
   * Deletes up to `limit` finished messages (sent, dead, cancelled, kept) last changed before `before`,
   * with their attempt logs, in one transaction; answers how many. An `order.paid` fact stays as long
   * as its order: it is where later mails about the order find the buyer's language.
   */
  purgeFinished(database: Database, before: string, limit: number): Promise<number> {
    return database.transaction(async (trx) => {
      const ids = (
        await trx
          .selectFrom('outbox_messages')
          .select('id')
          .where('status', 'in', ['sent', 'dead', 'cancelled', 'kept'])
          .where('updated_at', '<', before)
          .where((eb) => eb.not(eb.and([eb('kind', '=', 'event'), eb('topic', '=', 'order.paid')])))
          .orderBy('id')
          .limit(limit)
          .execute()
      ).map((r) => r.id);
      if (ids.length === 0) return 0;
      await trx.deleteFrom('delivery_attempts').where('message_id', 'in', ids).execute();
      await trx.deleteFrom('outbox_messages').where('id', 'in', ids).execute();
      return ids.length;
    });
  },
  /** Messages still waiting, by status: what the operator watches. */
  async counts(db: Db) {
    return db.selectFrom('outbox_messages').select(['kind', 'status']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy(['kind', 'status']).execute();
  },

  // ---- webhook endpoints ---------------------------------------------------------------------
  insertEndpoint(db: Db, row: Insertable<WebhookEndpointsTable>) {
    return db.insertInto('webhook_endpoints').values(row).returningAll().executeTakeFirstOrThrow();
  },
  endpoint(db: Db, organizationId: number, id: number) {
    return db.selectFrom('webhook_endpoints').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  },
  endpoints(db: Db, organizationId: number, page: Page) {
    return paged(db.selectFrom('webhook_endpoints').where('organization_id', '=', organizationId), page, (q) => q.selectAll().orderBy('id'));
  },
  enabledEndpoints(db: Db, organizationId: number) {
    return db.selectFrom('webhook_endpoints').selectAll().where('organization_id', '=', organizationId).where('enabled', '=', 1).execute();
  },
  updateEndpoint(db: Db, organizationId: number, id: number, values: Updateable<WebhookEndpointsTable>) {
    return db.updateTable('webhook_endpoints').set(values).where('organization_id', '=', organizationId).where('id', '=', id).returningAll().executeTakeFirst();
  },
  async deleteEndpoint(db: Db, organizationId: number, id: number) {
    // Its undelivered messages go with it; the log of those delivered stays readable by id.
    await db.updateTable('outbox_messages').set({ status: 'cancelled' }).where('organization_id', '=', organizationId).where('endpoint_id', '=', id).where('status', '=', 'pending').execute();
    const result = await db.deleteFrom('webhook_endpoints').where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },
  /** Stops an endpoint's pending deliveries (it was disabled). */
  cancelPending(db: Db, endpointId: number, now: string) {
    return db.updateTable('outbox_messages').set({ status: 'cancelled', updated_at: now }).where('endpoint_id', '=', endpointId).where('status', '=', 'pending').execute();
  },

  // ---- what messages are about ---------------------------------------------------------------
  organization(db: Db, id: number) {
    return db.selectFrom('organizations').select(['id', 'slug', 'name', 'locale', 'time_zone', 'email']).where('id', '=', id).executeTakeFirst();
  },
  async ownerEmails(db: Db, organizationId: number) {
    const rows = await db
      .selectFrom('memberships')
      .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
      .select('accounts.email')
      .where('memberships.organization_id', '=', organizationId)
      .where('memberships.role', '=', 'owner')
      .execute();
    return rows.map((r) => r.email);
  },
  isOwner(db: Db, organizationId: number, accountId: number) {
    return db.selectFrom('memberships').select('role').where('organization_id', '=', organizationId).where('account_id', '=', accountId).where('role', '=', 'owner').executeTakeFirst();
  },
  order(db: Db, organizationId: number, id: number) {
    return db.selectFrom('orders').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  },
  /** The language the buyer gave at checkout, as recorded with the sale's outbox event. */
  async orderLanguage(db: Db, organizationId: number, orderId: number): Promise<string | null> {
    const row = await db
      .selectFrom('outbox_messages')
      .select('payload')
      .where('organization_id', '=', organizationId)
      .where('kind', '=', 'event')
      .where('topic', '=', 'order.paid')
      .where('subject_id', '=', orderId)
      .orderBy('id')
      .executeTakeFirst();
    return row ? ((JSON.parse(row.payload) as { language?: string }).language ?? null) : null;
  },
  guest(db: Db, organizationId: number, id: number) {
    return db.selectFrom('guests').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  },
  transfer(db: Db, organizationId: number, id: number) {
    return db
      .selectFrom('transfers')
      .innerJoin('accounts as sender', 'sender.id', 'transfers.sender_account_id')
      .leftJoin('accounts as recipient', 'recipient.id', 'transfers.recipient_account_id')
      .select(['transfers.id', 'transfers.status', 'transfers.recipient_email', 'transfers.created_at', 'sender.email as sender_email', 'recipient.email as recipient_account_email'])
      .select((eb) => eb.selectFrom('transfer_tickets').select((x) => x.fn.countAll<number>().as('n')).whereRef('transfer_tickets.transfer_id', '=', 'transfers.id').as('tickets'))
      .where('transfers.organization_id', '=', organizationId)
      .where('transfers.id', '=', id)
      .executeTakeFirst();
  },
  event(db: Db, organizationId: number, id: number) {
    return db.selectFrom('events').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  },
  /** The distinct buyers (and comp guests) holding tickets of an event: who is told it is cancelled. */
  async holdersOfEvent(db: Db, organizationId: number, eventId: number) {
    const rows = await db
      .selectFrom('tickets')
      .leftJoin('orders', 'orders.id', 'tickets.order_id')
      .select(['orders.buyer_email', 'tickets.holder_email'])
      .where('tickets.organization_id', '=', organizationId)
      .where('tickets.event_id', '=', eventId)
      .where('tickets.status', 'in', ['valid', 'pending'])
      .execute();
    return [...new Set(rows.flatMap((r) => [r.buyer_email, r.holder_email]).filter((e): e is string => Boolean(e)))];
  },
  /** Everything a ticket document shows, for the tickets given (of one organization). */
  documentRows(db: Db, organizationId: number, filter: { ticketIds?: number[]; orderId?: number; orderIds?: number[] }) {
    let query = db
      .selectFrom('tickets')
      .innerJoin('events', 'events.id', 'tickets.event_id')
      .innerJoin('event_dates', 'event_dates.id', 'tickets.date_id')
      .innerJoin('sections', 'sections.id', 'tickets.section_id')
      .leftJoin('tariffs', 'tariffs.id', 'tickets.tariff_id')
      .leftJoin('venues', (join) => join.on((eb) => eb('venues.id', '=', eb.fn.coalesce('event_dates.venue_id', 'events.venue_id'))))
      .leftJoin('orders', 'orders.id', 'tickets.order_id')
      .selectAll('tickets')
      .select([
        'events.title as event_title',
        'events.time_zone',
        'events.status as event_status',
        'event_dates.starts_at',
        'event_dates.ends_at',
        'event_dates.status as date_status',
        'sections.name as section_name',
        'tariffs.label as tariff_label',
        'venues.name as venue_name',
        'venues.address_line1 as venue_address',
        'venues.zip as venue_zip',
        'venues.city as venue_city',
        'venues.country_code as venue_country',
        'venues.latitude as venue_latitude',
        'venues.longitude as venue_longitude',
        'orders.number as order_number',
        'orders.buyer_name',
        'orders.buyer_email',
        'orders.account_id as buyer_account_id',
        'events.updated_at as event_updated_at',
        'event_dates.updated_at as date_updated_at',
      ])
      .where('tickets.organization_id', '=', organizationId);
    if (filter.ticketIds) query = query.where('tickets.id', 'in', filter.ticketIds.length > 0 ? filter.ticketIds : [-1]);
    if (filter.orderId !== undefined) query = query.where('tickets.order_id', '=', filter.orderId);
    if (filter.orderIds) query = query.where('tickets.order_id', 'in', filter.orderIds.length > 0 ? filter.orderIds : [-1]);
    return query.orderBy('tickets.id').execute();
  },
};

/** The SQL of the Apple Wallet pass web service: devices registered for passes. */
export const passRepository = {
  async ticketExists(db: Db, organizationId: number, ticketId: number) {
    return (await db.selectFrom('tickets').select('id').where('organization_id', '=', organizationId).where('id', '=', ticketId).executeTakeFirst()) !== undefined;
  },
  registration(db: Db, deviceId: string, passTypeId: string, serial: string) {
    return db.selectFrom('pass_registrations').selectAll().where('device_library_id', '=', deviceId).where('pass_type_id', '=', passTypeId).where('serial_number', '=', serial).executeTakeFirst();
  },
  insertRegistration(db: Db, row: Insertable<PassRegistrationsTable>) {
    return db.insertInto('pass_registrations').values(row).execute();
  },
  updatePushToken(db: Db, id: number, pushToken: string) {
    return db.updateTable('pass_registrations').set({ push_token: pushToken }).where('id', '=', id).execute();
  },
  async deleteRegistration(db: Db, deviceId: string, passTypeId: string, serial: string) {
    const result = await db.deleteFrom('pass_registrations').where('device_library_id', '=', deviceId).where('pass_type_id', '=', passTypeId).where('serial_number', '=', serial).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },
  /**
   * The push tokens of the devices registered for passes of the tickets given (of an order, a
   * transfer, an event, or by id), once each: one push makes a device ask for all its changed passes.
   */
  async pushTokens(db: Db, organizationId: number, passTypeId: string, of: { orderId?: number; transferId?: number; eventId?: number; ticketIds?: number[] }): Promise<string[]> {
    let query = db
      .selectFrom('pass_registrations')
      .innerJoin('tickets', 'tickets.id', 'pass_registrations.ticket_id')
      .select('pass_registrations.push_token')
      .distinct()
      .where('pass_registrations.organization_id', '=', organizationId)
      .where('pass_registrations.pass_type_id', '=', passTypeId);
    if (of.orderId !== undefined) query = query.where('tickets.order_id', '=', of.orderId);
    if (of.eventId !== undefined) query = query.where('tickets.event_id', '=', of.eventId);
    if (of.ticketIds) query = query.where('tickets.id', 'in', of.ticketIds.length > 0 ? of.ticketIds : [-1]);
    if (of.transferId !== undefined) query = query.where('tickets.id', 'in', (eb) => eb.selectFrom('transfer_tickets').select('transfer_tickets.ticket_id').where('transfer_tickets.transfer_id', '=', of.transferId!));
    return (await query.orderBy('pass_registrations.push_token').execute()).map((r) => r.push_token);
  },
  /** APNs says a push token is no longer valid (410): every registration with it goes. */
  async unregisterPushToken(db: Db, passTypeId: string, pushToken: string) {
    const result = await db.deleteFrom('pass_registrations').where('pass_type_id', '=', passTypeId).where('push_token', '=', pushToken).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
  /** A device's passes of one type, with when each ticket, its event or its date last changed. */
  devicePasses(db: Db, deviceId: string, passTypeId: string) {
    return db
      .selectFrom('pass_registrations')
      .innerJoin('tickets', 'tickets.id', 'pass_registrations.ticket_id')
      .innerJoin('events', 'events.id', 'tickets.event_id')
      .innerJoin('event_dates', 'event_dates.id', 'tickets.date_id')
      .select(['pass_registrations.serial_number', 'tickets.updated_at as ticket_updated_at', 'events.updated_at as event_updated_at', 'event_dates.updated_at as date_updated_at'])
      .where('pass_registrations.device_library_id', '=', deviceId)
      .where('pass_registrations.pass_type_id', '=', passTypeId)
      .orderBy('pass_registrations.id')
      .execute();
  },
};

export type DocumentRow = Awaited<ReturnType<typeof deliveryRepository.documentRows>>[number];
