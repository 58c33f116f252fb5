import { useState } from 'react';
import type { components } from '../../api/openapi';
import { useI18n } from '../../i18n';
import { labelOf, locationText, requestedText, STOP_STATUSES } from '../../ui/format';
import type { Queued, Report } from './outbox';
import { SignaturePad } from './SignaturePad';

export type Stop = components['schemas']['TripStopOutput'];

const REACHED = new Set(['AT_STOP', 'COMPLETED']);

/** A camera photo can be several megabytes: sent at most 1600 px wide as JPEG, it fits a slow connection. */
async function smaller(file: File): Promise<{ blob: Blob; filename: string }> {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
    if (blob && blob.size < file.size) return { blob, filename: `${file.name.replace(/\.[^.]*$/, '') || 'pod'}.jpg` };
  } catch {
    // Not an image the browser can decode: sent as it is.
  }
  return { blob: file, filename: file.name || 'pod' };
}

/**
 * One stop with big buttons for the person at the wheel: arrived, loaded/unloaded, departed (each a
 * status update stamped with the phone's time), an ETA, and the POD photo and signature. Every
 * report goes to the outbox; the stop shows what still waits there.
 */
export function StopCard({ stop, index, waiting, add }: { stop: Stop; index: number; waiting: Queued[]; add: (report: Report) => Promise<void> }) {
  const { t, formatDateTime } = useI18n();
  const [eta, setEta] = useState('');
  const [signing, setSigning] = useState(false);
  const mine = waiting.filter((q) => q.report.stopId === stop.id);
  const queuedStatus = (status: string) => mine.some((q) => q.report.kind === 'status' && q.report.status === status);
  const arrived = REACHED.has(stop.status) || queuedStatus('AT_STOP');
  const done = stop.status === 'COMPLETED' || queuedStatus('COMPLETED');
  const pickup = stop.stop_type === 'PICKUP';
  const kind = pickup ? t('carrier.pickup') : t('carrier.delivery');
  const now = () => new Date().toISOString();
  const status = (value: 'AT_STOP' | 'COMPLETED', label: string) =>
    add({ kind: 'status', stopId: stop.id, status: value, eventTime: now(), label: `${kind} ${index + 1}: ${label}` });

  const sendEta = () => {
    if (!eta) return;
    void add({ kind: 'status', stopId: stop.id, etaStart: new Date(eta).toISOString(), eventTime: now(), label: `${kind} ${index + 1}: ${t('carrier.eta')}` });
    setEta('');
  };
  const photo = async (file: File | undefined) => {
    if (!file) return;
    const { blob, filename } = await smaller(file);
    await add({ kind: 'document', stopId: stop.id, key: 'POD', file: blob, filename, label: `${kind} ${index + 1}: ${t('carrier.pod')}` });
  };
  const headingId = `stop-${stop.id}`;

  return (
    <li className="stop-card" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {index + 1}. {kind} <span className="badge">{labelOf(t, 'stopStatus', stop.status, STOP_STATUSES)}</span>
      </h3>
      <p className="stop-place">{locationText(stop.location)}</p>
      <p className="muted">
        {t('carrier.requested')}: {requestedText(stop.date, stop.time_window)}
        {stop.start_timestamp ? ` · ${REACHED.has(stop.status) ? t('carrier.arrivedAt') : t('carrier.eta')}: ${formatDateTime(stop.start_timestamp)}` : ''}
        {stop.status === 'COMPLETED' && stop.end_timestamp ? ` · ${t('carrier.doneAt')}: ${formatDateTime(stop.end_timestamp)}` : ''}
      </p>
      {mine.length > 0 ? (
        <p className="notice" role="status">
          {t('carrier.stopWaiting', { count: mine.length })}
        </p>
      ) : null}
      <div className="big-buttons">
        <button type="button" onClick={() => void status('AT_STOP', t('carrier.arrived'))} disabled={arrived || done}>
          {t('carrier.arrived')}
        </button>
        <button type="button" onClick={() => void status('COMPLETED', pickup ? t('carrier.loaded') : t('carrier.unloaded'))} disabled={done}>
          {pickup ? t('carrier.loaded') : t('carrier.unloaded')}
        </button>
        {/* The same status later is a corrected time: the stop's actual departure moves to now. */}
        <button type="button" onClick={() => void status('COMPLETED', t('carrier.departed'))} disabled={!done}>
          {t('carrier.departed')}
        </button>
      </div>
      <details className="stop-more">
        <summary>{t('carrier.etaTitle')}</summary>
        <div className="eta-row">
          <label>
            {t('carrier.etaLabel')}
            <input type="datetime-local" value={eta} onChange={(event) => setEta(event.target.value)} />
          </label>
          <button type="button" onClick={sendEta} disabled={!eta}>
            {t('carrier.sendEta')}
          </button>
        </div>
      </details>
      <div className="proof-row">
        <label className="file-button">
          {t('carrier.takePhoto')}
          <input
            type="file"
            accept="image/*"
            capture="environment"
            onChange={(event) => {
              void photo(event.target.files?.[0]);
              event.target.value = '';
            }}
          />
        </label>
        {signing ? (
          <SignaturePad
            onSave={(png) => {
              void add({
                kind: 'document',
                stopId: stop.id,
                key: 'SIGNATURE',
                file: png,
                filename: 'signature.png',
                label: `${kind} ${index + 1}: ${t('carrier.signature')}`,
              });
              setSigning(false);
            }}
          />
        ) : (
          <button type="button" className="secondary" onClick={() => setSigning(true)}>
            {t('carrier.sign')}
          </button>
        )}
      </div>
    </li>
  );
}
