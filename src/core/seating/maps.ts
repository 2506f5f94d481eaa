import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { toIso } from '../../db/quirks.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { venues } from '../catalog/repository.ts';
import { validateMapDocument, type MapDocument } from './format.ts';
import { seatingRepository as repo, type SeatMapRow, type SeatMapVersionRow } from './repository.ts';

export interface SeatMap {
  id: number;
  venueId: number | null;
  name: string;
  /** The latest version; every earlier one stays as it was (dates keep the version they use). */
  version: number;
  seatCount: number;
  /** The document of the version read (the latest unless one was asked for). */
  document: MapDocument;
  createdAt: string;
  updatedAt: string;
}

export interface SeatMapInput {
  name: string;
  venueId?: number | null;
  document: unknown;
}

function present(map: SeatMapRow, version: SeatMapVersionRow): SeatMap {
  return {
    id: map.id,
    venueId: map.venue_id,
    name: map.name,
    version: version.version,
    seatCount: version.seat_count,
    document: JSON.parse(version.document),
    createdAt: toIso(map.created_at)!,
    updatedAt: toIso(map.updated_at)!,
  };
}

/** Seat maps: uploaded as JSON documents, validated, versioned (a change is a new version). */
export function mapService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  async function checkVenue(principal: Principal, venueId: number | null | undefined) {
    if (venueId === undefined || venueId === null) return;
    if (!(await venues.get(database.db, principal.organizationId, venueId))) throw invalid('venue_id', 'is not one of your venues');
  }

  async function load(principal: Principal, id: number, version?: number): Promise<SeatMap> {
    requireScope(principal, 'sell', 'admin');
    const map = await repo.map(database.db, principal.organizationId, id);
    if (!map) throw notFound('Map');
    const row = await repo.version(database.db, principal.organizationId, id, version ?? map.version);
    if (!row) throw notFound('Map version');
    return { ...present(map, row), version: row.version };
  }

  return {
    async create(principal: Principal, input: SeatMapInput): Promise<SeatMap> {
      requireScope(principal, 'sell', 'admin');
      const valid = validateMapDocument(input.document);
      await checkVenue(principal, input.venueId);
      const t = now();
      return database.transaction(async (trx) => {
        const map = await repo.insertMap(trx, { organization_id: principal.organizationId, venue_id: input.venueId ?? null, name: input.name, version: 1, created_at: t, updated_at: t });
        const version = await repo.insertVersion(trx, {
          organization_id: principal.organizationId, map_id: map.id, version: 1, document: JSON.stringify(valid.document), seat_count: valid.seats.length, created_at: t,
        });
        return present(map, version);
      });
    },

    read: load,

    async list(principal: Principal, page: Page, filter: { venueId?: number } = {}): Promise<Paged<Omit<SeatMap, 'document'>>> {
      requireScope(principal, 'sell', 'admin');
      const { rows, total } = await repo.listMaps(database.db, principal.organizationId, page, filter);
      const items = [];
      for (const map of rows) {
        const version = (await repo.version(database.db, principal.organizationId, map.id, map.version))!;
        const { document: _document, ...rest } = present(map, version);
        items.push(rest);
      }
      return { items, total };
    },

    /**
     * Changes a map: a new version (the document, when given, is validated again). Dates keep the
     * version they were laid out from: what was sold is never moved.
     */
    async update(principal: Principal, id: number, changes: Partial<SeatMapInput>): Promise<SeatMap> {
      requireScope(principal, 'sell', 'admin');
      const valid = changes.document !== undefined ? validateMapDocument(changes.document) : null;
      await checkVenue(principal, changes.venueId);
      const t = now();
      return database.transaction(async (trx) => {
        const map = await repo.map(trx, principal.organizationId, id);
        if (!map) throw notFound('Map');
        const previous = (await repo.version(trx, principal.organizationId, id, map.version))!;
        const bumped = await repo.bumpVersion(trx, principal.organizationId, id, map.version, {
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.venueId !== undefined ? { venue_id: changes.venueId } : {}),
          updated_at: t,
        });
        if (!bumped) throw new DomainError('CONFLICT', 'The map was changed at the same time; read it again');
        const version = await repo.insertVersion(trx, {
          organization_id: principal.organizationId,
          map_id: id,
          version: bumped.version,
          document: valid ? JSON.stringify(valid.document) : previous.document,
          seat_count: valid ? valid.seats.length : previous.seat_count,
          created_at: t,
        });
        return present(bumped, version);
      });
    },

    /** Deletes a map no date uses. */
    async remove(principal: Principal, id: number): Promise<void> {
      requireScope(principal, 'sell', 'admin');
      await database.transaction(async (trx) => {
        if (!(await repo.map(trx, principal.organizationId, id))) throw notFound('Map');
        if (await repo.mapInUse(trx, principal.organizationId, id)) throw new DomainError('IN_USE', 'A date uses this map');
        await repo.removeMap(trx, principal.organizationId, id);
      });
    },
  };
}

export type MapService = ReturnType<typeof mapService>;
