import { sql, type Selectable } from 'kysely';
import type { CoreContext } from '../context.ts';
import { isEmail } from '../validation.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { toIso } from '../../db/quirks.ts';
import type { Db } from '../../db/database.ts';
import type { GuestsTable } from '../../db/tables.ts';
import { tenantTable } from '../../db/table-access.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { eventDates, events, sectionCapacities, sections, tariffs } from '../catalog/repository.ts';
import { inventory } from './inventory.ts';
import type { TicketRow } from './repository.ts';
import { issueTickets, signingKey, signTickets, toTicket, type Ticket } from './tickets.ts';
import { recordEvent } from '../delivery/index.ts';
import { compSeats, freeTicketSeats } from '../seating/index.ts';

/**
 * Guest lists: complimentary tickets ("comps") issued by staff to named guests. Comps take their
 * places from the same inventory row as sales, so a section never holds more people than its
 * capacity, whatever mix of sales and comps fills it. They are reported apart from sales: no order,
 * no tariff, kind `comp`, tied to their guest.
 */
export const MAX_GUEST_QUANTITY = 100;
export const GUEST_STATUSES = ['issued', 'cancelled'] as const;
export type GuestStatus = (typeof GUEST_STATUSES)[number];

export interface GuestInput {
  eventId: number;
  dateId: number;
  sectionId: number;
  /** Optional: comps on a tariff (its section) also count against the tariff's quota and report it. */
  tariffId?: number | null;
  name: string;
  email?: string | null;
  quantity: number;
  note?: string | null;
  /** Seated sections: the guest's seats (their number is the quantity); otherwise the best available side by side. */
  seatIds?: number[];
}

export interface Guest {
  id: number;
  eventId: number;
  dateId: number;
  sectionId: number;
  tariffId: number | null;
  name: string;
  email: string | null;
  quantity: number;
  note: string | null;
  status: GuestStatus;
  /** The staff account that issued the comps (null when the token had no account). */
  issuedBy: number | null;
  tickets: Ticket[];
  createdAt: string;
  updatedAt: string;
}

type GuestRow = Selectable<GuestsTable>;
const guests = tenantTable('guests');

