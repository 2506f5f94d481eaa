import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../../core/index.ts';
import { requireAccount } from '../../../core/identity/principal.ts';
import { DomainError } from '../../../core/errors.ts';
import type { AccountProfile, AddressInput } from '../../../core/identity/accounts.ts';
import { principalOf } from '../index.ts';
import { noContent, camelKeys, pageFrom, sendList, snakeKeys } from '../present.ts';
import * as S from '../schemas.ts';

const UserRef = Type.String({ pattern: '^(me|[1-9][0-9]{0,9})$', description: 'A user id, or `me`' });
const UserParams = S.Strict({ id: UserRef });
const AddressParams = S.Strict({ id: UserRef, address_id: S.Id });

/** `me` stands for the account the token was issued to. */
function accountIdOf(request: FastifyRequest, ref: string): number {
  if (ref === 'me') return requireAccount(principalOf(request));
  const id = Number(ref);
  if (id > S.INT32_MAX) throw new DomainError('NOT_FOUND', 'User not found');
  return id;
}

export const userRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  const accounts = core.accounts;
  const tags = ['users'];

  app.get('/users', {
    schema: { tags, summary: "List the organization's members (admin)", querystring: S.withPaging({ email: Type.Optional(Type.String()), username: Type.Optional(Type.String()) }), response: { 200: Type.Object({ users: Type.Array(S.User) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'users', paging, await accounts.listMembers(principalOf(request), paging.window, request.query));
  });

  app.post('/users', {
    schema: { tags, summary: 'Register a customer (buy) or create a staff account (admin)', body: S.Rooted('user', S.UserCreate), response: { 201: Type.Object({ user: S.User }), ...S.errorResponses } },
  }, async (request, reply) => {
    const input = camelKeys<Parameters<typeof accounts.register>[1]>(request.body.user);
    const user = await accounts.register(principalOf(request), input);
    return reply.status(201).send({ user: snakeKeys(user) });
  });

  app.post('/users/password_resets', {
    config: { anonymous: true },
    schema: { tags, summary: 'Send a password reset code by e-mail (always answers 202)', body: S.Rooted('password_reset', S.PasswordResetRequest), response: { 202: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    await accounts.requestPasswordReset(request.body.password_reset.email, request.ip, request.headers['accept-language']);
    return (reply as FastifyReply).code(202).send();
  });

  app.post('/users/password_resets/confirm', {
    config: { anonymous: true },
    schema: { tags, summary: 'Choose a new password with a reset code (single use)', body: S.Rooted('password_reset', S.PasswordResetConfirm), response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    await accounts.resetPassword(request.body.password_reset.token, request.body.password_reset.password, request.ip);
    return noContent(reply);
  });

  app.get('/users/:id', {
    schema: { tags, summary: 'Read a user (`me` for yourself)', params: UserParams, response: { 200: Type.Object({ user: S.User }), ...S.errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const user = request.params.id === 'me' ? await accounts.me(principal) : await accounts.read(principal, accountIdOf(request, request.params.id));
    return { user: snakeKeys(user) };
  });

  app.patch('/users/:id', {
    schema: { tags, summary: 'Update a user profile (yourself, or a member as admin)', params: UserParams, body: S.Rooted('user', S.UserUpdate), response: { 200: Type.Object({ user: S.User }), ...S.errorResponses } },
  }, async (request) => {
    const changes = camelKeys<AccountProfile & { email?: string; role?: null }>(request.body.user);
    const user = await accounts.update(principalOf(request), accountIdOf(request, request.params.id), changes);
    return { user: snakeKeys(user) };
  });

  app.delete('/users/:id', {
    schema: { tags, summary: 'Remove a member from the organization (admin)', params: UserParams, response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    await accounts.removeMember(principalOf(request), accountIdOf(request, request.params.id));
    return noContent(reply);
  });

  app.post('/users/me/password', {
    schema: { tags, summary: 'Change your password: every other token, session and Weezevent token of the account ends (this one too unless keep_current_token)', body: S.Rooted('password', S.PasswordChange), response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    const { current_password, new_password, keep_current_token } = request.body.password;
    await accounts.changePassword(principalOf(request), current_password, new_password, request.ip, { keepCurrent: keep_current_token === true });
    return noContent(reply);
  });

  app.get('/users/:id/activity', {
    schema: { tags, summary: 'Account activity: sign-ins, password changes, credentials', params: UserParams, querystring: S.PageQuery, response: { 200: Type.Object({ activities: Type.Array(S.Activity) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'activities', paging, await accounts.activity(principalOf(request), accountIdOf(request, request.params.id), paging.window));
  });

  app.get('/users/:id/addresses', {
    schema: { tags, summary: "A user's addresses", params: UserParams, querystring: S.PageQuery, response: { 200: Type.Object({ addresses: Type.Array(S.Address) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'addresses', paging, await accounts.listAddresses(principalOf(request), accountIdOf(request, request.params.id), paging.window));
  });

  app.post('/users/:id/addresses', {
    schema: { tags, summary: 'Add an address', params: UserParams, body: S.Rooted('address', S.AddressCreate), response: { 201: Type.Object({ address: S.Address }), ...S.errorResponses } },
  }, async (request, reply) => {
    const address = await accounts.createAddress(principalOf(request), accountIdOf(request, request.params.id), camelKeys<AddressInput>(request.body.address));
    return reply.status(201).send({ address: snakeKeys(address) });
  });

  app.get('/users/:id/addresses/:address_id', {
    schema: { tags, summary: 'Read an address', params: AddressParams, response: { 200: Type.Object({ address: S.Address }), ...S.errorResponses } },
  }, async (request) => {
    const { id, address_id } = request.params;
    return { address: snakeKeys(await accounts.readAddress(principalOf(request), accountIdOf(request, id), address_id)) };
  });

  app.patch('/users/:id/addresses/:address_id', {
    schema: { tags, summary: 'Update an address', params: AddressParams, body: S.Rooted('address', S.AddressUpdate), response: { 200: Type.Object({ address: S.Address }), ...S.errorResponses } },
  }, async (request) => {
    const { id, address_id } = request.params;
    const address = await accounts.updateAddress(principalOf(request), accountIdOf(request, id), address_id, camelKeys<Partial<AddressInput>>(request.body.address));
    return { address: snakeKeys(address) };
  });

  app.delete('/users/:id/addresses/:address_id', {
    schema: { tags, summary: 'Delete an address', params: AddressParams, response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    const { id, address_id } = request.params;
    await accounts.deleteAddress(principalOf(request), accountIdOf(request, id), address_id);
    return noContent(reply);
  });
};
