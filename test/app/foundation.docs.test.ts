import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The README promises a table of every environment variable; this keeps the promise as settings are added. */
const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

describe('README configuration table', () => {
  it('lists exactly the environment variables src/config.ts reads', () => {
    const config = read('src/config.ts');
    const readByConfig = new Set([...config.matchAll(/(?:env\.|(?:int|decimal|bool|list|key)\(env, ')([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]));
    const documented = new Set([...read('README.md').matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
    expect(readByConfig.size).toBeGreaterThan(10);
    expect([...documented].sort()).toEqual([...readByConfig].sort());
  });

  it('opens with the one-command start and the test command', () => {
    const top = read('README.md').split('\n').slice(0, 12).join('\n');
    expect(top).toContain('npm install && npm start');
    expect(top).toContain('http://127.0.0.1:8080');
    expect(top).toContain('./data');
    expect(top).toContain('npm test');
  });
});
