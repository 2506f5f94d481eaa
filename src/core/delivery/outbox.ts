import crypto from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';

/**
 * Writing to the outbox: the one thing other core areas do with delivery. They call `recordEvent`
 * inside the transaction that makes the change, so the message exists exactly when the change does.
 * The worker (service.ts) later turns an event into e-mails and webhook deliveries and sends them.
 * This module imports nothing from other areas, so any area may use it.
 */

/** Business facts that produce messages (webhook event types are the same names). */
export const TOPICS = [
  'order.paid',
  'order.refunded',
  'order.cancelled',
  'comps.issued',
  'transfer.sent',
  'transfer.claimed',
  'event.cancelled',
  'member.invited',
] as const;
export type Topic = (typeof TOPICS)[number];

export interface OutboxEvent {
  organizationId: number | null;
  topic: Topic;
  /** The order, guest, transfer or event the fact is about. */
  subjectId: number | null;
  /** What the fan-out needs beyond the subject (the buyer's language, refunded ticket ids…). */
  payload?: Record<string, unknown>;
}

/**
 * A fact for Apple Wallet only (no e-mail, no webhook): tickets whose passes changed in a way the
 * facts above do not report (a holder's name). The worker pushes to the devices registered for them.
 */
export const PASSES_CHANGED = 'passes.changed' as const;

/** A stable message id, as Standard Webhooks suggests (`msg_…`). */
export const newMessageUid = () => `msg_${crypto.randomUUID().replaceAll('-', '')}`;

// The on-sale writes one of these per paid order: one prepared statement, nothing read back.
const insertEvent = prepared((db, p: { uid: string; organization_id: number | null; topic: string; subject_id: number | null; payload: string; now: string }) =>
  db.insertInto('outbox_messages').values({
    uid: p.uid,
    organization_id: p.organization_id,
    kind: 'event',
    topic: p.topic,
    subject_id: p.subject_id,
    payload: p.payload,
    status: 'pending',
    attempts: 0,
    due_at: p.now,
    created_at: p.now,
    updated_at: p.now,
  }),
);

/**
 * The outbox row `recordEvent` writes for a fact, or null when delivery is turned off: for a
 * statement that writes a whole order at once (sellingRepository.placePaidOrder), in its transaction.
 */
export function outboxEventRow(config: Pick<Config, 'delivery'>, event: OutboxEvent, now: string) {
  if (!config.delivery.enabled) return null;
  return {
    uid: newMessageUid(),
    organization_id: event.organizationId,
    kind: 'event',
    topic: event.topic,
    subject_id: event.subjectId,
    payload: JSON.stringify(event.payload ?? {}),
    status: 'pending',
    attempts: 0,
    due_at: now,
    created_at: now,
    updated_at: now,
  };
}

/** Records a business fact in the caller's transaction (nothing when delivery is turned off). */
export async function recordEvent(config: Pick<Config, 'delivery'>, db: Db, event: OutboxEvent, now: string): Promise<void> {
  if (!config.delivery.enabled) return;
  await insertEvent(db, {
    uid: newMessageUid(),
    organization_id: event.organizationId,
    topic: event.topic,
    subject_id: event.subjectId,
    payload: JSON.stringify(event.payload ?? {}),
    now,
  });
}

/** Records, in the caller's transaction, that these tickets' Wallet passes changed (nothing unless passes are updated). */
export async function recordPassChange(config: Pick<Config, 'delivery'>, db: Db, organizationId: number, ticketIds: number[], now: string): Promise<void> {
  if (!config.delivery.enabled || !config.delivery.applePass?.webService || ticketIds.length === 0) return;
  await insertEvent(db, { uid: newMessageUid(), organization_id: organizationId, topic: PASSES_CHANGED, subject_id: null, payload: JSON.stringify({ ticket_ids: ticketIds }), now });
}

/** The language of messages: en, fr or de, from an Accept-Language value or a locale (`fr-FR`). */
export function messageLanguage(...candidates: (string | null | undefined)[]): 'en' | 'fr' | 'de' {
  for (const candidate of candidates) {
    if (!candidate) continue;
    for (const part of candidate.split(',')) {
      const code = part.trim().slice(0, 2).toLowerCase();
      if (code === 'en' || code === 'fr' || code === 'de') return code;
    }
  }
  return 'en';
}
