import { createGlobalToken } from '../door/tokens.ts';
import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { fromFlag, isForeignKeyViolation, parseJsonList, toFlag, toIso } from '../../db/quirks.ts';
import { columnsOf } from '../../db/columns.ts';
import type { Db } from '../../db/database.ts';
import { type Principal, requirePlatformAdministrator, requireScope } from '../identity/principal.ts';
import { identityRepository } from '../identity/repository.ts';
import { referenceService } from '../reference/reference.ts';
import { isTimeZone } from '../identity/organizations.ts';
import { changePlacesByNumber, isSeated } from './section-places.ts';
import { catalogRepository, categories, channels, eventDates, events, sectionCapacities, sections, series, tariffs, venues, type EventListFilter } from './repository.ts';
import { parseInstant } from '../validation.ts';
import { localDateTime } from './local-time.ts';
import { recordEvent } from '../delivery/index.ts';

export const EVENT_STATUSES = ['draft', 'under_review', 'scheduled', 'listed', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
export const DATE_STATUSES = ['scheduled', 'cancelled'] as const;
export type DateStatus = (typeof DATE_STATUSES)[number];

/**
 * The event life cycle: an organizer drafts and submits; a platform administrator reviews
 * (back to draft, or approved as scheduled or directly listed); listed events are on public sale.
 */
const TRANSITIONS: Record<EventStatus, readonly EventStatus[]> = {
  draft: ['under_review', 'cancelled'],
  under_review: ['draft', 'scheduled', 'listed', 'cancelled'],
  scheduled: ['listed', 'cancelled'],
  listed: ['scheduled', 'cancelled'],
  cancelled: [],
};

export interface EventInput {
  title: string;
  description?: string | null;
  categoryId?: number | null;
  subcategoryId?: number | null;
  venueId?: number | null;
  seriesId?: number | null;
  timeZone?: string;
  isPublic?: boolean;
  /** Door: may a ticket that went out come back in? */
  reentryAllowed?: boolean;
  saleStartsAt?: string | null;
  saleEndsAt?: string | null;
  tags?: string[];
  imageUrls?: string[];
  /** Free-text kind of event and conditions of entry (TickeTing `type`, `disclaimer`). */
  type?: string | null;
  disclaimer?: string | null;
  /** Whether checkout asks a name per ticket: none, optional or required. */
  holderNames?: HolderNames;
  sections?: SectionInput[];
  dates?: DateInput[];
}
export const HOLDER_NAMES = ['none', 'optional', 'required'] as const;
export type HolderNames = (typeof HOLDER_NAMES)[number];
export interface DateInput { startsAt: string; endsAt?: string | null; venueId?: number | null; status?: DateStatus }
export interface SectionInput { name: string; description?: string | null; capacity: number; position?: number }
export interface TariffInput {
  sectionId: number;
  label: string;
  price: number;
  currency?: string;
  saleStartsAt?: string | null;
  saleEndsAt?: string | null;
  maxPerOrder?: number | null;
  quota?: number | null;
  position?: number;
  /** Sales channels the tariff is sold on; empty means every channel. */
  channelIds?: number[];
}

export interface EventDate {
  id: number;
  startsAt: string;
  endsAt: string | null;
  venueId: number | null;
  status: DateStatus;
  /** Each section's capacity on this date; `seated`: sold seat by seat from the date's seat map (its capacity is its number of seats, changed only with the map). */
  capacities: { sectionId: number; capacity: number; seated: boolean }[];
}
export interface Section { id: number; name: string; description: string | null; capacity: number; position: number }
export interface Tariff {
  id: number;
  sectionId: number;
  label: string;
  price: number;
  currency: string;
  saleStartsAt: string | null;
  saleEndsAt: string | null;
  maxPerOrder: number | null;
  quota: number | null;
  position: number;
  channelIds: number[];
}
export interface Event {
  id: number;
  title: string;
  description: string | null;
  status: EventStatus;
  isPublic: boolean;
  reentryAllowed: boolean;
  categoryId: number | null;
  subcategoryId: number | null;
  venueId: number | null;
  seriesId: number | null;
  timeZone: string;
  saleStartsAt: string | null;
  saleEndsAt: string | null;
  tags: string[];
  imageUrls: string[];
  type: string | null;
  disclaimer: string | null;
  holderNames: HolderNames;
  dates: EventDate[];
  sections: Section[];
  tariffs: Tariff[];
  createdAt: string;
  updatedAt: string;
}

type EventRow = NonNullable<Awaited<ReturnType<typeof events.get>>>;
type Parts = Awaited<ReturnType<typeof catalogRepository.eventParts>>;

function assemble(row: EventRow, parts: Parts): Event {
  const capacities = parts.capacities.filter((c) => c.event_id === row.id);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status as EventStatus,
    isPublic: fromFlag(row.is_public),
    reentryAllowed: fromFlag(row.reentry_allowed),
    categoryId: row.category_id,
    subcategoryId: row.subcategory_id,
    venueId: row.venue_id,
    seriesId: row.series_id,
    timeZone: row.time_zone,
    saleStartsAt: toIso(row.sale_starts_at),
    saleEndsAt: toIso(row.sale_ends_at),
    tags: parseJsonList(row.tags),
    imageUrls: parseJsonList(row.image_urls),
    type: row.event_type,
    disclaimer: row.disclaimer,
    holderNames: row.holder_names as HolderNames,
    dates: parts.dates
      .filter((d) => d.event_id === row.id)
      .map((d) => ({
        id: d.id,
        startsAt: toIso(d.starts_at)!,
        endsAt: toIso(d.ends_at),
        venueId: d.venue_id,
        status: d.status as DateStatus,
        capacities: capacities.filter((c) => c.date_id === d.id).map((c) => ({ sectionId: c.section_id, capacity: c.capacity, seated: isSeated(c) })),
      })),
    sections: parts.sections
      .filter((s) => s.event_id === row.id)
      .map((s) => ({ id: s.id, name: s.name, description: s.description, capacity: s.capacity, position: s.position })),
    tariffs: parts.tariffs
      .filter((t) => t.event_id === row.id)
      .map((t) => ({
        id: t.id,
        sectionId: t.section_id,
        label: t.label,
        price: t.price,
        currency: t.currency,
        saleStartsAt: toIso(t.sale_starts_at),
        saleEndsAt: toIso(t.sale_ends_at),
        maxPerOrder: t.max_per_order,
        quota: t.quota,
        position: t.position,
        channelIds: parts.tariffChannels.filter((c) => c.tariff_id === t.id).map((c) => c.channel_id),
      })),
    createdAt: toIso(row.created_at)!,
    updatedAt: toIso(row.updated_at)!,
  };
}

