import type { FormatFactoryService, Invoice } from '@e-invoice-eu/core';
import { Dec, moneyString } from '../../../platform/money.js';
import { conflict } from '../../../platform/http/errors.js';
import type { DocumentParts } from './documents.output.js';
import type { AccountingConversion } from './conversion.service.js';

/**
 * UBL 2.1 following Peppol BIS Billing 3.0, through @e-invoice-eu/core. Its own `generate` compiles
 * a JSON schema on every call (about 6 documents/s); the input here is built from stored, already
 * validated data, so the formatter is called directly and the output is checked in the tests
 * against the UBL XSDs and the EN 16931 rules instead.
 */
const PEPPOL_CUSTOMIZATION = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
// Loaded on the first e-invoice: the library takes longer to import than the rest of the server.
let ublFormat: Promise<ReturnType<FormatFactoryService['createFormatService']>> | undefined;
const loadUblFormat = () =>
  (ublFormat ??= import('@e-invoice-eu/core').then(({ FormatFactoryService }) =>
    new FormatFactoryService().createFormatService('UBL', { log: () => undefined, warn: () => undefined, error: () => undefined }),
  ));

/** Peppol electronic address schemes (EAS) for VAT numbers, by the VAT number's country prefix. */
const VAT_SCHEME: Record<string, string> = { AT: '9914', BE: '9925', DE: '9930', ES: '9920', FR: '9957', IE: '9935', IT: '9906', LU: '9938', NL: '9944', PT: '9946' };

function endpoint(vat: string | null | undefined, who: string) {
  const scheme = vat ? VAT_SCHEME[vat.slice(0, 2).toUpperCase()] : undefined;
  if (!vat || !scheme) throw conflict(`The ${who} needs an EU VAT number (BE, NL, FR, DE…) to be addressed on Peppol`);
  return { 'cbc:EndpointID': vat, 'cbc:EndpointID@schemeID': scheme };
}

/** The UNCL5305 tax category of a rate: standard, zero, reverse charge or exempt. */
function taxCategory(taxType: string, percentage: string) {
  const p = new Dec(percentage);
  const base = { 'cbc:Percent': p.toFixed(), 'cac:TaxScheme': { 'cbc:ID': 'VAT' } };
  if (taxType === 'REVERSE_CHARGE') return { 'cbc:ID': 'AE', ...base, 'cbc:TaxExemptionReason': 'Reverse charge' };
  if (taxType === 'VAT' && p.gt(0)) return { 'cbc:ID': 'S', ...base };
  if (taxType === 'VAT') return { 'cbc:ID': 'Z', ...base };
  return { 'cbc:ID': 'E', ...base, 'cbc:TaxExemptionReason': 'Exempt' };
}

const withoutReason = (category: ReturnType<typeof taxCategory>) => {
  const { 'cbc:TaxExemptionReason': _reason, ...rest } = category as Record<string, unknown>;
  return rest;
};

const SELF_BILLING_CUSTOMIZATION = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0';

/** UNTDID 1001 type codes: a self-billed invoice (389) and credit note (261) are issued by the buyer. */
const TYPE_CODE = { sales: { invoice: '380', credit: '381' }, selfBilled: { invoice: '389', credit: '261' }, received: { invoice: '380', credit: '381' } };

interface Address {
  street?: string;
  city?: string;
  postal_code?: string;
  country?: string;
}

/** A party in the generator's format; the seller has several tax schemes (an array), the buyer one (an object). */
function party(who: { vat: string; label: string; address: Address; legalName: string; registration?: string }, role: 'seller' | 'buyer') {
  const taxScheme = { 'cbc:CompanyID': who.vat, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } };
  return {
    'cac:Party': {
      ...endpoint(who.vat, who.label),
      'cac:PostalAddress': {
        ...(who.address.street ? { 'cbc:StreetName': who.address.street } : {}),
        ...(who.address.city ? { 'cbc:CityName': who.address.city } : {}),
        ...(who.address.postal_code ? { 'cbc:PostalZone': who.address.postal_code } : {}),
        'cac:Country': { 'cbc:IdentificationCode': who.address.country ?? who.vat.slice(0, 2).toUpperCase() },
      },
      'cac:PartyTaxScheme': role === 'seller' ? [taxScheme] : taxScheme,
      'cac:PartyLegalEntity': { 'cbc:RegistrationName': who.legalName, ...(who.registration ? { 'cbc:CompanyID': who.registration } : {}) },
    },
  };
}

