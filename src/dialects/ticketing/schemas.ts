import { Type, type TProperties } from '@sinclair/typebox';

/** Request schemas of the TickeTing dialect (validation only: TickeTing publishes no OpenAPI file here). */
const Text = (max = 255) => Type.String({ maxLength: max });
// Null first: with the app's type coercion, a null tried against a string branch first would become "".
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([Type.Null(), t]);
const Opt = (max = 255) => Type.Optional(Nullable(Text(max)));

export const Id = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$' }) }, { additionalProperties: false });
/** An account's number (`CU-7F3K9Q2M` style), or its plain id. */
export const AccountId = Type.Object({ id: Type.String({ pattern: '^([0-9]{1,15}|[A-Za-z]{2}-[A-Za-z0-9]{8})$' }) }, { additionalProperties: false });
export const EventSection = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$' }), section: Type.String({ pattern: '^[0-9]{1,15}$' }) }, { additionalProperties: false });

export const paging = {
  records: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  page: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
};
export const ListQuery = (extra: TProperties = {}) => Type.Object({ ...paging, ...extra }, { additionalProperties: false });
export const EventSort = Type.Optional(Type.Union(['alphabetical', 'published', 'popularity', 'start'].map((s) => Type.Literal(s))));
export const EventFilters = {
  region: Type.Optional(Type.String({ maxLength: 100 })),
  host: Type.Optional(Type.String({ maxLength: 100 })),
  title: Type.Optional(Type.String({ maxLength: 255 })),
  status: Type.Optional(Type.Union(['Draft', 'Under Review', 'Scheduled', 'Listed', 'Cancelled', 'Staged'].map((s) => Type.Literal(s)))),
  active: Type.Optional(Type.Boolean()),
  public: Type.Optional(Type.Boolean()),
  section: Type.Optional(Type.String({ maxLength: 100 })),
  sort: EventSort,
};

export const SessionStart = Type.Object({ identification: Text(254), password: Text(1024) }, { additionalProperties: false });
export const IntegrationCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), access: Type.Union(['public', 'customer', 'support', 'host', 'administrator'].map((s) => Type.Literal(s))) },
  { additionalProperties: false },
);

const Title = Type.Optional(Type.Union([Type.Null(), Type.Literal('Mr'), Type.Literal('Mrs'), Type.Literal('Ms'), Type.Literal('Mx')]));
const profile = {
  firstName: Opt(100), lastName: Opt(100), title: Title, dateOfBirth: Opt(10), phone: Opt(50), country: Opt(100),
  firstAddressLine: Opt(), secondAddressLine: Opt(), city: Opt(100), state: Opt(100),
};
export const AccountCreate = Type.Object(
  { username: Text(64), password: Type.String({ minLength: 1, maxLength: 1024 }), email: Text(254), ...profile },
  { additionalProperties: false },
);
export const AccountUpdate = Type.Object(
  { number: Type.Optional(Type.String({ maxLength: 20 })), username: Type.Optional(Text(64)), email: Type.Optional(Text(254)), ...profile },
  { additionalProperties: false },
);
export const AccountFilters = { number: Type.Optional(Type.String({ maxLength: 100 })), email: Type.Optional(Text(254)), username: Type.Optional(Text(64)) };
export const Preferences = Type.Object({ region: Type.Union([Type.Null(), Type.Integer({ minimum: 1 }), Type.String({ pattern: '^(/regions/)?[0-9]{1,15}$' })]) });

const hostFields = {
  description: Opt(5000), phone: Opt(50), website: Opt(),
  country: Opt(100), firstAddressLine: Opt(), secondAddressLine: Opt(), city: Opt(100), state: Opt(100), businessNo: Opt(100),
};
/** In the resource's own order: name, contact, email are required. */
export const HostCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 255 }), contact: Type.String({ minLength: 1, maxLength: 255 }), email: Type.String({ minLength: 3, maxLength: 254 }), ...hostFields },
  { additionalProperties: false },
);
export const HostUpdate = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })), contact: Opt(), email: Opt(254), ...hostFields },
  { additionalProperties: false },
);

