import { Alert, Button, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from './errors.ts';

/** A page's loading state, announced to screen readers. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Loader size="sm" aria-hidden />
      <Text ml="sm">{t('loading')}</Text>
    </Center>
  );
}

/** A failed load, explained, with a way to try again. */
export function LoadError({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" role="alert" title={errorMessage(error, t)}>
      {retry && (
        <Button variant="light" color="red" size="xs" onClick={retry}>
          {t('retry')}
        </Button>
      )}
    </Alert>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack py="xl">
      <Title order={1}>{t('notFound.title')}</Title>
      <Text>{t('notFound.body')}</Text>
      <Button component={Link} to="/" variant="light" w="fit-content">
        {t('notFound.home')}
      </Button>
    </Stack>
  );
}
