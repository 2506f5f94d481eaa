import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.ts';
import { DomainError, type ErrorCode } from '../../core/errors.ts';
import type { Principal } from '../../core/identity/principal.ts';
import { HTTP_STATUS, toDomainError } from '../../http/errors.ts';
import { identityRoutes } from './routes/identity.ts';
import { hostRoutes } from './routes/hosts.ts';
import { eventRoutes } from './routes/events.ts';
import { placeRoutes } from './routes/places.ts';
import { sellingRoutes } from './routes/selling.ts';
import { doorRoutes } from './routes/door.ts';
import { References } from './present.ts';
import { parseRef } from './identifiers.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The TickeTing caller: resolved from X-API-Key (an integration key or a session key). */
    ticketingCaller: Principal | null;
    /** The X-API-Key as sent, for the session routes. */
    ticketingKey: string | null;
    /** The date named by an event URI of the form `/events/{event}-{date}` (null for a plain event id). */
    ticketingDate: number | null;
    /** The tariff named by a section URI of the form `/sections/{section}-{tariff}` (null for a plain section id). */
    ticketingTariff: number | null;
  }
}

/** The messages of the TickeTing v3 document and of ticketing-facts.md, word for word. */
export const MESSAGES = {
  unauthenticated: 'Your request could not be authenticated.',
  restricted: 'You are restricted from accessing this resource.',
  upgrade: 'Please upgrade your client to complete this request',
  noResource: 'There is presently no resource with the given URI.',
  noAccount: 'The requested account could not be located',
  noHost: 'The specified host could not be found.',
  noPage: 'The specified page does not exist for the given records per page',
  wrongPassword: 'A session cannot be started with the given password.',
  sessionEnded: 'The session has ended or does not exist.',
  notHostAdministrator: 'This account is not an administrator for the relevant event host.',
  notYourAccount: 'You are not authorised to access or modify this account.',
  unlistedEvent: 'You are not authorised to access this unlisted event.',
  badVenue: 'Please provide a valid venue for the event',
  noAdmission: 'None of the provided ticket serials grants admission to this event',
  /** Guichet's words (the facts file has none for a second scan). */
  alreadyAdmitted: 'The provided ticket serials have already been admitted to this event',
  unknownTokenCode: 'The provided code does not belong to any event token',
  alreadySubmitted: 'The event has already been submitted or cancelled.',
  globalToken: 'The global admission token cannot be modified or invalidated.',
  required: (fields: string[]) => `The following arguments are required, but have not been supplied: ${fields.join(', ')}.`,
  invalid: (fields: string[]) => `The following arguments have invalid values: ${fields.join(', ')}.`,
  conflict: (kind: string, fields: string[]) => `The following arguments conflict with those of another ${kind}: ${fields.join(', ')}.`,
  serverError: 'There was a server error while excuting this request. Please see system logs for details.',
  noEndpoint: (path: string) => `The requested endpoint ${path} does not exist on this server.`,
} as const;

export const MINIMUM_CLIENT_VERSION = [3, 0, 0] as const;

/** Whether an X-Client-Version value (semver, pre-release allowed) meets the minimum. */
export function clientVersionAccepted(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = /^\s*v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.-]*)?\s*$/.exec(value);
  if (!match) return false;
  const parts = match.slice(1, 4).map(Number);
  for (let i = 0; i < 3; i++) {
    if (parts[i] !== MINIMUM_CLIENT_VERSION[i]) return parts[i] > MINIMUM_CLIENT_VERSION[i];
  }
  return true;
}

/** HTTP status of each domain error in this dialect: TickeTing answers 400 for any bad input, 409 for any refused state change. */
const STATUS: Record<ErrorCode, number> = {
  ...HTTP_STATUS,
  VALIDATION_FAILED: 400,
  INVALID_CREDENTIALS: 401,
  TOKEN_EXPIRED: 400,
  NOT_ON_SALE: 409,
  OVER_MAX_PER_ORDER: 400,
  PAYMENT_DECLINED: 409,
  CODE_INVALID: 400,
};

/**
 * An answer in TickeTing's own words, thrown by routes where the document fixes status and text.
 * Rendered `{error, message}`: the SDK reads `error`, the document's pages show `message`.
 */
export class TicketingError extends Error {
  constructor(readonly status: number, readonly text: string) {
    super(text);
  }
}

export function send(reply: FastifyReply, status: number, text: string) {
  return reply.status(status).type('application/json; charset=utf-8').send({ error: text, message: text });
}

