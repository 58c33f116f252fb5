import { useT } from '../../i18n';
import type { Queued, Refused } from './outbox';

/** What the outbox holds: reports waiting for the connection, and any the API refused. */
export function OutboxNotice({ pending, refused, offline }: { pending: Queued[]; refused: Refused[]; offline: boolean }) {
  const t = useT();
  return (
    <div aria-live="polite">
      {pending.length > 0 ? (
        <p className="notice outbox-waiting" role="status">
          {offline ? t('carrier.offlineWaiting', { count: pending.length }) : t('carrier.sending', { count: pending.length })}
        </p>
      ) : (
        <p className="muted outbox-empty">{t('carrier.allSent')}</p>
      )}
      {refused.length > 0 ? (
        <div className="notice notice-error" role="alert">
          <p>{t('carrier.refused')}</p>
          <ul>
            {refused.map((r, i) => (
              <li key={i}>
                {r.label}: {r.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
