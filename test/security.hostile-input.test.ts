import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressPolicy } from '../src/platform/net/address-policy.js';
import { GuardedHttpClient } from '../src/platform/net/guarded-http.js';
import { MAX_JSON_DEPTH } from '../src/platform/http/input-guards.js';
import { createTestApp, newCompany, newTenant, type Client, type TestContext } from './support/app.js';
import { expectContract } from './support/contract.js';
import { realisticOrder } from './orders.fixtures.js';

/** Threat class: input crafted to crash the server, slip past validation or reach the inside network. */
let ctx: TestContext;
let admin: Client;

beforeAll(async () => {
  // No outbound allowlist: the SSRF guard as a production server has it.
  ctx = await createTestApp({ outboundAllowlist: [] });
  admin = await newTenant(ctx);
  await newCompany(ctx, admin, { name: 'Acme', code: 'ACME' });
  await newCompany(ctx, admin, { name: 'Beta', code: 'BETA' });
});
afterAll(() => ctx.close());

type Answer = { statusCode: number; body: string; json(): unknown };

/** An error in the contract's envelope; returns its message and the first error's field and path. */
function expectRefused(res: Answer, status = 400) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json() as { message: string; errors: Array<{ message: string; field: string | null; path: string | null }> };
  expectContract('ValidationErrorResponse', body);
  const first = body.errors[0] as { field: string | null; path: string | null };
  return { message: body.message, field: first.field, path: first.path };
}

const post = (url: string, payload: string | object, contentType = 'application/json') =>
  ctx.app.inject({ method: 'POST', url, headers: { authorization: admin.auth, 'content-type': contentType }, payload });
const get = (url: string) => ctx.app.inject({ method: 'GET', url, headers: { authorization: admin.auth } });

