import { principalOf } from '../../platform/http/auth.js';
import { readErrors, writeErrors } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import { ResourceParams } from '../resources/index.js';
import { ResourcePositions, TrackingUpdatePayload, TrackingUpdateResponse } from './tracking.schemas.js';
import type { TrackingService } from './tracking.service.js';

const TAGS = ['Tracking'];

export function trackingRoutes(app: App, deps: { tracking: TrackingService }) {
  const { tracking } = deps;

  app.post('/v1/webhook/tracking-update', {
    config: { auth: 'basic', roles: ['TENANT'] },
    schema: {
      security: [{ webhookBasic: [] }],
      operationId: 'trackingUpdate',
      tags: TAGS,
      summary: "Report own resources' positions (telematics)",
      description:
        'Each update names one active own resource through `tracking_match` (driver, vehicle or container by name, `generic_id` = id, ' +
        'external id or code, or `integration_object_id` = external id). Positions are kept (the newest 100 per resource); a position ' +
        'newer than any before reaches the customers of the live trips the resource is dispatched on as a Resource visibility update. ' +
        'No ETA is derived from a position. Updates that name no single resource, and data other than positions, are listed in `errors`.',
      body: ref(TrackingUpdatePayload),
      response: { 200: ref(TrackingUpdateResponse), ...writeErrors(409) },
    },
    handler: async (request) => tracking.receive(principalOf(request), request.body),
  });

  app.get('/v1/resources/resource/:resource_id/positions', {
    config: { roles: ['TENANT'] },
    schema: {
      operationId: 'getResourcePositions',
      tags: TAGS,
      summary: "A resource's last known position and recent history (Waybill)",
      description: 'As reported through the tracking webhook, newest first.',
      params: ResourceParams,
      response: { 200: ref(ResourcePositions), ...readErrors(404) },
    },
    handler: async (request) => tracking.positions(principalOf(request), request.params.resource_id),
  });
}
