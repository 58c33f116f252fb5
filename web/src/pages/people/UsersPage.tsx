import '../data.css';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n, type Language } from '../../i18n';
import { LanguageOptions } from '../../ui/LanguageOptions';
import { Link } from '../../router';
import { useSession } from '../../session';
import { DataTable, Pager } from '../../ui/DataTable';
import { ErrorMessage, Page, QueryState } from '../../ui/Page';
import { useCursorPages } from '../../ui/paging';

type User = components['schemas']['User'];
type Role = User['role'];
const ROLES: Role[] = ['TENANT', 'CUSTOMER', 'SUBCONTRACTOR'];
const PAGE_SIZE = 50;

/** An invite link as the API answered it: shown once, right here, until the admin is done with it. */
interface Invitation {
  user: User;
  url: string;
}

/**
 * The tenant's people: invite one (the one-time link is shown here to pass on; no mail server is
 * involved), disable or enable them, or invite them again (the old link dies).
 */
export default function UsersPage() {
  const { t } = useI18n();
  const paging = useCursorPages('users');
  const queryClient = useQueryClient();
  const [invitation, setInvitation] = useState<Invitation>();
  const [notice, setNotice] = useState<string>();
  const session = useSession();

  const query = useQuery({
    queryKey: ['users', paging.cursor],
    queryFn: () => unwrap(api.GET('/v1/admin/users', { params: { query: { cursor: paging.cursor, limit: PAGE_SIZE } } })),
    placeholderData: keepPreviousData,
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['users'] });
  const action = useMutation({
    mutationFn: async ({ user, kind }: { user: User; kind: 'disable' | 'enable' | 'invite' }) => {
      const params = { params: { path: { id: user.id } } };
      if (kind === 'disable') return { kind, answer: await unwrap(api.POST('/v1/admin/users/{id}/disable', params)) };
      if (kind === 'enable') return { kind, answer: await unwrap(api.POST('/v1/admin/users/{id}/enable', params)) };
      return { kind, answer: await unwrap(api.POST('/v1/admin/users/{id}/invite', params)) };
    },
    onSuccess: async (result, { user }) => {
      if (result.kind === 'invite') {
        const answer = result.answer as components['schemas']['InvitedUser'];
        setNotice(undefined);
        setInvitation({ user: answer.user, url: answer.invite_url });
      } else {
        setInvitation(undefined);
        setNotice(t(result.kind === 'disable' ? 'users.disabledNotice' : 'users.enabledNotice', { name: user.name }));
      }
      await refresh();
    },
  });

  const columns = useMemo<ColumnDef<User, unknown>[]>(
    () => [
      { header: t('users.name'), accessorKey: 'name' },
      { header: t('users.email'), accessorKey: 'email' },
      { header: t('users.role'), cell: ({ row }) => t(`users.role.${row.original.role}`) },
      { header: t('users.company'), cell: ({ row }) => (row.original.company_id ? <CompanyName id={row.original.company_id} /> : '—') },
      { header: t('users.status'), cell: ({ row }) => t(`users.status.${row.original.status}`) },
      { header: t('users.lastSignIn'), cell: ({ row }) => <LastSignIn iso={row.original.last_sign_in_at} /> },
      {
        header: t('users.actions'),
        cell: ({ row }) => {
          const user = row.original;
          const self = session?.user.id === user.id;
          return (
            <div className="row-actions">
              {user.status === 'DISABLED' ? (
                <button
                  type="button"
                  onClick={() => action.mutate({ user, kind: 'enable' })}
                  disabled={action.isPending}
                  aria-label={t('users.enableNamed', { name: user.name })}
                >
                  {t('users.enable')}
                </button>
              ) : (
                <>
                  {self ? null : (
                    <button
                      type="button"
                      onClick={() => action.mutate({ user, kind: 'disable' })}
                      disabled={action.isPending}
                      aria-label={t('users.disableNamed', { name: user.name })}
                    >
                      {t('users.disable')}
                    </button>
                  )}
                  {self ? null : (
                    <button
                      type="button"
                      onClick={() => action.mutate({ user, kind: 'invite' })}
                      disabled={action.isPending}
                      aria-label={t('users.reinviteNamed', { name: user.name })}
                    >
                      {t('users.reinvite')}
                    </button>
                  )}
                </>
              )}
            </div>
          );
        },
      },
    ],
    [t, action, session],
  );

  return (
    <Page title={t('users.title')}>
      <p className="lead">{t('users.intro')}</p>
      <InviteForm
        onInvited={async (answer) => {
          setNotice(undefined);
          setInvitation(answer);
          await refresh();
        }}
      />
      {invitation ? <InvitationLink key={invitation.url} invitation={invitation} onDone={() => setInvitation(undefined)} /> : null}
      <div role="status" aria-live="polite">
        {notice ? <p className="notice notice-ok">{notice}</p> : null}
      </div>
      {action.isError ? <ErrorMessage error={action.error} /> : null}
      <QueryState query={query} isEmpty={(data) => data.items.length === 0} empty={t('users.empty')}>
        {(data) => (
          <>
            <DataTable data={data.items} columns={columns} caption={t('users.title')} />
            <Pager hasPrevious={paging.hasPrevious} nextCursor={data.next_cursor} onFirst={paging.first} onPrevious={paging.previous} onNext={paging.next} />
          </>
        )}
      </QueryState>
    </Page>
  );
}

