import { lazy, Suspense, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { Alert, Anchor, Button, Card, Group, Image, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { paths } from '../shared/api-types.ts';
import { errorMessage } from '../shared/errors.ts';
import { formatDateTime, formatMoney } from '../shared/format.ts';
import { usePageTitle } from '../shared/page.ts';
import { LoadError, Loading } from '../shared/Status.tsx';
import { AvailabilityBadge, BUYABLE } from './Events.tsx';
import { shopEventQuery } from './queries.ts';
import { useReserve } from './reserve.ts';

// The seat map's code loads only for a date sold seat by seat: a general-admission page never downloads it.
const SeatedDate = lazy(async () => ({ default: (await import('./seatmap/SeatedDate.tsx')).SeatedDate }));

type ShopEvent = paths['/api/shop/events/{id}']['get']['responses'][200]['content']['application/json']['event'];
type ShopDate = ShopEvent['dates'][number];
type Item = { date_id: number; tariff_id: number; quantity: number };

/** A date's sections sold by quantity (its quantity list); the seated ones are its map's. */
const quantitySections = (date: ShopDate) => date.sections.filter((section) => !section.seated && section.tariffs.length > 0);
/** A date laid out from a seat map: the map and its own "Reserve these seats" sell its seated sections. */
const hasMap = (date: ShopDate) => date.sections.some((section) => section.seated);

/**
 * The dates in groups, each with at most one "Reserve these tickets" bar, so the bar is only ever
 * beside quantity lists: consecutive dates without a map share the bar after them (one cart may hold
 * several of them); a date with a map stands alone, its bar (when it also sells standing places by
 * quantity) between its quantity list and its map.
 */
function groupDates(dates: ShopDate[]): ShopDate[][] {
  const groups: ShopDate[][] = [];
  for (const date of dates) {
    const last = groups[groups.length - 1];
    if (!hasMap(date) && last && !hasMap(last[0])) last.push(date);
    else groups.push([date]);
  }
  return groups;
}

/**
 * An event: description, image, venue and address, every date with its sections and tariffs; choose and reserve.
 * `preview`: the back office's preview of an event not yet on sale, read by staff (same body): buying is disabled.
 */
export function EventPage({ preview }: { preview?: ReturnType<typeof shopEventQuery> } = {}) {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation('shop');
  const query = useQuery(preview ?? { ...shopEventQuery(id), refetchInterval: 30_000 });
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  usePageTitle(query.data?.event.title);
  if (query.isPending) return <Loading />;
  if (query.isError) return <LoadError error={query.error} retry={() => void query.refetch()} />;
  const event = query.data.event;
  const lang = i18n.language;
  const chosen: Item[] = Object.entries(quantities).filter(([, q]) => q > 0).map(([key, quantity]) => {
    const [dateId, tariffId] = key.split(':').map(Number);
    return { date_id: dateId, tariff_id: tariffId, quantity };
  });
  const priceOf = (tariffId: number) => event.dates.flatMap((d) => d.sections.flatMap((s) => s.tariffs)).find((tf) => tf.id === tariffId)!;

  // A group's bar shows when its quantity lists offer something to choose, or hold a choice.
  const groups = groupDates(event.dates).map((dates) => {
    const items = chosen.filter((c) => dates.some((d) => d.id === c.date_id));
    const choosable = dates.some((d) => quantitySections(d).some((s) => s.tariffs.some((tf) => BUYABLE.has(tf.availability))));
    return { dates, items, withBar: items.length > 0 || choosable };
  });
  const severalBars = groups.filter((g) => g.withBar).length > 1;
  const barOf = (group: (typeof groups)[number]) =>
    group.withBar && (
      <ReserveBar
        event={event}
        items={group.items}
        total={group.items.reduce((sum, c) => sum + priceOf(c.tariff_id).price * c.quantity, 0)}
        disabled={Boolean(preview)}
        // With several bars on the page, each button says which date(s) it reserves.
        describedBy={severalBars ? group.dates.map((d) => `date-${d.id}`).join(' ') : undefined}
        onRefused={() => void query.refetch()}
      />
    );

  const dateCard = (date: ShopDate, bar: ReactNode) => {
    const rows = quantitySections(date).flatMap((section) =>
      section.tariffs.map((tariff) => {
        const key = `${date.id}:${tariff.id}`;
        const label = `${section.name} — ${tariff.label}`;
        const max = Math.min(tariff.max_per_order, 10);
        return (
          <Table.Tr key={key}>
            <Table.Td>
              <Text fw={600}>{label}</Text>
              <AvailabilityBadge level={tariff.availability} />
              {tariff.availability === 'not_yet_on_sale' && tariff.sale_starts_at ? (
                <Text size="sm">{t('event.salesOpen', { date: formatDateTime(tariff.sale_starts_at, event.time_zone, lang, { dateStyle: 'long', timeStyle: 'short' }) })}</Text>
              ) : (
                <Text size="sm" c="dimmed">{t('event.maxPerOrder', { max: tariff.max_per_order })}</Text>
              )}
            </Table.Td>
            <Table.Td><Text fw={600}>{formatMoney(tariff.price, tariff.currency, lang)}</Text></Table.Td>
            <Table.Td w={110}>
              {BUYABLE.has(tariff.availability) && (
                <NativeSelect
                  disabled={Boolean(preview)}
                  aria-label={t('event.quantity', { tariff: `${label}, ${formatDateTime(date.starts_at, event.time_zone, lang, { dateStyle: 'medium', timeStyle: 'short' })}` })}
                  value={String(quantities[key] ?? 0)}
                  onChange={(e) => setQuantities({ ...quantities, [key]: Number(e.currentTarget.value) })}
                  // Reached with the keyboard: its whole row (name, price, limit) in view, above a bar stuck at the bottom.
                  onFocus={(e) => e.currentTarget.matches(':focus-visible') && e.currentTarget.closest('tr')?.scrollIntoView({ block: 'nearest' })}
                  data={Array.from({ length: max + 1 }, (_, n) => String(n))}
                />
              )}
            </Table.Td>
          </Table.Tr>
        );
      }),
    );
    const list = rows.length > 0 && (
      <Table.ScrollContainer minWidth={320}>
        <Table verticalSpacing="xs">
          <Table.Tbody>{rows}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
    return (
      // A bar inside the card sticks to the screen's bottom only along the quantity list it follows: the card must not clip it.
      <Card withBorder key={date.id} component="article" aria-labelledby={`date-${date.id}`} style={bar ? { overflow: 'visible' } : undefined}>
        <Group justify="space-between" mb="sm">
          <Title order={3} size="h4" id={`date-${date.id}`}>{formatDateTime(date.starts_at, event.time_zone, lang)}</Title>
          <AvailabilityBadge level={date.availability} />
        </Group>
        {bar ? <div>{list}{bar}</div> : list}
        {hasMap(date) && (
          <Suspense fallback={<Loading />}>
            {preview ? <fieldset disabled style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}><SeatedDate event={event} date={date} /></fieldset> : <SeatedDate event={event} date={date} />}
          </Suspense>
        )}
      </Card>
    );
  };

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{event.title}</Title>
        <Text>
          <Anchor component={Link} to={`/o/${event.organization.slug}`}>{t('by', { name: event.organization.name })}</Anchor>
          {event.category && ` · ${event.category.name[lang as 'en' | 'fr' | 'de'] ?? event.category.name.en}`}
        </Text>
      </Stack>
      {event.image_url && <Image src={event.image_url} alt="" radius="md" mah={320} fit="cover" />}
      {event.description && <Text style={{ whiteSpace: 'pre-line' }}>{event.description}</Text>}
      {event.venue && (
        <Paper withBorder p="md" component="section" aria-labelledby="venue-title">
          <Title order={2} size="h4" id="venue-title">{t('event.venue')}</Title>
          <Text fw={600}>{event.venue.name}</Text>
          <Text component="address" style={{ fontStyle: 'normal' }}>
            {[event.venue.address_line1, event.venue.address_line2, [event.venue.zip, event.venue.city].filter(Boolean).join(' '), event.venue.country_code].filter(Boolean).join(', ')}
          </Text>
        </Paper>
      )}
      <Stack component="section" aria-labelledby="dates-title">
        <Title order={2} size="h3" id="dates-title">{t('event.dates')}</Title>
        {event.holder_names === 'required' && <Text size="sm">{t('event.namesRequired')}</Text>}
        {event.dates.length === 0 && <Text>{t('event.noDates')}</Text>}
        {groups.map((group) =>
          hasMap(group.dates[0]) ? (
            dateCard(group.dates[0], barOf(group))
          ) : (
            // The bar sticks to the screen's bottom while these dates are in view, and stays after them: never beside another date's map.
            <Stack key={`dates-${group.dates[0].id}`}>
              {group.dates.map((date) => dateCard(date, null))}
              {barOf(group)}
            </Stack>
          ),
        )}
      </Stack>
    </Stack>
  );
}

/**
 * The reserve bars' heights: while one is on the page, scrolling something into view (the keyboard's
 * focus, find in page, a link to an anchor) keeps that much room at the screen's bottom, so what is
 * scrolled to never lands behind a bar stuck there.
 */
const barHeights = new Map<Element, number>();
function useRoomAtBottom(ref: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const bar = ref.current;
    if (!bar || typeof ResizeObserver === 'undefined') return;
    const apply = () => {
      const room = Math.max(0, ...barHeights.values());
      document.documentElement.style.scrollPaddingBottom = room > 0 ? `${Math.ceil(room) + 8}px` : '';
    };
    const observer = new ResizeObserver(() => {
      barHeights.set(bar, bar.offsetHeight);
      apply();
    });
    observer.observe(bar);
    return () => {
      observer.disconnect();
      barHeights.delete(bar);
      apply();
    };
  }, [ref]);
}

