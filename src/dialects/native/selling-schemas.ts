import { Type } from '@sinclair/typebox';
import { Id, INT32_MAX, Nullable, PartialStrict, Strict, withPaging } from './schemas.ts';

/** Schemas of the selling resources: carts, orders, payments, tickets, codes, questions, sale details. */

const Instant = Type.String({ description: 'ISO 8601 date-time with offset' });
const Amount = Type.Integer({ description: 'Minor units (cents)' });

export const CartItemCreate = Strict({
  tariff_id: Id,
  date_id: Id,
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Required unless seat_ids names the seats; on a seated section, the best available seats' })),
  seat_ids: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 100, uniqueItems: true, description: 'Seated sections: the seats picked (GET /api/events/{id}/dates/{date_id}/seats)' })),
  adjacent: Type.Optional(Type.Boolean({ description: 'Seated sections, best available: seats side by side in one row (default true)' })),
});
const SeatRef = Type.Object({ id: Type.Integer(), area: Type.String(), row: Type.String(), number: Type.String() });
export const CartItem = Type.Object({
  id: Type.Integer(),
  event_id: Type.Integer(),
  date_id: Type.Integer(),
  section_id: Type.Integer(),
  tariff_id: Type.Integer(),
  quantity: Type.Integer(),
  unit_price: Amount,
  currency: Type.String(),
  total: Amount,
  status: Type.String({ description: 'held, expired, sold or released' }),
  expires_at: Nullable(Type.String()),
  seats: Nullable(Type.Array(SeatRef, { description: 'The seats held (seated sections); null for general admission' })),
});
export const Cart = Type.Object({
  id: Type.Integer(),
  status: Type.String(),
  interface_id: Type.Integer(),
  user_id: Nullable(Type.Integer()),
  items: Type.Array(CartItem),
  total: Amount,
  currency: Nullable(Type.String()),
  expires_at: Nullable(Type.String({ description: 'When the first live hold expires' })),
  created_at: Type.String(),
});

const AnswerInput = Strict({
  question_id: Id,
  item_id: Type.Optional(Id),
  index: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  value: Type.Union([Type.String({ maxLength: 2000 }), Type.Boolean()]),
});
export const PaymentCreate = Strict({
  provider: Type.Union([Type.Literal('test'), Type.Literal('manual')]),
  card: Type.Optional(
    Strict({
      number: Type.String({ maxLength: 30 }),
      cvv: Type.String({ maxLength: 4 }),
      expiry: Type.String({ maxLength: 5, description: 'MM/YY' }),
      holder: Type.String({ maxLength: 200 }),
    }),
  ),
  method: Type.Optional(Type.Union([Type.Literal('cash'), Type.Literal('card_terminal')])),
});
export const Checkout = Strict({
  buyer_name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  buyer_email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 255 }))),
  code: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  holders: Type.Optional(
    Type.Array(
      Strict({
        item_id: Id,
        names: Type.Array(Strict({ name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))), email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 255 }))) }), { maxItems: 1000 }),
      }),
      { maxItems: 200 },
    ),
  ),
  answers: Type.Optional(Type.Array(AnswerInput, { maxItems: 2000 })),
  payment: Type.Optional(PaymentCreate),
});

export const Ticket = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  status: Type.String(),
  event_id: Type.Integer(),
  date_id: Type.Integer(),
  section_id: Type.Integer(),
  tariff_id: Nullable(Type.Integer()),
  order_id: Nullable(Type.Integer()),
  guest_id: Nullable(Type.Integer()),
  barcode: Type.String(),
  version: Type.Integer(),
  holder_name: Nullable(Type.String()),
  holder_email: Nullable(Type.String()),
  holder_user_id: Nullable(Type.Integer()),
  seat: Nullable(Type.Object({ id: Type.Integer(), area: Type.String(), row: Type.String(), number: Type.String(), label: Type.String() }, { description: 'The seat (seated sections); null for general admission' })),
  qr_payload: Nullable(Type.String({ description: 'Signed with the organization key (see GET /api/organization/public_key); null until the ticket is valid' })),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export const TicketUpdate = PartialStrict({ holder_name: Nullable(Type.String({ maxLength: 200 })), holder_email: Nullable(Type.String({ format: 'email', maxLength: 255 })) });

