import './locales.ts';
import { useState } from 'react';
import { ActionIcon, Alert, Button, Checkbox, Group, NativeSelect, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { paths } from '../../shared/api-types.ts';
import { api, ApiError, inOrganization, unwrap } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { formatMoney } from '../../shared/format.ts';
import { BUYABLE } from '../Events.tsx';
import { categoryStyles, LegendMark, SeatMap, type MapDrawing, type MapSeat, type SeatLook } from './SeatMap.tsx';
import { useReserve } from '../reserve.ts';

type ShopEvent = paths['/api/shop/events/{id}']['get']['responses'][200]['content']['application/json']['event'];
type ShopDate = ShopEvent['dates'][number];
type Tariff = ShopDate['sections'][number]['tariffs'][number];

const ZOOMS = [1, 1.5, 2, 3, 4];

const seatsQuery = (event: Pick<ShopEvent, 'id' | 'organization'>, dateId: number) => ({
  queryKey: ['date-seats', event.id, dateId],
  queryFn: async () =>
    (await unwrap(api.GET('/api/events/{id}/dates/{date_id}/seats', { params: { path: { id: event.id, date_id: dateId } }, headers: inOrganization(event.organization.id) }))).seats,
  // The server answers from its cache (one query per date per SEATS_CACHE_MS): polling costs it little.
  refetchInterval: 15_000,
});

/** For each date of the event, the sections sold seat by seat (those the seat map sells, not the quantity table). */
export function useSeatedSections(event: ShopEvent | undefined): Map<number, Set<number>> {
  const results = useQueries({ queries: (event?.dates ?? []).map((date) => seatsQuery(event!, date.id)) });
  return new Map((event?.dates ?? []).map((date, i) => [date.id, new Set((results[i]?.data ?? []).map((s) => s.section_id))]));
}

/**
 * A seated date on the event page: its seat map (pick seats by mouse, touch or keyboard, zoom on a
 * phone), the seats chosen with their tariff and price, and the best available as an alternative.
 * Renders nothing for a date without a map. A seat someone else took meanwhile is explained and
 * given back; the other seats stay chosen.
 */
export function SeatedDate({ event, date }: { event: ShopEvent; date: ShopDate }) {
  const { t, i18n } = useTranslation('seatmap');
  const lang = i18n.language;
  const reserveCart = useReserve(event);
  const queryClient = useQueryClient();
  const seatsAnswer = useQuery(seatsQuery(event, date.id));
  const seats = (seatsAnswer.data ?? []) as MapSeat[];
  const mapAnswer = useQuery({
    queryKey: ['date-map', event.id, date.id],
    queryFn: () => unwrap(api.GET('/api/events/{id}/dates/{date_id}/map', { params: { path: { id: event.id, date_id: date.id } }, headers: inOrganization(event.organization.id) })),
    enabled: seats.length > 0,
    staleTime: 5 * 60_000,
  });
  /** Seat id → the tariff it is bought at. */
  const [chosen, setChosen] = useState<Map<number, number>>(new Map());
  const [zoom, setZoom] = useState(0);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const seatedSections = date.sections.filter((s) => seats.some((seat) => seat.section_id === s.id));
  const bestTariffs = seatedSections.flatMap((s) => s.tariffs.filter((tf) => BUYABLE.has(tf.availability)).map((tf) => ({ section: s, tariff: tf })));
  const [best, setBest] = useState<{ tariffId: number | null; quantity: number; adjacent: boolean }>({ tariffId: null, quantity: 2, adjacent: true });
  if (seats.length === 0 || !mapAnswer.data) return null;

  const drawing = mapAnswer.data.date_map.document as MapDrawing;
  const styles = categoryStyles(drawing);
  const currency = date.sections.flatMap((s) => s.tariffs)[0]?.currency ?? 'EUR';
  const money = (amount: number) => formatMoney(amount, currency, lang);
  const tariffsOf = (sectionId: number): Tariff[] => (date.sections.find((s) => s.id === sectionId)?.tariffs ?? []).filter((tf) => BUYABLE.has(tf.availability));
  const cheapest = (sectionId: number) => tariffsOf(sectionId).reduce<Tariff | undefined>((a, b) => (a && a.price <= b.price ? a : b), undefined);
  const tariffById = (id: number) => date.sections.flatMap((s) => s.tariffs).find((tf) => tf.id === id)!;
  const multipleAreas = new Set(seats.map((s) => s.area)).size > 1;
  const nameOf = (seat: MapSeat) => t(multipleAreas ? 'seatIn' : 'seat', { area: seat.area, row: seat.row, number: seat.number });
  const lookOf = (seat: MapSeat): SeatLook => (chosen.has(seat.id) ? 'chosen' : seat.state !== 'free' ? (seat.state as SeatLook) : cheapest(seat.section_id) ? 'free' : 'unavailable');
  const labelOf = (seat: MapSeat, look: SeatLook) => {
    const tariffId = chosen.get(seat.id);
    const price = tariffId !== undefined ? tariffById(tariffId).price : cheapest(seat.section_id)?.price;
    // "Row C, seat 12, 45 €, available": the price only for a seat one could buy or has chosen.
    const flags = seat.flags.map((f) => t(`flags.${f}`, { defaultValue: f }));
    return [nameOf(seat), look === 'free' || look === 'chosen' ? money(price ?? 0) : null, t(`state.${look}`), ...flags].filter(Boolean).join(', ');
  };

  const toggle = (seat: MapSeat) => {
    const next = new Map(chosen);
    if (next.has(seat.id)) {
      next.delete(seat.id);
      setNotice(t('announceRemoved', { seat: nameOf(seat) }));
    } else {
      const tariff = cheapest(seat.section_id);
      if (seat.state !== 'free' || !tariff) {
        setNotice(t('announceTaken', { seat: nameOf(seat) }));
        return;
      }
      const max = Math.min(tariff.max_per_order, 100);
      if ([...next.values()].filter((id) => id === tariff.id).length >= max) {
        setError(t('tooMany', { max }));
        return;
      }
      next.set(seat.id, tariff.id);
      setNotice(t('announceChosen', { seat: nameOf(seat) }));
    }
    setError(null);
    setChosen(next);
  };

  const reserveWith = async (items: { date_id: number; tariff_id: number; seat_ids?: number[]; quantity?: number; adjacent?: boolean }[], explain: (error: unknown) => string) => {
    setBusy(true);
    setError(null);
    try {
      await reserveCart(items);
    } catch (err) {
      setError(explain(err));
      void queryClient.invalidateQueries({ queryKey: ['date-seats', event.id, date.id] });
    } finally {
      setBusy(false);
    }
  };

  const reserve = () => {
    const byTariff = new Map<number, number[]>();
    for (const [seatId, tariffId] of chosen) byTariff.set(tariffId, [...(byTariff.get(tariffId) ?? []), seatId]);
    return reserveWith([...byTariff].map(([tariffId, seatIds]) => ({ date_id: date.id, tariff_id: tariffId, seat_ids: seatIds })), (err) => {
      const taken = err instanceof ApiError && err.code === 'SOLD_OUT' ? ((err.details as { seat_ids?: number[] } | undefined)?.seat_ids ?? []) : [];
      if (taken.length === 0) return errorMessage(err, t);
      // The seats someone else has are given back; the others stay chosen.
      const next = new Map(chosen);
      for (const id of taken) next.delete(id);
      setChosen(next);
      const names = taken.map((id) => seats.find((s) => s.id === id)).filter((s): s is MapSeat => Boolean(s)).map(nameOf);
      return t('taken', { count: taken.length, seats: new Intl.ListFormat(lang, { type: 'conjunction' }).format(names) });
    });
  };

  const bestChoice = bestTariffs.find((b) => b.tariff.id === best.tariffId) ?? bestTariffs[0];
  const reserveBest = () =>
    bestChoice &&
    reserveWith([{ date_id: date.id, tariff_id: bestChoice.tariff.id, quantity: best.quantity, adjacent: best.adjacent }], (err) => {
      const details = err instanceof ApiError ? (err.details as { adjacent?: boolean; available?: number } | undefined) : undefined;
      if (err instanceof ApiError && err.code === 'SOLD_OUT' && details?.adjacent && (details.available ?? 0) >= best.quantity) return t('noAdjacent', { count: best.quantity });
      return errorMessage(err, t);
    });

  const chosenSeats = seats.filter((s) => chosen.has(s.id));
  const total = chosenSeats.reduce((sum, s) => sum + tariffById(chosen.get(s.id)!).price, 0);
  const free = seats.filter((s) => lookOf(s) === 'free').length;
  const titleId = `seats-${date.id}`;
  return (
    <Paper withBorder p="sm" mt="sm" component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Title order={4} id={titleId}>{t('title')}</Title>
        <Text size="sm" id={`${titleId}-help`}>{t('help')}</Text>
        <Group gap="xs">
          <ActionIcon variant="default" size="lg" aria-label={t('zoomOut')} disabled={zoom === 0} onClick={() => setZoom(Math.max(0, zoom - 1))}>−</ActionIcon>
          <ActionIcon variant="default" size="lg" aria-label={t('zoomIn')} disabled={zoom === ZOOMS.length - 1} onClick={() => setZoom(Math.min(ZOOMS.length - 1, zoom + 1))}>+</ActionIcon>
          <Button variant="default" size="xs" onClick={() => setZoom(0)} disabled={zoom === 0}>{t('zoomReset')}</Button>
        </Group>
        <div style={{ overflow: 'auto', maxHeight: '70vh', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4 }} aria-describedby={`${titleId}-help`}>
          <SeatMap seats={seats} drawing={drawing} lookOf={lookOf} labelOf={labelOf} onToggle={toggle} label={t('map', { count: free })} zoom={ZOOMS[zoom]} />
        </div>
        <Group gap="md" component="ul" aria-label={t('legend')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {drawing.categories.map((c) => {
            const style = styles.get(c.key)!;
            const section = Number(mapAnswer.data.date_map.category_sections[c.key]);
            const price = cheapest(section)?.price;
            return (
              <Group component="li" gap={6} key={c.key}>
                <LegendMark look="free" shape={style.shape} color={style.color} />
                <Text size="sm">{price !== undefined ? `${c.name} · ${money(price)}` : c.name}</Text>
              </Group>
            );
          })}
          {(['chosen', 'taken', 'unavailable'] as const).map((look) => (
            <Group component="li" gap={6} key={look}>
              <LegendMark look={look} shape="circle" color="#fff" />
              <Text size="sm">{t(look === 'chosen' ? 'legendChosen' : look === 'taken' ? 'legendTaken' : 'legendUnavailable')}</Text>
            </Group>
          ))}
        </Group>
        <VisuallyHidden aria-live="polite">{notice}</VisuallyHidden>
        {error !== null && <Alert color="red" role="alert">{error}</Alert>}
        <Stack gap={4}>
          <Title order={5}>{t('chosen', { count: chosenSeats.length })}</Title>
          {chosenSeats.length === 0 ? (
            <Text size="sm">{t('noneChosen')}</Text>
          ) : (
            <Table verticalSpacing={4}>
              <Table.Tbody>
                {chosenSeats.map((seat) => {
                  const options = tariffsOf(seat.section_id);
                  const tariffId = chosen.get(seat.id)!;
                  return (
                    <Table.Tr key={seat.id}>
                      <Table.Td><Text size="sm">{nameOf(seat)}</Text></Table.Td>
                      <Table.Td>
                        {options.length > 1 ? (
                          <NativeSelect
                            size="xs"
                            aria-label={t('tariffOf', { seat: nameOf(seat) })}
                            value={String(tariffId)}
                            onChange={(e) => setChosen(new Map(chosen).set(seat.id, Number(e.currentTarget.value)))}
                            data={options.map((tf) => ({ value: String(tf.id), label: `${tf.label} · ${money(tf.price)}` }))}
                          />
                        ) : (
                          <Text size="sm">{`${tariffById(tariffId).label} · ${money(tariffById(tariffId).price)}`}</Text>
                        )}
                      </Table.Td>
                      <Table.Td w={1}>
                        <Button variant="subtle" size="xs" onClick={() => toggle(seat)} aria-label={t('remove', { seat: nameOf(seat) })}>✕</Button>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
          <Group justify="space-between">
            <Text fw={700}>{t('total', { total: money(total) })}</Text>
            <Button onClick={() => void reserve()} loading={busy} disabled={chosenSeats.length === 0}>{t('reserve')}</Button>
          </Group>
        </Stack>
        {bestChoice && (
          <Stack gap={6} component="fieldset" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4, padding: 'var(--mantine-spacing-sm)' }}>
            <Text component="legend" fw={600} size="sm">{t('best')}</Text>
            <Group align="end" gap="sm">
              {bestTariffs.length > 1 && (
                <NativeSelect
                  label={t('bestSection')}
                  value={String(bestChoice.tariff.id)}
                  onChange={(e) => setBest({ ...best, tariffId: Number(e.currentTarget.value) })}
                  data={bestTariffs.map((b) => ({ value: String(b.tariff.id), label: `${b.section.name} — ${b.tariff.label} · ${money(b.tariff.price)}` }))}
                />
              )}
              <NativeSelect
                label={t('bestQuantity')}
                value={String(best.quantity)}
                onChange={(e) => setBest({ ...best, quantity: Number(e.currentTarget.value) })}
                data={Array.from({ length: Math.min(bestChoice.tariff.max_per_order, 10) }, (_, i) => String(i + 1))}
              />
              <Checkbox label={t('bestAdjacent')} checked={best.adjacent} onChange={(e) => setBest({ ...best, adjacent: e.currentTarget.checked })} mb={8} />
              <Button variant="light" onClick={() => void reserveBest()} loading={busy}>{t('bestReserve')}</Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
