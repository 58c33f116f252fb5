import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n } from '../../i18n';
import { ErrorMessage } from '../../ui/Page';
import { Section } from '../../ui/Section';
import '../../ui/ops.css';

type TrackingLink = components['schemas']['TrackingLink'];

/**
 * The order's public tracking link: make (or replace) it, copy it, revoke it. The API answers the
 * token only when the link is made and has no way to read it back, so the URL lives in this
 * component's state alone and is gone once the page is left.
 */
export function TrackingLinkSection({ orderId }: { orderId: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [link, setLink] = useState<TrackingLink | null>(null);
  const [revoked, setRevoked] = useState(false);
  const path = { params: { path: { order_id: orderId } } };
  // The order's history shows the link's events: refresh it after each change.
  const refreshHistory = () => void queryClient.invalidateQueries({ queryKey: ['events', 'order', orderId] });
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
      <div className="row-actions">
        <button type="button" disabled={busy} onClick={() => create.mutate()}>
          {t('trackingLink.create')}
        </button>
        <button type="button" disabled={busy} onClick={() => window.confirm(t('trackingLink.confirmRevoke')) && revoke.mutate()}>
          {t('trackingLink.revoke')}
        </button>
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
