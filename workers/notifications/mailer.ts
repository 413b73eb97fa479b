import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../../src/config.ts';
import { privateFolder } from '../../src/private-files.ts';

export interface OutgoingMail {
  messageId: string;
  to: { name: string; address: string };
  subject: string;
  html: string;
  text: string;
  attachments?: { filename: string; content: string; contentType: string }[];
}

/** Sends one message, or throws: an error with an SMTP `responseCode` is the server's answer. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** The folder where mail is written as `.eml` files when no SMTP server is configured. */
export const mailFolder = (databasePath: string) => join(dirname(databasePath), 'mail');

/**
 * SMTP (pooled) when SMTP_URL is set; otherwise each message becomes an `.eml` file beside the
 * database, named after its Message-ID, so a new user can read what the system would send.
 */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'databasePath'>): Mailer {
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport({ url: config.smtpUrl, pool: true, maxConnections: 5 }, { from: config.mailFrom });
    return {
      async send(mail) {
        await transport.sendMail(mail);
      },
      close: () => transport.close(),
    };
  }

  const folder = mailFolder(config.databasePath);
  privateFolder(folder);
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }, { from: config.mailFrom });
  return {
    async send(mail) {
      const info = await transport.sendMail(mail);
      // One file per Message-ID: a message written twice overwrites itself. Owner-only: it may
      // hold a live reset or verification link.
      const name = mail.messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_');
      writeFileSync(join(folder, `${name}.eml`), info.message as Buffer, { mode: 0o600 });
    },
    close: () => transport.close(),
  };
}
