#!/usr/bin/env node
// Compiles src/ into dist/ (run by `npm install` through the `prepare` script, and by
// `npm run build`). bin/waybill.mjs runs dist/ when dist/.built is newer than every source file.
// An install without dev dependencies has no compiler: it says so, and the sources run through tsx.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('../', import.meta.url);
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.warn('waybill build: typescript is not installed (no dev dependencies); `npm start` will run the sources through tsx.');
  process.exit(0);
}
fs.rmSync(new URL('dist/', root), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
fs.writeFileSync(new URL('dist/.built', root), `${new Date().toISOString()}\n`);
