import crypto from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.ts';
import { DomainError } from '../../../core/errors.ts';
import { MapDocument, seatLabel, type DateMap, type DateSeating, type SeatMap } from '../../../core/seating/index.ts';
import { principalOf } from '../index.ts';
import { noContent, pageFrom, sendList } from '../present.ts';
import * as S from '../schemas.ts';
import * as X from '../seating-schemas.ts';

// Map documents and category keys are the organizer's own words: presented as they are, never re-cased.
const presentSummary = (m: Omit<SeatMap, 'document'>) => ({
  id: m.id,
  venue_id: m.venueId,
  name: m.name,
  version: m.version,
  seat_count: m.seatCount,
  created_at: m.createdAt,
  updated_at: m.updatedAt,
});
const presentMap = (m: SeatMap) => ({ ...presentSummary(m), document: m.document as unknown });
const presentDateMap = (d: DateMap) => ({
  event_id: d.eventId,
  date_id: d.dateId,
  map_id: d.mapId,
  map_version: d.mapVersion,
  category_sections: d.categorySections,
  document: d.document,
});
// Object literals, not a spread for the optional `status`: a seat map has tens of thousands of seats.
const presentSeats = (s: DateSeating) =>
  s.seats.map((seat) => {
    const presented = {
      id: seat.id,
      section_id: seat.sectionId,
      area: seat.area,
      row: seat.row,
      number: seat.number,
      label: seatLabel(seat),
      category: seat.category,
      x: seat.x,
      y: seat.y,
      rank: seat.rank,
      flags: seat.flags,
      state: seat.state,
    };
    return seat.status ? { ...presented, status: seat.status } : presented;
  });

const DateParams = S.Strict({ id: S.Id, date_id: S.Id });
/** Availability bodies by the (cached) seat array they were written from. */
const bodies = new WeakMap<object, { text: string; etag: string }>();
/** Each seat's JSON up to its state (`{"id":…,"flags":[…]`), by the layout core says it belongs to. */
const seatPrefixes = new WeakMap<object, string[]>();

/**
 * `{"seats": presentSeats(s)}` as JSON, written from each seat's prefix (kept while the layout stays)
 * and its state: a 20,000-seat date's body in a few milliseconds instead of tens.
 */
function availabilityBody(s: DateSeating): string {
  let prefixes = seatPrefixes.get(s.layout);
  if (!prefixes) {
    prefixes = presentSeats(s).map(({ state: _state, status: _status, ...place }: { state: string; status?: string }) => JSON.stringify(place).slice(0, -1));
    seatPrefixes.set(s.layout, prefixes);
  }
  const parts = s.seats.map((seat, i) => `${prefixes[i]},"state":"${seat.state}"${seat.status ? `,"status":"${seat.status}"` : ''}}`);
  return `{"seats":[${parts.join(',')}]}`;
}

/** Problems core finds in a body, named from the request body's root (`map.document.…`) like the schema's own. */
function fromBodyRoot<T>(root: string, work: Promise<T>): Promise<T> {
  return work.catch((error) => {
    if (error instanceof DomainError && error.code === 'VALIDATION_FAILED' && Array.isArray(error.details)) {
      const details = error.details.map((d) => ({ ...d, field: `${root}.${d.field}` }));
      throw new DomainError('VALIDATION_FAILED', error.message.replace(/^(The seat map is not valid: )?/, (m) => `${m}${root}.`), details);
    }
    throw error;
  });
}

