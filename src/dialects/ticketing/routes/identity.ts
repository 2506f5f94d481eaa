import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.ts';
import { DomainError } from '../../../core/errors.ts';
import type { AccountProfile } from '../../../core/identity/accounts.ts';
import type { AccessLevel } from '../../../core/identity/principal.ts';
import { MESSAGES, TicketingError, callerOf } from '../index.ts';
import { sendList, requireId, type ListQuery, type References } from '../present.ts';
import { accountIdOf, accountNumber, sessionTime } from '../identifiers.ts';
import * as S from '../schemas.ts';

type Profile = {
  firstName?: string | null; lastName?: string | null; title?: string | null; dateOfBirth?: string | null; phone?: string | null;
  country?: string | null; firstAddressLine?: string | null; secondAddressLine?: string | null; city?: string | null; state?: string | null;
};

/** TickeTing profile fields → core profile (country names become ISO codes). */
async function profileOf(refs: References, body: Profile): Promise<AccountProfile> {
  return {
    firstName: body.firstName, lastName: body.lastName, title: body.title, dateOfBirth: body.dateOfBirth, phone: body.phone,
    country: body.country ? await refs.countryCode('country', body.country) : body.country,
    addressLine1: body.firstAddressLine, addressLine2: body.secondAddressLine, city: body.city, state: body.state,
  };
}

