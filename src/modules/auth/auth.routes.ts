import { Type } from '@sinclair/typebox';
import { parseBasic, principalOf } from '../../platform/http/auth.js';
import { badRequest, unauthorized } from '../../platform/http/errors.js';
import { IdParams, PageQuery, errorResponses } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import type { ApiClientRow } from './auth.repo.js';
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
      tags: ['Auth'],
      summary: 'Exchange client credentials for an access token',
      description:
        'Send the client id and secret as HTTP Basic credentials with an empty body, or as the standard ' +
        '`grant_type=client_credentials` form (credentials in the form or in the Basic header).',
      body: TokenRequestSchema,
      response: { 200: ref(TokenSchema), ...errorResponses },
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
      tags: ['Auth'],
      summary: 'Describe the authenticated client',
      response: { 200: ref(MeSchema), ...errorResponses },
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

  app.post('/v1/admin/api-clients', {
    config: { ...admin, secretFields: ['client_secret'] },
    schema: {
      tags: ['Admin'],
      summary: 'Create an API client',
      description:
        'The secret is returned only in this response: an idempotent replay answers without it (header ' +
        '`Secret-Shown-Once: client_secret`). Only TENANT clients may manage clients.',
      body: ref(NewApiClientSchema),
      response: { 201: ref(CreatedApiClientSchema), ...errorResponses },
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
      tags: ['Admin'],
      summary: 'List API clients',
      querystring: Type.Object(PageQuery),
      response: { 200: ref(ApiClientListSchema), ...errorResponses },
    },
    handler: async (request) => {
      const page = await auth.listClients(principalOf(request).tenantId, request.query);
      return { items: page.rows.map(clientOut), next_cursor: page.next_cursor };
    },
  });

  app.delete('/v1/admin/api-clients/:id', {
    config: admin,
    schema: {
      tags: ['Admin'],
      summary: 'Revoke an API client',
      description:
        'Its tokens and webhook credentials stop working. Revoking twice is harmless. A client cannot revoke ' +
        "itself, and the tenant's last active TENANT API client cannot be revoked (409): either would lock the tenant out.",
      params: IdParams,
      response: { 200: ref(ApiClientSchema), ...errorResponses },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return clientOut(await auth.revokeClient(principal.tenantId, request.params.id, principal));
    },
  });
}
