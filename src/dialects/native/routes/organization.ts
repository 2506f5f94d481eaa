import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.ts';
import type { AccessLevel } from '../../../core/identity/principal.ts';
import { principalOf } from '../index.ts';
import { noContent, camelKeys, pageFrom, sendList, snakeKeys } from '../present.ts';
import * as S from '../schemas.ts';

/** The caller's organization and the credentials it hands to its software. */
export const organizationRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.get('/organization', {
    schema: { tags: ['organization'], summary: "The token's organization", response: { 200: Type.Object({ organization: S.Organization }), ...S.errorResponses } },
  }, async (request) => ({ organization: snakeKeys(await core.organizations.current(principalOf(request))) }));

  app.patch('/organization', {
    schema: { tags: ['organization'], summary: 'Update the organization (admin)', body: S.Rooted('organization', S.OrganizationUpdate), response: { 200: Type.Object({ organization: S.Organization }), ...S.errorResponses } },
  }, async (request) => ({ organization: snakeKeys(await core.organizations.update(principalOf(request), camelKeys(request.body.organization))) }));

  const clientTags = ['credentials'];
  app.get('/oauth_clients', {
    schema: { tags: clientTags, summary: 'OAuth clients (admin)', querystring: S.PageQuery, response: { 200: Type.Object({ oauth_clients: Type.Array(S.OAuthClient) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'oauth_clients', paging, await core.credentials.listClients(principalOf(request), paging.window));
  });
  app.post('/oauth_clients', {
    schema: { tags: clientTags, summary: 'Create an OAuth client; the secret is shown once', body: S.Rooted('oauth_client', S.OAuthClientCreate), response: { 201: Type.Object({ oauth_client: S.OAuthClient }), ...S.errorResponses } },
  }, async (request, reply) => {
    const { client, secret } = await core.credentials.createClient(principalOf(request), request.body.oauth_client);
    return reply.status(201).send({ oauth_client: { ...snakeKeys(client), client_secret: secret } });
  });
  app.get('/oauth_clients/:id', {
    schema: { tags: clientTags, summary: 'Read an OAuth client', params: S.IdParams, response: { 200: Type.Object({ oauth_client: S.OAuthClient }), ...S.errorResponses } },
  }, async (request) => ({ oauth_client: snakeKeys(await core.credentials.readClient(principalOf(request), request.params.id)) }));
  app.delete('/oauth_clients/:id', {
    schema: { tags: clientTags, summary: 'Revoke an OAuth client and every token it issued', params: S.IdParams, response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    await core.credentials.revokeClient(principalOf(request), request.params.id);
    return noContent(reply);
  });

  app.get('/api_keys', {
    schema: { tags: clientTags, summary: 'Integration API keys (admin)', querystring: S.PageQuery, response: { 200: Type.Object({ api_keys: Type.Array(S.ApiKey) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'api_keys', paging, await core.credentials.listApiKeys(principalOf(request), paging.window));
  });
  app.post('/api_keys', {
    schema: { tags: clientTags, summary: 'Create an integration API key; the key is shown once', body: S.Rooted('api_key', S.ApiKeyCreate), response: { 201: Type.Object({ api_key: S.ApiKey }), ...S.errorResponses } },
  }, async (request, reply) => {
    const body = request.body.api_key;
    const { apiKey, key } = await core.credentials.createApiKey(principalOf(request), { name: body.name, accessLevel: body.access_level as AccessLevel });
    return reply.status(201).send({ api_key: { ...snakeKeys(apiKey), key } });
  });
  app.delete('/api_keys/:id', {
    schema: { tags: clientTags, summary: 'Revoke an API key', params: S.IdParams, response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    await core.credentials.revokeApiKey(principalOf(request), request.params.id);
    return noContent(reply);
  });
};
