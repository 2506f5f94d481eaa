import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../shared/api.ts';
import { errorMessage, fieldProblems } from '../shared/errors.ts';
import { useSession } from '../shared/session.tsx';
import { usePageTitle } from '../shared/page.ts';

/** Where to go after signing in: a path of this app only (never another site). */
function useNext(): string {
  const [params] = useSearchParams();
  const next = params.get('next') ?? '/account';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/account';
}

export function SignIn() {
  const { t } = useTranslation('account');
  usePageTitle(t('signIn.title'));
  const session = useSession();
  const navigate = useNavigate();
  const next = useNext();
  const [identification, setIdentification] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn(identification, password);
      navigate(next);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper maw={420} mx="auto" p="lg" withBorder>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={1} size="h2">{t('signIn.title')}</Title>
          {error !== null && <Alert color="red" role="alert">{errorMessage(error, t)}</Alert>}
          <TextInput label={t('signIn.identification')} type="email" autoComplete="username" required value={identification} onChange={(e) => setIdentification(e.currentTarget.value)} />
          <PasswordInput label={t('signIn.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <Button type="submit" loading={busy}>{t('signIn.submit')}</Button>
          <Text size="sm">
            {t('signIn.noAccount')} <Anchor component={Link} to={`/account/sign-up?next=${encodeURIComponent(next)}`}>{t('signIn.create')}</Anchor>
          </Text>
          <Anchor component={Link} to="/account/reset" size="sm">{t('signIn.forgot')}</Anchor>
        </Stack>
      </form>
    </Paper>
  );
}

export function SignUp() {
  const { t } = useTranslation('account');
  usePageTitle(t('signUp.title'));
  const session = useSession();
  const navigate = useNavigate();
  const next = useNext();
  const [form, setForm] = useState({ first_name: '', last_name: '', email: '', password: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const problems = fieldProblems(error);
  const set = (key: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [key]: e.currentTarget.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signUp(form);
      navigate(next);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper maw={460} mx="auto" p="lg" withBorder>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={1} size="h2">{t('signUp.title')}</Title>
          {error !== null && <Alert color="red" role="alert">{errorMessage(error, t)}</Alert>}
          <TextInput label={t('signUp.firstName')} autoComplete="given-name" value={form.first_name} onChange={set('first_name')} />
          <TextInput label={t('signUp.lastName')} autoComplete="family-name" value={form.last_name} onChange={set('last_name')} />
          <TextInput label={t('signUp.email')} type="email" autoComplete="email" required value={form.email} onChange={set('email')} error={problems.email} />
          <PasswordInput label={t('signUp.password')} description={t('signUp.passwordHint')} autoComplete="new-password" required value={form.password} onChange={set('password')} error={problems.password} />
          <Button type="submit" loading={busy}>{t('signUp.submit')}</Button>
          <Text size="sm">
            {t('signUp.haveAccount')} <Anchor component={Link} to={`/account/sign-in?next=${encodeURIComponent(next)}`}>{t('signIn.submit')}</Anchor>
          </Text>
        </Stack>
      </form>
    </Paper>
  );
}

export function ResetPassword() {
  const { t } = useTranslation('account');
  usePageTitle(t('reset.title'));
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [token, setToken] = useState('');
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const request = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await unwrap(api.POST('/api/users/password_resets', { body: { password_reset: { email } } }));
      setSent(true);
    });
  };
  const confirm = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await unwrap(api.POST('/api/users/password_resets/confirm', { body: { password_reset: { token: token.trim(), password } } }));
      setDone(true);
    });
  };
  return (
    <Paper maw={460} mx="auto" p="lg" withBorder>
      <Stack>
        <Title order={1} size="h2">{t('reset.title')}</Title>
        {error !== null && <Alert color="red" role="alert">{errorMessage(error, t)}</Alert>}
        {done ? (
          <Alert color="green" role="status">
            {t('reset.done')} <Anchor component={Link} to="/account/sign-in">{t('signIn.submit')}</Anchor>
          </Alert>
        ) : (
          <>
            <form onSubmit={request} noValidate>
              <Stack>
                <TextInput label={t('reset.email')} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
                <Button type="submit" variant={sent ? 'light' : 'filled'} loading={busy && !sent}>{t('reset.send')}</Button>
              </Stack>
            </form>
            {sent && (
              <form onSubmit={confirm} noValidate>
                <Stack>
                  <Alert color="blue" role="status">{t('reset.sent')}</Alert>
                  <TextInput label={t('reset.code')} autoComplete="one-time-code" required value={token} onChange={(e) => setToken(e.currentTarget.value)} />
                  <PasswordInput label={t('reset.password')} autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
                  <Button type="submit" loading={busy}>{t('reset.submit')}</Button>
                </Stack>
              </form>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
