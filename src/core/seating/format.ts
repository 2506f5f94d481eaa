import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { DomainError, type FieldProblem } from '../errors.ts';

/**
 * The seat map document (`guichet.seatmap/1`): what an organizer uploads, validated here. Its TypeBox
 * schema is the documented format (the native API publishes it in its OpenAPI document); the checks
 * a schema cannot express (unique keys, known categories, limits) follow in `validateMapDocument`.
 *
 *   categories: what a seat is sold as; a date maps each category to one of its sections
 *   areas:      seated blocks (rows of seats) and standing areas (a capacity)
 *   a row's seats are listed in the order they stand: neighbours in the list sit side by side
 *               unless `aisle_after` separates them
 *   rank:       lower is better (best available picks the lowest ranks); default the order listed
 */
const Key = Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$', description: 'Letters, digits, _ and -, at most 40' });
const Label = Type.String({ minLength: 1, maxLength: 20 });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Coordinate = Type.Number({ minimum: -100_000, maximum: 100_000 });
export const SEAT_FLAGS = ['wheelchair', 'companion', 'restricted_view'] as const;
export type SeatFlag = (typeof SEAT_FLAGS)[number];
const Strict = <T extends Parameters<typeof Type.Object>[0]>(properties: T, description?: string) =>
  Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });
const Rect = Strict({ x: Coordinate, y: Coordinate, width: Type.Number({ minimum: 0, maximum: 100_000 }), height: Type.Number({ minimum: 0, maximum: 100_000 }) });

export const MapSeat = Strict({
  number: Label,
  x: Coordinate,
  y: Coordinate,
  category: Type.Optional(Key),
  rank: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  flags: Type.Optional(Type.Array(Type.Union(SEAT_FLAGS.map((f) => Type.Literal(f))), { maxItems: 3, uniqueItems: true })),
  aisle_after: Type.Optional(Type.Boolean({ description: 'An aisle (or a gap) follows this seat: it is not next to the following one' })),
});
export const MapRow = Strict({ label: Label, seats: Type.Array(MapSeat, { minItems: 1, maxItems: 500 }) });
const SeatedArea = Strict(
    {
      key: Key,
      name: Name,
      kind: Type.Literal('seated'),
      category: Type.Optional(Key),
      rows: Type.Array(MapRow, { minItems: 1, maxItems: 500 }),
    },
    'A block of numbered seats',
);
const StandingAreaSchema = Strict(
    {
      key: Key,
      name: Name,
      kind: Type.Literal('standing'),
      category: Key,
      capacity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
      shape: Type.Optional(Rect),
    },
    'A standing area: a capacity, no seats',
);
export const MapArea = Type.Union([SeatedArea, StandingAreaSchema]);
export const MapDocument = Strict(
  {
    format: Type.Optional(Type.Literal('guichet.seatmap/1')),
    width: Type.Number({ minimum: 1, maximum: 100_000, description: 'Drawing width, in the units of the coordinates' }),
    height: Type.Number({ minimum: 1, maximum: 100_000 }),
    categories: Type.Array(Strict({ key: Key, name: Name, color: Type.Optional(Type.String({ pattern: '^#[0-9a-fA-F]{6}$' })) }), { minItems: 1, maxItems: 50 }),
    areas: Type.Array(MapArea, { minItems: 1, maxItems: 200 }),
    labels: Type.Optional(Type.Array(Strict({ text: Name, x: Coordinate, y: Coordinate }), { maxItems: 100, description: 'Texts drawn on the map (stage, exits)' })),
    stage: Type.Optional(Strict({ x: Coordinate, y: Coordinate, width: Type.Number({ minimum: 0 }), height: Type.Number({ minimum: 0 }), label: Type.Optional(Name) })),
  },
  'A seat map, format guichet.seatmap/1',
);
export type MapDocument = Static<typeof MapDocument>;

export const MAX_SEATS_PER_MAP = 20_000;

/** One seat as the map defines it, numbered for the database. */
export interface MapSeatDefinition {
  key: string;
  area: string;
  areaKey: string;
  row: string;
  number: string;
  category: string;
  x: number;
  y: number;
  rank: number;
  /** Seats next to each other share a block and have consecutive positions. */
  block: number;
  position: number;
  flags: SeatFlag[];
}

export interface StandingArea { key: string; name: string; category: string; capacity: number }

export interface ValidatedMap {
  document: MapDocument;
  seats: MapSeatDefinition[];
  standing: StandingArea[];
}

