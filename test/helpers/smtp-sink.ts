import { once } from 'node:events';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './redis-server.ts';

/**
 * A real SMTP server in the test's process that keeps every message it accepts, parsed. It can
 * refuse for a while (a 4xx answer), answer slowly, and be stopped and started on its port.
 */
export class SmtpSink {
  readonly messages: ParsedMail[] = [];
  /** While set, every message is refused with this SMTP code (e.g. 451 for "try again later"). */
  refuseWith: number | undefined;
  /** How long each message waits before the server accepts it. */
  delayMs = 0;
  private server: SMTPServer | undefined;

  private constructor(readonly port: number) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink(await freePort());
    await sink.listen();
    return sink;
  }

  async listen(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream).then(
          async (parsed) => {
            if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
            if (this.refuseWith !== undefined) {
              const error = Object.assign(new Error('Try again later'), { responseCode: this.refuseWith });
              return callback(error);
            }
            this.messages.push(parsed);
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    // A client killed mid-message resets its connection; that is the test's doing, not a failure.
    this.server.on('error', () => {});
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server.server, 'listening');
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Messages accepted so far, by Message-ID. */
  countsByMessageId(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.messages) counts.set(m.messageId ?? '', (counts.get(m.messageId ?? '') ?? 0) + 1);
    return counts;
  }

  /** Waits until at least `count` messages have arrived, or throws after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 15_000): Promise<ParsedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${this.messages.length}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.messages;
  }
}
