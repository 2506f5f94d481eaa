import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { fromFlag, toFlag, toIso } from '../../db/quirks.ts';
import type { Db } from '../../db/database.ts';
import { isCalendarDate } from '../validation.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { channels, eventDates, events, sections, tariffs } from '../catalog/repository.ts';
import { reportingRepository as repo, type CountFilter, type TicketCountRow } from './repository.ts';
import { salesTallies } from './tallies.ts';
import { dayIn } from '../catalog/local-time.ts';

/**
 * Ticket counts: dated sales figures of one date (performance) per channel × section × tariff.
 *
 * - `auto` counts cover the channels Guichet sells through: one per date and event-local day with
 *   movements, plus a live one for today on every date still to come. Their figures are the day's
 *   net sales (sold − refunded) and net gross, read from the sales tallies (never from tickets);
 *   today's count adds the places held right now as reservations. They are approved by
 *   construction and final once their day is over (later refunds count on their own day).
 * - `entered` counts carry figures typed in by staff for external channels (a reseller, a partner
 *   box office), validated against the event's catalog; they count once an admin approves them.
 *
 * Summing the counts of a period gives the net sales of that period; summing them all gives the
 * tickets sold and not refunded.
 */
export type CountSource = 'auto' | 'entered';

export interface TariffFigure { tariffId: number; sales: number; reservations: number | null; gross: number; currency: string }
export interface SectionFigures { sectionId: number; tariffs: TariffFigure[] }
export interface ChannelFigures { channelId: number; sections: SectionFigures[] }

export interface TicketCount {
  id: number;
  eventId: number;
  dateId: number;
  /** The day the figures are for (YYYY-MM-DD, in the event's time zone). */
  day: string;
  source: CountSource;
  comment: string | null;
  approved: boolean;
  final: boolean;
  /** Totals over the breakdown. */
  sales: number;
  reservations: number | null;
  gross: number;
  currency: string | null;
  /** The breakdown: channels → sections → tariffs (the detailed view). */
  channels: ChannelFigures[];
  createdAt: string;
  updatedAt: string;
}

export interface CountView {
  /** The breakdown (channels → sections → tariffs); the summary has totals only. Default true. */
  detailed?: boolean;
  /** Whether figures of deactivated ("ignored") channels count. Default true. */
  withDeactivatedChannels?: boolean;
}

export interface EnteredLine { channelId: number; sectionId: number; tariffId: number; sales: number; reservations?: number | null; gross: number; currency?: string | null }
export interface EnteredCountInput { dateId: number; day: string; comment?: string | null; final?: boolean; lines: EnteredLine[] }

interface Figure { channelId: number; sectionId: number; tariffId: number; sales: number; reservations: number | null; gross: number; currency: string }

/** Nests flat figures as channels → sections → tariffs, in id order. */
function nest(figures: Figure[]): ChannelFigures[] {
  const byChannel = new Map<number, Map<number, TariffFigure[]>>();
  for (const f of [...figures].sort((a, b) => a.channelId - b.channelId || a.sectionId - b.sectionId || a.tariffId - b.tariffId)) {
    const bySection = byChannel.get(f.channelId) ?? new Map<number, TariffFigure[]>();
    byChannel.set(f.channelId, bySection);
    const list = bySection.get(f.sectionId) ?? [];
    bySection.set(f.sectionId, list);
    list.push({ tariffId: f.tariffId, sales: f.sales, reservations: f.reservations, gross: f.gross, currency: f.currency });
  }
  return [...byChannel].map(([channelId, bySection]) => ({ channelId, sections: [...bySection].map(([sectionId, list]) => ({ sectionId, tariffs: list })) }));
}

