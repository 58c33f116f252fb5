import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/platform/db/connect.js';
import { MIGRATIONS_DIR, migrate } from '../../src/platform/db/migrate.js';
import { buildTemplate, seedFromTemplate } from '../../src/platform/db/pglite-template.js';

/**
 * The prebuilt PGlite folder a first start copies instead of running initdb: built here the way
 * scripts/build.mjs builds it, into a folder of this test's own (the one under dist/ belongs to the
 * installation). PGlite only: PostgreSQL databases are created by their server.
 */

const scratch: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'waybill-template-'));
  scratch.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of scratch) await fs.rm(dir, { recursive: true, force: true });
});

/** Opens a data folder, runs `work` on it and closes it again. */
async function withFolder<T>(dataDir: string, work: (database: Awaited<ReturnType<typeof connectDatabase>>) => Promise<T>): Promise<T> {
  const database = await connectDatabase({ dataDir });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

const appliedIn = (dataDir: string) =>
  withFolder(dataDir, async (database) =>
    (await database.pglite!.query<{ name: string }>('select name from schema_migrations order by name')).rows.map((r) => r.name),
  );

describe.skipIf(Boolean(process.env.DATABASE_URL))('the prebuilt PGlite template', () => {
  let template: string;
  let migrations: string[];
  beforeAll(async () => {
    migrations = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    template = path.join(await tempDir(), 'template');
    await buildTemplate(async (dataDir) => {
      await withFolder(dataDir, (database) => migrate(database.db));
      return appliedIn(dataDir);
    }, template);
  }, 300_000);

  it('holds every migration and no data: each installation makes its own secrets, tenants and clients', async () => {
    const manifest = JSON.parse(await fs.readFile(path.join(template, 'manifest.json'), 'utf8')) as { migrations: Record<string, string> };
    expect(Object.keys(manifest.migrations)).toEqual(migrations);
    await expect(fs.access(path.join(template, 'waybill.lock'))).rejects.toThrow();

    const seeded = path.join(await tempDir(), 'data');
    expect(seedFromTemplate(path.join(seeded, 'pglite'), template)).toBe(true);
    const rows = await withFolder(seeded, async (database) => {
      const tables = await database.pglite!.query<{ name: string }>(
        "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'schema_migrations'",
      );
      expect(tables.rows.length).toBeGreaterThan(10);
      const counts: Record<string, number> = {};
      for (const { name } of tables.rows) {
        counts[name] = (await database.pglite!.query<{ n: number }>(`select count(*)::int as n from "${name}"`)).rows[0]!.n;
      }
      return counts;
    });
    expect(Object.entries(rows).filter(([, n]) => n > 0)).toEqual([]);
  });

  it('seeds an empty folder that then opens with nothing to migrate, and migrations added later apply on top', async () => {
    const dataDir = path.join(await tempDir(), 'data');
    await fs.mkdir(path.join(dataDir, 'pglite'), { recursive: true });
    // What a start that crashed while copying leaves behind.
    await fs.mkdir(path.join(dataDir, 'pglite.seeding-999999'));
    expect(seedFromTemplate(path.join(dataDir, 'pglite'), template)).toBe(true);
    expect(await appliedIn(dataDir)).toEqual(migrations);
    await expect(fs.readdir(dataDir)).resolves.toEqual(['pglite']);

    const later = await tempDir();
    for (const name of migrations) await fs.copyFile(path.join(MIGRATIONS_DIR, name), path.join(later, name));
    await fs.writeFile(path.join(later, '999_added_later.sql'), 'create table added_later (id int primary key);');
    const applied = await withFolder(dataDir, async (database) => {
      const ran = await migrate(database.db, later);
      await database.pglite!.query('insert into added_later values (1)');
      return ran;
    });
    expect(applied).toEqual(['999_added_later.sql']);
  });

  it('never touches a folder that holds a database', async () => {
    const dataDir = path.join(await tempDir(), 'data');
    expect(seedFromTemplate(path.join(dataDir, 'pglite'), template)).toBe(true);
    await withFolder(dataDir, (database) => database.pglite!.query('create table mine (id int)'));
    expect(seedFromTemplate(path.join(dataDir, 'pglite'), template)).toBe(false);
    expect(await withFolder(dataDir, async (database) => (await database.pglite!.query('select count(*)::int as n from mine')).rows)).toEqual([{ n: 0 }]);
  });

  it('is not used when a migration it holds was edited since, or for another PGlite version', async () => {
    const manifestFile = path.join(template, 'manifest.json');
    const original = await fs.readFile(manifestFile, 'utf8');
    const manifest = JSON.parse(original) as { pglite: string; migrations: Record<string, string> };
    try {
      await fs.writeFile(manifestFile, JSON.stringify({ ...manifest, migrations: { ...manifest.migrations, [migrations[0]!]: '0'.repeat(64) } }));
      expect(seedFromTemplate(path.join(await tempDir(), 'pglite'), template)).toBe(false);
      await fs.writeFile(manifestFile, JSON.stringify({ ...manifest, migrations: { ...manifest.migrations, '000_gone.sql': '0'.repeat(64) } }));
      expect(seedFromTemplate(path.join(await tempDir(), 'pglite'), template)).toBe(false);
      await fs.writeFile(manifestFile, JSON.stringify({ ...manifest, pglite: '0.0.1' }));
      expect(seedFromTemplate(path.join(await tempDir(), 'pglite'), template)).toBe(false);
      await fs.rm(manifestFile);
      expect(seedFromTemplate(path.join(await tempDir(), 'pglite'), template)).toBe(false);
    } finally {
      await fs.writeFile(manifestFile, original);
    }
    expect(seedFromTemplate(path.join(await tempDir(), 'pglite'), template)).toBe(true);
  });
});
