import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Core } from '../../../core/index.ts';
import { DomainError } from '../../../core/errors.ts';
import { principalOf } from '../index.ts';
import { pageFrom, sendList, snakeKeys } from '../present.ts';
import * as S from '../schemas.ts';
import * as X from '../selling-schemas.ts';

const Availability = Type.Union(['available', 'few_left', 'sold_out', 'not_yet_on_sale', 'sale_ended', 'cancelled'].map((v) => Type.Literal(v)), {
  description: 'What a buyer may know, from the live inventory, without exact figures: on sale, only a few left, sold out, not yet on sale, no longer on sale, cancelled',
});
const Names = Type.Object({ en: Type.String(), fr: Type.String(), de: Type.String() });
const Organization = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() });
const Money = Type.Object({ amount: Type.Integer({ description: 'minor units' }), currency: Type.String() });
const EventSummary = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  organization: Organization,
  venue: S.Nullable(Type.Object({ name: Type.String(), city: Type.String() })),
  time_zone: Type.String(),
  image_url: S.Nullable(Type.String()),
  next_starts_at: S.Nullable(Type.String()),
  date_count: Type.Integer(),
  price_from: S.Nullable(Money),
  availability: Availability,
});
const ShopTariff = Type.Object({
  id: Type.Integer(), label: Type.String(), price: Type.Integer(), currency: Type.String(), max_per_order: Type.Integer(),
  sale_starts_at: S.Nullable(Type.String()), sale_ends_at: Type.String(), availability: Availability,
});
const ShopEvent = Type.Object({
  ...EventSummary.properties,
  description: S.Nullable(Type.String()),
  disclaimer: S.Nullable(Type.String()),
  holder_names: Type.String({ description: 'none, optional or required: a name per ticket at checkout (holders in the checkout body)' }),
  venue: S.Nullable(Type.Object({ name: Type.String(), address_line1: S.Nullable(Type.String()), address_line2: S.Nullable(Type.String()), zip: S.Nullable(Type.String()), city: Type.String(), country_code: Type.String() })),
  category: S.Nullable(Type.Object({ id: Type.Integer(), name: Names })),
  dates: Type.Array(Type.Object({
    id: Type.Integer(), starts_at: Type.String(), ends_at: S.Nullable(Type.String()), availability: Availability,
    sections: Type.Array(Type.Object({
      id: Type.Integer(), name: Type.String(), description: S.Nullable(Type.String()),
      seated: Type.Boolean({ description: 'Sold seat by seat on this date (GET /api/events/{id}/dates/{date_id}/seats and /map), not by quantity' }),
      availability: Availability, tariffs: Type.Array(ShopTariff),
    })),
  })),
});
const HeldTicket = Type.Object({
  ...X.Ticket.properties,
  organization_id: Type.Integer(), organization_name: Type.String(), event_title: Type.String(), time_zone: Type.String(), starts_at: Type.String(),
  date_cancelled: Type.Boolean(), section_name: Type.String(), tariff_label: S.Nullable(Type.String()), venue: S.Nullable(Type.Object({ name: Type.String(), city: Type.String() })),
});
const OrderSummary = Type.Object({
  id: Type.Integer(), organization_id: Type.Integer(), organization_name: Type.String(), number: Type.String(), status: Type.String(), currency: Type.String(),
  total: Type.Integer(), created_at: Type.String(), expires_at: S.Nullable(Type.String()),
  events: Type.Array(Type.Object({ title: Type.String(), time_zone: Type.String(), starts_at: Type.String(), quantity: Type.Integer() })),
});
const MyTransfer = Type.Object({
  id: Type.Integer(), organization_id: Type.Integer(), organization_name: Type.String(),
  status: Type.String({ description: 'pending, claimed, rejected or cancelled' }),
  direction: Type.Union([Type.Literal('sent'), Type.Literal('received')], { description: 'sent by this person, or received at their address' }),
  sender_email: Type.String(), recipient_email: Type.String(), created_at: Type.String(), resolved_at: S.Nullable(Type.String()),
  tickets: Type.Array(Type.Object({ id: Type.Integer(), event_title: Type.String(), time_zone: Type.String(), starts_at: Type.String(), section_name: Type.String(), tariff_label: S.Nullable(Type.String()) })),
});
const LinkToken = Type.String({ pattern: '^[0-9]{1,9}-[0-9]{1,9}-[A-Za-z0-9_-]{86}$', description: 'A signed order link' });

