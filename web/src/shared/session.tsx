import { createContext, useContext, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken, unwrap } from './api.ts';

type SessionBody = NonNullable<Awaited<ReturnType<typeof fetchSession>>>['session'];
export type SessionAccount = NonNullable<SessionBody['account']>;
export type SessionMembership = SessionBody['memberships'][number];
type SignUpInput = { email: string; password: string; first_name?: string; last_name?: string };

async function fetchSession() {
  const answer = await unwrap(api.GET('/api/session'));
  setCsrfToken(answer.session.csrf_token);
  return answer;
}

interface SessionContextValue {
  ready: boolean;
  account: SessionAccount | null;
  memberships: SessionMembership[];
  signIn(identification: string, password: string): Promise<void>;
  signUp(input: SignUpInput): Promise<void>;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);
export const SESSION_KEY = ['session'] as const;
/** The session query: the provider's, and the one the app's entry starts before anything renders. */
export const sessionQuery = { queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000 };

/**
 * The browser session (httpOnly cookie, see src/http/web-session.ts): who is signed in, with their
 * memberships (organization and role) for the back office and the door. The CSRF token it returns
 * goes with every state-changing call (api.ts). Signing in or out refreshes every cached answer.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery({ ...sessionQuery, retry: 1 });
  const apply = async (answer: Awaited<ReturnType<typeof fetchSession>>) => {
    setCsrfToken(answer.session.csrf_token);
    queryClient.setQueryData(SESSION_KEY, answer);
    await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
  };
  const signIn = useMutation({
    mutationFn: (input: { identification: string; password: string }) => unwrap(api.POST('/api/session/sign_in', { body: { sign_in: input } })),
    onSuccess: apply,
  });
  const signUp = useMutation({ mutationFn: (input: SignUpInput) => unwrap(api.POST('/api/session/sign_up', { body: { user: input } })), onSuccess: apply });
  const value: SessionContextValue = {
    ready: query.isSuccess,
    account: query.data?.session.account ?? null,
    memberships: query.data?.session.memberships ?? [],
    signIn: async (identification, password) => void (await signIn.mutateAsync({ identification, password })),
    signUp: async (input) => void (await signUp.mutateAsync(input)),
    async signOut() {
      await unwrap(api.DELETE('/api/session'));
      setCsrfToken(null);
      queryClient.clear();
      await query.refetch();
    },
    async refresh() {
      await query.refetch();
    },
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
