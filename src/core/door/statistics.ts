import type { CoreContext } from '../context.ts';
import { invalid, notFound } from '../errors.ts';
import { toCount, toIso } from '../../db/quirks.ts';
import type { Principal } from '../identity/principal.ts';
import { doorRepository as repo } from './repository.ts';
import type { ScanService } from './scans.ts';

/** Door counts: total valid tickets, scanned (ever admitted), currently in, out. */
export interface DoorCounts {
  total: number;
  scanned: number;
  in: number;
  out: number;
}

export interface DoorStatistics {
  eventId: number;
  totals: DoorCounts;
  /** One row per (date, section, tariff); sum them for any coarser view. */
  byTariff: (DoorCounts & { dateId: number; sectionId: number; tariffId: number | null })[];
  byDate: (DoorCounts & { dateId: number })[];
  bySection: (DoorCounts & { sectionId: number })[];
  /** Scans per control point (null: scans without a registered control point) and device. */
  byControlPoint: { controlPointId: number | null; name: string | null; admitted: number; exited: number; rejected: number }[];
  /** Admissions per time bucket (start instant, UTC), for a chart. */
  arrivals: { from: string; admitted: number }[];
  bucketMinutes: number;
}

const zero = (): DoorCounts => ({ total: 0, scanned: 0, in: 0, out: 0 });
function add(into: DoorCounts, row: DoorCounts) {
  into.total += row.total;
  into.scanned += row.scanned;
  into.in += row.in;
  into.out += row.out;
}

export function doorStatisticsService(ctx: CoreContext, scans: ScanService) {
  const { database } = ctx;
  const service = {
    /** One tariff's door counts over all its dates (Weezevent's ticket stats). */
    async tariffCounts(principal: Principal, tariffId: number): Promise<DoorCounts & { eventId: number; tariffId: number }> {
      const tariff = await repo.tariffEvent(database.db, principal.organizationId, tariffId);
      if (!tariff) throw notFound('Tariff');
      const stats = await statistics(principal, tariff.event_id);
      const counts = zero();
      for (const row of stats.byTariff) if (row.tariffId === tariffId) add(counts, row);
      return { eventId: tariff.event_id, tariffId, ...counts };
    },
    statistics: async (principal: Principal, eventId: number | null | undefined, options: { bucketMinutes?: number } = {}): Promise<DoorStatistics> => {
      const scope = await scans.scopeOf(principal, eventId);
      const bucketMinutes = options.bucketMinutes ?? 15;
      if (!Number.isInteger(bucketMinutes) || bucketMinutes < 1 || bucketMinutes > 1440) throw invalid('bucket_minutes', 'must be a whole number of minutes from 1 to 1440');
      const org = principal.organizationId;
      const [counts, points, times] = await Promise.all([
        repo.ticketCounts(database.db, org, scope.eventId),
        repo.scanCountsByControlPoint(database.db, org, scope.eventId),
        repo.admittedScanTimes(database.db, org, scope.eventId),
      ]);
      const inScope = (r: { date_id: number; section_id: number }) =>
        (!scope.sectionIds || scope.sectionIds.includes(r.section_id)) && (!scope.dateIds || scope.dateIds.includes(r.date_id));
      const byTariff = counts.filter(inScope).map((r) => ({
        dateId: r.date_id,
        sectionId: r.section_id,
        tariffId: r.tariff_id,
        total: toCount(r.total),
        scanned: toCount(r.scanned),
        in: toCount(r.in_count),
        out: toCount(r.out_count),
      }));
      const totals = zero();
      const dates = new Map<number, DoorCounts & { dateId: number }>();
      const sections = new Map<number, DoorCounts & { sectionId: number }>();
      for (const row of byTariff) {
        add(totals, row);
        if (!dates.has(row.dateId)) dates.set(row.dateId, { dateId: row.dateId, ...zero() });
        if (!sections.has(row.sectionId)) sections.set(row.sectionId, { sectionId: row.sectionId, ...zero() });
        add(dates.get(row.dateId)!, row);
        add(sections.get(row.sectionId)!, row);
      }
      const controlPoints = new Map<string, DoorStatistics['byControlPoint'][number]>();
      for (const p of points) {
        const key = String(p.control_point_id);
        if (!controlPoints.has(key)) controlPoints.set(key, { controlPointId: p.control_point_id, name: p.name, admitted: 0, exited: 0, rejected: 0 });
        const entry = controlPoints.get(key)!;
        if (p.result !== 'admitted') entry.rejected += toCount(p.n);
        else if (p.direction === 'in') entry.admitted += toCount(p.n);
        else entry.exited += toCount(p.n);
      }
      const bucketMs = bucketMinutes * 60_000;
      const buckets = new Map<number, number>();
      for (const { scanned_at } of times) {
        const start = Math.floor(new Date(toIso(scanned_at)!).getTime() / bucketMs) * bucketMs;
        buckets.set(start, (buckets.get(start) ?? 0) + 1);
      }
      return {
        eventId: scope.eventId,
        totals,
        byTariff,
        byDate: [...dates.values()].sort((a, b) => a.dateId - b.dateId),
        bySection: [...sections.values()].sort((a, b) => a.sectionId - b.sectionId),
        byControlPoint: [...controlPoints.values()].sort((a, b) => (a.controlPointId ?? 0) - (b.controlPointId ?? 0)),
        arrivals: [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([from, admitted]) => ({ from: new Date(from).toISOString(), admitted })),
        bucketMinutes,
      };
    },
  };
  const statistics = service.statistics;
  return service;
}
