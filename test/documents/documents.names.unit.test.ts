import { describe, expect, it } from 'vitest';
import {
  cleanFilename,
  cleanName,
  contentDisposition,
  contentTypeFromFilename,
  normalizeContentType,
  strictBase64,
} from '../../src/platform/http/file-names.js';

describe('cleanFilename', () => {
  it('keeps the last path segment and drops control characters', () => {
    expect(cleanFilename('C:\\scans\\2026/cmr.pdf')).toBe('cmr.pdf');
    expect(cleanFilename('a\r\nb\u0000.pdf')).toBe('ab.pdf');
  });

  it('never returns an empty, dot or over-long name', () => {
    for (const raw of [undefined, null, '', '   ', '.', '..', 'dir/']) expect(cleanFilename(raw)).toBe('document');
    expect(Array.from(cleanFilename('é'.repeat(400)))).toHaveLength(255);
  });

  it('replaces lone surrogates so the name can be encoded', () => {
    const name = cleanFilename('bad\ud800name.pdf');
    expect(name).toBe('bad\ufffdname.pdf');
    expect(() => contentDisposition(name)).not.toThrow();
  });
});

describe('cleanName', () => {
  it('keeps slashes in display names but not control characters', () => {
    expect(cleanName('Delivery note 3/4\n')).toBe('Delivery note 3/4');
    expect(cleanName(' \u0007 ')).toBeUndefined();
  });
});

describe('normalizeContentType', () => {
  it('lower-cases the media type and keeps only a valid charset', () => {
    expect(normalizeContentType('Application/PDF')).toBe('application/pdf');
    expect(normalizeContentType('text/plain; Charset="UTF-8"; format=flowed')).toBe('text/plain; charset=utf-8');
    expect(normalizeContentType('text/plain; charset=a b')).toBe('text/plain');
  });

  it('rejects values that are not media types', () => {
    for (const raw of [undefined, '', 'pdf', 'text/', '/plain', 'text/html<script>', 'a/b/c', 'text/plain\r\nx: y']) {
      expect(normalizeContentType(raw)).toBeUndefined();
    }
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('Müller "final"; v2.pdf')).toBe(
      `attachment; filename="M_ller _final__ v2.pdf"; filename*=UTF-8''M%C3%BCller%20%22final%22%3B%20v2.pdf`,
    );
  });

  it('percent-encodes the characters RFC 8187 does not allow bare', () => {
    expect(contentDisposition("it's (1)*.txt")).toBe(`attachment; filename="it's (1)*.txt"; filename*=UTF-8''it%27s%20%281%29%2A.txt`);
  });
});

describe('contentTypeFromFilename', () => {
  it('knows the usual paperwork formats, case-insensitively, and nothing else', () => {
    expect(contentTypeFromFilename('POD.PDF')).toBe('application/pdf');
    expect(contentTypeFromFilename('photo.final.jpeg')).toBe('image/jpeg');
    expect(contentTypeFromFilename('archive.tar.gz')).toBeUndefined();
    expect(contentTypeFromFilename('README')).toBeUndefined();
  });
});

describe('strictBase64', () => {
  it('decodes padded base64 with line breaks', () => {
    expect(strictBase64('aGVs\nbG8=')?.toString()).toBe('hello');
    expect(strictBase64('aGk=')?.toString()).toBe('hi');
  });

  it('refuses text that only looks similar', () => {
    for (const text of ['', 'hello world', 'aGVsbG8', 'aGk==', 'a===', '====', 'aGk=aGk=', 'aGVs-G8=']) expect(strictBase64(text)).toBeUndefined();
  });

  it('handles many megabytes without overflowing the regex engine', () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 7);
    expect(strictBase64(big.toString('base64'))?.equals(big)).toBe(true);
  });
});
