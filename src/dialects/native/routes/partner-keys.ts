import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.ts';
import { principalOf } from '../index.ts';
import { noContent, pageFrom, sendList, snakeKeys } from '../present.ts';
import * as S from '../schemas.ts';

const PartnerKeyCreate = S.Strict({ name: Type.String({ minLength: 1, maxLength: 200 }) });
const PartnerKey = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  key: Type.Optional(Type.String({ description: 'The key itself: shown once, at creation' })),
  revoked_at: S.Nullable(Type.String()),
  last_used_at: S.Nullable(Type.String()),
  created_at: Type.String(),
});

/** Partner keys: the `api_key` of partner integrations (the Weezevent API), created and revoked by the organization's admins. */
export const partnerKeyRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  const tags = ['credentials'];
  app.get('/partner_keys', {
    schema: { tags, summary: 'Partner keys (admin)', querystring: S.PageQuery, response: { 200: Type.Object({ partner_keys: Type.Array(PartnerKey) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'partner_keys', paging, await core.partnerAccess.listKeys(principalOf(request), paging.window));
  });
  app.post('/partner_keys', {
    schema: { tags, summary: 'Create a partner key (Weezevent api_key); the key is shown once', body: S.Rooted('partner_key', PartnerKeyCreate), response: { 201: Type.Object({ partner_key: PartnerKey }), ...S.errorResponses } },
  }, async (request, reply) => {
    const { partnerKey, key } = await core.partnerAccess.createKey(principalOf(request), { name: request.body.partner_key.name });
    return reply.status(201).send({ partner_key: { ...snakeKeys(partnerKey), key } });
  });
  app.delete('/partner_keys/:id', {
    schema: { tags, summary: 'Revoke a partner key and every access token obtained with it', params: S.IdParams, response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    await core.partnerAccess.revokeKey(principalOf(request), request.params.id);
    return noContent(reply);
  });
};
