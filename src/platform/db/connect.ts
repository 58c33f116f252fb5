import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database, Db } from './database.js';
import { lockDataFolder } from './data-lock.js';
import { PGliteDialect } from './pglite-dialect.js';
import { seedFromTemplate } from './pglite-template.js';

export interface DatabaseHandle {
  db: Db;
  engine: 'pglite' | 'postgres';
  /** The connection string, for components that need a dedicated session (LISTEN). */
  databaseUrl?: string;
  pglite?: PGlite;
  /** Connections in the pool (PGlite: its one session), idle ones, and callers waiting for one. */
  poolUse(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export interface ConnectOptions {
  databaseUrl?: string;
  /** PGlite data folder; omit for an in-memory database (tests). */
  dataDir?: string;
  poolSize?: number;
  /** PGlite only: start from this `dumpDataDir()` tarball instead of an empty database (tests copy a migrated one). */
  loadDataDir?: Blob;
  /**
   * PGlite only: use this open database instead of opening one; `close()` then leaves it open for
   * its owner (the test suite empties it and hands it to the next test file).
   */
  pglite?: PGlite;
}

/**
 * PGlite starts PostgreSQL with its stock 128 MB `shared_buffers`, and initialising the buffer pool
 * touches all of it: the open alone peaked near 300 MB of resident memory, a restart of the whole
 * server near 390 MB. 16 MB (2,048 pages) brought PGlite's open to about 185 MB. Pages past the
 * pool come from the operating system's file cache through PGlite's file system, so a database
 * larger than the pool still reads from memory, one copy further away (docs/benchmarks.md, issue 19).
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/** int8 and count(*) arrive as strings from pg and numbers from PGlite: both become numbers here. */
const parseInt8 = (value: string) => Number(value);

export async function connectDatabase(options: ConnectOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    // Loaded here: a PGlite process never needs the PostgreSQL client.
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 20,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === 20 ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client that errors (server restart) must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const poolUse = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
    return { db, engine: 'postgres', databaseUrl: options.databaseUrl, poolUse, close: () => db.destroy() };
  }
  if (options.pglite) return pgliteHandle(options.pglite, new PGliteDialect(options.pglite, { keepOpen: true }), () => {});
  const release = options.dataDir ? lockDataFolder(options.dataDir) : () => {};
  try {
    const pgliteDir = options.dataDir ? path.join(options.dataDir, 'pglite') : undefined;
    // A first start copies the prebuilt, migrated folder instead of running initdb (seconds saved).
    if (pgliteDir && !options.loadDataDir) seedFromTemplate(pgliteDir);
    const pglite = await PGlite.create({
      ...(pgliteDir ? { dataDir: pgliteDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      parsers: { [pgliteTypes.INT8]: parseInt8 },
      startParams: PGLITE_START_PARAMS,
    });
    return pgliteHandle(pglite, new PGliteDialect(pglite), release);
  } catch (err) {
    release();
    throw err;
  }
}

function pgliteHandle(pglite: PGlite, dialect: PGliteDialect, release: () => void): DatabaseHandle {
  const db = new Kysely<Database>({ dialect });
  return {
    db,
    engine: 'pglite',
    pglite,
    poolUse: () => dialect.sessionUse(),
    close: async () => {
      await db.destroy();
      release();
    },
  };
}
