import { createContext, useContext, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, inOrganization, unwrap } from '../shared/api.ts';
import { useSession, type SessionMembership } from '../shared/session.tsx';

export type Access = Awaited<ReturnType<typeof fetchAccess>>;
export type Right = Access['rights'][number];

async function fetchAccess(organizationId: number) {
  return (await unwrap(api.GET('/api/access', { headers: inOrganization(organizationId) }))).access;
}

interface ManageContextValue {
  membership: SessionMembership;
  memberships: SessionMembership[];
  choose(organizationId: number): void;
  access: Access | undefined;
  /** Whether the server gives this member the right, or every one of the rights (the pages show only what would be allowed). */
  can(right: Right | readonly Right[]): boolean;
  /** Headers of every call made for the organization (X-Organization). */
  headers: Record<string, string>;
}

const ManageContext = createContext<ManageContextValue | null>(null);
const STORAGE_KEY = 'guichet.manage.organization';

/** The organization the member works in (their first, or the one they chose), and what their role lets them do there. */
export function ManageProvider({ memberships, children }: { memberships: SessionMembership[]; children: ReactNode }) {
  const stored = Number(typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null);
  const [chosen, setChosen] = useState<number>(memberships.some((m) => m.organization_id === stored) ? stored : memberships[0].organization_id);
  const membership = memberships.find((m) => m.organization_id === chosen) ?? memberships[0];
  const access = useQuery({ queryKey: ['manage', membership.organization_id, 'access'], queryFn: () => fetchAccess(membership.organization_id) });
  const value: ManageContextValue = {
    membership,
    memberships,
    choose(id) {
      localStorage.setItem(STORAGE_KEY, String(id));
      setChosen(id);
    },
    access: access.data,
    can: (right) => (typeof right === 'string' ? [right] : right).every((r) => access.data?.rights.includes(r) ?? false),
    headers: inOrganization(membership.organization_id),
  };
  return <ManageContext.Provider value={value}>{children}</ManageContext.Provider>;
}

export function useManage(): ManageContextValue {
  const value = useContext(ManageContext);
  if (!value) throw new Error('useManage outside ManageProvider');
  return value;
}

export function useMemberships() {
  return useSession().memberships;
}
