import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  name: string;
  /** Its connection URL. */
  url: string;
  /** Runs one statement on the server (as the administrative connection). */
  admin(statement: string): Promise<void>;
  /** Drops it, closing whatever is still connected. */
  drop(): Promise<void>;
}

/**
 * A new database on the PostgreSQL server at `serverUrl`, for a test or a benchmark to throw away:
 * empty, or a copy of the database named `template` (which nothing may be connected to).
 */
export async function scratchDatabase(serverUrl: string, prefix = 'waybill_t_', template?: string): Promise<ScratchDatabase> {
  const name = `${prefix}${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}${template ? ` template ${template}` : ''}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), admin, drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/** Drops every database on the server whose name starts with `prefix` (what a run left behind). */
export async function dropDatabases(serverUrl: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>('select datname as name from pg_database where starts_with(datname, $1)', [prefix]);
    for (const { name } of rows) await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
  } finally {
    await client.end();
  }
}
