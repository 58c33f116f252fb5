import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { DocumentList } from '../../ui/Documents';
import { EventHistory } from '../../ui/EventHistory';
import { labelOf, locationText, ORDER_STATUSES, REACHED_STOP_STATUSES, requestedText, STOP_STATUSES } from '../../ui/format';
import { Page, QueryState } from '../../ui/Page';
import { Facts, Section } from '../../ui/Section';
import { TrackingLinkSection } from './TrackingLinkSection';

type Order = components['schemas']['OrderOutput'];
/** What the timeline needs of a stop: order stops and trip stops both have it. */
type Stop = Pick<
  components['schemas']['OrderStopOutput'],
  'id' | 'sequence' | 'status' | 'stop_type' | 'location' | 'date' | 'time_window' | 'start_timestamp' | 'end_timestamp' | 'reference_number'
>;

/** One order: its facts, the stop timeline, the goods per consignment, documents, its public tracking link and history. */
export default function OrderPage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const orderId = params.id ?? '';
  const order = useQuery({
    queryKey: ['order', orderId],
    queryFn: () => unwrap(api.GET('/v1/orders/order/{order_id}', { params: { path: { order_id: orderId } } })),
  });
  const title = order.data ? t('order.title', { name: order.data.name }) : t('order.titleLoading');
  return (
    <Page title={title} actions={<Link to="/orders">{t('order.back')}</Link>}>
      <QueryState query={order}>{(data) => <OrderDetails order={data} />}</QueryState>
    </Page>
  );
}

function OrderDetails({ order }: { order: Order }) {
  const { t, formatDateTime } = useI18n();
  const documents = useQuery({
    queryKey: ['order-documents', order.id],
    queryFn: () => unwrap(api.GET('/v1/orders/order/{order_id}/documents', { params: { path: { order_id: order.id } } })),
  });
  return (
    <>
      <Facts
        items={[
          [t('orders.status'), <StatusBadge key="s" text={labelOf(t, 'status', order.status, ORDER_STATUSES)} />],
          [t('orders.identifier'), order.order_identifier],
          [t('orders.customer'), order.customer?.name ?? '—'],
          [t('orders.reference'), order.customer_reference_number ?? '—'],
          [t('order.created'), formatDateTime(order.created_timestamp)],
          [t('orders.updated'), formatDateTime(order.updated_timestamp)],
        ]}
      />
      <Section id="stops" title={t('order.stops')}>
        <StopTimeline stops={order.stops} />
      </Section>
      <Section id="goods" title={t('order.goods')}>
        {order.consignments.map((consignment) => (
          <div key={consignment.id} className="table-scroll">
            <table>
              <caption>{t('order.consignment', { reference: consignment.consignment_reference_number ?? consignment.id })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('goods.description')}</th>
                  <th scope="col">{t('goods.quantity')}</th>
                  <th scope="col">{t('goods.packaging')}</th>
                  <th scope="col">{t('goods.weight')}</th>
                  <th scope="col">{t('goods.volume')}</th>
                </tr>
              </thead>
              <tbody>
                {consignment.goods.map((good) => (
                  <tr key={good.id}>
                    <td data-label={t('goods.description')}>{good.description ?? '—'}</td>
                    <td data-label={t('goods.quantity')}>{good.quantity ?? '—'}</td>
                    <td data-label={t('goods.packaging')}>{typeof good.packaging_type?.code === 'string' ? good.packaging_type.code : '—'}</td>
                    <td data-label={t('goods.weight')}>{good.total_weight_kg != null ? `${good.total_weight_kg} kg` : '—'}</td>
                    <td data-label={t('goods.volume')}>{good.total_volume_m3 != null ? `${good.total_volume_m3} m³` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </Section>
      <Section id="documents" title={t('order.documents')}>
        <QueryState query={documents}>{(data) => <DocumentList documents={data} />}</QueryState>
      </Section>
      <TrackingLinkSection orderId={order.id} />
      <Section id="history" title={t('order.history')}>
        <EventHistory entityType="order" entityId={order.id} />
      </Section>
    </>
  );
}

/**
 * Each stop in sequence with what was asked (date and window), what is expected and what happened.
 * The API gives one pair of times per stop: the ETA until the stop is reached, the actual times after.
 */
export function StopTimeline({ stops }: { stops: Stop[] }) {
  const { t, formatDateTime } = useI18n();
  if (stops.length === 0) return <p className="empty">{t('order.noStops')}</p>;
  return (
    <ol className="timeline">
      {[...stops]
        .sort((a, b) => a.sequence - b.sequence)
        .map((stop) => {
          const reached = REACHED_STOP_STATUSES.includes(stop.status);
          const times = stop.start_timestamp
            ? `${formatDateTime(stop.start_timestamp)}${stop.end_timestamp ? ` – ${formatDateTime(stop.end_timestamp)}` : ''}`
            : '—';
          return (
            <li key={stop.id} className={`timeline-stop stop-${stop.status.toLowerCase()}`}>
              <p className="timeline-head">
                <strong>{stop.stop_type === 'PICKUP' ? t('stop.pickup') : stop.stop_type === 'DELIVERY' ? t('stop.delivery') : t('stop.other')}</strong>{' '}
                <StatusBadge text={labelOf(t, 'stopStatus', stop.status, STOP_STATUSES)} />
              </p>
              <p>{locationText(stop.location)}</p>
              <Facts
                items={[
                  [t('stop.requested'), requestedText(stop.date, stop.time_window)],
                  [t('stop.eta'), reached ? '—' : times],
                  [t('stop.actual'), reached ? times : '—'],
                  [t('stop.reference'), stop.reference_number ?? '—'],
                ]}
              />
            </li>
          );
        })}
    </ol>
  );
}

export function StatusBadge({ text }: { text: string }) {
  return <span className="badge">{text}</span>;
}
