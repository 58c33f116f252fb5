import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderEventCatalog } from '../../src/modules/events/index.js';
import { eventCatalog } from '../../src/platform/events/catalog.js';
// Loads every module, whose index registers its event catalog.
import '../../src/services.js';

describe('the event catalog', () => {
  it('is what docs/events.md documents (run `npm run docs:events` after changing a declaration)', () => {
    const committed = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderEventCatalog());
  });

  it('declares every type once, named `<entity>.<what happened>`, with an object payload', () => {
    const types = eventCatalog().map((e) => e.type);
    expect(new Set(types).size).toBe(types.length);
    for (const e of eventCatalog()) {
      expect(e.type).toMatch(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/);
      expect(e.payload.type).toBe('object');
    }
  });
});
