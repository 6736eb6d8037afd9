// The cells people write, read one at a time: numbers with separators and scale words, ranges, qualifier words —
// and the formula guard that export puts on text cells and import takes off.
import { describe, expect, it } from 'vitest';
import { neutralise, unneutralise } from '../../src/core/csv/formula';
import { parseNumber, parseQualifier, parseQuantity } from '../../src/core/csv/values';

describe('parseNumber', () => {
  it.each([
    ['20000', 20000],
    ['20,000', 20000],
    ['20 000', 20000],
    ['20\u00a0000', 20000], // no-break space, as French and some exports write it
    ['1,234,567', 1234567],
    ['1.5', 1.5],
    ['0', 0],
    ['1.2 million', 1200000],
    ['35k', 35000],
    ['1.5 thousand', 1500],
  ])('reads %j as %d', (text, value) => {
    expect(parseNumber(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'empty'],
    ['lots', 'not a number'],
    ['-5', 'not a number'],
    ['12abc', 'not a number'],
    ['2,00,000', 'thousands separators in the wrong places'],
    ['20.000', 'ambiguous: is "." a thousands separator or a decimal point? Write 20000 or 20,000'],
  ])('refuses %j: %s', (text, reason) => {
    expect(parseNumber(text)).toEqual({ ok: false, reason });
  });
});

describe('parseQuantity', () => {
  const q = (value: number | null, low: number | null, high: number | null, qualifier: string | null) => ({
    ok: true,
    value: { value, low, high, qualifier },
  });
  it.each([
    ['20,000', q(20000, null, null, null)],
    ['14,000-15,000', q(null, 14000, 15000, null)],
    ['14,000 – 15,000', q(null, 14000, 15000, null)],
    ['between 100 and 200', q(null, 100, 200, null)],
    ['10 to 20', q(null, 10, 20, null)],
    ['at least 2', q(2, null, null, 'at_least')],
    ['At Least 2', q(2, null, null, 'at_least')],
    ['some 15,000', q(15000, null, null, 'approximately')],
    ['~300', q(300, null, null, 'approximately')],
    ['about 1.2 million', q(1200000, null, null, 'approximately')],
    ['more than 50', q(50, null, null, 'more_than')],
    ['no more than 50', q(50, null, null, 'at_most')],
    ['up to 40', q(40, null, null, 'up_to')],
    ['fewer than 10', q(10, null, null, 'less_than')],
    ['20,000+', q(20000, null, null, 'at_least')],
    ['approximately 100-200', q(null, 100, 200, 'approximately')],
  ])('reads %j', (text, expected) => {
    expect(parseQuantity(text)).toEqual(expected);
  });

  it('does not read the word "some" inside another word as a qualifier', () => {
    expect(parseQuantity('somewhere 5')).toEqual({ ok: false, reason: 'not a number' });
  });

  it.each([
    ['15,000-14,000', 'range start 15000 exceeds its end 14000'],
    ['lots-200', 'range start: not a number'],
    ['at least 20+', 'two qualifiers in one value'],
  ])('refuses %j: %s', (text, reason) => {
    expect(parseQuantity(text)).toEqual({ ok: false, reason });
  });
});

describe('parseQualifier', () => {
  it.each([
    ['', null],
    ['at_least', 'at_least'],
    ['at least', 'at_least'],
    ['Up-To', 'up_to'],
    ['some', 'approximately'],
    ['~', 'approximately'],
    ['exactly', 'exact'],
    ['=', 'exact'],
  ])('reads %j as %s', (text, value) => {
    expect(parseQualifier(text)).toEqual({ ok: true, value });
  });

  it('refuses a word it does not know, listing the ones it does', () => {
    const parsed = parseQualifier('perhaps');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(/^unknown qualifier; expected one of exact, approximately, at_least/);
  });
});

describe('the formula guard', () => {
  it.each(['=SUM(A1:A9)', '+44 20 7946', '-2 dead', '@cmd', '\tleading tab', '\rleading CR', '\nleading LF'])(
    'neutralises %j with a leading apostrophe, and import takes it off again',
    (text) => {
      expect(neutralise(text)).toBe(`'${text}`);
      expect(unneutralise(neutralise(text))).toBe(text);
    },
  );

  it.each(['plain text', "it's fine", "'quoted on purpose", '20,000', ''])('leaves %j as it is both ways', (text) => {
    expect(neutralise(text)).toBe(text);
    expect(unneutralise(text)).toBe(text);
  });
});
