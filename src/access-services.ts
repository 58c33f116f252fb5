import type { Config } from './config.js';
import { CredentialBox } from './platform/crypto/credential-box.js';
import type { Db } from './platform/db/database.js';
import type { EventBus } from './platform/events/bus.js';
import { createAuth } from './modules/auth/index.js';
import { companiesModule } from './modules/companies/index.js';
import { createPeople } from './modules/people/index.js';

/**
 * Who may do what: companies, API clients and tenants (auth), people, and the key that seals the
 * server secrets. createServices builds these first, for the server; the CLI's data commands on a
 * stopped folder build only these: importing every other module was most of such a command's own
 * time (docs/benchmarks.md, issue 19).
 */
export async function createAccessServices({ config, db, bus }: { config: Config; db: Db; bus: EventBus }) {
  // Seals the server secrets at rest with WAYBILL_CREDENTIALS_KEY, as the webhooks module does receivers' credentials.
  const box = new CredentialBox(config.credentialsKey, config.credentialsKeyPrevious);
  const companiesMod = companiesModule({ db, bus });
  const { companies } = companiesMod;
  const auth = await createAuth({ db, bus, tokenTtlSeconds: config.tokenTtlSeconds, companies, box });
  // People own hidden API clients of the auth module; their sessions join its Bearer and Basic checks.
  const people = await createPeople({
    db,
    bus,
    box,
    settings: { publicBaseUrl: config.publicBaseUrl, ...config.people },
    companies,
    clients: auth,
    tenants: auth,
  });
  return { box, companiesMod, companies, auth, people };
}

export type AccessServices = Awaited<ReturnType<typeof createAccessServices>>;
