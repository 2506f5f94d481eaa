import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Checkbox, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../shared/api.ts';
import { errorMessage } from '../shared/errors.ts';
import { formatDateTime, formatMoney } from '../shared/format.ts';
import { LoadError, Loading } from '../shared/Status.tsx';
import { usePageTitle } from '../shared/page.ts';
import { useManage } from './context.tsx';
import { Pager, PER_PAGE } from './Events.tsx';
import { listPage } from './kit.tsx';

const SORTS = [
  { value: '-created_at', key: 'sortNewest' },
  { value: 'created_at', key: 'sortOldest' },
  { value: '-total', key: 'sortTotal' },
] as const;
type Sort = (typeof SORTS)[number]['value'];

/** Orders searched, sorted and paged by the server (GET /api/orders?q=…&sort=…&page=…). */
export function OrderList() {
  const { t, i18n } = useTranslation('manage');
  const { headers, membership } = useManage();
  usePageTitle(t('orders.title'));
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<Sort>('-created_at');
  const [page, setPage] = useState(1);
  const query = useQuery({
    queryKey: ['manage', membership.organization_id, 'orders', q, sort, page],
    queryFn: () => listPage('orders', api.GET('/api/orders', { headers, params: { query: { page, per_page: PER_PAGE, sort, ...(q ? { q } : {}) } } })),
  });
  return (
    <Stack>
      <Title order={1}>{t('orders.title')}</Title>
      <Group component="form" role="search" align="end" onSubmit={(e) => { e.preventDefault(); setQ(typed.trim()); setPage(1); }}>
        <TextInput label={t('orders.search')} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} w={320} />
        <Button type="submit">{t('orders.searchButton')}</Button>
        <NativeSelect label={t('orders.sort')} value={sort} onChange={(e) => { setSort(e.currentTarget.value as Sort); setPage(1); }} data={SORTS.map((s) => ({ value: s.value, label: t(`orders.${s.key}`) }))} />
      </Group>
      {query.isPending ? <Loading /> : query.isError ? <LoadError error={query.error} /> : query.data.items.length === 0 ? <Text>{t('orders.noOrders')}</Text> : (
        <>
          <Table.ScrollContainer minWidth={640}>
            <Table striped>
              <Table.Thead><Table.Tr><Table.Th>{t('orders.number')}</Table.Th><Table.Th>{t('orders.buyer')}</Table.Th><Table.Th>{t('orders.email')}</Table.Th><Table.Th>{t('orders.status')}</Table.Th><Table.Th ta="right">{t('orders.total')}</Table.Th><Table.Th>{t('orders.date')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {query.data.items.map((o) => (
                  <Table.Tr key={o.id}>
                    <Table.Td><Anchor component={Link} to={`/manage/orders/${o.id}`} ff="monospace">{o.number}</Anchor></Table.Td>
                    <Table.Td>{o.buyer_name}</Table.Td>
                    <Table.Td>{o.buyer_email}</Table.Td>
                    <Table.Td><Badge variant="outline" color="indigo.9">{t(`orders.statuses.${o.status}`, { defaultValue: o.status })}</Badge></Table.Td>
                    <Table.Td ta="right">{formatMoney(o.total, o.currency, i18n.language)}</Table.Td>
                    <Table.Td>{formatDateTime(o.created_at, Intl.DateTimeFormat().resolvedOptions().timeZone, i18n.language, { dateStyle: 'short', timeStyle: 'short' })}</Table.Td>
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

/** One order: lines, payments, tickets (refund some or all, change a holder), answers and history. */
export function OrderDetail() {
  const { t, i18n } = useTranslation('manage');
  const { headers, membership } = useManage();
  const id = Number(useParams().id);
  const queryClient = useQueryClient();
  const key = ['manage', membership.organization_id, 'order', id];
  const order = useQuery({ queryKey: key, queryFn: () => unwrap(api.GET('/api/orders/{id}', { headers, params: { path: { id } } })) });
  const history = useQuery({ queryKey: [...key, 'history'], queryFn: () => unwrap(api.GET('/api/orders/{id}/history', { headers, params: { path: { id } } })) });
  const answers = useQuery({ queryKey: [...key, 'answers'], queryFn: () => unwrap(api.GET('/api/orders/{id}/answers', { headers, params: { path: { id } } })) });
  const [selected, setSelected] = useState<number[]>([]);
  const [done, setDone] = useState(false);
  const refresh = async () => {
    setSelected([]);
    setDone(true);
    await queryClient.invalidateQueries({ queryKey: ['manage', membership.organization_id] });
  };
  const refund = useMutation({
    mutationFn: (ticketIds: number[] | null) => unwrap(api.POST('/api/orders/{id}/refunds', { headers, params: { path: { id } }, body: { refund: ticketIds ? { ticket_ids: ticketIds } : {} } as never })),
    onSuccess: refresh,
  });
  const cancel = useMutation({ mutationFn: () => unwrap(api.POST('/api/orders/{id}/cancellation', { headers, params: { path: { id } } } as never)), onSuccess: refresh });
  const holder = useMutation({
    mutationFn: (input: { ticketId: number; name: string }) => unwrap(api.PATCH('/api/tickets/{id}', { headers, params: { path: { id: input.ticketId } }, body: { ticket: { holder_name: input.name } } as never })),
    onSuccess: refresh,
  });
  usePageTitle(order.data ? t('orders.detail', { number: order.data.order.number }) : t('orders.title'));
  if (order.isPending) return <Loading />;
  if (order.isError) return <LoadError error={order.error} retry={() => order.refetch()} />;
  const o = order.data.order;
  const money = (n: number) => formatMoney(n, o.currency, i18n.language);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const when = (iso: string) => formatDateTime(iso, zone, i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const refundable = o.tickets.filter((x) => x.status === 'valid');
  const failure = refund.error ?? cancel.error ?? holder.error;
  return (
    <Stack>
      <Anchor component={Link} to="/manage/orders">← {t('orders.back')}</Anchor>
      <Title order={1}>{t('orders.detail', { number: o.number })}</Title>
      <Group>
        <Badge size="lg" variant="outline" color="indigo.9">{t(`orders.statuses.${o.status}`, { defaultValue: o.status })}</Badge>
        <Text>{o.buyer_name} {o.buyer_email ? `· ${o.buyer_email}` : ''}</Text>
        <Text fw={700}>{money(o.total)}</Text>
      </Group>
      {failure && <Alert color="red" role="alert">{errorMessage(failure, t)}</Alert>}
      {done && !failure && <Alert color="teal" role="status">{t('orders.done')}</Alert>}
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">{t('orders.lines')}</Title>
        <Table.ScrollContainer minWidth={420}>
          <Table>
            <Table.Thead><Table.Tr><Table.Th>#</Table.Th><Table.Th ta="right">{t('orders.quantity')}</Table.Th><Table.Th ta="right">{t('orders.refunded')}</Table.Th><Table.Th ta="right">{t('orders.total')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>{o.lines.map((l) => <Table.Tr key={l.id}><Table.Td>{l.id}</Table.Td><Table.Td ta="right">{l.quantity}</Table.Td><Table.Td ta="right">{l.refunded_quantity}</Table.Td><Table.Td ta="right">{money(l.total)}</Table.Td></Table.Tr>)}</Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">{t('orders.tickets')}</Title>
        <Stack gap="xs">
          {o.tickets.map((x) => (
            <Group key={x.id} wrap="wrap">
              <Checkbox
                label={`${x.barcode} · ${x.status}${x.holder_name ? ` · ${x.holder_name}` : ''}`}
                disabled={x.status !== 'valid'}
                checked={selected.includes(x.id)}
                onChange={(e) => { const on = e.currentTarget.checked; setSelected(on ? [...selected, x.id] : selected.filter((s) => s !== x.id)); }}
              />
              {x.status === 'valid' && <HolderEdit name={x.holder_name ?? ''} onSave={(name) => holder.mutate({ ticketId: x.id, name })} />}
            </Group>
          ))}
        </Stack>
        <Group mt="md">
          <Button color="red.9" disabled={selected.length === 0} loading={refund.isPending}
            onClick={() => { if (window.confirm(t('orders.confirmRefund', { count: selected.length }))) refund.mutate(selected); }}>
            {t('orders.refund')}
          </Button>
          <Button variant="outline" color="red.9" disabled={refundable.length === 0} loading={refund.isPending}
            onClick={() => { if (window.confirm(t('orders.confirmRefund', { count: refundable.length }))) refund.mutate(null); }}>
            {t('orders.refundAll')}
          </Button>
          {o.status === 'pending' && (
            <Button variant="outline" color="red.9" loading={cancel.isPending} onClick={() => { if (window.confirm(t('orders.confirmCancel'))) cancel.mutate(); }}>{t('orders.cancel')}</Button>
          )}
        </Group>
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">{t('orders.payments')}</Title>
        <ul>{o.payments.map((p) => <li key={p.id}>{when(p.created_at)} · {p.provider} {p.method} · {p.status} · {money(p.amount)}</li>)}</ul>
      </Card>
      {answers.data && answers.data.answers.length > 0 && (
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">{t('orders.answers')}</Title>
          <ul>{answers.data.answers.map((a, i) => <li key={i}>{JSON.stringify(a)}</li>)}</ul>
        </Card>
      )}
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">{t('orders.history')}</Title>
        <ul>{(history.data?.history ?? []).map((h, i) => <li key={i}>{when(h.at)} · {t(`orders.kinds.${h.kind}`, { defaultValue: h.kind.replace(/_/g, ' ') })}{h.amount !== null ? ` · ${money(h.amount)}` : ''}{h.detail ? ` · ${h.detail}` : ''}</li>)}</ul>
      </Card>
    </Stack>
  );
}

function HolderEdit({ name, onSave }: { name: string; onSave: (name: string) => void }) {
  const { t } = useTranslation('manage');
  const [value, setValue] = useState(name);
  return (
    <Group gap="xs" component="form" onSubmit={(e) => { e.preventDefault(); onSave(value); }}>
      <TextInput size="xs" aria-label={t('orders.holderName')} placeholder={t('orders.holderName')} value={value} onChange={(e) => setValue(e.currentTarget.value)} />
      <Button size="xs" variant="light" type="submit">{t('orders.changeHolder')}</Button>
    </Group>
  );
}
