import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Db, Executor } from '../../platform/db/database.js';
import type { CredentialBox } from '../../platform/crypto/credential-box.js';
import { serverSecret } from '../../platform/db/server-secrets.js';
import { inTransaction } from '../../platform/db/tx.js';
import { appendEvent } from '../../platform/events/append.js';
import type { EventBus } from '../../platform/events/bus.js';
import { badRequest, conflict, notFound, unauthorized } from '../../platform/http/errors.js';
import { isUuid } from '../../platform/http/schemas.js';
import { webhookScopeOnly } from '../../platform/http/auth.js';
import { cursorField, paginate } from '../../platform/http/pagination.js';
import { CLIENT_KINDS, type Authenticator, type ClientKind, type Principal, type Role } from '../../platform/http/principal.js';
import { isOneOf } from '../../platform/narrow.js';
import * as repo from './auth.repo.js';
import type { ApiClientRow } from './auth.repo.js';
import { hashSecret, newClientId, newClientSecret, secretMatches } from './auth.credentials.js';

const ISSUER = 'waybill';
/** Stored as a person's hidden client's secret hash: not hex, so no secret's HMAC ever matches it. */
const NO_SECRET = '!';
export const personClientId = (userId: string) => `user_${userId}`;
/** How long a process trusts its cached view of a client; a revoke in this process applies at once. */
const CLIENT_CACHE_MS = 5_000;
/** Upper bound on remembered tokens and clients per process; the maps are simply emptied when full. */
const CACHE_MAX_ENTRIES = 10_000;

export interface NewClient {
  name: string;
  role: Role;
  kind?: ClientKind;
  companyId?: string | null;
  /** Fixed credentials, for scripted starts; generated when omitted. */
  clientId?: string;
  clientSecret?: string;
}

interface VerifiedToken {
  tenantId: string;
  rowId: string;
  expiresAtMs: number;
  kind: ClientKind | undefined;
}

export interface CreatedClient {
  client: ApiClientRow;
  clientSecret: string;
}

export interface CompanyLookup {
  /** Resolves a company id or code within the tenant; undefined when there is none. */
  findCompanyId(tenantId: string, idOrCode: string): Promise<string | undefined>;
}

export type AuthService = Awaited<ReturnType<typeof createAuthService>>;

