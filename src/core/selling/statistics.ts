import type { CoreContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { toCount } from '../../db/quirks.ts';
import type { Db } from '../../db/database.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { events } from '../catalog/repository.ts';

/** Orders counted as sales: paid, whether or not partly refunded later. */
const SOLD = ['paid', 'refunded', 'partially_refunded'];

/** SQL of the sales figures; every query filtered by the organization. */
const statisticsRepository = {
  async figures(db: Db, organizationId: number, eventId?: number) {
    let lines = db
      .selectFrom('order_lines')
      .innerJoin('orders', 'orders.id', 'order_lines.order_id')
      .where('order_lines.organization_id', '=', organizationId)
      .where('orders.status', 'in', SOLD);
    if (eventId !== undefined) lines = lines.where('order_lines.event_id', '=', eventId);
    let capacity = db.selectFrom('section_capacities').where('organization_id', '=', organizationId);
    if (eventId !== undefined) capacity = capacity.where('event_id', '=', eventId);
    let tickets = db.selectFrom('tickets').where('organization_id', '=', organizationId).where('status', '=', 'valid');
    if (eventId !== undefined) tickets = tickets.where('event_id', '=', eventId);
    const [sales, places, issued, eventCount] = await Promise.all([
      lines.select((eb) => [eb.fn.count('orders.id').distinct().as('orders'), eb.fn.sum('order_lines.total').as('revenue')]).executeTakeFirstOrThrow(),
      capacity.select((eb) => eb.fn.sum('capacity').as('capacity')).executeTakeFirstOrThrow(),
      tickets.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      db.selectFrom('events').where('organization_id', '=', organizationId).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      orders: toCount(sales.orders as number),
      revenue: toCount(sales.revenue as number | null),
      capacity: toCount(places.capacity as number | null),
      tickets: toCount(issued.n as number),
      events: toCount(eventCount.n as number),
    };
  },
  async sections(db: Db, organizationId: number, eventId: number) {
    const [places, tickets] = await Promise.all([
      db.selectFrom('section_capacities').where('organization_id', '=', organizationId).where('event_id', '=', eventId)
        .select((eb) => ['section_id', eb.fn.sum('capacity').as('capacity'), eb.fn.sum('taken').as('taken'), eb.fn.sum('kills').as('kills'), eb.fn.sum('organizer_holds').as('organizer_holds')]).groupBy('section_id').execute(),
      db.selectFrom('tickets').where('organization_id', '=', organizationId).where('event_id', '=', eventId).where('status', '=', 'valid')
        .select((eb) => ['section_id', eb.fn.countAll().as('n')]).groupBy('section_id').execute(),
    ]);
    return { places, tickets };
  },
};

export interface SectionFigures {
  /** Places over every date of the event. */
  capacity: number;
  /** Sold, held and given places. */
  taken: number;
  /** Tickets issued and not cancelled. */
  sold: number;
  /** Places still for sale: capacity less kills, organizer holds and what is taken (the inventory's rule). */
  remaining: number;
}

export interface SalesFigures {
  /** Places over every date and section. */
  capacity: number;
  /** Paid orders. */
  orders: number;
  /** Sum of paid order lines, minor units of the organization's currency. */
  revenue: number;
  /** Valid tickets. */
  tickets: number;
}

/** Sales figures of one event or of a whole organization, for its sellers. */
export function statisticsService(ctx: CoreContext) {
  const { database } = ctx;
  return {
    async event(principal: Principal, eventId: number): Promise<SalesFigures> {
      requireScope(principal, 'sell', 'admin');
      if (!(await events.get(database.db, principal.organizationId, eventId))) throw notFound('Event');
      const { events: _events, ...figures } = await statisticsRepository.figures(database.db, principal.organizationId, eventId);
      return figures;
    },
    /** Capacity, places taken and tickets sold per section of an event the caller has already been allowed to read. */
    async sections(principal: Principal, eventId: number): Promise<Map<number, SectionFigures>> {
      const { places, tickets } = await statisticsRepository.sections(database.db, principal.organizationId, eventId);
      const sold = new Map(tickets.map((t) => [t.section_id, toCount(t.n as number)]));
      return new Map(
        places.map((p) => {
          const [capacity, taken] = [toCount(p.capacity as number), toCount(p.taken as number)];
          const withdrawn = toCount(p.kills as number) + toCount(p.organizer_holds as number);
          return [p.section_id, { capacity, taken, sold: sold.get(p.section_id) ?? 0, remaining: Math.max(0, capacity - withdrawn - taken) }];
        }),
      );
    },
    async organization(principal: Principal): Promise<SalesFigures & { events: number }> {
      requireScope(principal, 'sell', 'admin');
      return statisticsRepository.figures(database.db, principal.organizationId);
    },
  };
}
