import { Type } from '@sinclair/typebox';
import fs from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../../../core/index.ts';
import type { TicketCount, EnteredCountInput } from '../../../core/reporting/ticket-counts.ts';
import { PROMOTION_TYPES, PROMOTION_FAMILIES, COST_TYPES, COST_STATES, type Promotion, type PromotionFilter, type PromotionInput } from '../../../core/reporting/promotions.ts';
import { EXPORT_KINDS, type ExportInput, type Job } from '../../../core/reporting/exports.ts';
import { parseInstant } from '../../../core/validation.ts';
import { invalid } from '../../../core/errors.ts';
import { principalOf } from '../index.ts';
import { crudRoutes } from '../crud.ts';
import { camelKeys, noContent, pageFrom, sendList, snakeKeys } from '../present.ts';
import { language } from './catalog.ts';
import * as S from '../schemas.ts';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Count = Type.Integer({ minimum: 0, maximum: S.INT32_MAX });
const Amount = Type.Integer({ minimum: 0, maximum: 9_007_199_254_740_991, description: 'Minor units' });
const Currency = Type.String({ pattern: '^[A-Za-z]{3}$', description: 'ISO 4217' });
const Text = (max = 255) => Type.String({ minLength: 1, maxLength: max });
const OptionalText = (max = 255) => Type.Optional(S.Nullable(Type.String({ maxLength: max })));

// ---- Ticket counts ------------------------------------------------------------------------------

const TariffFigure = Type.Object({ tariff_id: Type.Integer(), sales: Type.Integer(), reservations: S.Nullable(Type.Integer()), gross: Type.Integer(), currency: Type.String() });
const CountFields = {
  id: Type.Integer(),
  event_id: Type.Integer(),
  date_id: Type.Integer(),
  day: Type.String({ description: 'The day the figures are for (event-local)' }),
  source: Type.String({ description: 'auto (Guichet channels, from the sales) or entered (external channels, by staff)' }),
  comment: S.Nullable(Type.String()),
  approved: Type.Boolean(),
  final: Type.Boolean(),
  sales: Type.Integer({ description: 'Net tickets sold that day (sold − refunded)' }),
  reservations: S.Nullable(Type.Integer({ description: 'Places held (carts, orders awaiting payment): live on today’s count' })),
  gross: Type.Integer({ description: 'Net amount that day, minor units' }),
  currency: S.Nullable(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
};
const CountSummary = Type.Object(CountFields);
const CountDetailed = Type.Object({
  ...CountFields,
  interfaces: Type.Array(Type.Object({ interface_id: Type.Integer(), sections: Type.Array(Type.Object({ section_id: Type.Integer(), tariffs: Type.Array(TariffFigure) })) })),
});
const CountLine = S.Strict({
  interface_id: S.Id,
  section_id: S.Id,
  tariff_id: S.Id,
  sales: Count,
  reservations: Type.Optional(S.Nullable(Count)),
  gross: Amount,
  currency: Type.Optional(S.Nullable(Currency)),
});
const CountFieldsIn = {
  date_id: S.Id,
  day: Day,
  comment: OptionalText(2000),
  final: Type.Optional(Type.Boolean()),
  lines: Type.Array(CountLine, { minItems: 1, maxItems: 1000 }),
};
const CountCreate = S.Strict(CountFieldsIn);
const CountUpdate = S.PartialStrict(CountFieldsIn);
const CountQuery = S.withPaging({
  date_id: Type.Optional(S.Id),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  include_unapproved: Type.Optional(Type.Boolean({ description: 'Also list entered counts not yet approved' })),
});
const CountParams = S.Strict({ id: S.Id, count_id: S.Id });

/** Built by hand rather than by snakeKeys: a detailed page carries thousands of figures. */
function presentCount(c: TicketCount, detailed: boolean) {
  const base = {
    id: c.id, event_id: c.eventId, date_id: c.dateId, day: c.day, source: c.source, comment: c.comment, approved: c.approved, final: c.final,
    sales: c.sales, reservations: c.reservations, gross: c.gross, currency: c.currency, created_at: c.createdAt, updated_at: c.updatedAt,
  };
  if (!detailed) return base;
  return {
    ...base,
    interfaces: c.channels.map((ch) => ({
      interface_id: ch.channelId,
      sections: ch.sections.map((s) => ({
        section_id: s.sectionId,
        tariffs: s.tariffs.map((t) => ({ tariff_id: t.tariffId, sales: t.sales, reservations: t.reservations, gross: t.gross, currency: t.currency })),
      })),
    })),
  };
}

// ---- Capacities ---------------------------------------------------------------------------------

export const CapacityFigures = Type.Object({
  date_id: Type.Integer(),
  section_id: Type.Integer(),
  capacity: Type.Integer(),
  kills: Type.Integer({ description: 'Places removed from sale' }),
  comps: Type.Integer({ description: 'Complimentary tickets issued' }),
  organizer_holds: Type.Integer({ description: 'Places the organizer keeps aside' }),
  sellable: Type.Integer({ description: 'capacity − kills − comps − organizer_holds' }),
  sold: Type.Integer(),
  held: Type.Integer({ description: 'Held now in carts and orders awaiting payment' }),
  available: Type.Integer({ description: 'What can still be taken now' }),
});
const CapacityChange = Type.Object(
  { capacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })), kills: Type.Optional(Count), organizer_holds: Type.Optional(Count) },
  { additionalProperties: false, minProperties: 1 },
);

