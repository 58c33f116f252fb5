import '../data.css';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';
import { Link, useLocation } from '../../router';
import { DataTable, Pager } from '../../ui/DataTable';
import { Page, QueryState } from '../../ui/Page';
import { useCursorPages } from '../../ui/paging';
import { isResourceType, licencePlateOf, RESOURCE_TYPES, resourceTypeLabel, type Resource } from './resources';
import { SearchFilters } from './SearchFilters';

const PAGE_SIZE = 50;

/** Drivers, vehicles and equipment: searched by name, code, external id or licence plate, filtered by type. */
export default function ResourcesPage() {
  const { t, formatDateTime } = useI18n();
  const { search } = useLocation();
  const text = search.get('search')?.trim() || undefined;
  const typeParam = search.get('type');
  const type = isResourceType(typeParam) ? typeParam : undefined;
  const paging = useCursorPages(`${text}|${type}`);

  const query = useQuery({
    queryKey: ['resources', { text, type, cursor: paging.cursor }],
    queryFn: () => unwrap(api.GET('/v1/resources/resource', { params: { query: { q: text, resource_type: type, cursor: paging.cursor, limit: PAGE_SIZE } } })),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo<ColumnDef<Resource, unknown>[]>(
    () => [
      { header: t('resources.name'), cell: ({ row }) => <Link to={`/resources/${row.original.row_id}`}>{row.original.name}</Link> },
      { header: t('resources.type'), cell: ({ row }) => resourceTypeLabel(t, row.original.resource_type) },
      { header: t('resources.code'), cell: ({ row }) => row.original.code ?? row.original.external_id ?? '—' },
      { header: t('resources.licencePlate'), cell: ({ row }) => licencePlateOf(row.original) ?? '—' },
      { header: t('resources.active'), cell: ({ row }) => (row.original.is_active ? t('resources.yes') : t('resources.archived')) },
      { header: t('resources.updated'), cell: ({ row }) => formatDateTime(row.original.timestamp_updated) },
    ],
    [t, formatDateTime],
  );

  return (
    <Page title={t('resources.title')}>
      <SearchFilters
        path="/resources"
        label={t('resources.filters')}
        searchLabel={t('resources.search')}
        text={text}
        choice={{
          name: 'type',
          label: t('resources.type'),
          anyLabel: t('resources.anyType'),
          value: type,
          options: RESOURCE_TYPES.map((value) => ({ value, label: resourceTypeLabel(t, value) })),
        }}
      />
      <QueryState query={query} isEmpty={(data) => data.items.length === 0} empty={text || type ? t('state.noMatch') : t('resources.empty')}>
        {(data) => (
          <>
            <DataTable data={data.items} columns={columns} caption={t('resources.title')} />
            <Pager hasPrevious={paging.hasPrevious} nextCursor={data.next_cursor} onFirst={paging.first} onPrevious={paging.previous} onNext={paging.next} />
          </>
        )}
      </QueryState>
    </Page>
  );
}
