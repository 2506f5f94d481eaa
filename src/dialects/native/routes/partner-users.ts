import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.ts';
import { principalOf } from '../index.ts';
import { noContent, pageFrom, sendList, snakeKeys } from '../present.ts';
import * as S from '../schemas.ts';

const PartnerUserCreate = Type.Object({
  username: Type.String({ pattern: '^[A-Za-z0-9._@-]{1,64}$' }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  password: Type.Optional(Type.String({ minLength: 12, maxLength: 255, description: 'Generated when omitted' })),
  access: Type.Optional(Type.Union([Type.Literal('read'), Type.Literal('write')], { description: 'read (default) or write (read and change venues and series)' })),
}, { additionalProperties: false });
const PartnerUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  password: Type.Optional(Type.String({ description: 'Only in the creation answer' })),
  name: Type.String(),
  access: Type.String(),
  revoked_at: S.Nullable(Type.String()),
  created_at: Type.String(),
});

/** HTTP Basic users of the partner APIs (Pims), created and revoked by the organization's admins. */
export const partnerUserRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  const tags = ['credentials'];
  app.get('/partner_users', {
    schema: { tags, summary: 'Partner API users (HTTP Basic, Pims API) (admin)', querystring: S.PageQuery, response: { 200: Type.Object({ partner_users: Type.Array(PartnerUser) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'partner_users', paging, await core.partnerUsers.list(principalOf(request), paging.window));
  });
  app.post('/partner_users', {
    schema: { tags, summary: 'Create a partner API user; the password is shown once', body: S.Rooted('partner_user', PartnerUserCreate), response: { 201: Type.Object({ partner_user: PartnerUser }), ...S.errorResponses } },
  }, async (request, reply) => {
    const { user, password } = await core.partnerUsers.create(principalOf(request), request.body.partner_user);
    return reply.status(201).send({ partner_user: { ...snakeKeys(user), password } });
  });
  app.delete('/partner_users/:id', {
    schema: { tags, summary: 'Revoke a partner API user', params: S.IdParams, response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    await core.partnerUsers.revoke(principalOf(request), request.params.id);
    return noContent(reply);
  });
};
