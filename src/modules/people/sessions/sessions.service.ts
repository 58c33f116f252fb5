import type { Db, Executor } from '../../../platform/db/database.js';
import { AppError, unauthorized } from '../../../platform/http/errors.js';
import { FailureLimiter } from '../../../platform/http/failure-limit.js';
import type { Principal } from '../../../platform/http/principal.js';
import { personClientId } from '../../auth/index.js';
import type { SessionWire } from '../people.schemas.js';
import { csrfTokenOf, hashPassword, newToken, parseToken, passwordMatches } from '../people.credentials.js';
import { userOut } from '../users/users.output.js';
import { countFailedSignIn, findUserByEmail, updateUser, type UserRow } from '../users/users.repo.js';
import * as repo from './sessions.repo.js';
import { sessionAlive, sessionEndsAt, shouldTouch, type Lifetimes } from './sessions.policy.js';

export interface TenantNames {
  findTenant(tenantId: string): Promise<{ id: string; name: string } | undefined>;
}

export interface SignInLimits {
  perAddress: number;
  perAccount: number;
  windowSeconds: number;
}

/** A started or current session: what the cookie holds and what the API answers. */
export interface StartedSession {
  cookie: string;
  session: SessionWire;
}

export type SessionsService = ReturnType<typeof createSessionsService>;

const ended = () => unauthorized('Your session has ended (signed out, expired or disabled); sign in again at POST /v1/session');

/** The principal of a signed-in person: their role, company and tenant, and their hidden API client. */
export function personPrincipal(user: UserRow): Principal {
  return {
    tenantId: user.tenant_id,
    apiClientId: user.id,
    clientId: personClientId(user.id),
    role: user.role,
    kind: 'API',
    companyId: user.company_id,
    name: user.name,
    userId: user.id,
  };
}

/**
 * Sessions of people. The row lives in the database (several processes share it); a session
 * ends when idle or too old (`lifetimes`), at sign-out (every session of the person), and when the
 * person is disabled. Failed sign-ins are counted per address and per account, in this process.
 */
export function createSessionsService(deps: { db: Db; csrfKey: Buffer; lifetimes: Lifetimes; limits: SignInLimits; tenants: TenantNames }) {
  const { db, csrfKey, lifetimes, tenants } = deps;
  const windowMs = deps.limits.windowSeconds * 1000;
  const byAddress = new FailureLimiter(deps.limits.perAddress, windowMs, 'this address');
  const byAccount = new FailureLimiter(deps.limits.perAccount, windowMs, 'this account');
  // Compared against when the email is unknown, so an unknown address costs as much as a known one.
  let decoy: Promise<string> | undefined;

  /** 429 while the account has used up its failures in the current window. */
  function accountLocked(user: UserRow): void {
    const endsAt = user.failed_window_ends_at?.getTime() ?? 0;
    const now = Date.now();
    if (endsAt > now && user.failed_sign_ins >= deps.limits.perAccount) {
      const seconds = Math.ceil((endsAt - now) / 1000);
      throw new AppError(429, `Too many failed sign-ins for this account; retry after ${seconds} s`, [], { 'retry-after': String(seconds) });
    }
  }

  async function describe(user: UserRow, secret: string, ageSeconds: number): Promise<SessionWire> {
    const tenant = await tenants.findTenant(user.tenant_id);
    if (!tenant) throw ended();
    return {
      user: userOut(user),
      tenant: { id: tenant.id, name: tenant.name },
      csrf_token: csrfTokenOf(csrfKey, secret),
      expires_at: sessionEndsAt(lifetimes, new Date(), ageSeconds).toISOString(),
    };
  }

  /** The live session a cookie names, touched when due; 401 when there is none. */
  async function resolve(cookie: string) {
    const token = parseToken(cookie);
    if (!token) throw ended();
    const found = await repo.findSession(db, token.tenantId, token.hash);
    if (!found) throw ended();
    if (found.status !== 'ACTIVE' || !sessionAlive(lifetimes, found.age_seconds, found.idle_seconds)) {
      await repo.deleteSession(db, token.tenantId, token.hash);
      throw ended();
    }
    if (shouldTouch(lifetimes, found.idle_seconds)) await repo.touchSession(db, token.tenantId, token.hash);
    return { user: found as UserRow, secret: token.secret, ageSeconds: found.age_seconds };
  }

  return {
    /** Signs a person in (after sign-in or setting a password): a new session row and its cookie. */
    async start(user: UserRow): Promise<StartedSession> {
      const { token, hash } = newToken(user.tenant_id);
      await repo.deleteEndedSessions(db, user.tenant_id, user.id, lifetimes);
      await repo.insertSession(db, { tenant_id: user.tenant_id, token_hash: hash, user_id: user.id });
      const signedIn = (await updateUser(db, user.tenant_id, user.id, { last_sign_in_at: new Date() })) ?? user;
      return { cookie: token, session: await describe(signedIn, token.slice(token.indexOf('.') + 1), 0) };
    },

    async signIn(email: string, password: string, address: string): Promise<StartedSession> {
      const account = email.trim().toLowerCase();
      byAddress.check(address);
      byAccount.check(account);
      const user = await findUserByEmail(db, account);
      if (user) accountLocked(user);
      let matches = false;
      if (user?.password_hash) matches = await passwordMatches(user.password_hash, password);
      else await passwordMatches(await (decoy ??= hashPassword('not anybody’s password')), password);
      if (!user || !matches || user.status !== 'ACTIVE') {
        byAddress.recordFailure(address);
        // A known account's failures are counted in the database (every process sees them); an
        // unknown email's here, so guessing addresses costs the same as guessing passwords.
        if (user) await countFailedSignIn(db, user.tenant_id, user.id, deps.limits.windowSeconds);
        else byAccount.recordFailure(account);
        throw unauthorized('Wrong email or password');
      }
      if (user.failed_sign_ins > 0) await updateUser(db, user.tenant_id, user.id, { failed_sign_ins: 0 });
      return this.start(user);
    },

    /** For the HTTP layer: the person a session cookie signs in, and the CSRF token it expects. */
    async verify(cookie: string): Promise<{ principal: Principal; csrfToken: string }> {
      const { user, secret } = await resolve(cookie);
      return { principal: personPrincipal(user), csrfToken: csrfTokenOf(csrfKey, secret) };
    },

    /** `GET /v1/session`: the signed-in person, with the CSRF token to send. */
    async current(cookie: string | undefined): Promise<SessionWire> {
      if (!cookie) throw ended();
      const { user, secret, ageSeconds } = await resolve(cookie);
      return describe(user, secret, ageSeconds);
    },

    /** Sign-out ends every session of the person, not only this browser's. */
    async signOut(principal: Principal): Promise<void> {
      if (!principal.userId) throw unauthorized('Only a person signed in with a session can sign out; API clients have no session');
      await repo.deleteUserSessions(db, principal.tenantId, principal.userId);
    },

    endAll: (trx: Executor, tenantId: string, userId: string) => repo.deleteUserSessions(trx, tenantId, userId),
  };
}
