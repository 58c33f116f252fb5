import type { FastifyBaseLogger } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { connectDatabase, type DatabaseHandle } from './platform/db/connect.js';
import { migrate } from './platform/db/migrate.js';
import { EventBus } from './platform/events/bus.js';
import { purgeExpiredIdempotencyKeys } from './platform/http/idempotency.js';
import type { App } from './platform/http/types.js';
import { createServices, type Services } from './services.js';
import { deliveryObserver } from './modules/webhooks/index.js';

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

export async function openDatabase(config: Config): Promise<DatabaseHandle> {
  const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir });
  try {
    await migrate(database.db);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

/** A blob unreferenced for a day is past any transaction that could still commit a row for it. */
const BLOB_SWEEP_GRACE_MS = 24 * 3_600_000;

/** Background work every process runs (one list, so shutdown stops exactly what start started). */
type Worker = { stop(): Promise<void> | void };

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

export async function startServer(config: Config): Promise<RunningServer> {
  const database = await openDatabase(config);
  const services = await createServices({ config, database, bus: new EventBus() });
  const app = await buildApp(services, { logger: await loggerOptions(config) });

  const bootstrap =
    config.bootstrapClientId && config.bootstrapClientSecret
      ? { clientId: config.bootstrapClientId, clientSecret: config.bootstrapClientSecret }
      : undefined;
  const created = await services.auth.bootstrap(bootstrap);
  if (created && !bootstrap) {
    // Printed once, on the first start of an empty database: the only way to get in without the CLI.
    process.stdout.write(
      `\nCreated tenant ${created.client.tenant_id} with an admin API client:\n` +
        `  client_id:     ${created.client.client_id}\n  client_secret: ${created.clientSecret}\n` +
        'Store the secret now; it is not shown again.\n\n',
    );
  }

  const url = await app.listen({ host: config.host, port: config.port });
  const workers: Worker[] = [startHousekeeping(services, app.log)];
  // Several processes may serve one PostgreSQL; each must drop cached companies the others change.
  if (database.databaseUrl) {
    const listener = services.companies.watchChanges(database.databaseUrl, (err) => app.log.warn({ err }, 'company change listener failed'));
    workers.push({ stop: () => listener.close() });
  }
  if (config.runWorkers) workers.push(services.webhooks.startEngine((err) => app.log.error({ err }, 'webhook worker step failed'), deliveryObserver(app.metrics, app.log)));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const worker of workers) await worker.stop();
      await app.close();
      await database.close();
    })());
  return { app, services, url, stop };
}
