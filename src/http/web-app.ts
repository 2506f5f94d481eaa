import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * The web app's own policy: scripts, styles, fonts and connections from this origin only (no CDN);
 * inline styles are allowed (Mantine sets CSS variables in style attributes), inline scripts are not;
 * WebAssembly may be compiled (the door's QR decoder); images may also come from HTTPS (event images).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that belong to an API, never to the app's pages. */
const API_PREFIXES = ['/api', '/ticketing', '/weezevent', '/pims', '/health'];

function securityHeaders(reply: FastifyReply) {
  reply
    .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'same-origin')
    .header('Cross-Origin-Opener-Policy', 'same-origin');
}

/**
 * Serves the built web app (web/dist) at `/`: hashed assets (`/assets/…`) cached for a year as
 * immutable, everything else revalidated; any other GET for a page (no API prefix, no file
 * extension) answers index.html, whose router shows the page (door.html for /door and below).
 * When the app is not built, `/` answers the list of APIs and says how to build it.
 */
export async function registerWebApp(app: FastifyInstance, dist: string) {
  const indexFile = path.join(dist, 'index.html');
  const apis = { native: '/api', openapi: '/api/openapi.json', docs: '/api/docs', ticketing: '/ticketing/v3', weezevent: '/weezevent', pims: '/pims/api/v1' };
  if (!fs.existsSync(indexFile)) {
    app.get('/', { schema: { hide: true } }, async () => ({ name: 'Guichet', apis, web: 'The web app is not built: run `npm run build:web`' }));
    return;
  }
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/',
    index: false,
    // One route per built file (found at start), not a catch-all: unknown paths under an API prefix
    // keep reaching that API's own not-found answer.
    wildcard: false,
    cacheControl: false,
    setHeaders(res, filePath) {
      const immutable = filePath.startsWith(path.join(dist, 'assets') + path.sep);
      res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      res.setHeader('X-Content-Type-Options', 'nosniff');
    },
  });

  // The door app has a page of its own (web/door.html: a lean entry for phones at a gate), for /door and below.
  const doorFile = path.join(dist, 'door.html');
  const pageFile = (url: string) => ((url === '/door' || url.startsWith('/door/')) && fs.existsSync(doorFile) ? doorFile : indexFile);
  const sendPage = (reply: FastifyReply, file = indexFile) => {
    securityHeaders(reply);
    return reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(fs.createReadStream(file));
  };
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    // API clients asking for JSON still get the list of APIs.
    if (/application\/json/.test(String(request.headers.accept ?? '')) && !/text\/html/.test(String(request.headers.accept ?? ''))) return { name: 'Guichet', apis };
    return sendPage(reply);
  });
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0];
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && !API_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`)) && !/\.[A-Za-z0-9]+$/.test(url);
    if (isPage) return sendPage(reply, pageFile(url));
    return reply.code(404).send({ message: `Route ${request.method}:${url} not found`, error: 'Not Found', statusCode: 404 });
  });
}
