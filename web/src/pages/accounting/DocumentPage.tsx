import '../data.css';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { Link, withQuery } from '../../router';
import { formatDay, formatDecimal, formatMoney } from '../../ui/amounts';
import { ErrorMessage, Loading, Page, QueryState } from '../../ui/Page';
import {
  documentStatusLabel,
  downloadFile,
  getDocument,
  isKind,
  KIND_INFO,
  listFiles,
  partyOf,
  settlementLabel,
  settlementOf,
  type AnyDocument,
  type DocumentFile,
  type Kind,
  type PurchaseInvoice,
} from './documents';
import NotFoundPage from '../NotFoundPage';

/**
 * One invoice or credit note: its parties, dates, totals and lines, its PDF shown in place and its
 * files (the PDF and the UBL XML) to download. A draft has no files until it is finalized.
 */
export default function DocumentPage({ params }: { params: Record<string, string> }) {
  const kind = params.kind;
  if (!isKind(kind) || !params.id) return <NotFoundPage />;
  return <DocumentView kind={kind} id={params.id} />;
}

function DocumentView({ kind, id }: { kind: Kind; id: string }) {
  const { t } = useI18n();
  const query = useQuery({ queryKey: ['accounting', kind, 'one', id], queryFn: () => getDocument(kind, id) });
  const title = query.data ? `${t(KIND_INFO[kind].one)} ${query.data.name}` : t(KIND_INFO[kind].one);
  return (
    <Page title={title} actions={<Link to={withQuery('/accounting', { kind })}>{t('accounting.backToList')}</Link>}>
      <QueryState query={query}>
        {(document) => (
          <>
            <Summary kind={kind} document={document} />
            {'e_invoice' in document && document.e_invoice ? <EInvoiceCheck match={document.e_invoice} currency={document.currency} /> : null}
            <Files kind={kind} document={document} />
            <Lines document={document} />
          </>
        )}
      </QueryState>
    </Page>
  );
}