/** The signed-in person, whatever their credential (a browser session or a password-grant token). */
function accountOf(request: FastifyRequest): number {
  const id = request.principal?.signedIn ? request.principal.accountId : request.browserSession?.session.account?.id;
  if (id === null || id === undefined) throw new DomainError('UNAUTHENTICATED', 'Sign in first');
  return id;
}

/**
 * The public shop (no credential needed: listed public events of every organization, an
 * organization's storefront), what the shop's pages ask while buying (a discount code checked as it is
 * typed, a signed link to an order), and a buyer's own orders and tickets across organizations.
 */
export const shopRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  const tags = ['shop'];

  app.get('/shop/events', {
    config: { anonymous: true },
    schema: {
      tags,
      summary: 'Listed public events of every organization with a performance to come, soonest first; searchable',
      querystring: S.withPaging({
        q: Type.Optional(Type.String({ maxLength: 200, description: 'Words in the title, description, venue or organization (case-insensitive)' })),
        from: Type.Optional(Type.String({ format: 'date-time', description: 'Performances starting at or after' })),
        to: Type.Optional(Type.String({ format: 'date-time', description: 'Performances starting before' })),
        city: Type.Optional(Type.String({ maxLength: 100 })),
        category_id: Type.Optional(S.Id),
        organization: Type.Optional(Type.String({ maxLength: 100, description: "An organization's slug (its storefront)" })),
      }),
      response: { 200: Type.Object({ events: Type.Array(EventSummary) }), ...S.errorResponses },
    },
  }, async (request, reply) => {
    const query = request.query;
    const paging = pageFrom(query);
    const result = await core.storefront.events(
      { text: query.q?.trim() || undefined, from: query.from, to: query.to, city: query.city?.trim() || undefined, categoryId: query.category_id, organizationSlug: query.organization },
      paging.window,
    );
    return sendList(reply, 'events', paging, result);
  });

  app.get('/shop/events/:id', {
    config: { anonymous: true },
    schema: { tags, summary: 'A listed public event for its page: venue, dates, sections, tariffs, availability', params: S.IdParams, response: { 200: Type.Object({ event: ShopEvent }), ...S.errorResponses } },
  }, async (request) => ({ event: snakeKeys(await core.storefront.event(request.params.id)) as never }));

  app.get('/events/:id/preview', {
    config: { right: 'catalog' },
    schema: {
      tags: ['events'],
      summary: "An event of the organization as its shop page will show it, whatever its status (draft, under review, scheduled, listed, cancelled) or visibility: the organizer's preview",
      description: "The same body as GET /api/shop/events/{id}. Another organization's event is NOT_FOUND (404).",
      params: S.IdParams,
      response: { 200: Type.Object({ event: ShopEvent }), ...S.errorResponses },
    },
  }, async (request) => ({ event: snakeKeys(await core.storefront.preview(principalOf(request), request.params.id)) as never }));

  app.get('/shop/organizations/:slug', {
    config: { anonymous: true },
    schema: {
      tags,
      summary: "An organization's storefront card",
      params: S.Strict({ slug: Type.String({ minLength: 1, maxLength: 100 }) }),
      response: { 200: Type.Object({ organization: Type.Object({ ...Organization.properties, description: S.Nullable(Type.String()), website: S.Nullable(Type.String()), city: S.Nullable(Type.String()) }) }), ...S.errorResponses },
    },
  }, async (request) => ({ organization: snakeKeys(await core.storefront.organization(request.params.slug)) as never }));

  app.get('/shop/facets', {
    config: { anonymous: true },
    schema: { tags, summary: 'What the search offers: top-level categories and cities with events to come', response: { 200: Type.Object({ categories: Type.Array(Type.Object({ id: Type.Integer(), name: Names })), cities: Type.Array(Type.String()) }), ...S.errorResponses } },
  }, async () => core.storefront.facets());

  app.get('/carts/:id/discount', {
    schema: {
      tags: ['carts'],
      summary: "What a discount code would take off the cart's held places (without using it)",
      description: 'Errors: CODE_INVALID (422), CODE_EXHAUSTED (409), HOLD_EXPIRED (409) when nothing is held any more.',
      params: S.IdParams,
      querystring: S.Strict({ code: Type.String({ minLength: 1, maxLength: 64 }) }),
      response: { 200: Type.Object({ discount: Type.Object({ code: Type.String(), discount: Type.Integer(), total: Type.Integer(), currency: Type.String() }) }), ...S.errorResponses },
    },
  }, async (request) => ({ discount: await core.carts.quoteCode(principalOf(request), request.params.id, request.query.code) }));

  app.get('/orders/:id/link', {
    schema: {
      tags: ['orders'],
      summary: 'A signed link to the order, for a buyer without an account (what the confirmation e-mail carries)',
      params: S.IdParams,
      response: { 200: Type.Object({ link: Type.Object({ token: Type.String(), path: Type.String() }) }), ...S.errorResponses },
    },
  }, async (request) => {
    const token = await core.orders.link(principalOf(request), request.params.id);
    return { link: { token, path: `/orders/${token}` } };
  });

  app.get('/order_links/:token', {
    config: { anonymous: true },
    schema: {
      tags: ['orders'],
      summary: 'The order a signed link names, with its tickets (names printed on them, QR payloads)',
      params: S.Strict({ token: LinkToken }),
      response: { 200: Type.Object({ order: X.Order, organization_id: Type.Integer(), tickets: Type.Array(HeldTicket) }), ...S.errorResponses },
    },
  }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer');
    const order = await core.orders.byLink(request.params.token);
    const tickets = await core.purchases.ticketsOfOrder(order.organizationId, order.id);
    return { order: snakeKeys(order) as never, organization_id: order.organizationId, tickets: snakeKeys(tickets) as never };
  });

  app.get('/order_links/:token/tickets/:ticket_id/qr_code', {
    config: { anonymous: true },
    schema: { tags: ['orders'], summary: "A ticket's QR code (SVG) through its order's signed link", params: S.Strict({ token: LinkToken, ticket_id: S.Id }), response: { 200: { description: 'image/svg+xml' }, ...S.errorResponses } },
  }, async (request, reply) => {
    const order = await core.orders.byLink(request.params.token);
    const ticket = order.tickets.find((t) => t.id === request.params.ticket_id);
    if (!ticket || ticket.qrPayload === null) throw new DomainError('NOT_FOUND', 'Ticket not found');
    const { toString } = await import('qrcode');
    return reply.type('image/svg+xml').header('Cache-Control', 'private, no-store').send(await toString(ticket.qrPayload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
  });

  app.get('/me/orders', {
    config: { anonymous: true },
    schema: { tags: ['users'], summary: "The signed-in buyer's orders in every organization, newest first", querystring: S.PageQuery, response: { 200: Type.Object({ orders: Type.Array(OrderSummary) }), ...S.errorResponses } },
  }, async (request, reply) => {
    const paging = pageFrom(request.query);
    return sendList(reply, 'orders', paging, await core.purchases.orders(accountOf(request), paging.window));
  });

  app.get('/me/tickets', {
    config: { anonymous: true },
    schema: { tags: ['users'], summary: "The valid tickets the signed-in person holds, in every organization: upcoming first", response: { 200: Type.Object({ tickets: Type.Array(HeldTicket) }), ...S.errorResponses } },
  }, async (request) => ({ tickets: snakeKeys(await core.purchases.tickets(accountOf(request))) as never }));

  app.get('/me/transfers', {
    config: { anonymous: true },
    schema: {
      tags: ['users'],
      summary: "The latest 100 transfers the signed-in person sent or that were sent to their address, in every organization, newest first",
      description: 'What each offers (event, date, section), never the barcodes. Claim, reject or cancel one with /api/transfers/{id} in its organization (X-Organization).',
      response: { 200: Type.Object({ transfers: Type.Array(MyTransfer) }), ...S.errorResponses },
    },
  }, async (request) => ({ transfers: snakeKeys(await core.purchases.transfers(accountOf(request))) as never }));
};
