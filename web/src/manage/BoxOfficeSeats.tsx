import '../shop/seatmap/locales.ts';
import './locales-box-office-seats.ts';
import { useState } from 'react';
import { ActionIcon, Button, Group, NativeSelect, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../shared/api.ts';
import { formatMoney } from '../shared/format.ts';
import { categoryStyles, LegendMark, SeatMap, type MapDrawing, type MapSeat, type SeatLook } from '../shop/seatmap/SeatMap.tsx';

const ZOOMS = [1, 1.5, 2, 3, 4];

export interface CounterTariff {
  id: number;
  section_id: number;
  label: string;
  price: number;
  currency: string;
}

/**
 * The seats of a date as the box office sees them (every seat's state, polled as the shop does) and
 * the map they are drawn from. No seat: a general-admission date.
 */
export function useDateSeats(headers: Record<string, string>, organizationId: number, eventId: number | null, dateId: number | null) {
  const seats = useQuery({
    queryKey: ['manage', organizationId, 'date-seats', eventId, dateId],
    queryFn: async () => (await unwrap(api.GET('/api/events/{id}/dates/{date_id}/seats', { headers, params: { path: { id: eventId!, date_id: dateId! } } }))).seats as MapSeat[],
    enabled: eventId !== null && dateId !== null,
    refetchInterval: 15_000,
  });
  const seated = (seats.data ?? []).length > 0;
  const map = useQuery({
    queryKey: ['manage', organizationId, 'date-map', eventId, dateId],
    queryFn: () => unwrap(api.GET('/api/events/{id}/dates/{date_id}/map', { headers, params: { path: { id: eventId!, date_id: dateId! } } })),
    enabled: seated,
    staleTime: 5 * 60_000,
  });
  return {
    seats: seats.data ?? [],
    /** Still finding out whether the date is seated. */
    pending: eventId !== null && dateId !== null && (seats.isPending || (seated && map.isPending)),
    drawing: map.data ? (map.data.date_map.document as MapDrawing) : null,
    categorySections: (map.data?.date_map.category_sections ?? {}) as Record<string, number>,
  };
}

/** A seat's name as said and printed: "Row C, seat 12" (with its area when the map has several). */
export function useSeatName(seats: { area: string }[]) {
  const { t } = useTranslation('seatmap');
  const multipleAreas = new Set(seats.map((s) => s.area)).size > 1;
  return (seat: { area: string; row: string; number: string }) => t(multipleAreas ? 'seatIn' : 'seat', { area: seat.area, row: seat.row, number: seat.number });
}

/**
 * The clerk picks seats on the date's seat map (the shop's component: mouse, touch or keyboard),
 * each at its section's first tariff, changeable per seat. `chosen` maps a seat to its tariff.
 */
export function CounterSeatPicker({ seats, drawing, categorySections, tariffs, chosen, onChange, lang }: {
  seats: MapSeat[];
  drawing: MapDrawing;
  categorySections: Record<string, number>;
  tariffs: CounterTariff[];
  chosen: Map<number, number>;
  onChange: (next: Map<number, number>) => void;
  lang: string;
}) {
  const { t } = useTranslation('manage');
  const { t: ts } = useTranslation('seatmap');
  const [zoom, setZoom] = useState(0);
  const [notice, setNotice] = useState('');
  const nameOf = useSeatName(seats);
  const styles = categoryStyles(drawing);
  const tariffsOf = (sectionId: number) => tariffs.filter((x) => x.section_id === sectionId);
  const tariffById = (id: number) => tariffs.find((x) => x.id === id)!;
  const money = (amount: number, currency = tariffs[0]?.currency ?? 'EUR') => formatMoney(amount, currency, lang);
  const lookOf = (seat: MapSeat): SeatLook => (chosen.has(seat.id) ? 'chosen' : seat.state !== 'free' ? (seat.state as SeatLook) : tariffsOf(seat.section_id).length > 0 ? 'free' : 'unavailable');
  const labelOf = (seat: MapSeat, look: SeatLook) => {
    const tariff = chosen.has(seat.id) ? tariffById(chosen.get(seat.id)!) : tariffsOf(seat.section_id)[0];
    const flags = seat.flags.map((f) => ts(`flags.${f}`, { defaultValue: f }));
    return [nameOf(seat), (look === 'free' || look === 'chosen') && tariff ? money(tariff.price, tariff.currency) : null, ts(`state.${look}`), ...flags].filter(Boolean).join(', ');
  };
  const toggle = (seat: MapSeat) => {
    const next = new Map(chosen);
    if (next.has(seat.id)) {
      next.delete(seat.id);
      setNotice(ts('announceRemoved', { seat: nameOf(seat) }));
    } else {
      const tariff = tariffsOf(seat.section_id)[0];
      if (seat.state !== 'free' || !tariff) {
        setNotice(tariff ? ts('announceTaken', { seat: nameOf(seat) }) : t('boxOfficeSeats.noTariff'));
        return;
      }
      next.set(seat.id, tariff.id);
      setNotice(ts('announceChosen', { seat: nameOf(seat) }));
    }
    onChange(next);
  };
  const chosenSeats = seats.filter((s) => chosen.has(s.id));
  const total = chosenSeats.reduce((sum, s) => sum + tariffById(chosen.get(s.id)!).price, 0);
  const free = seats.filter((s) => lookOf(s) === 'free').length;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="counter-seats-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="counter-seats-title">{t('boxOfficeSeats.title')}</Title>
        <Text size="sm" id="counter-seats-help">{ts('help')}</Text>
        <Group gap="xs">
          <ActionIcon variant="default" size="lg" aria-label={ts('zoomOut')} disabled={zoom === 0} onClick={() => setZoom(Math.max(0, zoom - 1))}>−</ActionIcon>
          <ActionIcon variant="default" size="lg" aria-label={ts('zoomIn')} disabled={zoom === ZOOMS.length - 1} onClick={() => setZoom(Math.min(ZOOMS.length - 1, zoom + 1))}>+</ActionIcon>
          <Button variant="default" size="xs" onClick={() => setZoom(0)} disabled={zoom === 0}>{ts('zoomReset')}</Button>
        </Group>
        <div style={{ overflow: 'auto', maxHeight: '70vh', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4 }} aria-describedby="counter-seats-help">
          <SeatMap seats={seats} drawing={drawing} lookOf={lookOf} labelOf={labelOf} onToggle={toggle} label={ts('map', { count: free })} zoom={ZOOMS[zoom]} />
        </div>
        <Group gap="md" component="ul" aria-label={ts('legend')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {drawing.categories.map((c) => {
            const style = styles.get(c.key)!;
            const first = tariffsOf(Number(categorySections[c.key]))[0];
            return (
              <Group component="li" gap={6} key={c.key}>
                <LegendMark look="free" shape={style.shape} color={style.color} />
                <Text size="sm">{first ? `${c.name} · ${money(first.price, first.currency)}` : c.name}</Text>
              </Group>
            );
          })}
          {(['chosen', 'taken', 'unavailable'] as const).map((look) => (
            <Group component="li" gap={6} key={look}>
              <LegendMark look={look} shape="circle" color="#fff" />
              <Text size="sm">{ts(look === 'chosen' ? 'legendChosen' : look === 'taken' ? 'legendTaken' : 'legendUnavailable')}</Text>
            </Group>
          ))}
        </Group>
        <VisuallyHidden aria-live="polite">{notice}</VisuallyHidden>
        <Title order={3} size="h5">{t('boxOfficeSeats.chosen', { count: chosenSeats.length })}</Title>
        {chosenSeats.length === 0 ? (
          <Text size="sm">{t('boxOfficeSeats.noneChosen')}</Text>
        ) : (
          <Table verticalSpacing={4}>
            <Table.Tbody>
              {chosenSeats.map((seat) => {
                const options = tariffsOf(seat.section_id);
                const tariff = tariffById(chosen.get(seat.id)!);
                return (
                  <Table.Tr key={seat.id}>
                    <Table.Td><Text size="sm">{nameOf(seat)}</Text></Table.Td>
                    <Table.Td>
                      {options.length > 1 ? (
                        <NativeSelect size="xs" aria-label={t('boxOfficeSeats.tariffOf', { seat: nameOf(seat) })} value={String(tariff.id)}
                          onChange={(e) => onChange(new Map(chosen).set(seat.id, Number(e.currentTarget.value)))}
                          data={options.map((x) => ({ value: String(x.id), label: `${x.label} · ${money(x.price, x.currency)}` }))} />
                      ) : (
                        <Text size="sm">{`${tariff.label} · ${money(tariff.price, tariff.currency)}`}</Text>
                      )}
                    </Table.Td>
                    <Table.Td w={1}>
                      <Button variant="subtle" size="xs" onClick={() => toggle(seat)} aria-label={t('boxOfficeSeats.remove', { seat: nameOf(seat) })}>✕</Button>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
        <Text fw={700}>{t('boxOfficeSeats.total', { total: money(total) })}</Text>
      </Stack>
    </Paper>
  );
}
