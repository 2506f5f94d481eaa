import type { FastifyRequest } from 'fastify';
import type { FastifyCorsOptions } from '@fastify/cors';
import { DomainError } from '../core/errors.ts';
import { isCalendarDate } from '../core/validation.ts';

// ---- Logs hold no secret -------------------------------------------------------------------------

/** Query parameters that carry a credential, in any dialect: their values never reach the log. */
const SECRET_PARAMETERS = new Set([
  'api_key', 'apikey', 'key', 'access_token', 'refresh_token', 'token', 'id_token', 'password', 'client_secret',
  'secret', 'code', 'signature', 'sig', 'auth', 'authorization', 'session', 'otp', 'pin',
]);
/** Path segments that are themselves secrets: the segment after these (TickeTing's `/tokens/{code}`). */
const SECRET_SEGMENT_AFTER = /(\/tokens\/)[^/?#]+/gi;

/** The request's URL as it may be logged: credential parameters and secret path segments replaced. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const path = (at < 0 ? url : url.slice(0, at)).replace(SECRET_SEGMENT_AFTER, '$1[redacted]');
  if (at < 0) return path;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name: string;
      try {
        name = decodeURIComponent(pair.slice(0, eq).replace(/\+/g, ' '));
      } catch {
        name = pair.slice(0, eq);
      }
      // PHP-style names (`api_key[]`) count as their base name.
      const base = name.replace(/\[.*$/, '').toLowerCase();
      return SECRET_PARAMETERS.has(base) ? `${pair.slice(0, eq)}=[redacted]` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

/** Fastify's request serializer, with the URL redacted (headers are never logged). */
export const logSerializers = {
  req(request: FastifyRequest) {
    return { method: request.method, url: redactUrl(request.url), host: request.host, remoteAddress: request.ip, remotePort: request.socket?.remotePort };
  },
};

// ---- CORS ------------------------------------------------------------------------------------------

/**
 * CORS by configuration: a browser page may read answers only when its origin is the server's own
 * or one of CORS_ORIGINS; credentials are allowed for those origins only; `null` (sandboxed frames,
 * files) is never allowed. The Pims API is never readable cross-origin: it uses HTTP Basic, which
 * browsers send by themselves, so any page could otherwise act with a signed-in partner's rights.
 */
export function corsDelegator(allowed: readonly string[], base: FastifyCorsOptions) {
  const list = new Set(allowed.map((o) => o.toLowerCase()));
  return async (request: FastifyRequest): Promise<FastifyCorsOptions> => {
    const origin = request.headers.origin;
    const pims = request.url.startsWith('/pims/') || request.url === '/pims';
    const own = `${request.protocol}://${request.host}`.toLowerCase();
    const ok = typeof origin === 'string' && origin !== 'null' && !pims && (list.has(origin.toLowerCase()) || origin.toLowerCase() === own);
    return { ...base, origin: ok ? origin : false, credentials: ok };
  };
}

// ---- No 5xx on any input -----------------------------------------------------------------------------

/** The largest integer either engine stores in an `integer` column. */
export const MAX_INT = 2_147_483_647;

/**
 * Every value a request carries, once the route's schema has coerced it, before any handler sees it:
 * numbers must be finite and within ±2^31−1 (a path id beyond is 404: nothing has that id), and text
 * must not hold NUL (PostgreSQL cannot store it; refused on both engines alike). One rule for every
 * route of every dialect, including routes added later; each dialect renders the refusal its own way.
 */
export function checkRequestValues(request: FastifyRequest): void {
  // The Pims dialect parses its dates itself (refusing impossible ones) and must say so in Pims's words.
  const datesParsedByDialect = request.url.startsWith('/pims/');
  const visit = (value: unknown, where: string, depth: number): void => {
    if (depth > 32) return;
    if (typeof value === 'string') {
      if (value.includes('\0')) throw new DomainError('VALIDATION_FAILED', `${where}: must not contain NUL characters`, [{ field: where, message: 'must not contain NUL characters' }]);
      // Anything written as a date (YYYY-MM-DD, alone or starting a date-time) must be a real one.
      const date = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(value);
      if (date && !datesParsedByDialect && !isCalendarDate(date[1])) throw new DomainError('VALIDATION_FAILED', `${where}: ${date[1]} is not a calendar date`, [{ field: where, message: 'is not a calendar date' }]);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value) || Math.abs(value) > MAX_INT) {
        if (depth === 1 && where.startsWith('params.')) throw new DomainError('NOT_FOUND', 'Not found');
        throw new DomainError('VALIDATION_FAILED', `${where}: must be a finite number between -${MAX_INT} and ${MAX_INT}`, [{ field: where, message: 'is out of range' }]);
      }
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(value[i], `${where}[${i}]`, depth + 1);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key.includes('\0')) throw new DomainError('VALIDATION_FAILED', `${where}: names must not contain NUL characters`, [{ field: where, message: 'must not contain NUL characters' }]);
        visit(inner, `${where}.${key}`, depth + 1);
      }
    }
  };
  // Ids in paths that the dialects read as text (TickeTing, Pims): beyond an integer column, nothing has that id.
  for (const [name, value] of Object.entries((request.params ?? {}) as Record<string, unknown>)) {
    if ((name === 'id' || name === 'section' || name.endsWith('_id')) && typeof value === 'string' && /^\d+$/.test(value) && Number(value) > MAX_INT) {
      throw new DomainError('NOT_FOUND', 'Not found');
    }
  }
  visit(request.params, 'params', 0);
  visit(request.query, 'query', 0);
  visit(request.body, 'body', 0);
  if (request.url.includes('%00') || request.url.includes('\0')) {
    throw new DomainError('VALIDATION_FAILED', 'The URL must not contain NUL characters', [{ field: 'url', message: 'must not contain NUL characters' }]);
  }
}
