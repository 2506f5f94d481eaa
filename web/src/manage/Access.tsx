import './locales-door-promotions.ts';
import { useEffect, useState, type ReactNode } from 'react';
import { Badge, Button, Card, Checkbox, Code, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../shared/api.ts';
import { LoadError, Loading } from '../shared/Status.tsx';
import { usePageTitle } from '../shared/page.ts';
import { useManage } from './context.tsx';
import { EventSelect, Failure, ShownOnce, useDateLabel, useEventChoices, useFieldError, useOrganization, useWhen, type EventChoice } from './kit.tsx';
import { rightsFor } from './rights.ts';

const origin = () => window.location.origin;
const toggled = (list: number[], id: number, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id));

/** What the door set-up page reads (the page opens with these rights), and what its parts change. */
export const DOOR_SETUP_RIGHTS = {
  read: rightsFor(['get', '/api/events'], ['get', '/api/events/{id}/admission_tokens'], ['get', '/api/control_points'], ['get', '/api/scan_settings'], ['get', '/api/events/{id}/door_statistics']),
  scanSettings: rightsFor(['patch', '/api/scan_settings']),
  reentry: rightsFor(['patch', '/api/events/{id}']),
};

/**
 * Door set-up: an event's admission tokens (for some sections and dates; a new code shown once;
 * revoke), its control points, the scan settings door devices read, and the door's live figures.
 */
