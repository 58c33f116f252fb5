import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { setCsrfToken } from './api/client';
import { ApiError } from './api/errors';

/** `GET /v1/session` (docs: /work/helpers/SESSION-API.md): who is signed in, and the CSRF token. */
export interface Session {
  user: { id: string; email: string; name: string; role: 'TENANT' | 'CUSTOMER' | 'SUBCONTRACTOR'; company_id: string | null; language: string };
  tenant: { id: string; name: string };
  csrf_token: string;
  expires_at: string;
}

interface SessionState {
  /** undefined while loading; null when nobody is signed in. */
  session: Session | null | undefined;
}

const SessionContext = createContext<SessionState>({ session: undefined });

export const SESSION_QUERY = ['session'] as const;

async function loadSession(): Promise<Session | null> {
  const response = await fetch('/v1/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (response.status === 401 || response.status === 404) {
    setCsrfToken(undefined);
    return null;
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw ApiError.from(response.status, body);
  const session = body as Session;
  setCsrfToken(session.csrf_token);
  return session;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const query = useQuery({ queryKey: SESSION_QUERY, queryFn: loadSession, staleTime: 60_000, retry: false });
  return <SessionContext.Provider value={{ session: query.isPending ? undefined : (query.data ?? null) }}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext).session;
