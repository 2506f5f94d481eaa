import type { CoreContext } from '../context.ts';
import { DomainError, conflict, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { fromFlag, isUniqueViolation, toFlag, toIso } from '../../db/quirks.ts';
import { columnsOf, upper, type ColumnMapping } from '../../db/columns.ts';
import type { Db } from '../../db/database.ts';
import { identityRepository as repo, type AccountRow, type AddressRow } from './repository.ts';
import { digest, hashPassword, randomToken, verifyPassword } from './secrets.ts';
import { MEMBERSHIP_ROLES, PLATFORM_ROLES, type MembershipRole, type PlatformRole, type Principal, requireAccount, requireScope, spansOrganizations } from './principal.ts';
import { revokeAccountCredentials } from './revocation.ts';
import { requireRightOrScope } from './roles.ts';
import { referenceService } from '../reference/reference.ts';
import { regions } from '../catalog/repository.ts';
import { isCalendarDate, isEmail } from '../validation.ts';
import { localTime, mails, messageLanguage } from '../delivery/index.ts';

export const TITLES = ['Mr', 'Mrs', 'Ms', 'Mx'] as const;
export const MIN_PASSWORD_LENGTH = 8;

export interface AccountProfile {
  firstName?: string | null;
  lastName?: string | null;
  title?: string | null;
  dateOfBirth?: string | null;
  phone?: string | null;
  addressLine1?: string | null;
  addressLine2?: string | null;
  city?: string | null;
  state?: string | null;
  /** ISO 3166-1 alpha-2. */
  country?: string | null;
}

export interface NewAccount extends AccountProfile {
  username: string;
  email: string;
  password: string;
  platformRole?: PlatformRole;
}

export interface Account extends Required<AccountProfile> {
  id: number;
  username: string;
  email: string;
  platformRole: PlatformRole;
  verified: boolean;
  activated: boolean;
  createdAt: string;
  updatedAt: string;
  /** The account's role in the caller's organization, when listed as a member. */
  role?: MembershipRole | null;
}

export interface Activity {
  id: number;
  kind: string;
  detail: string | null;
  ip: string | null;
  createdAt: string;
}

export interface AddressInput {
  label?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  line1: string;
  line2?: string | null;
  zip?: string | null;
  city: string;
  stateId?: number | null;
  countryId: number;
  phone?: string | null;
  isDefault?: boolean;
}

export interface Address extends Required<Omit<AddressInput, 'isDefault'>> {
  id: number;
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toAccount(row: AccountRow & { role?: string | null }): Account {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    title: row.title,
    dateOfBirth: row.date_of_birth,
    phone: row.phone,
    addressLine1: row.address_line1,
    addressLine2: row.address_line2,
    city: row.city,
    state: row.state,
    country: row.country,
    platformRole: row.platform_role as PlatformRole,
    verified: fromFlag(row.verified),
    activated: fromFlag(row.activated),
    createdAt: toIso(row.created_at)!,
    updatedAt: toIso(row.updated_at)!,
    ...(row.role !== undefined ? { role: (row.role as MembershipRole) ?? null } : {}),
  };
}

function toAddress(row: AddressRow): Address {
  return {
    id: row.id,
    label: row.label,
    firstName: row.first_name,
    lastName: row.last_name,
    line1: row.line1,
    line2: row.line2,
    zip: row.zip,
    city: row.city,
    stateId: row.state_id,
    countryId: row.country_id,
    phone: row.phone,
    isDefault: fromFlag(row.is_default),
    createdAt: toIso(row.created_at)!,
    updatedAt: toIso(row.updated_at)!,
  };
}

const PROFILE_COLUMNS: ColumnMapping<AccountProfile> = {
  firstName: 'first_name', lastName: 'last_name', title: 'title', dateOfBirth: 'date_of_birth', phone: 'phone',
  addressLine1: 'address_line1', addressLine2: 'address_line2', city: 'city', state: 'state', country: ['country', upper],
};
const ADDRESS_COLUMNS: ColumnMapping<AddressInput> = {
  label: 'label', firstName: 'first_name', lastName: 'last_name', line1: 'line1', line2: 'line2', zip: 'zip', city: 'city',
  stateId: 'state_id', countryId: 'country_id', phone: 'phone', isDefault: ['is_default', toFlag],
};

const USERNAME = /^[A-Za-z0-9._-]{3,64}$/;

function checkPassword(password: string) {
  if (password.length < MIN_PASSWORD_LENGTH) throw invalid('password', `must be at least ${MIN_PASSWORD_LENGTH} characters`);
}

async function profileColumns(db: Db, profile: AccountProfile) {
  if (profile.title != null && !(TITLES as readonly string[]).includes(profile.title)) {
    throw invalid('title', `must be one of ${TITLES.join(', ')}`);
  }
  if (profile.dateOfBirth != null && !isCalendarDate(profile.dateOfBirth)) throw invalid('date_of_birth', 'must be a date as YYYY-MM-DD');
  if (profile.country != null && !(await referenceService.countryByCode(db, profile.country))) {
    throw invalid('country', 'must be an ISO 3166-1 alpha-2 country code');
  }
  return columnsOf(profile, PROFILE_COLUMNS);
}

/** An organization always keeps an owner: the last one can be neither demoted nor removed. */
async function keepAnOwner(db: Db, organizationId: number, leavingAccountId: number): Promise<void> {
  if ((await repo.countOwners(db, organizationId, leavingAccountId)) === 0) {
    throw new DomainError('CONFLICT', 'An organization needs at least one owner: make someone else owner first');
  }
}

/** Accounts, memberships, passwords and activity: the people side of identity. */
export function accountService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  /**
   * The language of mail about an account, as of other mails: the one the person asking reads
   * (Accept-Language), else the locale of the organization the account signed up with; its name and
   * time zone too, when there is one.
   */
  async function accountMailLanguage(row: AccountRow, acceptLanguage: string | null | undefined) {
    const registeredWith = row.registered_by_organization_id !== null ? await repo.organizationById(database.db, row.registered_by_organization_id) : undefined;
    return { language: messageLanguage(acceptLanguage, registeredWith?.locale), organization: registeredWith?.name ?? null, timeZone: registeredWith?.time_zone ?? 'UTC' };
  }

  async function create(input: NewAccount, db: Db = database.db, registeredBy: number | null = null): Promise<Account> {
    if (!USERNAME.test(input.username)) throw invalid('username', 'must be 3 to 64 letters, digits, dots, dashes or underscores');
    if (!isEmail(input.email)) throw invalid('email', 'must be an e-mail address');
    checkPassword(input.password);
    const role = input.platformRole ?? 'customer';
    if (!(PLATFORM_ROLES as readonly string[]).includes(role)) throw invalid('role', `must be one of ${PLATFORM_ROLES.join(', ')}`);
    const profile = await profileColumns(db, input);
    const t = now();
    try {
      const row = await repo.insertAccount(db, {
        ...profile,
        username: input.username,
        email: input.email.toLowerCase(),
        password_hash: await hashPassword(input.password),
        platform_role: role,
        verified: 0,
        activated: 1,
        registered_by_organization_id: registeredBy,
        created_at: t,
        updated_at: t,
      });
      return toAccount(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('An account with this username or e-mail already exists');
      throw error;
    }
  }

  async function get(id: number): Promise<Account> {
    const row = await repo.accountById(database.db, id);
    if (!row) throw notFound('User');
    return toAccount(row);
  }

  /**
   * Who may see or change an account: the account itself, a platform operator, or the admins of an
   * organization that manages it (a member there, or registered through its credentials). Others in
   * that organization are refused a customer's account (FORBIDDEN: the organization knows it exists)
   * and do not see a staff member's; an account
   * the caller's organization does not manage, or a closed one, is "not found".
   */
  async function authorize(principal: Principal, accountId: number): Promise<AccountRow & { role: string | null }> {
    const row = await repo.accountById(database.db, accountId);
    if (!row || !fromFlag(row.activated)) throw notFound('User');
    const membership = await repo.membership(database.db, accountId, principal.organizationId);
    const self = principal.accountId === accountId;
    const managed = Boolean(membership) || row.registered_by_organization_id === principal.organizationId;
    if (!self && !spansOrganizations(principal)) {
      if (!managed) throw notFound('User');
      // Another customer of the organization is refused; its staff stay unseen by non-admins.
      if (!principal.scopes.has('admin')) {
        if (membership) throw notFound('User');
        throw new DomainError('FORBIDDEN', 'You are not authorised to access or modify this account.');
      }
    }
    return { ...row, role: membership?.role ?? null };
  }

  return {
    create,
    get,
    /**
     * Makes an account a platform operator (administrator: acts on every organization; support).
     * Reached only from the `create-operator` command, never from an API: no credential can grant it.
     */
    async makeOperator(accountId: number, role: 'administrator' | 'support'): Promise<Account> {
      return database.transaction(async (trx) => {
        const row = await repo.updateAccount(trx, accountId, { platform_role: role, updated_at: now() });
        if (!row) throw notFound('User');
        await repo.addActivity(trx, { account_id: accountId, kind: 'platform_role_granted', detail: role, created_at: now() });
        return toAccount(row);
      });
    },
    async findByEmail(email: string): Promise<Account | null> {
      const row = await repo.accountByEmail(database.db, email);
      return row ? toAccount(row) : null;
    },

    /** Registration by a buyer or creation by an organization admin (who may grant a membership role). */
    async register(principal: Principal, input: NewAccount & { role?: MembershipRole }): Promise<Account> {
      requireScope(principal, 'buy', 'admin');
      const isAdmin = principal.scopes.has('admin');
      if (!isAdmin && (input.role || (input.platformRole && input.platformRole !== 'customer'))) {
        throw new DomainError('FORBIDDEN', 'Only organization admins can create staff accounts');
      }
      // Platform roles belong to operators made by the create-operator command: no organization's
      // API grants one, whoever calls it (an operator's credential included).
      if (input.platformRole && input.platformRole !== 'customer') {
        throw new DomainError('FORBIDDEN', 'Platform roles are granted only by the create-operator command');
      }
      if (input.role) requireRightOrScope(principal, 'members', 'admin');
      if (input.role && !(MEMBERSHIP_ROLES as readonly string[]).includes(input.role)) {
        throw invalid('role', `must be one of ${MEMBERSHIP_ROLES.join(', ')}`);
      }
      return database.transaction(async (trx) => {
        // A customer registered here stays managed by this organization; staff are managed through their membership only.
        const account = await create(input, trx, input.role ? null : principal.organizationId);
        if (input.role) await repo.upsertMembership(trx, account.id, principal.organizationId, input.role, now());
        return { ...account, role: input.role ?? null };
      });
    },

    async listMembers(principal: Principal, page: Page, filter: { email?: string; username?: string }): Promise<Paged<Account>> {
      requireScope(principal, 'admin');
      const { rows, total } = await repo.members(database.db, principal.organizationId, page, filter);
      return { items: rows.map(toAccount), total };
    },

    /** Accounts the organization manages (members and accounts registered through it), for its admins. */
    async listManaged(principal: Principal, page: Page, filter: { id?: number; email?: string; username?: string }): Promise<Paged<Account>> {
      requireScope(principal, 'admin');
      const { rows, total } = await repo.managedAccounts(database.db, principal.organizationId, page, filter);
      return { items: rows.map(toAccount), total };
    },

    /**
     * Closes an account: it can no longer sign in and its sessions end. Accounts are kept (orders and
     * tickets refer to them); only the holder or a platform administrator may close one.
     */
    async close(principal: Principal, accountId: number): Promise<void> {
      await authorize(principal, accountId);
      if (principal.accountId !== accountId && !spansOrganizations(principal)) {
        throw new DomainError('FORBIDDEN', 'Only the account holder or a platform administrator can close an account');
      }
      await database.transaction(async (trx) => {
        await repo.updateAccount(trx, accountId, { activated: 0, updated_at: now() });
        await revokeAccountCredentials(trx, accountId, now());
        await repo.addActivity(trx, { account_id: accountId, kind: 'account_closed', created_at: now() });
      });
      ctx.caches.principals.clear();
    },

    async me(principal: Principal): Promise<Account> {
      const id = requireAccount(principal);
      const row = await repo.accountById(database.db, id);
      if (!row) throw notFound('User');
      const membership = await repo.membership(database.db, id, principal.organizationId);
      return toAccount({ ...row, role: membership?.role ?? null });
    },

    async read(principal: Principal, accountId: number): Promise<Account> {
      return toAccount(await authorize(principal, accountId));
    },

    async update(principal: Principal, accountId: number, changes: AccountProfile & { email?: string; role?: MembershipRole | null }): Promise<Account> {
      const current = await authorize(principal, accountId);
      // The person, a platform operator, or an admin of an organization managing the account may
      // change the profile; the e-mail only the person or an operator (an e-mail changed by an
      // organization's admin would hand them the password reset of an account used elsewhere).
      if (changes.email !== undefined && principal.accountId !== accountId && !spansOrganizations(principal)) {
        throw new DomainError('FORBIDDEN', 'Only the account holder can change their e-mail address');
      }
      if (changes.email !== undefined && !isEmail(changes.email)) throw invalid('email', 'must be an e-mail address');
      if (changes.role !== undefined) {
        requireScope(principal, 'admin');
        requireRightOrScope(principal, 'members', 'admin');
        if (changes.role !== null && !(MEMBERSHIP_ROLES as readonly string[]).includes(changes.role)) {
          throw invalid('role', `must be one of ${MEMBERSHIP_ROLES.join(', ')}`);
        }
      }
      return database.transaction(async (trx) => {
        const columns = await profileColumns(trx, changes);
        const values = { ...columns, ...(changes.email !== undefined ? { email: changes.email.toLowerCase(), verified: 0 } : {}), updated_at: now() };
        let row: AccountRow | undefined;
        try {
          row = await repo.updateAccount(trx, accountId, values);
        } catch (error) {
          if (isUniqueViolation(error)) throw conflict('An account with this e-mail already exists');
          throw error;
        }
        let role = current.role;
        if (changes.role !== undefined && changes.role !== 'owner' && current.role === 'owner') await keepAnOwner(trx, principal.organizationId, accountId);
        if (changes.role !== undefined) {
          if (changes.role === null) await repo.deleteMembership(trx, accountId, principal.organizationId);
          else await repo.upsertMembership(trx, accountId, principal.organizationId, changes.role, now());
          role = changes.role;
        }
        return toAccount({ ...row!, role });
      }).finally(() => ctx.caches.principals.clear());
    },

    /** Removes the account from the caller's organization (accounts are platform-wide and may belong elsewhere). */
    async removeMember(principal: Principal, accountId: number): Promise<void> {
      requireScope(principal, 'admin');
      requireRightOrScope(principal, 'members', 'admin');
      await database.transaction(async (trx) => {
        const membership = await repo.membership(trx, accountId, principal.organizationId);
        if (!membership) throw notFound('User');
        if (membership.role === 'owner') await keepAnOwner(trx, principal.organizationId, accountId);
        await repo.deleteMembership(trx, accountId, principal.organizationId);
      });
      // Cached principals carry the role: the change applies at once in this process.
      ctx.caches.principals.clear();
    },

    /**
     * Changes the caller's password and ends every credential of the account (tokens, sessions,
     * browser sessions, Weezevent tokens: revokeAccountCredentials); `keepCurrent` spares the
     * credential making the change (and an access token's refresh token). The current password is
     * checked under the brute-force limits.
     */
    async changePassword(principal: Principal, currentPassword: string, newPassword: string, ip: string | null, options: { keepCurrent?: boolean } = {}): Promise<void> {
      const id = requireAccount(principal);
      const row = await repo.accountById(database.db, id);
      if (!row) throw notFound('User');
      const valid = await ctx.throttle.guard({ account: `account-id:${id}`, ip }, () => verifyPassword(row.password_hash, currentPassword));
      if (!valid) {
        throw new DomainError('INVALID_CREDENTIALS', 'The current password is wrong', [{ field: 'current_password', message: 'is wrong' }]);
      }
      checkPassword(newPassword);
      const hash = await hashPassword(newPassword);
      await database.transaction(async (trx) => {
        await repo.updateAccount(trx, id, { password_hash: hash, updated_at: now() });
        await revokeAccountCredentials(trx, id, now(), { keep: options.keepCurrent ? principal.credential : null });
        await repo.addActivity(trx, { account_id: id, kind: 'password_changed', ip, created_at: now() });
      });
      ctx.caches.principals.clear();
    },

    /**
     * Starts a password reset. The answer never tells whether the address is known (no account
     * enumeration); the single-use token goes out by mail and is stored only as a digest.
     */
    async requestPasswordReset(email: string, ip: string | null, acceptLanguage?: string | null): Promise<void> {
      const row = await repo.accountByEmail(database.db, email);
      if (!row) return;
      const token = randomToken();
      const expires = new Date(ctx.clock().getTime() + ctx.config.passwordResetTtlSeconds * 1000).toISOString();
      const { language, organization, timeZone } = await accountMailLanguage(row, acceptLanguage);
      // The code and its e-mail commit together or not at all; the mail is tried once committed.
      const mail = await database.transaction(async (trx) => {
        // Only the latest code is valid: asking again voids the codes sent before.
        await repo.voidPasswordResets(trx, row.id, now());
        await repo.insertPasswordReset(trx, { account_id: row.id, token_hash: digest(token), expires_at: expires, created_at: now() });
        await repo.addActivity(trx, { account_id: row.id, kind: 'password_reset_requested', ip, created_at: now() });
        return ctx.mailer.send({ to: row.email, language, ...mails.passwordReset(language, { code: token, until: localTime(expires, timeZone, language), organization }) }, trx);
      });
      await mail?.deliver();
    },

    /**
     * Sends a single-use code proving the account's e-mail address. Like the password reset, the
     * answer never tells whether the address is known; an already verified address gets no mail.
     */
    async requestVerification(email: string, acceptLanguage?: string | null): Promise<void> {
      const row = await repo.accountByEmail(database.db, email);
      if (!row || fromFlag(row.verified)) return;
      const code = randomToken(12);
      const expires = new Date(ctx.clock().getTime() + ctx.config.passwordResetTtlSeconds * 1000).toISOString();
      const { language, organization, timeZone } = await accountMailLanguage(row, acceptLanguage);
      // The code and its e-mail commit together or not at all, as for a password reset.
      const mail = await database.transaction(async (trx) => {
        await repo.insertVerification(trx, { account_id: row.id, email: row.email, code_hash: digest(code), expires_at: expires, created_at: now() });
        return ctx.mailer.send({ to: row.email, language, ...mails.verification(language, { code, until: localTime(expires, timeZone, language), organization }) }, trx);
      });
      await mail?.deliver();
    },

    /** Marks the account verified, if the code is live and the address is still the account's. */
    async confirmVerification(code: string): Promise<void> {
      await database.transaction(async (trx) => {
        const used = await repo.consumeVerification(trx, digest(code), now());
        const account = used ? await repo.accountById(trx, used.account_id) : undefined;
        if (!used || !account || account.email !== used.email) throw new DomainError('TOKEN_EXPIRED', 'This verification code is unknown, used or expired');
        await repo.updateAccount(trx, account.id, { verified: 1, updated_at: now() });
        await repo.addActivity(trx, { account_id: account.id, kind: 'email_verified', created_at: now() });
      });
    },

    async resetPassword(token: string, newPassword: string, ip: string | null): Promise<void> {
      checkPassword(newPassword);
      const hash = await hashPassword(newPassword);
      await database.transaction(async (trx) => {
        const accountId = await repo.consumePasswordReset(trx, digest(token), now());
        if (accountId === null) throw new DomainError('TOKEN_EXPIRED', 'This reset token is unknown, used or expired');
        await repo.updateAccount(trx, accountId, { password_hash: hash, updated_at: now() });
        // Whoever knew the old password is signed out everywhere (browsers included).
        await revokeAccountCredentials(trx, accountId, now());
        await repo.addActivity(trx, { account_id: accountId, kind: 'password_reset', ip, created_at: now() });
      });
      ctx.caches.principals.clear();
    },

    async activity(principal: Principal, accountId: number, page: Page): Promise<Paged<Activity>> {
      await authorize(principal, accountId);
      const { rows, total } = await repo.activities(database.db, accountId, page);
      return {
        items: rows.map((r) => ({ id: r.id, kind: r.kind, detail: r.detail, ip: r.ip, createdAt: toIso(r.created_at)! })),
        total,
      };
    },

    /** The account's preferences: the region whose events it wants to see first. */
    async preferences(principal: Principal, accountId: number): Promise<{ regionId: number | null }> {
      const row = await authorize(principal, accountId);
      return { regionId: row.preferred_region_id };
    },
    async setPreferences(principal: Principal, accountId: number, changes: { regionId: number | null }): Promise<{ regionId: number | null }> {
      await authorize(principal, accountId);
      if (principal.accountId !== accountId && !spansOrganizations(principal)) throw new DomainError('FORBIDDEN', 'Only the account holder can change their preferences');
      if (changes.regionId !== null && !(await regions.get(database.db, changes.regionId))) throw invalid('region', 'is not a known region');
      const row = await repo.updateAccount(database.db, accountId, { preferred_region_id: changes.regionId, updated_at: now() });
      return { regionId: row!.preferred_region_id };
    },

    async listAddresses(principal: Principal, accountId: number, page: Page): Promise<Paged<Address>> {
      await authorize(principal, accountId);
      const { rows, total } = await repo.addresses(database.db, accountId, page);
      return { items: rows.map(toAddress), total };
    },

    async readAddress(principal: Principal, accountId: number, id: number): Promise<Address> {
      await authorize(principal, accountId);
      const row = await repo.address(database.db, accountId, id);
      if (!row) throw notFound('Address');
      return toAddress(row);
    },

    async createAddress(principal: Principal, accountId: number, input: AddressInput): Promise<Address> {
      await authorize(principal, accountId);
      return database.transaction(async (trx) => {
        await checkAddressPlace(trx, input.countryId, input.stateId ?? null);
        if (input.isDefault) await repo.clearDefaultAddress(trx, accountId);
        const t = now();
        const row = await repo.insertAddress(trx, {
          account_id: accountId,
          label: null, first_name: null, last_name: null, line2: null, zip: null, state_id: null, phone: null, is_default: 0,
          ...columnsOf(input, ADDRESS_COLUMNS),
          created_at: t,
          updated_at: t,
        } as never);
        return toAddress(row);
      });
    },

    async updateAddress(principal: Principal, accountId: number, id: number, changes: Partial<AddressInput>): Promise<Address> {
      await authorize(principal, accountId);
      return database.transaction(async (trx) => {
        const current = await repo.address(trx, accountId, id);
        if (!current) throw notFound('Address');
        const countryId = changes.countryId ?? current.country_id;
        const stateId = changes.stateId !== undefined ? changes.stateId : current.state_id;
        await checkAddressPlace(trx, countryId, stateId);
        if (changes.isDefault) await repo.clearDefaultAddress(trx, accountId);
        const row = await repo.updateAddress(trx, accountId, id, {
          ...columnsOf(changes, ADDRESS_COLUMNS),
          country_id: countryId,
          state_id: stateId,
          updated_at: now(),
        });
        return toAddress(row!);
      });
    },

    async deleteAddress(principal: Principal, accountId: number, id: number): Promise<void> {
      await authorize(principal, accountId);
      if (!(await repo.deleteAddress(database.db, accountId, id))) throw notFound('Address');
    },
  };
}

async function checkAddressPlace(db: Db, countryId: number, stateId: number | null) {
  const country = await referenceService.countryById(db, countryId);
  if (!country) throw invalid('country_id', 'is not a known country');
  if (stateId !== null) {
    const state = await referenceService.stateById(db, stateId);
    if (!state || state.countryId !== countryId) throw invalid('state_id', 'is not a state of this country');
  }
}

export type AccountService = ReturnType<typeof accountService>;