export async function renderUbl(parts: DocumentParts, credited: { name: string; date: string } | null): Promise<string> {
  const { row, lines, entity, company } = parts;
  const currency = row.currency;
  const money = (value: string | Dec) => moneyString(new Dec(value), currency);
  const amount = (value: string | Dec) => ({ value: money(value), currency });
  const withCurrency = (key: string, value: string | Dec) => ({ [key]: amount(value).value, [`${key}@currencyID`]: currency });
  const other = company.details as { vat_number?: string; legal_name?: string; billing_location?: { address?: string; city?: string; postal_code?: string; country?: string } };
  const categoryOf = new Map(lines.map((l) => [l.tax_code, taxCategory(l.tax_type, l.tax_percentage)]));
  const isInvoice = row.kind.endsWith('INVOICE');
  const references = row.customer_reference_numbers;
  const conversion = row.exchange_rate as AccountingConversion | null;
  // On the purchase side the other company sells and the tenant's entity buys.
  const purchase = row.kind.startsWith('PURCHASE');
  const flavour = !purchase ? 'sales' : row.origin === 'WAYBILL' ? 'selfBilled' : 'received';
  const entityParty = { vat: entity.vat_number, label: 'billing entity', address: entity.address as Address, legalName: entity.legal_name, registration: entity.company_registration_number };
  const location = other.billing_location;
  const otherParty = {
    vat: other.vat_number ?? '',
    label: purchase ? 'supplier' : 'customer',
    address: { street: location?.address, city: location?.city, postal_code: location?.postal_code, country: location?.country },
    legalName: other.legal_name ?? company.name,
  };
  const bank = purchase ? {} : (entity.bank_account as { iban?: string });
  const invoice = {
    'ubl:Invoice': {
      'cbc:CustomizationID': flavour === 'selfBilled' ? SELF_BILLING_CUSTOMIZATION : PEPPOL_CUSTOMIZATION,
      'cbc:ProfileID': flavour === 'selfBilled' ? 'urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0' : 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0',
      'cbc:ID': row.name as string,
      'cbc:IssueDate': row.date as string,
      ...(isInvoice && row.due_date ? { 'cbc:DueDate': row.due_date } : {}),
      'cbc:InvoiceTypeCode': TYPE_CODE[flavour][isInvoice ? 'invoice' : 'credit'],
      'cbc:DocumentCurrencyCode': currency,
      // In another currency than the seller's books: the VAT total in the books' currency too (BT-6, BT-111).
      ...(conversion ? { 'cbc:TaxCurrencyCode': conversion.currency } : {}),
      // Peppol wants a buyer reference or an order reference: the customer's PO, else the first order.
      'cbc:BuyerReference': references[0] ?? lines.find((l) => l.order_name)?.order_name ?? (row.name as string),
      ...(credited ? { 'cac:BillingReference': [{ 'cac:InvoiceDocumentReference': { 'cbc:ID': credited.name, 'cbc:IssueDate': credited.date } }] } : {}),
      'cac:AccountingSupplierParty': party(purchase ? otherParty : entityParty, 'seller'),
      'cac:AccountingCustomerParty': party(purchase ? entityParty : otherParty, 'buyer'),
      ...(bank.iban ? { 'cac:PaymentMeans': [{ 'cbc:PaymentMeansCode': '30', 'cac:PayeeFinancialAccount': { 'cbc:ID': bank.iban } }] } : {}),
      'cac:TaxTotal': [
        {
          ...withCurrency('cbc:TaxAmount', row.total_tax),
          'cac:TaxSubtotal': row.tax_subtotals.map((s) => ({
            ...withCurrency('cbc:TaxableAmount', s.taxableAmount),
            ...withCurrency('cbc:TaxAmount', s.taxAmount),
            'cac:TaxCategory': categoryOf.get(s.taxKey),
          })),
        },
        ...(conversion ? [{ 'cbc:TaxAmount': conversion.total_tax, 'cbc:TaxAmount@currencyID': conversion.currency }] : []),
      ],
      'cac:LegalMonetaryTotal': {
        ...withCurrency('cbc:LineExtensionAmount', row.total_excl_tax),
        ...withCurrency('cbc:TaxExclusiveAmount', row.total_excl_tax),
        ...withCurrency('cbc:TaxInclusiveAmount', row.total_incl_tax),
        ...withCurrency('cbc:PayableAmount', row.total_incl_tax),
      },
      'cac:InvoiceLine': lines.map((l, i) => ({
        'cbc:ID': String(i + 1),
        'cbc:InvoicedQuantity': new Dec(l.quantity).toFixed(),
        'cbc:InvoicedQuantity@unitCode': 'C62',
        ...withCurrency('cbc:LineExtensionAmount', l.amount),
        ...(l.account_code ? { 'cbc:AccountingCost': l.account_code } : {}),
        'cac:Item': {
          'cbc:Name': l.name,
          ...(l.description ? { 'cbc:Description': l.description } : {}),
          'cac:SellersItemIdentification': { 'cbc:ID': l.code },
          'cac:ClassifiedTaxCategory': withoutReason(categoryOf.get(l.tax_code) as ReturnType<typeof taxCategory>),
        },
        'cac:Price': { 'cbc:PriceAmount': new Dec(l.unit_price).toFixed(), 'cbc:PriceAmount@currencyID': currency },
      })),
    },
  };
  const xml = await (await loadUblFormat()).generate(invoice as unknown as Invoice, { format: 'UBL', lang: 'en' });
  return typeof xml === 'string' ? xml : Buffer.from(xml).toString('utf8');
}
