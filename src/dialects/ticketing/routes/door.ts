import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.ts';
import { DomainError, invalid } from '../../../core/errors.ts';
import type { Principal } from '../../../core/identity/principal.ts';
import type { AdmissionToken } from '../../../core/door/index.ts';
import { MESSAGES, TicketingError, callerOf } from '../index.ts';
import { barcodeOf, eventRef, offsetTime, parseSectionUri, sectionRef, ticketSerial } from '../identifiers.ts';
import { sendList, type ListQuery, type References } from '../present.ts';
import * as S from '../schemas.ts';

/** TickeTing ticket statuses: a valid ticket is `Issued`. */
const TICKET_STATUS: Record<string, string> = { valid: 'Issued', pending: 'Pending', cancelled: 'Cancelled', refunded: 'Refunded' };

/** `/events/{e}/sections/{s}` or `/sections/{s}` (each possibly `{id}-{date or tariff}`) → the section id, checked against the event. */
function sectionId(eventId: number, uri: string): number {
  const parsed = parseSectionUri(uri);
  if (!parsed || (parsed.event && parsed.event.id !== eventId)) throw invalid('sections', `${uri} is not a section URI of this event`);
  return parsed.section.id;
}

/**
 * The door on the door core: admission tokens, the admission login (`GET /tokens/{code}` gives a
 * door key used as X-API-Key), the tickets of the redeemer's sections, admissions.
 */
