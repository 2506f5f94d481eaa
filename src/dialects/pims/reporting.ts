import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import type { Core } from '../../core/index.ts';
import { DomainError, invalid } from '../../core/errors.ts';
import type { Principal } from '../../core/identity/principal.ts';
import type { Performance } from '../../core/catalog/directory.ts';
import { localDateTime } from '../../core/catalog/local-time.ts';
import type { TicketCount, EnteredLine } from '../../core/reporting/ticket-counts.ts';
import { PROMOTION_FAMILIES, PROMOTION_TYPES, type CostState, type CostType, type Promotion, type PromotionFamily, type PromotionInput, type PromotionType, type TargetInput } from '../../core/reporting/promotions.ts';
import { callerOf } from './index.ts';
import { baseUrl, collection, halify, link, sendHal, type Resource } from './hal.ts';
import * as P from './present.ts';
import * as S from './schemas.ts';

/**
 * The Pims reporting operations on Guichet's reporting core: ticket counts (summary and detailed,
 * and counts entered for external channels), capacities, promotions (with their writes and the
 * PATCH of a promotion's status).
 */

const pagingOf = (query: { page?: number; page_size?: number }) => {
  const page = query.page ?? 1;
  const pageSize = query.page_size ?? 25;
  return { page, pageSize, window: { limit: pageSize, offset: (page - 1) * pageSize } };
};
const EventParams = Type.Object({ event_id: Type.String() });
const sorts = (...keys: string[]) => Type.Optional(Type.Union(keys.flatMap((k) => [Type.Literal(k), Type.Literal(`-${k}`)])));
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Amount = Type.Number({ minimum: 0, maximum: 1e12 });
const Count = Type.Integer({ minimum: 0, maximum: 2_147_483_647 });
const RowId = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

const CountsQuery = Type.Object({ ...S.Paging, from_date: Type.Optional(Type.String({ maxLength: 40 })), to_date: Type.Optional(Type.String({ maxLength: 40 })), show_ignored: Type.Optional(Type.Boolean()), show_not_approved: Type.Optional(Type.Boolean()), sort: sorts('date') });
const CapacitiesQuery = Type.Object({ ...S.Paging, show_ignored: Type.Optional(Type.Boolean()), sort: sorts('date') });
const typeIds = Object.keys(PROMOTION_TYPES) as PromotionType[];
const familyIds = Object.keys(PROMOTION_FAMILIES) as PromotionFamily[];
const PromotionsQuery = Type.Object({
  ...S.Paging,
  label: Type.Optional(Type.String({ maxLength: 200 })),
  from_date: Type.Optional(Type.String({ maxLength: 40 })),
  to_date: Type.Optional(Type.String({ maxLength: 40 })),
  type: Type.Optional(Type.Union(typeIds.map((t) => Type.Literal(t)))),
  family: Type.Optional(Type.Union(familyIds.map((f) => Type.Literal(f)))),
  sort: sorts('date', 'total_cost'),
});

/** A count entered for external channels, shaped like the detailed count a client reads. */
const EnteredPriceRange = Type.Object({ id: RowId, sales: Count, reservations: Type.Optional(Nullable(Count)), gross: Amount }, { additionalProperties: false });
const EnteredCategory = Type.Object({ id: RowId, event_price_ranges: Type.Array(EnteredPriceRange, { minItems: 1, maxItems: 500 }) }, { additionalProperties: false });
const EnteredChannel = Type.Object({ id: RowId, event_categories: Type.Array(EnteredCategory, { minItems: 1, maxItems: 200 }) }, { additionalProperties: false });
const CountFields = { date: Day, comment: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))), final: Type.Optional(Type.Boolean()), event_channels: Type.Array(EnteredChannel, { minItems: 1, maxItems: 100 }) };
const CountCreate = Type.Object(CountFields, { additionalProperties: false });
const CountUpdate = Type.Partial(Type.Object(CountFields), { additionalProperties: false, minProperties: 1 });

