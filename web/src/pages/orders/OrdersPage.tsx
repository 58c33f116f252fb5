import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n, type MessageKey } from '../../i18n';
import { Link, navigate, useLocation, withQuery } from '../../router';
import { DataTable, Pager } from '../../ui/DataTable';
import { OrderSearchFields } from '../../ui/OrderFilterFields';
import { Page, QueryState } from '../../ui/Page';
import { ORDER_STATUSES } from '../../ui/format';
import { useCursorPages } from '../../ui/paging';

type OrderSummary = components['schemas']['OrderSummary'];
const STATUSES = ORDER_STATUSES;
type Status = (typeof STATUSES)[number];
const isStatus = (value: string | null): value is Status => STATUSES.includes(value as Status);
const PAGE_SIZE = 50;

/** The order list: filters in the address (shareable), server-side cursor paging, one page of rows rendered. */
export default function OrdersPage() {
  const { t, formatDateTime } = useI18n();
  const { search } = useLocation();
  const statusParam = search.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const customerCode = search.get('customer_code') || undefined;
  const text = search.get('q') || undefined;
  // Operators look for what changed last: latest first unless the address asks for oldest first.
  const order = search.get('order') === 'asc' ? 'asc' : 'desc';
  // `stop_date` comes from the overview's "orders today" (console-ops).
  const stopDate = /^\d{4}-\d\d-\d\d$/.test(search.get('stop_date') ?? '') ? (search.get('stop_date') as string) : undefined;
  const paging = useCursorPages(`${status}|${customerCode}|${text}|${order}|${stopDate}`);

  const query = useQuery({
    queryKey: ['orders', { status, customerCode, text, order, stopDate, cursor: paging.cursor }],
    queryFn: () =>
      unwrap(
        api.GET('/v1/orders/order', {
          params: { query: { status, customer_code: customerCode, q: text, order, stop_date: stopDate, cursor: paging.cursor, limit: PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo<ColumnDef<OrderSummary, unknown>[]>(
    () => [
      { header: t('orders.name'), cell: ({ row }) => <Link to={`/orders/${row.original.id}`}>{row.original.name}</Link> },
      { header: t('orders.identifier'), accessorKey: 'order_identifier' },
      { header: t('orders.customer'), cell: ({ row }) => row.original.customer.name },
      { header: t('orders.reference'), cell: ({ row }) => row.original.customer_reference_number ?? '—' },
      { header: t('orders.status'), cell: ({ row }) => statusLabel(t, row.original.status) },
      { header: t('orders.updated'), cell: ({ row }) => formatDateTime(row.original.updated_timestamp) },
    ],
    [t, formatDateTime],
  );

  return (
    <Page title={t('orders.title')}>
      <OrderFilters key={`${status}|${customerCode}|${text}|${order}`} status={status} customerCode={customerCode} text={text} order={order} />
      <QueryState query={query} isEmpty={(data) => data.items.length === 0} empty={status || customerCode || text ? t('state.noMatch') : t('orders.empty')}>
        {(data) => (
          <>
            <DataTable data={data.items} columns={columns} caption={t('orders.title')} />
            <Pager hasPrevious={paging.hasPrevious} nextCursor={data.next_cursor} onFirst={paging.first} onPrevious={paging.previous} onNext={paging.next} />
          </>
        )}
      </QueryState>
    </Page>
  );
}

function statusLabel(t: ReturnType<typeof useI18n>['t'], status: string) {
  const key = `status.${status}` as MessageKey;
  return isStatus(status) ? t(key) : status;
}

function OrderFilters({
  status,
  customerCode,
  text,
  order,
}: {
  status: Status | undefined;
  customerCode: string | undefined;
  text: string | undefined;
  order: 'asc' | 'desc';
}) {
  const { t } = useI18n();
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim();
    const sort = value('order');
    navigate(
      withQuery('/orders', { q: value('q'), status: value('status'), customer_code: value('customer_code'), order: sort === 'asc' ? 'asc' : undefined }),
    );
  };
  return (
    <form className="filters" role="search" aria-label={t('orders.filters')} onSubmit={apply}>
      <OrderSearchFields text={text} status={status} />
      <label>
        {t('orders.customerCode')}
        <input name="customer_code" defaultValue={customerCode ?? ''} maxLength={100} />
      </label>
      <label>
        {t('orders.sort')}
        <select name="order" defaultValue={order}>
          <option value="desc">{t('orders.latestFirst')}</option>
          <option value="asc">{t('orders.oldestFirst')}</option>
        </select>
      </label>
      <button type="submit">{t('orders.apply')}</button>
    </form>
  );
}
