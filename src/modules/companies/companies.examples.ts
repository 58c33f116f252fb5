import type { CompanyDetailOutput, CompanyInput, ListCompanyOutput } from './companies.schemas.js';
import type { Static } from '@sinclair/typebox';

/** Examples for the OpenAPI document, recorded from a run of the API (test/app/openapi.examples.test.ts sends the request examples). */

export const companyInputExample = {
  code: 'ACME',
  name: 'Acme Retail NV',
  currency: 'EUR',
  is_customer: true,
  vat_number: 'BE0123456789',
  billing_location: { address: 'Meir 1', postal_code: '2000', city: 'Antwerpen', country: 'BE' },
} satisfies CompanyInput;

export const companyExample = {
  id: '2a7740b0-58c9-43ed-9938-ce296872667a',
  code: 'ACME',
  accounting_code: null,
  name: 'Acme Retail NV',
  legal_name: null,
  currency: 'EUR',
  locale: 'en-GB',
  is_customer: true,
  is_subcontractor: false,
  is_buyer_or_seller: false,
  archived_customer: false,
  archived_subcontractor: false,
  archived_buyer_or_seller: false,
  subcontractor_sees_order_details: false,
  vat_number: 'BE0123456789',
  note: null,
  tax_type: 'VAT',
  status: 'APPROVED',
  billing_location: { address: 'Meir 1', city: 'Antwerpen', country: 'BE', postal_code: '2000' },
  payment_term: null,
  sales: { status: 'APPROVED' },
  purchase: { status: 'APPROVED' },
  contacts: [],
  reference_numbers: {},
  bank_accounts: [],
  credit_policy: null,
  default_invoice_customer: null,
  custom_fields: {},
  is_blocked: false,
  timestamp_updated: '2026-11-30T20:22:03.645Z',
} satisfies CompanyDetailOutput;

export const companyListExample = { items: [companyExample], next_cursor: null } satisfies Static<typeof ListCompanyOutput>;
