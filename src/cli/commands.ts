import v8 from 'node:v8';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { DataFolderLockedError } from '../platform/db/data-lock.js';
import { resealServerSecrets, ServerSecretUnreadableError } from '../platform/db/server-secrets.js';
import { EventBus } from '../platform/events/bus.js';
import { openDatabase, PortInUseError, startServer } from '../server.js';
import type { Services } from '../services.js';
import type { DatabaseHandle } from '../platform/db/connect.js';
import type { DataCommandServices } from './data-commands.js';
import { CliFailure, UsageError } from './errors.js';

/** The commands' implementations, imported by main.ts once the command line has been parsed. */

const print = (value: unknown): void => void process.stdout.write(JSON.stringify(value, null, 2) + '\n');
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Errors whose message is all an operator needs: printed without a stack trace. */
export function isOperatorError(err: unknown): boolean {
  if ([DataFolderLockedError, ConfigError, ServerSecretUnreadableError, PortInUseError].some((type) => err instanceof type)) return true;
  // A service's AppError (a tenant or company that does not exist, a conflict).
  return Boolean(err && typeof err === 'object' && 'statusCode' in err && 'message' in err);
}

/** Builds a command's services on the open, migrated database. */
type Builder<S> = (database: DatabaseHandle) => Promise<S>;

/**
 * Opens the database while `loading` imports the code that builds the services on it, runs `work`
 * on them, and closes the database. The caller starts the import, not the top of this file:
 * `serve` loads the application itself, beside opening the database.
 */
async function withDatabase<S, T>(config: Config, loading: Promise<Builder<S>>, work: (services: S) => Promise<T>): Promise<T> {
  loading.catch(() => {});
  const database = await openDatabase(config);
  try {
    const build = await loading;
    return await work(await build(database));
  } finally {
    await database.close();
  }
}

const withServices = <T>(config: Config, work: (services: Services) => Promise<T>): Promise<T> =>
  withDatabase(
    config,
    import('../services.js').then(
      ({ createServices }) =>
        (database: DatabaseHandle) =>
          createServices({ config, database, bus: new EventBus() }),
    ),
    work,
  );

/**
 * The data commands build the access services alone: the other modules stay unloaded (issue 19).
 * They run a few small queries and exit, so V8 compiles PGlite's WebAssembly with its baseline
 * compiler only: optimising PostgreSQL's hot functions in background threads (TurboFan) cost more
 * CPU than the rest of the command and pays off only in a long-running process.
 */
const withAccessServices = <T>(config: Config, work: (services: DataCommandServices) => Promise<T>): Promise<T> => {
  if (!config.databaseUrl) v8.setFlagsFromString('--liftoff-only');
  return withDatabase(
    config,
    import('../access-services.js').then(({ createAccessServices }) => async (database: DatabaseHandle) => ({
      db: database.db,
      ...(await createAccessServices({ config, db: database.db, bus: new EventBus() })),
    })),
    work,
  );
};

/**
 * Serves until SIGTERM or SIGINT (systemd, containers, Ctrl-C, or npm passing either on), then
 * stops accepting, lets requests and webhook deliveries in flight finish within the grace period,
 * closes the database (releasing the data folder) and exits 0. Past the grace period it exits 1
 * with the work unfinished; leases run out and another process takes the deliveries over.
 */
async function serve(config: Config): Promise<void> {
  // PGlite: the CLI's data commands come to this process, which holds the folder (remote.ts).
  // The socket closes with the workers: commands in flight finish before the database closes.
  const server = await startServer(config, undefined, async (services, app, progress) => {
    if (services.database.engine !== 'pglite') return undefined;
    const { openControlSocket } = await import('./control-socket.js');
    const control = await openControlSocket(config.dataDir, services, app.log);
    if (control) progress(`taking CLI commands on ${control.path}`);
    return control && { stop: () => control.close() };
  });
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // npm passes on the Ctrl-C the terminal already sent to the whole group: the second one is no news.
    if (stopping) return;
    stopping = true;
    say(`stopping (${signal}): no new requests; finishing those in flight and webhook deliveries, for at most ${config.shutdownGraceMs} ms …`);
    const started = Date.now();
    const deadline = setTimeout(() => {
      process.stderr.write(
        `waybill: still busy after the ${config.shutdownGraceMs} ms grace period (WAYBILL_SHUTDOWN_GRACE_MS): exiting with work unfinished\n`,
      );
      process.exit(1);
    }, config.shutdownGraceMs);
    server.stop().then(
      () => {
        clearTimeout(deadline);
        say(`stopped in ${Date.now() - started} ms`);
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`waybill: stopping failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

async function openapi(config: Config): Promise<void> {
  const spec = await withServices({ ...config, databaseUrl: undefined, dataDir: '' }, async (services) => {
    const { buildApp } = await import('../app.js');
    const app = await buildApp(services);
    await app.ready();
    return app.openapiDocument();
  });
  print(spec);
}

export async function runCommand(name: string, values: Record<string, string | undefined>, args: string[]): Promise<void> {
  const config = loadConfig();
  switch (name) {
    case 'serve':
      return serve(config);
    case 'migrate': {
      const database = await openDatabase(config);
      await database.close();
      say('Migrations are up to date');
      return;
    }
    case 'backup':
    case 'restore': {
      const { runBackupCommand, BackupError } = await import('./backup.js');
      print(
        await runBackupCommand(name, config, args[0] as string).catch((err: unknown) => {
          throw err instanceof BackupError ? new CliFailure(err.message) : err;
        }),
      );
      return;
    }
    case 'openapi':
      return openapi(config);
    case 'tenant create':
    case 'client create':
    case 'client list':
    case 'client revoke':
    case 'user invite': {
      const { checkDataCommand, runDataCommand } = await import('./data-commands.js');
      // Checked before the database opens (seconds) rather than after.
      checkDataCommand(name, values);
      return withAccessServices(config, async (services) => print(await runDataCommand(services, name, values, args)));
    }
    case 'credentials seal':
      if (!config.credentialsKey) throw new CliFailure('Set WAYBILL_CREDENTIALS_KEY first: it is the key to seal with');
      return withServices(config, async (services) => {
        const serverSecrets = await resealServerSecrets(services.db, services.box);
        print({ ...(await services.webhooks.resealCredentials()), server_secrets: serverSecrets });
      });
    default:
      throw new UsageError(`unknown command "${name}"`);
  }
}
