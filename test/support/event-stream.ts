import { Agent, fetch } from 'undici';

/**
 * A server-sent-events reader for tests: connects to a listening server with fetch and parses the
 * stream into messages (`id`, `data`) and comments, as a browser's EventSource would.
 */
export interface StreamMessage {
  id?: string;
  data?: string;
  comment?: string;
}

export interface OpenStream {
  status: number;
  /** The error envelope when the server refused the stream. */
  body?: unknown;
  headers: Headers;
  messages: StreamMessage[];
  /** The data messages, parsed. */
  events(): Array<{ position: number; type: string; id: string; payload: Record<string, unknown> }>;
  /** Resolves once the server ended the stream. */
  ended: Promise<void>;
  close(): void;
}

/** No connection kept alive after a stream or an error answer: a closing server need not wait for an idle one. */
const oneShot = new Agent({ pipelining: 0 });

export async function openEventStream(url: string, headers: Record<string, string>): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal, dispatcher: oneShot });
  const messages: StreamMessage[] = [];
  const base = {
    status: res.status,
    headers: res.headers,
    messages,
    events: () => messages.filter((m) => m.data !== undefined).map((m) => JSON.parse(m.data as string)),
    close: () => abort.abort(),
  };
  if (res.status !== 200 || !res.body) return { ...base, body: await res.json(), ended: Promise.resolve() };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          messages.push(...parseBlock(block));
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return { ...base, ended };
}

function parseBlock(block: string): StreamMessage[] {
  const comments: StreamMessage[] = [];
  const message: StreamMessage = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) comments.push({ comment: line.slice(1).trim() });
    else if (line.startsWith('id: ')) message.id = line.slice(4);
    else if (line.startsWith('data: ')) message.data = message.data === undefined ? line.slice(6) : `${message.data}\n${line.slice(6)}`;
  }
  return message.id !== undefined || message.data !== undefined ? [...comments, message] : comments;
}