/** The resource a route serves (first segment of its URL), which chooses the words of an error. */
const KIND: Record<string, string> = { hosts: 'host', venues: 'venue', regions: 'region', categories: 'category', events: 'event', accounts: 'user', 'published-events': 'event' };
/** Unique fields of each resource, named in 409 answers. */
const UNIQUE: Record<string, string[]> = { host: ['name'], venue: ['name'], region: ['name'], category: ['name'], event: ['title'], user: ['username', 'email'] };
const IN_USE: Record<string, string> = {
  category: 'You cannot delete in-use event categories.',
  region: 'A region cannot be deleted if it has venues attached',
  venue: 'A venue cannot be deleted if it is staging an event',
  host: 'A host cannot be deleted once it has sold tickets.',
};

/** Core's field names → TickeTing's. */
const FIELD_NAMES: Record<string, string> = {
  category_id: 'category', subcategory_id: 'subcategory', venue_id: 'venue', region_id: 'region', country_code: 'country', date_of_birth: 'dateOfBirth',
  address_line1: 'firstAddressLine', address_line2: 'secondAddressLine', sale_starts_at: 'salesStart', sale_ends_at: 'salesEnd', starts_at: 'start', ends_at: 'end',
  first_name: 'firstName', last_name: 'lastName', contact_name: 'contact', section_ids: 'sections', business_number: 'businessNo', is_public: 'public', image_urls: 'banner',
};
function fieldsOf(error: DomainError): string[] {
  const details = Array.isArray(error.details) ? error.details.map((d) => d.field) : [];
  const fields = details.length > 0 ? details : [/^([A-Za-z_.]+):/.exec(error.message)?.[1] ?? 'request'];
  return [...new Set(fields.map((f) => f.replace(/^(body|querystring|params)\./, '').split('.')[0]).map((f) => FIELD_NAMES[f] ?? f))];
}

/** The words of a domain error on this route, from the facts file's table. */
export function errorText(route: string, error: DomainError): string {
  const segments = route.split('/').filter(Boolean);
  const kind = KIND[segments[0]] ?? 'resource';
  const sub = segments.length > 2 ? segments[2] : null;
  switch (error.code) {
    case 'UNAUTHENTICATED': return MESSAGES.unauthenticated;
    case 'INVALID_CREDENTIALS': return MESSAGES.wrongPassword;
    case 'FORBIDDEN':
      if (Object.values(MESSAGES).includes(error.message as never)) return error.message;
      if (kind === 'user') return MESSAGES.notYourAccount;
      // An event's door (its tickets and admissions) refuses a key that does not open it — another
      // event's or date's door key, or a key without door rights — as any resource beyond a key's reach.
      if (kind === 'event' && (sub === 'tickets' || sub === 'admissions')) return MESSAGES.restricted;
      if (kind === 'event' || kind === 'host') return MESSAGES.notHostAdministrator;
      return MESSAGES.restricted;
    case 'NOT_FOUND':
      if (Object.values(MESSAGES).includes(error.message as never)) return error.message;
      if (kind === 'user' && segments.length <= 2) return MESSAGES.noAccount;
      if (kind === 'host' && segments.length <= 3) return MESSAGES.noHost;
      return MESSAGES.noResource;
    case 'VALIDATION_FAILED':
    case 'BAD_REQUEST':
      if (Object.values(MESSAGES).includes(error.message as never)) return error.message;
      if (error.code !== 'VALIDATION_FAILED') return error.message;
      if (kind === 'event' && segments.length <= 2 && fieldsOf(error).includes('venue')) return MESSAGES.badVenue;
      return MESSAGES.invalid(fieldsOf(error));
    case 'CONFLICT': {
      if (Object.values(MESSAGES).includes(error.message as never)) return error.message;
      const fields = error.details && !Array.isArray(error.details) && Array.isArray(error.details.fields) ? (error.details.fields as string[]) : UNIQUE[kind];
      return fields && !sub ? MESSAGES.conflict(kind, fields) : error.message;
    }
    case 'IN_USE': return IN_USE[kind] ?? error.message;
    case 'INVALID_TRANSITION':
      if (kind === 'event' && sub === 'submissions') return MESSAGES.alreadySubmitted;
      if (kind === 'event' && sub === 'tokens') return MESSAGES.globalToken;
      return error.message;
    default: return error.message;
  }
}

/** Renders a domain error the TickeTing way: `{error, message}` with the facts file's words. */
export function renderError(reply: FastifyReply, error: DomainError, route = '') {
  return send(reply, STATUS[error.code], errorText(route, error));
}

/**
 * Required fields missing from a body, in the resource's own order (the order of its schema), as
 * TickeTing names them; null when nothing required is missing.
 */
