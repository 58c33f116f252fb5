import '../data.css';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';
import { Link, navigate, useLocation, withQuery } from '../../router';
import { DataTable, Pager } from '../../ui/DataTable';
import { formatDay, formatMoney } from '../../ui/amounts';
import { Page, QueryState } from '../../ui/Page';
import { useCursorPages } from '../../ui/paging';
import {
  documentStatusLabel,
  isKind,
  KIND_INFO,
  KINDS,
  listDocuments,
  partyOf,
  settlementLabel,
  settlementOf,
  statusesOf,
  type AnyDocument,
  type Kind,
  type ListFilters,
} from './documents';

const PAGE_SIZE = 50;

/**
 * The accountant's lists: one kind of document at a time (a tab each), filtered by state, party,
 * billing entity and date range, paged by the API's cursor. Every filter lives in the address.
 */
export default function AccountingPage() {
  const { t, language } = useI18n();
  const { search } = useLocation();
  const kindParam = search.get('kind');
  const kind: Kind = isKind(kindParam) ? kindParam : 'sales-invoice';
  const statusParam = search.get('status') ?? undefined;
  const filters: ListFilters = {
    status: statusParam && statusesOf(kind).includes(statusParam) ? statusParam : undefined,
    party: search.get('party') ?? undefined,
    billingEntity: search.get('billing_entity') ?? undefined,
    from: search.get('from') ?? undefined,
    to: search.get('to') ?? undefined,
  };
  const filterKey = JSON.stringify([kind, filters]);
  const paging = useCursorPages(filterKey);
  const info = KIND_INFO[kind];

  const query = useQuery({
    queryKey: ['accounting', kind, filters, paging.cursor],
    queryFn: () => listDocuments(kind, filters, paging.cursor, PAGE_SIZE),
    // The last page stays on screen while the next loads, but never under another kind's tab.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === kind ? keepPreviousData(previous) : undefined),
  });

  const columns = useMemo<ColumnDef<AnyDocument, unknown>[]>(
    () => [
      {
        header: t('accounting.number'),
        cell: ({ row }) => <Link to={`/accounting/${kind}/${row.original.id ?? ''}`}>{row.original.name}</Link>,
      },
      { header: t(info.party === 'customer' ? 'accounting.customer' : 'accounting.supplier'), cell: ({ row }) => partyOf(row.original).name },
      { header: t('accounting.date'), cell: ({ row }) => formatDay(row.original.date, language) },
      { header: t('accounting.status'), cell: ({ row }) => documentStatusLabel(t, row.original.status) },
      { header: t(info.credit ? 'accounting.refund' : 'accounting.payment'), cell: ({ row }) => settlementLabel(t, settlementOf(row.original)) },
      {
        header: t('accounting.totalInclTax'),
        cell: ({ row }) => <span className="number">{formatMoney(row.original.total_incl_tax, row.original.currency, language)}</span>,
      },
      { header: t('accounting.billingEntity'), cell: ({ row }) => row.original.billing_entity.code },
    ],
    [t, language, kind, info],
  );

  const filtered = Boolean(filters.status || filters.party || filters.billingEntity || filters.from || filters.to);
  return (
    <Page title={t('accounting.title')} actions={<Link to="/sync-tasks">{t('syncTasks.title')}</Link>}>
      <nav className="tabs" aria-label={t('accounting.kinds')}>
        <ul>
          {KINDS.map((k) => (
            <li key={k}>
              <Link to={withQuery('/accounting', { kind: k })} aria-current={k === kind ? 'page' : undefined}>
                {t(KIND_INFO[k].title)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <h2 className="visually-hidden">{t(info.title)}</h2>
      <DocumentFilters kind={kind} filters={filters} />
      <QueryState query={query} isEmpty={(data) => data.items.length === 0} empty={filtered ? t('state.noMatch') : t('accounting.empty')}>
        {(data) => (
          <>
            <DataTable data={data.items} columns={columns} caption={t(info.title)} />
            <Pager hasPrevious={paging.hasPrevious} nextCursor={data.next_cursor} onFirst={paging.first} onPrevious={paging.previous} onNext={paging.next} />
          </>
        )}
      </QueryState>
    </Page>
  );
}

function DocumentFilters({ kind, filters }: { kind: Kind; filters: ListFilters }) {
  const { t } = useI18n();
  const info = KIND_INFO[kind];
  // The party filter is set from a company's page; here it is only shown, by name, and cleared.
  const party = useQuery({
    queryKey: ['company', filters.party],
    queryFn: () => unwrap(api.GET('/v1/companies/company/{id}', { params: { path: { id: filters.party ?? '' } } })),
    enabled: Boolean(filters.party),
  });
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    navigate(
      withQuery('/accounting', {
        kind,
        status: value('status'),
        party: filters.party,
        billing_entity: value('billing_entity'),
        from: value('from'),
        to: value('to'),
      }),
    );
  };
  return (
    <form className="filters" role="search" aria-label={t('accounting.filters')} onSubmit={apply} key={JSON.stringify([kind, filters])}>
      <label>
        {t('accounting.status')}
        <select name="status" defaultValue={filters.status ?? ''}>
          <option value="">{t('accounting.anyStatus')}</option>
          {statusesOf(kind).map((status) => (
            <option key={status} value={status}>
              {documentStatusLabel(t, status)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('accounting.billingEntity')}
        <input name="billing_entity" defaultValue={filters.billingEntity ?? ''} maxLength={50} />
      </label>
      <label>
        {t('accounting.from')}
        <input type="date" name="from" defaultValue={filters.from ?? ''} />
      </label>
      <label>
        {t('accounting.to')}
        <input type="date" name="to" defaultValue={filters.to ?? ''} />
      </label>
      <button type="submit">{t('accounting.apply')}</button>
      {filters.party ? (
        <p className="filter-chip">
          {t(info.party === 'customer' ? 'accounting.customer' : 'accounting.supplier')}: <strong>{party.data?.name ?? '…'}</strong>{' '}
          <Link to={withQuery('/accounting', { kind, status: filters.status, billing_entity: filters.billingEntity, from: filters.from, to: filters.to })}>
            {t('accounting.clearParty')}
          </Link>
        </p>
      ) : null}
    </form>
  );
}
