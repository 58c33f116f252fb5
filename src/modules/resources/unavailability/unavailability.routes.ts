import { Type } from '@sinclair/typebox';
import { principalOf } from '../../../platform/http/auth.js';
import { errorResponses } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import { ResourceParams } from '../resources.schemas.js';
import {
  ListResourceUnavailabilityOutput,
  ListUnavailabilityChanges,
  ResourceUnavailabilityInput,
  ResourceUnavailabilityOutput,
  UnavailabilityFeedQuery,
  UnavailabilityParams,
  UnavailabilityWindowQuery,
} from './unavailability.schemas.js';
import type { UnavailabilityService } from './unavailability.service.js';

const TAGS = ['Resources'];
const TENANT_ONLY = { roles: ['TENANT' as const] };

export function unavailabilityRoutes(app: App, deps: { unavailability: UnavailabilityService }) {
  const { unavailability } = deps;
  const base = '/v1/resources/resource/:resource_id/unavailability';

  app.get(base, {
    config: TENANT_ONLY,
    schema: {
      tags: TAGS,
      operationId: 'listResourceUnavailability',
      summary: "List a resource's unavailability periods",
      description:
        'Periods overlapping the window `start_time`–`end_time` (either bound may be left out), by start time. Open-ended periods overlap every later window.',
      params: ResourceParams,
      querystring: UnavailabilityWindowQuery,
      response: { 200: ref(ListResourceUnavailabilityOutput), ...errorResponses },
    },
    handler: async (request) => unavailability.listForResource(principalOf(request), request.params.resource_id, request.query),
  });

  app.post(base, {
    config: TENANT_ONLY,
    schema: {
      tags: TAGS,
      operationId: 'createResourceUnavailability',
      summary: 'Add an unavailability period to a resource',
      description: 'Driver reasons apply to drivers, vehicle reasons to every other variant, subcontractor reasons to any resource.',
      params: ResourceParams,
      body: ref(ResourceUnavailabilityInput),
      response: { 200: ref(ResourceUnavailabilityOutput), ...errorResponses },
    },
    handler: async (request) => unavailability.create(principalOf(request), request.params.resource_id, request.body),
  });

  app.get(`${base}/:id`, {
    config: TENANT_ONLY,
    schema: {
      tags: TAGS,
      operationId: 'getResourceUnavailability',
      summary: 'Get an unavailability period',
      description: 'One period of the resource; a deleted period is not found.',
      params: UnavailabilityParams,
      response: { 200: ref(ResourceUnavailabilityOutput), ...errorResponses },
    },
    handler: async (request) => unavailability.get(principalOf(request), request.params.resource_id, request.params.id),
  });

  app.put(`${base}/:id`, {
    config: TENANT_ONLY,
    schema: {
      tags: TAGS,
      operationId: 'replaceResourceUnavailability',
      summary: 'Replace an unavailability period',
      description: 'Replaces the whole period; fields left out are cleared.',
      params: UnavailabilityParams,
      body: ref(ResourceUnavailabilityInput),
      response: { 200: ref(ResourceUnavailabilityOutput), ...errorResponses },
    },
    handler: async (request) => unavailability.replace(principalOf(request), request.params.resource_id, request.params.id, request.body),
  });

  app.delete(`${base}/:id`, {
    config: TENANT_ONLY,
    schema: {
      tags: TAGS,
      operationId: 'deleteResourceUnavailability',
      summary: 'Delete an unavailability period',
      description: 'Irreversible. The change feed (`GET /v1/resources/unavailability`) reports the deletion as a tombstone.',
      params: UnavailabilityParams,
      response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses },
    },
    handler: async (request, reply) => {
      await unavailability.remove(principalOf(request), request.params.resource_id, request.params.id);
      return reply.code(204).send(null);
    },
  });

  app.get('/v1/resources/unavailability', {
    config: TENANT_ONLY,
    schema: {
      tags: TAGS,
      operationId: 'listUnavailabilityChanges',
      summary: 'Every unavailability change of the tenant (Waybill extension)',
      description:
        "The change feed the contract lacks: all resources' periods changed after `updated_after`, oldest change first, deletions included " +
        "as tombstones (`deleted: true`). Keep the last item's `timestamp_updated` (or follow `next_cursor`) to resume.",
      querystring: UnavailabilityFeedQuery,
      response: { 200: ref(ListUnavailabilityChanges), ...errorResponses },
    },
    handler: async (request) => unavailability.changes(principalOf(request), request.query),
  });
}
