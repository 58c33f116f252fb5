import type { FormatFactoryService, Invoice } from '@e-invoice-eu/core';
import { Dec, moneyString, sum } from '../../../platform/money.js';
import { conflict, detail } from '../../../platform/http/errors.js';
import type { DocumentParts } from './documents.output.js';
import { documentTotals, hasAllowance, pricedLines } from './totals.policy.js';
import { partiesOf, type IssuedParty } from './issued-parties.output.js';
import { NEEDS_BUYER_VAT, vatCategoryOf, vatGroupKey, type VatCategory } from './vat-category.policy.js';

/**
 * UBL 2.1 following Peppol BIS Billing 3.0 (self-billed documents: Peppol Self-Billing 3.0),
 * through @e-invoice-eu/core. Its own `generate` compiles a JSON schema on every call (about 6
 * documents/s); the input here is built from stored, already validated data, so the formatter is
 * called directly and the output is checked in the tests against the UBL XSDs, the EN 16931 rules
 * and the Peppol rules. It runs once per document, at finalization: a document whose UBL cannot
 * be made is not finalized (409 naming what is missing), and the bytes made then are the ones
 * served ever after.
 */
const PEPPOL_CUSTOMIZATION = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
const SELF_BILLING_CUSTOMIZATION = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0';
// Loaded on the first e-invoice: the library takes longer to import than the rest of the server.
let ublFormat: Promise<ReturnType<FormatFactoryService['createFormatService']>> | undefined;
const loadUblFormat = () =>
  (ublFormat ??= import('@e-invoice-eu/core').then(({ FormatFactoryService }) =>
    new FormatFactoryService().createFormatService('UBL', { log: () => undefined, warn: () => undefined, error: () => undefined }),
  ));

/**
 * Peppol electronic address schemes (EAS) that are a VAT number, by the VAT prefix. Italy uses
 * 0211 (partita IVA; the old 9906 is retired); Sweden, Denmark and Finland address by their
 * organisation number schemes, which are part of the VAT number there.
 */
const VAT_SCHEME: Record<string, string> = {
  AT: '9914',
  BE: '9925',
  BG: '9926',
  CY: '9928',
  CZ: '9929',
  DE: '9930',
  EE: '9931',
  EL: '9933',
  ES: '9920',
  FR: '9957',
  HR: '9934',
  HU: '9910',
  IE: '9935',
  IT: '0211',
  LT: '9937',
  LU: '9938',
  LV: '9939',
  MT: '9943',
  NL: '9944',
  PL: '9945',
  PT: '9946',
  RO: '9947',
  SI: '9949',
  SK: '9950',
  GB: '9932',
  CH: '9927',
  SE: '0007',
  DK: '0198',
  FI: '0213',
};
const vatValue: Record<string, (vat: string) => string> = { SE: (vat) => vat.slice(2, 12), FI: (vat) => vat.slice(2) };

/** VAT prefixes that are not the ISO country code. */
const VAT_PREFIX_COUNTRY: Record<string, string> = { EL: 'GR' };
const countryOfVat = (vat: string) => {
  const prefix = vat.slice(0, 2).toUpperCase();
  return /^[A-Z]{2}$/.test(prefix) ? (VAT_PREFIX_COUNTRY[prefix] ?? prefix) : undefined;
};

const compactVat = (vat: string | null | undefined) => (vat ? vat.replace(/[\s.-]/g, '').toUpperCase() : null);

/** The party's Peppol address: its participant id when it has one, else one made from its VAT number. */
function endpoint(who: IssuedParty, label: string) {
  if (who.peppolId) return { 'cbc:EndpointID': who.peppolId.value, 'cbc:EndpointID@schemeID': who.peppolId.scheme };
  const vat = compactVat(who.vat);
  const prefix = vat?.slice(0, 2) ?? '';
  const scheme = VAT_SCHEME[prefix];
  if (!vat || !scheme) {
    throw conflict(`The ${label} (${who.legalName}) cannot be addressed on Peppol: give it a Peppol participant id (peppol_id) or an EU VAT number`, [
      detail(`${label} needs peppol_id or a VAT number`, `${label}.peppol_id`),
    ]);
  }
  return { 'cbc:EndpointID': (vatValue[prefix] ?? ((v: string) => v))(vat), 'cbc:EndpointID@schemeID': scheme };
}

