import fs from 'node:fs';
import net from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../platform/http/errors.js';
import type { Services } from '../services.js';
import { runDataCommand } from './data-commands.js';
import { CliFailure, UsageError } from './errors.js';
import { controlSocketPath, type ControlAnswer, type ControlRequest } from './remote.js';
import { isDataCommand } from './usage.js';

/**
 * The server's side of the control socket (remote.ts has the CLI's): `waybill client list` and
 * the other data commands, run by the server that holds the PGlite data folder. The socket is a
 * file in the data folder, readable and writable by its owner only: whoever may connect may also
 * read the database files next to it, so it grants nothing they do not already have.
 */

/** A request is a JSON line of a few hundred bytes; anything longer is not one. */
const MAX_REQUEST_BYTES = 64 * 1024;
/** A connection that has not sent its request by then is dropped, so it cannot hold a shutdown. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface ControlSocket {
  path: string;
  close(): Promise<void>;
}

function parseRequest(line: string): ControlRequest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const { command, values, args } = (value ?? {}) as Partial<ControlRequest>;
  const strings = (list: unknown[]) => list.every((item) => typeof item === 'string' || item === undefined);
  if (typeof command !== 'string' || !values || typeof values !== 'object' || Array.isArray(values) || !strings(Object.values(values))) return undefined;
  if (!Array.isArray(args) || !strings(args)) return undefined;
  return { command, values, args };
}

async function answer(services: Services, log: FastifyBaseLogger, request: ControlRequest | undefined): Promise<ControlAnswer> {
  if (!request || !isDataCommand(request.command)) return { ok: false, kind: 'failure', message: 'The server does not run that command' };
  try {
    return { ok: true, result: await runDataCommand(services, request.command, request.values, request.args) };
  } catch (err) {
    if (err instanceof UsageError) return { ok: false, kind: 'usage', message: err.message, command: err.command };
    if (err instanceof CliFailure || err instanceof AppError) return { ok: false, kind: 'failure', message: err.message };
    log.error({ err, command: request.command }, 'command from the CLI failed');
    return { ok: false, kind: 'failure', message: 'The server failed to run the command; its log has the details' };
  }
}

function serveConnection(socket: net.Socket, services: Services, log: FastifyBaseLogger): void {
  let received = '';
  socket.setEncoding('utf8');
  socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
  socket.on('error', () => {});
  socket.on('data', (chunk: string) => {
    received += chunk;
    const end = received.indexOf('\n');
    if (end < 0 && received.length <= MAX_REQUEST_BYTES) return;
    socket.removeAllListeners('data');
    socket.setTimeout(0);
    const request = end < 0 ? undefined : parseRequest(received.slice(0, end));
    void answer(services, log, request).then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
  });
}

/**
 * Listens on `<data folder>/waybill.sock`. The caller holds the data folder's lock, so a socket
 * file already there is a crashed server's and is replaced. Undefined when the folder's path is
 * too long for a socket (the CLI then reports the folder as locked).
 */
export async function openControlSocket(dataDir: string, services: Services, log: FastifyBaseLogger): Promise<ControlSocket | undefined> {
  const socketPath = controlSocketPath(dataDir);
  if (!socketPath) return undefined;
  fs.rmSync(socketPath, { force: true });
  const server = net.createServer((socket) => serveConnection(socket, services, log));
  // The socket file is created by listen() with the process umask: owner-only from the start, no
  // moment in which another user could connect (and chmod after, should a platform ignore it).
  const umask = process.umask(0o177);
  try {
    server.listen(socketPath);
  } finally {
    process.umask(umask);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  fs.chmodSync(socketPath, 0o600);
  return {
    path: socketPath,
    // Stops accepting and waits for commands in flight (they use the database, closed next).
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