function instant(field: string, value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const parsed = parseInstant(value);
  if (!parsed) throw invalid(field, 'must be an ISO 8601 date-time with a time zone, e.g. 2026-06-01T20:00:00+02:00');
  return parsed;
}

function window(startField: string, start: string | null | undefined, end: string | null | undefined) {
  if (start && end && start >= end) throw invalid(startField, 'must be before the end of the window');
}

/** Whether the caller sees every event of its organization, or only those on public sale. */
const seesUnlisted = (principal: Principal) => principal.scopes.has('sell') || principal.scopes.has('admin');

/** Whether an event of the caller's organization is hidden from this caller (not on public sale). */
const hiddenFrom = (principal: Principal, row: { status: string; is_public: number }) => !seesUnlisted(principal) && !(row.status === 'listed' && fromFlag(row.is_public));

export function eventService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  async function load(db: Db, principal: Principal, id: number): Promise<Event> {
    const row = await events.get(db, principal.organizationId, id);
    if (!row || hiddenFrom(principal, row)) throw notFound('Event');
    return assemble(row, await catalogRepository.eventParts(db, principal.organizationId, [id]));
  }

  /** An event the caller may change; cancelled events are frozen. */
  async function editable(db: Db, principal: Principal, id: number): Promise<EventRow> {
    requireScope(principal, 'sell', 'admin');
    const row = await events.get(db, principal.organizationId, id);
    if (!row) throw notFound('Event');
    if (row.status === 'cancelled') throw new DomainError('INVALID_TRANSITION', 'A cancelled event cannot be changed');
    return row;
  }

  /**
   * Runs a removal that the database refuses while sales, holds or scans still point at the row:
   * what was sold is never deleted, so the refusal is IN_USE, not a failure.
   */
  async function refusedWhileInUse(work: (trx: Db) => Promise<void>, message: string): Promise<void> {
    try {
      await database.transaction(work);
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new DomainError('IN_USE', message);
      throw error;
    }
  }

  async function eventColumns(db: Db, organizationId: number, input: Partial<EventInput>, current?: EventRow) {
    const c: Record<string, unknown> = {};
    if (input.title !== undefined) c.title = input.title;
    if (input.description !== undefined) c.description = input.description;
    if (input.type !== undefined) c.event_type = input.type;
    if (input.disclaimer !== undefined) c.disclaimer = input.disclaimer;
    if (input.holderNames !== undefined) {
      if (!HOLDER_NAMES.includes(input.holderNames)) throw invalid('holder_names', `must be one of ${HOLDER_NAMES.join(', ')}`);
      c.holder_names = input.holderNames;
    }
    if (input.timeZone !== undefined) {
      if (!isTimeZone(input.timeZone)) throw invalid('time_zone', 'must be an IANA time zone');
      c.time_zone = input.timeZone;
    }
    if (input.isPublic !== undefined) c.is_public = toFlag(input.isPublic);
    if (input.reentryAllowed !== undefined) c.reentry_allowed = toFlag(input.reentryAllowed);
    if (input.tags !== undefined) c.tags = JSON.stringify(input.tags);
    if (input.imageUrls !== undefined) {
      for (const url of input.imageUrls) if (!/^https?:\/\/\S+$/.test(url)) throw invalid('image_urls', `${url} is not an http(s) URL`);
      c.image_urls = JSON.stringify(input.imageUrls);
    }
    const saleStartsAt = instant('sale_starts_at', input.saleStartsAt);
    const saleEndsAt = instant('sale_ends_at', input.saleEndsAt);
    if (saleStartsAt !== undefined) c.sale_starts_at = saleStartsAt;
    if (saleEndsAt !== undefined) c.sale_ends_at = saleEndsAt;
    window('sale_starts_at', saleStartsAt !== undefined ? saleStartsAt : toIso(current?.sale_starts_at), saleEndsAt !== undefined ? saleEndsAt : toIso(current?.sale_ends_at));

    const categoryId = input.categoryId !== undefined ? input.categoryId : (current?.category_id ?? null);
    const subcategoryId = input.subcategoryId !== undefined ? input.subcategoryId : (current?.subcategory_id ?? null);
    if (input.categoryId !== undefined || input.subcategoryId !== undefined) {
      if (categoryId !== null) {
        const category = await categories.get(db, categoryId);
        if (!category || category.parent_id !== null) throw invalid('category_id', 'is not a known top-level category');
      }
      if (subcategoryId !== null) {
        const sub = await categories.get(db, subcategoryId);
        if (!sub || categoryId === null || sub.parent_id !== categoryId) throw invalid('subcategory_id', 'is not a subcategory of the event category');
      }
      c.category_id = categoryId;
      c.subcategory_id = subcategoryId;
    }
    if (input.venueId !== undefined) {
      if (input.venueId !== null && !(await venues.get(db, organizationId, input.venueId))) throw invalid('venue_id', 'is not a venue of this organization');
      c.venue_id = input.venueId;
    }
    if (input.seriesId !== undefined) {
      if (input.seriesId !== null && !(await series.get(db, organizationId, input.seriesId))) throw invalid('series_id', 'is not a series of this organization');
      c.series_id = input.seriesId;
    }
    return c;
  }

  async function insertDate(db: Db, principal: Principal, eventId: number, input: DateInput) {
    const startsAt = instant('starts_at', input.startsAt);
    if (!startsAt) throw invalid('starts_at', 'is required');
    const endsAt = instant('ends_at', input.endsAt) ?? null;
    window('starts_at', startsAt, endsAt);
    if (input.status !== undefined && !(DATE_STATUSES as readonly string[]).includes(input.status)) throw invalid('status', `must be one of ${DATE_STATUSES.join(', ')}`);
    if (input.venueId != null && !(await venues.get(db, principal.organizationId, input.venueId))) throw invalid('venue_id', 'is not a venue of this organization');
    const event = await events.get(db, principal.organizationId, eventId);
    const t = now();
    const date = await eventDates.insert(db, {
      local_starts_at: localDateTime(startsAt, event!.time_zone),
      organization_id: principal.organizationId,
      event_id: eventId,
      starts_at: startsAt,
      ends_at: endsAt,
      venue_id: input.venueId ?? null,
      status: input.status ?? 'scheduled',
      created_at: t,
      updated_at: t,
    });
    const sectionRows = await sections.all(db, principal.organizationId, { event_id: eventId });
    await catalogRepository.insertCapacities(
      db,
      sectionRows.map((s) => ({ organization_id: principal.organizationId, event_id: eventId, date_id: date.id, section_id: s.id, capacity: s.capacity })),
    );
    return date;
  }

  async function insertSection(db: Db, principal: Principal, eventId: number, input: SectionInput) {
    if (!Number.isInteger(input.capacity) || input.capacity < 0) throw invalid('capacity', 'must be a non-negative integer');
    const t = now();
    const section = await sections.insert(db, {
      organization_id: principal.organizationId,
      event_id: eventId,
      name: input.name,
      description: input.description ?? null,
      capacity: input.capacity,
      position: input.position ?? 0,
      created_at: t,
      updated_at: t,
    });
    const dateRows = await eventDates.all(db, principal.organizationId, { event_id: eventId });
    await catalogRepository.insertCapacities(
      db,
      dateRows.map((d) => ({ organization_id: principal.organizationId, event_id: eventId, date_id: d.id, section_id: section.id, capacity: input.capacity })),
    );
    return section;
  }

  async function checkTariff(db: Db, principal: Principal, eventId: number, input: Partial<TariffInput>, current?: { sale_starts_at: unknown; sale_ends_at: unknown }) {
    const c: Record<string, unknown> = {};
    if (input.sectionId !== undefined) {
      const section = await sections.get(db, principal.organizationId, input.sectionId);
      if (!section || section.event_id !== eventId) throw invalid('section_id', 'is not a section of this event');
      c.section_id = input.sectionId;
    }
    if (input.label !== undefined) c.label = input.label;
    if (input.price !== undefined) {
      if (!Number.isInteger(input.price) || input.price < 0) throw invalid('price', 'must be a non-negative integer amount in minor units');
      c.price = input.price;
    }
    if (input.currency !== undefined) {
      if (!(await referenceService.currency(db, input.currency))) throw invalid('currency', 'must be an ISO 4217 currency code');
      c.currency = input.currency.toUpperCase();
    }
    if (input.maxPerOrder !== undefined) {
      if (input.maxPerOrder !== null && (!Number.isInteger(input.maxPerOrder) || input.maxPerOrder < 1)) throw invalid('max_per_order', 'must be a positive integer');
      c.max_per_order = input.maxPerOrder;
    }
    if (input.quota !== undefined) {
      if (input.quota !== null && (!Number.isInteger(input.quota) || input.quota < 0)) throw invalid('quota', 'must be a non-negative integer');
      c.quota = input.quota;
    }
    if (input.position !== undefined) c.position = input.position;
    const saleStartsAt = instant('sale_starts_at', input.saleStartsAt);
    const saleEndsAt = instant('sale_ends_at', input.saleEndsAt);
    if (saleStartsAt !== undefined) c.sale_starts_at = saleStartsAt;
    if (saleEndsAt !== undefined) c.sale_ends_at = saleEndsAt;
    window(
      'sale_starts_at',
      saleStartsAt !== undefined ? saleStartsAt : toIso(current?.sale_starts_at as string | null),
      saleEndsAt !== undefined ? saleEndsAt : toIso(current?.sale_ends_at as string | null),
    );
    if (input.channelIds !== undefined) {
      for (const id of new Set(input.channelIds)) {
        if (!(await channels.get(db, principal.organizationId, id))) throw invalid('interface_ids', `${id} is not an interface of this organization`);
      }
    }
    return c;
  }

  return {
    async list(principal: Principal, page: Page, filter: Omit<EventListFilter, 'onlyListed'> & { status?: EventStatus } = {}): Promise<Paged<Event>> {
      const onlyListed = !seesUnlisted(principal);
      const { rows, total } = await catalogRepository.listEvents(database.db, principal.organizationId, page, { onlyListed, ...filter });
      const parts = await catalogRepository.eventParts(database.db, principal.organizationId, rows.map((r) => r.id));
      return { items: rows.map((r) => assemble(r, parts)), total };
    },

    /**
     * The same list, one entry per date: for dialects whose events have one date (TickeTing), each
     * date of an event is shown as an event of its own. `dateId` is null for an event without dates.
     */
    async listByDate(principal: Principal, page: Page, filter: Omit<EventListFilter, 'onlyListed'> & { status?: EventStatus } = {}): Promise<Paged<{ event: Event; dateId: number | null }>> {
      const onlyListed = !seesUnlisted(principal);
      const { rows, total } = await catalogRepository.listEventDates(database.db, principal.organizationId, page, { onlyListed, ...filter });
      const parts = await catalogRepository.eventParts(database.db, principal.organizationId, [...new Set(rows.map((r) => r.id))]);
      const assembled = new Map<number, Event>();
      return {
        items: rows.map(({ listed_date_id, ...row }) => {
          if (!assembled.has(row.id)) assembled.set(row.id, assemble(row as EventRow, parts));
          return { event: assembled.get(row.id)!, dateId: listed_date_id };
        }),
        total,
      };
    },

    read: (principal: Principal, id: number) => load(database.db, principal, id),

    /** Whether an event of the caller's organization exists but is hidden from this caller (not on public sale). */
    async isHiddenFrom(principal: Principal, id: number): Promise<boolean> {
      if (seesUnlisted(principal)) return false;
      const row = await events.get(database.db, principal.organizationId, id);
      return row !== undefined && hiddenFrom(principal, row);
    },

    async create(principal: Principal, input: EventInput): Promise<Event> {
      requireScope(principal, 'sell', 'admin');
      return database.transaction(async (trx) => {
        const organization = await identityRepository.organizationById(trx, principal.organizationId);
        const columns = await eventColumns(trx, principal.organizationId, { ...input, timeZone: input.timeZone ?? organization!.time_zone });
        const t = now();
        const row = await events.insert(trx, {
          organization_id: principal.organizationId,
          description: null,
          is_public: 1,
          tags: '[]',
          image_urls: '[]',
          ...columns,
          status: 'draft',
          created_at: t,
          updated_at: t,
        } as never);
        for (const section of input.sections ?? []) await insertSection(trx, principal, row.id, section);
        for (const date of input.dates ?? []) await insertDate(trx, principal, row.id, date);
        // Every event has a global admission token (the door), born with it.
        await createGlobalToken(trx, principal.organizationId, row.id, t);
        return load(trx, principal, row.id);
      });
    },

    /**
     * Changes an event. `schedule` moves the start and end of a single-date event (how dialects
     * whose events have one start and end change it); an event with several dates refuses it unless
     * the schedule names the date it moves (`dateId`, how TickeTing changes one of its date-events).
     */
    async update(principal: Principal, id: number, changes: Partial<Omit<EventInput, 'sections' | 'dates'>> & { schedule?: { startsAt?: string; endsAt?: string | null; dateId?: number } }): Promise<Event> {
      return database.transaction(async (trx) => {
        const current = await editable(trx, principal, id);
        const { schedule, ...rest } = changes;
        const columns = await eventColumns(trx, principal.organizationId, rest, current);
        await events.update(trx, principal.organizationId, id, { ...columns, updated_at: now() });
        // Dates keep their instants; their wall-clock times follow the new time zone.
        if (columns.time_zone !== undefined && columns.time_zone !== current.time_zone) {
          for (const d of await eventDates.all(trx, principal.organizationId, { event_id: id })) {
            await eventDates.update(trx, principal.organizationId, d.id, { local_starts_at: localDateTime(toIso(d.starts_at)!, columns.time_zone as string) });
          }
        }
        if (schedule && (schedule.startsAt !== undefined || schedule.endsAt !== undefined)) {
          const all = await eventDates.all(trx, principal.organizationId, { event_id: id });
          const dates = schedule.dateId !== undefined ? all.filter((d) => d.id === schedule.dateId) : all;
          if (schedule.dateId !== undefined && dates.length === 0) throw notFound('Date');
          if (dates.length > 1) throw invalid('start', 'this event has several dates: change them one by one');
          const startsAt = instant('start', schedule.startsAt) ?? (dates[0] ? toIso(dates[0].starts_at) : null);
          const endsAt = schedule.endsAt !== undefined ? instant('end', schedule.endsAt) ?? null : dates[0] ? toIso(dates[0].ends_at) : null;
          if (!startsAt) throw invalid('start', 'is required');
          window('start', startsAt, endsAt);
          if (dates[0]) await eventDates.update(trx, principal.organizationId, dates[0].id, { starts_at: startsAt, local_starts_at: localDateTime(startsAt, (columns.time_zone as string | undefined) ?? current.time_zone), ends_at: endsAt, updated_at: now() });
          else await insertDate(trx, principal, id, { startsAt, endsAt });
        }
        return load(trx, principal, id);
      });
    },

    /** Moves an event along its life cycle (see TRANSITIONS); reviewing is the platform administrators' job. */
    async transition(principal: Principal, id: number, to: EventStatus, options: { onlyFrom?: EventStatus } = {}): Promise<Event> {
      requireScope(principal, 'sell', 'admin');
      if (!(EVENT_STATUSES as readonly string[]).includes(to)) throw invalid('status', `must be one of ${EVENT_STATUSES.join(', ')}`);
      return database.transaction(async (trx) => {
        const row = await events.get(trx, principal.organizationId, id);
        if (!row) throw notFound('Event');
        const from = row.status as EventStatus;
        // `onlyFrom`: the move is meant from one status only (an approval applies to an event under review).
        if (options.onlyFrom !== undefined && from !== options.onlyFrom) {
          throw new DomainError('INVALID_TRANSITION', `Only an event in ${options.onlyFrom} can do this; this one is ${from}`, { from, to });
        }
        if (from === to) return load(trx, principal, id);
        if (!TRANSITIONS[from].includes(to)) throw new DomainError('INVALID_TRANSITION', `An event cannot go from ${from} to ${to}`, { from, to });
        if (from === 'under_review') requirePlatformAdministrator(principal);
        else if (to !== 'under_review') requireScope(principal, 'admin');
        await events.update(trx, principal.organizationId, id, { status: to, updated_at: now() });
        // Its ticket holders are told (and webhooks), with the cancellation.
        if (to === 'cancelled') await recordEvent(ctx.config, trx, { organizationId: principal.organizationId, topic: 'event.cancelled', subjectId: id }, now());
        return load(trx, principal, id);
      });
    },

    /** Submits a draft for review; anything but a draft (already submitted, further along, cancelled) is refused. */
    async submit(principal: Principal, id: number): Promise<Event> {
      requireScope(principal, 'sell', 'admin');
      return database.transaction(async (trx) => {
        const row = await events.get(trx, principal.organizationId, id);
        if (!row) throw notFound('Event');
        if (row.status !== 'draft') throw new DomainError('INVALID_TRANSITION', 'The event has already been submitted or cancelled', { from: row.status, to: 'under_review' });
        await events.update(trx, principal.organizationId, id, { status: 'under_review', updated_at: now() });
        return load(trx, principal, id);
      });
    },

    /** Only drafts can be deleted; an event that went further is cancelled instead. */
    async remove(principal: Principal, id: number): Promise<void> {
      requireScope(principal, 'sell', 'admin');
      await database.transaction(async (trx) => {
        const row = await events.get(trx, principal.organizationId, id);
        if (!row) throw notFound('Event');
        if (row.status !== 'draft') throw new DomainError('INVALID_TRANSITION', 'Only draft events can be deleted; cancel it instead');
        await events.remove(trx, principal.organizationId, id);
      });
    },

    async addDate(principal: Principal, eventId: number, input: DateInput): Promise<EventDate> {
      return database.transaction(async (trx) => {
        await editable(trx, principal, eventId);
        const date = await insertDate(trx, principal, eventId, input);
        return (await load(trx, principal, eventId)).dates.find((d) => d.id === date.id)!;
      });
    },
    async updateDate(principal: Principal, eventId: number, dateId: number, changes: Partial<DateInput>): Promise<EventDate> {
      return database.transaction(async (trx) => {
        const event = await editable(trx, principal, eventId);
        const current = await eventDates.get(trx, principal.organizationId, dateId);
        if (!current || current.event_id !== eventId) throw notFound('Date');
        const startsAt = instant('starts_at', changes.startsAt);
        const endsAt = instant('ends_at', changes.endsAt);
        window('starts_at', startsAt ?? toIso(current.starts_at), endsAt !== undefined ? endsAt : toIso(current.ends_at));
        if (changes.status !== undefined && !(DATE_STATUSES as readonly string[]).includes(changes.status)) throw invalid('status', `must be one of ${DATE_STATUSES.join(', ')}`);
        if (changes.venueId != null && !(await venues.get(trx, principal.organizationId, changes.venueId))) throw invalid('venue_id', 'is not a venue of this organization');
        await eventDates.update(trx, principal.organizationId, dateId, {
          ...(startsAt ? { starts_at: startsAt, local_starts_at: localDateTime(startsAt, event.time_zone) } : {}),
          ...(endsAt !== undefined ? { ends_at: endsAt } : {}),
          ...columnsOf(changes, { venueId: 'venue_id', status: 'status' }),
          updated_at: now(),
        });
        return (await load(trx, principal, eventId)).dates.find((d) => d.id === dateId)!;
      });
    },
    async removeDate(principal: Principal, eventId: number, dateId: number): Promise<void> {
      await refusedWhileInUse(async (trx) => {
        await editable(trx, principal, eventId);
        const current = await eventDates.get(trx, principal.organizationId, dateId);
        if (!current || current.event_id !== eventId) throw notFound('Date');
        await eventDates.remove(trx, principal.organizationId, dateId);
      }, 'This date has holds, orders or tickets: close its sale or cancel it instead');
    },
    /** Overrides a section's capacity on one date; refused (CONFLICT) on a section seated on that date (see section-places.ts). */
    async setCapacity(principal: Principal, eventId: number, dateId: number, sectionId: number, capacity: number): Promise<EventDate> {
      if (!Number.isInteger(capacity) || capacity < 0) throw invalid('capacity', 'must be a non-negative integer');
      return database.transaction(async (trx) => {
        await editable(trx, principal, eventId);
        await changePlacesByNumber(trx, principal.organizationId, eventId, dateId, sectionId, { capacity }, { fit: false });
        return (await load(trx, principal, eventId)).dates.find((d) => d.id === dateId)!;
      });
    },

    async addSection(principal: Principal, eventId: number, input: SectionInput): Promise<Section> {
      return database.transaction(async (trx) => {
        await editable(trx, principal, eventId);
        const section = await insertSection(trx, principal, eventId, input);
        return (await load(trx, principal, eventId)).sections.find((s) => s.id === section.id)!;
      });
    },
    async updateSection(principal: Principal, eventId: number, sectionId: number, changes: Partial<SectionInput>): Promise<Section> {
      return database.transaction(async (trx) => {
        await editable(trx, principal, eventId);
        const current = await sections.get(trx, principal.organizationId, sectionId);
        if (!current || current.event_id !== eventId) throw notFound('Section');
        if (changes.capacity !== undefined && (!Number.isInteger(changes.capacity) || changes.capacity < 0)) throw invalid('capacity', 'must be a non-negative integer');
        await sections.update(trx, principal.organizationId, sectionId, {
          ...columnsOf(changes, { name: 'name', description: 'description', position: 'position', capacity: 'capacity' }),
          updated_at: now(),
        });
        // A new section capacity applies to every date that still had the old default, except the
        // dates where the section is seated: there its capacity is its number of seats, which only
        // the date's seat map changes (section-places.ts). The section's capacity stays the default
        // of its unseated dates and of dates added later.
        if (changes.capacity !== undefined) {
          for (const row of await sectionCapacities.all(trx, principal.organizationId, { section_id: sectionId })) {
            if (row.capacity === current.capacity && !isSeated(row)) {
              await changePlacesByNumber(trx, principal.organizationId, eventId, row.date_id, sectionId, { capacity: changes.capacity }, { fit: false });
            }
          }
        }
        return (await load(trx, principal, eventId)).sections.find((s) => s.id === sectionId)!;
      });
    },
    /**
     * A section with its single price, as dialects without separate tariffs create it (TickeTing):
     * the section and its tariff in one transaction.
     */
    async addPricedSection(
      principal: Principal,
      eventId: number,
      input: SectionInput & { price: number; saleStartsAt?: string | null; saleEndsAt?: string | null },
    ): Promise<{ section: Section; tariff: Tariff }> {
      return database.transaction(async (trx) => {
        await editable(trx, principal, eventId);
        const section = await insertSection(trx, principal, eventId, input);
        const columns = await checkTariff(trx, principal, eventId, { sectionId: section.id, label: input.name, price: input.price, saleStartsAt: input.saleStartsAt ?? null, saleEndsAt: input.saleEndsAt ?? null });
        const organization = await identityRepository.organizationById(trx, principal.organizationId);
        const t = now();
        const tariff = await tariffs.insert(trx, {
          organization_id: principal.organizationId, event_id: eventId, currency: organization!.currency,
          sale_starts_at: null, sale_ends_at: null, max_per_order: null, quota: null, position: 0,
          ...columns, created_at: t, updated_at: t,
        } as never);
        const event = await load(trx, principal, eventId);
        return { section: event.sections.find((x) => x.id === section.id)!, tariff: event.tariffs.find((x) => x.id === tariff.id)! };
      });
    },
    async removeSection(principal: Principal, eventId: number, sectionId: number): Promise<void> {
      await refusedWhileInUse(async (trx) => {
        await editable(trx, principal, eventId);
        const current = await sections.get(trx, principal.organizationId, sectionId);
        if (!current || current.event_id !== eventId) throw notFound('Section');
        await sections.remove(trx, principal.organizationId, sectionId);
      }, 'This section has holds, orders or tickets: set its capacity to 0 instead');
    },

    async addTariff(principal: Principal, eventId: number, input: TariffInput): Promise<Tariff> {
      return database.transaction(async (trx) => {
        await editable(trx, principal, eventId);
        const columns = await checkTariff(trx, principal, eventId, input);
        const organization = await identityRepository.organizationById(trx, principal.organizationId);
        const t = now();
        const row = await tariffs.insert(trx, {
          organization_id: principal.organizationId,
          event_id: eventId,
          currency: organization!.currency,
          sale_starts_at: null,
          sale_ends_at: null,
          max_per_order: null,
          quota: null,
          position: 0,
          ...columns,
          created_at: t,
          updated_at: t,
        } as never);
        if (input.channelIds) await catalogRepository.setTariffChannels(trx, principal.organizationId, row.id, [...new Set(input.channelIds)]);
        return (await load(trx, principal, eventId)).tariffs.find((x) => x.id === row.id)!;
      });
    },
    async updateTariff(principal: Principal, eventId: number, tariffId: number, changes: Partial<TariffInput>): Promise<Tariff> {
      return database.transaction(async (trx) => {
        await editable(trx, principal, eventId);
        const current = await tariffs.get(trx, principal.organizationId, tariffId);
        if (!current || current.event_id !== eventId) throw notFound('Tariff');
        const columns = await checkTariff(trx, principal, eventId, changes, current);
        await tariffs.update(trx, principal.organizationId, tariffId, { ...columns, updated_at: now() });
        if (changes.channelIds) await catalogRepository.setTariffChannels(trx, principal.organizationId, tariffId, [...new Set(changes.channelIds)]);
        return (await load(trx, principal, eventId)).tariffs.find((x) => x.id === tariffId)!;
      });
    },
    async removeTariff(principal: Principal, eventId: number, tariffId: number): Promise<void> {
      await refusedWhileInUse(async (trx) => {
        await editable(trx, principal, eventId);
        const current = await tariffs.get(trx, principal.organizationId, tariffId);
        if (!current || current.event_id !== eventId) throw notFound('Tariff');
        await tariffs.remove(trx, principal.organizationId, tariffId);
      }, 'This tariff has been sold: end its sale instead');
    },
  };
}

export type EventService = ReturnType<typeof eventService>;
