import { mkdtempSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { connectDatabase, type DatabaseHandle } from '../../src/platform/db/connect.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { EventBus } from '../../src/platform/events/bus.js';
import type { App } from '../../src/platform/http/types.js';
import { createServices, type Services } from '../../src/services.js';
import { afterAll, beforeAll, inject } from 'vitest';
import { uploadContent } from './multipart.js';
import { pooledPglite } from './pglite-pool.js';
import { scratchDatabase } from './postgres.js';

/**
 * A fresh database for one test file: an in-memory PGlite by default (emptied and reused by the
 * worker's next file, test/support/pglite-pool.ts), or, when DATABASE_URL is set, a new database
 * on that PostgreSQL server (dropped again at the end). Both start as a copy of the database the
 * run's global set-up migrated (test/support/global-setup.ts); `migrate` then finds nothing to do,
 * unless the file runs without that set-up.
 */
export async function freshDatabase(): Promise<DatabaseHandle & { url?: string }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await pooledPglite();
    await migrate(database.db);
    return database;
  }
  const runPrefix = inject('postgresFilePrefix');
  const scratch = await scratchDatabase(serverUrl, runPrefix, inject('postgresTemplate'));
  const database = await connectDatabase({ databaseUrl: scratch.url, poolSize: 10 });
  await migrate(database.db);
  return {
    ...database,
    url: scratch.url,
    close: async () => {
      await database.close();
      // Dropping waits for the server to remove the files (0.2–2 s each on a loaded machine), which
      // the worker's next file need not wait for: the run's teardown drops whatever is still there.
      if (runPrefix) void scratch.drop().catch(() => {});
      else await scratch.drop();
    },
  };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ WAYBILL_OUTBOUND_ALLOWLIST: '127.0.0.0/8,::1/128', WAYBILL_BLOB_DIR: mkdtempSync(path.join(os.tmpdir(), 'waybill-blobs-')) }),
    rateLimitPerMinute: 100_000,
    tokenRateLimitPerMinute: 100_000,
    runWorkers: false,
    ...overrides,
  };
}

export interface TestContext {
  app: App;
  services: Services;
  database: DatabaseHandle;
  close(): Promise<void>;
}

/**
 * The app of one test file: built before the file's tests (before its own `beforeAll` hooks, which
 * may use it) and closed after them. The handle is filled in by then; read it inside hooks and tests.
 */
export function useApp(overrides: Partial<Config> = {}): TestContext {
  const handle = {} as TestContext;
  beforeAll(async () => {
    Object.assign(handle, await createTestApp(overrides));
  });
  afterAll(() => handle.close?.());
  return handle;
}

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestContext> {
  const database = await freshDatabase();
  const config = testConfig({ ...overrides, databaseUrl: database.databaseUrl });
  const services = await createServices({ config, database, bus: new EventBus() });
  const app = await buildApp(services);
  const undeclared = undeclaredStatuses(app);
  await app.ready();
  return {
    app,
    services,
    database,
    close: async () => {
      await app.close();
      // Every test file is a check that each status an operation answered is in its OpenAPI.
      if (undeclared.size) throw new Error(`Statuses answered but not declared in the OpenAPI document:\n${[...undeclared].join('\n')}`);
      await database.close();
      await fs.rm(config.blobDir, { recursive: true, force: true });
    },
  };
}

/**
 * Records each error status a route answers that its response schema does not declare (a 404 or
 * 409 its service throws, say), so that a client generated from /openapi.json is never surprised.
 * Unknown routes and 5xx are left to the tests and the fuzzer that look for them.
 */
function undeclaredStatuses(app: App): Set<string> {
  const found = new Set<string>();
  app.addHook('onSend', async (request, reply, payload) => {
    const declared = request.routeOptions.schema?.response as Record<string, unknown> | undefined;
    const status = reply.statusCode;
    if (
      declared &&
      request.routeOptions.url &&
      status >= 400 &&
      status < 500 &&
      !(String(status) in declared) &&
      !(`${Math.floor(status / 100)}XX` in declared)
    )
      found.add(`${request.method} ${request.routeOptions.url} answered ${status}`);
    return payload;
  });
  return found;
}

export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
export const bearer = (token: string) => `Bearer ${token}`;

export interface Client {
  clientId: string;
  clientSecret: string;
  apiClientId: string;
  tenantId: string;
  companyId: string | null;
  /** `Authorization` header value: a Bearer token for API clients, Basic for WEBHOOK clients. */
  auth: string;
  /** The app it was made in, which `as(client)` sends to. */
  app: App;
}

async function tokenFor(app: App, clientId: string, secret: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/auth/token', headers: { authorization: basic(clientId, secret) } });
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { access_token: string }).access_token;
}

/** A new tenant with an admin (TENANT, API) client. */
export async function newTenant(ctx: TestContext, name = 'Test carrier'): Promise<Client> {
  const tenant = await ctx.services.auth.createTenant(name);
  return newClient(ctx, tenant.id, 'TENANT');
}

export async function newClient(
  ctx: TestContext,
  tenantId: string,
  role: 'TENANT' | 'CUSTOMER' | 'SUBCONTRACTOR',
  options: { companyId?: string; kind?: 'API' | 'WEBHOOK' } = {},
): Promise<Client> {
  const kind = options.kind ?? 'API';
  const { client, clientSecret } = await ctx.services.auth.createClient(tenantId, {
    name: `${role} ${kind}`,
    role,
    kind,
    companyId: options.companyId,
  });
  const auth = kind === 'API' ? bearer(await tokenFor(ctx.app, client.client_id, clientSecret)) : basic(client.client_id, clientSecret);
  return { clientId: client.client_id, clientSecret, apiClientId: client.id, tenantId, companyId: client.company_id, auth, app: ctx.app };
}

/** Creates a company through the API as the tenant admin; returns its id. */
export async function newCompany(ctx: TestContext, admin: Client, body: Record<string, unknown>): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/companies/company',
    headers: { authorization: admin.auth },
    payload: { currency: 'EUR', is_customer: true, ...body },
  });
  if (res.statusCode !== 200) throw new Error(`company create failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

/** Stages a small PDF through POST /v1/documents/document/upload_content as `client`; returns its upload_id. */
export async function stageUpload(ctx: TestContext, client: Client, content: string | Buffer, filename = 'proof.pdf'): Promise<string> {
  const res = await uploadContent({ app: ctx.app, auth: client.auth }, { filename, contentType: 'application/pdf', content });
  if (res.statusCode !== 201) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { upload_id: string }).upload_id;
}
