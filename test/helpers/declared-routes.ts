import diagnostics from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { buildApp, type AppDependencies } from '../../src/app.ts';

export interface DeclaredRoute {
  method: string;
  /** As the app declares it (`:param`), a prefix's root route named without its trailing slash. */
  url: string;
  access: readonly string[] | undefined;
  /** Left out of the OpenAPI document (the pages, their form posts, the queue dashboard). */
  hidden: boolean;
  /** The route's JSON schemas of its parameters, query and body, as declared. */
  schema: { params?: unknown; querystring?: unknown; body?: unknown };
}

/**
 * Every route of a freshly built app, as its onRoute hooks leave them (config.access included),
 * and the app itself, ready (the caller closes it).
 */
export async function declaredRoutes(dependencies: AppDependencies): Promise<{ routes: DeclaredRoute[]; app: FastifyInstance }> {
  const seen: RouteOptions[] = [];
  // Fastify publishes each new instance on this channel before any plugin is registered.
  const onInit = (message: unknown) => {
    (message as { fastify: FastifyInstance }).fastify.addHook('onRoute', (route) => {
      seen.push(route);
    });
  };
  diagnostics.subscribe('fastify.initialization', onInit);
  let app;
  try {
    app = await buildApp(dependencies);
  } finally {
    diagnostics.unsubscribe('fastify.initialization', onInit);
  }
  await app.ready();
  // The same object is handed to every onRoute hook; read `config` once all of them have run.
  const withoutSlash = (url: string) => (url.length > 1 ? url.replace(/\/$/, '') : url);
  const routes = seen.flatMap((route) =>
    [route.method].flat().map((method) => {
      const schema = (route.schema ?? {}) as { hide?: boolean; params?: unknown; querystring?: unknown; body?: unknown };
      return {
        method: String(method).toUpperCase(),
        url: withoutSlash(route.url),
        access: route.config?.access,
        hidden: schema.hide === true,
        schema: { params: schema.params, querystring: schema.querystring, body: schema.body },
      };
    }),
  );
  return { routes, app };
}
