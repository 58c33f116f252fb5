import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { fuzzed, type Components, type Known } from '../support/fuzz-arbitraries.js';
import { ordersWorld, realisticOrder, upload } from '../orders/orders.fixtures.js';

/**
 * A schema-driven fuzzer over Waybill's own /openapi.json: for every operation, requests built
 * from its parameter and body schemas (mostly fitting, sometimes any JSON), sent with a mix of
 * credentials. No answer may be a 5xx, carry a status the operation does not document, or a
 * content type the documented status does not declare. Bounded by runs and time per operation,
 * so it stays well under a minute per engine.
 */

const RUNS_PER_OPERATION = 40;
/** At most this long per operation, and this long over all of them, so the run fits any machine load. */
const TIME_PER_OPERATION_MS = 1500;
const TIME_IN_ALL_MS = 240_000;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  parameters?: Array<{ name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema?: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}

let ctx: TestContext;
let credentials: Record<string, string | undefined>;
let known: Known;
const seed = Date.now() % 2 ** 31;

beforeAll(async () => {
  const world = await ordersWorld();
  ctx = world.ctx;
  const acmeId = (await ctx.services.companies.findCompanyId(world.admin.tenantId, 'ACME')) as string;
  const customer: Client = await newClient(ctx, world.admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  const order = (await upload(ctx, world.admin, realisticOrder('FUZZ-1'))).json() as { order_id: string; upload_id: string };
  // A second tenant whose ids must stay invisible to the first one's clients.
  const other = await newTenant(ctx, 'Other carrier');
  const otherCompany = await newCompany(ctx, other, { name: 'Other customer', code: 'OTHER' });
  known = { uuids: [acmeId, order.order_id, order.upload_id, otherCompany, customer.apiClientId] };
  credentials = { admin: world.admin.auth, webhook: world.hook.auth, customer: customer.auth, none: undefined, garbage: 'Bearer x.y.z' };
});
afterAll(() => ctx.close());

/** A fuzzed value as URL text; objects without a prototype have no String() form, so JSON it is. */
const asText = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

/**
 * The body of an answer taken as a stream. An event stream never ends by itself (an open stream
 * waits for events): its status and type are known once its headers are, so it is closed there,
 * which ends it on the server too, and stands for a body that is not empty (it always opens with a
 * frame). Without this, a fuzzed request that opened a stream waited until the test's timeout.
 */
async function bodyOf(res: Awaited<ReturnType<TestContext['app']['inject']>>, type: string | undefined): Promise<string> {
  if (type === 'text/event-stream') {
    res.raw.res.destroy();
    return 'event stream';
  }
  const chunks: Buffer[] = [];
  for await (const chunk of res.stream()) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString();
}

const baseType = (contentType: unknown) => (typeof contentType === 'string' ? contentType.split(';')[0]?.trim() : undefined);

describe('schema-driven fuzzing of /openapi.json', () => {
  it('finds no 5xx, no undocumented status and no undocumented content type', async () => {
    const spec = (await ctx.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>; components: { schemas: Components } };
    const components = spec.components.schemas;
    const operationCount = Object.values(spec.paths).reduce((n, ops) => n + METHODS.filter((m) => ops[m]).length, 0);
    const timePerOperation = Math.min(TIME_PER_OPERATION_MS, Math.floor(TIME_IN_ALL_MS / operationCount));
    const findings = new Set<string>();
    let requests = 0;

    for (const [route, operations] of Object.entries(spec.paths)) {
      for (const method of METHODS) {
        const operation = operations[method];
        if (!operation) continue;
        const parameters = operation.parameters ?? [];
        const pathParams = fc.record(Object.fromEntries(parameters.filter((p) => p.in === 'path').map((p) => [p.name, fuzzed(p.schema, components, known)])));
        const query = fc.record(
          Object.fromEntries(parameters.filter((p) => p.in === 'query').map((p) => [p.name, fuzzed(p.schema, components, known)])),
          { requiredKeys: parameters.filter((p) => p.in === 'query' && p.required).map((p) => p.name) },
        );
        const [contentType, media] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
        const body = !contentType
          ? fc.constant(undefined)
          : contentType === 'application/json'
            ? fuzzed(media?.schema ?? {}, components, known).map((value) => ({ type: 'application/json', payload: JSON.stringify(value) }))
            : fc.record({ type: fc.constantFrom(contentType, 'application/pdf', 'text/plain'), payload: fc.string({ maxLength: 200 }) });
        const request = fc.record({ path: pathParams, query, body, who: fc.constantFrom(...Object.keys(credentials)) });

        const property = fc.asyncProperty(request, async ({ path, query: q, body: b, who }) => {
            const url = route.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(asText(path[name])) || 'x');
            const headers: Record<string, string> = {};
            const authorization = credentials[who];
            if (authorization) headers.authorization = authorization;
            if (b) headers['content-type'] = b.type;
            const res = await ctx.app.inject({
              method: method.toUpperCase() as 'GET',
              url,
              query: Object.fromEntries(Object.entries(q).map(([k, v]) => [k, asText(v)])),
              headers,
              ...(b ? { payload: b.payload } : {}),
              payloadAsStream: true,
            });
            const sent = baseType(res.headers['content-type']);
            const body = await bodyOf(res, sent);
            requests += 1;
            const where = `${method.toUpperCase()} ${route} ${res.statusCode}`;
            if (res.statusCode >= 500) findings.add(`${where} (5xx) ${body.slice(0, 200)}`);
            const documented = operation.responses[String(res.statusCode)] ?? operation.responses[`${String(res.statusCode)[0]}XX`] ?? operation.responses.default;
            const report = (finding: string) => {
              findings.add(finding);
            };
            if (!documented) return report(`${where} (undocumented status)`);
            const declared = Object.keys(documented.content ?? {});
            if (declared.length && body.length && sent && !declared.includes(sent) && !declared.includes('*/*')) {
              report(`${where} (content type ${sent})`);
            }
          });
        try {
          await fc.assert(property, { numRuns: RUNS_PER_OPERATION, interruptAfterTimeLimit: timePerOperation, markInterruptAsFailure: false, seed });
        } catch (error) {
          // A first answer slower than the time share (a loaded machine) ends with no run at all: then one run, untimed.
          if (!String(error).includes('interrupted after 0 tests')) throw error;
          await fc.assert(property, { numRuns: 1, seed });
        }
      }
    }
    expect(requests).toBeGreaterThan(100);
    expect([...findings].sort(), `fast-check seed ${seed}`).toEqual([]);
    // TIME_IN_ALL_MS of fuzzing, plus the answers still in flight and the set-up, on a loaded machine.
  }, 400_000);
});
