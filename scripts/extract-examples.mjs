#!/usr/bin/env node
// Writes test/contract/order-examples.json: the order request bodies the reference contract shows
// in its guide (JSON code blocks of the prose), as data only: none of the surrounding text is kept,
// each is named by what it does. Tests upload every one of them unchanged. Beside them, the
// success-response schema of every operation (prose removed), to check answers operation by operation.
// Usage: node scripts/extract-examples.mjs [path/to/qargo-tms-openapi.yml]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? path.resolve(root, '../shared/reference/qargo-tms-openapi.yml');
const target = path.join(root, 'test/contract/order-examples.json');

const contract = YAML.parse(fs.readFileSync(source, 'utf8'));
const guide = contract.info.description;
const PROSE = new Set(['description', 'title', 'example', 'examples']);
const strip = (node) =>
  Array.isArray(node)
    ? node.map(strip)
    : node && typeof node === 'object'
      ? Object.fromEntries(
          Object.entries(node)
            .filter(([k]) => !PROSE.has(k))
            .map(([k, v]) => [k, strip(v)]),
        )
      : node;
const BLOCK = /```[a-z]*[^\n]*\n([\s\S]*?)```/g;

const examples = [];
for (const match of guide.matchAll(BLOCK)) {
  let body;
  try {
    body = JSON.parse(match[1]);
  } catch {
    continue;
  }
  const kind =
    typeof body.order_identifier === 'string' || body.operation
      ? 'order'
      : Array.isArray(body.updates) && body.updates.some((u) => u.match || u.consignment)
        ? 'partial-order-update'
        : undefined;
  if (!kind) continue;
  const name = kind === 'order' ? `${body.operation} ${body.order_identifier}` : `partial update of ${body.updates.length} order(s)`;
  examples.push({ name: `#${examples.length + 1} ${name}`, kind, body });
}
/** `"post /v1/webhook"` → the JSON schema of its 200 or 201 answer. */
const responses = {};
for (const [route, operations] of Object.entries(contract.paths)) {
  for (const [method, operation] of Object.entries(operations)) {
    const success = operation?.responses?.['200'] ?? operation?.responses?.['201'];
    const schema = success?.content?.['application/json']?.schema;
    if (schema) responses[`${method} ${route}`] = strip(schema);
  }
}
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(
  target,
  JSON.stringify({ source: 'qargo-tms-openapi.yml (guide examples and response schemas, data only)', examples, responses }, null, 1) + '\n',
);
console.log(`wrote ${examples.length} examples to ${path.relative(root, target)}`);
