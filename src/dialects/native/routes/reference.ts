import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.ts';
import { pageFrom, sendList, snakeKeys } from '../present.ts';
import * as S from '../schemas.ts';

/** ISO reference data: countries (id = ISO 3166-1 numeric), their states, currencies. */
export const referenceRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  const tags = ['reference'];
  app.get('/countries', {
    schema: { tags, summary: 'Countries (ISO 3166-1)', querystring: S.withPaging({ name: Type.Optional(Type.String({ maxLength: 100 })), code: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })) }), response: { 200: Type.Object({ countries: Type.Array(S.Country) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'countries', paging, await core.reference.countries(paging.window, request.query));
  });
  app.get('/countries/:id', {
    schema: { tags, summary: 'A country', params: S.IdParams, response: { 200: Type.Object({ country: S.Country }), ...S.errorResponses } },
  }, async (request) => ({ country: await core.reference.country(request.params.id) }));
  app.get('/countries/:id/states', {
    schema: { tags, summary: "A country's subdivisions (ISO 3166-2)", params: S.IdParams, querystring: S.PageQuery, response: { 200: Type.Object({ states: Type.Array(S.State) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'states', paging, await core.reference.states(request.params.id, paging.window));
  });
  app.get('/currencies', {
    schema: { tags, summary: 'Currencies (ISO 4217)', querystring: S.PageQuery, response: { 200: Type.Object({ currencies: Type.Array(S.Currency) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'currencies', paging, await core.reference.currencies(paging.window), snakeKeys);
  });
};
