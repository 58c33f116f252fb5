/**
 * Start-up benchmark (issue 19): how long a user waits for `waybill serve` to answer /ready on an
 * empty data folder and on a restart, how long CLI commands take, and the peak memory of a start.
 * Every process is a real child process of `node bin/waybill.mjs` (dist/ when built, as after
 * `npm install`), timed beside `node -e ''` measured in the same run: the floor no Node program
 * beats on this machine, so the ratio survives a loaded machine better than the seconds.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, freePort } from '../test/support/processes.js';
import { machineLine } from './support.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/waybill.mjs');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Sample {
  seconds: number;
  peakMb: number;
  /** CPU seconds (user + system, every thread): less bent by a loaded machine than wall time. */
  cpuSeconds: number;
}

/** CPU seconds a live process has used so far (user + system, all its threads); 0 once it is gone. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Peak resident memory so far (VmHWM) of a live process, in MB; 0 once it is gone. */
function peakMb(pid: number | undefined): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs a command to completion: wall time and the highest peak memory seen while it ran. */
async function run(args: string[], env: Record<string, string> = {}): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
  let peak = 0;
  let cpu = 0;
  // The last reading before the process ends, within one 10 ms poll of its total.
  const poll = setInterval(() => {
    peak = Math.max(peak, peakMb(child.pid));
    cpu = Math.max(cpu, cpuSeconds(child.pid));
  }, 10);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(poll);
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}: ${stderr}`);
  return { seconds: (performance.now() - started) / 1000, peakMb: peak, cpuSeconds: cpu };
}

/** Starts the server on `dataDir` and times it to /ready; `whileUp` runs before it is stopped with SIGTERM. */
async function serve(dataDir: string, whileUp: () => Promise<void> = async () => {}): Promise<Sample & { stopSeconds: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: ROOT,
    env: childEnv({ PORT: String(port), WAYBILL_DATA_DIR: dataDir, WAYBILL_WORKERS: 'true' }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let peak = 0;
  const poll = setInterval(() => (peak = Math.max(peak, peakMb(child.pid))), 10);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(child.pid);
  peak = Math.max(peak, peakMb(child.pid));
  clearInterval(poll);
  await whileUp();
  const stopping = performance.now();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return { seconds, peakMb: peak, cpuSeconds: cpu, stopSeconds: (performance.now() - stopping) / 1000 };
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;

const rows: Array<{ what: string; seconds: number; floor: number; peakMb: number; cpuSeconds?: number; goal: string }> = [];
const loadAtStart = os.loadavg()[0] ?? 0;
const floors: number[] = [];
const nodeFloor = async () => {
  const sample = await run(['-e', '']);
  floors.push(sample.seconds);
  return sample.seconds;
};

const firsts: Array<Sample & { stopSeconds: number }> = [];
const restarts: Array<Sample & { stopSeconds: number }> = [];
const firstFloors: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-startup-'));
  try {
    firstFloors.push(await nodeFloor());
    firsts.push(await serve(dataDir));
    restarts.push(await serve(dataDir));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
const floor = () => median(floors);
rows.push({
  what: 'first start to /ready (empty data folder)',
  seconds: median(firsts.map((s) => s.seconds)),
  floor: median(firstFloors),
  peakMb: Math.max(...firsts.map((s) => s.peakMb)),
  cpuSeconds: median(firsts.map((s) => s.cpuSeconds)),
  goal: '≤ 3 s, ≤ 300 MB',
});
rows.push({
  what: 'restart to /ready',
  seconds: median(restarts.map((s) => s.seconds)),
  floor: median(firstFloors),
  peakMb: Math.max(...restarts.map((s) => s.peakMb)),
  cpuSeconds: median(restarts.map((s) => s.cpuSeconds)),
  goal: '≤ 1 s',
});
rows.push({ what: 'stop on SIGTERM (restart above)', seconds: median(restarts.map((s) => s.stopSeconds)), floor: median(firstFloors), peakMb: 0, goal: '' });

// The CLI on a stopped folder that has been migrated (the server above ran on it).
const cliDir = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-startup-'));
try {
  await run([BIN, 'migrate'], { WAYBILL_DATA_DIR: cliDir });
  const timeCommand = async (what: string, args: readonly string[]) => {
    const samples: Sample[] = [];
    const ownFloors: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ownFloors.push(await nodeFloor());
      samples.push(await run([BIN, ...args], { WAYBILL_DATA_DIR: cliDir }));
    }
    rows.push({
      what,
      seconds: median(samples.map((s) => s.seconds)),
      floor: median(ownFloors),
      peakMb: Math.max(...samples.map((s) => s.peakMb)),
      cpuSeconds: median(samples.map((s) => s.cpuSeconds)),
      goal: '≤ 0.5 s',
    });
  };
  for (const [what, args] of [
    ['waybill --version', ['--version']],
    ['waybill --help', ['--help']],
    ['waybill client create --help', ['client', 'create', '--help']],
    ['waybill client list (stopped PGlite folder)', ['client', 'list']],
  ] as const) {
    await timeCommand(what, args);
  }
  // With a server holding the folder, the command goes through its control socket (src/cli/remote.ts).
  await serve(cliDir, () => timeCommand('waybill client list (server running on the folder)', ['client', 'list']));
} finally {
  fs.rmSync(cliDir, { recursive: true, force: true });
}

const built = fs.existsSync(path.join(ROOT, 'dist/.built')) && !process.env.WAYBILL_FROM_SOURCE;
console.log(
  `\n${machineLine()}; load average ${loadAtStart.toFixed(1)} at the start, ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at the end; ${built ? 'dist/' : 'sources through tsx'}; median of ${ROUNDS}; node -e '' median ${floor().toFixed(2)} s\n`,
);
console.log("| measurement | seconds | node -e '' same rounds | ratio | CPU s | peak RSS MB | goal |");
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.what} | ${r.seconds.toFixed(2)} | ${r.floor.toFixed(2)} | ${(r.seconds / r.floor).toFixed(1)} | ${r.cpuSeconds ? r.cpuSeconds.toFixed(2) : ''} | ${r.peakMb ? Math.round(r.peakMb) : ''} | ${r.goal} |`,
  );
}
