import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../../../core/index.ts';
import type { Category } from '../../../core/catalog/categories.ts';
import type { Channel } from '../../../core/catalog/channels.ts';
import { principalOf } from '../index.ts';
import { crudRoutes } from '../crud.ts';
import { camelKeys, snakeKeys } from '../present.ts';
import * as S from '../schemas.ts';

type Input = Record<string, unknown>;
// The crud helper hands over schema-validated bodies; the casts only restate what the schema checked.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** The first of en/fr/de that the client accepts, else English. */
export function language(request: FastifyRequest): 'en' | 'fr' | 'de' {
  const header = String(request.headers['accept-language'] ?? '').toLowerCase();
  const asked = header.split(',').map((part) => part.split(';')[0].trim().slice(0, 2));
  return (asked.find((l) => l === 'en' || l === 'fr' || l === 'de') as 'en' | 'fr' | 'de') ?? 'en';
}

function presentCategory(request: FastifyRequest, category: Category): unknown {
  const lang = language(request);
  const one = (c: Category) => ({ ...(snakeKeys({ ...c, subcategories: undefined }) as object), name: c.names[lang] });
  return { ...one(category), subcategories: category.subcategories.map(one) };
}

/** Interfaces say `default` where core says `isDefault`. */
const presentChannel = (_: FastifyRequest, c: Channel) => {
  const { isDefault, ...rest } = c;
  return { ...(snakeKeys(rest) as object), default: isDefault };
};
const channelInput = (body: Input) => {
  const { default: isDefault, ...rest } = body;
  return { ...camelKeys<Input>(rest), ...(isDefault !== undefined ? { isDefault } : {}) };
};

export async function catalogRoutes(app: FastifyInstance, { core }: { core: Core }) {
  const p = principalOf;

  crudRoutes(app, {
    path: '/venues', singular: 'venue', plural: 'venues', tags: ['venues'],
    schemas: { item: S.Venue, create: S.VenueCreate, update: S.VenueUpdate, query: S.withPaging({ city: Type.Optional(Type.String()), country_code: Type.Optional(Type.String()), kind: Type.Optional(Type.String()) }) },
    list: (r, page, q: { city?: string; country_code?: string; kind?: string }) => core.places.listVenues(p(r), page, { city: q.city, countryCode: q.country_code, kind: q.kind }),
    read: (r, id) => core.places.readVenue(p(r), id),
    create: (r, input) => core.places.createVenue(p(r), input as any),
    update: (r, id, changes) => core.places.updateVenue(p(r), id, changes),
    remove: (r, id) => core.places.deleteVenue(p(r), id),
  });

  crudRoutes(app, {
    path: '/regions', singular: 'region', plural: 'regions', tags: ['regions'],
    schemas: { item: S.Region, create: S.RegionCreate, update: S.RegionUpdate, query: S.withPaging({ active: Type.Optional(Type.Boolean()), country_code: Type.Optional(Type.String()) }) },
    list: (r, page, q: { active?: boolean; country_code?: string }) => (p(r), core.places.listRegions(page, { active: q.active, countryCode: q.country_code })),
    read: (r, id) => (p(r), core.places.readRegion(id)),
    create: (r, input) => core.places.createRegion(p(r), input as any),
    update: (r, id, changes) => core.places.updateRegion(p(r), id, changes),
    remove: (r, id) => core.places.deleteRegion(p(r), id),
  });

  crudRoutes(app, {
    path: '/categories', singular: 'category', plural: 'categories', tags: ['categories'],
    schemas: { item: S.Category, create: S.CategoryCreate, update: S.CategoryUpdate },
    list: (r, page) => (p(r), core.categories.list(page)),
    read: (r, id) => (p(r), core.categories.read(id)),
    create: (r, input) => core.categories.create(p(r), input as any),
    update: (r, id, changes) => core.categories.update(p(r), id, changes),
    remove: (r, id) => core.categories.remove(p(r), id),
    present: presentCategory,
  });

  crudRoutes(app, {
    path: '/series', singular: 'series', plural: 'series', tags: ['series'],
    schemas: { item: S.Series, create: S.SeriesCreate, update: S.SeriesUpdate, query: S.withPaging({ kind: Type.Optional(Type.String()) }) },
    list: (r, page, q: { kind?: string }) => core.series.list(p(r), page, q),
    read: (r, id) => core.series.read(p(r), id),
    create: (r, input) => core.series.create(p(r), input as any),
    update: (r, id, changes) => core.series.update(p(r), id, changes),
    remove: (r, id) => core.series.remove(p(r), id),
  });

  crudRoutes(app, {
    path: '/interfaces', singular: 'interface', plural: 'interfaces', tags: ['interfaces'],
    schemas: { item: S.Interface, create: S.InterfaceCreate, update: S.InterfaceUpdate },
    list: (r, page) => core.channels.list(p(r), page),
    read: (r, id) => core.channels.read(p(r), id),
    create: (r, input) => core.channels.create(p(r), input as any),
    update: (r, id, changes) => core.channels.update(p(r), id, changes),
    remove: (r, id) => core.channels.remove(p(r), id),
    present: presentChannel,
    input: channelInput,
  });
}
