import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { sql, type Selectable } from 'kysely';
import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { toIso } from '../../db/quirks.ts';
import type { Db } from '../../db/database.ts';
import type { JobsTable } from '../../db/tables.ts';
import { tenantTable } from '../../db/table-access.ts';
import { parseInstant } from '../validation.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { events } from '../catalog/repository.ts';
import type { TicketCountService } from './ticket-counts.ts';

/**
 * Exports as background jobs: a CSV of orders, tickets (participants) or ticket counts is written
 * by a job, with its progress readable at /api/jobs/{id}, then downloaded. Rows are read page by
 * page (keyset on the id) and streamed through csv-stringify to a file, so memory stays flat
 * whatever the size. Every process runs jobs in-process; a job is claimed with a conditional
 * update (queued → running), so with several processes on one database each job runs once.
 */
export const EXPORT_KINDS = ['orders', 'tickets', 'ticket_counts'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ExportInput { kind: ExportKind; eventId?: number | null; from?: string | null; to?: string | null; includeUnapproved?: boolean }

export interface Job {
  id: number;
  kind: string;
  params: Record<string, unknown>;
  status: JobStatus;
  /** Rows written so far, and how many there are (known once the job starts). */
  progress: number;
  total: number | null;
  error: string | null;
  /** The file name of the result, once done. */
  fileName: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

type JobRow = Selectable<JobsTable>;
const jobs = tenantTable('jobs');
const PAGE = 1000;

const jobRepository = {
  queued(db: Db, limit: number) {
    return db.selectFrom('jobs').select(['id']).where('status', '=', 'queued').orderBy('id').limit(limit).execute();
  },
  /** queued → running, only if still queued: the claimed row, or nothing when another runner won. */
  claim(db: Db, id: number, runner: string, now: string) {
    return db
      .updateTable('jobs')
      .set((eb) => ({ status: 'running', runner, started_at: now, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .returningAll()
      .executeTakeFirst();
  },
  async progress(db: Db, id: number, progress: number, total?: number) {
    await db.updateTable('jobs').set({ progress, ...(total !== undefined ? { total } : {}) }).where('id', '=', id).execute();
  },
  async finish(db: Db, id: number, values: { status: JobStatus; file?: string | null; error?: string | null; progress?: number; finished_at: string }) {
    await db.updateTable('jobs').set(values).where('id', '=', id).execute();
  },
  /** Orders of the export's scope, one keyset page. */
  orders(db: Db, organizationId: number, params: ExportParams, afterId: number) {
    return exportScope.orders(db, organizationId, params, true)
      .select(['id', 'number', 'status', 'channel_id', 'buyer_name', 'buyer_email', 'currency', 'subtotal', 'discount', 'total', 'refunded_amount', 'created_at', 'paid_at'])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(PAGE)
      .execute();
  },
  tickets(db: Db, organizationId: number, params: ExportParams, afterId: number) {
    return exportScope.tickets(db, organizationId, params, true)
      .leftJoin('orders', 'orders.id', 'tickets.order_id')
      .select([
        'tickets.id', 'tickets.barcode', 'tickets.status', 'tickets.kind', 'tickets.event_id', 'tickets.date_id', 'tickets.section_id', 'tickets.tariff_id',
        'tickets.order_id', 'orders.number as order_number', 'tickets.guest_id', 'tickets.holder_name', 'tickets.holder_email', 'tickets.created_at',
      ])
      .where('tickets.id', '>', afterId)
      .orderBy('tickets.id')
      .limit(PAGE)
      .execute();
  },
  async count(db: Db, kind: 'orders' | 'tickets', organizationId: number, params: ExportParams) {
    const row =
      kind === 'orders'
        ? await exportScope.orders(db, organizationId, params).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
        : await exportScope.tickets(db, organizationId, params).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },
};

interface ExportParams { eventId?: number; from?: string; to?: string; includeUnapproved?: boolean }

/**
 * The rows an export covers. Paging walks the primary key (`id > last … order by id limit n`): the
 * filter columns are then written `+column`, which keeps SQLite from choosing their index and sorting
 * every match for each page (PostgreSQL reads it as the same column).
 */
const filterColumn = (column: string, walk: boolean) => (walk ? sql<number>`+${sql.ref(column)}` : sql.ref<number>(column));

const exportScope = {
  orders(db: Db, organizationId: number, p: ExportParams, walk = false) {
    let query = db.selectFrom('orders').where(filterColumn('orders.organization_id', walk), '=', organizationId);
    if (p.from) query = query.where('orders.created_at', '>=', p.from);
    if (p.to) query = query.where('orders.created_at', '<', p.to);
    if (p.eventId !== undefined) {
      const eventId = p.eventId;
      query = query.where((eb) => eb.exists(eb.selectFrom('order_lines').select('order_lines.id').whereRef('order_lines.order_id', '=', 'orders.id').where('order_lines.event_id', '=', eventId)));
    }
    return query;
  },
  tickets(db: Db, organizationId: number, p: ExportParams, walk = false) {
    let query = db.selectFrom('tickets').where(filterColumn('tickets.organization_id', walk), '=', organizationId);
    if (p.eventId !== undefined) query = query.where(filterColumn('tickets.event_id', walk), '=', p.eventId);
    if (p.from) query = query.where('tickets.created_at', '>=', p.from);
    if (p.to) query = query.where('tickets.created_at', '<', p.to);
    return query;
  },
};

const COLUMNS: Record<ExportKind, string[]> = {
  orders: ['id', 'number', 'status', 'interface_id', 'buyer_name', 'buyer_email', 'currency', 'subtotal', 'discount', 'total', 'refunded_amount', 'created_at', 'paid_at'],
  tickets: ['id', 'barcode', 'status', 'kind', 'event_id', 'date_id', 'section_id', 'tariff_id', 'order_id', 'order_number', 'guest_id', 'holder_name', 'holder_email', 'created_at'],
  ticket_counts: ['ticket_count_id', 'date_id', 'day', 'source', 'approved', 'final', 'interface_id', 'section_id', 'tariff_id', 'sales', 'reservations', 'gross', 'currency', 'comment'],
};

export function exportService(ctx: CoreContext, ticketCounts: TicketCountService) {
  const { database, config } = ctx;
  const now = () => ctx.clock().toISOString();
  const runnerId = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  let current: Promise<number> | null = null;
  let again = false;
  let poller: NodeJS.Timeout | null = null;

  const toJob = (r: JobRow): Job => ({
    id: r.id,
    kind: r.kind,
    params: JSON.parse(r.params),
    status: r.status as JobStatus,
    progress: r.progress,
    total: r.total,
    error: r.error,
    fileName: r.file ? path.basename(r.file) : null,
    createdAt: toIso(r.created_at)!,
    startedAt: toIso(r.started_at),
    finishedAt: toIso(r.finished_at),
  });

  async function owned(principal: Principal, id: number) {
    requireScope(principal, 'sell', 'admin');
    const row = await jobs.get(database.db, principal.organizationId, id);
    if (!row) throw notFound('Job');
    return row;
  }

  /** Writes rows to a CSV file through csv-stringify, waiting for the file to drain (flat memory). */
  async function writeCsv(file: string, columns: string[], produce: (write: (row: Record<string, unknown>) => Promise<void>) => Promise<void>) {
    const csv = stringify({ header: true, columns, cast: { boolean: (b) => (b ? '1' : '0'), date: (d) => d.toISOString() } });
    const done = pipeline(csv, fs.createWriteStream(file));
    try {
      await produce(async (row) => {
        if (!csv.write(row)) await once(csv, 'drain');
      });
      csv.end();
    } catch (error) {
      csv.destroy(error as Error);
      await done.catch(() => undefined);
      throw error;
    }
    await done;
  }

  async function run(job: JobRow) {
    const params = JSON.parse(job.params) as ExportParams;
    const kind = job.kind.replace(/^export:/, '') as ExportKind;
    fs.mkdirSync(config.exportDir, { recursive: true });
    const file = path.resolve(config.exportDir, `${job.organization_id}-${job.id}-${kind}.csv`);
    const partial = `${file}.part`;
    const db = database.db;
    let written = 0;
    const step = async (n: number) => {
      written += n;
      await jobRepository.progress(db, job.id, written);
    };
    if (kind === 'orders' || kind === 'tickets') {
      await jobRepository.progress(db, job.id, 0, await jobRepository.count(db, kind, job.organization_id, params));
      await writeCsv(partial, COLUMNS[kind], async (write) => {
        for (let after = 0; ; ) {
          const rows = kind === 'orders' ? await jobRepository.orders(db, job.organization_id, params, after) : await jobRepository.tickets(db, job.organization_id, params, after);
          if (rows.length === 0) break;
          for (const r of rows) {
            const { channel_id: channelId, ...rest } = r as Record<string, unknown>;
            await write({
              ...rest,
              ...(kind === 'orders' ? { interface_id: channelId } : {}),
              created_at: toIso(r.created_at as string),
              ...('paid_at' in r ? { paid_at: toIso(r.paid_at as string | null) } : {}),
            });
          }
          after = rows[rows.length - 1].id;
          await step(rows.length);
        }
      });
    } else {
      // The reporting service reads ticket counts for the organization that asked for the export.
      const principal: Principal = {
        organizationId: job.organization_id, accountId: job.requested_by, signedIn: false, clientId: null,
        scopes: new Set(['sell']), platformRole: 'customer', credential: { kind: 'access_token', id: 0 },
      };
      const filter = { from: params.from, to: params.to, includeUnapproved: params.includeUnapproved };
      await writeCsv(partial, COLUMNS.ticket_counts, async (write) => {
        for (let page = 0; ; page++) {
          const { items, total } = await ticketCounts.list(principal, params.eventId!, { limit: 100, offset: page * 100 }, filter);
          if (page === 0) await jobRepository.progress(db, job.id, 0, total);
          for (const c of items) {
            for (const ch of c.channels) for (const s of ch.sections) for (const t of s.tariffs) {
              await write({
                ticket_count_id: c.id, date_id: c.dateId, day: c.day, source: c.source, approved: c.approved, final: c.final, interface_id: ch.channelId,
                section_id: s.sectionId, tariff_id: t.tariffId, sales: t.sales, reservations: t.reservations, gross: t.gross, currency: t.currency, comment: c.comment,
              });
            }
          }
          await step(items.length);
          if (items.length < 100) break;
        }
      });
    }
    fs.renameSync(partial, file);
    return file;
  }

  /** Claims and runs queued jobs until none is left; returns how many this runner ran. */
  async function runPending(): Promise<number> {
    let ran = 0;
    for (;;) {
      const candidates = await jobRepository.queued(database.db, 10);
      if (candidates.length === 0) return ran;
      for (const { id } of candidates) {
        const job = await jobRepository.claim(database.db, id, runnerId, now());
        if (!job) continue; // another runner took it
        ran++;
        try {
          const file = await run(job);
          await jobRepository.finish(database.db, job.id, { status: 'done', file, finished_at: now() });
        } catch (error) {
          await jobRepository.finish(database.db, job.id, { status: 'failed', error: (error as Error).message.slice(0, 500), finished_at: now() });
        }
      }
    }
  }

  /** Runs pending jobs in the background, one loop at a time per process. */
  function kick(): Promise<number> {
    if (current) {
      again = true;
      return current;
    }
    current = (async () => {
      let total = 0;
      do {
        again = false;
        total += await runPending();
      } while (again);
      return total;
    })().finally(() => {
      current = null;
    });
    return current;
  }

  return {
    runnerId,

    /** Queues an export and starts it in this process. */
    async request(principal: Principal, input: ExportInput): Promise<Job> {
      requireScope(principal, 'sell', 'admin');
      if (!(EXPORT_KINDS as readonly string[]).includes(input.kind)) throw invalid('kind', `must be one of ${EXPORT_KINDS.join(', ')}`);
      const params: ExportParams = {};
      if (input.eventId != null) {
        if (!(await events.get(database.db, principal.organizationId, input.eventId))) throw invalid('event_id', 'is not an event of this organization');
        params.eventId = input.eventId;
      } else if (input.kind === 'ticket_counts') throw invalid('event_id', 'is required for ticket counts');
      for (const field of ['from', 'to'] as const) {
        const value = input[field];
        if (value == null) continue;
        if (input.kind === 'ticket_counts') {
          if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw invalid(field, 'must be a calendar date YYYY-MM-DD for ticket counts');
          params[field] = value;
        } else {
          const instant = parseInstant(value);
          if (!instant) throw invalid(field, 'must be an ISO 8601 date-time with offset');
          params[field] = instant;
        }
      }
      if (params.from && params.to && params.to < params.from) throw invalid('to', 'must not be before from');
      if (input.includeUnapproved) params.includeUnapproved = true;
      const row = await jobs.insert(database.db, {
        organization_id: principal.organizationId, kind: `export:${input.kind}`, params: JSON.stringify(params), status: 'queued',
        progress: 0, total: null, file: null, error: null, attempts: 0, runner: null, requested_by: principal.accountId, created_at: now(), started_at: null, finished_at: null,
      });
      void kick().catch(() => undefined);
      return toJob(row);
    },

    async read(principal: Principal, id: number): Promise<Job> {
      return toJob(await owned(principal, id));
    },

    async list(principal: Principal, page: Page): Promise<Paged<Job>> {
      requireScope(principal, 'sell', 'admin');
      const { rows, total } = await jobs.list(database.db, principal.organizationId, page, { orderBy: ['id'] });
      return { items: rows.map(toJob), total };
    },

    /** The finished file of a job (409 while it is not done). */
    async file(principal: Principal, id: number): Promise<{ path: string; fileName: string }> {
      const row = await owned(principal, id);
      if (row.status !== 'done' || !row.file) throw new DomainError('CONFLICT', `This job is ${row.status}: its file is not ready`, { status: row.status });
      if (!fs.existsSync(row.file)) throw notFound('Export file');
      return { path: row.file, fileName: path.basename(row.file) };
    },

    runPending,
    /** Runs what is queued now (in this process); resolves when the queue is empty. */
    drain: kick,
    /** Polls for jobs queued by other processes (servers only). */
    start(intervalSeconds: number) {
      if (intervalSeconds <= 0 || poller) return;
      poller = setInterval(() => void kick().catch(() => undefined), intervalSeconds * 1000);
      poller.unref();
    },
    /** Stops polling and waits for the job in progress. */
    async stop() {
      if (poller) clearInterval(poller);
      poller = null;
      await current?.catch(() => undefined);
    },
  };
}

export type ExportService = ReturnType<typeof exportService>;
