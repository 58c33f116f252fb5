import { randomUUID } from 'node:crypto';
import type { Db, Executor } from '../../../platform/db/database.js';
import { inTransaction } from '../../../platform/db/tx.js';
import { setRequestActor } from '../../../platform/events/actor.js';
import { appendEvent } from '../../../platform/events/append.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { badRequest, conflict, detail, notFound } from '../../../platform/http/errors.js';
import { paginate } from '../../../platform/http/pagination.js';
import type { Principal, Role } from '../../../platform/http/principal.js';
import type { Language } from '../people.tables.js';
import { hashPassword, newToken, parseToken } from '../people.credentials.js';
import type { SessionsService, StartedSession } from '../sessions/sessions.service.js';
import * as repo from './users.repo.js';
import type { UserRow } from './users.repo.js';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  companyId?: string | null;
  language?: Language;
}

/** What the people module needs of others: a company check, and the hidden API client each person owns. */
export interface UsersDeps {
  db: Db;
  bus: EventBus;
  publicBaseUrl: string;
  inviteTtlSeconds: number;
  /** Whether an invite link may sign in without a password being chosen (a magic link). */
  magicLinks: boolean;
  companies: { findCompanyId(tenantId: string, idOrCode: string): Promise<string | undefined> };
  clients: {
    addPersonClient(trx: Executor, person: { tenantId: string; userId: string; name: string; role: Role; companyId: string | null }): Promise<void>;
    setPersonClientRevoked(trx: Executor, tenantId: string, userId: string, revoked: boolean): Promise<void>;
  };
  sessions: Pick<SessionsService, 'start' | 'endAll'>;
}

export type UsersService = ReturnType<typeof createUsersService>;

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505';
const emailTaken = () => conflict('A person with this email already exists (an address signs in to one tenant)');

/**
 * People of a tenant: invited by a TENANT admin with a one-time link that sets their password,
 * listed, disabled (every session ends, their hidden API client is revoked) and enabled again.
 */
