import { principalOf } from '../../platform/http/auth.js';
import { readErrors } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import { eventFeedExample } from './events.examples.js';
import { EventFeed, EventFeedQuery } from './events.schemas.js';
import type { EventsService } from './events.service.js';

export function eventsRoutes(app: App, deps: { events: EventsService }) {
  app.get('/v1/events', {
    schema: {
      operationId: 'readEventFeed',
      tags: ['Events'],
      summary: 'Read the event feed in order',
      description:
        "Everything that happened, oldest first, for systems that prefer pulling to webhooks. Customer and subcontractor clients see only events about their company. Keep `last_position` and pass it as `after` next time (it also moves past events your `types` filter skipped). `next_after` is null once you have caught up; otherwise more events are waiting, so ask again at once. `entity_type` and `entity_id` narrow it to one entity's history (an order's, a trip's).",
      querystring: EventFeedQuery,
      response: { 200: ref(EventFeed, { example: eventFeedExample, description: 'The next events in order' }), ...readErrors() },
    },
    handler: async (request) => deps.events.feed(principalOf(request), request.query),
  });
}
