import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { connectDatabase } from '../../src/platform/db/connect.js';
import { MIGRATIONS_DIR, migrate } from '../../src/platform/db/migrate.js';
import { dropDatabases, scratchDatabase } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite runs: a migrated data folder (a `dumpDataDir()` tarball) each test file's database starts from. */
    pgliteTemplate?: string;
    /** PostgreSQL runs: a migrated database each test file's database is created from (`CREATE DATABASE … TEMPLATE`). */
    postgresTemplate?: string;
    /** PostgreSQL runs: the name prefix of the test files' databases, which the run's teardown drops. */
    postgresFilePrefix?: string;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE_DIR = path.join(ROOT, 'node_modules/.cache/waybill-tests');

/**
 * Once per `vitest` run: migrate one database for the engine in use, so that each test file copies
 * it instead of running every migration again (on PGlite, creating an empty database alone takes
 * seconds). Each file still calls `migrate`, which finds nothing to do.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    project.provide('pgliteTemplate', await pgliteTemplate());
    return undefined;
  }
  const template = await scratchDatabase(serverUrl, 'waybill_tpl_');
  const database = await connectDatabase({ databaseUrl: template.url, poolSize: 1 });
  try {
    await migrate(database.db);
  } finally {
    await database.close();
  }
  project.provide('postgresTemplate', template.name);
  // The run's own prefix, so that its teardown never drops another run's databases.
  const filePrefix = `waybill_t_${template.name.slice('waybill_tpl_'.length)}_`;
  project.provide('postgresFilePrefix', filePrefix);
  return async () => {
    await dropDatabases(serverUrl, filePrefix);
    await template.drop();
  };
}

/**
 * The migrated PGlite tarball, kept between runs under node_modules/.cache: its name is a hash of
 * everything that shapes it (the migrations, the migrator, the connection, the PGlite version), so
 * a change to any of them builds a new one.
 */
async function pgliteTemplate(): Promise<string> {
  const hash = createHash('sha256');
  const sources = [
    path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'),
    path.join(ROOT, 'src/platform/db/connect.ts'),
    path.join(ROOT, 'src/platform/db/migrate.ts'),
    ...(await fs.readdir(MIGRATIONS_DIR)).sort().map((name) => path.join(MIGRATIONS_DIR, name)),
  ];
  for (const source of sources) hash.update(source).update(await fs.readFile(source));
  const file = path.join(CACHE_DIR, `pglite-${hash.digest('hex').slice(0, 16)}.tar`);
  if (await fs.stat(file).catch(() => undefined)) return file;

  const database = await connectDatabase({});
  try {
    await migrate(database.db);
    const dump = await database.pglite!.dumpDataDir('none');
    await fs.mkdir(CACHE_DIR, { recursive: true });
    // Written aside and renamed, so that a run starting meanwhile never reads half a file.
    const partial = `${file}.${process.pid}`;
    await fs.writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await fs.rename(partial, file);
    for (const stale of await fs.readdir(CACHE_DIR)) {
      if (stale.endsWith('.tar') && path.join(CACHE_DIR, stale) !== file) await fs.rm(path.join(CACHE_DIR, stale), { force: true });
    }
  } finally {
    await database.close();
  }
  return file;
}
