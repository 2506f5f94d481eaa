import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, ApiError, inOrganization, unwrap } from '../shared/api.ts';
import { errorMessage } from '../shared/errors.ts';
import { EMAIL, formatDateTime } from '../shared/format.ts';
import { usePageTitle } from '../shared/page.ts';
import { useSession } from '../shared/session.tsx';
import { LoadError, Loading } from '../shared/Status.tsx';

/**
 * Sending tickets to someone (transfers, src/core/selling/transfers.ts): the sender offers tickets to
 * an e-mail address and may take the offer back while it is pending; the recipient claims it (the
 * tickets get new barcodes and become theirs) or declines it from the claim page the e-mail links to.
 */
export const TRANSFERS_KEY = ['me-transfers'] as const;
export type MyTransfer = Awaited<ReturnType<typeof fetchTransfers>>['transfers'][number];
const fetchTransfers = () => unwrap(api.GET('/api/me/transfers'));

export function useMyTransfers(enabled = true) {
  return useQuery({ queryKey: TRANSFERS_KEY, queryFn: fetchTransfers, enabled });
}

/** A refused transfer call, in the reader's language (the API's messages name the case in English). */
function transferError(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.code === 'INVALID_TRANSITION') {
      const status = (error.details as { status?: string } | undefined)?.status ?? '';
      return t('transfer.errors.settled', { status: t(`transfer.status.${status}`, { defaultValue: status }) });
    }
    if (error.code === 'CONFLICT') return t('transfer.errors.noLongerValid');
    if (error.code === 'VALIDATION_FAILED' && Array.isArray(error.details)) {
      const field = (error.details as { field: string }[])[0]?.field;
      if (field === 'recipient_email') return t('transfer.errors.recipient');
      if (field === 'ticket_ids') return t('transfer.errors.ticket');
    }
  }
  return errorMessage(error, t);
}

