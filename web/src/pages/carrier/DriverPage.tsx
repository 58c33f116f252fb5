import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { isApiError } from '../../api/errors';
import { useI18n } from '../../i18n';
import { ErrorMessage, Page, QueryState } from '../../ui/Page';
import { OutboxNotice } from './Outbox';
import { useOutbox } from './outbox';
import { StopCard } from './StopCard';
import './carrier.css';

/** The access a PIN gave, kept for this tab only (a reload keeps it, closing the tab forgets it). */
const ACCESS_KEY = 'waybill-driver-access';

/**
 * `/app/driver#<token>`: a driver's one-trip link. The PIN given with it opens the trip's stops
 * (and nothing else) with the same big buttons and outbox as the subcontractor's trip page. The
 * token stays in the fragment, so it never reaches a server log.
 */
export default function DriverPage() {
  const { t } = useI18n();
  const [token] = useState(() => decodeURIComponent(window.location.hash.slice(1)));
  const [access, setAccess] = useState(() => sessionStorage.getItem(ACCESS_KEY) ?? '');
  const opened = (value: string) => {
    sessionStorage.setItem(ACCESS_KEY, value);
    setAccess(value);
  };
  const ended = () => {
    sessionStorage.removeItem(ACCESS_KEY);
    setAccess('');
  };
  return (
    <Page title={t('driver.title')}>{access ? <DriverTrip token={token} access={access} onEnded={ended} /> : <PinForm token={token} onOpened={opened} />}</Page>
  );
}

function PinForm({ token, onOpened }: { token: string; onOpened: (access: string) => void }) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!token) return <p className="notice notice-error">{t('driver.noLink')}</p>;
  return (
    <form
      className="narrow-form"
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        unwrap(api.POST('/v1/driver/session', { body: { token, pin } }))
          .then((answer) => onOpened(answer.access_token))
          .catch(setError)
          .finally(() => setBusy(false));
      }}
    >
      <p>{t('driver.intro')}</p>
      <label className="stacked">
        {t('driver.pin')}
        <input inputMode="numeric" autoComplete="one-time-code" value={pin} onChange={(event) => setPin(event.target.value)} required maxLength={20} />
      </label>
      {error ? (
        isApiError(error, 404) ? (
          <p className="notice notice-error">{t('driver.linkEnded')}</p>
        ) : (
          <ErrorMessage error={error} unauthorized={isApiError(error) ? error.message : undefined} />
        )
      ) : null}
      <button type="submit" className="big" disabled={busy || !pin}>
        {t('driver.open')}
      </button>
    </form>
  );
}

function DriverTrip({ token, access, onEnded }: { token: string; access: string; onEnded: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const authorization = `Bearer ${access}`;
  const trip = useQuery({
    queryKey: ['driver-trip', access],
    retry: false,
    queryFn: () => unwrap(api.GET('/v1/driver/trip', { headers: { Authorization: authorization } })),
  });
  // Scoped by the link, so reports made before the link was opened again still go out with the new access.
  const outbox = useOutbox(`driver:${token.slice(0, 16)}`, authorization, () => void queryClient.invalidateQueries({ queryKey: ['driver-trip', access] }));
  if (isApiError(trip.error, 401)) {
    return (
      <>
        <p className="notice notice-error">{t('driver.linkEnded')}</p>
        <button type="button" onClick={onEnded}>
          {t('driver.again')}
        </button>
      </>
    );
  }
  return (
    <QueryState query={trip}>
      {(data) => (
        <>
          <h2>{t('driver.trip', { name: data.name })}</h2>
          <OutboxNotice pending={outbox.pending} refused={outbox.refused} offline={outbox.offline} />
          <ol className="stop-cards">
            {data.stops.map((stop, index) => (
              <StopCard key={stop.id} stop={stop} index={index} waiting={outbox.pending} add={outbox.add} />
            ))}
          </ol>
        </>
      )}
    </QueryState>
  );
}
