import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/**
 * The Pims entities of the official Swagger document (reference/pims-entities.md) as JSON Schemas,
 * and a validator for every response of the Pims API: HAL bodies are folded back to the plain JSON
 * the document describes (`_embedded` merged in, `_links` dropped), then checked strictly: a key
 * the document does not list, a missing required key, a null where none may be, a wrong type.
 *
 * Presence rules: "required" → listed in `required`; "may be null" → the type admits null;
 * "optional, not nullable" → absent or a value, never null.
 */

type Schema = Record<string, unknown>;

const int = { type: 'integer', minimum: -2147483648, maximum: 2147483647 };
const int64 = { type: 'integer' };
const num = { type: 'number' };
const str = { type: 'string' };
const bool = { type: 'boolean' };
const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const localDateTime = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$' };
const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });
const oneOf = (...values: string[]) => ({ type: 'string', enum: values });

/** A closed object: `fields` maps each key to its schema; keys in `required` must be there. */
function object(fields: Record<string, Schema>, required: string[]): Schema {
  return { type: 'object', properties: fields, required, additionalProperties: false };
}
const array = (items: Schema) => ({ type: 'array', items });

const labelled = object({ id: int, label: str, short_label: nullable(str), ignored: bool, last_update_timestamp: int64 }, ['id', 'ignored', 'label', 'last_update_timestamp', 'short_label']);

export const CategoriesEntity = labelled;
export const ChannelsEntity = labelled;
export const PriceRangesEntity = labelled;

export const VenuesEntity = object(
  {
    id: int,
    type: object({ id: oneOf('SAL', 'FES'), label: str }, ['id', 'label']),
    label: str,
    first_address: nullable(str),
    second_address: nullable(str),
    zip_code: nullable(str),
    city: str,
    major_city: nullable(str),
    country_code: str,
    creation_timestamp: int64,
    last_update_timestamp: int64,
    alternative_labels: array(str),
  },
  ['city', 'country_code', 'creation_timestamp', 'first_address', 'id', 'label', 'last_update_timestamp', 'major_city', 'second_address', 'type', 'zip_code'],
);

const partner = object({ id: int, label: str }, ['id', 'label']);
const contractType = object({ id: oneOf('PRO', 'COP', 'PLO', 'COR', 'CES'), label: str }, ['id', 'label']);

export const EventsEntity = object(
  {
    id: int,
    series_id: nullable(int),
    label: str,
    datetime: localDateTime,
    venue: VenuesEntity,
    input_type: object({ id: oneOf('DET', 'GLO'), label: str }, ['id', 'label']),
    contract: object({ type: contractType, partner: nullable(partner) }, ['partner', 'type']),
    free: bool,
    creation_timestamp: int64,
    last_update_timestamp: int64,
    break_even: int,
    cancellation_date: day,
    costing_capacity: int,
    currency: str,
    general_sales_date: day,
    max_capacity: int,
    presales_date: day,
    sold_out_date: day,
  },
  ['contract', 'creation_timestamp', 'datetime', 'free', 'id', 'input_type', 'label', 'last_update_timestamp', 'series_id', 'venue'],
);

export const SeriesEntity = object(
  {
    id: int,
    type: object({ id: oneOf('TOU', 'LGS'), label: str }, ['id', 'label']),
    label: str,
    first_date: day,
    last_date: day,
    creation_timestamp: int64,
    last_update_timestamp: int64,
    contract: object({ type: contractType, partner: nullable(partner) }, ['type']),
    costing_capacity: nullable(int),
    venue: nullable(VenuesEntity),
  },
  ['creation_timestamp', 'first_date', 'id', 'label', 'last_date', 'last_update_timestamp', 'type'],
);

export const EventsCapacitiesEntity = object(
  {
    id: int,
    date: day,
    event_categories: array(
      object(
        { id: int, total_capacity: int, kills: nullable(int), comps: nullable(int), holds: nullable(int), sellable_capacity: int },
        ['comps', 'holds', 'id', 'kills', 'sellable_capacity', 'total_capacity'],
      ),
    ),
  },
  ['date', 'id'],
);

export const EventsCategoriesEntity = object(
  {
    id: int,
    ignored: bool,
    category: CategoriesEntity,
    event_price_ranges: array(
      object(
        { id: int, price_range: PriceRangesEntity, base_price: num, public_price: nullable(num), currency: str, ignored: bool },
        ['base_price', 'currency', 'id', 'price_range', 'public_price'],
      ),
    ),
  },
  ['category', 'id', 'ignored'],
);

export const EventsChannelsEntity = object({ id: int, ignored: bool, channel: ChannelsEntity }, ['channel', 'id', 'ignored']);

export const TicketCountsEntity = object(
  { id: int, date: day, comment: nullable(str), approved: bool, final: bool, sales: int, reservations: int, gross: num, currency: str },
  ['approved', 'comment', 'date', 'final', 'id', 'sales'],
);

