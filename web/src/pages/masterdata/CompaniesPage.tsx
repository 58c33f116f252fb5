import '../data.css';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import { api, unwrap } from '../../api/client';
import type { components, operations } from '../../api/openapi';
import { useI18n } from '../../i18n';
import { Link, useLocation } from '../../router';
import { DataTable, Pager } from '../../ui/DataTable';
import { Page, QueryState } from '../../ui/Page';
import { useCursorPages } from '../../ui/paging';
import { rolesOf } from './companies';
import { SearchFilters } from './SearchFilters';

type Company = components['schemas']['CompanyDetailOutput'];
const ROLES = ['customer', 'subcontractor', 'buyer_or_seller'] as const satisfies readonly NonNullable<
  operations['listCompanies']['parameters']['query']
>['role'][];
type Role = (typeof ROLES)[number];
const isRole = (value: string | null): value is Role => ROLES.includes(value as Role);
const PAGE_SIZE = 50;

/** Customers, subcontractors and trading partners: searched by name or code, filtered by role. */
export default function CompaniesPage() {
  const { t, formatDateTime } = useI18n();
  const { search } = useLocation();
  const text = search.get('search')?.trim() || undefined;
  const roleParam = search.get('role');
  const role = isRole(roleParam) ? roleParam : undefined;
  const paging = useCursorPages(`${text}|${role}`);

  const query = useQuery({
    queryKey: ['companies', { text, role, cursor: paging.cursor }],
    queryFn: () => unwrap(api.GET('/v1/companies/company', { params: { query: { q: text, role, cursor: paging.cursor, limit: PAGE_SIZE } } })),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo<ColumnDef<Company, unknown>[]>(
    () => [
      { header: t('companies.name'), cell: ({ row }) => <Link to={`/companies/${row.original.id}`}>{row.original.name}</Link> },
      { header: t('companies.code'), cell: ({ row }) => row.original.code ?? '—' },
      { header: t('companies.roles'), cell: ({ row }) => rolesOf(t, row.original) },
      { header: t('companies.vat'), cell: ({ row }) => row.original.vat_number ?? '—' },
      { header: t('companies.city'), cell: ({ row }) => row.original.billing_location?.city ?? '—' },
      { header: t('companies.updated'), cell: ({ row }) => formatDateTime(row.original.timestamp_updated) },
    ],
    [t, formatDateTime],
  );

  return (
    <Page title={t('companies.title')}>
      <SearchFilters
        path="/companies"
        label={t('companies.filters')}
        searchLabel={t('companies.search')}
        text={text}
        choice={{
          name: 'role',
          label: t('companies.role'),
          anyLabel: t('companies.anyRole'),
          value: role,
          options: ROLES.map((value) => ({ value, label: t(`companies.role.${value}`) })),
        }}
      />
      <QueryState query={query} isEmpty={(data) => data.items.length === 0} empty={text || role ? t('state.noMatch') : t('companies.empty')}>
        {(data) => (
          <>
            <DataTable data={data.items} columns={columns} caption={t('companies.title')} />
            <Pager hasPrevious={paging.hasPrevious} nextCursor={data.next_cursor} onFirst={paging.first} onPrevious={paging.previous} onNext={paging.next} />
          </>
        )}
      </QueryState>
    </Page>
  );
}
