import { useNavigate } from 'react-router';
import type { paths } from '../shared/api-types.ts';
import { api, inOrganization, unwrap } from '../shared/api.ts';

type CartItems = NonNullable<NonNullable<NonNullable<paths['/api/carts']['post']['requestBody']>['content']['application/json']>['cart']>['items'];

/**
 * Holds the chosen places in a new cart and opens its checkout: the one way the event page's
 * quantity lists and its seat maps reserve. A refusal is thrown for the caller to explain.
 */
export function useReserve(event: { id: number; organization: { id: number } }) {
  const navigate = useNavigate();
  return async (items: NonNullable<CartItems>) => {
    const answer = await unwrap(api.POST('/api/carts', { body: { cart: { items } }, headers: inOrganization(event.organization.id) }));
    navigate(`/checkout/${event.organization.id}/${answer.cart.id}?event=${event.id}`);
  };
}
