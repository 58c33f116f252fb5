import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { haveXsd, xsdErrors } from '../support/ubl-xsd.js';

/**
 * Schema checks asked for together share one xmllint run (test/support/ubl-xsd.ts): each document
 * must still get exactly its own errors, or a batch could pass a broken document.
 */
const valid = readFileSync(new URL('../../docs/sample-invoice.xml', import.meta.url), 'utf8');
const withStray = (element: string) => valid.replace('<cbc:IssueDate>', `<cbc:${element}>x</cbc:${element}><cbc:IssueDate>`);

describe.skipIf(!haveXsd)('UBL schema checks in one batch', () => {
  it('give each document its own errors, and none to the valid ones', async () => {
    const [first, broken, second, stray, unparsable] = await Promise.all([
      xsdErrors(valid, 'Invoice'),
      xsdErrors(withStray('Stray.One'), 'Invoice'),
      xsdErrors(valid, 'Invoice'),
      xsdErrors(withStray('Stray.Two'), 'Invoice'),
      xsdErrors('<Invoice', 'Invoice'),
    ]);
    expect(first).toEqual([]);
    expect(second).toEqual([]);
    expect(broken.join('\n')).toContain('Stray.One');
    expect(broken.join('\n')).not.toContain('Stray.Two');
    expect(stray.join('\n')).toContain('Stray.Two');
    expect(stray.join('\n')).not.toContain('Stray.One');
    expect(unparsable).not.toEqual([]);
  });

  it('a document checked alone is judged the same', async () => {
    expect(await xsdErrors(valid, 'Invoice')).toEqual([]);
    expect((await xsdErrors(withStray('Stray.Three'), 'Invoice')).join('\n')).toContain('Stray.Three');
  });
});
