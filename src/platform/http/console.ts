import { readFile } from 'node:fs/promises';
import type { FastifyReply } from 'fastify';
import { AppError, notFound } from './errors.js';
import type { App } from './types.js';

/**
 * The operators' console: the single-page app that `npm install` builds from web/ into dist/web/
 * (scripts/web-build.mjs). `/app/assets/<file>` are Vite's content-hashed files, cacheable forever;
 * every other path under /app is a page of the app, so it answers index.html (never cached, so a
 * new build is picked up at the next load) and the app's router shows the page.
 */

/** dist/web/ at the repository root, from src/platform/http/ and from its build in dist/platform/http/ alike. */
const WEB = new URL('../../../dist/web/', import.meta.url);

const ASSET = /^[\w-]+(\.[\w-]+)*\.(js|css|svg|png|woff2)$/;
const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
};

/**
 * Only the app's own scripts and styles run; the API is on the same origin; documents are previewed
 * in a frame from this origin (or a blob: the app made); nothing may frame the console itself.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function registerConsole(app: App) {
  // Public like /docs: the pages hold no data; the app signs in through the API, which checks every call.
  const options = { config: { auth: 'none' as const }, schema: { hide: true } };

  app.get<{ Params: { file: string } }>('/app/assets/:file', options, async (request, reply) => {
    const { file } = request.params;
    const type = ASSET.test(file) ? TYPES[file.slice(file.lastIndexOf('.') + 1)] : undefined;
    const content = type ? await readFile(new URL(`assets/${file}`, WEB)).catch(() => undefined) : undefined;
    if (!type || !content) throw notFound('Console file');
    return reply.type(type).header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff').send(content);
  });

  const page = async (_request: unknown, reply: FastifyReply) => {
    const html = await readFile(new URL('index.html', WEB)).catch(() => undefined);
    // An install without dev dependencies has no build of the console (scripts/build.mjs says so).
    if (!html) throw new AppError(404, 'The console is not built: run `npm run build` (it needs the dev dependencies)');
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CONSOLE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .header('x-frame-options', 'DENY')
      .send(html);
  };
  app.get('/app', options, page);
  app.get('/app/*', options, page);
}