function LastSignIn({ iso }: { iso: string | null }) {
  const { t, formatDateTime } = useI18n();
  return <>{iso ? formatDateTime(iso) : t('users.never')}</>;
}

function CompanyName({ id }: { id: string }) {
  const company = useQuery({ queryKey: ['company', id], queryFn: () => unwrap(api.GET('/v1/companies/company/{id}', { params: { path: { id } } })) });
  return <Link to={`/companies/${id}`}>{company.data?.name ?? '…'}</Link>;
}

function InviteForm({ onInvited }: { onInvited(invitation: Invitation): Promise<void> }) {
  const { t, language } = useI18n();
  const [role, setRole] = useState<Role>('TENANT');
  const form = useRef<HTMLFormElement>(null);
  const needsCompany = role !== 'TENANT';
  const companies = useQuery({
    queryKey: ['companies', 'for-users', role],
    queryFn: () => unwrap(api.GET('/v1/companies/company', { params: { query: { role: role === 'CUSTOMER' ? 'customer' : 'subcontractor', limit: 500 } } })),
    enabled: needsCompany,
  });
  const invite = useMutation({
    mutationFn: (body: components['schemas']['NewUser']) => unwrap(api.POST('/v1/admin/users', { body })),
    onSuccess: async (answer) => {
      form.current?.reset();
      setRole('TENANT');
      await onInvited({ user: answer.user, url: answer.invite_url });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    invite.mutate({
      email: value('email'),
      name: value('name'),
      role,
      company_id: needsCompany ? value('company_id') || undefined : undefined,
      language: (value('language') || 'en') as Language,
    });
  };
  return (
    <section aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t('users.invite')}</h2>
      <form ref={form} className="invite-form" onSubmit={submit}>
        <label>
          {t('users.email')}
          <input type="email" name="email" required maxLength={254} autoComplete="off" />
        </label>
        <label>
          {t('users.name')}
          <input name="name" required maxLength={200} autoComplete="off" />
        </label>
        <label>
          {t('users.role')}
          <select name="role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {ROLES.map((value) => (
              <option key={value} value={value}>
                {t(`users.role.${value}`)}
              </option>
            ))}
          </select>
        </label>
        {needsCompany ? (
          <label>
            {t('users.company')}
            <select name="company_id" required aria-describedby="company-hint" defaultValue="">
              <option value="" disabled>
                {t('users.chooseCompany')}
              </option>
              {(companies.data?.items ?? []).map((company) => (
                <option key={company.id} value={company.id}>
                  {company.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          {t('users.language')}
          <select name="language" defaultValue={language}>
            <LanguageOptions />
          </select>
        </label>
        <button type="submit" disabled={invite.isPending}>
          {t('users.inviteSubmit')}
        </button>
      </form>
      {needsCompany ? (
        <p id="company-hint" className="muted">
          {t('users.companyHint')}
        </p>
      ) : null}
      {invite.isError ? <ErrorMessage error={invite.error} /> : null}
    </section>
  );
}

/** The one-time link, focused when it appears so a keyboard or screen-reader user lands on it (keyed by the link: a new one starts afresh). */
function InvitationLink({ invitation, onDone }: { invitation: Invitation; onDone(): void }) {
  const { t } = useI18n();
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const input = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(invitation.url);
      setCopy('copied');
    } catch {
      input.current?.select();
      setCopy('failed');
    }
  };
  return (
    <section className="invite-result" aria-labelledby="invite-link-heading">
      <h2 id="invite-link-heading" ref={heading} tabIndex={-1}>
        {t('users.inviteUrl', { email: invitation.user.email })}
      </h2>
      <p>{t('users.inviteOnce', { name: invitation.user.name })}</p>
      <label>
        <span className="visually-hidden">{t('users.inviteUrl', { email: invitation.user.email })}</span>
        <input ref={input} readOnly value={invitation.url} onFocus={(event) => event.target.select()} />
      </label>
      <div className="row-actions">
        <button type="button" onClick={() => void copyLink()}>
          {t('users.copy')}
        </button>
        <button type="button" onClick={onDone}>
          {t('users.dismiss')}
        </button>
        <span role="status" aria-live="polite">
          {copy === 'copied' ? t('users.copied') : copy === 'failed' ? t('users.copyFailed') : ''}
        </span>
      </div>
    </section>
  );
}
