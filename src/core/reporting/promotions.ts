import { sql, type Selectable, type SqlBool } from 'kysely';
import { containsPattern } from '../../db/fold.ts';
import currencyCodes from 'currency-codes';
import type { CoreContext } from '../context.ts';
import { invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { toIso } from '../../db/quirks.ts';
import type { Db } from '../../db/database.ts';
import type { PromotionsTable, PromotionTargetsTable } from '../../db/tables.ts';
import { tenantTable } from '../../db/table-access.ts';
import { paged } from '../../db/paging.ts';
import { isCalendarDate } from '../validation.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { events, series } from '../catalog/repository.ts';

/**
 * Promotions: marketing actions around events and series (ads, campaigns, partnerships) and what
 * they cost. Types belong to families; both have labels in en, fr and de. A promotion applies to
 * any mix of events and series, each with its own quantity and unit cost; its cost rolls up per
 * event (a series' share is split evenly over the series' events).
 */
export type Labels = { en: string; fr: string; de: string };

export const PROMOTION_FAMILIES = {
  media: { en: 'Media', fr: 'Médias', de: 'Medien' },
  outdoor: { en: 'Outdoor', fr: 'Affichage', de: 'Außenwerbung' },
  print: { en: 'Print', fr: 'Imprimés', de: 'Druck' },
  digital: { en: 'Digital', fr: 'Numérique', de: 'Digital' },
  partnership: { en: 'Partnerships and events', fr: 'Partenariats et événements', de: 'Partnerschaften und Events' },
} as const satisfies Record<string, Labels>;
export type PromotionFamily = keyof typeof PROMOTION_FAMILIES;

export const PROMOTION_TYPES = {
  press_ad: { family: 'media', labels: { en: 'Press advertisement', fr: 'Annonce presse', de: 'Zeitungsanzeige' } },
  radio_spot: { family: 'media', labels: { en: 'Radio spot', fr: 'Spot radio', de: 'Radiospot' } },
  tv_spot: { family: 'media', labels: { en: 'TV spot', fr: 'Spot TV', de: 'TV-Spot' } },
  poster: { family: 'outdoor', labels: { en: 'Poster campaign', fr: "Campagne d'affichage", de: 'Plakatkampagne' } },
  flyer: { family: 'print', labels: { en: 'Flyers', fr: 'Flyers', de: 'Flyer' } },
  social_ads: { family: 'digital', labels: { en: 'Social media ads', fr: 'Publicité sur les réseaux sociaux', de: 'Social-Media-Werbung' } },
  newsletter: { family: 'digital', labels: { en: 'Newsletter', fr: 'Lettre d’information', de: 'Newsletter' } },
  web_banner: { family: 'digital', labels: { en: 'Web banner', fr: 'Bannière web', de: 'Webbanner' } },
  partnership: { family: 'partnership', labels: { en: 'Partnership', fr: 'Partenariat', de: 'Partnerschaft' } },
  street_marketing: { family: 'partnership', labels: { en: 'Street marketing', fr: 'Street marketing', de: 'Straßenmarketing' } },
} as const satisfies Record<string, { family: PromotionFamily; labels: Labels }>;
export type PromotionType = keyof typeof PROMOTION_TYPES;

/** How a promotion is paid for (Pims PAY / ECH / GRA) and where its cost stands (PRE / ENG / FAC / PAY). */
export const COST_TYPES = {
  paid: { en: 'Paid', fr: 'Payant', de: 'Bezahlt' },
  exchange: { en: 'Exchange', fr: 'Échange', de: 'Tausch' },
  free: { en: 'Free', fr: 'Gratuit', de: 'Kostenlos' },
} as const satisfies Record<string, Labels>;
export const COST_STATES = {
  planned: { en: 'Planned', fr: 'Prévu', de: 'Geplant' },
  committed: { en: 'Committed', fr: 'Engagé', de: 'Verpflichtet' },
  invoiced: { en: 'Invoiced', fr: 'Facturé', de: 'In Rechnung gestellt' },
  paid: { en: 'Paid', fr: 'Payé', de: 'Bezahlt' },
} as const satisfies Record<string, Labels>;
export type CostType = keyof typeof COST_TYPES;
export type CostState = keyof typeof COST_STATES;

export interface TargetInput { eventId?: number | null; seriesId?: number | null; quantity: number; unitCost: number; valuedQuantity?: number | null; valuedUnitCost?: number | null }
export interface PromotionInput {
  type: PromotionType;
  label: string;
  supplier?: string | null;
  startsOn?: string | null;
  endsOn?: string | null;
  cost: { type: CostType; state?: CostState | null; quantity?: number | null; unitCost?: number | null; valuedQuantity?: number | null; valuedUnitCost?: number | null; currency?: string | null };
  comments?: string | null;
  appliedTo: TargetInput[];
}

export interface PromotionTarget {
  eventId: number | null;
  seriesId: number | null;
  quantity: number;
  unitCost: number;
  /** quantity × unit cost. */
  total: number;
  valuedQuantity: number | null;
  valuedUnitCost: number | null;
  /** What an exchange or a free promotion is worth: valued quantity × valued unit cost. */
  valuedTotal: number | null;
}

export interface Promotion {
  id: number;
  type: PromotionType;
  typeLabels: Labels;
  family: PromotionFamily;
  familyLabels: Labels;
  label: string;
  supplier: string | null;
  startsOn: string | null;
  endsOn: string | null;
  cost: {
    type: CostType; typeLabels: Labels; state: CostState | null; stateLabels: Labels | null; currency: string;
    quantity: number | null; unitCost: number | null; valuedQuantity: number | null; valuedUnitCost: number | null;
    /** The promotion's cost: the sum of its targets' totals. */
    total: number;
    valuedTotal: number | null;
  };
  comments: string | null;
  appliedTo: PromotionTarget[];
  createdAt: string;
  updatedAt: string;
}

export interface PromotionFilter {
  eventId?: number; seriesId?: number; type?: PromotionType; family?: PromotionFamily; from?: string; to?: string;
  /** Case- and accent-insensitive "contains". */
  label?: string;
  /** By start date (the default) or by total cost (sum of the targets' quantity × unit cost). */
  sort?: { key: 'date' | 'total_cost'; descending: boolean };
}

/** One event's promotion costs in one currency. */
export interface EventPromotionCost { eventId: number; currency: string; direct: number; fromSeries: number; total: number; valuedTotal: number; promotions: number }

type Row = Selectable<PromotionsTable>;
type TargetRow = Selectable<PromotionTargetsTable>;
const promotions = tenantTable('promotions');

const promotionRepository = {
  list(db: Db, organizationId: number, page: Page, filter: PromotionFilter) {
    let query = db.selectFrom('promotions').where('organization_id', '=', organizationId);
    if (filter.type) query = query.where('type', '=', filter.type);
    if (filter.family) query = query.where('type', 'in', Object.entries(PROMOTION_TYPES).filter(([, t]) => t.family === filter.family).map(([k]) => k));
    // A promotion is in a period when it overlaps it.
    if (filter.from) query = query.where((eb) => eb.or([eb('ends_on', '>=', filter.from!), eb('ends_on', 'is', null)]));
    if (filter.to) query = query.where((eb) => eb.or([eb('starts_on', '<=', filter.to!), eb('starts_on', 'is', null)]));
    if (filter.label) query = query.where(sql<SqlBool>`guichet_fold(label) like ${containsPattern(filter.label)} escape '\\'`);
    if (filter.eventId !== undefined || filter.seriesId !== undefined) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('promotion_targets')
            .select('promotion_targets.id')
            .whereRef('promotion_targets.promotion_id', '=', 'promotions.id')
            .where((w) => (filter.eventId !== undefined ? w('promotion_targets.event_id', '=', filter.eventId) : w('promotion_targets.series_id', '=', filter.seriesId!))),
        ),
      );
    }
    const direction = filter.sort?.descending ? 'desc' : 'asc';
    const totalCost = sql<number>`(select coalesce(sum(t.quantity * t.unit_cost), 0) from promotion_targets t where t.promotion_id = promotions.id)`;
    return paged(query, page, (q) => (filter.sort?.key === 'total_cost' ? q.selectAll().orderBy(totalCost, direction) : q.selectAll().orderBy('starts_on', direction)).orderBy('id', direction));
  },
  targets(db: Db, organizationId: number, promotionIds: number[]): Promise<TargetRow[]> {
    if (promotionIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('promotion_targets').selectAll().where('organization_id', '=', organizationId).where('promotion_id', 'in', promotionIds).orderBy('id').execute();
  },
  async replaceTargets(db: Db, organizationId: number, promotionId: number, targets: Omit<TargetRow, 'id' | 'organization_id' | 'promotion_id'>[]) {
    await db.deleteFrom('promotion_targets').where('organization_id', '=', organizationId).where('promotion_id', '=', promotionId).execute();
    if (targets.length) await db.insertInto('promotion_targets').values(targets.map((t) => ({ ...t, organization_id: organizationId, promotion_id: promotionId }))).execute();
  },
  /** The targets that concern one event: its own, and those of its series, with the promotion's currency. */
  eventTargets(db: Db, organizationId: number, eventId: number, seriesId: number | null) {
    return db
      .selectFrom('promotion_targets as t')
      .innerJoin('promotions as p', 'p.id', 't.promotion_id')
      .select(['t.promotion_id', 't.event_id', 't.series_id', 't.quantity', 't.unit_cost', 't.valued_quantity', 't.valued_unit_cost', 'p.currency'])
      .where('t.organization_id', '=', organizationId)
      .where((eb) => eb.or([eb('t.event_id', '=', eventId), ...(seriesId !== null ? [eb('t.series_id', '=', seriesId)] : [])]))
      .execute();
  },
  seriesEventIds(db: Db, organizationId: number, seriesId: number) {
    return db.selectFrom('events').select('id').where('organization_id', '=', organizationId).where('series_id', '=', seriesId).orderBy('id').execute();
  },
};

