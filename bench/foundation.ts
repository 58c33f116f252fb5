/**
 * Foundation benchmark (issue 2): a hello-world route, the token endpoint and an authenticated
 * company read on PGlite and on PostgreSQL. The same company read is also served by a twin route
 * without authentication, registered only here, so the cost of authentication shows as a ratio.
 */
import { IdParams } from '../src/platform/http/schemas.js';
import { ref } from '../src/platform/http/types.js';
import { CompanyDetailOutput } from '../src/modules/companies/companies.schemas.js';
import type { Principal } from '../src/platform/http/principal.js';
import { basicHeader, bearerHeader, load, machineLine, markdownTable, startBenchServer, type Engine, type LoadOptions, type LoadResult } from './support.js';

const UNAUTHENTICATED_TWIN = '/bench/unauthenticated/companies/company/:id';
const WARM_UP_SECONDS = 2;

async function measure(options: LoadOptions): Promise<LoadResult> {
  // A short unrecorded run first, so JIT compilation and connection set-up are not measured.
  await load({ ...options, duration: WARM_UP_SECONDS });
  return load(options);
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
        handler: async (request) => services.companies.get(principal, request.params.id),
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
    const authenticated = await measure({
      title: `${label}: GET /v1/companies/company/{id} (Bearer)`,
      url: `${server.url}/v1/companies/company/${companyId}`,
      headers: bearerHeader(server.admin.token),
    });
    const unauthenticated = await measure({
      title: `${label}: same GET without authentication`,
      url: `${server.url}${UNAUTHENTICATED_TWIN.replace(':id', companyId)}`,
    });
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
