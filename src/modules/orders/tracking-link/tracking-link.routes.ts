import { principalOf } from '../../../platform/http/auth.js';
import { errorsOf, readErrors, writeErrors } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import { OrderParams } from '../orders.schemas.js';
import { publicTrackingExample, trackingLinkExample, trackingLinkStateExample } from './tracking-link.examples.js';
import { PublicTracking, TrackingLink, TrackingLinkState, TrackingTokenParams } from './tracking-link.schemas.js';
import type { TrackingLinks } from './tracking-link.service.js';

const TAGS = ['Orders'];
const LINK = '/v1/orders/order/:order_id/tracking-link';

export function trackingLinkRoutes(app: App, deps: { links: TrackingLinks }) {
  const { links } = deps;

  app.post(LINK, {
    // The token is shown once: an idempotent replay answers without it.
    config: { roles: ['TENANT', 'CUSTOMER'], secretFields: ['token', 'url'] },
    schema: {
      operationId: 'createOrderTrackingLink',
      tags: TAGS,
      summary: 'Make a public tracking link for an order (Waybill)',
      description:
        "A link anyone can open without signing in, showing only the order's status, the expected arrival and the delivery town " +
        '(GET /v1/public/tracking/{token}). A new link replaces the previous one, which stops working at once. Tenant clients and the ' +
        "order's own customer may make it; the token is shown only in this answer (an idempotent replay leaves it out).",
      params: OrderParams,
      response: { 201: ref(TrackingLink, { example: trackingLinkExample, description: 'The new link' }), ...writeErrors(404, 409) },
    },
    handler: async (request, reply) => reply.code(201).send(await links.create(principalOf(request), request.params.order_id)),
  });

  app.get(LINK, {
    // No role list: a subcontractor (who may carry the order) gets the same 404 as for an order it cannot see.
    schema: {
      operationId: 'getOrderTrackingLink',
      tags: TAGS,
      summary: 'Whether an order has a public tracking link (Waybill)',
      description:
        'Whether the order has a live tracking link, when it was made and by whom (an API client or a person). Never the token: it is ' +
        "shown once, when the link is made. Tenant clients and the order's own customer may ask; anyone else gets 404, as for an order " +
        'that does not exist.',
      params: OrderParams,
      response: { 200: ref(TrackingLinkState, { example: trackingLinkStateExample, description: 'The link, if any' }), ...readErrors(404) },
    },
    handler: async (request) => links.state(principalOf(request), request.params.order_id),
  });

  app.delete(LINK, {
    config: { roles: ['TENANT', 'CUSTOMER'] },
    schema: {
      operationId: 'revokeOrderTrackingLink',
      tags: TAGS,
      summary: "Revoke an order's public tracking link (Waybill)",
      description: 'The link answers 404 from then on. 404 when the order has no link, or the caller may not see the order.',
      params: OrderParams,
      response: { 204: { type: 'null', description: 'Revoked' }, ...writeErrors(404) },
    },
    handler: async (request, reply) => {
      await links.revoke(principalOf(request), request.params.order_id);
      return reply.code(204).send();
    },
  });

  app.get('/v1/public/tracking/:token', {
    // No credentials: the token is the permission. Rate-limited per address like every unauthenticated route.
    config: { auth: 'none' },
    schema: {
      operationId: 'readPublicTracking',
      tags: TAGS,
      summary: 'Read a public tracking link (no sign-in)',
      description:
        "The order's status, expected arrival and delivery town, for whoever holds the link's token; nothing else about the order. " +
        '404 for a token that is unknown, replaced or revoked.',
      security: [],
      params: TrackingTokenParams,
      response: { 200: ref(PublicTracking, { example: publicTrackingExample, description: 'Where the order stands' }), ...errorsOf(400, 401, 404, 429) },
    },
    handler: async (request) => links.read(request.params.token),
  });
}
