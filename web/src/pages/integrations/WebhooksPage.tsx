import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';
import { Link, navigate, useLocation, withQuery } from '../../router';
import { ListTable, Pager } from '../../ui/DataTable';
import { Page, QueryState } from '../../ui/Page';
import { useCursorPages } from '../../ui/paging';
import '../../ui/ops.css';

/** Webhook endpoints: where Waybill pushes, whether each is enabled and failing; `?enabled=false` shows the disabled ones. */
export default function WebhooksPage() {
  const { t, formatDateTime } = useI18n();
  const { search } = useLocation();
  const enabledParam = search.get('enabled');
  const enabled = enabledParam === 'true' ? true : enabledParam === 'false' ? false : undefined;
  const paging = useCursorPages(String(enabled));
  const query = useQuery({
    queryKey: ['webhook-endpoints', { enabled, cursor: paging.cursor }],
    queryFn: () => unwrap(api.GET('/v1/admin/webhook-endpoints', { params: { query: { enabled, cursor: paging.cursor, limit: 50 } } })),
    placeholderData: keepPreviousData,
  });
  return (
    <Page title={t('webhooks.title')}>
      <p>
        <Link to="/deliveries">{t('webhooks.allDeliveries')}</Link>
      </p>
      <form className="filters" role="search" aria-label={t('webhooks.filters')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('webhooks.state')}
          <select value={enabledParam ?? ''} onChange={(e) => navigate(withQuery('/webhooks', { enabled: e.currentTarget.value }))}>
            <option value="">{t('webhooks.anyState')}</option>
            <option value="true">{t('webhooks.enabled')}</option>
            <option value="false">{t('webhooks.disabled')}</option>
          </select>
        </label>
      </form>
      <QueryState query={query} isEmpty={(data) => data.items.length === 0} empty={enabled === undefined ? t('webhooks.empty') : t('state.noMatch')}>
        {(data) => (
          <>
            <ListTable
              caption={t('webhooks.title')}
              headers={[t('webhooks.url'), t('webhooks.families'), t('webhooks.owner'), t('webhooks.state'), t('webhooks.failingSince')]}
            >
              {data.items.map((e) => (
                <tr key={e.id}>
                  <td data-label={t('webhooks.url')}>
                    <Link to={`/webhooks/${e.id}`}>{e.url}</Link>
                  </td>
                  <td data-label={t('webhooks.families')}>{e.families.join(', ')}</td>
                  <td data-label={t('webhooks.owner')}>{e.company_id ? t('webhooks.company') : t('webhooks.tenant')}</td>
                  <td data-label={t('webhooks.state')}>
                    <span className="badge">{e.enabled ? t('webhooks.enabled') : t('webhooks.disabled')}</span>
                    {e.disabled_reason ? <span className="hint"> {e.disabled_reason}</span> : null}
                  </td>
                  <td data-label={t('webhooks.failingSince')}>{e.failing_since ? formatDateTime(e.failing_since) : '—'}</td>
                </tr>
              ))}
            </ListTable>
            <Pager hasPrevious={paging.hasPrevious} nextCursor={data.next_cursor} onFirst={paging.first} onPrevious={paging.previous} onNext={paging.next} />
          </>
        )}
      </QueryState>
    </Page>
  );
}
