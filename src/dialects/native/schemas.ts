import { Type, type Static, type TNull, type TSchema, type TProperties, type TUnion } from '@sinclair/typebox';

/**
 * Request and response schemas of the native API. Fastify validates requests with them and the
 * OpenAPI document at /api/openapi.json is generated from them: one source for both.
 */

/** Integers are 32-bit in the database; larger input is refused up front rather than failing there. */
export const INT32_MAX = 2_147_483_647;

/**
 * A value or null. For scalar types this is `type: [t, 'null']` rather than `anyOf`: the response
 * serializer picks an `anyOf` branch by validating at run time, which made large answers slow.
 */
export const Nullable = <T extends TSchema>(schema: T): TUnion<[T, TNull]> => {
  const type = (schema as { type?: unknown }).type;
  if (typeof type === 'string' && type !== 'object' && type !== 'array' && !('anyOf' in schema)) {
    return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'] }) as unknown as TUnion<[T, TNull]>;
  }
  return Type.Union([schema, Type.Null()]);
};
export const Id = Type.Integer({ minimum: 1, maximum: INT32_MAX });
const Text = (max = 255) => Type.String({ minLength: 1, maxLength: max });
const OptionalText = (max = 255) => Type.Optional(Nullable(Type.String({ maxLength: max })));
const Instant = Type.String({ description: 'ISO 8601 date-time with offset, e.g. 2026-06-01T20:00:00+02:00' });
const CalendarDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Timestamps = { created_at: Type.String({ format: 'date-time' }), updated_at: Type.String({ format: 'date-time' }) };

/** A strict object: unknown fields are refused rather than silently dropped. */
export const Strict = <T extends TProperties>(properties: T) => Type.Object(properties, { additionalProperties: false });
/** A request body keyed by its resource root: `{"event": {…}}`. */
export const Rooted = <T extends TSchema>(root: string, schema: T) => Type.Object({ [root]: schema }, { additionalProperties: false });
/** A partial version of a body object for PATCH. */
export const PartialStrict = <T extends TProperties>(properties: T) => Type.Partial(Strict(properties), { additionalProperties: false, minProperties: 1 });

export const IdParams = Strict({ id: Id });
/** The body of an action that takes none: nothing, or `{}`; anything else is refused, not ignored. */
export const NoBody = Type.Union([Type.Null(), Strict({})], { description: 'No body, or {}' });
export const PageQuery = Strict({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 })),
  per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
});
export type PageQueryType = { page?: number; per_page?: number };
export const withPaging = <T extends TProperties>(properties: T) =>
  Type.Object({ ...PageQuery.properties, ...properties }, { additionalProperties: false });

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'Error', description: 'Every error answer of the native API' },
);

export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
  429: ErrorBody,
};

// ---- Identity ---------------------------------------------------------------------------------

const Profile = {
  first_name: OptionalText(),
  last_name: OptionalText(),
  title: Type.Optional(Nullable(Type.Union([Type.Literal('Mr'), Type.Literal('Mrs'), Type.Literal('Ms'), Type.Literal('Mx')]))),
  date_of_birth: Type.Optional(Nullable(CalendarDate)),
  phone: OptionalText(50),
  address_line1: OptionalText(),
  address_line2: OptionalText(),
  city: OptionalText(),
  state: OptionalText(),
  country: Type.Optional(Nullable(Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' }))),
};
const MembershipRole = Type.Union(['owner', 'manager', 'box_office', 'door_staff'].map((r) => Type.Literal(r)));
const PlatformRole = Type.Union(['customer', 'support', 'host', 'administrator'].map((r) => Type.Literal(r)));

export const UserCreate = Strict({
  username: Text(64),
  email: Type.String({ format: 'email', maxLength: 255 }),
  password: Type.String({ minLength: 8, maxLength: 1024 }),
  role: Type.Optional(MembershipRole),
  platform_role: Type.Optional(PlatformRole),
  ...Profile,
});
export const UserUpdate = PartialStrict({
  email: Type.String({ format: 'email', maxLength: 255 }),
  role: Nullable(MembershipRole),
  ...Profile,
});
export const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  email: Type.String(),
  ...Object.fromEntries(Object.keys(Profile).map((k) => [k, Nullable(Type.String())])),
  platform_role: Type.String(),
  role: Type.Optional(Nullable(Type.String({ description: "Role in the caller's organization" }))),
  verified: Type.Boolean(),
  activated: Type.Boolean(),
  ...Timestamps,
});
export const PasswordChange = Strict({
  current_password: Type.String({ minLength: 1, maxLength: 1024 }),
  new_password: Type.String({ minLength: 8, maxLength: 1024 }),
  // Every other token, session and Weezevent token of the account ends; true keeps the one making the change.
  keep_current_token: Type.Optional(Type.Boolean()),
});
export const PasswordResetRequest = Strict({ email: Type.String({ format: 'email' }) });
export const PasswordResetConfirm = Strict({ token: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 8, maxLength: 1024 }) });
export const Activity = Type.Object({ id: Type.Integer(), kind: Type.String(), detail: Nullable(Type.String()), ip: Nullable(Type.String()), created_at: Type.String() });

