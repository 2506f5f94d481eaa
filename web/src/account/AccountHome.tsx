import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { Navigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../shared/api.ts';
import { errorMessage } from '../shared/errors.ts';
import { useSession } from '../shared/session.tsx';
import { usePageTitle } from '../shared/page.ts';
import { Loading } from '../shared/Status.tsx';
import { MyOrders, MyTickets } from './Purchases.tsx';
import { ReceivedTransfers } from './Transfers.tsx';

export function AccountHome() {
  const { t } = useTranslation('account');
  usePageTitle(t('title'));
  const session = useSession();
  if (!session.ready) return <Loading />;
  if (!session.account) return <Navigate to="/account/sign-in?next=/account" replace />;
  const name = [session.account.first_name, session.account.last_name].filter(Boolean).join(' ') || session.account.email;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('title')}</Title>
        <Button variant="default" onClick={() => void session.signOut()}>{t('signOut')}</Button>
      </Group>
      <Text>{t('signedInAs', { name })}</Text>
      <ReceivedTransfers />
      <Title order={2} size="h3">{t('tickets')}</Title>
      <MyTickets />
      <Title order={2} size="h3">{t('orders')}</Title>
      <MyOrders />
      <ChangePassword />
    </Stack>
  );
}

function ChangePassword() {
  const { t } = useTranslation('account');
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await unwrap(api.POST('/api/session/password', { body: { password_change: { current_password: current, password } } }));
      setDone(true);
      setCurrent('');
      setPassword('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" maw={460}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} size="h3">{t('change.title')}</Title>
          {error !== null && <Alert color="red" role="alert">{errorMessage(error, t)}</Alert>}
          {done && <Alert color="#1b5e20" role="status">{t('change.done')}</Alert>}
          <PasswordInput label={t('change.current')} autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.currentTarget.value)} />
          <PasswordInput label={t('change.password')} autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <Button type="submit" loading={busy} w="fit-content">{t('change.submit')}</Button>
        </Stack>
      </form>
    </Paper>
  );
}
