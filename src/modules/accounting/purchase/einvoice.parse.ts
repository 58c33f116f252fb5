import { createRequire } from 'node:module';
import { badRequest, detail, type ErrorDetail } from '../../../platform/http/errors.js';
import { isPlainDecimal, parseDecimal } from '../../../platform/money.js';
import { workerTask } from '../../../platform/workers/pool.js';
import type { EInvoiceFormat } from './purchase.tables.js';
import type { EInvoiceJsonInput } from './purchase.schemas.js';
import { checkXmlShape, checkXmlValues } from './xml.policy.js';
import type { SchemedId, StatedParty } from './parties.policy.js';

/** Where the supplier asks to be paid, as its invoice states it (EN 16931 BG-16/BG-17). */
export interface StatedPayment {
  iban: string | null;
  bic: string | null;
  account_name: string | null;
  /** The remittance information to quote when paying (BT-83). */
  reference: string | null;
}

/** A received e-invoice reduced to what matching and booking need, whatever format it came in. */
export interface ParsedEInvoice {
  format: EInvoiceFormat;
  invoiceType: 'PURCHASE' | 'PURCHASE_CREDIT_NOTE';
  name: string;
  date: string;
  dueDate: string | null;
  currency: string;
  totals: { total_excl_tax: string; total_tax: string; total_incl_tax: string };
  /** Document-level references (buyer reference, order and contract references…). */
  references: string[];
  /** The sender's own fields, kept on the draft as sent; only the JSON form carries them. */
  customFields?: Record<string, unknown>;
  /** `accountCode`: the ledger account the sender booked the line on; only the JSON form names one. */
  lines: Array<{ description: string; amount: string; percentage: string | null; taxType: string | null; accountCode?: string | null; references: string[] }>;
  /** Files sent with the invoice, still base64; `field` names where each came from, for error details. */
  attachments: EInvoiceFile[];
  /** Seller and buyer as the document names them; null when it names none (the JSON form names no buyer). */
  seller?: StatedParty | null;
  buyer?: StatedParty | null;
  /** The supplier's own id for itself in Waybill (the JSON form's `supplier.id`). */
  sellerCompanyId?: string | null;
  payment?: StatedPayment | null;
}

export interface EInvoiceFile {
  field: string;
  base64: string;
  contentType: string;
  documentType: 'INVOICE' | 'CREDIT_NOTE' | 'OTHER';
  filename: string;
}

/**
 * Words of a free text that could be a trip's or order's name ("Transport TR-000012 Gent"): the
 * supplier often puts the reference only there.
 */
const words = (text: string | null | undefined) => (text ?? '').split(/[\s,;()[\]]+/).filter((w) => w.length >= 3 && w.length <= 100);

/** Amounts as the sender wrote them, except that a credit note's are positive however it signed them. */
const amountOf = (value: number | string, credit: boolean) => {
  const amount = parseDecimal(value);
  return credit && amount.isNegative() ? amount.abs().toFixed() : String(value).trim();
};

export function fromJson(input: EInvoiceJsonInput): ParsedEInvoice {
  const credit = input.invoice_type === 'PURCHASE_CREDIT_NOTE';
  return {
    format: 'JSON',
    invoiceType: input.invoice_type,
    name: input.name,
    date: input.date,
    dueDate: input.due_date ?? null,
    currency: input.currency,
    totals: {
      total_excl_tax: amountOf(input.total_excl_tax, credit),
      total_tax: amountOf(input.total_tax, credit),
      total_incl_tax: amountOf(input.total_incl_tax, credit),
    },
    references: input.customer_reference_numbers ?? [],
    customFields: input.custom_fields ?? {},
    lines: input.line_items.map((l) => ({
      description: l.description ?? '',
      amount: amountOf(l.amount, credit),
      percentage: l.tax_rate?.percentage === undefined || l.tax_rate?.percentage === null ? null : String(l.tax_rate.percentage),
      taxType: l.tax_rate?.tax_type ?? null,
      accountCode: l.account?.code ?? null,
      references: [...Object.values(l.references ?? {}), ...words(l.description)],
    })),
    attachments: (input.attachments ?? []).map(({ document: d }, i) => ({
      field: `attachments[${i}].document`,
      base64: d.base64,
      contentType: d.content_type,
      documentType: d.document_type,
      filename: d.filename,
    })),
    seller: { name: input.supplier.name, vatIds: input.supplier.vat_number ? [input.supplier.vat_number] : [], ids: [] },
    buyer: input.buyer
      ? {
          name: input.buyer.name ?? null,
          vatIds: input.buyer.vat_number ? [input.buyer.vat_number] : [],
          ids: input.buyer.peppol_id ? [input.buyer.peppol_id] : [],
        }
      : null,
    sellerCompanyId: input.supplier.id ?? null,
    payment: input.payment
      ? {
          iban: input.payment.iban,
          bic: input.payment.bic ?? null,
          account_name: input.payment.account_name ?? null,
          reference: input.payment.reference ?? null,
        }
      : null,
  };
}

