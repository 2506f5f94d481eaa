import { sql } from 'kysely';
import type { CoreContext } from '../context.ts';
import { invalid, notFound } from '../errors.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { events } from '../catalog/repository.ts';
import { changePlacesByNumber, type PlacesChange } from '../catalog/section-places.ts';
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

/** A change of a section's places on one date by number (the catalog's rule: refused on a seated section). */
export type CapacityChange = PlacesChange;

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
     * would no longer fit: withdrawing places never oversells; refused (409) too on a section
     * seated on that date, whose places change seat by seat (catalog/section-places.ts).
     */
    async adjust(principal: Principal, eventId: number, dateId: number, sectionId: number, input: CapacityChange): Promise<CapacityFigures> {
      requireScope(principal, 'admin');
      for (const [field, value] of [['capacity', input.capacity], ['kills', input.kills], ['organizer_holds', input.organizerHolds]] as const) {
        if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw invalid(field, 'must be a non-negative integer');
      }
      if (input.capacity === undefined && input.kills === undefined && input.organizerHolds === undefined) throw invalid('capacity', 'give capacity, kills or organizer_holds');
      await database.transaction((trx) => changePlacesByNumber(trx, principal.organizationId, eventId, dateId, sectionId, input, { fit: true }));
      return (await list(principal, eventId, dateId)).find((c) => c.sectionId === sectionId)!;
    },
  };
}

export type CapacityService = ReturnType<typeof capacityService>;
