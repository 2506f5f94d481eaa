import { sql, type Insertable, type RawBuilder, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CartItemsTable, CartsTable, OrderLinesTable, OrdersTable, PaymentsTable, TicketsTable } from '../../db/tables.ts';
import { paged } from '../../db/paging.ts';
import { foldText } from '../../db/fold.ts';
import { prepared, preparedInsert } from '../../db/prepared.ts';
import type { Page } from '../pagination.ts';
import { roomFor } from './inventory.ts';

/** A hold that can still be sold: held, and not past its time (the rule of every statement that sells holds). */
const liveHold = (now: unknown) => sql<boolean>`status = 'held' and expires_at > ${now}`;

/** The columns of rows given as objects of one shape (the statement's text stays the same from call to call). */
const columnList = (row: object) => sql.join(Object.keys(row).map((c) => sql.ref(c)));

/** A row read back as JSON from a data-modifying CTE (PostgreSQL): instants come as ISO strings, which toIso reads. */
const rowOf = <T>(json: unknown) => json as T;

export type CartRow = Selectable<CartsTable>;
export type CartItemRow = Selectable<CartItemsTable>;
export type OrderRow = Selectable<OrdersTable>;
export type OrderLineRow = Selectable<OrderLinesTable>;
export type PaymentRow = Selectable<PaymentsTable>;
export type TicketRow = Selectable<TicketsTable>;

export interface OrderFilter {
  accountId?: number;
  /** Orders placed through this OAuth client without a signed-in buyer. */
  clientId?: number;
  status?: string;
  eventId?: number;
  from?: string;
  to?: string;
  /** Order number (exact, any case), or part of the buyer's name or e-mail (case- and accent-insensitive). */
  search?: string;
  /** Newest first by default. */
  sort?: OrderSort;
}
export const ORDER_SORTS = ['created_at', '-created_at', 'total', '-total', 'number', '-number', 'buyer_name', '-buyer_name'] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];

