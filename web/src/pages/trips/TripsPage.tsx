import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n } from '../../i18n';
import { Link, navigate, useLocation, withQuery } from '../../router';
import { DataTable, Pager } from '../../ui/DataTable';
import { DISPATCH_STATUSES, labelOf, TRIP_STATUSES } from '../../ui/format';
import { Page, QueryState } from '../../ui/Page';
import { useCursorPages } from '../../ui/paging';

type Trip = components['schemas']['TripOutput'];
type TripStatus = (typeof TRIP_STATUSES)[number];
const isTripStatus = (value: string | null): value is TripStatus => TRIP_STATUSES.includes(value as TripStatus);
const DATE = /^\d{4}-\d\d-\d\d$/;
const PAGE_SIZE = 50;

/** The trip list: status and date filters in the address, server-side cursor paging. */
export default function TripsPage() {
  const { t, formatDateTime } = useI18n();
  const { search } = useLocation();
  const statusParam = search.get('status');
  const status = isTripStatus(statusParam) ? statusParam : undefined;
  const dateParam = (name: string) => {
    const value = search.get(name) ?? '';
    return DATE.test(value) ? value : undefined;
  };
  const dateFrom = dateParam('date_from');
  const dateTo = dateParam('date_to');
  // `cancelled=false` comes from the overview's "trips under way" (console-ops).
  const cancelledParam = search.get('cancelled');
  const cancelled = cancelledParam === 'true' ? true : cancelledParam === 'false' ? false : undefined;
  const paging = useCursorPages(`${status}|${dateFrom}|${dateTo}|${cancelled}`);

  const query = useQuery({
    queryKey: ['trips', { status, dateFrom, dateTo, cancelled, cursor: paging.cursor }],
    queryFn: () =>
      unwrap(
        api.GET('/v1/trips/trip', { params: { query: { status, date_from: dateFrom, date_to: dateTo, cancelled, cursor: paging.cursor, limit: PAGE_SIZE } } }),
      ),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo<ColumnDef<Trip, unknown>[]>(
    () => [
      { header: t('trips.name'), cell: ({ row }) => <Link to={`/trips/${row.original.id}`}>{row.original.name}</Link> },
      {
        header: t('trips.status'),
        cell: ({ row }) => (row.original.cancelled ? t('trips.cancelled') : labelOf(t, 'tripStatus', row.original.status, TRIP_STATUSES)),
      },
      { header: t('trips.subcontractor'), cell: ({ row }) => row.original.subcontractor?.name ?? '—' },
      { header: t('trips.dispatch'), cell: ({ row }) => labelOf(t, 'dispatch', row.original.dispatch.status, DISPATCH_STATUSES) },
      { header: t('trips.stops'), cell: ({ row }) => row.original.stops.length },
      { header: t('trips.orders'), cell: ({ row }) => row.original.orders.map((order) => order.name).join(', ') || '—' },
      { header: t('orders.updated'), cell: ({ row }) => formatDateTime(row.original.updated_timestamp) },
    ],
    [t, formatDateTime],
  );

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '');
    navigate(withQuery('/trips', { status: value('status'), date_from: value('date_from'), date_to: value('date_to') }));
  };

  return (
    <Page title={t('trips.title')}>
      <form key={`${status}|${dateFrom}|${dateTo}`} className="filters" role="search" aria-label={t('orders.filters')} onSubmit={apply}>
        <label>
          {t('trips.status')}
          <select name="status" defaultValue={status ?? ''}>
            <option value="">{t('orders.anyStatus')}</option>
            {TRIP_STATUSES.map((value) => (
              <option key={value} value={value}>
                {t(`tripStatus.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('trips.dateFrom')}
          <input type="date" name="date_from" defaultValue={dateFrom ?? ''} />
        </label>
        <label>
          {t('trips.dateTo')}
          <input type="date" name="date_to" defaultValue={dateTo ?? ''} />
        </label>
        <button type="submit">{t('orders.apply')}</button>
      </form>
      <QueryState query={query} isEmpty={(data) => data.items.length === 0} empty={status || dateFrom || dateTo ? t('state.noMatch') : t('trips.empty')}>
        {(data) => (
          <>
            <DataTable data={data.items} columns={columns} caption={t('trips.title')} />
            <Pager hasPrevious={paging.hasPrevious} nextCursor={data.next_cursor} onFirst={paging.first} onPrevious={paging.previous} onNext={paging.next} />
          </>
        )}
      </QueryState>
    </Page>
  );
}
