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

type ManifestChunk = { file: string; imports?: string[]; css?: string[]; isEntry?: boolean };
const AREAS = ['shop', 'account', 'manage', 'door'] as const;
type Area = (typeof AREAS)[number];
/** The area a page belongs to, as web/src/main.tsx routes it. */
const areaOf = (url: string): Area => (/^\/(manage|door|account)(\/|$)/.exec(url)?.[1] as Area | undefined) ?? 'shop';

/**
 * The `<link>`s that let a page's area load alongside the app's entry instead of after it: the
 * area's lazy chunk, what it imports and its CSS (from Vite's manifest), and, on an event page, the
 * event itself (the shop's first request, the same URL and mode as the page's own fetch, which the
 * browser then answers from this preload). Without this, the browser learns of each only once the
 * entry has run: entry → chunk → event, one after the other.
 */
function preloadsOf(dist: string): (url: string) => string {
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'));
  } catch {
    return () => '';
  }
  const closure = (key: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(key) || !manifest[key]) return seen;
    seen.add(key);
    for (const dep of manifest[key].imports ?? []) closure(dep, seen);
    return seen;
  };
  // index.html's own entry (not the first entry found: door.html sorts first, and its chunks are not this page's).
  const entry = closure('index.html');
  const links = Object.fromEntries(
    AREAS.map((area) => {
      const key = Object.keys(manifest).find((k) => k.endsWith(`src/${area}/index.tsx`));
      const chunks = key ? [...closure(key)].filter((k) => !entry.has(k)) : [];
      const js = chunks.map((k) => `<link rel="modulepreload" crossorigin href="/${manifest[k].file}">`);
      const css = chunks.flatMap((k) => manifest[k].css ?? []).map((f) => `<link rel="preload" as="style" crossorigin href="/${f}">`);
      return [area, [...js, ...css].join('')];
    }),
  ) as Record<Area, string>;
  return (url) => {
    const event = /^\/events\/(\d{1,9})\/?$/.exec(url)?.[1];
    return links[areaOf(url)] + (event ? `<link rel="preload" as="fetch" crossorigin href="/api/shop/events/${event}">` : '');
  };
}

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

  const html = fs.readFileSync(indexFile, 'utf8');
  const preloads = preloadsOf(dist);
  // The door app has a page of its own (web/door.html: a lean entry for phones at a gate), for /door and below.
  const doorFile = path.join(dist, 'door.html');
  const doorHtml = fs.existsSync(doorFile) ? fs.readFileSync(doorFile, 'utf8') : null;
  const sendIndex = (reply: FastifyReply, url: string) => {
    securityHeaders(reply);
    const page = doorHtml !== null && (url === '/door' || url.startsWith('/door/')) ? doorHtml : html.replace('</head>', `${preloads(url)}</head>`);
    return reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(page);
  };
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    // API clients asking for JSON still get the list of APIs.
    if (/application\/json/.test(String(request.headers.accept ?? '')) && !/text\/html/.test(String(request.headers.accept ?? ''))) return { name: 'Guichet', apis };
    return sendIndex(reply, '/');
  });
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0];
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && !API_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`)) && !/\.[A-Za-z0-9]+$/.test(url);
    if (isPage) return sendIndex(reply, url);
    return reply.code(404).send({ message: `Route ${request.method}:${url} not found`, error: 'Not Found', statusCode: 404 });
  });
}
