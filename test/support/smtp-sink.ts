import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './wait-for';

export interface SinkMessage {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Map<string, unknown>;
  attachments: ParsedMail['attachments'];
}

/** A real SMTP server in-process: the app sends over SMTP, tests read what arrived. */
export class SmtpSink {
  readonly messages: SinkMessage[] = [];
  /** While true the server answers every message with 421, as a mail server that is down. */
  down = false;
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<SmtpSink> {
    const messages: SinkMessage[] = [];
    const ref: { sink?: SmtpSink } = {};
    const server = new SMTPServer({
      onMailFrom(_address, _session, callback) {
        if (!ref.sink?.down) return callback();
        callback(Object.assign(new Error('Service not available'), { responseCode: 421 }));
      },
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      // Close at once, even if a pooled client connection is still open.
      closeTimeout: 100,
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            messages.push({
              to: (session.envelope.rcptTo ?? []).map((r) => r.address.toLowerCase()),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              messageId: mail.messageId ?? '',
              headers: mail.headers,
              attachments: mail.attachments,
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    // A client killed mid-session (the crash tests) resets its socket: not the sink's failure.
    server.on('error', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.server.address() as AddressInfo).port;
    const sink = new SmtpSink(server, port);
    (sink as { messages: SinkMessage[] }).messages = messages;
    ref.sink = sink;
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(email: string): SinkMessage[] {
    return this.messages.filter((m) => m.to.includes(email.toLowerCase()));
  }

  async waitForMessage(
    predicate: (m: SinkMessage) => boolean,
    timeoutMs = 15000,
  ): Promise<SinkMessage> {
    return waitFor(() => this.messages.find(predicate), {
      timeoutMs,
      what: 'an email in the SMTP sink',
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Extracts `?token=...` from a link in an email body. */
export function tokenFromEmail(message: SinkMessage): string {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(message.text || message.html);
  if (!match) throw new Error(`No token link in email "${message.subject}"`);
  return match[1];
}
