import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.ts';
import type { GuestInput, GuestStatus } from '../../../core/selling/guests.ts';
import { principalOf } from '../index.ts';
import { camelKeys, noContent, pageFrom, sendList, snakeKeys } from '../present.ts';
import * as S from '../schemas.ts';
import { Ticket } from '../selling-schemas.ts';


const GuestCreate = S.Strict({
  event_id: S.Id,
  date_id: S.Id,
  section_id: S.Id,
  tariff_id: Type.Optional(S.Nullable(S.Id)),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  email: Type.Optional(S.Nullable(Type.String({ format: 'email', maxLength: 255 }))),
  quantity: Type.Integer({ minimum: 1, maximum: 100 }),
  note: Type.Optional(S.Nullable(Type.String({ maxLength: 2000 }))),
  seat_ids: Type.Optional(Type.Array(S.Id, { minItems: 1, maxItems: 100, uniqueItems: true, description: 'Seated sections: the seats given (as many as the quantity); without it, the best available side by side' })),
});
const Guest = Type.Object({
  id: Type.Integer(),
  event_id: Type.Integer(),
  date_id: Type.Integer(),
  section_id: Type.Integer(),
  tariff_id: S.Nullable(Type.Integer({ description: 'The tariff the comps were issued on (counts against its quota), or null' })),
  name: Type.String(),
  email: S.Nullable(Type.String()),
  quantity: Type.Integer(),
  note: S.Nullable(Type.String()),
  status: Type.String({ description: 'issued or cancelled' }),
  issued_by: S.Nullable(Type.Integer({ description: 'The staff user who issued the comps' })),
  tickets: Type.Array(Ticket),
  created_at: Type.String(),
  updated_at: Type.String(),
});
const GuestListQuery = S.withPaging({
  event_id: Type.Optional(S.Id),
  date_id: Type.Optional(S.Id),
  status: Type.Optional(Type.Union([Type.Literal('issued'), Type.Literal('cancelled')])),
});

/** Guest lists: complimentary tickets for named guests, issued by sellers and admins, counted against capacity. */
export async function guestRoutes(app: FastifyInstance, { core }: { core: Core }) {
  const p = principalOf;
  const tags = ['guests'];
  const one = Type.Object({ guest: Guest });

  app.get('/guests', {
    schema: { tags, summary: 'List guests and their comp tickets (scope sell or admin)', querystring: GuestListQuery, response: { 200: Type.Object({ guests: Type.Array(Guest) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const query = request.query as S.PageQueryType & { event_id?: number; date_id?: number; status?: GuestStatus };
    const paging = pageFrom(query);
    const result = await core.guests.list(p(request), paging.window, { eventId: query.event_id, dateId: query.date_id, status: query.status });
    return sendList(reply, 'guests', paging, result);
  });

  app.post('/guests', {
    schema: {
      tags,
      summary: 'Issue comp tickets to a guest; they take places like sales (409 SOLD_OUT when the section is full); on a seated section, seats (named, or the best available)',
      body: S.Rooted('guest', GuestCreate),
      response: { 201: one, ...S.errorResponses },
    },
  }, async (request, reply) => {
    const input = camelKeys<GuestInput>((request.body as { guest: Record<string, unknown> }).guest);
    return reply.code(201).send({ guest: snakeKeys(await core.guests.create(p(request), input)) });
  });

  app.get('/guests/:id', {
    schema: { tags, summary: 'Read a guest with its comp tickets', params: S.IdParams, response: { 200: one, ...S.errorResponses } },
  }, async (request) => ({ guest: snakeKeys(await core.guests.read(p(request), (request.params as { id: number }).id)) }));

  app.delete('/guests/:id', {
    schema: {
      tags,
      summary: 'Cancel a guest: its tickets stop admitting and its places return to sale (409 if already cancelled)',
      params: S.IdParams,
      response: { 204: Type.Null(), ...S.errorResponses },
    },
  }, async (request, reply) => {
    await core.guests.cancel(p(request), (request.params as { id: number }).id);
    return noContent(reply);
  });
}
