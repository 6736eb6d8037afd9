// A figure's excerpt is in its citation's document, whitespace and quote marks normalised; and a document's
// numbers are captured by the figures whose value and excerpt are theirs.
import { describe, expect, it } from 'vitest';
import { coverage } from '../../src/shared/capture';
import { excerptInDocument } from '../../src/shared/excerptMatch';
import { findNumbers } from '../../src/shared/textNumbers';

const ARTICLE =
  '“The two sides discussed it,” the US readout says,\nwith IDF estimates putting the number at 20,000, compared to some 15,000 combatants. Then 7 trucks entered.';

describe('excerptInDocument', () => {
  it('finds an excerpt typed with straight quotes and single spaces where the document has curly quotes and a line break', () => {
    expect(excerptInDocument('"The two sides discussed it," the US readout says, with IDF estimates', ARTICLE)).toBe(true);
  });

  it('finds the parts around an ellipsis in order, and not out of order', () => {
    expect(excerptInDocument('IDF estimates … some 15,000 combatants', ARTICLE)).toBe(true);
    expect(excerptInDocument('some 15,000 combatants [...] IDF estimates', ARTICLE)).toBe(false);
  });

  it('does not find words the document does not hold: a changed number, or a paraphrase', () => {
    expect(excerptInDocument('compared to some 16,000 combatants', ARTICLE)).toBe(false);
    expect(excerptInDocument('the IDF estimated 20,000 civilians', ARTICLE)).toBe(false);
  });

  it('reads Arabic and Hebrew text with direction marks the same as without', () => {
    expect(excerptInDocument('قتل نحو ٢٠ ألف مدني', 'قالت الوزارة: قتل \u200fنحو ٢٠ ألف مدني.')).toBe(true);
    expect(excerptInDocument('נהרגו כ-20,000', 'לפי ההערכה נהרגו\u200e כ-20,000 אזרחים')).toBe(true);
  });
});

describe('coverage', () => {
  const sentence = ARTICLE.slice(0, ARTICLE.indexOf('Then') - 1);
  const numbers = findNumbers(ARTICLE);

  it('marks a number captured by a figure with its value and its sentence, or a short excerpt stating it', () => {
    const result = coverage(ARTICLE, numbers, [
      { id: 'a', value: 20000, low: null, high: null, excerpt: sentence.replace('\n', ' ') },
      { id: 'b', value: 7, low: null, high: null, excerpt: 'Then 7 trucks' },
    ]);
    expect(result.figures.map((f) => f?.id ?? null)).toEqual(['a', null, 'b']);
    expect([result.captured, result.total]).toEqual([2, 3]);
  });

  it('does not count a figure whose value differs, or whose excerpt is another sentence', () => {
    const result = coverage(ARTICLE, numbers, [
      { id: 'a', value: 21000, low: null, high: null, excerpt: sentence },
      { id: 'b', value: 15000, low: null, high: null, excerpt: 'Then 7 trucks entered.' },
    ]);
    expect(result.captured).toBe(0);
  });
});
