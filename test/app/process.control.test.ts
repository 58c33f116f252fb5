import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWaybill, serveWaybill, stopAll } from '../support/processes.js';

/**
 * While `waybill serve` holds a PGlite data folder, the CLI's data commands are run by that
 * server through `<data folder>/waybill.sock` instead of failing on the folder's lock. Real
 * processes, as a user runs them; PGlite only (on PostgreSQL every process opens the database).
 */

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await stopAll();
});

const basicAuth = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** One raw exchange on the socket, as any local process could attempt it. */
function rawExchange(socketPath: string, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath, () => socket.end(payload));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(received));
  });
}

describe.skipIf(Boolean(process.env.DATABASE_URL))('CLI commands while a server holds the PGlite folder', () => {
  it('are run by that server: their changes are its changes, their errors keep their exit codes, and the socket goes with it', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'waybill-ctl-'));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const env = { WAYBILL_DATA_DIR: dataDir };
    const server = await serveWaybill(env);
    cleanups.push(() => server.stop());
    const socketPath = path.join(dataDir, 'waybill.sock');
    expect(server.output().stdout).toContain(`taking CLI commands on ${socketPath}`);
    // Only the owner may connect: the socket grants what reading the database files next to it would.
    expect((await fs.stat(socketPath)).mode & 0o777).toBe(0o600);

    const tenant = await runWaybill(['tenant', 'create', '--name', 'Through the socket'], env);
    expect(tenant.code, tenant.stderr).toBe(0);
    const { id: tenantId } = JSON.parse(tenant.stdout) as { id: string };

    const created = await runWaybill(['client', 'create', '--tenant', tenantId, '--role', 'TENANT', '--name', 'Socket admin'], env);
    expect(created.code, created.stderr).toBe(0);
    const client = JSON.parse(created.stdout) as { client_id: string; client_secret: string; tenant_id: string };
    expect(client.tenant_id).toBe(tenantId);
    // The running server knows the client at once: the command ran on its database.
    const token = await fetch(`${server.url}/v1/auth/token`, {
      method: 'POST',
      headers: { authorization: basicAuth(client.client_id, client.client_secret), 'content-type': 'application/json' },
    });
    expect(token.status).toBe(200);

    const listed = await runWaybill(['client', 'list', '--tenant', tenantId], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as Array<{ client_id: string }>).map((c) => c.client_id)).toEqual([client.client_id]);
    expect(listed.stdout).not.toContain('secret');

    // A bad value is still a usage error (exit 2), a missing object a failure (exit 1), one line each.
    const badEmail = await runWaybill(['user', 'invite', '--tenant', tenantId, '--email', 'nope', '--name', 'X', '--role', 'TENANT'], env);
    expect(badEmail.code).toBe(2);
    expect(badEmail.stderr.trim()).toBe('waybill: --email must be an email address. Run waybill user invite --help');
    const missing = await runWaybill(['client', 'revoke', 'wb_nosuchclient'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('waybill: No client wb_nosuchclient');

    const revoked = await runWaybill(['client', 'revoke', client.client_id], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    const again = await fetch(`${server.url}/v1/auth/token`, {
      method: 'POST',
      headers: { authorization: basicAuth(client.client_id, client.client_secret), 'content-type': 'application/json' },
    });
    expect(again.status).toBe(401);

    // The socket runs the data commands only, and nothing that is not a request.
    const seal = JSON.parse(await rawExchange(socketPath, `${JSON.stringify({ command: 'credentials seal', values: {}, args: [] })}\n`)) as Record<
      string,
      unknown
    >;
    expect(seal).toEqual({ ok: false, kind: 'failure', message: 'The server does not run that command' });
    const garbage = JSON.parse(await rawExchange(socketPath, '{"command": ["client list"]}\n')) as Record<string, unknown>;
    expect(garbage.ok).toBe(false);
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);

    expect((await server.stop()).code).toBe(0);
    await expect(fs.access(socketPath)).rejects.toThrow();
    await expect(fs.access(path.join(dataDir, 'waybill.lock'))).rejects.toThrow();
    // Stopped: the CLI opens the folder itself and sees the same data.
    const after = await runWaybill(['client', 'list', '--tenant', tenantId], env);
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual([expect.objectContaining({ client_id: client.client_id, revoked_at: expect.any(String) })]);
  }, 300_000);
});
