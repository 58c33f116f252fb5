import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/usage.js';
import { BIN, childEnv, collect, ROOT, type Finished } from '../support/processes.js';

/**
 * The command line's own answers: --version, --help on every command, and usage mistakes. None of
 * them opens a database, so each runs against a data folder that does not exist.
 */

const NO_FOLDER = path.join(ROOT, 'does-not-exist', 'data');

async function waybill(...args: string[]): Promise<Finished> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv({ WAYBILL_DATA_DIR: NO_FOLDER }), stdio: ['ignore', 'pipe', 'pipe'] });
  return collect(child).exited;
}

/** One line on stderr naming the problem, no stack trace, exit code 2. */
function expectUsageError(result: Finished, says: string) {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(says);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

it('prints the version of package.json', async () => {
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const result of await Promise.all(['--version', '-v'].map((flag) => waybill(flag)))) {
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  }
});

// Each case is a process of its own that opens no database: they run side by side, not one after
// another (a process start costs a fraction of a second of CPU but seconds of wall time on a loaded machine).
it('answers --help for every command, and for each group of commands', async () => {
  const [main, group, ...helps] = await Promise.all([
    waybill('--help'),
    waybill('client', '-h'),
    ...COMMANDS.map((command) => waybill(...command.name.split(' '), '--help')),
  ]);
  expect(main!.code).toBe(0);
  for (const command of COMMANDS) expect(main!.stdout).toContain(command.name);
  for (const [i, command] of COMMANDS.entries()) {
    const result = helps[i] as Finished;
    expect(result.code, `${command.name}: ${result.stderr}`).toBe(0);
    expect(result.stdout).toContain(`Usage: waybill ${command.name}`);
    expect(result.stdout).toContain(command.summary.split(' ').slice(0, 4).join(' '));
  }
  expect(group!.code).toBe(0);
  for (const sub of ['client create', 'client list', 'client revoke']) expect(group!.stdout).toContain(sub);
  // Help does not need the database: nothing was created.
  expect(() => readFileSync(path.join(NO_FOLDER, 'waybill.lock'))).toThrow();
});

describe('a command line written wrongly', () => {
  /** Runs every command line at once, then checks each answer against what it must say. */
  async function expectUsageErrors(cases: Array<[args: string[], says: string]>) {
    const results = await Promise.all(cases.map(([args]) => waybill(...args)));
    cases.forEach(([, says], i) => expectUsageError(results[i] as Finished, says));
  }

  it('an unknown option, anywhere', async () => {
    await expectUsageErrors([
      [['--frobnicate'], 'unknown option --frobnicate'],
      [['serve', '--port', '80'], 'unknown option --port for serve'],
      [['client', 'create', '--role', 'TENANT', '--colour', 'red'], 'unknown option --colour for client create'],
    ]);
  });

  it('an unknown command, a group without its command, a missing or extra argument, a missing value', async () => {
    await expectUsageErrors([
      [['frobnicate'], 'unknown command "frobnicate"'],
      [['client', 'delete'], 'unknown command "client delete"'],
      [['client'], '"client" needs a command: create, list, revoke'],
      [['client', 'revoke'], 'client revoke needs <client_id>'],
      [['migrate', 'now'], 'unexpected argument "now" for migrate'],
      [['tenant', 'create', '--name'], 'option --name needs a value'],
    ]);
  });

  it('a bad role or kind is refused before any database is opened', async () => {
    await expectUsageErrors([
      [['client', 'create', '--role', 'ROOT'], '--role must be TENANT, CUSTOMER or SUBCONTRACTOR'],
      [['client', 'create', '--role', 'TENANT', '--kind', 'EMAIL'], '--kind must be API or WEBHOOK'],
    ]);
  });
});
