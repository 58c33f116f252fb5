import type { UseQueryResult } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { isApiError } from '../api/errors';
import { useT } from '../i18n';
import { useBrand } from './brand';

/**
 * The frame of every page: its heading (the document's title too) and, optionally, actions beside it.
 * Copy pages/orders/OrdersPage.tsx for a list and pages/orders/OrderPage.tsx for one object.
 */
export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  const brand = useBrand();
  useEffect(() => {
    document.title = `${title} · ${brand}`;
  }, [title, brand]);
  return (
    <>
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
      {children}
    </>
  );
}

/** A failed call as the person should see it: the API's own message and each of its details. */
export function ErrorMessage({ error, onRetry, unauthorized }: { error: unknown; onRetry?: () => void; unauthorized?: string }) {
  const t = useT();
  // A 401 speaks of tokens; a person needs to sign in (or, on the sign-in form, to retype).
  const message = isApiError(error, 401) ? (unauthorized ?? t('state.signInNeeded')) : error instanceof Error ? error.message : String(error);
  // A 401's details speak of Bearer tokens: the person only needs to sign in.
  const details = isApiError(error) && error.status !== 401 ? error.errors : [];
  return (
    <div className="notice notice-error" role="alert">
      <p>
        <strong>{t('state.error')}:</strong> {message}
      </p>
      {details.length > 0 ? (
        <ul>
          {details.map((detail, index) => (
            <li key={index}>
              {detail.field ? <code>{detail.field}</code> : null} {detail.message}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          {t('state.retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p className="loading" role="status" aria-live="polite">
      {t('state.loading')}
    </p>
  );
}

export function EmptyState({ children }: { children?: ReactNode }) {
  const t = useT();
  return <p className="empty">{children ?? t('state.empty')}</p>;
}

/**
 * Loading, error (with a retry) or the data: every page shows a query through this, so the three
 * states look and read the same everywhere. `isEmpty` turns an empty answer into the empty state.
 */
export function QueryState<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return <EmptyState>{empty}</EmptyState>;
  return <>{children(query.data)}</>;
}
