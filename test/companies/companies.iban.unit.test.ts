import { describe, expect, it } from 'vitest';
import { isBic, normalizeIban } from '../../src/modules/companies/companies.input.js';

describe('normalizeIban', () => {
  it.each([
    ['BE68 5390 0754 7034', 'BE68539007547034'],
    ['de89370400440532013000', 'DE89370400440532013000'],
    ['GB82WEST12345698765432', 'GB82WEST12345698765432'],
  ])('accepts %s', (input, compact) => {
    expect(normalizeIban(input)).toBe(compact);
  });

  it.each(['BE68539007547035', 'BE6853900754703', 'XX', '1234567890123456', 'BE68-5390-0754-7034'])('refuses %s', (input) => {
    expect(normalizeIban(input)).toBeUndefined();
  });
});

describe('isBic', () => {
  it('takes 8 or 11 characters of the right kinds', () => {
    expect(isBic('GEBABEBB')).toBe(true);
    expect(isBic('DEUTDEFF500')).toBe(true);
    expect(isBic('GEBABE')).toBe(false);
    expect(isBic('gebabebb')).toBe(false);
  });
});
