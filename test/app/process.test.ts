import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { childEnv, collect, freePort, ROOT, runWaybill, serveWaybill, stopAll, type Env, type Served } from '../support/processes.js';
import { scratchDatabase } from '../support/postgres.js';

/**
 * The command line as a user runs it: `node bin/waybill.mjs ...` in child processes, talking to
 * the server over loopback HTTP. The PGlite scenarios need a data folder of their own; the
 * bootstrap scenario runs on PostgreSQL too when the suite does (DATABASE_URL).
 */

const serverUrl = process.env.DATABASE_URL;
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await stopAll();
});

const waybill = runWaybill;

/** Starts `waybill serve` and waits until /health answers; stopped at the end of the file at the latest. */
async function serve(env: Env): Promise<Served> {
  const served = await serveWaybill(env, { probe: '/health' });
  cleanups.push(() => served.stop());
  return served;
}

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'waybill-proc-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

const basicAuth = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function tokenFor(url: string, id: string, secret: string): Promise<Response> {
  return fetch(`${url}/v1/auth/token`, { method: 'POST', headers: { authorization: basicAuth(id, secret), 'content-type': 'application/json' } });
}

function printedCredentials(stdout: string): { clientId: string; clientSecret: string } | undefined {
  const id = /client_id:\s+(\S+)/.exec(stdout)?.[1];
  const secret = /client_secret:\s+(\S+)/.exec(stdout)?.[1];
  return id && secret ? { clientId: id, clientSecret: secret } : undefined;
}

