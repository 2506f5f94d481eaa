import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.ts';
import { RIGHTS, rightsOf, actsAsPerson } from '../../../core/identity/roles.ts';
import { MEMBERSHIP_ROLES, SCOPES } from '../../../core/identity/principal.ts';
import { principalOf } from '../index.ts';
import { noContent, pageFrom, sendList, snakeKeys } from '../present.ts';
import * as S from '../schemas.ts';
import { CapacityFigures } from './reporting.ts';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Role = Type.Union(MEMBERSHIP_ROLES.map((r) => Type.Literal(r)));

const Access = Type.Object({
  organization_id: Type.Integer(),
  account_id: S.Nullable(Type.Integer()),
  person: Type.Boolean({ description: 'Whether a person signed in (their role applies) rather than a client or key' }),
  role: S.Nullable(Role),
  rights: Type.Array(Type.Union(RIGHTS.map((r) => Type.Literal(r))), { description: 'What this caller may do: the back office shows these areas only' }),
  scopes: Type.Array(Type.Union(SCOPES.map((s) => Type.Literal(s)))),
  platform_role: Type.String(),
});

const Figures = { tickets: Type.Integer(), revenue: Type.Integer({ description: 'Minor units, net of refunds' }), orders: Type.Integer() };
const Dashboard = Type.Object({
  currency: Type.String(),
  other_currencies: Type.Boolean(),
  today: Type.Object({ day: Day, ...Figures }),
  period: Type.Object({ from: Day, to: Day, ...Figures }),
  by_event: Type.Array(Type.Object({ event_id: Type.Integer(), title: Type.String(), ...Figures })),
  by_channel: Type.Array(Type.Object({ interface_id: Type.Integer({ description: 'The sales channel (interface)' }), name: Type.String(), ...Figures })),
  over_time: Type.Array(Type.Object({ day: Day, tickets: Type.Integer(), revenue: Type.Integer() })),
  fill: S.Nullable(Type.Array(CapacityFigures)),
  arrivals: S.Nullable(Type.Array(Type.Object({ from: Type.String(), admitted: Type.Integer() }))),
});

const OrderEvent = Type.Object({ at: Type.String(), kind: Type.String(), amount: S.Nullable(Type.Integer()), detail: S.Nullable(Type.String()) });

const Invitation = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  role: Role,
  status: Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('revoked'), Type.Literal('expired')]),
  invited_by: S.Nullable(Type.Integer()),
  expires_at: Type.String(),
  accepted_at: S.Nullable(Type.String()),
  created_at: Type.String(),
  code: Type.Optional(Type.String({ description: 'Only in the answer that creates it: the code to accept it (also mailed)' })),
});

/**
 * What the back office needs besides the resources it shares with every client: who the caller is
 * and may be, the dashboard, an order's history and member invitations.
 */
export const manageRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.get('/access', {
    config: { right: 'any' },
    schema: { tags: ['users'], summary: 'The caller: organization, membership role and the rights it gives (what a back office may offer)', response: { 200: Type.Object({ access: Access }), ...S.errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const person = actsAsPerson(principal);
    return {
      access: {
        organization_id: principal.organizationId,
        account_id: principal.accountId,
        person,
        role: principal.membershipRole ?? null,
        rights: person ? [...rightsOf(principal.membershipRole ?? null)] : [...RIGHTS],
        scopes: SCOPES.filter((s) => principal.scopes.has(s)),
        platform_role: principal.platformRole,
      },
    };
  });

  app.get('/dashboard', {
    config: { right: 'reporting' },
    schema: {
      tags: ['reporting'],
      summary: "Dashboard: today's and the period's tickets (net of refunds), revenue and orders, per event and channel, day by day; with event_id, fill per date and section and door arrivals per quarter hour",
      description: 'Tickets and revenue come from the same records as the ticket counts (sales tallies and approved entered counts), on event-local days. The period defaults to the last 30 days up to today (the organization\'s day), at most 366 days.',
      querystring: S.Strict({ from: Type.Optional(Day), to: Type.Optional(Day), event_id: Type.Optional(S.Id) }),
      response: { 200: Type.Object({ dashboard: Dashboard }), ...S.errorResponses },
    },
  }, async (request) => {
    const { from, to, event_id } = request.query;
    return { dashboard: snakeKeys(await core.dashboard.read(principalOf(request), { from, to, eventId: event_id })) };
  });

  app.get('/orders/:id/history', {
    config: { right: 'any' },
    schema: { tags: ['orders'], summary: "An order's history: placed, payment attempts, paid, refunds, cancellation or expiry, ticket transfers", params: S.IdParams, response: { 200: Type.Object({ history: Type.Array(OrderEvent) }), ...S.errorResponses } },
  }, async (request) => ({ history: snakeKeys(await core.orders.history(principalOf(request), request.params.id)) }));

  const invitationTags = ['users'];
  app.get('/invitations', {
    config: { right: 'members' },
    schema: { tags: invitationTags, summary: 'Invitations to become a member (owners)', querystring: S.PageQuery, response: { 200: Type.Object({ invitations: Type.Array(Invitation) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'invitations', paging, await core.invitations.list(principalOf(request), paging.window));
  });
  app.post('/invitations', {
    config: { right: 'members' },
    schema: {
      tags: invitationTags,
      summary: 'Invite someone by e-mail to become a member with a role (owners); the code is mailed and shown once here',
      body: S.Rooted('invitation', S.Strict({ email: Type.String({ maxLength: 254 }), role: Role })),
      response: { 201: Type.Object({ invitation: Invitation }), ...S.errorResponses },
    },
  }, async (request, reply) => {
    const { invitation, code } = await core.invitations.invite(principalOf(request), request.body.invitation);
    return reply.status(201).send({ invitation: { ...snakeKeys(invitation), code } });
  });
  app.delete('/invitations/:id', {
    config: { right: 'members' },
    schema: { tags: invitationTags, summary: 'Revoke an invitation not yet accepted (owners)', params: S.IdParams, response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    await core.invitations.revoke(principalOf(request), request.params.id);
    return noContent(reply);
  });
  app.post('/invitations/acceptance', {
    config: { right: 'any' },
    schema: {
      tags: invitationTags,
      summary: 'Accept an invitation as the signed-in person: become a member of the inviting organization with its role',
      body: S.Rooted('invitation', S.Strict({ code: Type.String({ minLength: 1, maxLength: 200 }) })),
      response: { 201: Type.Object({ membership: Type.Object({ organization_id: Type.Integer(), role: Role }) }), ...S.errorResponses },
    },
  }, async (request, reply) => {
    const accepted = await core.invitations.accept(principalOf(request), request.body.invitation.code);
    return reply.status(201).send({ membership: snakeKeys(accepted) });
  });
};
