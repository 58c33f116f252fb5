import type { PeopleSettings as ConfigPeopleSettings } from '../../config.js';
import type { CredentialBox } from '../../platform/crypto/credential-box.js';
import type { Db } from '../../platform/db/database.js';
import { serverSecret } from '../../platform/db/server-secrets.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { App } from '../../platform/http/types.js';
import { peopleSchemas } from './people.schemas.js';
import { createSessionsService, type TenantNames } from './sessions/sessions.service.js';
import { sessionsRoutes } from './sessions/sessions.routes.js';
import { createUsersService, type UsersDeps } from './users/users.service.js';
import { usersRoutes } from './users/users.routes.js';

/** The people settings from config.ts, and where invite links point. */
export type PeopleSettings = ConfigPeopleSettings & { publicBaseUrl: string };

/**
 * People beside API clients: users (invited, listed, disabled) and their sign-in sessions. Each
 * person owns a hidden API client of the auth module (`clients`), so the rest of Waybill sees a
 * signed-in person as a principal like any other; `sessions.verify` is what the HTTP layer calls
 * for the session cookie (see Authenticator.verifySession).
 */
export async function createPeople(deps: {
  db: Db;
  bus: EventBus;
  box: CredentialBox;
  settings: PeopleSettings;
  companies: UsersDeps['companies'];
  clients: UsersDeps['clients'];
  tenants: TenantNames;
}) {
  const { db, bus, settings } = deps;
  const csrfKey = await serverSecret(db, 'session_csrf_key', deps.box);
  const sessions = createSessionsService({
    db,
    csrfKey,
    lifetimes: { idleSeconds: settings.sessionIdleSeconds, absoluteSeconds: settings.sessionAbsoluteSeconds },
    limits: {
      perAddress: settings.signInFailuresPerAddress,
      perAccount: settings.signInFailuresPerAccount,
      windowSeconds: settings.signInFailureWindowSeconds,
    },
    tenants: deps.tenants,
  });
  const users = createUsersService({
    db,
    bus,
    publicBaseUrl: settings.publicBaseUrl,
    inviteTtlSeconds: settings.inviteTtlSeconds,
    magicLinks: settings.magicLinks,
    companies: deps.companies,
    clients: deps.clients,
    sessions,
  });
  return {
    users,
    sessions,
    schemas: peopleSchemas,
    routes(app: App) {
      usersRoutes(app, users);
      sessionsRoutes(app, { users, sessions, publicBaseUrl: settings.publicBaseUrl, absoluteSeconds: settings.sessionAbsoluteSeconds });
    },
  };
}

export type People = Awaited<ReturnType<typeof createPeople>>;
