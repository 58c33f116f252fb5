/**
 * Documents benchmark (issue 3): staging a 100 KiB upload (multipart), importing the same file
 * through the Basic-auth webhook onto an order, and downloading 100 KiB and 1 MiB documents, on
 * PGlite and PostgreSQL. Uploads end in fsyncs (temp file and directory) before the row is
 * written, so they measure the disk as much as the database. Every request of a scenario sends the
 * same bytes: the content-addressed store then renames over an identical blob, which costs the same
 * writes and fsyncs as a new one.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { realisticOrder } from '../test/orders/orders.fixtures.js';
import { basicHeader, bearerHeader, load, machineLine, markdownTable, startBenchServer, type Engine, type LoadOptions, type LoadResult } from './support.js';

const WARM_UP_SECONDS = 2;
const BOUNDARY = 'waybill-bench-boundary';

async function measure(options: LoadOptions): Promise<LoadResult> {
  await load({ ...options, duration: WARM_UP_SECONDS });
  return load(options);
}

/** autocannon sends string bodies, so the file is base64 text: same size on the wire as binary. */
const textFile = (bytes: number) =>
  randomBytes(Math.ceil((bytes * 3) / 4))
    .toString('base64')
    .slice(0, bytes);

function multipartBody(content: string): string {
  return (
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="cmr.txt"\r\nContent-Type: text/plain\r\n\r\n` + `${content}\r\n--${BOUNDARY}--\r\n`
  );
}

async function benchEngine(engine: Engine): Promise<LoadResult[]> {
  const blobDir = await fs.mkdtemp(path.join(os.tmpdir(), 'waybill-bench-blobs-'));
  const server = await startBenchServer({ engine, config: { blobDir } });
  try {
    const auth = bearerHeader(server.admin.token);
    const company = await server.app.inject({
      method: 'POST',
      url: '/v1/companies/company',
      headers: auth,
      payload: { name: 'Acme', code: 'ACME', currency: 'EUR', is_customer: true },
    });
    if (company.statusCode !== 200) throw new Error(`creating the bench company failed: ${company.body}`);
    const order = await server.app.inject({ method: 'POST', url: '/v1/orders/order/upload', headers: auth, payload: realisticOrder('BENCH-DOC-1') });
    const orderName = (order.json() as { order_name?: string }).order_name;
    if (!orderName) throw new Error(`creating the bench order failed: ${order.body}`);
    const { client, clientSecret } = await server.services.auth.createClient(server.admin.tenantId, { name: 'Bench hook', role: 'TENANT', kind: 'WEBHOOK' });

    const stage = async (bytes: number) => {
      const res = await server.app.inject({
        method: 'POST',
        url: '/v1/documents/document/upload_content',
        headers: { ...auth, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        payload: multipartBody(textFile(bytes)),
      });
      return (res.json() as { upload_id: string }).upload_id;
    };
    const [small, large] = [await stage(100 * 1024), await stage(1024 * 1024)];
    const label = engine === 'pglite' ? 'PGlite' : 'PostgreSQL';
    const file = textFile(100 * 1024);

    return [
      await measure({
        title: `${label}: POST upload_content, 100 KiB multipart`,
        url: `${server.url}/v1/documents/document/upload_content`,
        method: 'POST',
        headers: { ...auth, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        body: multipartBody(file),
      }),
      await measure({
        title: `${label}: POST /v1/webhook/document-import, 100 KiB (Basic, match by name)`,
        url: `${server.url}/v1/webhook/document-import?filename=cmr.txt&name=${orderName}`,
        method: 'POST',
        headers: { ...basicHeader(client.client_id, clientSecret), 'content-type': 'text/plain' },
        body: file,
      }),
      await measure({ title: `${label}: GET download, 100 KiB`, url: `${server.url}/v1/documents/document/${small}/download`, headers: auth }),
      await measure({ title: `${label}: GET download, 1 MiB`, url: `${server.url}/v1/documents/document/${large}/download`, headers: auth }),
    ];
  } finally {
    await server.stop();
    await fs.rm(blobDir, { recursive: true, force: true });
  }
}

const engines: Engine[] = process.env.BENCH_ENGINES ? (process.env.BENCH_ENGINES.split(',') as Engine[]) : ['pglite', 'postgres'];
const all: LoadResult[] = [];
for (const engine of engines) all.push(...(await benchEngine(engine)));
console.log(`\nMeasured ${machineLine()}\n`);
console.log(markdownTable(all));
