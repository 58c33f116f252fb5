#!/usr/bin/env node
// Runs the compiled JavaScript in dist/, which `npm install` builds (the `prepare` script), so a
// start does not transform TypeScript: dist/bundle/main.js (a few files) when the build made it,
// else dist/main.js. It runs the sources through tsx instead when dist/ is
// missing or older than a file in src/ (sources edited or pulled since the build), or when
// WAYBILL_FROM_SOURCE=1 (development).
import fs from 'node:fs';

const root = new URL('../', import.meta.url);
const stamp = new URL('dist/.built', root);

/** The newest modification time in src/, or Infinity when unreadable (then the sources win). */
function newestSource() {
  try {
    const dir = new URL('src/', root);
    let newest = 0;
    for (const file of fs.readdirSync(dir, { recursive: true })) {
      newest = Math.max(newest, fs.statSync(new URL(file, dir)).mtimeMs);
    }
    return newest;
  } catch {
    return Infinity;
  }
}

function builtAt() {
  try {
    return fs.statSync(stamp).mtimeMs;
  } catch {
    return -1;
  }
}

const forced = ['1', 'true', 'yes'].includes(process.env.WAYBILL_FROM_SOURCE ?? '');
const built = builtAt();
if (!forced && built >= 0 && built >= newestSource()) {
  const bundle = new URL('dist/bundle/main.js', root);
  await import((fs.existsSync(bundle) ? bundle : new URL('dist/main.js', root)).href);
} else {
  if (!forced && built >= 0) {
    process.stderr.write('waybill: src/ changed since dist/ was built; running the sources (slower start). `npm run build` brings dist/ up to date.\n');
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('src/main.ts', root).href);
}
