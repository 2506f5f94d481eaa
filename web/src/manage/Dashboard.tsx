import '@mantine/charts/styles.css';
import { useState } from 'react';
import { AreaChart, BarChart } from '@mantine/charts';
import { Card, NativeSelect, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../shared/api.ts';
import { formatDateTime, formatMoney } from '../shared/format.ts';
import { LoadError, Loading } from '../shared/Status.tsx';
import { usePageTitle } from '../shared/page.ts';
import { useManage } from './context.tsx';

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="md">
      <Text size="sm" c="gray.7">{label}</Text>
      <Text fz={28} fw={700}>{value}</Text>
    </Card>
  );
}

/**
 * Today's and the last 30 days' figures, per event and channel, sales over time; for one event,
 * its fill per date and section and the door's arrivals. Everything comes from GET /api/dashboard,
 * which reads what the ticket counts read.
 */
export function Dashboard() {
  const { t, i18n } = useTranslation('manage');
  const { headers, membership } = useManage();
  usePageTitle(t('nav.dashboard'));
  const [eventId, setEventId] = useState<number | null>(null);
  const query = useQuery({
    queryKey: ['manage', membership.organization_id, 'dashboard', eventId],
    queryFn: () => unwrap(api.GET('/api/dashboard', { headers, params: { query: eventId ? { event_id: eventId } : {} } })),
  });
  const events = useQuery({
    queryKey: ['manage', membership.organization_id, 'events', 'for-dashboard'],
    queryFn: () => unwrap(api.GET('/api/events', { headers, params: { query: { per_page: 100 } } })),
  });
  if (query.isPending) return <Loading />;
  if (query.isError) return <LoadError error={query.error} retry={() => query.refetch()} />;
  const d = query.data.dashboard;
  const money = (n: number) => formatMoney(n, d.currency, i18n.language);
  const number = (n: number) => new Intl.NumberFormat(i18n.language).format(n);
  const event = events.data?.events.find((e) => e.id === eventId);
  const zone = event?.time_zone ?? 'UTC';
  const sectionName = (id: number) => event?.sections.find((s) => s.id === id)?.name ?? `#${id}`;
  const dateLabel = (id: number) => {
    const date = event?.dates.find((x) => x.id === id);
    return date ? formatDateTime(date.starts_at, zone, i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) : `#${id}`;
  };
  return (
    <Stack gap="lg">
      <Title order={1}>{t('nav.dashboard')}</Title>
      <section aria-labelledby="today">
        <Title order={2} size="h3" id="today" mb="xs">{t('dashboard.today')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Figure label={t('dashboard.tickets')} value={number(d.today.tickets)} />
          <Figure label={t('dashboard.revenue')} value={money(d.today.revenue)} />
          <Figure label={t('dashboard.orders')} value={number(d.today.orders)} />
        </SimpleGrid>
      </section>
      <section aria-labelledby="period">
        <Title order={2} size="h3" id="period" mb="xs">{t('dashboard.period')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Figure label={t('dashboard.tickets')} value={number(d.period.tickets)} />
          <Figure label={t('dashboard.revenue')} value={money(d.period.revenue)} />
          <Figure label={t('dashboard.orders')} value={number(d.period.orders)} />
        </SimpleGrid>
      </section>
      <section aria-labelledby="over-time">
        <Title order={2} size="h3" id="over-time" mb="xs">{t('dashboard.overTime')}</Title>
        <AreaChart
          h={240}
          data={d.over_time.map((x) => ({ day: x.day.slice(5), [t('dashboard.tickets')]: x.tickets }))}
          dataKey="day"
          series={[{ name: t('dashboard.tickets'), color: 'indigo.7' }]}
          curveType="linear"
          role="img"
          aria-label={t("dashboard.overTime")}
        />
      </section>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <section aria-labelledby="by-event">
          <Title order={2} size="h3" id="by-event" mb="xs">{t('dashboard.byEvent')}</Title>
          {d.by_event.length === 0 ? <Text>{t('dashboard.nothing')}</Text> : (
            <Table.ScrollContainer minWidth={360}>
              <Table striped>
                <Table.Thead><Table.Tr><Table.Th>{t('dashboard.event')}</Table.Th><Table.Th ta="right">{t('dashboard.tickets')}</Table.Th><Table.Th ta="right">{t('dashboard.revenue')}</Table.Th><Table.Th ta="right">{t('dashboard.orders')}</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {d.by_event.map((e) => (
                    <Table.Tr key={e.event_id} data-testid={`by-event-${e.event_id}`}><Table.Td>{e.title}</Table.Td><Table.Td ta="right">{number(e.tickets)}</Table.Td><Table.Td ta="right">{money(e.revenue)}</Table.Td><Table.Td ta="right">{number(e.orders)}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </section>
        <section aria-labelledby="by-channel">
          <Title order={2} size="h3" id="by-channel" mb="xs">{t('dashboard.byChannel')}</Title>
          {d.by_channel.length === 0 ? <Text>{t('dashboard.nothing')}</Text> : (
            <Table.ScrollContainer minWidth={360}>
              <Table striped>
                <Table.Thead><Table.Tr><Table.Th>{t('dashboard.channel')}</Table.Th><Table.Th ta="right">{t('dashboard.tickets')}</Table.Th><Table.Th ta="right">{t('dashboard.revenue')}</Table.Th><Table.Th ta="right">{t('dashboard.orders')}</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {d.by_channel.map((c) => (
                    <Table.Tr key={c.interface_id}><Table.Td>{c.name}</Table.Td><Table.Td ta="right">{number(c.tickets)}</Table.Td><Table.Td ta="right">{money(c.revenue)}</Table.Td><Table.Td ta="right">{number(c.orders)}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </section>
      </SimpleGrid>
      <section aria-labelledby="event-detail">
        <Title order={2} size="h3" id="event-detail" mb="xs">{t('dashboard.pickEvent')}</Title>
        <NativeSelect
          label={t('dashboard.event')}
          value={eventId ? String(eventId) : ''}
          onChange={(e) => setEventId(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
          data={[{ value: '', label: t('dashboard.allEvents') }, ...(events.data?.events ?? []).map((e) => ({ value: String(e.id), label: e.title }))]}
          maw={420}
        />
        {d.fill && (
          <Stack mt="md">
            <Title order={3} size="h4">{t('dashboard.fill')}</Title>
            <Table.ScrollContainer minWidth={480}>
              <Table striped>
                <Table.Thead><Table.Tr><Table.Th>{t('dashboard.date')}</Table.Th><Table.Th>{t('dashboard.section')}</Table.Th><Table.Th ta="right">{t('dashboard.capacity')}</Table.Th><Table.Th ta="right">{t('dashboard.sold')}</Table.Th><Table.Th ta="right">{t('dashboard.held')}</Table.Th><Table.Th ta="right">{t('dashboard.available')}</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {d.fill.map((f) => (
                    <Table.Tr key={`${f.date_id}-${f.section_id}`}><Table.Td>{dateLabel(f.date_id)}</Table.Td><Table.Td>{sectionName(f.section_id)}</Table.Td><Table.Td ta="right">{number(f.capacity)}</Table.Td><Table.Td ta="right">{number(f.sold)}</Table.Td><Table.Td ta="right">{number(f.held)}</Table.Td><Table.Td ta="right">{number(f.available)}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Title order={3} size="h4">{t('dashboard.arrivals')}</Title>
            {d.arrivals && d.arrivals.length > 0 ? (
              <BarChart
                h={200}
                data={d.arrivals.map((a) => ({ at: formatDateTime(a.from, zone, i18n.language, { timeStyle: 'short' }), n: a.admitted }))}
                dataKey="at"
                series={[{ name: 'n', label: t('dashboard.arrivals'), color: 'teal.8' }]}
                role="img"
                aria-label={t('dashboard.arrivals')}
              />
            ) : <Text>{t('dashboard.noArrivals')}</Text>}
          </Stack>
        )}
      </section>
    </Stack>
  );
}
