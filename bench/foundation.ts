/**
 * Foundation benchmark (issue 2): a hello-world route, the token endpoint and an authenticated
 * company read on PGlite and on PostgreSQL. The same company read is also served by a twin route
 * without authentication, registered only here, so the cost of authentication shows as a ratio.
 */
import { IdParams } from '../src/platform/http/schemas.js';
import { ref } from '../src/platform/http/types.js';
import { CompanyDetailOutput } from '../src/modules/companies/index.js';
import type { Principal } from '../src/platform/http/principal.js';
import { basicHeader, bearerHeader, load, machineLine, markdownTable, startBenchServer, type Engine, type LoadOptions, type LoadResult } from './support.js';

const UNAUTHENTICATED_TWIN = '/bench/unauthenticated/companies/company/:id';
const WARM_UP_SECONDS = 2;

async function measure(options: LoadOptions): Promise<LoadResult> {
  // A short unrecorded run first, so JIT compilation and connection set-up are not measured.
  await load({ ...options, duration: WARM_UP_SECONDS });
  return load(options);
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;

function combine(runs: LoadResult[]): LoadResult {
  return {
    title: runs[0]?.title ?? '',
    requestsPerSecond: Math.round(runs.reduce((sum, r) => sum + r.requestsPerSecond, 0) / runs.length),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    requests: runs.reduce((sum, r) => sum + r.requests, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
  };
}

/**
 * Two routes compared for a ratio, measured in alternating order (A B, B A, A B, ...) in short
 * rounds, so that a change in background load during the run weighs on both alike.
 */
async function measurePair(a: LoadOptions, b: LoadOptions, rounds = 6): Promise<[LoadResult, LoadResult]> {
  await load({ ...a, duration: WARM_UP_SECONDS });
  await load({ ...b, duration: WARM_UP_SECONDS });
  const duration = Math.max(2, Math.round((a.duration ?? Number(process.env.BENCH_DURATION ?? 10)) / 2));
  const runsA: LoadResult[] = [];
  const runsB: LoadResult[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ([a, b] as const) : ([b, a] as const);
    for (const options of order) (options === a ? runsA : runsB).push(await load({ ...options, duration }));
  }
  return [combine(runsA), combine(runsB)];
}

async function benchEngine(engine: Engine): Promise<{ results: LoadResult[]; ratio: number }> {
  const server = await startBenchServer({
    engine,
    extend: (app, services, admin) => {
      const principal: Principal = {
        tenantId: admin.tenantId,
        apiClientId: admin.apiClientId,
        clientId: admin.clientId,
        role: 'TENANT',
        kind: 'API',
        companyId: null,
      };
      app.get(UNAUTHENTICATED_TWIN, {
        config: { auth: 'none' },
        schema: { hide: true, params: IdParams, response: { 200: ref(CompanyDetailOutput) } },
        handler: async (request) => (await services.companies.get(principal, request.params.id)).record,
      });
    },
  });
  try {
    const created = await server.app.inject({
      method: 'POST',
      url: '/v1/companies/company',
      headers: bearerHeader(server.admin.token),
      payload: { name: 'Bench Logistics', code: 'BENCH', currency: 'EUR', is_customer: true },
    });
    if (created.statusCode !== 200) throw new Error(`creating the bench company failed: ${created.body}`);
    const companyId = (created.json() as { id: string }).id;
    const label = engine === 'pglite' ? 'PGlite' : 'PostgreSQL';

    const hello = await measure({ title: `${label}: GET /health (hello world)`, url: `${server.url}/health` });
    const token = await measure({
      title: `${label}: POST /v1/auth/token (Basic)`,
      url: `${server.url}/v1/auth/token`,
      method: 'POST',
      headers: basicHeader(server.admin.clientId, server.admin.clientSecret),
    });
    const [authenticated, unauthenticated] = await measurePair(
      {
        title: `${label}: GET /v1/companies/company/{id} (Bearer)`,
        url: `${server.url}/v1/companies/company/${companyId}`,
        headers: bearerHeader(server.admin.token),
      },
      { title: `${label}: same GET without authentication`, url: `${server.url}${UNAUTHENTICATED_TWIN.replace(':id', companyId)}` },
    );
    return {
      results: [hello, token, authenticated, unauthenticated],
      ratio: authenticated.requestsPerSecond / unauthenticated.requestsPerSecond,
    };
  } finally {
    await server.stop();
  }
}

const engines: Engine[] = process.env.BENCH_ENGINES ? (process.env.BENCH_ENGINES.split(',') as Engine[]) : ['pglite', 'postgres'];
const all: LoadResult[] = [];
const ratios: string[] = [];
for (const engine of engines) {
  const { results, ratio } = await benchEngine(engine);
  all.push(...results);
  ratios.push(`- ${engine === 'pglite' ? 'PGlite' : 'PostgreSQL'}: authenticated / unauthenticated GET = **${ratio.toFixed(2)}** (goal ≥ 0.80)`);
}
console.log(`\nMeasured ${machineLine()}\n`);
console.log(markdownTable(all));
console.log(`\n${ratios.join('\n')}`);
