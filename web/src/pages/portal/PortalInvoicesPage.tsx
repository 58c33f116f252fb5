import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n, type MessageKey } from '../../i18n';
import { formatDay, formatMoney } from '../../ui/amounts';
import { ListTable } from '../../ui/DataTable';
import { labelFrom } from '../../ui/format';
import { Page, QueryState } from '../../ui/Page';
import { Section } from '../../ui/Section';
import './portal.css';

type Schemas = components['schemas'];
type Issued = Schemas['SalesInvoiceOutput'] | Schemas['SalesCreditNoteOutput'];
type Kind = 'sales-invoice' | 'sales-credit-note';

const SETTLEMENT: Record<string, MessageKey> = {
  PAID: 'portal.invoices.PAID',
  UNPAID: 'portal.invoices.UNPAID',
  REFUNDED: 'portal.invoices.REFUNDED',
  OPEN: 'portal.invoices.OPEN',
};

/** The latest documents first: a customer looks for the newest invoice. */
const LIMIT = 200;

/**
 * The invoices and credit notes the carrier issued to the customer's company (never drafts: the
 * API leaves them out for customers), each with its PDF and its UBL e-invoice to download.
 */
export default function PortalInvoicesPage() {
  const { t } = useI18n();
  const invoices = useQuery({
    queryKey: ['portal-invoices'],
    queryFn: () => unwrap(api.GET('/v1/accounting/sales-invoice/', { params: { query: { limit: LIMIT } } })),
  });
  const notes = useQuery({
    queryKey: ['portal-credit-notes'],
    queryFn: () => unwrap(api.GET('/v1/accounting/sales-credit-note/', { params: { query: { limit: LIMIT } } })),
  });
  return (
    <Page title={t('portal.invoices.title')}>
      <Section id="invoices" title={t('portal.invoices.invoices')}>
        <QueryState query={invoices} isEmpty={(data) => data.items.length === 0} empty={t('portal.invoices.noInvoices')}>
          {(data) => <DocumentTable kind="sales-invoice" caption={t('portal.invoices.invoices')} documents={data.items} />}
        </QueryState>
      </Section>
      <Section id="credit-notes" title={t('portal.invoices.creditNotes')}>
        <QueryState query={notes} isEmpty={(data) => data.items.length === 0} empty={t('portal.invoices.noCreditNotes')}>
          {(data) => <DocumentTable kind="sales-credit-note" caption={t('portal.invoices.creditNotes')} documents={data.items} />}
        </QueryState>
      </Section>
    </Page>
  );
}

function DocumentTable({ kind, caption, documents }: { kind: Kind; caption: string; documents: Issued[] }) {
  const { t, language } = useI18n();
  // The API lists by last change, oldest first; a person reads newest first.
  const newestFirst = [...documents].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || (b.name ?? '').localeCompare(a.name ?? ''));
  return (
    <ListTable
      caption={caption}
      headers={[
        t('portal.invoices.number'),
        t('portal.invoices.date'),
        t('portal.invoices.dueDate'),
        t('portal.invoices.total'),
        t('portal.invoices.paid'),
        t('portal.invoices.files'),
      ]}
    >
      {newestFirst.map((document) => (
        <tr key={document.id ?? document.name}>
          <td data-label={t('portal.invoices.number')}>{document.name}</td>
          <td data-label={t('portal.invoices.date')}>{formatDay(document.date, language)}</td>
          <td data-label={t('portal.invoices.dueDate')}>{formatDay('due_date' in document ? document.due_date : null, language)}</td>
          <td data-label={t('portal.invoices.total')}>{formatMoney(document.total_incl_tax, document.currency, language)}</td>
          <td data-label={t('portal.invoices.paid')}>
            {labelFrom(t, SETTLEMENT, 'payment_status' in document ? document.payment_status : document.refund_status)}
          </td>
          <td data-label={t('portal.invoices.files')}>{document.id ? <Files kind={kind} id={document.id} name={document.name ?? document.id} /> : null}</td>
        </tr>
      ))}
    </ListTable>
  );
}

/** The document's PDF and UBL, as plain download links (the session cookie goes with them). */
function Files({ kind, id, name }: { kind: Kind; id: string; name: string }) {
  const { t } = useI18n();
  const files = useQuery({
    queryKey: ['portal-document-files', kind, id],
    queryFn: () =>
      kind === 'sales-invoice'
        ? unwrap(api.GET('/v1/accounting/sales-invoice/{id}/documents', { params: { path: { id } } }))
        : unwrap(api.GET('/v1/accounting/sales-credit-note/{id}/documents', { params: { path: { id } } })),
    staleTime: Infinity, // an issued document's files never change
  });
  return (
    <QueryState query={files} isEmpty={(data) => data.length === 0} empty={t('portal.invoices.noFiles')}>
      {(data) => (
        <span className="file-links">
          {data.map((file) => (
            <a key={file.id} href={file.download_url} download={file.name ?? true}>
              {file.type.endsWith('PDF') ? 'PDF' : 'UBL'}
              <span className="visually-hidden">
                {' '}
                {file.type.endsWith('PDF') ? t('portal.invoices.pdfOf', { name }) : t('portal.invoices.ublOf', { name })}
              </span>
            </a>
          ))}
        </span>
      )}
    </QueryState>
  );
}