/** The few DOM calls the readers need; elements are found by local name (UBL and CII fix their namespaces). */
interface XmlNode {
  localName?: string | null;
  textContent: string | null;
  childNodes: ArrayLike<XmlNode>;
  nodeType: number;
  getAttribute?(name: string): string | null;
}

const kids = (node: XmlNode | undefined, name: string): XmlNode[] =>
  node ? Array.from(node.childNodes).filter((c) => c.nodeType === 1 && c.localName === name) : [];
/** The first element at this path of local names under the node. */
function at(node: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  let current = node;
  for (const name of path) current = kids(current, name)[0];
  return current;
}
const textAt = (node: XmlNode | undefined, ...path: string[]) => at(node, ...path)?.textContent?.trim() || null;
const textsAt = (node: XmlNode | undefined, parent: string, ...path: string[]) => kids(node, parent).flatMap((k) => textAt(k, ...path) ?? []);
/** An identifier element's text with its scheme attribute, when it has text. */
const schemed = (node: XmlNode | undefined, attribute = 'schemeID'): SchemedId[] => {
  const value = node?.textContent?.trim();
  return value ? [{ scheme: node?.getAttribute?.(attribute) || null, value }] : [];
};

/** A UBL cac:Party: its legal or trading name, VAT ids, electronic address, legal and party ids. */
function ublParty(party: XmlNode | undefined): StatedParty | null {
  if (!party) return null;
  return {
    name: textAt(party, 'PartyLegalEntity', 'RegistrationName') ?? textAt(party, 'PartyName', 'Name'),
    vatIds: textsAt(party, 'PartyTaxScheme', 'CompanyID'),
    ids: [
      ...schemed(at(party, 'EndpointID')),
      ...schemed(at(party, 'PartyLegalEntity', 'CompanyID')),
      ...kids(party, 'PartyIdentification').flatMap((p) => schemed(at(p, 'ID'))),
    ],
  };
}

/** A CII trade party: VAT registrations (scheme VA), electronic address, legal organisation and global ids. */
function ciiParty(party: XmlNode | undefined): StatedParty | null {
  if (!party) return null;
  const registrations = kids(party, 'SpecifiedTaxRegistration').map((r) => at(r, 'ID'));
  return {
    name: textAt(party, 'Name'),
    vatIds: registrations.filter((r) => (r?.getAttribute?.('schemeID') ?? 'VA') === 'VA').flatMap((r) => schemed(r).map((i) => i.value)),
    ids: [
      ...schemed(at(party, 'URIUniversalCommunication', 'URIID')),
      ...schemed(at(party, 'SpecifiedLegalOrganization', 'ID')),
      ...kids(party, 'GlobalID').flatMap((g) => schemed(g)),
    ],
  };
}

const payment = (iban: string | null, bic: string | null, accountName: string | null, reference: string | null): StatedPayment | null =>
  iban || reference ? { iban, bic, account_name: accountName, reference } : null;

/**
 * Files embedded in referenced documents (UBL's EmbeddedDocumentBinaryObject, CII's
 * AttachmentBinaryObject). A PDF is taken for the invoice's own rendering, as Peppol senders use it;
 * anything else is OTHER. References that only point at a URL carry no bytes and are skipped.
 */
