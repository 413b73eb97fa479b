import { once } from 'node:events';
import { SMTPServer } from 'smtp-server';

/**
 * An SMTP server that accepts everything and notes when each Message-ID arrived, without parsing
 * more than the header: the benchmark measures the sender, not the receiver.
 */
export async function startSmtpCounter(port: number) {
  const arrivals = new Map<string, number>();
  let waiter: { count: number; resolve: () => void } | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const id = /^Message-ID:\s*(\S+)/im.exec(Buffer.concat(chunks).toString('latin1'))?.[1] ?? `anonymous-${arrivals.size}`;
        if (!arrivals.has(id)) arrivals.set(id, performance.now());
        if (waiter && arrivals.size >= waiter.count) waiter.resolve();
        callback();
      });
    },
  });
  server.on('error', () => {});
  server.listen(port, '127.0.0.1');
  await once(server.server, 'listening');
  return {
    arrivals,
    waitFor(count: number) {
      return arrivals.size >= count ? Promise.resolve() : new Promise<void>((resolve) => (waiter = { count, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
