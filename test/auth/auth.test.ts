import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, bearer, createTestApp, newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';

let ctx: TestContext;
let admin: Client;
let companyId: string;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Auth carrier');
  companyId = await newCompany(ctx, admin, { name: 'Shipper One', code: 'SHIP1' });
});
afterAll(() => ctx.close());

const token = (headers: Record<string, string>, payload?: string | object) =>
  ctx.app.inject({ method: 'POST', url: '/v1/auth/token', headers, ...(payload === undefined ? {} : { payload }) });
const me = (authorization?: string) => ctx.app.inject({ url: '/me', headers: authorization ? { authorization } : {} });

async function signingKey(): Promise<Buffer> {
  const row = await ctx.services.db.selectFrom('server_secrets').select('value').where('name', '=', 'jwt_signing_key').executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64');
}

describe('POST /v1/auth/token', () => {
  it('accepts HTTP Basic with an empty JSON body, as the contract sends it', async () => {
    const res = await token({ authorization: basic(admin.clientId, admin.clientSecret), 'content-type': 'application/json' }, '');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expectContract('Token', body);
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(body.access_token.split('.')).toHaveLength(3);
    expect((await me(bearer(body.access_token))).statusCode).toBe(200);
  });

  it('accepts HTTP Basic with no body at all', async () => {
    const res = await token({ authorization: basic(admin.clientId, admin.clientSecret) });
    expect(res.statusCode).toBe(200);
    expectContract('Token', res.json());
  });

  it('accepts the standard client_credentials form with the credentials in the form', async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: admin.clientId, client_secret: admin.clientSecret });
    const res = await token({ 'content-type': 'application/x-www-form-urlencoded' }, form.toString());
    expect(res.statusCode).toBe(200);
    expectContract('Token', res.json());
  });

  it('accepts the client_credentials form with the credentials in the Basic header', async () => {
    const res = await token(
      { authorization: basic(admin.clientId, admin.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      'grant_type=client_credentials',
    );
    expect(res.statusCode).toBe(200);
    expect((await me(bearer(res.json().access_token))).json().client.client_id).toBe(admin.clientId);
  });

  it('refuses another grant type with a field path', async () => {
    const res = await token(
      { authorization: basic(admin.clientId, admin.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      'grant_type=password',
    );
    expectError(res, 400);
    expect(res.json().errors[0]).toMatchObject({ field: 'grant_type', path: 'body.grant_type' });
  });

  it('refuses a form client_id that differs from the Basic credentials', async () => {
    const res = await token(
      { authorization: basic(admin.clientId, admin.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      'grant_type=client_credentials&client_id=someone_else',
    );
    expectError(res, 400);
  });

  it.each([
    ['no credentials', {}],
    ['a wrong secret', { authorization: basic('x', 'y') }],
    ['an unknown client', { authorization: basic('wb_unknown', 'wbs_whatever') }],
    ['Basic without a colon', { authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` }],
    ['Basic that is not base64', { authorization: 'Basic %%%' }],
    ['a Bearer header instead of Basic', { authorization: 'Bearer abc' }],
  ])('answers 401 for %s', async (_name, headers) => {
    expectError(await token(headers as Record<string, string>), 401);
  });

  it('answers 401 for the right client id with a wrong secret', async () => {
    expectError(await token({ authorization: basic(admin.clientId, `${admin.clientSecret}x`) }), 401);
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: admin.clientId, client_secret: 'wrong' });
    expectError(await token({ 'content-type': 'application/x-www-form-urlencoded' }, form.toString()), 401);
  });

  it('gives WEBHOOK clients a token scoped to the webhooks: every API route refuses it with 403', async () => {
    const company = await newCompany(ctx, admin, { name: 'Hook customer', code: 'HOOKCUST' });
    const hook = await newClient(ctx, admin.tenantId, 'CUSTOMER', { kind: 'WEBHOOK', companyId: company });
    const res = await token({ authorization: basic(hook.clientId, hook.clientSecret) });
    expect(res.statusCode, res.body).toBe(200);
    const issued = res.json().access_token as string;
    const claims = JSON.parse(Buffer.from(issued.split('.')[1] as string, 'base64url').toString());
    expect(claims).toMatchObject({ kind: 'WEBHOOK', role: 'CUSTOMER', scope: 'webhook' });
    const auth = `Bearer ${issued}`;
    expectError(await ctx.app.inject({ method: 'GET', url: '/v1/orders/order', headers: { authorization: auth } }), 403);
    expectError(await ctx.app.inject({ method: 'GET', url: '/me', headers: { authorization: auth } }), 403);
    expectError(await ctx.app.inject({ method: 'GET', url: '/v1/admin/api-clients', headers: { authorization: auth } }), 403);
    // The webhooks themselves take the Basic credentials, not the token.
    expectError(
      await ctx.app.inject({ method: 'POST', url: '/v1/webhook/partial-order-update', headers: { authorization: auth }, payload: { updates: [] } }),
      401,
    );
    const viaBasic = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook/partial-order-update',
      headers: { authorization: hook.auth },
      payload: { updates: [] },
    });
    expect(viaBasic.statusCode, viaBasic.body).toBe(200);
  });

  it('gives API clients a token that names their kind and role', async () => {
    const res = await token({ authorization: basic(admin.clientId, admin.clientSecret) });
    const claims = JSON.parse(Buffer.from((res.json().access_token as string).split('.')[1] as string, 'base64url').toString());
    expect(claims).toMatchObject({ kind: 'API', role: 'TENANT', scope: 'api', tid: admin.tenantId });
  });
});

describe('Bearer tokens', () => {
  it('answers 401 without a token, with Basic, or with garbage', async () => {
    for (const header of [undefined, basic(admin.clientId, admin.clientSecret), 'Bearer', 'Bearer not.a.jwt', 'Token abc']) {
      const res = await me(header);
      expectError(res, 401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('refuses a tampered token', async () => {
    const [header, payload, signature] = admin.auth.slice('Bearer '.length).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'TENANT', tid: '00000000-0000-4000-8000-000000000000' })).toString('base64url');
    expectError(await me(bearer(`${header}.${forged}.${signature}`)), 401);
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA');
    expectError(await me(bearer(`${header}.${payload}.${flipped}`)), 401);
  });

  it('refuses an unsigned token and one signed with another key', async () => {
    const claims = { tid: admin.tenantId, role: 'TENANT' };
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ ...claims, sub: admin.apiClientId, iss: 'waybill', exp: Math.floor(Date.now() / 1000) + 600 }),
    ).toString('base64url')}.`;
    expectError(await me(bearer(none)), 401);
    const other = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('waybill')
      .setSubject(admin.apiClientId)
      .setExpirationTime('10m')
      .sign(Buffer.alloc(32, 7));
    expectError(await me(bearer(other)), 401);
  });

  it('refuses an expired token signed with the real key', async () => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    const expired = await new SignJWT({ tid: admin.tenantId, role: 'TENANT' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('waybill')
      .setSubject(admin.apiClientId)
      .setIssuedAt(past)
      .setExpirationTime(past + 3600)
      .sign(await signingKey());
    expectError(await me(bearer(expired)), 401);
    // The same claims with a future expiry are accepted: the key and claims are right, only time differs.
    const fresh = await new SignJWT({ tid: admin.tenantId, role: 'TENANT' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('waybill')
      .setSubject(admin.apiClientId)
      .setExpirationTime('10m')
      .sign(await signingKey());
    expect((await me(bearer(fresh))).statusCode).toBe(200);
  });

  it('refuses a correctly signed token that lacks the tenant claim or names no client', async () => {
    const key = await signingKey();
    const noTenant = await new SignJWT({ role: 'TENANT' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('waybill')
      .setSubject(admin.apiClientId)
      .setExpirationTime('10m')
      .sign(key);
    expectError(await me(bearer(noTenant)), 401);
    const ghost = await new SignJWT({ tid: admin.tenantId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('waybill')
      .setSubject('00000000-0000-4000-8000-000000000000')
      .setExpirationTime('10m')
      .sign(key);
    expectError(await me(bearer(ghost)), 401);
  });
});

describe('GET /me', () => {
  it('describes a tenant admin', async () => {
    const res = await me(admin.auth);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      tenant: { id: admin.tenantId, name: 'Auth carrier' },
      client: { id: admin.apiClientId, client_id: admin.clientId, role: 'TENANT', kind: 'API' },
      company_id: null,
    });
  });

  it('describes a customer client with its company', async () => {
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId });
    expect((await me(customer.auth)).json()).toMatchObject({ client: { role: 'CUSTOMER' }, company_id: companyId });
  });
});

describe('/v1/admin/api-clients', () => {
  const create = (auth: string, payload: object) => ctx.app.inject({ method: 'POST', url: '/v1/admin/api-clients', headers: { authorization: auth }, payload });

  it('creates a client whose secret is shown once and works', async () => {
    const res = await create(admin.auth, { name: 'ERP', role: 'TENANT' });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ name: 'ERP', role: 'TENANT', kind: 'API', company_id: null, revoked_at: null });
    expect(created.client_secret.length).toBeGreaterThanOrEqual(32);
    expect((await token({ authorization: basic(created.client_id, created.client_secret) })).statusCode).toBe(200);

    const listed = (await ctx.app.inject({ url: '/v1/admin/api-clients?limit=500', headers: { authorization: admin.auth } })).json();
    const row = listed.items.find((c: { id: string }) => c.id === created.id);
    expect(row).toBeDefined();
    expect(row).not.toHaveProperty('client_secret');
    expect(JSON.stringify(listed)).not.toContain(created.client_secret);

    const stored = await ctx.services.db.selectFrom('api_clients').select('secret_hash').where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(stored.secret_hash).not.toContain(created.client_secret);
  });

  it('binds CUSTOMER and SUBCONTRACTOR clients to a company given by id or code', async () => {
    const byCode = await create(admin.auth, { name: 'Shipper portal', role: 'CUSTOMER', company_id: 'SHIP1' });
    expect(byCode.statusCode).toBe(201);
    expect(byCode.json().company_id).toBe(companyId);
    const byId = await create(admin.auth, { name: 'Haulier', role: 'SUBCONTRACTOR', company_id: companyId, kind: 'WEBHOOK' });
    expect(byId.statusCode).toBe(201);
    expect(byId.json()).toMatchObject({ company_id: companyId, kind: 'WEBHOOK' });
  });

  it.each([
    ['a CUSTOMER without a company', { name: 'x', role: 'CUSTOMER' }],
    ['a TENANT with a company', { name: 'x', role: 'TENANT', company_id: 'SHIP1' }],
    ['an unknown company', { name: 'x', role: 'CUSTOMER', company_id: 'NOPE' }],
    ['an unknown role', { name: 'x', role: 'ADMIN' }],
    ['a lower-case role', { name: 'x', role: 'tenant' }],
    ['an unknown kind', { name: 'x', role: 'TENANT', kind: 'SFTP' }],
    ['an empty name', { name: '', role: 'TENANT' }],
    ['an unknown field', { name: 'x', role: 'TENANT', secret: 'mine' }],
  ])('refuses %s with 400', async (_name, body) => {
    expectError(await create(admin.auth, body), 400);
  });

  it('names the field of an unknown enum value', async () => {
    const res = await create(admin.auth, { name: 'x', role: 'TENANT', kind: 'api' });
    expectError(res, 400);
    expect(res.json().errors[0]).toMatchObject({ field: 'kind', path: 'body.kind' });
  });

  it('does not bind a client to another tenant company', async () => {
    const other = await newTenant(ctx, 'Other carrier');
    const foreign = await newCompany(ctx, other, { name: 'Foreign', code: 'FOREIGN' });
    expectError(await create(admin.auth, { name: 'x', role: 'CUSTOMER', company_id: foreign }), 400);
  });

  it('is for TENANT clients only', async () => {
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId });
    const subcontractor = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId });
    for (const caller of [customer, subcontractor]) {
      expectError(await create(caller.auth, { name: 'x', role: 'TENANT' }), 403);
      expectError(await ctx.app.inject({ url: '/v1/admin/api-clients', headers: { authorization: caller.auth } }), 403);
      expectError(await ctx.app.inject({ method: 'DELETE', url: `/v1/admin/api-clients/${admin.apiClientId}`, headers: { authorization: caller.auth } }), 403);
    }
    expect((await me(admin.auth)).statusCode).toBe(200);
  });

  it('lists page by page without duplicates', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/admin/api-clients?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await ctx.app.inject({ url, headers: { authorization: admin.auth } });
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c: { id: string }) => c.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await ctx.services.db.selectFrom('api_clients').select('id').where('tenant_id', '=', admin.tenantId).execute();
    expect(seen.sort()).toEqual(all.map((r) => r.id).sort());
  });

  it('lists only its own tenant', async () => {
    const other = await newTenant(ctx, 'Third carrier');
    const res = await ctx.app.inject({ url: '/v1/admin/api-clients?limit=500', headers: { authorization: other.auth } });
    expect(res.json().items.map((c: { id: string }) => c.id)).toEqual([other.apiClientId]);
  });

  it('revokes: the token and the credentials stop working, twice is harmless, events are written', async () => {
    const created = (await create(admin.auth, { name: 'Leaving', role: 'TENANT' })).json();
    const issued = (await token({ authorization: basic(created.client_id, created.client_secret) })).json();
    expect((await me(bearer(issued.access_token))).statusCode).toBe(200);

    const revoke = () => ctx.app.inject({ method: 'DELETE', url: `/v1/admin/api-clients/${created.id}`, headers: { authorization: admin.auth } });
    const first = await revoke();
    expect(first.statusCode).toBe(200);
    expect(first.json().revoked_at).toEqual(expect.any(String));
    const second = await revoke();
    expect(second.statusCode).toBe(200);
    expect(second.json().revoked_at).toBe(first.json().revoked_at);

    expectError(await me(bearer(issued.access_token)), 401);
    expectError(await token({ authorization: basic(created.client_id, created.client_secret) }), 401);

    const events = await ctx.services.db
      .selectFrom('events')
      .select(['type', 'position'])
      .where('tenant_id', '=', admin.tenantId)
      .where('entity_id', '=', created.id)
      .orderBy('position')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['api_client.created', 'api_client.revoked']);
  });

  it('revokes by client_id (wb_…) as well as by row id', async () => {
    const created = (await create(admin.auth, { name: 'Named by client_id', role: 'CUSTOMER', company_id: companyId, kind: 'WEBHOOK' })).json();
    const res = await ctx.app.inject({ method: 'DELETE', url: `/v1/admin/api-clients/${created.client_id}`, headers: { authorization: admin.auth } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: created.id, client_id: created.client_id, revoked_at: expect.any(String) });
    expectError(await token({ authorization: basic(created.client_id, created.client_secret) }), 401);
  });

  it('answers 404 for an unknown id or another tenant client, and leaves that client working', async () => {
    const other = await newTenant(ctx, 'Fourth carrier');
    expectError(await ctx.app.inject({ method: 'DELETE', url: `/v1/admin/api-clients/${other.apiClientId}`, headers: { authorization: admin.auth } }), 404);
    expectError(
      await ctx.app.inject({ method: 'DELETE', url: '/v1/admin/api-clients/00000000-0000-4000-8000-000000000000', headers: { authorization: admin.auth } }),
      404,
    );
    expectError(await ctx.app.inject({ method: 'DELETE', url: `/v1/admin/api-clients/${other.clientId}`, headers: { authorization: admin.auth } }), 404);
    expectError(await ctx.app.inject({ method: 'DELETE', url: '/v1/admin/api-clients/wb_unknown', headers: { authorization: admin.auth } }), 404);
    expectError(await ctx.app.inject({ method: 'DELETE', url: '/v1/admin/api-clients/not%20an%20id', headers: { authorization: admin.auth } }), 400);
    expect((await me(other.auth)).statusCode).toBe(200);
  });
});
