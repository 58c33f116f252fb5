import { Type } from '@sinclair/typebox';
import { parseBasic, principalOf } from '../../platform/http/auth.js';
import { badRequest, unauthorized } from '../../platform/http/errors.js';
import { PageQuery, errorsOf, readErrors, writeErrors } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import type { ApiClientRow } from './auth.repo.js';
import {
  apiClientListExample,
  createdApiClientExample,
  meExample,
  newApiClientExample,
  revokedApiClientExample,
  tokenExample,
  tokenFormExample,
} from './auth.examples.js';
import { ApiClientListSchema, ApiClientSchema, CreatedApiClientSchema, MeSchema, NewApiClientSchema, TokenRequestSchema, TokenSchema } from './auth.schemas.js';
import type { AuthService } from './auth.service.js';

function clientOut(row: ApiClientRow) {
  return {
    id: row.id,
    client_id: row.client_id,
    name: row.name,
    role: row.role,
    kind: row.kind,
    company_id: row.company_id,
    created_at: row.created_at.toISOString(),
    revoked_at: row.revoked_at ? row.revoked_at.toISOString() : null,
  };
}

export function authRoutes(app: App, deps: { auth: AuthService; tokenRateLimitPerMinute: number }) {
  const { auth } = deps;

  app.post('/v1/auth/token', {
    config: {
      auth: 'none',
      // Stricter than other routes, and keyed by address, against guessing secrets.
      rateLimit: { max: deps.tokenRateLimitPerMinute, timeWindow: '1 minute', keyGenerator: (req) => `token:${req.ip}` },
    },
    schema: {
      operationId: 'generateToken',
      tags: ['Auth'],
      summary: 'Exchange client credentials for an access token',
      description:
        "Send the client id and secret as HTTP Basic credentials with an empty body (the contract's way), or as the standard " +
        '`grant_type=client_credentials` body, form-encoded or JSON (credentials in the body or in the Basic header). ' +
        'The token is a JWT for `Authorization: Bearer …` on every other API call. WEBHOOK clients call /v1/webhook/* with Basic credentials instead.',
      // Basic is optional here: the credentials may come in the body instead.
      security: [{ clientBasic: [] }, {}],
      consumes: ['application/x-www-form-urlencoded', 'application/json'],
      'x-body-optional': true,
      body: { ...TokenRequestSchema, examples: [tokenFormExample] },
      response: { 200: ref(TokenSchema, { example: tokenExample, description: 'A Bearer token and its lifetime' }), ...errorsOf(400, 401, 403, 413, 415, 429) },
    },
    // The contract's call has no body at all; validate it as an empty form.
    preValidation: async (request) => {
      request.body ??= {};
    },
    handler: async (request) => {
      const basic = parseBasic(request.headers.authorization);
      const form = request.body;
      const id = basic?.id ?? form.client_id;
      const secret = basic?.secret ?? form.client_secret;
      if (!id || !secret) throw unauthorized('Send client_id and secret as HTTP Basic credentials or in the form body');
      if (basic && form.client_id && form.client_id !== basic.id) throw badRequest('client_id in the form differs from the Basic credentials');
      return auth.issueToken(id, secret);
    },
  });

  app.get('/me', {
    schema: {
      operationId: 'whoAmI',
      tags: ['Auth'],
      summary: 'Describe the authenticated client',
      description: 'The tenant, the client and its role, and the company a CUSTOMER or SUBCONTRACTOR client is bound to. Handy to check a token.',
      response: { 200: ref(MeSchema, { example: meExample, description: 'The caller' }), ...readErrors() },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      const { tenant, client } = await auth.describe(principal);
      return {
        tenant: { id: tenant.id, name: tenant.name },
        client: { id: client.id, client_id: client.client_id, name: client.name, role: client.role, kind: client.kind },
        company_id: client.company_id,
      };
    },
  });

  const admin = { roles: ['TENANT' as const] };
  /** A client is named by its row id or by the `client_id` (`wb_…`) it authenticates with. */
  const ClientRefParams = Type.Object({
    id: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$', description: 'The row id (uuid) or the client_id (`wb_…`)' }),
  });

  app.post('/v1/admin/api-clients', {
    config: { ...admin, secretFields: ['client_secret'] },
    schema: {
      operationId: 'createApiClient',
      tags: ['Admin'],
      summary: 'Create an API client',
      description:
        'The secret is returned only in this response: an idempotent replay answers without it (header ' +
        '`Secret-Shown-Once: client_secret`). Only TENANT clients may manage clients. CUSTOMER and SUBCONTRACTOR clients are bound to ' +
        'a company, named by id or code; `kind: WEBHOOK` makes credentials for the inbound webhooks (HTTP Basic) instead of Bearer tokens.',
      body: ref(NewApiClientSchema, { example: newApiClientExample }),
      response: { 201: ref(CreatedApiClientSchema, { example: createdApiClientExample, description: 'The new client with its secret' }), ...writeErrors(409) },
    },
    handler: async (request, reply) => {
      const { tenantId } = principalOf(request);
      const { client, clientSecret } = await auth.createClient(tenantId, {
        name: request.body.name,
        role: request.body.role,
        kind: request.body.kind,
        companyId: request.body.company_id,
      });
      return reply.code(201).send({ ...clientOut(client), client_secret: clientSecret });
    },
  });

  app.get('/v1/admin/api-clients', {
    config: admin,
    schema: {
      operationId: 'listApiClients',
      tags: ['Admin'],
      summary: 'List API clients',
      description: "The tenant's clients, oldest first, revoked ones included; secrets are never shown again. Page with `next_cursor`.",
      querystring: Type.Object(PageQuery),
      response: { 200: ref(ApiClientListSchema, { example: apiClientListExample, description: 'One page of clients' }), ...readErrors() },
    },
    handler: async (request) => {
      const page = await auth.listClients(principalOf(request).tenantId, request.query);
      return { items: page.rows.map(clientOut), next_cursor: page.next_cursor };
    },
  });

  app.delete('/v1/admin/api-clients/:id', {
    config: admin,
    schema: {
      operationId: 'revokeApiClient',
      tags: ['Admin'],
      summary: 'Revoke an API client',
      description:
        'Name the client by its row id or its `client_id` (`wb_…`). Its tokens and webhook credentials stop working. Revoking twice is harmless. A client cannot revoke ' +
        "itself, and the tenant's last active TENANT API client cannot be revoked (409): either would lock the tenant out.",
      params: ClientRefParams,
      response: { 200: ref(ApiClientSchema, { example: revokedApiClientExample, description: 'The client, with `revoked_at` set' }), ...writeErrors(404, 409) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return clientOut(await auth.revokeClient(principal.tenantId, request.params.id, principal));
    },
  });
}
