import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/index.ts';
import { DomainError } from '../../core/errors.ts';
import type { Paged } from '../../core/pagination.ts';
import type { PerformanceQuery } from '../../core/catalog/directory-repository.ts';
import { callerOf } from './index.ts';
import { baseUrl, collection, halify, sendHal, type Paging, type Resource } from './hal.ts';
import * as P from './present.ts';
import * as S from './schemas.ts';

const DEFAULT_PAGE_SIZE = 25;

function pagingOf(query: { page?: number; page_size?: number }): Paging & { window: { limit: number; offset: number } } {
  const page = query.page ?? 1;
  const pageSize = query.page_size ?? DEFAULT_PAGE_SIZE;
  return { page, pageSize, window: { limit: pageSize, offset: (page - 1) * pageSize } };
}

/** One page of an in-memory list (sub-collections of one event are small). */
function slice<T>(items: T[], paging: { window: { limit: number; offset: number } }): Paged<T> {
  return { items: items.slice(paging.window.offset, paging.window.offset + paging.window.limit), total: items.length };
}

const lang = (request: FastifyRequest) => P.languageOf(request.headers['accept-language'] as string | undefined);

/** The Pims operations: 18 reads over the catalog, and the venue and series writes of the PHP SDK. */
export const pimsRoutes: FastifyPluginAsyncTypebox<{ core: Core; mount: string }> = async (app, { core, mount }) => {
  const base = (request: FastifyRequest) => baseUrl(request, mount);
  const list = (request: FastifyRequest, name: string, paging: Paging, result: Paged<Resource>) => collection(request, base(request), name, paging, result);

  // Events (Guichet dates) — shared by /events, /series/:id/events and /venues/:id/events.
  async function events(request: FastifyRequest, query: typeof S.EventsQuery.static, scope: Pick<PerformanceQuery, 'seriesId' | 'productionId' | 'venueId'>) {
    const paging = pagingOf(query);
    const from = S.localBound(query.from_datetime, 'from') ?? S.localBound(query.from_date, 'from');
    const to = S.localBound(query.to_datetime, 'to') ?? S.localBound(query.to_date, 'to');
    const result = await core.directory.performances(
      callerOf(request),
      { label: query.label, city: query.city, from, to, ...scope, withVenue: true },
      S.sortOf(query.sort, 'label'),
      paging.window,
    );
    const l = lang(request);
    return list(request, 'events', paging, { items: result.items.filter(P.hasVenue).map((p) => P.event(base(request), p, l)), total: result.total });
  }

  async function seriesResources(request: FastifyRequest, items: Parameters<typeof P.series>[1][]) {
    const venues = await core.directory.venuesById(callerOf(request), items.flatMap((g) => (g.venueId !== null ? [g.venueId] : [])));
    return items.map((g) => P.series(base(request), g, venues, lang(request)));
  }
  async function oneSeries(request: FastifyRequest, pimsId: number) {
    const { source, id } = P.decodeSeriesId(pimsId);
    const grouping = await core.directory.grouping(callerOf(request), source, id);
    return (await seriesResources(request, [grouping]))[0];
  }
  /** Only Guichet series can be changed here; a production is changed as an event (native API). */
  function writableSeries(pimsId: number): number {
    const { source, id } = P.decodeSeriesId(pimsId);
    if (source !== 'series') throw new DomainError('CONFLICT', 'This series is an event with several dates; change the event instead');
    return id;
  }

  // ---- Categories (sections) ----
  app.get('/categories', { schema: { querystring: S.CategoriesQuery } }, async (request, reply) => {
    const paging = pagingOf(request.query);
    const result = await core.directory.sections(callerOf(request), { label: request.query.label }, S.sortOf(request.query.sort, 'order'), paging.window);
    return sendHal(reply, list(request, 'categories', paging, { items: result.items.map((s) => P.category(base(request), s)), total: result.total }));
  });
  app.get('/categories/:category_id', { schema: { params: Type.Object({ category_id: Type.String() }) } }, async (request, reply) => {
    const section = await core.directory.section(callerOf(request), S.idParam(request.params.category_id));
    return sendHal(reply, halify(P.category(base(request), section)));
  });

  // ---- Channels (sales channels) ----
  app.get('/channels', { schema: { querystring: S.LabelQuery } }, async (request, reply) => {
    const paging = pagingOf(request.query);
    const result = await core.directory.channels(callerOf(request), { label: request.query.label, includeInactive: request.query.show_ignored === true }, S.sortOf(request.query.sort, 'label'), paging.window);
    return sendHal(reply, list(request, 'channels', paging, { items: result.items.map((c) => P.channel(base(request), c)), total: result.total }));
  });
  app.get('/channels/:channel_id', { schema: { params: Type.Object({ channel_id: Type.String() }) } }, async (request, reply) => {
    const channel = await core.directory.channel(callerOf(request), S.idParam(request.params.channel_id));
    return sendHal(reply, halify(P.channel(base(request), channel)));
  });

  // ---- Price ranges (tariffs) ----
  app.get('/price-ranges', { schema: { querystring: S.LabelQuery } }, async (request, reply) => {
    const paging = pagingOf(request.query);
    const result = await core.directory.tariffs(callerOf(request), { label: request.query.label }, S.sortOf(request.query.sort, 'label'), paging.window);
    return sendHal(reply, list(request, 'price_ranges', paging, { items: result.items.map((t) => P.priceRange(base(request), t)), total: result.total }));
  });
  app.get('/price-ranges/:price_range_id', { schema: { params: Type.Object({ price_range_id: Type.String() }) } }, async (request, reply) => {
    const tariff = await core.directory.tariff(callerOf(request), S.idParam(request.params.price_range_id));
    return sendHal(reply, halify(P.priceRange(base(request), tariff)));
  });

  // ---- Events (dates) ----
  app.get('/events', { schema: { querystring: S.EventsQuery } }, async (request, reply) => sendHal(reply, await events(request, request.query, {})));
  app.get('/events/:event_id', { schema: { params: Type.Object({ event_id: Type.String() }) } }, async (request, reply) => {
    const performance = await core.directory.performance(callerOf(request), S.idParam(request.params.event_id));
    // A Pims event always has a venue: a date without one is no Pims event.
    if (!P.hasVenue(performance)) throw new DomainError('NOT_FOUND', 'Entity not found.');
    return sendHal(reply, halify(P.event(base(request), performance, lang(request))));
  });
  app.get('/events/:event_id/categories', { schema: { params: Type.Object({ event_id: Type.String() }), querystring: S.IgnoredQuery } }, async (request, reply) => {
    const paging = pagingOf(request.query);
    const parts = await core.directory.performanceParts(callerOf(request), S.idParam(request.params.event_id));
    const items = parts.sections.map((s) => P.eventCategory(base(request), parts.performance.id, s.section, s.tariffs));
    return sendHal(reply, list(request, 'categories', paging, slice(items, paging)));
  });
  app.get('/events/:event_id/categories/:category_id', { schema: { params: Type.Object({ event_id: Type.String(), category_id: Type.String() }), querystring: S.OneQuery } }, async (request, reply) => {
    const parts = await core.directory.performanceParts(callerOf(request), S.idParam(request.params.event_id));
    const id = S.idParam(request.params.category_id);
    const found = parts.sections.find((s) => s.section.id === id);
    if (!found) throw new DomainError('NOT_FOUND', 'Entity not found.');
    return sendHal(reply, halify(P.eventCategory(base(request), parts.performance.id, found.section, found.tariffs)));
  });
  app.get('/events/:event_id/channels', { schema: { params: Type.Object({ event_id: Type.String() }), querystring: S.IgnoredQuery } }, async (request, reply) => {
    const paging = pagingOf(request.query);
    const parts = await core.directory.performanceParts(callerOf(request), S.idParam(request.params.event_id));
    const shown = parts.channels.filter((c) => c.active || request.query.show_ignored === true);
    const items = shown.map((c) => P.eventChannel(base(request), parts.performance.id, c));
    return sendHal(reply, list(request, 'channels', paging, slice(items, paging)));
  });
  app.get('/events/:event_id/channels/:channel_id', { schema: { params: Type.Object({ event_id: Type.String(), channel_id: Type.String() }) } }, async (request, reply) => {
    const parts = await core.directory.performanceParts(callerOf(request), S.idParam(request.params.event_id));
    const id = S.idParam(request.params.channel_id);
    const found = parts.channels.find((c) => c.id === id);
    if (!found) throw new DomainError('NOT_FOUND', 'Entity not found.');
    return sendHal(reply, halify(P.eventChannel(base(request), parts.performance.id, found)));
  });

  // ---- Series (Guichet series and multi-date productions) ----
  app.get('/series', { schema: { querystring: S.SeriesQuery } }, async (request, reply) => {
    const paging = pagingOf(request.query);
    const q = request.query;
    const from = S.localBound(q.from_date, 'from')?.slice(0, 10);
    const to = S.localBound(q.to_date, 'to')?.slice(0, 10);
    const result = await core.directory.groupings(callerOf(request), { label: q.label, from, to, kind: q.type ? P.SERIES_TYPES[q.type] : undefined }, S.sortOf(q.sort, 'first_date'), paging.window);
    return sendHal(reply, list(request, 'series', paging, { items: await seriesResources(request, result.items), total: result.total }));
  });
  app.get('/series/:series_id', { schema: { params: Type.Object({ series_id: Type.String() }) } }, async (request, reply) =>
    sendHal(reply, halify(await oneSeries(request, S.idParam(request.params.series_id)))),
  );
  app.get('/series/:series_id/events', { schema: { params: Type.Object({ series_id: Type.String() }), querystring: S.EventsQuery } }, async (request, reply) => {
    const { source, id } = P.decodeSeriesId(S.idParam(request.params.series_id));
    await core.directory.grouping(callerOf(request), source, id);
    return sendHal(reply, await events(request, request.query, source === 'series' ? { seriesId: id } : { productionId: id }));
  });
  app.post('/series', { schema: { body: S.SeriesCreate } }, async (request, reply) => {
    const b = request.body;
    const created = await core.series.create(callerOf(request), { kind: P.SERIES_TYPES[b.type_id], label: b.label, firstDate: b.first_date ?? null, lastDate: b.last_date ?? null, venueId: b.venue_id ?? null });
    return sendHal(reply, halify(await oneSeries(request, P.seriesIdOf('series', created.id))), 201);
  });
  app.patch('/series/:series_id', { schema: { params: Type.Object({ series_id: Type.String() }), body: S.SeriesUpdate } }, async (request, reply) => {
    const pimsId = S.idParam(request.params.series_id);
    const b = request.body;
    await core.series.update(callerOf(request), writableSeries(pimsId), {
      kind: b.type_id === undefined ? undefined : P.SERIES_TYPES[b.type_id], label: b.label, firstDate: b.first_date, lastDate: b.last_date, venueId: b.venue_id,
    });
    return sendHal(reply, halify(await oneSeries(request, pimsId)));
  });
  app.delete('/series/:series_id', { schema: { params: Type.Object({ series_id: Type.String() }) } }, async (request, reply) => {
    await core.series.remove(callerOf(request), writableSeries(S.idParam(request.params.series_id)));
    return reply.status(204).send();
  });

  // ---- Venues ----
  app.get('/venues', { schema: { querystring: S.VenuesQuery } }, async (request, reply) => {
    const paging = pagingOf(request.query);
    const q = request.query;
    const result = await core.directory.venues(callerOf(request), { label: q.label, city: q.city, countryCode: q.country_code, kind: q.type ? P.VENUE_TYPES[q.type] : undefined }, S.sortOf(q.sort, 'label'), paging.window);
    return sendHal(reply, list(request, 'venues', paging, { items: result.items.map((v) => P.venue(base(request), v, lang(request))), total: result.total }));
  });
  app.get('/venues/:venue_id', { schema: { params: Type.Object({ venue_id: Type.String() }) } }, async (request, reply) => {
    const venue = await core.places.readVenue(callerOf(request), S.idParam(request.params.venue_id));
    return sendHal(reply, halify(P.venue(base(request), venue, lang(request))));
  });
  app.get('/venues/:venue_id/events', { schema: { params: Type.Object({ venue_id: Type.String() }), querystring: S.EventsQuery } }, async (request, reply) => {
    const venueId = S.idParam(request.params.venue_id);
    await core.places.readVenue(callerOf(request), venueId);
    return sendHal(reply, await events(request, request.query, { venueId }));
  });
  app.post('/venues', { schema: { body: S.VenueCreate } }, async (request, reply) => {
    const b = request.body;
    const venue = await core.places.createVenue(callerOf(request), {
      name: b.label, kind: P.VENUE_TYPES[b.type_id ?? 'SAL'], addressLine1: b.first_address ?? null, addressLine2: b.second_address ?? null,
      zip: b.zip_code ?? null, city: b.city, countryCode: b.country_code,
    });
    return sendHal(reply, halify(P.venue(base(request), venue, lang(request))), 201);
  });
  app.patch('/venues/:venue_id', { schema: { params: Type.Object({ venue_id: Type.String() }), body: S.VenueUpdate } }, async (request, reply) => {
    const b = request.body;
    const venue = await core.places.updateVenue(callerOf(request), S.idParam(request.params.venue_id), {
      name: b.label, kind: b.type_id === undefined ? undefined : P.VENUE_TYPES[b.type_id], addressLine1: b.first_address, addressLine2: b.second_address,
      zip: b.zip_code, city: b.city, countryCode: b.country_code,
    });
    return sendHal(reply, halify(P.venue(base(request), venue, lang(request))));
  });
  app.delete('/venues/:venue_id', { schema: { params: Type.Object({ venue_id: Type.String() }) } }, async (request, reply) => {
    await core.places.deleteVenue(callerOf(request), S.idParam(request.params.venue_id));
    return reply.status(204).send();
  });
};
