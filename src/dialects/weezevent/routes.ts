import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { Core } from '../../core/index.ts';
import { DomainError, invalid } from '../../core/errors.ts';
import type { Principal } from '../../core/identity/principal.ts';
import type { Event } from '../../core/catalog/events.ts';
import type { AttendeeFilter } from '../../core/selling/attendees.ts';
import { listing, lastUpdate, major, NOT_SCANNED, participant, splitName, type ControlStatus } from './present.ts';
import { localTime, nextDay, parseLocal, saleTime } from './time.ts';

// ---- Parameters -------------------------------------------------------------------------------

const Digits = Type.String({ pattern: '^[0-9]{1,9}$' });
/** A list parameter, already read from every spelling (`x[]=1&x[]=2`, `x=1&x=2`, `x=1,2`) by the dialect's edge (params.ts). */
const IdList = Type.Array(Digits, { maxItems: 1000 });
/** A flag, already read from every spelling (true/True/on/yes/1, …) to `1`/`0` by the dialect's edge (params.ts). */
const Flag = Type.String({ pattern: '^(0|1)$', description: '1/true/on/yes or 0/false/off/no/empty, any case' });
const LocalDate = Type.String({ minLength: 10, maxLength: 32, description: 'Y-m-d H:i:s (or Y-m-d)' });
const Text = Type.String({ maxLength: 200 });
const o = Type.Optional;
const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,9}$' }) });

const EventsQuery = Type.Object({ include_not_published: o(Flag), include_closed: o(Flag), include_without_sales: o(Flag) });
const DatesQuery = Type.Object({ id_event: IdList, display_passed: o(Flag) });
const TicketsQuery = Type.Object({ id_event: IdList });
const ParticipantsQuery = Type.Object({
  id_event: o(IdList),
  id_ticket: o(IdList),
  date_ticket: o(Type.Record(Type.String({ pattern: '^[0-9]{1,9}$' }), IdList, { additionalProperties: false, maxProperties: 500 })),
  last_update: o(LocalDate),
  last_update_before: o(LocalDate),
  include_deleted: o(Flag),
  include_unpaid: o(Flag),
  moderation: o(Flag),
  full: o(Flag),
  minimized: o(Flag),
  return_count: o(Flag),
  return_count_total: o(Flag),
  return_removed: o(Flag),
  max: o(Type.String({ pattern: '^[0-9]{1,6}$' })),
  page: o(Type.String({ pattern: '^[0-9]{1,6}$' })),
  transaction_reference: o(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 1000 })),
});
const SearchQuery = Type.Object({
  date: o(LocalDate),
  date_start: o(LocalDate),
  date_end: o(LocalDate),
  category: o(Digits),
  city: o(Text),
  zip_code: o(Text),
  country: o(Type.String({ pattern: '^[A-Za-z]{2}$' })),
  province: o(Text),
  organizer: o(Text),
  max_result: o(Type.String({ pattern: '^[0-9]{1,4}$' })),
});
const AuthParams = Type.Object({ username: o(Type.String({ maxLength: 255 })), password: o(Type.String({ maxLength: 1024 })), api_key: o(Type.String({ maxLength: 256 })) });

/** A flag the edge has read (`1`/`0`), or its default when the client left it out. */
const flag = (value: string | undefined, fallback: boolean) => (value === undefined ? fallback : value === '1');
const ids = (values: string[] | undefined) => (values === undefined ? undefined : [...new Set(values.map(Number))]);

/** The largest page the participant list serves (without `max`, every match up to this). */
const MAX_PARTICIPANTS = 10_000;

