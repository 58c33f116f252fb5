import { principalOf } from '../../platform/http/auth.js';
import { Type } from '@sinclair/typebox';
import { errorsOf, readErrors } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import { eventFeedExample } from './events.examples.js';
import { EventFeed, EventFeedQuery, EventStreamHeaders, EventStreamQuery } from './events.schemas.js';
import type { EventsService } from './events.service.js';
import type { EventStreams } from './events.worker.js';

const STREAM_EXAMPLE =
  'retry: 3000\n: stream open at 41\n\nid: 42\ndata: {"id":"bdf812b6-4db2-48a3-8cd3-3dc784d8882b","position":42,"type":"order.accepted",' +
  '"entity_type":"order","entity_id":"a0d72669-554e-40ea-b9ab-2abf8a0e3141","occurred_at":"2026-11-30T20:22:03.395Z","payload":{}}\n\n: heartbeat\n\n';

export function eventsRoutes(app: App, deps: { events: EventsService; streams: EventStreams }) {
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

  app.get('/v1/events/stream', {
    schema: {
      operationId: 'streamEvents',
      tags: ['Events'],
      summary: 'Follow the event feed live (server-sent events)',
      description:
        'The feed of GET /v1/events as a `text/event-stream` that stays open: each event is one message whose `id` is its position and whose ' +
        '`data` is the event as the feed shows it, with the same visibility (customer and subcontractor clients see only events about their ' +
        'company) and the same `types` filter. A browser `EventSource` reconnects by itself and sends `Last-Event-ID`, and the stream resumes ' +
        'after it; an `id` line without data moves that position past events this caller does not see. A comment line (`: heartbeat`) comes ' +
        'every WAYBILL_EVENT_STREAM_HEARTBEAT_SECONDS. Each client (or signed-in user) holds at most WAYBILL_EVENT_STREAMS_PER_CLIENT streams ' +
        '(429 beyond); a server shutting down ends its streams, and the client reconnects to another process.',
      querystring: EventStreamQuery,
      headers: EventStreamHeaders,
      response: {
        200: {
          description: 'The stream of events',
          content: { 'text/event-stream': { schema: Type.String({ examples: [STREAM_EXAMPLE] }) } },
        },
        ...readErrors(),
        ...errorsOf(503),
      },
    },
    handler: async (request, reply) => {
      const resume = request.headers['last-event-id'];
      const stream = await deps.streams.open(principalOf(request), {
        after: typeof resume === 'string' ? Number(resume) : request.query.after,
        types: request.query.types,
      });
      // The response's close, not the request's: a request without a body closes as soon as it is read.
      reply.raw.on('close', () => stream.close());
      return (
        reply
          .header('content-type', 'text/event-stream; charset=utf-8')
          .header('cache-control', 'no-cache, no-transform')
          .header('x-accel-buffering', 'no')
          // The connection ends with the stream: one kept alive afterwards would hold up a closing server until its keep-alive timeout.
          .header('connection', 'close')
          .send(stream.out)
      );
    },
  });
}
