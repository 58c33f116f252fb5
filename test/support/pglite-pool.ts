import fs from 'node:fs/promises';
import { inject } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/platform/db/connect.js';

/**
 * The in-memory PGlite databases of one test worker. Opening one from the migrated template costs
 * PGlite's own start (0.5–0.8 CPU-s, a quarter of the suite's CPU once paid by every file); emptying
 * one a file has finished with costs a single TRUNCATE. So a closed database is emptied and handed
 * to the next file of the same worker, as a copy of the template would have been: same tables,
 * same migrations recorded, no rows, identities restarted, no planner statistics.
 *
 * A database goes back only when that is provably the same as a fresh copy: its relations and
 * recorded migrations are still those it was opened with, and the template seeded no rows beyond
 * `schema_migrations` and owns every sequence through a table (else emptying it would not restore
 * it, and it is closed instead, as before).
 */
interface Pooled {
  /** The handle that opened it; closing it closes the database. */
  owner: DatabaseHandle;
  /** Its relations and recorded migrations when opened (see `shape`). */
  shape: string;
  /** The statement that empties it (undefined: it cannot be emptied back to the template). */
  empty: string | undefined;
}

const idle: Pooled[] = [];
/** Enough for a file that holds two at once; each is some 100 MB of memory. */
const MAX_IDLE = 2;

/**
 * A database that starts as a copy of the migrated template; `close()` hands it back to the pool.
 * Without a template (a file run without the global set-up) it is a new, empty database.
 */
export async function pooledPglite(): Promise<DatabaseHandle> {
  const loadDataDir = await template();
  if (!loadDataDir) return connectDatabase({});
  const pooled = idle.pop() ?? (await open(loadDataDir));
  const lent = await connectDatabase({ pglite: pooled.owner.pglite });
  return {
    ...lent,
    close: async () => {
      // Waits for whatever still holds the session; the file's `db` refuses queries from here on.
      await lent.close();
      if (idle.length < MAX_IDLE && (await emptied(pooled))) idle.push(pooled);
      else await pooled.owner.close();
    },
  };
}

async function open(loadDataDir: Blob): Promise<Pooled> {
  const owner = await connectDatabase({ loadDataDir });
  const pglite = owner.pglite!;
  const tables = (
    await pglite.query<{ name: string }>(`
      select format('%I', c.relname) as name
      from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and c.relname <> 'schema_migrations'`)
  ).rows;
  // One round trip: whether any table holds rows, and any sequence no table column owns.
  const seeded = tables.length
    ? (await pglite.query<{ n: number }>(`select (${tables.map((t) => `(select count(*) from (select from ${t.name} limit 1) x)`).join(' + ')})::int as n`))
        .rows[0]!.n
    : 0;
  const loose = (
    await pglite.query<{ n: number }>(`
      select count(*)::int as n from pg_class s
      where s.relkind = 'S' and s.relnamespace = 'public'::regnamespace
        and not exists (select from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = s.oid and d.deptype in ('a', 'i'))`)
  ).rows[0]!.n;
  const names = tables.map((t) => t.name).join(', ');
  const empty =
    seeded === 0 && loose === 0 && tables.length
      ? `truncate ${names} restart identity; delete from pg_statistic where starelid in (select c.oid from pg_class c where c.relnamespace = 'public'::regnamespace)`
      : undefined;
  return { owner, shape: await shape(owner), empty };
}

/** Empties a database a file closed, unless it is no longer shaped as the template. */
async function emptied(pooled: Pooled): Promise<boolean> {
  const pglite = pooled.owner.pglite!;
  if (!pooled.empty || pglite.closed || (await shape(pooled.owner)) !== pooled.shape) return false;
  await pglite.exec(pooled.empty);
  return true;
}

/** The public schema's relations (name, kind, columns) and the migrations recorded, as one string. */
async function shape(database: DatabaseHandle): Promise<string> {
  const { rows } = await database.pglite!.query<{ shape: string }>(`
    select concat_ws(' | ',
      (select string_agg(format('%s:%s:%s', c.relname, c.relkind, c.relnatts), ',' order by c.relname) from pg_class c where c.relnamespace = 'public'::regnamespace),
      (select string_agg(name, ',' order by name) from schema_migrations)) as shape`);
  return rows[0]!.shape;
}

let templateData: Promise<Blob | undefined> | undefined;
/** The migrated PGlite data folder the global set-up wrote, read once per worker process. */
function template(): Promise<Blob | undefined> {
  const file = inject('pgliteTemplate');
  templateData ??= file ? fs.readFile(file).then((bytes) => new Blob([bytes])) : Promise.resolve(undefined);
  return templateData;
}
