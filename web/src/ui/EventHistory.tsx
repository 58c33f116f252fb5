import { useInfiniteQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { useI18n } from '../i18n';
import { ErrorMessage, Loading } from './Page';

const PAGE = 200;

/**
 * What happened to one entity, newest first: `GET /v1/events` narrowed with `entity_type` and
 * `entity_id` (the feed's own isolation applies). Older pages load on request.
 */
export function EventHistory({ entityType, entityId }: { entityType: string; entityId: string }) {
  const { t, formatDateTime } = useI18n();
  const query = useInfiniteQuery({
    queryKey: ['events', entityType, entityId],
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/events', { params: { query: { entity_type: entityType, entity_id: entityId, after: pageParam, limit: PAGE } } })),
    getNextPageParam: (page) => page.next_after ?? undefined,
  });
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  const events = query.data.pages.flatMap((page) => page.items).reverse();
  if (events.length === 0) return <p className="empty">{t('events.none')}</p>;
  return (
    <>
      <ol className="event-list">
        {events.map((event) => (
          <li key={event.id}>
            <time dateTime={event.occurred_at}>{formatDateTime(event.occurred_at)}</time> <code>{event.type}</code>
            <details>
              <summary>{t('events.details')}</summary>
              <pre>{JSON.stringify(event.payload, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ol>
      {query.hasNextPage ? (
        <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {t('events.more')}
        </button>
      ) : null}
    </>
  );
}
