import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.ts';
import { callerOf } from '../index.ts';
import { sendList, type ListQuery, type References } from '../present.ts';
import * as S from '../schemas.ts';
import { listEvents, type EventQuery } from './events.ts';

type HostBody = {
  name?: string; contact?: string | null; email?: string | null; description?: string | null; phone?: string | null; website?: string | null;
  country?: string | null; firstAddressLine?: string | null; secondAddressLine?: string | null; city?: string | null; state?: string | null; businessNo?: string | null;
};

/** Hosts are Guichet organizations; a key sees only its own organization's host. */
export async function hostRoutes(app: FastifyInstance, { core, refs }: { core: Core; refs: References }) {
  app.get('/hosts', { schema: { querystring: S.ListQuery({ account: S.AccountFilters.number }) } }, async (request, reply) => {
    const caller = callerOf(request);
    const q = request.query as ListQuery & { account?: string };
    return sendList(reply, q, async (page) => {
      const own = await core.hostProfiles.read(caller, caller.organizationId);
      // The account filter keeps the host when that account manages it (a member of the organization).
      const members = q.account ? await core.accounts.listManaged(caller, { limit: 1, offset: 0 }, { id: Number(q.account) }).catch(() => ({ items: [] as { role?: string | null }[] })) : null;
      const matches = !members || members.items.some((a) => a.role === 'owner' || a.role === 'manager');
      const items = matches ? [own] : [];
      return { items: items.slice(page.offset, page.offset + page.limit), total: items.length };
    }, (h) => refs.host(h));
  });
  app.get('/hosts/:id', { schema: { params: S.Id } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    return reply.send(await refs.host(await core.hostProfiles.read(callerOf(request), Number(id))));
  });
  app.put('/hosts/:id', { schema: { params: S.Id, body: S.HostUpdate } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const b = request.body as HostBody;
    const host = await core.hostProfiles.update(callerOf(request), Number(id), {
      name: b.name, contactName: b.contact, email: b.email, description: b.description, phone: b.phone, website: b.website,
      country: b.country ? await refs.countryCode('country', b.country) : b.country,
      addressLine1: b.firstAddressLine, addressLine2: b.secondAddressLine, city: b.city, state: b.state, businessNumber: b.businessNo,
    });
    return reply.send(await refs.host(host));
  });
  app.get('/hosts/:id/events', { schema: { params: S.Id, querystring: S.ListQuery(S.EventFilters) } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const caller = callerOf(request);
    await core.hostProfiles.read(caller, Number(id));
    return listEvents(core, refs, caller, { ...(request.query as EventQuery), host: id }, reply);
  });
  app.get('/hosts/:id/statistics', { schema: { params: S.Id } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const caller = callerOf(request);
    await core.hostProfiles.read(caller, Number(id));
    const f = await core.statistics.organization(caller);
    return reply.send({ self: `/hosts/${id}/statistics`, events: f.events, orders: f.orders, revenue: f.revenue / 100, tickets: f.tickets });
  });
}
