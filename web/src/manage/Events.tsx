import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../shared/api.ts';
import { errorMessage } from '../shared/errors.ts';
import { formatDateTime } from '../shared/format.ts';
import { LoadError, Loading } from '../shared/Status.tsx';
import { usePageTitle } from '../shared/page.ts';
import { useManage } from './context.tsx';
import { listPage, useOrganization } from './kit.tsx';
import { CapacitiesEditor, DatesEditor, EventDetailsForm, FrozenNote, fromLocalInput, SectionsEditor, TariffsEditor } from './EventEditor.tsx';

const PER_PAGE = 20;
const STATUSES = ['draft', 'under_review', 'scheduled', 'listed', 'cancelled'] as const;
type Status = (typeof STATUSES)[number];
/** What each status may become (as the server's life cycle says; the server decides). */
const NEXT: Record<Status, Status[]> = { draft: ['under_review', 'cancelled'], under_review: ['draft', 'scheduled', 'listed', 'cancelled'], scheduled: ['listed', 'cancelled'], listed: ['scheduled', 'cancelled'], cancelled: [] };

export function Pager({ page, total, onPage }: { page: number; total: number; onPage: (page: number) => void }) {
  const { t } = useTranslation('manage');
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));
  return (
    <Group gap="xs">
      <Button variant="default" size="xs" disabled={page <= 1} onClick={() => onPage(page - 1)}>{t('events.previous')}</Button>
      <Text size="sm">{t('events.page', { page, pages })}</Text>
      <Button variant="default" size="xs" disabled={page >= pages} onClick={() => onPage(page + 1)}>{t('events.next')}</Button>
    </Group>
  );
}
export { PER_PAGE };

