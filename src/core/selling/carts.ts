import { claimIdempotencyKey } from '../requests/idempotency.ts';
import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import { fromFlag, toIso } from '../../db/quirks.ts';
import type { Db } from '../../db/database.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import type { Channel } from '../catalog/channels.ts';
import { inventory } from './inventory.ts';
import { quoteCode } from './codes.ts';
import { identityRepository } from '../identity/repository.ts';
import { sellingRepository as repo, type CartRow, type CartItemRow } from './repository.ts';
import { chooseSeatsFor, claimSeats, releaseSeats, seatsOfItem, type SeatRef } from '../seating/index.ts';

/** Most places one order line may hold when the tariff sets no maximum. */
// Stored hold statuses: held → sold | released (removed, order cancelled) | expired (given back after its time ran out).
export const DEFAULT_MAX_PER_ORDER = 50;

export type HoldStatus = 'held' | 'expired' | 'sold' | 'released';

export interface CartItem {
  id: number;
  eventId: number;
  dateId: number;
  sectionId: number;
  tariffId: number;
  quantity: number;
  unitPrice: number;
  currency: string;
  total: number;
  status: HoldStatus;
  expiresAt: string | null;
  /** The seats held, for a seated section; null for general admission. */
  seats: SeatRef[] | null;
}

export interface ItemInput {
  tariffId: number;
  dateId: number;
  /** How many places; for a seated section, the best available seats unless `seatIds` names them. */
  quantity?: number;
  /** Seated sections: the seats picked (quantity is then their number). */
  seatIds?: number[];
  /** Seated sections, best available: side by side in one row (default), or the best seats wherever they are. */
  adjacent?: boolean;
}

type Offer = NonNullable<Awaited<ReturnType<typeof repo.offer>>>;

export interface Cart {
  id: number;
  status: 'open' | 'checked_out';
  channelId: number;
  accountId: number | null;
  items: CartItem[];
  /** Sum of the items still held. */
  total: number;
  currency: string | null;
  /** When the first live hold expires. */
  expiresAt: string | null;
  createdAt: string;
}

export function presentCart(cart: CartRow, items: CartItemRow[], now: string): Cart {
  const shown = items
    .filter((i) => i.status !== 'released')
    .map((i) => {
      const expiresAt = toIso(i.expires_at);
      const status: HoldStatus = i.status === 'held' && expiresAt !== null && expiresAt <= now ? 'expired' : (i.status as HoldStatus);
      return {
        id: i.id,
        eventId: i.event_id,
        dateId: i.date_id,
        sectionId: i.section_id,
        tariffId: i.tariff_id,
        quantity: i.quantity,
        unitPrice: i.unit_price,
        currency: i.currency,
        total: i.unit_price * i.quantity,
        status,
        expiresAt,
        seats: seatsOfItem(i),
      };
    });
  const live = shown.filter((i) => i.status === 'held');
  return {
    id: cart.id,
    status: cart.status as Cart['status'],
    channelId: cart.channel_id,
    accountId: cart.account_id,
    items: shown,
    total: live.reduce((sum, i) => sum + i.total, 0),
    currency: shown[0]?.currency ?? null,
    expiresAt: live.map((i) => i.expiresAt!).sort()[0] ?? null,
    createdAt: toIso(cart.created_at)!,
  };
}

/**
 * Who may use a cart or an order: the account it belongs to; for one started without a signed-in
 * buyer, the OAuth client (shop front) that started it; and sellers (box office) of the organization.
 */
export function mayUsePurchase(principal: Principal, purchase: { account_id: number | null; oauth_client_id: number | null; web_session_id?: number | null }): boolean {
  if (principal.scopes.has('sell')) return true;
  if (purchase.account_id !== null) return principal.signedIn && purchase.account_id === principal.accountId;
  // A guest's purchase in a browser belongs to that browser's session.
  if (purchase.web_session_id != null) return principal.credential.kind === 'web_session' && principal.credential.id === purchase.web_session_id;
  return !principal.signedIn && purchase.oauth_client_id !== null && purchase.oauth_client_id === principal.clientId;
}

/** The browser session a guest buys through, if any (guest purchases belong to it). */
export const webSessionOf = (principal: Principal): number | null => (principal.credential.kind === 'web_session' ? principal.credential.id : null);

