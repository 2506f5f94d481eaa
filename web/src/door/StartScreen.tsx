import { useState, type FormEvent } from 'react';
import { Alert, Button, Container, NativeSelect, Progress, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { chooseLanguage, LANGUAGES, type Language } from '../shared/i18n.ts';
import { ApiError, NetworkError } from './api.ts';
import { DoorEngine } from './engine.ts';

/** Start: the admission token's code and the gate's name; then the tickets are downloaded to the device. */
export function StartScreen({ onStarted }: { onStarted: (engine: DoorEngine) => void }) {
  const { t, i18n } = useTranslation('door');
  const [code, setCode] = useState('');
  const [gate, setGate] = useState(() => localStorage.getItem('guichet.door.gate') ?? '');
  const [busy, setBusy] = useState(false);
  const [stored, setStored] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setStored(0);
    try {
      // The gate's name is not a secret: remembered to spare typing it at the next event.
      localStorage.setItem('guichet.door.gate', gate.trim());
      onStarted(await DoorEngine.start(code, gate, setStored));
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 422)) setError(t('badCode'));
      else if (e instanceof NetworkError || !navigator.onLine) setError(t('offlineStart'));
      else setError(e instanceof Error ? e.message : String(e));
      setStored(null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Container component="main" id="main" size="xs" py="xl">
      <form onSubmit={submit} aria-busy={busy}>
        <Stack gap="md">
          <Title order={1}>{t('startHeading')}</Title>
          <Text>{t('startIntro')}</Text>
          <TextInput
            label={t('code')}
            description={t('codeHint')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            required
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={32}
            size="lg"
            name="code"
          />
          <TextInput label={t('gate')} description={t('gateHint')} value={gate} onChange={(e) => setGate(e.currentTarget.value)} required maxLength={100} size="lg" name="gate" />
          {error && (
            <Alert color="red" role="alert" title={t('refused')}>
              {error}
            </Alert>
          )}
          {stored !== null && busy && (
            <Stack gap={4} role="status">
              <Text>{t('starting')}</Text>
              <Progress value={100} animated aria-label={t('starting')} />
              <Text size="sm">{t('stored', { n: stored })}</Text>
            </Stack>
          )}
          <Button type="submit" size="xl" loading={busy}>
            {t('start')}
          </Button>
          <NativeSelect
            label={t('language')}
            value={i18n.language}
            onChange={(e) => chooseLanguage(e.currentTarget.value as Language)}
            data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
          />
        </Stack>
      </form>
    </Container>
  );
}
