import { FormatFactoryService, type Invoice } from '@e-invoice-eu/core';
import { Dec, moneyString } from '../../platform/money.js';
import { conflict } from '../../platform/http/errors.js';
import type { DocumentParts } from './billing.output.js';
import type { AccountingConversion } from './conversion.js';

/**
 * UBL 2.1 following Peppol BIS Billing 3.0, through @e-invoice-eu/core. Its own `generate` compiles
 * a JSON schema on every call (about 6 documents/s); the input here is built from stored, already
 * validated data, so the formatter is called directly and the output is checked in the tests
 * against the UBL XSDs and the EN 16931 rules instead.
 */
const PEPPOL_CUSTOMIZATION = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
const ublFormat = new FormatFactoryService().createFormatService('UBL', {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});

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

export async function renderUbl(parts: DocumentParts, credited: { name: string; date: string } | null): Promise<string> {
  const { row, lines, entity, company } = parts;
  const currency = row.currency;
  const money = (value: string | Dec) => moneyString(new Dec(value), currency);
  const amount = (value: string | Dec) => ({ value: money(value), currency });
  const withCurrency = (key: string, value: string | Dec) => ({ [key]: amount(value).value, [`${key}@currencyID`]: currency });
  const customer = company.details as { vat_number?: string; legal_name?: string; billing_location?: { address?: string; city?: string; postal_code?: string; country?: string } };
  const entityAddress = entity.address as { street?: string; city?: string; postal_code?: string; country?: string };
  const bank = entity.bank_account as { iban?: string; bic?: string };
  const categoryOf = new Map(lines.map((l) => [l.tax_code, taxCategory(l.tax_type, l.tax_percentage)]));
  const isInvoice = row.kind.endsWith('INVOICE');
  const references = row.customer_reference_numbers;
  const conversion = row.exchange_rate as AccountingConversion | null;
  const invoice = {
    'ubl:Invoice': {
      'cbc:CustomizationID': PEPPOL_CUSTOMIZATION,
      'cbc:ProfileID': 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0',
      'cbc:ID': row.name as string,
      'cbc:IssueDate': row.date as string,
      ...(isInvoice && row.due_date ? { 'cbc:DueDate': row.due_date } : {}),
      'cbc:InvoiceTypeCode': isInvoice ? '380' : '381',
      'cbc:DocumentCurrencyCode': currency,
      // In another currency than the seller's books: the VAT total in the books' currency too (BT-6, BT-111).
      ...(conversion ? { 'cbc:TaxCurrencyCode': conversion.currency } : {}),
      // Peppol wants a buyer reference or an order reference: the customer's PO, else the first order.
      'cbc:BuyerReference': references[0] ?? lines.find((l) => l.order_name)?.order_name ?? (row.name as string),
      ...(credited ? { 'cac:BillingReference': [{ 'cac:InvoiceDocumentReference': { 'cbc:ID': credited.name, 'cbc:IssueDate': credited.date } }] } : {}),
      'cac:AccountingSupplierParty': {
        'cac:Party': {
          ...endpoint(entity.vat_number, 'billing entity'),
          'cac:PostalAddress': {
            ...(entityAddress.street ? { 'cbc:StreetName': entityAddress.street } : {}),
            ...(entityAddress.city ? { 'cbc:CityName': entityAddress.city } : {}),
            ...(entityAddress.postal_code ? { 'cbc:PostalZone': entityAddress.postal_code } : {}),
            'cac:Country': { 'cbc:IdentificationCode': entityAddress.country ?? entity.vat_number.slice(0, 2).toUpperCase() },
          },
          'cac:PartyTaxScheme': [{ 'cbc:CompanyID': entity.vat_number, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } }],
          'cac:PartyLegalEntity': { 'cbc:RegistrationName': entity.legal_name, 'cbc:CompanyID': entity.company_registration_number },
        },
      },
      'cac:AccountingCustomerParty': {
        'cac:Party': {
          ...endpoint(customer.vat_number, 'customer'),
          'cac:PostalAddress': {
            ...(customer.billing_location?.address ? { 'cbc:StreetName': customer.billing_location.address } : {}),
            ...(customer.billing_location?.city ? { 'cbc:CityName': customer.billing_location.city } : {}),
            ...(customer.billing_location?.postal_code ? { 'cbc:PostalZone': customer.billing_location.postal_code } : {}),
            'cac:Country': { 'cbc:IdentificationCode': customer.billing_location?.country ?? (customer.vat_number as string).slice(0, 2).toUpperCase() },
          },
          // The buyer has one tax scheme (an object), the seller several (an array), in the generator's format.
          'cac:PartyTaxScheme': { 'cbc:CompanyID': customer.vat_number as string, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } },
          'cac:PartyLegalEntity': { 'cbc:RegistrationName': customer.legal_name ?? company.name },
        },
      },
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
  const xml = await ublFormat.generate(invoice as unknown as Invoice, { format: 'UBL', lang: 'en' });
  return typeof xml === 'string' ? xml : Buffer.from(xml).toString('utf8');
}
