import type { CoreContext } from '../context.ts';
import { invalid } from '../errors.ts';
import { toCount } from '../../db/quirks.ts';
import type { Principal } from '../identity/principal.ts';
import { requireRightOrScope } from '../identity/roles.ts';
import { isCalendarDate } from '../validation.ts';
import { dayIn, localDateTime } from '../catalog/local-time.ts';
import type { CapacityFigures } from './capacities.ts';
import type { DoorStatistics } from '../door/index.ts';
import { dashboardRepository as repo } from './dashboard-repository.ts';

/**
 * The back office's dashboard: what sold today and over a period, per event and per channel, day
 * by day; for one event, how full each date and section is and the arrivals at the door.
 *
 * Tickets and revenue are read where ticket counts read them (the sales tallies, plus the approved
 * figures typed in for external channels), so the dashboard and the Pims/native ticket counts of
 * the same days always agree: tickets are net of refunds, revenue is gross net of refunds, each
 * on the event-local day it happened. Orders are those paid in the period (the organization's days).
 */
export interface Figures {
  tickets: number;
  revenue: number;
  orders: number;
}

export interface Dashboard {
  currency: string;
  /** Figures in currencies other than the organization's are left out of the sums (and flagged). */
  otherCurrencies: boolean;
  today: Figures & { day: string };
  period: Figures & { from: string; to: string };
  byEvent: (Figures & { eventId: number; title: string })[];
  byChannel: (Figures & { channelId: number; name: string })[];
  /** One entry per day of the period, days without sales included. */
  overTime: { day: string; tickets: number; revenue: number }[];
  /** With an event: every date × section's capacity and use (as GET /events/{id}/capacities). */
  fill: CapacityFigures[] | null;
  /** With an event: admissions per quarter of an hour (as GET /events/{id}/door_statistics). */
  arrivals: DoorStatistics['arrivals'] | null;
}

export interface DashboardQuery {
  from?: string;
  to?: string;
  eventId?: number;
}

const MAX_DAYS = 366;

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The UTC instant at which a calendar day starts in a time zone. */
export function startOfDay(day: string, timeZone: string): string {
  const guess = Date.parse(`${day}T00:00:00Z`);
  let at = guess;
  // Two rounds settle the zone's offset (also across a DST change on the day before).
  for (let i = 0; i < 2; i++) at = guess - (Date.parse(`${localDateTime(new Date(at), timeZone)}Z`) - at);
  return new Date(at).toISOString();
}

export function dashboardService(
  ctx: CoreContext,
  deps: {
    capacities: (principal: Principal, eventId: number) => Promise<CapacityFigures[]>;
    doorStatistics: (principal: Principal, eventId: number) => Promise<DoorStatistics>;
  },
) {
  const { database } = ctx;

  return {
    async read(principal: Principal, query: DashboardQuery): Promise<Dashboard> {
      requireRightOrScope(principal, 'reporting', 'sell', 'admin');
      const db = database.db;
      const org = await repo.organization(db, principal.organizationId);
      const today = dayIn(org.time_zone, ctx.clock());
      for (const field of ['from', 'to'] as const) {
        if (query[field] !== undefined && !isCalendarDate(query[field]!)) throw invalid(field, 'must be a date as YYYY-MM-DD');
      }
      const to = query.to ?? today;
      const from = query.from ?? addDays(to, -29);
      if (from > to) throw invalid('from', 'must not be after to');
      if (addDays(from, MAX_DAYS) <= to) throw invalid('from', `the period is at most ${MAX_DAYS} days`);
      const eventId = query.eventId;

      const lo = from < today ? from : today;
      const hi = to > today ? to : today;
      const org_ = principal.organizationId;
      const periodSince = startOfDay(from, org.time_zone);
      const periodUntil = startOfDay(addDays(to, 1), org.time_zone);
      const [tallied, entered, periodOrders, periodByChannel, todayByChannel] = await Promise.all([
        repo.tallied(db, org_, lo, hi, eventId),
        repo.entered(db, org_, lo, hi, eventId),
        repo.paidOrders(db, org_, periodSince, periodUntil, eventId),
        repo.paidOrdersByChannel(db, org_, periodSince, periodUntil, eventId),
        repo.paidOrdersByChannel(db, org_, startOfDay(today, org.time_zone), startOfDay(addDays(today, 1), org.time_zone), eventId),
      ]);
      const sum = (rows: { n: number | string }[]) => rows.reduce((total, r) => total + toCount(r.n), 0);

      let otherCurrencies = false;
      const rows = [...tallied, ...entered].filter((r) => {
        if (r.currency === org.currency) return true;
        otherCurrencies = true;
        return false;
      });
      const todayFigures: Figures & { day: string } = { day: today, tickets: 0, revenue: 0, orders: sum(todayByChannel) };
      const period: Figures & { from: string; to: string } = { from, to, tickets: 0, revenue: 0, orders: sum(periodByChannel) };
      const events = new Map<number, Figures>();
      const channels = new Map<number, Figures>();
      const days = new Map<string, { tickets: number; revenue: number }>();
      const entry = (map: Map<number, Figures>, key: number) => {
        let figures = map.get(key);
        if (!figures) map.set(key, (figures = { tickets: 0, revenue: 0, orders: 0 }));
        return figures;
      };
      for (const r of rows) {
        const tickets = toCount(r.tickets);
        const revenue = toCount(r.revenue);
        if (r.day === today) {
          todayFigures.tickets += tickets;
          todayFigures.revenue += revenue;
        }
        if (r.day < from || r.day > to) continue;
        period.tickets += tickets;
        period.revenue += revenue;
        for (const figures of [entry(events, r.event_id), entry(channels, r.channel_id)]) {
          figures.tickets += tickets;
          figures.revenue += revenue;
        }
        const day = days.get(r.day) ?? { tickets: 0, revenue: 0 };
        day.tickets += tickets;
        day.revenue += revenue;
        days.set(r.day, day);
      }
      // Orders have one channel: per (event, channel) counts sum to an event's distinct orders.
      for (const o of periodOrders) entry(events, o.event_id).orders += toCount(o.orders);
      for (const o of periodByChannel) entry(channels, o.channel_id).orders += toCount(o.n);

      const [titles, names] = await Promise.all([
        repo.eventTitles(db, principal.organizationId, [...events.keys()]),
        repo.channelNames(db, principal.organizationId, [...channels.keys()]),
      ]);
      const titleOf = new Map(titles.map((t) => [t.id, t.title]));
      const nameOf = new Map(names.map((n) => [n.id, n.name]));
      const overTime: Dashboard['overTime'] = [];
      for (let day = from; day <= to; day = addDays(day, 1)) overTime.push({ day, ...(days.get(day) ?? { tickets: 0, revenue: 0 }) });

      const [fill, door] = eventId !== undefined
        ? await Promise.all([deps.capacities(principal, eventId), deps.doorStatistics(principal, eventId)])
        : [null, null];
      return {
        currency: org.currency,
        otherCurrencies,
        today: todayFigures,
        period,
        byEvent: [...events].map(([id, f]) => ({ eventId: id, title: titleOf.get(id) ?? '', ...f })).sort((a, b) => b.revenue - a.revenue || a.eventId - b.eventId),
        byChannel: [...channels].map(([id, f]) => ({ channelId: id, name: nameOf.get(id) ?? '', ...f })).sort((a, b) => b.revenue - a.revenue || a.channelId - b.channelId),
        overTime,
        fill,
        arrivals: door ? door.arrivals : null,
      };
    },
  };
}

export type DashboardService = ReturnType<typeof dashboardService>;