export async function createAuthService(deps: { db: Db; bus: EventBus; tokenTtlSeconds: number; companies: CompanyLookup; box: CredentialBox }) {
  const { db, bus, tokenTtlSeconds, companies, box } = deps;
  const [pepper, signingKey] = await Promise.all([serverSecret(db, 'client_secret_pepper', box), serverSecret(db, 'jwt_signing_key', box)]);
  const byRowId = new Map<string, { row: ApiClientRow | undefined; at: number }>();
  const byClientId = new Map<string, { row: ApiClientRow | undefined; at: number }>();
  /**
   * Tokens whose signature was already checked, keyed by the whole token (signature included, so
   * a tampered token never matches). A client sends the same token for an hour: without this,
   * every request paid an HMAC over WebCrypto, the largest part of the cost of authentication.
   */
  const verifiedTokens = new Map<string, VerifiedToken>();

  async function verifyToken(token: string): Promise<VerifiedToken> {
    const known = verifiedTokens.get(token);
    if (known && known.expiresAtMs > Date.now()) return known;
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(token, signingKey, { issuer: ISSUER, algorithms: ['HS256'] }));
    } catch {
      throw unauthorized('The access token is invalid or expired; request a new one at POST /v1/auth/token');
    }
    const { tid: tenantId, sub: rowId, exp, kind } = claims;
    if (typeof tenantId !== 'string' || typeof rowId !== 'string' || typeof exp !== 'number') {
      throw unauthorized('The access token is malformed');
    }
    if (verifiedTokens.size >= CACHE_MAX_ENTRIES) verifiedTokens.clear();
    // Tokens issued before the claim existed name no kind: the client row decides for them.
    const verified = { tenantId, rowId, expiresAtMs: exp * 1000, kind: isOneOf(CLIENT_KINDS, kind) ? kind : undefined };
    verifiedTokens.set(token, verified);
    return verified;
  }

  function toPrincipal(row: ApiClientRow): Principal {
    return {
      tenantId: row.tenant_id,
      apiClientId: row.id,
      clientId: row.client_id,
      role: row.role,
      kind: row.kind,
      companyId: row.company_id,
      name: row.name,
    };
  }

  async function cached(cache: Map<string, { row: ApiClientRow | undefined; at: number }>, key: string, load: () => Promise<ApiClientRow | undefined>) {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < CLIENT_CACHE_MS) return hit.row;
    const row = await load();
    if (cache.size >= CACHE_MAX_ENTRIES) cache.clear();
    cache.set(key, { row, at: Date.now() });
    return row;
  }

  function forget(row: ApiClientRow) {
    byRowId.delete(row.id);
    byClientId.delete(row.client_id);
  }

  async function createClient(tenantId: string, input: NewClient): Promise<CreatedClient> {
    const kind = input.kind ?? 'API';
    let companyId: string | null = null;
    if (input.role === 'TENANT') {
      if (input.companyId) throw badRequest('A TENANT client acts for the whole tenant; do not give it a company');
    } else {
      if (!input.companyId) throw badRequest(`A ${input.role} client must be bound to a company (company_id or company code)`);
      companyId = (await companies.findCompanyId(tenantId, input.companyId)) ?? null;
      if (!companyId) throw badRequest(`No company "${input.companyId}" in this tenant`);
    }
    const clientId = input.clientId ?? newClientId();
    const clientSecret = input.clientSecret ?? newClientSecret();
    if (await repo.findApiClientByClientId(db, clientId)) throw badRequest(`client_id ${clientId} is already taken`);
    const client = await inTransaction(db, async (tx) => {
      const row = await repo.insertApiClient(tx.trx, {
        tenant_id: tenantId,
        id: randomUUID(),
        client_id: clientId,
        secret_hash: hashSecret(pepper, clientSecret),
        name: input.name,
        role: input.role,
        kind,
        company_id: companyId,
      });
      await appendEvent(tx, bus, {
        tenantId,
        type: 'api_client.created',
        entityType: 'api_client',
        entityId: row.id,
        payload: { client_id: row.client_id, name: row.name, role: row.role, kind: row.kind, company_id: row.company_id },
      });
      return row;
    });
    return { client, clientSecret };
  }

  async function createTenant(name: string) {
    return inTransaction(db, async (tx) => {
      const tenant = await repo.insertTenant(tx.trx, randomUUID(), name);
      await appendEvent(tx, bus, { tenantId: tenant.id, type: 'tenant.created', entityType: 'tenant', entityId: tenant.id, payload: { name } });
      return tenant;
    });
  }

  const authenticator: Authenticator = {
    async verifyBearer(token) {
      const { tenantId, rowId, kind } = await verifyToken(token);
      // The scope is in the signed token, so a WEBHOOK token is turned away before any read.
      if (kind === 'WEBHOOK') throw webhookScopeOnly();
      const row = await cached(byRowId, rowId, () => repo.findApiClient(db, tenantId, rowId));
      if (!row || row.revoked_at) throw unauthorized('This API client has been revoked');
      return toPrincipal(row);
    },
    async verifyBasic(clientId, secret) {
      if (clientId.length > 100 || secret.length > 200) throw unauthorized('Invalid client credentials');
      const row = await cached(byClientId, clientId, () => repo.findApiClientByClientId(db, clientId));
      if (!row || !secretMatches(pepper, secret, row.secret_hash)) throw unauthorized('Invalid client credentials');
      if (row.revoked_at) throw unauthorized('This API client has been revoked');
      return toPrincipal(row);
    },
  };

  return {
    authenticator,
    createTenant,
    createClient,

    /** First start: a tenant and an admin client, with the configured credentials or fresh ones. */
    async bootstrap(credentials?: { clientId: string; clientSecret: string }): Promise<CreatedClient | undefined> {
      if (credentials) {
        if (await repo.findApiClientByClientId(db, credentials.clientId)) return undefined;
      } else if ((await repo.countTenants(db)) > 0) {
        return undefined;
      }
      const tenant = await createTenant('Default tenant');
      return createClient(tenant.id, { name: 'Bootstrap admin', role: 'TENANT', kind: 'API', ...credentials });
    },

    async issueToken(clientId: string, secret: string) {
      // WEBHOOK credentials may obtain a token too, as the contract allows, but a credential does
      // one job: the token carries the client's kind and role and a `webhook` scope, and every
      // Bearer route refuses it (403). /v1/webhook/* keeps taking the Basic credentials themselves.
      const principal = await authenticator.verifyBasic(clientId, secret);
      const scope = principal.kind === 'WEBHOOK' ? 'webhook' : 'api';
      const accessToken = await new SignJWT({ tid: principal.tenantId, role: principal.role, kind: principal.kind, scope })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(ISSUER)
        .setSubject(principal.apiClientId)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + tokenTtlSeconds)
        .sign(signingKey);
      return { access_token: accessToken, token_type: 'bearer', expires_in: tokenTtlSeconds };
    },

    async describe(principal: Principal) {
      const tenant = await repo.findTenant(db, principal.tenantId);
      const client = await repo.findApiClient(db, principal.tenantId, principal.apiClientId);
      if (!tenant || !client) throw unauthorized();
      return { tenant, client };
    },

    async listClients(tenantId: string | undefined, query: { cursor?: string; limit?: number }) {
      return paginate({
        query,
        filters: { tenant: tenantId ?? null },
        fields: { tenant: cursorField.text(36) },
        // The cursor stands alone: the caller's own tenant decides what is listed.
        given: {},
        fetch: ({ after, limit }) => repo.listApiClients(db, tenantId, after, limit),
        key: (r) => ({ ts: r.created_at, id: r.id }),
      });
    },

    /**
     * Revokes a client. Through the API (`by` given) a client may not revoke itself, and nobody
     * may revoke the tenant's last active admin: either would lock the tenant out of its own
     * administration (the way back in is `waybill client create`, see the README).
     */
    async revokeClient(tenantId: string, idOrClientId: string, by?: Principal): Promise<ApiClientRow> {
      const byClientId = isUuid(idOrClientId) ? undefined : await repo.findApiClientByClientId(db, idOrClientId);
      const id = byClientId ? (byClientId.tenant_id === tenantId ? byClientId.id : undefined) : isUuid(idOrClientId) ? idOrClientId : undefined;
      if (!id) throw notFound('API client');
      if (by && by.apiClientId === id) {
        throw conflict('A client cannot revoke itself; revoke it from another admin client');
      }
      const revoked = await inTransaction(db, async (tx) => {
        await repo.lockTenant(tx.trx, tenantId);
        const row = await repo.markRevoked(tx.trx, tenantId, id);
        if (!row) return undefined;
        if (by && row.role === 'TENANT' && row.kind === 'API' && (await repo.countActiveAdmins(tx.trx, tenantId)) === 0) {
          throw conflict("This is the tenant's last active admin client; create another TENANT client before revoking it");
        }
        await appendEvent(tx, bus, { tenantId, type: 'api_client.revoked', entityType: 'api_client', entityId: id, payload: { client_id: row.client_id } });
        return row;
      });
      const row = revoked ?? (await repo.findApiClient(db, tenantId, id));
      if (!row || row.user_id) throw notFound('API client');
      forget(row);
      return row;
    },

    async findTenant(tenantId: string) {
      return repo.findTenant(db, tenantId);
    },

    /**
     * The hidden API client a person owns, written in the person's own transaction: its id is the
     * user's id, its client_id `user_<id>` and its secret hash matches no secret, so nobody can
     * get a token or Basic access with it. A session's principal names it as its apiClientId.
     */
    async addPersonClient(trx: Executor, person: { tenantId: string; userId: string; name: string; role: Role; companyId: string | null }) {
      await repo.insertApiClient(trx, {
        tenant_id: person.tenantId,
        id: person.userId,
        client_id: personClientId(person.userId),
        secret_hash: NO_SECRET,
        name: person.name,
        role: person.role,
        kind: 'API',
        company_id: person.companyId,
        user_id: person.userId,
      });
    },

    /** Disabling a person revokes their hidden client (enabling restores it). */
    async setPersonClientRevoked(trx: Executor, tenantId: string, userId: string, revoked: boolean) {
      const row = await repo.setPersonClientRevoked(trx, tenantId, userId, revoked);
      if (row) forget(row);
    },

    /** For the operator's command line, across tenants: a client by its `client_id` or its row id. */
    async findClientByRef(ref: string) {
      return (await repo.findApiClientByClientId(db, ref)) ?? (isUuid(ref) ? repo.findApiClientByRowId(db, ref) : undefined);
    },
  };
}