export function ticketCountService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();
  const tallies = salesTallies(database, ctx.clock);

  async function eventOf(db: Db, principal: Principal, eventId: number) {
    const event = await events.get(db, principal.organizationId, eventId);
    if (!event) throw notFound('Event');
    return event;
  }

  /**
   * Makes sure every automatic count has its header row (its id, comment and flags): one per
   * (date, day) with tallied movements, and today's for dates still to come. Movements only ever
   * land on the current day, so only days from the latest existing header on are looked at.
   */
  async function materialize(organizationId: number, eventId: number, today: string) {
    const db = database.db;
    const since = await repo.lastAutoDay(db, organizationId, eventId);
    const [moved, existing, dates] = await Promise.all([
      repo.tallyDays(db, organizationId, eventId, since),
      repo.autoCountsOn(db, organizationId, eventId, since),
      eventDates.all(db, organizationId, { event_id: eventId }),
    ]);
    const have = new Set(existing.map((r) => `${r.date_id}:${r.day}`));
    const wanted = new Map<string, { date_id: number; day: string }>();
    for (const r of moved) wanted.set(`${r.date_id}:${r.day}`, r);
    const zone = await tallies.zoneOf(db, eventId);
    for (const d of dates) {
      if (d.status !== 'cancelled' && dayIn(zone, new Date(toIso(d.starts_at)!)) >= today) wanted.set(`${d.id}:${today}`, { date_id: d.id, day: today });
    }
    const missing = [...wanted].filter(([key]) => !have.has(key)).map(([, v]) => v);
    if (missing.length === 0) return;
    const t = now();
    await database.transaction(async (trx) => {
      await repo.insertAutoCounts(
        trx,
        missing.map((m) => ({
          organization_id: organizationId, event_id: eventId, date_id: m.date_id, day: m.day, source: 'auto', comment: null,
          approved: 1, final: 0, entered_by: null, approved_by: null, approved_at: null, created_at: t, updated_at: t,
        })),
      );
      // A new day's headers: the days before are settled, their slots can be folded (once a day at most).
      if (database.engine === 'postgres' && missing.some((m) => m.day === today)) await repo.foldPastSlots(trx, organizationId, eventId, today);
    });
  }

  /**
   * Counts with their figures (headers already read). The summary (`detailed` false) reads totals
   * per date and day only and leaves the breakdown empty: a fraction of the rows.
   */
  async function withFigures(organizationId: number, eventId: number, rows: TicketCountRow[], today: string, detailed = true, ignored: ReadonlySet<number> = new Set()): Promise<TicketCount[]> {
    const auto = rows.filter((r) => r.source === 'auto');
    const entered = rows.filter((r) => r.source === 'entered');
    const days = auto.map((r) => r.day).sort();
    const autoDates = [...new Set(auto.map((r) => r.date_id))];
    // Leaving ignored channels out needs the breakdown; the fast totals serve when there are none.
    if (!detailed && ignored.size === 0) return summaries(organizationId, eventId, rows, today, autoDates, days);
    if (!detailed) return (await withFigures(organizationId, eventId, rows, today, true, ignored)).map((c) => ({ ...c, channels: [] }));
    const [figures, lines, reservations] = await Promise.all([
      auto.length ? repo.autoFigures(database.db, organizationId, eventId, autoDates, days[0], days[days.length - 1]) : [],
      repo.countLines(database.db, entered.map((r) => r.id)),
      auto.some((r) => r.day === today) ? repo.liveReservations(database.db, organizationId, [...new Set(auto.filter((r) => r.day === today).map((r) => r.date_id))], now()) : [],
    ]);
    const autoFigures = new Map<string, Map<string, Figure>>();
    const figureOf = (key: string, f: Omit<Figure, 'sales' | 'gross' | 'reservations'>, reservations: number | null) => {
      const map = autoFigures.get(key) ?? new Map<string, Figure>();
      autoFigures.set(key, map);
      const k = `${f.channelId}:${f.tariffId}`;
      let entry = map.get(k);
      if (!entry) map.set(k, (entry = { ...f, sales: 0, gross: 0, reservations }));
      return entry;
    };
    for (const r of figures) {
      const f = figureOf(`${r.date_id}:${r.day}`, { channelId: r.channel_id, sectionId: r.section_id, tariffId: r.tariff_id, currency: r.currency }, r.day === today ? 0 : null);
      f.sales += r.sales;
      f.gross += r.gross;
    }
    for (const r of reservations) {
      const f = figureOf(`${r.date_id}:${today}`, { channelId: r.channel_id, sectionId: r.section_id, tariffId: r.tariff_id, currency: r.currency }, 0);
      f.reservations = (f.reservations ?? 0) + r.n;
    }
    return rows.map((r) => {
      const isToday = r.day === today;
      const list: Figure[] = (
        r.source === 'auto'
          ? [...(autoFigures.get(`${r.date_id}:${r.day}`)?.values() ?? [])]
          : lines.filter((l) => l.ticket_count_id === r.id).map((l) => ({
              channelId: l.channel_id, sectionId: l.section_id, tariffId: l.tariff_id, sales: l.sales, reservations: l.reservations, gross: Number(l.gross), currency: l.currency,
            }))
      ).filter((f) => !ignored.has(f.channelId));
      const withReservations = list.filter((f) => f.reservations !== null);
      return {
        id: r.id,
        eventId: r.event_id,
        dateId: r.date_id,
        day: r.day,
        source: r.source as CountSource,
        comment: r.comment,
        approved: fromFlag(r.approved),
        final: r.source === 'auto' ? r.day < today : fromFlag(r.final),
        sales: list.reduce((n, f) => n + f.sales, 0),
        reservations: r.source === 'auto' ? (isToday ? withReservations.reduce((n, f) => n + (f.reservations ?? 0), 0) : null) : withReservations.length ? withReservations.reduce((n, f) => n + (f.reservations ?? 0), 0) : null,
        gross: list.reduce((n, f) => n + f.gross, 0),
        currency: list[0]?.currency ?? null,
        channels: nest(list),
        createdAt: toIso(r.created_at)!,
        updatedAt: toIso(r.updated_at)!,
      };
    });
  }

  /** The summary view: totals per count, no breakdown. */
  async function summaries(organizationId: number, eventId: number, rows: TicketCountRow[], today: string, autoDates: number[], days: string[]): Promise<TicketCount[]> {
    const todays = [...new Set(rows.filter((r) => r.source === 'auto' && r.day === today).map((r) => r.date_id))];
    const [totals, lines, reservations] = await Promise.all([
      autoDates.length ? repo.autoTotals(database.db, organizationId, eventId, autoDates, days[0], days[days.length - 1]) : [],
      repo.countLines(database.db, rows.filter((r) => r.source === 'entered').map((r) => r.id)),
      todays.length ? repo.liveReservations(database.db, organizationId, todays, now()) : [],
    ]);
    const byKey = new Map(totals.map((t) => [`${t.date_id}:${t.day}`, t]));
    return rows.map((r) => {
      const base = {
        id: r.id, eventId: r.event_id, dateId: r.date_id, day: r.day, source: r.source as CountSource, comment: r.comment, approved: fromFlag(r.approved),
        channels: [], createdAt: toIso(r.created_at)!, updatedAt: toIso(r.updated_at)!,
      };
      if (r.source === 'auto') {
        const t = byKey.get(`${r.date_id}:${r.day}`);
        const held = reservations.filter((x) => x.date_id === r.date_id);
        return {
          ...base, final: r.day < today, sales: t?.sales ?? 0, gross: t?.gross ?? 0,
          reservations: r.day === today ? held.reduce((n, x) => n + x.n, 0) : null, currency: t?.currency ?? held[0]?.currency ?? null,
        };
      }
      const mine = lines.filter((l) => l.ticket_count_id === r.id);
      const withReservations = mine.filter((l) => l.reservations !== null);
      return {
        ...base, final: fromFlag(r.final), sales: mine.reduce((n, l) => n + l.sales, 0), gross: mine.reduce((n, l) => n + Number(l.gross), 0),
        reservations: withReservations.length ? withReservations.reduce((n, l) => n + (l.reservations ?? 0), 0) : null, currency: mine[0]?.currency ?? null,
      };
    });
  }

  async function todayOf(eventId: number) {
    return dayIn(await tallies.zoneOf(database.db, eventId), ctx.clock());
  }

  /** Checks an entered count against the event's catalog; the lines as stored. */
  async function checkEntered(db: Db, principal: Principal, eventId: number, input: EnteredCountInput) {
    const date = await eventDates.get(db, principal.organizationId, input.dateId);
    if (!date || date.event_id !== eventId) throw invalid('date_id', 'is not a date of this event');
    if (!isCalendarDate(input.day)) throw invalid('day', 'must be a calendar date YYYY-MM-DD');
    if (input.lines.length === 0) throw invalid('lines', 'must list at least one figure');
    const seen = new Set<string>();
    const lines = [];
    for (const [i, line] of input.lines.entries()) {
      const channel = await channels.get(db, principal.organizationId, line.channelId);
      if (!channel) throw invalid(`lines[${i}].interface_id`, 'is not an interface of this organization');
      if (!fromFlag(channel.external)) throw invalid(`lines[${i}].interface_id`, 'is sold through Guichet: its counts are produced automatically');
      const section = await sections.get(db, principal.organizationId, line.sectionId);
      if (!section || section.event_id !== eventId) throw invalid(`lines[${i}].section_id`, 'is not a section of this event');
      const tariff = await tariffs.get(db, principal.organizationId, line.tariffId);
      if (!tariff || tariff.section_id !== section.id) throw invalid(`lines[${i}].tariff_id`, 'is not a tariff of this section');
      if (!Number.isInteger(line.sales) || line.sales < 0) throw invalid(`lines[${i}].sales`, 'must be a non-negative integer');
      if (line.reservations != null && (!Number.isInteger(line.reservations) || line.reservations < 0)) throw invalid(`lines[${i}].reservations`, 'must be a non-negative integer');
      if (!Number.isInteger(line.gross) || line.gross < 0) throw invalid(`lines[${i}].gross`, 'must be a non-negative amount in minor units');
      if (line.currency && line.currency.toUpperCase() !== tariff.currency) throw invalid(`lines[${i}].currency`, `must be the tariff's currency ${tariff.currency}`);
      const key = `${line.channelId}:${line.tariffId}`;
      if (seen.has(key)) throw invalid(`lines[${i}]`, 'gives this interface and tariff twice');
      seen.add(key);
      lines.push({
        organization_id: principal.organizationId, channel_id: line.channelId, section_id: section.id, tariff_id: tariff.id,
        sales: line.sales, reservations: line.reservations ?? null, gross: line.gross, currency: tariff.currency,
      });
    }
    return lines;
  }

  async function readOne(principal: Principal, eventId: number, id: number, ignored: ReadonlySet<number> = new Set()): Promise<TicketCount> {
    const row = await repo.count(database.db, principal.organizationId, eventId, id);
    if (!row) throw notFound('Ticket count');
    return (await withFigures(principal.organizationId, eventId, [row], await todayOf(eventId), true, ignored))[0];
  }

  /** Channels whose figures a view leaves out: the deactivated ones, unless they are asked for. */
  async function ignoredChannels(organizationId: number, withDeactivated: boolean | undefined): Promise<ReadonlySet<number>> {
    if (withDeactivated ?? true) return new Set();
    return new Set((await channels.all(database.db, organizationId)).filter((c) => !fromFlag(c.active)).map((c) => c.id));
  }

  return {
    /**
     * An event's ticket counts in day order (filtered by date, period, approval), each with its
     * totals and (detailed view) its breakdown. Unapproved counts are left out unless asked for.
     */
    async list(principal: Principal, eventId: number, page: Page, filter: CountFilter = {}, view: CountView = {}): Promise<Paged<TicketCount>> {
      requireScope(principal, 'sell', 'admin');
      await eventOf(database.db, principal, eventId);
      const today = await todayOf(eventId);
      await materialize(principal.organizationId, eventId, today);
      const { rows, total } = await repo.listCounts(database.db, principal.organizationId, eventId, page, filter);
      const ignored = await ignoredChannels(principal.organizationId, view.withDeactivatedChannels);
      return { items: await withFigures(principal.organizationId, eventId, rows, today, view.detailed ?? true, ignored), total };
    },

    async read(principal: Principal, eventId: number, id: number, view: Omit<CountView, 'detailed'> = {}): Promise<TicketCount> {
      requireScope(principal, 'sell', 'admin');
      await eventOf(database.db, principal, eventId);
      return readOne(principal, eventId, id, await ignoredChannels(principal.organizationId, view.withDeactivatedChannels));
    },

    /** Staff enter a count for external channels; it awaits approval. */
    async enter(principal: Principal, eventId: number, input: EnteredCountInput): Promise<TicketCount> {
      requireScope(principal, 'sell', 'admin');
      const t = now();
      const id = await database.transaction(async (trx) => {
        await eventOf(trx, principal, eventId);
        const lines = await checkEntered(trx, principal, eventId, input);
        const count = await repo.insertCount(trx, {
          organization_id: principal.organizationId, event_id: eventId, date_id: input.dateId, day: input.day, source: 'entered',
          comment: input.comment ?? null, approved: 0, final: toFlag(Boolean(input.final)), entered_by: principal.accountId,
          approved_by: null, approved_at: null, created_at: t, updated_at: t,
        });
        await repo.replaceLines(trx, count.id, lines.map((l) => ({ ...l, ticket_count_id: count.id })));
        return count.id;
      });
      return readOne(principal, eventId, id);
    },

    /**
     * Changes a count: an entered count while it is not approved (any field, lines replaced as a
     * whole); an automatic count only in its comment (its figures are the sales).
     */
    async update(principal: Principal, eventId: number, id: number, changes: Partial<EnteredCountInput>): Promise<TicketCount> {
      requireScope(principal, 'sell', 'admin');
      const t = now();
      await database.transaction(async (trx) => {
        const current = await repo.count(trx, principal.organizationId, eventId, id);
        if (!current) throw notFound('Ticket count');
        if (current.source === 'auto') {
          const other = Object.keys(changes).find((k) => k !== 'comment');
          if (other) throw invalid(other, 'an automatic count only takes a comment');
          await repo.updateCount(trx, principal.organizationId, id, { comment: changes.comment ?? null, updated_at: t }, false);
          return;
        }
        if (fromFlag(current.approved)) throw new DomainError('INVALID_TRANSITION', 'An approved count can no longer be changed');
        const merged: EnteredCountInput = {
          dateId: changes.dateId ?? current.date_id,
          day: changes.day ?? current.day,
          lines: changes.lines ?? (await repo.countLines(trx, [id])).map((l) => ({ channelId: l.channel_id, sectionId: l.section_id, tariffId: l.tariff_id, sales: l.sales, reservations: l.reservations, gross: Number(l.gross) })),
        };
        const lines = await checkEntered(trx, principal, eventId, merged);
        const values = {
          date_id: merged.dateId, day: merged.day, updated_at: t,
          ...(changes.comment !== undefined ? { comment: changes.comment } : {}),
          ...(changes.final !== undefined ? { final: toFlag(changes.final) } : {}),
        };
        if (!(await repo.updateCount(trx, principal.organizationId, id, values, true))) throw new DomainError('INVALID_TRANSITION', 'An approved count can no longer be changed');
        if (changes.lines) await repo.replaceLines(trx, id, lines.map((l) => ({ ...l, ticket_count_id: id })));
      });
      return readOne(principal, eventId, id);
    },

    /** An admin approves an entered count: from then on it counts in the figures, and is frozen. */
    async approve(principal: Principal, eventId: number, id: number): Promise<TicketCount> {
      requireScope(principal, 'admin');
      const t = now();
      await database.transaction(async (trx) => {
        const current = await repo.count(trx, principal.organizationId, eventId, id);
        if (!current) throw notFound('Ticket count');
        if (current.source === 'auto') throw new DomainError('INVALID_TRANSITION', 'Automatic counts are approved by construction');
        const done = await repo.updateCount(trx, principal.organizationId, id, { approved: 1, approved_by: principal.accountId, approved_at: t, updated_at: t }, true);
        if (!done) throw new DomainError('INVALID_TRANSITION', 'This count is already approved');
      });
      return readOne(principal, eventId, id);
    },

    /** Deletes an entered count that is not approved. */
    async remove(principal: Principal, eventId: number, id: number): Promise<void> {
      requireScope(principal, 'sell', 'admin');
      await database.transaction(async (trx) => {
        const current = await repo.count(trx, principal.organizationId, eventId, id);
        if (!current) throw notFound('Ticket count');
        if (!(await repo.deleteCount(trx, principal.organizationId, id))) {
          throw new DomainError('INVALID_TRANSITION', current.source === 'auto' ? 'Automatic counts cannot be deleted' : 'An approved count can no longer be deleted');
        }
      });
    },
  };
}

export type TicketCountService = ReturnType<typeof ticketCountService>;
