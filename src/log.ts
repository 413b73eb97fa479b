import type { FastifyRequest } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.ts';

/** Fields that hold a credential, wherever they sit in something logged. */
const CREDENTIAL_FIELDS = ['password', 'currentPassword', 'newPassword', 'token', 'accessToken'];
/** Headers that hold a credential, in a `headers` field. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'set-cookie'];
const CENSORED = '[redacted]';

type Fields = Record<string, unknown>;
const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
/** A copy that JSON writes as it would write the original: same prototype, same own fields. */
const copyOf = (value: Fields): Fields => Object.assign(Object.create(Object.getPrototypeOf(value) as object | null) as Fields, value);

/** `value` with its credential fields, and those of its `headers`, censored: a copy if it has any, else itself. */
function censorFields<T>(value: T): T {
  if (!isObject(value)) return value;
  let copy: Fields | undefined;
  for (const field of CREDENTIAL_FIELDS) if (field in value) (copy ??= copyOf(value))[field] = CENSORED;
  const headers = value.headers;
  if (isObject(headers) && CREDENTIAL_HEADERS.some((name) => name in headers)) {
    const censoredHeaders = copyOf(headers);
    for (const name of CREDENTIAL_HEADERS) if (name in headers) censoredHeaders[name] = CENSORED;
    (copy ??= copyOf(value)).headers = censoredHeaders;
  }
  return (copy ?? value) as T;
}

/**
 * A request in a log line: its path without the query string, since reset and verification links
 * carry their token there (and searches carry researchers' names). No headers.
 */
function requestInLog(request: FastifyRequest) {
  const { url } = request;
  const query = url.indexOf('?');
  return {
    method: request.method,
    url: query === -1 ? url : url.slice(0, query),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** How a request and an error are written in a line; what they write is censored here (see below). */
const serializers = {
  req: requestInLog,
  err: (error: Error) => censorFields(pino.stdSerializers.err(error)),
};

/**
 * A log line's fields with every credential censored, at the top of the line or one level down:
 * a password, a token, or an authorization, cookie or set-cookie header, wherever a log call puts
 * them (headers, the fields of a body or an error's details). Fields written by a serializer are
 * censored there, as serializers run after this. Copies only what it censors: most lines, such as
 * the one of each request, pass through untouched. (pino's own `redact` did this with wildcard
 * paths, which cloned every field of every line, and cost more than the rest of the line.)
 */
function withoutCredentials(line: Fields): Fields {
  let censored = censorFields(line);
  for (const key in censored) {
    if (key in serializers) continue;
    const field = censored[key];
    const clean = censorFields(field);
    if (clean !== field) {
      if (censored === line) censored = copyOf(line);
      censored[key] = clean;
    }
  }
  return censored;
}

/** The one logger of `npm start` and `npm run worker` (JSON lines on standard output unless told). */
export function createLog(config: Pick<Config, 'env'>, options: { name?: string; destination?: DestinationStream } = {}): Logger {
  const log = pino(
    {
      level: config.env === 'test' ? 'warn' : 'info',
      ...(options.name ? { name: options.name } : {}),
      serializers,
      formatters: { log: withoutCredentials },
    },
    options.destination,
  );
  // A child's bindings go into each of its lines (Fastify's child of each request, and theirs):
  // censored as a line's fields are. Children inherit this from the root.
  const makeChild = (Object.getPrototypeOf(log) as Logger).child;
  log.child = function (this: Logger, bindings, childOptions) {
    return makeChild.call(this, withoutCredentials(bindings), childOptions);
  } as Logger['child'];
  return log;
}
