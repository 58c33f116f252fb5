import type { App } from '../../platform/http/types.js';
import { eventsRoutes } from './events.routes.js';
import { eventSchemas } from './events.schemas.js';
import { createEventsService, type EventsService } from './events.service.js';
import { createEventStreams, type EventStreamOptions } from './events.worker.js';

/**
 * The events module wired once: the feed's service, the schemas it adds to the app and its routes.
 * Appending events is the kernel's (platform/events); each module declares its own event types.
 */
export function createEvents(deps: Parameters<typeof createEventsService>[0] & Omit<EventStreamOptions, 'feed' | 'onError'>): Events {
  const service = createEventsService(deps);
  return { ...service, streamOptions: deps };
}

export type Events = EventsService & { streamOptions: Omit<EventStreamOptions, 'feed' | 'onError'> };

export const eventsModuleSchemas = eventSchemas;

/** The routes, and the live streams that belong to this app: they end when it closes, before it waits for requests in flight. */
export function eventsModuleRoutes(app: App, events: Events) {
  const streams = createEventStreams({ ...events.streamOptions, feed: events.feed, onError: (err) => app.log.warn({ err }, 'event stream failed') });
  app.addHook('preClose', async () => streams.closeAll());
  eventsRoutes(app, { events, streams });
}
