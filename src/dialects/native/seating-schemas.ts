import { Type } from '@sinclair/typebox';
import { Id, Nullable, PartialStrict, Strict, withPaging } from './schemas.ts';
import { SEAT_FLAGS } from '../../core/seating/index.ts';

/** Schemas of seat maps and the seats of dates (reserved seating). */

const MapName = Type.String({ minLength: 1, maxLength: 200 });
const Document = Type.Unknown({ description: 'A seat map document, format guichet.seatmap/1: its JSON schema is GET /api/maps/schema; README "Reserved seating"' });

export const SeatMapCreate = Strict({ name: MapName, venue_id: Type.Optional(Nullable(Id)), document: Document });
export const SeatMapUpdate = PartialStrict({ name: MapName, venue_id: Nullable(Id), document: Document });
export const SeatMapSummary = Type.Object({
  id: Type.Integer(),
  venue_id: Nullable(Type.Integer()),
  name: Type.String(),
  version: Type.Integer({ description: 'The latest version (GET …?version=n reads an earlier one)' }),
  seat_count: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export const SeatMap = Type.Object({ ...SeatMapSummary.properties, document: Document });
export const SeatMapListQuery = withPaging({ venue_id: Type.Optional(Id) });
export const SeatMapReadQuery = Strict({ version: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) });

export const DateMapAssign = Strict({
  map_id: Id,
  version: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Default: the latest' })),
  sections: Type.Optional(
    Type.Record(Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' }), Id, { description: 'Category key → section id; a category not named goes to the section of the same name' }),
  ),
});
export const DateMap = Type.Object({
  event_id: Type.Integer(),
  date_id: Type.Integer(),
  map_id: Type.Integer(),
  map_version: Type.Integer(),
  category_sections: Type.Record(Type.String(), Type.Integer(), { description: 'Which section sells each category on this date' }),
  document: Document,
});

export const Seat = Type.Object({
  id: Type.Integer(),
  section_id: Type.Integer(),
  area: Type.String(),
  row: Type.String(),
  number: Type.String(),
  label: Type.String({ description: 'Area, row and number, as printed' }),
  category: Type.String(),
  x: Type.Number(),
  y: Type.Number(),
  rank: Type.Integer({ description: 'Lower is better' }),
  flags: Type.Array(Type.String({ enum: [...SEAT_FLAGS] })),
  state: Type.String({ enum: ['free', 'taken', 'unavailable'], description: 'As buyers see it' }),
  status: Type.Optional(Type.String({ enum: ['free', 'held', 'sold', 'killed', 'organizer_hold'], description: 'Sellers only' })),
});
export const SeatBlock = Strict({
  seat_ids: Type.Array(Id, { minItems: 1, maxItems: 5000, uniqueItems: true }),
  blocked: Type.Union([Type.Literal('kill'), Type.Literal('hold'), Type.Null()], { description: 'kill: not for sale; hold: kept aside by the organizer; null: back on sale' }),
});
