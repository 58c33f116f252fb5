import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import { LOCK_KEYS, oneProcessAtATime } from './platform/db/advisory-lock.js';
import { connectDatabase, type DatabaseHandle } from './platform/db/connect.js';
import { migrate } from './platform/db/migrate.js';
import { EventBus } from './platform/events/bus.js';
import { purgeExpiredIdempotencyKeys } from './platform/http/idempotency.js';
import { hasErrorCode } from './platform/narrow.js';
import type { App } from './platform/http/types.js';
import type { Services } from './services.js';

/**
 * The application's code (modules, routes, schemas): most of what a start imports. It is loaded
 * while PGlite opens the data folder, which spends part of that time waiting for WebAssembly to
 * compile off the main thread: on a machine with a free core the two overlap instead of adding up
 * (it saves no CPU; docs/benchmarks.md, issue 19).
 */
const loadApplication = async () => {
  const [{ createServices }, { buildApp }, { deliveryObserver }] = await Promise.all([
    import('./services.js'),
    import('./app.js'),
    import('./modules/webhooks/index.js'),
  ]);
  return { createServices, buildApp, deliveryObserver };
};
type Application = Awaited<ReturnType<typeof loadApplication>>;

/**
 * JSON lines for machines; pino-pretty's one line per entry when a person reads the terminal
 * (written synchronously in this thread, and loaded only then).
 */
async function loggerOptions(config: Config) {
  if (config.logFormat !== 'pretty') return { level: config.logLevel };
  const { default: pretty } = await import('pino-pretty');
  return { level: config.logLevel, stream: pretty({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true }) };
}

export interface RunningServer {
  app: App;
  services: Services;
  url: string;
  stop(): Promise<void>;
}

/** Where start-up progress goes: one human-readable line per phase (stdout unless told otherwise). */
export type Progress = (line: string) => void;
const toStdout: Progress = (line) => process.stdout.write(`${line}\n`);
const silent: Progress = () => {};

export async function openDatabase(config: Config, progress: Progress = silent): Promise<DatabaseHandle> {
  progress(config.databaseUrl ? `opening database ${redactedUrl(config.databaseUrl)} …` : `opening database ${config.dataDir} (PGlite) …`);
  const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir });
  try {
    progress('migrating …');
    const applied = await migrate(database.db);
    if (applied.length) progress(`applied ${applied.length} migration${applied.length === 1 ? '' : 's'} (${applied.at(-1)})`);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

/** The connection string without its password, fit for a log line. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'from DATABASE_URL';
  }
}

/** A blob unreferenced for a day is past any transaction that could still commit a row for it. */
const BLOB_SWEEP_GRACE_MS = 24 * 3_600_000;

/** Background work every process runs (one list, so shutdown stops exactly what start started). */
export type Worker = { stop(): Promise<void> | void };

/**
 * Work the caller adds to the server, started once the services exist and before the server
 * listens (so it is there by the time /ready answers), stopped with the workers (the CLI's control socket).
 */
export type ServerExtra = (services: Services, app: App, progress: Progress) => Promise<Worker | undefined>;

/** The hourly clean-up every process runs; each step logs its own failure and the others go on. */
export async function runHousekeeping(services: Services, log: FastifyBaseLogger): Promise<void> {
  await Promise.all([
    purgeExpiredIdempotencyKeys(services.db).catch((err) => log.warn({ err }, 'idempotency purge failed')),
    services.documents.sweepOrphanBlobs(new Date(Date.now() - BLOB_SWEEP_GRACE_MS)).catch((err) => log.warn({ err }, 'blob sweep failed')),
    services.webhooks.pruneDeliveryLog(services.config.webhookRetentionDays).catch((err) => log.warn({ err }, 'delivery log prune failed')),
  ]);
}

function startHousekeeping(services: Services, log: FastifyBaseLogger): Worker {
  const timer = setInterval(() => void runHousekeeping(services, log), 3_600_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** The port is taken: a message for the operator instead of a stack trace. */
export class PortInUseError extends Error {}

export async function startServer(config: Config, progress: Progress = toStdout, extra?: ServerExtra): Promise<RunningServer> {
  const loading = loadApplication();
  // Should the database fail to open, that error is the one to report.
  loading.catch(() => {});
  const database = await openDatabase(config, progress);
  let app: App | undefined;
  try {
    const application = await loading;
    const services = await application.createServices({ config, database, bus: new EventBus() });
    app = await application.buildApp(services, { logger: await loggerOptions(config) });
    return await listenAndRun(config, database, services, app, application, progress, extra);
  } catch (err) {
    await app?.close();
    await database.close();
    if (hasErrorCode(err, 'EADDRINUSE')) {
      throw new PortInUseError(`${config.host}:${config.port} is already in use by another process: stop it, or set PORT (and HOST) to a free address`);
    }
    throw err;
  }
}

async function listenAndRun(
  config: Config,
  database: DatabaseHandle,
  services: Services,
  app: App,
  { deliveryObserver }: Application,
  progress: Progress,
  extra: ServerExtra | undefined,
): Promise<RunningServer> {
  const bootstrap =
    config.bootstrapClientId && config.bootstrapClientSecret ? { clientId: config.bootstrapClientId, clientSecret: config.bootstrapClientSecret } : undefined;
  // Processes starting together on an empty PostgreSQL database create one tenant and admin between them.
  const created = await oneProcessAtATime(database, LOCK_KEYS.bootstrap, () => services.auth.bootstrap(bootstrap));
  if (created && !bootstrap) {
    // Printed once, on the first start of an empty database: the only way to get in without the CLI.
    process.stdout.write(
      `\nCreated tenant ${created.client.tenant_id} with an admin API client:\n` +
        `  client_id:     ${created.client.client_id}\n  client_secret: ${created.clientSecret}\n` +
        'Store the secret now; it is not shown again.\n\n',
    );
  }

  const added = await extra?.(services, app, progress);
  let url: string;
  try {
    url = await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await added?.stop();
    throw err;
  }
  const workers: Worker[] = [startHousekeeping(services, app.log), ...(added ? [added] : [])];
  // Several processes may serve one PostgreSQL; each must drop cached companies the others change.
  if (database.databaseUrl) {
    const listener = services.companies.watchChanges(database.databaseUrl, (err) => app.log.warn({ err }, 'company change listener failed'));
    workers.push({ stop: () => listener.close() });
  }
  if (config.runWorkers)
    workers.push(services.webhooks.startEngine((err) => app.log.error({ err }, 'webhook worker step failed'), deliveryObserver(app.metrics, app.log)));
  progress(`listening on ${url} (${database.engine === 'pglite' ? 'PGlite' : 'PostgreSQL'}${config.runWorkers ? ', webhook workers on' : ''})`);

  let stopping: Promise<void> | undefined;
  // Closing the app stops accepting and waits for the requests in flight; stopping the workers
  // lets deliveries in flight finish and hands queued ones back. Both run together, and the
  // database (with the data folder's lock) closes only once nothing uses it any more.
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.all([app.close(), ...workers.map((worker) => worker.stop())]);
      await database.close();
    })());
  return { app, services, url, stop };
}
