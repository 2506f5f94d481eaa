import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.ts';
import { DomainError, invalid } from '../../../core/errors.ts';
import type { Principal } from '../../../core/identity/principal.ts';
import { opensDate, type AdmissionToken } from '../../../core/door/index.ts';
import { MESSAGES, TicketingError, callerOf } from '../index.ts';
import { barcodeOf, eventRef, offsetTime, parseSectionUri, sectionRef, ticketSerial } from '../identifiers.ts';
import { sendList, type ListQuery, type References } from '../present.ts';
import * as S from '../schemas.ts';

/** TickeTing ticket statuses: a valid ticket is `Issued`. */
const TICKET_STATUS: Record<string, string> = { valid: 'Issued', pending: 'Pending', cancelled: 'Cancelled', refunded: 'Refunded' };

/** The event as a door names it (core's door catalog): dates, sections, tariffs, the caller's scope. */
type Catalog = Awaited<ReturnType<Core['door']['sync']['catalog']>>;
type DoorTickets = Awaited<ReturnType<Core['door']['sync']['ticketPage']>>['items'];

/**
 * The date a door URI stands at: the one `/events/{event}-{date}` names (404 when it is no date of the
 * event), else — for an event with several dates — its first, as reads show the plain id; null for an
 * event with one date (or none), whose door is the whole event.
 */
function dateAt(catalog: Catalog, named: number | null): number | null {
  if (named !== null && !catalog.dates.some((d) => d.id === named)) throw new TicketingError(404, MESSAGES.noResource);
  return named ?? (catalog.dates.length > 1 ? catalog.dates[0].id : null);
}

/** A section's URI on a date, one per tariff, as the event's own `sections` show it (present.ts). */
function sectionUri(catalog: Catalog, dateId: number | null, sectionId: number, tariffId: number | null) {
  return `/events/${eventRef(catalog, dateId)}/sections/${sectionRef(catalog, sectionId, tariffId)}`;
}

/** The section URIs of some sections on a date: one per tariff of each (a token opens a section whatever the tariff). */
function sectionUris(catalog: Catalog, dateId: number | null, sectionIds: readonly number[] | null) {
  return catalog.sections
    .filter((s) => !sectionIds || sectionIds.includes(s.id))
    .flatMap((s) => {
      const tariffs = catalog.tariffs.filter((t) => t.sectionId === s.id);
      return tariffs.length > 0 ? tariffs.map((t) => sectionUri(catalog, dateId, s.id, t.id)) : [sectionUri(catalog, dateId, s.id, null)];
    });
}

/**
 * A section URI of a token's body (`/events/{e}/sections/{s}` or `/sections/{s}`, each possibly
 * `{id}-{date or tariff}`) → the section id, checked against the event, the date the token is made
 * at and the section's tariffs.
 */
function sectionId(catalog: Catalog, dateId: number | null, uri: string): number {
  const parsed = parseSectionUri(uri);
  const refused = () => invalid('sections', `${uri} is not a section URI of this event`);
  if (!parsed || (parsed.event && (parsed.event.id !== catalog.id || (parsed.event.part !== null && parsed.event.part !== dateId)))) throw refused();
  const { id, part: tariffId } = parsed.section;
  if (!catalog.sections.some((s) => s.id === id)) throw refused();
  if (tariffId !== null && !catalog.tariffs.some((t) => t.id === tariffId && t.sectionId === id)) throw refused();
  return id;
}

/**
 * The door on the door core: admission tokens, the admission login (`GET /tokens/{code}` gives a
 * door key used as X-API-Key), the tickets of the redeemer's sections, admissions.
 *
 * An event with several dates is one TickeTing event per date (`/events/{event}-{date}`), and so is
 * its door: a token made at a date opens that date only; tickets, admissions and sections are named
 * with their own date and tariff, as the event shows them; a ticket of another date is refused there.
 */
