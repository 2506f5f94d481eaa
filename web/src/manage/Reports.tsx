import { useState } from 'react';
import { Badge, Button, Card, Group, NativeSelect, NumberInput, Progress, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap } from '../shared/api.ts';
import { formatMoney, minorDigits } from '../shared/format.ts';
import { LoadError, Loading } from '../shared/Status.tsx';
import { usePageTitle } from '../shared/page.ts';
import { useManage } from './context.tsx';
import { Pager, PER_PAGE } from './Events.tsx';
import { EventSelect, Failure, listPage, useDateLabel, useEventChoices, useOrganization, useWhen } from './kit.tsx';

/**
 * Ticket counts: the figures Pims partners read, per date and day (automatic for Guichet's own
 * channels); counts of external channels typed in by staff, then approved (frozen) or rejected (deleted).
 */
export function TicketCounts() {
  const { t, i18n } = useTranslation('manage');
  const { headers, membership } = useManage();
  const queryClient = useQueryClient();
  usePageTitle(t('counts.title'));
  const events = useEventChoices();
  const organization = useOrganization();
  const dateLabel = useDateLabel();
  const [eventId, setEventId] = useState('');
  const [page, setPage] = useState(1);
  const key = ['manage', membership.organization_id, 'ticket-counts', eventId];
  const counts = useQuery({
    queryKey: [...key, page],
    enabled: eventId !== '',
    queryFn: () => listPage('ticket_counts', api.GET('/api/events/{id}/ticket_counts', { headers, params: { path: { id: Number(eventId) }, query: { include_unapproved: true, page, per_page: PER_PAGE } } })),
  });
  const channels = useQuery({
    queryKey: ['manage', membership.organization_id, 'interfaces'],
    queryFn: async () => (await unwrap(api.GET('/api/interfaces', { headers, params: { query: { per_page: 100 } } }))).interfaces,
  });
  const [dateId, setDateId] = useState('');
  const [day, setDay] = useState(new Date().toISOString().slice(0, 10));
  const [channelId, setChannelId] = useState('');
  const [tariffId, setTariffId] = useState('');
  const [sales, setSales] = useState<number | string>('');
  const [gross, setGross] = useState<number | string>('');
  const [comment, setComment] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const event = events.data?.find((e) => String(e.id) === eventId);
  const tariff = event?.tariffs.find((x) => String(x.id) === tariffId);
  const enter = useMutation({
    mutationFn: () => unwrap(api.POST('/api/events/{id}/ticket_counts', {
      headers,
      params: { path: { id: Number(eventId) } },
      body: {
        ticket_count: {
          date_id: Number(dateId), day, ...(comment ? { comment } : {}),
          lines: [{ interface_id: Number(channelId), section_id: tariff?.section_id ?? 0, tariff_id: Number(tariffId), sales: Number(sales), gross: Math.round(Number(gross) * 10 ** minorDigits(tariff?.currency ?? 'EUR')), ...(tariff ? { currency: tariff.currency } : {}) }],
        },
      },
    })),
    onSuccess: () => { setSales(''); setGross(''); setComment(''); void refresh(); },
  });
  const approve = useMutation({ mutationFn: (id: number) => unwrap(api.POST('/api/events/{id}/ticket_counts/{count_id}/approval', { headers, params: { path: { id: Number(eventId), count_id: id } } } as never)), onSuccess: refresh });
  const reject = useMutation({ mutationFn: (id: number) => unwrap(api.DELETE('/api/events/{id}/ticket_counts/{count_id}', { headers, params: { path: { id: Number(eventId), count_id: id } } })), onSuccess: refresh });
  if (events.isPending) return <Loading />;
  if (events.isError) return <LoadError error={events.error} />;
  const external = (channels.data ?? []).filter((c) => c.external);
  const currency = organization.data?.currency ?? 'EUR';
  return (
    <Stack>
      <Title order={1}>{t('counts.title')}</Title>
      <EventSelect events={events.data} value={eventId} onChange={(v) => { setEventId(v); setDateId(''); setTariffId(''); setPage(1); }} />
      {event && (
        <>
          <Failure error={approve.error ?? reject.error} />
          {counts.isPending ? <Loading /> : counts.isError ? <LoadError error={counts.error} /> : counts.data.items.length === 0 ? <Text>{t('counts.none')}</Text> : (
            <>
              <Table.ScrollContainer minWidth={720}>
                <Table striped>
                  <Table.Thead><Table.Tr><Table.Th>{t('kit.date')}</Table.Th><Table.Th>{t('counts.day')}</Table.Th><Table.Th>{t('counts.source')}</Table.Th><Table.Th ta="right">{t('counts.sales')}</Table.Th><Table.Th ta="right">{t('counts.gross')}</Table.Th><Table.Th>{t('codes.status')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
                  <Table.Tbody>
                    {counts.data.items.map((c) => (
                      <Table.Tr key={c.id} data-testid={`count-${c.id}`}>
                        <Table.Td>{dateLabel(event, c.date_id)}</Table.Td>
                        <Table.Td>{c.day}</Table.Td>
                        <Table.Td>{t(`counts.sources.${c.source}`, { defaultValue: c.source })}{c.comment ? <Text size="xs" c="gray.7">{c.comment}</Text> : null}</Table.Td>
                        <Table.Td ta="right">{c.sales}</Table.Td>
                        <Table.Td ta="right">{formatMoney(c.gross, c.currency ?? currency, i18n.language)}</Table.Td>
                        <Table.Td><Badge variant="filled" color={c.approved ? 'teal.9' : 'indigo.9'}>{c.approved ? t('counts.approved') : t('counts.awaiting')}</Badge></Table.Td>
                        <Table.Td>
                          {!c.approved && (
                            <Group gap="xs" wrap="nowrap">
                              <Button size="xs" variant="default" onClick={() => approve.mutate(c.id)}>{t('counts.approve')}</Button>
                              <Button size="xs" variant="default" onClick={() => { if (window.confirm(t('counts.confirmReject'))) reject.mutate(c.id); }}>{t('counts.reject')}</Button>
                            </Group>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Pager page={page} total={counts.data.total} onPage={setPage} />
            </>
          )}
          <Card withBorder maw={860}>
            <Title order={2} size="h4" mb="xs">{t('counts.enter')}</Title>
            {channels.isSuccess && external.length === 0 ? <Text>{t('counts.noExternal')}</Text> : (
              <Stack component="form" gap="sm" onSubmit={(e) => { e.preventDefault(); enter.mutate(); }}>
                <Failure error={enter.error} />
                <Group align="end" wrap="wrap">
                  <NativeSelect label={t('counts.channel')} required value={channelId} onChange={(e) => setChannelId(e.currentTarget.value)}
                    data={[{ value: '', label: '—' }, ...external.map((c) => ({ value: String(c.id), label: c.name }))]} />
                  <NativeSelect label={t('kit.date')} required value={dateId} onChange={(e) => setDateId(e.currentTarget.value)}
                    data={[{ value: '', label: '—' }, ...event.dates.map((d) => ({ value: String(d.id), label: dateLabel(event, d.id) }))]} />
                  <TextInput label={t('counts.day')} type="date" required value={day} onChange={(e) => setDay(e.currentTarget.value)} />
                </Group>
                <Group align="end" wrap="wrap">
                  <NativeSelect label={t('counts.tariff')} required value={tariffId} onChange={(e) => setTariffId(e.currentTarget.value)}
                    data={[{ value: '', label: '—' }, ...event.tariffs.map((x) => ({ value: String(x.id), label: `${x.label} · ${event.sections.find((s) => s.id === x.section_id)?.name ?? ''}` }))]} />
                  <NumberInput label={t('counts.sales')} required min={0} value={sales} onChange={setSales} w={120} />
                  <NumberInput label={t('counts.grossIn', { currency: tariff?.currency ?? currency })} required min={0} decimalScale={2} value={gross} onChange={setGross} w={160} />
                  <TextInput label={t('counts.comment')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
                </Group>
                <Button type="submit" loading={enter.isPending} w="fit-content">{t('counts.save')}</Button>
              </Stack>
            )}
          </Card>
        </>
      )}
    </Stack>
  );
}

const EXPORT_KINDS = ['orders', 'tickets', 'ticket_counts'] as const;
type ExportKind = (typeof EXPORT_KINDS)[number];

/** Exports: started as background jobs, followed while they run, their CSV downloaded when done. */
export function Exports() {
  const { t, i18n } = useTranslation('manage');
  const { headers, membership } = useManage();
  const queryClient = useQueryClient();
  usePageTitle(t('exports.title'));
  const events = useEventChoices();
  const [kind, setKind] = useState<ExportKind>('orders');
  const [eventId, setEventId] = useState('');
  const [page, setPage] = useState(1);
  const key = ['manage', membership.organization_id, 'jobs'];
  const jobs = useQuery({
    queryKey: [...key, page],
    queryFn: () => listPage('jobs', api.GET('/api/jobs', { headers, params: { query: { page, per_page: PER_PAGE } } })),
    // Followed while one runs.
    refetchInterval: (query) => (query.state.data?.items.some((j) => j.status === 'queued' || j.status === 'running') ? 1000 : false),
  });
  const start = useMutation({
    mutationFn: () => unwrap(api.POST('/api/exports', { headers, body: { export: { kind, ...(eventId ? { event_id: Number(eventId) } : {}) } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const download = useMutation({
    mutationFn: async (job: { download_url: string | null; file_name: string | null }) => {
      const response = await fetch(job.download_url!, { headers: { ...headers, 'Accept-Language': i18n.language } });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
        throw new ApiError(body.error?.code ?? `HTTP_${response.status}`, body.error?.message ?? response.statusText, response.status);
      }
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement('a'), { href: url, download: job.file_name ?? 'export.csv' });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
  const when = useWhen();
  return (
    <Stack>
      <Title order={1}>{t('exports.title')}</Title>
      <Card withBorder maw={760}>
        <Stack component="form" gap="sm" onSubmit={(e) => { e.preventDefault(); start.mutate(); }}>
          <Failure error={start.error} />
          <Group align="end" wrap="wrap">
            <NativeSelect label={t('exports.kind')} value={kind} onChange={(e) => setKind(e.currentTarget.value as ExportKind)} data={EXPORT_KINDS.map((k) => ({ value: k, label: t(`exports.kinds.${k}`) }))} />
            {events.data && <EventSelect events={events.data} value={eventId} onChange={setEventId} allLabel={t('codes.allEvents')} />}
          </Group>
          <Button type="submit" loading={start.isPending} w="fit-content">{t('exports.start')}</Button>
        </Stack>
      </Card>
      <Failure error={download.error} />
      {jobs.isPending ? <Loading /> : jobs.isError ? <LoadError error={jobs.error} /> : jobs.data.items.length === 0 ? <Text>{t('exports.none')}</Text> : (
        <>
          <Table.ScrollContainer minWidth={640}>
            <Table striped>
              <Table.Thead><Table.Tr><Table.Th>{t('exports.kind')}</Table.Th><Table.Th>{t('exports.started')}</Table.Th><Table.Th>{t('exports.progress')}</Table.Th><Table.Th>{t('codes.status')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
              <Table.Tbody>
                {jobs.data.items.map((j) => {
                  const percent = j.status === 'done' ? 100 : j.total ? Math.round((100 * j.progress) / j.total) : 0;
                  return (
                    <Table.Tr key={j.id} data-testid={`job-${j.id}`}>
                      <Table.Td>{t(`exports.kinds.${j.kind.replace(/^export:/, '')}`, { defaultValue: j.kind })}</Table.Td>
                      <Table.Td>{when(j.created_at, { dateStyle: 'short', timeStyle: 'medium' })}</Table.Td>
                      <Table.Td miw={160}><Progress value={percent} aria-label={t('exports.progressOf', { percent })} color="indigo.8" /><Text size="xs">{j.total !== null ? `${j.progress} / ${j.total}` : `${percent} %`}</Text></Table.Td>
                      <Table.Td><Badge variant="filled" color={j.status === 'done' ? 'teal.9' : j.status === 'failed' ? 'red.9' : 'indigo.9'}>{t(`exports.statuses.${j.status}`, { defaultValue: j.status })}</Badge>{j.error ? <Text size="xs" c="red.9">{j.error}</Text> : null}</Table.Td>
                      <Table.Td>{j.download_url && <Button size="xs" variant="default" onClick={() => download.mutate(j)}>{t('exports.download')}</Button>}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager page={page} total={jobs.data.total} onPage={setPage} />
        </>
      )}
    </Stack>
  );
}
