import '../data.css';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n, type MessageKey, type Translate } from '../../i18n';
import { Link, navigate, useLocation, withQuery } from '../../router';
import { DataTable, Pager } from '../../ui/DataTable';
import { ErrorMessage, Page, QueryState } from '../../ui/Page';
import { useCursorPages } from '../../ui/paging';
import { labelFrom } from '../../ui/format';
import { KIND_OF_SUBJECT } from './documents';

type Task = components['schemas']['AvailableTask'];
const STATUSES = ['TODO', 'FAILED', 'COMPLETED'] as const satisfies readonly components['schemas']['TaskStatus'][];
type Status = (typeof STATUSES)[number];
const isStatus = (value: string | null): value is Status => STATUSES.includes(value as Status);
const PAGE_SIZE = 50;

/**
 * The accounting package's queue as the operators see it: what is still to post, what failed and
 * why (with a button to put it back in the queue once fixed), and what was posted.
 */
export default function SyncTasksPage() {
  const { t } = useI18n();
  const { search } = useLocation();
  const statusParam = search.get('status');
  const status: Status = isStatus(statusParam) ? statusParam : 'TODO';
  const billingEntity = search.get('billing_entity') ?? undefined;
  const paging = useCursorPages(`${status}|${billingEntity}`);
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string>();

  const query = useQuery({
    queryKey: ['sync-tasks', { status, billingEntity, cursor: paging.cursor }],
    queryFn: () =>
      unwrap(
        api.GET('/v1/accounting/sync-tasks', {
          params: { query: { status, billing_entity_code: billingEntity, cursor: paging.cursor, limit: PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  const retry = useMutation({
    mutationFn: (task: Task) => unwrap(api.POST('/v1/accounting/sync-tasks/{id}/retry', { params: { path: { id: task.id } } })),
    onSuccess: async (_answer, task) => {
      setNotice(t('syncTasks.retried', { name: task.document_name ?? task.invoice_id ?? task.id }));
      await queryClient.invalidateQueries({ queryKey: ['sync-tasks'] });
    },
  });

  const columns = useMemo<ColumnDef<Task, unknown>[]>(
    () => [
      {
        header: t('syncTasks.document'),
        cell: ({ row }) => {
          const task = row.original;
          const label = task.document_name ?? task.invoice_id ?? task.id;
          return task.invoice_id ? <Link to={`/accounting/${KIND_OF_SUBJECT[task.subject_type]}/${task.invoice_id}`}>{label}</Link> : label;
        },
      },
      { header: t('syncTasks.type'), cell: ({ row }) => taskTypeLabel(t, row.original.task_type) },
      { header: t('accounting.billingEntity'), accessorKey: 'billing_entity_code' },
      { header: t('syncTasks.status'), cell: ({ row }) => t(`syncTasks.status.${row.original.status}` as MessageKey) },
      {
        header: t('syncTasks.failure'),
        cell: ({ row }) => {
          const failure = row.original.failure;
          if (!failure) return '—';
          return (
            <>
              <span className="badge badge-danger">{t(`syncTasks.error.${failure.error_type}` as MessageKey)}</span> {failure.error_message ?? ''}
            </>
          );
        },
      },
      { header: t('syncTasks.queued'), cell: ({ row }) => <QueuedAt iso={row.original.queued_at} /> },
      {
        header: t('syncTasks.actions'),
        cell: ({ row }) =>
          row.original.status === 'FAILED' ? (
            <button
              type="button"
              onClick={() => retry.mutate(row.original)}
              disabled={retry.isPending}
              aria-label={t('syncTasks.retryNamed', { name: row.original.document_name ?? row.original.id })}
            >
              {t('syncTasks.retry')}
            </button>
          ) : (
            '—'
          ),
      },
    ],
    [t, retry],
  );

  return (
    <Page title={t('syncTasks.title')} actions={<Link to="/accounting">{t('accounting.title')}</Link>}>
      <p className="lead">{t('syncTasks.intro')}</p>
      <TaskFilters status={status} billingEntity={billingEntity} />
      <div role="status" aria-live="polite" className="live-region">
        {notice ? <p className="notice notice-ok">{notice}</p> : null}
      </div>
      {retry.isError ? <ErrorMessage error={retry.error} /> : null}
      <QueryState query={query} isEmpty={(data) => data.tasks.length === 0} empty={t(`syncTasks.empty.${status}` as MessageKey)}>
        {(data) => (
          <>
            <DataTable data={data.tasks} columns={columns} caption={t(`syncTasks.status.${status}` as MessageKey)} />
            <Pager hasPrevious={paging.hasPrevious} nextCursor={data.next_cursor} onFirst={paging.first} onPrevious={paging.previous} onNext={paging.next} />
          </>
        )}
      </QueryState>
    </Page>
  );
}

function QueuedAt({ iso }: { iso: string }) {
  const { formatDateTime } = useI18n();
  return <>{formatDateTime(iso)}</>;
}

const TASK_TYPE_KEYS: Record<string, MessageKey> = {
  POST_INVOICE: 'syncTasks.type.POST_INVOICE',
  POST_CREDIT_NOTE: 'syncTasks.type.POST_CREDIT_NOTE',
  POST_INVOICE_PURCHASE: 'syncTasks.type.POST_INVOICE_PURCHASE',
  POST_CREDIT_NOTE_PURCHASE: 'syncTasks.type.POST_CREDIT_NOTE_PURCHASE',
};

const taskTypeLabel = (t: Translate, type: string): string => labelFrom(t, TASK_TYPE_KEYS, type);

function TaskFilters({ status, billingEntity }: { status: Status; billingEntity: string | undefined }) {
  const { t } = useI18n();
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    navigate(withQuery('/sync-tasks', { status: String(form.get('status') ?? ''), billing_entity: String(form.get('billing_entity') ?? '').trim() }));
  };
  return (
    <form className="filters" role="search" aria-label={t('syncTasks.filters')} onSubmit={apply} key={`${status}|${billingEntity}`}>
      <label>
        {t('syncTasks.status')}
        <select name="status" defaultValue={status}>
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {t(`syncTasks.status.${value}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('accounting.billingEntity')}
        <input name="billing_entity" defaultValue={billingEntity ?? ''} maxLength={50} />
      </label>
      <button type="submit">{t('accounting.apply')}</button>
    </form>
  );
}
