import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { DISPATCH_STATUSES, labelOf, locationText, TRIP_STATUSES } from '../../ui/format';
import { Page, QueryState } from '../../ui/Page';
import './carrier.css';

/**
 * The subcontractor's home: the live trips dispatched to its company, as cards a thumb can hit,
 * each with its first and last stop and whether an answer is still expected.
 */
export default function CarrierTripsPage() {
  const { t } = useI18n();
  const trips = useQuery({
    queryKey: ['carrier-trips'],
    queryFn: () => unwrap(api.GET('/v1/trips/trip', { params: { query: { cancelled: false, limit: 100 } } })),
  });
  return (
    <Page title={t('nav.carrierTrips')}>
      <QueryState query={trips} isEmpty={(data) => data.items.length === 0} empty={t('carrier.noTrips')}>
        {(data) => (
          <ul className="trip-cards">
            {data.items.map((trip) => {
              const first = trip.stops[0];
              const last = trip.stops.at(-1);
              return (
                <li key={trip.id}>
                  <Link to={`/carrier/trips/${trip.id}`} className="trip-card">
                    <strong>{trip.name}</strong>
                    <span className="badge">{labelOf(t, 'tripStatus', trip.status, TRIP_STATUSES)}</span>
                    {trip.dispatch.status === 'SENT' ? <span className="badge badge-attention">{t('carrier.answerNeeded')}</span> : null}
                    {trip.dispatch.status === 'REJECTED' ? (
                      <span className="badge">{labelOf(t, 'dispatch', trip.dispatch.status, DISPATCH_STATUSES)}</span>
                    ) : null}
                    <span className="trip-card-route">
                      {first ? `${first.date ?? ''} ${locationText(first.location)}` : '—'}
                      {last && last !== first ? ` → ${locationText(last.location)}` : ''}
                    </span>
                    <span className="muted">{t('carrier.stopCount', { count: trip.stops.length })}</span>
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </QueryState>
    </Page>
  );
}
