import type { CoreContext } from '../context.ts';
import { admissionTokenService } from './tokens.ts';
import { controlPointService } from './control-points.ts';
import { scanService } from './scans.ts';
import { doorSyncService } from './sync.ts';
import { doorStatisticsService } from './statistics.ts';
import { doorRepository } from './repository.ts';
import { doorDeviceService } from './device.ts';
import type { Principal } from '../identity/principal.ts';
import { toIso } from '../../db/quirks.ts';

export type { AdmissionToken, DoorSession } from './tokens.ts';
export type { ControlPoint } from './control-points.ts';
export type { ScanInput, ScanResult, Scan, ScanConflict, DoorTicket, RejectReason, ScanDirection } from './scans.ts';
export type { DoorChange } from './sync.ts';
export type { DoorStatistics, DoorCounts } from './statistics.ts';
export type { DoorBriefing, DoorCountersView, SnapshotRow } from './device.ts';
export { SNAPSHOT_COLUMNS, MAX_SNAPSHOT_PAGE } from './device.ts';
export { opensDate } from './tokens.ts';

/**
 * The door (DESIGN §5): admission tokens and door credentials, control points and scan settings,
 * exactly-once scans, offline download and delta sync, statistics. Every dialect's door goes
 * through these services.
 */
export function doorService(ctx: CoreContext) {
  const scans = scanService(ctx);
  const sync = doorSyncService(ctx, scans);
  const statistics = doorStatisticsService(ctx, scans);
  const controlPoints = controlPointService(ctx);
  return {
    tokens: admissionTokenService(ctx),
    controlPoints,
    /** What a door device keeps offline (briefing, compact snapshot) and its counters. */
    device: doorDeviceService(ctx, scans, controlPoints),
    scans,
    sync,
    statistics: statistics.statistics,
    tariffCounts: statistics.tariffCounts,
    /**
     * The door state of some tickets of the caller's organization (for participant lists):
     * state, when admitted, and where (control point or device).
     */
    async ticketStates(principal: Principal, ticketIds: number[]) {
      const rows = await doorRepository.ticketDoorStates(ctx.database.db, principal.organizationId, ticketIds);
      return new Map(
        rows.map((r) => [
          r.id,
          {
            doorState: r.door_state as 'none' | 'in' | 'out',
            admittedAt: toIso(r.admitted_at),
            exitedAt: toIso(r.exited_at),
            controlPointId: r.control_point_id,
            controlPointName: r.control_point_name,
            device: r.device,
          },
        ]),
      );
    },
  };
}

export type DoorService = ReturnType<typeof doorService>;
