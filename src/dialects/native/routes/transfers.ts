import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.ts';
import type { TransferInput, TransferStatus } from '../../../core/selling/transfers.ts';
import { principalOf } from '../index.ts';
import { camelKeys, noContent, pageFrom, sendList, snakeKeys } from '../present.ts';
import * as S from '../schemas.ts';
import { Ticket } from '../selling-schemas.ts';

const Status = Type.Union(['pending', 'claimed', 'rejected', 'cancelled'].map((s) => Type.Literal(s)));

const TransferCreate = S.Strict({
  ticket_ids: Type.Array(S.Id, { minItems: 1, maxItems: 100 }),
  recipient_email: Type.String({ format: 'email', maxLength: 255 }),
});
const TransferFields = {
  id: Type.Integer(),
  status: Type.String({ description: 'pending, claimed, rejected or cancelled' }),
  sender_user_id: Type.Integer(),
  recipient_email: Type.String(),
  recipient_user_id: Type.Union([Type.Integer(), Type.Null()], { description: 'The account with that address, if there is one' }),
  ticket_ids: Type.Array(Type.Integer()),
  created_at: Type.String(),
  resolved_at: Type.Union([Type.String(), Type.Null()]),
};
const Transfer = Type.Object(TransferFields);
/** The claim answers with the recipient's tickets as they now are: new barcodes, new versions, new QR payloads. */
const ClaimedTransfer = Type.Object({ ...TransferFields, tickets: Type.Array(Ticket) });
const TransferListQuery = S.withPaging({
  role: Type.Optional(Type.Union([Type.Literal('sent'), Type.Literal('received')])),
  status: Type.Optional(Status),
});

/** Ticket transfers between people (scope buy, a token issued to a user): send, claim, reject, cancel. */
export async function transferRoutes(app: FastifyInstance, { core }: { core: Core }) {
  const p = principalOf;
  const tags = ['transfers'];
  const one = Type.Object({ transfer: Transfer });
  const idOf = (params: unknown) => (params as { id: number }).id;

  app.get('/transfers', {
    schema: { tags, summary: 'Transfers the caller sent or received', querystring: TransferListQuery, response: { 200: Type.Object({ transfers: Type.Array(Transfer) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const query = request.query as S.PageQueryType & { role?: 'sent' | 'received'; status?: TransferStatus };
    const paging = pageFrom(query);
    return sendList(reply, 'transfers', paging, await core.transfers.list(p(request), paging.window, { role: query.role, status: query.status }));
  });

  app.post('/transfers', {
    schema: {
      tags,
      summary: 'Send some of your valid tickets to someone by e-mail; they stay yours until claimed',
      body: S.Rooted('transfer', TransferCreate),
      response: { 201: one, ...S.errorResponses },
    },
  }, async (request, reply) => {
    const input = camelKeys<TransferInput>((request.body as { transfer: Record<string, unknown> }).transfer);
    return reply.code(201).send({ transfer: snakeKeys(await core.transfers.create(p(request), input)) });
  });

  app.get('/transfers/:id', {
    schema: { tags, summary: 'Read a transfer (its sender or recipient only)', params: S.IdParams, response: { 200: one, ...S.errorResponses } },
  }, async (request) => ({ transfer: snakeKeys(await core.transfers.read(p(request), idOf(request.params))) }));

  app.post('/transfers/:id/claim', {
    schema: {
      tags,
      summary: 'Claim a pending transfer (its recipient): the tickets get new barcodes and become yours',
      params: S.IdParams,
      body: S.NoBody,
      response: { 200: Type.Object({ transfer: ClaimedTransfer }), ...S.errorResponses },
    },
  }, async (request) => ({ transfer: snakeKeys(await core.transfers.claim(p(request), idOf(request.params))) }));

  app.post('/transfers/:id/rejection', {
    schema: { tags, summary: 'Reject a pending transfer (its recipient): the tickets stay with the sender', params: S.IdParams, body: S.NoBody, response: { 200: one, ...S.errorResponses } },
  }, async (request) => ({ transfer: snakeKeys(await core.transfers.reject(p(request), idOf(request.params))) }));

  app.delete('/transfers/:id', {
    schema: { tags, summary: 'Cancel a pending transfer (its sender)', params: S.IdParams, response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    await core.transfers.cancel(p(request), idOf(request.params));
    return noContent(reply);
  });
}
