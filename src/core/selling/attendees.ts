
import type { CoreContext } from '../context.ts';
import { notFound } from '../errors.ts';
import type { Page } from '../pagination.ts';
import { toCount, toIso } from '../../db/quirks.ts';
import type { Db } from '../../db/database.ts';
import { type Principal, requireScope } from '../identity/principal.ts';

/**
 * Attendees: the organization's tickets seen as the people who will come — what access-control
 * apps, CRM connectors and notifiers synchronise. One entry per ticket, sold or comp, with its
 * holder, its order (buyer, reference, discount code), its sales channel and, on request, the
 * answers given at checkout. Incremental sync reads tickets changed since an instant: every change
 * of a ticket (payment, refund, cancellation, transfer, personalization) bumps its `updated_at`.
 */
export type AttendeeState = 'valid' | 'unpaid' | 'withdrawn';

export interface AttendeeFilter {
  eventIds?: number[];
  /** Tickets on any of these tariffs, or on any of these (date, tariff) pairs. */
  tariffIds?: number[];
  dateTariffs?: { dateId: number; tariffIds: number[] }[];
  /** Order numbers. */
  orderNumbers?: string[];
  /** Changed after this instant (ISO); changed at or before that one (the two split a timeline without overlap). */
  changedSince?: string;
  changedBefore?: string;
  includeWithdrawn?: boolean;
  onlyWithdrawn?: boolean;
  includeUnpaid?: boolean;
}

