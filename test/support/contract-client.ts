import createClient from 'openapi-fetch';
import { afterAll, beforeAll, expect } from 'vitest';
import type { components, paths } from '../contract/reference-api.js';
import { basic, createTestApp, newClient, newTenant, type Client, type TestContext } from './app.js';
import { contractErrorsFor } from './contract.js';
import { contractResponses } from './contract-examples.js';

/**
 * An integration written for the reference contract, run unchanged against a listening Waybill:
 * a client typed from the contract (openapi-typescript types, openapi-fetch requests) calls the
 * operations Waybill serves, and each answer is checked against the contract's schema for that
 * operation. Each contract.client.*.test.ts file drives one area with a world from here.
 */

export type Schemas = components['schemas'];
export type ContractApi = ReturnType<typeof createClient<paths>>;

/**
 * Which file drives which contract operations: the area with the longest path prefix that an
 * operation's path starts with owns it (`/v1/orders/order/{order_id}/charges` is accounting's,
 * the rest of `/v1/orders/order` is the orders file's).
 */
const AREAS = {
  orders: ['/v1/auth/', '/me', '/v1/webhook', '/v1/orders/order', '/v1/documents/'],
  'master-data': ['/v1/companies/', '/v1/resources/', '/v1/accounting/company'],
  trips: [
    '/v1/trips/',
    '/v1/webhook/subco-',
    '/v1/webhook/fleet-',
    '/v1/webhook/trip-import',
    '/v1/webhook/tracking-update',
    '/v1/webhook/location-booking-update',
    '/v1/webhook/intermodal-status',
  ],
  accounting: ['/v1/accounting/', '/v1/tasks/', '/v1/webhook/billing-document-update', '/v1/webhook/e-invoicing', '/v1/orders/order/{order_id}/charges'],
} as const;
export type Area = keyof typeof AREAS;

/** The contract operations whose success is an empty 204, so the extract of response schemas lacks them. */
const NO_CONTENT = [
  'delete /v1/companies/company/{id}',
  'delete /v1/companies/company/{company_id}/validity/{id}',
  'delete /v1/resources/resource/{resource_id}',
  'delete /v1/resources/resource/{resource_id}/unavailability/{id}',
  'delete /v1/resources/resource/{resource_id}/validity/{id}',
];

/**
 * Every operation the reference contract lets a client call (`"post /v1/webhook"`): those with a
 * success schema and the empty deletes. The outbound `https://<receiver>` operations are what
 * Waybill sends, not what it serves.
 */
export const referenceOperations = [...Object.keys(contractResponses).filter((op) => op.includes(' /')), ...NO_CONTENT];

/** The one contract operation whose success is 201; the others answer 200 (deletes 204, see checkStatus). */
const UPLOAD_CONTENT = 'post /v1/documents/document/upload_content';

function ownerOf(path: string): Area | undefined {
  let owner: Area | undefined;
  let longest = 0;
  for (const [area, prefixes] of Object.entries(AREAS) as Array<[Area, readonly string[]]>) {
    for (const prefix of prefixes) if (path.startsWith(prefix) && prefix.length > longest) [owner, longest] = [area, prefix.length];
  }
  return owner;
}

/**
 * The fields of `sent` that `got` does not give back as sent (numbers may come back as decimal
 * strings): a contract field Waybill drops without a word shows up here, where the answer's schema,
 * whose fields are optional, would let it pass.
 */
export function droppedFields(sent: unknown, got: unknown, path = ''): string[] {
  if (sent === null || typeof sent !== 'object') {
    const same = typeof sent === 'number' ? Number(got) === sent : got === sent;
    return same ? [] : [`${path || '/'}: sent ${JSON.stringify(sent)}, got ${JSON.stringify(got)}`];
  }
  if (got === null || typeof got !== 'object') return [`${path || '/'}: sent an object, got ${JSON.stringify(got)}`];
  return Object.entries(sent).flatMap(([key, value]) => droppedFields(value, (got as Record<string, unknown>)[key], `${path}/${key}`));
}

