import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

/**
 * PGlite is a single database session. Two interleaved transactions on it would share one
 * BEGIN/COMMIT scope, so a rollback in one could silently commit or discard the other's rows.
 * This driver hands out the session to one user at a time: a plain query holds it for one
 * statement, a transaction from BEGIN to COMMIT/ROLLBACK.
 */
/**
 * Each turn on the session starts from the event loop, not from a microtask. PGlite runs a
 * statement synchronously and resolves it at once, so without this, callers queued on the session
 * hand it to each other in one unbroken chain of microtasks: while two requests of a thousand
 * statements each (a 500-line e-invoice) took turns, no socket was read and no timer fired, and
 * `/health` went unanswered for 20 s. One `setImmediate` per turn lets waiting I/O in between.
 */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

class SessionMutex {
  private tail: Promise<void> = Promise.resolve();
  /** Holders plus waiters, for the pool gauges (the one session is busy while this is > 0). */
  users = 0;

  acquire(): Promise<() => void> {
    let release!: () => void;
    this.users++;
    const next = new Promise<void>((resolve) => (release = resolve));
    const done = () => {
      this.users--;
      release();
    };
    const ready = this.tail.then(turn).then(() => done);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

/**
 * PGlite's errors carry the statement's parameters (`params`), which pg's do not: whoever logs
 * such an error would write secrets (a Basic password, a new signing key) to the log. Dropped
 * here, so both engines' errors hold the same, safe, facts.
 */
function withoutParameters(err: unknown): unknown {
  if (err && typeof err === 'object') {
    for (const key of ['params', 'queryOptions']) if (key in err) delete (err as Record<string, unknown>)[key];
  }
  return err;
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters, use the simple protocol as pg does, so a migration file with several
    // statements runs as one script.
    let result;
    try {
      result =
        query.parameters.length === 0
          ? ((await this.pg.exec(query.sql)).at(-1) ?? { rows: [], affectedRows: 0 })
          : await this.pg.query<R>(query.sql, query.parameters as unknown[]);
    } catch (err) {
      throw withoutParameters(err);
    }
    const affected = result.affectedRows;
    return {
      rows: result.rows as R[],
      ...(affected !== undefined && /^\s*(insert|update|delete|merge)/i.test(query.sql) ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on PGlite');
  }
}

class PGliteDriver implements Driver {
  private readonly releases = new WeakMap<DatabaseConnection, () => void>();
  private readonly connection: PGliteConnection;

  constructor(
    private readonly pg: PGlite,
    private readonly mutex: SessionMutex,
    private readonly keepOpen: boolean,
  ) {
    this.connection = new PGliteConnection(pg);
  }

  async init(): Promise<void> {
    await this.pg.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.mutex.acquire();
    // One logical connection object per holder, so a stray release cannot free someone else's turn.
    const holder = Object.create(this.connection) as PGliteConnection;
    this.releases.set(holder, release);
    return holder;
  }

  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    this.releases.get(conn)?.();
    this.releases.delete(conn);
  }

  async destroy(): Promise<void> {
    // Waits for the session's holders either way, so nothing of this dialect's runs afterwards.
    const release = await this.mutex.acquire();
    try {
      if (!this.keepOpen && !this.pg.closed) await this.pg.close();
    } finally {
      release();
    }
  }
}

export class PGliteDialect implements Dialect {
  private readonly mutex = new SessionMutex();

  /**
   * `keepOpen`: destroying the Kysely instance leaves the PGlite database open for whoever opened
   * it (the test suite hands one database to file after file); otherwise it closes it.
   */
  constructor(
    private readonly pg: PGlite,
    private readonly options: { keepOpen?: boolean } = {},
  ) {}

  /** The one session seen as a pool of one: busy while someone holds it, the rest wait. */
  sessionUse(): { total: number; idle: number; waiting: number } {
    const users = this.mutex.users;
    return { total: 1, idle: users ? 0 : 1, waiting: Math.max(0, users - 1) };
  }

  createAdapter() {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PGliteDriver(this.pg, this.mutex, this.options.keepOpen ?? false);
  }

  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}
