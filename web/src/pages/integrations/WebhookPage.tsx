import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { ErrorMessage, Page, QueryState } from '../../ui/Page';
import { Facts, Section } from '../../ui/Section';
import { DeliveryLog } from './DeliveryLog';
import '../../ui/ops.css';

/**
 * One webhook endpoint: its settings and health, enable/disable, a new signing secret (shown once,
 * here only), a test message, a replay since a time, and its delivery log with every attempt.
 */
export default function WebhookPage({ params }: { params: Record<string, string> }) {
  const { t, formatDateTime } = useI18n();
  const id = params.id ?? '';
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['webhook-endpoints', id],
    queryFn: () => unwrap(api.GET('/v1/admin/webhook-endpoints/{id}', { params: { path: { id } } })),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['webhook-endpoints'] });
  const toggle = useMutation({
    mutationFn: (enable: boolean) =>
      unwrap(
        enable
          ? api.POST('/v1/admin/webhook-endpoints/{id}/enable', { params: { path: { id } } })
          : api.POST('/v1/admin/webhook-endpoints/{id}/disable', { params: { path: { id } } }),
      ),
    onSuccess: refresh,
  });
  const [secret, setSecret] = useState<string>();
  const rotate = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/admin/webhook-endpoints/{id}/rotate-secret', { params: { path: { id } }, body: { overlap_seconds: 86400 } })),
    onSuccess: (data) => {
      setSecret(data.secret);
      refresh();
    },
  });
  const test = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/admin/webhook-endpoints/{id}/test', { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['deliveries'] }),
  });

  return (
    <Page title={query.data ? t('webhook.title', { url: query.data.url }) : t('webhook.titleLoading')}>
      <p>
        <Link to="/webhooks">{t('webhook.back')}</Link>
      </p>
      <QueryState query={query}>
        {(e) => (
          <>
            <Facts
              items={[
                [t('webhooks.state'), e.enabled ? t('webhooks.enabled') : t('webhooks.disabled')],
                [t('webhook.disabledReason'), e.disabled_reason ?? '—'],
                [t('webhooks.failingSince'), e.failing_since ? formatDateTime(e.failing_since) : '—'],
                [t('webhooks.families'), e.families.join(', ')],
                [t('webhook.eventTypes'), e.event_types.length ? e.event_types.join(', ') : t('webhook.allEvents')],
                [t('webhook.previousSecretUntil'), e.previous_secret_expires_at ? formatDateTime(e.previous_secret_expires_at) : '—'],
              ]}
            />
            <Section id="actions" title={t('webhook.actions')}>
              <div className="row-actions">
                <button type="button" onClick={() => toggle.mutate(!e.enabled)} disabled={toggle.isPending}>
                  {e.enabled ? t('webhook.disable') : t('webhook.enable')}
                </button>
                <button type="button" onClick={() => rotate.mutate()} disabled={rotate.isPending}>
                  {t('webhook.rotate')}
                </button>
                <button type="button" onClick={() => test.mutate()} disabled={test.isPending || !e.enabled}>
                  {t('webhook.test')}
                </button>
              </div>
              {toggle.isError ? <ErrorMessage error={toggle.error} /> : null}
              {rotate.isError ? <ErrorMessage error={rotate.error} /> : null}
              {test.isError ? <ErrorMessage error={test.error} /> : null}
              {test.isSuccess ? (
                <p className="notice notice-ok" role="status">
                  {t('webhook.testQueued')}
                </p>
              ) : null}
              {secret ? (
                <div className="notice notice-secret" role="status">
                  <p>{t('webhook.secretOnce')}</p>
                  <p>
                    <code data-testid="new-secret">{secret}</code>
                  </p>
                  <button type="button" onClick={() => setSecret(undefined)}>
                    {t('webhook.secretStored')}
                  </button>
                </div>
              ) : null}
              <Replay id={id} disabled={!e.enabled} />
            </Section>
            <Section id="log" title={t('deliveries.title')}>
              <DeliveryLog endpointId={id} basePath={`/webhooks/${id}`} />
            </Section>
          </>
        )}
      </QueryState>
    </Page>
  );
}

/** Replay since a time: what the endpoint missed is queued (failed messages again, missing ones built now). */
function Replay({ id, disabled }: { id: string; disabled: boolean }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const replay = useMutation({
    mutationFn: (since: string) => unwrap(api.POST('/v1/admin/webhook-endpoints/{id}/replay', { params: { path: { id } }, body: { since } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['deliveries'] }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const local = String(new FormData(event.currentTarget).get('since') ?? '');
    // The input gives local time without an offset; the API wants an instant.
    if (local) replay.mutate(new Date(local).toISOString());
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={t('webhook.replay')}>
      <label>
        {t('webhook.replaySince')}
        <input type="datetime-local" name="since" required />
      </label>
      <button type="submit" disabled={disabled || replay.isPending}>
        {t('webhook.replay')}
      </button>
      {replay.isSuccess ? (
        <p className="notice notice-ok" role="status">
          {t('webhook.replayed', { queued: replay.data.queued, requeued: replay.data.requeued })}
        </p>
      ) : null}
      {replay.isError ? <ErrorMessage error={replay.error} /> : null}
    </form>
  );
}
