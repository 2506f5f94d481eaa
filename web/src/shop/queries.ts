import { api, unwrap } from '../shared/api.ts';

/**
 * The event page's query, shared by the page, the checkout and the app's entry (main.tsx), which
 * starts it as soon as the app runs on an event page, alongside the shop's code instead of after it.
 * Kept apart from the pages so the entry imports only this.
 */
export const shopEventQuery = (id: string | number) => ({
  queryKey: ['shop-event', String(id)],
  queryFn: () => unwrap(api.GET('/api/shop/events/{id}', { params: { path: { id: Number(id) } } })),
});

/** The event whose page this address is, if it is one (the server preloads the same, see src/http/web-app.ts). */
export const eventIdOfPath = (pathname: string) => /^\/events\/(\d{1,9})\/?$/.exec(pathname)?.[1] ?? null;
