import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.js';
import { DataFolderLockedError } from './platform/db/data-lock.js';
import { resealServerSecrets, ServerSecretUnreadableError } from './platform/db/server-secrets.js';
import { EventBus } from './platform/events/bus.js';
import type { Role, ClientKind } from './platform/http/principal.js';
import { openDatabase, startServer } from './server.js';
import { createServices, type Services } from './services.js';
import { buildApp } from './app.js';
import { isUuid } from './platform/http/schemas.js';

const HELP = `Usage: waybill <command> [options]

Commands:
  serve                              Start the API server (and its background workers)
  migrate                            Apply database migrations and exit
  tenant create [--name <name>]      Create a tenant; prints it as JSON
  client create --role TENANT|CUSTOMER|SUBCONTRACTOR [--tenant <id>] [--company <id|code>]
                [--kind API|WEBHOOK] [--name <name>]
                                     Create an API client; prints client_id and client_secret
                                     (the secret is shown only once)
  client list [--tenant <id>]        List API clients as JSON
  client revoke <client_id|id>       Revoke a client: its tokens and credentials stop working
  credentials seal                   Seal every stored webhook credential and server secret (JWT signing
                                     key, client-secret pepper) under WAYBILL_CREDENTIALS_KEY (plain
                                     values, and those under WAYBILL_CREDENTIALS_KEY_PREVIOUS)
  openapi                            Print the OpenAPI document
  --help                             Show this help

The database is PGlite in WAYBILL_DATA_DIR (default ./data) unless DATABASE_URL is set.
On PGlite only one process may open the data folder: while a server runs, use its admin API
(/v1/admin/api-clients) instead of these commands.`;

const ROLES = ['TENANT', 'CUSTOMER', 'SUBCONTRACTOR'];
const KINDS = ['API', 'WEBHOOK'];

class UsageError extends Error {}

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
    const exists = isUuid(given) &&
      (await services.db.selectFrom('tenants').select('id').where('id', '=', given).executeTakeFirst());
    if (!exists) throw new UsageError(`No tenant ${given}`);
    return given;
  }
  const tenants = await services.db.selectFrom('tenants').select('id').limit(2).execute();
  if (tenants.length !== 1) throw new UsageError(tenants.length ? 'Several tenants exist: pass --tenant <id>' : 'No tenant yet: run `waybill tenant create` first');
  return (tenants[0] as { id: string }).id;
}

const print = (value: unknown) => process.stdout.write(JSON.stringify(value, null, 2) + '\n');

async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      name: { type: 'string' },
      tenant: { type: 'string' },
      role: { type: 'string' },
      company: { type: 'string' },
      kind: { type: 'string' },
    },
  });
  const [command, sub, arg] = positionals;
  if (values.help || !command || command === 'help') {
    process.stdout.write(HELP + '\n');
    return;
  }
  const config = loadConfig();

  switch (command) {
    case 'serve': {
      const server = await startServer(config);
      const shutdown = () => {
        server.stop().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      return;
    }
    case 'migrate': {
      const database = await openDatabase(config);
      await database.close();
      process.stdout.write('Migrations are up to date\n');
      return;
    }
    case 'openapi': {
      const spec = await withServices({ ...config, databaseUrl: undefined, dataDir: '' }, async (services) => {
        const app = await buildApp(services);
        await app.ready();
        return app.swagger();
      });
      print(spec);
      return;
    }
    case 'tenant':
      if (sub !== 'create') throw new UsageError('Usage: waybill tenant create [--name <name>]');
      return withServices(config, async (services) => {
        const tenant = await services.auth.createTenant(values.name ?? 'New tenant');
        print({ id: tenant.id, name: tenant.name });
      });
    case 'client': {
      if (!['create', 'list', 'revoke'].includes(sub ?? '')) throw new UsageError('Usage: waybill client create|list|revoke');
      // Check the options before opening the database, which takes seconds on PGlite.
      const role = (values.role ?? '').toUpperCase();
      const kind = (values.kind ?? 'API').toUpperCase();
      if (sub === 'create' && !ROLES.includes(role)) throw new UsageError('--role must be TENANT, CUSTOMER or SUBCONTRACTOR');
      if (sub === 'create' && !KINDS.includes(kind)) throw new UsageError('--kind must be API or WEBHOOK');
      if (sub === 'revoke' && !arg) throw new UsageError('Usage: waybill client revoke <client_id|id>');
      return withServices(config, async (services) => {
        if (sub === 'create') {
          const tenantId = await tenantIdFor(services, values.tenant);
          const { client, clientSecret } = await services.auth.createClient(tenantId, {
            name: values.name ?? `${role.toLowerCase()} client`,
            role: role as Role,
            kind: kind as ClientKind,
            companyId: values.company,
          });
          print({ tenant_id: tenantId, id: client.id, client_id: client.client_id, client_secret: clientSecret, role, kind, company_id: client.company_id });
        } else if (sub === 'list') {
          const page = await services.auth.listClients(values.tenant, { limit: 500 });
          print(page.rows.map(({ secret_hash: _hash, ...row }) => row));
        } else {
          const client = await services.auth.findClientByRef(arg as string);
          if (!client) throw new UsageError(`No client ${arg}`);
          const revoked = await services.auth.revokeClient(client.tenant_id, client.id);
          print({ client_id: revoked.client_id, revoked_at: revoked.revoked_at });
        }
      });
    }
    case 'credentials':
      if (sub !== 'seal') throw new UsageError('Usage: waybill credentials seal');
      if (!config.credentialsKey) throw new UsageError('Set WAYBILL_CREDENTIALS_KEY first: it is the key to seal with');
      return withServices(config, async (services) => {
        const serverSecrets = await resealServerSecrets(services.db, services.box);
        print({ ...(await services.webhooks.resealCredentials()), server_secrets: serverSecrets });
      });
    default:
      throw new UsageError(`Unknown command "${command}". Run waybill --help`);
  }
}

run(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof DataFolderLockedError || err instanceof ConfigError || err instanceof UsageError || err instanceof ServerSecretUnreadableError) {
    process.stderr.write(`waybill: ${err.message}\n`);
  } else if (err && typeof err === 'object' && 'statusCode' in err && 'message' in err) {
    process.stderr.write(`waybill: ${String(err.message)}\n`);
  } else {
    process.stderr.write(`waybill: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
