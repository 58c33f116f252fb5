import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, serveWaybill, type Finished } from '../support/processes.js';
import { scratchDatabase } from '../support/postgres.js';
import { expectedOutputMismatch, storyBlocks, type StoryBlock } from '../support/guide-blocks.js';

/**
 * The four guides are one story: every ```sh block of guide-tenant, guide-customer,
 * guide-subcontractor and guide-accounting, in that order, run by one bash in one folder against
 * one freshly started server, with curl and jq as a reader runs them. A ```text block right after
 * a command block is what the guide says it prints: each of its lines must appear in the output,
 * in order (`…` stands for anything). The reader's server is at http://127.0.0.1:8080; this one
 * listens on a free port, so `WB=` is pointed at it and at nothing else.
 */

const GUIDES = ['guide-tenant.md', 'guide-customer.md', 'guide-subcontractor.md', 'guide-accounting.md'];
/**
 * Endpoints the story must run, not only mention: each appears in a command block, so the story
 * fails if a guide's example of it is dropped (they were once only described, and never run).
 */
const MUST_RUN = ['/v1/events/stream', '/v1/admin/webhook-deliveries', '/tracking-link', '/v1/public/tracking/', 'Last-Event-ID'];
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The admin credentials the tenant guide tells the reader to start the server with. */
function bootstrapCredentials(tenantGuide: string): Record<string, string> {
  const id = /WAYBILL_BOOTSTRAP_CLIENT_ID=(\S+)/.exec(tenantGuide)?.[1];
  const secret = /WAYBILL_BOOTSTRAP_CLIENT_SECRET=(\S+)/.exec(tenantGuide)?.[1];
  if (!id || !secret) throw new Error('guide-tenant.md names no bootstrap credentials');
  return { WAYBILL_BOOTSTRAP_CLIENT_ID: id, WAYBILL_BOOTSTRAP_CLIENT_SECRET: secret };
}

async function startServer(env: Record<string, string>): Promise<string> {
  const served = await serveWaybill({ ...env, WAYBILL_WORKERS: 'true' }, { probe: '/health' });
  cleanups.push(async () => {
    await served.stop();
  });
  return served.url;
}

/** One bash for the whole story, so variables carry from block to block as in a reader's shell. */
class StoryShell {
  private readonly bash: ChildProcessWithoutNullStreams;
  private readonly finished: Promise<Finished>;
  private stdout = '';
  private stderr = '';
  private waiting?: { marker: string; resolve: (result: { out: string; status: number }) => void };

  constructor(cwd: string) {
    this.bash = spawn('bash', ['--noprofile', '--norc'], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, LANG: 'C.UTF-8' } });
    this.finished = new Promise((resolve) => this.bash.once('exit', (code, signal) => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr })));
    this.bash.stderr.on('data', (chunk) => (this.stderr += String(chunk)));
    this.bash.stdout.on('data', (chunk) => {
      this.stdout += String(chunk);
      const waiting = this.waiting;
      const at = waiting ? this.stdout.indexOf(waiting.marker) : -1;
      if (!waiting || at < 0) return;
      const rest = this.stdout.slice(at + waiting.marker.length);
      const status = /^ (\d+)\n/.exec(rest);
      if (!status) return;
      this.waiting = undefined;
      const out = this.stdout.slice(0, at);
      this.stdout = rest.slice(status[0].length);
      waiting.resolve({ out, status: Number(status[1]) });
    });
    // A failing command stops the story where a reader would notice it.
    this.bash.stdin.write('set -eo pipefail\n');
  }

  /** Runs one block; its stdout, or the shell's stderr when a command failed. */
  async run(block: StoryBlock, index: number): Promise<string> {
    const marker = `__story_block_${index}_done__`;
    this.stderr = '';
    const done = new Promise<{ out: string; status: number }>((resolve) => (this.waiting = { marker, resolve }));
    this.bash.stdin.write(`${block.code}\necho; echo ${marker} $?\n`);
    const result = await Promise.race([done, this.finished.then((f) => ({ out: f.stdout, status: -1, failed: f }))]);
    if (result.status !== 0) {
      throw new Error(`${block.where} failed (bash exited): ${this.stderr}\n--- block ---\n${block.code}\n--- output ---\n${result.out}`);
    }
    return result.out;
  }

  async close(): Promise<void> {
    this.bash.stdin.end();
    await this.finished;
  }
}

