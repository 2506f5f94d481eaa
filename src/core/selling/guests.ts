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
import { eventDates, events, sectionCapacities, sections } from '../catalog/repository.ts';
import { inventory } from './inventory.ts';
import type { TicketRow } from './repository.ts';
import { issueTickets, signingKey, toTicket, type Ticket } from './tickets.ts';

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
  name: string;
  email?: string | null;
  quantity: number;
  note?: string | null;
}

export interface Guest {
  id: number;
  eventId: number;
  dateId: number;
  sectionId: number;
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
  async cancelTickets(db: Db, organizationId: number, guestId: number, now: string) {
    await db
      .updateTable('tickets')
      .set({ status: 'cancelled', updated_at: now })
      .where('organization_id', '=', organizationId)
      .where('guest_id', '=', guestId)
      .where('status', '=', 'valid')
      .execute();
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
    const [capacity] = await sectionCapacities.all(db, organizationId, { date_id: date.id, section_id: section.id });
    if (!capacity) throw invalid('section_id', 'has no capacity on this date');
    return { capacityId: capacity.id, tariffId: null, dateId: date.id, quota: null, organizationId };
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
      requireScope(principal, 'sell', 'admin');
      if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > MAX_GUEST_QUANTITY) {
        throw invalid('quantity', `must be an integer from 1 to ${MAX_GUEST_QUANTITY}`);
      }
      const name = input.name.trim();
      if (name === '') throw invalid('name', 'must not be blank');
      const email = input.email ? input.email.trim().toLowerCase() : null;
      if (email !== null && !isEmail(email)) throw invalid('email', 'must be an e-mail address');
      // Everything that can be refused is checked before the write transaction.
      const place = await placeOf(database.db, principal.organizationId, input);
      const t = now();
      const id = await database.transaction(async (trx) => {
        const guest = await guests.insert(trx, {
          organization_id: principal.organizationId,
          event_id: input.eventId,
          date_id: place.dateId,
          section_id: input.sectionId,
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
          eventId: input.eventId, dateId: place.dateId, sectionId: input.sectionId, tariffId: null, orderId: null, orderLineId: null,
          guestId: guest.id, kind: 'comp' as const, holderName: name, holderEmail: email, holderAccountId: null,
        };
        await issueTickets(trx, principal.organizationId, Array.from({ length: input.quantity }, () => comp), t);
        // The places are taken last, so that on PostgreSQL the capacity row (the contended lock) is
        // held only from here to the commit. A refusal rolls back the guest and its tickets.
        if (!(await inventory.take(trx, place, input.quantity, t))) {
          throw new DomainError('SOLD_OUT', 'Not enough places left in this section on this date', { available: await inventory.available(trx, place.capacityId, t) });
        }
        // Capacity reports show comps apart: the row is already locked by the take above.
        await guestRepository.addComps(trx, place.capacityId, input.quantity);
        return guest.id;
      });
      return read(principal, id);
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
        await guestRepository.cancelTickets(trx, principal.organizationId, id, t);
        // Exactly what creation took: the guest's quantity, on its capacity row.
        await inventory.giveBack(trx, { capacityId: guest.capacity_id, tariffId: null, dateId: guest.date_id }, guest.quantity);
        await guestRepository.addComps(trx, guest.capacity_id, -guest.quantity);
      });
    },
  };
}

export type GuestService = ReturnType<typeof guestService>;
