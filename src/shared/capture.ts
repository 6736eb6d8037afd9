// Coverage of a document: which of the numbers it states back a figure of its citation already ("captured"), so an
// analyst sees what is left in a bulletin. A number is captured by a figure whose value (or range) is the
// number's and whose excerpt holds the number's sentence, or states the number itself.
import { normaliseQuoted } from './excerptMatch';
import { type FoundNumber, findNumbers, spanText } from './textNumbers';

export interface CapturingFigure {
  id: string;
  value: number | null;
  low: number | null;
  high: number | null;
  excerpt: string | null;
}

const same = (a: number | null | undefined, b: number | null | undefined) => a !== null && a !== undefined && a === b;

function sameQuantity(number: FoundNumber, figure: CapturingFigure): boolean {
  const q = number.quantity;
  if (!q) return false;
  if (q.value !== null) return same(figure.value, q.value);
  return same(figure.low, q.low) && same(figure.high, q.high);
}

/** The figure that captures the number, or null. */
export function capturedBy(text: string, number: FoundNumber, figures: readonly CapturingFigure[]): CapturingFigure | null {
  const sentence = normaliseQuoted(spanText(text, number.sentence));
  for (const figure of figures) {
    if (!figure.excerpt || !sameQuantity(number, figure)) continue;
    if (normaliseQuoted(figure.excerpt).includes(sentence)) return figure;
    // an excerpt shorter than the sentence: it states the number itself
    if (findNumbers(figure.excerpt).some((stated) => sameQuantity(stated, figure))) return figure;
  }
  return null;
}

export interface Coverage {
  /** for each number, the figure capturing it, or null */
  figures: Array<CapturingFigure | null>;
  captured: number;
  total: number;
}

export function coverage(text: string, numbers: readonly FoundNumber[], figures: readonly CapturingFigure[]): Coverage {
  const by = numbers.map((number) => capturedBy(text, number, figures));
  return { figures: by, captured: by.filter(Boolean).length, total: numbers.length };
}
