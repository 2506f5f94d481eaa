import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { toIso } from '../../db/quirks.ts';
import type { Db } from '../../db/database.ts';
import { isEmail } from '../validation.ts';
import { MEMBERSHIP_ROLES, type MembershipRole, type Principal, requireAccount, requireScope } from './principal.ts';
import { requireRightOrScope } from './roles.ts';
import { identityRepository } from './repository.ts';
import { digest, randomToken } from './secrets.ts';
import { recordEvent } from '../delivery/index.ts';

/** How long an invitation can be accepted. */
const INVITATION_DAYS = 7;

export interface Invitation {
  id: number;
  email: string;
  role: MembershipRole;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  invitedBy: number | null;
  expiresAt: string;
  acceptedAt: string | null;
  createdAt: string;
}

type Row = Awaited<ReturnType<typeof invitationRepository.byId>> & object;

const invitationRepository = {
  byId(db: Db, organizationId: number, id: number) {
    return db.selectFrom('member_invitations').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  },
  byCode(db: Db, codeHash: string) {
    return db.selectFrom('member_invitations').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
  },
  async list(db: Db, organizationId: number, page: Page) {
    const filtered = db.selectFrom('member_invitations').where('organization_id', '=', organizationId);
    const [rows, total] = await Promise.all([
      filtered.selectAll().orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
      filtered.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  },
  insert(db: Db, values: { organization_id: number; email: string; role: string; code_hash: string; invited_by: number | null; expires_at: string; created_at: string }) {
    return db.insertInto('member_invitations').values({ ...values, accepted_at: null, accepted_by: null, revoked_at: null }).returningAll().executeTakeFirstOrThrow();
  },
  /** Accepts a live invitation once: the conditional update is what makes it single-use. */
  async accept(db: Db, id: number, accountId: number, now: string) {
    const result = await db
      .updateTable('member_invitations')
      .set({ accepted_at: now, accepted_by: accountId })
      .where('id', '=', id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
  async revoke(db: Db, organizationId: number, id: number, now: string) {
    const result = await db
      .updateTable('member_invitations')
      .set({ revoked_at: now })
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
};

function toInvitation(r: Row, now: string): Invitation {
  const expiresAt = toIso(r.expires_at)!;
  const status = r.accepted_at ? 'accepted' : r.revoked_at ? 'revoked' : expiresAt <= now ? 'expired' : 'pending';
  return { id: r.id, email: r.email, role: r.role as MembershipRole, status, invitedBy: r.invited_by, expiresAt, acceptedAt: toIso(r.accepted_at), createdAt: toIso(r.created_at)! };
}

/**
 * Member invitations: an owner invites someone by e-mail with a role; the code goes out by mail
 * (and is shown once to the owner, who may hand it over another way); the person signs in or
 * signs up, and accepting the code makes them a member with that role.
 */
export function invitationService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  return {
    async list(principal: Principal, page: Page): Promise<Paged<Invitation>> {
      requireScope(principal, 'admin');
      requireRightOrScope(principal, 'members', 'admin');
      const { rows, total } = await invitationRepository.list(database.db, principal.organizationId, page);
      const t = now();
      return { items: rows.map((r) => toInvitation(r, t)), total };
    },

    async invite(principal: Principal, input: { email: string; role: string }): Promise<{ invitation: Invitation; code: string }> {
      requireScope(principal, 'admin');
      requireRightOrScope(principal, 'members', 'admin');
      if (!isEmail(input.email)) throw invalid('email', 'must be an e-mail address');
      if (!(MEMBERSHIP_ROLES as readonly string[]).includes(input.role)) throw invalid('role', `must be one of ${MEMBERSHIP_ROLES.join(', ')}`);
      const code = randomToken(18);
      const t = now();
      const expires = new Date(ctx.clock().getTime() + INVITATION_DAYS * 86_400_000).toISOString();
      const row = await database.transaction(async (trx) => {
        const row = await invitationRepository.insert(trx, {
          organization_id: principal.organizationId,
          email: input.email.toLowerCase(),
          role: input.role,
          code_hash: digest(code),
          invited_by: principal.accountId,
          expires_at: expires,
          created_at: t,
        });
        const inviter = principal.accountId !== null ? await identityRepository.accountById(trx, principal.accountId) : undefined;
        const name = inviter ? [inviter.first_name, inviter.last_name].filter(Boolean).join(' ') || inviter.username : '';
        // The e-mail (in the organization's language) is the outbox's, committed with the invitation or not at all.
        await recordEvent(ctx.config, trx, {
          organizationId: principal.organizationId,
          topic: 'member.invited',
          subjectId: row.id,
          // The accept link is built by delivery from PUBLIC_URL, never from a request's Host header (which a sender may forge).
          payload: { email: row.email, role: row.role, inviter: name, code, expires_at: expires },
        }, t);
        return row;
      });
      return { invitation: toInvitation(row, t), code };
    },

    async revoke(principal: Principal, id: number): Promise<void> {
      requireScope(principal, 'admin');
      requireRightOrScope(principal, 'members', 'admin');
      if (!(await invitationRepository.revoke(database.db, principal.organizationId, id, now()))) throw notFound('Invitation');
    },

    /**
     * The signed-in person accepts: they become a member of the inviting organization with the
     * invited role (an existing membership takes the new role). Single use.
     */
    async accept(principal: Principal, code: string): Promise<{ organizationId: number; role: MembershipRole }> {
      const accountId = requireAccount(principal);
      const t = now();
      const result = await database.transaction(async (trx) => {
        const row = await invitationRepository.byCode(trx, digest(code));
        if (!row || !(await invitationRepository.accept(trx, row.id, accountId, t))) {
          throw new DomainError('TOKEN_EXPIRED', 'This invitation code is unknown, used, revoked or expired');
        }
        const current = await identityRepository.membership(trx, accountId, row.organization_id);
        // An owner accepting a lesser role keeps ownership: invitations add rights, never take them.
        if (current?.role !== 'owner') await identityRepository.upsertMembership(trx, accountId, row.organization_id, row.role, t);
        await identityRepository.addActivity(trx, { account_id: accountId, kind: 'invitation_accepted', detail: `organization ${row.organization_id} as ${row.role}`, created_at: t });
        return { organizationId: row.organization_id, role: (current?.role === 'owner' ? 'owner' : row.role) as MembershipRole };
      });
      ctx.caches.principals.clear();
      return result;
    },
  };
}

export type InvitationService = ReturnType<typeof invitationService>;