/**
 * The quantity lists' action: the total of what is chosen in them (read out as it changes) and
 * "Reserve these tickets", which puts exactly those tickets in a new cart. Sticks to the screen's
 * bottom along its lists; "no tickets chosen yet" rather than a total of nothing.
 */
function ReserveBar({ event, items, total, disabled, describedBy, onRefused }: { event: ShopEvent; items: Item[]; total: number; disabled: boolean; describedBy?: string; onRefused: () => void }) {
  const { t, i18n } = useTranslation('shop');
  const reserveCart = useReserve(event);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useRoomAtBottom(ref);
  const currency = event.price_from?.currency ?? 'EUR';

  const reserve = async () => {
    if (items.length === 0) {
      setError(new Error(t('event.nothingChosen')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await reserveCart(items);
    } catch (err) {
      setError(err);
      onRefused();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper ref={ref} withBorder p="md" pos="sticky" bottom={0} style={{ zIndex: 2 }}>
      <Stack gap="xs">
        {error !== null && <Alert color="red" role="alert">{error instanceof Error && !('code' in error) ? error.message : errorMessage(error, t)}</Alert>}
        <Group justify="space-between">
          <Text fw={700} aria-live="polite">{items.length === 0 ? t('event.noneChosen') : t('event.total', { total: formatMoney(total, currency, i18n.language) })}</Text>
          <Button onClick={() => void reserve()} loading={busy} disabled={disabled} size="md" aria-describedby={describedBy}>{t('event.addToCart')}</Button>
        </Group>
      </Stack>
    </Paper>
  );
}
