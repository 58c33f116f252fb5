import dns from 'node:dns';
import net from 'node:net';
import { Agent } from 'undici';
import type { AddressPolicy } from './address-policy.js';

export interface PostResult {
  /** Undefined when no response arrived (refused connection, timeout, disallowed address). */
  statusCode?: number;
  headers: Record<string, string | string[] | undefined>;
  /** The first `maxBodyBytes` of the response body, decoded as UTF-8. */
  bodyExcerpt: string;
  latencyMs: number;
  error?: string;
}

export interface GuardedHttpOptions {
  policy: AddressPolicy;
  timeoutMs: number;
  /** Open connections kept per origin; bounds how hard one receiver is hit from this process. */
  connectionsPerOrigin: number;
  maxBodyBytes?: number;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

class DisallowedAddressError extends Error {
  code = 'EADDRNOTALLOWED';
}

/**
 * An HTTP client for calling receivers that customers configure, so it must not be turned against
 * Waybill's own network (SSRF). Every connection resolves the name itself and keeps only allowed
 * addresses, so DNS re-pointed after registration (rebinding) cannot reach a private address.
 * IP literals never go through `lookup`, so they are checked before the request. Redirects are not
 * followed (undici's `request` never does), and the response body is read only up to a cap.
 */
export class GuardedHttpClient {
  private readonly agent: Agent;
  private readonly maxBodyBytes: number;

  constructor(private readonly options: GuardedHttpOptions) {
    const { policy } = options;
    this.maxBodyBytes = options.maxBodyBytes ?? 4096;
    const guardedLookup = (hostname: string, lookupOptions: dns.LookupOptions, callback: LookupCallback) => {
      dns.lookup(hostname, { ...lookupOptions, all: true }, (err, addresses) => {
        if (err) return callback(err, []);
        const allowed = addresses.filter((a) => policy.allows(a.address));
        if (!allowed.length) return callback(new DisallowedAddressError(`${hostname} resolves only to disallowed addresses`), []);
        if (lookupOptions.all) return callback(null, allowed);
        const first = allowed[0] as dns.LookupAddress;
        callback(null, first.address, first.family);
      });
    };
    this.agent = new Agent({
      connections: options.connectionsPerOrigin,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { lookup: guardedLookup as unknown as typeof dns.lookup, timeout: options.timeoutMs },
    });
  }

  /**
   * POSTs `body` and settles with what came back, never rejecting. It drives undici's dispatcher
   * directly with a small handler: the `request()` wrapper's abort signal and body stream cost
   * about half the CPU of a delivery, and a webhook needs neither (we read at most a few KiB).
   * One timer bounds the whole exchange; the agent's header and body timeouts bound the gaps.
   */
  post(url: string, body: string, headers: Record<string, string>): Promise<PostResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return Promise.resolve({ headers: {}, bodyExcerpt: '', latencyMs: 0, error: `invalid URL ${url}` });
    }
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    if (net.isIP(host) && !this.options.policy.allows(host)) {
      return Promise.resolve({ headers: {}, bodyExcerpt: '', latencyMs: 0, error: `disallowed address ${host}` });
    }
    const maxBodyBytes = this.maxBodyBytes;
    return new Promise<PostResult>((resolve) => {
      let statusCode: number | undefined;
      let responseHeaders: Record<string, string | string[] | undefined> = {};
      const chunks: Buffer[] = [];
      let size = 0;
      let abort: ((reason?: Error) => void) | undefined;
      let settled = false;
      const finish = (error?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const bodyExcerpt = Buffer.concat(chunks).subarray(0, maxBodyBytes).toString('utf8');
        // A body cut at the cap still counts as an answer: the status line and headers arrived.
        if (statusCode !== undefined && (error === undefined || error instanceof BodyCapReached)) {
          resolve({ statusCode, headers: responseHeaders, bodyExcerpt, latencyMs: elapsed() });
        } else {
          resolve({ headers: {}, bodyExcerpt: '', latencyMs: elapsed(), error: describe(error) });
        }
      };
      const timer = setTimeout(() => {
        const timeout = new Error('timeout');
        timeout.name = 'TimeoutError';
        if (abort) abort(timeout);
        finish(timeout);
      }, this.options.timeoutMs);
      try {
        this.agent.dispatch(
          { origin: target.origin, path: `${target.pathname}${target.search}`, method: 'POST', body, headers },
          {
            onConnect: (abortRequest: (reason?: Error) => void) => {
              abort = abortRequest;
              // Timed out while queued for a connection: we already gave up, so send nothing.
              if (settled) abortRequest(new Error('timeout'));
            },
            onHeaders: (code: number, rawHeaders: Buffer[]) => {
              statusCode = code;
              responseHeaders = parseRawHeaders(rawHeaders);
              return true;
            },
            onData: (chunk: Buffer) => {
              chunks.push(chunk);
              size += chunk.length;
              // Stop reading: a receiver must not be able to make us download a large body.
              if (size >= maxBodyBytes && abort) abort(new BodyCapReached());
              return true;
            },
            onComplete: () => finish(),
            onError: (err: Error) => finish(err),
          },
        );
      } catch (err) {
        finish(err); // invalid headers and the like are refused before anything is sent
      }
    });
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

class BodyCapReached extends Error {
  constructor() {
    super('response body cap reached');
  }
}

function parseRawHeaders(raw: Buffer[]): Record<string, string | string[] | undefined> {
  const headers: Record<string, string | string[] | undefined> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as Buffer).toString('latin1').toLowerCase();
    const value = (raw[i + 1] as Buffer).toString('latin1');
    const existing = headers[name];
    headers[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return headers;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const code = (err as { code?: string }).code ?? (cause as { code?: string } | undefined)?.code;
  if (err.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  const message = cause instanceof Error ? cause.message : err.message;
  return (code ? `${code}: ${message}` : message).slice(0, 500);
}
