import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { LOCK_KEYS, withAdvisoryLock } from './advisory-lock.js';
import type { Db } from './database.js';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/**
 * Applies `migrations/NNN_name.sql` files in name order, each in its own transaction, and records
 * them in `schema_migrations`. Several processes starting together wait on one advisory lock, so
 * each file runs exactly once. Returns the names applied by this call.
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await fs.readdir(dir)).filter((f) => /^\d+_[\w-]+\.sql$/.test(f)).sort();
  // Nearly every start finds nothing to do: one read says so without the lock's three statements
  // and the table's DDL. Anything pending is still applied (and checked again) under the lock.
  const recorded = await appliedMigrations(db);
  if (recorded && files.every((file) => recorded.has(file))) return [];
  return withAdvisoryLock(db, LOCK_KEYS.migrations, async (conn) => {
    await sql`create table if not exists schema_migrations (
        name text primary key,
        applied_at timestamptz not null default now()
      )`.execute(conn);
    const done = await sql<{ name: string }>`select name from schema_migrations`.execute(conn);
    const applied = new Set(done.rows.map((r) => r.name));
    const ran: string[] = [];
    for (const file of files) {
      if (applied.has(file)) continue;
      const body = await fs.readFile(path.join(dir, file), 'utf8');
      await conn.transaction().execute(async (trx) => {
        await sql.raw(body).execute(trx);
        await sql`insert into schema_migrations (name) values (${file})`.execute(trx);
      });
      ran.push(file);
    }
    return ran;
  });
}

/** The migrations `schema_migrations` lists, or undefined before the table exists. */
async function appliedMigrations(db: Db): Promise<Set<string> | undefined> {
  try {
    const { rows } = await sql<{ name: string }>`select name from schema_migrations`.execute(db);
    return new Set(rows.map((r) => r.name));
  } catch {
    // No table yet (a new database), or a failure the locked path then meets and reports.
    return undefined;
  }
}
