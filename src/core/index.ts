import { createCaches, type CoreContext } from './context.ts';
import { accountService } from './identity/accounts.ts';
import { credentialService } from './identity/credentials.ts';
import { partnerUserService } from './identity/partner-users.ts';
import { directoryService } from './catalog/directory.ts';
import { oauthService } from './identity/oauth.ts';
import { organizationService } from './identity/organizations.ts';
import { categoryService } from './catalog/categories.ts';
import { channelService } from './catalog/channels.ts';
import { eventService } from './catalog/events.ts';
import { placeService } from './catalog/places.ts';
import { seriesService } from './catalog/series.ts';
import { referenceService } from './reference/reference.ts';
import { cartService } from './selling/carts.ts';
import { idempotencyService } from './requests/idempotency.ts';
import { codeService } from './selling/codes.ts';
import { orderService } from './selling/orders.ts';
import { questionService } from './selling/questions.ts';
import { ticketService } from './selling/tickets.ts';
import { guestService } from './selling/guests.ts';
import { transferService } from './selling/transfers.ts';
import { sessionService } from './identity/sessions.ts';
import { webSessionService } from './identity/web-sessions.ts';
import { storefrontService } from './catalog/storefront.ts';
import { purchaseService } from './selling/purchases.ts';
import { hostProfileService } from './identity/host-profiles.ts';
import { tenancyService } from './identity/tenancy.ts';
import { statisticsService } from './selling/statistics.ts';
import { directOrderService } from './selling/direct-orders.ts';
import { partnerAccessService } from './identity/partner-access.ts';
import { attendeeService } from './selling/attendees.ts';
import { calendarService } from './catalog/calendar.ts';
import { doorService } from './door/index.ts';
import { ticketCountService } from './reporting/ticket-counts.ts';
import { capacityService } from './reporting/capacities.ts';
import { promotionService } from './reporting/promotions.ts';
import { transactionService } from './reporting/transactions.ts';
import { exportService } from './reporting/exports.ts';
import { dashboardService } from './reporting/dashboard.ts';
import { invitationService } from './identity/invitations.ts';
import { deliveryService, smtpTransport } from './delivery/index.ts';
import type { Mailer } from './notifications/mailer.ts';
import type { Principal } from './identity/principal.ts';
import { mapService, seatService } from './seating/index.ts';
import { createSealer } from './identity/secrets.ts';
import { createCredentialThrottle } from './identity/throttle.ts';
import { registerSealer } from './selling/tickets.ts';
import { resolveSecretKey } from '../secret-key.ts';

/**
 * Every core service, built once per process around one database. Dialects receive this. The
 * at-rest key comes from GUICHET_SECRET_KEY (or the data folder, see secret-key.ts) unless given.
 */
export function createCore(base: Omit<CoreContext, 'caches' | 'mailer' | 'sealer' | 'throttle'> & Partial<Pick<CoreContext, 'sealer' | 'throttle'>> & {
  /** Where e-mail goes (tests and embedders); default: SMTP when SMTP_URL is set, otherwise mail is kept for owners to read. */
  mailer?: Mailer | null;
}) {
  const { config } = base;
  const transport = base.mailer !== undefined ? base.mailer : config.delivery.smtpUrl ? smtpTransport(config.delivery.smtpUrl, config.delivery.mailFrom) : null;
  // Services send mail through ctx.mailer: the outbox's mailer, set right below.
  const ctx: CoreContext = {
    ...base,
    mailer: { send: async () => undefined },
    caches: createCaches(config, base.clock),
    sealer: base.sealer ?? createSealer(resolveSecretKey(config)),
    throttle: base.throttle ?? createCredentialThrottle(config, base.clock),
  };
  registerSealer(ctx.database.db, ctx.sealer);
  const db = ctx.database.db;
  const carts = cartService(ctx);
  const orders = orderService(ctx);
  const events = eventService(ctx);
  const guests = guestService(ctx);
  const ticketCounts = ticketCountService(ctx);
  const capacities = capacityService(ctx);
  const door = doorService(ctx);
  // Delivery reads resources as a seller of the organization would see them (webhook payloads).
  const system = (organizationId: number): Principal => ({
    organizationId, accountId: null, signedIn: false, clientId: null, scopes: new Set(['public', 'buy', 'sell', 'admin']), platformRole: 'customer', credential: { kind: 'access_token', id: 0 },
  });
  const delivery = deliveryService(ctx, transport, {
    order: (organizationId, id) => orders.read(system(organizationId), id),
    event: (organizationId, id) => events.read(system(organizationId), id),
    guest: (organizationId, id) => guests.read(system(organizationId), id),
  });
  ctx.mailer = delivery.mailer;
  return {
    ctx,
    delivery,
    organizations: organizationService(ctx),
    accounts: accountService(ctx),
    invitations: invitationService(ctx),
    oauth: oauthService(ctx),
    credentials: credentialService(ctx),
    partnerUsers: partnerUserService(ctx),
    places: placeService(ctx),
    categories: categoryService(ctx),
    series: seriesService(ctx),
    channels: channelService(ctx),
    events,
    directory: directoryService(ctx),
    idempotency: idempotencyService(ctx),
    carts,
    orders,
    directOrders: directOrderService(carts, orders),
    codes: codeService(ctx),
    questions: questionService(ctx),
    tickets: ticketService(ctx),
    guests,
    transfers: transferService(ctx),
    sessions: sessionService(ctx),
    webSessions: webSessionService(ctx),
    storefront: storefrontService(ctx),
    purchases: purchaseService(ctx),
    hostProfiles: hostProfileService(ctx),
    tenancy: tenancyService(ctx),
    statistics: statisticsService(ctx),
    partnerAccess: partnerAccessService(ctx),
    attendees: attendeeService(ctx),
    calendar: calendarService(ctx),
    door,
    ticketCounts,
    capacities,
    dashboard: dashboardService(ctx, { capacities: (p, eventId) => capacities.list(p, eventId), doorStatistics: (p, eventId) => door.statistics(p, eventId) }),
    promotions: promotionService(ctx),
    transactions: transactionService(ctx),
    exports: exportService(ctx, ticketCounts),
    maps: mapService(ctx),
    seats: seatService(ctx),
    reference: {
      countries: (page: Parameters<typeof referenceService.countries>[1], filter?: Parameters<typeof referenceService.countries>[2]) => referenceService.countries(db, page, filter),
      country: (id: number) => referenceService.country(db, id),
      states: (countryId: number, page: Parameters<typeof referenceService.states>[2]) => referenceService.states(db, countryId, page),
      currencies: (page: Parameters<typeof referenceService.currencies>[1]) => referenceService.currencies(db, page),
    },
  };
}

export type Core = ReturnType<typeof createCore>;