function embeddedFiles(references: XmlNode[], path: string[], field: string, credit: boolean): EInvoiceFile[] {
  return references.flatMap((reference, i) => {
    const object = at(reference, ...path);
    if (!object) return [];
    const contentType = object.getAttribute?.('mimeCode') ?? '';
    const documentType = contentType.toLowerCase() === 'application/pdf' ? (credit ? 'CREDIT_NOTE' : 'INVOICE') : 'OTHER';
    return [{ field: `${field}[${i}]`, base64: object.textContent ?? '', contentType, documentType, filename: object.getAttribute?.('filename') ?? '' }];
  });
}

/** UNCL 5305 tax categories in Waybill's tax types. */
const TAX_TYPE: Record<string, string> = { S: 'VAT', Z: 'VAT', AE: 'REVERSE_CHARGE', E: 'NO_VAT', O: 'NO_VAT', K: 'NO_VAT', G: 'NO_VAT' };

const MAX_LINES = 500;
const MAX_ERROR_DETAILS = 50;

/** The parsed document, or a 400 naming the fields that are missing or malformed (the first 50). */
class Reader {
  readonly errors: ErrorDetail[] = [];
  constructor(private readonly format: EInvoiceFormat) {}

  /** The line elements, refused before any is read when there are too many (each could add an error detail). */
  lines(nodes: XmlNode[]): XmlNode[] {
    if (nodes.length > MAX_LINES) throw badRequest(`${this.format}: at most ${MAX_LINES} lines`, [detail(`at most ${MAX_LINES} lines`, 'lines')]);
    return nodes;
  }

  need(value: string | null, field: string): string {
    if (!value) this.errors.push(detail(`${this.format}: ${field} is missing`, field));
    return value ?? '';
  }

