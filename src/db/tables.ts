import type { ColumnType, Generated } from 'kysely';

/**
 * Table types shared by both engines. Conventions (see db/quirks.ts):
 * - ids are integers; money is integer minor units + ISO 4217 currency;
 * - flags are integers 0/1 on both engines (better-sqlite3 cannot bind booleans);
 * - instants are `timestamptz` on PostgreSQL and fixed-width ISO-8601 UTC text on SQLite:
 *   written as ISO strings, read back as `Date` (PG) or string (SQLite) and normalized by `toIso`;
 * - calendar dates (birthdays, series dates) are 'YYYY-MM-DD' text on both engines;
 * - lists (tags, image URLs, scopes) are JSON text.
 */
export type Instant = ColumnType<Date | string, string, string>;
export type NullableInstant = ColumnType<Date | string | null, string | null | undefined, string | null>;
export type Flag = ColumnType<number, number | undefined, number>;

export interface SchemaMigrationsTable { version: number; name: string; applied_at: Instant }

export interface CountriesTable { id: number; code: string; alpha3: string; name: string }
export interface StatesTable { id: Generated<number>; country_id: number; code: string; name: string }
export interface CurrenciesTable { code: string; numeric_code: number; name: string; minor_units: number }

export interface OrganizationsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  currency: string;
  time_zone: string;
  locale: string;
  created_at: Instant;
  updated_at: Instant;
  /** Host profile (TickeTing hosts), migration 005. */
  contact_name: ColumnType<string | null, string | null | undefined, string | null>;
  email: ColumnType<string | null, string | null | undefined, string | null>;
  description: ColumnType<string | null, string | null | undefined, string | null>;
  phone: ColumnType<string | null, string | null | undefined, string | null>;
  website: ColumnType<string | null, string | null | undefined, string | null>;
  country: ColumnType<string | null, string | null | undefined, string | null>;
  address_line1: ColumnType<string | null, string | null | undefined, string | null>;
  address_line2: ColumnType<string | null, string | null | undefined, string | null>;
  city: ColumnType<string | null, string | null | undefined, string | null>;
  state: ColumnType<string | null, string | null | undefined, string | null>;
  business_number: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AccountsTable {
  id: Generated<number>;
  username: string;
  /** Stored lowercased: e-mail addresses are unique regardless of case. */
  email: string;
  password_hash: string;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  date_of_birth: string | null;
  phone: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  platform_role: string;
  verified: Flag;
  activated: Flag;
  created_at: Instant;
  updated_at: Instant;
  preferred_region_id: ColumnType<number | null, number | null | undefined, number | null>;
  registered_by_organization_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface MembershipsTable {
  account_id: number;
  organization_id: number;
  role: string;
  created_at: Instant;
}

export interface AccountActivitiesTable {
  id: Generated<number>;
  account_id: number;
  kind: string;
  detail: string | null;
  ip: string | null;
  created_at: Instant;
}

export interface PasswordResetsTable {
  id: Generated<number>;
  account_id: number;
  token_hash: string;
  expires_at: Instant;
  used_at: NullableInstant;
  created_at: Instant;
}

export interface OauthClientsTable {
  id: Generated<number>;
  organization_id: number;
  /** The account on whose behalf the client acts; its platform role bounds platform-wide rights. */
  account_id: number | null;
  client_id: string;
  secret_hash: string;
  name: string;
  scopes: string;
  revoked_at: NullableInstant;
  created_at: Instant;
}

export interface AccessTokensTable {
  id: Generated<number>;
  token_hash: string;
  oauth_client_id: number;
  organization_id: number;
  account_id: number | null;
  scopes: string;
  grant_type: string;
  expires_at: Instant;
  revoked_at: NullableInstant;
  created_at: Instant;
  /** The family of the refresh token issued with it (migration 016); null without one. */
  refresh_family: string | null;
}

export interface RefreshTokensTable {
  id: Generated<number>;
  token_hash: string;
  /** All refresh tokens descending from one grant share a family; reuse of a rotated token revokes it. */
  family: string;
  oauth_client_id: number;
  organization_id: number;
  account_id: number | null;
  scopes: string;
  grant_type: string;
  expires_at: Instant;
  used_at: NullableInstant;
  revoked_at: NullableInstant;
  created_at: Instant;
}

export interface ApiKeysTable {
  id: Generated<number>;
  organization_id: number | null;
  account_id: number | null;
  name: string;
  key_hash: string;
  access_level: string;
  revoked_at: NullableInstant;
  last_used_at: NullableInstant;
  created_at: Instant;
}

export interface AddressesTable {
  id: Generated<number>;
  account_id: number;
  label: string | null;
  first_name: string | null;
  last_name: string | null;
  line1: string;
  line2: string | null;
  zip: string | null;
  city: string;
  state_id: number | null;
  country_id: number;
  phone: string | null;
  is_default: Flag;
  created_at: Instant;
  updated_at: Instant;
}

export interface SalesChannelsTable {
  id: Generated<number>;
  organization_id: number;
  name: string;
  kind: string;
  is_default: Flag;
  active: Flag;
  /** 1: a channel Guichet does not sell through; its ticket counts are entered by staff. */
  external: Flag;
  created_at: Instant;
  updated_at: Instant;
}

export interface RegionsTable {
  id: Generated<number>;
  name: string;
  country_code: string;
  district: string | null;
  city: string | null;
  active: Flag;
  created_at: Instant;
  updated_at: Instant;
}

export interface EventCategoriesTable {
  id: Generated<number>;
  parent_id: number | null;
  name_en: string;
  name_fr: string;
  name_de: string;
  position: number;
  created_at: Instant;
  updated_at: Instant;
}

export interface VenuesTable {
  id: Generated<number>;
  organization_id: number;
  name: string;
  kind: string;
  address_line1: string | null;
  address_line2: string | null;
  zip: string | null;
  city: string;
  state: string | null;
  country_code: string;
  latitude: number | null;
  longitude: number | null;
  capacity: number | null;
  region_id: number | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface SeriesTable {
  id: Generated<number>;
  organization_id: number;
  kind: string;
  label: string;
  first_date: string | null;
  last_date: string | null;
  venue_id: number | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface EventsTable {
  id: Generated<number>;
  organization_id: number;
  series_id: number | null;
  title: string;
  description: string | null;
  category_id: number | null;
  subcategory_id: number | null;
  venue_id: number | null;
  time_zone: string;
  status: string;
  is_public: Flag;
  sale_starts_at: NullableInstant;
  sale_ends_at: NullableInstant;
  tags: string;
  image_urls: string;
  reentry_allowed: Flag;
  created_at: Instant;
  updated_at: Instant;
  event_type: ColumnType<string | null, string | null | undefined, string | null>;
  disclaimer: ColumnType<string | null, string | null | undefined, string | null>;
  /** none, optional or required: a name per ticket at checkout (migration 018). */
  holder_names: ColumnType<string, string | undefined, string>;
}

export interface EventDatesTable {
  id: Generated<number>;
  organization_id: number;
  event_id: number;
  starts_at: Instant;
  ends_at: NullableInstant;
  venue_id: number | null;
  status: string;
  /** Wall-clock start in the event's time zone, `YYYY-MM-DDTHH:MM:SS` (kept by the catalog; migration 007). */
  local_starts_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** The seat map version this date's seats were laid out from (migration 015); null without a map. */
  map_version_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: Instant;
  updated_at: Instant;
}

export interface SectionsTable {
  id: Generated<number>;
  organization_id: number;
  event_id: number;
  name: string;
  description: string | null;
  /** Capacity given to each date unless a date overrides it (section_capacities). */
  capacity: number;
  position: number;
  created_at: Instant;
  updated_at: Instant;
}

/** Capacity of one section on one date: the row the inventory counts against. */
export interface SectionCapacitiesTable {
  id: Generated<number>;
  organization_id: number;
  event_id: number;
  date_id: number;
  section_id: number;
  capacity: number;
  /** sold + held + comps, kept in step by the transactions that change them (see core/selling/inventory.ts). */
  taken: ColumnType<number, number | undefined, number>;
  /** Places removed from sale. */
  kills: ColumnType<number, number | undefined, number>;
  /** Places the organizer keeps aside (not for sale, not yet issued). */
  organizer_holds: ColumnType<number, number | undefined, number>;
  /** Comps issued on this row (part of `taken`). */
  comps: ColumnType<number, number | undefined, number>;
  /** Seats of a seated section on this date (migration 015); 0 for general admission. */
  seats: ColumnType<number, number | undefined, number>;
}

export interface TariffsTable {
  id: Generated<number>;
  organization_id: number;
  event_id: number;
  section_id: number;
  label: string;
  price: number;
  currency: string;
  sale_starts_at: NullableInstant;
  sale_ends_at: NullableInstant;
  max_per_order: number | null;
  quota: number | null;
  position: number;
  created_at: Instant;
  updated_at: Instant;
}

/** A tariff with no row here is sold on every channel. */
export interface TariffChannelsTable { tariff_id: number; channel_id: number; organization_id: number }

export interface TariffQuotasTable { tariff_id: number; date_id: number; organization_id: number; taken: number }

export interface CartsTable {
  id: Generated<number>;
  organization_id: number;
  channel_id: number;
  oauth_client_id: number | null;
  account_id: number | null;
  /** A guest's browser session (migration 012): guest purchases belong to it. */
  web_session_id: ColumnType<number | null, number | null | undefined, number | null>;
  status: string;
  created_at: Instant;
  updated_at: Instant;
}

/** A hold on inventory: `held` until `expires_at`, then `sold` (paid) or `released`. */
export interface CartItemsTable {
  id: Generated<number>;
  organization_id: number;
  cart_id: number;
  event_id: number;
  date_id: number;
  section_id: number;
  tariff_id: number;
  capacity_id: number;
  quantity: number;
  unit_price: number;
  currency: string;
  status: string;
  expires_at: NullableInstant;
  order_id: number | null;
  /** The seats held (JSON array of `{id, label}`), null for general admission (migration 015). */
  seats: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Instant;
}

export interface OrdersTable {
  id: Generated<number>;
  organization_id: number;
  number: string;
  cart_id: number | null;
  channel_id: number;
  oauth_client_id: number | null;
  account_id: number | null;
  /** A guest's browser session (migration 012): guest purchases belong to it. */
  web_session_id: ColumnType<number | null, number | null | undefined, number | null>;
  status: string;
  currency: string;
  subtotal: number;
  discount: number;
  total: number;
  refunded_amount: ColumnType<number, number | undefined, number>;
  code_id: number | null;
  buyer_name: string | null;
  buyer_email: string | null;
  expires_at: NullableInstant;
  paid_at: NullableInstant;
  cancelled_at: NullableInstant;
  created_at: Instant;
  updated_at: Instant;
}

export interface OrderLinesTable {
  id: Generated<number>;
  organization_id: number;
  order_id: number;
  cart_item_id: number | null;
  event_id: number;
  date_id: number;
  section_id: number;
  tariff_id: number;
  channel_id: number;
  quantity: number;
  unit_price: number;
  discount: number;
  total: number;
  refunded_quantity: ColumnType<number, number | undefined, number>;
  created_at: Instant;
}

export interface PaymentsTable {
  id: Generated<number>;
  organization_id: number;
  order_id: number;
  provider: string;
  method: string;
  status: string;
  amount: number;
  currency: string;
  reference: string | null;
  card_last4: string | null;
  failure_reason: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface RefundsTable { id: Generated<number>; organization_id: number; order_id: number; amount: number; reason: string | null; created_at: Instant }

export interface IdempotencyKeysTable {
  id: Generated<number>;
  organization_id: number;
  caller: string;
  idempotency_key: string;
  request_hash: string;
  status: string;
  response_status: number | null;
  response_body: string | null;
  /** What the request created (`order:12`, `cart:7`), written in the work's own transaction (migration 009). */
  resource: string | null;
  created_at: Instant;
}

export interface DiscountCodesTable {
  id: Generated<number>;
  organization_id: number;
  code: string;
  kind: string;
  value: number;
  currency: string | null;
  starts_at: NullableInstant;
  ends_at: NullableInstant;
  usage_limit: number | null;
  used: ColumnType<number, number | undefined, number>;
  active: Flag;
  tariff_ids: string;
  event_ids: string;
  created_at: Instant;
  updated_at: Instant;
}

export interface GuestsTable {
  id: Generated<number>;
  organization_id: number;
  event_id: number;
  date_id: number;
  section_id: number;
  capacity_id: number;
  name: string;
  email: string | null;
  quantity: number;
  note: string | null;
  issued_by: number | null;
  /** The tariff the comps were issued on (Weezevent participants always have one); null for section-only comps. */
  tariff_id: ColumnType<number | null, number | null | undefined, number | null>;
  status: string;
  created_at: Instant;
  updated_at: Instant;
}

export interface TicketsTable {
  id: Generated<number>;
  organization_id: number;
  event_id: number;
  date_id: number;
  section_id: number;
  tariff_id: number | null;
  order_id: number | null;
  order_line_id: number | null;
  guest_id: number | null;
  kind: string;
  barcode: string;
  version: ColumnType<number, number | undefined, number>;
  holder_name: string | null;
  holder_email: string | null;
  holder_account_id: number | null;
  status: string;
  /** Door state: 'none' (never admitted), 'in', 'out'. */
  door_state: ColumnType<string, string | undefined, string>;
  admitted_at: NullableInstant;
  admission_scan_id: number | null;
  exited_at: NullableInstant;
  /** The QR payload's signature for the current version and barcode; null on tickets issued before it was stored. */
  qr_signature: string | null;
  /** The seat of a seated ticket and how it is printed (JSON: area, row, number), migration 015. */
  seat_id: ColumnType<number | null, number | null | undefined, number | null>;
  seat: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Instant;
  updated_at: Instant;
}

export interface RetiredBarcodesTable { organization_id: number; barcode: string; ticket_id: number; reason: string; retired_at: Instant }
export interface OrganizationKeysTable { organization_id: number; public_key: string; private_key: string; created_at: Instant }

export interface QuestionsTable {
  id: Generated<number>;
  organization_id: number;
  event_id: number;
  label: string;
  kind: string;
  options: string;
  scope: string;
  required: Flag;
  position: number;
  created_at: Instant;
  updated_at: Instant;
}

export interface AnswersTable {
  id: Generated<number>;
  organization_id: number;
  order_id: number;
  ticket_id: number | null;
  question_id: number;
  value: string;
  created_at: Instant;
}

export interface TransfersTable {
  id: Generated<number>;
  organization_id: number;
  status: string;
  sender_account_id: number;
  recipient_account_id: number | null;
  recipient_email: string;
  created_at: Instant;
  resolved_at: NullableInstant;
}
export interface TransferTicketsTable { transfer_id: number; ticket_id: number }

/** Sign-in sessions (TickeTing session keys), migration 005. */
export interface SessionsTable {
  id: Generated<number>;
  organization_id: number;
  account_id: number;
  key_hash: string;
  started_at: Instant;
  ended_at: NullableInstant;
}

/** Browser sessions of the web app, migration 012 (guest until signed in). */
export interface WebSessionsTable {
  id: Generated<number>;
  key_hash: string;
  account_id: number | null;
  created_at: Instant;
  signed_in_at: NullableInstant;
  last_seen_at: Instant;
  expires_at: Instant;
  ended_at: NullableInstant;
}

/** E-mail verification codes, migration 005. */
export interface AccountVerificationsTable {
  id: Generated<number>;
  account_id: number;
  email: string;
  code_hash: string;
  expires_at: Instant;
  used_at: NullableInstant;
  created_at: Instant;
}

/** A partner integration's key (Weezevent `api_key`): digest only. */
export interface PartnerKeysTable {
  id: Generated<number>;
  organization_id: number;
  account_id: number | null;
  name: string;
  key_hash: string;
  revoked_at: NullableInstant;
  last_used_at: NullableInstant;
  created_at: Instant;
}

/** A persistent access token a member obtained with a partner key and their password: digest only. */
export interface PartnerTokensTable {
  id: Generated<number>;
  organization_id: number;
  partner_key_id: number;
  account_id: number;
  token_hash: string;
  revoked_at: NullableInstant;
  /** Migration 009: null for tokens issued before Weezevent tokens expired. */
  expires_at: NullableInstant;
  created_at: Instant;
}
export interface AdmissionTokensTable {
  id: Generated<number>;
  organization_id: number;
  event_id: number;
  is_global: Flag;
  name: string | null;
  code_hash: string;
  /** JSON list of section ids, or null for every section. */
  section_ids: string | null;
  date_ids: string | null;
  revoked_at: NullableInstant;
  created_at: Instant;
  updated_at: Instant;
}
export interface DoorCredentialsTable {
  id: Generated<number>;
  organization_id: number;
  token_id: number;
  key_hash: string;
  device: string | null;
  created_at: Instant;
  revoked_at: NullableInstant;
}
export interface ControlPointsTable {
  id: Generated<number>;
  organization_id: number;
  name: string;
  event_id: number | null;
  token_id: number | null;
  created_at: Instant;
  updated_at: Instant;
}
export interface ScanSettingsTable { organization_id: number; account_id: number; settings: string; updated_at: Instant }
export interface ScansTable {
  id: Generated<number>;
  organization_id: number;
  event_id: number;
  ticket_id: number | null;
  code: string;
  direction: string;
  result: string;
  reason: string | null;
  control_point_id: number | null;
  device: string | null;
  token_id: number | null;
  credential_id: number | null;
  nonce_key: string | null;
  offline: Flag;
  other_scan_id: number | null;
  scanned_at: Instant;
  received_at: Instant;
}
export interface ScanConflictsTable {
  id: Generated<number>;
  organization_id: number;
  event_id: number;
  ticket_id: number;
  winning_scan_id: number;
  losing_scan_id: number;
  created_at: Instant;
}
/** Written by triggers (migration 003). `txid`: the writing transaction on PostgreSQL (xid8, read as text), 0 on SQLite. */
export interface DoorChangesTable {
  id: Generated<number>;
  organization_id: number;
  event_id: number;
  ticket_id: number;
  kind: string;
  changed_at: Instant;
  txid: ColumnType<string | number, never, never>;
}

/** HTTP Basic users of partner APIs (Pims), one organization each; migration 007. */
export interface PartnerApiUsersTable {
  id: Generated<number>;
  organization_id: number;
  account_id: number | null;
  username: string;
  password_hash: string;
  name: string;
  /** 'read' or 'write' (write includes read). */
  access: string;
  revoked_at: NullableInstant;
  created_at: Instant;
}

export interface Tables {
  schema_migrations: SchemaMigrationsTable;
  countries: CountriesTable;
  states: StatesTable;
  currencies: CurrenciesTable;
  organizations: OrganizationsTable;
  accounts: AccountsTable;
  memberships: MembershipsTable;
  account_activities: AccountActivitiesTable;
  password_resets: PasswordResetsTable;
  oauth_clients: OauthClientsTable;
  access_tokens: AccessTokensTable;
  refresh_tokens: RefreshTokensTable;
  api_keys: ApiKeysTable;
  addresses: AddressesTable;
  sales_channels: SalesChannelsTable;
  regions: RegionsTable;
  event_categories: EventCategoriesTable;
  venues: VenuesTable;
  series: SeriesTable;
  events: EventsTable;
  event_dates: EventDatesTable;
  sections: SectionsTable;
  section_capacities: SectionCapacitiesTable;
  tariffs: TariffsTable;
  tariff_channels: TariffChannelsTable;
  tariff_quotas: TariffQuotasTable;
  carts: CartsTable;
  cart_items: CartItemsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  payments: PaymentsTable;
  refunds: RefundsTable;
  idempotency_keys: IdempotencyKeysTable;
  discount_codes: DiscountCodesTable;
  guests: GuestsTable;
  tickets: TicketsTable;
  retired_barcodes: RetiredBarcodesTable;
  organization_keys: OrganizationKeysTable;
  questions: QuestionsTable;
  answers: AnswersTable;
  transfers: TransfersTable;
  transfer_tickets: TransferTicketsTable;
  sessions: SessionsTable;
  web_sessions: WebSessionsTable;
  account_verifications: AccountVerificationsTable;
  partner_keys: PartnerKeysTable;
  partner_tokens: PartnerTokensTable;
  admission_tokens: AdmissionTokensTable;
  door_credentials: DoorCredentialsTable;
  control_points: ControlPointsTable;
  scan_settings: ScanSettingsTable;
  scans: ScansTable;
  scan_conflicts: ScanConflictsTable;
  door_changes: DoorChangesTable;
  partner_api_users: PartnerApiUsersTable;
  sales_tallies: SalesTalliesTable;
  ticket_counts: TicketCountsTable;
  ticket_count_lines: TicketCountLinesTable;
  promotions: PromotionsTable;
  promotion_targets: PromotionTargetsTable;
  jobs: JobsTable;
  member_invitations: MemberInvitationsTable;
  seat_maps: SeatMapsTable;
  seat_map_versions: SeatMapVersionsTable;
  event_seats: EventSeatsTable;
}

/** Sold and refunded places per date × channel × tariff × event-local day, spread over a few slots (reporting). */
export interface SalesTalliesTable {
  organization_id: number;
  event_id: number;
  date_id: number;
  channel_id: number;
  section_id: number;
  tariff_id: number;
  day: string;
  slot: number;
  sold: number;
  refunded: number;
  gross: number;
  refunded_gross: number;
  currency: string;
}

export interface TicketCountsTable {
  id: Generated<number>;
  organization_id: number;
  event_id: number;
  date_id: number;
  day: string;
  /** 'auto' (Guichet's channels, figures from the tallies) or 'entered' (external channels, own lines). */
  source: string;
  comment: string | null;
  approved: Flag;
  final: Flag;
  entered_by: number | null;
  approved_by: number | null;
  approved_at: NullableInstant;
  created_at: Instant;
  updated_at: Instant;
}

export interface TicketCountLinesTable {
  id: Generated<number>;
  organization_id: number;
  ticket_count_id: number;
  channel_id: number;
  section_id: number;
  tariff_id: number;
  sales: number;
  reservations: number | null;
  gross: number;
  currency: string;
}

export interface PromotionsTable {
  id: Generated<number>;
  organization_id: number;
  type: string;
  label: string;
  supplier: string | null;
  starts_on: string | null;
  ends_on: string | null;
  cost_type: string;
  cost_state: string | null;
  quantity: number | null;
  unit_cost: number | null;
  valued_quantity: number | null;
  valued_unit_cost: number | null;
  currency: string;
  comments: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface PromotionTargetsTable {
  id: Generated<number>;
  organization_id: number;
  promotion_id: number;
  event_id: number | null;
  series_id: number | null;
  quantity: number;
  unit_cost: number;
  valued_quantity: number | null;
  valued_unit_cost: number | null;
}

export interface JobsTable {
  id: Generated<number>;
  organization_id: number;
  kind: string;
  /** JSON. */
  params: string;
  status: string;
  progress: ColumnType<number, number | undefined, number>;
  total: number | null;
  file: string | null;
  error: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  runner: string | null;
  requested_by: number | null;
  created_at: Instant;
  started_at: NullableInstant;
  finished_at: NullableInstant;
}

/** Invitations to become a member of an organization (migration 013); the code is stored as a digest. */
export interface MemberInvitationsTable {
  id: Generated<number>;
  organization_id: number;
  email: string;
  role: string;
  code_hash: string;
  invited_by: number | null;
  expires_at: Instant;
  accepted_at: NullableInstant;
  accepted_by: number | null;
  revoked_at: NullableInstant;
  created_at: Instant;
}

/** Seat maps (migration 015): the map's identity; its versions hold the documents. */
export interface SeatMapsTable {
  id: Generated<number>;
  organization_id: number;
  venue_id: number | null;
  name: string;
  /** The latest version. */
  version: number;
  created_at: Instant;
  updated_at: Instant;
}

export interface SeatMapVersionsTable {
  id: Generated<number>;
  organization_id: number;
  map_id: number;
  version: number;
  /** The uploaded document (JSON), as validated. */
  document: string;
  seat_count: number;
  created_at: Instant;
}

/** One seat of one date (migration 015): who has it is on this row only. */
export interface EventSeatsTable {
  id: Generated<number>;
  organization_id: number;
  event_id: number;
  date_id: number;
  section_id: number;
  map_version_id: number;
  seat_key: string;
  area: string;
  row_label: string;
  number: string;
  category: string;
  x: number;
  y: number;
  rank: number;
  block: number;
  position: number;
  flags: ColumnType<string, string | undefined, string>;
  /** 'kill' (not for sale) or 'hold' (kept aside by the organizer); null when for sale. */
  blocked: string | null;
  /** The hold that has the seat: live while held_until is in the future, sold when held_until is null. */
  cart_item_id: number | null;
  held_until: NullableInstant;
}