const Uri = Type.String({ minLength: 1, maxLength: 255 });
// In the resource's own order (required-field messages name fields in this order).
const eventFields = {
  type: Opt(100),
  title: Type.String({ minLength: 1, maxLength: 255 }),
  description: Opt(20000),
  subcategory: Opt(255),
  public: Type.Optional(Type.Boolean()),
  category: Type.Optional(Nullable(Uri)),
  start: Type.String({ maxLength: 40 }),
  end: Type.String({ maxLength: 40 }),
  venue: Type.Optional(Nullable(Uri)),
  disclaimer: Opt(5000),
  tags: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
  banner: Type.Optional(Nullable(Type.String({ maxLength: 10_000_000 }))),
  thumbnail: Type.Optional(Nullable(Type.String({ maxLength: 10_000_000 }))),
};
export const EventCreate = Type.Object({ ...eventFields, host: Type.Union([Type.String({ maxLength: 100 }), Type.Integer()]) }, { additionalProperties: false });
export const EventUpdate = Type.Partial(Type.Object(eventFields, { additionalProperties: false }), { additionalProperties: false });
export const SectionCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255 }),
    description: Opt(5000),
    price: Type.Union([Type.Number({ minimum: 0, maximum: 1_000_000 }), Type.Object({ base: Type.Number({ minimum: 0, maximum: 1_000_000 }) })]),
    capacity: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    salesStart: Opt(40),
    salesEnd: Opt(40),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const Approval = Type.Object({ status: Type.Union([Type.Literal('Scheduled'), Type.Literal('Listed')]) }, { additionalProperties: false });
export const Empty = Type.Object({}, { additionalProperties: false });

export const CategoryCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), subcategories: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100, uniqueItems: true })) },
  { additionalProperties: false },
);
export const CategoryUpdate = Type.Partial(CategoryCreate, { additionalProperties: false });
export const RegionCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), country: Text(100), district: Opt(100), city: Opt(100), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export const RegionUpdate = Type.Partial(RegionCreate, { additionalProperties: false });
const venueFields = {
  name: Type.String({ minLength: 1, maxLength: 255 }),
  address: Type.String({ minLength: 1, maxLength: 255 }),
  longitude: Type.Number({ minimum: -180, maximum: 180 }),
  latitude: Type.Number({ minimum: -90, maximum: 90 }),
  region: Type.Union([Type.Integer({ minimum: 1 }), Type.String({ maxLength: 100 })]),
  map: Opt(),
};
/** A venue needs its name, address and coordinates (the map is drawn from them), and its region. */
export const VenueCreate = Type.Object(venueFields, { additionalProperties: false });
export const VenueUpdate = Type.Partial(VenueCreate, { additionalProperties: false });

export const OrderCreate = Type.Object(
  {
    customer: Type.Union([Type.String({ maxLength: 100 }), Type.Integer({ minimum: 1 })]),
    items: Type.Record(Type.String({ maxLength: 200 }), Type.Integer({ minimum: 1, maximum: 100 }), { minProperties: 1, maxProperties: 50 }),
  },
  { additionalProperties: false },
);
export const PaymentCreate = Type.Object(
  {
    number: Type.String({ pattern: '^[0-9 ]{12,23}$' }),
    cvv: Type.String({ pattern: '^[0-9]{3,4}$' }),
    expiryDate: Type.String({ pattern: '^(0[1-9]|1[0-2])/[0-9]{2}$' }),
    name: Type.String({ minLength: 1, maxLength: 255 }),
    email: Opt(254), phone: Opt(50), address1: Opt(), address2: Opt(), city: Opt(100), district: Opt(100), country: Opt(100),
  },
  { additionalProperties: false },
);
export const TransferCreate = Type.Object(
  {
    sender: Type.Union([Type.String({ maxLength: 100 }), Type.Integer({ minimum: 1 })]),
    recipient: Type.String({ minLength: 3, maxLength: 254 }),
    tickets: Type.Record(Type.String({ maxLength: 200 }), Type.Integer({ minimum: 1, maximum: 100 }), { minProperties: 1, maxProperties: 50 }),
  },
  { additionalProperties: false },
);
export const TransferFilters = {
  role: Type.Optional(Type.Union([Type.Literal('sender'), Type.Literal('recipient')])),
  status: Type.Optional(Type.Union(['Pending', 'Claimed', 'Cancelled', 'Rejected'].map((s) => Type.Literal(s)))),
};
export const ResetRequest = Type.Object({ email: Type.String({ minLength: 3, maxLength: 254 }) }, { additionalProperties: false });
export const ResetConfirmation = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);
export const ResetId = Type.Object({ id: Type.Literal('confirmation') }, { additionalProperties: false });
export const VerificationConfirmation = Type.Object({ code: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const Instant = Type.Optional(Type.String({ minLength: 10, maxLength: 40 }));
export const TokenBody = Type.Object({ sections: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 200 }) }, { additionalProperties: false });
export const TokenCode = Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false });
export const AdmissionBody = Type.Object(
  { redeemer: Type.String({ minLength: 1, maxLength: 100 }), device: Type.String({ minLength: 1, maxLength: 100 }), serials: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false },
);