describe('the guides, followed as one story on one fresh server', () => {
  let blocks: StoryBlock[];
  let shell: StoryShell;

  beforeAll(async () => {
    const texts = await Promise.all(GUIDES.map((name) => fs.readFile(path.join(ROOT, 'docs', name), 'utf8')));
    blocks = GUIDES.flatMap((name, i) => storyBlocks(name, texts[i] ?? ''));
    const env: Record<string, string> = bootstrapCredentials(texts[0] ?? '');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'waybill-guides-'));
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    if (process.env.DATABASE_URL) {
      const database = await scratchDatabase(process.env.DATABASE_URL, 'waybill_guides_');
      cleanups.push(() => database.drop());
      env.DATABASE_URL = database.url;
    } else {
      env.WAYBILL_DATA_DIR = path.join(dir, 'data');
    }
    const url = await startServer(env);
    // The reader runs the commands next to Waybill's docs/ folder.
    const work = path.join(dir, 'work');
    await fs.mkdir(work);
    await fs.symlink(path.join(ROOT, 'docs'), path.join(work, 'docs'));
    shell = new StoryShell(work);
    cleanups.push(() => shell.close());
    blocks = blocks.map((block) => ({ ...block, code: block.code.replaceAll('WB=http://127.0.0.1:8080', `WB=${url}`) }));
  }, 300_000);

  it('has a command block in every guide, and a server address the story can point elsewhere', () => {
    for (const guide of GUIDES) expect(blocks.some((block) => block.where.startsWith(guide))).toBe(true);
    expect(blocks.filter((block) => /^(export )?WB=/m.test(block.code)).length).toBe(1);
  });

  it('runs the live event stream, the tenant-wide delivery log and the public tracking link', () => {
    for (const needed of MUST_RUN)
      expect(
        blocks.some((block) => block.code.includes(needed)),
        needed,
      ).toBe(true);
  });

  it('runs every command block in order and prints what the guides show', async () => {
    for (const [index, block] of blocks.entries()) {
      const out = await shell.run(block, index);
      const mismatch = block.expected === undefined ? undefined : expectedOutputMismatch(block.expected, out);
      if (mismatch) throw new Error(`${block.where}: ${mismatch}\n--- block ---\n${block.code}\n--- output ---\n${out}`);
    }
  }, 600_000);
});

describe('reading a guide as a script', () => {
  const guide = [
    'Intro',
    '```sh',
    'echo one',
    '```',
    '',
    '```text',
    '{"id":"…","n":1}',
    '```',
    'Prose',
    '```console',
    '$ npm start',
    '```',
    '  ```bash',
    '  echo two',
    '  ```',
  ].join('\n');

  it('takes the sh and bash blocks in order, each with the text block right after it, and skips the rest', () => {
    expect(storyBlocks('g.md', guide)).toEqual([
      { where: 'g.md:2', code: 'echo one', expected: '{"id":"…","n":1}' },
      { where: 'g.md:13', code: 'echo two' },
    ]);
  });

  it('finds the shown lines in order, `…` standing for anything, and says which one is missing', () => {
    expect(expectedOutputMismatch('{"id":"…","n":1}\nok', 'noise\n{"id":"42","n":1}\nok\n')).toBeUndefined();
    expect(expectedOutputMismatch('ok\n{"id":"…","n":1}', '{"id":"42","n":1}\nok\n')).toMatch(/no line like "\{\\"id\\"/);
    expect(expectedOutputMismatch('{"n":1}', '{"n":12}')).toBeDefined();
  });
});
