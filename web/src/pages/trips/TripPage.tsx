import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { EventHistory } from '../../ui/EventHistory';
import { DISPATCH_STATUSES, EXECUTORS, labelOf, TRIP_STATUSES } from '../../ui/format';
import { ErrorMessage, Loading, Page, QueryState } from '../../ui/Page';
import { Facts, Section } from '../../ui/Section';
import { DriverLinks } from '../carrier/DriverLinks';
import { StatusBadge, StopTimeline } from '../orders/OrderPage';

type Trip = components['schemas']['TripOutput'];

/** One trip: its dispatch state, the executor's answers to each dispatch message, its stops and history. */
export default function TripPage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const tripId = params.id ?? '';
  const trip = useQuery({
    queryKey: ['trip', tripId],
    queryFn: () => unwrap(api.GET('/v1/trips/trip/{trip_id}', { params: { path: { trip_id: tripId } } })),
  });
  const title = trip.data ? t('trip.title', { name: trip.data.name }) : t('trip.titleLoading');
  return (
    <Page title={title} actions={<Link to="/trips">{t('trip.back')}</Link>}>
      <QueryState query={trip}>{(data) => <TripDetails trip={data} />}</QueryState>
    </Page>
  );
}

function TripDetails({ trip }: { trip: Trip }) {
  const { t, formatDateTime } = useI18n();
  return (
    <>
      <Facts
        items={[
          [t('trips.status'), <StatusBadge key="s" text={trip.cancelled ? t('trips.cancelled') : labelOf(t, 'tripStatus', trip.status, TRIP_STATUSES)} />],
          [t('trip.executor'), labelOf(t, 'executor', trip.executor, EXECUTORS)],
          [t('trips.subcontractor'), trip.subcontractor ? `${trip.subcontractor.name}${trip.subcontractor.code ? ` (${trip.subcontractor.code})` : ''}` : '—'],
          [t('trip.price'), trip.purchase_price ? `${trip.purchase_price} ${trip.currency ?? ''}` : '—'],
          [t('trip.version'), String(trip.version)],
          [t('orders.updated'), formatDateTime(trip.updated_timestamp)],
        ]}
      />
      <Section id="dispatch" title={t('trip.dispatchTitle')}>
        <Facts
          items={[
            [t('trips.dispatch'), <StatusBadge key="d" text={labelOf(t, 'dispatch', trip.dispatch.status, DISPATCH_STATUSES)} />],
            [t('trip.dispatchedAt'), formatDateTime(trip.dispatch.dispatched_at)],
          ]}
        />
        {trip.dispatch.errors.length > 0 ? (
          <ul className="notice notice-error">
            {trip.dispatch.errors.map((error, index) => (
              <li key={index}>
                <code>{error.error_type}</code> {error.error_message}
              </li>
            ))}
          </ul>
        ) : null}
        <h3>{t('trip.answers')}</h3>
        <DispatchAnswers tripId={trip.id} />
      </Section>
      <Section id="orders" title={t('trips.orders')}>
        {trip.orders.length === 0 ? (
          <p className="empty">{t('trip.noOrders')}</p>
        ) : (
          <ul>
            {trip.orders.map((order) => (
              <li key={order.id}>
                <Link to={`/orders/${order.id}`}>{order.name}</Link>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section id="stops" title={t('order.stops')}>
        <StopTimeline stops={trip.stops} />
      </Section>
      {!trip.cancelled && trip.status !== 'COMPLETED' ? <DriverLinks tripId={trip.id} /> : null}
      <Section id="history" title={t('order.history')}>
        <EventHistory entityType="trip" entityId={trip.id} />
      </Section>
    </>
  );
}

interface Answer {
  operation?: string;
  version?: number;
  errors?: { error_type?: string; error_message?: string | null }[];
}

/** Each accepted or rejected dispatch message, newest first, from the trip's events. */
function DispatchAnswers({ tripId }: { tripId: string }) {
  const { t, formatDateTime } = useI18n();
  const answers = useQuery({
    queryKey: ['trip-answers', tripId],
    queryFn: () =>
      unwrap(
        api.GET('/v1/events', {
          params: { query: { entity_type: 'trip', entity_id: tripId, types: 'trip.dispatch_accepted,trip.dispatch_rejected', limit: 1000 } },
        }),
      ),
  });
  if (answers.isPending) return <Loading />;
  if (answers.isError) return <ErrorMessage error={answers.error} onRetry={() => void answers.refetch()} />;
  const items = [...answers.data.items].reverse();
  if (items.length === 0) return <p className="empty">{t('trip.noAnswers')}</p>;
  return (
    <ul className="answers">
      {items.map((event) => {
        const answer = event.payload as Answer;
        const accepted = event.type === 'trip.dispatch_accepted';
        return (
          <li key={event.id}>
            <time dateTime={event.occurred_at}>{formatDateTime(event.occurred_at)}</time>{' '}
            <StatusBadge text={accepted ? t('dispatch.ACCEPTED') : t('dispatch.REJECTED')} />{' '}
            {t('trip.answerOf', { operation: answer.operation ?? '—', version: answer.version ?? '—' })}
            {answer.errors?.length ? (
              <ul>
                {answer.errors.map((error, index) => (
                  <li key={index}>
                    <code>{error.error_type}</code> {error.error_message}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