const PIMS_COST_TYPES: Record<string, CostType> = { PAY: 'paid', ECH: 'exchange', GRA: 'free' };
const PIMS_COST_STATES: Record<string, CostState> = { PRE: 'planned', ENG: 'committed', FAC: 'invoiced', PAY: 'paid' };
const codeOf = (map: Record<string, string>, value: string) => Object.entries(map).find(([, v]) => v === value)![0];
const Target = Type.Object({
  event_id: Type.Optional(RowId), series_id: Type.Optional(RowId), quantity: Count, unit_cost: Amount,
  valorized_quantity: Type.Optional(Nullable(Count)), valorized_unit_cost: Type.Optional(Nullable(Amount)),
}, { additionalProperties: false });
const Cost = Type.Object({
  type_id: Type.Union(Object.keys(PIMS_COST_TYPES).map((k) => Type.Literal(k))),
  state_id: Type.Optional(Nullable(Type.Union(Object.keys(PIMS_COST_STATES).map((k) => Type.Literal(k))))),
  currency: Type.Optional(Nullable(Type.String({ pattern: '^[A-Za-z]{3}$' }))),
  quantity: Type.Optional(Nullable(Count)), unit_cost: Type.Optional(Nullable(Amount)),
  valorized_quantity: Type.Optional(Nullable(Count)), valorized_unit_cost: Type.Optional(Nullable(Amount)),
}, { additionalProperties: false });
const PromotionFields = {
  type_id: Type.Union(typeIds.map((t) => Type.Literal(t))),
  label: Type.String({ minLength: 1, maxLength: 200 }),
  supplier: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  start_date: Type.Optional(Nullable(Day)),
  end_date: Type.Optional(Nullable(Day)),
  cost: Cost,
  comments: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  applied_to: Type.Array(Target, { minItems: 1, maxItems: 500 }),
};
const PromotionCreate = Type.Object(PromotionFields, { additionalProperties: false });
/** A partial change; `status_id` (the PHP SDK's `patchOne(PROMOTIONS, id, {status_id: 'ENG'})`) sets the cost state. */
const PromotionUpdate = Type.Partial(
  Type.Object({ ...PromotionFields, cost: Type.Partial(Cost, { additionalProperties: false }), status_id: Nullable(Type.Union(Object.keys(PIMS_COST_STATES).map((k) => Type.Literal(k)))) }),
  { additionalProperties: false, minProperties: 1 },
);

/** Amounts in minor units from the decimal Pims prints (refused when finer than the currency allows). */
function minor(field: string, amount: number, currency: string): number {
  const value = Math.round(amount * 10 ** P.minorDigits(currency));
  if (Math.abs(P.major(value, currency) - amount) > 1e-9) throw invalid(field, `has more decimals than ${currency} allows`);
  return value;
}

