import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { fromFlag, toIso } from '../../db/quirks.ts';
import type { Db } from '../../db/database.ts';
import { digest, randomApiKey } from '../identity/secrets.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { randomReference } from '../selling/tickets.ts';
import { doorRepository as repo, type AdmissionTokenRow } from './repository.ts';

/**
 * Admission tokens: per event, one global token (every section and date) created with the event,
 * and further tokens limited to sections (and optionally dates). Door staff type the token's
 * 16-character code (80 bits; 8-character codes issued before still work) into a scanning app, which exchanges it for a door credential: a key (32 hex
 * characters, usable as a Bearer token on the native API and as a TickeTing X-API-Key) whose
 * principal may only scan and sync that event's tickets in those sections.
 *
 * Codes are bearer secrets: only their SHA-256 digest is stored (like every other secret here), so
 * a code is shown once, when it is issued; `reissueCode` draws a new one (e.g. for the global token,
 * created with the event before anyone could see a code).
 */
export const TOKEN_CODE_LENGTH = 16;
/**
 * 16 characters of a 32-letter alphabet: 80 bits, beyond guessing even without the throttle. Codes of
 * 8 characters (40 bits) issued before are still accepted — exchanges are throttled per address —
 * until they are reissued (`reissueCode` draws a 16-character one).
 */
const CODE_PATTERN = /^(?:[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}|[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{16})$/;

export interface AdmissionToken {
  id: number;
  eventId: number;
  global: boolean;
  name: string | null;
  /** null: every section of the event. */
  sectionIds: number[] | null;
  /** null: every date of the event. */
  dateIds: number[] | null;
  revokedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DoorSession {
  /** The door credential's key, shown once. */
  key: string;
  credentialId: number;
  tokenId: number;
  organizationId: number;
  eventId: number;
  sectionIds: number[] | null;
  dateIds: number[] | null;
}

const parseIds = (value: string | null): number[] | null => (value === null ? null : (JSON.parse(value) as number[]));

export function toAdmissionToken(row: AdmissionTokenRow): AdmissionToken {
  return {
    id: row.id,
    eventId: row.event_id,
    global: fromFlag(row.is_global),
    name: row.name,
    sectionIds: parseIds(row.section_ids),
    dateIds: parseIds(row.date_ids),
    revokedAt: toIso(row.revoked_at),
    createdAt: toIso(row.created_at)!,
    updatedAt: toIso(row.updated_at)!,
  };
}

/** Whether a token opens a date of its event (a token without dates opens every one). */
export const opensDate = (token: Pick<AdmissionToken, 'dateIds'>, dateId: number) => token.dateIds === null || token.dateIds.includes(dateId);

/** Normalizes a typed code: case and separators do not matter. Null when it cannot be a code. */
export function normalizeCode(code: string): string | null {
  const normalized = code.toUpperCase().replace(/[\s-]/g, '');
  return CODE_PATTERN.test(normalized) ? normalized : null;
}

/** Inserts a token with a fresh code (a collision with another code, 1 in 2^80 per token, is drawn again). */
async function insertWithCode(db: Db, values: Omit<Parameters<typeof repo.insertToken>[1], 'code_hash'>) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = randomReference(TOKEN_CODE_LENGTH);
    // ON CONFLICT DO NOTHING keeps the transaction usable on PostgreSQL when a code is taken.
    const row = await repo.insertToken(db, { ...values, code_hash: digest(code) });
    if (row) return { row, code };
  }
  throw new Error('could not draw a unique admission token code');
}

/** The global token of a new event; called by the event service inside its creating transaction. */
export async function createGlobalToken(db: Db, organizationId: number, eventId: number, now: string): Promise<void> {
  await insertWithCode(db, { organization_id: organizationId, event_id: eventId, is_global: 1, name: 'global', section_ids: null, date_ids: null, created_at: now, updated_at: now });
}

