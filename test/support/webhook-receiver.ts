import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  path: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (a slow receiver). */
  delayMs?: number;
  /** Answer only once this settles (a receiver stalled until the test says so). */
  until?: Promise<unknown>;
}

/**
 * A real HTTP receiver on 127.0.0.1 for webhook tests: records every request and answers with
 * whatever `respond` says for it (by default 200 `{}`).
 */
export class Receiver {
  readonly received: Received[] = [];
  respond: (req: Received, index: number) => Reply = () => ({});
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), path: req.url ?? '/' };
      const index = this.received.push(entry) - 1;
      const reply = this.respond(entry, index);
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.body ?? '{}');
      };
      if (reply.until) void reply.until.then(answer);
      else if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });

  /**
   * Messages received at least once, by webhook-id. Delivery is at-least-once: under load a lease
   * can run out before an outcome is written and the message is sent again, so a test waiting for
   * "every message" counts ids, not requests.
   */
  get distinctMessages(): number {
    return new Set(this.received.map((m) => m.headers['webhook-id'])).size;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