// ---- Promotions ---------------------------------------------------------------------------------

const Labelled = Type.Object({ id: Type.String(), label: Type.String() });
const TargetIn = S.Strict({
  event_id: Type.Optional(S.Nullable(S.Id)),
  series_id: Type.Optional(S.Nullable(S.Id)),
  quantity: Count,
  unit_cost: Amount,
  valued_quantity: Type.Optional(S.Nullable(Count)),
  valued_unit_cost: Type.Optional(S.Nullable(Amount)),
});
const keysOf = (o: object) => Type.Union(Object.keys(o).map((k) => Type.Literal(k)));
const CostIn = {
  type: keysOf(COST_TYPES),
  state: Type.Optional(S.Nullable(keysOf(COST_STATES))),
  quantity: Type.Optional(S.Nullable(Count)),
  unit_cost: Type.Optional(S.Nullable(Amount)),
  valued_quantity: Type.Optional(S.Nullable(Count)),
  valued_unit_cost: Type.Optional(S.Nullable(Amount)),
  currency: Type.Optional(S.Nullable(Currency)),
};
const PromotionFieldsIn = {
  type: keysOf(PROMOTION_TYPES),
  label: Text(),
  supplier: OptionalText(),
  start_date: Type.Optional(S.Nullable(Day)),
  end_date: Type.Optional(S.Nullable(Day)),
  cost: S.Strict(CostIn),
  comments: OptionalText(5000),
  applied_to: Type.Array(TargetIn, { minItems: 1, maxItems: 500 }),
};
const PromotionCreate = S.Strict(PromotionFieldsIn);
const PromotionUpdate = S.PartialStrict({ ...PromotionFieldsIn, cost: S.PartialStrict(CostIn) });
const Target = Type.Object({
  event_id: S.Nullable(Type.Integer()), series_id: S.Nullable(Type.Integer()), quantity: Type.Integer(), unit_cost: Type.Integer(), total: Type.Integer(),
  valued_quantity: S.Nullable(Type.Integer()), valued_unit_cost: S.Nullable(Type.Integer()), valued_total: S.Nullable(Type.Integer()),
});
const PromotionItem = Type.Object({
  id: Type.Integer(),
  type: Type.Object({ id: Type.String(), label: Type.String(), family: Labelled }),
  label: Type.String(),
  supplier: S.Nullable(Type.String()),
  start_date: S.Nullable(Type.String()),
  end_date: S.Nullable(Type.String()),
  cost: Type.Object({
    type: Labelled, state: Type.Union([Labelled, Type.Null()]), currency: Type.String(), quantity: S.Nullable(Type.Integer()), unit_cost: S.Nullable(Type.Integer()),
    valued_quantity: S.Nullable(Type.Integer()), valued_unit_cost: S.Nullable(Type.Integer()),
    total: Type.Integer({ description: 'Sum of applied_to totals' }), valued_total: S.Nullable(Type.Integer()),
  }),
  comments: S.Nullable(Type.String()),
  applied_to: Type.Array(Target),
  created_at: Type.String(),
  updated_at: Type.String(),
});
const PromotionQuery = S.withPaging({
  event_id: Type.Optional(S.Id),
  series_id: Type.Optional(S.Id),
  type: Type.Optional(keysOf(PROMOTION_TYPES)),
  family: Type.Optional(keysOf(PROMOTION_FAMILIES)),
  label: Type.Optional(Type.String({ maxLength: 255 })),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
});

