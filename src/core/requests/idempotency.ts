import type { CoreContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import type { Principal } from '../identity/principal.ts';
import type { Db } from '../../db/database.ts';
import { isUniqueViolation, toIso } from '../../db/quirks.ts';

/** How long a stored answer is replayed; rows older than this are purged. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** A request claimed AHEAD of its work still "in flight" after this long is taken for dead (its process crashed) and may be retried. */
const IN_FLIGHT_TIMEOUT_MS = 60 * 1000;

/** A request's Idempotency-Key, for the work that claims it in its own transaction (see `claimIdempotencyKey`). */
export interface IdempotencyClaim {
  organizationId: number;
  caller: string;
  key: string;
  requestHash: string;
}

export type IdempotencyStart =
  /** First time: run the request. `id` is the row claimed ahead of the work (null when the work claims it in its transaction). */
  | { kind: 'new'; id: number | null; claim: IdempotencyClaim }
  | { kind: 'replay'; status: number; body: string }
  /** The work committed but its answer was lost (the process died before storing it): answer with what it created. */
  | { kind: 'resource'; resource: string };

const callerOf = (p: Principal) => (p.clientId !== null ? `client:${p.clientId}:account:${p.accountId ?? 0}` : `${p.credential.kind}:${p.credential.id}`);

/** The SQL of idempotency keys. */
const idempotencyRepository = {
  find(db: Db, claim: IdempotencyClaim) {
    return db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('organization_id', '=', claim.organizationId)
      .where('caller', '=', claim.caller)
      .where('idempotency_key', '=', claim.key)
      .executeTakeFirst();
  },
  insert(db: Db, claim: IdempotencyClaim, status: 'in_flight' | 'claimed', resource: string | null, at: string) {
    return db
      .insertInto('idempotency_keys')
      .values({ organization_id: claim.organizationId, caller: claim.caller, idempotency_key: claim.key, request_hash: claim.requestHash, status, resource, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
  },
  async storeAnswer(db: Db, claim: IdempotencyClaim, status: number, body: string) {
    await db
      .updateTable('idempotency_keys')
      .set({ status: 'done', response_status: status, response_body: body })
      .where('organization_id', '=', claim.organizationId)
      .where('caller', '=', claim.caller)
      .where('idempotency_key', '=', claim.key)
      .where('status', 'in', ['in_flight', 'claimed'])
      .execute();
  },
  async remove(db: Db, id: number, status?: string) {
    let query = db.deleteFrom('idempotency_keys').where('id', '=', id);
    if (status) query = query.where('status', '=', status);
    await query.execute();
  },
  async purge(db: Db, before: string) {
    const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
};

/**
 * Claims the request's Idempotency-Key inside the transaction of the work it guards, naming what the
 * work created (`order:12`): the key and the work commit together or not at all, so a crash leaves
 * either both (a retry gets the one answer) or neither (a retry runs afresh). A concurrent duplicate
 * that committed first makes this transaction fail (IDEMPOTENCY_IN_FLIGHT) and undo its work. A
 * principal without a key (most calls) claims nothing.
 */
export async function claimIdempotencyKey(trx: Db, principal: Principal, resource: string, at: string): Promise<void> {
  const claim = principal.idempotency;
  if (!claim) return;
  try {
    await idempotencyRepository.insert(trx, claim, 'claimed', resource, at);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('IDEMPOTENCY_IN_FLIGHT', 'A request with this Idempotency-Key is being or has been processed: retry to get its answer');
    throw error;
  }
}

/**
 * Idempotency-Key: the first request with a key runs and its answer is stored (encrypted: answers may
 * hold credentials shown once); the same key with the same request replays that answer for 24 h;
 * with a different request it is refused; while the first is still running, a duplicate gets 409.
 * Keys belong to the caller (OAuth client and account), so a retry with a refreshed token is still
 * recognised. Work that claims the key in its own transaction (orders, carts) is exactly-once across
 * crashes; other requests claim it ahead of the work (a crash in between leaves a 60-second 409).
 */
export function idempotencyService(ctx: CoreContext) {
  const { database, sealer } = ctx;

  return {
    /** `requestHash` identifies the request (the HTTP layer hashes method, path and body). */
    async begin(principal: Principal, key: string, requestHash: string, options: { inTransaction?: boolean } = {}): Promise<IdempotencyStart> {
      const claim: IdempotencyClaim = { organizationId: principal.organizationId, caller: callerOf(principal), key, requestHash };
      const nowMs = ctx.clock().getTime();
      for (let attempt = 0; attempt < 3; attempt++) {
        const existing = await idempotencyRepository.find(database.db, claim);
        if (!existing) {
          if (options.inTransaction) return { kind: 'new', id: null, claim };
          try {
            const row = await idempotencyRepository.insert(database.db, claim, 'in_flight', null, new Date(nowMs).toISOString());
            return { kind: 'new', id: row.id, claim };
          } catch (error) {
            if (!isUniqueViolation(error)) throw error;
            continue;
          }
        }
        const age = nowMs - new Date(toIso(existing.created_at)!).getTime();
        const dead = existing.status === 'in_flight' ? age > IN_FLIGHT_TIMEOUT_MS : age > IDEMPOTENCY_TTL_MS;
        if (dead) {
          await idempotencyRepository.remove(database.db, existing.id, existing.status);
          continue;
        }
        if (existing.request_hash !== requestHash) {
          throw new DomainError('VALIDATION_FAILED', 'This Idempotency-Key was used for a different request', [{ field: 'Idempotency-Key', message: 'reused with a different request' }]);
        }
        if (existing.status === 'done') return { kind: 'replay', status: existing.response_status!, body: sealer.open(existing.response_body ?? '') };
        if (existing.status === 'claimed' && existing.resource) return { kind: 'resource', resource: existing.resource };
        throw new DomainError('IDEMPOTENCY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed');
      }
      throw new DomainError('IDEMPOTENCY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed');
    },

    /** Stores the answer, encrypted at rest (it may hold an API key, a client secret, a password shown once). */
    async finish(claim: IdempotencyClaim, status: number, body: string) {
      await idempotencyRepository.storeAnswer(database.db, claim, status, sealer.seal(body));
    },

    /** Server faults are not stored: the client may retry with the same key. */
    async abandon(id: number) {
      await idempotencyRepository.remove(database.db, id);
    },

    /** Forgets keys older than 24 h (their answers are no longer replayed); returns how many. */
    async purge(): Promise<number> {
      return idempotencyRepository.purge(database.db, new Date(ctx.clock().getTime() - IDEMPOTENCY_TTL_MS).toISOString());
    },
  };
}

export type IdempotencyService = ReturnType<typeof idempotencyService>;
