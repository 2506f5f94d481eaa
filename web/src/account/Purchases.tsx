import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Card, Group, Image, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, inOrganization, unwrap } from '../shared/api.ts';
import { errorMessage } from '../shared/errors.ts';
import { formatDateTime, formatMoney } from '../shared/format.ts';
import { LoadError, Loading } from '../shared/Status.tsx';
import { TicketTransfer, useMyTransfers } from './Transfers.tsx';

/** A ticket's QR code: fetched with the session (and its organization), shown from a blob URL. */
function QrCode({ ticketId, organizationId, label }: { ticketId: number; organizationId: number; label: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let revoked = false;
    let objectUrl: string | null = null;
    void fetch(`/api/tickets/${ticketId}/qr_code?format=svg`, { headers: inOrganization(organizationId), credentials: 'same-origin' })
      .then((r) => (r.ok ? r.blob() : null))
      .then((blob) => {
        if (!blob || revoked) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      });
    return () => {
      revoked = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [ticketId, organizationId]);
  return url ? <Image src={url} alt={label} w={160} h={160} fit="contain" /> : null;
}

function HolderForm({ ticketId, organizationId, current }: { ticketId: number; organizationId: number; current: string | null }) {
  const { t } = useTranslation('account');
  const queryClient = useQueryClient();
  const [name, setName] = useState(current ?? '');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    try {
      await unwrap(api.PATCH('/api/tickets/{id}', { params: { path: { id: ticketId } }, headers: inOrganization(organizationId), body: { ticket: { holder_name: name.trim() || null } } }));
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: ['me-tickets'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={save}>
      <Group align="flex-end" gap="xs">
        <TextInput label={t('holderName')} value={name} onChange={(e) => setName(e.currentTarget.value)} size="xs" />
        <Button type="submit" size="xs" variant="light">{t('common:save')}</Button>
      </Group>
      {saved && <Text size="xs" role="status">{t('holderSaved')}</Text>}
      {error !== null && <Text size="xs" c="red.9" role="alert">{errorMessage(error, t)}</Text>}
    </form>
  );
}

/** "My tickets": upcoming first, with QR codes; the holder's name can be changed. */
export function MyTickets() {
  const { t, i18n } = useTranslation('account');
  const lang = i18n.language;
  const tickets = useQuery({ queryKey: ['me-tickets'], queryFn: () => unwrap(api.GET('/api/me/tickets')) });
  const transfers = useMyTransfers();
  const offered = (ticketId: number) => transfers.data?.transfers.find((x) => x.direction === 'sent' && x.status === 'pending' && x.tickets.some((tk) => tk.id === ticketId));
  if (tickets.isPending) return <Loading />;
  if (tickets.isError) return <LoadError error={tickets.error} />;
  const now = new Date().toISOString();
  if (tickets.data.tickets.length === 0) return <Text>{t('noTickets')}</Text>;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      {tickets.data.tickets.map((ticket) => (
        <Card withBorder key={ticket.id} component="article" aria-label={`${ticket.event_title} ${ticket.barcode}`}>
          <Stack gap={4}>
            <Group justify="space-between">
              <Title order={3} size="h4">{ticket.event_title}</Title>
              <Badge color={ticket.starts_at >= now ? '#1c3f94' : '#495057'} variant="filled">{ticket.starts_at >= now ? t('upcoming') : t('past')}</Badge>
            </Group>
            <Text>{formatDateTime(ticket.starts_at, ticket.time_zone, lang)}</Text>
            {ticket.venue && <Text size="sm">{ticket.venue.name}, {ticket.venue.city}</Text>}
            <Text size="sm">{ticket.section_name}{ticket.tariff_label ? ` · ${ticket.tariff_label}` : ''} · {ticket.organization_name}</Text>
            {ticket.holder_name && <Text size="sm">{t('common:field', { label: t('holder'), value: ticket.holder_name })}</Text>}
            <QrCode ticketId={ticket.id} organizationId={ticket.organization_id} label={t('qr', { barcode: ticket.barcode })} />
            <Text ff="monospace" size="sm">{ticket.barcode}</Text>
            <HolderForm ticketId={ticket.id} organizationId={ticket.organization_id} current={ticket.holder_name} />
            <TicketTransfer ticketId={ticket.id} organizationId={ticket.organization_id} pending={offered(ticket.id)} />
          </Stack>
        </Card>
      ))}
    </SimpleGrid>
  );
}

/** "My orders": newest first; a pending order can be cancelled. */
export function MyOrders() {
  const { t, i18n } = useTranslation('account');
  const lang = i18n.language;
  const queryClient = useQueryClient();
  const orders = useQuery({ queryKey: ['me-orders'], queryFn: () => unwrap(api.GET('/api/me/orders', { params: { query: { per_page: 50 } } })) });
  const [error, setError] = useState<unknown>(null);
  if (orders.isPending) return <Loading />;
  if (orders.isError) return <LoadError error={orders.error} />;
  if (orders.data.orders.length === 0) return <Text>{t('noOrders')}</Text>;
  const cancel = async (id: number, organizationId: number) => {
    setError(null);
    try {
      await unwrap(api.POST('/api/orders/{id}/cancellation', { params: { path: { id } }, headers: inOrganization(organizationId), body: null }));
      await queryClient.invalidateQueries({ queryKey: ['me-orders'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Stack>
      {error !== null && <Alert color="red" role="alert">{errorMessage(error, t)}</Alert>}
      {orders.data.orders.map((order) => (
        <Card withBorder key={order.id} component="article" aria-label={t('orderNumber', { number: order.number })}>
          <Group justify="space-between">
            <Stack gap={2}>
              <Text fw={700}>{t('orderNumber', { number: order.number })} · {order.organization_name}</Text>
              {order.events.map((e, i) => (
                <Text size="sm" key={i}>{e.quantity} × {e.title} — {formatDateTime(e.starts_at, e.time_zone, lang, { dateStyle: 'medium', timeStyle: 'short' })}</Text>
              ))}
            </Stack>
            <Stack gap={4} align="flex-end">
              <Text fw={600}>{formatMoney(order.total, order.currency, lang)}</Text>
              <Badge variant="filled" color={order.status === 'paid' ? '#1b5e20' : '#495057'}>{t(`status.${order.status}`, { defaultValue: order.status })}</Badge>
              {order.status === 'pending' && <Button size="xs" variant="default" onClick={() => void cancel(order.id, order.organization_id)}>{t('cancelOrder')}</Button>}
            </Stack>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
