import { principalOf } from '../../platform/http/auth.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import { EventFeed, EventFeedQuery } from './events.schemas.js';
import type { EventsService } from './events.service.js';

export function eventsRoutes(app: App, deps: { events: EventsService }) {
  app.get('/v1/events', {
    schema: {
      tags: ['Events'],
      summary: 'Read the event feed in order',
      description:
        'Everything that happened, oldest first, for systems that prefer pulling to webhooks. Customer and subcontractor clients see only events about their company. Store `last_position` and pass it as `after` next time.',
      querystring: EventFeedQuery,
      response: { 200: ref(EventFeed), ...errorResponses },
    },
    handler: async (request) => deps.events.feed(principalOf(request), request.query),
  });
}
