import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MantineProvider } from '@mantine/core';
import '@mantine/core/styles.css';
import './shared/app.css';
import './shared/i18n.ts';
import { sessionQuery, SessionProvider } from './shared/session.tsx';
import { eventIdOfPath, shopEventQuery } from './shop/queries.ts';
import { Loading } from './shared/Status.tsx';
import { theme } from './shared/theme.ts';

/**
 * One app, three areas, each a lazy route (its own chunks): a buyer never downloads the back office.
 * Areas own the routes under their prefix. The door app has its own entry (door.html, served at
 * /door): a link to it from here loads that page rather than routing inside this app.
 */
/** A link to the door app loads its own page; the page already at that address is never reloaded. */
function toDoorPage({ request }: { request: Request }) {
  if (new URL(request.url).pathname !== window.location.pathname) window.location.assign(request.url);
  return new Promise<never>(() => {});
}
const area = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({ Component: (await load()).default });
const router = createBrowserRouter([
  { path: '/manage/*', lazy: area(() => import('./manage/index.tsx')) },
  { path: '/door/*', loader: toDoorPage },
  { path: '/account/*', lazy: area(() => import('./account/index.tsx')) },
  { path: '/*', lazy: area(() => import('./shop/index.tsx')) },
], { hydrateFallbackElement: <Loading /> } as never);

const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 15_000, refetchOnWindowFocus: false, retry: 1 } } });
// The page's first requests start now, alongside the area's code (which the server's HTML preloads),
// not after that code has loaded and rendered: an event page shows without waiting for the session.
void queryClient.prefetchQuery(sessionQuery);
const eventId = eventIdOfPath(window.location.pathname);
if (eventId) void queryClient.prefetchQuery(shopEventQuery(eventId));


createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
