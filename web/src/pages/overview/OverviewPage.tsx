import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n, type MessageKey } from '../../i18n';
import { Link, withQuery } from '../../router';
import { Page, QueryState } from '../../ui/Page';
import { Section } from '../../ui/Section';
import '../../ui/ops.css';

type Figure = components['schemas']['OverviewCount'];

/** The operator's local date: the server does not know the tenant's time zone. */
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The console page that shows the rows an API list filter selects. */
export function consolePathOf(list: Figure['list']): string {
  const q = list.query;
  switch (list.operation_id) {
    case 'listOrders':
      return withQuery('/orders', { status: q.status, stop_date: q.stop_date });
    case 'listTrips':
      return withQuery('/trips', { status: q.status, cancelled: q.cancelled, date_to: q.date_to });
    case 'listAllWebhookDeliveries':
      return withQuery('/deliveries', { status: q.status });
    case 'listWebhookEndpoints':
      return withQuery('/webhooks', { enabled: q.enabled });
    case 'listSyncTasks':
      return withQuery('/sync-tasks', { status: q.status });
    case 'listUnmatchedStatusUpdates':
      return withQuery('/unmatched', { state: q.state });
    default:
      return '/';
  }
}

/** What needs attention now: every number links to the list of the rows behind it. */
export default function OverviewPage() {
  const { t } = useI18n();
  const date = today();
  const query = useQuery({ queryKey: ['overview', date], queryFn: () => unwrap(api.GET('/v1/overview', { params: { query: { date } } })) });
  return (
    <Page title={t('overview.title')}>
      <QueryState query={query}>
        {(data) => (
          <>
            <Section id="attention" title={t('overview.attention')}>
              <ul className="figures">
                <Tile figure={data.deliveries_failing} label={t('overview.deliveriesFailing')} alert />
                <Tile figure={data.endpoints_disabled} label={t('overview.endpointsDisabled')} alert />
                <Tile figure={data.unmatched_status_updates} label={t('overview.unmatched')} alert />
                <Tile figure={data.sync_tasks_failed} label={t('overview.syncTasksFailed')} alert />
                <Tile figure={data.trips_under_way} label={t('overview.tripsUnderWay')} />
              </ul>
            </Section>
            <Section id="orders-today" title={t('overview.ordersToday', { count: data.orders_today.total, date: data.date })}>
              <ul className="figures">
                {data.orders_today.by_status.map((s) => (
                  <Tile key={s.status} figure={s} label={t(`status.${s.status}` as MessageKey)} />
                ))}
              </ul>
            </Section>
          </>
        )}
      </QueryState>
    </Page>
  );
}

function Tile({ figure, label, alert }: { figure: Figure; label: string; alert?: boolean }) {
  const attention = alert && figure.count > 0;
  return (
    <li className={attention ? 'figure figure-alert' : 'figure'}>
      <Link to={consolePathOf(figure.list)}>
        <span className="figure-count">{figure.count}</span>
        <span className="figure-label">{label}</span>
      </Link>
    </li>
  );
}
