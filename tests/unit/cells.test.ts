// The one cell reader, one cell at a time: numbers with separators and scale words in either number format, ranges,
// qualifier words, claim dates — and the formula guard that export puts on text cells and every reading takes off.
import { describe, expect, it } from 'vitest';
import { neutralise, readClaimDate, readNumber, readQualifier, readQuantity, unneutralise, vagueRules } from '../../src/shared/cells';
import { DEFAULT_VAGUE_RULES } from '../../src/shared/domain';

const parseNumber = (text: string) => readNumber(text);
const parseQuantity = (text: string) => readQuantity(text);
const parseQualifier = readQualifier;
const settingHint = 'choose the number format (a mapping\'s "number_format", or Number format in the import wizard or the grid)';

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
    ['1.1 million', 1100000],
    ['20 thousand', 20000],
    ['٢٠٬٠٠٠', 20000],
    ['۱۵۰۰', 1500],
    ["1'234", 1234],
    ['0.500', 0.5],
  ])('reads %j as %d', (text, value) => {
    expect(parseNumber(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'empty'],
    ['lots', 'not a number'],
    ['-5', 'a count cannot be negative'],
    ['−5', 'a count cannot be negative'],
    ['12abc', 'not a number'],
    ['2,00,000', 'thousands separators in the wrong places'],
    ['1,5', `a decimal comma? Numbers here are read as 1,234.5: write 1.5, or ${settingHint}`],
    ['20,00', `a decimal comma? Numbers here are read as 1,234.5: write 20.00, or ${settingHint}`],
    [
      '20.000',
      `ambiguous: "." is a decimal mark in 1,234.5 numbers but a thousands separator in 1.234,5: write 20000 or 20 without separators, or ${settingHint}`,
    ],
    [
      '35.000',
      `ambiguous: "." is a decimal mark in 1,234.5 numbers but a thousands separator in 1.234,5: write 35000 or 35 without separators, or ${settingHint}`,
    ],
  ])('refuses %j: %s', (text, reason) => {
    expect(parseNumber(text)).toEqual({ ok: false, reason });
  });
});

describe('vague quantities, read by the rule table', () => {
  const rules = vagueRules(DEFAULT_VAGUE_RULES);
  const words = (text: string) => readQuantity(text, '1,234.5', rules);
  const read = (value: number, qualifier: string, written: string) => ({ ok: true, value: { value, low: null, high: null, qualifier, words: written } });

  it.each([
    ['tens', 10],
    ['dozens', 12],
    ['scores', 20],
    ['hundreds', 100],
    ['several hundred', 200],
    ['thousands', 1000],
    ['tens of thousands', 10000],
  ])('reads %j as at least %d (ACLED’s conservative floor), keeping the words', (text, value) => {
    expect(words(text)).toEqual(read(value, 'at_least', text));
  });

  it('reads "a dozen" as about 12, in any case and spacing, the words kept as written', () => {
    expect(words('a dozen')).toEqual(read(12, 'approximately', 'a dozen'));
    expect(words('  A   Dozen ')).toEqual(read(12, 'approximately', 'A   Dozen'));
    expect(words('Dozens')).toEqual(read(12, 'at_least', 'Dozens'));
  });

  it('takes a bound written before the words, keeps the floor of "some dozens", and refuses "up to hundreds"', () => {
    expect(words('more than a dozen')).toEqual(read(12, 'more_than', 'more than a dozen'));
    expect(words('over dozens')).toEqual(read(12, 'more_than', 'over dozens'));
    expect(words('about a dozen')).toEqual(read(12, 'approximately', 'about a dozen'));
    expect(words('some dozens')).toEqual(read(12, 'at_least', 'some dozens')); // "some" does not weaken a floor
    expect(words('fewer than a dozen')).toEqual(read(12, 'less_than', 'fewer than a dozen'));
    expect(words('up to hundreds')).toEqual({
      ok: false,
      reason: '"up to hundreds" sets no upper bound ("hundreds" is at least 100): write the number the source gives',
    });
  });

  it('reads numbers as before, and words no rule names as no number', () => {
    expect(words('200')).toEqual({ ok: true, value: { value: 200, low: null, high: null, qualifier: null, words: null } });
    expect(words('dozens of people')).toEqual({ ok: false, reason: 'not a number' });
    // without the table (a caller that has none), the words are no number
    expect(readQuantity('dozens')).toEqual({ ok: false, reason: 'not a number' });
  });

  it('reads by the table it is given: an edited rule reads as edited', () => {
    const edited = vagueRules([
      { word: 'dozens', value: 24, qualifier: 'at_least' },
      { word: 'a handful', value: 3, qualifier: 'approximately' },
    ]);
    expect(readQuantity('dozens', '1,234.5', edited)).toEqual(read(24, 'at_least', 'dozens'));
    expect(readQuantity('a handful', '1,234.5', edited)).toEqual(read(3, 'approximately', 'a handful'));
    expect(readQuantity('scores', '1,234.5', edited)).toEqual({ ok: false, reason: 'not a number' });
  });
});

