import '../shop/locales.ts';
import { Alert, Anchor, Group, Stack, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../shared/api.ts';
import { EventPage } from '../shop/EventPage.tsx';
import { useManage } from './context.tsx';

/**
 * The shop's page of an event as buyers will see it, for staff, whatever the event's status (a
 * draft, an event under review): read from the staff-only preview route, with buying disabled and
 * said so at the top of the page, which stays in view.
 */
export function EventPreview() {
  const { t } = useTranslation('manage');
  const { headers, membership } = useManage();
  const id = Number(useParams().id);
  const preview = {
    queryKey: ['manage', String(membership.organization_id), 'event-preview', String(id)],
    queryFn: () => unwrap(api.GET('/api/events/{id}/preview', { headers, params: { path: { id } } })),
  };
  return (
    <Stack gap="md">
      <Alert color="dark.7" variant="filled" role="status" pos="sticky" top={0} style={{ zIndex: 3 }} title={t('events.previewBanner')}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text size="sm" c="white">{t('events.previewNote')}</Text>
          <Anchor component={Link} to={`/manage/events/${id}`} c="white" fw={700} size="sm" underline="always">{t('events.backToEvent')}</Anchor>
        </Group>
      </Alert>
      <EventPage preview={preview} />
    </Stack>
  );
}
