import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.ts';
import type { ScanInput } from '../../../core/door/index.ts';
import { REJECT_REASONS } from '../../../core/door/scans.ts';
import { principalOf } from '../index.ts';
import { camelKeys, noContent, pageFrom, sendList, snakeKeys } from '../present.ts';
import * as S from '../schemas.ts';

/* ---- schemas (request bodies are strict; see the README's door section) */
const Ids = (what: string) => Type.Array(S.Id, { minItems: 1, maxItems: 500, description: `${what} ids` });
const AdmissionToken = Type.Object({
  id: Type.Integer(),
  event_id: Type.Integer(),
  global: Type.Boolean({ description: 'The event’s global token admits to every section and date' }),
  name: S.Nullable(Type.String()),
  section_ids: S.Nullable(Type.Array(Type.Integer()), ),
  date_ids: S.Nullable(Type.Array(Type.Integer())),
  revoked_at: S.Nullable(Type.String()),
  code: Type.Optional(Type.String({ description: 'Shown only when the code is issued (it is stored as a digest)' })),
  created_at: Type.String(),
  updated_at: Type.String(),
});
const TokenCreate = S.Strict({
  name: Type.Optional(S.Nullable(Type.String({ maxLength: 100 }))),
  section_ids: Ids('Section'),
  date_ids: Type.Optional(S.Nullable(Ids('Date'))),
});
const TokenUpdate = S.PartialStrict({
  name: S.Nullable(Type.String({ maxLength: 100 })),
  section_ids: Ids('Section'),
  date_ids: S.Nullable(Ids('Date')),
});
const TokenParams = S.Strict({ id: S.Id, token_id: S.Id });
const TokenListQuery = S.withPaging({ global: Type.Optional(Type.Boolean()), include_revoked: Type.Optional(Type.Boolean()) });

const SessionCreate = S.Strict({
  code: Type.String({ minLength: 1, maxLength: 32, description: 'The admission token code (16 characters, or 8 for codes issued before; case, spaces and dashes ignored)' }),
  device: Type.Optional(S.Nullable(Type.String({ maxLength: 100 }))),
});
const Session = Type.Object({
  key: Type.String({ description: 'The door credential: send it as `Authorization: Bearer <key>`. Shown once.' }),
  token_id: Type.Integer(),
  event_id: Type.Integer(),
  section_ids: S.Nullable(Type.Array(Type.Integer())),
  date_ids: S.Nullable(Type.Array(Type.Integer())),
});

const ControlPoint = Type.Object({ id: Type.Integer(), name: Type.String(), event_id: S.Nullable(Type.Integer()), created_at: Type.String(), updated_at: Type.String() });
const ControlPointCreate = S.Strict({ name: Type.String({ minLength: 1, maxLength: 100 }), event_id: Type.Optional(S.Nullable(S.Id)) });
const ControlPointUpdate = S.Strict({ name: Type.String({ minLength: 1, maxLength: 100 }) });
const ControlPointQuery = S.withPaging({ event_id: Type.Optional(S.Id) });

// One `type` list rather than a union: with type coercion on, each branch of a union would coerce
// in turn (false became null, removing the key; null would become false); a value of a listed type
// is taken as it is. A null removes the key.
const SettingValue = Type.Unsafe<null | boolean | number | string>({ type: ['null', 'boolean', 'number', 'string'], maxLength: 1000 });
/** The well-known settings by name; any other key under `other` (free-form, as scanning apps need). */
const SettingsUpdate = S.PartialStrict({
  sync_interval: SettingValue,
  scan_device: SettingValue,
  scan_focus: SettingValue,
  scan_mode: SettingValue,
  scan_vibration: SettingValue,
  scan_sound: SettingValue,
  other: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }), SettingValue, { maxProperties: 50, description: 'Any other setting by name (lowercase letters, digits, underscores)' }),
});
const Settings = Type.Record(Type.String(), Type.String());
const SettingsQuery = S.Strict({ scope: Type.Optional(Type.Union([Type.Literal('account'), Type.Literal('organization')], { description: 'organization: the organization’s defaults (changing them needs scope admin)' })) });

