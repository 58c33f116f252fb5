import { useEffect, useState } from 'react';
import type { components } from '../api/openapi';
import { ApiError } from '../api/errors';
import { useI18n, type MessageKey, type Translate } from '../i18n';
import { documentTypesEn } from '../i18n/documents.en';
import { ErrorMessage } from './Page';

type Document = components['schemas']['Document'];

const PREVIEWABLE = /^(application\/pdf|image\/(png|jpeg|gif|webp))$/;

/**
 * Documents with a download link each and, for PDFs and images, a preview on request. The preview
 * fetches the bytes with the session and shows them from a blob: URL, because the download answer
 * itself is sandboxed (it is uploaded content) and may not be framed as it is.
 */
export function DocumentList({ documents }: { documents: Document[] }) {
  const { t, formatDateTime } = useI18n();
  const [preview, setPreview] = useState<Document | undefined>();
  if (documents.length === 0) return <p className="empty">{t('documents.none')}</p>;
  return (
    <>
      <ul className="document-list">
        {documents.map((document) => (
          <li key={document.id}>
            <span className="document-name">{document.filename ?? document.name}</span>{' '}
            <span className="muted">
              {[documentTypeLabel(t, document.type), formatSize(document.size), formatDateTime(document.created_at)].filter(Boolean).join(' · ')}
            </span>{' '}
            <span className="document-actions">
              {document.content_type && PREVIEWABLE.test(document.content_type) ? (
                <button type="button" onClick={() => setPreview(document)} aria-pressed={preview?.id === document.id}>
                  {t('documents.preview')}
                  <span className="visually-hidden"> {document.filename ?? document.name}</span>
                </button>
              ) : null}
              <a href={document.download_url} download={document.filename ?? undefined}>
                {t('documents.download')}
                <span className="visually-hidden"> {document.filename ?? document.name}</span>
              </a>
            </span>
          </li>
        ))}
      </ul>
      {preview ? <Preview key={preview.id} document={preview} onClose={() => setPreview(undefined)} /> : null}
    </>
  );
}

function Preview({ document, onClose }: { document: Document; onClose(): void }) {
  const { t } = useI18n();
  const [state, setState] = useState<{ url?: string; error?: unknown }>({});
  useEffect(() => {
    let url: string | undefined;
    let cancelled = false;
    fetch(document.download_url, { credentials: 'same-origin' })
      .then(async (response) => {
        if (!response.ok) throw ApiError.from(response.status, await response.json().catch(() => undefined));
        const blob = new Blob([await response.arrayBuffer()], { type: document.content_type ?? 'application/octet-stream' });
        url = URL.createObjectURL(blob);
        if (!cancelled) setState({ url });
      })
      .catch((error: unknown) => !cancelled && setState({ error }));
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [document]);
  const title = t('documents.previewOf', { name: document.filename ?? document.name ?? '' });
  return (
    <figure className="preview">
      <figcaption>
        {title}{' '}
        <button type="button" onClick={onClose}>
          {t('documents.closePreview')}
        </button>
      </figcaption>
      {state.error ? <ErrorMessage error={state.error} /> : null}
      {state.url && document.content_type?.startsWith('image/') ? <img src={state.url} alt={title} /> : null}
      {state.url && document.content_type === 'application/pdf' ? <iframe src={state.url} title={title} /> : null}
    </figure>
  );
}

/** A document type in words; a type this app does not know yet (a newer server's) is shown as it came. */
function documentTypeLabel(t: Translate, type: string): string {
  const key = `documentType.${type}`;
  return key in documentTypesEn ? t(key as MessageKey) : type;
}

function formatSize(bytes: number | null | undefined): string {
  if (bytes == null) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