// The first `npx waybill` in a checkout links the project into npx's cache, which would run its
// build (prepare) again: that empties dist/ for a minute while other test files serve dist/web to
// a browser. The checkout is built already (npm install did it), so the link skips scripts.
it.concurrent(
  'npx waybill --help lists the commands',
  async ({ expect }) => {
    const env = childEnv({ npm_config_ignore_scripts: 'true' });
    const child = spawn('npx', ['--offline', 'waybill', '--help'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const { code, stdout } = await collect(child).exited;
    expect(code).toBe(0);
    for (const command of [
      'serve',
      'migrate',
      'tenant create',
      'client create',
      'client list',
      'client revoke',
      'credentials seal',
      '--role TENANT|CUSTOMER|SUBCONTRACTOR',
      '--company',
      '--kind API|WEBHOOK',
    ]) {
      expect(stdout).toContain(command);
    }
  },
  300_000,
);

// Child processes start slowly on a loaded 2-core machine (each PGlite open takes seconds), hence
// the generous timeouts of this file. Usage mistakes are in process.cli.test.ts. The tests share
// nothing (each has its own data folder or database, and servers take free ports), so they run
// concurrently, the describe blocks too (a block that is not concurrent would wait for the tests
// before it): the file lasts as long as its longest test, not the sum of them, while each waits on
// its own child processes. `expect` is each test's own, as concurrent tests need.
it.concurrent(
  'seals stored webhook credentials only with a key to seal with',
  async ({ expect }) => {
    const dataDir = await tempDir();
    const keyless = await waybill(['credentials', 'seal'], { WAYBILL_DATA_DIR: dataDir });
    expect(keyless.code).not.toBe(0);
    expect(keyless.stderr).toContain('Set WAYBILL_CREDENTIALS_KEY first');
    const sealed = await waybill(['credentials', 'seal'], { WAYBILL_DATA_DIR: dataDir, WAYBILL_CREDENTIALS_KEY: randomBytes(32).toString('base64') });
    expect(sealed.code, sealed.stderr).toBe(0);
    // The JWT signing key, the client-secret pepper and the sessions' CSRF key are sealed too.
    expect(JSON.parse(sealed.stdout)).toEqual({ endpoints: 0, unreadable: [], server_secrets: 3 });
  },
  120_000,
);

describe.skipIf(Boolean(serverUrl)).concurrent('one PGlite data folder, as a user runs it', () => {
  it.concurrent(
    'serves, locks the folder, hands over to the CLI when stopped, and keeps tokens valid across restarts',
    async ({ expect }) => {
      const dataDir = await tempDir();
      const env = { WAYBILL_DATA_DIR: dataDir };

      const first = await serve(env);
      const admin = printedCredentials(first.output().stdout);
      expect(admin, first.output().stdout).toBeDefined();
      const tokenRes = await tokenFor(first.url, admin!.clientId, admin!.clientSecret);
      expect(tokenRes.status).toBe(200);
      const { access_token: token } = (await tokenRes.json()) as { access_token: string };
      const company = await fetch(`${first.url}/v1/companies/company`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'CLI Shipper', code: 'CLISHIP', currency: 'EUR', is_customer: true }),
      });
      expect(company.status).toBe(200);
      const companyId = ((await company.json()) as { id: string }).id;

      // A second server on the same folder refuses to start.
      const second = await waybill(['serve'], { ...env, PORT: String(await freePort()) });
      expect(second.code).not.toBe(0);
      expect(second.stderr).toMatch(/in use by another Waybill process \(pid \d+\)/);
      // So does a command that needs the folder itself, pointing to the admin API (data commands go
      // through the running server instead: test/app/process.control.test.ts).
      const busy = await waybill(['migrate'], env);
      expect(busy.code).not.toBe(0);
      expect(busy.stderr).toContain('in use');
      expect(busy.stderr).toContain('/v1/admin/api-clients');
      expect((await fetch(`${first.url}/ready`)).status).toBe(200);

      const { tenant } = (await (await fetch(`${first.url}/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { tenant: { id: string } };
      expect((await first.stop()).code).toBe(0);
      await expect(fs.access(path.join(dataDir, 'waybill.lock'))).rejects.toThrow();

      // Stopped: the CLI has the folder. (Each command opens PGlite, which takes seconds: keep them few.)
      const tenantOut = await waybill(['tenant', 'create', '--name', 'Second carrier'], env);
      expect(tenantOut.code, tenantOut.stderr).toBe(0);
      expect(JSON.parse(tenantOut.stdout)).toMatchObject({ id: expect.any(String), name: 'Second carrier' });

      const created = await waybill(['client', 'create', '--tenant', tenant.id, '--role', 'CUSTOMER', '--company', 'CLISHIP', '--name', 'Shipper portal'], env);
      expect(created.code, created.stderr).toBe(0);
      const customer = JSON.parse(created.stdout) as { client_id: string; client_secret: string; company_id: string; role: string };
      expect(customer).toMatchObject({ role: 'CUSTOMER', company_id: companyId, client_id: expect.any(String), client_secret: expect.any(String) });

      // A person invited from the command line; their hidden API client is not listed below.
      const invited = await waybill(
        ['user', 'invite', '--tenant', tenant.id, '--email', 'cli@carrier.example', '--name', 'Cli Person', '--role', 'CUSTOMER', '--company', 'CLISHIP'],
        env,
      );
      expect(invited.code, invited.stderr).toBe(0);
      const person = JSON.parse(invited.stdout) as { invite_url: string };
      expect(person).toMatchObject({ company_id: companyId, status: 'INVITED', invite_url: expect.stringMatching(/\/app\/invite#[0-9a-f-]{36}\./) });

      const listed = await waybill(['client', 'list'], env);
      expect(listed.code).toBe(0);
      const clients = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
      expect(clients.map((c) => c.client_id).sort()).toEqual([admin!.clientId, customer.client_id].sort());
      expect(listed.stdout).not.toContain('secret');

      // Revoked by its row id (as `client list` shows it); then by its client_id (wb_…), which names
      // the same client: the answer is the same revocation, not a second one.
      const row = clients.find((c) => c.client_id === customer.client_id) as { id: string };
      const revoked = await waybill(['client', 'revoke', row.id], env);
      expect(revoked.code, revoked.stderr).toBe(0);
      expect(JSON.parse(revoked.stdout)).toMatchObject({ client_id: customer.client_id, revoked_at: expect.any(String) });
      const byClientId = await waybill(['client', 'revoke', customer.client_id], env);
      expect(byClientId.code, byClientId.stderr).toBe(0);
      expect(JSON.parse(byClientId.stdout)).toEqual(JSON.parse(revoked.stdout));

      // Restart: nothing printed this time, the old token still verifies, the revoked client is out.
      const again = await serve(env);
      expect(printedCredentials(again.output().stdout)).toBeUndefined();
      expect((await fetch(`${again.url}/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await tokenFor(again.url, customer.client_id, customer.client_secret)).status).toBe(401);
      // The link the command line printed works on the server.
      const invite = await fetch(`${again.url}/v1/session/invite/${person.invite_url.split('#')[1]}`);
      expect(invite.status).toBe(200);
      expect(await invite.json()).toMatchObject({ email: 'cli@carrier.example', name: 'Cli Person' });
      expect((await again.stop()).code).toBe(0);
      expect(again.output().stdout).not.toContain('client_secret');
    },
    540_000,
  );

  it.concurrent('takes over a lock file left by a process that no longer exists', async ({ expect }) => {
    const dataDir = await tempDir();
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.once('exit', resolve));
    await fs.writeFile(path.join(dataDir, 'waybill.lock'), String(dead.pid));
    const migrated = await waybill(['migrate'], { WAYBILL_DATA_DIR: dataDir });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain('Migrations are up to date');
    await expect(fs.access(path.join(dataDir, 'waybill.lock'))).rejects.toThrow();
  });
});