const Line = {
  id: Type.Integer(),
  event_id: Type.Integer(),
  date_id: Type.Integer(),
  section_id: Type.Integer(),
  tariff_id: Type.Integer(),
  interface_id: Type.Integer(),
  quantity: Type.Integer(),
  unit_price: Amount,
  discount: Amount,
  total: Amount,
  refunded_quantity: Type.Integer(),
};
export const Payment = Type.Object({
  id: Type.Integer(),
  provider: Type.String(),
  method: Type.String(),
  status: Type.String({ description: 'authorised, declined, requires_action, voided' }),
  amount: Amount,
  currency: Type.String(),
  reference: Nullable(Type.String()),
  card_last4: Nullable(Type.String()),
  failure_reason: Nullable(Type.String()),
  created_at: Type.String(),
});
export const Order = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  status: Type.String({ description: 'pending, paid, expired, cancelled, partially_refunded, refunded' }),
  interface_id: Type.Integer(),
  user_id: Nullable(Type.Integer()),
  buyer_name: Nullable(Type.String()),
  buyer_email: Nullable(Type.String()),
  currency: Type.String(),
  subtotal: Amount,
  discount: Amount,
  total: Amount,
  refunded_amount: Amount,
  code_id: Nullable(Type.Integer()),
  expires_at: Nullable(Type.String()),
  paid_at: Nullable(Type.String()),
  lines: Type.Array(Type.Object(Line)),
  payments: Type.Array(Payment),
  tickets: Type.Array(Ticket),
  created_at: Type.String(),
});
export const OrderListQuery = withPaging({
  status: Type.Optional(Type.String({ maxLength: 30 })),
  event_id: Type.Optional(Id),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
});
export const PaymentConfirmation = Strict({ outcome: Type.Union([Type.Literal('approve'), Type.Literal('decline')]) });
export const RefundCreate = Strict({ ticket_ids: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 1000 })), reason: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) });

export const SaleDetail = Type.Object({
  ...Line,
  order_id: Type.Integer(),
  order_number: Type.String(),
  order_status: Type.String(),
  currency: Type.String(),
  paid_at: Nullable(Type.String()),
});
export const SaleDetailQuery = withPaging({
  event_id: Type.Optional(Id),
  date_id: Type.Optional(Id),
  interface_id: Type.Optional(Id),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
});

const CodeFields = {
  code: Type.String({ minLength: 3, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' }),
  kind: Type.Union([Type.Literal('percentage'), Type.Literal('fixed')]),
  value: Type.Integer({ minimum: 1, maximum: INT32_MAX, description: 'Percent for percentage codes, minor units for fixed ones' }),
  currency: Type.Optional(Nullable(Type.String({ pattern: '^[A-Za-z]{3}$' }))),
  starts_at: Type.Optional(Nullable(Instant)),
  ends_at: Type.Optional(Nullable(Instant)),
  usage_limit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: INT32_MAX }))),
  active: Type.Optional(Type.Boolean()),
  tariff_ids: Type.Optional(Type.Array(Id, { maxItems: 500 })),
  event_ids: Type.Optional(Type.Array(Id, { maxItems: 500 })),
};
export const CodeCreate = Strict(CodeFields);
export const CodeUpdate = PartialStrict(CodeFields);
export const Code = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  kind: Type.String(),
  value: Type.Integer(),
  currency: Nullable(Type.String()),
  starts_at: Nullable(Type.String()),
  ends_at: Nullable(Type.String()),
  usage_limit: Nullable(Type.Integer()),
  used: Type.Integer(),
  active: Type.Boolean(),
  tariff_ids: Type.Array(Type.Integer()),
  event_ids: Type.Array(Type.Integer()),
  created_at: Type.String(),
  updated_at: Type.String(),
});

const QuestionFields = {
  label: Type.String({ minLength: 1, maxLength: 500 }),
  kind: Type.Union(['text', 'choice', 'checkbox', 'date'].map((k) => Type.Literal(k))),
  options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 })),
  scope: Type.Optional(Type.Union([Type.Literal('order'), Type.Literal('ticket')])),
  required: Type.Optional(Type.Boolean()),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: INT32_MAX })),
};
export const QuestionCreate = Strict(QuestionFields);
export const QuestionUpdate = PartialStrict(QuestionFields);
export const Question = Type.Object({
  id: Type.Integer(),
  event_id: Type.Integer(),
  label: Type.String(),
  kind: Type.String(),
  options: Type.Array(Type.String()),
  scope: Type.String(),
  required: Type.Boolean(),
  position: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export const Answer = Type.Object({ id: Type.Integer(), question_id: Type.Integer(), ticket_id: Nullable(Type.Integer()), label: Type.String(), kind: Type.String(), value: Type.Union([Type.String(), Type.Boolean()]) });

export const PublicKey = Type.Object({
  algorithm: Type.String(),
  public_key_pem: Type.String(),
  public_key: Type.String({ description: 'Raw 32-byte Ed25519 key, base64url' }),
  payload_format: Type.String(),
});
