import { buildApp } from '../app.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { DataFolderLockedError } from '../platform/db/data-lock.js';
import { resealServerSecrets, ServerSecretUnreadableError } from '../platform/db/server-secrets.js';
import { EventBus } from '../platform/events/bus.js';
import type { ClientKind, Role } from '../platform/http/principal.js';
import { isUuid } from '../platform/http/schemas.js';
import { openDatabase, PortInUseError, startServer } from '../server.js';
import { createServices, type Services } from '../services.js';
import { CliFailure, UsageError } from './errors.js';

/** The commands' implementations, imported by main.ts once the command line has been parsed. */

const print = (value: unknown) => process.stdout.write(JSON.stringify(value, null, 2) + '\n');
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Errors whose message is all an operator needs: printed without a stack trace. */
export function isOperatorError(err: unknown): boolean {
  if ([DataFolderLockedError, ConfigError, ServerSecretUnreadableError, PortInUseError].some((type) => err instanceof type)) return true;
  // A service's AppError (a tenant or company that does not exist, a conflict).
  return Boolean(err && typeof err === 'object' && 'statusCode' in err && 'message' in err);
}

async function withServices<T>(config: Config, work: (services: Services) => Promise<T>): Promise<T> {
  const database = await openDatabase(config);
  try {
    return await work(await createServices({ config, database, bus: new EventBus() }));
  } finally {
    await database.close();
  }
}

async function tenantIdFor(services: Services, given: string | undefined): Promise<string> {
  if (given) {
    const exists = isUuid(given) && (await services.db.selectFrom('tenants').select('id').where('id', '=', given).executeTakeFirst());
    if (!exists) throw new CliFailure(`No tenant ${given}`);
    return given;
  }
  const tenants = await services.db.selectFrom('tenants').select('id').limit(2).execute();
  if (tenants.length !== 1)
    throw new CliFailure(tenants.length ? 'Several tenants exist: pass --tenant <id>' : 'No tenant yet: run `waybill tenant create` first');
  return (tenants[0] as { id: string }).id;
}

/**
 * Serves until SIGTERM or SIGINT (systemd, containers, Ctrl-C, or npm passing either on), then
 * stops accepting, lets requests and webhook deliveries in flight finish within the grace period,
 * closes the database (releasing the data folder) and exits 0. Past the grace period it exits 1
 * with the work unfinished; leases run out and another process takes the deliveries over.
 */
async function serve(config: Config): Promise<void> {
  const server = await startServer(config);
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
    const app = await buildApp(services);
    await app.ready();
    return app.swagger();
  });
  print(spec);
}

async function createClient(config: Config, values: Record<string, string | undefined>): Promise<void> {
  // main.ts checked both against the command's choices.
  const role = (values.role ?? '').toUpperCase();
  const kind = (values.kind ?? 'API').toUpperCase();
  await withServices(config, async (services) => {
    const tenantId = await tenantIdFor(services, values.tenant);
    const { client, clientSecret } = await services.auth.createClient(tenantId, {
      name: values.name ?? `${role.toLowerCase()} client`,
      role: role as Role,
      kind: kind as ClientKind,
      companyId: values.company,
    });
    print({ tenant_id: tenantId, id: client.id, client_id: client.client_id, client_secret: clientSecret, role, kind, company_id: client.company_id });
  });
}

async function inviteUser(config: Config, values: Record<string, string | undefined>): Promise<void> {
  const email = values.email?.trim() ?? '';
  const name = values.name?.trim() ?? '';
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw new UsageError('--email must be an email address', 'user invite');
  if (!name || name.length > 200) throw new UsageError('--name must be 1 to 200 characters', 'user invite');
  const language = (values.language ?? 'en').toLowerCase();
  if (!['en', 'nl', 'fr'].includes(language)) throw new UsageError('--language must be en, nl or fr', 'user invite');
  await withServices(config, async (services) => {
    const tenantId = await tenantIdFor(services, values.tenant);
    const { user, inviteUrl } = await services.people.users.invite(tenantId, {
      email,
      name,
      // main.ts checked it against the command's choices.
      role: (values.role ?? '').toUpperCase() as Role,
      companyId: values.company,
      language: language as 'en' | 'nl' | 'fr',
    });
    print({
      tenant_id: tenantId,
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      company_id: user.company_id,
      status: user.status,
      invite_url: inviteUrl,
    });
  });
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
      return withServices(config, async (services) => {
        const tenant = await services.auth.createTenant(values.name ?? 'New tenant');
        print({ id: tenant.id, name: tenant.name });
      });
    case 'client create':
      return createClient(config, values);
    case 'client list':
      return withServices(config, async (services) => {
        const page = await services.auth.listClients(values.tenant, { limit: 500 });
        print(page.rows.map(({ secret_hash: _hash, ...row }) => row));
      });
    case 'client revoke':
      return withServices(config, async (services) => {
        const client = await services.auth.findClientByRef(args[0] as string);
        if (!client) throw new CliFailure(`No client ${args[0]}`);
        const revoked = await services.auth.revokeClient(client.tenant_id, client.id);
        print({ client_id: revoked.client_id, revoked_at: revoked.revoked_at });
      });
    case 'user invite':
      return inviteUser(config, values);
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
