import { lazy, Suspense, useState } from 'react';
import { Alert, Anchor, Button, Card, Group, Image, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, inOrganization, unwrap } from '../shared/api.ts';
import { errorMessage } from '../shared/errors.ts';
import { formatDateTime, formatMoney } from '../shared/format.ts';
import { usePageTitle } from '../shared/page.ts';
import { LoadError, Loading } from '../shared/Status.tsx';
import { AvailabilityBadge, BUYABLE } from './Events.tsx';
import { shopEventQuery } from './queries.ts';

// The seat map's code loads only for a date sold seat by seat: a general-admission page never downloads it.
const SeatedDate = lazy(async () => ({ default: (await import('./seatmap/SeatedDate.tsx')).SeatedDate }));


/**
 * An event: description, image, venue and address, every date with its sections and tariffs; choose and reserve.
 * `preview`: the back office's preview of an event not yet on sale, read by staff (same body): buying is disabled.
 */
export function EventPage({ preview }: { preview?: ReturnType<typeof shopEventQuery> } = {}) {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation('shop');
  const navigate = useNavigate();
  const query = useQuery(preview ?? { ...shopEventQuery(id), refetchInterval: 30_000 });
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  usePageTitle(query.data?.event.title);
  if (query.isPending) return <Loading />;
  if (query.isError) return <LoadError error={query.error} retry={() => void query.refetch()} />;
  const event = query.data.event;
  const lang = i18n.language;
  const chosen = Object.entries(quantities).filter(([, q]) => q > 0).map(([key, quantity]) => {
    const [dateId, tariffId] = key.split(':').map(Number);
    return { date_id: dateId, tariff_id: tariffId, quantity };
  });
  const priceOf = (tariffId: number) => event.dates.flatMap((d) => d.sections.flatMap((s) => s.tariffs)).find((tf) => tf.id === tariffId)!;
  const total = chosen.reduce((sum, c) => sum + priceOf(c.tariff_id).price * c.quantity, 0);
  const currency = event.price_from?.currency ?? 'EUR';

  const reserve = async () => {
    if (chosen.length === 0) {
      setError(new Error(t('event.nothingChosen')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await unwrap(api.POST('/api/carts', { body: { cart: { items: chosen } }, headers: inOrganization(event.organization.id) }));
      navigate(`/checkout/${event.organization.id}/${answer.cart.id}?event=${event.id}`);
    } catch (err) {
      setError(err);
      void query.refetch();
    } finally {
      setBusy(false);
    }
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
        {event.dates.map((date) => (
          <Card withBorder key={date.id} component="article" aria-labelledby={`date-${date.id}`}>
            <Group justify="space-between" mb="sm">
              <Title order={3} size="h4" id={`date-${date.id}`}>{formatDateTime(date.starts_at, event.time_zone, lang)}</Title>
              <AvailabilityBadge level={date.availability} />
            </Group>
            <Table.ScrollContainer minWidth={320}>
              <Table verticalSpacing="xs">
                <Table.Tbody>
                  {date.sections.filter((section) => !section.seated).flatMap((section) =>
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
                                data={Array.from({ length: max + 1 }, (_, n) => String(n))}
                              />
                            )}
                          </Table.Td>
                        </Table.Tr>
                      );
                    }),
                  )}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {date.sections.some((section) => section.seated) && (
              <Suspense fallback={<Loading />}>
                {preview ? <fieldset disabled style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}><SeatedDate event={event} date={date} /></fieldset> : <SeatedDate event={event} date={date} />}
              </Suspense>
            )}
          </Card>
        ))}
      </Stack>
      {/* The quantity lists' action: a page sold only on seat maps has the maps' own, so no second one at €0.00. */}
      {(chosen.length > 0 || event.dates.some((date) => date.sections.some((section) => section.tariffs.length > 0 && !section.seated))) && (
      <Paper withBorder p="md" pos="sticky" bottom={0} style={{ zIndex: 2 }}>
        <Stack gap="xs">
          {error !== null && <Alert color="red" role="alert">{error instanceof Error && !('code' in error) ? error.message : errorMessage(error, t)}</Alert>}
          <Group justify="space-between">
            <Text fw={700} aria-live="polite">{t('event.total', { total: formatMoney(total, currency, lang) })}</Text>
            <Button onClick={() => void reserve()} loading={busy} disabled={Boolean(preview)} size="md">{t('event.addToCart')}</Button>
          </Group>
        </Stack>
      </Paper>
      )}
    </Stack>
  );
}