describe.concurrent('scripted first start with WAYBILL_BOOTSTRAP_CLIENT_ID/SECRET', () => {
  it.concurrent(
    'creates exactly those credentials once and leaves them on later starts',
    async ({ expect }) => {
      let env: Env;
      if (serverUrl) {
        const scratch = await scratchDatabase(serverUrl);
        cleanups.unshift(scratch.drop);
        env = { DATABASE_URL: scratch.url };
      } else {
        env = { WAYBILL_DATA_DIR: await tempDir() };
      }
      const credentials = { WAYBILL_BOOTSTRAP_CLIENT_ID: 'erp-admin', WAYBILL_BOOTSTRAP_CLIENT_SECRET: 'a-long-enough-secret-42' };

      const first = await serve({ ...env, ...credentials });
      expect(printedCredentials(first.output().stdout)).toBeUndefined();
      const token = await tokenFor(first.url, 'erp-admin', 'a-long-enough-secret-42');
      expect(token.status).toBe(200);
      const { access_token: accessToken } = (await token.json()) as { access_token: string };
      const me = (await (await fetch(`${first.url}/me`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { client: { role: string } };
      expect(me.client.role).toBe('TENANT');
      expect((await first.stop()).code).toBe(0);

      const second = await serve({ ...env, ...credentials });
      const again = await tokenFor(second.url, 'erp-admin', 'a-long-enough-secret-42');
      expect(again.status).toBe(200);
      expect((await fetch(`${second.url}/ready`)).status).toBe(200);
      const listed = await fetch(`${second.url}/v1/admin/api-clients`, {
        headers: { authorization: `Bearer ${((await again.json()) as { access_token: string }).access_token}` },
      });
      const clients = ((await listed.json()) as { items: Array<{ client_id: string }> }).items;
      expect(clients.map((c) => c.client_id)).toEqual(['erp-admin']);
      expect((await second.stop()).code).toBe(0);

      const short = await waybill(['serve'], { ...env, WAYBILL_BOOTSTRAP_CLIENT_ID: 'x', WAYBILL_BOOTSTRAP_CLIENT_SECRET: 'short' });
      expect(short.code).not.toBe(0);
      expect(short.stderr).toContain('at least 16 characters');
    },
    300_000,
  );
});
