// The numbers a document states, found for quote-first entry: in English, Arabic and Hebrew text, with digits,
// separators, scale words and ranges read by the one cell reader, the qualifier of the words around them, and the
// sentence each stands in. Dates, years, times and the digits inside longer numbers or codes are no counts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { vagueRules } from '../../src/shared/cells';
import { DEFAULT_VAGUE_RULES } from '../../src/shared/domain';
import { type FoundNumber, findNumbers, sentenceSpans, spanText, statesQuantity, whereStated } from '../../src/shared/textNumbers';
import { PROJECT } from '../support/tempWorkbook';

/** What an analyst sees of each number: as written, its value or range, its qualifier and the qualifying words. */
const seen = (text: string) =>
  findNumbers(text).map((n: FoundNumber) => ({
    written: n.written,
    value: n.quantity?.value ?? null,
    low: n.quantity?.low ?? null,
    high: n.quantity?.high ?? null,
    qualifier: n.quantity?.qualifier ?? null,
    words: n.qualifierWords ? spanText(text, n.qualifierWords) : null,
  }));
const one = (written: string, value: number | null, qualifier: string | null = null, words: string | null = null) => ({
  written,
  value,
  low: null,
  high: null,
  qualifier,
  words,
});
const range = (written: string, low: number, high: number, qualifier: string | null = null, words: string | null = null) => ({
  written,
  value: null,
  low,
  high,
  qualifier,
  words,
});

describe('English', () => {
  it('reads digits with separators, and scale words, each number whole', () => {
    expect(seen('Killed: 20,000 civilians, 1.2 million displaced, 35k injured, 20 000 homes and 7 schools.')).toEqual([
      one('20,000', 20000),
      one('1.2 million', 1_200_000),
      one('35k', 35000),
      one('20 000', 20000),
      one('7', 7),
    ]);
  });

  it('reads the qualifier of the words before the number, or a + or "or more" after it', () => {
    expect(
      seen(
        'Some 15,000 died; at least 300 were hurt, more than 40 missing, nearly 12 lost, about 9 fled, approximately 8 held, 20,000+ displaced and 5 or more arrested.',
      ),
    ).toEqual([
      one('15,000', 15000, 'approximately', 'Some'),
      one('300', 300, 'at_least', 'at least'),
      one('40', 40, 'more_than', 'more than'),
      one('12', 12, 'approximately', 'nearly'),
      one('9', 9, 'approximately', 'about'),
      one('8', 8, 'approximately', 'approximately'),
      one('20,000', 20000, 'at_least', '+'),
      one('5', 5, 'at_least', 'or more'),
    ]);
  });

  it('reads a range written with a dash, "to" or "between … and …"', () => {
    expect(seen('Between 100 and 200 trucks; 14,000–15,000 killed; up to 30 to 40 hurt.')).toEqual([
      range('100 and 200', 100, 200),
      range('14,000–15,000', 14000, 15000),
      range('30 to 40', 30, 40, 'up_to', 'up to'),
    ]);
  });

  it('finds no count in a date, a year, a time, a code, an ordinal or a share', () => {
    expect(
      seen('On March 23, 2024, at 10:30, on 2023-10-07 and 19/05/2024, in 2023, an F-16 and COVID-19, for the 20th time, 45% of them: 12 people.'),
    ).toEqual([one('12', 12)]);
  });

  it('keeps digits side by side apart when spaces would make a wrong number of them ("in 2023 20 000")', () => {
    expect(seen('By then 2023 20 000 were counted.').map((n) => n.value)).toEqual([2023, 20000]);
  });

  it('says why a number cannot be read rather than guessing (1.500 in 1,234.5 text)', () => {
    const [found] = findNumbers('The ministry counted 1.500 dead.');
    expect(found?.quantity).toBeNull();
    expect(found?.reason).toMatch(/ambiguous/);
  });
});

