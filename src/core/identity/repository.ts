import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AccountsTable, AddressesTable, OrganizationsTable } from '../../db/tables.ts';
import { paged } from '../../db/paging.ts';
import type { Page } from '../pagination.ts';

export type AccountRow = Selectable<AccountsTable>;
export type OrganizationRow = Selectable<OrganizationsTable>;
export type AddressRow = Selectable<AddressesTable>;

/** SQL for organizations, accounts, memberships, activity and addresses. */
export const identityRepository = {
  organizationById(db: Db, id: number) {
    return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  },
  organizationBySlug(db: Db, slug: string) {
    return db.selectFrom('organizations').selectAll().where('slug', '=', slug).executeTakeFirst();
  },
  async insertOrganization(db: Db, values: Insertable<OrganizationsTable>) {
    const row = await db.insertInto('organizations').values(values).returningAll().executeTakeFirstOrThrow();
    return row;
  },
  async updateOrganization(db: Db, id: number, values: Updateable<OrganizationsTable>) {
    return db.updateTable('organizations').set(values).where('id', '=', id).returningAll().executeTakeFirst();
  },

  /** Organizations with a host profile listing: all of them, or those given; by creation. */
  async organizations(db: Db, page: Page, filter: { ids?: number[] }) {
    let query = db.selectFrom('organizations');
    if (filter.ids) query = filter.ids.length > 0 ? query.where('id', 'in', filter.ids) : query.where('id', '=', -1);
    return paged(query, page, (q) => q.selectAll().orderBy('id'));
  },
  organizationByName(db: Db, name: string) {
    return db.selectFrom('organizations').select('id').where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase())).executeTakeFirst();
  },
  /** Organizations an account administers (owner or manager). */
  async administeredOrganizations(db: Db, accountId: number): Promise<number[]> {
    const rows = await db.selectFrom('memberships').select('organization_id').where('account_id', '=', accountId).where('role', 'in', ['owner', 'manager']).execute();
    return rows.map((r) => r.organization_id);
  },
  /** Whether an organization has sold anything (an order of any status). */
  async hasOrders(db: Db, organizationId: number) {
    return (await db.selectFrom('orders').select('id').where('organization_id', '=', organizationId).limit(1).executeTakeFirst()) !== undefined;
  },
  async deleteOrganization(db: Db, id: number) {
    const result = await db.deleteFrom('organizations').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },
  /** The organization an event belongs to: only for deciding, with tenancy.within, who may act on it. */
  async organizationOfEvent(db: Db, eventId: number) {
    return (await db.selectFrom('events').select('organization_id').where('id', '=', eventId).executeTakeFirst())?.organization_id ?? null;
  },

  accountById(db: Db, id: number) {
    return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** Sign-in accepts the username or the e-mail address. */
  accountByIdentification(db: Db, identification: string) {
    return db
      .selectFrom('accounts')
      .selectAll()
      .where((eb) => eb.or([eb('username', '=', identification), eb('email', '=', identification.toLowerCase())]))
      .executeTakeFirst();
  },
  accountByEmail(db: Db, email: string) {
    return db.selectFrom('accounts').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  },
  insertAccount(db: Db, values: Insertable<AccountsTable>) {
    return db.insertInto('accounts').values(values).returningAll().executeTakeFirstOrThrow();
  },
  updateAccount(db: Db, id: number, values: Updateable<AccountsTable>) {
    return db.updateTable('accounts').set(values).where('id', '=', id).returningAll().executeTakeFirst();
  },

  membership(db: Db, accountId: number, organizationId: number) {
    return db
      .selectFrom('memberships')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
  },
  async upsertMembership(db: Db, accountId: number, organizationId: number, role: string, now: string) {
    await db
      .insertInto('memberships')
      .values({ account_id: accountId, organization_id: organizationId, role, created_at: now })
      .onConflict((oc) => oc.columns(['account_id', 'organization_id']).doUpdateSet({ role }))
      .execute();
  },
  async deleteMembership(db: Db, accountId: number, organizationId: number) {
    const result = await db
      .deleteFrom('memberships')
      .where('account_id', '=', accountId)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },
  /** Owners of the organization other than `exceptAccountId`. */
  async countOwners(db: Db, organizationId: number, exceptAccountId: number) {
    const row = await db
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('organization_id', '=', organizationId)
      .where('role', '=', 'owner')
      .where('account_id', '!=', exceptAccountId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
  /** Accounts that are members of an organization, with their role there. */
  async members(db: Db, organizationId: number, page: Page, filter: { email?: string; username?: string }) {
    let query = db
      .selectFrom('accounts')
      .innerJoin('memberships', 'memberships.account_id', 'accounts.id')
      .where('memberships.organization_id', '=', organizationId);
    if (filter.email) query = query.where('accounts.email', '=', filter.email.toLowerCase());
    if (filter.username) query = query.where('accounts.username', '=', filter.username);
    return paged(query, page, (q) => q.selectAll('accounts').select('memberships.role').orderBy('accounts.id'));
  },

  /** Accounts an organization manages: its members and the accounts registered through its credentials. */
  async managedAccounts(db: Db, organizationId: number, page: Page, filter: { id?: number; email?: string; username?: string }) {
    let query = db
      .selectFrom('accounts')
      .leftJoin('memberships', (j) => j.onRef('memberships.account_id', '=', 'accounts.id').on('memberships.organization_id', '=', organizationId))
      .where((eb) => eb.or([eb('memberships.organization_id', '=', organizationId), eb('accounts.registered_by_organization_id', '=', organizationId)]));
    if (filter.id !== undefined) query = query.where('accounts.id', '=', filter.id);
    if (filter.email) query = query.where('accounts.email', '=', filter.email.toLowerCase());
    if (filter.username) query = query.where('accounts.username', '=', filter.username);
    return paged(query, page, (q) => q.selectAll('accounts').select('memberships.role').orderBy('accounts.id'));
  },

  insertSession(db: Db, values: { organization_id: number; account_id: number; key_hash: string; started_at: string }) {
    return db.insertInto('sessions').values({ ...values, ended_at: null }).returningAll().executeTakeFirstOrThrow();
  },
  sessionByKeyHash(db: Db, keyHash: string) {
    return db.selectFrom('sessions').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  },
  /** A live session with what makes its principal: the account's platform role and its membership in the session's organization. */
  liveSessionGrant(db: Db, keyHash: string) {
    return db
      .selectFrom('sessions')
      .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
      .leftJoin('memberships', (j) => j.onRef('memberships.account_id', '=', 'sessions.account_id').onRef('memberships.organization_id', '=', 'sessions.organization_id'))
      .select(['sessions.id', 'sessions.organization_id', 'sessions.account_id', 'accounts.platform_role', 'accounts.activated', 'memberships.role'])
      .where('sessions.key_hash', '=', keyHash)
      .where('sessions.ended_at', 'is', null)
      .executeTakeFirst();
  },
  async endSession(db: Db, id: number, now: string) {
    await db.updateTable('sessions').set({ ended_at: now }).where('id', '=', id).execute();
  },

  async addActivity(db: Db, values: { account_id: number; kind: string; detail?: string | null; ip?: string | null; created_at: string }) {
    await db.insertInto('account_activities').values({ detail: null, ip: null, ...values }).execute();
  },
  async activities(db: Db, accountId: number, page: Page) {
    const query = db.selectFrom('account_activities').where('account_id', '=', accountId);
    return paged(query, page, (q) => q.selectAll().orderBy('id', 'desc'));
  },

  async insertPasswordReset(db: Db, values: { account_id: number; token_hash: string; expires_at: string; created_at: string }) {
    await db.insertInto('password_resets').values(values).execute();
  },
  async anyOrganization(db: Db) {
    return Boolean(await db.selectFrom('organizations').select('id').limit(1).executeTakeFirst());
  },
  /** Voids the account's unused reset codes (a newer one replaces them). */
  async voidPasswordResets(db: Db, accountId: number, now: string) {
    await db.updateTable('password_resets').set({ used_at: now }).where('account_id', '=', accountId).where('used_at', 'is', null).execute();
  },
  async insertVerification(db: Db, values: { account_id: number; email: string; code_hash: string; expires_at: string; created_at: string }) {
    await db.insertInto('account_verifications').values(values).execute();
  },
  /** Uses a live verification code; the account and the address it was sent to, or null. */
  async consumeVerification(db: Db, codeHash: string, now: string) {
    const row = await db
      .updateTable('account_verifications')
      .set({ used_at: now })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['account_id', 'email'])
      .executeTakeFirst();
    return row ?? null;
  },
  async consumePasswordReset(db: Db, tokenHash: string, now: string) {
    const row = await db
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['account_id'])
      .executeTakeFirst();
    return row?.account_id ?? null;
  },

  async addresses(db: Db, accountId: number, page: Page) {
    const query = db.selectFrom('addresses').where('account_id', '=', accountId);
    return paged(query, page, (q) => q.selectAll().orderBy('id'));
  },
  address(db: Db, accountId: number, id: number) {
    return db.selectFrom('addresses').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  },
  insertAddress(db: Db, values: Insertable<AddressesTable>) {
    return db.insertInto('addresses').values(values).returningAll().executeTakeFirstOrThrow();
  },
  updateAddress(db: Db, accountId: number, id: number, values: Updateable<AddressesTable>) {
    return db
      .updateTable('addresses')
      .set(values)
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  },
  async clearDefaultAddress(db: Db, accountId: number) {
    await db.updateTable('addresses').set({ is_default: 0 }).where('account_id', '=', accountId).execute();
  },
  async deleteAddress(db: Db, accountId: number, id: number) {
    const result = await db.deleteFrom('addresses').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },
};
