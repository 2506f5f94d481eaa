import type { FastifyError } from 'fastify';
import { DomainError, type ErrorCode, type FieldProblem } from '../core/errors.ts';

/** HTTP status of each domain error code; dialects render the body their own way and override a few statuses where their document says so. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 422,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  IN_USE: 409,
  RATE_LIMITED: 429,
  INVALID_CREDENTIALS: 422,
  TOKEN_EXPIRED: 422,
  SOLD_OUT: 409,
  NOT_ON_SALE: 422,
  OVER_MAX_PER_ORDER: 422,
  HOLD_EXPIRED: 409,
  PAYMENT_DECLINED: 402,
  CODE_INVALID: 422,
  CODE_EXHAUSTED: 409,
  IDEMPOTENCY_IN_FLIGHT: 409,
};

/**
 * Turns anything thrown while serving a request into a domain error, so dialects render one
 * vocabulary: schema validation failures, unparsable bodies, oversized payloads and so on.
 * Returns null for genuine server faults (which are logged and answered 500).
 */
export function toDomainError(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  const e = error as FastifyError & { validation?: { instancePath?: string; params?: Record<string, unknown>; message?: string }[]; validationContext?: string };
  if (e?.validation) {
    const details: FieldProblem[] = e.validation.map((v) => {
      const path = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
      const missing = v.params?.missingProperty as string | undefined;
      const extra = v.params?.additionalProperty as string | undefined;
      const field = [e.validationContext === 'body' ? '' : e.validationContext, path, missing ?? extra].filter(Boolean).join('.');
      return { field: field || String(e.validationContext ?? 'request'), message: extra ? 'is not a known field' : (v.message ?? 'is invalid') };
    });
    return new DomainError('VALIDATION_FAILED', `Invalid request: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);
  }
  const status = e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 404) return new DomainError('NOT_FOUND', e.message || 'Not found');
    if (status === 413) return new DomainError('BAD_REQUEST', 'Request body too large');
    if (status === 415) return new DomainError('BAD_REQUEST', e.message || 'Unsupported media type');
    return new DomainError('BAD_REQUEST', e.message || 'Bad request');
  }
  return null;
}