export function admissionTokenService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  async function managedEvent(db: Db, principal: Principal, eventId: number) {
    requireScope(principal, 'sell', 'admin');
    const event = await repo.event(db, principal.organizationId, eventId);
    if (!event) throw notFound('Event');
    return event;
  }

  async function checkScope(db: Db, eventId: number, sectionIds: number[] | undefined, dateIds: number[] | null | undefined) {
    if (sectionIds !== undefined) {
      if (sectionIds.length === 0) throw invalid('section_ids', 'must name at least one section (the global token admits to all)');
      const known = new Set(await repo.sectionIds(db, eventId));
      const foreign = sectionIds.filter((id) => !known.has(id));
      if (foreign.length) throw invalid('section_ids', `${foreign.join(', ')} ${foreign.length > 1 ? 'are not sections' : 'is not a section'} of this event`);
    }
    if (dateIds !== undefined && dateIds !== null) {
      if (dateIds.length === 0) throw invalid('date_ids', 'must name at least one date, or be null for every date');
      const known = new Set(await repo.dateIds(db, eventId));
      const foreign = dateIds.filter((id) => !known.has(id));
      if (foreign.length) throw invalid('date_ids', `${foreign.join(', ')} ${foreign.length > 1 ? 'are not dates' : 'is not a date'} of this event`);
    }
  }

  /** Events created before the door existed get their global token on first look. */
  async function ensureGlobal(principal: Principal, eventId: number) {
    if (await repo.hasGlobalToken(database.db, principal.organizationId, eventId)) return;
    await database.transaction(async (trx) => {
      if (!(await repo.hasGlobalToken(trx, principal.organizationId, eventId))) await createGlobalToken(trx, principal.organizationId, eventId, now());
    });
  }

  async function liveToken(db: Db, principal: Principal, eventId: number, id: number) {
    const row = await repo.token(db, principal.organizationId, eventId, id);
    if (!row) throw notFound('Admission token');
    if (row.revoked_at !== null) throw new DomainError('INVALID_TRANSITION', 'This admission token is revoked');
    return row;
  }

  return {
    /** A token limited to sections (and optionally dates); its code is returned once. */
    async create(principal: Principal, eventId: number, input: { name?: string | null; sectionIds: number[]; dateIds?: number[] | null }): Promise<{ token: AdmissionToken; code: string }> {
      return database.transaction(async (trx) => {
        await managedEvent(trx, principal, eventId);
        await checkScope(trx, eventId, input.sectionIds, input.dateIds);
        const t = now();
        const { row, code } = await insertWithCode(trx, {
          organization_id: principal.organizationId,
          event_id: eventId,
          is_global: 0,
          name: input.name ?? null,
          section_ids: JSON.stringify([...new Set(input.sectionIds)].sort((a, b) => a - b)),
          date_ids: input.dateIds ? JSON.stringify([...new Set(input.dateIds)].sort((a, b) => a - b)) : null,
          created_at: t,
          updated_at: t,
        });
        return { token: toAdmissionToken(row), code };
      });
    },
    /** An event's tokens; with `dateId`, those that open that date. */
    async list(principal: Principal, eventId: number, page: Page, filter: { global?: boolean; includeRevoked?: boolean; dateId?: number | null } = {}): Promise<Paged<AdmissionToken>> {
      await managedEvent(database.db, principal, eventId);
      await ensureGlobal(principal, eventId);
      const { dateId, ...where } = filter;
      if (dateId === undefined || dateId === null) {
        const { rows, total } = await repo.tokens(database.db, principal.organizationId, eventId, page, where);
        return { items: rows.map(toAdmissionToken), total };
      }
      // Dates are kept as a JSON list (no portable SQL test for membership) and an event has a handful
      // of tokens: they are read whole, filtered and paged here.
      const all = (await repo.tokens(database.db, principal.organizationId, eventId, { limit: 100_000, offset: 0 }, where)).rows.map(toAdmissionToken).filter((t) => opensDate(t, dateId));
      return { items: all.slice(page.offset, page.offset + page.limit), total: all.length };
    },
    async read(principal: Principal, eventId: number, id: number): Promise<AdmissionToken> {
      await managedEvent(database.db, principal, eventId);
      const row = await repo.token(database.db, principal.organizationId, eventId, id);
      if (!row) throw notFound('Admission token');
      return toAdmissionToken(row);
    },
    /** Changes a token's name, sections or dates; its credentials follow at once. */
    async update(principal: Principal, eventId: number, id: number, changes: { name?: string | null; sectionIds?: number[]; dateIds?: number[] | null }): Promise<AdmissionToken> {
      const row = await database.transaction(async (trx) => {
        await managedEvent(trx, principal, eventId);
        const current = await liveToken(trx, principal, eventId, id);
        if (fromFlag(current.is_global) && (changes.sectionIds !== undefined || changes.dateIds !== undefined)) {
          throw new DomainError('INVALID_TRANSITION', 'The global token admits to every section and date; create a limited token instead');
        }
        await checkScope(trx, eventId, changes.sectionIds, changes.dateIds);
        const values: Parameters<typeof repo.updateToken>[3] = { updated_at: now() };
        if (changes.name !== undefined) values.name = changes.name;
        if (changes.sectionIds !== undefined) values.section_ids = JSON.stringify([...new Set(changes.sectionIds)].sort((a, b) => a - b));
        if (changes.dateIds !== undefined) values.date_ids = changes.dateIds === null ? null : JSON.stringify([...new Set(changes.dateIds)].sort((a, b) => a - b));
        return repo.updateToken(trx, principal.organizationId, id, values);
      });
      ctx.caches.principals.clear();
      return toAdmissionToken(row);
    },
    /** Revokes a token: its code stops working and every credential exchanged for it ends now. */
    async revoke(principal: Principal, eventId: number, id: number): Promise<void> {
      await database.transaction(async (trx) => {
        await managedEvent(trx, principal, eventId);
        if (!(await repo.token(trx, principal.organizationId, eventId, id))) throw notFound('Admission token');
        await repo.revokeToken(trx, principal.organizationId, id, now());
      });
      // This process forgets resolved door keys at once; other processes within AUTH_CACHE_SECONDS.
      ctx.caches.principals.clear();
    },
    /** Draws a new code for a token (the old code stops working; credentials already issued stay). */
    async reissueCode(principal: Principal, eventId: number, id: number): Promise<{ token: AdmissionToken; code: string }> {
      return database.transaction(async (trx) => {
        await managedEvent(trx, principal, eventId);
        await liveToken(trx, principal, eventId, id);
        // A taken code (1 in 2^80 per live token) fails the update; the caller simply asks again.
        const code = randomReference(TOKEN_CODE_LENGTH);
        const row = await repo.updateToken(trx, principal.organizationId, id, { code_hash: digest(code), updated_at: now() });
        return { token: toAdmissionToken(row), code };
      });
    },

    /** Exchanges a token code for a door credential (the admission login); wrong codes count against the address. */
    async openSession(code: string, input: { device?: string | null; ip?: string | null } = {}): Promise<DoorSession> {
      let token: Awaited<ReturnType<typeof repo.liveTokenByCode>>;
      const found = await ctx.throttle.guard({ ip: input.ip }, async () => {
        const normalized = normalizeCode(code);
        token = normalized ? await repo.liveTokenByCode(database.db, digest(normalized)) : undefined;
        return Boolean(token);
      });
      if (!found || !token!) throw new DomainError('NOT_FOUND', 'Admission token not found');
      const key = randomApiKey();
      const credential = await repo.insertCredential(database.db, {
        organization_id: token.organization_id,
        token_id: token.id,
        key_hash: digest(key),
        device: input.device ?? null,
        created_at: now(),
      });
      return {
        key,
        credentialId: credential.id,
        tokenId: token.id,
        organizationId: token.organization_id,
        eventId: token.event_id,
        sectionIds: parseIds(token.section_ids),
        dateIds: parseIds(token.date_ids),
      };
    },
    /** Ends the calling door credential. */
    async closeSession(principal: Principal): Promise<void> {
      if (!principal.door) throw new DomainError('FORBIDDEN', 'Only a door credential has a door session');
      await repo.revokeCredential(database.db, principal.organizationId, principal.credential.id, now());
      ctx.caches.principals.clear();
    },
    /** Resolves a door key (32 hex characters) to its restricted principal, or null. Cached like access tokens. */
    async authenticate(key: string): Promise<Principal | null> {
      if (!/^[0-9a-f]{32}$/.test(key)) return null;
      const hash = digest(key);
      const cached = ctx.caches.principals.get(hash);
      if (cached) return cached;
      const row = await repo.liveCredential(database.db, hash);
      if (!row) return null;
      const principal: Principal = {
        organizationId: row.organization_id,
        accountId: null,
        signedIn: false,
        clientId: null,
        scopes: new Set(),
        platformRole: 'customer',
        credential: { kind: 'door_key', id: row.id },
        door: { tokenId: row.token_id, eventId: row.event_id, sectionIds: parseIds(row.section_ids), dateIds: parseIds(row.date_ids) },
      };
      ctx.caches.principals.set(hash, principal);
      return principal;
    },
  };
}

export type AdmissionTokenService = ReturnType<typeof admissionTokenService>;
