import { principalOf } from '../../platform/http/auth.js';
import { IdParams, readErrors as readErrorsOf, writeErrors as writeErrorsOf } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import {
  AccountInput, AccountOutput, BillingEntity, BillingEntityInput, ExchangeRateInput, ExchangeRateOutput, ExchangeRateQuery, ListAccountOutput,
  ListBillingEntityOutput, ListExchangeRateOutput, ListTaxRateOutput, ReferenceListQuery, TaxRateInput, TaxRateOutput,
} from './reference.schemas.js';
import type { ReferenceService } from './reference.service.js';

const TAGS = ['Accounting'];
const TENANT = { roles: ['TENANT' as const] };
const readErrors = readErrorsOf(404);
const writeErrors = writeErrorsOf(404, 409);

export function referenceRoutes(app: App, deps: { reference: ReferenceService }) {
  const { reference } = deps;

  app.post('/v1/admin/billing-entities', {
    config: TENANT,
    schema: {
      operationId: 'createBillingEntity',
      tags: TAGS,
      summary: 'Create a billing entity (Waybill)',
      description: 'A legal entity of the tenant that issues invoices: its legal name, VAT and registration numbers, address and bank account appear on every document it issues.',
      body: ref(BillingEntityInput),
      response: { 200: ref(BillingEntity), ...writeErrors },
    },
    handler: async (request) => reference.createBillingEntity(principalOf(request), request.body),
  });

  app.get('/v1/admin/billing-entities', {
    config: TENANT,
    schema: {
      operationId: 'listBillingEntities',
      tags: TAGS,
      summary: 'List billing entities (Waybill)',
      description: 'Every billing entity of the tenant, by code.',
      response: { 200: ref(ListBillingEntityOutput), ...readErrors },
    },
    handler: async (request) => reference.listBillingEntities(principalOf(request)),
  });

  app.post('/v1/admin/tax-rates', {
    config: TENANT,
    schema: {
      operationId: 'createTaxRate',
      tags: TAGS,
      summary: 'Create a tax rate (Waybill)',
      description: 'A tax rate of one billing entity for one kind of document; charges and invoice lines name it by code.',
      body: ref(TaxRateInput),
      response: { 200: ref(TaxRateOutput), ...writeErrors },
    },
    handler: async (request) => reference.createTaxRate(principalOf(request), request.body),
  });

  app.post('/v1/admin/accounts', {
    config: TENANT,
    schema: {
      operationId: 'createAccount',
      tags: TAGS,
      summary: 'Create a general-ledger account (Waybill)',
      description: 'A revenue or cost account of one billing entity; charges may name one so their invoice lines carry its code.',
      body: ref(AccountInput),
      response: { 200: ref(AccountOutput), ...writeErrors },
    },
    handler: async (request) => reference.createAccount(principalOf(request), request.body),
  });

  app.get('/v1/accounting/tax-rates', {
    config: TENANT,
    schema: {
      operationId: 'listTaxRates',
      tags: TAGS,
      summary: 'List tax rates',
      description: 'Tax rates in creation order, optionally only archived or active ones, or one billing entity’s.',
      querystring: ReferenceListQuery,
      response: { 200: ref(ListTaxRateOutput), ...readErrors },
    },
    handler: async (request) => reference.listTaxRates(principalOf(request), request.query),
  });

  app.get('/v1/accounting/tax-rates/:id', {
    config: TENANT,
    schema: {
      operationId: 'getTaxRate',
      tags: TAGS,
      summary: 'Get a tax rate',
      description: 'One tax rate with its billing entity.',
      params: IdParams,
      response: { 200: ref(TaxRateOutput), ...readErrors },
    },
    handler: async (request) => reference.getTaxRate(principalOf(request), request.params.id),
  });

  app.get('/v1/accounting/accounts', {
    config: TENANT,
    schema: {
      operationId: 'listAccounts',
      tags: TAGS,
      summary: 'List general-ledger accounts',
      description: 'Accounts in creation order, optionally only archived or active ones, or one billing entity’s.',
      querystring: ReferenceListQuery,
      response: { 200: ref(ListAccountOutput), ...readErrors },
    },
    handler: async (request) => reference.listAccounts(principalOf(request), request.query),
  });

  app.get('/v1/accounting/accounts/:id', {
    config: TENANT,
    schema: {
      operationId: 'getAccount',
      tags: TAGS,
      summary: 'Get a general-ledger account',
      description: 'One account with its billing entity.',
      params: IdParams,
      response: { 200: ref(AccountOutput), ...readErrors },
    },
    handler: async (request) => reference.getAccount(principalOf(request), request.params.id),
  });

  app.get('/v1/accounting/exchange-rate', {
    config: TENANT,
    schema: {
      operationId: 'listExchangeRates',
      tags: TAGS,
      summary: 'List exchange rates',
      description: 'Rates by currency pair and date range. With both currencies given, a rate recorded the other way round is answered in the direction asked.',
      querystring: ExchangeRateQuery,
      response: { 200: ref(ListExchangeRateOutput), ...readErrors },
    },
    handler: async (request) => reference.listExchangeRates(principalOf(request), request.query),
  });

  app.post('/v1/accounting/exchange-rate', {
    config: TENANT,
    schema: {
      operationId: 'postExchangeRate',
      tags: TAGS,
      summary: 'Record an exchange rate',
      description: 'One rate per currency pair and day: posting the same pair and day again replaces it.',
      body: ref(ExchangeRateInput),
      response: { 200: ref(ExchangeRateOutput), ...writeErrors },
    },
    handler: async (request) => reference.postExchangeRate(principalOf(request), request.body),
  });
}