  date(value: string | null, field: string, required: boolean): string | null {
    const iso = value && /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}` : value;
    if (!iso) return required ? this.need(null, field) : null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(Date.parse(`${iso}T00:00:00Z`)))
      this.errors.push(detail(`${this.format}: ${field} is not a date`, field));
    return iso;
  }

  amount(value: string | null, field: string, credit: boolean): string {
    if (value === null || !isPlainDecimal(value)) {
      this.errors.push(detail(`${this.format}: ${field} is ${value === null ? 'missing' : 'not a plain decimal'}`, field));
      return '0';
    }
    return amountOf(value, credit);
  }

  done(parsed: ParsedEInvoice): ParsedEInvoice {
    if (!/^[A-Z]{3}$/.test(parsed.currency)) this.errors.push(detail(`${this.format}: the currency must be an ISO 4217 code`, 'currency'));
    if (!parsed.lines.length) this.errors.push(detail(`${this.format}: the invoice has no lines`, 'lines'));
    // A document of thousands of broken lines stays a short answer, whatever the document's size.
    if (this.errors.length) throw badRequest('The e-invoice is incomplete or malformed', this.errors.slice(0, MAX_ERROR_DETAILS));
    return parsed;
  }
}

function fromUbl(root: XmlNode): ParsedEInvoice {
  const r = new Reader('UBL');
  const credit = root.localName === 'CreditNote' || ['381', '261', '396'].includes(textAt(root, 'InvoiceTypeCode') ?? '');
  const lineTag = root.localName === 'CreditNote' ? 'CreditNoteLine' : 'InvoiceLine';
  const currency = r.need(textAt(root, 'DocumentCurrencyCode'), 'DocumentCurrencyCode');
  const taxTotal = kids(root, 'TaxTotal').find((t) => at(t, 'TaxAmount')) ?? kids(root, 'TaxTotal')[0];
  return r.done({
    format: 'UBL',
    invoiceType: credit ? 'PURCHASE_CREDIT_NOTE' : 'PURCHASE',
    name: r.need(textAt(root, 'ID'), 'ID'),
    date: r.date(textAt(root, 'IssueDate'), 'IssueDate', true) as string,
    dueDate: r.date(textAt(root, 'DueDate') ?? textAt(root, 'PaymentMeans', 'PaymentDueDate'), 'DueDate', false),
    currency,
    totals: {
      total_excl_tax: r.amount(textAt(root, 'LegalMonetaryTotal', 'TaxExclusiveAmount'), 'LegalMonetaryTotal.TaxExclusiveAmount', credit),
      total_tax: r.amount(textAt(taxTotal, 'TaxAmount') ?? '0', 'TaxTotal.TaxAmount', credit),
      total_incl_tax: r.amount(textAt(root, 'LegalMonetaryTotal', 'TaxInclusiveAmount'), 'LegalMonetaryTotal.TaxInclusiveAmount', credit),
    },
    references: [
      textAt(root, 'BuyerReference'),
      textAt(root, 'OrderReference', 'ID'),
      textAt(root, 'ContractDocumentReference', 'ID'),
      ...textsAt(root, 'DespatchDocumentReference', 'ID'),
      ...textsAt(root, 'AdditionalDocumentReference', 'ID'),
    ].filter((v): v is string => Boolean(v)),
    attachments: embeddedFiles(
      kids(root, 'AdditionalDocumentReference'),
      ['Attachment', 'EmbeddedDocumentBinaryObject'],
      'AdditionalDocumentReference',
      credit,
    ),
    seller: ublParty(at(root, 'AccountingSupplierParty', 'Party')),
    buyer: ublParty(at(root, 'AccountingCustomerParty', 'Party')),
    payment: ((means) =>
      payment(
        textAt(means, 'PayeeFinancialAccount', 'ID'),
        textAt(means, 'PayeeFinancialAccount', 'FinancialInstitutionBranch', 'ID'),
        textAt(means, 'PayeeFinancialAccount', 'Name'),
        textAt(means, 'PaymentID'),
      ))(kids(root, 'PaymentMeans').find((m) => at(m, 'PayeeFinancialAccount')) ?? kids(root, 'PaymentMeans')[0]),
    lines: r.lines(kids(root, lineTag)).map((line, i) => {
      const category = at(line, 'Item', 'ClassifiedTaxCategory');
      const name = textAt(line, 'Item', 'Name');
      const description = textAt(line, 'Item', 'Description');
      return {
        description: [name, description].filter(Boolean).join(' — '),
        amount: r.amount(textAt(line, 'LineExtensionAmount'), `${lineTag}[${i}].LineExtensionAmount`, credit),
        percentage: textAt(category, 'Percent'),
        taxType: TAX_TYPE[textAt(category, 'ID') ?? ''] ?? null,
        references: [
          ...textsAt(line, 'Note'),
          ...textsAt(line, 'DocumentReference', 'ID'),
          textAt(line, 'OrderLineReference', 'OrderReference', 'ID'),
          ...words(name),
          ...words(description),
        ].filter((v): v is string => Boolean(v)),
      };
    }),
  });
}

function fromCii(root: XmlNode): ParsedEInvoice {
  const r = new Reader('CII');
  const doc = at(root, 'ExchangedDocument');
  const trade = at(root, 'SupplyChainTradeTransaction');
  const agreement = at(trade, 'ApplicableHeaderTradeAgreement');
  const settlement = at(trade, 'ApplicableHeaderTradeSettlement');
  const sums = at(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation');
  const credit = ['381', '261', '396'].includes(textAt(doc, 'TypeCode') ?? '');
  return r.done({
    format: 'CII',
    invoiceType: credit ? 'PURCHASE_CREDIT_NOTE' : 'PURCHASE',
    name: r.need(textAt(doc, 'ID'), 'ExchangedDocument.ID'),
    date: r.date(textAt(doc, 'IssueDateTime', 'DateTimeString'), 'ExchangedDocument.IssueDateTime', true) as string,
    dueDate: r.date(textAt(settlement, 'SpecifiedTradePaymentTerms', 'DueDateDateTime', 'DateTimeString'), 'DueDateDateTime', false),
    currency: r.need(textAt(settlement, 'InvoiceCurrencyCode'), 'InvoiceCurrencyCode'),
    totals: {
      total_excl_tax: r.amount(textAt(sums, 'TaxBasisTotalAmount'), 'TaxBasisTotalAmount', credit),
      total_tax: r.amount(textAt(sums, 'TaxTotalAmount') ?? '0', 'TaxTotalAmount', credit),
      total_incl_tax: r.amount(textAt(sums, 'GrandTotalAmount'), 'GrandTotalAmount', credit),
    },
    references: [
      textAt(agreement, 'BuyerReference'),
      textAt(agreement, 'BuyerOrderReferencedDocument', 'IssuerAssignedID'),
      textAt(agreement, 'ContractReferencedDocument', 'IssuerAssignedID'),
      textAt(at(trade, 'ApplicableHeaderTradeDelivery'), 'DespatchAdviceReferencedDocument', 'IssuerAssignedID'),
    ].filter((v): v is string => Boolean(v)),
    attachments: embeddedFiles(kids(agreement, 'AdditionalReferencedDocument'), ['AttachmentBinaryObject'], 'AdditionalReferencedDocument', credit),
    seller: ciiParty(at(agreement, 'SellerTradeParty')),
    buyer: ciiParty(at(agreement, 'BuyerTradeParty')),
    payment: ((means) =>
      payment(
        textAt(means, 'PayeePartyCreditorFinancialAccount', 'IBANID'),
        textAt(means, 'PayeeSpecifiedCreditorFinancialInstitution', 'BICID'),
        textAt(means, 'PayeePartyCreditorFinancialAccount', 'AccountName'),
        textAt(settlement, 'PaymentReference'),
      ))(at(settlement, 'SpecifiedTradeSettlementPaymentMeans')),
    lines: r.lines(kids(trade, 'IncludedSupplyChainTradeLineItem')).map((line, i) => {
      const tax = at(line, 'SpecifiedLineTradeSettlement', 'ApplicableTradeTax');
      const name = textAt(line, 'SpecifiedTradeProduct', 'Name');
      const description = textAt(line, 'SpecifiedTradeProduct', 'Description');
      return {
        description: [name, description].filter(Boolean).join(' — '),
        amount: r.amount(
          textAt(line, 'SpecifiedLineTradeSettlement', 'SpecifiedTradeSettlementLineMonetarySummation', 'LineTotalAmount'),
          `IncludedSupplyChainTradeLineItem[${i}].LineTotalAmount`,
          credit,
        ),
        percentage: textAt(tax, 'RateApplicablePercent'),
        taxType: TAX_TYPE[textAt(tax, 'CategoryCode') ?? ''] ?? null,
        references: [
          ...textsAt(at(line, 'AssociatedDocumentLineDocument'), 'IncludedNote', 'Content'),
          textAt(line, 'SpecifiedLineTradeAgreement', 'BuyerOrderReferencedDocument', 'IssuerAssignedID'),
          ...words(name),
          ...words(description),
        ].filter((v): v is string => Boolean(v)),
      };
    }),
  });
}

/**
 * A UBL 2.1 Invoice or CreditNote, or a UN/CEFACT CrossIndustryInvoice. xmlbuilder2's parser
 * neither fetches nor expands DTD entities, so an external entity or an entity bomb stays an
 * inert literal.
 */
export function fromXml(xml: string): ParsedEInvoice {
  checkXmlShape(xml);
  // Required on the first XML e-invoice rather than at start: it is a large library.
  const { create } = createRequire(import.meta.url)('xmlbuilder2') as typeof import('xmlbuilder2');
  let root: XmlNode;
  try {
    root = create(xml).root().node as unknown as XmlNode;
  } catch {
    throw badRequest('The body is not well-formed XML', [detail('not XML', 'body')]);
  }
  if (root.localName === 'Invoice' || root.localName === 'CreditNote') return checkXmlValues(fromUbl(root));
  if (root.localName === 'CrossIndustryInvoice') return checkXmlValues(fromCii(root));
  throw badRequest('Expected a UBL Invoice or CreditNote, or a CII CrossIndustryInvoice', [
    detail(`root element ${(root.localName ?? '?').slice(0, 100)}`, 'body'),
  ]);
}

/** `fromXml` as a worker-pool task: parsing a megabyte of XML is CPU work that must not hold the request thread. */
export const fromXmlTask = workerTask<typeof fromXml>(import.meta.url, 'fromXml');
