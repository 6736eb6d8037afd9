import { describe, expect, it } from 'vitest';
import { numberInText } from '../../src/shared/numberInText';

const marked = (text: string, writings: string[]) => {
  const span = numberInText(text, writings);
  return span ? `${text.slice(0, span.index)}[${text.slice(span.index, span.index + span.length)}]${text.slice(span.index + span.length)}` : null;
};

describe('numberInText: where an excerpt states the figure', () => {
  it('skips digits inside a date and marks the number itself', () => {
    expect(marked('report_date=2023-10-07, report_source=mohtel: press_killed_cum=1', ['1'])).toBe(
      'report_date=2023-10-07, report_source=mohtel: press_killed_cum=[1]',
    );
    expect(marked('as of 2024-10-15, 10 trucks entered', ['10'])).toBe('as of 2024-10-15, [10] trucks entered');
  });

  it('skips digits inside a longer number, whichever way it is written', () => {
    expect(marked('some 120,500 people, of whom 20,000 civilians', ['20,000', '20000'])).toBe('some 120,500 people, of whom [20,000] civilians');
    expect(marked('killed 15.5 thousand; 15 confirmed', ['15'])).toBe('killed 15.5 thousand; [15] confirmed');
    expect(marked('2,150 and 150', ['150'])).toBe('2,150 and [150]');
  });

  it('marks a number at a sentence end, in a range, or after a sign', () => {
    expect(marked('The toll rose to 20,000.', ['20,000'])).toBe('The toll rose to [20,000].');
    expect(marked('between 10-15 trucks', ['10'])).toBe('between [10]-15 trucks');
    expect(marked('between 10-15 trucks', ['15'])).toBe('between 10-[15] trucks');
    expect(marked('~20,000 civilians', ['20,000'])).toBe('~[20,000] civilians');
  });

  it('tries the writings in order and says when the text does not state the number', () => {
    expect(marked('20000 and 20,000', ['20,000', '20000'])).toBe('20000 and [20,000]');
    expect(marked('no such number: 12345', ['234'])).toBeNull();
    expect(marked('', ['1'])).toBeNull();
    expect(marked('anything', [''])).toBeNull();
  });
});