function presentPromotion(request: FastifyRequest, p: Promotion) {
  const lang = language(request);
  return {
    id: p.id,
    type: { id: p.type, label: p.typeLabels[lang], family: { id: p.family, label: p.familyLabels[lang] } },
    label: p.label,
    supplier: p.supplier,
    start_date: p.startsOn,
    end_date: p.endsOn,
    cost: {
      type: { id: p.cost.type, label: p.cost.typeLabels[lang] },
      state: p.cost.state ? { id: p.cost.state, label: p.cost.stateLabels![lang] } : null,
      currency: p.cost.currency, quantity: p.cost.quantity, unit_cost: p.cost.unitCost, valued_quantity: p.cost.valuedQuantity,
      valued_unit_cost: p.cost.valuedUnitCost, total: p.cost.total, valued_total: p.cost.valuedTotal,
    },
    comments: p.comments,
    applied_to: snakeKeys(p.appliedTo),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}
function promotionInput(body: Record<string, unknown>) {
  const { start_date: startsOn, end_date: endsOn, ...rest } = body;
  return { ...camelKeys<Record<string, unknown>>(rest), ...(startsOn !== undefined ? { startsOn } : {}), ...(endsOn !== undefined ? { endsOn } : {}) };
}

// ---- Transactions and jobs ----------------------------------------------------------------------

const TransactionQuery = S.Strict({ from: Type.String({ description: 'ISO 8601 date-time with offset (inclusive)' }), to: Type.String({ description: 'ISO 8601 date-time with offset (exclusive)' }), event_id: Type.Optional(S.Id) });
const Movement = { payments: Type.Integer(), payment_amount: Type.Integer(), refunds: Type.Integer(), refund_amount: Type.Integer(), net: Type.Integer() };
const TransactionTotals = Type.Object({
  from: Type.String(),
  to: Type.String(),
  event_id: S.Nullable(Type.Integer()),
  currencies: Type.Array(Type.Object({
    currency: Type.String(),
    orders: Type.Object({ placed: Type.Integer(), paid: Type.Integer(), cancelled_or_expired: Type.Integer(), total: Type.Integer() }),
    payments: Type.Object({ count: Type.Integer(), amount: Type.Integer() }),
    refunds: Type.Object({ count: Type.Integer(), amount: Type.Integer() }),
    net: Type.Integer(),
    by_interface: Type.Array(Type.Object({ interface_id: Type.Integer(), orders: Type.Integer(), ...Movement })),
    by_payment_method: Type.Array(Type.Object({ provider: Type.String(), method: Type.String(), ...Movement })),
  })),
});
const ExportCreate = S.Strict({
  kind: Type.Union(EXPORT_KINDS.map((k) => Type.Literal(k))),
  event_id: Type.Optional(S.Nullable(S.Id)),
  from: Type.Optional(S.Nullable(Type.String({ maxLength: 64, description: 'orders/tickets: ISO 8601 date-time; ticket_counts: YYYY-MM-DD' }))),
  to: Type.Optional(S.Nullable(Type.String({ maxLength: 64 }))),
  include_unapproved: Type.Optional(Type.Boolean()),
});
const JobItem = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  params: Type.Record(Type.String(), Type.Unknown()),
  status: Type.String({ description: 'queued, running, done or failed' }),
  progress: Type.Integer(),
  total: S.Nullable(Type.Integer()),
  error: S.Nullable(Type.String()),
  file_name: S.Nullable(Type.String()),
  download_url: S.Nullable(Type.String()),
  created_at: Type.String(),
  started_at: S.Nullable(Type.String()),
  finished_at: S.Nullable(Type.String()),
});
const presentJob = (job: Job) => ({ ...snakeKeys(job), params: job.params, download_url: job.status === 'done' ? `/api/jobs/${job.id}/file` : null });

