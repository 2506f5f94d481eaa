import type { Principal } from '../identity/principal.ts';
import type { Channel } from '../catalog/channels.ts';
import type { CartService, ItemInput } from './carts.ts';
import type { CheckoutInput, Order, OrderService } from './orders.ts';

/**
 * An order placed in one call, for dialects without carts (TickeTing `POST /orders`): the places are
 * held in a new cart, which is checked out at once. When the checkout is refused, the holds are given
 * back at once rather than left to expire.
 */
export function directOrderService(carts: CartService, orders: OrderService) {
  return {
    async place(principal: Principal, channel: Channel, items: ItemInput[], input: CheckoutInput & { forAccountId?: number }): Promise<Order> {
      const { forAccountId, ...checkout } = input;
      const cart = await carts.create(principal, channel, items, { forAccountId });
      try {
        return await orders.checkout(principal, cart.id, checkout);
      } catch (error) {
        for (const item of cart.items) await carts.removeItem(principal, cart.id, item.id).catch(() => undefined);
        throw error;
      }
    },
  };
}