const Code = Type.String({ minLength: 1, maxLength: 512, pattern: '^[\\x21-\\x7e]+$', description: 'A barcode or a signed QR payload (G1.…)' });
const ScanFields = {
  code: Code,
  direction: Type.Optional(Type.Union([Type.Literal('in'), Type.Literal('out')], { default: 'in' })),
  control_point_id: Type.Optional(S.Nullable(S.Id)),
  device: Type.Optional(S.Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  nonce: Type.Optional(S.Nullable(Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x21-\\x7e]+$' }))),
  scanned_at: Type.Optional(S.Nullable(Type.String({ format: 'date-time' }))),
  date_id: Type.Optional(S.Nullable(S.Id)),
};
const ScanCreate = S.Strict({ ...ScanFields, event_id: Type.Optional(S.Nullable(S.Id)) });
const UploadedScan = S.Strict({
  ...ScanFields,
  nonce: Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x21-\\x7e]+$' }),
  scanned_at: Type.String({ format: 'date-time' }),
  device_result: Type.Optional(S.Nullable(Type.Union([Type.Literal('admitted'), Type.Literal('rejected')], { description: 'What the device answered offline: a scan it refused is recorded as refused and never admits nor makes a conflict' }))),
  device_reason: Type.Optional(S.Nullable(Type.Union(REJECT_REASONS.map((r) => Type.Literal(r)), { description: 'The device’s reason for a refusal (kept when the server has none)' }))),
});
const DoorTicket = Type.Object({
  id: Type.Integer(),
  event_id: Type.Integer(),
  date_id: Type.Integer(),
  section_id: Type.Integer(),
  tariff_id: S.Nullable(Type.Integer()),
  barcode: Type.String(),
  version: Type.Integer(),
  status: Type.String({ description: 'valid, pending, refunded or cancelled' }),
  holder_name: S.Nullable(Type.String()),
  door_state: Type.String({ description: 'none, in or out' }),
  admitted_at: S.Nullable(Type.String()),
  exited_at: S.Nullable(Type.String()),
});
const Place = Type.Object({ scan_id: Type.Integer(), scanned_at: Type.String(), control_point_id: S.Nullable(Type.Integer()), control_point_name: S.Nullable(Type.String()), device: S.Nullable(Type.String()) });
const ScanResult = Type.Object({
  scan_id: S.Nullable(Type.Integer({ description: 'null when nothing was recorded (unknown code, forged payload)' })),
  admitted: Type.Boolean(),
  direction: Type.String(),
  reason: S.Nullable(Type.String({ description: 'unknown, invalid_signature, wrong_event, wrong_date, wrong_section, cancelled, unpaid, transferred, revoked, already_admitted, not_admitted' })),
  replayed: Type.Boolean({ description: 'This answer repeats the first scan with the same nonce' }),
  scanned_at: Type.String(),
  ticket: S.Nullable(DoorTicket),
  admission: S.Nullable(Place),
  conflict: Type.Boolean(),
});
const Scan = Type.Object({
  id: Type.Integer(),
  event_id: Type.Integer(),
  ticket_id: S.Nullable(Type.Integer()),
  code: Type.String(),
  direction: Type.String(),
  result: Type.String(),
  reason: S.Nullable(Type.String()),
  control_point_id: S.Nullable(Type.Integer()),
  control_point_name: S.Nullable(Type.String()),
  device: S.Nullable(Type.String()),
  offline: Type.Boolean(),
  other_scan_id: S.Nullable(Type.Integer()),
  scanned_at: Type.String(),
  received_at: Type.String(),
});
const Conflict = Type.Object({ id: Type.Integer(), event_id: Type.Integer(), ticket_id: Type.Integer(), winner: Scan, loser: Scan, created_at: Type.String() });
const EventQuery = { event_id: Type.Optional(S.Id) };
const ScanListQuery = S.withPaging({ ...EventQuery, ticket_id: Type.Optional(S.Id), control_point_id: Type.Optional(S.Id), result: Type.Optional(Type.Union([Type.Literal('admitted'), Type.Literal('rejected')])) });
const DownloadQuery = S.Strict({ ...EventQuery, after: Type.Optional(Type.Integer({ minimum: 0, maximum: S.INT32_MAX })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })) });
const ChangesQuery = S.Strict({ ...EventQuery, since: Type.String({ minLength: 3, maxLength: 4000, description: 'A cursor from /api/door/tickets or /api/door/changes (opaque)' }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })) });
const Counts = { total: Type.Integer(), scanned: Type.Integer(), in: Type.Integer(), out: Type.Integer() };
const Statistics = Type.Object({
  event_id: Type.Integer(),
  totals: Type.Object(Counts),
  by_tariff: Type.Array(Type.Object({ date_id: Type.Integer(), section_id: Type.Integer(), tariff_id: S.Nullable(Type.Integer()), ...Counts })),
  by_date: Type.Array(Type.Object({ date_id: Type.Integer(), ...Counts })),
  by_section: Type.Array(Type.Object({ section_id: Type.Integer(), ...Counts })),
  by_control_point: Type.Array(Type.Object({ control_point_id: S.Nullable(Type.Integer()), name: S.Nullable(Type.String()), admitted: Type.Integer(), exited: Type.Integer(), rejected: Type.Integer() })),
  arrivals: Type.Array(Type.Object({ from: Type.String(), admitted: Type.Integer() })),
  bucket_minutes: Type.Integer(),
});