export const TicketCountsDetailedEntity = object(
  {
    id: int,
    date: day,
    comment: nullable(str),
    approved: bool,
    final: bool,
    event_channels: array(
      object(
        {
          id: int,
          event_categories: array(
            object(
              {
                id: int,
                event_price_ranges: array(
                  object({ id: int, sales: nullable(int), reservations: nullable(int), gross: nullable(num), currency: str }, ['currency', 'gross', 'id', 'sales']),
                ),
              },
              ['event_price_ranges', 'id'],
            ),
          ),
        },
        ['event_categories', 'id'],
      ),
    ),
  },
  ['approved', 'comment', 'date', 'final', 'id'],
);

const state = (...ids: string[]) => object({ id: oneOf(...ids), label: str }, ['id', 'label']);
export const PromotionsEntity = object(
  {
    id: int,
    type: object({ id: str, label: str, family: object({ id: str, label: str }, ['id', 'label']) }, ['family', 'id', 'label']),
    label: str,
    supplier: nullable(object({ id: int, label: str }, ['id', 'label'])),
    start_date: nullable(day),
    end_date: nullable(day),
    cost: object(
      {
        type: state('PAY', 'ECH', 'GRA'),
        state: nullable(state('PRE', 'ENG', 'FAC', 'PAY')),
        currency: nullable(str),
        exchange: nullable(str),
        quantity: nullable(num),
        unit_cost: nullable(num),
        valorized_quantity: nullable(num),
        valorized_unit_cost: nullable(num),
      },
      ['type'],
    ),
    comments: nullable(str),
    applied_to: array(
      object({
        event_id: nullable(int),
        series_id: nullable(int),
        quantity: nullable(num),
        unit_cost: nullable(num),
        valorized_quantity: nullable(num),
        valorized_unit_cost: nullable(num),
      }, []),
    ),
    file: nullable(str),
  },
  ['applied_to', 'comments', 'cost', 'end_date', 'id', 'label', 'start_date', 'supplier', 'type'],
);

export const ProblemEntity = object(
  { type: str, title: str, status: { type: 'integer' }, detail: str },
  ['detail', 'status', 'title', 'type'],
);

const ENTITIES = {
  CategoriesEntity, ChannelsEntity, PriceRangesEntity, VenuesEntity, EventsEntity, SeriesEntity, EventsCapacitiesEntity,
  EventsCategoriesEntity, EventsChannelsEntity, TicketCountsEntity, TicketCountsDetailedEntity, PromotionsEntity, ProblemEntity,
};
export type EntityName = keyof typeof ENTITIES;

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = new Map<EntityName, ValidateFunction>(Object.entries(ENTITIES).map(([name, schema]) => [name as EntityName, ajv.compile(schema)]));

/**
 * Which entity each Pims path answers (the table of pims-entities.md), for a path relative to the
 * API's base (`/events/12/categories`). The document types fetchOnePriceRange as VenuesEntity, a slip
 * of the document (the operation returns a price range), so it is checked as PriceRangesEntity.
 */
const ROUTES: [RegExp, EntityName, 'list' | 'one'][] = [
  [/^\/categories$/, 'CategoriesEntity', 'list'],
  [/^\/categories\/[^/]+$/, 'CategoriesEntity', 'one'],
  [/^\/channels$/, 'ChannelsEntity', 'list'],
  [/^\/channels\/[^/]+$/, 'ChannelsEntity', 'one'],
  [/^\/price-ranges$/, 'PriceRangesEntity', 'list'],
  [/^\/price-ranges\/[^/]+$/, 'PriceRangesEntity', 'one'],
  [/^\/events$/, 'EventsEntity', 'list'],
  [/^\/events\/[^/]+$/, 'EventsEntity', 'one'],
  [/^\/events\/[^/]+\/capacities$/, 'EventsCapacitiesEntity', 'list'],
  [/^\/events\/[^/]+\/capacities\/[^/]+$/, 'EventsCapacitiesEntity', 'one'],
  [/^\/events\/[^/]+\/categories$/, 'EventsCategoriesEntity', 'list'],
  [/^\/events\/[^/]+\/categories\/[^/]+$/, 'EventsCategoriesEntity', 'one'],
  [/^\/events\/[^/]+\/channels$/, 'EventsChannelsEntity', 'list'],
  [/^\/events\/[^/]+\/channels\/[^/]+$/, 'EventsChannelsEntity', 'one'],
  [/^\/events\/[^/]+\/promotions$/, 'PromotionsEntity', 'list'],
  [/^\/events\/[^/]+\/ticket-counts$/, 'TicketCountsEntity', 'list'],
  [/^\/events\/[^/]+\/ticket-counts\/detailed$/, 'TicketCountsDetailedEntity', 'list'],
  [/^\/events\/[^/]+\/ticket-counts\/detailed\/[^/]+$/, 'TicketCountsDetailedEntity', 'one'],
  [/^\/events\/[^/]+\/ticket-counts\/[^/]+$/, 'TicketCountsEntity', 'one'],
  [/^\/promotions$/, 'PromotionsEntity', 'list'],
  [/^\/promotions\/[^/]+$/, 'PromotionsEntity', 'one'],
  [/^\/series$/, 'SeriesEntity', 'list'],
  [/^\/series\/[^/]+$/, 'SeriesEntity', 'one'],
  [/^\/series\/[^/]+\/events$/, 'EventsEntity', 'list'],
  [/^\/series\/[^/]+\/promotions$/, 'PromotionsEntity', 'list'],
  [/^\/venues$/, 'VenuesEntity', 'list'],
  [/^\/venues\/[^/]+$/, 'VenuesEntity', 'one'],
  [/^\/venues\/[^/]+\/events$/, 'EventsEntity', 'list'],
];

