import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Group, NativeSelect, NumberInput, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../shared/api.ts';
import { errorMessage } from '../shared/errors.ts';
import { formatDateTime, formatMoney } from '../shared/format.ts';
import { LoadError, Loading } from '../shared/Status.tsx';
import { usePageTitle } from '../shared/page.ts';
import { useManage } from './context.tsx';
import { CounterSeatPicker, useDateSeats, useSeatName } from './BoxOfficeSeats.tsx';

/** How a seated date is sold at the counter: seats picked on the map, the best available, or a section without seats. */
type SeatMode = 'map' | 'best' | 'ga';
type CartItem = { tariff_id: number; date_id: number; quantity?: number; seat_ids?: number[]; adjacent?: boolean };

/**
 * Selling at the counter: an event, a date, a tariff and a quantity are held in a cart and checked
 * out with a manual payment (cash or card terminal) in one call; the tickets are then shown (with
 * their QR codes and seats) to hand over or print. On a seated date the clerk picks the seats on the
 * seat map, or asks for the best available: the same cart items (`seat_ids`, or a quantity on a
 * seated section) the shop sends, so the core rules that keep a seat from being sold twice apply.
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
  const [mode, setMode] = useState<SeatMode>('map');
  const [adjacent, setAdjacent] = useState(true);
  /** Seat id → the tariff it is sold at. */
  const [chosen, setChosen] = useState<Map<number, number>>(new Map());
  const [refusal, setRefusal] = useState<string | null>(null);
  const dateSeats = useDateSeats(headers, membership.organization_id, eventId ? Number(eventId) : null, dateId ? Number(dateId) : null);
  const seatName = useSeatName(dateSeats.seats);
  const seatedSections = new Set(dateSeats.seats.map((s) => s.section_id));
  const seated = dateSeats.seats.length > 0 && dateSeats.drawing !== null;
  const effectiveMode: SeatMode | null = seated ? mode : null;

  const sale = useMutation({
    mutationFn: async (items: CartItem[]) => {
      const cart = await unwrap(api.POST('/api/carts', { headers, body: { cart: { items } } as never }));
      try {
        return await unwrap(api.POST('/api/carts/{id}/checkout', {
          headers,
          params: { path: { id: cart.cart.id } },
          body: { checkout: { ...(buyer ? { buyer_name: buyer } : {}), payment: { provider: 'manual', method } } } as never,
        }));
      } catch (error) {
        // A refused sale gives its places back at once: the next try at the counter must not find them held by itself.
        await Promise.all(cart.cart.items.map((item) => api.DELETE('/api/carts/{id}/items/{item_id}', { headers, params: { path: { id: cart.cart.id, item_id: item.id } } }).catch(() => undefined)));
        throw error;
      }
    },
    onMutate: () => setRefusal(null),
    onSuccess: () => {
      setChosen(new Map());
      return queryClient.invalidateQueries({ queryKey: ['manage', membership.organization_id] });
    },
    onError: (error) => {
      void queryClient.invalidateQueries({ queryKey: ['manage', membership.organization_id, 'date-seats'] });
      const details = error instanceof ApiError ? (error.details as { seat_ids?: number[]; adjacent?: boolean; available?: number } | undefined) : undefined;
      const taken = error instanceof ApiError && error.code === 'SOLD_OUT' ? (details?.seat_ids ?? []) : [];
      if (taken.length > 0) {
        // The seats someone else has are given back; the others stay chosen.
        const next = new Map(chosen);
        for (const id of taken) next.delete(id);
        setChosen(next);
        const names = taken.map((id) => dateSeats.seats.find((s) => s.id === id)).filter((s): s is (typeof dateSeats.seats)[number] => s !== undefined).map(seatName);
        setRefusal(t('boxOfficeSeats.taken', { count: names.length, seats: new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(names) }));
      } else if (error instanceof ApiError && error.code === 'SOLD_OUT' && effectiveMode === 'best' && details?.adjacent && (details.available ?? 0) >= Number(quantity)) {
        setRefusal(t('boxOfficeSeats.noAdjacent', { count: Number(quantity) }));
      } else setRefusal(errorMessage(error, t));
    },
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
              {x.seat && <Text size="sm" fw={600} data-testid="ticket-seat">{seatName(x.seat)}</Text>}
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
  // The tariffs offered: on a seated date, those of its seated sections (best available) or of its other sections (no seat).
  const tariffs = (event?.tariffs ?? []).filter((x) => effectiveMode === null || (effectiveMode === 'ga' ? !seatedSections.has(x.section_id) : seatedSections.has(x.section_id)));
  const hasUnseated = (event?.tariffs ?? []).some((x) => !seatedSections.has(x.section_id));
  const items = (): CartItem[] => {
    const date = Number(dateId);
    if (effectiveMode === 'map') {
      const byTariff = new Map<number, number[]>();
      for (const [seatId, tariff] of chosen) byTariff.set(tariff, [...(byTariff.get(tariff) ?? []), seatId]);
      return [...byTariff].map(([tariff, seatIds]) => ({ tariff_id: tariff, date_id: date, seat_ids: seatIds }));
    }
    return [{ tariff_id: Number(tariffId), date_id: date, quantity: Number(quantity), ...(effectiveMode === 'best' ? { adjacent } : {}) }];
  };
  const ready = effectiveMode === 'map' ? chosen.size > 0 : Boolean(dateId && tariffId && tariffs.some((x) => String(x.id) === tariffId));
  const onDate = (value: string) => {
    setDateId(value);
    setTariffId('');
    setChosen(new Map());
    setMode('map');
    setRefusal(null);
  };
  return (
    <Stack component="form" maw={seated && effectiveMode === 'map' ? 900 : 560} onSubmit={(e) => { e.preventDefault(); if (ready) sale.mutate(items()); }}>
      <Title order={1}>{t('boxOffice.title')}</Title>
      {events.data.length === 0 && <Text>{t('boxOffice.noEvents')}</Text>}
      <NativeSelect label={t('boxOffice.event')} required value={eventId} onChange={(e) => { setEventId(e.currentTarget.value); onDate(''); }}
        data={[{ value: '', label: t('boxOffice.chooseEvent') }, ...events.data.map((e) => ({ value: String(e.id), label: e.title }))]} />
      {event && (
        <NativeSelect label={t('boxOffice.date')} required value={dateId} onChange={(e) => onDate(e.currentTarget.value)}
          data={[{ value: '', label: '—' }, ...event.dates.filter((d) => d.status === 'scheduled').map((d) => ({ value: String(d.id), label: formatDateTime(d.starts_at, event.time_zone, i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) }))]} />
      )}
      {seated && (
        <Stack gap={4}>
          <Text size="sm" fw={500} id="seat-mode">{t('boxOfficeSeats.how')}</Text>
          <SegmentedControl aria-labelledby="seat-mode" value={mode} onChange={(v) => { setMode(v as SeatMode); setTariffId(''); setRefusal(null); }}
            data={(hasUnseated ? (['map', 'best', 'ga'] as const) : (['map', 'best'] as const)).map((m) => ({ value: m, label: t(`boxOfficeSeats.modes.${m}`) }))} />
        </Stack>
      )}
      {event && seated && effectiveMode === 'map' && (
        <CounterSeatPicker seats={dateSeats.seats} drawing={dateSeats.drawing!} categorySections={dateSeats.categorySections} tariffs={event.tariffs}
          chosen={chosen} onChange={(next) => { setChosen(next); setRefusal(null); }} lang={i18n.language} />
      )}
      {event && effectiveMode !== 'map' && !dateSeats.pending && (
        <>
          <NativeSelect label={t('boxOffice.tariff')} required value={tariffId} onChange={(e) => setTariffId(e.currentTarget.value)}
            data={[{ value: '', label: '—' }, ...tariffs.map((x) => ({ value: String(x.id), label: `${x.label} · ${event.sections.find((s) => s.id === x.section_id)?.name ?? ''} · ${formatMoney(x.price, x.currency, i18n.language)}` }))]} />
          <NumberInput label={t('boxOffice.quantity')} min={1} max={50} required value={quantity} onChange={setQuantity} />
          {effectiveMode === 'best' && (
            <>
              <Checkbox label={t('boxOfficeSeats.adjacent')} checked={adjacent} onChange={(e) => setAdjacent(e.currentTarget.checked)} />
              <Text size="sm" c="dimmed">{t('boxOfficeSeats.bestHelp')}</Text>
            </>
          )}
        </>
      )}
      <TextInput label={t('boxOffice.buyer')} value={buyer} onChange={(e) => setBuyer(e.currentTarget.value)} />
      <Stack gap={4}>
        <Text size="sm" fw={500} id="payment-method">{t('boxOffice.method')}</Text>
        <SegmentedControl aria-labelledby="payment-method" value={method} onChange={(v) => setMethod(v as 'cash' | 'card_terminal')} data={[{ value: 'cash', label: t('boxOffice.cash') }, { value: 'card_terminal', label: t('boxOffice.card_terminal') }]} />
      </Stack>
      {refusal !== null && <Alert color="red" role="alert">{refusal}</Alert>}
      <Button type="submit" loading={sale.isPending} disabled={!ready} w="fit-content">{t('boxOffice.sell')}</Button>
    </Stack>
  );
}
