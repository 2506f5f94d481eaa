import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** What makes two requests "the same" for Idempotency-Key: method, path with query, and body. */
export function requestFingerprint(request: FastifyRequest): string {
  return crypto.createHash('sha256').update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
}
