import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../core/index.ts';
import { DomainError } from '../core/errors.ts';
import type { WebSession } from '../core/identity/web-sessions.ts';
import type {} from '@fastify/cookie';

/**
 * The browser side of web sessions: the httpOnly cookie that carries the key, and the checks that
 * keep another site from using it.
 *
 * - The cookie is httpOnly (no page script reads it), SameSite=Lax (not sent with other sites'
 *   requests, except top-level links, which change nothing), Secure and `__Host-` prefixed over HTTPS.
 * - A cookie is honoured only on requests from this origin (Sec-Fetch-Site, Origin): the API answers
 *   other origins with CORS, and none of them may act with a browser's session.
 * - Every state-changing call made with the cookie carries X-CSRF-Token, a value derived from the key
 *   that only this origin's pages can read (GET /api/session).
 */
export const SESSION_COOKIE = 'guichet_session';
const SECURE_SESSION_COOKIE = '__Host-guichet_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface BrowserSession {
  key: string;
  session: WebSession;
}

export function sessionKeyOf(request: FastifyRequest): string | null {
  const cookies = request.cookies ?? {};
  return cookies[SECURE_SESSION_COOKIE] ?? cookies[SESSION_COOKIE] ?? null;
}

/** Whether the request comes from a page of this very origin (or from no page at all: a typed URL). */
export function fromOwnOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, key: string, expiresAt: string) {
  const secure = request.protocol === 'https';
  reply.setCookie(secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, key, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply) {
  const secure = request.protocol === 'https';
  reply.clearCookie(secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

/**
 * The browser session a request carries, if it is live and comes from this origin; a state-changing
 * call must then carry the session's CSRF token (403 otherwise).
 */
export async function browserSessionOf(core: Core, request: FastifyRequest): Promise<BrowserSession | null> {
  const key = sessionKeyOf(request);
  if (!key || !fromOwnOrigin(request)) return null;
  const session = await core.webSessions.resolve(key);
  if (!session) return null;
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    const expected = core.webSessions.csrfToken(key);
    if (typeof sent !== 'string' || sent.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(expected))) {
      throw new DomainError('FORBIDDEN', 'This call needs the X-CSRF-Token of the browser session (GET /api/session gives it)', { reason: 'csrf' });
    }
  }
  return { key, session };
}

/** The organization a browser session acts in: X-Organization (an id), else the person's first membership. */
export async function sessionOrganization(core: Core, request: FastifyRequest, session: WebSession): Promise<number | null> {
  const header = request.headers['x-organization'];
  if (header !== undefined && header !== '') {
    const value = Array.isArray(header) ? header[0] : header;
    if (!/^\d{1,9}$/.test(value)) throw new DomainError('BAD_REQUEST', 'X-Organization must be the numeric id of an organization');
    return Number(value);
  }
  if (!session.account) return null;
  return (await core.webSessions.memberships(session.account.id))[0]?.organizationId ?? null;
}
