/**
 * Delivery (DESIGN §8): the public face. Other areas record business facts with `recordEvent` inside
 * their transactions; the service (one per process) sends what they cause: e-mails with ticket
 * documents, webhook calls; it also renders documents on demand.
 */
export { recordEvent, recordPassChange, outboxEventRow, messageLanguage, TOPICS, type Topic, type OutboxEvent } from './outbox.ts';
export { deliveryService, smtpTransport, type DeliveryService, type DeliveryResources, type OutboxMessage, type WebhookEndpoint } from './service.ts';
export type { DocumentKind, RenderedDocument } from './documents.ts';
export { mails, localTime, type Language } from './templates.ts';
export { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_SCHEDULE_SECONDS } from './webhooks.ts';
