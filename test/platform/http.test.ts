import { Writable } from 'node:stream';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { EventBus } from '../../src/platform/events/bus.js';
import { principalOf } from '../../src/platform/http/auth.js';
import { createServices } from '../../src/services.js';
import { basic, freshDatabase, newClient, newCompany, newTenant, testConfig, type Client, type TestContext, useApp } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { as } from '../support/requests.js';

/**
 * The HTTP conventions every endpoint inherits: the error envelope, request ids, body limits,
 * rate limits, webhook Basic authentication, and the public operational routes.
 */

const ctx = useApp();
let admin: Client;

beforeAll(async () => {
  admin = await newTenant(ctx, 'HTTP carrier');
});

type Res = { statusCode: number; json(): unknown; headers: Record<string, unknown>; body: string };

function expectEnvelope(res: Res, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expectContract('ValidationErrorResponse', res.json());
  expect(res.headers['x-request-id']).toBeTruthy();
}

const createCompany = (payload: string, headers: Record<string, string> = {}) =>
  as(admin).post('/v1/companies/company', payload, { 'content-type': 'application/json', ...headers });

describe('error envelope', () => {
  it('answers malformed JSON with 400', async () => {
    for (const payload of ['{"name": "x",', '{name: 1}', 'null x', '\u0000']) expectEnvelope(await createCompany(payload), 400);
  });

  it('answers wrong body types with 400 and a field path', async () => {
    for (const payload of ['[]', '"text"', '42', 'null', 'true']) expectEnvelope(await createCompany(payload), 400);
    const res = await createCompany(JSON.stringify({ name: 'X', currency: 'EUR', billing_location: { country: ['BE'] } }));
    expectEnvelope(res, 400);
    expect((res.json() as { errors: Array<{ path: string }> }).errors[0]?.path).toBe('body.billing_location.country');
  });

  it('answers an unsupported content type with 415', async () => {
    expectEnvelope(await createCompany('name=X', { 'content-type': 'text/plain' }), 415);
  });

  it('answers an oversize body with 413, before authentication matters', async () => {
    const huge = JSON.stringify({ name: 'X', currency: 'EUR', note: 'n'.repeat(1024 * 1024) });
    expectEnvelope(await createCompany(huge), 413);
    const form = `grant_type=client_credentials&scope=${'s'.repeat(1024 * 1024)}`;
    expectEnvelope(
      await ctx.app.inject({ method: 'POST', url: '/v1/auth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form }),
      413,
    );
  });

  it('answers unknown routes with 404, and a known path with another method with 405', async () => {
    expectEnvelope(await ctx.app.inject({ url: '/v1/nothing-here' }), 404);
    const wrongMethod = await ctx.app.inject({ method: 'PATCH', url: '/health' });
    expectEnvelope(wrongMethod, 405);
    expect(wrongMethod.headers.allow).toBe('GET, HEAD');
    expectEnvelope(await as(admin).get('/v1/companies/company/x/y'), 404);
  });
});

describe('x-request-id', () => {
  it('is on every response: success, client errors and 404', async () => {
    const responses = await Promise.all([
      ctx.app.inject({ url: '/health' }),
      ctx.app.inject({ url: '/ready' }),
      ctx.app.inject({ url: '/me' }),
      ctx.app.inject({ url: '/me', headers: { authorization: admin.auth } }),
      ctx.app.inject({ url: '/nowhere' }),
      createCompany('{'),
    ]);
    const ids = responses.map((r) => r.headers['x-request-id']);
    for (const id of ids) expect(id).toEqual(expect.any(String));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps a sane id sent by the caller and replaces an unsafe one', async () => {
    const kept = await ctx.app.inject({ url: '/health', headers: { 'x-request-id': 'erp-42:abc' } });
    expect(kept.headers['x-request-id']).toBe('erp-42:abc');
    const replaced = await ctx.app.inject({ url: '/health', headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(replaced.headers['x-request-id']).not.toContain(' ');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('operational routes', () => {
  it('GET /health and GET /ready answer without credentials', async () => {
    expect((await ctx.app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await ctx.app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: ctx.database.engine });
  });

  it('GET /openapi.json is OpenAPI 3.1 with the foundation routes and the error envelope', async () => {
    const res = await ctx.app.inject({ url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const spec = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/auth/token',
        '/me',
        '/v1/admin/api-clients',
        '/v1/admin/api-clients/{id}',
        '/v1/companies/company',
        '/v1/companies/company/{id}',
      ]),
    );
    expect(spec.paths['/v1/companies/company']).toHaveProperty('post');
    expect(spec.paths['/v1/companies/company']).toHaveProperty('get');
    expect(spec.components.schemas).toHaveProperty('ValidationErrorResponse');
    expect(spec.components.schemas).toHaveProperty('CompanyDetailOutput');
    // The probes are documented too (issue 8): load balancers and newcomers read the same reference.
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/health', '/ready']));
    // Every reference resolves inside the document, and every operation documents its answers.
    const refs = JSON.stringify(spec).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const found of new Set(refs)) {
      const target = found.slice('"$ref":"'.length, -1);
      expect(target).toMatch(/^#\/components\/schemas\//);
      expect(spec.components.schemas, target).toHaveProperty([target.split('/').pop() as string]);
    }
    for (const [route, operations] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(Object.keys((operation as { responses?: object }).responses ?? {}), `${method} ${route}`).not.toHaveLength(0);
      }
    }
  });

  it('GET /docs serves an HTML reference page', async () => {
    let res = await ctx.app.inject({ url: '/docs' });
    if (res.statusCode >= 300 && res.statusCode < 400) res = await ctx.app.inject({ url: new URL(String(res.headers.location), 'http://x/docs').pathname });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<html');
  });
});

describe('a dedicated app: low rate limits, a failing route, webhook Basic authentication', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  let logLines: string[];
  let close: () => Promise<void>;
  let tenantAdmin: Client;
  let webhook: Client;
  const local = {} as TestContext;

  beforeAll(async () => {
    const database = await freshDatabase();
    const config = testConfig({ databaseUrl: database.databaseUrl, rateLimitPerMinute: 5, tokenRateLimitPerMinute: 3 });
    const services = await createServices({ config, database, bus: new EventBus() });
    logLines = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    app = await buildApp(services, { logger: { level: 'error', stream } });
    app.get('/test/explode', { config: { auth: 'none', rateLimit: false } }, async () => {
      throw new Error('relation "secret_table" does not exist at /srv/app.ts:12');
    });
    app.get('/test/bad-number', { config: { auth: 'none', rateLimit: false } }, async () => {
      throw Object.assign(new Error('invalid input syntax for type numeric: "abc"'), { code: '22P02' });
    });
    app.post('/v1/webhook/test-echo', { config: { auth: 'basic' } }, async (request) => ({ client_id: principalOf(request).clientId }));
    let streamed = 0;
    await app.register(async (scoped) => {
      // Like a file upload: the handler would read the stream itself, so no body is parsed.
      scoped.addContentTypeParser('application/octet-stream', (_request, _payload, done) => done(null));
      scoped.post('/v1/webhook/test-stream', { config: { auth: 'basic' } }, async () => ({ stream: ++streamed }));
    });
    await app.ready();
    Object.assign(local, { app, services, database });
    close = async () => {
      await app.close();
      await database.close();
    };
    const tenant = await services.auth.createTenant('Limited carrier');
    const created = await services.auth.createClient(tenant.id, { name: 'admin', role: 'TENANT' });
    tenantAdmin = {
      clientId: created.client.client_id,
      clientSecret: created.clientSecret,
      apiClientId: created.client.id,
      tenantId: tenant.id,
      companyId: null,
      auth: '',
      app,
    };
    const hook = await services.auth.createClient(tenant.id, { name: 'hook', role: 'TENANT', kind: 'WEBHOOK' });
    webhook = {
      clientId: hook.client.client_id,
      clientSecret: hook.clientSecret,
      apiClientId: hook.client.id,
      tenantId: tenant.id,
      companyId: null,
      auth: basic(hook.client.client_id, hook.clientSecret),
      app,
    };
  });
  afterAll(() => close());

  it('limits the token endpoint per address and answers 429 with Retry-After', async () => {
    const ask = () => app.inject({ method: 'POST', url: '/v1/auth/token', headers: { authorization: basic(tenantAdmin.clientId, tenantAdmin.clientSecret) } });
    const statuses: number[] = [];
    let limited: Res | undefined;
    for (let i = 0; i < 4; i++) {
      const res = await ask();
      statuses.push(res.statusCode);
      if (res.statusCode === 429) limited = res;
      else tenantAdmin.auth = `Bearer ${(res.json() as { access_token: string }).access_token}`;
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expectEnvelope(limited as Res, 429);
    expect(Number((limited as Res).headers['retry-after'])).toBeGreaterThan(0);
    // Wrong secrets count too: guessing is what the stricter limit is for.
    expectEnvelope(await app.inject({ method: 'POST', url: '/v1/auth/token', headers: { authorization: basic(tenantAdmin.clientId, 'guess') } }), 429);
  });

  it('limits other routes per client and leaves /health alone', async () => {
    const statuses: number[] = [];
    let limited: Res | undefined;
    for (let i = 0; i < 6; i++) {
      const res = await app.inject({ url: '/me', headers: { authorization: tenantAdmin.auth } });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) limited = res;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expectEnvelope(limited as Res, 429);
    expect(Number((limited as Res).headers['retry-after'])).toBeGreaterThan(0);
    // Another client has its own budget.
    expect((await app.inject({ method: 'POST', url: '/v1/webhook/test-echo', headers: { authorization: webhook.auth } })).statusCode).toBe(200);
    for (let i = 0; i < 10; i++) expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
  });

  it('answers an unexpected failure with a 500 envelope that leaks nothing, and logs it with the request id', async () => {
    const res = await app.inject({ url: '/test/explode', headers: { 'x-request-id': 'trace-500' } });
    expectEnvelope(res, 500);
    expect(res.body).not.toContain('secret_table');
    expect(res.body).not.toContain('/srv/app.ts');
    expect(res.body).toContain('trace-500');
    const logged = logLines.map((l) => JSON.parse(l) as { reqId?: string; requestId?: string; level: number; err?: { message: string } });
    expect(logged.some((l) => l.level >= 50 && (l.reqId === 'trace-500' || l.requestId === 'trace-500') && l.err?.message.includes('secret_table'))).toBe(true);
  });

  it('answers a database rejection of malformed input with 400 and without the SQL message', async () => {
    const res = await app.inject({ url: '/test/bad-number' });
    expectEnvelope(res, 400);
    expect(res.body).not.toContain('numeric');
  });

  it('lets WEBHOOK clients in with Basic on /v1/webhook/*, and nobody else', async () => {
    const ok = await app.inject({ method: 'POST', url: '/v1/webhook/test-echo', headers: { authorization: webhook.auth } });
    expect(ok.json()).toEqual({ client_id: webhook.clientId });
    // Failed authentications count per address: these come from elsewhere, to leave 127.0.0.1's budget to the tests below.
    const elsewhere = '192.0.2.10';
    expectEnvelope(await app.inject({ method: 'POST', url: '/v1/webhook/test-echo', remoteAddress: elsewhere }), 401);
    expectEnvelope(
      await app.inject({
        method: 'POST',
        url: '/v1/webhook/test-echo',
        remoteAddress: elsewhere,
        headers: { authorization: basic(webhook.clientId, 'wrong') },
      }),
      401,
    );
    expectEnvelope(
      await app.inject({ method: 'POST', url: '/v1/webhook/test-echo', headers: { authorization: basic(tenantAdmin.clientId, tenantAdmin.clientSecret) } }),
      403,
    );
    expectEnvelope(
      await app.inject({ method: 'POST', url: '/v1/webhook/test-echo', remoteAddress: elsewhere, headers: { authorization: tenantAdmin.auth } }),
      401,
    );
  });

  it('treats a streamed body of another length under the same Idempotency-Key as a different request', async () => {
    const send = (bytes: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/webhook/test-stream',
        headers: { authorization: webhook.auth, 'content-type': 'application/octet-stream', 'idempotency-key': 'file-1' },
        payload: Buffer.from(bytes),
      });
    const first = await send('%PDF-1.7 first');
    const replay = await send('%PDF-1.7 first');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    expectEnvelope(await send('%PDF-1.7 a longer, different file'), 409);
  });

  it('stops a revoked WEBHOOK client at once', async () => {
    await local.services.auth.revokeClient(webhook.tenantId, webhook.apiClientId);
    expectEnvelope(await app.inject({ method: 'POST', url: '/v1/webhook/test-echo', headers: { authorization: webhook.auth } }), 401);
  });

  // Last in this app: it locks 127.0.0.1 out of Basic authentication for a minute.
  it('limits wrong Basic secrets per address, whatever credentials each guess uses', async () => {
    const hook = await local.services.auth.createClient(webhook.tenantId, { name: 'hook 2', role: 'TENANT', kind: 'WEBHOOK' });
    const call = (secret: string) =>
      app.inject({ method: 'POST', url: '/v1/webhook/test-echo', headers: { authorization: basic(hook.client.client_id, secret) } });
    const statuses: number[] = [];
    // The limit is 3 per minute in this app; earlier tests already spent some of it.
    for (let guess = 0; guess < 4; guess++) statuses.push((await call(`guess-${guess}`)).statusCode);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    const locked = await call(hook.clientSecret);
    expectEnvelope(locked, 429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('fuzzing the foundation routes', () => {
  const nasty: unknown[] = [
    null,
    true,
    0,
    -1,
    1e308,
    '',
    'x'.repeat(100_000),
    [],
    [{}],
    [null],
    {},
    { name: null, currency: null },
    { name: ['a'], currency: { code: 'EUR' } },
    { name: 'X', currency: 'Eur' },
    { name: 'X', currency: 'EUR', status: 'Approved' },
    { role: 'Tenant', name: 'x' },
    { name: 'X', currency: 'EUR', contacts: { 0: { name: 'a' } } },
    { name: 'X', currency: 'EUR', custom_fields: [1, 2] },
    { name: 'X', currency: 'EUR', billing_location: 'Brussels' },
    { name: '\u0000', currency: 'EUR' },
    { name: 'X', currency: 'EUR', credit_limit_total: '9'.repeat(40) },
    { name: 'X', currency: 'EUR', credit_limit_total: 1e308 },
    { name: 'X', currency: 'EUR', default_invoice_customer_id: 'not-a-uuid' },
    { name: 'X', currency: 'EUR', locale: 'xx-XX-XX' },
    { __proto__: { polluted: true }, name: 'X', currency: 'EUR' },
    { constructor: { prototype: { bad: 1 } } },
    JSON.parse('{"a":'.repeat(2000) + '1' + '}'.repeat(2000)),
    { name: 'X', currency: 'EUR', custom_fields: JSON.parse('{"a":'.repeat(500) + '1' + '}'.repeat(500)) },
    { grant_type: 'client_credentials', client_id: 'x'.repeat(5000), client_secret: null },
    { name: 'X', role: 'CUSTOMER', company_id: "' or 1=1 --" },
    { name: 'X', role: 'CUSTOMER', company_id: '00000000-0000-4000-8000-000000000000' },
  ];
  const routes = ['/v1/companies/company', '/v1/admin/api-clients', '/v1/auth/token'];

  it('never answers a malformed body with a 5xx', async () => {
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: await newCompany(ctx, admin, { name: 'Fuzz Shipper' }) });
    for (const url of routes) {
      for (const auth of [admin.auth, customer.auth, basic(admin.clientId, admin.clientSecret)]) {
        for (const body of nasty) {
          const res = await ctx.app.inject({
            method: 'POST',
            url,
            headers: { authorization: auth, 'content-type': 'application/json' },
            payload: JSON.stringify(body),
          });
          expect(res.statusCode, `${url} ${JSON.stringify(body)?.slice(0, 80)}`).toBeLessThan(500);
          if (res.statusCode >= 400) expectContract('ValidationErrorResponse', res.json());
        }
      }
    }
  });

  it('never answers malformed query strings, ids or headers with a 5xx', async () => {
    const urls = [
      '/v1/companies/company?limit=abc',
      '/v1/companies/company?limit=-1',
      '/v1/companies/company?limit=1e3',
      '/v1/companies/company?limit=1&limit=2',
      '/v1/companies/company?updated_after=2024-13-45T99:99:99Z',
      '/v1/companies/company?updated_after=0000-01-01T00:00:00Z',
      '/v1/companies/company?cursor=' + 'A'.repeat(3000),
      '/v1/companies/company?cursor=%00%01',
      '/v1/companies/company?cursor=e30',
      '/v1/companies/company?cursor=' +
        Buffer.from('{"filters":null,"after":{"ts":"2024-01-01T00:00:00Z","id":"00000000-0000-4000-8000-000000000000"}}').toString('base64url'),
      '/v1/companies/company/%00',
      '/v1/companies/company/' + 'f'.repeat(500),
      '/v1/companies/company/00000000-0000-0000-0000-00000000000g',
      '/v1/companies/company/%E0%A4%A',
      '/v1/admin/api-clients?cursor=garbage',
      '/v1/admin/api-clients?limit=100000',
      '/me?x=' + 'y'.repeat(5000),
    ];
    for (const url of urls) {
      const res = await as(admin).get(url);
      expect(res.statusCode, url).toBeLessThan(500);
      if (res.statusCode >= 400) expectContract('ValidationErrorResponse', res.json());
    }
    for (const authorization of ['Bearer ' + 'a'.repeat(10_000), 'Basic ' + 'a'.repeat(10_000), 'Bearer a.b.c', '\u00ff\u00fe', 'Basic Og==']) {
      for (const url of ['/me', '/v1/companies/company']) {
        const res = await ctx.app.inject({ url, headers: { authorization } });
        expect(res.statusCode, `${url} ${authorization.slice(0, 20)}`).toBe(401);
      }
      const token = await ctx.app.inject({ method: 'POST', url: '/v1/auth/token', headers: { authorization } });
      expect(token.statusCode).toBeLessThan(500);
    }
  });
});

describe('shared schemas', () => {
  it('are valid JSON Schema: the request validators no longer check them at every start (validation.ts)', () => {
    // Draft-07, Ajv's default and so the request validators' dialect.
    const ajv = new Ajv.default({ strict: false });
    const schemas = Object.entries(ctx.app.getSchemas());
    expect(schemas.length).toBeGreaterThan(100);
    expect(schemas.filter(([, schema]) => !ajv.validateSchema(schema as object)).map(([id]) => id)).toEqual([]);
    // The same check refuses a schema with a misspelt type.
    expect(ajv.validateSchema({ type: 'object', properties: { name: { type: 'strnig' } } })).toBe(false);
  });
});