/** Reporting: ticket counts, capacities, promotions, the transactions report, export jobs (scopes sell/admin). */
export async function reportingRoutes(app: FastifyInstance, { core }: { core: Core }) {
  const p = principalOf;

  // Ticket counts.
  const countTags = ['ticket counts'];
  for (const detailed of [false, true]) {
    app.get(detailed ? '/events/:id/ticket_counts/detailed' : '/events/:id/ticket_counts', {
      schema: {
        tags: countTags,
        summary: detailed
          ? 'Ticket counts of an event with their breakdown: interfaces → sections → tariffs (scope sell or admin)'
          : 'Ticket counts of an event, one line per date and day (scope sell or admin); unapproved counts only with include_unapproved',
        params: S.IdParams,
        querystring: CountQuery,
        response: { 200: Type.Object({ ticket_counts: Type.Array(detailed ? CountDetailed : CountSummary) }), ...S.errorResponses },
      },
    }, async (request, reply) => {
      const query = request.query as S.PageQueryType & { date_id?: number; from?: string; to?: string; include_unapproved?: boolean };
      const paging = pageFrom(query);
      const result = await core.ticketCounts.list(p(request), (request.params as { id: number }).id, paging.window, {
        dateId: query.date_id, from: query.from, to: query.to, includeUnapproved: query.include_unapproved,
      }, { detailed });
      return sendList(reply, 'ticket_counts', paging, result, (c) => presentCount(c, detailed));
    });
  }
  const countOne = Type.Object({ ticket_count: CountDetailed });
  app.get('/events/:id/ticket_counts/:count_id', {
    schema: { tags: countTags, summary: 'Read a ticket count with its breakdown', params: CountParams, response: { 200: countOne, ...S.errorResponses } },
  }, async (request) => {
    const { id, count_id } = request.params as { id: number; count_id: number };
    return { ticket_count: presentCount(await core.ticketCounts.read(p(request), id, count_id), true) };
  });
  app.post('/events/:id/ticket_counts', {
    schema: {
      tags: countTags,
      summary: 'Enter a ticket count for external interfaces (those flagged external); it awaits approval',
      params: S.IdParams, body: S.Rooted('ticket_count', CountCreate), response: { 201: countOne, ...S.errorResponses },
    },
  }, async (request, reply) => {
    const input = camelKeys<EnteredCountInput>((request.body as { ticket_count: unknown }).ticket_count);
    return reply.code(201).send({ ticket_count: presentCount(await core.ticketCounts.enter(p(request), (request.params as { id: number }).id, input), true) });
  });
  app.patch('/events/:id/ticket_counts/:count_id', {
    schema: {
      tags: countTags,
      summary: 'Change an entered count not yet approved (lines are replaced as a whole), or the comment of an automatic count',
      params: CountParams, body: S.Rooted('ticket_count', CountUpdate), response: { 200: countOne, ...S.errorResponses },
    },
  }, async (request) => {
    const { id, count_id } = request.params as { id: number; count_id: number };
    const changes = camelKeys<Partial<EnteredCountInput>>((request.body as { ticket_count: unknown }).ticket_count);
    return { ticket_count: presentCount(await core.ticketCounts.update(p(request), id, count_id, changes), true) };
  });
  app.post('/events/:id/ticket_counts/:count_id/approval', {
    schema: { tags: countTags, summary: 'Approve an entered count (scope admin); approved counts are frozen', params: CountParams, body: S.NoBody, response: { 200: countOne, ...S.errorResponses } },
  }, async (request) => {
    const { id, count_id } = request.params as { id: number; count_id: number };
    return { ticket_count: presentCount(await core.ticketCounts.approve(p(request), id, count_id), true) };
  });
  app.delete('/events/:id/ticket_counts/:count_id', {
    schema: { tags: countTags, summary: 'Delete an entered count not yet approved', params: CountParams, response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    const { id, count_id } = request.params as { id: number; count_id: number };
    await core.ticketCounts.remove(p(request), id, count_id);
    return noContent(reply);
  });

  // Capacities.
  app.get('/events/:id/capacities', {
    schema: {
      tags: ['capacities'], summary: 'Capacity, kills, comps, organizer holds and sellable capacity per date and section (scope sell or admin)',
      params: S.IdParams, querystring: S.Strict({ date_id: Type.Optional(S.Id) }), response: { 200: Type.Object({ capacities: Type.Array(CapacityFigures) }), ...S.errorResponses },
    },
  }, async (request) => ({
    capacities: snakeKeys(await core.capacities.list(p(request), (request.params as { id: number }).id, (request.query as { date_id?: number }).date_id)),
  }));
  app.patch('/events/:id/dates/:date_id/capacities/:section_id', {
    schema: {
      tags: ['capacities'], summary: 'Change the capacity, kills or organizer holds of a section on a date (scope admin); 409 when what is taken would no longer fit, or when the section is seated on that date (kill or hold its seats one by one: PATCH …/dates/{date_id}/seats)',
      params: S.Strict({ id: S.Id, date_id: S.Id, section_id: S.Id }), body: S.Rooted('capacity', CapacityChange), response: { 200: Type.Object({ capacity: CapacityFigures }), ...S.errorResponses },
    },
  }, async (request) => {
    const { id, date_id, section_id } = request.params as Record<string, number>;
    const body = (request.body as { capacity: { capacity?: number; kills?: number; organizer_holds?: number } }).capacity;
    const change = { capacity: body.capacity, kills: body.kills, organizerHolds: body.organizer_holds };
    return { capacity: snakeKeys(await core.capacities.adjust(p(request), id, date_id, section_id, change)) };
  });

  // Promotions.
  crudRoutes<Promotion, { event_id?: number; series_id?: number; type?: string; family?: string; label?: string; from?: string; to?: string }>(app, {
    path: '/promotions', singular: 'promotion', plural: 'promotions', tags: ['promotions'],
    schemas: { item: PromotionItem, create: PromotionCreate, update: PromotionUpdate, query: PromotionQuery },
    list: (request, page, q) =>
      core.promotions.list(p(request), page, { eventId: q.event_id, seriesId: q.series_id, type: q.type, family: q.family, label: q.label, from: q.from, to: q.to } as PromotionFilter),
    read: (request, id) => core.promotions.read(p(request), id),
    create: (request, input) => core.promotions.create(p(request), input as unknown as PromotionInput),
    update: (request, id, changes) => core.promotions.update(p(request), id, changes),
    remove: (request, id) => core.promotions.remove(p(request), id),
    present: presentPromotion,
    input: promotionInput,
  });
  app.get('/promotion_types', {
    schema: {
      tags: ['promotions'], summary: 'Promotion types with their families, cost types and cost states, labelled in the language of Accept-Language (en, fr, de)',
      response: {
        200: Type.Object({
          promotion_types: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), family: Labelled })),
          cost_types: Type.Array(Labelled),
          cost_states: Type.Array(Labelled),
        }),
        ...S.errorResponses,
      },
    },
  }, async (request) => {
    const lang = language(request);
    return {
      promotion_types: Object.entries(PROMOTION_TYPES).map(([id, t]) => ({ id, label: t.labels[lang], family: { id: t.family, label: PROMOTION_FAMILIES[t.family][lang] } })),
      cost_types: Object.entries(COST_TYPES).map(([id, l]) => ({ id, label: l[lang] })),
      cost_states: Object.entries(COST_STATES).map(([id, l]) => ({ id, label: l[lang] })),
    };
  });
  app.get('/events/:id/promotion_costs', {
    schema: {
      tags: ['promotions'], summary: "What promoting an event costs, per currency: its own promotions plus its share of its series' promotions",
      params: S.IdParams,
      response: {
        200: Type.Object({
          promotion_costs: Type.Array(Type.Object({
            event_id: Type.Integer(), currency: Type.String(), direct: Type.Integer(), from_series: Type.Integer(), total: Type.Integer(), valued_total: Type.Integer(), promotions: Type.Integer(),
          })),
        }),
        ...S.errorResponses,
      },
    },
  }, async (request) => ({ promotion_costs: snakeKeys(await core.promotions.eventCosts(p(request), (request.params as { id: number }).id)) }));

  // Transactions.
  app.get('/reports/transactions', {
    schema: {
      tags: ['reports'], summary: 'Orders, payments and refunds over a period, for the organization or one event, with totals per interface and payment method',
      querystring: TransactionQuery, response: { 200: Type.Object({ transactions: TransactionTotals }), ...S.errorResponses },
    },
  }, async (request) => {
    const q = request.query as { from: string; to: string; event_id?: number };
    const from = parseInstant(q.from);
    const to = parseInstant(q.to);
    if (!from) throw invalid('from', 'must be an ISO 8601 date-time with offset');
    if (!to) throw invalid('to', 'must be an ISO 8601 date-time with offset');
    const totals = await core.transactions.totals(p(request), { from, to, eventId: q.event_id });
    const wire = snakeKeys(totals) as { currencies: Record<string, unknown>[] };
    // snake_case of byChannel is by_channel; on the wire, channels are interfaces.
    return { transactions: { ...wire, currencies: wire.currencies.map(({ by_channel, ...c }) => ({ ...c, by_interface: by_channel })) } };
  });

  // Exports and jobs.
  const jobOne = Type.Object({ job: JobItem });
  app.post('/exports', {
    schema: {
      tags: ['jobs'], summary: 'Export orders, tickets or ticket counts as CSV: answers 202 with a job; follow /api/jobs/{id}, then download its file',
      body: S.Rooted('export', ExportCreate), response: { 202: jobOne, ...S.errorResponses },
    },
  }, async (request, reply) => {
    const input = camelKeys<ExportInput>((request.body as { export: unknown }).export);
    const job = await core.exports.request(p(request), input);
    return reply.code(202).header('Location', `/api/jobs/${job.id}`).send({ job: presentJob(job) });
  });
  app.get('/jobs', {
    schema: { tags: ['jobs'], summary: "The organization's jobs", querystring: S.PageQuery, response: { 200: Type.Object({ jobs: Type.Array(JobItem) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query as S.PageQueryType);
    return sendList(reply, 'jobs', paging, await core.exports.list(p(request), paging.window), presentJob);
  });
  app.get('/jobs/:id', {
    schema: { tags: ['jobs'], summary: 'A job and its progress', params: S.IdParams, response: { 200: jobOne, ...S.errorResponses } },
  }, async (request) => ({ job: presentJob(await core.exports.read(p(request), (request.params as { id: number }).id)) }));
  app.get('/jobs/:id/file', {
    schema: { tags: ['jobs'], summary: 'Download the CSV file of a finished export (409 while it runs)', params: S.IdParams, produces: ['text/csv'] },
  }, async (request, reply) => {
    const file = await core.exports.file(p(request), (request.params as { id: number }).id);
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${file.fileName}"`)
      .send(fs.createReadStream(file.path));
  });
}