export const pimsReportingRoutes: FastifyPluginAsyncTypebox<{ core: Core; mount: string }> = async (app, { core, mount }) => {
  const base = (request: FastifyRequest) => baseUrl(request, mount);
  const lang = (request: FastifyRequest) => P.languageOf(request.headers['accept-language'] as string | undefined);
  const organizationCurrency = async (principal: Principal) => (await core.organizations.current(principal)).currency;

  // ---- Ticket counts ----
  function countResource(b: string, p: Performance, c: TicketCount, detailed: boolean): Resource {
    const currency = c.currency ?? p.currency ?? 'EUR';
    const common = { id: c.id, date: c.day, comment: c.comment, approved: c.approved, final: c.final };
    if (!detailed) {
      return {
        ...common, sales: c.sales, ...P.optional('reservations', c.reservations), gross: P.major(c.gross, currency), currency,
        _links: link(`${b}/events/${p.id}/ticket-counts/${c.id}`),
      };
    }
    return {
      ...common,
      event_channels: c.channels.map((ch) => ({
        id: ch.channelId,
        event_categories: ch.sections.map((s) => ({
          id: s.sectionId,
          event_price_ranges: s.tariffs.map((t) => ({ id: t.tariffId, sales: t.sales, reservations: t.reservations, gross: P.major(t.gross, t.currency), currency: t.currency })),
          _links: link(`${b}/events/${p.id}/categories/${s.sectionId}`),
        })),
        _links: link(`${b}/events/${p.id}/channels/${ch.channelId}`),
      })),
      _links: link(`${b}/events/${p.id}/ticket-counts/detailed/${c.id}`),
    };
  }
  async function counts(request: FastifyRequest, query: typeof CountsQuery.static, detailed: boolean, reply: Parameters<typeof sendHal>[0]) {
    const principal = callerOf(request);
    const p = await core.directory.performance(principal, S.idParam((request.params as { event_id: string }).event_id));
    const paging = pagingOf(query);
    const result = await core.ticketCounts.list(principal, p.eventId, paging.window, {
      dateId: p.id,
      from: S.localBound(query.from_date, 'from')?.slice(0, 10),
      to: S.localBound(query.to_date, 'to')?.slice(0, 10),
      includeUnapproved: query.show_not_approved === true,
      descending: S.sortOf(query.sort, 'date').descending,
    }, { detailed, withDeactivatedChannels: query.show_ignored === true });
    const b = base(request);
    return sendHal(reply, collection(request, b, 'ticket_counts', paging, { items: result.items.map((c) => countResource(b, p, c, detailed)), total: result.total }));
  }
  async function oneCount(request: FastifyRequest, detailed: boolean) {
    const params = request.params as { event_id: string; ticket_count_id: string };
    const query = request.query as { show_ignored?: boolean };
    const principal = callerOf(request);
    const p = await core.directory.performance(principal, S.idParam(params.event_id));
    const c = await core.ticketCounts.read(principal, p.eventId, S.idParam(params.ticket_count_id), { withDeactivatedChannels: query.show_ignored === true });
    if (c.dateId !== p.id) throw new DomainError('NOT_FOUND', 'Entity not found.');
    return halify(countResource(base(request), p, c, detailed));
  }
  async function enteredLines(principal: Principal, channels: typeof CountCreate.static['event_channels'], fallbackCurrency: string | null): Promise<EnteredLine[]> {
    const currency = fallbackCurrency ?? (await organizationCurrency(principal));
    return channels.flatMap((ch, i) =>
      ch.event_categories.flatMap((cat, j) =>
        cat.event_price_ranges.map((r, k) => ({
          channelId: ch.id, sectionId: cat.id, tariffId: r.id, sales: r.sales, reservations: r.reservations ?? null,
          gross: minor(`event_channels[${i}].event_categories[${j}].event_price_ranges[${k}].gross`, r.gross, currency),
        })),
      ),
    );
  }

  app.get('/events/:event_id/ticket-counts', { schema: { params: EventParams, querystring: CountsQuery } }, (request, reply) => counts(request, request.query, false, reply));
  app.get('/events/:event_id/ticket-counts/detailed', { schema: { params: EventParams, querystring: CountsQuery } }, (request, reply) => counts(request, request.query, true, reply));
  app.get('/events/:event_id/ticket-counts/:ticket_count_id', { schema: { params: Type.Object({ event_id: Type.String(), ticket_count_id: Type.String() }), querystring: Type.Object({ show_ignored: Type.Optional(Type.Boolean()) }) } }, async (request, reply) =>
    sendHal(reply, await oneCount(request, false)),
  );
  app.get('/events/:event_id/ticket-counts/detailed/:ticket_count_id', { schema: { params: Type.Object({ event_id: Type.String(), ticket_count_id: Type.String() }), querystring: Type.Object({ show_ignored: Type.Optional(Type.Boolean()) }) } }, async (request, reply) =>
    sendHal(reply, await oneCount(request, true)),
  );
  app.post('/events/:event_id/ticket-counts', { schema: { params: EventParams, body: CountCreate } }, async (request, reply) => {
    const principal = callerOf(request);
    const p = await core.directory.performance(principal, S.idParam(request.params.event_id));
    const b = request.body;
    const count = await core.ticketCounts.enter(principal, p.eventId, {
      dateId: p.id, day: b.date, comment: b.comment ?? null, final: b.final ?? false, lines: await enteredLines(principal, b.event_channels, p.currency),
    });
    return sendHal(reply, halify(countResource(base(request), p, count, true)), 201);
  });
  app.patch('/events/:event_id/ticket-counts/:ticket_count_id', { schema: { params: Type.Object({ event_id: Type.String(), ticket_count_id: Type.String() }), body: CountUpdate } }, async (request, reply) => {
    const principal = callerOf(request);
    const p = await core.directory.performance(principal, S.idParam(request.params.event_id));
    const id = S.idParam(request.params.ticket_count_id);
    const current = await core.ticketCounts.read(principal, p.eventId, id);
    if (current.dateId !== p.id) throw new DomainError('NOT_FOUND', 'Entity not found.');
    const b = request.body;
    const count = await core.ticketCounts.update(principal, p.eventId, id, {
      ...(b.date !== undefined ? { day: b.date } : {}),
      ...(b.comment !== undefined ? { comment: b.comment } : {}),
      ...(b.final !== undefined ? { final: b.final } : {}),
      ...(b.event_channels !== undefined ? { lines: await enteredLines(principal, b.event_channels, p.currency) } : {}),
    });
    return sendHal(reply, halify(countResource(base(request), p, count, true)));
  });
  app.delete('/events/:event_id/ticket-counts/:ticket_count_id', { schema: { params: Type.Object({ event_id: Type.String(), ticket_count_id: Type.String() }) } }, async (request, reply) => {
    const principal = callerOf(request);
    const p = await core.directory.performance(principal, S.idParam(request.params.event_id));
    const id = S.idParam(request.params.ticket_count_id);
    if ((await core.ticketCounts.read(principal, p.eventId, id)).dateId !== p.id) throw new DomainError('NOT_FOUND', 'Entity not found.');
    await core.ticketCounts.remove(principal, p.eventId, id);
    return reply.status(204).send();
  });

  // ---- Capacities: one entry per date, the figures of today (Guichet keeps current figures, not history) ----
  async function capacity(request: FastifyRequest): Promise<Resource> {
    const principal = callerOf(request);
    const p = await core.directory.performance(principal, S.idParam((request.params as { event_id: string }).event_id));
    const figures = await core.capacities.list(principal, p.eventId, p.id);
    const b = base(request);
    return {
      id: p.id,
      date: localDateTime(core.ctx.clock(), p.timeZone).slice(0, 10),
      event_categories: figures.map((f) => ({
        id: f.sectionId, total_capacity: f.capacity, kills: f.kills, comps: f.comps, holds: f.organizerHolds, sellable_capacity: f.sellable,
        _links: link(`${b}/events/${p.id}/categories/${f.sectionId}`),
      })),
      _links: link(`${b}/events/${p.id}/capacities/${p.id}`),
    };
  }
  app.get('/events/:event_id/capacities', { schema: { params: EventParams, querystring: CapacitiesQuery } }, async (request, reply) => {
    const paging = pagingOf(request.query);
    const all = [await capacity(request)];
    return sendHal(reply, collection(request, base(request), 'capacities', paging, { items: all.slice(paging.window.offset, paging.window.offset + paging.window.limit), total: all.length }));
  });
  app.get('/events/:event_id/capacities/:capacity_id', { schema: { params: Type.Object({ event_id: Type.String(), capacity_id: Type.String() }), querystring: Type.Object({ show_ignored: Type.Optional(Type.Boolean()) }) } }, async (request, reply) => {
    const found = await capacity(request);
    if (found.id !== S.idParam(request.params.capacity_id)) throw new DomainError('NOT_FOUND', 'Entity not found.');
    return sendHal(reply, halify(found));
  });

  // ---- Promotions ----
  /** Where a promotion applies, in Pims ids: a one-date event is that date; an event with several dates is its production (series). */
  async function promotionResources(request: FastifyRequest, items: Promotion[]): Promise<Resource[]> {
    const principal = callerOf(request);
    const dates = await core.directory.datesOfEvents(principal, items.flatMap((p) => p.appliedTo.flatMap((t) => (t.eventId !== null ? [t.eventId] : []))));
    const l = lang(request);
    const b = base(request);
    return items.map((p) => {
      const currency = p.cost.currency;
      const money = (v: number | null) => (v === null ? null : P.major(v, currency));
      return {
        id: p.id,
        type: { id: p.type, label: p.typeLabels[l], family: { id: p.family, label: p.familyLabels[l] } },
        label: p.label,
        supplier: p.supplier === null ? null : { id: P.supplierId(p.supplier), label: p.supplier },
        start_date: p.startsOn,
        end_date: p.endsOn,
        cost: {
          type: { id: codeOf(PIMS_COST_TYPES, p.cost.type), label: p.cost.typeLabels[l] },
          state: p.cost.state === null ? null : { id: codeOf(PIMS_COST_STATES, p.cost.state), label: p.cost.stateLabels![l] },
          currency,
          quantity: p.cost.quantity,
          unit_cost: money(p.cost.unitCost),
          valorized_quantity: p.cost.valuedQuantity,
          valorized_unit_cost: money(p.cost.valuedUnitCost),
        },
        comments: p.comments,
        applied_to: p.appliedTo.map((t) => {
          const eventDates = t.eventId !== null ? (dates.get(t.eventId) ?? []) : [];
          const where = t.seriesId !== null
            ? { series_id: P.seriesIdOf('series', t.seriesId) }
            : eventDates.length === 1 ? { event_id: eventDates[0] } : { series_id: P.seriesIdOf('production', t.eventId!) };
          return { ...where, quantity: t.quantity, unit_cost: P.major(t.unitCost, currency), valorized_quantity: t.valuedQuantity, valorized_unit_cost: money(t.valuedUnitCost) };
        }),
        _links: link(`${b}/promotions/${p.id}`),
      };
    });
  }
  async function promotions(request: FastifyRequest, query: typeof PromotionsQuery.static, scope: { eventId?: number; seriesId?: number }) {
    const paging = pagingOf(query);
    const sort = S.sortOf(query.sort, 'date');
    const result = await core.promotions.list(callerOf(request), paging.window, {
      ...scope, label: query.label, type: query.type, family: query.family,
      from: S.localBound(query.from_date, 'from')?.slice(0, 10), to: S.localBound(query.to_date, 'to')?.slice(0, 10),
      sort: { key: sort.key as 'date' | 'total_cost', descending: sort.descending },
    });
    return collection(request, base(request), 'promotions', paging, { items: await promotionResources(request, result.items), total: result.total });
  }
  /** Pims targets as Guichet targets: a date is its event, an even series id a series, an odd one a production (event). */
  async function targetsOf(principal: Principal, targets: typeof PromotionCreate.static['applied_to'], currency: string): Promise<TargetInput[]> {
    const out: TargetInput[] = [];
    for (const [i, t] of targets.entries()) {
      const field = `applied_to[${i}]`;
      if ((t.event_id === undefined) === (t.series_id === undefined)) throw invalid(field, 'give either event_id or series_id');
      let where: { eventId?: number; seriesId?: number };
      if (t.event_id !== undefined) {
        const p = await core.directory.performance(principal, t.event_id).catch(() => null);
        if (!p) throw invalid(`${field}.event_id`, 'is not an event of this organization');
        where = { eventId: p.eventId };
      } else {
        const s = P.decodeSeriesId(t.series_id!);
        where = s.source === 'series' ? { seriesId: s.id } : { eventId: s.id };
      }
      out.push({
        ...where, quantity: t.quantity, unitCost: minor(`${field}.unit_cost`, t.unit_cost, currency),
        valuedQuantity: t.valorized_quantity ?? null, valuedUnitCost: t.valorized_unit_cost == null ? null : minor(`${field}.valorized_unit_cost`, t.valorized_unit_cost, currency),
      });
    }
    return out;
  }
  function costOf(cost: Partial<typeof PromotionCreate.static['cost']>, currency: string): Partial<PromotionInput['cost']> {
    const out: Partial<PromotionInput['cost']> = {};
    if (cost.type_id !== undefined) out.type = PIMS_COST_TYPES[cost.type_id];
    if (cost.state_id !== undefined) out.state = cost.state_id === null ? null : PIMS_COST_STATES[cost.state_id];
    if (cost.currency !== undefined) out.currency = cost.currency;
    if (cost.quantity !== undefined) out.quantity = cost.quantity;
    if (cost.unit_cost !== undefined) out.unitCost = cost.unit_cost === null ? null : minor('cost.unit_cost', cost.unit_cost, currency);
    if (cost.valorized_quantity !== undefined) out.valuedQuantity = cost.valorized_quantity;
    if (cost.valorized_unit_cost !== undefined) out.valuedUnitCost = cost.valorized_unit_cost === null ? null : minor('cost.valorized_unit_cost', cost.valorized_unit_cost, currency);
    return out;
  }

  app.get('/promotions', { schema: { querystring: PromotionsQuery } }, async (request, reply) => sendHal(reply, await promotions(request, request.query, {})));
  app.get('/promotions/:promotion_id', { schema: { params: Type.Object({ promotion_id: Type.String() }) } }, async (request, reply) => {
    const promotion = await core.promotions.read(callerOf(request), S.idParam(request.params.promotion_id));
    return sendHal(reply, halify((await promotionResources(request, [promotion]))[0]));
  });
  app.get('/events/:event_id/promotions', { schema: { params: EventParams, querystring: PromotionsQuery } }, async (request, reply) => {
    const p = await core.directory.performance(callerOf(request), S.idParam(request.params.event_id));
    return sendHal(reply, await promotions(request, request.query, { eventId: p.eventId }));
  });
  app.get('/series/:series_id/promotions', { schema: { params: Type.Object({ series_id: Type.String() }), querystring: PromotionsQuery } }, async (request, reply) => {
    const { source, id } = P.decodeSeriesId(S.idParam(request.params.series_id));
    await core.directory.grouping(callerOf(request), source, id);
    return sendHal(reply, await promotions(request, request.query, source === 'series' ? { seriesId: id } : { eventId: id }));
  });
  app.post('/promotions', { schema: { body: PromotionCreate } }, async (request, reply) => {
    const principal = callerOf(request);
    const b = request.body;
    const currency = (b.cost.currency ?? (await organizationCurrency(principal))).toUpperCase();
    const created = await core.promotions.create(principal, {
      type: b.type_id, label: b.label, supplier: b.supplier ?? null, startsOn: b.start_date ?? null, endsOn: b.end_date ?? null, comments: b.comments ?? null,
      cost: { ...costOf(b.cost, currency), type: PIMS_COST_TYPES[b.cost.type_id], currency } as PromotionInput['cost'],
      appliedTo: await targetsOf(principal, b.applied_to, currency),
    });
    return sendHal(reply, halify((await promotionResources(request, [created]))[0]), 201);
  });
  app.patch('/promotions/:promotion_id', { schema: { params: Type.Object({ promotion_id: Type.String() }), body: PromotionUpdate } }, async (request, reply) => {
    const principal = callerOf(request);
    const id = S.idParam(request.params.promotion_id);
    const current = await core.promotions.read(principal, id);
    const b = request.body;
    const currency = (b.cost?.currency ?? current.cost.currency).toUpperCase();
    const cost = { ...(b.cost ? costOf(b.cost, currency) : {}), ...(b.status_id !== undefined ? { state: b.status_id === null ? null : PIMS_COST_STATES[b.status_id] } : {}) };
    const updated = await core.promotions.update(principal, id, {
      ...(b.type_id !== undefined ? { type: b.type_id } : {}),
      ...(b.label !== undefined ? { label: b.label } : {}),
      ...(b.supplier !== undefined ? { supplier: b.supplier } : {}),
      ...(b.start_date !== undefined ? { startsOn: b.start_date } : {}),
      ...(b.end_date !== undefined ? { endsOn: b.end_date } : {}),
      ...(b.comments !== undefined ? { comments: b.comments } : {}),
      ...(Object.keys(cost).length > 0 ? { cost } : {}),
      ...(b.applied_to !== undefined ? { appliedTo: await targetsOf(principal, b.applied_to, currency) } : {}),
    });
    return sendHal(reply, halify((await promotionResources(request, [updated]))[0]));
  });
  app.delete('/promotions/:promotion_id', { schema: { params: Type.Object({ promotion_id: Type.String() }) } }, async (request, reply) => {
    await core.promotions.remove(callerOf(request), S.idParam(request.params.promotion_id));
    return reply.status(204).send();
  });
};