function missingFields(request: FastifyRequest): string[] | null {
  const schema = request.routeOptions.schema?.body as { properties?: Record<string, unknown>; required?: string[] } | undefined;
  if (!schema?.properties || !schema.required) return null;
  const body = (request.body ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || Array.isArray(body)) return null;
  const missing = Object.keys(schema.properties).filter((k) => schema.required!.includes(k) && (body[k] === undefined || body[k] === null || body[k] === ''));
  return missing.length > 0 ? missing : null;
}

/** The caller, for routes that act for one (every route: X-API-Key is required everywhere). */
export function callerOf(request: FastifyRequest): Principal {
  if (!request.ticketingCaller) throw new DomainError('UNAUTHENTICATED', MESSAGES.unauthenticated);
  return request.ticketingCaller;
}

export interface TicketingOptions {
  core: Core;
}

/**
 * The TickeTing REST API v3 dialect, mounted at /ticketing/v3: X-API-Key (integration or session
 * key) and X-Client-Version headers, `{total, page, records, entries}` lists, `self` URIs relative
 * to the root, `{message}` / `{error}` answers with the document's messages.
 */
export async function ticketingApi(app: FastifyInstance, options: TicketingOptions) {
  const { core } = options;
  const prefix = app.prefix;
  app.decorateRequest('ticketingCaller', null);
  app.decorateRequest('ticketingKey', null);
  app.decorateRequest('ticketingDate', null);
  app.decorateRequest('ticketingTariff', null);

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof TicketingError) return send(reply, error.status, error.text);
    const route = (request.routeOptions.url ?? '').slice(prefix.length);
    if ((error as { validation?: unknown }).validation && (error as { validationContext?: string }).validationContext === 'body') {
      const missing = missingFields(request);
      if (missing) return send(reply, 400, MESSAGES.required(missing));
    }
    const domain = toDomainError(error);
    if (domain) return renderError(reply, domain, route);
    request.log.error({ err: error }, 'unexpected error');
    return send(reply, 500, MESSAGES.serverError);
  });

  // Unknown endpoints still need a key and a client version, like every request, then get the document's 404.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0].slice(prefix.length) || '/';
    return send(reply, 404, MESSAGES.noEndpoint(path));
  });

  async function checkHeaders(request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined || key.trim() === '') {
      return send(reply, 401, MESSAGES.unauthenticated);
    }
    // An integration key, a session key or a door key (from GET /tokens/{code}): all 32 hex characters.
    const caller =
      (await core.credentials.authenticateApiKey(key.trim())) ?? (await core.sessions.authenticate(key.trim())) ?? (await core.door.tokens.authenticate(key.trim()));
    if (!caller) return send(reply, 403, (await core.sessions.byKeyEvenEnded(key.trim())) ? MESSAGES.sessionEnded : MESSAGES.restricted);
    if (!clientVersionAccepted(request.headers['x-client-version'])) return send(reply, 412, MESSAGES.upgrade);
    request.ticketingCaller = caller;
    request.ticketingKey = key.trim();
  }
  app.addHook('onRequest', checkHeaders);

  // `/events/{event}-{date}` names one date of an event, `/sections/{section}-{tariff}` one tariff of a
  // section (identifiers.ts): routes see the plain ids, and the date and tariff on the request.
  app.addHook('preValidation', async (request) => {
    const route = (request.routeOptions.url ?? '').slice(prefix.length);
    const params = request.params as { id?: string; section?: string } | undefined;
    if (!route.startsWith('/events/:id') || !params?.id) return;
    const event = parseRef(params.id);
    if (event) [params.id, request.ticketingDate] = [String(event.id), event.part];
    const section = route.startsWith('/events/:id/sections/:section') && params.section ? parseRef(params.section) : null;
    if (section) [params.section, request.ticketingTariff] = [String(section.id), section.part];
  });

  // An event named in the URI is acted on as its host allows (core's tenancy rule): a platform
  // operator's key reaches every host's events, a session the events of the hosts its account
  // administers; anyone else stays in their own organization, where another host's event is unknown.
  app.addHook('preHandler', async (request) => {
    const route = (request.routeOptions.url ?? '').slice(prefix.length);
    const id = (request.params as { id?: string } | undefined)?.id;
    if (request.ticketingCaller && route.startsWith('/events/:id') && id && /^\d{1,9}$/.test(id)) {
      request.ticketingCaller = await core.tenancy.forEvent(request.ticketingCaller, Number(id));
    }
  });

  const refs = new References(core);
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  await api.register(identityRoutes, { core, refs });
  await api.register(hostRoutes, { core, refs });
  await api.register(eventRoutes, { core, refs });
  await api.register(placeRoutes, { core, refs });
  await api.register(sellingRoutes, { core, refs });
  await api.register(doorRoutes, { core, refs });
}
