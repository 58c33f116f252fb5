import type { Static, TSchema } from '@sinclair/typebox';
import { principalOf } from '../../../platform/http/auth.js';
import type { Principal } from '../../../platform/http/principal.js';
import { IdParams, readErrors as readErrorsOf, writeErrors as writeErrorsOf } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import {
  AccountInput,
  AccountOutput,
  BillingEntity,
  BillingEntityInput,
  ExchangeRateInput,
  ExchangeRateOutput,
  ExchangeRateQuery,
  ListAccountOutput,
  ListBillingEntityOutput,
  ListExchangeRateOutput,
  ListTaxRateOutput,
  ReferenceListQuery,
  TaxRateInput,
  TaxRateOutput,
} from './reference.schemas.js';
import type { ReferenceService } from './reference.service.js';

const TAGS = ['Accounting reference data'];
const TENANT = { roles: ['TENANT' as const] };
const readErrors = readErrorsOf(404);
const writeErrors = writeErrorsOf(404, 409);

/**
 * The admin create routes of the reference data share everything but their names and shapes:
 * tenant-only, the body validated against `body`, the record answered as `output`.
 */
function adminCreate<B extends TSchema, O extends TSchema>(
  app: App,
  r: {
    path: string;
    op: string;
    what: string;
    description: string;
    body: B;
    output: O;
    create: (principal: Principal, input: Static<B>) => Promise<Static<O>>;
  },
) {
  app.post(`/v1/admin/${r.path}`, {
    config: TENANT,
    schema: {
      operationId: `create${r.op}`,
      tags: TAGS,
      summary: `Create ${r.what} (Waybill)`,
      description: r.description,
      body: ref(r.body),
      response: { 200: ref(r.output), ...writeErrors },
    },
    handler: async (request) => r.create(principalOf(request), request.body as Static<B>),
  });
}

export function referenceRoutes(app: App, deps: { reference: ReferenceService }) {
  const { reference } = deps;

  adminCreate(app, {
    path: 'billing-entities',
    op: 'BillingEntity',
    what: 'a billing entity',
    description:
      'A legal entity of the tenant that issues invoices: its legal name, VAT and registration numbers, address and bank account appear on every document it issues.',
    body: BillingEntityInput,
    output: BillingEntity,
    create: reference.createBillingEntity,
  });
  adminCreate(app, {
    path: 'tax-rates',
    op: 'TaxRate',
    what: 'a tax rate',
    description: 'A tax rate of one billing entity for one kind of document; charges and invoice lines name it by code.',
    body: TaxRateInput,
    output: TaxRateOutput,
    create: reference.createTaxRate,
  });
  adminCreate(app, {
    path: 'accounts',
    op: 'Account',
    what: 'a general-ledger account',
    description: 'A revenue or cost account of one billing entity; charges may name one so their invoice lines carry its code.',
    body: AccountInput,
    output: AccountOutput,
    create: reference.createAccount,
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

  // Tax rates and GL accounts are read alike: a filtered, paged list and one by id.
  const readable = [
    {
      path: 'tax-rates',
      op: 'TaxRate',
      plural: 'Tax rates',
      title: 'tax rates',
      one: 'a tax rate',
      oneText: 'One tax rate',
      list: ListTaxRateOutput,
      output: TaxRateOutput,
      listAll: reference.listTaxRates,
      getOne: reference.getTaxRate,
    },
    {
      path: 'accounts',
      op: 'Account',
      plural: 'Accounts',
      title: 'general-ledger accounts',
      one: 'a general-ledger account',
      oneText: 'One account',
      list: ListAccountOutput,
      output: AccountOutput,
      listAll: reference.listAccounts,
      getOne: reference.getAccount,
    },
  ];
  for (const r of readable) {
    app.get(`/v1/accounting/${r.path}`, {
      config: TENANT,
      schema: {
        operationId: `list${r.op}s`,
        tags: TAGS,
        summary: `List ${r.title}`,
        description: `${r.plural} in creation order, optionally only archived or active ones, or one billing entity’s.`,
        querystring: ReferenceListQuery,
        response: { 200: ref(r.list), ...readErrors },
      },
      handler: async (request) => r.listAll(principalOf(request), request.query),
    });

    app.get(`/v1/accounting/${r.path}/:id`, {
      config: TENANT,
      schema: {
        operationId: `get${r.op}`,
        tags: TAGS,
        summary: `Get ${r.one}`,
        description: `${r.oneText} with its billing entity.`,
        params: IdParams,
        response: { 200: ref(r.output), ...readErrors },
      },
      handler: async (request) => r.getOne(principalOf(request), request.params.id),
    });
  }

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
