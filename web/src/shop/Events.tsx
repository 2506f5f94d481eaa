import { useState, type FormEvent } from 'react';
import { Anchor, Badge, Button, Card, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../shared/api.ts';
import { formatDateTime, formatMoney } from '../shared/format.ts';
import { usePageTitle } from '../shared/page.ts';
import { LoadError, Loading } from '../shared/Status.tsx';

type Summary = { id: number; title: string; organization: { slug: string; name: string }; venue: { name: string; city: string } | null; time_zone: string; image_url: string | null; next_starts_at: string | null; date_count: number; price_from: { amount: number; currency: string } | null; availability: string };
export type AvailabilityLevel = 'available' | 'few_left' | 'sold_out' | 'not_yet_on_sale' | 'sale_ended' | 'cancelled';
/** The availability levels at which places can be put in a cart. */
export const BUYABLE: ReadonlySet<string> = new Set<AvailabilityLevel>(['available', 'few_left']);
// Dark enough for white text on small badges (WCAG AA 4.5:1).
const COLORS: Record<string, string> = { available: '#1b5e20', few_left: '#8a3b00', sold_out: '#a61b1b', not_yet_on_sale: '#1c3f94', sale_ended: '#495057', cancelled: '#495057' };

export function AvailabilityBadge({ level }: { level: string }) {
  const { t } = useTranslation('shop');
  return (
    // Wraps rather than cutting its words off in a narrow table cell (a phone, "Pas encore en vente", "Verkauf beendet").
    <Badge color={COLORS[level] ?? '#495057'} variant="filled" radius="sm" h="auto" maw="100%" py={2} styles={{ label: { whiteSpace: 'normal', overflow: 'visible' } }}>
      {t(`availability.${level}`)}
    </Badge>
  );
}

function EventCard({ event }: { event: Summary }) {
  const { t, i18n } = useTranslation('shop');
  return (
    <Card withBorder padding="md" component="article">
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={2} size="h4">
            <Anchor component={Link} to={`/events/${event.id}`}>{event.title}</Anchor>
          </Title>
          <AvailabilityBadge level={event.availability} />
        </Group>
        {event.next_starts_at && <Text size="sm">{formatDateTime(event.next_starts_at, event.time_zone, i18n.language, { dateStyle: 'full', timeStyle: 'short' })}</Text>}
        {event.venue && <Text size="sm">{event.venue.name}, {event.venue.city}</Text>}
        <Group justify="space-between">
          <Text size="sm" c="dimmed">{t('by', { name: event.organization.name })}{event.date_count > 1 ? ` · ${t('dates', { count: event.date_count })}` : ''}</Text>
          {event.price_from && <Text fw={600}>{t('priceFrom', { price: formatMoney(event.price_from.amount, event.price_from.currency, i18n.language) })}</Text>}
        </Group>
      </Stack>
    </Card>
  );
}

/** Listed events of every organization (or of one, on its storefront), searchable. */
function EventList({ organization }: { organization?: string }) {
  const { t, i18n } = useTranslation('shop');
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState({ q: params.get('q') ?? '', city: params.get('city') ?? '', category: params.get('category') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '' });
  const facets = useQuery({ queryKey: ['facets'], queryFn: () => unwrap(api.GET('/api/shop/facets')), staleTime: 300_000 });
  const search = { q: params.get('q') || undefined, city: params.get('city') || undefined, category_id: params.get('category') ? Number(params.get('category')) : undefined, from: params.get('from') ? `${params.get('from')}T00:00:00Z` : undefined, to: params.get('to') ? `${params.get('to')}T23:59:59Z` : undefined, organization, per_page: 50 };
  const events = useQuery({ queryKey: ['shop-events', search], queryFn: () => unwrap(api.GET('/api/shop/events', { params: { query: search } })) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setParams(Object.fromEntries(Object.entries(form).filter(([, v]) => v !== '')));
  };
  const lang = i18n.language as 'en' | 'fr' | 'de';
  return (
    <Stack>
      <form onSubmit={submit} role="search" aria-label={t('home.search')}>
        <Group align="flex-end" wrap="wrap" gap="sm">
          <TextInput label={t('home.text')} value={form.q} onChange={(e) => setForm({ ...form, q: e.currentTarget.value })} style={{ flex: '1 1 16rem' }} />
          <NativeSelect label={t('home.city')} value={form.city} onChange={(e) => setForm({ ...form, city: e.currentTarget.value })} data={[{ value: '', label: t('home.any') }, ...(facets.data?.cities ?? []).map((c) => ({ value: c, label: c }))]} />
          <NativeSelect label={t('home.category')} value={form.category} onChange={(e) => setForm({ ...form, category: e.currentTarget.value })} data={[{ value: '', label: t('home.any') }, ...(facets.data?.categories ?? []).map((c) => ({ value: String(c.id), label: c.name[lang] ?? c.name.en }))]} />
          <TextInput type="date" label={t('home.from')} value={form.from} onChange={(e) => setForm({ ...form, from: e.currentTarget.value })} />
          <TextInput type="date" label={t('home.to')} value={form.to} onChange={(e) => setForm({ ...form, to: e.currentTarget.value })} />
          <Button type="submit">{t('home.submit')}</Button>
        </Group>
      </form>
      {events.isPending ? (
        <Loading />
      ) : events.isError ? (
        <LoadError error={events.error} retry={() => void events.refetch()} />
      ) : (
        <>
          <Text role="status" aria-live="polite" size="sm">{events.data.events.length === 0 ? t('home.none') : t('home.results', { count: events.data.events.length })}</Text>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {events.data.events.map((event) => (
              <EventCard key={event.id} event={event} />
            ))}
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}

export function Home() {
  const { t } = useTranslation('shop');
  usePageTitle(t('home.title'));
  return (
    <Stack>
      <Title order={1}>{t('home.title')}</Title>
      <EventList />
    </Stack>
  );
}

export function Storefront() {
  const { slug = '' } = useParams();
  const { t } = useTranslation('shop');
  const organization = useQuery({ queryKey: ['organization', slug], queryFn: () => unwrap(api.GET('/api/shop/organizations/{slug}', { params: { path: { slug } } })) });
  usePageTitle(organization.data?.organization.name);
  if (organization.isPending) return <Loading />;
  if (organization.isError) return <LoadError error={organization.error} />;
  const org = organization.data.organization;
  return (
    <Stack>
      <Title order={1}>{org.name}</Title>
      {org.description && <Text>{org.description}</Text>}
      <Title order={2} size="h3">{t('storefront.events', { name: org.name })}</Title>
      <EventList organization={slug} />
    </Stack>
  );
}

