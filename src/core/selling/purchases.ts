import type { CoreContext } from '../context.ts';
import type { Page, Paged } from '../pagination.ts';
import { toIso } from '../../db/quirks.ts';
import { signingKey, toTicket, type Ticket } from './tickets.ts';
import { purchasesRepository as repo } from './purchases-repository.ts';
import { identityRepository } from '../identity/repository.ts';
import { DomainError } from '../errors.ts';

/** A ticket as its holder reads it: the ticket and the names printed on it. */
export interface HeldTicket extends Ticket {
  organizationId: number;
  organizationName: string;
  eventTitle: string;
  timeZone: string;
  startsAt: string;
  dateCancelled: boolean;
  sectionName: string;
  tariffLabel: string | null;
  venue: { name: string; city: string } | null;
}
export interface OrderSummary {
  id: number;
  organizationId: number;
  organizationName: string;
  number: string;
  status: string;
  currency: string;
  total: number;
  createdAt: string;
  expiresAt: string | null;
  events: { title: string; timeZone: string; startsAt: string; quantity: number }[];
}

/** A transfer as its sender or recipient reads it, in any organization: what it offers, never the barcodes. */
export interface MyTransfer {
  id: number;
  organizationId: number;
  organizationName: string;
  status: string;
  /** `sent` by this person, or `received` at their address. */
  direction: 'sent' | 'received';
  senderEmail: string;
  recipientEmail: string;
  createdAt: string;
  resolvedAt: string | null;
  tickets: { id: number; eventTitle: string; timeZone: string; startsAt: string; sectionName: string; tariffLabel: string | null }[];
}
export const MY_TRANSFERS_LIMIT = 100;

/**
 * A buyer's own purchases across every organization they bought from ("my orders", "my tickets"),
 * and the tickets of one order with their names (the confirmation page, the signed order link).
 */
export function purchaseService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  async function describe(rows: Awaited<ReturnType<typeof repo.tickets>>): Promise<HeldTicket[]> {
    const out: HeldTicket[] = [];
    for (const row of rows) {
      const key = await signingKey(database.db, row.organization_id, now());
      out.push({
        ...toTicket(row, key),
        organizationId: row.organization_id,
        organizationName: row.organization_name,
        eventTitle: row.event_title,
        timeZone: row.time_zone,
        startsAt: toIso(row.starts_at)!,
        dateCancelled: row.date_status === 'cancelled',
        sectionName: row.section_name,
        tariffLabel: row.tariff_label ?? null,
        venue: row.venue_name ? { name: row.venue_name, city: row.venue_city! } : null,
      });
    }
    return out;
  }

  return {
    async orders(accountId: number, page: Page): Promise<Paged<OrderSummary>> {
      const { rows, total } = await repo.orders(database.db, accountId, page);
      const events = await repo.orderEvents(database.db, rows.map((r) => r.id));
      return {
        total,
        items: rows.map((r) => ({
          id: r.id,
          organizationId: r.organization_id,
          organizationName: r.organization_name,
          number: r.number,
          status: r.status,
          currency: r.currency,
          total: r.total,
          createdAt: toIso(r.created_at)!,
          expiresAt: toIso(r.expires_at),
          events: events.filter((e) => e.order_id === r.id).map((e) => ({ title: e.title, timeZone: e.time_zone, startsAt: toIso(e.starts_at)!, quantity: e.quantity })),
        })),
      };
    },

    /** The valid tickets the account holds: upcoming first (soonest first), then past ones (latest first). */
    async tickets(accountId: number): Promise<HeldTicket[]> {
      const tickets = await describe(await repo.tickets(database.db, { holderAccountId: accountId }));
      const t = now();
      const upcoming = tickets.filter((x) => x.startsAt >= t);
      const past = tickets.filter((x) => x.startsAt < t).reverse();
      return [...upcoming, ...past];
    },

    /** The latest transfers the account sent or that were sent to its address, in every organization (claimed, rejected and cancelled ones too). */
    async transfers(accountId: number): Promise<MyTransfer[]> {
      const account = await identityRepository.accountById(database.db, accountId);
      if (!account) throw new DomainError('UNAUTHENTICATED', 'This account no longer exists');
      const rows = await repo.transfers(database.db, { id: account.id, email: account.email }, MY_TRANSFERS_LIMIT);
      const tickets = await repo.transferTickets(database.db, rows.map((r) => r.id));
      return rows.map((r) => ({
        id: r.id,
        organizationId: r.organization_id,
        organizationName: r.organization_name,
        status: r.status,
        direction: r.sender_account_id === account.id ? 'sent' : 'received',
        senderEmail: r.sender_email,
        recipientEmail: r.recipient_email,
        createdAt: toIso(r.created_at)!,
        resolvedAt: toIso(r.resolved_at),
        tickets: tickets
          .filter((x) => x.transfer_id === r.id)
          .map((x) => ({ id: x.id, eventTitle: x.event_title, timeZone: x.time_zone, startsAt: toIso(x.starts_at)!, sectionName: x.section_name, tariffLabel: x.tariff_label ?? null })),
      }));
    },

    ticketsOfOrder: async (organizationId: number, orderId: number) => describe(await repo.tickets(database.db, { organizationId, orderId })),
  };
}
