import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n, type MessageKey } from '../../i18n';
import { ListTable, Pager } from '../../ui/DataTable';
import { ErrorMessage, Page, QueryState } from '../../ui/Page';
import { Section } from '../../ui/Section';
import { useCursorPages } from '../../ui/paging';
import '../../ui/ops.css';

type ApiClient = components['schemas']['ApiClient'];
type Created = components['schemas']['CreatedApiClient'];
const ROLES = ['TENANT', 'CUSTOMER', 'SUBCONTRACTOR'] as const satisfies readonly components['schemas']['ApiClient']['role'][];
const KINDS = ['API', 'WEBHOOK'] as const satisfies readonly components['schemas']['ApiClient']['kind'][];

/** API clients: create one (its secret is shown once, here), list them, revoke one. */
export default function ApiClientsPage() {
  const { t, formatDateTime } = useI18n();
  const paging = useCursorPages('clients');
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['api-clients', paging.cursor],
    queryFn: () => unwrap(api.GET('/v1/admin/api-clients', { params: { query: { cursor: paging.cursor, limit: 100 } } })),
    placeholderData: keepPreviousData,
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/v1/admin/api-clients/{id}', { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['api-clients'] }),
  });
  return (
    <Page title={t('clients.title')}>
      <CreateClient />
      <Section id="clients" title={t('clients.list')}>
        {revoke.isError ? <ErrorMessage error={revoke.error} /> : null}
        <QueryState query={query} isEmpty={(data) => data.items.length === 0}>
          {(data) => (
            <>
              <ListTable
                caption={t('clients.list')}
                headers={[t('clients.name'), t('clients.clientId'), t('clients.role'), t('clients.kind'), t('clients.created'), t('clients.state')]}
              >
                {data.items.map((c: ApiClient) => (
                  <tr key={c.id}>
                    <td data-label={t('clients.name')}>{c.name}</td>
                    <td data-label={t('clients.clientId')}>
                      <code>{c.client_id}</code>
                    </td>
                    <td data-label={t('clients.role')}>{t(`role.${c.role}` as MessageKey)}</td>
                    <td data-label={t('clients.kind')}>{c.kind}</td>
                    <td data-label={t('clients.created')}>{formatDateTime(c.created_at)}</td>
                    <td data-label={t('clients.state')}>
                      {c.revoked_at ? (
                        t('clients.revokedAt', { when: formatDateTime(c.revoked_at) })
                      ) : (
                        <button
                          type="button"
                          disabled={revoke.isPending}
                          aria-label={t('clients.revokeOf', { name: c.name })}
                          onClick={() => window.confirm(t('clients.confirmRevoke', { name: c.name })) && revoke.mutate(c.id)}
                        >
                          {t('clients.revoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </ListTable>
              <Pager hasPrevious={paging.hasPrevious} nextCursor={data.next_cursor} onFirst={paging.first} onPrevious={paging.previous} onNext={paging.next} />
            </>
          )}
        </QueryState>
      </Section>
    </Page>
  );
}

function CreateClient() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<(typeof ROLES)[number]>('TENANT');
  const [created, setCreated] = useState<Created>();
  const create = useMutation({
    mutationFn: (body: { name: string; role: (typeof ROLES)[number]; kind: (typeof KINDS)[number]; company_id?: string }) =>
      unwrap(api.POST('/v1/admin/api-clients', { body })),
    onSuccess: (data) => {
      setCreated(data);
      void queryClient.invalidateQueries({ queryKey: ['api-clients'] });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim();
    create.mutate({
      name: value('name'),
      role,
      kind: value('kind') as (typeof KINDS)[number],
      ...(role === 'TENANT' ? {} : { company_id: value('company') }),
    });
  };
  return (
    <Section id="create" title={t('clients.create')}>
      <form className="inline-form" onSubmit={submit}>
        <label>
          {t('clients.name')}
          <input name="name" required maxLength={200} />
        </label>
        <label>
          {t('clients.role')}
          <select name="role" value={role} onChange={(e) => setRole(e.currentTarget.value as (typeof ROLES)[number])}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        {role === 'TENANT' ? null : (
          <label>
            {t('clients.company')}
            <input name="company" required maxLength={100} />
          </label>
        )}
        <label>
          {t('clients.kind')}
          <select name="kind" defaultValue="API">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={create.isPending}>
          {t('clients.createSubmit')}
        </button>
      </form>
      {create.isError ? <ErrorMessage error={create.error} /> : null}
      {created ? (
        <div className="notice notice-secret" role="status">
          <p>{t('clients.secretOnce', { name: created.name })}</p>
          <p>
            {t('clients.clientId')}: <code>{created.client_id}</code>
          </p>
          <p>
            {t('clients.secret')}: <code data-testid="client-secret">{created.client_secret}</code>
          </p>
          <button type="button" onClick={() => setCreated(undefined)}>
            {t('webhook.secretStored')}
          </button>
        </div>
      ) : null}
    </Section>
  );
}
