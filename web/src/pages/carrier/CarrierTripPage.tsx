import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { useSession } from '../../session';
import { DISPATCH_STATUSES, labelOf, TRIP_STATUSES } from '../../ui/format';
import { ErrorMessage, Page, QueryState } from '../../ui/Page';
import { DriverLinks } from './DriverLinks';
import { OutboxNotice } from './Outbox';
import { useOutbox } from './outbox';
import { StopCard } from './StopCard';
import './carrier.css';

type Trip = components['schemas']['TripOutput'];

/**
 * One trip dispatched to the subcontractor, phone first: answer the dispatch, then report on each
 * stop with big buttons. Reports go through the outbox, so a lost connection loses nothing.
 */
export default function CarrierTripPage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const tripId = params.id ?? '';
  const queryClient = useQueryClient();
  const session = useSession();
  const trip = useQuery({
    queryKey: ['carrier-trip', tripId],
    queryFn: () => unwrap(api.GET('/v1/trips/trip/{trip_id}', { params: { path: { trip_id: tripId } } })),
  });
  const outbox = useOutbox(`user:${session?.user.id ?? ''}`, undefined, () => void queryClient.invalidateQueries({ queryKey: ['carrier-trip', tripId] }));
  const title = trip.data ? t('carrier.tripTitle', { name: trip.data.name }) : t('carrier.tripTitleLoading');
  return (
    <Page title={title} actions={<Link to="/carrier/trips">{t('carrier.back')}</Link>}>
      <QueryState query={trip}>
        {(data) => (
          <>
            <Answer trip={data} />
            <OutboxNotice pending={outbox.pending} refused={outbox.refused} offline={outbox.offline} />
            <h2>{t('carrier.stops')}</h2>
            <ol className="stop-cards">
              {data.stops.map((stop, index) => (
                <StopCard key={stop.id} stop={stop} index={index} waiting={outbox.pending} add={outbox.add} />
              ))}
            </ol>
            <DriverLinks tripId={data.id} />
          </>
        )}
      </QueryState>
    </Page>
  );
}

/** The trip's facts and the dispatch answer: accept, or reject with a reason the carrier reads. */
function Answer({ trip }: { trip: Trip }) {
  const { t, formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const answer = useMutation({
    mutationFn: (body: { answer: 'ACCEPT' | 'REJECT'; reason?: string }) =>
      unwrap(api.POST('/v1/trips/trip/{trip_id}/dispatch/answer', { params: { path: { trip_id: trip.id } }, body })),
    onSuccess: (updated) => {
      queryClient.setQueryData(['carrier-trip', trip.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['carrier-trips'] });
      setRejecting(false);
      setReason('');
    },
  });
  const status = trip.dispatch.status;
  const refusal = trip.dispatch.errors.find((e) => e.error_type === 'USER_INPUT_ERROR')?.error_message;
  return (
    <section className="answer-box" aria-labelledby="answer-title">
      <h2 id="answer-title">{t('carrier.dispatch')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('trips.status')}</dt>
          <dd>{labelOf(t, 'tripStatus', trip.status, TRIP_STATUSES)}</dd>
        </div>
        <div>
          <dt>{t('carrier.yourAnswer')}</dt>
          <dd>
            <span className="badge">{status === 'SENT' ? t('carrier.answerNeeded') : labelOf(t, 'dispatch', status, DISPATCH_STATUSES)}</span>
          </dd>
        </div>
        <div>
          <dt>{t('trip.price')}</dt>
          <dd>{trip.purchase_price ? `${trip.purchase_price} ${trip.currency ?? ''}` : '—'}</dd>
        </div>
        <div>
          <dt>{t('trip.dispatchedAt')}</dt>
          <dd>{formatDateTime(trip.dispatch.dispatched_at)}</dd>
        </div>
      </dl>
      {status === 'REJECTED' && refusal ? <p>{t('carrier.refusedBecause', { reason: refusal })}</p> : null}
      {answer.isError ? <ErrorMessage error={answer.error} /> : null}
      {trip.status !== 'COMPLETED' ? (
        rejecting ? (
          <form
            className="narrow-form"
            onSubmit={(event) => {
              event.preventDefault();
              answer.mutate({ answer: 'REJECT', reason });
            }}
          >
            <label className="stacked">
              {t('carrier.reason')}
              <textarea value={reason} onChange={(event) => setReason(event.target.value)} maxLength={500} required rows={3} />
            </label>
            <div className="big-buttons">
              <button type="submit" disabled={answer.isPending || !reason.trim()}>
                {t('carrier.confirmReject')}
              </button>
              <button type="button" className="secondary" onClick={() => setRejecting(false)}>
                {t('carrier.cancel')}
              </button>
            </div>
          </form>
        ) : (
          <div className="big-buttons">
            {status !== 'ACCEPTED' ? (
              <button type="button" onClick={() => answer.mutate({ answer: 'ACCEPT' })} disabled={answer.isPending}>
                {t('carrier.accept')}
              </button>
            ) : null}
            {status !== 'REJECTED' ? (
              <button type="button" className="secondary" onClick={() => setRejecting(true)} disabled={answer.isPending}>
                {t('carrier.reject')}
              </button>
            ) : null}
          </div>
        )
      ) : null}
    </section>
  );
}
