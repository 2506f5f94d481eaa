import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import type { Insertable } from 'kysely';
import type { Database, Db } from '../../db/database.ts';
import type { OutboxMessagesTable } from '../../db/delivery-tables.ts';
import { toIso } from '../../db/quirks.ts';
import type { CoreContext } from '../context.ts';
import { DomainError, notFound, forbidden } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import type { MailAttachment, MailMessage, Mailer, QueuedMail } from '../notifications/mailer.ts';
import { admits, admittingTickets, dateIcs, googleWalletLink, gone, passSerial, signDocumentLink, ticketsPdf, verifyDocumentLink, walletPass, withQr, type DocumentKind, type RenderedDocument } from './documents.ts';
import { apnsClient, APPLE_PUSH_HOST } from './apns.ts';
import { messageLanguage, newMessageUid, PASSES_CHANGED, TOPICS, type Topic } from './outbox.ts';
import { passWebService } from './passes.ts';
import { deliveryRepository as repo, passRepository, type DocumentRow, type EndpointRow, type MessageRow } from './repository.ts';
import { localTime, mails, money, seatText, word, type Language, type RenderedMail, type TicketLine } from './templates.ts';
import { checkWebhookTarget, newWebhookSecret, postWebhook, WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_SCHEDULE_SECONDS } from './webhooks.ts';

/** How other areas' resources look in webhook payloads (the native dialect registers its presenter). */
export interface DeliveryResources {
  order(organizationId: number, id: number): Promise<unknown>;
  event(organizationId: number, id: number): Promise<unknown>;
  guest(organizationId: number, id: number): Promise<unknown>;
}

export interface MailPayload {
  subject: string;
  text: string;
  html?: string;
  language: Language;
  /** Documents rendered and attached when the mail is sent (never stored). */
  attachments?: { kind: DocumentKind; id: number }[];
}

export interface OutboxMessage {
  id: number;
  uid: string;
  kind: string;
  topic: string;
  status: string;
  recipient: string | null;
  endpointId: number | null;
  attempts: number;
  dueAt: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  subject?: string;
  text?: string;
  html?: string;
  body?: unknown;
  log: { attemptedAt: string; succeeded: boolean; responseStatus: number | null; durationMs: number; error: string | null }[];
}

export interface WebhookEndpoint {
  id: number;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

const BATCH = 50;

/** Mail transport from the configuration: SMTP when SMTP_URL is set, none otherwise (mail is kept). */
export function smtpTransport(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message: MailMessage) {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId ? `<${message.messageId}@guichet>` : undefined,
        headers: message.language ? { 'Content-Language': message.language } : undefined,
        attachments: message.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      });
    },
  };
}

/**
 * Delivery: the outbox worker, e-mails, ticket documents and webhooks. Every process runs a worker
 * (`start`): it claims due messages with a lease, sends them outside any transaction, and records the
 * outcome; a failure is retried later (exponential for mail, about three days for webhooks), then the
 * message is dead. An event message is turned, in one transaction, into the e-mails and webhook
 * deliveries it causes.
 */