export function DoorSetup() {
  const { t } = useTranslation('manage');
  const { headers, membership } = useManage();
  const queryClient = useQueryClient();
  usePageTitle(t('doorSetup.title'));
  const events = useEventChoices();
  const dateLabel = useDateLabel();
  const when = useWhen();
  const [eventId, setEventId] = useState('');
  const [name, setName] = useState('');
  const [sectionIds, setSectionIds] = useState<number[]>([]);
  const [dateIds, setDateIds] = useState<number[]>([]);
  const [point, setPoint] = useState('');
  const [shown, setShown] = useState<{ name: string; code: string } | null>(null);
  const key = ['manage', membership.organization_id, 'door-setup', eventId];
  const path = { id: Number(eventId) };
  const tokens = useQuery({
    queryKey: [...key, 'tokens'],
    enabled: eventId !== '',
    queryFn: async () => (await unwrap(api.GET('/api/events/{id}/admission_tokens', { headers, params: { path, query: { include_revoked: true, per_page: 100 } } }))).admission_tokens,
  });
  const points = useQuery({
    queryKey: [...key, 'points'],
    enabled: eventId !== '',
    queryFn: async () => (await unwrap(api.GET('/api/control_points', { headers, params: { query: { event_id: Number(eventId), per_page: 100 } } }))).control_points,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const reveal = (answer: { admission_token: { name: string | null; code?: string } }) => {
    setShown({ name: answer.admission_token.name ?? t('doorSetup.global'), code: answer.admission_token.code ?? '' });
    void refresh();
  };
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/events/{id}/admission_tokens', { headers, params: { path }, body: { admission_token: { ...(name ? { name } : {}), section_ids: sectionIds, ...(dateIds.length ? { date_ids: dateIds } : {}) } } })),
    onSuccess: (answer) => { setName(''); setSectionIds([]); setDateIds([]); reveal(answer); },
  });
  const reissue = useMutation({ mutationFn: (tokenId: number) => unwrap(api.POST('/api/events/{id}/admission_tokens/{token_id}/code', { headers, params: { path: { ...path, token_id: tokenId } } } as never)), onSuccess: reveal });
  const revoke = useMutation({ mutationFn: (tokenId: number) => unwrap(api.DELETE('/api/events/{id}/admission_tokens/{token_id}', { headers, params: { path: { ...path, token_id: tokenId } } })), onSuccess: refresh });
  const addPoint = useMutation({
    mutationFn: () => unwrap(api.POST('/api/control_points', { headers, body: { control_point: { name: point, event_id: Number(eventId) } } })),
    onSuccess: () => { setPoint(''); void refresh(); },
  });
  if (events.isPending) return <Loading />;
  if (events.isError) return <LoadError error={events.error} />;
  const event = events.data.find((e) => String(e.id) === eventId);
  const sectionNames = (ids: number[] | null) => (ids ?? []).map((id) => event?.sections.find((s) => s.id === id)?.name ?? `#${id}`).join(', ');
  return (
    <Stack>
      <Title order={1}>{t('doorSetup.title')}</Title>
      <EventSelect events={events.data} value={eventId} onChange={(v) => { setEventId(v); setShown(null); setSectionIds([]); setDateIds([]); }} />
      {shown && (
        <ShownOnce label={t('doorSetup.codeOf', { name: shown.name })} value={shown.code} testId="admission-code">
          <Text size="sm">{t('doorSetup.codeHint', { url: `${origin()}/door` })}</Text>
        </ShownOnce>
      )}
      {event && (
        <>
          <DoorStatistics event={event} />
          <Failure error={reissue.error ?? revoke.error} />
          {tokens.isPending ? <Loading /> : tokens.isError ? <LoadError error={tokens.error} /> : (
            <Table.ScrollContainer minWidth={640}>
              <Table striped>
                <Table.Thead><Table.Tr><Table.Th>{t('doorSetup.name')}</Table.Th><Table.Th>{t('doorSetup.sections')}</Table.Th><Table.Th>{t('doorSetup.dates')}</Table.Th><Table.Th>{t('codes.status')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {tokens.data.map((x) => (
                    <Table.Tr key={x.id} data-testid={`token-${x.id}`}>
                      <Table.Td>{x.global ? t('doorSetup.global') : x.name ?? `#${x.id}`}</Table.Td>
                      <Table.Td>{x.global ? t('doorSetup.all') : sectionNames(x.section_ids)}</Table.Td>
                      <Table.Td>{x.date_ids ? x.date_ids.map((d) => dateLabel(event, d)).join(', ') : t('doorSetup.all')}</Table.Td>
                      <Table.Td>
                        <Badge variant="filled" color={x.revoked_at ? 'gray.8' : 'teal.9'}>{x.revoked_at ? t('partners.revoked') : t('codes.active')}</Badge>
                        {x.revoked_at && <Text size="xs">{when(x.revoked_at)}</Text>}
                      </Table.Td>
                      <Table.Td>
                        {!x.revoked_at && (
                          <Group gap="xs" wrap="nowrap">
                            <Button size="xs" variant="default" onClick={() => { if (window.confirm(t('doorSetup.confirmNewCode'))) reissue.mutate(x.id); }}>{t('doorSetup.newCode')}</Button>
                            {!x.global && <Button size="xs" variant="default" onClick={() => { if (window.confirm(t('doorSetup.confirmRevoke'))) revoke.mutate(x.id); }}>{t('partners.revoke')}</Button>}
                          </Group>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <Card withBorder maw={760}>
            <Title order={2} size="h4" mb="xs">{t('doorSetup.create')}</Title>
            <Stack component="form" gap="sm" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
              <Failure error={create.error} />
              <TextInput label={t('doorSetup.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} maw={360} />
              <Checkbox.Group label={t('doorSetup.sections')} value={sectionIds.map(String)} onChange={(v) => setSectionIds(v.map(Number))}>
                <Group mt={4}>{event.sections.map((s) => <Checkbox key={s.id} value={String(s.id)} label={s.name} />)}</Group>
              </Checkbox.Group>
              <Checkbox.Group label={t('doorSetup.datesHint')} value={dateIds.map(String)} onChange={(v) => setDateIds(v.map(Number))}>
                <Group mt={4}>{event.dates.map((d) => <Checkbox key={d.id} value={String(d.id)} label={dateLabel(event, d.id)} />)}</Group>
              </Checkbox.Group>
              <Button type="submit" loading={create.isPending} w="fit-content">{t('doorSetup.save')}</Button>
            </Stack>
          </Card>
          <Card withBorder maw={760}>
            <Title order={2} size="h4" mb="xs">{t('doorSetup.points')}</Title>
            <Failure error={addPoint.error} />
            <ul>{(points.data ?? []).map((c) => <li key={c.id}>{c.name}</li>)}</ul>
            <Group component="form" align="end" onSubmit={(e) => { e.preventDefault(); addPoint.mutate(); }}>
              <TextInput label={t('doorSetup.pointName')} required value={point} onChange={(e) => setPoint(e.currentTarget.value)} />
              <Button type="submit" variant="light" loading={addPoint.isPending}>{t('doorSetup.addPoint')}</Button>
            </Group>
          </Card>
          <ScanSettings event={event} />
        </>
      )}
    </Stack>
  );
}

/**
 * The door's figures for an event as they move, refreshed every few seconds while the page is
 * open: tickets admitted so far and inside now, per section and date, and scans per control point.
 */
function DoorStatistics({ event }: { event: EventChoice }) {
  const { t } = useTranslation('manage');
  const { headers, membership } = useManage();
  const dateLabel = useDateLabel();
  const when = useWhen();
  const stats = useQuery({
    queryKey: ['manage', membership.organization_id, 'door-statistics', event.id],
    queryFn: async () => (await unwrap(api.GET('/api/events/{id}/door_statistics', { headers, params: { path: { id: event.id } } }))).door_statistics,
    refetchInterval: 5000,
  });
  const sectionName = (id: number) => event.sections.find((s) => s.id === id)?.name ?? `#${id}`;
  return (
    <Card withBorder component="section" aria-labelledby="door-live-title" maw={900}>
      <Group justify="space-between" wrap="wrap" mb="xs">
        <Title order={2} size="h4" id="door-live-title">{t('doorLive.title')}</Title>
        {stats.isSuccess && <Text size="xs" c="gray.7">{t('doorLive.updated', { at: when(new Date(stats.dataUpdatedAt).toISOString(), { timeStyle: 'medium' }) })}</Text>}
      </Group>
      {stats.isPending ? <Loading /> : stats.isError ? <LoadError error={stats.error} /> : (
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, xs: 3 }}>
            <Figure label={t('doorLive.admitted')} value={t('doorLive.ofTotal', { admitted: stats.data.totals.scanned, total: stats.data.totals.total })} testId="door-admitted" />
            <Figure label={t('doorLive.inside')} value={String(stats.data.totals.in)} testId="door-inside" />
            <Figure label={t('doorLive.out')} value={String(stats.data.totals.out)} testId="door-out" />
          </SimpleGrid>
          <Table.ScrollContainer minWidth={420}>
            <Table striped>
              <Table.Thead><Table.Tr><Table.Th>{t('kit.section')}</Table.Th><Table.Th ta="right">{t('doorLive.tickets')}</Table.Th><Table.Th ta="right">{t('doorLive.admitted')}</Table.Th><Table.Th ta="right">{t('doorLive.inside')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {stats.data.by_section.map((s) => (
                  <Table.Tr key={s.section_id} data-testid={`door-section-${s.section_id}`}>
                    <Table.Td>{sectionName(s.section_id)}</Table.Td><Table.Td ta="right">{s.total}</Table.Td><Table.Td ta="right">{s.scanned}</Table.Td><Table.Td ta="right">{s.in}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {stats.data.by_date.length > 1 && (
            <Table.ScrollContainer minWidth={420}>
              <Table striped>
                <Table.Thead><Table.Tr><Table.Th>{t('kit.date')}</Table.Th><Table.Th ta="right">{t('doorLive.tickets')}</Table.Th><Table.Th ta="right">{t('doorLive.admitted')}</Table.Th><Table.Th ta="right">{t('doorLive.inside')}</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {stats.data.by_date.map((d) => (
                    <Table.Tr key={d.date_id}><Table.Td>{dateLabel(event, d.date_id)}</Table.Td><Table.Td ta="right">{d.total}</Table.Td><Table.Td ta="right">{d.scanned}</Table.Td><Table.Td ta="right">{d.in}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {stats.data.by_control_point.length === 0 ? <Text size="sm">{t('doorLive.noScans')}</Text> : (
            <Table.ScrollContainer minWidth={420}>
              <Table striped>
                <Table.Thead><Table.Tr><Table.Th>{t('doorLive.gate')}</Table.Th><Table.Th ta="right">{t('doorLive.entries')}</Table.Th><Table.Th ta="right">{t('doorLive.exits')}</Table.Th><Table.Th ta="right">{t('doorLive.refused')}</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {stats.data.by_control_point.map((c) => (
                    <Table.Tr key={String(c.control_point_id)} data-testid={`door-gate-${c.control_point_id ?? 'none'}`}>
                      <Table.Td>{c.name ?? t('doorLive.noGate')}</Table.Td><Table.Td ta="right">{c.admitted}</Table.Td><Table.Td ta="right">{c.exited}</Table.Td><Table.Td ta="right">{c.rejected}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      )}
    </Card>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="gray.7">{label}</Text>
      <Text size="xl" fw={700} data-testid={testId}>{value}</Text>
    </Card>
  );
}

interface ScanDraft { sound: boolean; vibration: boolean; sync: number | string; reentry: boolean }

/**
 * The scan settings door devices read (the organization's: sound and vibration after each answer,
 * how often they sync) and the event's re-entry rule, each offered to the roles the server lets
 * change it.
 */
function ScanSettings({ event }: { event: EventChoice }) {
  const { t } = useTranslation('manage');
  const { headers, membership, can } = useManage();
  const queryClient = useQueryClient();
  const maySet = can(DOOR_SETUP_RIGHTS.scanSettings);
  const mayReentry = can(DOOR_SETUP_RIGHTS.reentry);
  const key = ['manage', membership.organization_id, 'scan-settings'];
  const settings = useQuery({
    queryKey: key,
    queryFn: async () => (await unwrap(api.GET('/api/scan_settings', { headers, params: { query: { scope: 'organization' } } }))).scan_settings,
  });
  const [draft, setDraft] = useState<ScanDraft | null>(null);
  const [saved, setSaved] = useState(false);
  const current: ScanDraft | undefined = settings.data && { sound: settings.data.scan_sound !== '0', vibration: settings.data.scan_vibration !== '0', sync: Number(settings.data.sync_interval ?? 120), reentry: event.reentry_allowed };
  const form = draft ?? current;
  const save = useMutation({
    mutationFn: async () => {
      if (!form || !current) return;
      if (maySet) {
        await unwrap(api.PATCH('/api/scan_settings', { headers, params: { query: { scope: 'organization' } }, body: { scan_settings: { scan_sound: form.sound, scan_vibration: form.vibration, sync_interval: Number(form.sync) } } }));
      }
      if (mayReentry && form.reentry !== current.reentry) {
        await unwrap(api.PATCH('/api/events/{id}', { headers, params: { path: { id: event.id } }, body: { event: { reentry_allowed: form.reentry } } }));
      }
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['manage', membership.organization_id] });
      setDraft(null);
      setSaved(true);
    },
  });
  const refused = useFieldError(save.error);
  if (!form) return settings.isError ? <LoadError error={settings.error} /> : <Loading />;
  const change = (c: Partial<ScanDraft>) => { setSaved(false); setDraft({ ...form, ...c }); };
  return (
    <Card withBorder component="section" aria-labelledby="scan-settings-title" maw={760}>
      <Title order={2} size="h4" id="scan-settings-title">{t('scanSettings.title')}</Title>
      <Text size="sm" mb="sm">{t('scanSettings.intro')}</Text>
      <Stack component="form" gap="sm" onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <Failure error={save.error} />
        <Switch label={t('scanSettings.sound')} checked={form.sound} disabled={!maySet} onChange={(e) => change({ sound: e.currentTarget.checked })} />
        <Switch label={t('scanSettings.vibration')} checked={form.vibration} disabled={!maySet} onChange={(e) => change({ vibration: e.currentTarget.checked })} />
        <NumberInput label={t('scanSettings.sync')} description={t('scanSettings.syncHint')} min={10} max={3600} value={form.sync} disabled={!maySet} onChange={(v) => change({ sync: v })} w={260} error={refused('sync_interval')} />
        <Switch label={t('scanSettings.reentry')} description={t('scanSettings.reentryHint', { event: event.title })} checked={form.reentry} disabled={!mayReentry} onChange={(e) => change({ reentry: e.currentTarget.checked })} />
        <Group gap="sm">
          {(maySet || mayReentry) && <Button type="submit" loading={save.isPending} w="fit-content">{t('scanSettings.save')}</Button>}
          {saved && <Text role="status" c="teal.9">{t('scanSettings.saved')}</Text>}
        </Group>
      </Stack>
    </Card>
  );
}

interface CredentialRow { id: number; label: string; detail: string; revoked_at: string | null; created_at: string }

/**
 * One kind of credential: its list, a creation form whose secret is shown once with the base URL and
 * an example call, and revocation. The four kinds of the partners page share it.
 */
function CredentialSection({ id, title, intro, rows, fields, create, revoke, secret }: {
  id: string;
  title: string;
  intro: string;
  rows: CredentialRow[] | undefined;
  fields: ReactNode;
  create: { mutate: () => void; isPending: boolean; error: unknown };
  revoke: { mutate: (id: number) => void; error: unknown };
  secret: { label: string; value: string; example: string } | null;
}) {
  const { t } = useTranslation('manage');
  const when = useWhen();
  return (
    <Card withBorder component="section" aria-labelledby={`${id}-title`}>
      <Title order={2} size="h4" id={`${id}-title`}>{title}</Title>
      <Text size="sm" mb="xs">{intro}</Text>
      <Failure error={revoke.error} />
      {secret && (
        <ShownOnce label={secret.label} value={secret.value} testId={`${id}-secret`}>
          <Text size="sm">{t('partners.example')}</Text>
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{secret.example}</Code>
        </ShownOnce>
      )}
      {rows && rows.length > 0 && (
        <Table.ScrollContainer minWidth={520}>
          <Table>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.label}</Table.Td>
                  <Table.Td ff="monospace" fz="xs">{r.detail}</Table.Td>
                  <Table.Td>{when(r.created_at, { dateStyle: 'short' })}</Table.Td>
                  <Table.Td>
                    {r.revoked_at ? <Badge variant="filled" color="gray.8">{t('partners.revoked')}</Badge> : (
                      <Button size="xs" variant="default" aria-label={t('partners.revokeOf', { name: r.label })} onClick={() => { if (window.confirm(t('partners.confirmRevoke', { name: r.label }))) revoke.mutate(r.id); }}>{t('partners.revoke')}</Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Stack component="form" gap="xs" mt="sm" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
        <Failure error={create.error} />
        <Group align="end" wrap="wrap">
          {fields}
          <Button type="submit" loading={create.isPending}>{t('partners.create')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** A list of credentials of one kind, its creation (secret kept to be shown once) and revocation. */
function useCredentials<R, C>(kind: string, list: () => Promise<R[]>, create: () => Promise<C>, revoke: (id: number) => Promise<unknown>) {
  const { membership } = useManage();
  const queryClient = useQueryClient();
  const key = ['manage', membership.organization_id, 'credentials', kind];
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  return {
    list: useQuery({ queryKey: key, queryFn: list }),
    create: useMutation({ mutationFn: create, onSuccess: refresh }),
    revoke: useMutation({ mutationFn: revoke, onSuccess: refresh }),
  };
}

const SCOPES = ['public buy', 'public buy sell', 'public buy sell admin'];
const ACCESS_LEVELS = ['public', 'customer', 'support', 'host', 'administrator'] as const;

/** Partners and access: OAuth clients, TickeTing integration keys, Weezevent partner keys, Pims API users. */
export function Partners() {
  const { t } = useTranslation('manage');
  const { headers } = useManage();
  usePageTitle(t('partners.title'));
  const query = { per_page: 100 };
  const [clientName, setClientName] = useState('');
  const [scopes, setScopes] = useState(SCOPES[0]);
  const [keyName, setKeyName] = useState('');
  const [level, setLevel] = useState<(typeof ACCESS_LEVELS)[number]>('host');
  const [partnerName, setPartnerName] = useState('');
  const [username, setUsername] = useState('');
  const [pimsAccess, setPimsAccess] = useState<'read' | 'write'>('read');
  const clients = useCredentials('oauth', async () => (await unwrap(api.GET('/api/oauth_clients', { headers, params: { query } }))).oauth_clients,
    () => unwrap(api.POST('/api/oauth_clients', { headers, body: { oauth_client: { name: clientName, scopes } } })),
    (id) => unwrap(api.DELETE('/api/oauth_clients/{id}', { headers, params: { path: { id } } })));
  const apiKeys = useCredentials('ticketing', async () => (await unwrap(api.GET('/api/api_keys', { headers, params: { query } }))).api_keys,
    () => unwrap(api.POST('/api/api_keys', { headers, body: { api_key: { name: keyName, access_level: level } } })),
    (id) => unwrap(api.DELETE('/api/api_keys/{id}', { headers, params: { path: { id } } })));
  const partnerKeys = useCredentials('weezevent', async () => (await unwrap(api.GET('/api/partner_keys', { headers, params: { query } }))).partner_keys,
    () => unwrap(api.POST('/api/partner_keys', { headers, body: { partner_key: { name: partnerName } } })),
    (id) => unwrap(api.DELETE('/api/partner_keys/{id}', { headers, params: { path: { id } } })));
  const pimsUsers = useCredentials('pims', async () => (await unwrap(api.GET('/api/partner_users', { headers, params: { query } }))).partner_users,
    () => unwrap(api.POST('/api/partner_users', { headers, body: { partner_user: { username, access: pimsAccess } } })),
    (id) => unwrap(api.DELETE('/api/partner_users/{id}', { headers, params: { path: { id } } })));
  // What was typed stays until the server accepts it.
  useEffect(() => { if (clients.create.isSuccess) setClientName(''); }, [clients.create.isSuccess]);
  useEffect(() => { if (apiKeys.create.isSuccess) setKeyName(''); }, [apiKeys.create.isSuccess]);
  useEffect(() => { if (partnerKeys.create.isSuccess) setPartnerName(''); }, [partnerKeys.create.isSuccess]);
  useEffect(() => { if (pimsUsers.create.isSuccess) setUsername(''); }, [pimsUsers.create.isSuccess]);
  const base = origin();
  const client = clients.create.data?.oauth_client;
  const apiKey = apiKeys.create.data?.api_key;
  const partnerKey = partnerKeys.create.data?.partner_key;
  const pimsUser = pimsUsers.create.data?.partner_user;
  return (
    <Stack>
      <Title order={1}>{t('partners.title')}</Title>
      <CredentialSection id="oauth" title={t('partners.oauth.title')} intro={t('partners.oauth.intro', { url: `${base}/api` })}
        rows={clients.list.data?.map((c) => ({ id: c.id, label: c.name, detail: `${c.client_id} · ${c.scopes}`, revoked_at: c.revoked_at, created_at: c.created_at }))}
        create={clients.create} revoke={clients.revoke}
        secret={client ? { label: t('partners.oauth.secret', { id: client.client_id }), value: client.client_secret ?? '', example: `curl -d 'grant_type=client_credentials&client_id=${client.client_id}&client_secret=${client.client_secret}&scope=${client.scopes}' ${base}/api/auth/token` } : null}
        fields={<>
          <TextInput label={t('partners.name')} required value={clientName} onChange={(e) => setClientName(e.currentTarget.value)} />
          <NativeSelect label={t('partners.oauth.scopes')} value={scopes} onChange={(e) => setScopes(e.currentTarget.value)} data={SCOPES} />
        </>} />
      <CredentialSection id="ticketing" title={t('partners.ticketing.title')} intro={t('partners.ticketing.intro', { url: `${base}/ticketing/v3` })}
        rows={apiKeys.list.data?.map((k) => ({ id: k.id, label: k.name, detail: k.access_level, revoked_at: k.revoked_at, created_at: k.created_at }))}
        create={apiKeys.create} revoke={apiKeys.revoke}
        secret={apiKey ? { label: t('partners.ticketing.secret'), value: apiKey.key ?? '', example: `curl -H 'X-API-Key: ${apiKey.key}' ${base}/ticketing/v3/events` } : null}
        fields={<>
          <TextInput label={t('partners.name')} required value={keyName} onChange={(e) => setKeyName(e.currentTarget.value)} />
          <NativeSelect label={t('partners.ticketing.level')} value={level} onChange={(e) => setLevel(e.currentTarget.value as typeof level)} data={ACCESS_LEVELS.map((l) => ({ value: l, label: l }))} />
        </>} />
      <CredentialSection id="weezevent" title={t('partners.weezevent.title')} intro={t('partners.weezevent.intro', { url: `${base}/weezevent` })}
        rows={partnerKeys.list.data?.map((k) => ({ id: k.id, label: k.name, detail: k.last_used_at ? t('partners.lastUsed', { at: k.last_used_at.slice(0, 10) }) : '', revoked_at: k.revoked_at, created_at: k.created_at }))}
        create={partnerKeys.create} revoke={partnerKeys.revoke}
        secret={partnerKey ? { label: t('partners.weezevent.secret'), value: partnerKey.key ?? '', example: `curl -d 'username=<e-mail>&password=<password>&api_key=${partnerKey.key}' ${base}/weezevent/auth/access_token` } : null}
        fields={<TextInput label={t('partners.name')} required value={partnerName} onChange={(e) => setPartnerName(e.currentTarget.value)} />} />
      <CredentialSection id="pims" title={t('partners.pims.title')} intro={t('partners.pims.intro', { url: `${base}/pims/api/v1` })}
        rows={pimsUsers.list.data?.map((u) => ({ id: u.id, label: u.username, detail: u.access, revoked_at: u.revoked_at, created_at: u.created_at }))}
        create={pimsUsers.create} revoke={pimsUsers.revoke}
        secret={pimsUser ? { label: t('partners.pims.secret', { user: pimsUser.username }), value: pimsUser.password ?? '', example: `curl -u '${pimsUser.username}:${pimsUser.password}' ${base}/pims/api/v1/events` } : null}
        fields={<>
          <TextInput label={t('partners.pims.username')} required value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
          <NativeSelect label={t('partners.pims.access')} value={pimsAccess} onChange={(e) => setPimsAccess(e.currentTarget.value as 'read' | 'write')}
            data={[{ value: 'read', label: t('partners.pims.read') }, { value: 'write', label: t('partners.pims.write') }]} />
        </>} />
    </Stack>
  );
}

/** The organization's settings (name, currency, time zone, locale) and its public QR-verification key. */
export function Settings() {
  const { t } = useTranslation('manage');
  const { headers, membership } = useManage();
  const queryClient = useQueryClient();
  usePageTitle(t('settings.title'));
  const organization = useOrganization();
  const publicKey = useQuery({
    queryKey: ['manage', membership.organization_id, 'public-key'],
    queryFn: async () => (await unwrap(api.GET('/api/organization/public_key', { headers }))).public_key,
  });
  const [form, setForm] = useState<{ name: string; currency: string; time_zone: string; locale: string } | null>(null);
  useEffect(() => {
    if (organization.data && !form) setForm({ name: organization.data.name, currency: organization.data.currency, time_zone: organization.data.time_zone, locale: organization.data.locale });
  }, [organization.data, form]);
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/organization', { headers, body: { organization: form! } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['manage', membership.organization_id, 'organization'] }),
  });
  const refused = useFieldError(save.error);
  if (organization.isError) return <LoadError error={organization.error} />;
  if (!form) return <Loading />;
  const field = (name: keyof typeof form) => ({ value: form[name], error: refused(name), onChange: (e: React.ChangeEvent<HTMLInputElement>) => { const value = e.currentTarget.value; setForm({ ...form, [name]: value }); } });
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [form.time_zone];
  return (
    <Stack>
      <Title order={1}>{t('settings.title')}</Title>
      <Card withBorder maw={640}>
        <Stack component="form" gap="sm" onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
          <Failure error={save.error} />
          {save.isSuccess && <Text role="status" c="teal.9">{t('settings.saved')}</Text>}
          <TextInput label={t('settings.name')} required {...field('name')} />
          <TextInput label={t('settings.currency')} description={t('settings.currencyHint')} required maxLength={3} {...field('currency')} />
          <NativeSelect label={t('settings.timeZone')} value={form.time_zone} onChange={(e) => setForm({ ...form, time_zone: e.currentTarget.value })}
            data={zones.includes(form.time_zone) ? zones : [form.time_zone, ...zones]} error={refused('time_zone')} />
          <TextInput label={t('settings.locale')} description={t('settings.localeHint')} required {...field('locale')} />
          <Button type="submit" loading={save.isPending} w="fit-content">{t('settings.save')}</Button>
        </Stack>
      </Card>
      <Card withBorder maw={640}>
        <Title order={2} size="h4" mb="xs">{t('settings.publicKey')}</Title>
        <Text size="sm" mb="xs">{t('settings.publicKeyHint')}</Text>
        {publicKey.data && <Code block data-testid="public-key" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(publicKey.data, null, 2)}</Code>}
      </Card>
    </Stack>
  );
}