/** `/areas/0/rows/2` → `document.areas[0].rows[2]`. */
function fieldOf(path: string) {
  return `document${path.split('/').slice(1).map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join('')}`;
}

/**
 * Checks a map document and lays out its seats; throws VALIDATION_FAILED listing every problem
 * found (at most 50), each with the path of the offending field.
 */
export function validateMapDocument(input: unknown): ValidatedMap {
  const problems: FieldProblem[] = [];
  const fail = () => new DomainError('VALIDATION_FAILED', `The seat map is not valid: ${problems[0].field}: ${problems[0].message}`, problems.slice(0, 50));
  if (!Value.Check(MapDocument, input)) {
    // Areas are checked one by one against the kind they say they are: "expected a union" helps nobody.
    const collect = (schema: TSchema, value: unknown, prefix: string) => {
      for (const error of Value.Errors(schema, value)) {
        if (problems.length >= 50) return;
        problems.push({ field: fieldOf(prefix + error.path), message: error.message });
      }
    };
    const areas = (input as { areas?: unknown })?.areas;
    collect(Type.Object({ ...MapDocument.properties, areas: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 200 }) }, { additionalProperties: false }), input, '');
    if (Array.isArray(areas)) {
      areas.forEach((area, i) => {
        const kind = (area as { kind?: unknown })?.kind;
        if (kind !== 'seated' && kind !== 'standing') problems.push({ field: `document.areas[${i}].kind`, message: 'must be "seated" or "standing"' });
        else collect(kind === 'seated' ? SeatedArea : StandingAreaSchema, area, `/areas/${i}`);
      });
    }
    if (problems.length === 0) problems.push({ field: 'document', message: 'is not a seat map' });
    throw fail();
  }
  const document = input as MapDocument;
  const categories = new Set<string>();
  document.categories.forEach((c, i) => {
    if (categories.has(c.key)) problems.push({ field: `document.categories[${i}].key`, message: `duplicate category "${c.key}"` });
    categories.add(c.key);
  });
  const known = (key: string | undefined, field: string) => {
    if (key !== undefined && !categories.has(key)) problems.push({ field, message: `unknown category "${key}"` });
  };
  const areaKeys = new Set<string>();
  const seats: MapSeatDefinition[] = [];
  const standing: StandingArea[] = [];
  let block = 0;
  document.areas.forEach((area, a) => {
    const at = `document.areas[${a}]`;
    if (areaKeys.has(area.key)) problems.push({ field: `${at}.key`, message: `duplicate area "${area.key}"` });
    areaKeys.add(area.key);
    known(area.category, `${at}.category`);
    if (area.kind === 'standing') {
      standing.push({ key: area.key, name: area.name, category: area.category, capacity: area.capacity });
      return;
    }
    const rows = new Set<string>();
    let order = 0;
    area.rows.forEach((row, r) => {
      if (rows.has(row.label)) problems.push({ field: `${at}.rows[${r}].label`, message: `duplicate row "${row.label}" in area "${area.key}"` });
      rows.add(row.label);
      const numbers = new Set<string>();
      block++;
      row.seats.forEach((seat, s) => {
        const field = `${at}.rows[${r}].seats[${s}]`;
        if (numbers.has(seat.number)) problems.push({ field: `${field}.number`, message: `duplicate seat "${seat.number}" in row "${row.label}" of area "${area.key}"` });
        numbers.add(seat.number);
        known(seat.category, `${field}.category`);
        const category = seat.category ?? area.category;
        if (category === undefined) problems.push({ field: `${field}.category`, message: 'a seat needs a category (its own or its area\'s)' });
        order++;
        seats.push({
          key: `${area.key}/${row.label}/${seat.number}`,
          area: area.name,
          areaKey: area.key,
          row: row.label,
          number: seat.number,
          category: category ?? '',
          x: seat.x,
          y: seat.y,
          rank: seat.rank ?? order,
          block,
          position: s,
          flags: [...(seat.flags ?? [])],
        });
        if (seat.aisle_after && s < row.seats.length - 1) block++;
      });
    });
  });
  if (seats.length > MAX_SEATS_PER_MAP) problems.push({ field: 'document.areas', message: `at most ${MAX_SEATS_PER_MAP} seats per map (${seats.length} given)` });
  if (seats.length === 0 && standing.length === 0) problems.push({ field: 'document.areas', message: 'the map has no seat and no standing area' });
  if (problems.length > 0) throw fail();
  return { document, seats, standing };
}
