import type { Db } from '../../db/database.ts';
import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { fromFlag, toIso } from '../../db/quirks.ts';
import { paged } from '../../db/paging.ts';
import { identityRepository } from './repository.ts';
import { digest, randomApiKey, randomToken, verifyPassword } from './secrets.ts';
import { operatorRole, type MembershipRole, type Principal, type Scope, requireScope } from './principal.ts';

/**
 * Partner access (the Weezevent way of signing in): an organization hands a partner key to an
 * integration; a member of the organization exchanges that key, their username and password for a
 * persistent access token; every later request carries the key and the token. Both are generated
 * secrets stored as SHA-256 digests. Revoking the key ends its tokens; removing the membership too.
 */
export interface PartnerKey {
  id: number;
  name: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

/** What a member may do through a partner token, by their role in the organization. */
export const ROLE_SCOPES: Record<MembershipRole, Scope[]> = {
  owner: ['public', 'buy', 'sell', 'admin'],
  manager: ['public', 'buy', 'sell', 'admin'],
  box_office: ['public', 'buy', 'sell'],
  // Access-control apps read the participant list: door staff read it too (sell), never administer.
  door_staff: ['public', 'sell'],
};

const toKey = (r: { id: number; name: string; revoked_at: Date | string | null; last_used_at: Date | string | null; created_at: Date | string }): PartnerKey => ({
  id: r.id,
  name: r.name,
  revokedAt: toIso(r.revoked_at),
  lastUsedAt: toIso(r.last_used_at),
  createdAt: toIso(r.created_at)!,
});

/** The SQL of partner keys and tokens. */
const partnerRepository = {
  insertKey(db: Db, values: { organization_id: number; account_id: number | null; name: string; key_hash: string; created_at: string }) {
    return db.insertInto('partner_keys').values(values).returningAll().executeTakeFirstOrThrow();
  },
  keys(db: Db, organizationId: number, page: Page) {
    return paged(db.selectFrom('partner_keys').where('organization_id', '=', organizationId), page, (q) => q.selectAll().orderBy('id'));
  },
  async revokeKey(db: Db, organizationId: number, id: number, now: string) {
    const result = await db
      .updateTable('partner_keys')
      .set({ revoked_at: now })
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) return true;
    return Boolean(await db.selectFrom('partner_keys').select('id').where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst());
  },
  liveKey(db: Db, keyHash: string) {
    return db.selectFrom('partner_keys').selectAll().where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
  },
  insertToken(db: Db, values: { organization_id: number; partner_key_id: number; account_id: number; token_hash: string; created_at: string }) {
    return db.insertInto('partner_tokens').values(values).returningAll().executeTakeFirstOrThrow();
  },
  /** A live token of a live key, with the holder's current role in the key's organization. */
  session(db: Db, keyHash: string, tokenHash: string) {
    return db
      .selectFrom('partner_tokens')
      .innerJoin('partner_keys', 'partner_keys.id', 'partner_tokens.partner_key_id')
      .innerJoin('memberships', (join) =>
        join.onRef('memberships.account_id', '=', 'partner_tokens.account_id').onRef('memberships.organization_id', '=', 'partner_tokens.organization_id'),
      )
      .innerJoin('accounts', 'accounts.id', 'partner_tokens.account_id')
      .select(['partner_tokens.id', 'partner_tokens.organization_id', 'partner_tokens.account_id', 'partner_keys.id as key_id', 'memberships.role', 'accounts.platform_role', 'accounts.activated'])
      .where('partner_tokens.token_hash', '=', tokenHash)
      .where('partner_tokens.revoked_at', 'is', null)
      .where('partner_keys.key_hash', '=', keyHash)
      .where('partner_keys.revoked_at', 'is', null)
      .executeTakeFirst();
  },
  async touchKey(db: Db, id: number, now: string) {
    await db.updateTable('partner_keys').set({ last_used_at: now }).where('id', '=', id).execute();
  },
};

export function partnerAccessService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();
  const unauthenticated = (message: string) => new DomainError('UNAUTHENTICATED', message);

  return {
    /** A new partner key for the caller's organization (admins); shown once. `key` is for fixed demo data only. */
    async createKey(principal: Principal, input: { name: string; key?: string }): Promise<{ partnerKey: PartnerKey; key: string }> {
      requireScope(principal, 'admin');
      const name = input.name.trim();
      if (name === '') throw invalid('name', 'must not be blank');
      const key = input.key ?? randomApiKey();
      const row = await partnerRepository.insertKey(database.db, {
        organization_id: principal.organizationId,
        account_id: principal.accountId,
        name,
        key_hash: digest(key),
        created_at: now(),
      });
      return { partnerKey: toKey(row), key };
    },
    async listKeys(principal: Principal, page: Page): Promise<Paged<PartnerKey>> {
      requireScope(principal, 'admin');
      const { rows, total } = await partnerRepository.keys(database.db, principal.organizationId, page);
      return { items: rows.map(toKey), total };
    },
    /** Revokes a key: every token obtained with it stops working at once. */
    async revokeKey(principal: Principal, id: number): Promise<void> {
      requireScope(principal, 'admin');
      if (!(await partnerRepository.revokeKey(database.db, principal.organizationId, id, now()))) throw notFound('Partner key');
    },

    /**
     * Exchanges a partner key and a member's username (or e-mail) and password for a persistent
     * token. The account must be an active member of the key's organization.
     */
    async signIn(input: { apiKey: string; username: string; password: string }): Promise<{ accessToken: string }> {
      const key = await partnerRepository.liveKey(database.db, digest(input.apiKey));
      if (!key) throw unauthenticated('Invalid api_key');
      const account = await identityRepository.accountByIdentification(database.db, input.username);
      const valid = account && fromFlag(account.activated) && (await verifyPassword(account.password_hash, input.password));
      if (!account || !valid) throw unauthenticated('Invalid username or password');
      if (!(await identityRepository.membership(database.db, account.id, key.organization_id))) {
        throw new DomainError('FORBIDDEN', 'This account is not a member of the organization of this api_key');
      }
      const accessToken = randomToken(24);
      const t = now();
      await database.transaction(async (trx) => {
        await partnerRepository.insertToken(trx, { organization_id: key.organization_id, partner_key_id: key.id, account_id: account.id, token_hash: digest(accessToken), created_at: t });
        await partnerRepository.touchKey(trx, key.id, t);
      });
      return { accessToken };
    },

    /** The caller behind a partner key and token, or null when either is unknown, revoked or no longer a member's. */
    async authenticate(apiKey: string, accessToken: string): Promise<Principal | null> {
      if (apiKey.length > 256 || accessToken.length > 256) return null;
      const row = await partnerRepository.session(database.db, digest(apiKey), digest(accessToken));
      if (!row || !fromFlag(row.activated)) return null;
      return {
        organizationId: row.organization_id,
        accountId: row.account_id,
        signedIn: false,
        clientId: null,
        scopes: new Set(ROLE_SCOPES[row.role as MembershipRole] ?? ['public']),
        platformRole: operatorRole(row.platform_role),
        credential: { kind: 'access_token', id: row.id },
      };
    },
  };
}

export type PartnerAccessService = ReturnType<typeof partnerAccessService>;