export function deliveryService(ctx: CoreContext, transport: Mailer | null, resources: DeliveryResources) {
  const { database, config } = ctx;
  const settings = config.delivery;
  const now = () => ctx.clock().toISOString();
  let present: (resource: unknown) => unknown = (resource) => resource;
  const stats = { processed: 0, sent: 0, failed: 0, busyMs: 0 };
  const passService = passWebService(ctx);
  const apple = settings.applePass;
  const apns = apple?.webService ? apnsClient({ host: apple.apnsHost ?? APPLE_PUSH_HOST, certificate: apple.certificate, key: apple.key, keyPassphrase: apple.keyPassphrase, ca: apple.apnsCa }) : null;

  // ---- the worker --------------------------------------------------------------------------------
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function claimAndProcess(id?: number): Promise<number> {
    const t = ctx.clock();
    const claimed = await repo.claimDue(database, t.toISOString(), new Date(t.getTime() + settings.leaseSeconds * 1000).toISOString(), BATCH, id);
    const started = performance.now();
    // The claimed facts fan out together (shared reads, one write transaction); the rest one by one.
    await Promise.all([
      fanOut(claimed.filter((message) => message.kind === 'event')),
      ...claimed.filter((message) => message.kind !== 'event').map((message) => processMessage(message).catch(failed(message))),
    ]);
    stats.busyMs += performance.now() - started;
    stats.processed += claimed.length;
    return claimed.length;
  }

  // How busy this process's event loop was since the worker's last pass (0 to 1).
  // Marked when a pass ends: the next pass measures how busy the loop was with other work since, its own
  // batches left out (the load it yields to is the requests'). Under --cpu-prof Node reports an idle loop
  // as ≈ 94 % busy: a profiled server delivers one batch a pass until it stops (BENCH_CPU_PROFILE runs).
  let loopMark = performance.eventLoopUtilization();
  const loopUtilization = () => performance.eventLoopUtilization(loopMark).utilization;

  /**
   * One pass: claims and sends batches until nothing is due (one pass at a time per process). A paced
   * pass (the timer's) yields to the requests this process serves: when its event loop was more than
   * half busy between the last pass and this one (an on-sale), it handles one batch only and leaves the rest for the
   * next passes, so delivery falls behind during a rush and catches up after it.
   */
  function tick(paced = false): Promise<number> {
    running ??= (async () => {
      let total = 0;
      try {
        const busy = paced && loopUtilization() > 0.5;
        for (let n = BATCH; n === BATCH; total += n) {
          n = await claimAndProcess();
          if (busy) return total + n;
        }
      } finally {
        running = null;
        loopMark = performance.eventLoopUtilization();
      }
      return total;
    })();
    return running;
  }

  // ---- retention: finished messages and their logs are purged after `retentionDays` ----------------
  let lastPurge = -Infinity;
  const PURGE_EVERY_MS = 3_600_000;
  const PURGE_BATCH = 500;

  /** Deletes every finished message older than the retention period, a batch per short transaction; idempotent. */
  async function purge(): Promise<number> {
    if (settings.retentionDays <= 0) return 0;
    const before = new Date(ctx.clock().getTime() - settings.retentionDays * 86_400_000).toISOString();
    let total = 0;
    for (let n = PURGE_BATCH; n === PURGE_BATCH; total += n) n = await repo.purgeFinished(database, before, PURGE_BATCH);
    return total;
  }

  /** The worker purges at most once an hour (by the process's own clock, whatever the test clock says). */
  async function purgeIfDue() {
    if (performance.now() - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = performance.now();
    await purge();
  }

  async function processMessage(message: MessageRow) {
    if (message.kind === 'email') return sendMail(message);
    if (message.kind === 'webhook') return sendWebhook(message);
    if (message.kind === 'push') return sendPush(message);
    throw new Error(`unknown message kind ${message.kind}`);
  }

  const failed = (message: MessageRow) => (error: unknown) => recordFailure(message, { status: null, durationMs: 0, error: String((error as Error)?.message ?? error).slice(0, 500) });

  async function recordSuccess(message: MessageRow, outcome: { status: number | null; durationMs: number }) {
    const t = now();
    await database.transaction(async (trx) => {
      await repo.updateMessage(trx, message.id, { status: 'sent', sent_at: t, last_error: null, updated_at: t });
      await repo.insertAttempt(trx, { message_id: message.id, attempted_at: t, succeeded: 1, response_status: outcome.status, duration_ms: outcome.durationMs, error: null });
    });
    stats.sent++;
  }

  async function recordFailure(message: MessageRow, outcome: { status: number | null; durationMs: number; error: string | null }) {
    const t = ctx.clock();
    const webhook = message.kind === 'webhook';
    const max = webhook ? WEBHOOK_MAX_ATTEMPTS : message.kind === 'email' || message.kind === 'push' ? settings.mailMaxAttempts : 20;
    const dead = message.attempts >= max;
    const waitSeconds = webhook ? WEBHOOK_RETRY_SCHEDULE_SECONDS[Math.min(message.attempts - 1, WEBHOOK_RETRY_SCHEDULE_SECONDS.length - 1)] : Math.min(30 * 2 ** (message.attempts - 1), 3600);
    await database.transaction(async (trx) => {
      await repo.updateMessage(trx, message.id, {
        status: dead ? 'dead' : 'pending',
        due_at: new Date(t.getTime() + waitSeconds * 1000).toISOString(),
        last_error: outcome.error,
        updated_at: t.toISOString(),
      });
      await repo.insertAttempt(trx, { message_id: message.id, attempted_at: t.toISOString(), succeeded: 0, response_status: outcome.status, duration_ms: outcome.durationMs, error: outcome.error });
      // The last attempt of a webhook failed: the endpoint is disabled and its owners are told.
      if (dead && webhook && message.endpoint_id !== null && message.organization_id !== null) await disableEndpoint(trx, message.organization_id, message.endpoint_id, t.toISOString());
    });
    stats.failed++;
  }

  async function disableEndpoint(trx: Db, organizationId: number, endpointId: number, t: string) {
    const endpoint = await repo.updateEndpoint(trx, organizationId, endpointId, { enabled: 0, disabled_reason: 'failing', updated_at: t });
    if (!endpoint) return;
    await repo.cancelPending(trx, endpointId, t);
    const organization = (await repo.organization(trx, organizationId))!;
    const language = messageLanguage(organization.locale);
    const mail = mails.endpointDisabled(language, { organization: organization.name, url: endpoint.url });
    await repo.insertMessages(trx, (await repo.ownerEmails(trx, organizationId)).map((to) => emailRow(organizationId, 'endpoint.disabled', endpointId, to, { ...mail, language }, t)));
  }

  function emailRow(organizationId: number | null, topic: string, subjectId: number | null, to: string, payload: MailPayload, t: string): Insertable<OutboxMessagesTable> {
    return {
      uid: newMessageUid(),
      organization_id: organizationId,
      kind: 'email',
      topic,
      subject_id: subjectId,
      recipient: to,
      payload: JSON.stringify(payload),
      // Without a transport the message is kept for owners (and the development route) to read.
      status: transport ? 'pending' : 'kept',
      attempts: 0,
      due_at: t,
      created_at: t,
      updated_at: t,
    };
  }

  // ---- e-mail ------------------------------------------------------------------------------------
  async function sendMail(message: MessageRow) {
    if (!transport) {
      await repo.updateMessage(database.db, message.id, { status: 'kept', updated_at: now() });
      return;
    }
    const payload = JSON.parse(message.payload) as MailPayload;
    const attachments: MailAttachment[] = [];
    for (const wanted of payload.attachments ?? []) {
      // A document whose tickets stopped admitting meanwhile is left out, not sent stale.
      const document = await renderDocument(message.organization_id!, wanted.kind, wanted.id, payload.language).catch(() => null);
      if (document) attachments.push({ filename: document.filename, contentType: document.contentType, content: document.body });
    }
    const started = performance.now();
    try {
      await transport.send({ to: message.recipient!, subject: payload.subject, text: payload.text, html: payload.html, attachments, messageId: message.uid, language: payload.language });
    } catch (error) {
      return recordFailure(message, { status: null, durationMs: Math.round(performance.now() - started), error: String((error as Error).message ?? error).slice(0, 500) });
    }
    await recordSuccess(message, { status: null, durationMs: Math.round(performance.now() - started) });
  }

  // ---- webhooks ----------------------------------------------------------------------------------
  async function sendWebhook(message: MessageRow) {
    const endpoint = await repo.endpoint(database.db, message.organization_id!, message.endpoint_id!);
    if (!endpoint || !endpoint.enabled) {
      await repo.updateMessage(database.db, message.id, { status: 'cancelled', updated_at: now() });
      return;
    }
    // The signature's timestamp is the real time of this attempt: receivers refuse old ones.
    const outcome = await postWebhook(endpoint, { id: message.uid, body: message.payload, at: new Date() }, { timeoutMs: settings.webhookTimeoutMs, allowPrivate: settings.webhookAllowPrivate });
    if (outcome.ok) await recordSuccess(message, outcome);
    else await recordFailure(message, outcome);
  }

  // ---- Apple Wallet pushes ---------------------------------------------------------------------------
  /**
   * The pushes a fact causes: one per device registered for a pass of a ticket it changed (refunded,
   * cancelled, handed over, its event cancelled, its holder renamed), so Wallet fetches the new pass.
   */
  async function pushesFor(topic: string, organizationId: number, subjectId: number | null, payload: Record<string, unknown>, t: string): Promise<Insertable<OutboxMessagesTable>[]> {
    if (!apns || !apple) return [];
    const ticketIds = (key: string) => (Array.isArray(payload[key]) ? (payload[key] as number[]) : null);
    const of =
      topic === PASSES_CHANGED ? { ticketIds: ticketIds('ticket_ids') ?? [] }
      : subjectId === null ? null
      : topic === 'order.refunded' ? (ticketIds('refunded_ticket_ids') ? { ticketIds: ticketIds('refunded_ticket_ids')! } : { orderId: subjectId })
      : topic === 'order.cancelled' ? { orderId: subjectId }
      : topic === 'transfer.claimed' ? { transferId: subjectId }
      : topic === 'event.cancelled' ? { eventId: subjectId }
      : null;
    if (!of) return [];
    const tokens = await passRepository.pushTokens(database.db, organizationId, apple.passTypeId, of);
    return tokens.map((token) => ({
      uid: newMessageUid(),
      organization_id: organizationId,
      kind: 'push',
      topic,
      subject_id: subjectId,
      recipient: token,
      payload: JSON.stringify({ pass_type_id: apple.passTypeId }),
      status: 'pending',
      attempts: 0,
      due_at: t,
      created_at: t,
      updated_at: t,
    }));
  }

  /** One push to one device; APNs's 410 (the device no longer wants it) unregisters its token. */
  async function sendPush(message: MessageRow) {
    const { pass_type_id: passTypeId } = JSON.parse(message.payload) as { pass_type_id: string };
    if (!apns || passTypeId !== apple?.passTypeId) {
      await repo.updateMessage(database.db, message.id, { status: 'cancelled', last_error: 'Apple Wallet pass updates are no longer configured', updated_at: now() });
      return;
    }
    const started = performance.now();
    let outcome;
    try {
      outcome = await apns.push(message.recipient!, passTypeId, settings.webhookTimeoutMs);
    } catch (error) {
      return recordFailure(message, { status: null, durationMs: Math.round(performance.now() - started), error: String((error as Error).message ?? error).slice(0, 500) });
    }
    if (outcome.status === 200) return recordSuccess(message, outcome);
    if (outcome.status !== 410) return recordFailure(message, { ...outcome, error: `APNs answered ${outcome.status}${outcome.reason ? ` ${outcome.reason}` : ''}` });
    const t = now();
    await database.transaction(async (trx) => {
      await passRepository.unregisterPushToken(trx, passTypeId, message.recipient!);
      await repo.updateMessage(trx, message.id, { status: 'cancelled', last_error: `APNs answered 410 ${outcome.reason ?? 'Unregistered'}: the device was unregistered`, updated_at: t });
      await repo.insertAttempt(trx, { message_id: message.id, attempted_at: t, succeeded: 0, response_status: 410, duration_ms: outcome.durationMs, error: outcome.reason });
    });
  }

  const wants = (endpoint: EndpointRow, topic: string) => {
    const types = JSON.parse(endpoint.event_types) as string[];
    return types.includes('*') || types.includes(topic);
  };

  function webhookRow(organizationId: number, endpointId: number, topic: string, subjectId: number | null, body: unknown, t: string): Insertable<OutboxMessagesTable> {
    return {
      uid: newMessageUid(),
      organization_id: organizationId,
      kind: 'webhook',
      topic,
      subject_id: subjectId,
      endpoint_id: endpointId,
      payload: JSON.stringify(body),
      status: 'pending',
      attempts: 0,
      due_at: t,
      created_at: t,
      updated_at: t,
    };
  }

  // ---- fan-out: an event becomes e-mails, webhook deliveries and Wallet pushes ------------------------
  /**
   * What one claim's facts share while they fan out: each organization and its endpoints read once,
   * and the tickets of every order paid among them read in one query (an on-sale claims 50 at a time).
   */
  function fanOutReads(messages: MessageRow[]) {
    const db = database.db;
    const once = <K, V>(map: Map<K, Promise<V>>, key: K, read: () => Promise<V>) => {
      let value = map.get(key);
      if (!value) map.set(key, (value = read()));
      return value;
    };
    const organizations = new Map<number, Promise<Awaited<ReturnType<typeof repo.organization>>>>();
    const endpoints = new Map<number, Promise<EndpointRow[]>>();
    const paidOrders = new Map<number, number[]>();
    for (const m of messages) if (m.topic === 'order.paid' && m.organization_id !== null && m.subject_id !== null) paidOrders.set(m.organization_id, [...(paidOrders.get(m.organization_id) ?? []), m.subject_id]);
    const paidTickets = new Map<number, Promise<Map<number, DocumentRow[]>>>();
    return {
      organization: (id: number) => once(organizations, id, () => repo.organization(db, id)),
      endpoints: (id: number) => once(endpoints, id, () => repo.enabledEndpoints(db, id)),
      /** An order's tickets as documents show them (its number and buyer on each row). */
      async orderTickets(organizationId: number, orderId: number): Promise<DocumentRow[]> {
        const ids = paidOrders.get(organizationId);
        if (!ids?.includes(orderId)) return repo.documentRows(db, organizationId, { orderId });
        const byOrder = await once(paidTickets, organizationId, async () => {
          const rows = await repo.documentRows(db, organizationId, { orderIds: ids });
          const grouped = new Map<number, DocumentRow[]>();
          for (const row of rows) grouped.set(row.order_id!, [...(grouped.get(row.order_id!) ?? []), row]);
          return grouped;
        });
        return byOrder.get(orderId) ?? [];
      },
    };
  }
  type FanOutReads = ReturnType<typeof fanOutReads>;

  /**
   * Fans out the facts of one claim: builds each one's messages outside any transaction, then, in one
   * transaction, marks sent those whose claim is still current and writes their messages (a late
   * second worker writes nothing). A fact whose messages could not be built is retried alone.
   */
  async function fanOut(messages: MessageRow[]) {
    if (messages.length === 0) return;
    const t = now();
    const reads = fanOutReads(messages);
    const planned = new Map<MessageRow, Insertable<OutboxMessagesTable>[]>();
    await Promise.all(messages.map((message) => messagesCausedBy(message, reads, t).then((rows) => void planned.set(message, rows), failed(message))));
    if (planned.size === 0) return;
    try {
      const done = await database.transaction(async (trx) => {
        const current = new Set(await repo.stillClaimed(trx, new Map([...planned.keys()].map((m) => [m.id, m.attempts])), database.engine === 'postgres'));
        await repo.markSent(trx, [...current], t);
        await repo.insertMessages(trx, [...planned].flatMap(([m, rows]) => (current.has(m.id) ? rows : [])));
        return current.size;
      });
      stats.sent += done;
    } catch (error) {
      await Promise.all([...planned.keys()].map((message) => failed(message)(error)));
    }
  }

  /** The e-mails, webhook deliveries and Wallet pushes one fact causes. */
  async function messagesCausedBy(message: MessageRow, reads: FanOutReads, t: string): Promise<Insertable<OutboxMessagesTable>[]> {
    const organizationId = message.organization_id;
    if (organizationId === null) return [];
    const payload = JSON.parse(message.payload) as Record<string, unknown>;
    const topic = message.topic as Topic | typeof PASSES_CHANGED;
    const organization = (await reads.organization(organizationId))!;
    const rows: Insertable<OutboxMessagesTable>[] = [];
    if (topic !== PASSES_CHANGED) {
      // Later messages about an order speak the language its buyer gave at checkout.
      const given = (payload.language as string | undefined) ?? (topic.startsWith('order.') && topic !== 'order.paid' && message.subject_id !== null ? await repo.orderLanguage(database.db, organizationId, message.subject_id) : null);
      const language = messageLanguage(given, organization.locale);
      rows.push(...(await mailsFor(topic, organizationId, message.subject_id, payload, language, organization, t, reads)));
      const endpoints = (await reads.endpoints(organizationId)).filter((e) => wants(e, topic));
      if (endpoints.length > 0) {
        const data = await webhookData(topic, organizationId, message.subject_id, payload);
        const body = { type: topic, timestamp: toIso(message.created_at), data };
        rows.push(...endpoints.map((e) => webhookRow(organizationId, e.id, topic, message.subject_id, body, t)));
      }
    }
    rows.push(...(await pushesFor(topic, organizationId, message.subject_id, payload, t)));
    return rows;
  }

  async function webhookData(topic: Topic, organizationId: number, subjectId: number | null, payload: Record<string, unknown>) {
    if (subjectId === null) return payload;
    if (topic.startsWith('order.')) return { order: present(await resources.order(organizationId, subjectId)), ...(payload.refunded_ticket_ids ? { refunded_ticket_ids: payload.refunded_ticket_ids } : {}) };
    if (topic === 'event.cancelled') return { event: present(await resources.event(organizationId, subjectId)) };
    if (topic === 'comps.issued') return { guest: present(await resources.guest(organizationId, subjectId)) };
    // Never the code: an endpoint learns that someone was invited, not how to accept in their place.
    if (topic === 'member.invited') return { invitation: { id: subjectId, email: payload.email, role: payload.role, expires_at: payload.expires_at } };
    if (topic.startsWith('transfer.')) {
      const transfer = await repo.transfer(database.db, organizationId, subjectId);
      return { transfer: transfer && { id: transfer.id, status: transfer.status, recipient_email: transfer.recipient_email, tickets: Number(transfer.tickets), created_at: toIso(transfer.created_at) } };
    }
    return payload;
  }

  /** The links and lines of the tickets in a mail: PDF, calendar, wallet. */
  async function ticketLines(organizationId: number, tickets: DocumentRow[], language: Language, organization: { slug: string; name: string }, t0: string) {
    // One signed token for every link of the mail: the order's (or the guest's) documents.
    const scope = tickets[0].order_id !== null ? { scope: 'order' as const, id: tickets[0].order_id } : { scope: 'guest' as const, id: tickets[0].guest_id! };
    const token = await signDocumentLink(database.db, { organizationId, ...scope, language }, ctx.clock(), settings.linkTtlSeconds);
    const link = (kind: DocumentKind, ticketId?: number) => `${settings.publicUrl}/api/documents?token=${token}&file=${kind}${ticketId !== undefined ? `&ticket=${ticketId}` : ''}`;
    const times = new Map<string, string>(); // tickets of one performance share its local time
    const lines: TicketLine[] = [];
    // Only a Google Wallet link carries the signed QR payload; the e-mail itself does not.
    const qr = settings.googleWallet ? new Map((await withQr(database.db, organizationId, tickets, t0)).map((x) => [x.id, x])) : null;
    for (const t of tickets) {
      const links = [
        { label: word(language, 'pdf'), url: link('ticket.pdf', t.id) },
        { label: word(language, 'calendar'), url: link('date.ics', t.id) },
      ];
      if (settings.applePass) links.push({ label: word(language, 'appleWallet'), url: link('ticket.pkpass', t.id) });
      if (settings.googleWallet) links.push({ label: word(language, 'googleWallet'), url: await googleWalletLink(settings.googleWallet, qr!.get(t.id)!, organization, language, settings.publicUrl) });
      const startsAt = toIso(t.starts_at)!;
      let when = times.get(`${startsAt}|${t.time_zone}`);
      if (!when) times.set(`${startsAt}|${t.time_zone}`, (when = localTime(startsAt, t.time_zone, language)));
      lines.push({ event: t.event_title, when, venue: t.venue_name, section: t.section_name, seat: seatText(language, t.seat), tariff: t.tariff_label, holder: t.holder_name, barcode: t.barcode, links });
    }
    return { lines, orderLink: () => link('order.pdf') };
  }

  const linksUntil = (language: Language) => localTime(new Date(ctx.clock().getTime() + settings.linkTtlSeconds * 1000).toISOString(), 'UTC', language);

  async function mailsFor(topic: Topic, organizationId: number, subjectId: number | null, payload: Record<string, unknown>, language: Language, organization: { slug: string; name: string; time_zone: string }, t: string, reads: FanOutReads): Promise<Insertable<OutboxMessagesTable>[]> {
    const db = database.db;
    const row = (to: string | null | undefined, mail: RenderedMail, attachments?: MailPayload['attachments']) => (to ? [emailRow(organizationId, topic, subjectId, to, { ...mail, language, attachments }, t)] : []);
    if (subjectId === null) return [];
    switch (topic) {
      case 'member.invited': {
        // The code is in the payload (only its digest is stored with the invitation); the link opens the back office's join page.
        const until = payload.expires_at ? localTime(String(payload.expires_at), organization.time_zone, language) : null;
        const code = payload.code ? String(payload.code) : null;
        // Always PUBLIC_URL's: an `accept_url` left in an older message (built from a request's Host) is not trusted.
        const acceptUrl = `${settings.publicUrl}/manage/join?${new URLSearchParams({ code: code ?? '', organization: String(organizationId) })}`;
        return row(payload.email as string, mails.memberInvited(language, { organization: organization.name, inviter: String(payload.inviter || organization.name), role: String(payload.role ?? ''), acceptUrl, code, until }));
      }
      case 'order.paid': {
        // The tickets' rows carry the order's number and buyer: no read of the order itself.
        const tickets = await reads.orderTickets(organizationId, subjectId);
        const valid = tickets.filter(admits);
        const order = tickets[0];
        if (!order?.buyer_email || valid.length === 0) return [];
        const { lines, orderLink } = await ticketLines(organizationId, valid, language, organization, t);
        const mail = mails.orderConfirmation(language, { organization: organization.name, number: order.order_number ?? '', buyerName: order.buyer_name, event: valid[0].event_title, orderLink: { label: word(language, 'orderDocument'), url: orderLink() }, tickets: lines, linksUntil: linksUntil(language) });
        const dates = [...new Map(valid.map((x) => [x.date_id, x.id])).values()];
        return row(order.buyer_email, mail, [{ kind: 'order.pdf', id: subjectId }, ...dates.map((id) => ({ kind: 'date.ics' as const, id }))]);
      }
      case 'order.refunded':
      case 'order.cancelled': {
        const order = await repo.order(db, organizationId, subjectId);
        if (!order?.buyer_email) return [];
        if (topic === 'order.cancelled') return row(order.buyer_email, mails.cancellation(language, { organization: organization.name, number: order.number, buyerName: order.buyer_name }));
        const amount = money(Number(payload.amount ?? order.refunded_amount), order.currency, language);
        return row(order.buyer_email, mails.refund(language, { organization: organization.name, number: order.number, amount, buyerName: order.buyer_name }));
      }
      case 'comps.issued': {
        const guest = await repo.guest(db, organizationId, subjectId);
        if (!guest?.email) return [];
        const { all, valid } = await admittingTickets(db, organizationId, { ticketIds: (payload.ticket_ids as number[] | undefined) ?? [] }, t);
        if (valid.length === 0 || all.some((x) => x.guest_id !== guest.id)) return [];
        const { lines } = await ticketLines(organizationId, valid, language, organization, t);
        return row(guest.email, mails.comps(language, { organization: organization.name, name: guest.name, event: valid[0].event_title, count: valid.length, tickets: lines, linksUntil: linksUntil(language) }), valid.map((x) => ({ kind: 'ticket.pdf' as const, id: x.id })));
      }
      case 'transfer.sent': {
        const transfer = await repo.transfer(db, organizationId, subjectId);
        if (!transfer) return [];
        const claimUrl = `${settings.publicUrl}/account/transfers/${transfer.id}`;
        return row(transfer.recipient_email, mails.transferSent(language, { organization: organization.name, sender: transfer.sender_email, count: Number(transfer.tickets), claimUrl }));
      }
      case 'transfer.claimed': {
        const transfer = await repo.transfer(db, organizationId, subjectId);
        if (!transfer) return [];
        return row(transfer.sender_email, mails.transferClaimed(language, { organization: organization.name, recipient: transfer.recipient_email, count: Number(transfer.tickets) }));
      }
      case 'event.cancelled': {
        const event = await repo.event(db, organizationId, subjectId);
        if (!event) return [];
        const mail = mails.eventCancelled(language, { organization: organization.name, event: event.title });
        return (await repo.holdersOfEvent(db, organizationId, subjectId)).flatMap((to) => row(to, mail));
      }
      default:
        return [];
    }
  }

  // ---- documents -----------------------------------------------------------------------------------
  async function renderDocument(organizationId: number, kind: DocumentKind, id: number, language: Language): Promise<RenderedDocument> {
    const db = database.db;
    const t = now();
    const organization = await repo.organization(db, organizationId);
    if (!organization) throw notFound('Organization');
    if (kind === 'order.pdf') {
      const { all, valid } = await admittingTickets(db, organizationId, { orderId: id }, t);
      if (all.length === 0) throw notFound('Order');
      if (valid.length === 0) throw gone(`Order ${all[0].order_number}`);
      return { filename: `order-${all[0].order_number}.pdf`, contentType: 'application/pdf', body: await ticketsPdf(valid, organization.name, language) };
    }
    const { all, valid } = await admittingTickets(db, organizationId, { ticketIds: [id] }, t);
    if (all.length === 0) throw notFound('Ticket');
    if (valid.length === 0) throw gone(`Ticket ${all[0].barcode}`);
    const ticket = valid[0];
    if (kind === 'ticket.pdf') return { filename: `ticket-${ticket.barcode}.pdf`, contentType: 'application/pdf', body: await ticketsPdf(valid, organization.name, language) };
    if (kind === 'date.ics') return { filename: `event-${ticket.date_id}.ics`, contentType: 'text/calendar; charset=utf-8', body: dateIcs(ticket, organization, t) };
    if (!settings.applePass) throw new DomainError('NOT_FOUND', 'Apple Wallet passes are not offered: the operator has configured no pass certificate');
    const pass = { serial: passSerial(ticket), webService: await passService.webServiceFor(ticket) };
    return { filename: `ticket-${ticket.barcode}.pkpass`, contentType: 'application/vnd.apple.pkpass', body: await walletPass(settings.applePass, ticket, organization.name, language, pass) };
  }

  function toMessage(row: MessageRow, log: Awaited<ReturnType<typeof repo.attempts>>): OutboxMessage {
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    return {
      id: row.id,
      uid: row.uid,
      kind: row.kind,
      topic: row.topic,
      status: row.status,
      recipient: row.recipient,
      endpointId: row.endpoint_id,
      attempts: row.attempts,
      dueAt: row.status === 'pending' ? toIso(row.due_at) : null,
      lastError: row.last_error,
      createdAt: toIso(row.created_at)!,
      sentAt: toIso(row.sent_at),
      ...(row.kind === 'email' ? { subject: payload.subject as string, text: payload.text as string, html: payload.html as string | undefined } : { body: payload }),
      log: log.filter((a) => a.message_id === row.id).map((a) => ({ attemptedAt: toIso(a.attempted_at)!, succeeded: a.succeeded === 1, responseStatus: a.response_status, durationMs: a.duration_ms, error: a.error })),
    };
  }

  const toEndpoint = (row: EndpointRow): WebhookEndpoint => ({
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: JSON.parse(row.event_types),
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason,
    createdAt: toIso(row.created_at)!,
    updatedAt: toIso(row.updated_at)!,
  });

  /** Webhooks and the outbox are the organization's owners' business (admin scope, and an owner when a person acts). */
  async function requireOwner(principal: Principal) {
    requireScope(principal, 'admin');
    if (principal.accountId === null) return;
    if (!(await repo.isOwner(database.db, principal.organizationId, principal.accountId))) throw forbidden('Only the organization’s owners can do this');
  }

  function checkTypes(types: string[]) {
    const unknown = types.filter((x) => x !== '*' && !(TOPICS as readonly string[]).includes(x));
    if (types.length === 0 || unknown.length > 0) throw new DomainError('VALIDATION_FAILED', `event_types: must be * or some of ${TOPICS.join(', ')}`, [{ field: 'event_types', message: unknown.length > 0 ? `unknown: ${unknown.join(', ')}` : 'must not be empty' }]);
  }

  const transportMailer: Mailer = {
    /** The mailer core services call: the message goes through the outbox (in `db`'s transaction when given). */
    async send(message: MailMessage, db?: Db): Promise<void | QueuedMail> {
      const t = now();
      const payload: MailPayload = { subject: message.subject, text: message.text, html: message.html, language: messageLanguage(message.language) };
      const row = await repo.insertMessage(db ?? database.db, emailRow(null, 'account', null, message.to, payload, t));
      // Committed (now, or by the caller's transaction): it is tried at once, then by the worker.
      const deliver = async () => {
        if (row.status === 'pending') await claimAndProcess(row.id);
      };
      if (!db) return deliver();
      return { deliver };
    },
  };

  return {
    /** The mailer other areas use (`ctx.mailer`). */
    mailer: transportMailer,

    /** Runs the worker in this process: every `pollMs`, and at once. */
    start() {
      if (timer || !settings.enabled) return;
      const pass = () => void tick(true).then(purgeIfDue).catch((error) => console.error('outbox worker:', error));
      timer = setInterval(pass, Math.max(10, settings.pollMs));
      timer.unref();
      pass();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
      apns?.close();
    },
    /** Sends everything due now (tests, the CLI): passes until a pass finds nothing. */
    async drain(): Promise<number> {
      let total = 0;
      for (let n = -1; n !== 0; total += n) n = await tick();
      return total;
    },
    stats: () => ({ ...stats }),
    /** Deletes finished messages older than OUTBOX_RETENTION_DAYS now (the worker does it hourly). */
    purge,
    /** How webhook payloads show resources (the native API's shape). */
    presentWith(presenter: (resource: unknown) => unknown) {
      present = presenter;
    },

    // ---- documents --------------------------------------------------------------------------------
    render: renderDocument,
    /**
     * A document through a signed link (no sign-in): the token's signature and expiry are checked, then
     * that the document is one of the order's (or the guest's) it was issued for.
     */
    async byLink(token: string, file: DocumentKind, ticketId?: number): Promise<RenderedDocument> {
      const claim = await verifyDocumentLink(database.db, token, ctx.clock());
      if (file === 'order.pdf') {
        if (claim.scope !== 'order') throw forbidden('This link opens no order');
        return renderDocument(claim.organizationId, 'order.pdf', claim.id, claim.language);
      }
      if (ticketId === undefined) throw new DomainError('VALIDATION_FAILED', 'ticket: is required for this file', [{ field: 'ticket', message: 'is required' }]);
      const [row] = await repo.documentRows(database.db, claim.organizationId, { ticketIds: [ticketId] });
      if (!row || (claim.scope === 'order' ? row.order_id : row.guest_id) !== claim.id) throw forbidden('This link does not open that ticket');
      return renderDocument(claim.organizationId, file, ticketId, claim.language);
    },
    /** A Google Wallet save link for a ticket the caller may read (already checked by the caller's service). */
    async googleWallet(organizationId: number, ticketId: number, language: Language): Promise<string> {
      if (!settings.googleWallet) throw new DomainError('NOT_FOUND', 'Google Wallet is not offered: the operator has configured no service account');
      const organization = (await repo.organization(database.db, organizationId))!;
      const { all, valid } = await admittingTickets(database.db, organizationId, { ticketIds: [ticketId] }, now());
      if (all.length === 0) throw notFound('Ticket');
      if (valid.length === 0) throw gone(`Ticket ${all[0].barcode}`);
      return googleWalletLink(settings.googleWallet, valid[0], organization, language, settings.publicUrl);
    },
    offers: () => ({ appleWallet: settings.applePass !== null, googleWallet: settings.googleWallet !== null }),
    /** The Apple Wallet pass web service (device registrations, updated passes). */
    passes: passService,

    // ---- the outbox, as owners read it ----------------------------------------------------------------
    async messages(principal: Principal, page: Page, filter: { kind?: string; status?: string } = {}): Promise<Paged<OutboxMessage>> {
      await requireOwner(principal);
      const { rows, total } = await repo.listMessages(database.db, principal.organizationId, page, filter);
      const log = await repo.attempts(database.db, rows.map((r) => r.id));
      return { items: rows.map((r) => toMessage(r, log)), total };
    },
    async message(principal: Principal, id: number): Promise<OutboxMessage> {
      await requireOwner(principal);
      const row = await repo.message(database.db, principal.organizationId, id);
      if (!row) throw notFound('Message');
      return toMessage(row, await repo.attempts(database.db, [row.id]));
    },
    /** Development only (never in production): every kept or sent e-mail of the platform, newest first. */
    async developmentMail(page: Page): Promise<Paged<OutboxMessage>> {
      if (config.production) throw notFound('Route');
      const { rows, total } = await repo.listMessages(database.db, null, page, { kind: 'email' });
      return { items: rows.map((r) => toMessage(r, [])), total };
    },
    async developmentMailOne(id: number): Promise<OutboxMessage | null> {
      if (config.production) throw notFound('Route');
      const row = await repo.messageById(database.db, id);
      return row && row.kind === 'email' ? toMessage(row, []) : null;
    },

    // ---- webhook endpoints ----------------------------------------------------------------------------
    async listEndpoints(principal: Principal, page: Page): Promise<Paged<WebhookEndpoint>> {
      await requireOwner(principal);
      const { rows, total } = await repo.endpoints(database.db, principal.organizationId, page);
      return { items: rows.map(toEndpoint), total };
    },
    async readEndpoint(principal: Principal, id: number): Promise<WebhookEndpoint> {
      await requireOwner(principal);
      const row = await repo.endpoint(database.db, principal.organizationId, id);
      if (!row) throw notFound('Webhook endpoint');
      return toEndpoint(row);
    },
    /** A new endpoint; its signing secret is in this answer only. */
    async createEndpoint(principal: Principal, input: { url: string; eventTypes: string[]; description?: string | null }): Promise<WebhookEndpoint & { secret: string }> {
      await requireOwner(principal);
      checkTypes(input.eventTypes);
      const url = await checkWebhookTarget(input.url, settings.webhookAllowPrivate);
      const secret = newWebhookSecret();
      const t = now();
      const row = await repo.insertEndpoint(database.db, { organization_id: principal.organizationId, url: url.toString(), description: input.description ?? null, event_types: JSON.stringify([...new Set(input.eventTypes)]), secret, enabled: 1, created_at: t, updated_at: t });
      return { ...toEndpoint(row), secret };
    },
    async updateEndpoint(principal: Principal, id: number, input: { url?: string; eventTypes?: string[]; description?: string | null; enabled?: boolean }): Promise<WebhookEndpoint> {
      await requireOwner(principal);
      if (input.eventTypes) checkTypes(input.eventTypes);
      const url = input.url !== undefined ? (await checkWebhookTarget(input.url, settings.webhookAllowPrivate)).toString() : undefined;
      const row = await repo.updateEndpoint(database.db, principal.organizationId, id, {
        ...(url !== undefined ? { url } : {}),
        ...(input.eventTypes ? { event_types: JSON.stringify([...new Set(input.eventTypes)]) } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0, disabled_reason: input.enabled ? null : 'by_owner' } : {}),
        updated_at: now(),
      });
      if (!row) throw notFound('Webhook endpoint');
      return toEndpoint(row);
    },
    async deleteEndpoint(principal: Principal, id: number): Promise<void> {
      await requireOwner(principal);
      if (!(await database.transaction((trx) => repo.deleteEndpoint(trx, principal.organizationId, id)))) throw notFound('Webhook endpoint');
    },
    /** A new secret, shown once; the old one stops signing at once. */
    async rotateSecret(principal: Principal, id: number): Promise<{ secret: string }> {
      await requireOwner(principal);
      const secret = newWebhookSecret();
      if (!(await repo.updateEndpoint(database.db, principal.organizationId, id, { secret, updated_at: now() }))) throw notFound('Webhook endpoint');
      return { secret };
    },
    /** A test message (`ping`) to one endpoint, through the outbox like any other. */
    async ping(principal: Principal, id: number): Promise<OutboxMessage> {
      await requireOwner(principal);
      const endpoint = await repo.endpoint(database.db, principal.organizationId, id);
      if (!endpoint) throw notFound('Webhook endpoint');
      const t = now();
      const row = await repo.insertMessage(database.db, webhookRow(principal.organizationId, id, 'ping', null, { type: 'ping', timestamp: t, data: { endpoint_id: id } }, t));
      await claimAndProcess(row.id);
      return toMessage((await repo.messageById(database.db, row.id))!, await repo.attempts(database.db, [row.id]));
    },
    async deliveries(principal: Principal, endpointId: number, page: Page): Promise<Paged<OutboxMessage>> {
      await requireOwner(principal);
      if (!(await repo.endpoint(database.db, principal.organizationId, endpointId))) throw notFound('Webhook endpoint');
      const { rows, total } = await repo.listMessages(database.db, principal.organizationId, page, { kind: 'webhook', endpointId });
      const log = await repo.attempts(database.db, rows.map((r) => r.id));
      return { items: rows.map((r) => toMessage(r, log)), total };
    },
    /** Sends a delivery again, with the same webhook-id (receivers that saw it drop it). */
    async redeliver(principal: Principal, endpointId: number, messageId: number): Promise<OutboxMessage> {
      await requireOwner(principal);
      const message = await repo.message(database.db, principal.organizationId, messageId);
      if (!message || message.endpoint_id !== endpointId) throw notFound('Delivery');
      const endpoint = await repo.endpoint(database.db, principal.organizationId, endpointId);
      if (!endpoint?.enabled) throw new DomainError('CONFLICT', 'This endpoint is disabled: enable it first');
      const t = now();
      await repo.updateMessage(database.db, message.id, { status: 'pending', attempts: 0, due_at: t, updated_at: t });
      await claimAndProcess(message.id);
      return toMessage((await repo.messageById(database.db, message.id))!, await repo.attempts(database.db, [message.id]));
    },
  };
}

export type DeliveryService = ReturnType<typeof deliveryService>;
export type { Database };
