import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { connectDatabase } from '../../src/platform/db/connect.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { EventBus } from '../../src/platform/events/bus.js';
import { createServices } from '../../src/services.js';
import { basic, newCompany, newTenant, stageUpload, testConfig, type Client, type TestContext } from '../support/app.js';
import { runWaybill, stopAll } from '../support/processes.js';
import { scratchDatabase } from '../support/postgres.js';

const run = promisify(execFile);
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  await stopAll();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'waybill-backup-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

/** An app on a given data folder (PGlite) or PostgreSQL database, as the server would open it. */
async function openApp(where: { dataDir: string; blobDir: string; databaseUrl?: string }): Promise<TestContext> {
  const database = await connectDatabase(where.databaseUrl ? { databaseUrl: where.databaseUrl } : { dataDir: where.dataDir });
  await migrate(database.db);
  const services = await createServices({ config: testConfig({ ...where }), database, bus: new EventBus() });
  const app = await buildApp(services);
  await app.ready();
  return {
    app,
    services,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

interface Written {
  admin: Client;
  companyId: string;
  documentId: string;
  content: string;
}

/** A tenant, a company and a document with its file, written through the API. */
async function writeData(ctx: TestContext): Promise<Written> {
  const admin = await newTenant(ctx, 'Backed-up carrier');
  const companyId = await newCompany(ctx, admin, { name: 'Kept Haulage', code: 'KEPT', is_customer: false, is_subcontractor: true });
  const content = `bank letter ${crypto.randomUUID()}`;
  const uploadId = await stageUpload(ctx, admin, content);
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/companies/company/${companyId}/documents`,
    headers: { authorization: admin.auth },
    payload: { upload_id: uploadId, document_type: 'BANK_DETAILS', name: 'Bank letter' },
  });
  expect(res.statusCode, res.body).toBe(200);
  return { admin, companyId, documentId: (res.json() as { id: string }).id, content };
}

/** Signs in with the original client's credentials and reads the company and the document's bytes back. */
async function readBack(ctx: TestContext, written: Written): Promise<void> {
  const token = await ctx.app.inject({
    method: 'POST',
    url: '/v1/auth/token',
    headers: { authorization: basic(written.admin.clientId, written.admin.clientSecret) },
  });
  expect(token.statusCode, token.body).toBe(200);
  const auth = `Bearer ${(token.json() as { access_token: string }).access_token}`;
  const company = await ctx.app.inject({ url: `/v1/companies/company/${written.companyId}`, headers: { authorization: auth } });
  expect(company.statusCode, company.body).toBe(200);
  expect(company.json()).toMatchObject({ id: written.companyId, name: 'Kept Haulage', code: 'KEPT' });
  const file = await ctx.app.inject({ url: `/v1/documents/document/${written.documentId}/download`, headers: { authorization: auth } });
  expect(file.statusCode, file.body).toBe(200);
  expect(file.body).toBe(written.content);
}

describe.skipIf(Boolean(process.env.DATABASE_URL))('waybill backup / restore (PGlite)', () => {
  it('restores a stopped data folder, database and blobs, into a fresh server that reads the data back', async () => {
    const source = await tempDir();
    const sourceApp = await openApp({ dataDir: source, blobDir: path.join(source, 'blobs') });
    const written = await writeData(sourceApp);
    // While a server holds the folder, a backup is refused (PGlite allows one process per folder).
    const file = path.join(await tempDir(), 'waybill.backup');
    const refused = await runWaybill(['backup', file], { WAYBILL_DATA_DIR: source });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^waybill: The data folder .* is in use/);
    await sourceApp.close();

    const backedUp = await runWaybill(['backup', file], { WAYBILL_DATA_DIR: source });
    expect(backedUp.code, backedUp.stderr).toBe(0);
    expect(JSON.parse(backedUp.stdout)).toMatchObject({ file, blobs: 1 });

    const target = await tempDir();
    const restored = await runWaybill(['restore', file], { WAYBILL_DATA_DIR: target });
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ data_dir: target, blobs: 1 });
    // Never over an existing database.
    const again = await runWaybill(['restore', file], { WAYBILL_DATA_DIR: target });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^waybill: Restore into an empty data folder/);
    expect(again.stderr).not.toMatch(/\n\s+at /);

    const targetApp = await openApp({ dataDir: target, blobDir: path.join(target, 'blobs') });
    try {
      await readBack(targetApp, written);
    } finally {
      await targetApp.close();
    }
  }, 300_000);

  it('refuses a file that is not a backup, with a one-line message', async () => {
    const file = path.join(await tempDir(), 'not-a-backup');
    await fs.writeFile(file, 'hello');
    const result = await runWaybill(['restore', file], { WAYBILL_DATA_DIR: await tempDir() });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^waybill: .* is not a Waybill backup/)]);
  }, 120_000);
});

const pgTools = async () => {
  try {
    await run('pg_dump', ['--version']);
    await run('pg_restore', ['--version']);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(!process.env.DATABASE_URL)('pg_dump / pg_restore and a blob-folder copy (PostgreSQL)', () => {
  it('restores into a fresh database that a new server reads back', async (test) => {
    if (!(await pgTools())) test.skip();
    const serverUrl = process.env.DATABASE_URL as string;
    const sourceDb = await scratchDatabase(serverUrl);
    const targetDb = await scratchDatabase(serverUrl);
    cleanups.push(
      () => sourceDb.drop(),
      () => targetDb.drop(),
    );
    const source = await tempDir();
    const sourceApp = await openApp({ dataDir: source, blobDir: path.join(source, 'blobs'), databaseUrl: sourceDb.url });
    const written = await writeData(sourceApp);
    await sourceApp.close();

    // The procedure of docs/operations.md: a custom-format dump, restored into an empty database,
    // and the blob folder copied after the dump (blobs are never changed, only added).
    const dump = path.join(await tempDir(), 'waybill.dump');
    await run('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`, sourceDb.url]);
    const target = await tempDir();
    await fs.cp(path.join(source, 'blobs'), path.join(target, 'blobs'), { recursive: true });
    await run('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${targetDb.url}`, dump]);

    const targetApp = await openApp({ dataDir: target, blobDir: path.join(target, 'blobs'), databaseUrl: targetDb.url });
    try {
      await readBack(targetApp, written);
    } finally {
      await targetApp.close();
    }
  }, 300_000);
});
