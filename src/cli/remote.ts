import net from 'node:net';
import path from 'node:path';
import { lockHolder } from '../platform/db/data-lock.js';
import { CliFailure, UsageError } from './errors.js';

/**
 * The CLI's side of the control socket. PGlite lets one process open a data folder; while a
 * server holds it, a command that reads or writes data is sent to that server, which runs it with
 * its own services and answers with what to print (control-socket.ts). That is also the fast way:
 * the command costs a connection instead of opening the database (seconds) in a second process.
 * This file imports nothing heavy, so that path stays near the speed of `node -e ''`.
 */

/** One request per connection: a JSON line. */
export interface ControlRequest {
  command: string;
  values: Record<string, string | undefined>;
  args: string[];
}

/** The answer, a JSON line: what to print, or the error the command failed with. */
export type ControlAnswer = { ok: true; result: unknown } | { ok: false; kind: 'usage' | 'failure'; message: string; command?: string };

/**
 * Linux allows 107 bytes in a socket's path (macOS 103); a data folder nested deeper than that
 * gets no socket, and the CLI then reports the folder as locked, as it did before the socket.
 */
const MAX_SOCKET_PATH = 100;

/** `<data folder>/waybill.sock`, or undefined when that path is too long for a socket. */
export function controlSocketPath(dataDir: string): string | undefined {
  const socketPath = path.join(path.resolve(dataDir), 'waybill.sock');
  return Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH ? socketPath : undefined;
}

/** Sends one request and reads the answer; rejects when no server listens there. */
function exchange(socketPath: string, request: ControlRequest): Promise<ControlAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    let received = '';
    let sent = false;
    socket.setEncoding('utf8');
    socket.once('connect', () => {
      sent = true;
      socket.write(`${JSON.stringify(request)}\n`);
    });
    socket.on('data', (chunk: string) => (received += chunk));
    // Once the request is out the server may have done it: never run it a second time here.
    socket.once('error', (err) =>
      reject(sent ? new CliFailure(`Lost the running server while it ran the command (${err.message}); check before retrying`) : err),
    );
    socket.once('end', () => {
      try {
        resolve(JSON.parse(received) as ControlAnswer);
      } catch {
        reject(new CliFailure('The running server gave no answer to the command (it may have stopped); check before retrying'));
      }
    });
  });
}

/**
 * Runs a data command in the server that holds the PGlite data folder, when one does. Undefined
 * when there is none to ask (PostgreSQL, a free folder, a server without the socket): the caller
 * then runs the command itself, and opening the folder explains a lock it cannot take.
 */
export async function runThroughServer(
  settings: { dataDir: string; databaseUrl: string | undefined },
  request: ControlRequest,
): Promise<{ result: unknown } | undefined> {
  if (settings.databaseUrl || lockHolder(settings.dataDir) === undefined) return undefined;
  const socketPath = controlSocketPath(settings.dataDir);
  if (!socketPath) return undefined;
  let answer: ControlAnswer;
  try {
    answer = await exchange(socketPath, request);
  } catch (err) {
    if (err instanceof CliFailure) throw err;
    // No socket (a server still starting, or one from before it existed): the lock explains itself.
    return undefined;
  }
  if (answer.ok) return { result: answer.result };
  throw answer.kind === 'usage' ? new UsageError(answer.message, answer.command) : new CliFailure(answer.message);
}
