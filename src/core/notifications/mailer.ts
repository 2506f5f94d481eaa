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
  send(message: MailMessage, db?: Db): Promise<void>;
}

/** Messages go to the log, where the person running the server can read them. */
export class LogMailer implements Mailer {
  constructor(private readonly log: (line: string) => void = (line) => console.log(line)) {}
  async send(message: MailMessage) {
    this.log(`[mail] to=${message.to} subject="${message.subject}"\n${message.text}`);
  }
}

/** Keeps messages in memory: used by tests (a real delivery adapter, not a mock) and embedders. */
export class MemoryMailer implements Mailer {
  readonly outbox: MailMessage[] = [];
  async send(message: MailMessage) {
    this.outbox.push(message);
  }
}
