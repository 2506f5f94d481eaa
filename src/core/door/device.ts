import type { CoreContext } from '../context.ts';
import { invalid, notFound } from '../errors.ts';
import { fromFlag, toCount, toIso } from '../../db/quirks.ts';
import type { Principal } from '../identity/principal.ts';
import { signingKey } from '../selling/tickets.ts';
import { doorRepository as repo } from './repository.ts';
import type { DoorScope, ScanService } from './scans.ts';
import type { ControlPointService } from './control-points.ts';
import { formatCursor, currentCursor } from './sync.ts';

/**
 * What a door device (the /door web app, or any scanning app) keeps to answer without a network:
 * the event it admits to with every date, section and tariff by name (to explain a refusal and to
 * show the holder's section and tariff), the organization's public key in the forms WebCrypto
 * imports, its scan settings; then a compact snapshot of the valid tickets; and light counters.
 */
export interface DoorBriefing {
  event: { id: number; title: string; timeZone: string; reentryAllowed: boolean; organizationName: string };
  /** Every date of the event (a ticket of another date is `wrong_date`, of no date here `wrong_event`). */
  dates: { id: number; startsAt: string; localStartsAt: string | null }[];
  sections: { id: number; name: string }[];
  tariffs: { id: number; sectionId: number; label: string }[];
  /** What this credential admits to (null: all). */
  sectionIds: readonly number[] | null;
  dateIds: readonly number[] | null;
  /** The organization's Ed25519 public key: raw (base64url), as a JWK, and PEM (SPKI). */
  publicKey: { algorithm: 'Ed25519'; raw: string; jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string }; pem: string };
  settings: Record<string, string>;
}

/** Column order of a snapshot's rows (each row is an array, so 50,000 tickets stay a few MB). */
export const SNAPSHOT_COLUMNS = ['id', 'barcode', 'version', 'date_id', 'section_id', 'tariff_id', 'holder_name', 'door_state', 'admitted_at', 'admitted_where'] as const;
export type SnapshotRow = [number, string, number, number, number, number | null, string | null, string, string | null, string | null];

export interface DoorCountersView {
  /** The event within this credential's sections and dates: valid tickets, ever admitted, in now. */
  event: { total: number; admitted: number; inside: number };
  /** One control point's scans (when asked for one). */
  controlPoint: { id: number; admitted: number; exited: number; rejected: number } | null;
}

export const MAX_SNAPSHOT_PAGE = 20000;

export function doorDeviceService(ctx: CoreContext, scans: ScanService, controlPoints: ControlPointService) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();
  const inScope = (scope: DoorScope) => (r: { date_id: number; section_id: number }) =>
    (!scope.sectionIds || scope.sectionIds.includes(r.section_id)) && (!scope.dateIds || scope.dateIds.includes(r.date_id));

  return {
    async briefing(principal: Principal, eventId: number | null | undefined): Promise<DoorBriefing> {
      const scope = await scans.scopeOf(principal, eventId);
      const org = principal.organizationId;
      const event = await repo.deviceEvent(database.db, org, scope.eventId);
      if (!event) throw notFound('Event');
      const [dates, sections, tariffs, key, values] = await Promise.all([
        repo.eventDates(database.db, org, scope.eventId),
        repo.sectionNames(database.db, org, scope.eventId),
        repo.eventTariffs(database.db, org, scope.eventId),
        signingKey(database.db, org, now()),
        controlPoints.settings(principal),
      ]);
      return {
        event: { id: event.id, title: event.title, timeZone: event.time_zone, reentryAllowed: fromFlag(event.reentry_allowed), organizationName: event.organization_name },
        dates: dates.map((d) => ({ id: d.id, startsAt: toIso(d.starts_at)!, localStartsAt: d.local_starts_at })),
        sections: sections.map((s) => ({ id: s.id, name: s.name })),
        tariffs: tariffs.map((t) => ({ id: t.id, sectionId: t.section_id, label: t.label })),
        sectionIds: scope.sectionIds,
        dateIds: scope.dateIds,
        publicKey: { algorithm: 'Ed25519', raw: key.publicKeyRaw, jwk: { kty: 'OKP', crv: 'Ed25519', x: key.publicKeyRaw }, pem: key.publicKeyPem },
        settings: values,
      };
    },

    /**
     * The valid tickets of the caller's scope as compact rows, by id pages (`after`: the previous
     * page's `nextAfter`). The cursor is read before the rows, so deltas from the first page's cursor
     * (`/door/changes`) cover whatever changed during the download.
     */
    async snapshot(principal: Principal, eventId: number | null | undefined, options: { after?: number; limit?: number } = {}) {
      const scope = await scans.scopeOf(principal, eventId);
      const limit = options.limit ?? 5000;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SNAPSHOT_PAGE) throw invalid('limit', `must be a whole number from 1 to ${MAX_SNAPSHOT_PAGE}`);
      const cursor = formatCursor(await currentCursor(database));
      const rows = await repo.snapshotTickets(database.db, principal.organizationId, scope.eventId, scope, options.after ?? 0, limit);
      return {
        eventId: scope.eventId,
        cursor,
        columns: SNAPSHOT_COLUMNS,
        rows: rows.map((r): SnapshotRow => [r.id, r.barcode, r.version, r.date_id, r.section_id, r.tariff_id, r.holder_name, r.door_state, toIso(r.admitted_at), r.control_point_name ?? r.device ?? null]),
        nextAfter: rows.length === limit ? rows[rows.length - 1].id : null,
      };
    },

    /** Counters a gate shows when online: the event's (within scope) and, if named, one control point's. */
    async counters(principal: Principal, eventId: number | null | undefined, controlPointId?: number): Promise<DoorCountersView> {
      const scope = await scans.scopeOf(principal, eventId);
      const org = principal.organizationId;
      if (controlPointId !== undefined) await controlPoints.read(principal, controlPointId); // 404 unless the caller's
      const [counts, points] = await Promise.all([
        repo.ticketCounts(database.db, org, scope.eventId),
        controlPointId === undefined ? Promise.resolve([]) : repo.scanCountsByControlPoint(database.db, org, scope.eventId),
      ]);
      const event = { total: 0, admitted: 0, inside: 0 };
      for (const row of counts.filter(inScope(scope))) {
        event.total += toCount(row.total);
        event.admitted += toCount(row.scanned);
        event.inside += toCount(row.in_count);
      }
      let controlPoint: DoorCountersView['controlPoint'] = null;
      if (controlPointId !== undefined) {
        controlPoint = { id: controlPointId, admitted: 0, exited: 0, rejected: 0 };
        for (const row of points) {
          if (row.control_point_id !== controlPointId) continue;
          const n = toCount(row.n);
          if (row.result !== 'admitted') controlPoint.rejected += n;
          else if (row.direction === 'out') controlPoint.exited += n;
          else controlPoint.admitted += n;
        }
      }
      return { event, controlPoint };
    },
  };
}

export type DoorDeviceService = ReturnType<typeof doorDeviceService>;
