import type { InjectOptions } from 'fastify';
import type { Client } from './app.js';

/** What `app.inject` answers: `statusCode`, `headers`, `body` (text) and `json()`. */
export type Answer = Awaited<ReturnType<Client['app']['inject']>>;
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Headers = Record<string, string>;

/** Requests to the client's app with the client's credentials (`Authorization: client.auth`). */
export interface Requests {
  send(method: Method, url: string, payload?: unknown, headers?: Headers): Promise<Answer>;
  get(url: string, headers?: Headers): Promise<Answer>;
  post(url: string, payload?: unknown, headers?: Headers): Promise<Answer>;
  put(url: string, payload?: unknown, headers?: Headers): Promise<Answer>;
  patch(url: string, payload?: unknown, headers?: Headers): Promise<Answer>;
  delete(url: string, payload?: unknown, headers?: Headers): Promise<Answer>;
}

/** `as(admin).post(url, body)`: one request helper for every test file, bound to a client. */
export function as(client: Pick<Client, 'app' | 'auth'>): Requests {
  const send = (method: Method, url: string, payload?: unknown, headers: Headers = {}) =>
    client.app.inject({
      method,
      url,
      headers: { authorization: client.auth, ...headers },
      ...(payload === undefined || payload === null ? {} : { payload: payload as InjectOptions['payload'] }),
    });
  return {
    send,
    get: (url, headers) => send('GET', url, undefined, headers),
    post: (url, payload, headers) => send('POST', url, payload, headers),
    put: (url, payload, headers) => send('PUT', url, payload, headers),
    patch: (url, payload, headers) => send('PATCH', url, payload, headers),
    delete: (url, payload, headers) => send('DELETE', url, payload, headers),
  };
}
