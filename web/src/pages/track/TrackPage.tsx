import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { isApiError } from '../../api/errors';
import { useI18n } from '../../i18n';
import { labelOf, ORDER_STATUSES } from '../../ui/format';
import { Facts } from '../../ui/Section';
import { ErrorMessage, Loading, Page } from '../../ui/Page';
import { StatusBadge } from '../orders/OrderPage';

/**
 * `/app/track#<token>`: an order's public tracking link, opened by anyone without signing in. The
 * token stays in the fragment, so it never reaches a server log; unlike an invite it is kept in the
 * address, because the link is meant to be opened again. The API answers only status, ETA and
 * town, so that is all this page can show.
 */
export default function TrackPage() {
  const { t, formatDateTime } = useI18n();
  const [token] = useState(() => decodeURIComponent(window.location.hash.slice(1)));
  const tracking = useQuery({
    queryKey: ['public-tracking', token],
    enabled: token !== '',
    retry: false,
    queryFn: () => unwrap(api.GET('/v1/public/tracking/{token}', { params: { path: { token } } })),
  });

  let body;
  if (token === '' || isApiError(tracking.error, 404) || isApiError(tracking.error, 400)) body = <p className="notice notice-error">{t('track.invalid')}</p>;
  else if (tracking.isPending) body = <Loading />;
  else if (tracking.isError) body = <ErrorMessage error={tracking.error} onRetry={() => void tracking.refetch()} />;
  else {
    const { status, eta, delivery_town: town, delivery_country: country, updated_at: updated } = tracking.data;
    const place = town ? (country ? `${town} (${country})` : town) : (country ?? t('track.unknown'));
    body = (
      <Facts
        items={[
          [t('track.status'), <StatusBadge key="s" text={labelOf(t, 'status', status, ORDER_STATUSES)} />],
          [status === 'COMPLETED' ? t('track.arrived') : t('track.eta'), eta ? formatDateTime(eta) : t('track.unknown')],
          [t('track.town'), place],
          [t('track.updated'), formatDateTime(updated)],
        ]}
      />
    );
  }
  return <Page title={t('track.title')}>{body}</Page>;
}
