import './locales.ts';
import { Route, Routes } from 'react-router';
import { Layout } from '../shared/Layout.tsx';
import { NotFound } from '../shared/Status.tsx';
import { Home, Storefront } from './Events.tsx';
import { EventPage } from './EventPage.tsx';
import { Checkout } from './Checkout.tsx';
import { OrderPage } from './OrderPage.tsx';

/** The shop: events of every organization, an organization's storefront, event pages, checkout and orders. */
export default function ShopArea() {
  return (
    <Layout>
      <Routes>
        <Route index element={<Home />} />
        <Route path="o/:slug" element={<Storefront />} />
        <Route path="events/:id" element={<EventPage />} />
        <Route path="checkout/:organization/:cart" element={<Checkout />} />
        <Route path="orders/:token" element={<OrderPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Layout>
  );
}