export interface ContractWorld {
  ctx: TestContext;
  admin: Client;
  /** A TENANT webhook (Basic) client. */
  hook: Client;
  api: ContractApi;
  /** `Authorization` headers as the contract asks: Bearer for the API, Basic for webhooks. */
  auth(): { authorization: string };
  webhookAuth(client?: Client): { authorization: string };
  /** Obtains a Bearer token the contract's way (Basic credentials, JSON content type, empty body). */
  signIn(): Promise<void>;
  /** Checks one answer against the contract's success schema of `operation` (`"get /v1/…"`). */
  check(operation: string, result: { response: Response; data?: unknown; error?: unknown }): void;
  /** For operations whose contract success is an empty answer (DELETE → 204). */
  checkStatus(operation: string, response: Response, status: number): void;
  /** No mismatch, and every served contract operation `area` owns was called. */
  expectDriven(area: Area): Promise<void>;
}

/** For one contract-client test file: an app listening on 127.0.0.1, a tenant, its token. */
export function contractClientWorld(): ContractWorld {
  const mismatches: string[] = [];
  const called = new Set<string>();
  let bearer = '';
  const world = {
    auth: () => ({ authorization: bearer }),
    webhookAuth: (client?: Client) => ({ authorization: (client ?? world.hook).auth }),
    async signIn() {
      const result = await world.api.POST('/v1/auth/token', {
        headers: { authorization: basic(world.admin.clientId, world.admin.clientSecret), 'content-type': 'application/json' },
      });
      world.check('post /v1/auth/token', result);
      bearer = `Bearer ${result.data?.access_token ?? ''}`;
    },
    check(operation: string, { response, data, error }: { response: Response; data?: unknown; error?: unknown }) {
      called.add(operation);
      const schema = contractResponses[operation];
      if (!schema) throw new Error(`the contract has no response schema for ${operation}`);
      const expected = operation === UPLOAD_CONTENT ? 201 : 200;
      if (response.status !== expected) {
        mismatches.push(`${operation}: HTTP ${response.status}, the contract answers ${expected} ${JSON.stringify(error).slice(0, 300)}`);
        return;
      }
      for (const e of contractErrorsFor(schema, data)) mismatches.push(`${operation}: ${e}`);
    },
    checkStatus(operation: string, response: Response, status: number) {
      called.add(operation);
      if (response.status !== status) mismatches.push(`${operation}: HTTP ${response.status}, the contract answers ${status}`);
    },
    async expectDriven(area: Area) {
      expect(mismatches).toEqual([]);
      const spec = (await world.ctx.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
      const norm = (p: string) => p.replace(/\{[^}]+\}/g, '{}');
      const served = new Set(Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${norm(p)}`)));
      const shared = [...Object.keys(contractResponses), ...NO_CONTENT].filter((op) => served.has(norm(op)));
      const pathOf = (op: string) => op.slice(op.indexOf(' ') + 1);
      // Every contract operation Waybill serves belongs to some file's area.
      expect(shared.filter((op) => !ownerOf(pathOf(op)))).toEqual([]);
      const mine = shared.filter((op) => ownerOf(pathOf(op)) === area);
      expect(mine.length, `no served contract operation in ${area}`).toBeGreaterThan(0);
      expect(mine.filter((op) => !called.has(op))).toEqual([]);
    },
  } as ContractWorld;
  beforeAll(async () => {
    world.ctx = await createTestApp();
    world.admin = await newTenant(world.ctx);
    world.hook = await newClient(world.ctx, world.admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
    const address = await world.ctx.app.listen({ host: '127.0.0.1', port: 0 });
    world.api = createClient<paths>({ baseUrl: address });
    await world.signIn();
  });
  afterAll(() => world.ctx.close());
  return world;
}
