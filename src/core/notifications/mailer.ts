/** Outgoing messages to people (password resets, later tickets). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** Development default: messages go to the log, where the person running the server can read them. */
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