/** Under a ticket in "my tickets": send it to someone, or see the pending offer and take it back. */
export function TicketTransfer({ ticketId, organizationId, pending }: { ticketId: number; organizationId: number; pending: MyTransfer | undefined }) {
  const { t } = useTranslation('account');
  const session = useSession();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const run = async (call: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await call();
      setDone(message);
      await queryClient.invalidateQueries({ queryKey: TRANSFERS_KEY });
      await queryClient.invalidateQueries({ queryKey: ['me-tickets'] });
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const send = async (e: FormEvent) => {
    e.preventDefault();
    const to = email.trim().toLowerCase();
    if (!EMAIL.test(to)) return setProblem(t('transfer.invalidEmail'));
    if (to === session.account?.email.toLowerCase()) return setProblem(t('transfer.errors.recipient'));
    setProblem(null);
    const sent = await run(() => unwrap(api.POST('/api/transfers', { headers: inOrganization(organizationId), body: { transfer: { ticket_ids: [ticketId], recipient_email: to } } })), t('transfer.sent', { email: to }));
    if (sent) {
      setOpen(false);
      setEmail('');
    }
  };
  const cancel = (transfer: MyTransfer) =>
    run(() => unwrap(api.DELETE('/api/transfers/{id}', { params: { path: { id: transfer.id } }, headers: inOrganization(organizationId) })), t('transfer.cancelled'));

  return (
    <Stack gap={6}>
      {done && <Text size="sm" role="status">{done}</Text>}
      {error !== null && <Alert color="red" role="alert" p="xs">{transferError(error, t)}</Alert>}
      {pending ? (
        <Group gap="xs" wrap="wrap">
          <Badge color="#8a3b00" variant="filled">{t('transfer.pendingBadge')}</Badge>
          <Text size="sm">{t('transfer.pendingTo', { email: pending.recipient_email })}</Text>
          <Button size="xs" variant="default" loading={busy} onClick={() => void cancel(pending)}>{t('transfer.cancel')}</Button>
        </Group>
      ) : open ? (
        <form onSubmit={send} noValidate>
          <Stack gap="xs">
            <TextInput
              label={t('transfer.recipient')}
              description={t('transfer.recipientHelp')}
              type="email"
              autoComplete="off"
              size="xs"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={problem}
              autoFocus
            />
            <Group gap="xs">
              <Button type="submit" size="xs" loading={busy}>{t('transfer.send')}</Button>
              <Button size="xs" variant="subtle" onClick={() => { setOpen(false); setProblem(null); setError(null); }}>{t('common:cancel')}</Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Button size="xs" variant="light" w="fit-content" onClick={() => setOpen(true)}>{t('transfer.open')}</Button>
      )}
    </Stack>
  );
}

/** What a transfer offers: one line per ticket (event, date, section). */
function Offered({ transfer }: { transfer: MyTransfer }) {
  const { i18n } = useTranslation('account');
  return (
    <Stack gap={2}>
      {transfer.tickets.map((ticket) => (
        <Text key={ticket.id} size="sm">
          {ticket.event_title} — {formatDateTime(ticket.starts_at, ticket.time_zone, i18n.language, { dateStyle: 'medium', timeStyle: 'short' })} · {ticket.section_name}
          {ticket.tariff_label ? ` · ${ticket.tariff_label}` : ''}
        </Text>
      ))}
    </Stack>
  );
}

/** On the account page: tickets people sent you that wait for your answer. */
export function ReceivedTransfers() {
  const { t } = useTranslation('account');
  const transfers = useMyTransfers();
  const waiting = transfers.data?.transfers.filter((x) => x.direction === 'received' && x.status === 'pending') ?? [];
  if (waiting.length === 0) return null;
  return (
    <Stack component="section" aria-labelledby="received-title">
      <Title order={2} size="h3" id="received-title">{t('transfer.receivedTitle')}</Title>
      {waiting.map((transfer) => (
        <Card withBorder key={transfer.id} component="article" aria-label={t('transfer.from', { email: transfer.sender_email })}>
          <Group justify="space-between" align="flex-start">
            <Stack gap={4}>
              <Text fw={600}>{t('transfer.from', { email: transfer.sender_email })} · {transfer.organization_name}</Text>
              <Offered transfer={transfer} />
            </Stack>
            <Button component={Link} to={`/account/transfers/${transfer.id}`} size="sm">{t('transfer.answer')}</Button>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}

/** The claim page the recipient's e-mail links to: accept (new barcodes, the tickets become theirs) or decline. */
export function ClaimTransfer() {
  const { id = '' } = useParams();
  const { t } = useTranslation('account');
  usePageTitle(t('claim.title'));
  const session = useSession();
  const queryClient = useQueryClient();
  const transfers = useMyTransfers(session.account !== null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'claim' | 'reject' | null>(null);
  const [outcome, setOutcome] = useState<'claimed' | 'rejected' | null>(null);
  const here = `/account/transfers/${id}`;

  if (!session.ready) return <Loading />;
  if (!session.account) {
    return (
      <Paper withBorder p="lg" maw={560}>
        <Stack>
          <Title order={1}>{t('claim.title')}</Title>
          <Text>{t('claim.signInFirst')}</Text>
          <Group>
            <Button component={Link} to={`/account/sign-in?next=${encodeURIComponent(here)}`}>{t('signIn.submit')}</Button>
            <Button component={Link} variant="default" to={`/account/sign-up?next=${encodeURIComponent(here)}`}>{t('signIn.create')}</Button>
          </Group>
        </Stack>
      </Paper>
    );
  }
  if (transfers.isPending) return <Loading />;
  if (transfers.isError) return <LoadError error={transfers.error} retry={() => void transfers.refetch()} />;
  const transfer = transfers.data.transfers.find((x) => x.id === Number(id) && x.direction === 'received');

  const answer = async (kind: 'claim' | 'reject') => {
    if (!transfer) return;
    setBusy(kind);
    setError(null);
    try {
      const options = { params: { path: { id: transfer.id } }, headers: inOrganization(transfer.organization_id), body: null };
      if (kind === 'claim') await unwrap(api.POST('/api/transfers/{id}/claim', options));
      else await unwrap(api.POST('/api/transfers/{id}/rejection', options));
      setOutcome(kind === 'claim' ? 'claimed' : 'rejected');
      await queryClient.invalidateQueries({ queryKey: TRANSFERS_KEY });
      await queryClient.invalidateQueries({ queryKey: ['me-tickets'] });
    } catch (err) {
      setError(err);
      void transfers.refetch();
    } finally {
      setBusy(null);
    }
  };

  return (
    <Paper withBorder p="lg" maw={640}>
      <Stack>
        <Title order={1}>{t('claim.title')}</Title>
        {!transfer ? (
          <Alert color="red" role="alert" title={t('claim.notFound')}>{t('claim.notFoundHelp', { email: session.account.email })}</Alert>
        ) : (
          <>
            <Text>{t('claim.offer', { email: transfer.sender_email, organization: transfer.organization_name, count: transfer.tickets.length })}</Text>
            <Offered transfer={transfer} />
            {outcome === 'claimed' && (
              <Alert color="#1b5e20" role="status" title={t('claim.claimed')}>
                {t('claim.claimedHelp')} <Anchor component={Link} to="/account">{t('claim.seeTickets')}</Anchor>
              </Alert>
            )}
            {outcome === 'rejected' && <Alert color="#1c3f94" role="status">{t('claim.rejected', { email: transfer.sender_email })}</Alert>}
            {error !== null && <Alert color="red" role="alert">{transferError(error, t)}</Alert>}
            {outcome === null && transfer.status !== 'pending' && <Alert color="#495057">{t('transfer.errors.settled', { status: t(`transfer.status.${transfer.status}`) })}</Alert>}
            {outcome === null && transfer.status === 'pending' && (
              <>
                <Text size="sm">{t('claim.help')}</Text>
                <Group>
                  <Button onClick={() => void answer('claim')} loading={busy === 'claim'} disabled={busy !== null}>{t('claim.accept')}</Button>
                  <Button variant="default" onClick={() => void answer('reject')} loading={busy === 'reject'} disabled={busy !== null}>{t('claim.reject')}</Button>
                </Group>
              </>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
