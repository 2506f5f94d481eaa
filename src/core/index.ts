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
import { mapService, seatService } from './seating/index.ts';

/** Every core service, built once per process around one database. Dialects receive this. */
export function createCore(base: Omit<CoreContext, 'caches'>) {
  const ctx: CoreContext = { ...base, caches: createCaches(base.config, base.clock) };
  const db = ctx.database.db;
  const carts = cartService(ctx);
  const orders = orderService(ctx);
  const ticketCounts = ticketCountService(ctx);
  return {
    ctx,
    organizations: organizationService(ctx),
    accounts: accountService(ctx),
    oauth: oauthService(ctx),
    credentials: credentialService(ctx),
    partnerUsers: partnerUserService(ctx),
    places: placeService(ctx),
    categories: categoryService(ctx),
    series: seriesService(ctx),
    channels: channelService(ctx),
    events: eventService(ctx),
    directory: directoryService(ctx),
    idempotency: idempotencyService(ctx),
    carts,
    orders,
    directOrders: directOrderService(carts, orders),
    codes: codeService(ctx),
    questions: questionService(ctx),
    tickets: ticketService(ctx),
    guests: guestService(ctx),
    transfers: transferService(ctx),
    sessions: sessionService(ctx),
    hostProfiles: hostProfileService(ctx),
    tenancy: tenancyService(ctx),
    statistics: statisticsService(ctx),
    partnerAccess: partnerAccessService(ctx),
    attendees: attendeeService(ctx),
    calendar: calendarService(ctx),
    door: doorService(ctx),
    ticketCounts,
    capacities: capacityService(ctx),
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
