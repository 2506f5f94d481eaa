import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { toIso } from '../../db/quirks.ts';
import { columnsOf, type ColumnMapping } from '../../db/columns.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { catalogRepository, series, venues } from './repository.ts';
import { isCalendarDate } from '../validation.ts';

/** A series groups events: a tour (TOU) or a long run (LGS) in one venue. */
export const SERIES_KINDS = ['tour', 'long_run'] as const;
export type SeriesKind = (typeof SERIES_KINDS)[number];

export interface SeriesInput {
  kind: SeriesKind;
  label: string;
  firstDate?: string | null;
  lastDate?: string | null;
  venueId?: number | null;
}
export interface Series extends Required<SeriesInput> {
  id: number;
  createdAt: string;
  updatedAt: string;
}

const SERIES_COLUMNS: ColumnMapping<SeriesInput> = { kind: 'kind', label: 'label', firstDate: 'first_date', lastDate: 'last_date', venueId: 'venue_id' };

type Row = NonNullable<Awaited<ReturnType<typeof series.get>>>;
const toSeries = (r: Row): Series => ({
  id: r.id,
  kind: r.kind as SeriesKind,
  label: r.label,
  firstDate: r.first_date,
  lastDate: r.last_date,
  venueId: r.venue_id,
  createdAt: toIso(r.created_at)!,
  updatedAt: toIso(r.updated_at)!,
});

export function seriesService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  async function check(organizationId: number, input: Partial<SeriesInput>, current?: Row) {
    if (input.kind !== undefined && !(SERIES_KINDS as readonly string[]).includes(input.kind)) throw invalid('kind', `must be one of ${SERIES_KINDS.join(', ')}`);
    for (const [field, value] of [['first_date', input.firstDate], ['last_date', input.lastDate]] as const) {
      if (value != null && !isCalendarDate(value)) throw invalid(field, 'must be a date as YYYY-MM-DD');
    }
    const first = input.firstDate !== undefined ? input.firstDate : current?.first_date;
    const last = input.lastDate !== undefined ? input.lastDate : current?.last_date;
    if (first && last && first > last) throw invalid('last_date', 'must not be before first_date');
    if (input.venueId != null && !(await venues.get(database.db, organizationId, input.venueId))) throw invalid('venue_id', 'is not a venue of this organization');
  }

  return {
    async list(principal: Principal, page: Page, filter: { kind?: string } = {}): Promise<Paged<Series>> {
      const { rows, total } = await series.list(database.db, principal.organizationId, page, { where: { kind: filter.kind } });
      return { items: rows.map(toSeries), total };
    },
    async read(principal: Principal, id: number): Promise<Series> {
      const row = await series.get(database.db, principal.organizationId, id);
      if (!row) throw notFound('Series');
      return toSeries(row);
    },
    async create(principal: Principal, input: SeriesInput): Promise<Series> {
      requireScope(principal, 'sell', 'admin');
      await check(principal.organizationId, input);
      const t = now();
      const row = await series.insert(database.db, {
        organization_id: principal.organizationId,
        first_date: null,
        last_date: null,
        venue_id: null,
        ...columnsOf(input, SERIES_COLUMNS),
        created_at: t,
        updated_at: t,
      } as never);
      return toSeries(row);
    },
    async update(principal: Principal, id: number, changes: Partial<SeriesInput>): Promise<Series> {
      requireScope(principal, 'sell', 'admin');
      const current = await series.get(database.db, principal.organizationId, id);
      if (!current) throw notFound('Series');
      await check(principal.organizationId, changes, current);
      const row = await series.update(database.db, principal.organizationId, id, {
        ...columnsOf(changes, SERIES_COLUMNS),
        updated_at: now(),
      });
      return toSeries(row!);
    },
    async remove(principal: Principal, id: number): Promise<void> {
      requireScope(principal, 'sell', 'admin');
      await database.transaction(async (trx) => {
        if (!(await series.get(trx, principal.organizationId, id))) throw notFound('Series');
        if (await catalogRepository.isReferenced(trx, 'events', 'series_id', id)) throw new DomainError('IN_USE', 'This series still has events');
        await series.remove(trx, principal.organizationId, id);
      });
    },
  };
}

export type SeriesService = ReturnType<typeof seriesService>;