export async function doorRoutes(app: FastifyInstance, { core, refs }: { core: Core; refs: References }) {
  /** A token; its sections are the URIs the event (or the date `dateId` of it) shows them under, one per tariff. */
  async function presentToken(caller: Principal, t: AdmissionToken, dateId: number | null, code: string | null = null) {
    const sections = t.sectionIds ?? (await core.door.sync.scopeSections(caller, t.eventId)).map((s) => s.id);
    const event = await core.events.read(caller, t.eventId);
    const uri = (sectionId: number, tariffId: number | null) => `/events/${eventRef(event, dateId)}/sections/${sectionRef(event, sectionId, tariffId)}`;
    const uris = sections.flatMap((s) => {
      const tariffs = event.tariffs.filter((tariff) => tariff.sectionId === s);
      return tariffs.length > 0 ? tariffs.map((tariff) => uri(s, tariff.id)) : [uri(s, null)];
    });
    // Codes are stored as digests: shown only when issued (or drawn again).
    return { self: `/events/${eventRef(event, dateId)}/tokens/${t.id}`, code, global: t.global, sections: uris };
  }

  app.post('/events/:id/tokens', { schema: { params: S.Id, body: S.TokenBody } }, async (request, reply) => {
    const caller = callerOf(request);
    const eventId = Number((request.params as { id: string }).id);
    const { sections } = request.body as { sections: string[] };
    const { token, code } = await core.door.tokens.create(caller, eventId, { sectionIds: sections.map((s) => sectionId(eventId, s)) });
    return reply.status(201).send(await presentToken(caller, token, request.ticketingDate, code));
  });
  app.get('/events/:id/tokens', { schema: { params: S.Id, querystring: S.ListQuery({ global: S.EventFilters.active }) } }, async (request, reply) => {
    const caller = callerOf(request);
    const eventId = Number((request.params as { id: string }).id);
    const q = request.query as ListQuery & { global?: boolean };
    return sendList(reply, q, (page) => core.door.tokens.list(caller, eventId, page, { global: q.global }), (t) => presentToken(caller, t, request.ticketingDate));
  });
  app.get('/events/:id/tokens/:section', { schema: { params: S.EventSection } }, async (request, reply) => {
    const caller = callerOf(request);
    const { id, section: tokenId } = request.params as { id: string; section: string };
    return reply.send(await presentToken(caller, await core.door.tokens.read(caller, Number(id), Number(tokenId)), request.ticketingDate));
  });
  app.put('/events/:id/tokens/:section', { schema: { params: S.EventSection, body: S.TokenBody } }, async (request, reply) => {
    const caller = callerOf(request);
    const { id, section: tokenId } = request.params as { id: string; section: string };
    const { sections } = request.body as { sections: string[] };
    const token = await core.door.tokens.update(caller, Number(id), Number(tokenId), { sectionIds: sections.map((s) => sectionId(Number(id), s)) });
    return reply.send(await presentToken(caller, token, request.ticketingDate));
  });
  app.delete('/events/:id/tokens/:section', { schema: { params: S.EventSection } }, async (request, reply) => {
    const caller = callerOf(request);
    const { id, section: tokenId } = request.params as { id: string; section: string };
    // TickeTing's global token cannot be invalidated (Guichet's native door may revoke it).
    if ((await core.door.tokens.read(caller, Number(id), Number(tokenId))).global) throw new TicketingError(409, MESSAGES.globalToken);
    await core.door.tokens.revoke(caller, Number(id), Number(tokenId));
    return reply.status(200).send({});
  });
  /** Guichet addition: draws a new code for a token (codes are shown once; the global token is born without a visible one). */
  app.post('/events/:id/tokens/:section/codes', { schema: { params: S.EventSection, body: S.Empty } }, async (request, reply) => {
    const caller = callerOf(request);
    const { id, section: tokenId } = request.params as { id: string; section: string };
    const { token, code } = await core.door.tokens.reissueCode(caller, Number(id), Number(tokenId));
    return reply.status(201).send(await presentToken(caller, token, request.ticketingDate, code));
  });

  // The admission login: the code becomes a door key, used as X-API-Key for this event's door only.
  app.get('/tokens/:code', { schema: { params: S.TokenCode } }, async (request, reply) => {
    callerOf(request);
    const session = await core.door.tokens.openSession((request.params as { code: string }).code, { ip: request.ip }).catch((error) => {
      // The facts file's 401 (the SDK reads a 401, like its own 404 case, as UnauthorisedError).
      if (error instanceof DomainError && error.code === 'NOT_FOUND') throw new TicketingError(401, MESSAGES.unknownTokenCode);
      throw error;
    });
    const doorCaller = (await core.door.tokens.authenticate(session.key))!;
    const sections = await core.door.sync.scopeSections(doorCaller, session.eventId);
    return reply.send({ key: session.key, event: `/events/${session.eventId}`, sections: sections.map((s) => `/events/${session.eventId}/sections/${s.id}`) });
  });

  async function presentTickets(caller: Principal, eventId: number, tickets: Awaited<ReturnType<Core['door']['sync']['ticketPage']>>['items']) {
    const sections = new Map((await core.door.sync.scopeSections(caller, eventId)).map((s) => [s.id, s]));
    const owners = new Map<number, unknown>();
    for (const t of tickets) {
      if (t.holderAccountId && !owners.has(t.holderAccountId)) owners.set(t.holderAccountId, await refs.account(await core.accounts.get(t.holderAccountId)));
    }
    return tickets.map((t) => ({
      self: `/events/${eventId}/tickets/${t.id}`,
      serial: ticketSerial(t.barcode),
      status: TICKET_STATUS[t.status] ?? t.status,
      section: { self: `/events/${eventId}/sections/${t.sectionId}`, name: sections.get(t.sectionId)?.name ?? null },
      owner: (t.holderAccountId && owners.get(t.holderAccountId)) || { self: null, name: t.holderName },
      issued: offsetTime(t.issuedAt),
      redeemed: offsetTime(t.admittedAt) ?? 'N/A',
    }));
  }

  app.get('/events/:id/tickets', { schema: { params: S.Id, querystring: S.ListQuery({ modified_since: S.Instant }) } }, async (request, reply) => {
    const caller = callerOf(request);
    const eventId = Number((request.params as { id: string }).id);
    const q = request.query as ListQuery & { modified_since?: string };
    // One presentation per page (section names and owners looked up once).
    return sendList(reply, q, async (page) => {
      const result = await core.door.sync.ticketPage(caller, eventId, page, { modifiedSince: q.modified_since });
      return { items: await presentTickets(caller, eventId, result.items), total: result.total };
    }, (t) => t);
  });

  app.post('/events/:id/admissions', { schema: { params: S.Id, body: S.AdmissionBody } }, async (request, reply) => {
    const caller = callerOf(request);
    const eventId = Number((request.params as { id: string }).id);
    const { redeemer, device, serials } = request.body as { redeemer: string; device: string; serials: string[] };
    const admissions = [];
    const refused: (string | null)[] = [];
    for (const serial of serials) {
      // A TickeTing serial names the ticket the native door knows by its barcode: one ticket, one admission.
      const result = await core.door.scans.scan(caller, { code: barcodeOf(serial), device, eventId });
      if (result.admitted && result.ticket) admissions.push({ scanId: result.scanId!, at: result.scannedAt, ticketId: result.ticket.id });
      else refused.push(result.reason);
    }
    // Tickets of this event that were all admitted already are a state conflict (409); otherwise none of the serials grants admission (400).
    if (admissions.length === 0) {
      if (refused.every((r) => r === 'already_admitted')) throw new TicketingError(409, MESSAGES.alreadyAdmitted);
      throw new TicketingError(400, MESSAGES.noAdmission);
    }
    const tickets = (await core.door.sync.ticketPage(caller, eventId, { limit: admissions.length, offset: 0 }, { ids: admissions.map((a) => a.ticketId) })).items;
    const shown = await presentTickets(caller, eventId, tickets);
    return reply.status(201).send(admissions.map((a) => {
      const ticket = shown[tickets.findIndex((t) => t.id === a.ticketId)];
      return { self: `/events/${eventId}/admissions/${a.scanId}`, redeemer, device, ticket: ticket.serial, patron: ticket.owner, section: ticket.section, admitted: offsetTime(a.at) };
    }));
  });

  app.get('/events/:id/admissions', { schema: { params: S.Id, querystring: S.ListQuery() } }, async (request, reply) => {
    const caller = callerOf(request);
    const eventId = Number((request.params as { id: string }).id);
    const q = request.query as ListQuery;
    return sendList(reply, q, (page) => core.door.scans.list(caller, eventId, page, { result: 'admitted' }), async (scan) => {
      const [ticket] = scan.ticketId ? (await core.door.sync.ticketPage(caller, eventId, { limit: 1, offset: 0 }, { ids: [scan.ticketId] })).items : [];
      const [shown] = ticket ? await presentTickets(caller, eventId, [ticket]) : [];
      return {
        self: `/events/${eventId}/admissions/${scan.id}`,
        // The redeemer's name is not kept by the door core; the device is.
        redeemer: null,
        device: scan.device ?? scan.controlPointName,
        ticket: shown?.serial ?? ticketSerial(scan.code ?? ''),
        patron: shown?.owner ?? { self: null },
        section: shown?.section ?? { self: null },
        admitted: offsetTime(scan.scannedAt),
      };
    });
  });
}