export async function doorRoutes(app: FastifyInstance, { core, refs }: { core: Core; refs: References }) {
  /** A token as seen from one date of its event; its sections are the URIs that date shows them under. */
  function presentToken(catalog: Catalog, t: AdmissionToken, dateId: number | null, code: string | null = null) {
    // Codes are stored as digests: shown only when issued (or drawn again).
    return { self: `/events/${eventRef(catalog, dateId)}/tokens/${t.id}`, code, global: t.global, sections: sectionUris(catalog, dateId, t.sectionIds) };
  }

  /** The token a URI names, if it opens the URI's date (a token of another date is not one of this event). */
  async function tokenAt(caller: Principal, catalog: Catalog, dateId: number | null, tokenId: number) {
    const token = await core.door.tokens.read(caller, catalog.id, tokenId);
    if (dateId !== null && !opensDate(token, dateId)) throw new TicketingError(404, MESSAGES.noResource);
    return token;
  }

  app.post('/events/:id/tokens', { schema: { params: S.Id, body: S.TokenBody } }, async (request, reply) => {
    const caller = callerOf(request);
    const catalog = await core.door.sync.catalog(caller, Number((request.params as { id: string }).id));
    const dateId = dateAt(catalog, request.ticketingDate);
    const sectionIds = (request.body as { sections: string[] }).sections.map((s) => sectionId(catalog, dateId, s));
    // Made at one date of an event with several dates, the token opens that date only.
    const { token, code } = await core.door.tokens.create(caller, catalog.id, { sectionIds, dateIds: dateId === null ? null : [dateId] });
    return reply.status(201).send(presentToken(catalog, token, dateId, code));
  });
  app.get('/events/:id/tokens', { schema: { params: S.Id, querystring: S.ListQuery({ global: S.EventFilters.active }) } }, async (request, reply) => {
    const caller = callerOf(request);
    const catalog = await core.door.sync.catalog(caller, Number((request.params as { id: string }).id));
    const dateId = dateAt(catalog, request.ticketingDate);
    const q = request.query as ListQuery & { global?: boolean };
    return sendList(reply, q, (page) => core.door.tokens.list(caller, catalog.id, page, { global: q.global, dateId }), (t) => presentToken(catalog, t, dateId));
  });
  app.get('/events/:id/tokens/:section', { schema: { params: S.EventSection } }, async (request, reply) => {
    const caller = callerOf(request);
    const { id, section: tokenId } = request.params as { id: string; section: string };
    const catalog = await core.door.sync.catalog(caller, Number(id));
    const dateId = dateAt(catalog, request.ticketingDate);
    return reply.send(presentToken(catalog, await tokenAt(caller, catalog, dateId, Number(tokenId)), dateId));
  });
  app.put('/events/:id/tokens/:section', { schema: { params: S.EventSection, body: S.TokenBody } }, async (request, reply) => {
    const caller = callerOf(request);
    const { id, section: tokenId } = request.params as { id: string; section: string };
    const catalog = await core.door.sync.catalog(caller, Number(id));
    const dateId = dateAt(catalog, request.ticketingDate);
    const sectionIds = (request.body as { sections: string[] }).sections.map((s) => sectionId(catalog, dateId, s));
    await tokenAt(caller, catalog, dateId, Number(tokenId));
    const token = await core.door.tokens.update(caller, catalog.id, Number(tokenId), { sectionIds });
    return reply.send(presentToken(catalog, token, dateId));
  });
  app.delete('/events/:id/tokens/:section', { schema: { params: S.EventSection } }, async (request, reply) => {
    const caller = callerOf(request);
    const { id, section: tokenId } = request.params as { id: string; section: string };
    const catalog = await core.door.sync.catalog(caller, Number(id));
    // TickeTing's global token cannot be invalidated (Guichet's native door may revoke it).
    if ((await tokenAt(caller, catalog, dateAt(catalog, request.ticketingDate), Number(tokenId))).global) throw new TicketingError(409, MESSAGES.globalToken);
    await core.door.tokens.revoke(caller, catalog.id, Number(tokenId));
    return reply.status(200).send({});
  });
  /** Guichet addition: draws a new code for a token (codes are shown once; the global token is born without a visible one). */
  app.post('/events/:id/tokens/:section/codes', { schema: { params: S.EventSection, body: S.Empty } }, async (request, reply) => {
    const caller = callerOf(request);
    const { id, section: tokenId } = request.params as { id: string; section: string };
    const catalog = await core.door.sync.catalog(caller, Number(id));
    const dateId = dateAt(catalog, request.ticketingDate);
    await tokenAt(caller, catalog, dateId, Number(tokenId));
    const { token, code } = await core.door.tokens.reissueCode(caller, catalog.id, Number(tokenId));
    return reply.status(201).send(presentToken(catalog, token, dateId, code));
  });

  /**
   * The date a door key logs in at: its token's date; for a token of several dates (the global token
   * of an event with several dates), the first of them that has not ended yet — tonight's door — else
   * the last. The key opens each of its dates, at that date's URI.
   */
  async function loginDate(caller: Principal, catalog: Catalog): Promise<number | null> {
    const dates = catalog.dates.filter((d) => !catalog.scope.dateIds || catalog.scope.dateIds.includes(d.id));
    if (catalog.dates.length <= 1 || dates.length <= 1) return dates[0]?.id ?? null;
    // The ends are the event's (read as the caller will read it next, as the SDK does); unreadable, the first date.
    const event = await core.events.read(await core.tenancy.forEvent(caller, catalog.id), catalog.id).catch(() => null);
    if (!event) return dates[0].id;
    const now = core.ctx.clock().getTime();
    const ends = new Map(event.dates.map((d) => [d.id, Date.parse(d.endsAt ?? d.startsAt)]));
    return (dates.find((d) => (ends.get(d.id) ?? 0) >= now) ?? dates[dates.length - 1]).id;
  }

  // The admission login: the code becomes a door key, used as X-API-Key for this event's door only.
  app.get('/tokens/:code', { schema: { params: S.TokenCode } }, async (request, reply) => {
    const caller = callerOf(request);
    const session = await core.door.tokens.openSession((request.params as { code: string }).code, { ip: request.ip }).catch((error) => {
      // The facts file's 401 (the SDK reads a 401, like its own 404 case, as UnauthorisedError).
      if (error instanceof DomainError && error.code === 'NOT_FOUND') throw new TicketingError(401, MESSAGES.unknownTokenCode);
      throw error;
    });
    const doorCaller = (await core.door.tokens.authenticate(session.key))!;
    const catalog = await core.door.sync.catalog(doorCaller, session.eventId);
    const dateId = await loginDate(caller, catalog);
    // The event and its sections as the event itself names them, so the SDK finds each section in the event it reads.
    return reply.send({ key: session.key, event: `/events/${eventRef(catalog, dateId)}`, sections: sectionUris(catalog, dateId, catalog.scope.sectionIds) });
  });

  /** Tickets as TickeTing shows them: each names its own date-event and tariff-section. */
  async function presentTickets(catalog: Catalog, tickets: DoorTickets) {
    const owners = new Map<number, unknown>();
    for (const t of tickets) {
      if (t.holderAccountId && !owners.has(t.holderAccountId)) owners.set(t.holderAccountId, await refs.account(await core.accounts.get(t.holderAccountId)));
    }
    return tickets.map((t) => {
      const tariffs = catalog.tariffs.filter((x) => x.sectionId === t.sectionId);
      const name = catalog.sections.find((s) => s.id === t.sectionId)?.name ?? null;
      const label = tariffs.length > 1 ? tariffs.find((x) => x.id === t.tariffId)?.label : undefined;
      return {
        self: `/events/${eventRef(catalog, t.dateId)}/tickets/${t.id}`,
        serial: ticketSerial(t.barcode),
        status: TICKET_STATUS[t.status] ?? t.status,
        section: { self: sectionUri(catalog, t.dateId, t.sectionId, t.tariffId), name: label ? `${name} (${label})` : name },
        owner: (t.holderAccountId && owners.get(t.holderAccountId)) || { self: null, name: t.holderName },
        issued: offsetTime(t.issuedAt),
        redeemed: offsetTime(t.admittedAt) ?? 'N/A',
      };
    });
  }

  app.get('/events/:id/tickets', { schema: { params: S.Id, querystring: S.ListQuery({ modified_since: S.Instant }) } }, async (request, reply) => {
    const caller = callerOf(request);
    const catalog = await core.door.sync.catalog(caller, Number((request.params as { id: string }).id));
    const dateId = dateAt(catalog, request.ticketingDate);
    const q = request.query as ListQuery & { modified_since?: string };
    // One presentation per page (owners looked up once); the date's tickets only.
    return sendList(reply, q, async (page) => {
      const result = await core.door.sync.ticketPage(caller, catalog.id, page, { modifiedSince: q.modified_since, dateId });
      return { items: await presentTickets(catalog, result.items), total: result.total };
    }, (t) => t);
  });

  app.post('/events/:id/admissions', { schema: { params: S.Id, body: S.AdmissionBody } }, async (request, reply) => {
    const caller = callerOf(request);
    const catalog = await core.door.sync.catalog(caller, Number((request.params as { id: string }).id));
    const dateId = dateAt(catalog, request.ticketingDate);
    // A door key that does not open this date is refused like one of another event.
    await core.door.sync.dateScope(caller, catalog.id, dateId);
    const { redeemer, device, serials } = request.body as { redeemer: string; device: string; serials: string[] };
    const admissions = [];
    const refused: (string | null)[] = [];
    for (const serial of serials) {
      // A TickeTing serial names the ticket the native door knows by its barcode: one ticket, one admission.
      // The gate stands at the URI's date: a ticket of another date is `wrong_date`.
      const result = await core.door.scans.scan(caller, { code: barcodeOf(serial), device, eventId: catalog.id, dateId });
      if (result.admitted && result.ticket) admissions.push({ scanId: result.scanId!, at: result.scannedAt, ticketId: result.ticket.id });
      else refused.push(result.reason);
    }
    // Tickets of this event that were all admitted already are a state conflict (409); otherwise none of
    // the serials grants admission (400, the facts file's words, for another date's ticket too).
    if (admissions.length === 0) {
      if (refused.every((r) => r === 'already_admitted')) throw new TicketingError(409, MESSAGES.alreadyAdmitted);
      throw new TicketingError(400, MESSAGES.noAdmission);
    }
    const tickets = (await core.door.sync.ticketPage(caller, catalog.id, { limit: admissions.length, offset: 0 }, { ids: admissions.map((a) => a.ticketId) })).items;
    const shown = await presentTickets(catalog, tickets);
    return reply.status(201).send(admissions.map((a) => {
      const index = tickets.findIndex((t) => t.id === a.ticketId);
      const ticket = shown[index];
      return { self: `/events/${eventRef(catalog, tickets[index].dateId)}/admissions/${a.scanId}`, redeemer, device, ticket: ticket.serial, patron: ticket.owner, section: ticket.section, admitted: offsetTime(a.at) };
    }));
  });

  app.get('/events/:id/admissions', { schema: { params: S.Id, querystring: S.ListQuery() } }, async (request, reply) => {
    const caller = callerOf(request);
    const catalog = await core.door.sync.catalog(caller, Number((request.params as { id: string }).id));
    const dateId = dateAt(catalog, request.ticketingDate);
    await core.door.sync.dateScope(caller, catalog.id, dateId);
    const q = request.query as ListQuery;
    return sendList(reply, q, async (page) => {
      const scans = await core.door.scans.list(caller, catalog.id, page, { result: 'admitted', dateId });
      // The page's tickets in one read, each named with its own date and tariff.
      const ids = [...new Set(scans.items.flatMap((s) => (s.ticketId ? [s.ticketId] : [])))];
      const tickets = ids.length ? (await core.door.sync.ticketPage(caller, catalog.id, { limit: ids.length, offset: 0 }, { ids })).items : [];
      const shown = new Map((await presentTickets(catalog, tickets)).map((t, i) => [tickets[i].id, { ...t, dateId: tickets[i].dateId }]));
      return {
        total: scans.total,
        items: scans.items.map((scan) => {
          const ticket = scan.ticketId ? shown.get(scan.ticketId) : undefined;
          return {
            self: `/events/${eventRef(catalog, ticket?.dateId ?? dateId)}/admissions/${scan.id}`,
            // The redeemer's name is not kept by the door core; the device is.
            redeemer: null,
            device: scan.device ?? scan.controlPointName,
            ticket: ticket?.serial ?? ticketSerial(scan.code ?? ''),
            patron: ticket?.owner ?? { self: null },
            section: ticket?.section ?? { self: null },
            admitted: offsetTime(scan.scannedAt),
          };
        }),
      };
    }, (a) => a);
  });
}
