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
