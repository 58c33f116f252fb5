import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n } from '../../i18n';
import { ErrorMessage } from '../../ui/Page';
import { Section } from '../../ui/Section';
import '../../ui/ops.css';

type TrackingLink = components['schemas']['TrackingLink'];
type TrackingLinkState = components['schemas']['TrackingLinkState'];

/**
 * The order's public tracking link: make (or replace) it, copy it, revoke it. The API answers the
 * token only when the link is made and has no way to read it back, so the URL lives in this
 * component's state alone and is gone once the page is left. Whether a link exists (and who made
 * it) the API does tell, so "Revoke" shows only when there is something to revoke.
 */
export function TrackingLinkSection({ orderId }: { orderId: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [link, setLink] = useState<TrackingLink | null>(null);
  const [revoked, setRevoked] = useState(false);
  const path = { params: { path: { order_id: orderId } } };
  const stateKey = ['tracking-link', orderId];
  const state = useQuery({ queryKey: stateKey, queryFn: () => unwrap(api.GET('/v1/orders/order/{order_id}/tracking-link', path)) });
  // The order's history shows the link's events, and the link's state changed: refresh both after each change.
  const refreshHistory = () => {
    void queryClient.invalidateQueries({ queryKey: ['events', 'order', orderId] });
    void queryClient.invalidateQueries({ queryKey: stateKey });
  };
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/orders/order/{order_id}/tracking-link', path)),
    onSuccess: (made) => {
      setLink(made);
      setRevoked(false);
      refreshHistory();
    },
  });
  const revoke = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/orders/order/{order_id}/tracking-link', path)),
    onMutate: () => setRevoked(false),
    onSuccess: () => {
      setLink(null);
      setRevoked(true);
      refreshHistory();
    },
  });
  const busy = create.isPending || revoke.isPending;
  return (
    <Section id="tracking-link" title={t('trackingLink.title')}>
      <p className="muted">{t('trackingLink.hint')}</p>
      {state.data ? <LinkState state={state.data} /> : null}
      {state.isError ? <ErrorMessage error={state.error} /> : null}
      <div className="row-actions">
        <button type="button" disabled={busy} onClick={() => create.mutate()}>
          {t('trackingLink.create')}
        </button>
        {state.data?.exists ? (
          <button type="button" disabled={busy} onClick={() => window.confirm(t('trackingLink.confirmRevoke')) && revoke.mutate()}>
            {t('trackingLink.revoke')}
          </button>
        ) : null}
      </div>
      {create.isError ? <ErrorMessage error={create.error} /> : null}
      {revoke.isError ? <ErrorMessage error={revoke.error} /> : null}
      {link ? <ShownOnce key={link.url} url={link.url} /> : null}
      <p role="status" aria-live="polite">
        {revoked ? t('trackingLink.revoked') : ''}
      </p>
    </Section>
  );
}

/** Whether a link is live, since when and by whom. */
function LinkState({ state }: { state: TrackingLinkState }) {
  const { t, formatDateTime } = useI18n();
  if (!state.exists || !state.created_at) return <p>{t('trackingLink.none')}</p>;
  const when = formatDateTime(state.created_at);
  return <p>{state.created_by ? t('trackingLink.active', { when, who: state.created_by.name }) : t('trackingLink.activeSince', { when })}</p>;
}

/** The new link, focused when it appears so a keyboard or screen-reader user lands on it. */
function ShownOnce({ url }: { url: string }) {
  const { t } = useI18n();
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
  }, []);
  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopy('copied');
    } catch {
      input.current?.select();
      setCopy('failed');
    }
  };
  return (
    <div className="tracking-link-result">
      <p>{t('trackingLink.once')}</p>
      <label>
        {t('trackingLink.url')} <input ref={input} readOnly value={url} onFocus={(event) => event.target.select()} />
      </label>
      <div className="row-actions">
        <button type="button" onClick={() => void copyLink()}>
          {t('users.copy')}
        </button>
        <span role="status" aria-live="polite">
          {copy === 'copied' ? t('users.copied') : copy === 'failed' ? t('users.copyFailed') : ''}
        </span>
      </div>
    </div>
  );
}
