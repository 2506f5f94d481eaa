import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.ts';
import type { Event, EventStatus } from '../../../core/catalog/events.ts';
import { principalOf } from '../index.ts';
import { noContent, camelKeys, pageFrom, sendList, snakeKeys } from '../present.ts';
import * as S from '../schemas.ts';

type Input = Record<string, unknown>;
/* eslint-disable @typescript-eslint/no-explicit-any */

/** Events say `public` on the wire, `isPublic` in core (interface/channel names are renamed by snakeKeys). */
export const presentEvent = (e: Event) => {
  const { isPublic, ...rest } = e;
  return { ...snakeKeys(rest), public: isPublic };
};
const eventInput = (body: Input) => {
  const { public: isPublic, status: _status, ...rest } = body;
  return { ...camelKeys<Input>(rest), ...(isPublic !== undefined ? { isPublic } : {}) };
};

const EventParams = S.Strict({ id: S.Id });
const ChildParams = (child: string) => S.Strict({ id: S.Id, [child]: S.Id });
const CapacityParams = S.Strict({ id: S.Id, date_id: S.Id, section_id: S.Id });

export async function eventRoutes(app: FastifyInstance, { core }: { core: Core }) {
  const events = core.events;
  const tags = ['events'];
  const one = Type.Object({ event: S.Event });

  app.get('/events', {
    schema: { tags, summary: 'List events (public scope: listed events only)', querystring: S.EventListQuery, response: { 200: Type.Object({ events: Type.Array(S.Event) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const query = request.query as { page?: number; per_page?: number; status?: EventStatus; series_id?: number; venue_id?: number };
    const paging = pageFrom(query);
    const result = await events.list(principalOf(request), paging.window, { status: query.status, seriesId: query.series_id, venueId: query.venue_id });
    return sendList(reply, 'events', paging, result, presentEvent);
  });

  app.post('/events', {
    schema: { tags, summary: 'Create an event (draft), optionally with its sections and dates', body: S.Rooted('event', S.EventCreate), response: { 201: one, ...S.errorResponses } },
  }, async (request, reply) => {
    const body = (request.body as { event: Input }).event;
    const input = { ...eventInput(body), sections: (body.sections as Input[] | undefined)?.map((s) => camelKeys(s)), dates: (body.dates as Input[] | undefined)?.map((d) => camelKeys(d)) };
    const event = await events.create(principalOf(request), input as any);
    return reply.status(201).send({ event: presentEvent(event) });
  });

  app.get('/events/:id', {
    schema: { tags, summary: 'Read an event with its dates, sections and tariffs', params: EventParams, response: { 200: one, ...S.errorResponses } },
  }, async (request) => ({ event: presentEvent(await events.read(principalOf(request), (request.params as { id: number }).id)) }));

  app.patch('/events/:id', {
    schema: {
      tags,
      summary: 'Update an event; `status` moves it through draft → under_review → scheduled → listed, or cancelled',
      params: EventParams,
      body: S.Rooted('event', S.EventUpdate),
      response: { 200: one, ...S.errorResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const id = (request.params as { id: number }).id;
    const body = (request.body as { event: Input }).event;
    const changes = eventInput(body);
    let event = Object.keys(changes).length > 0 ? await events.update(principal, id, changes as any) : await events.read(principal, id);
    if (body.status !== undefined) event = await events.transition(principal, id, body.status as EventStatus);
    return { event: presentEvent(event) };
  });

  app.delete('/events/:id', {
    schema: { tags, summary: 'Delete a draft event', params: EventParams, response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    await events.remove(principalOf(request), (request.params as { id: number }).id);
    return noContent(reply);
  });

  // Nested parts of an event: dates (performances), sections (zones) and tariffs (prices).
  const parts = [
    { path: 'dates', singular: 'date', param: 'date_id', item: S.EventDate, create: S.DateCreate, update: S.DateUpdate, present: snakeKeys, input: camelKeys<Input>,
      list: (e: Event) => e.dates, add: events.addDate, change: events.updateDate, drop: events.removeDate },
    { path: 'sections', singular: 'section', param: 'section_id', item: S.Section, create: S.SectionCreate, update: S.SectionUpdate, present: snakeKeys, input: camelKeys<Input>,
      list: (e: Event) => e.sections, add: events.addSection, change: events.updateSection, drop: events.removeSection },
    { path: 'tariffs', singular: 'tariff', param: 'tariff_id', item: S.Tariff, create: S.TariffCreate, update: S.TariffUpdate, present: snakeKeys, input: camelKeys<Input>,
      list: (e: Event) => e.tariffs, add: events.addTariff, change: events.updateTariff, drop: events.removeTariff },
  ] as const;

  for (const part of parts) {
    const partTags = ['events'];
    app.get(`/events/:id/${part.path}`, {
      schema: { tags: partTags, summary: `The event's ${part.path}`, params: EventParams, querystring: S.PageQuery, response: { 200: Type.Object({ [part.path]: Type.Array(part.item) }), ...S.errorResponses } },
    }, async (request, reply) => {
      const paging = pageFrom(request.query as S.PageQueryType);
      const all = (part.list as (e: Event) => unknown[])(await events.read(principalOf(request), (request.params as { id: number }).id));
      const items = all.slice(paging.window.offset, paging.window.offset + paging.window.limit);
      return sendList(reply, part.path, paging, { items, total: all.length }, part.present);
    });
    app.post(`/events/:id/${part.path}`, {
      schema: { tags: partTags, summary: `Add a ${part.singular}`, params: EventParams, body: S.Rooted(part.singular, part.create), response: { 201: Type.Object({ [part.singular]: part.item }), ...S.errorResponses } },
    }, async (request, reply) => {
      const created = await (part.add as any)(principalOf(request), (request.params as { id: number }).id, part.input((request.body as Record<string, Input>)[part.singular]));
      return reply.status(201).send({ [part.singular]: part.present(created) });
    });
    app.get(`/events/:id/${part.path}/:${part.param}`, {
      schema: { tags: partTags, summary: `Read a ${part.singular}`, params: ChildParams(part.param), response: { 200: Type.Object({ [part.singular]: part.item }), ...S.errorResponses } },
    }, async (request) => {
      const params = request.params as Record<string, number>;
      const found = (part.list as (e: Event) => { id: number }[])(await events.read(principalOf(request), params.id)).find((x) => x.id === params[part.param]);
      if (!found) return Promise.reject(Object.assign(new Error(`${part.singular} not found`), { statusCode: 404 }));
      return { [part.singular]: part.present(found as any) };
    });
    app.patch(`/events/:id/${part.path}/:${part.param}`, {
      schema: { tags: partTags, summary: `Update a ${part.singular}`, params: ChildParams(part.param), body: S.Rooted(part.singular, part.update), response: { 200: Type.Object({ [part.singular]: part.item }), ...S.errorResponses } },
    }, async (request) => {
      const params = request.params as Record<string, number>;
      const updated = await (part.change as any)(principalOf(request), params.id, params[part.param], part.input((request.body as Record<string, Input>)[part.singular]));
      return { [part.singular]: part.present(updated) };
    });
    app.delete(`/events/:id/${part.path}/:${part.param}`, {
      schema: { tags: partTags, summary: `Delete a ${part.singular}`, params: ChildParams(part.param), response: { 204: Type.Null(), ...S.errorResponses } },
    }, async (request, reply) => {
      const params = request.params as Record<string, number>;
      await (part.drop as any)(principalOf(request), params.id, params[part.param]);
      return noContent(reply);
    });
  }

  app.put('/events/:id/dates/:date_id/capacities/:section_id', {
    schema: { tags, summary: "Set a section's capacity on one date; 409 on a section seated on that date (its capacity is its number of seats)", params: CapacityParams, body: S.Rooted('capacity', S.CapacityUpdate), response: { 200: Type.Object({ date: S.EventDate }), ...S.errorResponses } },
  }, async (request) => {
    const { id, date_id, section_id } = request.params as Record<string, number>;
    const date = await events.setCapacity(principalOf(request), id, date_id, section_id, (request.body as { capacity: { capacity: number } }).capacity.capacity);
    return { date: snakeKeys(date) };
  });
}
