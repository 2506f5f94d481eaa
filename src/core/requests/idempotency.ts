import type { CoreContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import type { Principal } from '../identity/principal.ts';
import { isUniqueViolation, toIso } from '../../db/quirks.ts';

/** How long a stored answer is replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** A request still "in flight" after this long is taken for dead (its process crashed) and may be retried. */
const IN_FLIGHT_TIMEOUT_MS = 60 * 1000;

export type IdempotencyStart = { kind: 'new'; id: number } | { kind: 'replay'; status: number; body: string };

/**
 * Idempotency-Key: the first request with a key runs and its answer is stored; the same key with the
 * same request replays that answer for 24 h; with a different request it is refused; while the first
 * is still running, a duplicate gets 409. Keys belong to the caller (OAuth client and account), so a
 * retry with a refreshed token is still recognised.
 */
export function idempotencyService(ctx: CoreContext) {
  const { database } = ctx;
  const callerOf = (p: Principal) => (p.clientId !== null ? `client:${p.clientId}:account:${p.accountId ?? 0}` : `${p.credential.kind}:${p.credential.id}`);

  return {
    /** `requestHash` identifies the request (the HTTP layer hashes method, path and body). */
    async begin(principal: Principal, key: string, requestHash: string): Promise<IdempotencyStart> {
      const caller = callerOf(principal);
      const nowMs = ctx.clock().getTime();
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          const row = await database.db
            .insertInto('idempotency_keys')
            .values({ organization_id: principal.organizationId, caller, idempotency_key: key, request_hash: requestHash, status: 'in_flight', created_at: new Date(nowMs).toISOString() })
            .returning('id')
            .executeTakeFirstOrThrow();
          return { kind: 'new', id: row.id };
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
        const existing = await database.db
          .selectFrom('idempotency_keys')
          .selectAll()
          .where('organization_id', '=', principal.organizationId)
          .where('caller', '=', caller)
          .where('idempotency_key', '=', key)
          .executeTakeFirst();
        if (!existing) continue; // deleted meanwhile: try to claim it again
        const age = nowMs - new Date(toIso(existing.created_at)!).getTime();
        const dead = existing.status === 'in_flight' ? age > IN_FLIGHT_TIMEOUT_MS : age > IDEMPOTENCY_TTL_MS;
        if (dead) {
          await database.db.deleteFrom('idempotency_keys').where('id', '=', existing.id).where('status', '=', existing.status).execute();
          continue;
        }
        if (existing.request_hash !== requestHash) {
          throw new DomainError('VALIDATION_FAILED', 'This Idempotency-Key was used for a different request', [{ field: 'Idempotency-Key', message: 'reused with a different request' }]);
        }
        if (existing.status === 'in_flight') throw new DomainError('IDEMPOTENCY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed');
        return { kind: 'replay', status: existing.response_status!, body: existing.response_body ?? '' };
      }
      throw new DomainError('IDEMPOTENCY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed');
    },

    async finish(id: number, status: number, body: string) {
      await database.db.updateTable('idempotency_keys').set({ status: 'done', response_status: status, response_body: body }).where('id', '=', id).execute();
    },

    /** Server faults are not stored: the client may retry with the same key. */
    async abandon(id: number) {
      await database.db.deleteFrom('idempotency_keys').where('id', '=', id).execute();
    },
  };
}

export type IdempotencyService = ReturnType<typeof idempotencyService>;