// The on-sale's statements, built once (see prepared.ts).
const hot = {
  insertCart: preparedInsert('carts', ['organization_id', 'channel_id', 'oauth_client_id', 'account_id', 'web_session_id', 'status', 'created_at', 'updated_at']),
  cart: prepared((db, p: { organizationId: number; id: number }) => db.selectFrom('carts').selectAll().where('organization_id', '=', p.organizationId).where('id', '=', p.id)),
  cartItems: prepared((db, p: { organizationId: number; cartId: number }) =>
    db
      .selectFrom('cart_items')
      .selectAll()
      // Whether the item's event asks questions: a checkout reads them only then (one statement fewer).
      .select((eb) => eb.exists(eb.selectFrom('questions').select('questions.id').whereRef('questions.event_id', '=', 'cart_items.event_id')).as('asks_questions'))
      // Whether the item's event requires a name per ticket (checked at checkout, no statement of its own).
      .select((eb) => eb.exists(eb.selectFrom('events').select('events.id').whereRef('events.id', '=', 'cart_items.event_id').where('events.holder_names', '=', 'required')).as('names_required'))
      .where('organization_id', '=', p.organizationId)
      .where('cart_id', '=', p.cartId)
      .orderBy('id'),
  ),
  checkOutCart: prepared((db, p: { organizationId: number; id: number; now: string }) =>
    db
      .updateTable('carts')
      .set({ status: 'checked_out', updated_at: p.now })
      .where('organization_id', '=', p.organizationId)
      .where('id', '=', p.id)
      .where('status', '=', 'open')
      .returningAll(),
  ),
  insertCartItem: preparedInsert('cart_items', [
    'organization_id', 'cart_id', 'event_id', 'date_id', 'section_id', 'tariff_id', 'capacity_id', 'quantity', 'unit_price', 'currency', 'status', 'expires_at', 'order_id', 'created_at',
  ]),
  // A seated hold also records its seats (core/seating).
  insertSeatedCartItem: preparedInsert('cart_items', [
    'organization_id', 'cart_id', 'event_id', 'date_id', 'section_id', 'tariff_id', 'capacity_id', 'quantity', 'unit_price', 'currency', 'status', 'expires_at', 'order_id', 'seats', 'created_at',
  ]),
  claimHolds: prepared((db, p: { orderId: number; until: string; cartId: number; now: string }) =>
    db.updateTable('cart_items').set({ order_id: p.orderId, expires_at: p.until }).where('cart_id', '=', p.cartId).where('status', '=', 'held').where('expires_at', '>', p.now).returningAll(),
  ),
  sellCartHolds: prepared((db, p: { orderId: number; cartId: number; now: string }) =>
    db.updateTable('cart_items').set({ order_id: p.orderId, status: 'sold', expires_at: null }).where('cart_id', '=', p.cartId).where(liveHold(p.now)).returningAll(),
  ),
  sellHolds: prepared((db, p: { orderId: number; now: string }) =>
    db.updateTable('cart_items').set({ status: 'sold', expires_at: null }).where('order_id', '=', p.orderId).where('status', '=', 'held').where('expires_at', '>', p.now).returning(['id', 'seats']),
  ),
  insertOrder: preparedInsert('orders', [
    'organization_id', 'number', 'cart_id', 'channel_id', 'oauth_client_id', 'account_id', 'web_session_id', 'status', 'currency', 'subtotal', 'discount', 'total',
    'code_id', 'buyer_name', 'buyer_email', 'expires_at', 'paid_at', 'cancelled_at', 'created_at', 'updated_at',
  ]),
  payOrder: prepared((db, p: { now: string; id: number }) =>
    db.updateTable('orders').set({ status: 'paid', paid_at: p.now, expires_at: null, updated_at: p.now }).where('id', '=', p.id).where('status', '=', 'pending').returningAll(),
  ),
  insertLine: preparedInsert('order_lines', [
    'organization_id', 'order_id', 'cart_item_id', 'event_id', 'date_id', 'section_id', 'tariff_id', 'channel_id', 'quantity', 'unit_price', 'discount', 'total', 'created_at',
  ]),
  insertPayment: preparedInsert('payments', [
    'organization_id', 'order_id', 'provider', 'method', 'status', 'amount', 'currency', 'reference', 'card_last4', 'failure_reason', 'created_at', 'updated_at',
  ]),
  offer: prepared((db, p: { organizationId: number; tariffId: number; dateId: number; channelId: number }) =>
    db
      .selectFrom('tariffs')
      .innerJoin('events', 'events.id', 'tariffs.event_id')
      .innerJoin('event_dates', (join) => join.onRef('event_dates.event_id', '=', 'tariffs.event_id').on('event_dates.id', '=', p.dateId))
      .innerJoin('section_capacities', (join) =>
        join.onRef('section_capacities.section_id', '=', 'tariffs.section_id').onRef('section_capacities.date_id', '=', 'event_dates.id'),
      )
      .select([
        'tariffs.id as tariff_id',
        'tariffs.event_id',
        'tariffs.section_id',
        'tariffs.price',
        'tariffs.currency',
        'tariffs.max_per_order',
        'tariffs.quota',
        'tariffs.sale_starts_at as tariff_sale_starts_at',
        'tariffs.sale_ends_at as tariff_sale_ends_at',
        'events.status as event_status',
        'events.is_public as event_is_public',
        'events.sale_starts_at as event_sale_starts_at',
        'events.sale_ends_at as event_sale_ends_at',
        'event_dates.status as date_status',
        'event_dates.starts_at as date_starts_at',
        'section_capacities.id as capacity_id',
        // Seats of a seated section (core/seating), 0 for general admission.
        'section_capacities.seats as seats',
        (eb) =>
          eb
            .exists(eb.selectFrom('tariff_channels').select('tariff_channels.tariff_id').whereRef('tariff_channels.tariff_id', '=', 'tariffs.id').where('tariff_channels.channel_id', '!=', p.channelId))
            .as('other_channels'),
        (eb) =>
          eb
            .exists(eb.selectFrom('tariff_channels').select('tariff_channels.tariff_id').whereRef('tariff_channels.tariff_id', '=', 'tariffs.id').where('tariff_channels.channel_id', '=', p.channelId))
            .as('this_channel'),
      ])
      .where('tariffs.organization_id', '=', p.organizationId)
      .where('tariffs.id', '=', p.tariffId),
  ),
  setPendingTickets: prepared((db, p: { status: string; now: string; orderId: number }) =>
    db.updateTable('tickets').set({ status: p.status, updated_at: p.now }).where('order_id', '=', p.orderId).where('status', '=', 'pending').returningAll(),
  ),
};

