import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';
import { Link, navigate, useLocation, withQuery } from '../../router';
import { Page, QueryState } from '../../ui/Page';
import '../../ui/ops.css';

/** The event feed, oldest first from a position, filtered by type (`order.*`); new events appear live. */
export default function EventsPage() {
  const { t, formatDateTime } = useI18n();
  const { search } = useLocation();
  const after = Math.max(0, Number(search.get('after') ?? 0) || 0);
  const types = search.get('types') || undefined;
  const query = useQuery({
    queryKey: ['events', { after, types }],
    queryFn: () => unwrap(api.GET('/v1/events', { params: { query: { after, types, limit: 50 } } })),
    placeholderData: keepPreviousData,
  });
  const filter = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    navigate(withQuery('/events', { types: String(new FormData(event.currentTarget).get('types') ?? '').trim() }));
  };
  return (
    <Page title={t('events.title')}>
      <form className="filters" role="search" aria-label={t('events.filters')} onSubmit={filter}>
        <label>
          {t('events.types')}
          <input name="types" defaultValue={types ?? ''} maxLength={2000} placeholder="order.*,stop.arrived" />
        </label>
        <button type="submit">{t('orders.apply')}</button>
      </form>
      <QueryState query={query} isEmpty={(data) => data.items.length === 0} empty={t('events.none')}>
        {(data) => (
          <>
            <div className="table-scroll">
              <table>
                <caption className="visually-hidden">{t('events.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('events.position')}</th>
                    <th scope="col">{t('events.type')}</th>
                    <th scope="col">{t('events.entity')}</th>
                    <th scope="col">{t('events.when')}</th>
                    <th scope="col">{t('events.payload')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((e) => (
                    <tr key={e.id}>
                      <td data-label={t('events.position')}>{e.position}</td>
                      <td data-label={t('events.type')}>
                        <code>{e.type}</code>
                      </td>
                      <td data-label={t('events.entity')}>
                        <EntityRef type={e.entity_type} id={e.entity_id} />
                      </td>
                      <td data-label={t('events.when')}>{formatDateTime(e.occurred_at)}</td>
                      <td data-label={t('events.payload')}>
                        <details>
                          <summary>{t('events.details')}</summary>
                          <pre className="update-body">{JSON.stringify(e.payload, null, 2)}</pre>
                        </details>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <nav className="pager" aria-label={t('paging.label')}>
              <button type="button" disabled={after === 0} onClick={() => navigate(withQuery('/events', { types }))}>
                {t('paging.first')}
              </button>
              <button
                type="button"
                disabled={data.next_after === null}
                onClick={() => navigate(withQuery('/events', { types, after: String(data.next_after) }))}
              >
                {t('paging.next')}
              </button>
            </nav>
          </>
        )}
      </QueryState>
    </Page>
  );
}

/** Orders and trips open their console page; other entities show their kind and a short id. */
function EntityRef({ type, id }: { type: string; id: string }) {
  const short = <code>{id.slice(0, 8)}</code>;
  if (type === 'order')
    return (
      <Link to={`/orders/${id}`}>
        {type} {short}
      </Link>
    );
  if (type === 'trip')
    return (
      <Link to={`/trips/${id}`}>
        {type} {short}
      </Link>
    );
  return (
    <>
      {type} {short}
    </>
  );
}
