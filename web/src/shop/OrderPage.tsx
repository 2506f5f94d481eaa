import { Alert, Badge, Card, Group, Image, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../shared/api.ts';
import { formatDateTime, formatMoney } from '../shared/format.ts';
import { usePageTitle } from '../shared/page.ts';
import { LoadError, Loading } from '../shared/Status.tsx';

/** An order through its signed link: the confirmation page after paying, and what the e-mail opens. */
export function OrderPage() {
  const { token = '' } = useParams();
  const { t, i18n } = useTranslation('shop');
  const lang = i18n.language;
  const query = useQuery({ queryKey: ['order-link', token], queryFn: () => unwrap(api.GET('/api/order_links/{token}', { params: { path: { token } } })) });
  usePageTitle(query.data ? t('order.title', { number: query.data.order.number }) : undefined);
  if (query.isPending) return <Loading />;
  if (query.isError) return <LoadError error={query.error} />;
  const { order, tickets } = query.data;
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t('order.title', { number: order.number })}</Title>
        <Group>
          <Badge color={order.status === 'paid' ? '#1b5e20' : '#495057'} variant="filled">{t(`order.status.${order.status}`, { defaultValue: order.status })}</Badge>
          <Text fw={600}>{formatMoney(order.total, order.currency, lang)}</Text>
        </Group>
      </Stack>
      {order.status === 'paid' ? <Alert color="#1b5e20" role="status" title={t('order.thanks')}>{t('order.keepLink')}</Alert> : order.status === 'pending' && <Alert color="#8a3b00">{t('order.pending')}</Alert>}
      <Title order={2} size="h3">{t('order.tickets')}</Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {tickets.map((ticket) => (
          <Card withBorder key={ticket.id} component="article" aria-label={`${ticket.event_title} ${ticket.barcode}`}>
            <Stack gap={4}>
              <Title order={3} size="h4">{ticket.event_title}</Title>
              <Text>{formatDateTime(ticket.starts_at, ticket.time_zone, lang)}</Text>
              {ticket.venue && <Text size="sm">{ticket.venue.name}, {ticket.venue.city}</Text>}
              <Text size="sm">{t('common:field', { label: t('order.section'), value: ticket.section_name + (ticket.tariff_label ? ` · ${ticket.tariff_label}` : '') })}</Text>
              {ticket.holder_name && <Text size="sm">{t('common:field', { label: t('order.holder'), value: ticket.holder_name })}</Text>}
              {ticket.qr_payload && (
                <Image src={`/api/order_links/${token}/tickets/${ticket.id}/qr_code`} alt={t('order.qr', { barcode: ticket.barcode })} w={180} h={180} fit="contain" />
              )}
              <Text ff="monospace" size="sm">{ticket.barcode}</Text>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