/** The SQL of guest lists beyond plain reads and inserts; every query takes the organization. */
const guestRepository = {
  /** issued → cancelled, only if still issued: the row that changed, or undefined if none did. */
  cancel(db: Db, organizationId: number, id: number, now: string) {
    return db
      .updateTable('guests')
      .set({ status: 'cancelled', updated_at: now })
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .where('status', '=', 'issued')
      .returningAll()
      .executeTakeFirst();
  },
  /** Cancels a guest's valid tickets (or one of them); returns how many changed. */
  async cancelTickets(db: Db, organizationId: number, guestId: number, now: string, ticketId?: number) {
    let query = db
      .updateTable('tickets')
      .set({ status: 'cancelled', updated_at: now })
      .where('organization_id', '=', organizationId)
      .where('guest_id', '=', guestId)
      .where('status', '=', 'valid');
    if (ticketId !== undefined) query = query.where('id', '=', ticketId);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  },
  compTicket(db: Db, organizationId: number, ticketId: number) {
    return db.selectFrom('tickets').selectAll().where('organization_id', '=', organizationId).where('id', '=', ticketId).executeTakeFirst();
  },
  /** A guest's valid tickets (their seats are freed when they are cancelled). */
  validTickets(db: Db, organizationId: number, guestId: number) {
    return db.selectFrom('tickets').select(['id', 'seat_id']).where('organization_id', '=', organizationId).where('guest_id', '=', guestId).where('status', '=', 'valid').execute();
  },
  async hasValidTickets(db: Db, organizationId: number, guestId: number) {
    const row = await db.selectFrom('tickets').select('id').where('organization_id', '=', organizationId).where('guest_id', '=', guestId).where('status', '=', 'valid').limit(1).executeTakeFirst();
    return Boolean(row);
  },
  /** Keeps the comps counter of an inventory row in step with the guests issued on it. */
  async addComps(db: Db, capacityId: number, quantity: number) {
    await db.updateTable('section_capacities').set({ comps: sql`comps + ${quantity}` }).where('id', '=', capacityId).execute();
  },
  tickets(db: Db, organizationId: number, guestIds: number[]): Promise<TicketRow[]> {
    if (guestIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('tickets').selectAll().where('organization_id', '=', organizationId).where('guest_id', 'in', guestIds).orderBy('id').execute();
  },
};

export function guestService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  async function present(organizationId: number, rows: GuestRow[]): Promise<Guest[]> {
    const tickets = await guestRepository.tickets(database.db, organizationId, rows.map((r) => r.id));
    const key = await signingKey(database.db, organizationId, now());
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      dateId: r.date_id,
      sectionId: r.section_id,
      tariffId: r.tariff_id,
      name: r.name,
      email: r.email,
      quantity: r.quantity,
      note: r.note,
      status: r.status as GuestStatus,
      issuedBy: r.issued_by,
      tickets: tickets.filter((t) => t.guest_id === r.id).map((t) => toTicket(t, key)),
      createdAt: toIso(r.created_at)!,
      updatedAt: toIso(r.updated_at)!,
    }));
  }

  async function read(principal: Principal, id: number): Promise<Guest> {
    requireScope(principal, 'sell', 'admin');
    const row = await guests.get(database.db, principal.organizationId, id);
    if (!row) throw notFound('Guest');
    return (await present(principal.organizationId, [row]))[0];
  }

  /**
   * The capacity row a guest's places come from, after checking that the event, the date and the
   * section are the organization's and belong together. Any mismatch names the field at fault.
   */
  async function placeOf(db: Db, organizationId: number, input: GuestInput) {
    const event = await events.get(db, organizationId, input.eventId);
    if (!event) throw invalid('event_id', 'is not an event of this organization');
    if (event.status === 'cancelled') throw invalid('event_id', 'is cancelled');
    const date = await eventDates.get(db, organizationId, input.dateId);
    if (!date || date.event_id !== event.id) throw invalid('date_id', 'is not a date of this event');
    if (date.status === 'cancelled') throw invalid('date_id', 'is cancelled');
    const section = await sections.get(db, organizationId, input.sectionId);
    if (!section || section.event_id !== event.id) throw invalid('section_id', 'is not a section of this event');
    let tariff: { id: number; quota: number | null } | null = null;
    if (input.tariffId !== undefined && input.tariffId !== null) {
      const row = await tariffs.get(db, organizationId, input.tariffId);
      if (!row || row.event_id !== event.id) throw invalid('tariff_id', 'is not a tariff of this event');
      if (row.section_id !== section.id) throw invalid('tariff_id', 'is not a tariff of this section');
      tariff = { id: row.id, quota: row.quota };
    }
    const [capacity] = await sectionCapacities.all(db, organizationId, { date_id: date.id, section_id: section.id });
    if (!capacity) throw invalid('section_id', 'has no capacity on this date');
    // Never a comp without a seat in a seated section: it gets the seats named, or the best available.
    const seated = capacity.seats > 0;
    if (input.seatIds !== undefined) {
      if (!seated) throw invalid('seat_ids', 'this section has no numbered seats on this date');
      if (input.seatIds.length !== input.quantity) throw invalid('seat_ids', `names ${input.seatIds.length} seats for a quantity of ${input.quantity}`);
      if (new Set(input.seatIds).size !== input.seatIds.length) throw invalid('seat_ids', 'names a seat twice');
    }
    return { capacityId: capacity.id, tariffId: tariff?.id ?? null, dateId: date.id, quota: tariff?.quota ?? null, organizationId, seated };
  }

  return {
    read,

    async list(principal: Principal, page: Page, filter: { eventId?: number; dateId?: number; status?: GuestStatus } = {}): Promise<Paged<Guest>> {
      requireScope(principal, 'sell', 'admin');
      const { rows, total } = await guests.list(database.db, principal.organizationId, page, {
        where: { event_id: filter.eventId, date_id: filter.dateId, status: filter.status },
        orderBy: ['id'],
      });
      return { items: await present(principal.organizationId, rows), total };
    },

    /** Issues `quantity` comps to a named guest, taking the places like a sale would: SOLD_OUT when the section is full. */
    async create(principal: Principal, input: GuestInput): Promise<Guest> {
      return (await this.createMany(principal, [input]))[0];
    },

    /**
     * Issues several guests' comps at once, all or nothing: one refusal (bad input, SOLD_OUT) leaves
     * nothing behind. Used by dialects whose clients add a batch of participants in one call.
     */
    async createMany(principal: Principal, inputs: GuestInput[]): Promise<Guest[]> {
      requireScope(principal, 'sell', 'admin');
      // Everything that can be refused is checked before the write transaction.
      const checked: { input: GuestInput; name: string; email: string | null; place: Awaited<ReturnType<typeof placeOf>> }[] = [];
      for (const input of inputs) {
        if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > MAX_GUEST_QUANTITY) {
          throw invalid('quantity', `must be an integer from 1 to ${MAX_GUEST_QUANTITY}`);
        }
        const name = input.name.trim();
        if (name === '') throw invalid('name', 'must not be blank');
        const email = input.email ? input.email.trim().toLowerCase() : null;
        if (email !== null && !isEmail(email)) throw invalid('email', 'must be an e-mail address');
        checked.push({ input, name, email, place: await placeOf(database.db, principal.organizationId, input) });
      }
      const t = now();
      const { ids, issued } = await database.transaction(async (trx) => {
        const ids: number[] = [];
        const issued: TicketRow[] = [];
        const seatedComps: { guestId: number; input: GuestInput; tickets: TicketRow[] }[] = [];
        for (const { input, name, email, place } of checked) {
          const guest = await guests.insert(trx, {
            organization_id: principal.organizationId,
            event_id: input.eventId,
            date_id: place.dateId,
            section_id: input.sectionId,
            tariff_id: place.tariffId,
            capacity_id: place.capacityId,
            name,
            email,
            quantity: input.quantity,
            note: input.note ?? null,
            issued_by: principal.accountId,
            status: 'issued',
            created_at: t,
            updated_at: t,
          });
          const comp = {
            eventId: input.eventId, dateId: place.dateId, sectionId: input.sectionId, tariffId: place.tariffId, orderId: null, orderLineId: null,
            guestId: guest.id, kind: 'comp' as const, holderName: name, holderEmail: email, holderAccountId: null,
          };
          const tickets = await issueTickets(trx, principal.organizationId, Array.from({ length: input.quantity }, () => comp), t);
          issued.push(...tickets);
          if (place.seated) seatedComps.push({ guestId: guest.id, input, tickets });
          // The guest's e-mail with their tickets, and webhooks.
          await recordEvent(ctx.config, trx, { organizationId: principal.organizationId, topic: 'comps.issued', subjectId: guest.id, payload: { ticket_ids: tickets.map((x) => x.id) } }, t);
          ids.push(guest.id);
        }
        // The places are taken last, so that on PostgreSQL the capacity rows (the contended locks) are
        // held only from here to the commit, taken in one order (by row) so concurrent batches cannot
        // deadlock. A refusal rolls back the guests and their tickets.
        const takes = checked.map((c) => ({ place: c.place, quantity: c.input.quantity })).sort((a, b) => a.place.capacityId - b.place.capacityId || (a.place.tariffId ?? 0) - (b.place.tariffId ?? 0));
        for (const { place, quantity } of takes) {
          if (!(await inventory.take(trx, place, quantity, t))) {
            throw new DomainError('SOLD_OUT', place.quota === null ? 'Not enough places left in this section on this date' : 'Not enough places left in this section or tariff quota on this date', { available: await inventory.available(trx, place.capacityId, t) });
          }
          // Capacity reports show comps apart: the row is already locked by the take above.
          await guestRepository.addComps(trx, place.capacityId, quantity);
        }
        // Seats are chosen once their sections' inventory rows are taken (as a seated hold does).
        for (const { guestId, input, tickets } of seatedComps) {
          await compSeats(trx, { dateId: input.dateId, sectionId: input.sectionId, seatIds: input.seatIds, quantity: input.quantity, adjacent: true }, guestId, tickets, t);
        }
        return { ids, issued };
      });
      await signTickets(database, principal.organizationId, issued, t);
      const rows = await Promise.all(ids.map((id) => guests.get(database.db, principal.organizationId, id)));
      return present(principal.organizationId, rows.filter((r): r is GuestRow => Boolean(r)));
    },

    /**
     * Cancels a guest: its valid tickets stop admitting and its places go back on sale. The state
     * change is conditional (only an issued guest is cancelled), so two concurrent cancellations
     * give the places back once. Cancelling again answers 409 INVALID_TRANSITION, not 404: the guest
     * still exists (it reads back as cancelled), only its state forbids the change.
     */
    async cancel(principal: Principal, id: number): Promise<void> {
      requireScope(principal, 'sell', 'admin');
      const t = now();
      await database.transaction(async (trx) => {
        const guest = await guestRepository.cancel(trx, principal.organizationId, id, t);
        if (!guest) {
          if (!(await guests.get(trx, principal.organizationId, id))) throw notFound('Guest');
          throw new DomainError('INVALID_TRANSITION', 'This guest has already been cancelled');
        }
        // What creation took, less the tickets already withdrawn one by one (cancelTicket); their seats go back on sale.
        const seats = await guestRepository.validTickets(trx, principal.organizationId, id);
        const cancelled = await guestRepository.cancelTickets(trx, principal.organizationId, id, t);
        await freeTicketSeats(trx, seats);
        await inventory.giveBack(trx, { capacityId: guest.capacity_id, tariffId: guest.tariff_id, dateId: guest.date_id }, cancelled);
        await guestRepository.addComps(trx, guest.capacity_id, -cancelled);
      });
    },

    /**
     * Withdraws comp tickets (Weezevent participants deleted), all or nothing: each stops admitting
     * and its place goes back on sale; a guest is cancelled with its last ticket. Conditional on the
     * ticket still being valid, so a repeated withdrawal gives nothing back twice (409).
     */
    async cancelTickets(principal: Principal, ticketIds: number[]): Promise<void> {
      requireScope(principal, 'sell', 'admin');
      const t = now();
      await database.transaction(async (trx) => {
        for (const ticketId of ticketIds) {
          const ticket = await guestRepository.compTicket(trx, principal.organizationId, ticketId);
          if (!ticket) throw notFound(`Ticket ${ticketId}`);
          if (ticket.guest_id === null) throw new DomainError('CONFLICT', `Ticket ${ticketId} was sold: only complimentary tickets are withdrawn this way, sold ones are refunded through their order`);
          const guest = await guests.get(trx, principal.organizationId, ticket.guest_id);
          if (!guest) throw notFound('Guest');
          if ((await guestRepository.cancelTickets(trx, principal.organizationId, guest.id, t, ticket.id)) === 0) {
            throw new DomainError('INVALID_TRANSITION', `Ticket ${ticketId} has already been withdrawn`);
          }
          await freeTicketSeats(trx, [ticket]);
          await inventory.giveBack(trx, { capacityId: guest.capacity_id, tariffId: guest.tariff_id, dateId: guest.date_id }, 1);
          await guestRepository.addComps(trx, guest.capacity_id, -1);
          if (!(await guestRepository.hasValidTickets(trx, principal.organizationId, guest.id))) {
            await guestRepository.cancel(trx, principal.organizationId, guest.id, t);
          }
        }
      });
    },
  };
}

export type GuestService = ReturnType<typeof guestService>;
