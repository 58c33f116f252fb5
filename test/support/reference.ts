import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * A folder of the shared reference material (schemas, validation artefacts). It sits beside the
 * main checkout (../shared/reference), which from a git worktree is further up: the nearest
 * ancestor that has it wins. Undefined where it is absent; the tests that need it say they skip.
 */
export function referencePath(name: string): string | undefined {
  for (let dir = path.resolve(import.meta.dirname, '../..'); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'reference', name);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}
