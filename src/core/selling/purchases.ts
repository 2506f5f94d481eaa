import type { CoreContext } from '../context.ts';
import type { Page, Paged } from '../pagination.ts';
import { toIso } from '../../db/quirks.ts';
import { signingKey, toTicket, type Ticket } from './tickets.ts';
import { purchasesRepository as repo } from './purchases-repository.ts';

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

    ticketsOfOrder: async (organizationId: number, orderId: number) => describe(await repo.tickets(database.db, { organizationId, orderId })),
  };
}
