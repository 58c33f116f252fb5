import { sql } from 'kysely';
import type { DatabaseHandle } from './connect.js';
import type { Db } from './database.js';

/** PostgreSQL advisory lock keys: constants shared by every Waybill process on one database. */
export const LOCK_KEYS = {
  /** Applying migrations: each file runs exactly once when several processes start together. */
  migrations: 7_291_004,
  /** The first start's tenant and admin client: one, however many processes start together. */
  bootstrap: 7_291_005,
} as const;

/** Runs `work` on one session that holds the advisory lock `key` (waiting for it), released afterwards. */
export async function withAdvisoryLock<T>(db: Db, key: number, work: (session: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (session) => {
    await sql`select pg_advisory_lock(${key})`.execute(session);
    try {
      return await work(session);
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(session);
    }
  });
}

/**
 * Runs `work`, which uses the database through its pool, while no other process runs work under
 * the same key. On PostgreSQL a reserved session holds the advisory lock meanwhile. PGlite needs
 * none: one process per data folder (data-lock.ts), and its one session is the one `work` needs.
 */
export async function oneProcessAtATime<T>(database: DatabaseHandle, key: number, work: () => Promise<T>): Promise<T> {
  if (database.engine === 'pglite') return work();
  return withAdvisoryLock(database.db, key, () => work());
}
