import dns from 'node:dns';
import net from 'node:net';
import { Agent, request } from 'undici';
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

  async post(url: string, body: string, headers: Record<string, string>): Promise<PostResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
    if (net.isIP(host) && !this.options.policy.allows(host)) {
      return { headers: {}, bodyExcerpt: '', latencyMs: 0, error: `disallowed address ${host}` };
    }
    try {
      const response = await request(url, {
        method: 'POST',
        body,
        headers,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const bodyExcerpt = await this.readExcerpt(response.body);
      return { statusCode: response.statusCode, headers: response.headers, bodyExcerpt, latencyMs: elapsed() };
    } catch (err) {
      return { headers: {}, bodyExcerpt: '', latencyMs: elapsed(), error: describe(err) };
    }
  }

  private async readExcerpt(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= this.maxBodyBytes) {
        // Stop reading: a receiver must not be able to make us download a large body.
        body.destroy();
        break;
      }
    }
    return Buffer.concat(chunks).subarray(0, this.maxBodyBytes).toString('utf8');
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const code = (err as { code?: string }).code ?? (cause as { code?: string } | undefined)?.code;
  if (err.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  const message = cause instanceof Error ? cause.message : err.message;
  return (code ? `${code}: ${message}` : message).slice(0, 500);
}