/** Events, a page at a time from the server, filtered by status. */
export function EventList() {
  const { t, i18n } = useTranslation('manage');
  const { headers, membership } = useManage();
  usePageTitle(t('events.title'));
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<Status | ''>('');
  const query = useQuery({
    queryKey: ['manage', membership.organization_id, 'events', page, status],
    queryFn: () => listPage('events', api.GET('/api/events', { headers, params: { query: { page, per_page: PER_PAGE, ...(status ? { status } : {}) } } })),
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('events.title')}</Title>
        <Button component={Link} to="/manage/events/new">{t('events.create')}</Button>
      </Group>
      <NativeSelect
        label={t('events.status')}
        value={status}
        onChange={(e) => { setStatus(e.currentTarget.value as Status | ''); setPage(1); }}
        data={[{ value: '', label: '—' }, ...STATUSES.map((s) => ({ value: s, label: t(`events.statuses.${s}`) }))]}
        maw={240}
      />
      {query.isPending ? <Loading /> : query.isError ? <LoadError error={query.error} /> : query.data.items.length === 0 ? <Text>{t('events.noEvents')}</Text> : (
        <>
          <Table.ScrollContainer minWidth={600}>
            <Table striped>
              <Table.Thead><Table.Tr><Table.Th>{t('events.form.title')}</Table.Th><Table.Th>{t('events.status')}</Table.Th><Table.Th>{t('events.dates')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {query.data.items.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td><Anchor component={Link} to={`/manage/events/${e.id}`}>{e.title}</Anchor></Table.Td>
                    <Table.Td><Badge variant="outline" color="indigo.9">{t(`events.statuses.${e.status as Status}`)}</Badge></Table.Td>
                    <Table.Td>{e.dates.slice(0, 3).map((d) => formatDateTime(d.starts_at, e.time_zone, i18n.language, { dateStyle: 'medium' })).join(', ')}{e.dates.length > 3 ? ' …' : ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager page={page} total={query.data.total} onPage={setPage} />
        </>
      )}
    </Stack>
  );
}

interface TariffDraft { label: string; section: number; price: number; maxPerOrder: number | string; quota: number | string }

/** A new event with its dates, sections (with capacities) and tariffs, created through the API in a few calls. */
export function EventCreate() {
  const { t } = useTranslation('manage');
  const { headers, membership } = useManage();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  usePageTitle(t('events.create'));
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [imageUrl, setImageUrl] = useState('');
  const [holderNames, setHolderNames] = useState<'none' | 'optional' | 'required'>('none');
  const organization = useOrganization();
  // Times typed are the organization's wall-clock times (the event's time zone is the organization's).
  const zone = organization.data?.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [dates, setDates] = useState<string[]>(['']);
  const [sections, setSections] = useState<{ name: string; capacity: number | string }[]>([{ name: '', capacity: 100 }]);
  const [tariffs, setTariffs] = useState<TariffDraft[]>([{ label: '', section: 0, price: 0, maxPerOrder: '', quota: '' }]);
  const create = useMutation({
    mutationFn: async () => {
      const created = await unwrap(api.POST('/api/events', {
        headers,
        body: {
          event: {
            title,
            ...(description ? { description } : {}),
            ...(imageUrl ? { image_urls: [imageUrl] } : {}),
            holder_names: holderNames,
            sections: sections.map((s) => ({ name: s.name, capacity: Number(s.capacity) })),
            dates: dates.filter(Boolean).map((d) => ({ starts_at: fromLocalInput(d, zone) })),
          },
        } as never,
      }));
      for (const tariff of tariffs.filter((x) => x.label)) {
        await unwrap(api.POST('/api/events/{id}/tariffs', {
          headers,
          params: { path: { id: created.event.id } },
          body: { tariff: { section_id: created.event.sections[tariff.section].id, label: tariff.label, price: Math.round(Number(tariff.price) * 100), ...(tariff.maxPerOrder !== '' ? { max_per_order: Number(tariff.maxPerOrder) } : {}), ...(tariff.quota !== '' ? { quota: Number(tariff.quota) } : {}) } } as never,
        }));
      }
      return created.event;
    },
    onSuccess: async (event) => {
      await queryClient.invalidateQueries({ queryKey: ['manage', membership.organization_id] });
      navigate(`/manage/events/${event.id}`);
    },
  });
  const set = <T,>(list: T[], i: number, value: Partial<T>) => list.map((x, j) => (j === i ? { ...x, ...value } : x));
  return (
    <Stack component="form" onSubmit={(e) => { e.preventDefault(); create.mutate(); }} maw={820}>
      <Title order={1}>{t('events.create')}</Title>
      {create.isError && <Alert color="red" role="alert">{errorMessage(create.error, t)}</Alert>}
      <TextInput label={t('events.form.title')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
      <Textarea label={t('events.form.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
      <TextInput label={t('events.form.image')} type="url" value={imageUrl} onChange={(e) => setImageUrl(e.currentTarget.value)} />
      <NativeSelect label={t('events.edit.holderNames')} value={holderNames} onChange={(e) => setHolderNames(e.currentTarget.value as typeof holderNames)} maw={420}
        data={(['none', 'optional', 'required'] as const).map((v) => ({ value: v, label: t(`events.edit.holder.${v}`) }))} />
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">{t('events.form.dates')}</Title>
        {dates.map((d, i) => (
          <Group key={i} align="end">
            <TextInput label={`${t('events.form.startsAt')} ${i + 1}`} type="datetime-local" required value={d} onChange={(e) => { const v = e.currentTarget.value; setDates(dates.map((x, j) => (j === i ? v : x))); }} />
            {dates.length > 1 && <Button variant="default" onClick={() => setDates(dates.filter((_, j) => j !== i))}>{t('events.form.remove')}</Button>}
          </Group>
        ))}
        <Button variant="light" mt="sm" w="fit-content" onClick={() => setDates([...dates, ''])}>{t('events.form.addDate')}</Button>
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">{t('events.form.sections')}</Title>
        {sections.map((s, i) => (
          <Group key={i} align="end">
            <TextInput label={`${t('events.form.sectionName')} ${i + 1}`} required value={s.name} onChange={(e) => setSections(set(sections, i, { name: e.currentTarget.value }))} />
            <NumberInput label={`${t('events.form.capacity')} ${i + 1}`} min={0} required value={s.capacity} onChange={(v) => setSections(set(sections, i, { capacity: v }))} />
            {sections.length > 1 && <Button variant="default" onClick={() => setSections(sections.filter((_, j) => j !== i))}>{t('events.form.remove')}</Button>}
          </Group>
        ))}
        <Button variant="light" mt="sm" w="fit-content" onClick={() => setSections([...sections, { name: '', capacity: 100 }])}>{t('events.form.addSection')}</Button>
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">{t('events.form.tariffs')}</Title>
        {tariffs.map((x, i) => (
          <Group key={i} align="end" wrap="wrap">
            <TextInput label={`${t('events.form.label')} ${i + 1}`} value={x.label} onChange={(e) => setTariffs(set(tariffs, i, { label: e.currentTarget.value }))} />
            <NativeSelect label={`${t('events.form.section')} ${i + 1}`} value={String(x.section)} onChange={(e) => setTariffs(set(tariffs, i, { section: Number(e.currentTarget.value) }))} data={sections.map((s, j) => ({ value: String(j), label: s.name || `#${j + 1}` }))} />
            <NumberInput label={`${t('events.form.price')} ${i + 1}`} min={0} decimalScale={2} value={x.price} onChange={(v) => setTariffs(set(tariffs, i, { price: Number(v) }))} w={120} />
            <NumberInput label={`${t('events.form.maxPerOrder')} ${i + 1}`} min={1} value={x.maxPerOrder} onChange={(v) => setTariffs(set(tariffs, i, { maxPerOrder: v }))} w={160} />
            <NumberInput label={`${t('events.form.quota')} ${i + 1}`} min={0} value={x.quota} onChange={(v) => setTariffs(set(tariffs, i, { quota: v }))} w={120} />
            {tariffs.length > 1 && <Button variant="default" onClick={() => setTariffs(tariffs.filter((_, j) => j !== i))}>{t('events.form.remove')}</Button>}
          </Group>
        ))}
        <Button variant="light" mt="sm" w="fit-content" onClick={() => setTariffs([...tariffs, { label: '', section: 0, price: 0, maxPerOrder: '', quota: '' }])}>{t('events.form.addTariff')}</Button>
      </Card>
      <Button type="submit" loading={create.isPending} w="fit-content">{t('events.form.save')}</Button>
    </Stack>
  );
}

/**
 * One event: its life cycle (only the moves the server would accept are offered), a preview of its
 * shop page whatever its status, and its details, dates, sections, capacities and tariffs, each
 * edited in place (nothing offered on a cancelled event, which the server keeps as it is).
 */
export function EventDetail() {
  const { t } = useTranslation('manage');
  const { headers, membership, access, can } = useManage();
  const id = Number(useParams().id);
  const queryClient = useQueryClient();
  const organization = useOrganization();
  const query = useQuery({ queryKey: ['manage', membership.organization_id, 'event', id], queryFn: () => unwrap(api.GET('/api/events/{id}', { headers, params: { path: { id } } })) });
  usePageTitle(query.data?.event.title ?? t('events.detail'));
  const move = useMutation({
    mutationFn: (status: Status) => unwrap(api.PATCH('/api/events/{id}', { headers, params: { path: { id } }, body: { event: { status } } as never })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['manage', membership.organization_id] }),
  });
  if (query.isPending) return <Loading />;
  if (query.isError) return <LoadError error={query.error} retry={() => query.refetch()} />;
  const e = query.data.event;
  const status = e.status as Status;
  const administrator = access?.platform_role === 'administrator';
  const moves = NEXT[status].filter((s) => status !== 'under_review' || administrator || s === 'draft' || s === 'cancelled');
  const readOnly = status === 'cancelled' || !can('catalog');
  const currency = e.tariffs[0]?.currency ?? organization.data?.currency ?? 'EUR';
  return (
    <Stack maw={980}>
      <Title order={1}>{e.title}</Title>
      <Group>
        <Badge size="lg" variant="outline" color="indigo.9">{t(`events.statuses.${status}`)}</Badge>
        <Anchor component={Link} to={`/manage/events/${e.id}/preview`}>{t('events.preview')}</Anchor>
        {status === 'listed' && e.public && <Anchor href={`/events/${e.id}`} target="_blank">{t('events.openInShop')}</Anchor>}
        <Anchor component={Link} to={`/manage/events/${e.id}/seat-map`}>{t('seatmapGenerator:link')}</Anchor>
      </Group>
      <Card withBorder component="section" aria-labelledby="lifecycle-title">
        <Title order={2} size="h4" mb="xs" id="lifecycle-title">{t('events.lifecycle')}</Title>
        {move.isError && <Alert color="red" role="alert" mb="sm">{errorMessage(move.error, t)}</Alert>}
        {status === 'under_review' && !administrator && <Text size="sm" mb="sm">{t('events.approvalNote')}</Text>}
        <Group>
          {moves.map((s) => (
            <Button key={s} variant={s === 'cancelled' ? 'outline' : 'filled'} color={s === 'cancelled' ? 'red.9' : undefined} loading={move.isPending && move.variables === s}
              onClick={() => { if (s !== 'cancelled' || window.confirm(t('events.confirmCancel'))) move.mutate(s); }}>
              {t(`events.actions.${s}`)}
            </Button>
          ))}
        </Group>
      </Card>
      {status === 'cancelled' && <FrozenNote />}
      <EventDetailsForm event={e} readOnly={readOnly} />
      <DatesEditor event={e} readOnly={readOnly} />
      <SectionsEditor event={e} readOnly={readOnly} />
      <CapacitiesEditor event={e} readOnly={readOnly} />
      <TariffsEditor event={e} readOnly={readOnly} currency={currency} />
    </Stack>
  );
}
