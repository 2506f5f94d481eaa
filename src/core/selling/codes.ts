import { sql, type Selectable } from 'kysely';
import type { CoreContext } from '../context.ts';
import { DomainError, conflict, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { fromFlag, isUniqueViolation, parseJsonList, toFlag, toIso } from '../../db/quirks.ts';
import { columnsOf, upper, type ColumnMapping } from '../../db/columns.ts';
import type { Db } from '../../db/database.ts';
import type { DiscountCodesTable } from '../../db/tables.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { tenantTable } from '../../db/table-access.ts';
import { events, tariffs } from '../catalog/repository.ts';
import { parseInstant } from '../validation.ts';

/** Discount codes: a percentage or a fixed amount off, in a validity window, up to a usage limit, on some tariffs or events. */
export const CODE_KINDS = ['percentage', 'fixed'] as const;
export type CodeKind = (typeof CODE_KINDS)[number];

export interface CodeInput {
  code: string;
  kind: CodeKind;
  /** Percent (1–100) for `percentage`, minor units for `fixed`. */
  value: number;
  currency?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  usageLimit?: number | null;
  active?: boolean;
  tariffIds?: number[];
  eventIds?: number[];
}

export interface Code extends Required<Omit<CodeInput, 'active'>> {
  id: number;
  active: boolean;
  used: number;
  createdAt: string;
  updatedAt: string;
}

type CodeRow = Selectable<DiscountCodesTable>;
const codes = tenantTable('discount_codes');

/** The SQL of discount codes beyond the generic table access. */
const codeRepository = {
  byText(db: Db, organizationId: number, code: string) {
    return db.selectFrom('discount_codes').selectAll().where('organization_id', '=', organizationId).where('code', '=', code).executeTakeFirst();
  },
  /** Counts one use if the limit allows it: the conditional increment keeps concurrent redemptions within the limit. */
  async use(db: Db, id: number) {
    const result = await db
      .updateTable('discount_codes')
      .set({ used: sql`used + 1` })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('usage_limit', 'is', null), eb('used', '<', eb.ref('usage_limit'))]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
  async giveBackUse(db: Db, id: number) {
    await db.updateTable('discount_codes').set({ used: sql`used - 1` }).where('id', '=', id).where('used', '>', 0).execute();
  },
};

const toCode = (r: CodeRow): Code => ({
  id: r.id,
  code: r.code,
  kind: r.kind as CodeKind,
  value: r.value,
  currency: r.currency,
  startsAt: toIso(r.starts_at),
  endsAt: toIso(r.ends_at),
  usageLimit: r.usage_limit,
  used: r.used,
  active: fromFlag(r.active),
  tariffIds: parseJsonList(r.tariff_ids).map(Number),
  eventIds: parseJsonList(r.event_ids).map(Number),
  createdAt: toIso(r.created_at)!,
  updatedAt: toIso(r.updated_at)!,
});

const CODE_COLUMNS: ColumnMapping<CodeInput> = {
  code: ['code', upper],
  kind: 'kind',
  value: 'value',
  currency: ['currency', upper],
  startsAt: ['starts_at', (v) => parseInstant(v)],
  endsAt: ['ends_at', (v) => parseInstant(v)],
  usageLimit: 'usage_limit',
  active: ['active', toFlag],
  tariffIds: ['tariff_ids', (v) => JSON.stringify([...new Set(v)])],
  eventIds: ['event_ids', (v) => JSON.stringify([...new Set(v)])],
};

/** An order line as the discount sees it. */
export interface PricedLine {
  tariffId: number;
  eventId: number;
  total: number;
}

/**
 * Applies a code to an order's lines inside the checkout transaction and counts the use atomically:
 * the conditional increment is what keeps concurrent redemptions within the usage limit.
 * Returns the discount per line (same order as `lines`).
 */
export async function redeemCode(trx: Db, organizationId: number, text: string, lines: PricedLine[], currency: string, now: string) {
  const row = await codeRepository.byText(trx, organizationId, text.trim().toUpperCase());
  const { eligible, base, off } = applicable(row, lines, currency, now);
  if (!(await codeRepository.use(trx, row!.id))) throw new DomainError('CODE_EXHAUSTED', 'This code has been used as many times as it may be');
  // Spread the discount over eligible lines in proportion to their totals; the rounding rest goes to the last one.
  const discounts = lines.map(() => 0);
  let given = 0;
  let last = -1;
  lines.forEach((l, i) => {
    if (!eligible[i]) return;
    discounts[i] = Math.floor((off * l.total) / base);
    given += discounts[i];
    last = i;
  });
  discounts[last] += off - given;
  return { codeId: row!.id, discounts, total: off };
}

/** Whether a code applies to these lines and what it takes off, without using it (a buyer typing it). */
export async function quoteCode(db: Db, organizationId: number, text: string, lines: PricedLine[], currency: string, now: string): Promise<{ code: string; discount: number }> {
  const row = await codeRepository.byText(db, organizationId, text.trim().toUpperCase());
  const { off } = applicable(row, lines, currency, now);
  if (row!.usage_limit !== null && row!.used >= row!.usage_limit) throw new DomainError('CODE_EXHAUSTED', 'This code has been used as many times as it may be');
  return { code: row!.code, discount: off };
}

/** The rules of a code (exists, active, in its window, applies to some line, in the order's currency) and what it takes off. */
function applicable(row: CodeRow | undefined, lines: PricedLine[], currency: string, now: string) {
  const refuse = (message: string) => new DomainError('CODE_INVALID', message, [{ field: 'code', message }]);
  if (!row || !fromFlag(row.active)) throw refuse('This code does not exist');
  const startsAt = toIso(row.starts_at);
  const endsAt = toIso(row.ends_at);
  if (startsAt && now < startsAt) throw refuse('This code is not valid yet');
  if (endsAt && now >= endsAt) throw refuse('This code has expired');
  const tariffIds = parseJsonList(row.tariff_ids).map(Number);
  const eventIds = parseJsonList(row.event_ids).map(Number);
  const eligible = lines.map((l) => (tariffIds.length === 0 || tariffIds.includes(l.tariffId)) && (eventIds.length === 0 || eventIds.includes(l.eventId)));
  const base = lines.reduce((sum, l, i) => sum + (eligible[i] ? l.total : 0), 0);
  if (base === 0) throw refuse('This code does not apply to these tickets');
  if (row.kind === 'fixed' && row.currency && row.currency !== currency) throw refuse(`This code is in ${row.currency}`);
  const off = row.kind === 'percentage' ? Math.floor((base * row.value) / 100) : Math.min(row.value, base);
  return { eligible, base, off };
}

/** Gives a use back (the order that used the code was cancelled or expired unpaid). */
export async function releaseCode(trx: Db, codeId: number) {
  await codeRepository.giveBackUse(trx, codeId);
}

export function codeService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  async function check(db: Db, organizationId: number, input: Partial<CodeInput>, current?: CodeRow) {
    if (input.code !== undefined && !/^[A-Za-z0-9_-]{3,40}$/.test(input.code)) throw invalid('code', 'must be 3 to 40 letters, digits, dashes or underscores');
    const kind = input.kind ?? current?.kind;
    const value = input.value ?? current?.value;
    if (kind !== undefined && !(CODE_KINDS as readonly string[]).includes(kind)) throw invalid('kind', 'must be percentage or fixed');
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw invalid('value', 'must be a positive integer');
    if (kind === 'percentage' && value !== undefined && value > 100) throw invalid('value', 'a percentage is at most 100');
    for (const [field, v] of [['starts_at', input.startsAt], ['ends_at', input.endsAt]] as const) {
      if (v != null && !parseInstant(v)) throw invalid(field, 'must be an ISO 8601 date-time with a time zone');
    }
    const startsAt = input.startsAt !== undefined ? (input.startsAt && parseInstant(input.startsAt)) : toIso(current?.starts_at);
    const endsAt = input.endsAt !== undefined ? (input.endsAt && parseInstant(input.endsAt)) : toIso(current?.ends_at);
    if (startsAt && endsAt && startsAt >= endsAt) throw invalid('starts_at', 'must be before ends_at');
    if (input.usageLimit != null && (!Number.isInteger(input.usageLimit) || input.usageLimit < 1)) throw invalid('usage_limit', 'must be a positive integer');
    for (const id of input.tariffIds ?? []) {
      if (!(await tariffs.get(db, organizationId, id))) throw invalid('tariff_ids', `${id} is not a tariff of this organization`);
    }
    for (const id of input.eventIds ?? []) {
      if (!(await events.get(db, organizationId, id))) throw invalid('event_ids', `${id} is not an event of this organization`);
    }
  }

  return {
    async list(principal: Principal, page: Page): Promise<Paged<Code>> {
      requireScope(principal, 'sell', 'admin');
      const { rows, total } = await codes.list(database.db, principal.organizationId, page);
      return { items: rows.map(toCode), total };
    },
    async read(principal: Principal, id: number): Promise<Code> {
      requireScope(principal, 'sell', 'admin');
      const row = await codes.get(database.db, principal.organizationId, id);
      if (!row) throw notFound('Code');
      return toCode(row);
    },
    async create(principal: Principal, input: CodeInput): Promise<Code> {
      requireScope(principal, 'sell', 'admin');
      await check(database.db, principal.organizationId, input);
      const t = now();
      try {
        const row = await codes.insert(database.db, {
          organization_id: principal.organizationId,
          currency: null, starts_at: null, ends_at: null, usage_limit: null, active: 1, tariff_ids: '[]', event_ids: '[]',
          ...columnsOf(input, CODE_COLUMNS),
          used: 0,
          created_at: t,
          updated_at: t,
        } as never);
        return toCode(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`The code ${input.code.toUpperCase()} already exists`);
        throw error;
      }
    },
    async update(principal: Principal, id: number, changes: Partial<CodeInput>): Promise<Code> {
      requireScope(principal, 'sell', 'admin');
      const current = await codes.get(database.db, principal.organizationId, id);
      if (!current) throw notFound('Code');
      await check(database.db, principal.organizationId, changes, current);
      try {
        const row = await codes.update(database.db, principal.organizationId, id, { ...columnsOf(changes, CODE_COLUMNS), updated_at: now() });
        return toCode(row!);
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`The code ${changes.code?.toUpperCase()} already exists`);
        throw error;
      }
    },
    /** A code that was used stays (orders point at it): deactivate it instead. */
    async remove(principal: Principal, id: number): Promise<void> {
      requireScope(principal, 'sell', 'admin');
      const current = await codes.get(database.db, principal.organizationId, id);
      if (!current) throw notFound('Code');
      if (current.used > 0) throw new DomainError('IN_USE', 'This code has been used; deactivate it instead');
      await codes.remove(database.db, principal.organizationId, id);
    },
  };
}

export type CodeService = ReturnType<typeof codeService>;
