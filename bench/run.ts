/**
 * `npm run bench -- <name>` runs bench/<name>.ts (for example `foundation`). Each benchmark
 * script does its own work when imported and prints a Markdown table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const name = process.argv[2];
const available = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !['run.ts', 'support.ts'].includes(f))
  .map((f) => f.slice(0, -3));

if (!name || !available.includes(name)) {
  console.error(`Usage: npm run bench -- <name>\nAvailable: ${available.join(', ') || '(none)'}`);
  process.exit(1);
}
await import(`./${name}.ts`);
