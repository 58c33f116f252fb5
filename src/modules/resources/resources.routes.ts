import { Type } from '@sinclair/typebox';
import { principalOf } from '../../platform/http/auth.js';
import { etagOf, sendVersioned } from '../../platform/http/etag.js';
import { conditionalErrorResponses, errorResponses, IfMatchHeaders, PageQuery, writeErrors } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import {
  ListResourceGroupOutput,
  ListResourceOutput,
  PartialResourceInput,
  ResourceBulkInput,
  ResourceBulkOutput,
  ResourceGroupInput,
  ResourceGroupOutput,
  ResourceInput,
  ResourceListQuery,
  ResourceOutput,
  ResourceParams,
} from './resources.schemas.js';
import type { ResourcesService } from './resources.service.js';

const TAGS = ['Resources'];
const TENANT_ONLY = { roles: ['TENANT' as const] };
const ETAG_NOTE = 'The answer carries the version as `ETag`; send it back as `If-Match` to get 412 instead of overwriting a newer change.';

export function resourcesRoutes(app: App, deps: { resources: ResourcesService }) {
  const { resources } = deps;
  const base = '/v1/resources/resource';

  app.post(base, {
    config: TENANT_ONLY,
    schema: {
      tags: TAGS,
      operationId: 'createResource',
      summary: 'Create a resource (driver, vehicle, trailer, chassis or container)',
      description:
        'The variant is the one sub-object sent (`driver`, `tractor`, `truck`, `van`, `trailer`, `full_trailer`, `chassis`, `container`); ' +
        `\`resource_type\` may name it too. \`external_id\` is unique per tenant (409 otherwise). Measures may be numbers or decimal strings and come back as decimal strings. ${ETAG_NOTE}`,
      body: ref(ResourceInput),
      response: { 200: ref(ResourceOutput), ...errorResponses },
    },
    handler: async (request, reply) => sendVersioned(reply, await resources.create(principalOf(request), request.body)),
  });

  // Not under /v1/resources/resource/: there `bulk` would meet the item routes' `:resource_id`, and
  // another method on it would be a 400 about the id instead of a 405.
  app.post('/v1/resources/bulk', {
    config: TENANT_ONLY,
    schema: {
      tags: TAGS,
      operationId: 'createResourcesInBulk',
      summary: 'Create up to 500 resources at once (Waybill extension)',
      description:
        'Not in the reference contract: for initial loads. Each record is what POST /v1/resources/resource takes and is checked on its own; ' +
        '`results` answers each at its index with the resource (200) or the error envelope (400, or 409 for an `external_id` already used, ' +
        'also earlier in the same batch). The accepted records are written in one transaction, each with its master_data event.',
      body: ref(ResourceBulkInput),
      response: { 200: ref(ResourceBulkOutput, { description: 'One result per record' }), ...writeErrors(409) },
    },
    handler: async (request) => ({ results: await resources.createMany(principalOf(request), request.body.records) }),
  });

  app.get(base, {
    config: TENANT_ONLY,
    schema: {
      tags: TAGS,
      operationId: 'listResources',
      summary: 'List resources, oldest change first',
      description:
        'Filters: `updated_after` (what changed since your last sync), `external_id` / `external_id:in`, `resource_type` / `resource_type:in`, and (Waybill) `q`, a search in the name, code, external id or licence plate. ' +
        'Follow `next_cursor`; pages stay consistent while records change (a record changed during the walk comes again later, never skipped). Archived resources are listed with `is_active: false`.',
      querystring: ResourceListQuery,
      response: { 200: ref(ListResourceOutput), ...errorResponses },
    },
    handler: async (request) => resources.list(principalOf(request), request.query),
  });

  app.get(`${base}/:resource_id`, {
    config: TENANT_ONLY,
    schema: {
      tags: TAGS,
      operationId: 'getResource',
      summary: 'Get a resource',
      description: `The resource in its variant's shape, id as \`row_id\`. ${ETAG_NOTE}`,
      params: ResourceParams,
      response: { 200: ref(ResourceOutput), ...errorResponses },
    },
    handler: async (request, reply) => sendVersioned(reply, await resources.get(principalOf(request), request.params.resource_id)),
  });

  app.put(`${base}/:resource_id`, {
    config: TENANT_ONLY,
    schema: {
      tags: TAGS,
      operationId: 'replaceResource',
      summary: 'Replace a resource',
      description: `Sends the whole resource; its variant cannot change. Resource groups and the active flag are kept. ${ETAG_NOTE}`,
      params: ResourceParams,
      headers: IfMatchHeaders,
      body: ref(ResourceInput),
      response: { 200: ref(ResourceOutput), ...conditionalErrorResponses },
    },
    handler: async (request, reply) =>
      sendVersioned(reply, await resources.replace(principalOf(request), request.params.resource_id, request.body, request.headers['if-match'])),
  });

  app.patch(`${base}/:resource_id`, {
    config: TENANT_ONLY,
    schema: {
      tags: TAGS,
      operationId: 'updateResource',
      summary: 'Change parts of a resource',
      description:
        "Fields sent replace the stored ones (null clears); inside the variant's sub-object field by field. `extras` replaces the list. " +
        `\`resource_group\` allocates the resource to one group, null removes it from its groups. \`is_active: true\` reactivates an archived resource. ${ETAG_NOTE}`,
      params: ResourceParams,
      headers: IfMatchHeaders,
      body: ref(PartialResourceInput),
      response: { 200: ref(ResourceOutput), ...conditionalErrorResponses },
    },
    handler: async (request, reply) =>
      sendVersioned(reply, await resources.patch(principalOf(request), request.params.resource_id, request.body, request.headers['if-match'])),
  });

  app.delete(`${base}/:resource_id`, {
    config: TENANT_ONLY,
    schema: {
      tags: TAGS,
      operationId: 'archiveResource',
      summary: 'Archive a resource',
      description: 'Sets `is_active` to false. The resource stays readable and listed, but can no longer be put on a trip.',
      params: ResourceParams,
      headers: IfMatchHeaders,
      response: { 204: Type.Null({ description: 'Archived' }), ...conditionalErrorResponses },
    },
    handler: async (request, reply) => {
      const archived = await resources.archive(principalOf(request), request.params.resource_id, request.headers['if-match']);
      reply.header('etag', etagOf(archived.version));
      return reply.code(204).send(null);
    },
  });

  app.get('/v1/resources/resource_groups', {
    config: TENANT_ONLY,
    schema: {
      tags: TAGS,
      operationId: 'listResourceGroups',
      summary: 'List resource groups',
      description: "The tenant's live resource groups (archived ones are left out), oldest first.",
      querystring: Type.Object(PageQuery),
      response: { 200: ref(ListResourceGroupOutput), ...errorResponses },
    },
    handler: async (request) => resources.listGroups(principalOf(request), request.query),
  });

  app.post('/v1/resources/resource_groups', {
    config: TENANT_ONLY,
    schema: {
      tags: TAGS,
      operationId: 'createResourceGroup',
      summary: 'Create a resource group (Waybill extension)',
      description: 'Groups are what `PATCH …/resource/{resource_id}` with `resource_group` allocates resources to. `code` is unique per tenant.',
      body: ref(ResourceGroupInput),
      response: { 200: ref(ResourceGroupOutput), ...errorResponses },
    },
    handler: async (request) => resources.createGroup(principalOf(request), request.body),
  });
}