/** Why a tariff cannot be sold now on this channel, or null when it can. */
type Window = { saleStartsAt: string | null; saleEndsAt: string | null };
/** When a tariff sells on a date: its own sale window, else its event's; sales end when the performance starts at the latest. */
export function saleWindow(tariff: Window, event: Window, dateStartsAt: string): { startsAt: string | null; endsAt: string } {
  return { startsAt: tariff.saleStartsAt ?? event.saleStartsAt, endsAt: tariff.saleEndsAt ?? event.saleEndsAt ?? dateStartsAt };
}

function saleRefusal(offer: Offer, channel: Channel, principal: Principal, now: string): DomainError | null {
  const seller = principal.scopes.has('sell');
  // Sellers (box office) may sell an approved event before it is listed for the public.
  const sellable = offer.event_status === 'listed' || (offer.event_status === 'scheduled' && seller);
  if (!sellable || offer.date_status !== 'scheduled') return new DomainError('NOT_ON_SALE', 'This performance is not on sale');
  // A tariff restricted to no channel is sold on all of them.
  if (!fromFlag(offer.this_channel) && fromFlag(offer.other_channels)) {
    return new DomainError('NOT_ON_SALE', `This tariff is not sold on interface ${channel.id}`);
  }
  // The tariff's own sale window, else the event's; sales end when the performance starts at the latest.
  const { startsAt: saleStartsAt, endsAt } = saleWindow(
    { saleStartsAt: toIso(offer.tariff_sale_starts_at), saleEndsAt: toIso(offer.tariff_sale_ends_at) },
    { saleStartsAt: toIso(offer.event_sale_starts_at), saleEndsAt: toIso(offer.event_sale_ends_at) },
    toIso(offer.date_starts_at)!,
  );
  if (saleStartsAt && now < saleStartsAt) return new DomainError('NOT_ON_SALE', `Not on sale yet: sales open at ${saleStartsAt}`, { sale_starts_at: saleStartsAt });
  if (now >= endsAt) return new DomainError('NOT_ON_SALE', 'No longer on sale', { sale_ended_at: endsAt });
  if (!fromFlag(offer.event_is_public) && !seller) return new DomainError('NOT_ON_SALE', 'This performance is not on sale');
  return null;
}

