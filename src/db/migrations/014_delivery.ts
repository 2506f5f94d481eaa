import type { Db, Engine } from '../database.ts';
import type { Migration } from '../migrator.ts';
import { columnTypes, withId } from './builders.ts';

/**
 * Delivery (DESIGN §8): the outbox, webhook endpoints, and the log of every attempt to send.
 *
 * - `outbox_messages`: one row per message to the outside, written in the transaction that causes it.
 *   `kind` = `event` (a business fact, fanned out by the worker into the messages below), `email` or
 *   `webhook`. `uid` is the stable id receivers deduplicate on (`webhook-id`, the mail's Message-ID).
 *   A worker claims a due message by moving `due_at` forward by a lease: a process that dies before
 *   recording the outcome leaves the message due again once the lease runs out (at least once, never lost).
 * - `webhook_endpoints`: per organization; the signing secret must be kept readable to sign with.
 * - `delivery_attempts`: status, time, response code and duration of every try (the delivery log).
 */
export const delivery: Migration = {
  version: 14,
  name: 'delivery',
  async up(db: Db, engine: Engine) {
    const { instant } = columnTypes(engine);
    await withId(engine, db.schema.createTable('outbox_messages'))
      .addColumn('uid', 'text', (c) => c.notNull().unique())
      .addColumn('organization_id', 'integer', (c) => c.references('organizations.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'integer')
      .addColumn('recipient', 'text')
      .addColumn('endpoint_id', 'integer')
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('due_at', instant, (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('created_at', instant, (c) => c.notNull())
      .addColumn('updated_at', instant, (c) => c.notNull())
      .addColumn('sent_at', instant)
      .execute();
    // The worker's query: due pending messages, oldest first.
    await db.schema.createIndex('outbox_messages_due').on('outbox_messages').columns(['status', 'due_at']).execute();
    await db.schema.createIndex('outbox_messages_org').on('outbox_messages').columns(['organization_id', 'kind', 'id']).execute();
    await db.schema.createIndex('outbox_messages_endpoint').on('outbox_messages').columns(['endpoint_id', 'id']).execute();

    await withId(engine, db.schema.createTable('webhook_endpoints'))
      .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('event_types', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('disabled_reason', 'text')
      .addColumn('created_at', instant, (c) => c.notNull())
      .addColumn('updated_at', instant, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('webhook_endpoints_org').on('webhook_endpoints').columns(['organization_id']).execute();

    await withId(engine, db.schema.createTable('delivery_attempts'))
      .addColumn('message_id', 'integer', (c) => c.notNull().references('outbox_messages.id').onDelete('cascade'))
      .addColumn('attempted_at', instant, (c) => c.notNull())
      .addColumn('succeeded', 'integer', (c) => c.notNull())
      .addColumn('response_status', 'integer')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('error', 'text')
      .execute();
    await db.schema.createIndex('delivery_attempts_message').on('delivery_attempts').columns(['message_id', 'id']).execute();
  },
};