const AddressFields = {
  label: OptionalText(),
  first_name: OptionalText(),
  last_name: OptionalText(),
  line1: Text(),
  line2: OptionalText(),
  zip: OptionalText(20),
  city: Text(),
  state_id: Type.Optional(Nullable(Id)),
  country_id: Id,
  phone: OptionalText(50),
  is_default: Type.Optional(Type.Boolean()),
};
export const AddressCreate = Strict(AddressFields);
export const AddressUpdate = PartialStrict(AddressFields);
export const Address = Type.Object({
  id: Type.Integer(),
  label: Nullable(Type.String()),
  first_name: Nullable(Type.String()),
  last_name: Nullable(Type.String()),
  line1: Type.String(),
  line2: Nullable(Type.String()),
  zip: Nullable(Type.String()),
  city: Type.String(),
  state_id: Nullable(Type.Integer()),
  country_id: Type.Integer(),
  phone: Nullable(Type.String()),
  is_default: Type.Boolean(),
  ...Timestamps,
});

export const OrganizationUpdate = PartialStrict({
  name: Text(),
  currency: Type.String({ pattern: '^[A-Za-z]{3}$' }),
  time_zone: Text(64),
  locale: Text(35),
});
export const Organization = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  currency: Type.String(),
  time_zone: Type.String(),
  locale: Type.String(),
  ...Timestamps,
});

export const OAuthClientCreate = Strict({ name: Text(), scopes: Type.Optional(Type.String({ maxLength: 100, description: 'Space-separated: public buy sell admin' })) });
export const OAuthClient = Type.Object({
  id: Type.Integer(),
  client_id: Type.String(),
  client_secret: Type.Optional(Type.String({ description: 'Only in the creation answer' })),
  name: Type.String(),
  scopes: Type.String(),
  revoked_at: Nullable(Type.String()),
  created_at: Type.String(),
});
const AccessLevel = Type.Union(['public', 'customer', 'support', 'host', 'administrator'].map((r) => Type.Literal(r)));
export const ApiKeyCreate = Strict({ name: Text(), access_level: AccessLevel });
export const ApiKey = Type.Object({
  id: Type.Integer(),
  key: Type.Optional(Type.String({ description: 'Only in the creation answer' })),
  name: Type.String(),
  access_level: Type.String(),
  revoked_at: Nullable(Type.String()),
  last_used_at: Nullable(Type.String()),
  created_at: Type.String(),
});

// ---- Reference ----------------------------------------------------------------------------------

export const Country = Type.Object({ id: Type.Integer(), code: Type.String(), alpha3: Type.String(), name: Type.String() });
export const State = Type.Object({ id: Type.Integer(), country_id: Type.Integer(), code: Type.String(), name: Type.String() });
export const Currency = Type.Object({ code: Type.String(), numeric_code: Type.Integer(), name: Type.String(), minor_units: Type.Integer() });

// ---- Catalog ------------------------------------------------------------------------------------

const VenueFields = {
  name: Text(),
  kind: Type.Union([Type.Literal('hall'), Type.Literal('festival')]),
  address_line1: OptionalText(),
  address_line2: OptionalText(),
  zip: OptionalText(20),
  city: Text(),
  state: OptionalText(),
  country_code: Type.String({ pattern: '^[A-Za-z]{2}$' }),
  latitude: Type.Optional(Nullable(Type.Number({ minimum: -90, maximum: 90 }))),
  longitude: Type.Optional(Nullable(Type.Number({ minimum: -180, maximum: 180 }))),
  capacity: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: INT32_MAX }))),
  region_id: Type.Optional(Nullable(Id)),
};
export const VenueCreate = Strict(VenueFields);
export const VenueUpdate = PartialStrict(VenueFields);
export const Venue = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.String(),
  address_line1: Nullable(Type.String()),
  address_line2: Nullable(Type.String()),
  zip: Nullable(Type.String()),
  city: Type.String(),
  state: Nullable(Type.String()),
  country_code: Type.String(),
  latitude: Nullable(Type.Number()),
  longitude: Nullable(Type.Number()),
  capacity: Nullable(Type.Integer()),
  region_id: Nullable(Type.Integer()),
  ...Timestamps,
});