export function cartService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  const holdExpiry = (t: string) => new Date(new Date(t).getTime() + ctx.config.holdTtlSeconds * 1000).toISOString();

  async function owned(db: Db, principal: Principal, cartId: number): Promise<CartRow> {
    requireScope(principal, 'buy', 'sell');
    const cart = await repo.cart(db, principal.organizationId, cartId);
    if (!cart || !mayUsePurchase(principal, cart)) throw notFound('Cart');
    return cart;
  }

  /** Everything that can refuse an item without writing: checked before the write transaction. */
  async function checkOffer(principal: Principal, item: ItemInput, channel: Channel, t: string) {
    if (item.seatIds !== undefined) {
      if (item.seatIds.length === 0 || new Set(item.seatIds).size !== item.seatIds.length) throw invalid('seat_ids', 'must name distinct seats');
      if (item.quantity !== undefined && item.quantity !== item.seatIds.length) throw invalid('quantity', 'must be the number of seats named, or left out');
      item = { ...item, quantity: item.seatIds.length };
    }
    if (!Number.isInteger(item.quantity) || item.quantity! < 1) throw invalid('quantity', 'must be a positive integer');
    const offer = await repo.offer(database.db, principal.organizationId, item.tariffId, item.dateId, channel.id);
    if (!offer) throw invalid('tariff_id', 'no such tariff on this date');
    if (offer.seats === 0 && (item.seatIds !== undefined || item.adjacent !== undefined)) throw invalid('seat_ids', 'this tariff\'s section has no numbered seats on this date');
    const refusal = saleRefusal(offer, channel, principal, t);
    if (refusal) throw refusal;
    return offer;
  }

  /** The tariff's per-order maximum, counting what the cart already holds of it. */
  async function checkMaxPerOrder(trx: Db, cartId: number, item: ItemInput & { quantity: number }, offer: Offer, t: string, newCartItems?: CartItemRow[]) {
    const max = offer.max_per_order ?? DEFAULT_MAX_PER_ORDER;
    // A cart being created holds only what this request added so far; no need to ask the database.
    const inCart = newCartItems
      ? newCartItems.filter((i) => i.tariff_id === item.tariffId && i.date_id === item.dateId).reduce((sum, i) => sum + i.quantity, 0)
      : await repo.heldQuantity(trx, cartId, item.tariffId, item.dateId, t);
    if (inCart + item.quantity > max) {
      throw new DomainError('OVER_MAX_PER_ORDER', `At most ${max} tickets of this tariff per order`, { max_per_order: max, in_cart: inCart });
    }
  }

  /** A hold's row: what the cart item holds, at the offer's price, until the hold lapses. */
  const holdValues = (principal: Principal, cartId: number, item: ItemInput & { quantity: number }, offer: Offer, t: string) => ({
    organization_id: principal.organizationId,
    cart_id: cartId,
    event_id: offer.event_id,
    date_id: item.dateId,
    section_id: offer.section_id,
    tariff_id: offer.tariff_id,
    capacity_id: offer.capacity_id,
    quantity: item.quantity,
    unit_price: offer.price,
    currency: offer.currency,
    status: 'held' as const,
    expires_at: holdExpiry(t),
    created_at: t,
  });

  /** Takes the places from the date's inventory (the capacity row, and the tariff's quota), or SOLD_OUT. */
  async function takePlaces(trx: Db, principal: Principal, item: ItemInput & { quantity: number }, offer: Offer, t: string) {
    const place = { capacityId: offer.capacity_id, tariffId: offer.tariff_id, dateId: item.dateId, quota: offer.quota, organizationId: principal.organizationId };
    if (!(await inventory.take(trx, place, item.quantity, t))) {
      throw new DomainError('SOLD_OUT', 'Not enough places left for this tariff on this date', { available: await inventory.available(trx, offer.capacity_id, t) });
    }
  }

  /** The locked part: the per-order maximum, the inventory, the hold row. */
  async function hold(trx: Db, principal: Principal, cartId: number, input: ItemInput, offer: Offer, t: string, newCartItems?: CartItemRow[]) {
    const item = { ...input, quantity: input.seatIds?.length ?? input.quantity! };
    if (offer.seats > 0) return holdSeated(trx, principal, cartId, item, offer, t, newCartItems);
    await checkMaxPerOrder(trx, cartId, item, offer, t, newCartItems);
    // The hold row is written first and the inventory row last, right before the commit: the row lock
    // taken on the inventory is then held for as short a time as possible.
    const row = await repo.insertCartItem(trx, holdValues(principal, cartId, item, offer, t));
    await takePlaces(trx, principal, item, offer, t);
    return row;
  }

  /**
   * A seated hold (core/seating): the section's inventory row first (on PostgreSQL its lock also
   * keeps other holds of the section from choosing seats meanwhile), then the seats, named or best
   * available, bound to the hold's row. The general-admission path above never comes here.
   */
  async function holdSeated(trx: Db, principal: Principal, cartId: number, item: ItemInput & { quantity: number }, offer: Offer, t: string, newCartItems?: CartItemRow[]) {
    await checkMaxPerOrder(trx, cartId, item, offer, t, newCartItems);
    await takePlaces(trx, principal, item, offer, t);
    const request = { dateId: item.dateId, sectionId: offer.section_id, seatIds: item.seatIds, quantity: item.quantity, adjacent: item.adjacent ?? true };
    const seats = await chooseSeatsFor(trx, request, t);
    const values = holdValues(principal, cartId, item, offer, t);
    const row = await repo.insertSeatedCartItem(trx, { ...values, order_id: null, seats: JSON.stringify(seats) });
    await claimSeats(trx, request, seats, row.id, values.expires_at, t);
    return row;
  }

  async function load(db: Db, principal: Principal, cartId: number): Promise<Cart> {
    const cart = await owned(db, principal, cartId);
    return presentCart(cart, await repo.cartItems(db, principal.organizationId, cartId), now());
  }

  return {
    /** What a discount code would take off this cart's held places, without using it (checked as the buyer types). */
    async quoteCode(principal: Principal, cartId: number, code: string): Promise<{ code: string; discount: number; total: number; currency: string }> {
      const cart = await load(database.db, principal, cartId);
      const live = cart.items.filter((i) => i.status === 'held');
      if (live.length === 0 || cart.currency === null) throw new DomainError('HOLD_EXPIRED', 'No place is held in this cart any more');
      const quote = await quoteCode(database.db, principal.organizationId, code, live.map((i) => ({ tariffId: i.tariffId, eventId: i.eventId, total: i.total })), cart.currency, now());
      return { code: quote.code, discount: quote.discount, total: cart.total - quote.discount, currency: cart.currency };
    },

    /**
     * Starts a cart, optionally holding its first items in the same transaction (one request for the
     * common case). Sellers may start it for a customer's account (`forAccountId`): the order is then theirs.
     */
    async create(principal: Principal, channel: Channel, items: ItemInput[] = [], options: { forAccountId?: number } = {}): Promise<Cart> {
      requireScope(principal, 'buy', 'sell');
      const t = now();
      let accountId = principal.signedIn ? principal.accountId : null;
      if (options.forAccountId !== undefined && options.forAccountId !== accountId) {
        requireScope(principal, 'sell');
        if (!(await identityRepository.accountById(database.db, options.forAccountId))) throw invalid('customer', 'is not a known account');
        accountId = options.forAccountId;
      }
      const offers: Offer[] = [];
      for (const item of items) offers.push(await checkOffer(principal, item, channel, t));
      // The on-sale's common case on PostgreSQL in one statement (repository: openCartWithHold): one
      // general-admission item without a tariff quota, no Idempotency-Key to claim. The per-order
      // maximum is checked first, as `hold` does for a new cart; when the statement took nothing (the
      // row looks full) the general path below decides, expired holds given back first.
      if (database.engine === 'postgres' && items.length === 1 && offers[0].seats === 0 && offers[0].quota === null && !principal.idempotency) {
        const [item, offer] = [{ ...items[0], quantity: items[0].quantity! }, offers[0]];
        await checkMaxPerOrder(database.db, 0, item, offer, t, []);
        const opened = await repo.openCartWithHold(
          database.db,
          { organization_id: principal.organizationId, channel_id: channel.id, oauth_client_id: principal.clientId, account_id: accountId, web_session_id: webSessionOf(principal), created_at: t },
          {
            event_id: offer.event_id, date_id: item.dateId, section_id: offer.section_id, tariff_id: offer.tariff_id, capacity_id: offer.capacity_id,
            quantity: item.quantity, unit_price: offer.price, currency: offer.currency, expires_at: holdExpiry(t),
          },
        );
        if (opened) return presentCart(opened.cart, [opened.item], t);
      }
      const created = await database.transaction(async (trx) => {
        const cart = await repo.insertCart(trx, {
          organization_id: principal.organizationId,
          channel_id: channel.id,
          oauth_client_id: principal.clientId,
          account_id: accountId,
          web_session_id: webSessionOf(principal),
          status: 'open',
          created_at: t,
          updated_at: t,
        });
        await claimIdempotencyKey(trx, principal, `cart:${cart.id}`, t);
        const held: CartItemRow[] = [];
        for (const [i, item] of items.entries()) held.push(await hold(trx, principal, cart.id, item, offers[i], t, held));
        return { cart, held };
      }, { durable: items.length === 0 });
      return presentCart(created.cart, created.held, t);
    },

    read: (principal: Principal, cartId: number) => load(database.db, principal, cartId),

    /** Holds places for a tariff on a date: the on-sale's hot path, one short transaction. */
    async addItem(principal: Principal, cartId: number, item: ItemInput, channel: Channel): Promise<Cart> {
      const t = now();
      const cart = await owned(database.db, principal, cartId);
      if (cart.status !== 'open') throw new DomainError('CONFLICT', 'This cart has been checked out');
      const offer = await checkOffer(principal, item, channel, t);
      await database.transaction((trx) => hold(trx, principal, cartId, item, offer, t), { durable: false });
      return load(database.db, principal, cartId);
    },

    /** Removes an item and gives its places back at once. */
    async removeItem(principal: Principal, cartId: number, itemId: number): Promise<Cart> {
      await database.transaction(async (trx) => {
        const cart = await owned(trx, principal, cartId);
        if (cart.status !== 'open') throw new DomainError('CONFLICT', 'This cart has been checked out');
        const released = await repo.releaseHold(trx, principal.organizationId, cartId, itemId);
        if (released === undefined) throw notFound('Cart item');
        // A hold that had already expired may have been given back by someone else's attempt already;
        // releaseHold only returns what this release took back.
        if (released) {
          await inventory.giveBack(trx, { capacityId: released.capacity_id, tariffId: released.tariff_id, dateId: released.date_id }, released.quantity);
          await releaseSeats(trx, [released]);
        }
      });
      return load(database.db, principal, cartId);
    },
  };
}

export type CartService = ReturnType<typeof cartService>;
