/**
 * The catalog of domain errors. Core services throw these; each dialect renders them in its own
 * error format (native `{error:{code,message,details}}`, problem+json, `{message}`, …).
 * Codes are stable: clients may branch on them.
 */
export const ErrorCodes = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  IN_USE: 'IN_USE',
  RATE_LIMITED: 'RATE_LIMITED',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  SOLD_OUT: 'SOLD_OUT',
  NOT_ON_SALE: 'NOT_ON_SALE',
  OVER_MAX_PER_ORDER: 'OVER_MAX_PER_ORDER',
  HOLD_EXPIRED: 'HOLD_EXPIRED',
  PAYMENT_DECLINED: 'PAYMENT_DECLINED',
  CODE_INVALID: 'CODE_INVALID',
  CODE_EXHAUSTED: 'CODE_EXHAUSTED',
  IDEMPOTENCY_IN_FLIGHT: 'IDEMPOTENCY_IN_FLIGHT',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface FieldProblem {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldProblem[] | Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'You are not allowed to do this') => new DomainError('FORBIDDEN', message);
export const conflict = (message: string, details?: Record<string, unknown>) => new DomainError('CONFLICT', message, details);
export const invalid = (field: string, message: string) =>
  new DomainError('VALIDATION_FAILED', `${field}: ${message}`, [{ field, message }]);
