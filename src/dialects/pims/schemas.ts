import { Type, type TProperties, type TSchema } from '@sinclair/typebox';
import { DomainError } from '../../core/errors.ts';
import { isCalendarDate } from '../../core/validation.ts';

/** Query and body schemas of the Pims operations (P1 parameters; writes after the PHP SDK). */

const sorts = (...keys: string[]) => Type.Optional(Type.Union(keys.flatMap((k) => [Type.Literal(k), Type.Literal(`-${k}`)])));
const Text = Type.Optional(Type.String({ maxLength: 200 }));
const DateText = Type.Optional(Type.String({ maxLength: 40 }));
const Flag = Type.Optional(Type.Boolean());

export const Paging = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
};

const query = <T extends TProperties>(fields: T) => Type.Object({ ...Paging, ...fields });

export const CategoriesQuery = query({ label: Text, show_ignored: Flag, sort: sorts('label', 'order') });
export const LabelQuery = query({ label: Text, show_ignored: Flag, sort: sorts('label') });
const EventFilters = { label: Text, from_datetime: DateText, to_datetime: DateText, from_date: DateText, to_date: DateText, city: Text, sort: sorts('label', 'datetime', 'venue_label', 'city') };
export const EventsQuery = query(EventFilters);
export const SeriesQuery = query({ label: Text, from_date: DateText, to_date: DateText, type: Type.Optional(Type.Union([Type.Literal('TOU'), Type.Literal('LGS')])), sort: sorts('label', 'first_date', 'last_date') });
export const VenuesQuery = query({ label: Text, city: Text, country_code: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })), type: Type.Optional(Type.Union([Type.Literal('SAL'), Type.Literal('FES')])), sort: sorts('label', 'city', 'country') });
export const IgnoredQuery = query({ show_ignored: Flag });
export const OneQuery = Type.Object({ show_ignored: Flag });

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const VenueFields = {
  label: Type.String({ minLength: 1, maxLength: 200 }),
  type_id: Type.Union([Type.Literal('SAL'), Type.Literal('FES')]),
  first_address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  second_address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  zip_code: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  city: Type.String({ minLength: 1, maxLength: 100 }),
  country_code: Type.String({ pattern: '^[A-Za-z]{2}$' }),
};
export const VenueCreate = Type.Object({ ...VenueFields, type_id: Type.Optional(VenueFields.type_id) }, { additionalProperties: false });
export const VenueUpdate = Type.Partial(Type.Object(VenueFields), { additionalProperties: false, minProperties: 1 });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const SeriesFields = {
  label: Type.String({ minLength: 1, maxLength: 200 }),
  type_id: Type.Union([Type.Literal('TOU'), Type.Literal('LGS')]),
  first_date: Type.Optional(Nullable(Day)),
  last_date: Type.Optional(Nullable(Day)),
  venue_id: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 2_147_483_647 }))),
};
export const SeriesCreate = Type.Object(SeriesFields, { additionalProperties: false });
export const SeriesUpdate = Type.Partial(Type.Object(SeriesFields), { additionalProperties: false, minProperties: 1 });

const DATE_FORMAT = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A Pims date filter (`Y-m-d`, or `Y-m-d?H:i:s`) as a local wall-clock bound `YYYY-MM-DDTHH:MM:SS`;
 * a bare day starts at midnight for `from` and ends at 23:59:59 for `to`. Anything else is a 422.
 */
export function localBound(value: string | undefined, end: 'from' | 'to'): string | undefined {
  if (value === undefined || value === '') return undefined;
  const m = DATE_FORMAT.exec(value);
  if (!m || !isCalendarDate(m[1]) || (m[2] !== undefined && (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59))) {
    throw new DomainError('VALIDATION_FAILED', "Unknown date format, should be 'Y-m-d?H:i:s'");
  }
  if (m[2] === undefined) return `${m[1]}T${end === 'from' ? '00:00:00' : '23:59:59'}`;
  return `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? (end === 'from' ? '00' : '59')}`;
}

/** Path ids: anything but a positive integer names no entity. */
export function idParam(value: string): number {
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1 || Number(value) > Number.MAX_SAFE_INTEGER) throw new DomainError('NOT_FOUND', 'Entity not found.');
  return Number(value);
}

/** `sort=-label` → { key: 'label', descending: true }. */
export function sortOf<K extends string>(value: string | undefined, fallback: K): { key: K; descending: boolean } {
  if (!value) return { key: fallback, descending: false };
  return value.startsWith('-') ? { key: value.slice(1) as K, descending: true } : { key: value as K, descending: false };
}