/** Sessions, integration keys and accounts. */
export async function identityRoutes(app: FastifyInstance, { core, refs }: { core: Core; refs: References }) {
  const session = async (key: string) => {
    const s = await core.sessions.byKey(key);
    if (!s) throw new TicketingError(404, MESSAGES.sessionEnded);
    return s;
  };

  // A session is started with the credential of the application (integration key) the person signs in through;
  // the session belongs to that key's organization.
  app.post('/sessions', { schema: { body: S.SessionStart } }, async (request, reply) => {
    const caller = callerOf(request);
    const body = request.body as { identification: string; password: string };
    try {
      const { session: s, key } = await core.sessions.start(caller.organizationId, body.identification, body.password, { ip: request.ip });
      return reply.status(201).send({ self: '/sessions/active', started: sessionTime(s.startedAt), key, account: await refs.account(s.account) });
    } catch (error) {
      // One answer for an unknown account and a wrong password (TickeTing answers 404 for the former;
      // Guichet does not reveal which accounts exist: test/security).
      if (error instanceof DomainError && (error.code === 'INVALID_CREDENTIALS' || error.code === 'NOT_FOUND')) throw new TicketingError(401, MESSAGES.wrongPassword);
      throw error;
    }
  });
  app.get('/sessions/active', async (request, reply) => {
    callerOf(request);
    const s = await session(request.ticketingKey!);
    return reply.send({ self: '/sessions/active', started: sessionTime(s.startedAt), key: request.ticketingKey, account: await refs.account(s.account) });
  });
  app.delete('/sessions/active', async (request, reply) => {
    callerOf(request);
    if (!(await core.sessions.end(request.ticketingKey!))) throw new TicketingError(404, MESSAGES.sessionEnded);
    return reply.status(200).send({});
  });

  app.post('/integrations', { schema: { body: S.IntegrationCreate } }, async (request, reply) => {
    const body = request.body as { name: string; access: AccessLevel };
    const { apiKey, key } = await core.credentials.createApiKey(callerOf(request), { name: body.name, accessLevel: body.access });
    return reply.status(201).send({ name: apiKey.name, access: apiKey.accessLevel, key });
  });

  // Account verification: a code is mailed to the address; confirming it marks the account verified.
  app.post('/verifications', { schema: { body: S.ResetRequest } }, async (request, reply) => {
    callerOf(request);
    const { email } = request.body as { email: string };
    await core.accounts.requestVerification(email, request.headers['accept-language']);
    return reply.status(201).send({ self: '/verifications/confirmation', email, status: 'Pending' });
  });
  app.patch('/verifications/:id', { schema: { params: S.ResetId, body: S.VerificationConfirmation } }, async (request, reply) => {
    callerOf(request);
    await core.accounts.confirmVerification((request.body as { code: string }).code);
    return reply.status(200).send({ self: '/verifications/confirmation', status: 'Verified' });
  });

  // Password reset: the code goes out by e-mail; the answer is the same whether the address is known or
  // not (Guichet does not reveal which addresses have accounts, where TickeTing would answer 404).
  app.post('/resets', { schema: { body: S.ResetRequest } }, async (request, reply) => {
    callerOf(request);
    const { email } = request.body as { email: string };
    await core.accounts.requestPasswordReset(email, request.ip, request.headers['accept-language']);
    return reply.status(201).send({ self: '/resets/confirmation', email, status: 'Pending' });
  });
  app.patch('/resets/:id', { schema: { params: S.ResetId, body: S.ResetConfirmation } }, async (request, reply) => {
    callerOf(request);
    const { code, password } = request.body as { code: string; password: string };
    await core.accounts.resetPassword(code, password, request.ip);
    return reply.status(200).send({ self: '/resets/confirmation', status: 'Complete' });
  });

  app.post('/accounts', { schema: { body: S.AccountCreate } }, async (request, reply) => {
    const body = request.body as { username: string; password: string; email: string } & Profile;
    const account = await core.accounts.register(callerOf(request), { username: body.username, password: body.password, email: body.email, ...(await profileOf(refs, body)) }).catch(async (error) => {
      // TickeTing names the field that is taken.
      if (!(error instanceof DomainError) || error.code !== 'CONFLICT') throw error;
      const byEmail = await core.accounts.findByEmail(body.email);
      throw new TicketingError(409, MESSAGES.conflict('user', byEmail ? (byEmail.username === body.username ? ['username', 'email'] : ['email']) : ['username']));
    });
    return reply.status(201).send(await refs.account(account));
  });
  /** The account a URI names (its number, or a plain id); an unknown one is TickeTing's 404. */
  const accountOf = (value: string) => {
    const id = accountIdOf(value);
    if (id === null) throw new TicketingError(404, MESSAGES.noAccount);
    return id;
  };
  app.get('/accounts', { schema: { querystring: S.ListQuery(S.AccountFilters) } }, async (request, reply) => {
    const q = request.query as ListQuery & { number?: string; email?: string; username?: string };
    const caller = callerOf(request);
    const id = q.number !== undefined ? accountIdOf(q.number) ?? -1 : undefined;
    return sendList(reply, q, (page) => core.accounts.listManaged(caller, page, { id, email: q.email, username: q.username }), (a) => refs.account(a));
  });
  app.get('/accounts/:id', { schema: { params: S.AccountId } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    return reply.send(await refs.account(await core.accounts.read(callerOf(request), accountOf(id))));
  });
  app.put('/accounts/:id', { schema: { params: S.AccountId, body: S.AccountUpdate } }, async (request, reply) => {
    const accountId = accountOf((request.params as { id: string }).id);
    const caller = callerOf(request);
    const body = request.body as { number?: string; username?: string; email?: string } & Profile;
    const current = await core.accounts.read(caller, accountId);
    if (body.number !== undefined && accountIdOf(body.number) !== current.id) throw new TicketingError(400, MESSAGES.invalid(['number']));
    if (body.username !== undefined && body.username !== current.username) throw new TicketingError(400, MESSAGES.invalid(['username']));
    const changes = { ...(await profileOf(refs, body)), ...(body.email !== undefined && body.email.toLowerCase() !== current.email ? { email: body.email } : {}) };
    return reply.send(await refs.account(await core.accounts.update(caller, accountId, changes)));
  });
  app.delete('/accounts/:id', { schema: { params: S.AccountId } }, async (request, reply) => {
    await core.accounts.close(callerOf(request), accountOf((request.params as { id: string }).id));
    return reply.status(200).send({});
  });
  // The region as its id: the SDK builds the region's URI from it (AccountPreferencesModel).
  const preferences = (number: string, regionId: number | null) => ({ self: `/accounts/${number}/preferences`, region: regionId });
  app.get('/accounts/:id/preferences', { schema: { params: S.AccountId } }, async (request, reply) => {
    const accountId = accountOf((request.params as { id: string }).id);
    const prefs = await core.accounts.preferences(callerOf(request), accountId);
    return reply.send(preferences(accountNumber(accountId), prefs.regionId));
  });
  app.put('/accounts/:id/preferences', { schema: { params: S.AccountId, body: S.Preferences } }, async (request, reply) => {
    const accountId = accountOf((request.params as { id: string }).id);
    const { region } = request.body as { region: number | string | null };
    const prefs = await core.accounts.setPreferences(callerOf(request), accountId, { regionId: region === null ? null : requireId('region', region, 'regions') });
    return reply.send(preferences(accountNumber(accountId), prefs.regionId));
  });
  // The hosts an account administers (the SDK's `account.hosts`), among those the caller may see.
  app.get('/accounts/:id/hosts', { schema: { params: S.AccountId, querystring: S.ListQuery() } }, async (request, reply) => {
    const accountId = accountOf((request.params as { id: string }).id);
    const caller = callerOf(request);
    await core.accounts.read(caller, accountId);
    return sendList(reply, request.query as ListQuery, (page) => core.hostProfiles.list(caller, page, { accountId }), (h) => refs.host(h));
  });
  app.get('/accounts/:id/activity', { schema: { params: S.AccountId, querystring: S.ListQuery() } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const caller = callerOf(request);
    return sendList(reply, request.query as ListQuery, (page) => core.accounts.activity(caller, accountOf(id), page), (a) => ({
      self: `/accounts/${id}/activity/${a.id}`, type: a.kind, detail: a.detail, ip: a.ip, date: a.createdAt,
    }));
  });
}
