// The one reader of the cells people write: numbers with separators and scale words, ranges, qualifiers in words
// and signs, claim dates, choices. CSV import, grid typing, paste and the CLI all read through it, so the same text
// gives the same figure, or the same refusal with the same reason, whatever path it took.
import { isClaimDate } from './claimDate';
import { QUALIFIERS, type Qualifier } from './domain';

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * How numbers are written: `1,234.5` (the default) or `1.234,5` (most of Europe). `either` is a file whose format
 * nobody stated and whose delimiter suggests it may be European: a cell is read only when both formats agree.
 */
export const NUMBER_FORMATS = ['1,234.5', '1.234,5'] as const;
export type NumberFormat = (typeof NUMBER_FORMATS)[number];
export type NumberReading = NumberFormat | 'either';
export const DEFAULT_NUMBER_FORMAT: NumberFormat = '1,234.5';

/** What a value cell states: a number or a range, and the qualifier written with it (null when none). */
export interface CellQuantity {
  value: number | null;
  low: number | null;
  high: number | null;
  qualifier: Qualifier | null;
  /** the words the number was read from ("dozens"), by the workbook's rule table; null for a number written out */
  words: string | null;
}

/** One row of the workbook's rule table of vague quantities: "dozens" reads as at least 12. */
export interface VagueRule {
  word: string;
  value: number;
  qualifier: Qualifier;
}

/** The rule table as the reader looks it up: by the words in lower case, spaces collapsed. */
export type VagueRules = ReadonlyMap<string, VagueRule>;

export const NO_VAGUE_RULES: VagueRules = new Map();

const vagueKey = (words: string) => words.trim().toLowerCase().replace(/\s+/g, ' ');

export function vagueRules(rules: readonly VagueRule[]): VagueRules {
  return new Map(rules.map((rule) => [vagueKey(rule.word), rule]));
}

const UPPER_BOUNDS: ReadonlySet<Qualifier> = new Set(['at_most', 'up_to', 'less_than']);

/**
 * Vague words by the rule table, with the qualifier written before them: "about a dozen" keeps the rule's own
 * qualifier, "more than a dozen" is more than 12. A rule that is a floor ("dozens": at least 12) takes no upper
 * bound: "up to hundreds" says nothing of where it stops, and is refused rather than read as up to 100.
 */
function readVague(cell: string, written: Qualifier | null, vague: VagueRules, words: string): Read<CellQuantity> | null {
  const rule = vague.get(vagueKey(cell));
  if (!rule) return null;
  let qualifier = rule.qualifier;
  if (written && written !== 'approximately') {
    const floor = rule.qualifier === 'at_least' || rule.qualifier === 'more_than';
    if (UPPER_BOUNDS.has(written) && floor) {
      return no(`"${words}" sets no upper bound ("${rule.word}" is at least ${rule.value}): write the number the source gives`);
    }
    qualifier = written;
  }
  return ok({ value: rule.value, low: null, high: null, qualifier, words });
}

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const no = <T>(reason: string): Read<T> => ({ ok: false, reason });

/** Arabic-Indic and Eastern Arabic-Indic digits, and the spaces people put between digit groups. */
const ARABIC_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/g;
const arabicDigit = (d: string) => String((d.codePointAt(0)! - (d >= '\u06f0' ? 0x06f0 : 0x0660)) % 10);
const SPACES = /[\u00a0\u202f\u2009\u2007]/g;

// Spreadsheet formula injection (OWASP "CSV injection"): a text cell that starts with = + - @ tab or CR is run as a
// formula by Excel and LibreOffice. Export prefixes such cells with ' (shown as text, not run), as a spreadsheet
// user types them; every reading takes it off again, so a round trip keeps the words. Numbers are never touched.
const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\n']);

export function neutralise(text: string): string {
  return text.length > 0 && TRIGGERS.has(text.charAt(0)) ? `'${text}` : text;
}

