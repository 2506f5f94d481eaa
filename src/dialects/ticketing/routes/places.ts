import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.ts';
import { DomainError } from '../../../core/errors.ts';
import type { Principal } from '../../../core/identity/principal.ts';
import type { VenueInput } from '../../../core/catalog/places.ts';
import { callerOf } from '../index.ts';
import { requireId, sendList, type ListQuery, type References } from '../present.ts';
import * as S from '../schemas.ts';

type RegionBody = { name?: string; country?: string; district?: string | null; city?: string | null; active?: boolean };
type VenueBody = { name?: string; region?: number | string; longitude?: number | null; latitude?: number | null; address?: string | null; map?: string | null };

/** Categories, regions and countries (platform-wide) and venues (the host's own). */
export async function placeRoutes(app: FastifyInstance, { core, refs }: { core: Core; refs: References }) {
  app.get('/countries', async (request, reply) => {
    callerOf(request);
    return reply.send({ countries: await refs.countryNames() });
  });

  app.get('/categories', { schema: { querystring: S.ListQuery() } }, async (request, reply) => {
    callerOf(request);
    return sendList(reply, request.query as ListQuery, (page) => core.categories.list(page), (c) => refs.category(c));
  });
  app.post('/categories', { schema: { body: S.CategoryCreate } }, async (request, reply) => {
    const b = request.body as { name: string; subcategories?: string[] };
    const caller = callerOf(request);
    return reply.status(201).send(refs.category(await core.categories.createTree(caller, b.name, b.subcategories ?? [])));
  });
  app.get('/categories/:id', { schema: { params: S.Id } }, async (request, reply) => {
    callerOf(request);
    const category = await core.categories.read(Number((request.params as { id: string }).id));
    if (category.parentId !== null) throw new DomainError('NOT_FOUND', 'A subcategory is not a category');
    return reply.send(refs.category(category));
  });
  app.put('/categories/:id', { schema: { params: S.Id, body: S.CategoryUpdate } }, async (request, reply) => {
    const id = Number((request.params as { id: string }).id);
    const b = request.body as { name?: string; subcategories?: string[] };
    const caller = callerOf(request);
    return reply.send(refs.category(await core.categories.updateTree(caller, id, b.name, b.subcategories)));
  });
  app.delete('/categories/:id', { schema: { params: S.Id } }, async (request, reply) => {
    await core.categories.remove(callerOf(request), Number((request.params as { id: string }).id));
    return reply.status(200).send({});
  });

  app.get('/regions', { schema: { querystring: S.ListQuery({ active: S.EventFilters.active }) } }, async (request, reply) => {
    callerOf(request);
    const q = request.query as ListQuery & { active?: boolean };
    return sendList(reply, q, (page) => core.places.listRegions(page, { active: q.active, order: 'creation' }), (r) => refs.region(r));
  });
  app.post('/regions', { schema: { body: S.RegionCreate } }, async (request, reply) => {
    const b = request.body as RegionBody & { name: string; country: string };
    const caller = callerOf(request);
    const region = await core.places.createRegion(caller, { name: b.name, countryCode: await refs.countryCode('country', b.country), district: b.district, city: b.city, active: b.active });
    return reply.status(201).send(await refs.region(region));
  });
  app.get('/regions/:id', { schema: { params: S.Id } }, async (request, reply) => {
    callerOf(request);
    return reply.send(await refs.region(await core.places.readRegion(Number((request.params as { id: string }).id))));
  });
  app.put('/regions/:id', { schema: { params: S.Id, body: S.RegionUpdate } }, async (request, reply) => {
    const b = request.body as RegionBody;
    const caller = callerOf(request);
    const region = await core.places.updateRegion(caller, Number((request.params as { id: string }).id), {
      name: b.name, countryCode: b.country !== undefined ? await refs.countryCode('country', b.country) : undefined, district: b.district, city: b.city, active: b.active,
    });
    return reply.send(await refs.region(region));
  });
  app.delete('/regions/:id', { schema: { params: S.Id } }, async (request, reply) => {
    await core.places.deleteRegion(callerOf(request), Number((request.params as { id: string }).id));
    return reply.status(200).send({});
  });

  /** TickeTing venues carry a region; Guichet venues also need a city and a country: the region's. */
  async function venueInput(caller: Principal, b: VenueBody): Promise<Partial<VenueInput>> {
    const input: Partial<VenueInput> = { name: b.name, longitude: b.longitude, latitude: b.latitude, addressLine1: b.address };
    if (b.region !== undefined) {
      const region = await core.places.readRegion(requireId('region', b.region, 'regions')).catch((error) => {
        if (error instanceof DomainError && error.code === 'NOT_FOUND') throw new DomainError('VALIDATION_FAILED', 'region: is not a known region');
        throw error;
      });
      Object.assign(input, { regionId: region.id, city: region.city ?? region.name, countryCode: region.countryCode });
    }
    void caller;
    return input;
  }
  app.get('/venues', { schema: { querystring: S.ListQuery({ region: S.EventFilters.region, name: S.EventFilters.title }) } }, async (request, reply) => {
    const caller = callerOf(request);
    const q = request.query as ListQuery & { region?: string; name?: string };
    const regionId = q.region !== undefined ? requireId('region', q.region, 'regions') : undefined;
    return sendList(reply, q, (page) => core.places.listVenues(caller, page, { regionId, name: q.name }), (v) => refs.venue(v));
  });
  app.post('/venues', { schema: { body: S.VenueCreate } }, async (request, reply) => {
    const caller = callerOf(request);
    const input = await venueInput(caller, request.body as VenueBody);
    const venue = await core.places.createVenue(caller, { kind: 'hall', ...input } as VenueInput);
    return reply.status(201).send(await refs.venue(venue));
  });
  app.get('/venues/:id', { schema: { params: S.Id } }, async (request, reply) => {
    return reply.send(await refs.venue(await core.places.readVenue(callerOf(request), Number((request.params as { id: string }).id))));
  });
  app.put('/venues/:id', { schema: { params: S.Id, body: S.VenueUpdate } }, async (request, reply) => {
    const caller = callerOf(request);
    const input = await venueInput(caller, request.body as VenueBody);
    return reply.send(await refs.venue(await core.places.updateVenue(caller, Number((request.params as { id: string }).id), input)));
  });
  app.delete('/venues/:id', { schema: { params: S.Id } }, async (request, reply) => {
    await core.places.deleteVenue(callerOf(request), Number((request.params as { id: string }).id));
    return reply.status(200).send({});
  });
}
