import crypto from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../../core/index.ts';
import { DomainError } from '../../../core/errors.ts';
import type { WebSession } from '../../../core/identity/web-sessions.ts';
import { clearSessionCookie, fromOwnOrigin, setSessionCookie, type BrowserSession } from '../../../http/web-session.ts';
import { noContent } from '../present.ts';
import * as S from '../schemas.ts';

const SessionAnswer = Type.Object({
  session: Type.Object({
    account: S.Nullable(
      Type.Object({
        id: Type.Integer(),
        username: Type.String(),
        email: Type.String(),
        first_name: S.Nullable(Type.String()),
        last_name: S.Nullable(Type.String()),
        platform_role: Type.String(),
      }),
    ),
    memberships: Type.Array(Type.Object({ organization_id: Type.Integer(), slug: Type.String(), name: Type.String(), role: Type.String() })),
    csrf_token: Type.String({ description: 'Send it as X-CSRF-Token with every state-changing call made with this session' }),
    expires_at: Type.String(),
  }),
});
const SignIn = S.Strict({ identification: Type.String({ minLength: 1, maxLength: 255, description: 'Username or e-mail address' }), password: Type.String({ minLength: 1, maxLength: 1024 }) });
const SignUp = S.Strict({
  email: Type.String({ minLength: 3, maxLength: 255 }),
  password: Type.String({ minLength: 8, maxLength: 1024 }),
  first_name: Type.Optional(Type.String({ maxLength: 100 })),
  last_name: Type.Optional(Type.String({ maxLength: 100 })),
  username: Type.Optional(Type.String({ minLength: 3, maxLength: 64 })),
});
const PasswordChange = S.Strict({ current_password: Type.String({ minLength: 1, maxLength: 1024 }), password: Type.String({ minLength: 8, maxLength: 1024 }) });

/** The session a sign-in, sign-up or change is made from: the browser must have one (login CSRF). */
function requireBrowser(request: FastifyRequest): BrowserSession {
  if (!request.browserSession || !fromOwnOrigin(request)) {
    throw new DomainError('FORBIDDEN', 'Start a browser session first (GET /api/session) and send its X-CSRF-Token', { reason: 'csrf' });
  }
  return request.browserSession;
}

/** A username for a buyer who gave only an e-mail address: its local part and a random suffix. */
function usernameFor(email: string): string {
  const local = email.split('@')[0].replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40) || 'buyer';
  return `${local.length >= 3 ? local : `${local}buyer`}-${crypto.randomBytes(3).toString('hex')}`;
}

/**
 * The web app's browser session (cookie + CSRF token): who is signed in, sign up, sign in, sign
 * out, change the password. Other clients use OAuth tokens; these routes are for browsers.
 */
export const sessionRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  const tags = ['session'];

  async function answer(request: FastifyRequest, reply: FastifyReply, key: string, session: WebSession) {
    setSessionCookie(request, reply, key, session.expiresAt);
    reply.header('Cache-Control', 'no-store');
    const memberships = session.account ? await core.webSessions.memberships(session.account.id) : [];
    return {
      session: {
        account: session.account && {
          id: session.account.id,
          username: session.account.username,
          email: session.account.email,
          first_name: session.account.firstName,
          last_name: session.account.lastName,
          platform_role: session.account.platformRole,
        },
        memberships: memberships.map((m) => ({ organization_id: m.organizationId, slug: m.slug, name: m.name, role: m.role })),
        csrf_token: core.webSessions.csrfToken(key),
        expires_at: session.expiresAt,
      },
    };
  }

  app.get('/session', {
    config: { anonymous: true },
    schema: { tags, summary: "The browser's session (a guest's is started when there is none) and its CSRF token", response: { 200: SessionAnswer, ...S.errorResponses } },
  }, async (request, reply) => {
    if (!fromOwnOrigin(request)) throw new DomainError('FORBIDDEN', 'Browser sessions are for pages of this origin');
    const current = request.browserSession ?? (await core.webSessions.start());
    return answer(request, reply, current.key, current.session);
  });

  app.post('/session/sign_in', {
    config: { anonymous: true },
    schema: { tags, summary: 'Sign the browser in (username or e-mail, and password); the session gets a new key', body: S.Rooted('sign_in', SignIn), response: { 200: SessionAnswer, ...S.errorResponses } },
  }, async (request, reply) => {
    const current = requireBrowser(request);
    const { identification, password } = request.body.sign_in;
    const { key, session } = await core.webSessions.signIn(current.session, identification, password, request.ip);
    return answer(request, reply, key, session);
  });

  app.post('/session/sign_up', {
    config: { anonymous: true },
    schema: { tags, summary: 'Create a buyer account and sign the browser in', body: S.Rooted('user', SignUp), response: { 201: SessionAnswer, ...S.errorResponses } },
  }, async (request, reply) => {
    const current = requireBrowser(request);
    const input = request.body.user;
    await core.accounts.create({ email: input.email, password: input.password, username: input.username ?? usernameFor(input.email), firstName: input.first_name ?? null, lastName: input.last_name ?? null });
    const { key, session } = await core.webSessions.signIn(current.session, input.email, input.password, request.ip);
    reply.code(201);
    return answer(request, reply, key, session);
  });

  app.delete('/session', {
    config: { anonymous: true },
    schema: { tags, summary: 'Sign the browser out (ends its session)', response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    const current = requireBrowser(request);
    await core.webSessions.signOut(current.session);
    clearSessionCookie(request, reply);
    return noContent(reply);
  });

  app.post('/session/password', {
    config: { anonymous: true },
    schema: {
      tags,
      summary: "Change the signed-in account's password; its other browser sessions end",
      body: S.Rooted('password_change', PasswordChange),
      response: { 204: Type.Null(), ...S.errorResponses },
    },
  }, async (request, reply) => {
    const current = requireBrowser(request);
    if (!current.session.account) throw new DomainError('UNAUTHENTICATED', 'Sign in first');
    const principal = await core.webSessions.principal(current.session, 0);
    const { current_password, password } = request.body.password_change;
    // The browser making the change stays signed in; every other credential of the account ends.
    await core.accounts.changePassword(principal, current_password, password, request.ip, { keepCurrent: true });
    return noContent(reply);
  });
};