export async function weezeventRoutes(app: FastifyInstance, { core }: { core: Core }) {
  const partner = (request: FastifyRequest): Principal => {
    if (!request.partner) throw new DomainError('UNAUTHENTICATED', 'Invalid api_key or access_token');
    return request.partner;
  };
  const zoneOf = async (principal: Principal) => (await core.organizations.current(principal)).timeZone;

  /** Every path with and without its trailing slash. */
  const route = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | ('GET' | 'POST')[], paths: string[], options: RouteShorthandOptions & { schema?: Record<string, TSchema> }, handler: (request: FastifyRequest) => Promise<unknown>) => {
    for (const path of paths) {
      for (const url of [path, `${path}/`]) app.route({ method, url, ...options, handler: (request) => handler(request) });
    }
  };

  /** Every event of the organization (Weezevent lists them all, without paging). */
  async function allEvents(principal: Principal): Promise<Event[]> {
    const events: Event[] = [];
    for (let offset = 0; ; offset += 100) {
      const { items, total } = await core.events.list(principal, { limit: 100, offset });
      events.push(...items);
      if (offset + 100 >= total || items.length === 0) return events;
    }
  }

  /** The organization's events named by `id_event`; an unknown one (or another organization's) is 404. */
  async function eventsNamed(principal: Principal, eventIds: number[]): Promise<Event[]> {
    if (eventIds.length === 0) throw invalid('id_event', 'is required');
    return Promise.all(eventIds.map((id) => core.events.read(principal, id)));
  }

  // ---- Auth -------------------------------------------------------------------------------------

  route(['GET', 'POST'], ['/auth/access_token'], { config: { weezeventPublic: true }, schema: { querystring: AuthParams } }, async (request) => {
    const query = request.query as Record<string, string | undefined>;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const pick = (name: 'username' | 'password' | 'api_key') => {
      const value = body[name] ?? query[name];
      if (value !== undefined && (typeof value !== 'string' || value.length > 1024)) throw invalid(name, 'must be a text');
      return value as string | undefined;
    };
    const [username, password, apiKey] = [pick('username'), pick('password'), pick('api_key')];
    if (!apiKey) throw new DomainError('UNAUTHENTICATED', 'api_key is required');
    if (!username || password === undefined) throw invalid('username', 'username and password are required');
    return core.partnerAccess.signIn({ apiKey, username, password });
  });

  // ---- Events, dates, tickets -------------------------------------------------------------------

  route('GET', ['/events'], { schema: { querystring: EventsQuery } }, async (request) => {
    const principal = partner(request);
    const q = request.query as { include_not_published?: string; include_closed?: string; include_without_sales?: string };
    const includeNotPublished = flag(q.include_not_published, true);
    const includeClosed = flag(q.include_closed, false);
    const includeWithoutSales = flag(q.include_without_sales, false);
    const events = await allEvents(principal);
    const { perEvent } = await core.attendees.validCounts(principal, events.map((e) => e.id));
    const now = core.ctx.clock().toISOString();
    const closed = (e: Event) => e.status === 'cancelled' || (e.saleEndsAt !== null && e.saleEndsAt <= now) || e.dates.every((d) => (d.endsAt ?? d.startsAt) <= now);
    return {
      events: events
        .filter((e) => includeNotPublished || e.status === 'listed')
        .filter((e) => includeClosed || !closed(e))
        .filter((e) => includeWithoutSales || (perEvent.get(e.id) ?? 0) > 0)
        .map((e) => {
          const first = e.dates[0];
          const last = e.dates[e.dates.length - 1];
          return {
            id: e.id,
            name: e.title,
            date: { start: localTime(first?.startsAt, e.timeZone), end: e.dates.length > 1 ? localTime(last.endsAt ?? last.startsAt, e.timeZone) : localTime(first?.endsAt, e.timeZone) },
            participants: perEvent.get(e.id) ?? 0,
            multiple_dates: e.dates.length > 1 ? 1 : 0,
          };
        }),
    };
  });

  route('GET', ['/dates'], { schema: { querystring: DatesQuery } }, async (request) => {
    const principal = partner(request);
    const q = request.query as { id_event: string[]; display_passed?: string };
    const events = await eventsNamed(principal, ids(q.id_event)!);
    const displayPassed = flag(q.display_passed, false);
    const now = core.ctx.clock().toISOString();
    return {
      dates: events.flatMap((e) =>
        e.dates
          .filter((d) => d.status !== 'cancelled' && (displayPassed || (d.endsAt ?? d.startsAt) > now))
          .map((d) => ({
            id: d.id,
            id_event: e.id,
            date: localTime(d.startsAt, e.timeZone),
            tickets: e.tariffs.filter((t) => d.capacities.some((c) => c.sectionId === t.sectionId)).map((t) => String(t.id)),
          })),
      ),
    };
  });

  route('GET', ['/tickets'], { schema: { querystring: TicketsQuery } }, async (request) => {
    const principal = partner(request);
    const events = await eventsNamed(principal, ids((request.query as { id_event: string[] }).id_event)!);
    const { perTariff } = await core.attendees.validCounts(principal, events.map((e) => e.id));
    return {
      events: events.map((e) => {
        const ticket = (t: Event['tariffs'][number]) => ({
          id: String(t.id),
          name: t.label,
          price: major(t.price, t.currency),
          participants: perTariff.get(t.id) ?? 0,
          quota: t.quota ?? 0,
          start_sale: saleTime(t.saleStartsAt ?? e.saleStartsAt),
          end_sale: saleTime(t.saleEndsAt ?? e.saleEndsAt),
        });
        // Sections are Weezevent's ticket categories; a single-section event lists its tariffs directly.
        if (e.sections.length <= 1) return { id: e.id, name: e.title, tickets: e.tariffs.map(ticket), categories: [] };
        return {
          id: e.id,
          name: e.title,
          tickets: [],
          categories: e.sections.map((s) => ({ id: String(s.id), name: s.name, tickets: e.tariffs.filter((t) => t.sectionId === s.id).map(ticket), categories: [] })),
        };
      }),
    };
  });

  // ---- Participants -----------------------------------------------------------------------------

  route('GET', ['/participant/list', '/participants'], { schema: { querystring: ParticipantsQuery } }, async (request) => {
    const principal = partner(request);
    const q = request.query as Record<string, string | undefined> & {
      id_event?: string[]; id_ticket?: string[]; date_ticket?: Record<string, string[]>; transaction_reference?: string[];
    };
    const zone = await zoneOf(principal);
    const serverTime = core.ctx.clock().toISOString();
    const at = (name: 'last_update' | 'last_update_before') => {
      if (q[name] === undefined) return undefined;
      const parsed = parseLocal(q[name]!, zone);
      if (!parsed) throw invalid(name, 'must be a date as YYYY-MM-DD HH:MM:SS');
      return parsed;
    };
    const filter: AttendeeFilter = {
      eventIds: ids(q.id_event),
      tariffIds: ids(q.id_ticket),
      dateTariffs: q.date_ticket ? Object.entries(q.date_ticket).map(([dateId, tariffIds]) => ({ dateId: Number(dateId), tariffIds: ids(tariffIds)! })) : undefined,
      orderNumbers: q.transaction_reference,
      changedSince: at('last_update'),
      changedBefore: at('last_update_before'),
      includeWithdrawn: flag(q.include_deleted, false),
      onlyWithdrawn: flag(q.return_removed, false),
      includeUnpaid: flag(q.include_unpaid, false),
    };
    if (filter.dateTariffs && !filter.tariffIds) filter.tariffIds = [];
    if (filter.tariffIds && !filter.dateTariffs) filter.dateTariffs = [];
    const max = q.max === undefined ? MAX_PARTICIPANTS : Math.min(Number(q.max), MAX_PARTICIPANTS);
    if (max < 1) throw invalid('max', 'must be at least 1');
    // Pages count from 1; page 0 is read as the first page too.
    const page = Math.max(1, Number(q.page ?? 1));
    const attendees = await core.attendees.list(principal, filter, { limit: max, offset: (page - 1) * max });
    const full = flag(q.full, false);
    const minimized = flag(q.minimized, false);
    const answers = full ? await core.attendees.answersOfOrders(principal, attendees.flatMap((a) => (a.orderId === null ? [] : [a.orderId]))) : null;
    const doors = await controlStatuses(principal, attendees.map((a) => ({ id: a.ticketId, zone: a.timeZone })));
    const body: Record<string, unknown> = {
      participants: attendees.map((a) => participant(a, { full, minimized, answers: a.orderId === null ? [] : answers?.get(a.orderId), control: doors.get(a.ticketId) })),
    };
    if (flag(q.return_count, false) || flag(q.return_count_total, false)) {
      const counts = await core.attendees.counts(principal, filter);
      if (flag(q.return_count, false)) body.count = { active: counts.valid, deleted: counts.withdrawn };
      if (flag(q.return_count_total, false)) body.count_total = counts.valid + counts.withdrawn + (filter.includeUnpaid ? counts.unpaid : 0);
    }
    body.server_time = localTime(serverTime, zone);
    return body;
  });

  route('GET', ['/participant/:id/answers', '/participants/:id/answers'], { schema: { params: IdParams } }, async (request) => {
    const id = Number((request.params as { id: string }).id);
    return { answers: await core.attendees.answers(partner(request), id) };
  });

  // ---- The door: control status, ticket stats, scan settings, scan user --------------------------

  /** Weezevent's control_status of tickets, from the door: "1" once admitted (in or out since), with when and where. */
  async function controlStatuses(principal: Principal, tickets: { id: number; zone: string }[]): Promise<Map<number, ControlStatus>> {
    const states = await core.door.ticketStates(principal, tickets.map((t) => t.id));
    const out = new Map<number, ControlStatus>();
    for (const t of tickets) {
      const s = states.get(t.id);
      if (!s || s.doorState === 'none') continue;
      out.set(t.id, {
        status: '1',
        scan_date: s.admittedAt ? localTime(s.admittedAt, t.zone) : NOT_SCANNED.scan_date,
        scan_user: String(s.controlPointId ?? 0),
        scan_user_name: s.controlPointName ?? s.device ?? '',
      });
    }
    return out;
  }

  route('GET', ['/tickets/:id/stats', '/ticket/:id/stats'], { schema: { params: IdParams, querystring: Type.Object({ id_date: o(Digits) }) } }, async (request) => {
    const principal = partner(request);
    const tariffId = Number((request.params as { id: string }).id);
    const dateId = (request.query as { id_date?: string }).id_date;
    // The door's counts for the tariff over all its dates; with id_date, that date's row only.
    const counts = await core.door.tariffCounts(principal, tariffId);
    if (dateId === undefined) return { stats: { total: counts.total, scanned: counts.scanned, in: counts.in, out: counts.out } };
    const stats = { total: 0, scanned: 0, in: 0, out: 0 };
    for (const row of (await core.door.statistics(principal, counts.eventId)).byTariff) {
      if (row.tariffId !== tariffId || row.dateId !== Number(dateId)) continue;
      stats.total += row.total;
      stats.scanned += row.scanned;
      stats.in += row.in;
      stats.out += row.out;
    }
    return { stats };
  });

  /** Settings of the access-control app, per user (the organization's defaults beneath). POST changes them. */
  const CREDENTIAL_FIELDS = new Set(['api_key', 'access_token']);
  route('GET', ['/scan/settings'], {}, async (request) => ({ settings: await core.door.controlPoints.settings(partner(request)) }));
  route('POST', ['/scan/settings'], {}, async (request) => {
    const body = request.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body)) throw invalid('settings', 'must be form fields or a JSON object');
    const changes = Object.fromEntries(Object.entries(body as Record<string, unknown>).filter(([k]) => !CREDENTIAL_FIELDS.has(k)));
    if (Object.keys(changes).length > 100) throw invalid('settings', 'at most 100 settings');
    for (const [key, value] of Object.entries(changes)) {
      if (typeof value !== 'string' || value.length > 1000) throw invalid(key, 'must be a text of at most 1000 characters');
    }
    return { settings: await core.door.controlPoints.updateSettings(partner(request), changes as Record<string, string>) };
  });

  /** Names a control station: the control point of that name (created on first use); its id identifies the station's scans. */
  route('POST', ['/scan/user'], {}, async (request) => {
    const principal = partner(request);
    const raw = (request.body as { user?: unknown } | undefined)?.user ?? (request.query as { user?: unknown }).user;
    if (raw !== undefined && (typeof raw !== 'string' || raw.length > 200)) throw invalid('user', 'must be a name of at most 200 characters');
    const name = ((raw as string | undefined) ?? '').trim();
    if (!name) throw invalid('user', 'is required');
    for (let offset = 0; ; offset += 100) {
      const { items, total } = await core.door.controlPoints.list(principal, { limit: 100, offset });
      const found = items.find((c) => c.name === name);
      if (found) return { id: String(found.id) };
      if (offset + 100 >= total || items.length === 0) break;
    }
    return { id: String((await core.door.controlPoints.create(principal, { name })).id) };
  });

  // ---- Event details, search, categories ----------------------------------------------------------

  async function countryNames(codes: (string | undefined)[]) {
    const names = new Map<string, string>();
    for (const code of new Set(codes.filter((c): c is string => Boolean(c)))) {
      const { items } = await core.reference.countries({ limit: 1, offset: 0 }, { code });
      if (items[0]) names.set(code, items[0].name.toUpperCase());
    }
    return names;
  }

  route('GET', ['/event/:id/details', '/events/:id/details'], { schema: { params: IdParams } }, async (request) => {
    const principal = partner(request);
    const event = await core.calendar.details(principal, Number((request.params as { id: string }).id));
    return { last_update: lastUpdate(event.updatedAt, event.timeZone), events: listing(event, await countryNames([event.venue?.countryCode]), true) };
  });

  route('GET', ['/event/search', '/event/search/full'], { schema: { querystring: SearchQuery } }, async (request) => {
    const principal = partner(request);
    const q = request.query as Record<string, string | undefined>;
    const zone = await zoneOf(principal);
    const day = (name: string) => {
      if (q[name] === undefined) return undefined;
      const parsed = parseLocal(q[name]!, zone);
      if (!parsed) throw invalid(name, 'must be a date as YYYY-MM-DD');
      return parsed;
    };
    const date = day('date');
    const from = date ?? day('date_start');
    const until = date ?? day('date_end');
    const events = await core.calendar.search({
      from,
      to: until ? nextDay(until, zone) : undefined,
      categoryId: q.category === undefined ? undefined : Number(q.category),
      city: q.city,
      zip: q.zip_code,
      countryCode: q.country,
      province: q.province,
      organizer: q.organizer,
      limit: q.max_result === undefined ? 100 : Math.max(1, Math.min(Number(q.max_result), 1000)),
    });
    const names = await countryNames(events.map((e) => e.venue?.countryCode));
    const newest = events.map((e) => e.updatedAt).sort().pop() ?? core.ctx.clock().toISOString();
    return { last_update: lastUpdate(newest, zone), count: events.length, events: events.map((e) => listing(e, names, false)) };
  });

  route(['GET', 'POST'], ['/event/categories'], { config: { weezeventPublic: true } }, async () => {
    const all = await core.categories.all();
    const flat = new Map<number, (typeof all)[number]>();
    const walk = (list: typeof all) => list.forEach((c) => { flat.set(c.id, c); walk(c.subcategories ?? []); });
    walk(all);
    const newest = [...flat.values()].map((c) => c.updatedAt).sort().pop() ?? core.ctx.clock().toISOString();
    return {
      last_update: lastUpdate(newest, 'Europe/Paris'),
      event_categories: [...flat.values()].map((c) => ({ id: String(c.id), name: c.names.fr, name_other: c.names.en })),
    };
  });

  // ---- Participant writes (v3) ------------------------------------------------------------------

  /** The `data` field: `{"participants":[…]}`, as JSON text (form field) or already an object (JSON body). */
  function participantsOf(request: FastifyRequest): Record<string, unknown>[] {
    const body = request.body;
    const raw = (body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined) ?? (request.query as { data?: unknown }).data;
    if (raw === undefined) throw invalid('data', 'is required: {"participants":[…]}');
    if (typeof raw === 'string' && raw.length > 1_000_000) throw invalid('data', 'is too long');
    let data: unknown = raw;
    if (typeof raw === 'string') {
      try {
        data = JSON.parse(raw);
      } catch {
        throw invalid('data', 'must be JSON');
      }
    }
    const list = (data as { participants?: unknown })?.participants;
    if (!Array.isArray(list) || list.length === 0) throw invalid('data.participants', 'must be a non-empty list');
    if (list.length > 500) throw invalid('data.participants', 'must hold at most 500 participants');
    if (!list.every((p) => p !== null && typeof p === 'object' && !Array.isArray(p))) throw invalid('data.participants', 'must be a list of objects');
    return list as Record<string, unknown>[];
  }
  const idField = (p: Record<string, unknown>, name: string, i: number, required = true): number | undefined => {
    const value = p[name];
    if (value === undefined || value === null || value === '') {
      if (required) throw invalid(`participants.${i}.${name}`, 'is required');
      return undefined;
    }
    if (!/^[0-9]{1,9}$/.test(String(value)) || Number(value) < 1) throw invalid(`participants.${i}.${name}`, 'must be a positive integer id');
    return Number(value);
  };
  const textField = (p: Record<string, unknown>, name: string, i: number, max = 200): string | undefined => {
    const value = p[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.length > max) throw invalid(`participants.${i}.${name}`, `must be a text of at most ${max} characters`);
    return value.trim();
  };
  const fullName = (prenom?: string, nom?: string) => [prenom, nom].filter(Boolean).join(' ');
  const writeOptions = {};

  route('POST', ['/v3/participants'], writeOptions, async (request) => {
    const principal = partner(request);
    const list = participantsOf(request);
    const inputs = [];
    for (const [i, p] of list.entries()) {
      const eventId = idField(p, 'id_evenement', i)!;
      const tariffId = idField(p, 'id_billet', i)!;
      const dateId = idField(p, 'id_date', i, false);
      const nom = textField(p, 'nom', i);
      const prenom = textField(p, 'prenom', i);
      const email = textField(p, 'email', i, 255);
      const event = await core.events.read(principal, eventId).catch(() => {
        throw invalid(`participants.${i}.id_evenement`, 'is not an event of this organization');
      });
      const tariff = event.tariffs.find((t) => t.id === tariffId);
      if (!tariff) throw invalid(`participants.${i}.id_billet`, 'is not a ticket of this event');
      const live = event.dates.filter((d) => d.status !== 'cancelled');
      const date = dateId === undefined ? (live.length === 1 ? live[0] : undefined) : event.dates.find((d) => d.id === dateId);
      if (!date) throw invalid(`participants.${i}.id_date`, dateId === undefined ? 'is required: the event has several dates' : 'is not a date of this event');
      const name = fullName(prenom, nom) || email || 'Participant';
      inputs.push({ eventId, dateId: date.id, sectionId: tariff.sectionId, tariffId, name, email: email || null, quantity: 1, note: 'Weezevent participant' });
    }
    const guests = await core.guests.createMany(principal, inputs);
    const participants = guests.map((g, i) => {
      const ticket = g.tickets[0];
      const name = splitName(g.name);
      return {
        id_participant: ticket.id,
        id_evenement: g.eventId,
        id_billet: g.tariffId,
        id_date: g.dateId,
        email: g.email ?? '',
        nom: textField(list[i], 'nom', i) ?? name.last,
        prenom: textField(list[i], 'prenom', i) ?? name.first,
        barcode: ticket.barcode,
      };
    });
    return { participants, total_added: participants.length };
  });

  route('PATCH', ['/v3/participants'], writeOptions, async (request) => {
    const principal = partner(request);
    const list = participantsOf(request);
    const changes = [];
    for (const [i, p] of list.entries()) {
      const id = idField(p, 'id_participant', i)!;
      const ticket = await core.tickets.read(principal, id);
      if (ticket.status !== 'valid') throw invalid(`participants.${i}.id_participant`, 'is not a valid participant');
      const nom = textField(p, 'nom', i);
      const prenom = textField(p, 'prenom', i);
      const email = textField(p, 'email', i, 255);
      const current = splitName(ticket.holderName);
      const holderName = nom !== undefined || prenom !== undefined ? fullName(prenom ?? current.first, nom ?? current.last) : undefined;
      if (email !== undefined && email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalid(`participants.${i}.email`, 'must be an e-mail address');
      changes.push({ id, holderName, holderEmail: email === undefined ? undefined : email || null });
    }
    const participants = [];
    for (const c of changes) {
      const t = await core.tickets.updateHolder(principal, c.id, { ...(c.holderName !== undefined ? { holderName: c.holderName } : {}), ...(c.holderEmail !== undefined ? { holderEmail: c.holderEmail } : {}) });
      const name = splitName(t.holderName);
      participants.push({ id_participant: t.id, id_evenement: t.eventId, id_billet: t.tariffId, id_date: t.dateId, email: t.holderEmail ?? '', nom: name.last, prenom: name.first, barcode: t.barcode });
    }
    return { participants, total_updated: participants.length };
  });

  route('DELETE', ['/v3/participants'], writeOptions, async (request) => {
    const principal = partner(request);
    const list = participantsOf(request);
    const ticketIds = list.map((p, i) => idField(p, 'id_participant', i)!);
    await core.guests.cancelTickets(principal, ticketIds);
    return { participants: ticketIds.map((id) => ({ id_participant: id, deleted: '1' })), total_deleted: ticketIds.length };
  });
}
