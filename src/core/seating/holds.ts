import { DomainError, invalid } from '../errors.ts';
import type { Db } from '../../db/database.ts';
import { seatingRepository as repo } from './repository.ts';
import { printedSeat, type SeatRef } from './seats.ts';

/**
 * Seats in the selling flow, called by core/selling inside its transactions (a seated hold, the
 * checkout, the payment, a release or a refund). The general-admission path never calls these.
 *
 * The seat row is the only truth about who has a seat: a hold binds it with one conditional UPDATE
 * (free, or held by a hold whose time has passed: taken over in place, no sweeper); the checkout
 * re-arms or sells only seats still bound to its own holds. So two buyers can never hold or buy one
 * seat, whatever the engine or the number of processes. The section's inventory row is taken first
 * (core/selling/inventory.ts), which also serializes the seated holds of one section on PostgreSQL.
 */

export interface SeatRequest {
  dateId: number;
  sectionId: number;
  /** The seats the buyer picked; otherwise the best available `quantity`. */
  seatIds?: number[];
  quantity: number;
  /** Best available only: seats side by side in one row (default), or the best seats wherever they are. */
  adjacent: boolean;
}

type Candidate = { id: number; rank: number; block: number; position: number; area: string; row_label: string; number: string };

/** The best `n` seats among candidates: side by side in one block with the lowest rank sum, or the n best ranks. */
export function chooseSeats<T extends Candidate>(candidates: T[], n: number, adjacent: boolean): T[] | null {
  if (candidates.length < n) return null;
  if (!adjacent) return [...candidates].sort((a, b) => a.rank - b.rank || a.id - b.id).slice(0, n);
  const ordered = [...candidates].sort((a, b) => a.block - b.block || a.position - b.position);
  let best: T[] | null = null;
  let bestScore = Infinity;
  let runStart = 0;
  for (let i = 0; i < ordered.length; i++) {
    const prev = ordered[i - 1];
    if (i > 0 && !(prev.block === ordered[i].block && prev.position + 1 === ordered[i].position)) runStart = i;
    if (i - runStart + 1 >= n) {
      const window = ordered.slice(i - n + 1, i + 1);
      const score = window.reduce((sum, s) => sum + s.rank, 0);
      if (score < bestScore) {
        bestScore = score;
        best = window;
      }
    }
  }
  return best;
}

// Best available first looks at the best seats nobody ever held (a short index walk): this many, then
// four times as many. Each row read costs ≈ 1.5 µs on SQLite (an on-sale's hold reads 16 in ≈ 38 µs,
// 64 in ≈ 110 µs), and the first 16 nearly always hold a block of a few seats side by side.
const FIRST_LOOK = 16;

const refOf = (row: Candidate): SeatRef => ({ id: row.id, area: row.area, row: row.row_label, number: row.number });

/**
 * The seats a seated hold asks for: the named ones (checked against the date and section), or the
 * best available. Reads only; SOLD_OUT when no such seats are left. Called once the section's
 * inventory row is taken: on PostgreSQL no other hold of this section is choosing seats meanwhile.
 */
export async function chooseSeatsFor(trx: Db, request: SeatRequest, now: string): Promise<SeatRef[]> {
  const { dateId, sectionId } = request;
  if (request.seatIds) {
    const rows = await repo.seatsById(trx, request.seatIds);
    const wrong = request.seatIds.filter((id) => !rows.some((r) => r.id === id && r.date_id === dateId && r.section_id === sectionId));
    if (wrong.length > 0) throw invalid('seat_ids', `not seats of this tariff's section on this date: ${wrong.join(', ')}`);
    return request.seatIds.map((id) => refOf(rows.find((r) => r.id === id)!));
  }
  const n = request.quantity;
  for (const look of [FIRST_LOOK, FIRST_LOOK * 4]) {
    const limit = Math.max(look, 4 * n);
    const neverHeld = await repo.neverHeldSeats(trx, dateId, sectionId, limit);
    const chosen = chooseSeats(neverHeld, n, request.adjacent);
    if (chosen) return chosen.map(refOf);
    if (neverHeld.length < limit) break; // no more of them to look at
  }
  const free = await repo.freeSeats(trx, dateId, sectionId, now);
  const chosen = chooseSeats(free, n, request.adjacent);
  if (chosen) return chosen.map(refOf);
  throw new DomainError('SOLD_OUT', request.adjacent && free.length >= n ? `No ${n} seats side by side are left in this section` : 'Not enough seats left in this section', {
    available: free.length,
    adjacent: request.adjacent,
  });
}

