import { isSignedPayload, parsePayload, type Verifier } from './payload.ts';
import type { Briefing, Direction, LocalTicket, Reason } from './types.ts';

/**
 * The offline answer: the same rules as the server's scan (src/core/door/scans.ts), applied to what
 * the device holds — the signed payload checked with the public key, the snapshot kept up to date by
 * the changes, and this gate's own admissions. The server has the last word when the scan is
 * uploaded; a ticket two gates let in while apart becomes a conflict both are shown.
 */
export interface OfflineDecision {
  admitted: boolean;
  reason: Reason | null;
  /** The ticket as known locally (null for unknown or forged codes, or a signed ticket issued after the last sync). */
  ticket: LocalTicket | null;
  /** For a signed payload of a ticket the device does not hold yet: what it says. */
  signed: { ticketId: number; dateId: number; sectionId: number; barcode: string; version: number } | null;
}

/** What the device holds (the door's store answers from memory; a promise is waited for). */
export interface LocalLookup {
  ticketById(id: number): LocalTicket | undefined | Promise<LocalTicket | undefined>;
  ticketByBarcode(barcode: string): LocalTicket | undefined | Promise<LocalTicket | undefined>;
  retired(barcode: string): { ticketId: number } | undefined | Promise<{ ticketId: number } | undefined>;
}

export async function decideOffline(
  code: string,
  context: { briefing: Briefing; verify: Verifier; direction: Direction; dateId: number | null },
  lookup: LocalLookup,
): Promise<OfflineDecision> {
  const { briefing, direction } = context;
  const refuse = (reason: Reason, ticket: LocalTicket | null = null, signed: OfflineDecision['signed'] = null): OfflineDecision => ({ admitted: false, reason, ticket, signed });
  const outOfScope = (dateId: number, sectionId: number): Reason | null => {
    if (!briefing.dates.some((d) => d.id === dateId)) return 'wrong_event';
    if ((briefing.dateIds && !briefing.dateIds.includes(dateId)) || (context.dateId !== null && context.dateId !== dateId)) return 'wrong_date';
    if (briefing.sectionIds && !briefing.sectionIds.includes(sectionId)) return 'wrong_section';
    return null;
  };

  let ticket: LocalTicket | undefined;
  const trimmed = code.trim();
  if (isSignedPayload(trimmed)) {
    const payload = parsePayload(trimmed);
    if (!payload || !(await context.verify(payload))) return refuse('invalid_signature');
    ticket = await lookup.ticketById(payload.ticketId);
    if (!ticket) {
      // Authentic, but not in what this device holds: of another event, date or section — or issued
      // since the last sync (a sale at the box office), which its signature vouches for.
      const why = outOfScope(payload.dateId, payload.sectionId);
      const signed = { ticketId: payload.ticketId, dateId: payload.dateId, sectionId: payload.sectionId, barcode: payload.barcode, version: payload.version };
      if (why) return refuse(why, null, signed);
      return direction === 'in' ? { admitted: true, reason: null, ticket: null, signed } : refuse('not_admitted', null, signed);
    }
    if (ticket.version !== payload.version || ticket.barcode !== payload.barcode) return refuse('transferred', ticket);
  } else {
    const barcode = trimmed.toUpperCase();
    ticket = await lookup.ticketByBarcode(barcode);
    if (!ticket) {
      const retired = await lookup.retired(barcode);
      const owner = retired ? await lookup.ticketById(retired.ticketId) : undefined;
      return retired ? refuse('transferred', owner ?? null) : refuse('unknown');
    }
  }

  const why = outOfScope(ticket.dateId, ticket.sectionId);
  if (why) return refuse(why, ticket);
  if (ticket.status === 'pending') return refuse('unpaid', ticket);
  if (ticket.status !== 'valid') return refuse('cancelled', ticket);
  if (direction === 'out') return ticket.doorState === 'in' ? { admitted: true, reason: null, ticket, signed: null } : refuse('not_admitted', ticket);
  if (ticket.doorState === 'none' || (ticket.doorState === 'out' && briefing.event.reentryAllowed)) return { admitted: true, reason: null, ticket, signed: null };
  return refuse('already_admitted', ticket);
}