export interface Attendee {
  ticketId: number;
  eventId: number;
  dateId: number;
  sectionId: number;
  tariffId: number | null;
  kind: 'sale' | 'comp';
  status: string;
  state: AttendeeState;
  barcode: string;
  holderName: string | null;
  holderEmail: string | null;
  /** The event's IANA time zone, for local times. */
  timeZone: string;
  orderId: number | null;
  orderNumber: string | null;
  buyerName: string | null;
  buyerEmail: string | null;
  discountCode: string | null;
  /** Kind of the sales channel the ticket was sold through; null for comps. */
  channelKind: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AttendeeAnswer { label: string; value: string; ticketId: number | null }

const WITHDRAWN = ['refunded', 'cancelled'];

const stateOf = (status: string): AttendeeState => (status === 'valid' ? 'valid' : status === 'pending' ? 'unpaid' : 'withdrawn');

/** The SQL of attendee lists; every query takes the organization. */
const attendeeRepository = {
  filtered(db: Db, organizationId: number, filter: AttendeeFilter) {
    let query = db
      .selectFrom('tickets')
      .innerJoin('events', 'events.id', 'tickets.event_id')
      .leftJoin('orders', 'orders.id', 'tickets.order_id')
      .leftJoin('discount_codes', 'discount_codes.id', 'orders.code_id')
      .leftJoin('sales_channels', 'sales_channels.id', 'orders.channel_id')
      .where('tickets.organization_id', '=', organizationId);
    if (filter.eventIds) query = query.where('tickets.event_id', 'in', filter.eventIds.length ? filter.eventIds : [-1]);
    if (filter.tariffIds || filter.dateTariffs) {
      const tariffIds = filter.tariffIds ?? [];
      const pairs = (filter.dateTariffs ?? []).filter((p) => p.tariffIds.length > 0);
      query = query.where((eb) =>
        eb.or([
          ...(tariffIds.length ? [eb('tickets.tariff_id', 'in', tariffIds)] : []),
          ...pairs.map((p) => eb.and([eb('tickets.date_id', '=', p.dateId), eb('tickets.tariff_id', 'in', p.tariffIds)])),
          ...(tariffIds.length === 0 && pairs.length === 0 ? [eb('tickets.id', '=', -1)] : []),
        ]),
      );
    }
    if (filter.orderNumbers) query = query.where('orders.number', 'in', filter.orderNumbers.length ? filter.orderNumbers : ['']);
    if (filter.changedSince) query = query.where('tickets.updated_at', '>', filter.changedSince);
    if (filter.changedBefore) query = query.where('tickets.updated_at', '<=', filter.changedBefore);
    const statuses = filter.onlyWithdrawn ? [...WITHDRAWN] : ['valid', ...(filter.includeUnpaid ? ['pending'] : []), ...(filter.includeWithdrawn ? WITHDRAWN : [])];
    if (filter.onlyWithdrawn && filter.includeUnpaid) statuses.push('pending');
    return query.where('tickets.status', 'in', statuses);
  },
  page(db: Db, organizationId: number, filter: AttendeeFilter, page: Page) {
    return attendeeRepository
      .filtered(db, organizationId, filter)
      .select([
        'tickets.id', 'tickets.event_id', 'tickets.date_id', 'tickets.section_id', 'tickets.tariff_id', 'tickets.kind', 'tickets.status',
        'tickets.barcode', 'tickets.holder_name', 'tickets.holder_email', 'tickets.order_id', 'tickets.created_at', 'tickets.updated_at',
        'events.time_zone', 'orders.number as order_number', 'orders.buyer_name', 'orders.buyer_email',
        'discount_codes.code as discount_code', 'sales_channels.kind as channel_kind',
      ])
      .orderBy('tickets.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
  },
  /** How many matches are valid and how many withdrawn (whatever the status filter says). */
  async counts(db: Db, organizationId: number, filter: AttendeeFilter) {
    const rows = await attendeeRepository
      .filtered(db, organizationId, { ...filter, includeWithdrawn: true, onlyWithdrawn: false, includeUnpaid: true })
      .select(['tickets.status', (eb) => eb.fn.countAll().as('n')])
      .groupBy('tickets.status')
      .execute();
    const count = (statuses: string[]) => rows.filter((r) => statuses.includes(r.status)).reduce((sum, r) => sum + toCount(r.n as number), 0);
    return { valid: count(['valid']), unpaid: count(['pending']), withdrawn: count(WITHDRAWN) };
  },
  answers(db: Db, organizationId: number, orderIds: number[]) {
    if (orderIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('answers')
      .innerJoin('questions', 'questions.id', 'answers.question_id')
      .select(['answers.order_id', 'answers.ticket_id', 'answers.value', 'questions.label', 'questions.kind'])
      .where('answers.organization_id', '=', organizationId)
      .where('answers.order_id', 'in', orderIds)
      .orderBy('questions.position')
      .orderBy('answers.id')
      .execute();
  },
  ticket(db: Db, organizationId: number, id: number) {
    return db.selectFrom('tickets').select(['id', 'order_id']).where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  },
  /** Valid tickets per event, tariff and date of a set of events (what is sold or given). */
  validCounts(db: Db, organizationId: number, eventIds: number[]) {
    if (eventIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('tickets')
      .select(['event_id', 'tariff_id', 'date_id', (eb) => eb.fn.countAll().as('n')])
      .where('organization_id', '=', organizationId)
      .where('event_id', 'in', eventIds)
      .where('status', '=', 'valid')
      .groupBy(['event_id', 'tariff_id', 'date_id'])
      .execute();
  },
};

const answerValue = (kind: string, value: string) => (kind === 'checkbox' ? (value === 'true' ? 'Oui' : 'Non') : value);

export function attendeeService(ctx: CoreContext) {
  const { database } = ctx;
  const reader = (principal: Principal) => requireScope(principal, 'sell', 'admin');

  return {
    /** One window of the attendees matching a filter, in ticket order. */
    async list(principal: Principal, filter: AttendeeFilter, page: Page): Promise<Attendee[]> {
      reader(principal);
      const rows = await attendeeRepository.page(database.db, principal.organizationId, filter, page);
      return rows.map((r) => ({
        ticketId: r.id,
        eventId: r.event_id,
        dateId: r.date_id,
        sectionId: r.section_id,
        tariffId: r.tariff_id,
        kind: r.kind as Attendee['kind'],
        status: r.status,
        state: stateOf(r.status),
        barcode: r.barcode,
        holderName: r.holder_name,
        holderEmail: r.holder_email,
        timeZone: r.time_zone,
        orderId: r.order_id,
        orderNumber: r.order_number,
        buyerName: r.buyer_name,
        buyerEmail: r.buyer_email,
        discountCode: r.discount_code,
        channelKind: r.channel_kind,
        createdAt: toIso(r.created_at)!,
        updatedAt: toIso(r.updated_at)!,
      }));
    },

    async counts(principal: Principal, filter: AttendeeFilter) {
      reader(principal);
      return attendeeRepository.counts(database.db, principal.organizationId, filter);
    },

    /** Answers given at checkout for these orders: per ticket (ticketId) and per order (ticketId null). */
    async answersOfOrders(principal: Principal, orderIds: number[]): Promise<Map<number, AttendeeAnswer[]>> {
      reader(principal);
      const rows = await attendeeRepository.answers(database.db, principal.organizationId, [...new Set(orderIds)]);
      const byOrder = new Map<number, AttendeeAnswer[]>();
      for (const r of rows) {
        const list = byOrder.get(r.order_id) ?? [];
        list.push({ label: r.label, value: answerValue(r.kind, r.value), ticketId: r.ticket_id });
        byOrder.set(r.order_id, list);
      }
      return byOrder;
    },

    /** The answers about one attendee; when none were collected for the ticket, the buyer's (per-order) answers. */
    async answers(principal: Principal, ticketId: number): Promise<{ label: string; value: string }[]> {
      reader(principal);
      const ticket = await attendeeRepository.ticket(database.db, principal.organizationId, ticketId);
      if (!ticket) throw notFound('Participant');
      if (ticket.order_id === null) return [];
      const all = (await attendeeRepository.answers(database.db, principal.organizationId, [ticket.order_id])).map((r) => ({ label: r.label, value: answerValue(r.kind, r.value), ticketId: r.ticket_id }));
      const own = all.filter((a) => a.ticketId === ticketId);
      return (own.length > 0 ? own : all.filter((a) => a.ticketId === null)).map(({ label, value }) => ({ label, value }));
    },

    /** Valid tickets per event, per tariff and per (tariff, date), for the organization's events. */
    async validCounts(principal: Principal, eventIds: number[]) {
      const rows = await attendeeRepository.validCounts(database.db, principal.organizationId, eventIds);
      const perEvent = new Map<number, number>();
      const perTariff = new Map<number, number>();
      for (const r of rows) {
        const n = toCount(r.n as number);
        perEvent.set(r.event_id, (perEvent.get(r.event_id) ?? 0) + n);
        if (r.tariff_id !== null) perTariff.set(r.tariff_id, (perTariff.get(r.tariff_id) ?? 0) + n);
      }
      return { perEvent, perTariff };
    },
  };
}

export type AttendeeService = ReturnType<typeof attendeeService>;


