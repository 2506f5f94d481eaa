import type { Insertable, Selectable } from 'kysely';
import type { CoreContext } from '../context.ts';
import { isEmail } from '../validation.ts';
import { DomainError, forbidden, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { toIso } from '../../db/quirks.ts';
import type { Database, Db } from '../../db/database.ts';
import type { TransfersTable } from '../../db/tables.ts';
import { paged } from '../../db/paging.ts';
import { type Principal, requireAccount, requireScope } from '../identity/principal.ts';
import { identityRepository } from '../identity/repository.ts';
import { newBarcode, qrSignature, signingKey, toTicket, type Ticket } from './tickets.ts';

/**
 * Ticket transfers: a holder sends some of their tickets to someone else by e-mail. Nothing moves
 * until the recipient claims them; then each ticket gets a new barcode and a new version, so the
 * sender's copy (a screenshot, a printout) stops admitting, and the old barcode is kept in
 * `retired_barcodes` so the door can say why. Places are not touched: a transfer changes who
 * holds a ticket, not how many tickets exist.
 */
export const TRANSFER_STATUSES = ['pending', 'claimed', 'rejected', 'cancelled'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];
export const MAX_TRANSFER_TICKETS = 100;

export interface TransferInput {
  /** The tickets, or (sections) how many of the sender's tickets of each section: the oldest free ones are chosen. */
  ticketIds?: number[];
  sections?: { sectionId: number; quantity: number }[];
  recipientEmail: string;
}

export interface Transfer {
  id: number;
  status: TransferStatus;
  senderAccountId: number;
  recipientEmail: string;
  /** The account with the recipient's address: known at sending if it existed, else set by the claim. */
  recipientAccountId: number | null;
  ticketIds: number[];
  createdAt: string;
  resolvedAt: string | null;
}

type TransferRow = Selectable<TransfersTable>;
/** The caller of a transfer route: an account acting through a buyer's token. */
interface Me { id: number; email: string }

/** The SQL of transfers; every query takes the organization. */
const transferRepository = {
  get(db: Db, organizationId: number, id: number) {
    return db.selectFrom('transfers').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  },
  async ticketIds(db: Db, transferIds: number[]) {
    if (transferIds.length === 0) return [];
    return db.selectFrom('transfer_tickets').selectAll().where('transfer_id', 'in', transferIds).orderBy('ticket_id').execute();
  },
  /** Which of these tickets are already in a pending transfer. */
  async pendingTicketIds(db: Db, organizationId: number, ticketIds: number[]) {
    const rows = await db
      .selectFrom('transfer_tickets')
      .innerJoin('transfers', 'transfers.id', 'transfer_tickets.transfer_id')
      .select('transfer_tickets.ticket_id')
      .where('transfers.organization_id', '=', organizationId)
      .where('transfers.status', '=', 'pending')
      .where('transfer_tickets.ticket_id', 'in', ticketIds)
      .execute();
    return new Set(rows.map((r) => r.ticket_id));
  },
  /** Transfers the caller sent (`sent`), received (`received`), or either. */
  list(db: Db, organizationId: number, me: Me, page: Page, filter: { role?: 'sent' | 'received'; status?: TransferStatus }) {
    let query = db.selectFrom('transfers').where('organization_id', '=', organizationId);
    if (filter.role === 'sent') query = query.where('sender_account_id', '=', me.id);
    else if (filter.role === 'received') query = query.where('recipient_email', '=', me.email);
    else query = query.where((eb) => eb.or([eb('sender_account_id', '=', me.id), eb('recipient_email', '=', me.email)]));
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    return paged(query, page, (q) => q.selectAll().orderBy('id', 'desc'));
  },
  /** Locks these tickets (in id order, so two senders cannot deadlock) until the transaction ends. */
  /** Up to `limit` of a holder's valid tickets in a section that no pending transfer offers, oldest first. */
  freeTicketIds(db: Db, organizationId: number, holderAccountId: number, sectionId: number, limit: number) {
    return db
      .selectFrom('tickets')
      .select('id')
      .where('organization_id', '=', organizationId)
      .where('holder_account_id', '=', holderAccountId)
      .where('section_id', '=', sectionId)
      .where('status', '=', 'valid')
      .where('id', 'not in', (eb) =>
        eb.selectFrom('transfer_tickets').innerJoin('transfers', 'transfers.id', 'transfer_tickets.transfer_id').select('transfer_tickets.ticket_id')
          .where('transfers.organization_id', '=', organizationId).where('transfers.status', '=', 'pending'))
      .orderBy('id')
      .limit(limit)
      .execute();
  },
  lockTickets(database: Database, trx: Db, organizationId: number, ticketIds: number[]) {
    return database
      .forUpdate(trx.selectFrom('tickets').select(['id', 'status', 'holder_account_id']).where('organization_id', '=', organizationId).where('id', 'in', ticketIds).orderBy('id'))
      .execute();
  },
  async insert(db: Db, values: Insertable<TransfersTable>, ticketIds: number[]) {
    const transfer = await db.insertInto('transfers').values(values).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('transfer_tickets').values(ticketIds.map((ticketId) => ({ transfer_id: transfer.id, ticket_id: ticketId }))).execute();
    return transfer.id;
  },
  /** The tickets of a transfer still valid and still the sender's, locked until the transaction ends. */
  lockClaimable(database: Database, trx: Db, organizationId: number, ticketIds: number[], senderAccountId: number) {
    return database
      .forUpdate(
        trx
          .selectFrom('tickets')
          .select(['id', 'barcode', 'version', 'date_id', 'section_id', 'seat_id'])
          .where('organization_id', '=', organizationId)
          .where('id', 'in', ticketIds)
          .where('status', '=', 'valid')
          .where('holder_account_id', '=', senderAccountId)
          .orderBy('id'),
      )
      .execute();
  },
  async retireBarcodes(db: Db, organizationId: number, tickets: { id: number; barcode: string }[], now: string) {
    await db
      .insertInto('retired_barcodes')
      .values(tickets.map((ticket) => ({ organization_id: organizationId, barcode: ticket.barcode, ticket_id: ticket.id, reason: 'transferred', retired_at: now })))
      .execute();
  },
  /** A ticket changes hands (its row locked): a fresh barcode, the next version and their signature, the new holder. */
  handOver(db: Db, ticket: { id: number; barcode: string; version: number; qr_signature: string }, holder: Me, now: string) {
    return db
      .updateTable('tickets')
      .set({ barcode: ticket.barcode, version: ticket.version, qr_signature: ticket.qr_signature, holder_account_id: holder.id, holder_email: holder.email, holder_name: null, updated_at: now })
      .where('id', '=', ticket.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  },
  /**
   * pending → `to`, only if still pending: the one statement that decides which of two concurrent
   * changes (a claim and a cancellation, two claims) wins. False when another change came first.
   */
  async resolve(db: Db, organizationId: number, id: number, to: TransferStatus, now: string, recipientAccountId?: number) {
    const result = await db
      .updateTable('transfers')
      .set({ status: to, resolved_at: now, ...(recipientAccountId !== undefined ? { recipient_account_id: recipientAccountId } : {}) })
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
};

/** Cancels the pending transfers that contain any of these tickets (they were refunded or cancelled). */
export async function cancelPendingTransfersOf(trx: Db, organizationId: number, ticketIds: number[], now: string) {
  if (ticketIds.length === 0) return;
  await trx
    .updateTable('transfers')
    .set({ status: 'cancelled', resolved_at: now })
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'pending')
    .where('id', 'in', (eb) => eb.selectFrom('transfer_tickets').select('transfer_id').where('ticket_id', 'in', ticketIds))
    .execute();
}

const notPending = (status: string) =>
  new DomainError('INVALID_TRANSITION', `This transfer is ${status}; only a pending transfer can change`, { status });

export function transferService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  /** Transfers are between people: the token must be a signed-in person's (password grant), not a client's. */
  async function caller(principal: Principal): Promise<Me> {
    requireScope(principal, 'buy');
    if (!principal.signedIn) throw forbidden('Transfers need a token issued to a signed-in user (password grant)');
    const accountId = requireAccount(principal);
    const account = await identityRepository.accountById(database.db, accountId);
    if (!account) throw new DomainError('UNAUTHENTICATED', 'This account no longer exists');
    return { id: account.id, email: account.email };
  }

  const isSender = (row: TransferRow, me: Me) => row.sender_account_id === me.id;
  // The recipient is whoever holds the address the tickets were sent to, account or not at the time.
  const isRecipient = (row: TransferRow, me: Me) => row.recipient_email === me.email;

  /** A transfer the caller sent or received; anybody else gets 404, as for another organization's. */
  async function visible(principal: Principal, me: Me, id: number): Promise<TransferRow> {
    const row = await transferRepository.get(database.db, principal.organizationId, id);
    if (!row || !(isSender(row, me) || isRecipient(row, me))) throw notFound('Transfer');
    return row;
  }

  async function present(rows: TransferRow[]): Promise<Transfer[]> {
    const links = await transferRepository.ticketIds(database.db, rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      status: r.status as TransferStatus,
      senderAccountId: r.sender_account_id,
      recipientEmail: r.recipient_email,
      recipientAccountId: r.recipient_account_id,
      ticketIds: links.filter((l) => l.transfer_id === r.id).map((l) => l.ticket_id),
      createdAt: toIso(r.created_at)!,
      resolvedAt: toIso(r.resolved_at),
    }));
  }

  async function reread(principal: Principal, id: number): Promise<Transfer> {
    const row = await transferRepository.get(database.db, principal.organizationId, id);
    return (await present([row!]))[0];
  }

  /** Moves a pending transfer the caller may change to `to`; `who` says which side may do it. */
  async function settle(principal: Principal, id: number, who: 'sender' | 'recipient', to: 'rejected' | 'cancelled') {
    const me = await caller(principal);
    const row = await visible(principal, me, id);
    if (who === 'sender' ? !isSender(row, me) : !isRecipient(row, me)) throw forbidden(`Only the ${who} can do this`);
    if (row.status !== 'pending') throw notPending(row.status);
    const t = now();
    const changed = await database.transaction((trx) => transferRepository.resolve(trx, principal.organizationId, id, to, t));
    if (!changed) throw notPending((await transferRepository.get(database.db, principal.organizationId, id))!.status);
  }

  return {
    async list(principal: Principal, page: Page, filter: { role?: 'sent' | 'received'; status?: TransferStatus } = {}): Promise<Paged<Transfer>> {
      const me = await caller(principal);
      const { rows, total } = await transferRepository.list(database.db, principal.organizationId, me, page, filter);
      return { items: await present(rows), total };
    },

    async read(principal: Principal, id: number): Promise<Transfer> {
      const me = await caller(principal);
      return (await present([await visible(principal, me, id)]))[0];
    },

    /** Offers some of the caller's valid tickets to someone, by e-mail address. */
    async create(principal: Principal, input: TransferInput): Promise<Transfer> {
      const me = await caller(principal);
      const email = input.recipientEmail.trim().toLowerCase();
      if (!isEmail(email)) throw invalid('recipient_email', 'must be an e-mail address');
      if (email === me.email) throw invalid('recipient_email', 'is your own address: you already hold these tickets');
      const chosen = [...(input.ticketIds ?? [])];
      for (const { sectionId, quantity } of input.sections ?? []) {
        if (!Number.isInteger(quantity) || quantity < 1) throw invalid('tickets', 'quantities must be positive integers');
        const free = await transferRepository.freeTicketIds(database.db, principal.organizationId, me.id, sectionId, quantity);
        if (free.length < quantity) throw invalid('tickets', `you hold ${free.length} transferable ticket(s) of section ${sectionId}, not ${quantity}`);
        chosen.push(...free.map((t) => t.id));
      }
      const ticketIds = [...new Set(chosen)].sort((a, b) => a - b);
      if (ticketIds.length === 0 || ticketIds.length > MAX_TRANSFER_TICKETS) throw invalid('ticket_ids', `must name 1 to ${MAX_TRANSFER_TICKETS} tickets`);
      const recipient = await identityRepository.accountByEmail(database.db, email);
      const t = now();
      const id = await database.transaction(async (trx) => {
        // Locking the tickets (in id order, so two senders cannot deadlock) makes the checks below
        // hold until the commit: a concurrent transfer of the same ticket waits, then sees this one.
        const tickets = await transferRepository.lockTickets(database, trx, principal.organizationId, ticketIds);
        for (const ticketId of ticketIds) {
          const ticket = tickets.find((x) => x.id === ticketId);
          // Someone else's ticket reads the same as a missing one: nothing is said about it.
          if (!ticket || ticket.holder_account_id !== me.id) throw invalid('ticket_ids', `ticket ${ticketId} is not one of your tickets`);
          if (ticket.status !== 'valid') throw invalid('ticket_ids', `ticket ${ticketId} is ${ticket.status}, only valid tickets can be transferred`);
        }
        const pending = await transferRepository.pendingTicketIds(trx, principal.organizationId, ticketIds);
        if (pending.size > 0) throw invalid('ticket_ids', `ticket ${[...pending].join(', ')} is already in a pending transfer`);
        return transferRepository.insert(
          trx,
          {
            organization_id: principal.organizationId,
            status: 'pending',
            sender_account_id: me.id,
            recipient_account_id: recipient?.id ?? null,
            recipient_email: email,
            created_at: t,
            resolved_at: null,
          },
          ticketIds,
        );
      });
      await ctx.mailer.send({
        to: email,
        subject: ticketIds.length === 1 ? 'A ticket has been sent to you' : `${ticketIds.length} tickets have been sent to you`,
        text: `${me.email} sent you ${ticketIds.length} ticket(s). Sign in with this address to claim them (transfer ${id}), or reject them.`,
      });
      return reread(principal, id);
    },

    /**
     * The recipient takes the tickets: each gets a new barcode and version (its old signed QR payload
     * still verifies, but names a retired barcode and an old version), and the recipient as holder.
     * Tickets that stopped being valid or the sender's meanwhile (refunded, say) stay as they are.
     */
    async claim(principal: Principal, id: number): Promise<Transfer & { tickets: Ticket[] }> {
      const me = await caller(principal);
      const row = await visible(principal, me, id);
      if (!isRecipient(row, me)) throw forbidden('Only the recipient can claim a transfer');
      if (row.status !== 'pending') throw notPending(row.status);
      const organizationId = principal.organizationId;
      const t = now();
      const key = await signingKey(database.db, organizationId, t);
      const moved = await database.transaction(async (trx) => {
        if (!(await transferRepository.resolve(trx, organizationId, id, 'claimed', t, me.id))) {
          throw notPending((await transferRepository.get(trx, organizationId, id))!.status);
        }
        const ticketIds = (await transferRepository.ticketIds(trx, [id])).map((l) => l.ticket_id);
        const tickets = await transferRepository.lockClaimable(database, trx, organizationId, ticketIds, row.sender_account_id);
        if (tickets.length === 0) throw new DomainError('CONFLICT', 'None of these tickets is valid any more; reject the transfer');
        await transferRepository.retireBarcodes(trx, organizationId, tickets, t);
        const updated = [];
        // A fresh barcode per ticket; a collision (1 in 2^80) would fail the claim, which can simply be retried.
        for (const ticket of tickets) {
          const next = { ...ticket, barcode: newBarcode(), version: ticket.version + 1 };
          updated.push(await transferRepository.handOver(trx, { ...next, qr_signature: qrSignature(key, next) }, me, t));
        }
        return updated;
      });
      return { ...(await reread(principal, id)), tickets: moved.map((r) => toTicket(r, key)) };
    },

    /** The recipient declines: the tickets stay with the sender, who may send them again. */
    reject: (principal: Principal, id: number) => settle(principal, id, 'recipient', 'rejected').then(() => reread(principal, id)),

    /** The sender takes the offer back before it is claimed. */
    cancel: (principal: Principal, id: number) => settle(principal, id, 'sender', 'cancelled'),
  };
}

export type TransferService = ReturnType<typeof transferService>;