describe('vague words, by the rule table', () => {
  const rules = vagueRules(DEFAULT_VAGUE_RULES);
  it('reads "dozens", "tens of thousands" and "more than a dozen" as the rule table says, beside the digits', () => {
    const text = 'Dozens were hurt, tens of thousands fled and more than a dozen trucks and 40 tents arrived.';
    expect(
      findNumbers(text, '1,234.5', rules).map((n) => ({
        written: n.written,
        value: n.quantity?.value,
        qualifier: n.quantity?.qualifier,
        words: n.quantity?.words,
      })),
    ).toEqual([
      { written: 'Dozens', value: 12, qualifier: 'at_least', words: 'Dozens' },
      { written: 'tens of thousands', value: 10000, qualifier: 'at_least', words: 'tens of thousands' },
      { written: 'a dozen', value: 12, qualifier: 'more_than', words: 'more than a dozen' },
      { written: '40', value: 40, qualifier: null, words: null },
    ]);
  });

  it('finds no vague words without the rule table', () => {
    expect(seen('Dozens were hurt.')).toEqual([]);
  });
});

describe('Arabic', () => {
  it('reads Arabic-Indic digits with the Arabic separators, and ألف as thousand', () => {
    expect(seen('قتل ٢٠٬٠٠٠ مدني و١٥ ألف مقاتل، وأصيب ١٫٥ مليون.')).toEqual([one('٢٠٬٠٠٠', 20000), one('١٥ ألف', 15000), one('١٫٥ مليون', 1_500_000)]);
  });

  it('reads the qualifiers نحو, أكثر من, ما لا يقل عن, حوالي, and بنحو with its prefix', () => {
    expect(seen('قتل نحو ٢٠ ألف مدني، وأكثر من 300 جريح، وما لا يقل عن 12 طفلا، وحوالي 40 امرأة، وقدرت بنحو 7 آلاف.')).toEqual([
      one('٢٠ ألف', 20000, 'approximately', 'نحو'),
      one('300', 300, 'more_than', 'أكثر من'),
      one('12', 12, 'at_least', 'ما لا يقل عن'),
      one('40', 40, 'approximately', 'حوالي'),
      one('7 آلاف', 7000, 'approximately', 'نحو'),
    ]);
  });

  it('finds no count in an Arabic date, and reads a range with إلى', () => {
    expect(seen('في 19 مايو 2024 دخلت بين 100 و200 شاحنة، ومن 30 إلى 40 مساء.')).toEqual([range('100 و200', 100, 200), range('30 إلى 40', 30, 40)]);
  });
});

describe('Hebrew', () => {
  it('reads the prefix כ- (about), יותר מ- (more than), לפחות (at least), and אלף as thousand', () => {
    expect(seen('נהרגו כ-20,000 אזרחים ויותר מ-15 אלף מחבלים, ולפחות 300 נפצעו.')).toEqual([
      one('20,000', 20000, 'approximately', 'כ'),
      one('15 אלף', 15000, 'more_than', 'יותר מ'),
      one('300', 300, 'at_least', 'לפחות'),
    ]);
  });

  it('finds no count in a year written ב-2024 or בשנת 2014, nor in a date of a Hebrew month', () => {
    expect(seen('ב-2024, בשנת 2014 וב-19 במאי 2024 נספרו 12 משאיות.')).toEqual([one('12', 12)]);
  });

  it('reads a range with a dash and the qualifier עד', () => {
    expect(seen('נכנסו 200–250 משאיות, ועד 40 טון.')).toEqual([range('200–250', 200, 250), one('40', 40, 'up_to', 'עד')]);
  });
});

describe('the sentence around a number', () => {
  it("is the seed article's sentence, exactly as the demo quotes it, and the clause names what is counted", () => {
    const text = readFileSync(`${PROJECT}demo/seed-article.txt`, 'utf8');
    const found = findNumbers(text);
    expect(found.map((n) => n.written)).toEqual(['20,000', '15,000']);
    const [civilians, combatants] = found as [FoundNumber, FoundNumber];
    const sentence = spanText(text, civilians.sentence);
    expect(sentence.startsWith('“The two sides discussed methods')).toBe(true);
    expect(sentence.endsWith('compared to some 15,000 combatants.')).toBe(true);
    expect(spanText(text, combatants.sentence)).toBe(sentence);
    expect(spanText(text, civilians.clause)).toMatch(/number of civilians killed in the war at 20,000/);
    expect(spanText(text, combatants.clause)).toMatch(/^, compared to some 15,000 combatants\.$/);
    expect(civilians.estimate && combatants.estimate).toBe(true);
  });

  it('ends at . ! ? and ؟ and at line ends, but not after an abbreviation or inside a number', () => {
    const text = 'Dr. Smith said 1.5 million fled. Did 20 return? نعم، عاد ٢٠؟\nנהרגו 5.';
    expect(sentenceSpans(text).map((s) => spanText(text, s))).toEqual(['Dr. Smith said 1.5 million fled.', 'Did 20 return?', 'نعم، عاد ٢٠؟', 'נהרגו 5.']);
  });
});