/** The path under the Pims mount (`/pims/api[/v1]` or `/pims/<organization>/api[/v1]`), or null for another API. */
export function pimsPath(url: string): string | null {
  const path = url.split('?')[0];
  const m = /^\/pims(?:\/[^/]+)?\/api(?:\/v1)?(\/.*)?$/.exec(path);
  if (!m) return null;
  return (m[1] ?? '/').replace(/\/+$/, '') || '/';
}

/** A HAL resource as the document writes it: `_embedded` members back in place, `_links` gone, recursively. */
export function foldHal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(foldHal);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === '_links') continue;
    if (key === '_embedded') {
      for (const [name, embedded] of Object.entries(v as Record<string, unknown>)) out[name] = foldHal(embedded);
    } else out[key] = foldHal(v);
  }
  return out;
}

const describe = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`).join('; ');

export function validateEntity(name: EntityName, value: unknown): string | null {
  const validate = validators.get(name)!;
  return validate(value) ? null : `${name}: ${describe(validate.errors)}`;
}

/** Whether the collection envelope is a HAL page: links to walk, counts, items under `_embedded.<name>`. */
function collectionProblem(body: Record<string, unknown>): string | null {
  for (const key of ['page_count', 'page_size', 'total_items', 'page']) if (!Number.isInteger(body[key])) return `collection: ${key} is not an integer`;
  const links = body._links as Record<string, { href?: unknown }> | undefined;
  for (const rel of ['self', 'first', 'last']) if (typeof links?.[rel]?.href !== 'string') return `collection: _links.${rel}.href missing`;
  const embedded = body._embedded as Record<string, unknown> | undefined;
  if (!embedded || Object.keys(embedded).length !== 1 || !Array.isArray(Object.values(embedded)[0])) return 'collection: _embedded must hold one list';
  return null;
}

/**
 * Checks one response of the Pims API: the entity of its operation for a 200/201, the problem
 * document for an error. Returns a description of what is wrong, or null. Paths the document does
 * not describe (writes' 204, unknown paths' 404 problems) are checked as far as they go.
 */
export function checkPimsResponse(method: string, url: string, status: number, contentType: string, payload: string): string | null {
  const path = pimsPath(url);
  if (path === null) return null;
  if (status === 204) return payload === '' ? null : '204 with a body';
  if (status >= 400) {
    if (!contentType.startsWith('application/problem+json')) return `error ${status} is ${contentType}, not application/problem+json`;
    return validateEntity('ProblemEntity', JSON.parse(payload));
  }
  if (!contentType.startsWith('application/hal+json')) return `${status} is ${contentType}, not application/hal+json`;
  const body = JSON.parse(payload) as Record<string, unknown>;
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  if (!route) return `no entity known for ${method} ${path}`;
  const [, listed, kind] = route;
  // Counts entered for external channels (POST/PATCH) answer the detailed count they were written as.
  const entity: EntityName = method !== 'GET' && listed === 'TicketCountsEntity' ? 'TicketCountsDetailedEntity' : listed;
  // POST to a collection answers the one entity it created.
  if (kind === 'list' && method === 'GET') {
    const problem = collectionProblem(body);
    if (problem) return problem;
    const items = Object.values(body._embedded as Record<string, unknown[]>)[0];
    for (const [i, item] of items.entries()) {
      if (typeof (item as { _links?: { self?: { href?: unknown } } })._links?.self?.href !== 'string') return `item ${i}: no _links.self`;
      const problem = validateEntity(entity, foldHal(item));
      if (problem) return `item ${i}: ${problem}`;
    }
    return null;
  }
  if (typeof (body._links as { self?: { href?: unknown } } | undefined)?.self?.href !== 'string') return 'no _links.self';
  return validateEntity(entity, foldHal(body));
}
