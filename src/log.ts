import type { FastifyRequest } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.ts';

/**
 * Where a credential could sit in something logged: headers, and the fields of a body or an
 * error's details, at the top of a log line or one level down. Censored wherever a log call puts
 * them, so a line never carries one.
 */
const CREDENTIALS = [
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
].flatMap((path) => [path, `*.${path}`]);

/**
 * A request in a log line: its path without the query string, since reset and verification links
 * carry their token there (and searches carry researchers' names). No headers.
 */
function requestInLog(request: FastifyRequest) {
  return {
    method: request.method,
    url: request.url.split('?')[0],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** The one logger of `npm start` and `npm run worker` (JSON lines on standard output unless told). */
export function createLog(config: Pick<Config, 'env'>, options: { name?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: config.env === 'test' ? 'warn' : 'info',
      ...(options.name ? { name: options.name } : {}),
      redact: { paths: CREDENTIALS, censor: '[redacted]' },
      serializers: { req: requestInLog },
    },
    options.destination,
  );
}
