import { useState } from 'react';
import { Alert, Badge, Button, Card, Code, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, inOrganization, unwrap } from '../shared/api.ts';
import { errorMessage } from '../shared/errors.ts';
import { LoadError, Loading } from '../shared/Status.tsx';
import { usePageTitle } from '../shared/page.ts';
import { useSession } from '../shared/session.tsx';
import { useManage } from './context.tsx';

const ROLES = ['owner', 'manager', 'box_office', 'door_staff'] as const;
type Role = (typeof ROLES)[number];

/** Members (change a role, remove) and invitations by e-mail (the code is shown once). Owners only. */
export function Members() {
  const { t } = useTranslation('manage');
  const { headers, membership } = useManage();
  const queryClient = useQueryClient();
  usePageTitle(t('members.title'));
  const key = ['manage', membership.organization_id, 'members'];
  const members = useQuery({ queryKey: key, queryFn: () => unwrap(api.GET('/api/users', { headers, params: { query: { per_page: 100 } } })) });
  const invitations = useQuery({ queryKey: [...key, 'invitations'], queryFn: () => unwrap(api.GET('/api/invitations', { headers, params: { query: { per_page: 50 } } })) });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('box_office');
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const invite = useMutation({ mutationFn: () => unwrap(api.POST('/api/invitations', { headers, body: { invitation: { email, role } } })), onSuccess: () => { setEmail(''); void refresh(); } });
  const change = useMutation({ mutationFn: (input: { id: number; role: Role }) => unwrap(api.PATCH('/api/users/{id}', { headers, params: { path: { id: String(input.id) } }, body: { user: { role: input.role } } as never })), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (id: number) => unwrap(api.DELETE('/api/users/{id}', { headers, params: { path: { id: String(id) } } })), onSuccess: refresh });
  const revoke = useMutation({ mutationFn: (id: number) => unwrap(api.DELETE('/api/invitations/{id}', { headers, params: { path: { id } } })), onSuccess: refresh });
  const failure = invite.error ?? change.error ?? remove.error ?? revoke.error;
  if (members.isPending) return <Loading />;
  if (members.isError) return <LoadError error={members.error} />;
  const nameOf = (u: { first_name: string | null; last_name: string | null; username: string }) => [u.first_name, u.last_name].filter(Boolean).join(' ') || u.username;
  return (
    <Stack>
      <Title order={1}>{t('members.title')}</Title>
      {failure && <Alert color="red" role="alert">{errorMessage(failure, t)}</Alert>}
      <Table.ScrollContainer minWidth={560}>
        <Table striped>
          <Table.Thead><Table.Tr><Table.Th>{t('members.name')}</Table.Th><Table.Th>{t('members.email')}</Table.Th><Table.Th>{t('members.role')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {members.data.users.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{nameOf(u)}</Table.Td>
                <Table.Td>{u.email}</Table.Td>
                <Table.Td>
                  <NativeSelect size="xs" aria-label={t('members.changeRole', { name: nameOf(u) })} value={u.role ?? ''} onChange={(e) => change.mutate({ id: u.id, role: e.currentTarget.value as Role })}
                    data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
                </Table.Td>
                <Table.Td>
                  <Button size="xs" variant="default" onClick={() => { if (window.confirm(t('members.confirmRemove', { name: nameOf(u) }))) remove.mutate(u.id); }}>{t('members.remove')}</Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Card withBorder maw={640}>
        <Title order={2} size="h4" mb="xs">{t('members.invite')}</Title>
        <Group component="form" align="end" onSubmit={(e) => { e.preventDefault(); invite.mutate(); }} wrap="wrap">
          <TextInput label={t('members.email')} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <NativeSelect label={t('members.role')} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)} data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
          <Button type="submit" loading={invite.isPending}>{t('members.send')}</Button>
        </Group>
        {invite.data?.invitation.code && (
          <Alert color="teal" role="status" mt="sm">
            {t('members.code')} <Code data-testid="invitation-code">{invite.data.invitation.code}</Code>
          </Alert>
        )}
      </Card>
      <Title order={2} size="h4">{t('members.invitations')}</Title>
      <ul>
        {(invitations.data?.invitations ?? []).map((i) => (
          <li key={i.id}>
            <Group gap="xs">
              <Text>{i.email} · {t(`role.${i.role}`)}</Text>
              <Badge variant="outline" color="indigo.9">{t(`members.statuses.${i.status}`)}</Badge>
              {i.status === 'pending' && <Button size="compact-xs" variant="default" onClick={() => revoke.mutate(i.id)}>{t('members.revoke')}</Button>}
            </Group>
          </li>
        ))}
      </ul>
    </Stack>
  );
}

/** /manage/join?code=…: the signed-in person accepts an invitation. */
export function Join() {
  const { t } = useTranslation('manage');
  const session = useSession();
  const [params] = useSearchParams();
  const [code, setCode] = useState(params.get('code') ?? '');
  const organization = /^\d+$/.test(params.get('organization') ?? '') ? params.get('organization') : null;
  usePageTitle(t('members.join'));
  const accept = useMutation({
    // A browser session acts in an organization: the invitation link names the inviting one.
    mutationFn: () => unwrap(api.POST('/api/invitations/acceptance', { body: { invitation: { code } }, ...(organization ? { headers: inOrganization(Number(organization)) } : {}) })),
    onSuccess: () => session.refresh(),
  });
  return (
    <Stack component="form" maw={480} onSubmit={(e) => { e.preventDefault(); accept.mutate(); }}>
      <Title order={1}>{t('members.join')}</Title>
      {accept.isError && <Alert color="red" role="alert">{errorMessage(accept.error, t)}</Alert>}
      {accept.isSuccess && <Alert color="teal" role="status">{t('members.joined', { role: t(`role.${accept.data.membership.role}`) })}</Alert>}
      <TextInput label={t('members.joinCode')} required value={code} onChange={(e) => setCode(e.currentTarget.value)} />
      <Button type="submit" loading={accept.isPending} w="fit-content">{t('members.accept')}</Button>
    </Stack>
  );
}