const RegionFields = { name: Text(), country_code: Type.String({ pattern: '^[A-Za-z]{2}$' }), district: OptionalText(), city: OptionalText(), active: Type.Optional(Type.Boolean()) };
export const RegionCreate = Strict(RegionFields);
export const RegionUpdate = PartialStrict(RegionFields);
export const Region = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  country_code: Type.String(),
  district: Nullable(Type.String()),
  city: Nullable(Type.String()),
  active: Type.Boolean(),
  ...Timestamps,
});

const CategoryNames = Strict({ en: Text(100), fr: Text(100), de: Text(100) });
const CategoryFields = { names: CategoryNames, parent_id: Type.Optional(Nullable(Id)), position: Type.Optional(Type.Integer({ minimum: 0, maximum: INT32_MAX })) };
export const CategoryCreate = Strict(CategoryFields);
export const CategoryUpdate = PartialStrict(CategoryFields);
const CategoryBase = {
  id: Type.Integer(),
  parent_id: Nullable(Type.Integer()),
  names: Type.Object({ en: Type.String(), fr: Type.String(), de: Type.String() }),
  name: Type.String({ description: 'Name in the language asked by Accept-Language (en, fr, de)' }),
  position: Type.Integer(),
  ...Timestamps,
};
export const Category = Type.Object({ ...CategoryBase, subcategories: Type.Array(Type.Object(CategoryBase)) });

const SeriesFields = {
  kind: Type.Union([Type.Literal('tour'), Type.Literal('long_run')]),
  label: Text(),
  first_date: Type.Optional(Nullable(CalendarDate)),
  last_date: Type.Optional(Nullable(CalendarDate)),
  venue_id: Type.Optional(Nullable(Id)),
};
export const SeriesCreate = Strict(SeriesFields);
export const SeriesUpdate = PartialStrict(SeriesFields);
export const Series = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  label: Type.String(),
  first_date: Nullable(Type.String()),
  last_date: Nullable(Type.String()),
  venue_id: Nullable(Type.Integer()),
  ...Timestamps,
});

const ChannelKind = Type.Union(['web', 'box_office', 'partner', 'reseller', 'mobile'].map((k) => Type.Literal(k)));
const InterfaceFields = {
  name: Text(),
  kind: ChannelKind,
  default: Type.Optional(Type.Boolean()),
  active: Type.Optional(Type.Boolean()),
  external: Type.Optional(Type.Boolean({ description: 'A channel Guichet does not sell through (a reseller, a partner box office): staff enter its ticket counts' })),
};
export const InterfaceCreate = Strict(InterfaceFields);
export const InterfaceUpdate = PartialStrict(InterfaceFields);
export const Interface = Type.Object({ id: Type.Integer(), name: Type.String(), kind: Type.String(), default: Type.Boolean(), active: Type.Boolean(), external: Type.Boolean(), ...Timestamps });

const SectionFields = { name: Text(), description: OptionalText(2000), capacity: Type.Integer({ minimum: 0, maximum: 10_000_000 }), position: Type.Optional(Type.Integer({ minimum: 0, maximum: INT32_MAX })) };
export const SectionCreate = Strict(SectionFields);
export const SectionUpdate = PartialStrict(SectionFields);
export const Section = Type.Object({ id: Type.Integer(), name: Type.String(), description: Nullable(Type.String()), capacity: Type.Integer(), position: Type.Integer() });

