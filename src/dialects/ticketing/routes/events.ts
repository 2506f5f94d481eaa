import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Core } from '../../../core/index.ts';
import { DomainError, invalid } from '../../../core/errors.ts';
import type { Principal } from '../../../core/identity/principal.ts';
import type { EventInput } from '../../../core/catalog/events.ts';
import { MESSAGES, TicketingError, callerOf } from '../index.ts';
import { parseSectionUri } from '../identifiers.ts';
import { STATUS_BY_NAME, idFromUri, requireId, sendList, toMinor, type ListQuery, type References } from '../present.ts';
import * as S from '../schemas.ts';

export type EventQuery = ListQuery & {
  region?: string; host?: string; title?: string; status?: string; active?: boolean; public?: boolean; section?: string;
  sort?: 'alphabetical' | 'published' | 'popularity' | 'start';
};

type EventBody = {
  title?: string; description?: string | null; type?: string | null; public?: boolean; category?: string | null; subcategory?: string | null;
  start?: string; end?: string; venue?: string | null; disclaimer?: string | null; tags?: string[]; banner?: string | null; thumbnail?: string | null;
  host?: string | number;
};

/** Lists events of the caller's organization with the TickeTing filters and sorts. */
export async function listEvents(core: Core, refs: References, caller: Principal, q: EventQuery, reply: FastifyReply, onlyPublished = false) {
  // A host filter naming a host the caller may act in (an operator: any) lists that host's events.
  const hostId = q.host !== undefined ? idFromUri(q.host, 'hosts') : null;
  if (hostId !== null && hostId !== caller.organizationId && (await core.tenancy.mayActIn(caller, hostId))) caller = await core.tenancy.within(caller, hostId);
  // Filters that cannot match anything in this organization give an empty list rather than an error.
  const none = (q.host !== undefined && hostId !== caller.organizationId) || (q.status !== undefined && !STATUS_BY_NAME[q.status]);
  const regionId = q.region !== undefined ? idFromUri(q.region, 'regions') : undefined;
  const sectionId = q.section !== undefined ? (parseSectionUri(/sections\//.test(q.section) ? q.section : `/sections/${q.section}`)?.section.id ?? null) : undefined;
  if (regionId === null || sectionId === null) throw invalid(regionId === null ? 'region' : 'section', 'must be a URI or an id');
  return sendList(
    reply,
    q,
    (page) =>
      none
        ? Promise.resolve({ items: [], total: 0 })
        : core.events.listByDate(caller, page, {
            status: onlyPublished ? 'listed' : q.status ? STATUS_BY_NAME[q.status] : undefined,
            isPublic: onlyPublished ? true : q.public,
            title: q.title,
            regionId,
            sectionId,
            activeAt: q.active ? core.ctx.clock().toISOString() : undefined,
            sort: q.sort,
            order: q.order,
          }),
    ({ event, dateId }) => refs.event(caller, event, dateId),
  );
}

/** TickeTing event fields → core event input. */
async function eventInput(core: Core, body: EventBody): Promise<Partial<EventInput>> {
  const input: Partial<EventInput> = {};
  if (body.title !== undefined) input.title = body.title;
  if (body.description !== undefined) input.description = body.description;
  if (body.type !== undefined) input.type = body.type;
  if (body.disclaimer !== undefined) input.disclaimer = body.disclaimer;
  if (body.public !== undefined) input.isPublic = body.public;
  if (body.tags !== undefined) input.tags = body.tags;
  if (body.category !== undefined) input.categoryId = body.category === null ? null : requireId('category', body.category, 'categories');
  if (body.subcategory !== undefined) {
    if (body.subcategory === null || body.subcategory === '') input.subcategoryId = null;
    else {
      const categoryId = input.categoryId;
      if (!categoryId) throw invalid('subcategory', 'needs the category it belongs to');
      const category = await core.categories.read(categoryId).catch(() => null);
      const sub = category?.subcategories.find((s) => s.names.en.toLowerCase() === body.subcategory!.toLowerCase());
      if (!sub) throw invalid('subcategory', 'is not a subcategory of the category');
      input.subcategoryId = sub.id;
    }
  }
  if (body.venue !== undefined) {
    input.venueId = body.venue === null ? null : idFromUri(body.venue, 'venues');
    if (input.venueId === null && body.venue !== null) throw new TicketingError(400, MESSAGES.badVenue);
  }
  // Images are URLs in Guichet; uploaded image data (base64) is not stored.
  const images = [body.banner, body.thumbnail].filter((v): v is string => typeof v === 'string' && /^https?:\/\/\S+$/.test(v));
  if (images.length > 0) input.imageUrls = images;
  return input;
}

export async function eventRoutes(app: FastifyInstance, { core, refs }: { core: Core; refs: References }) {
  // The document answers 403 for an event that exists but is not listed (404 stays for unknown ones).
  const read = async (caller: Principal, id: number, dateId: number | null) => {
    if (await core.events.isHiddenFrom(caller, id)) throw new TicketingError(403, MESSAGES.unlistedEvent);
    return refs.event(caller, await core.events.read(caller, id), dateId);
  };

  app.get('/events', { schema: { querystring: S.ListQuery(S.EventFilters) } }, async (request, reply) =>
    listEvents(core, refs, callerOf(request), request.query as EventQuery, reply));
  app.get('/published-events', { schema: { querystring: S.ListQuery({ region: S.EventFilters.region, title: S.EventFilters.title, sort: S.EventSort }) } }, async (request, reply) =>
    listEvents(core, refs, callerOf(request), request.query as EventQuery, reply, true));

  app.post('/events', { schema: { body: S.EventCreate } }, async (request, reply) => {
    const body = request.body as EventBody & { title: string; start: string; end: string };
    // The event belongs to the host named in the body: core's tenancy rule says whether the caller may act there.
    const hostId = idFromUri(body.host!, 'hosts');
    if (hostId === null) throw new TicketingError(400, MESSAGES.invalid(['host']));
    const caller = await core.tenancy.within(callerOf(request), hostId);
    const input = await eventInput(core, body);
    const event = await core.events.create(caller, { ...input, title: body.title, dates: [{ startsAt: body.start, endsAt: body.end }] });
    return reply.status(201).send(await refs.event(caller, event));
  });
  app.get('/events/:id', { schema: { params: S.Id } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    return reply.send(await read(callerOf(request), Number(id), request.ticketingDate));
  });
  app.put('/events/:id', { schema: { params: S.Id, body: S.EventUpdate } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const caller = callerOf(request);
    const body = request.body as EventBody;
    // A subcategory given without its category belongs to the event's current category.
    const withCategory = body.subcategory && body.category === undefined
      ? { ...body, category: String((await core.events.read(caller, Number(id))).categoryId ?? '') || null }
      : body;
    const input = await eventInput(core, withCategory);
    // The start and end are those of the date the URI names (of the event's only date otherwise).
    const event = await core.events.update(caller, Number(id), { ...input, schedule: { startsAt: body.start, endsAt: body.end, dateId: request.ticketingDate ?? undefined } });
    return reply.send(await refs.event(caller, event, request.ticketingDate));
  });
  app.delete('/events/:id', { schema: { params: S.Id } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    await core.events.remove(callerOf(request), Number(id));
    return reply.status(200).send({});
  });

  app.post('/events/:id/sections', { schema: { params: S.Id, body: S.SectionCreate } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const caller = callerOf(request);
    const b = request.body as { name: string; description?: string | null; price: number | { base: number }; capacity: number; salesStart?: string | null; salesEnd?: string | null };
    const price = typeof b.price === 'number' ? b.price : b.price.base;
    const { section } = await core.events.addPricedSection(caller, Number(id), {
      name: b.name, description: b.description ?? null, capacity: b.capacity, price: toMinor(price), saleStartsAt: b.salesStart ?? null, saleEndsAt: b.salesEnd ?? null,
    });
    const event = await read(caller, Number(id), request.ticketingDate);
    return reply.status(201).send(event.sections.find((s) => s.self === `/sections/${section.id}`));
  });
  app.get('/events/:id/sections/:section', { schema: { params: S.EventSection } }, async (request, reply) => {
    const { id, section } = request.params as { id: string; section: string };
    const ref = request.ticketingTariff !== null ? `${section}-${request.ticketingTariff}` : section;
    const found = (await read(callerOf(request), Number(id), request.ticketingDate)).sections.find((s) => s.self === `/sections/${ref}`);
    if (!found) throw new DomainError('NOT_FOUND', 'Section not found');
    return reply.send(found);
  });
  app.delete('/events/:id/sections/:section', { schema: { params: S.EventSection } }, async (request, reply) => {
    const { id, section } = request.params as { id: string; section: string };
    // `/sections/{section}-{tariff}` removes that tariff (that price of the section); a plain id the whole section.
    if (request.ticketingTariff !== null) {
      const event = await core.events.read(callerOf(request), Number(id));
      if (!event.tariffs.some((t) => t.id === request.ticketingTariff && t.sectionId === Number(section))) throw new DomainError('NOT_FOUND', 'Section not found');
      await core.events.removeTariff(callerOf(request), Number(id), request.ticketingTariff);
    } else await core.events.removeSection(callerOf(request), Number(id), Number(section));
    return reply.status(200).send({});
  });

  // The review workflow: the host submits (Draft → Under Review); a platform administrator approves
  // (→ Scheduled or Listed) or rejects (→ Draft); a scheduled event is published (→ Listed).
  app.post('/events/:id/submissions', { schema: { params: S.Id, body: S.Empty } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const caller = callerOf(request);
    return reply.status(201).send(await refs.event(caller, await core.events.submit(caller, Number(id)), request.ticketingDate));
  });
  app.post('/events/:id/approvals', { schema: { params: S.Id, body: S.Approval } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const caller = callerOf(request);
    const { status } = request.body as { status: 'Scheduled' | 'Listed' };
    return reply.status(201).send(await refs.event(caller, await core.events.transition(caller, Number(id), STATUS_BY_NAME[status], { onlyFrom: 'under_review' }), request.ticketingDate));
  });
  app.post('/events/:id/rejections', { schema: { params: S.Id, body: S.Empty } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const caller = callerOf(request);
    return reply.status(201).send(await refs.event(caller, await core.events.transition(caller, Number(id), 'draft', { onlyFrom: 'under_review' }), request.ticketingDate));
  });
  app.post('/events/:id/publications', { schema: { params: S.Id, body: S.Empty } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const caller = callerOf(request);
    return reply.status(201).send(await refs.event(caller, await core.events.transition(caller, Number(id), 'listed', { onlyFrom: 'scheduled' }), request.ticketingDate));
  });

  app.get('/events/:id/statistics', { schema: { params: S.Id } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const f = await core.statistics.event(callerOf(request), Number(id));
    return reply.send({ self: `/events/${id}/statistics`, capacity: f.capacity, orders: f.orders, revenue: f.revenue / 100, tickets: f.tickets });
  });
}