export function unneutralise(text: string): string {
  return text.length > 1 && text.charAt(0) === "'" && TRIGGERS.has(text.charAt(1)) ? text.slice(1) : text;
}

/** A cell's text as every path sees it: trimmed, and the spreadsheet's text mark taken off. */
export function cellText(text: string): string {
  return unneutralise(text.trim());
}

// Longest phrases first, so "no more than" is not read as "more than".
const QUALIFIER_PHRASES: Array<[string[], Qualifier]> = [
  [['no fewer than', 'no less than', 'a minimum of', 'at least', 'minimum', 'min.', '>=', '≥'], 'at_least'],
  [['no more than', 'a maximum of', 'at most', 'maximum', 'max.', '<=', '≤'], 'at_most'],
  [['upwards of', 'more than', 'over', 'above', '>'], 'more_than'],
  [['up to'], 'up_to'],
  [['fewer than', 'less than', 'under', 'below', '<'], 'less_than'],
  [
    [
      'approximately',
      'an estimated',
      'estimated',
      'roughly',
      'around',
      'approx.',
      'approx',
      'nearly',
      'almost',
      'about',
      'circa',
      'some',
      'ca.',
      'c.',
      '~',
      '≈',
    ],
    'approximately',
  ],
];
const PHRASES = QUALIFIER_PHRASES.flatMap(([phrases, qualifier]) => phrases.map((p) => [p, qualifier] as const)).sort((a, b) => b[0].length - a[0].length);

/** A qualifier cell: a name (at_least), its words (at least) or a sign (~, >=); empty → null. */
export function readQualifier(text: string): Read<Qualifier | null> {
  const cell = cellText(text).toLowerCase();
  if (cell === '') return ok(null);
  const asName = cell.replace(/[\s-]+/g, '_');
  if ((QUALIFIERS as readonly string[]).includes(asName)) return ok(asName as Qualifier);
  if (cell === '=' || cell === 'exactly') return ok('exact');
  const phrase = PHRASES.find(([p]) => p === cell);
  if (phrase) return ok(phrase[1]);
  return no(`unknown qualifier; expected one of ${QUALIFIERS.join(', ')} (or words such as "at least", "some", "~")`);
}

const SCALE: Record<string, number> = { thousand: 3, k: 3, million: 6, m: 6, mn: 6, billion: 9, bn: 9 };

interface Marks {
  group: string;
  decimal: string;
}
const MARKS: Record<NumberFormat, Marks> = { '1,234.5': { group: ',', decimal: '.' }, '1.234,5': { group: '.', decimal: ',' } };
const other = (format: NumberFormat): NumberFormat => (format === '1,234.5' ? '1.234,5' : '1,234.5');
const NUMBER_SETTING = 'choose the number format (a mapping\'s "number_format", or Number format in the import wizard or the grid)';

