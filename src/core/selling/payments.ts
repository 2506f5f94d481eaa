import { pooledRandomBytes } from '../random.ts';
import { DomainError, invalid } from '../errors.ts';

/**
 * Payment providers behind one interface. Guichet ships two:
 * - `test`: a card simulator with documented card numbers (below), for development and tests;
 * - `manual`: the box office records cash or a card-terminal payment (staff only).
 * Free orders need no provider: they complete at checkout.
 */
export type PaymentStatus = 'authorised' | 'declined' | 'requires_action' | 'refunded' | 'voided';

export interface ChargeResult {
  status: 'authorised' | 'declined' | 'requires_action';
  reference: string;
  method: string;
  cardLast4: string | null;
  failureReason: string | null;
}

export interface CardPayload {
  number: string;
  cvv: string;
  /** MM/YY */
  expiry: string;
  holder: string;
}

/** The test provider's documented card numbers. Any other valid card number is approved. */
export const TEST_CARDS = {
  approved: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  requiresAction: '4000000000003220',
} as const;

/** What a buyer or seller hands over to pay: the provider's name and what that provider reads. */
export interface PaymentInput {
  provider: string;
  /** For card providers. */
  card?: unknown;
  /** For the box office: cash or card_terminal. */
  method?: string;
}

export interface PaymentProvider {
  readonly name: string;
  /** Whether only staff (sell scope) may use it. */
  readonly staffOnly: boolean;
  /**
   * Decides at once without leaving the process (the box office, the card simulator): a checkout
   * that pays with it is charged and completed inside its own transaction. A provider that calls
   * out to a bank must not hold the database's locks while it waits: its charge happens between the
   * checkout's transaction and the payment's.
   */
  readonly inProcess: boolean;
  /** Each provider reads its own part of the input (a card, a method). */
  charge(amount: number, currency: string, input: PaymentInput, now: Date): Promise<ChargeResult>;
  /** Completes a charge that required the buyer's action (3-D Secure-like challenge). */
  confirm(reference: string, outcome: 'approve' | 'decline'): Promise<ChargeResult['status']>;
  refund(reference: string, amount: number): Promise<void>;
}

function luhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Card checks every card provider does before asking a bank: number, CVV, expiry, holder. */
export function checkCard(payload: unknown, now: Date): CardPayload {
  const card = (payload ?? {}) as Partial<CardPayload>;
  const number = String(card.number ?? '').replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(number) || !luhn(number)) throw invalid('card.number', 'is not a valid card number');
  if (!/^\d{3,4}$/.test(String(card.cvv ?? ''))) throw invalid('card.cvv', 'must be 3 or 4 digits');
  const expiry = /^(\d{2})\/(\d{2})$/.exec(String(card.expiry ?? ''));
  const month = expiry ? Number(expiry[1]) : 0;
  if (!expiry || month < 1 || month > 12) throw invalid('card.expiry', 'must be MM/YY');
  const year = 2000 + Number(expiry[2]);
  if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1)) throw invalid('card.expiry', 'the card has expired');
  if (typeof card.holder !== 'string' || card.holder.trim() === '') throw invalid('card.holder', 'is required');
  return { number, cvv: String(card.cvv), expiry: String(card.expiry), holder: card.holder };
}

export class TestCardProvider implements PaymentProvider {
  readonly name = 'test';
  readonly staffOnly = false;
  readonly inProcess = true;

  async charge(_amount: number, _currency: string, input: PaymentInput, now: Date): Promise<ChargeResult> {
    const card = checkCard(input.card, now);
    const reference = `test_${pooledRandomBytes(8).toString('hex')}`;
    const base = { reference, method: 'card', cardLast4: card.number.slice(-4) };
    if (card.number === TEST_CARDS.declined) return { ...base, status: 'declined', failureReason: 'card_declined' };
    if (card.number === TEST_CARDS.insufficientFunds) return { ...base, status: 'declined', failureReason: 'insufficient_funds' };
    if (card.number === TEST_CARDS.requiresAction) return { ...base, status: 'requires_action', failureReason: null };
    return { ...base, status: 'authorised', failureReason: null };
  }

  async confirm(_reference: string, outcome: 'approve' | 'decline') {
    return outcome === 'approve' ? ('authorised' as const) : ('declined' as const);
  }

  async refund() {}
}

export class ManualProvider implements PaymentProvider {
  readonly name = 'manual';
  readonly staffOnly = true;
  readonly inProcess = true;
  async charge(_amount: number, _currency: string, input: PaymentInput): Promise<ChargeResult> {
    const method = input.method;
    if (method !== 'cash' && method !== 'card_terminal') throw invalid('method', 'must be cash or card_terminal');
    return { status: 'authorised', reference: `manual_${pooledRandomBytes(6).toString('hex')}`, method, cardLast4: null, failureReason: null };
  }
  async confirm(): Promise<ChargeResult['status']> {
    throw new DomainError('CONFLICT', 'Manual payments need no confirmation');
  }
  async refund() {}
}

export function defaultProviders(): Map<string, PaymentProvider> {
  return new Map<string, PaymentProvider>([
    ['test', new TestCardProvider()],
    ['manual', new ManualProvider()],
  ]);
}