/** Seat maps (`/maps`) and the seats of dates (`/events/{id}/dates/{date_id}/map|seats`). */
export async function seatingRoutes(fastify: FastifyInstance, { core }: { core: Core }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const p = principalOf;
  const tags = ['seating'];
  const one = Type.Object({ map: X.SeatMap });

  app.get('/maps/schema', {
    schema: { tags, summary: 'The JSON schema of a seat map document (format guichet.seatmap/1)', response: { 200: Type.Unknown(), ...S.errorResponses } },
  }, async () => MapDocument);

  app.get('/maps', {
    schema: { tags, summary: "The organization's seat maps (sell or admin)", querystring: X.SeatMapListQuery, response: { 200: Type.Object({ maps: Type.Array(X.SeatMapSummary) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'maps', paging, await core.maps.list(p(request), paging.window, { venueId: request.query.venue_id }), presentSummary);
  });

  app.post('/maps', {
    schema: {
      tags,
      summary: 'Upload a seat map (a JSON document, validated; every problem is listed with its path in `details`)',
      body: S.Rooted('map', X.SeatMapCreate),
      response: { 201: one, ...S.errorResponses },
    },
  }, async (request, reply) => {
    const { name, venue_id, document } = request.body.map;
    return reply.code(201).send({ map: presentMap(await fromBodyRoot('map', core.maps.create(p(request), { name, venueId: venue_id, document }))) });
  });

  app.get('/maps/:id', {
    schema: { tags, summary: 'Read a seat map: the latest version, or `?version=n`', params: S.IdParams, querystring: X.SeatMapReadQuery, response: { 200: one, ...S.errorResponses } },
  }, async (request) => ({ map: presentMap(await core.maps.read(p(request), request.params.id, request.query.version)) }));

  app.patch('/maps/:id', {
    schema: {
      tags,
      summary: 'Change a seat map: a new version; dates keep the version they were laid out from',
      params: S.IdParams,
      body: S.Rooted('map', X.SeatMapUpdate),
      response: { 200: one, ...S.errorResponses },
    },
  }, async (request) => {
    const { name, venue_id, document } = request.body.map;
    return { map: presentMap(await fromBodyRoot('map', core.maps.update(p(request), request.params.id, { name, venueId: venue_id, document }))) };
  });

  app.delete('/maps/:id', {
    schema: { tags, summary: 'Delete a seat map no date uses (IN_USE otherwise)', params: S.IdParams, response: { 204: Type.Null(), ...S.errorResponses } },
  }, async (request, reply) => {
    await core.maps.remove(p(request), request.params.id);
    return noContent(reply);
  });

  app.put('/events/:id/dates/:date_id/map', {
    schema: {
      tags,
      summary: "Seat a date: lay a map version out on it (one seat per seat of the map; each seated section's capacity becomes its number of seats)",
      description: 'Errors: IN_USE (409) once places of the date are held or sold; VALIDATION_FAILED when a category of the map has no section.',
      params: DateParams,
      body: S.Rooted('map', X.DateMapAssign),
      response: { 200: Type.Object({ date_map: X.DateMap }), ...S.errorResponses },
    },
  }, async (request) => {
    const { map_id, version, sections } = request.body.map;
    return { date_map: presentDateMap(await fromBodyRoot('map', core.seats.assignMap(p(request), request.params.id, request.params.date_id, { mapId: map_id, version, sections }))) };
  });

  app.get('/events/:id/dates/:date_id/map', {
    schema: { tags, summary: 'The seat map a date uses, with the section selling each category', params: DateParams, response: { 200: Type.Object({ date_map: X.DateMap }), ...S.errorResponses } },
  }, async (request) => ({ date_map: presentDateMap(await core.seats.dateMap(p(request), request.params.id, request.params.date_id)) }));

  app.get('/events/:id/dates/:date_id/seats', {
    schema: {
      tags,
      summary: "Every seat of a date and its state (free, taken, unavailable; sellers also see `status`), cheap enough to poll: one query per date per SEATS_CACHE_MS; an ETag (If-None-Match answers 304 while nothing changed)",
      params: DateParams,
      response: { 200: Type.Object({ seats: Type.Array(X.Seat) }), 304: Type.Null(), ...S.errorResponses },
    },
  }, async (request, reply) => {
    const seating = await core.seats.seats(p(request), request.params.id, request.params.date_id);
    // Core answers polls from one cached array per date for SEATS_CACHE_MS: its body is written (and
    // tagged) once for as long, not once per poll (a 20,000-seat map is megabytes of JSON).
    let body = bodies.get(seating.seats);
    if (!body) {
      const text = availabilityBody(seating);
      // Tagged by what can change: the layout (its seat ids are new whenever a map is laid out again) and
      // each seat's state, not by hashing the megabytes written from them.
      const states = seating.seats.map((seat) => seat.status ?? seat.state).join(',');
      const layout = `${seating.mapId}.${seating.mapVersion}.${seating.seats.length}.${seating.seats[0]?.id}.${seating.seats.at(-1)?.id}`;
      body = { text, etag: `"${crypto.createHash('sha1').update(layout).update(states).digest('base64url')}"` };
      bodies.set(seating.seats, body);
    }
    reply.header('X-Seat-Map-Version', seating.mapVersion ?? '').header('ETag', body.etag).header('Cache-Control', 'no-cache');
    if (request.headers['if-none-match'] === body.etag) return reply.code(304).send(null);
    return reply.type('application/json; charset=utf-8').send(body.text as never);
  });

  app.patch('/events/:id/dates/:date_id/seats', {
    schema: {
      tags,
      summary: 'Kill seats (not for sale), keep them aside for the organizer (hold), or put them back on sale (null)',
      description: 'Only seats nobody holds or bought: CONFLICT (409) lists the others in details.seat_ids.',
      params: DateParams,
      body: S.Rooted('seats', X.SeatBlock),
      response: { 200: Type.Object({ seats: Type.Array(X.Seat) }), ...S.errorResponses },
    },
  }, async (request) => {
    const { seat_ids, blocked } = request.body.seats;
    return { seats: presentSeats(await fromBodyRoot('seats', core.seats.block(p(request), request.params.id, request.params.date_id, seat_ids, blocked))) };
  });
}
