import type { Db } from '../../db/database.ts';

/** Outgoing messages to people (password resets, tickets, transfers…). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
  /** A stable id (the outbox message's): receivers and mail clients drop duplicates on it. */
  messageId?: string;
  /** en, fr or de. */
  language?: string;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer | string;
}

/**
 * Something mail can be handed to. Core services call `ctx.mailer`, which writes the message to the
 * outbox (in the caller's transaction when `db` is one) and lets the delivery worker send it through
 * the configured transport (SMTP, or one of the classes below).
 */
export interface Mailer {
  /**
   * Given a transaction `db`, the message is written in it and the answer's `deliver`, called after
   * the commit, tries it right away (otherwise the worker sends it on its next pass).
   */
  send(message: MailMessage, db?: Db): Promise<void | QueuedMail>;
}

/** A message written in a transaction not yet committed: `deliver` after the commit tries it at once. */
export interface QueuedMail {
  deliver(): Promise<void>;
}

/**
 * The fallback when no real mailer is configured: says that a message was NOT delivered, to whom and
 * about what, but never its text — mails carry reset codes, verification codes and secret links,
 * and a log is read by more people than a mailbox.
 */
export class LogMailer implements Mailer {
  constructor(private readonly log: (line: string) => void = (line) => console.log(line)) {}
  async send(message: MailMessage) {
    this.log(`[mail] not sent (no mailer configured): to=${message.to} subject="${message.subject}" (${message.text.length} characters withheld from the log)`);
  }
}

/** Keeps messages in memory: used by tests (a real delivery adapter, not a mock) and embedders. */
export class MemoryMailer implements Mailer {
  readonly outbox: MailMessage[] = [];
  async send(message: MailMessage) {
    this.outbox.push(message);
  }
}
