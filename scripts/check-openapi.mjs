#!/usr/bin/env node
// Fails when the committed openapi.json differs from what the route schemas generate now, so
// every API change shows up in review. Fix with: npm run openapi:write
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const generated = execFileSync(process.execPath, ['bin/waybill.mjs', 'openapi'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const committed = fs.existsSync('openapi.json') ? fs.readFileSync('openapi.json', 'utf8') : '';
if (generated !== committed) {
  console.error('openapi.json is out of date with the route schemas. Run `npm run openapi:write` and commit it.');
  process.exit(1);
}
console.log('openapi.json matches the route schemas');
