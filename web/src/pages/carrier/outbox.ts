import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import { ApiError } from '../../api/errors';

/**
 * The trip page's outbox: every report (a stop's status, an ETA, a POD or signature) is written to
 * IndexedDB first and sent from there, oldest first, one at a time. A lost connection only pauses
 * it: the reports wait (a reload keeps them) and go out in order when the connection returns. Each
 * carries an Idempotency-Key chosen when it was made, so a report whose answer was lost on the way
 * is replayed by the API on resend, never applied twice; status updates are also idempotent by
 * themselves (a repeat is a DUPLICATE).
 */

export type Report =
  | { kind: 'status'; stopId: string; status?: 'AT_STOP' | 'COMPLETED'; etaStart?: string; eventTime: string; label: string }
  | { kind: 'document'; stopId: string; key: 'POD' | 'SIGNATURE'; file: Blob; filename: string; label: string };

/** A queued report: who sends it (a person's session, or one driver link) and its idempotency key. */
export interface Queued {
  seq?: number;
  scope: string;
  idempotencyKey: string;
  report: Report;
  queuedAt: string;
}

/** A report the API refused (a 4xx other than a retry-later 409): kept aside to show, never resent. */
export interface Refused {
  label: string;
  message: string;
}

const DB = 'waybill-outbox';
const STORE = 'reports';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB unavailable'));
  });
}

async function inStore<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = run(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    });
  } finally {
    db.close();
  }
}

/** This scope's reports, oldest first (keys grow with every report, across reloads). */
const pendingOf = async (scope: string) => (await inStore('readonly', (s) => s.getAll() as IDBRequest<Queued[]>)).filter((q) => q.scope === scope);
const remove = (seq: number) => inStore('readwrite', (s) => s.delete(seq));

/** How a report is sent: the status update or the document upload, as the page's caller (session or driver). */
async function send(queued: Queued, authorization: string | undefined): Promise<void> {
  const headers: Record<string, string> = { 'Idempotency-Key': queued.idempotencyKey, ...(authorization ? { Authorization: authorization } : {}) };
  const { report } = queued;
  const { response, error } =
    report.kind === 'status'
      ? await api.POST('/v1/webhook/subco-status-update', {
          headers,
          body: {
            updates: [
              {
                stop: { id: report.stopId, ...(report.status ? { status: report.status } : {}), ...(report.etaStart ? { eta_start: report.etaStart } : {}) },
                event_time: report.eventTime,
              },
            ],
          },
        })
      : await api.POST('/v1/webhook/subco-document-upload', {
          params: { query: { question_path_key: report.key, stop_id: report.stopId } },
          headers: {
            ...headers,
            'Content-Type': report.file.type || 'application/octet-stream',
            'Content-Disposition': `attachment; filename="${report.filename}"`,
          },
          body: report.file,
          bodySerializer: (file: unknown) => file as Blob,
        });
  if (!response.ok) throw ApiError.from(response.status, error);
}

/** A random UUID; `crypto.randomUUID` exists only on HTTPS (and localhost), a phone may reach a test server over plain HTTP. */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * No answer, a 5xx, a 429 or a 409 "still in progress" is worth another try later, and so is a 401
 * (signed out, or a driver's link moved to another phone): the report waits for a new sign-in. Any
 * other 4xx would answer the same again.
 */
const retryLater = (error: unknown) => !(error instanceof ApiError) || error.status >= 500 || [401, 409, 429].includes(error.status);

/**
 * The outbox of one caller (`scope`: the person's id, or the driver's trip): its pending count, the
 * refused reports, and `add` to queue one. It flushes on start, after each `add`, when the browser
 * comes back online and every few seconds while reports wait.
 */
export function useOutbox(scope: string, authorization: string | undefined, onSent: () => void) {
  const [pending, setPending] = useState<Queued[]>([]);
  const [refused, setRefused] = useState<Refused[]>([]);
  const [offline, setOffline] = useState(false);
  const flushing = useRef(false);
  const sentHook = useRef(onSent);
  useEffect(() => {
    sentHook.current = onSent;
  }, [onSent]);

  const flush = useCallback(async () => {
    if (flushing.current) return;
    flushing.current = true;
    try {
      let sent = false;
      for (;;) {
        const [next] = await pendingOf(scope);
        if (!next?.seq) break;
        try {
          await send(next, authorization);
          sent = true;
        } catch (error) {
          if (retryLater(error)) {
            setOffline(!(error instanceof ApiError));
            break;
          }
          setRefused((list) => [...list, { label: next.report.label, message: error instanceof Error ? error.message : String(error) }]);
        }
        await remove(next.seq);
        setOffline(false);
        setPending(await pendingOf(scope));
      }
      setPending(await pendingOf(scope));
      if (sent) sentHook.current();
    } finally {
      flushing.current = false;
    }
  }, [scope, authorization]);

  useEffect(() => {
    void flush();
    const again = () => void flush();
    window.addEventListener('online', again);
    const timer = window.setInterval(again, 5000);
    return () => {
      window.removeEventListener('online', again);
      window.clearInterval(timer);
    };
  }, [flush]);

  const add = useCallback(
    async (report: Report) => {
      const queued: Queued = { scope, idempotencyKey: newKey(), report, queuedAt: new Date().toISOString() };
      await inStore('readwrite', (s) => s.add(queued));
      setPending(await pendingOf(scope));
      void flush();
    },
    [scope, flush],
  );

  return { pending, refused, offline, add };
}