const DateStatus = Type.Union([Type.Literal('scheduled'), Type.Literal('cancelled')]);
const DateFields = { starts_at: Instant, ends_at: Type.Optional(Nullable(Instant)), venue_id: Type.Optional(Nullable(Id)), status: Type.Optional(DateStatus) };
export const DateCreate = Strict(DateFields);
export const DateUpdate = PartialStrict(DateFields);
export const EventDate = Type.Object({
  id: Type.Integer(),
  starts_at: Type.String(),
  ends_at: Nullable(Type.String()),
  venue_id: Nullable(Type.Integer()),
  status: Type.String(),
  capacities: Type.Array(Type.Object({
    section_id: Type.Integer(),
    capacity: Type.Integer(),
    seated: Type.Boolean({ description: 'Sold seat by seat from the date\'s seat map: its capacity is its number of seats, and its capacity, kills and organizer holds change only seat by seat (PATCH …/dates/{date_id}/seats), never by number (409)' }),
  })),
});
export const CapacityUpdate = Strict({ capacity: Type.Integer({ minimum: 0, maximum: 10_000_000 }) });

const TariffFields = {
  section_id: Id,
  label: Text(),
  price: Type.Integer({ minimum: 0, maximum: INT32_MAX, description: 'Minor units (cents)' }),
  currency: Type.Optional(Type.String({ pattern: '^[A-Za-z]{3}$' })),
  sale_starts_at: Type.Optional(Nullable(Instant)),
  sale_ends_at: Type.Optional(Nullable(Instant)),
  max_per_order: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: INT32_MAX }))),
  quota: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: INT32_MAX }))),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: INT32_MAX })),
  interface_ids: Type.Optional(Type.Array(Id, { maxItems: 100, description: 'Sales channels; empty = all' })),
};
export const TariffCreate = Strict(TariffFields);
export const TariffUpdate = PartialStrict(TariffFields);
export const Tariff = Type.Object({
  id: Type.Integer(),
  section_id: Type.Integer(),
  label: Type.String(),
  price: Type.Integer(),
  currency: Type.String(),
  sale_starts_at: Nullable(Type.String()),
  sale_ends_at: Nullable(Type.String()),
  max_per_order: Nullable(Type.Integer()),
  quota: Nullable(Type.Integer()),
  position: Type.Integer(),
  interface_ids: Type.Array(Type.Integer()),
});

const HolderNames = Type.Union(['none', 'optional', 'required'].map((s) => Type.Literal(s)), {
  description: "Checkout asks a name per ticket: none (the buyer's name is printed), optional, or required (refused without)",
});
const EventStatus = Type.Union(['draft', 'under_review', 'scheduled', 'listed', 'cancelled'].map((s) => Type.Literal(s)));
const EventFields = {
  title: Text(),
  description: OptionalText(20_000),
  category_id: Type.Optional(Nullable(Id)),
  subcategory_id: Type.Optional(Nullable(Id)),
  venue_id: Type.Optional(Nullable(Id)),
  series_id: Type.Optional(Nullable(Id)),
  time_zone: Type.Optional(Text(64)),
  public: Type.Optional(Type.Boolean()),
  reentry_allowed: Type.Optional(Type.Boolean({ description: 'Door: a ticket scanned out may come back in' })),
  holder_names: Type.Optional(HolderNames),
  sale_starts_at: Type.Optional(Nullable(Instant)),
  sale_ends_at: Type.Optional(Nullable(Instant)),
  tags: Type.Optional(Type.Array(Text(50), { maxItems: 50 })),
  image_urls: Type.Optional(Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 20 })),
};
export const EventCreate = Strict({
  ...EventFields,
  sections: Type.Optional(Type.Array(SectionCreate, { maxItems: 200 })),
  dates: Type.Optional(Type.Array(DateCreate, { maxItems: 1000 })),
});
export const EventUpdate = PartialStrict({ ...EventFields, status: EventStatus });
export const Event = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  description: Nullable(Type.String()),
  status: Type.String(),
  public: Type.Boolean(),
  reentry_allowed: Type.Boolean(),
  holder_names: HolderNames,
  category_id: Nullable(Type.Integer()),
  subcategory_id: Nullable(Type.Integer()),
  venue_id: Nullable(Type.Integer()),
  series_id: Nullable(Type.Integer()),
  time_zone: Type.String(),
  sale_starts_at: Nullable(Type.String()),
  sale_ends_at: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  image_urls: Type.Array(Type.String()),
  dates: Type.Array(EventDate),
  sections: Type.Array(Section),
  tariffs: Type.Array(Tariff),
  ...Timestamps,
});
export const EventListQuery = withPaging({
  status: Type.Optional(EventStatus),
  series_id: Type.Optional(Id),
  venue_id: Type.Optional(Id),
});
