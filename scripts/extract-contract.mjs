#!/usr/bin/env node
// Writes test/contract/reference-schemas.json: the reference contract's component schemas that
// Waybill's responses and payloads must satisfy, with all prose removed (descriptions, titles,
// examples), so contract tests run on machines without ../shared.
// Usage: node scripts/extract-contract.mjs [path/to/qargo-tms-openapi.yml]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? path.resolve(root, '../shared/reference/qargo-tms-openapi.yml');
const target = path.join(root, 'test/contract/reference-schemas.json');

/**
 * Every component schema of the reference: each area's contract tests validate against its own
 * part, and keeping them all means no area has to edit a shared list of roots.
 */
const PROSE = new Set(['description', 'title', 'example', 'examples', 'externalDocs']);

function strip(node) {
  if (Array.isArray(node)) return node.map(strip);
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key]) => !PROSE.has(key))
        .map(([key, value]) => [key, strip(value)]),
    );
  }
  return node;
}

function refsOf(node, found = new Set()) {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.add(value.replace('#/components/schemas/', ''));
      else refsOf(value, found);
    }
  }
  return found;
}

const all = YAML.parse(fs.readFileSync(source, 'utf8')).components.schemas;
const keep = {};
const queue = Object.keys(all);
while (queue.length) {
  const name = queue.shift();
  if (keep[name]) continue;
  if (!all[name]) throw new Error(`Schema ${name} is not in ${source}`);
  keep[name] = strip(all[name]);
  queue.push(...refsOf(all[name]));
}
const sorted = Object.fromEntries(
  Object.keys(keep)
    .sort()
    .map((k) => [k, keep[k]]),
);
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, JSON.stringify({ source: 'qargo-tms-openapi.yml (schemas only, prose removed)', schemas: sorted }, null, 1) + '\n');
console.log(`wrote ${Object.keys(sorted).length} schemas to ${path.relative(root, target)}`);