type Body<T> = Record<string, T>;

/**
 * The door on the native API: admission tokens (sell/admin), door sessions (a token code for a
 * door credential), control points and scan settings, scans, offline download and delta sync,
 * statistics. Door credentials reach only their event's door routes.
 */
export async function doorRoutes(app: FastifyInstance, { core }: { core: Core }) {
  const p = principalOf;
  const door = core.door;

  // ---- admission tokens
  const tokenTags = ['door: admission tokens'];
  app.get('/events/:id/admission_tokens', {
    schema: { tags: tokenTags, summary: 'List an event’s admission tokens (the global one is created with the event)', params: S.IdParams, querystring: TokenListQuery, response: { 200: Type.Object({ admission_tokens: Type.Array(AdmissionToken) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const query = request.query as S.PageQueryType & { global?: boolean; include_revoked?: boolean };
    const paging = pageFrom(query);
    const result = await door.tokens.list(p(request), (request.params as { id: number }).id, paging.window, { global: query.global, includeRevoked: query.include_revoked });
    return sendList(reply, 'admission_tokens', paging, result);
  });
  app.post('/events/:id/admission_tokens', {
    schema: { tags: tokenTags, summary: 'Create a token limited to sections (and dates); its code is shown once', params: S.IdParams, body: S.Rooted('admission_token', TokenCreate), response: { 201: Type.Object({ admission_token: AdmissionToken }), ...S.errorResponses } },
  }, async (request, reply) => {
    const input = camelKeys<{ name?: string | null; sectionIds: number[]; dateIds?: number[] | null }>((request.body as Body<unknown>).admission_token);
    const { token, code } = await door.tokens.create(p(request), (request.params as { id: number }).id, input);
    return reply.code(201).send({ admission_token: { ...snakeKeys(token), code } });
  });
  app.get('/events/:id/admission_tokens/:token_id', {
    schema: { tags: tokenTags, summary: 'Read an admission token', params: TokenParams, response: { 200: Type.Object({ admission_token: AdmissionToken }), ...S.errorResponses } },
  }, async (request) => {
    const params = request.params as { id: number; token_id: number };
    return { admission_token: snakeKeys(await door.tokens.read(p(request), params.id, params.token_id)) };
  });
  app.patch('/events/:id/admission_tokens/:token_id', {
    schema: { tags: tokenTags, summary: 'Change a token’s name, sections or dates; its door credentials follow at once', params: TokenParams, body: S.Rooted('admission_token', TokenUpdate), response: { 200: Type.Object({ admission_token: AdmissionToken }), ...S.errorResponses } },
  }, async (request) => {
    const params = request.params as { id: number; token_id: number };
    const changes = camelKeys<{ name?: string | null; sectionIds?: number[]; dateIds?: number[] | null }>((request.body as Body<unknown>).admission_token);
    return { admission_token: snakeKeys(await door.tokens.update(p(request), params.id, params.token_id, changes)) };
  });
  app.delete('/events/:id/admission_tokens/:token_id', {
    schema: { tags: tokenTags, summary: 'Revoke a token: its code and every door credential exchanged for it stop working', params: TokenParams, response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    const params = request.params as { id: number; token_id: number };
    await door.tokens.revoke(p(request), params.id, params.token_id);
    return noContent(reply);
  });
  app.post('/events/:id/admission_tokens/:token_id/code', {
    schema: { tags: tokenTags, summary: 'Issue a new code for a token (the old code stops working; credentials already issued stay)', params: TokenParams, body: S.NoBody, response: { 201: Type.Object({ admission_token: AdmissionToken }), ...S.errorResponses } },
  }, async (request, reply) => {
    const params = request.params as { id: number; token_id: number };
    const { token, code } = await door.tokens.reissueCode(p(request), params.id, params.token_id);
    return reply.code(201).send({ admission_token: { ...snakeKeys(token), code } });
  });

  // ---- door sessions
  const doorTags = ['door'];
  app.post('/door/sessions', {
    config: { anonymous: true },
    schema: { tags: doorTags, summary: 'Exchange an admission token code for a door credential (no bearer token needed)', body: S.Rooted('session', SessionCreate), response: { 201: Type.Object({ session: Session }), ...S.errorResponses } },
  }, async (request, reply) => {
    const input = (request.body as Body<{ code: string; device?: string | null }>).session;
    const session = await door.tokens.openSession(input.code, { device: input.device ?? null, ip: request.ip });
    return reply.code(201).send({ session: { key: session.key, token_id: session.tokenId, event_id: session.eventId, section_ids: session.sectionIds, date_ids: session.dateIds } });
  });
  app.delete('/door/sessions/current', {
    schema: { tags: doorTags, summary: 'End the calling door credential', response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    await door.tokens.closeSession(p(request));
    return noContent(reply);
  });

  // ---- control points and scan settings
  app.get('/control_points', {
    schema: { tags: doorTags, summary: 'Control points (door devices and scan users)', querystring: ControlPointQuery, response: { 200: Type.Object({ control_points: Type.Array(ControlPoint) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const query = request.query as S.PageQueryType & { event_id?: number };
    const paging = pageFrom(query);
    return sendList(reply, 'control_points', paging, await door.controlPoints.list(p(request), paging.window, { eventId: query.event_id }));
  });
  app.post('/control_points', {
    schema: { tags: doorTags, summary: 'Register a control point by name (a door credential registers one for its event)', body: S.Rooted('control_point', ControlPointCreate), response: { 201: Type.Object({ control_point: ControlPoint }), ...S.errorResponses } },
  }, async (request, reply) => {
    const input = camelKeys<{ name: string; eventId?: number | null }>((request.body as Body<unknown>).control_point);
    return reply.code(201).send({ control_point: snakeKeys(await door.controlPoints.create(p(request), input)) });
  });
  app.get('/control_points/:id', {
    schema: { tags: doorTags, summary: 'Read a control point', params: S.IdParams, response: { 200: Type.Object({ control_point: ControlPoint }), ...S.errorResponses } },
  }, async (request) => ({ control_point: snakeKeys(await door.controlPoints.read(p(request), (request.params as { id: number }).id)) }));
  app.patch('/control_points/:id', {
    schema: { tags: doorTags, summary: 'Rename a control point', params: S.IdParams, body: S.Rooted('control_point', ControlPointUpdate), response: { 200: Type.Object({ control_point: ControlPoint }), ...S.errorResponses } },
  }, async (request) => {
    const input = (request.body as Body<{ name: string }>).control_point;
    return { control_point: snakeKeys(await door.controlPoints.rename(p(request), (request.params as { id: number }).id, input.name)) };
  });
  app.get('/scan_settings', {
    schema: {
      tags: doorTags,
      summary: 'The scanning app’s settings (sync_interval, scan_device, scan_focus, scan_mode, scan_vibration, scan_sound, and any other key): yours, or with scope=organization the organization’s defaults (what door devices read)',
      querystring: SettingsQuery,
      response: { 200: Type.Object({ scan_settings: Settings }), ...S.errorResponses },
    },
  }, async (request) => ({ scan_settings: await door.controlPoints.settings(p(request), { organizationDefaults: (request.query as { scope?: string }).scope === 'organization' }) }));
  app.patch('/scan_settings', {
    schema: { tags: doorTags, summary: 'Change scan settings (yours, or with scope=organization the organization’s defaults); null removes a key', querystring: SettingsQuery, body: S.Rooted('scan_settings', SettingsUpdate), response: { 200: Type.Object({ scan_settings: Settings }), ...S.errorResponses } },
  }, async (request) => {
    const { other, ...named } = (request.body as Body<Record<string, unknown>>).scan_settings;
    const changes = { ...(other as Record<string, string | number | boolean | null> | undefined), ...(named as Record<string, string | number | boolean | null>) };
    const scope = (request.query as { scope?: string }).scope;
    return { scan_settings: await door.controlPoints.updateSettings(p(request), changes, { organizationDefaults: scope === 'organization' }) };
  });

  // ---- scans
  const scanInput = (body: Record<string, unknown>) => camelKeys<ScanInput>(body);
  app.post('/scans', {
    schema: { tags: doorTags, summary: 'Scan a ticket: admitted, or rejected with a reason; a repeated nonce answers the first scan again', body: S.Rooted('scan', ScanCreate), response: { 200: Type.Object({ scan: ScanResult }), ...S.errorResponses } },
  }, async (request) => ({ scan: snakeKeys(await door.scans.scan(p(request), scanInput((request.body as Body<Record<string, unknown>>).scan))) }));
  app.post('/scans/batch', {
    schema: {
      tags: doorTags,
      summary: 'Upload offline scans (original time and nonce each, at most 500): processed in time order; the earlier of two admissions wins and the conflict is recorded',
      body: S.Rooted('batch', S.Strict({ event_id: Type.Optional(S.Nullable(S.Id)), scans: Type.Array(UploadedScan, { minItems: 1, maxItems: 500 }) })),
      response: { 200: Type.Object({ scans: Type.Array(ScanResult) }), ...S.errorResponses },
    },
  }, async (request) => {
    const batch = (request.body as { batch: { event_id?: number | null; scans: Record<string, unknown>[] } }).batch;
    return { scans: snakeKeys(await door.scans.upload(p(request), batch.event_id, batch.scans.map(scanInput))) };
  });
  app.get('/scans', {
    schema: { tags: doorTags, summary: 'Scans of an event (event_id is implied for door credentials)', querystring: ScanListQuery, response: { 200: Type.Object({ scans: Type.Array(Scan) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const query = request.query as S.PageQueryType & { event_id?: number; ticket_id?: number; control_point_id?: number; result?: string };
    const paging = pageFrom(query);
    const result = await door.scans.list(p(request), query.event_id, paging.window, { ticketId: query.ticket_id, controlPointId: query.control_point_id, result: query.result });
    return sendList(reply, 'scans', paging, result);
  });
  app.get('/scans/conflicts', {
    schema: { tags: doorTags, summary: 'Double admissions found in offline uploads, with the winning (earlier) and losing scan', querystring: S.withPaging(EventQuery), response: { 200: Type.Object({ conflicts: Type.Array(Conflict) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const query = request.query as S.PageQueryType & { event_id?: number };
    const paging = pageFrom(query);
    return sendList(reply, 'conflicts', paging, await door.scans.conflicts(p(request), query.event_id, paging.window));
  });

  // ---- offline devices
  app.get('/door/tickets', {
    schema: {
      tags: doorTags,
      summary: 'Download the valid tickets of the credential’s sections, by id pages (`after` = next_after); keep the first page’s cursor for /door/changes',
      querystring: DownloadQuery,
      response: {
        200: Type.Object({
          event_id: Type.Integer(),
          section_ids: S.Nullable(Type.Array(Type.Integer())),
          date_ids: S.Nullable(Type.Array(Type.Integer())),
          cursor: Type.String(),
          next_after: S.Nullable(Type.Integer()),
          public_key: Type.Object({ algorithm: Type.String(), public_key_pem: Type.String(), public_key: Type.String() }),
          tickets: Type.Array(DoorTicket),
        }),
        ...S.errorResponses,
      },
    },
  }, async (request) => {
    const query = request.query as { event_id?: number; after?: number; limit?: number };
    return snakeKeys(await door.sync.tickets(p(request), query.event_id, { after: query.after, limit: query.limit }));
  });
  app.get('/door/changes', {
    schema: {
      tags: doorTags,
      summary: 'Changes since a cursor (issued, cancelled, transferred, admitted, exited), each with the ticket as it is now; call again with the new cursor while has_more',
      querystring: ChangesQuery,
      response: { 200: Type.Object({ cursor: Type.String(), has_more: Type.Boolean(), changes: Type.Array(Type.Object({ change_id: Type.Integer(), kind: Type.String(), changed_at: Type.String(), ticket: DoorTicket })) }), ...S.errorResponses },
    },
  }, async (request) => {
    const query = request.query as { event_id?: number; since: string; limit?: number };
    return snakeKeys(await door.sync.changes(p(request), query.event_id, query.since, { limit: query.limit }));
  });

  app.get('/events/:id/door_statistics', {
    schema: {
      tags: doorTags,
      summary: 'Door statistics: total valid, scanned, in, out per date, section and tariff; per control point; arrivals per time bucket',
      params: S.IdParams,
      querystring: S.Strict({ bucket_minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })) }),
      response: { 200: Type.Object({ door_statistics: Statistics }), ...S.errorResponses },
    },
  }, async (request) => {
    const stats = await door.statistics(p(request), (request.params as { id: number }).id, { bucketMinutes: (request.query as { bucket_minutes?: number }).bucket_minutes });
    return { door_statistics: snakeKeys(stats) };
  });
}
