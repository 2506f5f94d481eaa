import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.ts';
import { MAX_SNAPSHOT_PAGE, SNAPSHOT_COLUMNS } from '../../../core/door/index.ts';
import { principalOf } from '../index.ts';
import { snakeKeys } from '../present.ts';
import * as S from '../schemas.ts';

/*
 * What a door device keeps to answer without a network (the /door web app uses these; so can any
 * scanning app): the event by name with the public key, a compact snapshot of the tickets, counters.
 * A door credential implies its event; staff tokens (sell/admin) name it with `event_id`.
 */
const gzip = promisify(zlib.gzip);
const EventQuery = { event_id: Type.Optional(S.Id) };
const Briefing = Type.Object({
  event: Type.Object({ id: Type.Integer(), title: Type.String(), time_zone: Type.String(), reentry_allowed: Type.Boolean(), organization_name: Type.String() }),
  dates: Type.Array(Type.Object({ id: Type.Integer(), starts_at: Type.String(), local_starts_at: S.Nullable(Type.String()) })),
  sections: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  tariffs: Type.Array(Type.Object({ id: Type.Integer(), section_id: Type.Integer(), label: Type.String() })),
  section_ids: S.Nullable(Type.Array(Type.Integer(), { description: 'Sections this credential admits to (null: all)' })),
  date_ids: S.Nullable(Type.Array(Type.Integer(), { description: 'Dates this credential admits to (null: all)' })),
  public_key: Type.Object(
    {
      algorithm: Type.Literal('Ed25519'),
      raw: Type.String({ description: 'The 32-byte public key, base64url: `crypto.subtle.importKey("raw", bytes, "Ed25519", …)`' }),
      jwk: Type.Object({ kty: Type.Literal('OKP'), crv: Type.Literal('Ed25519'), x: Type.String() }, { description: '`crypto.subtle.importKey("jwk", jwk, "Ed25519", …)`' }),
      pem: Type.String({ description: 'SPKI PEM' }),
    },
    { description: 'Verifies signed QR payloads: the signature (last part, base64url) covers the payload before its last dot' },
  ),
  settings: Type.Record(Type.String(), Type.String(), { description: 'The scan settings (scan_sound, scan_vibration, sync_interval, …)' }),
});
const SnapshotQuery = S.Strict({
  ...EventQuery,
  after: Type.Optional(Type.Integer({ minimum: 0, maximum: S.INT32_MAX, description: 'The previous page’s next_after' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SNAPSHOT_PAGE, default: 5000 })),
});
const Snapshot = Type.Object({
  event_id: Type.Integer(),
  cursor: Type.String({ description: 'Keep the first page’s: /api/door/changes?since=<cursor> brings what changed during and after the download' }),
  next_after: S.Nullable(Type.Integer({ description: 'The `after` of the next page; null on the last' })),
  columns: Type.Array(Type.String(), { description: `Always ${SNAPSHOT_COLUMNS.join(', ')}` }),
  rows: Type.Array(
    Type.Array(Type.Union([Type.Integer(), Type.String(), Type.Null()])),
    { description: 'One array per valid ticket, in the order of `columns`. admitted_where: the control point or device of its admission' },
  ),
});
const Counters = Type.Object({
  event: Type.Object({ total: Type.Integer({ description: 'Valid tickets within the caller’s sections and dates' }), admitted: Type.Integer({ description: 'Admitted at least once' }), inside: Type.Integer({ description: 'In now (admitted and not exited)' }) }),
  control_point: S.Nullable(Type.Object({ id: Type.Integer(), admitted: Type.Integer(), exited: Type.Integer(), rejected: Type.Integer() })),
});

export const doorDeviceRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  const tags = ['door'];
  const device = core.door.device;
  app.get('/door/event', {
    schema: { tags, summary: 'What a door device keeps offline besides the tickets: the event, its dates, sections and tariffs by name, the public key (raw, JWK, PEM) and the scan settings', querystring: S.Strict(EventQuery), response: { 200: Type.Object({ door_event: Briefing }), ...S.errorResponses } },
  }, async (request) => ({ door_event: snakeKeys(await device.briefing(principalOf(request), request.query.event_id)) }));
  app.get('/door/snapshot', {
    schema: { tags, summary: 'The valid tickets of the caller’s sections and dates as compact rows, by id pages (up to 20,000 a page); gzipped when the client accepts it', querystring: SnapshotQuery, response: { 200: Snapshot, ...S.errorResponses } },
    // The schema documents the page; checking 200,000 values each against the cells' union (fast-json-stringify) took
    // half a second to a second and a half a page, JSON.stringify takes tens of milliseconds.
    serializerCompiler: () => (data) => JSON.stringify(data),
  }, async (request, reply) => {
    const page = await device.snapshot(principalOf(request), request.query.event_id, { after: request.query.after, limit: request.query.limit });
    const body = { event_id: page.eventId, cursor: page.cursor, next_after: page.nextAfter, columns: [...page.columns], rows: page.rows };
    if (!/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return body;
    // A gate's phone may be on a weak network: 50,000 tickets are 3.4 MB of JSON, 0.9 MB gzipped (level 1: a few ms a page).
    const vary = reply.getHeader('vary');
    return (reply as FastifyReply)
      .header('Content-Encoding', 'gzip')
      .header('Vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding')
      .type('application/json; charset=utf-8')
      .send(await gzip(JSON.stringify(body), { level: 1 }));
  });
  app.get('/door/counters', {
    schema: { tags, summary: 'Counters for a gate: the event’s (within the caller’s scope) and, with control_point_id, that control point’s scans', querystring: S.Strict({ ...EventQuery, control_point_id: Type.Optional(S.Id) }), response: { 200: Type.Object({ counters: Counters }), ...S.errorResponses } },
  }, async (request) => ({ counters: snakeKeys(await device.counters(principalOf(request), request.query.event_id, request.query.control_point_id)) }));
};