describe("a figure's excerpt: whether and where it states the figure's number", () => {
  const value = (n: number) => ({ value: n, low: null, high: null });
  const range = (low: number, high: number) => ({ value: null, low, high });
  /** The excerpt with the place it states the number in [brackets]; null when it states none. */
  const marked = (text: string, quantity: { value: number | null; low: number | null; high: number | null }) => {
    const span = whereStated(text, quantity);
    return span ? `${text.slice(0, span.index)}[${spanText(text, span)}]${text.slice(span.index + span.length)}` : null;
  };

  it('skips digits inside a date and marks the number itself', () => {
    expect(marked('report_date=2023-10-07, report_source=mohtel: press_killed_cum=1', value(1))).toBe(
      'report_date=2023-10-07, report_source=mohtel: press_killed_cum=[1]',
    );
    expect(marked('as of 2024-10-15, 10 trucks entered', value(10))).toBe('as of 2024-10-15, [10] trucks entered');
    expect(marked('as of 2023-10-07, many were killed', value(7))).toBeNull();
  });

  it('skips digits inside a longer number, whichever way it is written', () => {
    expect(marked('some 120,500 people, of whom 20,000 civilians', value(20000))).toBe('some 120,500 people, of whom [20,000] civilians');
    expect(marked('killed 15.5 thousand; 15 confirmed', value(15))).toBe('killed 15.5 thousand; [15] confirmed');
    expect(marked('2,150 and 150', value(150))).toBe('2,150 and [150]');
    expect(marked('some 2,000 killed', value(20000))).toBeNull();
  });

  it('marks a number at a sentence end, in a range, or after a sign', () => {
    expect(marked('The toll rose to 20,000.', value(20000))).toBe('The toll rose to [20,000].');
    expect(marked('between 10-15 trucks', value(10))).toBe('between [10]-15 trucks');
    expect(marked('between 10-15 trucks', value(15))).toBe('between 10-[15] trucks');
    expect(marked('between 10-15 trucks', range(10, 15))).toBe('between [10]-15 trucks');
    expect(marked('~20,000 civilians', value(20000))).toBe('~[20,000] civilians');
  });

  it('marks the first place the text states it, and says when the text does not', () => {
    expect(marked('20000 and 20,000', value(20000))).toBe('[20000] and 20,000');
    expect(marked('no such number: 12345', value(234))).toBeNull();
    expect(marked('', value(1))).toBeNull();
    expect(marked('anything', { value: null, low: null, high: null })).toBeNull();
  });

  it('reads the number as people write it, in either number format, by the one cell reader', () => {
    for (const excerpt of [
      'killed at 20,000',
      'killed: 20 000',
      'tot. 20.000 morti',
      'استشهاد ٢٠٬٠٠٠',
      'some 20 thousand dead',
      '20000 killed',
      'نحو ٢٠ ألف',
      'כ-20 אלף',
    ]) {
      expect([excerpt, statesQuantity(excerpt, value(20000))]).toEqual([excerpt, true]);
    }
    expect(statesQuantity('1.2 million displaced', value(1_200_000))).toBe(true);
    expect(statesQuantity('35k injured', value(35000))).toBe(true);
    expect(statesQuantity('By then 2023 20 000 were counted.', value(20000))).toBe(true);
  });

  it('holds a range stated only when both its ends are, and finds no count in a code, a share or a year', () => {
    expect(statesQuantity('between 14,000 and 15,000 killed', range(14000, 15000))).toBe(true);
    expect(statesQuantity('14,000–15,000 killed', range(14000, 15000))).toBe(true);
    expect(statesQuantity('at least 14,000 killed', range(14000, 15000))).toBe(false);
    expect(statesQuantity('an A320 landed', value(320))).toBe(false);
    expect(statesQuantity('45% of them', value(45))).toBe(false);
    expect(statesQuantity('killed in 2023', value(2023))).toBe(false);
  });
});
