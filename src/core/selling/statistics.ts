import type { CoreContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { toCount } from '../../db/quirks.ts';
import type { Db } from '../../db/database.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { events } from '../catalog/repository.ts';
import type { Event } from '../catalog/events.ts';
import { saleWindow } from './carts.ts';

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
  /** Places per (date, section), tickets per (date, tariff), quota use per (date, tariff) of one event. */
  async offers(db: Db, organizationId: number, eventId: number) {
    const [places, tickets, quotas] = await Promise.all([
      db.selectFrom('section_capacities').where('organization_id', '=', organizationId).where('event_id', '=', eventId)
        .select(['date_id', 'section_id', 'capacity', 'taken', 'kills', 'organizer_holds']).execute(),
      db.selectFrom('tickets').where('organization_id', '=', organizationId).where('event_id', '=', eventId).where('status', '=', 'valid')
        .select((eb) => ['date_id', 'tariff_id', eb.fn.countAll().as('n')]).groupBy(['date_id', 'tariff_id']).execute(),
      db.selectFrom('tariff_quotas').innerJoin('tariffs', 'tariffs.id', 'tariff_quotas.tariff_id')
        .where('tariff_quotas.organization_id', '=', organizationId).where('tariffs.event_id', '=', eventId)
        .select(['tariff_quotas.date_id', 'tariff_quotas.tariff_id', 'tariff_quotas.taken']).execute(),
    ]);
    return { places, tickets, quotas };
  },
};

/**
 * One thing a buyer can be sold: a tariff of a section on one date of an event, with its figures.
 * Dialects whose events have one date and whose sections have one price (TickeTing) present each
 * date as an event and each tariff as a section, and sell exactly the offer they show.
 */
export interface Offer {
  dateId: number;
  sectionId: number;
  tariffId: number;
  price: number;
  /** The tariff's sale window on this date (its own, else the event's; it ends when the date starts at the latest). */
  saleStartsAt: string | null;
  saleEndsAt: string;
  /** On sale now: the date is scheduled and the instant is inside the window. */
  onSale: boolean;
  /** Places of the section on this date (shared by the section's tariffs). */
  capacity: number;
  /** Valid tickets of this tariff on this date. */
  sold: number;
  /** Places of the section on this date held or sold, whatever the tariff. */
  taken: number;
  /** What this tariff can still sell on this date: the section's places left, capped by the tariff's quota. */
  remaining: number;
}

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
    /** Every (date, tariff) offer of an event the caller has already been allowed to read, in date then tariff order. */
    async offers(principal: Principal, event: Event): Promise<Offer[]> {
      const { places, tickets, quotas } = await statisticsRepository.offers(database.db, principal.organizationId, event.id);
      const now = ctx.clock().toISOString();
      const offers: Offer[] = [];
      for (const date of event.dates) {
        for (const tariff of event.tariffs) {
          const place = places.find((p) => p.date_id === date.id && p.section_id === tariff.sectionId);
          const capacity = place?.capacity ?? 0;
          const taken = place?.taken ?? 0;
          let remaining = Math.max(0, capacity - (place?.kills ?? 0) - (place?.organizer_holds ?? 0) - taken);
          if (tariff.quota !== null) remaining = Math.min(remaining, Math.max(0, tariff.quota - (quotas.find((q) => q.date_id === date.id && q.tariff_id === tariff.id)?.taken ?? 0)));
          const window = saleWindow(tariff, event, date.startsAt);
          offers.push({
            dateId: date.id,
            sectionId: tariff.sectionId,
            tariffId: tariff.id,
            price: tariff.price,
            saleStartsAt: window.startsAt,
            saleEndsAt: window.endsAt,
            onSale: date.status === 'scheduled' && (!window.startsAt || window.startsAt <= now) && now < window.endsAt,
            capacity,
            sold: toCount((tickets.find((t) => t.date_id === date.id && t.tariff_id === tariff.id)?.n ?? 0) as number),
            taken,
            remaining,
          });
        }
      }
      return offers;
    },
    async organization(principal: Principal): Promise<SalesFigures & { events: number }> {
      requireScope(principal, 'sell', 'admin');
      return statisticsRepository.figures(database.db, principal.organizationId);
    },
  };
}
