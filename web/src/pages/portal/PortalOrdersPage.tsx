import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n } from '../../i18n';
import { Link, navigate, useLocation, withQuery } from '../../router';
import { DataTable, Pager } from '../../ui/DataTable';
import { formatDay } from '../../ui/amounts';
import { labelOf, ORDER_STATUSES } from '../../ui/format';
import { OrderSearchFields } from '../../ui/OrderFilterFields';
import { Page, QueryState } from '../../ui/Page';
import { useCursorPages } from '../../ui/paging';
import { StatusBadge } from '../orders/OrderPage';
import './portal.css';

type OrderSummary = components['schemas']['OrderSummary'];
type Status = (typeof ORDER_STATUSES)[number];
const isStatus = (value: string | null): value is Status => ORDER_STATUSES.includes(value as Status);
const PAGE_SIZE = 50;
const DAY = /^\d{4}-\d\d-\d\d$/;

/**
 * The customer's orders (the portal's home): search and filters in the address, latest change
 * first, paged by the API's cursor; the same filters export the whole list as CSV or Excel.
 */
export default function PortalOrdersPage() {
  const { t, language, formatDateTime } = useI18n();
  const { search } = useLocation();
  const statusParam = search.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const text = search.get('q') || undefined;
  const stopDate = DAY.test(search.get('stop_date') ?? '') ? (search.get('stop_date') as string) : undefined;
  const paging = useCursorPages(`${status}|${text}|${stopDate}`);

  const query = useQuery({
    queryKey: ['portal-orders', { status, text, stopDate, cursor: paging.cursor }],
    queryFn: () =>
      unwrap(
        api.GET('/v1/orders/order', { params: { query: { status, q: text, stop_date: stopDate, order: 'desc', cursor: paging.cursor, limit: PAGE_SIZE } } }),
      ),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo<ColumnDef<OrderSummary, unknown>[]>(
    () => [
      { header: t('orders.name'), cell: ({ row }) => <Link to={`/portal/orders/${row.original.id}`}>{row.original.name}</Link> },
      { header: t('portal.book.identifier'), accessorKey: 'order_identifier' },
      { header: t('orders.reference'), cell: ({ row }) => row.original.customer_reference_number ?? '—' },
      { header: t('orders.status'), cell: ({ row }) => <StatusBadge text={labelOf(t, 'status', row.original.status, ORDER_STATUSES)} /> },
      { header: t('portal.orders.firstPickup'), cell: ({ row }) => formatDay(row.original.first_pickup_date, language) },
      { header: t('portal.orders.lastDelivery'), cell: ({ row }) => formatDay(row.original.last_delivery_date, language) },
      { header: t('orders.updated'), cell: ({ row }) => formatDateTime(row.original.updated_timestamp) },
    ],
    [t, language, formatDateTime],
  );

  // The export takes the list's filters; the browser downloads it with the session cookie.
  const exportUrl = (format: 'csv' | 'xlsx') => withQuery('/v1/orders/export', { format, status, q: text, stop_date: stopDate, order: 'desc' });

  return (
    <Page title={t('portal.orders.title')} actions={<Link to="/portal/book">{t('portal.orders.book')}</Link>}>
      <Filters key={`${status}|${text}|${stopDate}`} status={status} text={text} stopDate={stopDate} />
      <p className="export-links">
        <strong>{t('portal.orders.export')}:</strong>
        <a href={exportUrl('csv')} download>
          {t('portal.orders.exportCsv')}
        </a>
        <a href={exportUrl('xlsx')} download>
          {t('portal.orders.exportXlsx')}
        </a>
        <span className="muted">{t('portal.orders.exportHint')}</span>
      </p>
      <QueryState query={query} isEmpty={(data) => data.items.length === 0} empty={status || text || stopDate ? t('state.noMatch') : t('portal.orders.empty')}>
        {(data) => (
          <>
            <DataTable data={data.items} columns={columns} caption={t('portal.orders.title')} />
            <Pager hasPrevious={paging.hasPrevious} nextCursor={data.next_cursor} onFirst={paging.first} onPrevious={paging.previous} onNext={paging.next} />
          </>
        )}
      </QueryState>
    </Page>
  );
}

function Filters({ status, text, stopDate }: { status: Status | undefined; text: string | undefined; stopDate: string | undefined }) {
  const { t } = useI18n();
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    navigate(withQuery('/portal/orders', { q: value('q'), status: value('status'), stop_date: value('stop_date') }));
  };
  return (
    <form className="filters portal-filters" role="search" aria-label={t('orders.filters')} onSubmit={apply}>
      <OrderSearchFields text={text} status={status} />
      <label>
        {t('portal.orders.stopDate')}
        <input type="date" name="stop_date" defaultValue={stopDate ?? ''} />
      </label>
      <button type="submit">{t('orders.apply')}</button>
    </form>
  );
}
