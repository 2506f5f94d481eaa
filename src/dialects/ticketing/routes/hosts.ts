import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.ts';
import type { HostProfileInput } from '../../../core/identity/host-profiles.ts';
import { callerOf } from '../index.ts';
import { sendList, type ListQuery, type References } from '../present.ts';
import { accountIdOf } from '../identifiers.ts';
import * as S from '../schemas.ts';
import { listEvents, type EventQuery } from './events.ts';

type HostBody = {
  name?: string; contact?: string | null; email?: string | null; description?: string | null; phone?: string | null; website?: string | null;
  country?: string | null; firstAddressLine?: string | null; secondAddressLine?: string | null; city?: string | null; state?: string | null; businessNo?: string | null;
};

/** TickeTing host fields → core host profile (country names become ISO codes). */
async function profileOf(refs: References, b: HostBody): Promise<HostProfileInput> {
  return {
    name: b.name, contactName: b.contact, email: b.email, description: b.description, phone: b.phone, website: b.website,
    country: b.country ? await refs.countryCode('country', b.country) : b.country,
    addressLine1: b.firstAddressLine, addressLine2: b.secondAddressLine, city: b.city, state: b.state, businessNumber: b.businessNo,
  };
}

/**
 * Hosts are Guichet organizations. Who sees and changes which is core's (hostProfiles, tenancy):
 * a key sees its own organization's host, a session also the hosts its account administers, a
 * platform operator's key every host.
 */
export async function hostRoutes(app: FastifyInstance, { core, refs }: { core: Core; refs: References }) {
  app.get('/hosts', { schema: { querystring: S.ListQuery({ account: S.AccountFilters.number }) } }, async (request, reply) => {
    const caller = callerOf(request);
    const q = request.query as ListQuery & { account?: string };
    const accountId = q.account !== undefined ? accountIdOf(q.account) ?? -1 : undefined;
    return sendList(reply, q, (page) => core.hostProfiles.list(caller, page, { accountId }), (h) => refs.host(h));
  });
  app.post('/hosts', { schema: { body: S.HostCreate } }, async (request, reply) => {
    const b = request.body as HostBody & { name: string };
    const host = await core.hostProfiles.create(callerOf(request), { ...(await profileOf(refs, b)), name: b.name });
    return reply.status(201).send(await refs.host(host));
  });
  app.get('/hosts/:id', { schema: { params: S.Id } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    return reply.send(await refs.host(await core.hostProfiles.read(callerOf(request), Number(id))));
  });
  app.put('/hosts/:id', { schema: { params: S.Id, body: S.HostUpdate } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const host = await core.hostProfiles.update(callerOf(request), Number(id), await profileOf(refs, request.body as HostBody));
    return reply.send(await refs.host(host));
  });
  app.delete('/hosts/:id', { schema: { params: S.Id } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    await core.hostProfiles.remove(callerOf(request), Number(id));
    return reply.status(200).send({});
  });
  app.get('/hosts/:id/events', { schema: { params: S.Id, querystring: S.ListQuery(S.EventFilters) } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const caller = callerOf(request);
    await core.hostProfiles.read(caller, Number(id));
    const acting = await core.tenancy.within(caller, Number(id));
    return listEvents(core, refs, acting, { ...(request.query as EventQuery), host: id }, reply);
  });
  app.get('/hosts/:id/statistics', { schema: { params: S.Id } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const caller = callerOf(request);
    await core.hostProfiles.read(caller, Number(id));
    const f = await core.statistics.organization(await core.tenancy.within(caller, Number(id)));
    return reply.send({ self: `/hosts/${id}/statistics`, events: f.events, orders: f.orders, revenue: f.revenue / 100, tickets: f.tickets });
  });
}
