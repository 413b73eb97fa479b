import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A browser without JavaScript, over `inject`: it keeps its cookies (the session, the CSRF secret),
 * posts forms with the CSRF token of the last page it opened, and follows a redirect when asked.
 */
export interface FormBrowser {
  readonly cookies: Map<string, string>;
  get(url: string): Promise<LightMyRequestResponse>;
  /** A form post; with `csrf: false` the token is left out, as a forged cross-site form would. */
  post(url: string, fields?: Record<string, string | string[]>, options?: { csrf?: boolean }): Promise<LightMyRequestResponse>;
  /**
   * A form post with a file, as `multipart/form-data` (the CSRF token first, as the pages' forms
   * place it); with `csrf: false` the token is left out.
   */
  upload(url: string, file: { field: string; filename: string; content: string | Buffer; type?: string }, options?: { csrf?: boolean }): Promise<LightMyRequestResponse>;
  /** Follows the 303 a successful form post answers. */
  follow(response: LightMyRequestResponse): Promise<LightMyRequestResponse>;
}

export function formBrowser(app: FastifyInstance): FormBrowser {
  const cookies = new Map<string, string>();
  let csrf = '';
  const cookie = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const keep = (response: LightMyRequestResponse) => {
    for (const c of response.cookies) {
      if (c.value === '' || (c.maxAge !== undefined && c.maxAge <= 0)) cookies.delete(c.name);
      else cookies.set(c.name, c.value);
    }
    csrf = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1] ?? csrf;
    return response;
  };
  const browser: FormBrowser = {
    cookies,
    get: async (url) => keep(await app.inject({ method: 'GET', url, headers: { cookie: cookie(), accept: 'text/html' } })),
    post: async (url, fields = {}, { csrf: withToken = true } = {}) => {
      const form = new URLSearchParams();
      for (const [name, value] of Object.entries(withToken ? { ...fields, _csrf: csrf } : fields)) {
        for (const one of [value].flat()) form.append(name, one);
      }
      return keep(
        await app.inject({
          method: 'POST',
          url,
          headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
          payload: form.toString(),
        }),
      );
    },
    upload: async (url, file, { csrf: withToken = true } = {}) => {
      const boundary = `----form-browser-${Date.now()}`;
      const part = (headers: string, content: string | Buffer) => Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n')]);
      const payload = Buffer.concat([
        ...(withToken ? [part('Content-Disposition: form-data; name="_csrf"', csrf)] : []),
        part(`Content-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'text/xml'}`, file.content),
        Buffer.from(`--${boundary}--\r\n`),
      ]);
      return keep(
        await app.inject({
          method: 'POST',
          url,
          headers: { cookie: cookie(), 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
          payload,
        }),
      );
    },
    follow: async (response) => {
      assert.equal(response.statusCode, 303, response.body);
      return browser.get(String(response.headers.location));
    },
  };
  return browser;
}

/** Signs a person in through the sign-in page, as a browser does. */
export async function signedInBrowser(app: FastifyInstance, email: string, password: string): Promise<FormBrowser> {
  const browser = formBrowser(app);
  assert.equal((await browser.get('/sign-in')).statusCode, 200);
  const answer = await browser.post('/sign-in', { email, password });
  assert.equal(answer.statusCode, 303, answer.body);
  assert.ok(browser.cookies.has('rr_session'), 'signed in: the session cookie is set');
  return browser;
}
