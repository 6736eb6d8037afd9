import { NUMBER_FORMATS, readNumber } from './cells';
// Where an excerpt states a figure's number: the first of the ways of writing it ("20,000", "20000") that stands
// as a number of its own in the text — not digits inside a longer number ("120,500") or inside a date
// ("2023-10-07" does not state 10).

export interface TextSpan {
  index: number;
  length: number;
}

const DIGIT_BEFORE = /(\d|\d[.,])$/;
const DIGIT_AFTER = /^(\d|[.,]\d)/;
const HYPHEN_DIGIT_BEFORE = /\d-$/;
const HYPHEN_DIGIT_AFTER = /^-\d/;

export function numberInText(text: string, writings: readonly string[]): TextSpan | null {
  for (const writing of writings) {
    if (writing === '') continue;
    for (let i = text.indexOf(writing); i >= 0; i = text.indexOf(writing, i + 1)) {
      const before = text.slice(Math.max(0, i - 2), i);
      const after = text.slice(i + writing.length, i + writing.length + 2);
      if (DIGIT_BEFORE.test(before) || DIGIT_AFTER.test(after)) continue;
      // Between two hyphens with digits on both sides: a part of a date, not a count ("10-15" still counts).
      if (HYPHEN_DIGIT_BEFORE.test(before) && HYPHEN_DIGIT_AFTER.test(after)) continue;
      return { index: i, length: writing.length };
    }
  }
  return null;
}

const DIGIT = '0-9\\u0660-\\u0669\\u06f0-\\u06f9';
/** A run of digits with the marks people put inside numbers (groups, decimals, spaces), and a scale word after. */
const NUMBER_RUN = new RegExp(
  `[${DIGIT}](?:[${DIGIT}]|[.,'’\\u066b\\u066c\\u00a0\\u202f\\u2009 ](?=[${DIGIT}]))*(?:\\s?(?:thousand|million|billion|mn|bn|k|m)(?![a-z]))?`,
  'giu',
);

const DATE = /(?<![\d-])\d{4}-\d{2}(?:-\d{2})?(?![\d-])/g;

/** Every number the text states, read by the one cell reader in either number format (20.000 is 20000 in 1.234,5). */
export function numbersInText(text: string): number[] {
  const numbers: number[] = [];
  for (const candidate of numberCandidates(text)) numbers.push(...readings(candidate));
  return numbers;
}

/** Whether the text states a figure's number: its value, or both ends of its range. */
export function statesQuantity(text: string, quantity: { value: number | null; low: number | null; high: number | null }): boolean {
  const stated = (n: number | null) => {
    if (n === null) return false;
    // Only a text whose digits are the number's (20 000, 20 thousand and ٢٠٬٠٠٠ all have 2 then zeros) is read.
    const digits = significant(String(n));
    for (const candidate of numberCandidates(text)) {
      if (significant(asciiDigits(candidate)) !== digits) continue;
      if (readings(candidate).some((m) => Math.abs(m - n) <= 1e-9 * Math.max(1, Math.abs(n)))) return true;
    }
    return false;
  };
  return stated(quantity.value) || (quantity.low !== null && stated(quantity.low) && stated(quantity.high));
}

/** The stretches of the text that may be a number: each run of digits, and its groups when spaces part them. */
function* numberCandidates(text: string): Generator<string> {
  // a date states no count: 2023-10-07 is not 7 (blanked out, so the places of the rest stay)
  const undated = text.replace(DATE, (date) => ' '.repeat(date.length));
  for (const match of undated.matchAll(NUMBER_RUN)) {
    const index = match.index ?? 0;
    const run = match[0];
    const before = undated.slice(Math.max(0, index - 2), index);
    const after = undated.slice(index + run.length, index + run.length + 2);
    if (HYPHEN_DIGIT_BEFORE.test(before) && HYPHEN_DIGIT_AFTER.test(after)) continue; // a part of a date
    // Digits grouped by spaces may also be numbers side by side ("in 2023 20 000 were killed"): every run of
    // neighbouring groups is a candidate.
    const groups = run.split(' ');
    for (let first = 0; first < groups.length; first += 1) {
      for (let last = first; last < groups.length; last += 1) yield groups.slice(first, last + 1).join(' ');
    }
  }
}

function readings(candidate: string): number[] {
  // bare digits read the same in every format: spared the reader's work, which is most of an excerpt check
  if (BARE_DIGITS.test(candidate)) return [Number(candidate)];
  const numbers: number[] = [];
  for (const format of NUMBER_FORMATS) {
    const read = readNumber(candidate, format);
    if (read.ok) numbers.push(read.value);
  }
  return numbers;
}

const BARE_DIGITS = /^[0-9]{1,15}$/;
const ARABIC_DIGIT = /[\u0660-\u0669\u06f0-\u06f9]/g;
const asciiDigits = (text: string) => text.replace(ARABIC_DIGIT, (d) => String((d.codePointAt(0)! - (d >= '\u06f0' ? 0x06f0 : 0x0660)) % 10));
/** The digits that matter: no marks, no leading or trailing zeros (20,000 → 2; 1.25 million → 125). */
const significant = (text: string) => text.replace(/[^0-9]/g, '').replace(/^0+|0+$/g, '');