/** One number in one format, without the ambiguity rule: what the digits say if the format is taken at its word. */
function readIn(cell: string, format: NumberFormat): Read<{ number: number; scaled: boolean; bareThree: boolean }> {
  const { group, decimal } = MARKS[format];
  // the Arabic separators are unambiguous whatever the format
  const text = cell
    .replace(SPACES, ' ')
    .replace(ARABIC_DIGITS, arabicDigit)
    .replace(/\u066c/g, group)
    .replace(/\u066b/g, decimal);
  if (/^[-−]\s*\d/.test(text)) return no('a count cannot be negative');
  const g = group === '.' ? '\\.' : group;
  const d = decimal === '.' ? '\\.' : decimal;
  const match = new RegExp(`^(\\d(?:[\\d${g} '’]*\\d)?)(${d}\\d+)?(?:\\s*(thousand|million|billion|mn|bn|k|m))?$`, 'i').exec(text);
  if (!match) {
    const wrongMark = new RegExp(`^\\d+${decimal === '.' ? ',' : '\\.'}\\d{1,2}$|^\\d+${decimal === '.' ? ',' : '\\.'}\\d{4,}$`).test(text);
    if (wrongMark) {
      const [mark, written] = decimal === '.' ? ['comma', text.replace(',', '.')] : ['point', text.replace('.', ',')];
      return no(`a decimal ${mark}? Numbers here are read as ${format}: write ${written}, or ${NUMBER_SETTING}`);
    }
    return no('not a number');
  }
  const [, whole = '', fraction = '', scaleWord] = match;
  const separators = whole.replace(/\d/g, '');
  if (separators !== '') {
    if (new Set(separators).size > 1) return no('mixed thousands separators');
    if (!/^\d{1,3}(?:[^\d]\d{3})+$/.test(whole)) {
      const decimalLike = separators === group && /^\d+[^\d]\d{1,2}$/.test(whole);
      if (decimalLike) {
        const [mark, written] = group === ',' ? ['comma', whole.replace(',', '.')] : ['point', whole.replace('.', ',')];
        return no(`a decimal ${mark}? Numbers here are read as ${format}: write ${written}, or ${NUMBER_SETTING}`);
      }
      return no('thousands separators in the wrong places');
    }
  }
  const digits = whole.replace(/[^\d]/g, '') + (fraction ? `.${fraction.slice(1)}` : '');
  // an exponent in the text, not a multiplication, so 1.1 million is exactly 1100000
  const number = Number(scaleWord ? `${digits}e${SCALE[scaleWord.toLowerCase()]!}` : digits);
  if (!Number.isFinite(number)) return no('not a finite number');
  return ok({ number, scaled: scaleWord !== undefined, bareThree: separators === '' && /^[1-9]\d{0,2}$/.test(whole) && fraction.length === 4 });
}

/**
 * A count as people write it: 20000, 20,000, 20 000, 1.5, 1.2 million, ٢٠٬٠٠٠. In one format, a decimal mark followed
 * by exactly three digits (20.000 in 1,234.5) is refused: it is a thousands group in the other format, and a careful
 * reader cannot tell which was meant.
 */
export function readNumber(text: string, reading: NumberReading = DEFAULT_NUMBER_FORMAT): Read<number> {
  const cell = cellText(text);
  if (cell === '') return no('empty');
  if (reading === 'either') {
    const a = readIn(cell, '1,234.5');
    const b = readIn(cell, '1.234,5');
    if (a.ok && b.ok && a.value.number !== b.value.number) {
      return no(`reads as ${a.value.number} in 1,234.5 numbers but as ${b.value.number} in 1.234,5 numbers: ${NUMBER_SETTING}`);
    }
    if (a.ok) return ok(a.value.number);
    if (b.ok) return ok(b.value.number);
    return a;
  }
  const read = readIn(cell, reading);
  if (!read.ok) return read;
  if (read.value.bareThree && !read.value.scaled) {
    const theOther = readIn(cell, other(reading));
    if (theOther.ok && theOther.value.number !== read.value.number) {
      const { decimal } = MARKS[reading];
      return no(
        `ambiguous: "${decimal}" is a decimal mark in ${reading} numbers but a thousands separator in ${other(reading)}: write ${theOther.value.number} or ${read.value.number} without separators, or ${NUMBER_SETTING}`,
      );
    }
  }
  return ok(read.value.number);
}

/**
 * A value cell: a number or a range, led by a qualifier ("some 15,000", "~20,000") or ended by "+" ("20,000+"); or
 * vague words the rule table reads ("dozens": at least 12), which are kept as written.
 */
