import type { ClientKind, Role } from '../platform/http/principal.js';
import { isUuid } from '../platform/http/schemas.js';
import type { AccessServices } from '../access-services.js';
import type { Db } from '../platform/db/database.js';
import { CliFailure, UsageError } from './errors.js';
import type { DataCommand } from './usage.js';

/**
 * The data commands (usage.ts lists them): the same code runs in the CLI's own process (a stopped
 * data folder, or PostgreSQL) and in a running server that the CLI reached through its control
 * socket (control-socket.ts). Each returns what the CLI prints.
 */

type Values = Record<string, string | undefined>;

/** What the commands use: the server's whole Services fit, and the CLI builds only these (commands.ts). */
export type DataCommandServices = Pick<AccessServices, 'auth' | 'people'> & { db: Db };

async function tenantIdFor(services: DataCommandServices, given: string | undefined): Promise<string> {
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

async function createClient(services: DataCommandServices, values: Values): Promise<unknown> {
  // main.ts checked both against the command's choices.
  const role = (values.role ?? '').toUpperCase();
  const kind = (values.kind ?? 'API').toUpperCase();
  const tenantId = await tenantIdFor(services, values.tenant);
  const { client, clientSecret } = await services.auth.createClient(tenantId, {
    name: values.name ?? `${role.toLowerCase()} client`,
    role: role as Role,
    kind: kind as ClientKind,
    companyId: values.company,
  });
  return { tenant_id: tenantId, id: client.id, client_id: client.client_id, client_secret: clientSecret, role, kind, company_id: client.company_id };
}

/** `user invite`'s values, checked; a UsageError for a bad one. */
function inviteValues(values: Values): { email: string; name: string; language: 'en' | 'nl' | 'fr' } {
  const email = values.email?.trim() ?? '';
  const name = values.name?.trim() ?? '';
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw new UsageError('--email must be an email address', 'user invite');
  if (!name || name.length > 200) throw new UsageError('--name must be 1 to 200 characters', 'user invite');
  const language = (values.language ?? 'en').toLowerCase();
  if (!['en', 'nl', 'fr'].includes(language)) throw new UsageError('--language must be en, nl or fr', 'user invite');
  return { email, name, language: language as 'en' | 'nl' | 'fr' };
}

/** The checks a command's values need beyond main.ts's, which need no database: a UsageError for a bad one. */
export function checkDataCommand(name: DataCommand, values: Values): void {
  if (name === 'user invite') inviteValues(values);
}

async function inviteUser(services: DataCommandServices, values: Values): Promise<unknown> {
  const { email, name, language } = inviteValues(values);
  const tenantId = await tenantIdFor(services, values.tenant);
  const { user, inviteUrl } = await services.people.users.invite(tenantId, {
    email,
    name,
    // main.ts checked it against the command's choices.
    role: (values.role ?? '').toUpperCase() as Role,
    companyId: values.company,
    language,
  });
  return {
    tenant_id: tenantId,
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    company_id: user.company_id,
    status: user.status,
    invite_url: inviteUrl,
  };
}

export async function runDataCommand(services: DataCommandServices, name: DataCommand, values: Values, args: string[]): Promise<unknown> {
  switch (name) {
    case 'tenant create': {
      const tenant = await services.auth.createTenant(values.name ?? 'New tenant');
      return { id: tenant.id, name: tenant.name };
    }
    case 'client create':
      return createClient(services, values);
    case 'client list': {
      const page = await services.auth.listClients(values.tenant, { limit: 500 });
      return page.rows.map(({ secret_hash: _hash, ...row }) => row);
    }
    case 'client revoke': {
      const client = await services.auth.findClientByRef(args[0] as string);
      if (!client) throw new CliFailure(`No client ${args[0]}`);
      const revoked = await services.auth.revokeClient(client.tenant_id, client.id);
      return { client_id: revoked.client_id, revoked_at: revoked.revoked_at };
    }
    case 'user invite':
      return inviteUser(services, values);
  }
}
