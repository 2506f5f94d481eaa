import './locales.ts';
import './locales-tools.ts';
import './locales-events.ts';
import type { ReactNode } from 'react';
import { Alert, Anchor, Button, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { Link, NavLink, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Layout } from '../shared/Layout.tsx';
import { Loading, NotFound } from '../shared/Status.tsx';
import { usePageTitle } from '../shared/page.ts';
import { useSession } from '../shared/session.tsx';
import { ManageProvider, useManage, type Right } from './context.tsx';
import { Dashboard } from './Dashboard.tsx';
import { EventCreate, EventDetail, EventList } from './Events.tsx';
import { EventPreview } from './EventPreview.tsx';
import { OrderDetail, OrderList } from './Orders.tsx';
import { BoxOffice } from './BoxOffice.tsx';
import { Join, Members } from './Members.tsx';
import { SeatMapGenerator } from './SeatMapGenerator.tsx';
import { Codes, Guests, Holds, HOLDS_RIGHTS } from './Selling.tsx';
import { Exports, Promotions, PROMOTIONS_RIGHTS, TicketCounts } from './Reports.tsx';
import { DoorSetup, DOOR_SETUP_RIGHTS, Partners, Settings } from './Access.tsx';

/**
 * The pages of the back office and the right each needs (the server's own names, GET /api/access);
 * where a page names the calls it makes, the rights those calls need (rights.ts).
 */
export const PAGES: { path: string; key: string; right: Right | readonly Right[] }[] = [
  { path: '/manage', key: 'dashboard', right: 'reporting' },
  { path: '/manage/events', key: 'events', right: 'catalog' },
  { path: '/manage/orders', key: 'orders', right: 'orders' },
  { path: '/manage/box-office', key: 'boxOffice', right: 'box_office' },
  { path: '/manage/codes', key: 'codes', right: 'selling' },
  { path: '/manage/guests', key: 'guests', right: 'selling' },
  { path: '/manage/holds', key: 'holds', right: HOLDS_RIGHTS.read },
  { path: '/manage/ticket-counts', key: 'counts', right: 'reporting' },
  { path: '/manage/promotions', key: 'promotions', right: PROMOTIONS_RIGHTS.read },
  { path: '/manage/exports', key: 'exports', right: 'reporting' },
  { path: '/manage/door-setup', key: 'doorSetup', right: DOOR_SETUP_RIGHTS.read },
  { path: '/manage/partners', key: 'partners', right: 'access' },
  { path: '/manage/settings', key: 'settings', right: 'access' },
  { path: '/manage/members', key: 'members', right: 'members' },
];

/** A page the member's role does not open: said plainly, never half-shown. */
function Guard({ right, children }: { right: Right | readonly Right[]; children: ReactNode }) {
  const { t } = useTranslation('manage');
  const { access, can } = useManage();
  if (!access) return <Loading />;
  if (!can(right)) return <Alert color="yellow" role="alert">{t('forbidden')}</Alert>;
  return <>{children}</>;
}

function Navigation() {
  const { t } = useTranslation('manage');
  const { access, can, membership, memberships, choose } = useManage();
  if (!access) return null;
  return (
    <Stack gap="xs" mb="lg">
      <Group justify="space-between" wrap="wrap">
        <Group component="nav" aria-label={t('title')} gap="md" wrap="wrap">
          {PAGES.filter((p) => can(p.right)).map((p) => (
            <Anchor key={p.key} component={NavLink} to={p.path} end fw={600}>
              {t(`nav.${p.key}`)}
            </Anchor>
          ))}
          {can('door') && (
            <Anchor href="/door" fw={600}>
              {t('nav.door')}
            </Anchor>
          )}
        </Group>
        <Group gap="xs">
          {memberships.length > 1 ? (
            <NativeSelect
              aria-label={t('organization')}
              size="xs"
              value={String(membership.organization_id)}
              onChange={(e) => choose(Number(e.currentTarget.value))}
              data={memberships.map((m) => ({ value: String(m.organization_id), label: m.name }))}
            />
          ) : (
            <Text size="sm" fw={600}>{membership.name}</Text>
          )}
          <Text size="sm" c="gray.7">{t(`role.${membership.role}`)}</Text>
        </Group>
      </Group>
    </Stack>
  );
}

/** Where a member lands: their first page (door staff go to the door app). */
function Home() {
  const { access, can } = useManage();
  const { t } = useTranslation('manage');
  if (!access) return <Loading />;
  if (can('reporting')) return <Dashboard />;
  if (can('orders')) return <OrderList />;
  return (
    <Stack>
      <Title order={1}>{t('title')}</Title>
      {can('door') && <Button component="a" href="/door" w="fit-content">{t('nav.door')}</Button>}
    </Stack>
  );
}

function ManagePages() {
  return (
    <>
      <Navigation />
      <Routes>
        <Route index element={<Home />} />
        <Route path="events" element={<Guard right="catalog"><EventList /></Guard>} />
        <Route path="events/new" element={<Guard right="catalog"><EventCreate /></Guard>} />
        <Route path="events/:id" element={<Guard right="catalog"><EventDetail /></Guard>} />
        <Route path="events/:id/seat-map" element={<Guard right="catalog"><SeatMapGenerator /></Guard>} />
        <Route path="events/:id/preview" element={<Guard right="catalog"><EventPreview /></Guard>} />
        <Route path="orders" element={<Guard right="orders"><OrderList /></Guard>} />
        <Route path="orders/:id" element={<Guard right="orders"><OrderDetail /></Guard>} />
        <Route path="box-office" element={<Guard right="box_office"><BoxOffice /></Guard>} />
        <Route path="members" element={<Guard right="members"><Members /></Guard>} />
        <Route path="codes" element={<Guard right="selling"><Codes /></Guard>} />
        <Route path="guests" element={<Guard right="selling"><Guests /></Guard>} />
        <Route path="holds" element={<Guard right={HOLDS_RIGHTS.read}><Holds /></Guard>} />
        <Route path="ticket-counts" element={<Guard right="reporting"><TicketCounts /></Guard>} />
        <Route path="exports" element={<Guard right="reporting"><Exports /></Guard>} />
        <Route path="promotions" element={<Guard right={PROMOTIONS_RIGHTS.read}><Promotions /></Guard>} />
        <Route path="door-setup" element={<Guard right={DOOR_SETUP_RIGHTS.read}><DoorSetup /></Guard>} />
        <Route path="partners" element={<Guard right="access"><Partners /></Guard>} />
        <Route path="settings" element={<Guard right="access"><Settings /></Guard>} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </>
  );
}

/** The back office at /manage: for members of an organization, the pages their role opens. */
export default function ManageArea() {
  const { t } = useTranslation('manage');
  const session = useSession();
  usePageTitle(t('title'));
  let body: ReactNode;
  if (!session.ready) body = <Loading />;
  else if (!session.account) {
    body = (
      <Stack>
        <Title order={1}>{t('title')}</Title>
        <Text>{t('signInFirst')}</Text>
        <Button component={Link} to="/account/sign-in?next=/manage" w="fit-content">{t('signIn')}</Button>
      </Stack>
    );
  } else {
    body = (
      <Routes>
        <Route path="join" element={<Join />} />
        <Route
          path="*"
          element={
            session.memberships.length === 0 ? (
              <Stack>
                <Title order={1}>{t('title')}</Title>
                <Text>{t('notMember')}</Text>
                <Anchor component={Link} to="/manage/join">{t('members.join')}</Anchor>
              </Stack>
            ) : (
              <ManageProvider memberships={session.memberships}>
                <ManagePages />
              </ManageProvider>
            )
          }
        />
      </Routes>
    );
  }
  return <Layout wide>{body}</Layout>;
}