/** UNTDID 1001 type codes: a self-billed invoice (389) and credit note (261) are issued by the buyer. */
const TYPE_CODE = { sales: { invoice: '380', credit: '381' }, selfBilled: { invoice: '389', credit: '261' }, received: { invoice: '380', credit: '381' } };

function country(who: IssuedParty, label: string): string {
  const code = who.address.country?.toUpperCase() ?? (who.vat ? countryOfVat(compactVat(who.vat) as string) : undefined);
  if (!code)
    throw conflict(`The ${label} (${who.legalName}) has no country: give it a billing address with a country`, [
      detail(`${label} has no country`, `${label}.country`),
    ]);
  return code;
}

function postalAddress(who: IssuedParty, label: string) {
  return {
    ...(who.address.street ? { 'cbc:StreetName': who.address.street } : {}),
    ...(who.address.city ? { 'cbc:CityName': who.address.city } : {}),
    ...(who.address.postal_code ? { 'cbc:PostalZone': who.address.postal_code } : {}),
    'cac:Country': { 'cbc:IdentificationCode': country(who, label) },
  };
}

/** A party in the generator's format; the seller has several tax schemes (an array), the buyer one (an object). */
function party(who: IssuedParty, role: 'seller' | 'buyer', label: string, withVat: boolean) {
  // An out-of-scope (O) document names no VAT identifier at all (BR-O-02).
  const vat = withVat ? compactVat(who.vat) : null;
  const taxScheme = vat ? { 'cbc:CompanyID': vat, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } } : undefined;
  return {
    'cac:Party': {
      ...endpoint(who, label),
      ...(who.name !== who.legalName ? { 'cac:PartyName': { 'cbc:Name': who.name } } : {}),
      'cac:PostalAddress': postalAddress(who, label),
      ...(taxScheme ? { 'cac:PartyTaxScheme': role === 'seller' ? [taxScheme] : taxScheme } : {}),
      'cac:PartyLegalEntity': { 'cbc:RegistrationName': who.legalName, ...(who.registration ? { 'cbc:CompanyID': who.registration } : {}) },
    },
  };
}

/** A category as UBL writes it: the rate only where one applies (not for O), the exemption where one is due. */
function taxCategory(c: VatCategory, withReason: boolean) {
  return {
    'cbc:ID': c.id,
    ...(c.id === 'O' ? {} : { 'cbc:Percent': c.percent.toFixed() }),
    ...(withReason && c.exemptionCode ? { 'cbc:TaxExemptionReasonCode': c.exemptionCode } : {}),
    ...(withReason && c.exemptionReason ? { 'cbc:TaxExemptionReason': c.exemptionReason } : {}),
    'cac:TaxScheme': { 'cbc:ID': 'VAT' },
  };
}

/**
 * A line allowance, reason code 95 (discount): percentage × base (the line's gross amount) =
 * amount, or, for a discount given as an amount, the amount alone (a base or a percentage would
 * each call for the other: PEPPOL-EN16931-R040/R041).
 */
function lineAllowance(l: DocumentParts['lines'][number], net: Dec, withCurrency: (key: string, value: string | Dec) => Record<string, string>) {
  const allowance = new Dec(l.allowance_amount as string);
  return {
    'cbc:ChargeIndicator': 'false',
    'cbc:AllowanceChargeReasonCode': '95',
    'cbc:AllowanceChargeReason': l.allowance_reason ?? 'Discount',
    ...(l.allowance_percentage ? { 'cbc:MultiplierFactorNumeric': new Dec(l.allowance_percentage).toFixed() } : {}),
    ...withCurrency('cbc:Amount', allowance),
    ...(l.allowance_percentage ? withCurrency('cbc:BaseAmount', net.plus(allowance)) : {}),
  };
}