/**
 * Binds the chosen seats to the hold's cart item until `until`, with one conditional UPDATE (each seat
 * free, or held by a lapsed hold); SOLD_OUT naming the seats someone else has (the caller's transaction
 * undoes the others). `until` null sells them at once (comps: see compSeats).
 */
export async function claimSeats(trx: Db, request: SeatRequest, seats: SeatRef[], itemId: number, until: string | null, now: string): Promise<void> {
  const taken = await repo.claim(trx, { ids: seats.map((seat) => seat.id), dateId: request.dateId, sectionId: request.sectionId }, itemId, until, now);
  if (taken.length > 0) throw new DomainError('SOLD_OUT', 'Some of these seats are no longer available', { seat_ids: taken });
}

/** The seats a cart item holds, from its `seats` column (null for general admission). */
export function seatsOfItem(item: { seats: string | null }): SeatRef[] | null {
  return item.seats === null ? null : (JSON.parse(item.seats) as SeatRef[]);
}

/**
 * Checkout of seated holds: their seats are re-armed for the payment window (`until`) or sold
 * (`until` null); the order's tickets were issued with them (`ticketSeats`). HOLD_EXPIRED when a
 * seat is no longer this hold's (taken over after its time passed).
 */
export async function checkOutSeats(trx: Db, items: { id: number; seats: string | null }[], until: string | null, now: string): Promise<void> {
  for (const item of items) {
    const seats = seatsOfItem(item);
    if (!seats) continue;
    const bound = until === null ? await repo.sell(trx, item.id, now) : await repo.rearm(trx, item.id, until, now);
    if (bound !== seats.length) throw new DomainError('HOLD_EXPIRED', 'Some seats are no longer held', { expired_item_ids: [item.id] });
  }
}

/** The seat of each ticket of a seated hold: the hold's tickets, in order, take its seats in order (null for general admission). */
export function ticketSeats(item: { seats: string | null }, quantity: number): (SeatRef | null)[] {
  const seats = seatsOfItem(item);
  return Array.from({ length: quantity }, (_, n) => seats?.[n] ?? null);
}

type SeatedTicket = { id: number; seat_id: number | null; seat: string | null };

/** Comps' tickets take their seats, in order (the rows given are updated too: they are signed from them). */
async function seatTickets(trx: Db, tickets: SeatedTicket[], seats: SeatRef[]): Promise<void> {
  for (const [i, ticket] of tickets.entries()) {
    ticket.seat_id = seats[i].id;
    ticket.seat = printedSeat(seats[i]);
    await repo.seatTicket(trx, ticket.id, ticket.seat_id, ticket.seat);
  }
}

/**
 * Comps on a seated section (core/selling/guests): the guest's seats — named, or the best available
 * side by side — are sold at once, with no hold (a comp seat's `cart_item_id` is minus the guest's
 * id: no cart item has it), and each of the guest's tickets gets one. SOLD_OUT when the seats are not
 * there; called once the section's inventory row is taken, as for a hold.
 */
export async function compSeats(trx: Db, request: SeatRequest, guestId: number, tickets: SeatedTicket[], now: string): Promise<void> {
  const seats = await chooseSeatsFor(trx, request, now);
  await claimSeats(trx, request, seats, -guestId, null, now);
  await seatTickets(trx, tickets, seats);
}

/** A pending order's payment: its holds' seats are sold; false when one is no longer theirs. */
export async function sellSeats(trx: Db, items: { id: number; seats: string | null }[], now: string): Promise<boolean> {
  for (const item of items) {
    const seats = seatsOfItem(item);
    if (seats && (await repo.sell(trx, item.id, now)) !== seats.length) return false;
  }
  return true;
}

/** Holds given back (item removed, order cancelled or expired): their seats are free again. */
export async function releaseSeats(trx: Db, items: { id: number; seats: string | null }[]): Promise<void> {
  await repo.freeHeld(trx, items.filter((i) => i.seats !== null).map((i) => i.id));
}

/** Refunded tickets: their seats go back on sale. */
export async function freeTicketSeats(trx: Db, tickets: { seat_id: number | null }[]): Promise<void> {
  await repo.freeSold(trx, tickets.filter((t) => t.seat_id !== null).map((t) => t.seat_id!));
}