function Summary({ kind, document }: { kind: Kind; document: AnyDocument }) {
  const { t, language, formatDateTime } = useI18n();
  const info = KIND_INFO[kind];
  const party = partyOf(document);
  const credited = 'credited_invoice' in document ? document.credited_invoice : null;
  const creditNotes = 'credit_note_ids' in document ? document.credit_note_ids : [];
  const creditKind: Kind = kind.startsWith('sales') ? 'sales-credit-note' : 'purchase-credit-note';
  const invoiceKind: Kind = kind.startsWith('sales') ? 'sales-invoice' : 'purchase-invoice';
  return (
    <section aria-labelledby="summary-heading">
      <h2 id="summary-heading">{t('accounting.summary')}</h2>
      <dl className="facts">
        <dt>{t('accounting.status')}</dt>
        <dd>{documentStatusLabel(t, document.status)}</dd>
        <dt>{t(info.credit ? 'accounting.refund' : 'accounting.payment')}</dt>
        <dd>{settlementLabel(t, settlementOf(document))}</dd>
        <dt>{t(info.party === 'customer' ? 'accounting.customer' : 'accounting.supplier')}</dt>
        <dd>
          <Link to={`/companies/${party.id}`}>{party.name}</Link>
          {party.vat_number ? ` (${party.vat_number})` : null}
        </dd>
        <dt>{t('accounting.billingEntity')}</dt>
        <dd>
          {document.billing_entity.legal_name} ({document.billing_entity.code})
        </dd>
        <dt>{t('accounting.date')}</dt>
        <dd>{formatDay(document.date, language)}</dd>
        {'due_date' in document && document.due_date ? (
          <>
            <dt>{t('accounting.dueDate')}</dt>
            <dd>{formatDay(document.due_date, language)}</dd>
          </>
        ) : null}
        <dt>{t('accounting.totalExclTax')}</dt>
        <dd className="amount">{formatMoney(document.total_excl_tax, document.currency, language)}</dd>
        <dt>{t('accounting.totalTax')}</dt>
        <dd className="amount">{formatMoney(document.total_tax, document.currency, language)}</dd>
        <dt>{t('accounting.totalInclTax')}</dt>
        <dd className="amount">
          <strong>{formatMoney(document.total_incl_tax, document.currency, language)}</strong>
        </dd>
        {document.customer_reference_numbers.length > 0 ? (
          <>
            <dt>{t('accounting.references')}</dt>
            <dd>{document.customer_reference_numbers.join(', ')}</dd>
          </>
        ) : null}
        {credited?.id ? (
          <>
            <dt>{t('accounting.creditedInvoice')}</dt>
            <dd>
              <Link to={`/accounting/${invoiceKind}/${credited.id}`}>{credited.name}</Link>
            </dd>
          </>
        ) : null}
        {creditNotes.length > 0 ? (
          <>
            <dt>{t('accounting.creditNotes')}</dt>
            <dd>
              <ul className="inline-list">
                {creditNotes.map((noteId, index) => (
                  <li key={noteId}>
                    <Link to={`/accounting/${creditKind}/${noteId}`}>{t('accounting.creditNoteN', { n: index + 1 })}</Link>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {document.updated_at ? (
          <>
            <dt>{t('accounting.updated')}</dt>
            <dd>{formatDateTime(document.updated_at)}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

type EInvoiceMatch = NonNullable<PurchaseInvoice['e_invoice']>;

/** A received e-invoice against the agreed trip costs: only a matching one can be finalized. */
function EInvoiceCheck({ match, currency }: { match: EInvoiceMatch; currency: string }) {
  const { t, language } = useI18n();
  const payment = match.payment;
  return (
    <section aria-labelledby="einvoice-heading">
      <h2 id="einvoice-heading">{t('accounting.einvoice')}</h2>
      <p>
        <span className={match.match_status === 'MATCHED' ? 'badge badge-ok' : 'badge badge-danger'}>{t(`accounting.match.${match.match_status}`)}</span>{' '}
        {t('accounting.receivedAs', { format: match.format })}
      </p>
      {match.differences.length > 0 ? (
        <div className="table-scroll">
          <table>
            <caption>{t('accounting.differences')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('accounting.trip')}</th>
                <th scope="col" className="number">
                  {t('accounting.agreed')}
                </th>
                <th scope="col" className="number">
                  {t('accounting.invoiced')}
                </th>
                <th scope="col">{t('accounting.difference')}</th>
              </tr>
            </thead>
            <tbody>
              {match.differences.map((difference, index) => (
                <tr key={index}>
                  <td data-label={t('accounting.trip')}>
                    {difference.trip_id ? <Link to={`/trips/${difference.trip_id}`}>{difference.trip_name ?? difference.trip_id}</Link> : '—'}
                  </td>
                  <td className="number" data-label={t('accounting.agreed')}>
                    {formatMoney(difference.agreed, currency, language)}
                  </td>
                  <td className="number" data-label={t('accounting.invoiced')}>
                    {formatMoney(difference.invoiced, currency, language)}
                  </td>
                  <td data-label={t('accounting.difference')}>{difference.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {payment?.iban ? (
        <p>
          {t('accounting.payTo')}: <code>{payment.iban}</code>
          {payment.bic ? ` (${payment.bic})` : null}
          {payment.reference ? ` · ${t('accounting.paymentReference')}: ${payment.reference}` : null}
        </p>
      ) : null}
    </section>
  );
}

/** The rendered PDF first (shown in place), then whatever else the document carries. */
const isPdf = (file: DocumentFile) => file.content_type === 'application/pdf';
const previewOf = (files: DocumentFile[]) => files.find((f) => isPdf(f) && f.type.endsWith('_PDF')) ?? files.find(isPdf);

function Files({ kind, document }: { kind: Kind; document: AnyDocument }) {
  const { t } = useI18n();
  const id = document.id ?? '';
  const files = useQuery({ queryKey: ['accounting', kind, 'files', id], queryFn: () => listFiles(kind, id), enabled: Boolean(id) });
  return (
    <section aria-labelledby="files-heading">
      <h2 id="files-heading">{t('accounting.files')}</h2>
      <QueryState query={files} isEmpty={(list) => list.length === 0} empty={t('accounting.noFiles')}>
        {(list) => (
          <>
            <ul className="file-list">
              {list.map((file) => (
                <li key={file.id}>
                  <DownloadButton file={file} />
                </li>
              ))}
            </ul>
            {previewOf(list) ? <PdfPreview file={previewOf(list) as DocumentFile} /> : null}
          </>
        )}
      </QueryState>
    </section>
  );
}

function fileLabel(t: ReturnType<typeof useI18n>['t'], file: DocumentFile) {
  if (file.type.endsWith('_PDF')) return t('accounting.downloadPdf');
  if (file.type.endsWith('_UBL')) return t('accounting.downloadUbl');
  return t('accounting.downloadFile', { name: file.name });
}

/** Fetched with the session, then handed to the browser as a download under the file's own name. */
function DownloadButton({ file }: { file: DocumentFile }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const url = URL.createObjectURL(await downloadFile(file.id));
      const anchor = window.document.createElement('a');
      anchor.href = url;
      anchor.download = file.name;
      window.document.body.append(anchor);
      anchor.click();
      anchor.remove();
      // The download has started by now; the URL is no longer needed.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void download()} disabled={busy} aria-describedby={`file-${file.id}`}>
        {fileLabel(t, file)}
      </button>{' '}
      <span id={`file-${file.id}`} className="muted">
        {file.name}
      </span>
      {error ? <ErrorMessage error={error} /> : null}
    </>
  );
}

/** The PDF in a frame of its own, from a blob: the file answers as an attachment, which a frame would only download. */
function PdfPreview({ file }: { file: DocumentFile }) {
  const { t } = useI18n();
  const [state, setState] = useState<{ url?: string; error?: unknown }>({});
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let url: string | undefined;
    let cancelled = false;
    downloadFile(file.id)
      .then((blob) => {
        url = URL.createObjectURL(new Blob([blob], { type: 'application/pdf' }));
        if (!cancelled) setState({ url });
      })
      .catch((error: unknown) => {
        if (!cancelled) setState({ error });
      });
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [file.id, attempt]);
  if (state.error)
    return (
      <ErrorMessage
        error={state.error}
        onRetry={() => {
          setState({});
          setAttempt((n) => n + 1);
        }}
      />
    );
  if (!state.url) return <Loading />;
  return <iframe className="pdf-preview" src={state.url} title={t('accounting.pdfPreview', { name: file.name })} />;
}

function Lines({ document }: { document: AnyDocument }) {
  const { t, language } = useI18n();
  return (
    <section aria-labelledby="lines-heading">
      <h2 id="lines-heading">{t('accounting.lines')}</h2>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">{t('accounting.lines')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('accounting.line')}</th>
              <th scope="col">{t('accounting.order')}</th>
              <th scope="col" className="number">
                {t('accounting.quantity')}
              </th>
              <th scope="col" className="number">
                {t('accounting.unitPrice')}
              </th>
              <th scope="col">{t('accounting.taxRate')}</th>
              <th scope="col" className="number">
                {t('accounting.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {document.line_items.map((line, index) => (
              <tr key={line.id ?? index}>
                <td data-label={t('accounting.line')}>
                  {line.name}
                  {line.description ? <div className="muted">{line.description}</div> : null}
                </td>
                <td data-label={t('accounting.order')}>
                  {line.order_id ? (
                    <Link to={`/orders/${line.order_id}`}>{line.order_name ?? line.order_id}</Link>
                  ) : line.trip_id ? (
                    <Link to={`/trips/${line.trip_id}`}>{t('accounting.tripLink')}</Link>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="number" data-label={t('accounting.quantity')}>
                  {formatDecimal(line.quantity, language)}
                </td>
                <td className="number" data-label={t('accounting.unitPrice')}>
                  {formatMoney(line.unit_price, line.currency, language)}
                </td>
                <td data-label={t('accounting.taxRate')}>{line.tax_rate?.name ?? line.tax_rate?.code ?? '—'}</td>
                <td className="number" data-label={t('accounting.amount')}>
                  {formatMoney(line.amount, line.currency, language)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {document.tax_subtotals.length > 0 ? (
        <div className="table-scroll">
          <table>
            <caption>{t('accounting.taxSubtotals')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('accounting.taxRate')}</th>
                <th scope="col" className="number">
                  {t('accounting.taxable')}
                </th>
                <th scope="col" className="number">
                  {t('accounting.tax')}
                </th>
              </tr>
            </thead>
            <tbody>
              {document.tax_subtotals.map((subtotal) => (
                <tr key={subtotal.tax_rate_code}>
                  <td data-label={t('accounting.taxRate')}>
                    {subtotal.tax_rate_code} ({formatDecimal(subtotal.percentage, language)} %)
                  </td>
                  <td className="number" data-label={t('accounting.taxable')}>
                    {formatMoney(subtotal.taxable_amount, document.currency, language)}
                  </td>
                  <td className="number" data-label={t('accounting.tax')}>
                    {formatMoney(subtotal.tax_amount, document.currency, language)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
