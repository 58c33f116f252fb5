import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n } from '../../i18n';
import { ErrorMessage, Loading } from '../../ui/Page';
import './carrier.css';

type Created = components['schemas']['CreatedDriverLink'];

/** Share the trip with a driver: a link and a PIN shown once, the links made so far, and revoking them. */
export function DriverLinks({ tripId }: { tripId: string }) {
  const { t, formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<Created | null>(null);
  const links = useQuery({
    queryKey: ['driver-links', tripId],
    queryFn: () => unwrap(api.GET('/v1/trips/trip/{trip_id}/driver-links', { params: { path: { trip_id: tripId } } })),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['driver-links', tripId] });
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/trips/trip/{trip_id}/driver-links', { params: { path: { trip_id: tripId } }, body: {} })),
    onSuccess: (link) => {
      setCreated(link);
      refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (linkId: string) =>
      unwrap(api.POST('/v1/trips/trip/{trip_id}/driver-links/{link_id}/revoke', { params: { path: { trip_id: tripId, link_id: linkId } } })),
    onSuccess: refresh,
  });
  return (
    <section className="section" aria-labelledby="driver-links">
      <h2 id="driver-links">{t('carrier.driverLinks')}</h2>
      <p className="muted">{t('carrier.driverLinksHint')}</p>
      <button type="button" onClick={() => create.mutate()} disabled={create.isPending}>
        {t('carrier.shareWithDriver')}
      </button>
      {create.isError ? <ErrorMessage error={create.error} /> : null}
      {created ? (
        <div className="notice" role="status">
          <p>{t('carrier.linkOnce')}</p>
          <label className="stacked">
            {t('carrier.link')}
            <input readOnly value={created.url} className="link-field" onFocus={(event) => event.target.select()} />
          </label>
          <p>
            {t('carrier.pin')}: <strong className="pin">{created.pin}</strong>
          </p>
        </div>
      ) : null}
      {links.isPending ? <Loading /> : null}
      {links.isError ? <ErrorMessage error={links.error} onRetry={() => void links.refetch()} /> : null}
      {links.data && links.data.length > 0 ? (
        <ul className="link-list">
          {links.data.map((link) => (
            <li key={link.id}>
              <span className="badge">{t(`carrier.linkState.${link.state}`)}</span> {t('carrier.expires')}: {formatDateTime(link.expires_at)}
              {link.state === 'ACTIVE' ? (
                <button type="button" className="secondary" onClick={() => revoke.mutate(link.id)} disabled={revoke.isPending}>
                  {t('carrier.revoke')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
