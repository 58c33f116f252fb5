import type { FastifyInstance } from 'fastify';
import { Gauge, type Registry } from 'prom-client';
import { AppError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A large upload (a file or an e-invoice): counted against its client's uploads in flight. */
    upload?: boolean;
  }
}

/** Long enough for one upload of a few MiB to finish on an ordinary link. */
const RETRY_AFTER_SECONDS = 5;

/**
 * At most `perClient` uploads in flight per verified client (its row id, however its credentials
 * are spelled). Each upload holds up to a document's size in memory or on its way to disk, so six
 * at once from one client would add six times that; one more is refused with 429 as soon as its
 * headers are authenticated, before any of its body is read, and its connection is closed so the
 * rest of the body is not read either. A slot is given back when the answer is sent or the
 * connection closes, whichever comes first.
 *
 * Registered after authentication (hooks run in the order they are added), so the principal is
 * known; routes without one are not uploads.
 */
export function registerUploadLimit(app: FastifyInstance, perClient: number, registry: Registry): void {
  const inFlight = new Map<string, number>();
  new Gauge({
    name: 'waybill_uploads_in_flight',
    help: 'Large uploads (e-invoices, documents) being received or processed now, across clients',
    registers: [registry],
    collect() {
      let total = 0;
      for (const n of inFlight.values()) total += n;
      this.set(total);
    },
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.routeOptions.config?.upload || !request.principal) return;
    const client = request.principal.apiClientId;
    const count = inFlight.get(client) ?? 0;
    if (count >= perClient) {
      reply.header('connection', 'close');
      throw new AppError(429, `At most ${perClient} uploads at a time per client: retry once one of them has its answer`, [], {
        'retry-after': String(RETRY_AFTER_SECONDS),
      });
    }
    inFlight.set(client, count + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (inFlight.get(client) ?? 1) - 1;
      if (left > 0) inFlight.set(client, left);
      else inFlight.delete(client);
    };
    reply.raw.once('finish', release);
    reply.raw.once('close', release);
  });
}
