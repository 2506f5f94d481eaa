import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Paged } from '../../core/pagination.ts';
import { noContent, camelKeys, pageFrom, sendList, snakeKeys } from './present.ts';
import * as S from './schemas.ts';

/**
 * The five routes of a plain resource (list, create, read, update, delete), with the native
 * conventions: root-keyed bodies, paging headers, 201 on create, 204 on delete.
 */
export interface CrudSpec<T, Q> {
  path: string;
  singular: string;
  plural: string;
  tags: string[];
  schemas: { item: TSchema; create: TSchema; update: TSchema; query?: TObject };
  list(request: FastifyRequest, page: { limit: number; offset: number }, query: Q): Promise<Paged<T>>;
  read(request: FastifyRequest, id: number): Promise<T>;
  create(request: FastifyRequest, input: Record<string, unknown>): Promise<T>;
  update(request: FastifyRequest, id: number, changes: Record<string, unknown>): Promise<T>;
  remove(request: FastifyRequest, id: number): Promise<void>;
  /** Domain object → wire object (default: snake_case keys). */
  present?(request: FastifyRequest, item: T): unknown;
  /** Wire body → domain input (default: camelCase keys). */
  input?(body: Record<string, unknown>): Record<string, unknown>;
}

export function crudRoutes<T, Q = Record<string, unknown>>(app: FastifyInstance, spec: CrudSpec<T, Q>) {
  const { path, singular, plural, tags, schemas } = spec;
  const present = (request: FastifyRequest, item: T) => (spec.present ? spec.present(request, item) : snakeKeys(item));
  const input = (body: Record<string, unknown>) => (spec.input ? spec.input(body) : camelKeys<Record<string, unknown>>(body));
  const one = Type.Object({ [singular]: schemas.item });
  type Body = Record<string, Record<string, unknown>>;

  app.get(path, {
    schema: { tags, summary: `List ${plural}`, querystring: schemas.query ?? S.PageQuery, response: { 200: Type.Object({ [plural]: Type.Array(schemas.item) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const query = request.query as S.PageQueryType & Q;
    const paging = pageFrom(query);
    return sendList(reply, plural, paging, await spec.list(request, paging.window, query), (item) => present(request, item));
  });
  app.post(path, {
    schema: { tags, summary: `Create a ${singular}`, body: S.Rooted(singular, schemas.create), response: { 201: one, ...S.errorResponses } },
  }, async (request, reply) => {
    const created = await spec.create(request, input((request.body as Body)[singular]));
    return reply.status(201).send({ [singular]: present(request, created) });
  });
  app.get(`${path}/:id`, {
    schema: { tags, summary: `Read a ${singular}`, params: S.IdParams, response: { 200: one, ...S.errorResponses } },
  }, async (request) => ({ [singular]: present(request, await spec.read(request, (request.params as { id: number }).id)) }));
  app.patch(`${path}/:id`, {
    schema: { tags, summary: `Update a ${singular}`, params: S.IdParams, body: S.Rooted(singular, schemas.update), response: { 200: one, ...S.errorResponses } },
  }, async (request) => {
    const updated = await spec.update(request, (request.params as { id: number }).id, input((request.body as Body)[singular]));
    return { [singular]: present(request, updated) };
  });
  app.delete(`${path}/:id`, {
    schema: { tags, summary: `Delete a ${singular}`, params: S.IdParams, response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    await spec.remove(request, (request.params as { id: number }).id);
    return noContent(reply);
  });
}
