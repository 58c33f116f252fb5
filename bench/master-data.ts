/**
 * Master-data bulk sync (issue 11): 4 API clients create 10,000 resources in parallel over HTTP
 * (each client one request at a time, as a sync job would), then one client pages through all of
 * them with `updated_after` and cursors, first alone and then while another client keeps
 * updating resources (every resource must still be seen); last, the same number again through
 * the bulk endpoint, 500 per request. Records per second for each phase.
 * Each create phase runs beside the one-row insert ceiling (`registerCeilings`), driven the same
 * way (same clients, one request at a time each) right before it, and states its goal (issue 21):
 * single creates ≥ 0.25 × the ceiling (the issue's goal for order import, a heavier write);
 * bulk creates ≥ 1 × the ceiling in records/s, since 500 records per request should more than
 * repay the HTTP, JSON and authentication work the ceiling pays for every row.
 * `BENCH_RESOURCES` (default 10000), `BENCH_CLIENTS` (4), `BENCH_ENGINES` (postgres).
 */
import { INSERT_CEILING, machineLine, registerCeilings, startBenchServer, type Engine } from './support.js';

const TOTAL = Number(process.env.BENCH_RESOURCES ?? 10_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const PAGE = 500;
const BULK = 500;
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres').split(',') as Engine[];
const VARIANTS = ['driver', 'tractor', 'truck', 'van', 'trailer', 'full_trailer', 'chassis', 'container'];

interface Row {
  engine: Engine;
  phase: string;
  records: number;
  seconds: number;
  note: string;
}

const GOALS = { single: 0.25, bulk: 1 };

async function request(url: string, token: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The n-th benchmark resource, cycling through the variants. */
function record(n: number, prefix: string) {
  const variant = VARIANTS[n % VARIANTS.length] as string;
  return { name: `Resource ${n}`, external_id: `${prefix}-${n}`, [variant]: variant === 'driver' ? { first_name: `D${n}` } : {} };
}

/** Pages the whole list; returns how many items came and how many distinct resources. */
async function pageAll(base: string, token: string): Promise<{ items: number; distinct: Set<string> }> {
  const distinct = new Set<string>();
  let items = 0;
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `cursor=${cursor}` : `updated_after=1970-01-01T00:00:00Z&limit=${PAGE}`;
    const page = (await request(`${base}/v1/resources/resource?${query}${cursor ? `&limit=${PAGE}` : ''}`, token)) as {
      items: Array<{ row_id: string }>;
      next_cursor: string | null;
    };
    for (const item of page.items) distinct.add(item.row_id);
    items += page.items.length;
    cursor = page.next_cursor;
  } while (cursor);
  return { items, distinct };
}

/** The ceiling driven like the creates: each client inserts its share one request at a time. */
async function ceiling(base: string, tokens: string[], total: number): Promise<number> {
  const perClient = Math.ceil(total / tokens.length);
  const started = performance.now();
  await Promise.all(
    tokens.map(async (token, c) => {
      for (let i = 0; i < perClient && c * perClient + i < total; i++) {
        await request(`${base}${INSERT_CEILING}`, token, { method: 'POST', body: { note: 'ceiling' } });
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/** For example `0.31 × the ceiling (goal ≥ 0.25, met)`: both phases wrote the same number of rows. */
function against(seconds: number, ceilingSeconds: number, goal: number): string {
  const ratio = ceilingSeconds / seconds;
  return `${ratio.toFixed(2)} × the ceiling (goal ≥ ${goal}, ${ratio >= goal ? 'met' : '**not met**'})`;
}

async function benchEngine(engine: Engine): Promise<Row[]> {
  const server = await startBenchServer({ engine, extend: registerCeilings });
  try {
    const tokens: string[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const { client, clientSecret } = await server.services.auth.createClient(server.admin.tenantId, { name: `Sync ${i}`, role: 'TENANT' });
      tokens.push((await server.services.auth.issueToken(client.client_id, clientSecret)).access_token);
    }
    const base = server.url;
    const ids: string[] = [];
    const perClient = Math.ceil(TOTAL / CLIENTS);
    const singleCeiling = await ceiling(base, tokens, TOTAL);
    let started = performance.now();
    await Promise.all(
      tokens.map(async (token, c) => {
        for (let i = 0; i < perClient && c * perClient + i < TOTAL; i++) {
          const created = await request(`${base}/v1/resources/resource`, token, { method: 'POST', body: record(c * perClient + i, 'BENCH') });
          ids.push(created.row_id as string);
        }
      }),
    );
    const createSeconds = (performance.now() - started) / 1000;

    started = performance.now();
    const quiet = await pageAll(base, server.admin.token);
    const pageSeconds = (performance.now() - started) / 1000;
    if (quiet.distinct.size !== TOTAL) throw new Error(`paging saw ${quiet.distinct.size} of ${TOTAL}`);

    // The same walk while another client updates resources all along.
    let updating = true;
    let updates = 0;
    const writer = (async () => {
      while (updating) {
        await request(`${base}/v1/resources/resource/${ids[updates % ids.length]}`, tokens[0] as string, {
          method: 'PATCH',
          body: { note: `update ${updates}` },
        });
        updates++;
      }
    })();
    started = performance.now();
    const busy = await pageAll(base, server.admin.token);
    const busySeconds = (performance.now() - started) / 1000;
    updating = false;
    await writer;
    if (busy.distinct.size !== TOTAL) throw new Error(`paging under updates saw ${busy.distinct.size} of ${TOTAL}`);

    // The same load again through the bulk endpoint: each client sends batches of BULK records.
    const bulkCeiling = await ceiling(base, tokens, TOTAL);
    started = performance.now();
    await Promise.all(
      tokens.map(async (token, c) => {
        for (let from = c * perClient; from < Math.min((c + 1) * perClient, TOTAL); from += BULK) {
          const records = Array.from({ length: Math.min(BULK, (c + 1) * perClient - from, TOTAL - from) }, (_, i) => record(from + i, 'BULK'));
          const { results } = (await request(`${base}/v1/resources/bulk`, token, { method: 'POST', body: { records } })) as {
            results: Array<{ status: number }>;
          };
          if (results.some((r) => r.status !== 200)) throw new Error('a bulk record was refused');
        }
      }),
    );
    const bulkSeconds = (performance.now() - started) / 1000;

    return [
      { engine, phase: `one-row insert ceiling (${CLIENTS} clients, before the creates)`, records: TOTAL, seconds: singleCeiling, note: '' },
      {
        engine,
        phase: `create (${CLIENTS} clients in parallel)`,
        records: TOTAL,
        seconds: createSeconds,
        note: against(createSeconds, singleCeiling, GOALS.single),
      },
      { engine, phase: `page all, ${PAGE} per page`, records: quiet.items, seconds: pageSeconds, note: '' },
      {
        engine,
        phase: `page all while 1 client updates`,
        records: busy.items,
        seconds: busySeconds,
        note: `${updates} updates meanwhile; all ${TOTAL} seen, ${busy.items - TOTAL} seen again after their update`,
      },
      { engine, phase: `one-row insert ceiling (${CLIENTS} clients, before the bulk creates)`, records: TOTAL, seconds: bulkCeiling, note: '' },
      {
        engine,
        phase: `bulk create (${CLIENTS} clients, ${BULK} per request)`,
        records: TOTAL,
        seconds: bulkSeconds,
        note: `POST /v1/resources/bulk; ${against(bulkSeconds, bulkCeiling, GOALS.bulk)}`,
      },
    ];
  } finally {
    await server.stop();
  }
}

const rows: Row[] = [];
for (const engine of ENGINES) rows.push(...(await benchEngine(engine)));
console.log(`Master-data bulk sync, ${machineLine()}`);
console.log('| Engine | Phase | records | seconds | records/s | note |\n|---|---|---:|---:|---:|---|');
for (const r of rows) console.log(`| ${r.engine} | ${r.phase} | ${r.records} | ${r.seconds.toFixed(1)} | ${Math.round(r.records / r.seconds)} | ${r.note} |`);
