import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n, type MessageKey } from '../../i18n';
import { navigate, useLocation, withQuery } from '../../router';
import { locationText } from '../../ui/format';
import { Pager } from '../../ui/DataTable';
import { ErrorMessage, Page, QueryState } from '../../ui/Page';
import { useCursorPages } from '../../ui/paging';
import '../../ui/ops.css';

type Unmatched = components['schemas']['UnmatchedStatusUpdate'];
const STATES = ['OPEN', 'ASSIGNED', 'DISMISSED'] as const satisfies readonly components['schemas']['UnmatchedStatusUpdate']['state'][];
type State = (typeof STATES)[number];
const isState = (v: string | null): v is State => STATES.includes(v as State);

/** Status updates that matched no stop (or several): assign each to a stop, which applies it, or dismiss it with a reason. */
export default function UnmatchedPage() {
  const { t } = useI18n();
  const { search } = useLocation();
  const param = search.get('state');
  const state = isState(param) ? param : param === 'ALL' ? undefined : 'OPEN';
  const paging = useCursorPages(String(state));
  const query = useQuery({
    queryKey: ['unmatched', { state, cursor: paging.cursor }],
    queryFn: () => unwrap(api.GET('/v1/trips/unmatched-status-updates', { params: { query: { state, cursor: paging.cursor, limit: 50 } } })),
    placeholderData: keepPreviousData,
  });
  return (
    <Page title={t('unmatched.title')}>
      <form className="filters" role="search" aria-label={t('unmatched.filters')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('unmatched.state')}
          <select value={state ?? 'ALL'} onChange={(e) => navigate(withQuery('/unmatched', { state: e.currentTarget.value }))}>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`unmatchedState.${s}` as MessageKey)}
              </option>
            ))}
            <option value="ALL">{t('unmatched.all')}</option>
          </select>
        </label>
      </form>
      <QueryState query={query} isEmpty={(data) => data.items.length === 0} empty={t('unmatched.empty')}>
        {(data) => (
          <>
            <ul className="event-list">
              {data.items.map((u) => (
                <UnmatchedItem key={u.id} update={u} />
              ))}
            </ul>
            <Pager hasPrevious={paging.hasPrevious} nextCursor={data.next_cursor} onFirst={paging.first} onPrevious={paging.previous} onNext={paging.next} />
          </>
        )}
      </QueryState>
    </Page>
  );
}

function UnmatchedItem({ update: u }: { update: Unmatched }) {
  const { t, formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const done = () => void queryClient.invalidateQueries({ queryKey: ['unmatched'] });
  const assign = useMutation({
    mutationFn: (stopId: string) =>
      unwrap(api.POST('/v1/trips/unmatched-status-updates/{id}/assign', { params: { path: { id: u.id } }, body: { stop_id: stopId } })),
    onSuccess: done,
  });
  const dismiss = useMutation({
    mutationFn: (reason: string) => unwrap(api.POST('/v1/trips/unmatched-status-updates/{id}/dismiss', { params: { path: { id: u.id } }, body: { reason } })),
    onSuccess: done,
  });
  const field = (event: FormEvent<HTMLFormElement>, name: string) => {
    event.preventDefault();
    return String(new FormData(event.currentTarget).get(name) ?? '').trim();
  };
  const label = formatDateTime(u.received_at);
  return (
    <li>
      <p>
        <strong>{formatDateTime(u.received_at)}</strong> · <span className="badge">{t(`unmatchedReason.${u.reason}` as MessageKey)}</span> ·{' '}
        <span className="badge">{t(`unmatchedState.${u.state}` as MessageKey)}</span>
      </p>
      <p>{u.message}</p>
      <details>
        <summary>{t('unmatched.update')}</summary>
        <pre className="update-body">{JSON.stringify(u.update, null, 2)}</pre>
      </details>
      {u.state === 'ASSIGNED' && u.stop_id ? <p>{t('unmatched.assignedTo', { stop: u.stop_id, outcome: u.outcome ?? '' })}</p> : null}
      {u.state === 'DISMISSED' ? <p>{t('unmatched.dismissedBecause', { reason: u.dismiss_reason ?? '' })}</p> : null}
      {u.state === 'OPEN' ? (
        <>
          <StopPicker label={label} pending={assign.isPending} onAssign={(stopId) => assign.mutate(stopId)} />
          <form className="inline-form" aria-label={t('unmatched.dismissOf', { label })} onSubmit={(e) => dismiss.mutate(field(e, 'reason'))}>
            <label>
              {t('unmatched.reason')}
              <input name="reason" required maxLength={500} />
            </label>
            <button type="submit" disabled={dismiss.isPending}>
              {t('unmatched.dismiss')}
            </button>
          </form>
          {assign.isError ? <ErrorMessage error={assign.error} /> : null}
          {dismiss.isError ? <ErrorMessage error={dismiss.error} /> : null}
        </>
      ) : null}
    </li>
  );
}

/**
 * Finds the stop to assign an update to: search orders by name, identifier or reference (the
 * order list's `q`), then choose one of their stops.
 */
function StopPicker({ label, pending, onAssign }: { label: string; pending: boolean; onAssign(stopId: string): void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const stops = useQuery({
    queryKey: ['unmatched', 'stops', text],
    enabled: text.length > 0,
    queryFn: async () => {
      const page = await unwrap(api.GET('/v1/orders/order', { params: { query: { q: text, limit: 5 } } }));
      const orders = await Promise.all(page.items.map((o) => unwrap(api.GET('/v1/orders/order/{order_id}', { params: { path: { order_id: o.id } } }))));
      return orders.flatMap((order) =>
        order.stops.map((stop) => ({
          id: stop.id,
          text: [
            order.name,
            stop.stop_type === 'PICKUP' ? t('stop.pickup') : stop.stop_type === 'DELIVERY' ? t('stop.delivery') : t('stop.other'),
            stop.date ?? '',
            stop.reference_number ?? '',
            locationText(stop.location),
          ]
            .filter(Boolean)
            .join(' · '),
        })),
      );
    },
  });
  const find = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setText(String(new FormData(event.currentTarget).get('order') ?? '').trim());
  };
  const assign = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const stop = String(new FormData(event.currentTarget).get('stop') ?? '');
    if (stop) onAssign(stop);
  };
  return (
    <>
      <form className="inline-form" role="search" aria-label={t('unmatched.findOf', { label })} onSubmit={find}>
        <label>
          {t('unmatched.order')}
          <input name="order" type="search" required maxLength={100} placeholder={t('orders.searchHint')} />
        </label>
        <button type="submit">{t('unmatched.findStops')}</button>
      </form>
      {stops.isError ? <ErrorMessage error={stops.error} /> : null}
      {stops.data && stops.data.length === 0 ? <p className="hint">{t('state.noMatch')}</p> : null}
      {stops.data && stops.data.length > 0 ? (
        <form className="inline-form" aria-label={t('unmatched.assignOf', { label })} onSubmit={assign}>
          <label>
            {t('unmatched.stop')}
            <select name="stop" required className="stop-select">
              {stops.data.map((stop) => (
                <option key={stop.id} value={stop.id}>
                  {stop.text}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={pending}>
            {t('unmatched.assign')}
          </button>
        </form>
      ) : null}
    </>
  );
}
