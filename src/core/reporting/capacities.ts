import { sql } from 'kysely';
import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { events } from '../catalog/repository.ts';
import type { Db } from '../../db/database.ts';

/**
 * Capacities per date and section, read from the inventory rows themselves (so they agree with
 * what selling enforces at every moment): total capacity, kills (places removed from sale), comps,
 * organizer holds, sellable capacity (capacity − kills − comps − holds), and how the rest is used.
 */
export interface CapacityFigures {
  dateId: number;
  sectionId: number;
  capacity: number;
  kills: number;
  comps: number;
  organizerHolds: number;
  /** capacity − kills − comps − organizer holds: what can be sold at all. */
  sellable: number;
  /** Sold and not refunded. */
  sold: number;
  /** Held right now in carts and orders awaiting payment. */
  held: number;
  /** What can still be taken now. */
  available: number;
}

export interface CapacityChange { capacity?: number; kills?: number; organizerHolds?: number }

const capacityRepository = {
  /** The inventory rows of an event with the places their holds count (all, and those past expiry). */
  rows(db: Db, organizationId: number, eventId: number, dateId: number | undefined, now: string) {
    let query = db
      .selectFrom('section_capacities as c')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('cart_items')
            .select([
              'capacity_id',
              sql<number>`sum(quantity)`.as('held_all'),
              sql<number>`sum(case when expires_at <= ${now} then quantity else 0 end)`.as('held_expired'),
            ])
            .where('organization_id', '=', organizationId)
            .where('status', '=', 'held')
            .groupBy('capacity_id')
            .as('h'),
        (join) => join.onRef('h.capacity_id', '=', 'c.id'),
      )
      .select(['c.date_id', 'c.section_id', 'c.capacity', 'c.kills', 'c.comps', 'c.organizer_holds', 'c.taken', 'h.held_all', 'h.held_expired'])
      .where('c.organization_id', '=', organizationId)
      .where('c.event_id', '=', eventId);
    if (dateId !== undefined) query = query.where('c.date_id', '=', dateId);
    return query.orderBy('c.date_id').orderBy('c.section_id').execute();
  },
  /** Sets capacity, kills and organizer holds, only if what is already taken still fits. */
  async adjust(db: Db, organizationId: number, eventId: number, dateId: number, sectionId: number, change: CapacityChange) {
    const { capacity, kills, organizerHolds: holds } = change;
    const result = await db
      .updateTable('section_capacities')
      .set({ ...(capacity !== undefined ? { capacity } : {}), ...(kills !== undefined ? { kills } : {}), ...(holds !== undefined ? { organizer_holds: holds } : {}) })
      .where('organization_id', '=', organizationId)
      .where('event_id', '=', eventId)
      .where('date_id', '=', dateId)
      .where('section_id', '=', sectionId)
      .where(sql<boolean>`taken + ${kills ?? sql.ref('kills')} + ${holds ?? sql.ref('organizer_holds')} <= ${capacity ?? sql.ref('capacity')}`)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
  exists(db: Db, organizationId: number, eventId: number, dateId: number, sectionId: number) {
    return db
      .selectFrom('section_capacities')
      .select(['capacity', 'taken', 'kills', 'organizer_holds'])
      .where('organization_id', '=', organizationId)
      .where('event_id', '=', eventId)
      .where('date_id', '=', dateId)
      .where('section_id', '=', sectionId)
      .executeTakeFirst();
  },
};

export function capacityService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  async function list(principal: Principal, eventId: number, dateId?: number): Promise<CapacityFigures[]> {
    requireScope(principal, 'sell', 'admin');
    if (!(await events.get(database.db, principal.organizationId, eventId))) throw notFound('Event');
    const rows = await capacityRepository.rows(database.db, principal.organizationId, eventId, dateId, now());
    return rows.map((r) => {
      const heldAll = Number(r.held_all ?? 0);
      const expired = Number(r.held_expired ?? 0);
      return {
        dateId: r.date_id,
        sectionId: r.section_id,
        capacity: r.capacity,
        kills: r.kills,
        comps: r.comps,
        organizerHolds: r.organizer_holds,
        sellable: r.capacity - r.kills - r.comps - r.organizer_holds,
        // `taken` counts sold + comps + every hold not yet given back (expired ones included).
        sold: r.taken - r.comps - heldAll,
        held: heldAll - expired,
        available: Math.max(0, r.capacity - r.kills - r.organizer_holds - r.taken + expired),
      };
    });
  }

  return {
    list,

    /**
     * Sets the capacity, kills and organizer holds of a section on a date, in one conditional
     * update of the inventory row. Refused (409) when the places already sold, held or given away
     * would no longer fit: withdrawing places never oversells.
     */
    async adjust(principal: Principal, eventId: number, dateId: number, sectionId: number, input: CapacityChange): Promise<CapacityFigures> {
      requireScope(principal, 'admin');
      for (const [field, value] of [['capacity', input.capacity], ['kills', input.kills], ['organizer_holds', input.organizerHolds]] as const) {
        if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw invalid(field, 'must be a non-negative integer');
      }
      if (input.capacity === undefined && input.kills === undefined && input.organizerHolds === undefined) throw invalid('capacity', 'give capacity, kills or organizer_holds');
      await database.transaction(async (trx) => {
        if (!(await capacityRepository.adjust(trx, principal.organizationId, eventId, dateId, sectionId, input))) {
          const row = await capacityRepository.exists(trx, principal.organizationId, eventId, dateId, sectionId);
          if (!row) throw notFound('Capacity');
          throw new DomainError('CONFLICT', 'The places already taken would no longer fit in this capacity', {
            capacity: row.capacity, taken: row.taken, kills: row.kills, organizer_holds: row.organizer_holds,
          });
        }
      });
      return (await list(principal, eventId, dateId)).find((c) => c.sectionId === sectionId)!;
    },
  };
}

export type CapacityService = ReturnType<typeof capacityService>;
