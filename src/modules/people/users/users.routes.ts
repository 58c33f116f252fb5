import { Type } from '@sinclair/typebox';
import { principalOf } from '../../../platform/http/auth.js';
import { IdParams, PageQuery, readErrors, writeErrors } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import { disabledUserExample, invitedExample, newUserExample, userExample, userListExample } from '../people.examples.js';
import { InvitedUserSchema, NewUserSchema, UserListSchema, UserSchema } from '../people.schemas.js';
import { userOut } from './users.output.js';
import type { UsersService } from './users.service.js';

const TAGS = ['People and sessions'];

export function usersRoutes(app: App, users: UsersService) {
  const admin = { roles: ['TENANT' as const] };

  app.post('/v1/admin/users', {
    config: { ...admin, secretFields: ['invite_url'] },
    schema: {
      operationId: 'inviteUser',
      tags: TAGS,
      summary: 'Invite a person',
      description:
        'Creates a person (status INVITED) and answers a one-time `invite_url` that sets their password: pass it on however you like, no mail ' +
        'server is involved. The token is in the URL fragment, so it never reaches a server log. CUSTOMER and SUBCONTRACTOR people need a ' +
        '`company_id` and see only that company’s objects. An email address belongs to one person across all tenants (409 otherwise). ' +
        'An idempotent replay answers without the link (header `Secret-Shown-Once: invite_url`).',
      body: ref(NewUserSchema, { example: newUserExample }),
      response: { 201: ref(InvitedUserSchema, { example: invitedExample, description: 'The person and their invite link' }), ...writeErrors(409) },
    },
    handler: async (request, reply) => {
      const { tenantId } = principalOf(request);
      const { user, inviteUrl } = await users.invite(tenantId, {
        email: request.body.email,
        name: request.body.name,
        role: request.body.role,
        companyId: request.body.company_id,
        language: request.body.language,
      });
      return reply.code(201).send({ user: userOut(user), invite_url: inviteUrl });
    },
  });

  app.get('/v1/admin/users', {
    config: admin,
    schema: {
      operationId: 'listUsers',
      tags: TAGS,
      summary: 'List people',
      description: 'The tenant’s people, oldest first, disabled ones included. Page with `next_cursor`.',
      querystring: Type.Object(PageQuery),
      response: { 200: ref(UserListSchema, { example: userListExample, description: 'One page of people' }), ...readErrors() },
    },
    handler: async (request) => {
      const page = await users.list(principalOf(request).tenantId, request.query);
      return { items: page.rows.map(userOut), next_cursor: page.next_cursor };
    },
  });

  app.get('/v1/admin/users/:id', {
    config: admin,
    schema: {
      operationId: 'getUser',
      tags: TAGS,
      summary: 'Get a person',
      description: 'One person of the tenant.',
      params: IdParams,
      response: { 200: ref(UserSchema, { example: userExample, description: 'The person' }), ...readErrors(404) },
    },
    handler: async (request) => userOut(await users.get(principalOf(request).tenantId, request.params.id)),
  });

  app.post('/v1/admin/users/:id/disable', {
    config: admin,
    schema: {
      operationId: 'disableUser',
      tags: TAGS,
      summary: 'Disable a person',
      description:
        'The person can no longer sign in; every session of theirs ends at once and an open invite link dies. Disabling twice is harmless; ' +
        'nobody can disable themselves (409).',
      params: IdParams,
      response: { 200: ref(UserSchema, { example: disabledUserExample, description: 'The person, DISABLED' }), ...writeErrors(404, 409) },
    },
    handler: async (request) => userOut(await users.disable(principalOf(request), request.params.id)),
  });

  app.post('/v1/admin/users/:id/enable', {
    config: admin,
    schema: {
      operationId: 'enableUser',
      tags: TAGS,
      summary: 'Enable a person again',
      description: 'A disabled person may sign in again (ACTIVE), or, if they never set a password, is INVITED and needs a new invite link.',
      params: IdParams,
      response: { 200: ref(UserSchema, { example: userExample, description: 'The person' }), ...writeErrors(404, 409) },
    },
    handler: async (request) => userOut(await users.enable(principalOf(request).tenantId, request.params.id)),
  });

  app.post('/v1/admin/users/:id/invite', {
    config: { ...admin, secretFields: ['invite_url'] },
    schema: {
      operationId: 'reinviteUser',
      tags: TAGS,
      summary: 'Invite a person again',
      description:
        'A new one-time link for the person (a lost link, a forgotten password); the earlier link stops working. Their sessions go on until ' +
        'the link is used. A disabled person must be enabled first (409).',
      params: IdParams,
      response: { 200: ref(InvitedUserSchema, { example: invitedExample, description: 'The person and their new invite link' }), ...writeErrors(404, 409) },
    },
    handler: async (request) => {
      const { user, inviteUrl } = await users.reinvite(principalOf(request).tenantId, request.params.id);
      return { user: userOut(user), invite_url: inviteUrl };
    },
  });
}
