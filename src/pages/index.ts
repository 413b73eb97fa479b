import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { pageInputHoldsNul } from '../http/unstorable-values.ts';
import { accountPages } from './account-pages.ts';
import { adminPages } from './admin-pages.ts';
import { readingRoomAdminPages } from './reading-room-admin-pages.ts';
import { reportPages } from './report-pages.ts';
import { classSessionPages } from './class-session-pages.ts';
import { containerPages } from './container-pages.ts';
import { curatorPages } from './curator-pages.ts';
import { findingAidAdminPages } from './finding-aid-admin-pages.ts';
import { findingAidPages } from './finding-aid-pages.ts';
import { onBehalfPages } from './on-behalf-pages.ts';
import { researcherPages } from './researcher-pages.ts';
import { savedPages } from './saved-pages.ts';
import { roomDeskPages } from './room-desk-pages.ts';
import { staffPages } from './staff-pages.ts';
import { visitPages } from './visit-pages.ts';
import { pageAssets } from './assets.ts';
import { renderPage, type PageOptions } from './kit.ts';
import { cookiesSecure } from './session.ts';
import { sessionPages } from './session-pages.ts';

/**
 * The reading room in a browser: server-rendered pages that work without JavaScript, over the same
 * domain operations as the API. Form bodies and CSRF tokens live in this context only, so the JSON
 * API keeps refusing anything but JSON.
 */
export async function pages(app: FastifyInstance, options: PageOptions): Promise<void> {
  await app.register(formbody);
  await app.register(csrf, {
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', path: '/', secure: cookiesSecure(options.config.publicUrl) },
  });
  // A link or form holding a NUL character is refused before any page reads it, as the API refuses
  // one (src/http/unstorable-values.ts): no text here can hold it, and PostgreSQL cannot store it.
  app.addHook('preHandler', async (request, reply) => {
    if (!pageInputHoldsNul(request)) return;
    const message = 'This link or form holds a NUL character, which no text here may hold. Go back and type it again.';
    return renderPage(request, reply, options.config, options.clock, 'message', { title: 'Not understood', message, problem: true }, 400);
  });
  // Every page route is reached with the browser session, never with a bare API token.
  app.addHook('onRoute', (route) => {
    if (route.config?.access) route.config = { ...route.config, session: 'page' };
  });
  await app.register(pageAssets);
  await app.register(sessionPages, options);
  await app.register(accountPages, options);
  await app.register(researcherPages, options);
  await app.register(visitPages, options);
  await app.register(savedPages, options);
  await app.register(findingAidPages, options);
  await app.register(staffPages, options);
  await app.register(roomDeskPages, options);
  await app.register(onBehalfPages, options);
  await app.register(classSessionPages, options);
  await app.register(curatorPages, options);
  await app.register(reportPages, options);
  await app.register(adminPages, options);
  await app.register(readingRoomAdminPages, options);
  await app.register(findingAidAdminPages, options);
  await app.register(containerPages, options);
}
