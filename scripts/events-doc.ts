/**
 * Writes docs/events.md from the event catalog: `npm run docs:events`. test/events/events.catalog.test.ts
 * fails when the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderEventCatalog } from '../src/modules/events/index.js';
// Every module's index registers its catalog when loaded; services.ts loads them all.
import '../src/services.js';

const target = fileURLToPath(new URL('../docs/events.md', import.meta.url));
writeFileSync(target, renderEventCatalog());
console.log(`wrote ${target}`);