const product = (a: number | null, b: number | null) => (a === null || b === null ? null : a * b);

function toPromotion(r: Row, targets: TargetRow[]): Promotion {
  const type = r.type as PromotionType;
  const family = PROMOTION_TYPES[type].family;
  const appliedTo = targets.map((t) => ({
    eventId: t.event_id,
    seriesId: t.series_id,
    quantity: t.quantity,
    unitCost: Number(t.unit_cost),
    total: t.quantity * Number(t.unit_cost),
    valuedQuantity: t.valued_quantity,
    valuedUnitCost: t.valued_unit_cost === null ? null : Number(t.valued_unit_cost),
    valuedTotal: product(t.valued_quantity, t.valued_unit_cost === null ? null : Number(t.valued_unit_cost)),
  }));
  const valued = appliedTo.filter((t) => t.valuedTotal !== null);
  return {
    id: r.id,
    type,
    typeLabels: PROMOTION_TYPES[type].labels,
    family,
    familyLabels: PROMOTION_FAMILIES[family],
    label: r.label,
    supplier: r.supplier,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    cost: {
      type: r.cost_type as CostType,
      typeLabels: COST_TYPES[r.cost_type as CostType],
      state: r.cost_state as CostState | null,
      stateLabels: r.cost_state ? COST_STATES[r.cost_state as CostState] : null,
      currency: r.currency,
      quantity: r.quantity,
      unitCost: r.unit_cost === null ? null : Number(r.unit_cost),
      valuedQuantity: r.valued_quantity,
      valuedUnitCost: r.valued_unit_cost === null ? null : Number(r.valued_unit_cost),
      total: appliedTo.reduce((n, t) => n + t.total, 0),
      valuedTotal: valued.length ? valued.reduce((n, t) => n + t.valuedTotal!, 0) : product(r.valued_quantity, r.valued_unit_cost === null ? null : Number(r.valued_unit_cost)),
    },
    comments: r.comments,
    appliedTo,
    createdAt: toIso(r.created_at)!,
    updatedAt: toIso(r.updated_at)!,
  };
}

