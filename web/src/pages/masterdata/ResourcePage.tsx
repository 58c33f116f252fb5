import '../data.css';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';
import { Link, navigate, useLocation, withQuery } from '../../router';
import { ErrorMessage, Page, QueryState } from '../../ui/Page';
import { addMonths, covers, dayOf, firstDay, isMonth, monthOfDay, startOf, type Day, type Month } from './calendar';
import { MonthCalendar } from './MonthCalendar';
import { licencePlateOf, reasonLabel, resourceTypeLabel, variantOf, type Period, type Resource } from './resources';

/** A window can hold more periods than a page: follow the cursor, within reason (a month rarely has more than a few). */
const PER_PAGE = 100;
const MAX_PAGES = 10;

async function periodsIn(resourceId: string, month: Month): Promise<Period[]> {
  const periods: Period[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await unwrap(
      api.GET('/v1/resources/resource/{resource_id}/unavailability', {
        params: {
          path: { resource_id: resourceId },
          query: {
            start_time: startOf(firstDay(month)).toISOString(),
            end_time: startOf(firstDay(addMonths(month, 1))).toISOString(),
            cursor,
            limit: PER_PAGE,
          },
        },
      }),
    );
    periods.push(...answer.items);
    cursor = answer.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return periods;
}

/** One resource: what it is, and when it cannot be planned, month by month. */
export default function ResourcePage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const id = params.id ?? '';
  const query = useQuery({
    queryKey: ['resource', id],
    queryFn: () => unwrap(api.GET('/v1/resources/resource/{resource_id}', { params: { path: { resource_id: id } } })),
  });
  return (
    <Page title={query.data?.name ?? t('resources.one')} actions={<Link to="/resources">{t('resources.backToList')}</Link>}>
      <QueryState query={query}>
        {(resource) => (
          <>
            <ResourceFacts resource={resource} />
            <Availability resource={resource} />
          </>
        )}
      </QueryState>
    </Page>
  );
}

function ResourceFacts({ resource }: { resource: Resource }) {
  const { t, formatDateTime } = useI18n();
  const variant = variantOf(resource);
  const name = [variant.first_name, variant.last_name].filter((part) => typeof part === 'string').join(' ');
  const vehicle = [variant.manufacturer, variant.model].filter((part) => typeof part === 'string').join(' ');
  return (
    <section aria-labelledby="resource-facts">
      <h2 id="resource-facts">{t('resources.details')}</h2>
      <dl className="facts">
        <dt>{t('resources.type')}</dt>
        <dd>{resourceTypeLabel(t, resource.resource_type)}</dd>
        {name ? (
          <>
            <dt>{t('resources.person')}</dt>
            <dd>{name}</dd>
          </>
        ) : null}
        {vehicle ? (
          <>
            <dt>{t('resources.vehicle')}</dt>
            <dd>{vehicle}</dd>
          </>
        ) : null}
        <dt>{t('resources.licencePlate')}</dt>
        <dd>{licencePlateOf(resource) ?? '—'}</dd>
        <dt>{t('resources.code')}</dt>
        <dd>{resource.code ?? '—'}</dd>
        <dt>{t('resources.externalId')}</dt>
        <dd>{resource.external_id ?? '—'}</dd>
        <dt>{t('resources.active')}</dt>
        <dd>{resource.is_active ? t('resources.yes') : t('resources.archived')}</dd>
        <dt>{t('resources.groups')}</dt>
        <dd>{resource.resource_groups.map((group) => group.name ?? group.code).join(', ') || '—'}</dd>
        {resource.subcontractor ? (
          <>
            <dt>{t('resources.subcontractor')}</dt>
            <dd>
              <Link to={`/companies/${resource.subcontractor.row_id}`}>{t('resources.subcontractorLink')}</Link>
            </dd>
          </>
        ) : null}
        <dt>{t('resources.updated')}</dt>
        <dd>{formatDateTime(resource.timestamp_updated)}</dd>
      </dl>
      {resource.note ? <p className="note">{resource.note}</p> : null}
    </section>
  );
}

function Availability({ resource }: { resource: Resource }) {
  const { t, language, formatDateTime } = useI18n();
  const { search } = useLocation();
  const monthParam = search.get('month');
  const month: Month = isMonth(monthParam) ? monthParam : monthOfDay(dayOf(new Date()));
  const [selected, setSelected] = useState<Day>();
  const periods = useQuery({
    queryKey: ['unavailability', resource.row_id, month],
    queryFn: () => periodsIn(resource.row_id, month),
    placeholderData: keepPreviousData,
  });
  const setMonth = (next: Month) => navigate(withQuery(`/resources/${resource.row_id}`, { month: next }), { replace: true });
  const list = periods.data ?? [];
  const onSelected = selected ? list.filter((period) => covers(period, selected)) : [];
  const selectedLabel = selected ? new Intl.DateTimeFormat(language, { dateStyle: 'full' }).format(startOf(selected)) : '';

  return (
    <section aria-labelledby="availability-heading">
      <h2 id="availability-heading">{t('resources.availability')}</h2>
      <MonthCalendar month={month} periods={list} onMonthChange={setMonth} selected={selected} onSelect={setSelected} />
      {periods.isError ? <ErrorMessage error={periods.error} onRetry={() => void periods.refetch()} /> : null}
      <div aria-live="polite" className="day-details">
        {selected ? (
          <>
            <h3>{t('calendar.onDay', { day: selectedLabel })}</h3>
            {onSelected.length ? (
              <ul>
                {onSelected.map((period) => (
                  <li key={period.id}>
                    <strong>{reasonLabel(t, period.reason)}</strong>: {formatDateTime(period.start_time)} –{' '}
                    {period.end_time ? formatDateTime(period.end_time) : t('calendar.openEnded')}
                    {period.description ? ` (${period.description})` : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t('calendar.availableAllDay')}</p>
            )}
          </>
        ) : null}
      </div>
      <h3 id="periods-heading">{t('resources.periodsThisMonth')}</h3>
      {list.length === 0 ? (
        <p className="empty">{periods.isPending ? t('state.loading') : t('resources.noPeriods')}</p>
      ) : (
        <div className="table-scroll">
          <table aria-labelledby="periods-heading">
            <thead>
              <tr>
                <th scope="col">{t('resources.reason')}</th>
                <th scope="col">{t('resources.from')}</th>
                <th scope="col">{t('resources.until')}</th>
                <th scope="col">{t('resources.description')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((period) => (
                <tr key={period.id}>
                  <td data-label={t('resources.reason')}>{reasonLabel(t, period.reason)}</td>
                  <td data-label={t('resources.from')}>{formatDateTime(period.start_time)}</td>
                  <td data-label={t('resources.until')}>{period.end_time ? formatDateTime(period.end_time) : t('calendar.openEnded')}</td>
                  <td data-label={t('resources.description')}>{period.description ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
