import { Alert, Code, NativeSelect, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap } from '../shared/api.ts';
import { errorMessage, fieldProblems } from '../shared/errors.ts';
import { formatDateTime } from '../shared/format.ts';
import { useManage } from './context.tsx';

/** The organization's events (every status, a hundred at most, newest first as the server lists them), for the pages that work on one. */
export function useEventChoices() {
  const { headers, membership } = useManage();
  return useQuery({
    queryKey: ['manage', membership.organization_id, 'events', 'choices'],
    queryFn: async () => (await unwrap(api.GET('/api/events', { headers, params: { query: { per_page: 100 } } }))).events,
  });
}
export type EventChoice = NonNullable<ReturnType<typeof useEventChoices>['data']>[number];

/** "Event" chooser: the reader picks the event a page works on. */
export function EventSelect({ events, value, onChange, allLabel }: { events: EventChoice[]; value: string; onChange: (id: string) => void; allLabel?: string }) {
  const { t } = useTranslation('manage');
  return (
    <NativeSelect label={t('kit.event')} value={value} onChange={(e) => onChange(e.currentTarget.value)} maw={420}
      data={[{ value: '', label: allLabel ?? t('kit.chooseEvent') }, ...events.map((e) => ({ value: String(e.id), label: e.title }))]} />
  );
}

/** A date of an event, written in the event's time zone and the reader's language. */
export function useDateLabel() {
  const { i18n } = useTranslation();
  return (event: EventChoice, dateId: number) => {
    const date = event.dates.find((d) => d.id === dateId);
    return date ? formatDateTime(date.starts_at, event.time_zone, i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) : `#${dateId}`;
  };
}

/** A refusal of the API, in the reader's language (the form around it keeps what was typed). */
export function Failure({ error, explain }: { error: unknown; explain?: Partial<Record<string, string>> }) {
  const { t } = useTranslation('manage');
  if (!error) return null;
  const own = error instanceof ApiError ? explain?.[error.code] : undefined;
  return <Alert color="red" role="alert">{own ?? errorMessage(error, t)}</Alert>;
}

/** A secret the server shows only once (a key, a password, a code): said plainly, in a monospace box. */
export function ShownOnce({ label, value, testId, children }: { label: string; value: string; testId: string; children?: React.ReactNode }) {
  const { t } = useTranslation('manage');
  return (
    <Alert color="teal" role="status">
      <Stack gap={6}>
        <Text fw={700}>{label}</Text>
        <Code block data-testid={testId} style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>{value}</Code>
        <Text size="sm">{t('kit.shownOnce')}</Text>
        {children}
      </Stack>
    </Alert>
  );
}

/** One page of a list the server pages (its total from X-Total), as the list pages show it. */
export async function listPage<K extends string, T>(key: K, answer: Promise<{ data?: { [P in K]: T[] }; error?: unknown; response: Response }>): Promise<{ items: T[]; total: number }> {
  const { response } = await answer;
  const data = await unwrap(answer);
  return { items: data[key], total: Number(response.headers.get('X-Total') ?? data[key].length) };
}

/** The organization (its currency for amounts typed in). */
export function useOrganization() {
  const { headers, membership } = useManage();
  return useQuery({
    queryKey: ['manage', membership.organization_id, 'organization'],
    queryFn: async () => (await unwrap(api.GET('/api/organization', { headers }))).organization,
  });
}

/** For a form's field: "not accepted", in the reader's language, when the API's refusal names it (`code.value` names `value`). */
export function useFieldError(error: unknown) {
  const { t } = useTranslation('manage');
  const problems = Object.keys(fieldProblems(error));
  return (field: string) => (problems.some((p) => p === field || p.endsWith(`.${field}`)) ? t('kit.fieldRefused') : undefined);
}

/** An instant (a creation, a revocation) in the reader's own time zone and language, short by default. */
export function useWhen() {
  const { i18n } = useTranslation();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (iso: string, options: Intl.DateTimeFormatOptions = { dateStyle: 'short', timeStyle: 'short' }) => formatDateTime(iso, zone, i18n.language, options);
}