export function promotionService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  async function present(organizationId: number, rows: Row[]) {
    const targets = await promotionRepository.targets(database.db, organizationId, rows.map((r) => r.id));
    return rows.map((r) => toPromotion(r, targets.filter((t) => t.promotion_id === r.id)));
  }

  async function read(principal: Principal, id: number): Promise<Promotion> {
    requireScope(principal, 'sell', 'admin');
    const row = await promotions.get(database.db, principal.organizationId, id);
    if (!row) throw notFound('Promotion');
    return (await present(principal.organizationId, [row]))[0];
  }

  /** The columns of a complete, checked input; refuses what does not hold together. */
  async function check(db: Db, principal: Principal, input: PromotionInput, organizationCurrency: string) {
    if (!(input.type in PROMOTION_TYPES)) throw invalid('type', `must be one of ${Object.keys(PROMOTION_TYPES).join(', ')}`);
    if (input.label.trim() === '') throw invalid('label', 'must not be blank');
    for (const field of ['startsOn', 'endsOn'] as const) {
      const value = input[field];
      if (value != null && !isCalendarDate(value)) throw invalid(field === 'startsOn' ? 'start_date' : 'end_date', 'must be a calendar date YYYY-MM-DD');
    }
    if (input.startsOn && input.endsOn && input.endsOn < input.startsOn) throw invalid('end_date', 'must not be before start_date');
    const cost = input.cost;
    if (!(cost.type in COST_TYPES)) throw invalid('cost.type', `must be one of ${Object.keys(COST_TYPES).join(', ')}`);
    if (cost.state != null && !(cost.state in COST_STATES)) throw invalid('cost.state', `must be one of ${Object.keys(COST_STATES).join(', ')}`);
    const currency = (cost.currency ?? organizationCurrency).toUpperCase();
    if (!currencyCodes.code(currency)) throw invalid('cost.currency', 'must be an ISO 4217 currency code');
    const counts = { quantity: cost.quantity, unit_cost: cost.unitCost, valued_quantity: cost.valuedQuantity, valued_unit_cost: cost.valuedUnitCost };
    for (const [field, value] of Object.entries(counts)) {
      if (value != null && (!Number.isInteger(value) || value < 0)) throw invalid(`cost.${field}`, 'must be a non-negative integer');
    }
    if (input.appliedTo.length === 0) throw invalid('applied_to', 'must name at least one event or series');
    const seen = new Set<string>();
    const targets = [];
    for (const [i, t] of input.appliedTo.entries()) {
      const field = `applied_to[${i}]`;
      if ((t.eventId == null) === (t.seriesId == null)) throw invalid(field, 'give either event_id or series_id');
      if (t.eventId != null && !(await events.get(db, principal.organizationId, t.eventId))) throw invalid(`${field}.event_id`, 'is not an event of this organization');
      if (t.seriesId != null && !(await series.get(db, principal.organizationId, t.seriesId))) throw invalid(`${field}.series_id`, 'is not a series of this organization');
      const key = t.eventId != null ? `e${t.eventId}` : `s${t.seriesId}`;
      if (seen.has(key)) throw invalid(field, 'names the same event or series twice');
      seen.add(key);
      for (const [name, value] of Object.entries({ quantity: t.quantity, unit_cost: t.unitCost, valued_quantity: t.valuedQuantity, valued_unit_cost: t.valuedUnitCost })) {
        if (value != null && (!Number.isInteger(value) || value < 0)) throw invalid(`${field}.${name}`, 'must be a non-negative integer');
      }
      targets.push({
        event_id: t.eventId ?? null, series_id: t.seriesId ?? null, quantity: t.quantity, unit_cost: t.unitCost,
        valued_quantity: t.valuedQuantity ?? null, valued_unit_cost: t.valuedUnitCost ?? null,
      });
    }
    return {
      columns: {
        type: input.type, label: input.label.trim(), supplier: input.supplier?.trim() || null, starts_on: input.startsOn ?? null, ends_on: input.endsOn ?? null,
        cost_type: cost.type, cost_state: cost.state ?? null, quantity: cost.quantity ?? null, unit_cost: cost.unitCost ?? null,
        valued_quantity: cost.valuedQuantity ?? null, valued_unit_cost: cost.valuedUnitCost ?? null, currency, comments: input.comments ?? null,
      },
      targets,
    };
  }

  async function organizationCurrency(db: Db, organizationId: number) {
    const row = await db.selectFrom('organizations').select('currency').where('id', '=', organizationId).executeTakeFirstOrThrow();
    return row.currency;
  }

  /** The stored promotion as a complete input (to merge a partial update onto). */
  const asInput = (p: Promotion): PromotionInput => ({
    type: p.type, label: p.label, supplier: p.supplier, startsOn: p.startsOn, endsOn: p.endsOn, comments: p.comments,
    cost: { type: p.cost.type, state: p.cost.state, quantity: p.cost.quantity, unitCost: p.cost.unitCost, valuedQuantity: p.cost.valuedQuantity, valuedUnitCost: p.cost.valuedUnitCost, currency: p.cost.currency },
    appliedTo: p.appliedTo.map((t) => ({ eventId: t.eventId, seriesId: t.seriesId, quantity: t.quantity, unitCost: t.unitCost, valuedQuantity: t.valuedQuantity, valuedUnitCost: t.valuedUnitCost })),
  });

  return {
    read,

    async list(principal: Principal, page: Page, filter: PromotionFilter = {}): Promise<Paged<Promotion>> {
      requireScope(principal, 'sell', 'admin');
      const { rows, total } = await promotionRepository.list(database.db, principal.organizationId, page, filter);
      return { items: await present(principal.organizationId, rows), total };
    },

    async create(principal: Principal, input: PromotionInput): Promise<Promotion> {
      requireScope(principal, 'admin');
      const t = now();
      const id = await database.transaction(async (trx) => {
        const { columns, targets } = await check(trx, principal, input, await organizationCurrency(trx, principal.organizationId));
        const row = await promotions.insert(trx, { ...columns, organization_id: principal.organizationId, created_at: t, updated_at: t });
        await promotionRepository.replaceTargets(trx, principal.organizationId, row.id, targets);
        return row.id;
      });
      return read(principal, id);
    },

    /** Changes a promotion; `cost` fields merge with the stored cost, `applied_to` replaces the targets as a whole. */
    async update(principal: Principal, id: number, changes: Partial<Omit<PromotionInput, 'cost'>> & { cost?: Partial<PromotionInput['cost']> }): Promise<Promotion> {
      requireScope(principal, 'admin');
      const current = await read(principal, id);
      const base = asInput(current);
      const merged: PromotionInput = { ...base, ...changes, cost: { ...base.cost, ...(changes.cost ?? {}) } as PromotionInput['cost'], appliedTo: changes.appliedTo ?? base.appliedTo };
      const t = now();
      await database.transaction(async (trx) => {
        const { columns, targets } = await check(trx, principal, merged, current.cost.currency);
        if (!(await promotions.update(trx, principal.organizationId, id, { ...columns, updated_at: t }))) throw notFound('Promotion');
        if (changes.appliedTo) await promotionRepository.replaceTargets(trx, principal.organizationId, id, targets);
      });
      return read(principal, id);
    },

    async remove(principal: Principal, id: number): Promise<void> {
      requireScope(principal, 'admin');
      if (!(await promotions.remove(database.db, principal.organizationId, id))) throw notFound('Promotion');
    },

    /**
     * What promoting one event costs, per currency: its own targets, plus its share of its series'
     * targets (split evenly over the series' events, the first events taking the remainder).
     */
    async eventCosts(principal: Principal, eventId: number): Promise<EventPromotionCost[]> {
      requireScope(principal, 'sell', 'admin');
      const event = await events.get(database.db, principal.organizationId, eventId);
      if (!event) throw notFound('Event');
      const targets = await promotionRepository.eventTargets(database.db, principal.organizationId, eventId, event.series_id);
      const siblings = event.series_id !== null ? (await promotionRepository.seriesEventIds(database.db, principal.organizationId, event.series_id)).map((e) => e.id) : [];
      const share = (amount: number) => {
        const n = siblings.length || 1;
        const index = Math.max(0, siblings.indexOf(eventId));
        return Math.floor(amount / n) + (index < amount % n ? 1 : 0);
      };
      const byCurrency = new Map<string, EventPromotionCost & { ids: Set<number> }>();
      for (const t of targets) {
        const entry = byCurrency.get(t.currency) ?? { eventId, currency: t.currency, direct: 0, fromSeries: 0, total: 0, valuedTotal: 0, promotions: 0, ids: new Set<number>() };
        byCurrency.set(t.currency, entry);
        const cost = t.quantity * Number(t.unit_cost);
        const valued = product(t.valued_quantity, t.valued_unit_cost === null ? null : Number(t.valued_unit_cost)) ?? 0;
        if (t.event_id === eventId) {
          entry.direct += cost;
          entry.valuedTotal += valued;
        } else {
          entry.fromSeries += share(cost);
          entry.valuedTotal += share(valued);
        }
        entry.ids.add(t.promotion_id);
      }
      return [...byCurrency.values()].map(({ ids, ...e }) => ({ ...e, total: e.direct + e.fromSeries, promotions: ids.size }));
    },
  };
}

export type PromotionService = ReturnType<typeof promotionService>;
