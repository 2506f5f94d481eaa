import './locales-door-promotions.ts';
import { useState } from 'react';
import { Badge, Button, Card, Group, NativeSelect, NumberInput, Progress, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { paths } from '../shared/api-types.ts';
import { ApiError, api, unwrap } from '../shared/api.ts';
import { rightsFor } from './rights.ts';
import { formatMoney, minorDigits } from '../shared/format.ts';
import { LoadError, Loading } from '../shared/Status.tsx';
import { usePageTitle } from '../shared/page.ts';
import { useManage } from './context.tsx';
import { Pager, PER_PAGE } from './Events.tsx';
import { EventSelect, Failure, listPage, useDateLabel, useEventChoices, useFieldError, useOrganization, useWhen } from './kit.tsx';

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

/** What the promotions page reads, and what it changes (the server's own rights for these calls). */
export const PROMOTIONS_RIGHTS = {
  read: rightsFor(['get', '/api/promotions'], ['get', '/api/promotion_types'], ['get', '/api/events']),
  change: rightsFor(['post', '/api/promotions'], ['patch', '/api/promotions/{id}'], ['delete', '/api/promotions/{id}']),
};

type Promotion = paths['/api/promotions']['get']['responses'][200]['content']['application/json']['promotions'][number];
interface TargetDraft { eventId: string; quantity: number | string; unitCost: number | string; valuedQuantity: number | string; valuedUnitCost: number | string }
interface PromotionDraft {
  type: string; label: string; supplier: string; startDate: string; endDate: string;
  costType: string; costState: string; currency: string; comments: string;
  targets: TargetDraft[];
  /** Series a promotion applies to (entered through Pims): kept as they are when the events are edited here. */
  series: Promotion['applied_to'];
}
const emptyTarget = (): TargetDraft => ({ eventId: '', quantity: 1, unitCost: '', valuedQuantity: '', valuedUnitCost: '' });
const emptyDraft = (currency: string): PromotionDraft => ({ type: '', label: '', supplier: '', startDate: '', endDate: '', costType: 'paid', costState: '', currency, comments: '', targets: [emptyTarget()], series: [] });

/**
 * Promotions: marketing spend around events (ads, posters, partnerships), with its supplier, period
 * and cost per event (quantity × unit cost; for exchanges and free promotions, what they are worth);
 * listed by the server page by page, filtered by event or label, created and edited here.
 */
export function Promotions() {
  const { t, i18n } = useTranslation('manage');
  const { headers, membership, can } = useManage();
  const queryClient = useQueryClient();
  usePageTitle(t('promotions.title'));
  const events = useEventChoices();
  const organization = useOrganization();
  const mayChange = can(PROMOTIONS_RIGHTS.change);
  const [eventFilter, setEventFilter] = useState('');
  const [search, setSearch] = useState('');
  const [label, setLabel] = useState('');
  const [page, setPage] = useState(1);
  const key = ['manage', membership.organization_id, 'promotions'];
  const promotions = useQuery({
    queryKey: [...key, eventFilter, label, page, i18n.language],
    queryFn: () => listPage('promotions', api.GET('/api/promotions', {
      headers, params: { query: { page, per_page: PER_PAGE, ...(eventFilter ? { event_id: Number(eventFilter) } : {}), ...(label ? { label } : {}) } },
    })),
  });
  const kinds = useQuery({
    queryKey: ['manage', membership.organization_id, 'promotion-types', i18n.language],
    queryFn: () => unwrap(api.GET('/api/promotion_types', { headers })),
    staleTime: Infinity,
  });
  const currency = organization.data?.currency ?? 'EUR';
  const [editing, setEditing] = useState<number | null>(null);
  const [draft, setDraft] = useState<PromotionDraft | null>(null);
  const form = draft ?? emptyDraft(currency);
  const set = (change: Partial<PromotionDraft>) => setDraft({ ...form, ...change });
  const setTarget = (i: number, change: Partial<TargetDraft>) => set({ targets: form.targets.map((x, j) => (j === i ? { ...x, ...change } : x)) });
  const scale = 10 ** minorDigits(form.currency || currency);
  const minor = (v: number | string) => Math.round(Number(v) * scale);
  const optional = (v: number | string, f: (x: number | string) => number) => (v === '' ? null : f(v));
  const valued = form.costType !== 'paid';
  const body = () => ({
    type: form.type as never,
    label: form.label.trim(),
    supplier: form.supplier.trim() || null,
    start_date: form.startDate || null,
    end_date: form.endDate || null,
    cost: { type: form.costType as never, state: (form.costState || null) as never, currency: form.currency || currency },
    comments: form.comments.trim() || null,
    applied_to: [
      ...form.targets.map((x) => ({
        event_id: Number(x.eventId), quantity: Number(x.quantity || 0), unit_cost: minor(x.unitCost || 0),
        valued_quantity: valued ? optional(x.valuedQuantity, Number) : null, valued_unit_cost: valued ? optional(x.valuedUnitCost, minor) : null,
      })),
      ...form.series.map((x) => ({ series_id: x.series_id, quantity: x.quantity, unit_cost: x.unit_cost, valued_quantity: x.valued_quantity, valued_unit_cost: x.valued_unit_cost })),
    ],
  });
  const done = () => { setDraft(null); setEditing(null); void queryClient.invalidateQueries({ queryKey: key }); };
  const save = useMutation({
    mutationFn: () => (editing === null
      ? unwrap(api.POST('/api/promotions', { headers, body: { promotion: body() } }))
      : unwrap(api.PATCH('/api/promotions/{id}', { headers, params: { path: { id: editing } }, body: { promotion: body() } }))),
    onSuccess: done,
  });
  const remove = useMutation({ mutationFn: (id: number) => unwrap(api.DELETE('/api/promotions/{id}', { headers, params: { path: { id } } })), onSuccess: done });
  const edit = (p: Promotion) => {
    const major = (v: number | null) => (v === null ? '' : v / 10 ** minorDigits(p.cost.currency));
    save.reset();
    setEditing(p.id);
    setDraft({
      type: p.type.id, label: p.label, supplier: p.supplier ?? '', startDate: p.start_date ?? '', endDate: p.end_date ?? '',
      costType: p.cost.type.id, costState: p.cost.state?.id ?? '', currency: p.cost.currency, comments: p.comments ?? '',
      targets: p.applied_to.filter((x) => x.event_id !== null).map((x) => ({
        eventId: String(x.event_id), quantity: x.quantity, unitCost: major(x.unit_cost), valuedQuantity: x.valued_quantity ?? '', valuedUnitCost: major(x.valued_unit_cost),
      })),
      series: p.applied_to.filter((x) => x.series_id !== null),
    });
    document.getElementById('promotion-form-title')?.scrollIntoView({ block: 'start' });
  };
  const refused = useFieldError(save.error);
  const titleOf = (id: number) => events.data?.find((e) => e.id === id)?.title ?? `#${id}`;
  const period = (p: Promotion) => (p.start_date || p.end_date ? `${p.start_date ?? '…'} – ${p.end_date ?? '…'}` : '—');
  if (events.isPending) return <Loading />;
  if (events.isError) return <LoadError error={events.error} />;
  return (
    <Stack>
      <Title order={1}>{t('promotions.title')}</Title>
      <Text maw={720}>{t('promotions.intro')}</Text>
      <Group component="form" align="end" wrap="wrap" onSubmit={(e) => { e.preventDefault(); setLabel(search.trim()); setPage(1); }}>
        <EventSelect events={events.data} value={eventFilter} onChange={(v) => { setEventFilter(v); setPage(1); }} allLabel={t('codes.allEvents')} />
        <TextInput label={t('promotions.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
        <Button type="submit" variant="default">{t('promotions.searchButton')}</Button>
      </Group>
      <Failure error={remove.error} />
      {promotions.isPending ? <Loading /> : promotions.isError ? <LoadError error={promotions.error} /> : promotions.data.items.length === 0 ? <Text>{t('promotions.none')}</Text> : (
        <>
          <Table.ScrollContainer minWidth={820}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('promotions.label')}</Table.Th><Table.Th>{t('promotions.type')}</Table.Th><Table.Th>{t('promotions.period')}</Table.Th>
                  <Table.Th>{t('promotions.appliedTo')}</Table.Th><Table.Th ta="right">{t('promotions.cost')}</Table.Th><Table.Th>{t('promotions.costState')}</Table.Th><Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {promotions.data.items.map((p) => (
                  <Table.Tr key={p.id} data-testid={`promotion-${p.id}`}>
                    <Table.Td>{p.label}{p.supplier ? <Text size="xs" c="gray.7">{t('promotions.from', { supplier: p.supplier })}</Text> : null}</Table.Td>
                    <Table.Td>{p.type.label}<Text size="xs" c="gray.7">{p.type.family.label}</Text></Table.Td>
                    <Table.Td>{period(p)}</Table.Td>
                    <Table.Td>{p.applied_to.map((x) => (x.event_id !== null ? titleOf(x.event_id) : t('promotions.series', { id: x.series_id }))).join(', ')}</Table.Td>
                    <Table.Td ta="right">
                      {formatMoney(p.cost.total, p.cost.currency, i18n.language)}
                      {p.cost.valued_total !== null && <Text size="xs" c="gray.7">{t('promotions.worth', { amount: formatMoney(p.cost.valued_total, p.cost.currency, i18n.language) })}</Text>}
                    </Table.Td>
                    <Table.Td>{p.cost.type.label}{p.cost.state ? <Text size="xs" c="gray.7">{p.cost.state.label}</Text> : null}</Table.Td>
                    <Table.Td>
                      {mayChange && (
                        <Group gap="xs" wrap="nowrap">
                          <Button size="xs" variant="default" aria-label={t('promotions.editOf', { label: p.label })} onClick={() => edit(p)}>{t('promotions.edit')}</Button>
                          <Button size="xs" variant="default" aria-label={t('promotions.deleteOf', { label: p.label })} onClick={() => { if (window.confirm(t('promotions.confirmDelete', { label: p.label }))) remove.mutate(p.id); }}>{t('promotions.delete')}</Button>
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager page={page} total={promotions.data.total} onPage={setPage} />
        </>
      )}
      {mayChange && (
        <Card withBorder maw={900} component="section" aria-labelledby="promotion-form-title">
          <Title order={2} size="h4" mb="xs" id="promotion-form-title">{editing === null ? t('promotions.create') : t('promotions.editing', { label: form.label })}</Title>
          <Stack component="form" gap="sm" onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
            <Failure error={save.error} />
            <Group align="end" wrap="wrap">
              <TextInput label={t('promotions.label')} required value={form.label} onChange={(e) => set({ label: e.currentTarget.value })} error={refused('label')} w={280} />
              <NativeSelect label={t('promotions.type')} required value={form.type} onChange={(e) => set({ type: e.currentTarget.value })} error={refused('type')}
                data={[{ value: '', label: '—' }, ...(kinds.data?.promotion_types ?? []).map((k) => ({ value: k.id, label: `${k.label} (${k.family.label})` }))]} />
              <TextInput label={t('promotions.supplier')} value={form.supplier} onChange={(e) => set({ supplier: e.currentTarget.value })} w={240} />
            </Group>
            <Group align="end" wrap="wrap">
              <TextInput label={t('promotions.startDate')} type="date" value={form.startDate} onChange={(e) => set({ startDate: e.currentTarget.value })} error={refused('start_date')} />
              <TextInput label={t('promotions.endDate')} type="date" value={form.endDate} onChange={(e) => set({ endDate: e.currentTarget.value })} error={refused('end_date')} />
              <NativeSelect label={t('promotions.costType')} value={form.costType} onChange={(e) => set({ costType: e.currentTarget.value })}
                data={(kinds.data?.cost_types ?? [{ id: 'paid', label: 'paid' }]).map((k) => ({ value: k.id, label: k.label }))} />
              <NativeSelect label={t('promotions.costState')} value={form.costState} onChange={(e) => set({ costState: e.currentTarget.value })}
                data={[{ value: '', label: '—' }, ...(kinds.data?.cost_states ?? []).map((k) => ({ value: k.id, label: k.label }))]} />
              <TextInput label={t('promotions.currency')} value={form.currency} onChange={(e) => set({ currency: e.currentTarget.value.toUpperCase() })} w={90} maxLength={3} error={refused('currency')} />
            </Group>
            <Stack gap="xs" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
              <Text component="legend" fw={600} size="sm">{t('promotions.costsPerEvent')}</Text>
              {form.targets.map((x, i) => {
                const n = i + 1;
                return (
                  <Group key={i} align="end" wrap="wrap" data-testid={`promotion-target-${n}`}>
                    <NativeSelect label={t('promotions.eventN', { n })} required value={x.eventId} onChange={(e) => setTarget(i, { eventId: e.currentTarget.value })} maw={320}
                      data={[{ value: '', label: '—' }, ...events.data.map((e) => ({ value: String(e.id), label: e.title }))]} />
                    <NumberInput label={t('promotions.quantityN', { n })} required min={0} value={x.quantity} onChange={(v) => setTarget(i, { quantity: v })} w={110} />
                    <NumberInput label={t('promotions.unitCostN', { n, currency: form.currency || currency })} required min={0} decimalScale={minorDigits(form.currency || currency)} value={x.unitCost} onChange={(v) => setTarget(i, { unitCost: v })} w={170} />
                    {valued && <NumberInput label={t('promotions.valuedQuantityN', { n })} min={0} value={x.valuedQuantity} onChange={(v) => setTarget(i, { valuedQuantity: v })} w={150} />}
                    {valued && <NumberInput label={t('promotions.valuedUnitCostN', { n, currency: form.currency || currency })} min={0} decimalScale={minorDigits(form.currency || currency)} value={x.valuedUnitCost} onChange={(v) => setTarget(i, { valuedUnitCost: v })} w={190} />}
                    {form.targets.length > 1 && <Button variant="subtle" aria-label={t('promotions.removeEventN', { n })} onClick={() => set({ targets: form.targets.filter((_, j) => j !== i) })}>{t('events.form.remove')}</Button>}
                  </Group>
                );
              })}
              {form.series.length > 0 && <Text size="sm" c="gray.7">{t('promotions.seriesKept', { series: form.series.map((x) => `#${x.series_id}`).join(', ') })}</Text>}
              <Button variant="light" w="fit-content" onClick={() => set({ targets: [...form.targets, emptyTarget()] })}>{t('promotions.addEvent')}</Button>
            </Stack>
            <Textarea label={t('promotions.comments')} value={form.comments} onChange={(e) => set({ comments: e.currentTarget.value })} maw={600} autosize minRows={2} />
            <Group gap="xs">
              <Button type="submit" loading={save.isPending}>{editing === null ? t('promotions.save') : t('promotions.saveChanges')}</Button>
              {(editing !== null || draft !== null) && <Button variant="default" onClick={() => { setDraft(null); setEditing(null); save.reset(); }}>{t('promotions.cancel')}</Button>}
            </Group>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
