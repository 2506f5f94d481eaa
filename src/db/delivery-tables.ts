import type { ColumnType, Generated } from 'kysely';
import type { Flag, Instant, NullableInstant } from './tables.ts';

/** Tables of migration 014 (delivery), merged into `Tables` here so the shared file need not change. */
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface OutboxMessagesTable {
  id: Generated<number>;
  uid: string;
  organization_id: Nullable<number>;
  /** `event` (fanned out by the worker), `email` or `webhook`. */
  kind: string;
  /** The business fact (`order.paid`, …) or, for an e-mail, its template. */
  topic: string;
  subject_id: Nullable<number>;
  /** An e-mail address (e-mails). */
  recipient: Nullable<string>;
  endpoint_id: Nullable<number>;
  /** JSON. */
  payload: string;
  /** `pending`, `sent`, `kept` (no mail transport configured), `dead`, `cancelled`. */
  status: string;
  attempts: ColumnType<number, number | undefined, number>;
  due_at: Instant;
  last_error: Nullable<string>;
  created_at: Instant;
  updated_at: Instant;
  sent_at: NullableInstant;
}

export interface WebhookEndpointsTable {
  id: Generated<number>;
  organization_id: number;
  url: string;
  description: Nullable<string>;
  /** JSON list of topics; `["*"]` for all. */
  event_types: string;
  secret: string;
  enabled: Flag;
  disabled_reason: Nullable<string>;
  created_at: Instant;
  updated_at: Instant;
}

export interface DeliveryAttemptsTable {
  id: Generated<number>;
  message_id: number;
  attempted_at: Instant;
  succeeded: number;
  response_status: Nullable<number>;
  duration_ms: number;
  error: Nullable<string>;
}

/** Migration 021: Apple Wallet devices registered for a pass (the PassKit web service). */
export interface PassRegistrationsTable {
  id: Generated<number>;
  organization_id: number;
  device_library_id: string;
  pass_type_id: string;
  serial_number: string;
  ticket_id: number;
  push_token: string;
  created_at: Instant;
}

declare module './tables.ts' {
  interface Tables {
    pass_registrations: PassRegistrationsTable;
    outbox_messages: OutboxMessagesTable;
    webhook_endpoints: WebhookEndpointsTable;
    delivery_attempts: DeliveryAttemptsTable;
  }
}
