import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Clock } from '../domain/calendar.ts';
import { renderPage, seeOther } from './kit.ts';

/**
 * A page visit the access check refused: without a valid session, to the sign-in page (and back
 * afterwards); signed in with the wrong role, a page that says so.
 */
export function pageRefusal(config: Pick<Config, 'libraryName' | 'timezone' | 'publicUrl'>, clock: Clock) {
  return (request: FastifyRequest, reply: FastifyReply, status: 401 | 403): FastifyReply => {
    if (status === 401) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      return seeOther(reply, config, `/sign-in${next}`);
    }
    return renderPage(request, reply, config, clock, 'message', { title: 'Not open to you', message: 'This page is not open to your role.', problem: true }, 403);
  };
}
