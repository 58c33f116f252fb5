import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n, type MessageKey } from '../../i18n';
import { Link, navigate, useLocation, withQuery } from '../../router';
import { ListTable, Pager } from '../../ui/DataTable';
import { ErrorMessage, QueryState } from '../../ui/Page';
import { useCursorPages } from '../../ui/paging';

type Delivery = components['schemas']['WebhookDelivery'];
export const DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const satisfies readonly components['schemas']['WebhookDeliveryStatus'][];
type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
const isStatus = (v: string | null): v is DeliveryStatus => DELIVERY_STATUSES.includes(v as DeliveryStatus);
const PAGE_SIZE = 50;

/**
 * The delivery log, newest first: of one endpoint, or of every endpoint when `endpointId` is left
 * out. Each message shows its attempts on demand (status code, answer, timing) and can be resent.
 * The status filter lives in the address (`basePath?status=FAILED`).
 */
export function DeliveryLog({ endpointId, basePath }: { endpointId?: string; basePath: string }) {
  const { t, formatDateTime } = useI18n();
  const { search } = useLocation();
  const statusParam = search.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const paging = useCursorPages(`${endpointId}|${status}`);
  const query = useQuery({
    queryKey: ['deliveries', { endpointId, status, cursor: paging.cursor }],
    queryFn: () => {
      const params = { query: { status, cursor: paging.cursor, limit: PAGE_SIZE } };
      return endpointId
        ? unwrap(api.GET('/v1/admin/webhook-endpoints/{id}/deliveries', { params: { ...params, path: { id: endpointId } } }))
        : unwrap(api.GET('/v1/admin/webhook-deliveries', { params }));
    },
    placeholderData: keepPreviousData,
    // A sent message's outcome appends no event, so the live stream does not announce it: while
    // messages on screen are pending, look again every few seconds.
    refetchInterval: (q) => (q.state.data?.items.some((d) => d.status === 'PENDING') ? 2_000 : false),
  });
  return (
    <>
      <form className="filters" role="search" aria-label={t('deliveries.filters')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('deliveries.status')}
          <select value={status ?? ''} onChange={(e) => navigate(withQuery(basePath, { status: e.currentTarget.value }))}>
            <option value="">{t('deliveries.anyStatus')}</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`deliveryStatus.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <QueryState query={query} isEmpty={(data) => data.items.length === 0} empty={status ? t('state.noMatch') : t('deliveries.empty')}>
        {(data) => (
          <>
            <ListTable
              caption={t('deliveries.title')}
              headers={[
                t('deliveries.created'),
                t('deliveries.event'),
                endpointId ? null : t('deliveries.endpoint'),
                t('deliveries.status'),
                t('deliveries.attemptCount'),
                t('deliveries.lastAnswer'),
                t('deliveries.actions'),
              ]}
            >
              {data.items.map((d) => (
                <DeliveryRow key={d.id} delivery={d} showEndpoint={!endpointId} formatDateTime={formatDateTime} />
              ))}
            </ListTable>
            <Pager hasPrevious={paging.hasPrevious} nextCursor={data.next_cursor} onFirst={paging.first} onPrevious={paging.previous} onNext={paging.next} />
          </>
        )}
      </QueryState>
    </>
  );
}

function DeliveryRow({ delivery: d, showEndpoint, formatDateTime }: { delivery: Delivery; showEndpoint: boolean; formatDateTime(iso: string | null): string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const resend = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/admin/webhook-endpoints/deliveries/{id}/redeliver', { params: { path: { id: d.id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['deliveries'] }),
  });
  const label = `${d.event_type} ${formatDateTime(d.created_at)}`;
  return (
    <tr>
      <td data-label={t('deliveries.created')}>{formatDateTime(d.created_at)}</td>
      <td data-label={t('deliveries.event')}>
        <code>{d.event_type}</code>
      </td>
      {showEndpoint ? (
        <td data-label={t('deliveries.endpoint')}>
          <Link to={`/webhooks/${d.endpoint_id}`}>{t('deliveries.openEndpoint')}</Link>
        </td>
      ) : null}
      <td data-label={t('deliveries.status')}>
        <span className="badge">{t(`deliveryStatus.${d.status}` as MessageKey)}</span>
      </td>
      <td data-label={t('deliveries.attemptCount')}>{d.attempt_count}</td>
      <td data-label={t('deliveries.lastAnswer')}>{d.last_status_code ?? d.last_error ?? '—'}</td>
      <td data-label={t('deliveries.actions')}>
        <div className="row-actions">
          <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} aria-label={t('deliveries.attemptsOf', { label })}>
            {t('deliveries.attempts')}
          </button>
          <button type="button" onClick={() => resend.mutate()} disabled={resend.isPending} aria-label={t('deliveries.resendOf', { label })}>
            {t('deliveries.resend')}
          </button>
        </div>
        {resend.isSuccess ? (
          <p className="hint" role="status">
            {t('deliveries.resent')}
          </p>
        ) : null}
        {resend.isError ? <ErrorMessage error={resend.error} /> : null}
        {open ? <Attempts deliveryId={d.id} /> : null}
      </td>
    </tr>
  );
}

function Attempts({ deliveryId }: { deliveryId: string }) {
  const { t, formatDateTime } = useI18n();
  const query = useQuery({
    queryKey: ['deliveries', 'attempts', deliveryId],
    queryFn: () => unwrap(api.GET('/v1/admin/webhook-endpoints/deliveries/{id}/attempts', { params: { path: { id: deliveryId } } })),
  });
  return (
    <QueryState query={query} isEmpty={(data) => data.items.length === 0} empty={t('deliveries.noAttempts')}>
      {(data) => (
        <ol className="attempts">
          {data.items.map((a) => (
            <li key={a.id}>
              {formatDateTime(a.attempted_at)} · {a.status_code === null ? t('deliveries.noAnswer') : `HTTP ${a.status_code}`} ·{' '}
              {t('deliveries.latency', { ms: a.latency_ms })}
              {a.error ? <pre>{a.error}</pre> : null}
              {a.response_excerpt ? <pre>{a.response_excerpt}</pre> : null}
            </li>
          ))}
        </ol>
      )}
    </QueryState>
  );
}
