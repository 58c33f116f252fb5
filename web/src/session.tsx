import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, setCsrfToken, unwrap } from './api/client';
import type { components } from './api/openapi';
import { isApiError } from './api/errors';

/** Who is signed in (`GET /v1/session`), with the CSRF token the client sends on changes. */
export type Session = components['schemas']['Session'];

export const SESSION_QUERY = ['session'] as const;

/** The console's pages are for the tenant's operators; customers and subcontractors have none. */
export const isOperator = (session: Session | null | undefined): session is Session => session?.user.role === 'TENANT';

/** The session, or null when nobody is signed in (a 401); the token is kept in memory only. */
async function loadSession(): Promise<Session | null> {
  try {
    return remember(await unwrap(api.GET('/v1/session')));
  } catch (error) {
    if (!isApiError(error, 401)) throw error;
    setCsrfToken(undefined);
    return null;
  }
}

function remember(session: Session): Session {
  setCsrfToken(session.csrf_token);
  return session;
}

export const useSessionQuery = () => useQuery({ queryKey: SESSION_QUERY, queryFn: loadSession, staleTime: 60_000, retry: false });

/** undefined while loading (or unknown after a failure); null when nobody is signed in. */
export function useSession(): Session | null | undefined {
  const query = useSessionQuery();
  return query.isPending || query.isError ? undefined : query.data;
}

/** Sign-in answers (password, accepted invite) become the session; sign-out forgets everything cached. */
export function useSessionActions() {
  const queryClient = useQueryClient();
  const signedIn = useCallback(
    (session: Session) => {
      // Nothing fetched for someone else (or for nobody) may show for this person.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_QUERY[0] });
      queryClient.setQueryData(SESSION_QUERY, remember(session));
    },
    [queryClient],
  );
  const signOut = useCallback(async () => {
    try {
      await unwrap(api.DELETE('/v1/session'));
    } finally {
      setCsrfToken(undefined);
      queryClient.clear();
      queryClient.setQueryData(SESSION_QUERY, null);
    }
  }, [queryClient]);
  return { signedIn, signOut };
}