export function createUsersService(deps: UsersDeps) {
  const { db, bus, companies, clients, sessions } = deps;

  /** A fresh invite link: its hash is stored, replacing (and so killing) any earlier one. */
  function freshInvite(tenantId: string) {
    const { token, hash } = newToken(tenantId);
    return {
      url: `${deps.publicBaseUrl}/app/invite#${token}`,
      set: { invite_hash: hash, invite_expires_at: new Date(Date.now() + deps.inviteTtlSeconds * 1000) },
    };
  }

  async function companyFor(tenantId: string, role: Role, companyId: string | null | undefined): Promise<string | null> {
    if (role === 'TENANT') {
      if (companyId) throw badRequest('A TENANT person works for the whole tenant; do not give a company_id');
      return null;
    }
    if (!companyId) throw badRequest(`A ${role} person must be bound to a company: give company_id`);
    const found = await companies.findCompanyId(tenantId, companyId);
    if (!found) throw badRequest(`No company ${companyId} in this tenant`);
    return found;
  }

  async function mustFind(tenantId: string, id: string): Promise<UserRow> {
    const row = await repo.findUser(db, tenantId, id);
    if (!row) throw notFound('User');
    return row;
  }

  return {
    async invite(tenantId: string, input: NewUser): Promise<{ user: UserRow; inviteUrl: string }> {
      const email = input.email.trim().toLowerCase();
      const companyId = await companyFor(tenantId, input.role, input.companyId);
      if (await repo.findUserByEmail(db, email)) throw emailTaken();
      const invite = freshInvite(tenantId);
      try {
        const user = await inTransaction(db, async (tx) => {
          const row = await repo.insertUser(tx.trx, {
            tenant_id: tenantId,
            id: randomUUID(),
            email,
            name: input.name.trim(),
            role: input.role,
            company_id: companyId,
            language: input.language ?? 'en',
            status: 'INVITED',
            ...invite.set,
          });
          await clients.addPersonClient(tx.trx, { tenantId, userId: row.id, name: row.name, role: row.role, companyId: row.company_id });
          await appendEvent(tx, bus, {
            tenantId,
            type: 'user.invited',
            entityType: 'user',
            entityId: row.id,
            payload: { email, name: row.name, role: row.role, company_id: row.company_id },
          });
          return row;
        });
        return { user, inviteUrl: invite.url };
      } catch (err) {
        if (isUniqueViolation(err)) throw emailTaken();
        throw err;
      }
    },

    /** A new link for a person (first one lost, or a forgotten password): the earlier link dies. */
    async reinvite(tenantId: string, id: string): Promise<{ user: UserRow; inviteUrl: string }> {
      const invite = freshInvite(tenantId);
      const user = await inTransaction(db, async (tx) => {
        const row = await repo.findUser(tx.trx, tenantId, id);
        if (!row) throw notFound('User');
        if (row.status === 'DISABLED') throw conflict('This person is disabled; enable them before inviting them again');
        const updated = (await repo.updateUser(tx.trx, tenantId, id, invite.set)) ?? row;
        await appendEvent(tx, bus, {
          tenantId,
          type: 'user.invited',
          entityType: 'user',
          entityId: id,
          payload: { email: row.email, name: row.name, role: row.role, company_id: row.company_id },
        });
        return updated;
      });
      return { user, inviteUrl: invite.url };
    },

    async list(tenantId: string, query: { cursor?: string; limit?: number }) {
      return paginate({
        query,
        filters: {},
        fields: {},
        fetch: ({ after, limit }) => repo.listUsers(db, tenantId, after, limit),
        key: (r) => ({ ts: r.created_at, id: r.id }),
      });
    },

    get: mustFind,

    /** Disabling ends every session at once and revokes the person's hidden API client. */
    async disable(by: Principal, id: string): Promise<UserRow> {
      if (by.userId === id) throw conflict('You cannot disable yourself; ask another TENANT admin');
      return inTransaction(db, async (tx) => {
        const row = await repo.findUser(tx.trx, by.tenantId, id);
        if (!row) throw notFound('User');
        if (row.status === 'DISABLED') return row;
        const updated = await repo.updateUser(tx.trx, by.tenantId, id, { status: 'DISABLED', invite_hash: null, invite_expires_at: null });
        await sessions.endAll(tx.trx, by.tenantId, id);
        await clients.setPersonClientRevoked(tx.trx, by.tenantId, id, true);
        await appendEvent(tx, bus, { tenantId: by.tenantId, type: 'user.disabled', entityType: 'user', entityId: id, payload: { email: row.email } });
        return updated ?? row;
      });
    },

    /** Back to ACTIVE (or INVITED when no password was ever set: they need a new invite). */
    async enable(tenantId: string, id: string): Promise<UserRow> {
      return inTransaction(db, async (tx) => {
        const row = await repo.findUser(tx.trx, tenantId, id);
        if (!row) throw notFound('User');
        if (row.status !== 'DISABLED') return row;
        const updated = await repo.updateUser(tx.trx, tenantId, id, { status: row.password_hash ? 'ACTIVE' : 'INVITED' });
        await clients.setPersonClientRevoked(tx.trx, tenantId, id, false);
        await appendEvent(tx, bus, { tenantId, type: 'user.enabled', entityType: 'user', entityId: id, payload: { email: row.email } });
        return updated ?? row;
      });
    },

    /** Whom an invite link is for; 404 when it is unknown, used, replaced or expired. */
    async readInvite(token: string): Promise<{ email: string; name: string; password_required: boolean }> {
      const parsed = parseToken(token);
      const row = parsed && (await repo.findUserByInvite(db, parsed.tenantId, parsed.hash));
      if (!row) throw notFound('Invite (it may have been used, replaced by a newer one, or expired)');
      return { email: row.email, name: row.name, password_required: !deps.magicLinks };
    },

    /**
     * Uses an invite link (which then dies) and signs in. With a password, it sets it and ends the
     * person's older sessions (it may be a reset); without one, where magic links are allowed, it
     * only signs in.
     */
    async acceptInvite(token: string, password: string | undefined): Promise<StartedSession> {
      if (password === undefined && !deps.magicLinks) {
        const message = 'Choose a password of at least 12 characters';
        throw badRequest(message, [detail(message, 'password')]);
      }
      const parsed = parseToken(token);
      if (!parsed || !(await repo.findUserByInvite(db, parsed.tenantId, parsed.hash))) {
        throw notFound('Invite (it may have been used, replaced by a newer one, or expired)');
      }
      const passwordHash = password === undefined ? undefined : await hashPassword(password);
      const user = await inTransaction(db, async (tx) => {
        const row = await repo.consumeInvite(tx.trx, parsed.tenantId, parsed.hash, {
          ...(passwordHash ? { password_hash: passwordHash } : {}),
          status: 'ACTIVE',
        });
        if (!row) return undefined;
        if (passwordHash) await sessions.endAll(tx.trx, row.tenant_id, row.id);
        // No one is signed in yet, but the person holding their own link is who acts.
        setRequestActor({ type: 'user', id: row.id, name: row.name });
        await appendEvent(tx, bus, { tenantId: row.tenant_id, type: 'user.activated', entityType: 'user', entityId: row.id, payload: { email: row.email } });
        return row;
      });
      // Another request used the link between the check and the update.
      if (!user) throw notFound('Invite (it may have been used, replaced by a newer one, or expired)');
      return sessions.start(user);
    },
  };
}
