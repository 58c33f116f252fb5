import dns from 'node:dns';
import net from 'node:net';
import type { Agent } from 'undici';
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

/** The result of a POST that got no response: refused before sending, unreachable, or timed out. */
export function noAnswer(error: string, latencyMs = 0): PostResult {
  return { headers: {}, bodyExcerpt: '', latencyMs, error };
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
  private agent: Agent | undefined;
  private agentLoading: Promise<Agent> | undefined;
  private readonly agentOptions: Agent.Options;
  private readonly maxBodyBytes: number;
  private readonly verdicts = new Map<string, boolean>();

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
    this.agentOptions = {
      connections: options.connectionsPerOrigin,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { lookup: guardedLookup as unknown as typeof dns.lookup, timeout: options.timeoutMs },
    };
  }

  /**
   * undici is loaded with the first POST, not at start: importing it was a tenth of a restart's
   * CPU (docs/benchmarks.md, issue 19), and a process may never send a webhook.
   */
  private loadAgent(): Promise<Agent> {
    return (this.agentLoading ??= import('undici').then(({ Agent }) => (this.agent = new Agent(this.agentOptions))));
  }

  /**
   * POSTs `body` and settles with what came back, never rejecting. It drives undici's dispatcher
   * directly with a small handler: the `request()` wrapper's abort signal and body stream cost
   * about half the CPU of a delivery, and a webhook needs neither (we read at most a few KiB).
   */
  post(url: string, body: string, headers: Record<string, string>): Promise<PostResult> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return Promise.resolve(noAnswer(`invalid URL ${url}`));
    }
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    if (net.isIP(host) && !this.literalAllowed(host)) {
      return Promise.resolve(noAnswer(`disallowed address ${host}`));
    }
    const agent = this.agent;
    if (!agent)
      return this.loadAgent().then(
        () => this.post(url, body, headers),
        (err: unknown) => noAnswer(`no HTTP client: ${String(err)}`),
      );
    return new Promise<PostResult>((resolve) => {
      const exchange = new Exchange(resolve, this.maxBodyBytes, this.options.timeoutMs);
      try {
        agent.dispatch({ origin: target.origin, path: `${target.pathname}${target.search}`, method: 'POST', body, headers }, exchange);
      } catch (err) {
        exchange.onError(err as Error); // invalid headers and the like are refused before anything is sent
      }
    });
  }

  /** The policy's verdict on an IP literal, remembered: receivers are few and called often. */
  private literalAllowed(host: string): boolean {
    let verdict = this.verdicts.get(host);
    if (verdict === undefined) {
      verdict = this.options.policy.allows(host);
      if (this.verdicts.size >= 10_000) this.verdicts.clear();
      this.verdicts.set(host, verdict);
    }
    return verdict;
  }

  async close(): Promise<void> {
    const agent = await this.agentLoading?.catch(() => undefined);
    await agent?.close();
  }
}

/**
 * One POST as undici's dispatcher sees it (its handler interface), settling one promise. One timer
 * bounds the whole exchange; the agent's header and body timeouts bound the gaps within it.
 */
class Exchange {
  private readonly started = performance.now();
  private readonly timer: NodeJS.Timeout;
  private statusCode: number | undefined;
  private rawHeaders: Buffer[] = [];
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private abort: ((reason?: Error) => void) | undefined;
  private settled = false;

  constructor(
    private readonly resolve: (result: PostResult) => void,
    private readonly maxBodyBytes: number,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.timeout(), timeoutMs);
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.abort = abort;
    // Timed out while queued for a connection: we already gave up, so send nothing.
    if (this.settled) abort(new Error('timeout'));
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.statusCode = statusCode;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.size += chunk.length;
    // Stop reading: a receiver must not be able to make us download a large body.
    if (this.size >= this.maxBodyBytes) this.abort?.(new BodyCapReached());
    return true;
  }

  onComplete(): void {
    this.finish();
  }

  onError(err: Error): void {
    this.finish(err);
  }

  private timeout(): void {
    const timeout = new Error('timeout');
    timeout.name = 'TimeoutError';
    this.abort?.(timeout);
    this.finish(timeout);
  }

  private finish(error?: unknown): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    const latencyMs = Math.round(performance.now() - this.started);
    // A body cut at the cap still counts as an answer: the status line and headers arrived.
    if (this.statusCode !== undefined && (error === undefined || error instanceof BodyCapReached)) {
      const bodyExcerpt = Buffer.concat(this.chunks).subarray(0, this.maxBodyBytes).toString('utf8');
      this.resolve(answered(this.statusCode, this.rawHeaders, bodyExcerpt, latencyMs));
    } else {
      this.resolve(noAnswer(describe(error), latencyMs));
    }
  }
}

class BodyCapReached extends Error {
  constructor() {
    super('response body cap reached');
  }
}

/**
 * An answer whose headers are decoded only when read: a delivery reads them only on a 429 or 503
 * (Retry-After), and decoding every header of every answer was a visible share of a send's CPU.
 */
function answered(statusCode: number, rawHeaders: Buffer[], bodyExcerpt: string, latencyMs: number): PostResult {
  let headers: PostResult['headers'] | undefined;
  return {
    statusCode,
    get headers() {
      return (headers ??= parseRawHeaders(rawHeaders));
    },
    bodyExcerpt,
    latencyMs,
  };
}

function parseRawHeaders(raw: Buffer[]): Record<string, string | string[] | undefined> {
  const headers: Record<string, string | string[] | undefined> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const [nameBytes, valueBytes] = raw.slice(i, i + 2);
    if (!nameBytes || !valueBytes) break;
    const name = nameBytes.toString('latin1').toLowerCase();
    const value = valueBytes.toString('latin1');
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