/**
 * SQL for carts, holds, orders, lines, payments and tickets. Lookups by id from a request take the
 * organization; statements on rows the service has already loaded for that organization go by id.
 */
export const sellingRepository = {
  /** The events among these that require a name per ticket at checkout (migration 018). */
  async eventsRequiringNames(db: Db, organizationId: number, eventIds: number[]) {
    if (eventIds.length === 0) return [];
    return db.selectFrom('events').select(['id', 'title']).where('organization_id', '=', organizationId).where('id', 'in', eventIds).where('holder_names', '=', 'required').execute();
  },
  insertCart: hot.insertCart,
  /**
   * PostgreSQL: a new cart holding one general-admission item, in ONE statement (one round trip,
   * its own transaction): the places are taken on the capacity row by the inventory's rule
   * (`roomFor`), and the cart and its hold are written only if they were. Nothing is written when
   * the row looks full; the caller then takes the general path (which gives back expired holds and
   * says SOLD_OUT). Like the transaction it replaces, it does not wait for the WAL flush: a hold may
   * be lost in a crash without harm, and the capacity row's lock is held the shortest time.
   */
  async openCartWithHold(
    db: Db,
    cart: Pick<Insertable<CartsTable>, 'organization_id' | 'channel_id' | 'oauth_client_id' | 'account_id' | 'web_session_id' | 'created_at'>,
    item: Pick<Insertable<CartItemsTable>, 'event_id' | 'date_id' | 'section_id' | 'tariff_id' | 'capacity_id' | 'quantity' | 'unit_price' | 'currency' | 'expires_at'>,
  ): Promise<{ cart: CartRow; item: CartItemRow } | null> {
    const result = await sql<{ cart: unknown; item: unknown }>`
      with relaxed as (select set_config('synchronous_commit', 'off', true)),
      taken as (
        update section_capacities set taken = taken + ${item.quantity}::int
        where id = ${item.capacity_id}::int and ${roomFor(sql`${item.quantity}::int`)} and exists (select from relaxed)
        returning id
      ),
      cart as (
        insert into carts (organization_id, channel_id, oauth_client_id, account_id, web_session_id, status, created_at, updated_at)
        select ${cart.organization_id}::int, ${cart.channel_id}::int, ${cart.oauth_client_id ?? null}::int, ${cart.account_id ?? null}::int, ${cart.web_session_id ?? null}::int, 'open', ${cart.created_at}::timestamptz, ${cart.created_at}::timestamptz
        from taken
        returning *
      ),
      item as (
        insert into cart_items (organization_id, cart_id, event_id, date_id, section_id, tariff_id, capacity_id, quantity, unit_price, currency, status, expires_at, created_at)
        select cart.organization_id, cart.id, ${item.event_id}::int, ${item.date_id}::int, ${item.section_id}::int, ${item.tariff_id}::int, ${item.capacity_id}::int, ${item.quantity}::int, ${item.unit_price}::int, ${item.currency}::text, 'held', ${item.expires_at}::timestamptz, cart.created_at
        from cart
        returning *
      )
      select to_json(cart) as cart, to_json(item) as item from cart, item`.execute(db);
    const row = result.rows[0];
    return row ? { cart: rowOf<CartRow>(row.cart), item: rowOf<CartItemRow>(row.item) } : null;
  },
  cart(db: Db, organizationId: number, id: number) {
    return hot.cart(db, { organizationId, id }).then((r) => r.rows[0]);
  },
  cartItems(db: Db, organizationId: number, cartId: number) {
    return hot.cartItems(db, { organizationId, cartId }).then((r) => r.rows);
  },
  /** Takes an open cart for checkout (its row as it is now), or undefined when it is not an open cart of this organization. */
  checkOutCart(db: Db, organizationId: number, id: number, now: string) {
    return hot.checkOutCart(db, { organizationId, id, now }).then((r) => r.rows[0]);
  },
  /**
   * Takes an open cart for checkout: the cart's row as it is now and its items (with whether their
   * event asks questions), or undefined when it is not an open cart of this organization. PostgreSQL:
   * one statement, which also draws from the sequences the ids of the order, of its lines (one per
   * held or expired item) and of its tickets, so that the order can be written, its tickets signed,
   * in one more statement (`placePaidOrder`). SQLite: the two statements, no ids drawn.
   */
  async claimCartForCheckout(db: Db, engine: 'sqlite' | 'postgres', organizationId: number, id: number, now: string) {
    type Item = CartItemRow & { asks_questions: boolean | number; names_required: boolean | number };
    if (engine === 'sqlite') {
      const cart = await this.checkOutCart(db, organizationId, id, now);
      if (!cart) return undefined;
      return { cart, items: (await this.cartItems(db, organizationId, id)) as Item[], ids: null };
    }
    const result = await sql<{ cart: unknown; items: unknown; order_id: number; line_ids: string[]; ticket_ids: string[] }>`
      with cart as (
        update carts set status = 'checked_out', updated_at = ${now}::timestamptz
        where organization_id = ${organizationId}::int and id = ${id}::int and status = 'open'
        returning *
      ),
      items as (
        select i.*, exists (select from questions q where q.event_id = i.event_id) as asks_questions,
          exists (select from events e where e.id = i.event_id and e.holder_names = 'required') as names_required
        from cart_items i where i.organization_id = ${organizationId}::int and i.cart_id = ${id}::int and exists (select from cart)
      ),
      ordered as (select * from items where status in ('held', 'expired'))
      select to_json(cart) as cart,
        (select coalesce(json_agg(items order by items.id), '[]') from items) as items,
        nextval(pg_get_serial_sequence('orders', 'id')) as order_id,
        (select coalesce(array_agg(nextval(pg_get_serial_sequence('order_lines', 'id'))), '{}') from ordered) as line_ids,
        (select coalesce(array_agg(nextval(pg_get_serial_sequence('tickets', 'id'))), '{}') from ordered, generate_series(1, ordered.quantity)) as ticket_ids
      from cart`.execute(db);
    const row = result.rows[0];
    if (!row) return undefined;
    return {
      cart: rowOf<CartRow>(row.cart),
      items: rowOf<Item[]>(row.items),
      ids: { order: Number(row.order_id), lines: row.line_ids.map(Number), tickets: row.ticket_ids.map(Number) },
    };
  },
  /**
   * PostgreSQL: writes a paid order in ONE statement — the cart's live holds sold, the order, its
   * lines, its tickets with their signatures (ids drawn by `claimCartForCheckout`), the sales
   * tallies, the outbox row and the payment — inside the checkout's transaction. Returns how many
   * holds were sold (the caller fails the transaction unless all were) and the rows written.
   */
  async placePaidOrder(
    db: Db,
    write: {
      cartId: number;
      now: string;
      order: Insertable<OrdersTable> & { id: number };
      lines: (Insertable<OrderLinesTable> & { id: number })[];
      tickets: (Insertable<TicketsTable> & { id: number })[];
      tallies: { sql: (rows: string) => RawBuilder<unknown>; rows: object[] };
      outbox: object | null;
      payments: Insertable<PaymentsTable>[];
    },
  ) {
    const { order, lines, tickets, payments, outbox } = write;
    const insert = (table: string, rows: object[]) =>
      sql`insert into ${sql.table(table)} (${columnList(rows[0])}) select ${columnList(rows[0])} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)`;
    const result = await sql<{ sold: number; order: unknown; lines: unknown; tickets: unknown; payments: unknown }>`
      with sold as (
        update cart_items set order_id = ${order.id}::int, status = 'sold', expires_at = null
        where cart_id = ${write.cartId}::int and ${liveHold(sql`${write.now}::timestamptz`)}
        returning id
      ),
      o as (${insert('orders', [order])} returning *),
      l as (${insert('order_lines', lines)} returning *),
      t as (${insert('tickets', tickets)} on conflict (organization_id, barcode) do nothing returning *),
      ta as (${write.tallies.sql(JSON.stringify(write.tallies.rows))})
      ${outbox ? sql`, ob as (${insert('outbox_messages', [outbox])})` : sql``}
      ${payments.length > 0 ? sql`, pa as (${insert('payments', payments)} returning *)` : sql``}
      select (select count(*) from sold) as sold, (select to_json(o) from o) as "order",
        (select json_agg(l order by l.id) from l) as lines, (select coalesce(json_agg(t order by t.id), '[]') from t) as tickets,
        ${payments.length > 0 ? sql`(select json_agg(pa order by pa.id) from pa)` : sql`'[]'::json`} as payments`.execute(db);
    const row = result.rows[0];
    return {
      sold: Number(row.sold),
      order: rowOf<OrderRow>(row.order),
      lines: rowOf<OrderLineRow[]>(row.lines),
      tickets: rowOf<TicketRow[]>(row.tickets),
      payments: rowOf<PaymentRow[]>(row.payments),
    };
  },
  insertCartItem: hot.insertCartItem,
  insertSeatedCartItem: hot.insertSeatedCartItem,
  /** Places of a tariff on a date already held live in a cart (for the per-order maximum). */
  async heldQuantity(db: Db, cartId: number, tariffId: number, dateId: number, now: string) {
    const row = await db
      .selectFrom('cart_items')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('quantity'), sql<number>`0`).as('n'))
      .where('cart_id', '=', cartId)
      .where('tariff_id', '=', tariffId)
      .where('date_id', '=', dateId)
      .where('status', '=', 'held')
      .where('expires_at', '>', now)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
  /**
   * Releases one hold of a cart: the row if this call released places still counted, null if the
   * item exists but no longer holds anything, undefined if there is no such item.
   */
  async releaseHold(db: Db, organizationId: number, cartId: number, itemId: number) {
    const released = await db
      .updateTable('cart_items')
      .set({ status: 'released' })
      .where('organization_id', '=', organizationId)
      .where('cart_id', '=', cartId)
      .where('id', '=', itemId)
      .where('status', '=', 'held')
      .returning(['id', 'capacity_id', 'tariff_id', 'date_id', 'quantity', 'seats'])
      .executeTakeFirst();
    if (released) return released;
    // An item whose hold expired (and was already given back) is simply removed from view.
    const expired = await db
      .updateTable('cart_items')
      .set({ status: 'released' })
      .where('organization_id', '=', organizationId)
      .where('cart_id', '=', cartId)
      .where('id', '=', itemId)
      .where('status', '=', 'expired')
      .returning('id')
      .executeTakeFirst();
    return expired ? null : undefined;
  },

  /**
   * Everything needed to sell a tariff on a date through a channel, in one read: the tariff, its
   * event, the date, the capacity row, and whether the tariff is restricted to channels other than this one.
   */
  offer(db: Db, organizationId: number, tariffId: number, dateId: number, channelId: number) {
    return hot.offer(db, { organizationId, tariffId, dateId, channelId }).then((r) => r.rows[0]);
  },

  /** Re-arms the live holds of a cart for the payment window and ties them to the order; returns them. */
  async claimHolds(db: Db, cartId: number, orderId: number, until: string, now: string) {
    return (await hot.claimHolds(db, { orderId, until, cartId, now })).rows;
  },
  /** Turns a cart's live holds into sales of an order paid at checkout; returns them. */
  sellCartHolds(db: Db, cartId: number, orderId: number, now: string) {
    return hot.sellCartHolds(db, { orderId, cartId, now }).then((r) => r.rows);
  },
  /** Turns an order's live holds into sales; returns those that were still live. */
  async sellHolds(db: Db, orderId: number, now: string) {
    return (await hot.sellHolds(db, { orderId, now })).rows;
  },
  /** Releases an order's remaining holds (cancelled or expired order); returns what they held. */
  releaseOrderHolds(db: Db, orderId: number) {
    return db
      .updateTable('cart_items')
      .set({ status: 'released' })
      .where('order_id', '=', orderId)
      .where('status', '=', 'held')
      .returning(['id', 'capacity_id', 'tariff_id', 'date_id', 'quantity', 'seats'])
      .execute();
  },

  insertOrder: hot.insertOrder,
  order(db: Db, organizationId: number, id: number) {
    return db.selectFrom('orders').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  },
  /** Moves an order from one status to another; false when it was no longer in `from` (a concurrent change won). */
  async transitionOrder(db: Db, id: number, from: string[], values: Partial<Insertable<OrdersTable>> & { status: string }) {
    const result = await db.updateTable('orders').set(values).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
  /** pending → paid; the paid order, or nothing if it was no longer pending. */
  payOrder(db: Db, id: number, now: string) {
    return hot.payOrder(db, { now, id }).then((r) => r.rows[0]);
  },
  async addRefunded(db: Db, id: number, amount: number, status: string, now: string) {
    await db.updateTable('orders').set({ refunded_amount: sql`refunded_amount + ${amount}`, status, updated_at: now }).where('id', '=', id).execute();
  },
  listOrders(db: Db, organizationId: number, page: Page, filter: OrderFilter) {
    let query = db.selectFrom('orders').where('organization_id', '=', organizationId);
    if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
    if (filter.clientId !== undefined) query = query.where('oauth_client_id', '=', filter.clientId).where('account_id', 'is', null);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.from) query = query.where('created_at', '>=', filter.from);
    if (filter.to) query = query.where('created_at', '<', filter.to);
    if (filter.eventId !== undefined) {
      const eventId = filter.eventId;
      query = query.where((eb) => eb.exists(eb.selectFrom('order_lines').select('id').whereRef('order_lines.order_id', '=', 'orders.id').where('order_lines.event_id', '=', eventId)));
    }
    if (filter.search) {
      const number = filter.search.trim().toUpperCase();
      const pattern = `%${(foldText(filter.search.trim()) ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or([
          eb('number', '=', number),
          eb(sql`guichet_fold(buyer_name)`, 'like', sql`${pattern} escape '\\'`),
          eb(sql`lower(buyer_email)`, 'like', sql`${pattern} escape '\\'`),
        ]),
      );
    }
    const sort = filter.sort ?? '-created_at';
    const column = sort.replace(/^-/, '') as 'created_at' | 'total' | 'number' | 'buyer_name';
    const direction = sort.startsWith('-') ? 'desc' : 'asc';
    return paged(query, page, (q) => q.selectAll().orderBy(column, direction).orderBy('id', direction));
  },
  refundsOf(db: Db, organizationId: number, orderId: number) {
    return db.selectFrom('refunds').selectAll().where('organization_id', '=', organizationId).where('order_id', '=', orderId).orderBy('id').execute();
  },
  /** Transfers that moved tickets of an order, with how many of its tickets each carried. */
  transfersOfOrder(db: Db, organizationId: number, orderId: number) {
    return db
      .selectFrom('transfers')
      .innerJoin('transfer_tickets', 'transfer_tickets.transfer_id', 'transfers.id')
      .innerJoin('tickets', 'tickets.id', 'transfer_tickets.ticket_id')
      .select(['transfers.id', 'transfers.status', 'transfers.recipient_email', 'transfers.created_at', 'transfers.resolved_at', sql<number>`count(*)`.as('tickets')])
      .where('transfers.organization_id', '=', organizationId)
      .where('tickets.order_id', '=', orderId)
      .groupBy(['transfers.id', 'transfers.status', 'transfers.recipient_email', 'transfers.created_at', 'transfers.resolved_at'])
      .orderBy('transfers.id')
      .execute();
  },
  /** Pending orders whose payment window has closed. */
  staleOrders(db: Db, now: string, limit: number) {
    return db.selectFrom('orders').select(['id', 'organization_id']).where('status', '=', 'pending').where('expires_at', '<=', now).limit(limit).execute();
  },

  /** One statement per line: an order has one or two lines, and each shape is prepared once. */
  async insertLines(db: Db, values: Insertable<OrderLinesTable>[]) {
    const lines: OrderLineRow[] = [];
    for (const line of values) lines.push(await hot.insertLine(db, line));
    return lines;
  },
  lines(db: Db, orderIds: number[]) {
    if (orderIds.length === 0) return Promise.resolve([] as OrderLineRow[]);
    return db.selectFrom('order_lines').selectAll().where('order_id', 'in', orderIds).orderBy('id').execute();
  },
  async addRefundedQuantity(db: Db, lineId: number, quantity: number) {
    await db.updateTable('order_lines').set({ refunded_quantity: sql`refunded_quantity + ${quantity}` }).where('id', '=', lineId).execute();
  },
  saleDetails(db: Db, organizationId: number, page: Page, filter: { eventId?: number; dateId?: number; channelId?: number; from?: string; to?: string }) {
    let query = db
      .selectFrom('order_lines')
      .innerJoin('orders', 'orders.id', 'order_lines.order_id')
      .where('order_lines.organization_id', '=', organizationId)
      .where('orders.status', 'in', ['paid', 'partially_refunded', 'refunded']);
    if (filter.eventId !== undefined) query = query.where('order_lines.event_id', '=', filter.eventId);
    if (filter.dateId !== undefined) query = query.where('order_lines.date_id', '=', filter.dateId);
    if (filter.channelId !== undefined) query = query.where('order_lines.channel_id', '=', filter.channelId);
    if (filter.from) query = query.where('orders.paid_at', '>=', filter.from);
    if (filter.to) query = query.where('orders.paid_at', '<', filter.to);
    return paged(query, page, (q) =>
      q.selectAll('order_lines').select(['orders.number as order_number', 'orders.status as order_status', 'orders.paid_at', 'orders.currency']).orderBy('order_lines.id'),
    );
  },

  insertPayment: hot.insertPayment,
  payments(db: Db, orderIds: number[]) {
    if (orderIds.length === 0) return Promise.resolve([] as PaymentRow[]);
    return db.selectFrom('payments').selectAll().where('order_id', 'in', orderIds).orderBy('id').execute();
  },
  payment(db: Db, organizationId: number, orderId: number, id: number) {
    return db.selectFrom('payments').selectAll().where('organization_id', '=', organizationId).where('order_id', '=', orderId).where('id', '=', id).executeTakeFirst();
  },
  async setPaymentStatus(db: Db, id: number, from: string, status: string, now: string, failureReason: string | null = null) {
    const result = await db.updateTable('payments').set({ status, updated_at: now, failure_reason: failureReason }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
  async insertRefund(db: Db, values: { organization_id: number; order_id: number; amount: number; reason: string | null; created_at: string }) {
    await db.insertInto('refunds').values(values).execute();
  },

  ticketsOfOrders(db: Db, orderIds: number[]) {
    if (orderIds.length === 0) return Promise.resolve([] as TicketRow[]);
    return db.selectFrom('tickets').selectAll().where('order_id', 'in', orderIds).orderBy('id').execute();
  },
  /** Marks valid tickets of an order refunded; returns those that changed. */
  refundTickets(db: Db, orderId: number, ticketIds: number[] | null, now: string) {
    let query = db.updateTable('tickets').set({ status: 'refunded', updated_at: now }).where('order_id', '=', orderId).where('status', '=', 'valid');
    if (ticketIds) query = query.where('id', 'in', ticketIds);
    return query.returningAll().execute();
  },
  /** The order's pending tickets become valid (paid) or cancelled (order cancelled or expired). */
  setPendingTickets(db: Db, orderId: number, status: 'valid' | 'cancelled', now: string) {
    return hot.setPendingTickets(db, { status, now, orderId }).then((r) => r.rows);
  },
  async hasValidTickets(db: Db, orderId: number) {
    return Boolean(await db.selectFrom('tickets').select('id').where('order_id', '=', orderId).where('status', '=', 'valid').limit(1).executeTakeFirst());
  },
};
