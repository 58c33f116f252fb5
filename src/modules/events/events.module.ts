import type { App } from '../../platform/http/types.js';
import { eventsRoutes } from './events.routes.js';
import { eventSchemas } from './events.schemas.js';
import { createEventsService, type EventsService } from './events.service.js';

/**
 * The events module wired once: the feed's service, the schemas it adds to the app and its routes.
 * Appending events is the kernel's (platform/events); each module declares its own event types.
 */
export function createEvents(deps: Parameters<typeof createEventsService>[0]): Events {
  return createEventsService(deps);
}

export type Events = EventsService;

export const eventsModuleSchemas = eventSchemas;

export function eventsModuleRoutes(app: App, events: Events) {
  eventsRoutes(app, { events });
}