describe('parseQuantity', () => {
  const q = (value: number | null, low: number | null, high: number | null, qualifier: string | null) => ({
    ok: true,
    value: { value, low, high, qualifier, words: null },
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

describe('number formats', () => {
  it.each([
    ['1.234,5', 1234.5],
    ['20.000', 20000],
    ['1,5', 1.5],
    ['2.250', 2250],
    ['1.500.000', 1500000],
    ['1,2 million', 1200000],
  ])('1.234,5 reads %j as %d', (text, value) => {
    expect(readNumber(text, '1.234,5')).toEqual({ ok: true, value });
  });

  it('1.234,5 refuses a decimal point with a hint, and a comma before three digits as ambiguous', () => {
    expect(readNumber('1.5', '1.234,5')).toEqual({ ok: false, reason: `a decimal point? Numbers here are read as 1.234,5: write 1,5, or ${settingHint}` });
    expect(readNumber('2,250', '1.234,5')).toMatchObject({ ok: false, reason: expect.stringMatching(/^ambiguous: "," is a decimal mark in 1\.234,5 numbers/) });
  });

  it.each([
    ['2,250', 2250, 2.25],
    ['1.500', 1.5, 1500],
    ['35.000', 35, 35000],
  ])('with the format unstated (a ;-file), refuses %j: %d in one format, %d in the other', (text, a, b) => {
    expect(readNumber(text, 'either')).toEqual({ ok: false, reason: `reads as ${a} in 1,234.5 numbers but as ${b} in 1.234,5 numbers: ${settingHint}` });
  });

  it.each([
    ['20000', 20000],
    ['1.234,5', 1234.5],
    ['1.5', 1.5],
    ['1.500.000', 1500000],
  ])('with the format unstated, reads %j where only one reading exists or both agree', (text, value) => {
    expect(readNumber(text, 'either')).toEqual({ ok: true, value });
  });
});

describe('readClaimDate', () => {
  it.each([
    ['2024-05-19', '2024-05-19'],
    ['2024/05/19', '2024-05-19'],
    ['2024.05.19', '2024-05-19'],
    ['2024-05', '2024-05'],
    ['2024', '2024'],
    ['2024-02-29', '2024-02-29'],
    ['  2024-05-19 ', '2024-05-19'],
    ['', null],
  ])('reads %j as %s', (text, value) => {
    expect(readClaimDate(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['2024-02-30', '2024 has no 30 February'],
    ['2023-02-29', '2023 has no 29 February'],
    ['2024-04-31', '2024 has no 31 April'],
    ['2024-13-01', 'there is no month 13; expected a date YYYY-MM-DD (or YYYY-MM, YYYY when only that is known)'],
    ['19/05/2024', 'expected a date YYYY-MM-DD (or YYYY-MM, YYYY when only that is known), year first: day and month could be either way round'],
    ['yesterday', 'expected a date YYYY-MM-DD (or YYYY-MM, YYYY when only that is known)'],
  ])('refuses %j: %s', (text, reason) => {
    expect(readClaimDate(text)).toEqual({ ok: false, reason });
  });
});