export function readQuantity(text: string, reading: NumberReading = DEFAULT_NUMBER_FORMAT, vague: VagueRules = NO_VAGUE_RULES): Read<CellQuantity> {
  let cell = cellText(text);
  if (cell === '') return no('empty');
  // a rule may hold the qualifier's words itself ("over a hundred"): the whole cell is looked up first
  const whole = readVague(cell, null, vague, cell);
  if (whole) return whole;
  let qualifier: Qualifier | null = null;
  const lower = cell.toLowerCase();
  const phrase = PHRASES.find(([p]) => lower.startsWith(p) && (/[^a-z]$/.test(p) || !/[a-z]/.test(lower.charAt(p.length))));
  if (phrase) {
    qualifier = phrase[1];
    cell = cell.slice(phrase[0].length).trim();
  }
  if (cell.endsWith('+')) {
    if (qualifier) return no('two qualifiers in one value');
    qualifier = 'at_least';
    cell = cell.slice(0, -1).trim();
  }
  if (cell === '') return no(`"${cellText(text)}" has a qualifier but no number`);
  const words = readVague(cell, qualifier, vague, cellText(text));
  if (words) return words;
  const range = readRangeText(cell, reading);
  if (range) return range.ok ? ok({ value: null, low: range.value.low, high: range.value.high, qualifier, words: null }) : range;
  const number = readNumber(cell, reading);
  if (!number.ok) return number;
  return ok({ value: number.value, low: null, high: null, qualifier, words: null });
}

/** "14,000–15,000", "14,000 to 15,000", "between 100 and 200"; null when the text is not written as a range. */
function readRangeText(cell: string, reading: NumberReading): Read<{ low: number; high: number }> | null {
  const between = /^between\s+(.+?)\s+and\s+(.+)$/i.exec(cell);
  // the start needs a character before the dash, so "-5" is a negative number, not a range with no start
  const parts = between ?? /^(.+?)\s*(?:–|—|-|\.\.|\bto\b)\s*(.+)$/i.exec(cell);
  if (!parts) return null;
  const low = readNumber(parts[1]!, reading);
  const high = readNumber(parts[2]!, reading);
  if (!low.ok) return no(`range start: ${low.reason}`);
  if (!high.ok) return no(`range end: ${high.reason}`);
  if (low.value > high.value) return no(`range start ${low.value} exceeds its end ${high.value}`);
  return ok({ low: low.value, high: high.value });
}

/** A range cell (the grid's Range column): low–high, or empty to clear it. */
export function readRange(text: string, reading: NumberReading = DEFAULT_NUMBER_FORMAT): Read<{ low: number | null; high: number | null }> {
  const cell = cellText(text);
  if (cell === '') return ok({ low: null, high: null });
  const range = readRangeText(cell, reading);
  if (range) return range;
  return no('expected a range low–high, such as 14,000–15,000');
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DATE_SHAPE = 'expected a date YYYY-MM-DD (or YYYY-MM, YYYY when only that is known)';

/** A claim date: YYYY-MM-DD, or YYYY-MM / YYYY when only that is known (2024/05/19 and 2024.05.19 too); empty → null. */
export function readClaimDate(text: string): Read<string | null> {
  const cell = cellText(text);
  if (cell === '') return ok(null);
  const normalised = /^\d{4}([/.])\d{2}(\1\d{2})?$/.test(cell) ? cell.replace(/[/.]/g, '-') : cell;
  if (isClaimDate(normalised)) return ok(normalised);
  const parts = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(normalised);
  if (parts) {
    const [, year, month, day] = parts;
    const m = Number(month);
    if (m < 1 || m > 12) return no(`there is no month ${month}; ${DATE_SHAPE}`);
    return no(`${year} has no ${Number(day)} ${MONTHS[m - 1]}`);
  }
  if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(cell)) return no(`${DATE_SHAPE}, year first: day and month could be either way round`);
  return no(DATE_SHAPE);
}

/** One of a fixed list: its name in any case, with spaces or hyphens for underscores (reported count), or its label. */
export function readChoice<T extends string>(text: string, allowed: readonly T[], label?: (value: T) => string): Read<T | null> {
  const cell = cellText(text).toLowerCase();
  if (cell === '') return ok(null);
  const asName = cell.replace(/[\s-]+/g, '_');
  const found = allowed.find((value) => value === asName || label?.(value).toLowerCase() === cell);
  return found ? ok(found) : no(`expected one of ${allowed.join(', ')}`);
}
