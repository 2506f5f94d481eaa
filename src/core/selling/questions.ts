import type { Insertable, Selectable } from 'kysely';
import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound, type FieldProblem } from '../errors.ts';
import { fromFlag, parseJsonList, toFlag, toIso } from '../../db/quirks.ts';
import { columnsOf, type ColumnMapping } from '../../db/columns.ts';
import type { Db } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';
import type { AnswersTable, QuestionsTable } from '../../db/tables.ts';
import { tenantTable } from '../../db/table-access.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { events } from '../catalog/repository.ts';
import { isCalendarDate } from '../validation.ts';

/** Questions an organizer asks buyers at checkout: once per order, or for every ticket. */
export const QUESTION_KINDS = ['text', 'choice', 'checkbox', 'date'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export type QuestionScope = 'order' | 'ticket';

export interface QuestionInput {
  label: string;
  kind: QuestionKind;
  /** The allowed answers of a `choice` question. */
  options?: string[];
  scope?: QuestionScope;
  required?: boolean;
  position?: number;
}
export interface Question extends Required<QuestionInput> {
  id: number;
  eventId: number;
  createdAt: string;
  updatedAt: string;
}

/** An answer given at checkout; per-ticket answers name the cart item and the ticket's index in it (from 0). */
export interface AnswerInput {
  questionId: number;
  itemId?: number;
  index?: number;
  value: string | boolean;
}

type QuestionRow = Selectable<QuestionsTable>;
const questions = tenantTable('questions');

/** The SQL of questions and answers beyond the generic table access. */
const questionsOfEvent = prepared((db, p: { organizationId: number; eventId: number }) =>
  db.selectFrom('questions').selectAll().where('organization_id', '=', p.organizationId).where('event_id', '=', p.eventId),
);

const questionRepository = {
  ofEvents(db: Db, organizationId: number, eventIds: number[]) {
    if (eventIds.length === 0) return Promise.resolve([] as QuestionRow[]);
    // Most orders are for one event: that case is asked at every checkout, so it is prepared once.
    if (eventIds.length === 1) return questionsOfEvent(db, { organizationId, eventId: eventIds[0] }).then((r) => r.rows);
    return db.selectFrom('questions').selectAll().where('organization_id', '=', organizationId).where('event_id', 'in', eventIds).execute();
  },
  async insertAnswers(db: Db, rows: Insertable<AnswersTable>[]) {
    if (rows.length > 0) await db.insertInto('answers').values(rows).execute();
  },
  answersOfOrder(db: Db, organizationId: number, orderId: number) {
    return db
      .selectFrom('answers')
      .innerJoin('questions', 'questions.id', 'answers.question_id')
      .select(['answers.id', 'answers.question_id', 'answers.ticket_id', 'answers.value', 'questions.label', 'questions.kind'])
      .where('answers.organization_id', '=', organizationId)
      .where('answers.order_id', '=', orderId)
      .orderBy('answers.id')
      .execute();
  },
};
const QUESTION_COLUMNS: ColumnMapping<QuestionInput> = {
  label: 'label',
  kind: 'kind',
  options: ['options', (v) => JSON.stringify(v)],
  scope: 'scope',
  required: ['required', toFlag],
  position: 'position',
};

const toQuestion = (r: QuestionRow): Question => ({
  id: r.id,
  eventId: r.event_id,
  label: r.label,
  kind: r.kind as QuestionKind,
  options: parseJsonList(r.options),
  scope: r.scope as QuestionScope,
  required: fromFlag(r.required),
  position: r.position,
  createdAt: toIso(r.created_at)!,
  updatedAt: toIso(r.updated_at)!,
});

/** The stored form of an answer, or why it is not acceptable. */
function normalize(question: Question, value: string | boolean): string {
  switch (question.kind) {
    case 'checkbox':
      if (value === true || value === 'true') return 'true';
      if (value === false || value === 'false') return 'false';
      throw new Error('must be true or false');
    case 'choice':
      if (typeof value !== 'string' || !question.options.includes(value)) throw new Error(`must be one of ${question.options.join(', ')}`);
      return value;
    case 'date':
      if (typeof value !== 'string' || !isCalendarDate(value)) throw new Error('must be a date as YYYY-MM-DD');
      return value;
    default:
      if (typeof value !== 'string' || value.trim() === '' || value.length > 2000) throw new Error('must be a text of 1 to 2000 characters');
      return value.trim();
  }
}

/**
 * Checks and stores the answers of a checkout: every required question answered (per order, or for
 * every ticket of its event), every answer valid for its kind. Anything wrong refuses the checkout
 * with the list of problems.
 */
export async function answersForCheckout(
  trx: Db,
  organizationId: number,
  orderId: number,
  /** The order's events that ask questions (the others are not read). */
  askingEventIds: number[],
  tickets: { ticketId: number; eventId: number; itemId: number; index: number }[],
  answers: AnswerInput[],
  now: string,
) {
  const asked = (await questionRepository.ofEvents(trx, organizationId, askingEventIds)).map(toQuestion);
  const problems: FieldProblem[] = [];
  const rows: { organization_id: number; order_id: number; ticket_id: number | null; question_id: number; value: string; created_at: string }[] = [];
  for (const [i, answer] of answers.entries()) {
    const question = asked.find((q) => q.id === answer.questionId);
    if (!question) {
      problems.push({ field: `answers.${i}.question_id`, message: 'is not a question of these events' });
      continue;
    }
    let ticketId: number | null = null;
    if (question.scope === 'ticket') {
      const ticket = tickets.find((t) => t.itemId === answer.itemId && t.index === (answer.index ?? 0) && t.eventId === question.eventId);
      if (!ticket) {
        problems.push({ field: `answers.${i}.item_id`, message: 'must name a ticket of this order (item_id and index) for this event' });
        continue;
      }
      ticketId = ticket.ticketId;
    }
    try {
      rows.push({ organization_id: organizationId, order_id: orderId, ticket_id: ticketId, question_id: question.id, value: normalize(question, answer.value), created_at: now });
    } catch (error) {
      problems.push({ field: `answers.${i}.value`, message: (error as Error).message });
    }
  }
  for (const question of asked.filter((q) => q.required)) {
    if (question.scope === 'order') {
      if (!rows.some((r) => r.question_id === question.id)) problems.push({ field: 'answers', message: `question ${question.id} (${question.label}) is required` });
    } else {
      for (const ticket of tickets.filter((t) => t.eventId === question.eventId)) {
        if (!rows.some((r) => r.question_id === question.id && r.ticket_id === ticket.ticketId)) {
          problems.push({ field: 'answers', message: `question ${question.id} (${question.label}) is required for item ${ticket.itemId} ticket ${ticket.index}` });
        }
      }
    }
  }
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', `Invalid answers: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
  await questionRepository.insertAnswers(trx, rows);
}

/** The answers given with an order, with their questions' labels (the caller has checked the order is theirs). */
export async function answersOfOrder(db: Db, organizationId: number, orderId: number) {
  const rows = await questionRepository.answersOfOrder(db, organizationId, orderId);
  return rows.map((r) => ({ id: r.id, questionId: r.question_id, ticketId: r.ticket_id, label: r.label, kind: r.kind, value: r.kind === 'checkbox' ? r.value === 'true' : r.value }));
}

export function questionService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  async function event(principal: Principal, eventId: number) {
    const row = await events.get(database.db, principal.organizationId, eventId);
    // Buyers see the questions of events they can see (listed ones); sellers of every event.
    if (!row || (!principal.scopes.has('sell') && !principal.scopes.has('admin') && row.status !== 'listed')) throw notFound('Event');
    return row;
  }

  function check(input: Partial<QuestionInput>, current?: Question) {
    const kind = input.kind ?? current?.kind;
    if (input.kind !== undefined && !(QUESTION_KINDS as readonly string[]).includes(input.kind)) throw invalid('kind', `must be one of ${QUESTION_KINDS.join(', ')}`);
    if (input.scope !== undefined && input.scope !== 'order' && input.scope !== 'ticket') throw invalid('scope', 'must be order or ticket');
    const options = input.options ?? current?.options ?? [];
    if (kind === 'choice' && options.length < 2) throw invalid('options', 'a choice question needs at least two options');
  }

  return {
    async list(principal: Principal, eventId: number): Promise<Question[]> {
      await event(principal, eventId);
      const rows = await questions.all(database.db, principal.organizationId, { event_id: eventId });
      return rows.map(toQuestion).sort((a, b) => a.position - b.position || a.id - b.id);
    },
    async create(principal: Principal, eventId: number, input: QuestionInput): Promise<Question> {
      requireScope(principal, 'sell', 'admin');
      await event(principal, eventId);
      check(input);
      const t = now();
      const row = await questions.insert(database.db, {
        organization_id: principal.organizationId,
        event_id: eventId,
        options: '[]',
        scope: 'order',
        required: 0,
        position: 0,
        ...columnsOf(input, QUESTION_COLUMNS),
        created_at: t,
        updated_at: t,
      } as never);
      return toQuestion(row);
    },
    async update(principal: Principal, eventId: number, id: number, changes: Partial<QuestionInput>): Promise<Question> {
      requireScope(principal, 'sell', 'admin');
      const current = await questions.get(database.db, principal.organizationId, id);
      if (!current || current.event_id !== eventId) throw notFound('Question');
      check(changes, toQuestion(current));
      const row = await questions.update(database.db, principal.organizationId, id, { ...columnsOf(changes, QUESTION_COLUMNS), updated_at: now() });
      return toQuestion(row!);
    },
    async remove(principal: Principal, eventId: number, id: number): Promise<void> {
      requireScope(principal, 'sell', 'admin');
      const current = await questions.get(database.db, principal.organizationId, id);
      if (!current || current.event_id !== eventId) throw notFound('Question');
      await questions.remove(database.db, principal.organizationId, id);
    },
  };
}

export type QuestionService = ReturnType<typeof questionService>;
