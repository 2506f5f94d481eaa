import type { Db, Engine } from '../database.ts';
import type { Migration } from '../migrator.ts';
import { columnTypes, tenantOwned, withId, withTimestamps, type Builder } from './builders.ts';

/**
 * Selling: inventory counters, carts and holds, orders, payments, refunds, idempotency, discount
 * codes, guest lists, tickets and their signing keys, questions and answers, transfers.
 */
export const selling: Migration = {
  version: 2,
  name: 'selling',
  async up(db: Db, engine: Engine) {
    const { instant } = columnTypes(engine);
    const s = db.schema;
    const create = (name: string) => withId(engine, s.createTable(name) as unknown as Builder);

    // Inventory: `taken` = sold + held + comps, maintained in the same transactions that change them;
    // kills and organizer holds are places withdrawn from sale. taken + kills + organizer_holds ≤ capacity.
    for (const column of ['taken', 'kills', 'organizer_holds']) {
      await s.alterTable('section_capacities').addColumn(column, 'integer', (c) => c.notNull().defaultTo(0)).execute();
    }
    await s
      .createTable('tariff_quotas')
      .addColumn('tariff_id', 'integer', (c) => c.notNull().references('tariffs.id').onDelete('cascade'))
      .addColumn('date_id', 'integer', (c) => c.notNull().references('event_dates.id').onDelete('cascade'))
      .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('taken', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('tariff_quotas_pk', ['tariff_id', 'date_id'])
      .execute();

    await withTimestamps(engine, tenantOwned(create('carts')))
      .addColumn('channel_id', 'integer', (c) => c.notNull().references('sales_channels.id'))
      .addColumn('oauth_client_id', 'integer', (c) => c.references('oauth_clients.id').onDelete('set null'))
      .addColumn('account_id', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
      .addColumn('status', 'text', (c) => c.notNull())
      .execute();

    // A cart item is a hold on inventory until it is sold (paid) or released (removed, expired, cancelled).
    await tenantOwned(create('cart_items'))
      .addColumn('cart_id', 'integer', (c) => c.notNull().references('carts.id').onDelete('cascade'))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id'))
      .addColumn('date_id', 'integer', (c) => c.notNull().references('event_dates.id'))
      .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id'))
      .addColumn('tariff_id', 'integer', (c) => c.notNull().references('tariffs.id'))
      .addColumn('capacity_id', 'integer', (c) => c.notNull().references('section_capacities.id'))
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('unit_price', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('expires_at', instant)
      .addColumn('order_id', 'integer')
      .addColumn('created_at', instant, (c) => c.notNull())
      .execute();
    await s.createIndex('cart_items_cart').on('cart_items').column('cart_id').execute();
    await s.createIndex('cart_items_order').on('cart_items').column('order_id').execute();
    // Expired holds are found per inventory row when capacity runs short.
    await s.createIndex('cart_items_capacity_held').on('cart_items').columns(['capacity_id', 'status', 'expires_at']).execute();

    await withTimestamps(engine, tenantOwned(create('orders')))
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('cart_id', 'integer', (c) => c.references('carts.id'))
      .addColumn('channel_id', 'integer', (c) => c.notNull().references('sales_channels.id'))
      .addColumn('oauth_client_id', 'integer', (c) => c.references('oauth_clients.id').onDelete('set null'))
      .addColumn('account_id', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('subtotal', 'integer', (c) => c.notNull())
      .addColumn('discount', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('refunded_amount', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('code_id', 'integer')
      .addColumn('buyer_name', 'text')
      .addColumn('buyer_email', 'text')
      .addColumn('expires_at', instant)
      .addColumn('paid_at', instant)
      .addColumn('cancelled_at', instant)
      .addUniqueConstraint('orders_cart', ['cart_id'])
      .addUniqueConstraint('orders_number', ['organization_id', 'number'] as never)
      .execute();
    await s.createIndex('orders_organization_created').on('orders').columns(['organization_id', 'created_at']).execute();
    await s.createIndex('orders_account').on('orders').column('account_id').execute();

    await tenantOwned(create('order_lines'))
      .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id').onDelete('cascade'))
      .addColumn('cart_item_id', 'integer', (c) => c.references('cart_items.id'))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id'))
      .addColumn('date_id', 'integer', (c) => c.notNull().references('event_dates.id'))
      .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id'))
      .addColumn('tariff_id', 'integer', (c) => c.notNull().references('tariffs.id'))
      .addColumn('channel_id', 'integer', (c) => c.notNull().references('sales_channels.id'))
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('unit_price', 'integer', (c) => c.notNull())
      .addColumn('discount', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('refunded_quantity', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', instant, (c) => c.notNull())
      .execute();
    await s.createIndex('order_lines_order').on('order_lines').column('order_id').execute();
    await s.createIndex('order_lines_event_date').on('order_lines').columns(['event_id', 'date_id']).execute();

    await withTimestamps(engine, tenantOwned(create('payments')))
      .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id').onDelete('cascade'))
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('amount', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('reference', 'text')
      .addColumn('card_last4', 'text')
      .addColumn('failure_reason', 'text')
      .execute();
    await s.createIndex('payments_order').on('payments').column('order_id').execute();
    await tenantOwned(create('refunds'))
      .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id').onDelete('cascade'))
      .addColumn('amount', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('created_at', instant, (c) => c.notNull())
      .execute();

    // Idempotency-Key: one row per (organization, caller, key); the stored answer is replayed for 24 h.
    await tenantOwned(create('idempotency_keys'))
      .addColumn('caller', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('response_status', 'integer')
      .addColumn('response_body', 'text')
      .addColumn('created_at', instant, (c) => c.notNull())
      .addUniqueConstraint('idempotency_keys_unique', ['organization_id', 'caller', 'idempotency_key'] as never)
      .execute();

    await withTimestamps(engine, tenantOwned(create('discount_codes')))
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text')
      .addColumn('starts_at', instant)
      .addColumn('ends_at', instant)
      .addColumn('usage_limit', 'integer')
      .addColumn('used', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('tariff_ids', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('event_ids', 'text', (c) => c.notNull().defaultTo('[]'))
      .addUniqueConstraint('discount_codes_code', ['organization_id', 'code'] as never)
      .execute();

    await withTimestamps(engine, tenantOwned(create('guests')))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id'))
      .addColumn('date_id', 'integer', (c) => c.notNull().references('event_dates.id'))
      .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id'))
      .addColumn('capacity_id', 'integer', (c) => c.notNull().references('section_capacities.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('issued_by', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
      .addColumn('status', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('guests_event').on('guests').columns(['organization_id', 'event_id']).execute();

    await withTimestamps(engine, tenantOwned(create('tickets')))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id'))
      .addColumn('date_id', 'integer', (c) => c.notNull().references('event_dates.id'))
      .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id'))
      .addColumn('tariff_id', 'integer', (c) => c.references('tariffs.id'))
      .addColumn('order_id', 'integer', (c) => c.references('orders.id'))
      .addColumn('order_line_id', 'integer', (c) => c.references('order_lines.id'))
      .addColumn('guest_id', 'integer', (c) => c.references('guests.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('barcode', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('holder_name', 'text')
      .addColumn('holder_email', 'text')
      .addColumn('holder_account_id', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addUniqueConstraint('tickets_barcode', ['organization_id', 'barcode'] as never)
      .execute();
    await s.createIndex('tickets_order').on('tickets').column('order_id').execute();
    await s.createIndex('tickets_event_date').on('tickets').columns(['event_id', 'date_id']).execute();
    await s.createIndex('tickets_holder').on('tickets').column('holder_account_id').execute();
    // Barcodes that no longer admit (transferred tickets), so the door can say why.
    await s
      .createTable('retired_barcodes')
      .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('barcode', 'text', (c) => c.notNull())
      .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('retired_at', instant, (c) => c.notNull())
      .addPrimaryKeyConstraint('retired_barcodes_pk', ['organization_id', 'barcode'])
      .execute();

    await s
      .createTable('organization_keys')
      .addColumn('organization_id', 'integer', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('created_at', instant, (c) => c.notNull())
      .execute();

    await withTimestamps(engine, tenantOwned(create('questions')))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createIndex('questions_event').on('questions').column('event_id').execute();
    await tenantOwned(create('answers'))
      .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id').onDelete('cascade'))
      .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('cascade'))
      .addColumn('question_id', 'integer', (c) => c.notNull().references('questions.id').onDelete('cascade'))
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('created_at', instant, (c) => c.notNull())
      .execute();
    await s.createIndex('answers_order').on('answers').column('order_id').execute();

    await tenantOwned(create('transfers'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('sender_account_id', 'integer', (c) => c.notNull().references('accounts.id'))
      .addColumn('recipient_account_id', 'integer', (c) => c.references('accounts.id'))
      .addColumn('recipient_email', 'text', (c) => c.notNull())
      .addColumn('created_at', instant, (c) => c.notNull())
      .addColumn('resolved_at', instant)
      .execute();
    await s
      .createTable('transfer_tickets')
      .addColumn('transfer_id', 'integer', (c) => c.notNull().references('transfers.id').onDelete('cascade'))
      .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('transfer_tickets_pk', ['transfer_id', 'ticket_id'])
      .execute();
    await s.createIndex('transfer_tickets_ticket').on('transfer_tickets').column('ticket_id').execute();
  },
};