export async function renderUbl(parts: DocumentParts, credited: { name: string; date: string } | null): Promise<string> {
  const { row, lines } = parts;
  const currency = row.currency;
  const money = (value: string | Dec) => moneyString(new Dec(value), currency);
  const withCurrency = (key: string, value: string | Dec) => ({ [key]: money(value), [`${key}@currencyID`]: currency });
  const isInvoice = row.kind.endsWith('INVOICE');
  const references = row.customer_reference_numbers;
  const conversion = row.exchange_rate;
  const purchase = row.kind.startsWith('PURCHASE');
  const flavour = !purchase ? 'sales' : row.origin === 'WAYBILL' ? 'selfBilled' : 'received';
  // On the purchase side the other company sells and the tenant's entity buys.
  const { seller, buyer, sellerLabel, buyerLabel } = partiesOf(parts);
  const categories = new Map(lines.map((l) => [vatGroupKey(l), vatCategoryOf(l)]));
  for (const c of categories.values()) {
    if (NEEDS_BUYER_VAT.has(c.id) && !buyer.vat) {
      throw conflict(
        `The ${buyerLabel} (${buyer.legalName}) needs a VAT number: ${c.id === 'AE' ? 'reverse charge' : 'an intra-community supply'} names the buyer's VAT id`,
        [detail(`${buyerLabel} has no VAT number`, `${buyerLabel}.vat_number`)],
      );
    }
  }
  const outOfScope = [...categories.values()].some((c) => c.id === 'O');
  const totals = documentTotals(pricedLines(lines), currency);
  // A negative line (a discount) is a document-level allowance: a UBL price is never negative (BR-27).
  const charged = lines.map((l, i) => ({ line: l, amount: new Dec(totals.lineAmounts[i] as string) }));
  const invoiceLines = charged.filter((c) => c.amount.gte(0));
  const allowances = charged.filter((c) => c.amount.lt(0));
  const lineTotal = sum(invoiceLines.map((c) => c.amount));
  const allowanceTotal = sum(allowances.map((c) => c.amount.negated()));
  // Payment goes to the seller's account, and only an invoice asks for payment.
  const bank = isInvoice ? seller.bank : {};
  const buyerCountry = country(buyer, buyerLabel);
  const severalDays = Boolean(row.supply_start && row.supply_end && row.supply_start !== row.supply_end);
  const invoice = {
    'ubl:Invoice': {
      'cbc:CustomizationID': flavour === 'selfBilled' ? SELF_BILLING_CUSTOMIZATION : PEPPOL_CUSTOMIZATION,
      'cbc:ProfileID': flavour === 'selfBilled' ? 'urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0' : 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0',
      'cbc:ID': (row.external_name ?? row.name) as string,
      'cbc:IssueDate': row.date as string,
      ...(isInvoice && row.due_date ? { 'cbc:DueDate': row.due_date } : {}),
      'cbc:InvoiceTypeCode': TYPE_CODE[flavour][isInvoice ? 'invoice' : 'credit'],
      'cbc:DocumentCurrencyCode': currency,
      // In another currency than the seller's books: the VAT total in the books' currency too (BT-6, BT-111).
      ...(conversion ? { 'cbc:TaxCurrencyCode': conversion.currency } : {}),
      // Peppol wants a buyer reference or an order reference: the customer's PO, else the first order.
      'cbc:BuyerReference': references[0] ?? lines.find((l) => l.order_name)?.order_name ?? (row.name as string),
      // Several delivery days: the invoicing period (BG-14), in its place in the UBL order.
      ...(severalDays ? { 'cac:InvoicePeriod': { 'cbc:StartDate': row.supply_start as string, 'cbc:EndDate': row.supply_end as string } } : {}),
      ...(credited ? { 'cac:BillingReference': [{ 'cac:InvoiceDocumentReference': { 'cbc:ID': credited.name, 'cbc:IssueDate': credited.date } }] } : {}),
      'cac:AccountingSupplierParty': party(seller, 'seller', sellerLabel, !outOfScope),
      'cac:AccountingCustomerParty': party(buyer, 'buyer', buyerLabel, !outOfScope),
      // When the transport was supplied: the orders' delivery day (BT-72; with several days, the
      // invoicing period above); without orders, the issue date. And where the goods
      // go (BT-80), which an intra-community supply must state (BR-IC-12).
      'cac:Delivery': {
        ...(severalDays ? {} : { 'cbc:ActualDeliveryDate': row.supply_end ?? (row.date as string) }),
        'cac:DeliveryLocation': { 'cac:Address': { 'cac:Country': { 'cbc:IdentificationCode': buyerCountry } } },
      },
      ...(bank.iban
        ? {
            'cac:PaymentMeans': [
              {
                'cbc:PaymentMeansCode': '30',
                'cbc:PaymentID': (row.external_name ?? row.name) as string,
                'cac:PayeeFinancialAccount': { 'cbc:ID': bank.iban, ...(bank.bic ? { 'cac:FinancialInstitutionBranch': { 'cbc:ID': bank.bic } } : {}) },
              },
            ],
          }
        : {}),
      ...(allowances.length
        ? {
            'cac:AllowanceCharge': allowances.map(({ line, amount }) => ({
              'cbc:ChargeIndicator': 'false',
              'cbc:AllowanceChargeReasonCode': '95',
              'cbc:AllowanceChargeReason': line.name,
              ...withCurrency('cbc:Amount', amount.negated()),
              'cac:TaxCategory': taxCategory(vatCategoryOf(line), false),
            })),
          }
        : {}),
      'cac:TaxTotal': [
        {
          ...withCurrency('cbc:TaxAmount', totals.totalTax),
          'cac:TaxSubtotal': totals.subtotals.map((s) => ({
            ...withCurrency('cbc:TaxableAmount', s.taxableAmount),
            ...withCurrency('cbc:TaxAmount', s.taxAmount),
            'cac:TaxCategory': taxCategory(categories.get(s.taxKey) as VatCategory, true),
          })),
        },
        ...(conversion ? [{ 'cbc:TaxAmount': conversion.total_tax, 'cbc:TaxAmount@currencyID': conversion.currency }] : []),
      ],
      'cac:LegalMonetaryTotal': {
        ...withCurrency('cbc:LineExtensionAmount', lineTotal),
        ...withCurrency('cbc:TaxExclusiveAmount', totals.totalExclTax),
        ...withCurrency('cbc:TaxInclusiveAmount', totals.totalInclTax),
        ...(allowances.length ? withCurrency('cbc:AllowanceTotalAmount', allowanceTotal) : {}),
        ...withCurrency('cbc:PayableAmount', totals.totalInclTax),
      },
      'cac:InvoiceLine': invoiceLines.map(({ line: l, amount }, i) => ({
        'cbc:ID': String(i + 1),
        'cbc:InvoicedQuantity': new Dec(l.quantity).toFixed(),
        'cbc:InvoicedQuantity@unitCode': 'C62',
        ...withCurrency('cbc:LineExtensionAmount', amount),
        ...(l.account_code ? { 'cbc:AccountingCost': l.account_code } : {}),
        // A discount on the line (BG-27): the price stays the gross price, the line amount is net.
        ...(hasAllowance(l) ? { 'cac:AllowanceCharge': [lineAllowance(l, amount, withCurrency)] } : {}),
        'cac:Item': {
          ...(l.description ? { 'cbc:Description': l.description } : {}),
          'cbc:Name': l.name,
          'cac:SellersItemIdentification': { 'cbc:ID': l.code },
          'cac:ClassifiedTaxCategory': taxCategory(vatCategoryOf(l), false),
        },
        // Quantity × price must give the line amount (BR-LIN-04 with rounding): a price of a
        // negative quantity line never comes here, and the price keeps its decimals.
        'cac:Price': { 'cbc:PriceAmount': new Dec(l.unit_price).abs().toFixed(), 'cbc:PriceAmount@currencyID': currency },
      })),
    },
  };
  const xml = await (await loadUblFormat()).generate(invoice as unknown as Invoice, { format: 'UBL', lang: 'en' });
  return typeof xml === 'string' ? xml : Buffer.from(xml).toString('utf8');
}
