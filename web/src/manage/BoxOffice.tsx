import { useState } from 'react';
import { Alert, Button, Card, Group, NativeSelect, NumberInput, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../shared/api.ts';
import { errorMessage } from '../shared/errors.ts';
import { formatDateTime, formatMoney } from '../shared/format.ts';
import { LoadError, Loading } from '../shared/Status.tsx';
import { usePageTitle } from '../shared/page.ts';
import { useManage } from './context.tsx';

/**
 * Selling at the counter: an event, a date, a tariff and a quantity are held in a cart and checked
 * out with a manual payment (cash or card terminal) in one call; the tickets are then shown (with
 * their QR codes) to hand over or print.
 */
export function BoxOffice() {
  const { t, i18n } = useTranslation('manage');
  const { headers, membership } = useManage();
  const queryClient = useQueryClient();
  usePageTitle(t('boxOffice.title'));
  const events = useQuery({
    queryKey: ['manage', membership.organization_id, 'events', 'on-sale'],
    queryFn: async () => {
      const [listed, scheduled] = await Promise.all(['listed', 'scheduled'].map((status) => unwrap(api.GET('/api/events', { headers, params: { query: { status: status as 'listed', per_page: 100 } } }))));
      return [...listed.events, ...scheduled.events];
    },
  });
  const [eventId, setEventId] = useState('');
  const [dateId, setDateId] = useState('');
  const [tariffId, setTariffId] = useState('');
  const [quantity, setQuantity] = useState<number | string>(1);
  const [buyer, setBuyer] = useState('');
  const [method, setMethod] = useState<'cash' | 'card_terminal'>('cash');
  const sale = useMutation({
    mutationFn: async () => {
      const cart = await unwrap(api.POST('/api/carts', { headers, body: { cart: { items: [{ tariff_id: Number(tariffId), date_id: Number(dateId), quantity: Number(quantity) }] } } as never }));
      return unwrap(api.POST('/api/carts/{id}/checkout', {
        headers,
        params: { path: { id: cart.cart.id } },
        body: { checkout: { ...(buyer ? { buyer_name: buyer } : {}), payment: { provider: 'manual', method } } } as never,
      }));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['manage', membership.organization_id] }),
  });
  if (events.isPending) return <Loading />;
  if (events.isError) return <LoadError error={events.error} />;
  const event = events.data.find((e) => String(e.id) === eventId);
  if (sale.isSuccess) {
    const order = sale.data.order;
    return (
      <Stack>
        <Title order={1}>{t('boxOffice.title')}</Title>
        <Alert color="teal" role="status">{t('boxOffice.sold', { number: order.number })} · {formatMoney(order.total, order.currency, i18n.language)}</Alert>
        <Title order={2} size="h4">{t('boxOffice.tickets')}</Title>
        <Group>
          {order.tickets.map((x) => (
            <Card key={x.id} withBorder padding="sm" ta="center">
              <img src={`/api/tickets/${x.id}/qr_code?format=svg`} alt={`QR ${x.barcode}`} width={160} height={160} />
              <Text ff="monospace" size="sm">{x.barcode}</Text>
            </Card>
          ))}
        </Group>
        <Group>
          <Button variant="light" onClick={() => window.print()}>{t('boxOffice.print')}</Button>
          <Button onClick={() => sale.reset()}>{t('boxOffice.another')}</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <Stack component="form" maw={560} onSubmit={(e) => { e.preventDefault(); sale.mutate(); }}>
      <Title order={1}>{t('boxOffice.title')}</Title>
      {events.data.length === 0 && <Text>{t('boxOffice.noEvents')}</Text>}
      {sale.isError && <Alert color="red" role="alert">{errorMessage(sale.error, t)}</Alert>}
      <NativeSelect label={t('boxOffice.event')} required value={eventId} onChange={(e) => { setEventId(e.currentTarget.value); setDateId(''); setTariffId(''); }}
        data={[{ value: '', label: t('boxOffice.chooseEvent') }, ...events.data.map((e) => ({ value: String(e.id), label: e.title }))]} />
      {event && (
        <>
          <NativeSelect label={t('boxOffice.date')} required value={dateId} onChange={(e) => setDateId(e.currentTarget.value)}
            data={[{ value: '', label: '—' }, ...event.dates.filter((d) => d.status === 'scheduled').map((d) => ({ value: String(d.id), label: formatDateTime(d.starts_at, event.time_zone, i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) }))]} />
          <NativeSelect label={t('boxOffice.tariff')} required value={tariffId} onChange={(e) => setTariffId(e.currentTarget.value)}
            data={[{ value: '', label: '—' }, ...event.tariffs.map((x) => ({ value: String(x.id), label: `${x.label} · ${event.sections.find((s) => s.id === x.section_id)?.name ?? ''} · ${formatMoney(x.price, x.currency, i18n.language)}` }))]} />
        </>
      )}
      <NumberInput label={t('boxOffice.quantity')} min={1} max={50} required value={quantity} onChange={setQuantity} />
      <TextInput label={t('boxOffice.buyer')} value={buyer} onChange={(e) => setBuyer(e.currentTarget.value)} />
      <Stack gap={4}>
        <Text size="sm" fw={500} id="payment-method">{t('boxOffice.method')}</Text>
        <SegmentedControl aria-labelledby="payment-method" value={method} onChange={(v) => setMethod(v as 'cash' | 'card_terminal')} data={[{ value: 'cash', label: t('boxOffice.cash') }, { value: 'card_terminal', label: t('boxOffice.card_terminal') }]} />
      </Stack>
      <Button type="submit" loading={sale.isPending} disabled={!dateId || !tariffId} w="fit-content">{t('boxOffice.sell')}</Button>
    </Stack>
  );
}
