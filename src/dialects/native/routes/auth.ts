import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Core } from '../../../core/index.ts';
import { OAuthError } from '../../../core/identity/oauth.ts';

const TokenBody = Type.Object(
  {
    grant_type: Type.Optional(Type.String({ maxLength: 1024 })),
    client_id: Type.Optional(Type.String({ maxLength: 1024 })),
    client_secret: Type.Optional(Type.String({ maxLength: 1024 })),
    scope: Type.Optional(Type.String({ maxLength: 1024 })),
    username: Type.Optional(Type.String({ maxLength: 1024 })),
    password: Type.Optional(Type.String({ maxLength: 1024 })),
    refresh_token: Type.Optional(Type.String({ maxLength: 1024 })),
  },
  { description: 'application/x-www-form-urlencoded or JSON' },
);
const TokenAnswer = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  refresh_token: Type.Optional(Type.String({ maxLength: 1024 })),
  scope: Type.String(),
});
const OAuthErrorBody = Type.Object({ error: Type.String(), error_description: Type.String() });

/** Client credentials from an HTTP Basic header (RFC 6749 §2.3.1), else from the body. */
function clientCredentials(authorization: string | undefined, body: { client_id?: string; client_secret?: string }) {
  const match = authorization && /^Basic\s+(\S+)$/i.exec(authorization);
  if (match) {
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
    }
  }
  return { clientId: body.client_id, clientSecret: body.client_secret };
}

export const authRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  // The token endpoint answers in RFC 6749's own error format, not the API's.
  app.setErrorHandler((error: Error & { validation?: unknown; statusCode?: number }, _request, reply) => {
    if (error instanceof OAuthError) {
      if (error.error === 'invalid_client') reply.header('WWW-Authenticate', 'Basic realm="guichet"');
      if (error.error === 'slow_down') reply.header('Retry-After', /(\d+) s$/.exec(error.description)?.[1] ?? '1');
      return reply.status(error.error === 'invalid_client' ? 401 : error.error === 'slow_down' ? 429 : 400).header('Cache-Control', 'no-store').send({ error: error.error, error_description: error.description });
    }
    if (error.validation || (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)) {
      return reply.status(400).send({ error: 'invalid_request', error_description: error.message });
    }
    throw error;
  });

  app.post(
    '/auth/token',
    {
      config: { anonymous: true },
      schema: {
        tags: ['auth'],
        summary: 'Get an access token (client_credentials, password, refresh_token)',
        body: TokenBody,
        response: { 200: TokenAnswer, 400: OAuthErrorBody, 401: OAuthErrorBody },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const issued = await core.oauth.token({
        grantType: body.grant_type,
        ...clientCredentials(request.headers.authorization, body),
        scope: body.scope,
        username: body.username,
        password: body.password,
        refreshToken: body.refresh_token,
        ip: request.ip,
      });
      reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
      return {
        access_token: issued.accessToken,
        token_type: issued.tokenType,
        expires_in: issued.expiresIn,
        ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
        scope: issued.scope,
      };
    },
  );

  app.post(
    '/auth/revoke',
    {
      config: { anonymous: true },
      schema: {
        tags: ['auth'],
        summary: 'Revoke an access or refresh token (RFC 7009)',
        body: Type.Object({ token: Type.Optional(Type.String()), client_id: Type.Optional(Type.String({ maxLength: 1024 })), client_secret: Type.Optional(Type.String({ maxLength: 1024 })) }),
        response: { 400: OAuthErrorBody, 401: OAuthErrorBody },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      await core.oauth.revoke({ ...clientCredentials(request.headers.authorization, body), token: body.token, ip: request.ip });
      return (reply as FastifyReply).code(200).send();
    },
  );
};