describe('deeply nested JSON', () => {
  it('a body nested 5,000 levels deep is refused with 400, not a stack overflow', async () => {
    for (const depth of [3_000, 5_000]) {
      const refused = expectRefused(await post('/v1/companies/company', `{"name":${'['.repeat(depth)}${']'.repeat(depth)}}`));
      expect(refused.message).toMatch(`nested more than ${MAX_JSON_DEPTH} levels`);
    }
  });

  it('a body of 170,000 levels within the 1 MiB limit is refused the same way', async () => {
    const depth = 170_000;
    const body = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(body.length).toBeLessThan(1024 * 1024);
    expectRefused(await post('/v1/orders/order/upload', body));
  });

  it('brackets inside strings do not count as nesting', async () => {
    const res = await post('/v1/companies/company', { name: '[[[{{{'.repeat(20), code: 'BRACKETS', currency: 'EUR', is_customer: true });
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('forged cursors', () => {
  const cursor = (state: unknown) => Buffer.from(JSON.stringify(state)).toString('base64url');
  const after = { ts: '2026-01-01T00:00:00.000Z', id: '00000000-0000-4000-8000-000000000000' };

  it('a cursor carrying a bad filter value is a 400 on both engines, never a database error', async () => {
    const forged = [
      { filters: { status: 'NOT_A_STATUS' }, after },
      { filters: { updated_after: 'yesterday' }, after },
      { filters: { updated_after: '2026-01-01T00:00:00+99:99' }, after },
      { filters: { customer_code: { $ne: null } }, after },
      { filters: { injected: 'x' }, after },
      { filters: {}, after: { ts: 'not a time', id: after.id } },
      { filters: {}, after: { ts: after.ts, id: '00000000-0000-4000-8000-00000000000g' } },
      { filters: [], after },
    ];
    for (const state of forged) {
      const refused = expectRefused(await get(`/v1/orders/order?cursor=${cursor(state)}`));
      expect(refused.message).toMatch(/cursor is not valid/);
    }
    expectRefused(await get(`/v1/companies/company?cursor=${cursor({ filters: { updated_after: 'garbage' }, after })}`));
    expectRefused(await get(`/v1/admin/webhook-endpoints?cursor=${cursor({ filters: { status: 'x' }, after })}`));
  });

  it('a cursor the server issued still works', async () => {
    const first = await get('/v1/companies/company?limit=1');
    const next = (first.json() as { next_cursor: string }).next_cursor;
    expect(next).toBeTruthy();
    expect((await get(`/v1/companies/company?limit=1&cursor=${next}`)).statusCode).toBe(200);
  });
});

describe('errors raised before routing', () => {
  let base: URL;
  beforeAll(async () => {
    base = new URL(await ctx.app.listen({ host: '127.0.0.1', port: 0 }));
  });

  /** A raw request on a real socket, where Node's own parser applies its limits. */
  function raw(path: string, headers: Record<string, string>): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: base.hostname, port: base.port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ statusCode: res.statusCode ?? 0, body, json: () => JSON.parse(body) as unknown });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('headers over the size limit get 431 in the error envelope', async () => {
    expectRefused(await raw('/me', { authorization: admin.auth, 'x-padding': 'a'.repeat(20_000) }), 431);
  });

  it('a URL over the size limit gets 431 in the error envelope', async () => {
    expectRefused(await raw(`/v1/companies/company?code=${'a'.repeat(20_000)}`, { authorization: admin.auth }), 431);
  });

  it('a path segment over the length limit gets a 400 in the error envelope, like any other invalid id', async () => {
    expectRefused(await raw(`/v1/companies/company/${'a'.repeat(500)}`, { authorization: admin.auth }), 400);
  });
});

describe('SSRF through IPv6 forms that embed an IPv4 address', () => {
  const embedded = ['[::127.0.0.1]', '[::169.254.169.254]', '[::10.0.0.1]', '[::ffff:169.254.169.254]', '[64:ff9b::169.254.169.254]', '[2002:a9fe:a9fe::1]', '[2001:0:4136:e378:8000:63bf:56ff:fefe]'];

  it('receiver URLs on IPv4-compatible, mapped, NAT64, 6to4 and Teredo forms are refused at registration', async () => {
    for (const host of embedded) {
      const refused = expectRefused(await post('/v1/admin/webhook-endpoints', { url: `http://${host}/hook`, families: ['events'] }));
      expect(refused.message).toMatch(/disallowed address/);
    }
  });

  it('the same forms are refused at send time, before anything is sent', async () => {
    const client = new GuardedHttpClient({ policy: new AddressPolicy([]), timeoutMs: 2_000, connectionsPerOrigin: 1 });
    try {
      for (const host of ['[::127.0.0.1]', '[::169.254.169.254]']) {
        const result = await client.post(`http://${host}:8080/hook`, '{}', {});
        expect(result.statusCode).toBeUndefined();
        expect(result.error).toMatch(/disallowed address/);
      }
    } finally {
      await client.close();
    }
  });

  it('an allowlisted IPv4 range also covers its IPv4-compatible form, and a public one passes', () => {
    const policy = new AddressPolicy(['127.0.0.0/8']);
    expect(policy.allows('::7f00:1')).toBe(true);
    expect(new AddressPolicy([]).allows('::7f00:1')).toBe(false);
    expect(new AddressPolicy([]).allows('2606:4700::1111')).toBe(true);
  });
});

describe('smaller bounds', () => {
  const order = (id: string, overrides: Record<string, unknown>) => post('/v1/orders/order/upload', realisticOrder(id, overrides));

  it('a custom_fields key over 255 characters is refused', async () => {
    const refused = expectRefused(await order('HOSTILE-1', { custom_fields: { ['k'.repeat(256)]: 'v' } }));
    expect(refused.path).toContain('custom_fields');
  });

  it('a requested_price beyond 15 integer digits is refused as a number as well as a string', async () => {
    for (const price of [1e20, -1e15, '1000000000000000']) {
      const refused = expectRefused(await order('HOSTILE-2', { pricing: { requested_price: price } }));
      expect(refused.field).toBe('requested_price');
    }
    expect((await order('HOSTILE-2', { pricing: { requested_price: 999999999999999 } })).statusCode).toBe(200);
  });

  it('a time window offset of +99:99 is refused', async () => {
    const body = realisticOrder('HOSTILE-3') as { consignments: Array<{ pickup_stop: Record<string, unknown> }> };
    (body.consignments[0] as { pickup_stop: Record<string, unknown> }).pickup_stop.time_window = { start_time: '08:00+99:99', end_time: '12:00' };
    const refused = expectRefused(await post('/v1/orders/order/upload', body));
    expect(refused.field).toBe('start_time');
  });

  it('NUL bytes are refused in validation with the field named', async () => {
    const inBody = expectRefused(await post('/v1/companies/company', { name: 'Ac\u0000me', code: 'NUL', currency: 'EUR' }));
    expect(inBody).toMatchObject({ field: 'name', path: 'body.name' });
    const inKey = expectRefused(await post('/v1/companies/company', { name: 'Acme', code: 'NUL2', currency: 'EUR', custom_fields: { 'a\u0000b': 1 } }));
    expect(inKey.path).toMatch(/^body\.custom_fields\./);
    const inQuery = expectRefused(await get('/v1/orders/order?customer_code=AC%00ME'));
    expect(inQuery).toMatchObject({ field: 'customer_code', path: 'query.customer_code' });
  });
});
