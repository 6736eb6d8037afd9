// The numbers a text states, the one finder of them: for quote-first entry (each number with where it is written,
// its value read by the one cell reader — cells.ts: separators, Arabic-Indic digits, scale words, ranges — the
// qualifier of the words before it ("some", "at least", "نحو", "כ-") and the sentence around it, which becomes the
// figure's excerpt), and for a figure's excerpt (whether it states the figure's number, and where). A date, a year or
// a time states no count, and a number is found whole: digits inside a longer number are never one of their own.
import {
  type CellQuantity,
  DEFAULT_NUMBER_FORMAT,
  NO_VAGUE_RULES,
  NUMBER_FORMATS,
  type NumberFormat,
  readNumber,
  readQualifier,
  readQuantity,
  type VagueRules,
} from './cells';
import type { Qualifier } from './domain';

export interface TextSpan {
  index: number;
  length: number;
}

export interface FoundNumber extends TextSpan {
  /** the number as written, a range's two ends and what joins them included ("14,000–15,000", "٢٠ ألف") */
  written: string;
  /** what the cell reader read; null when it could not (`reason` says why) */
  quantity: CellQuantity | null;
  reason: string | null;
  /** the words that qualify it, before it ("some") or after it ("20,000+", "or more"); null when none */
  qualifierWords: TextSpan | null;
  /** the sentence it stands in: a figure's excerpt */
  sentence: TextSpan;
  /** the words that belong to this number alone: from the number before it (or the sentence's start) to the one
   * after it (or the sentence's end) — where its metric and claimant are named */
  clause: TextSpan;
  /** the sentence calls it an estimate ("IDF estimates…", "an estimated", "تقديرات", "הערכה") */
  estimate: boolean;
}

const D = '0-9\\u0660-\\u0669\\u06f0-\\u06f9';
/** marks people put inside a number: group and decimal marks, thin and no-break spaces, the Arabic separators */
const MARK = ",.'’\\u066b\\u066c\\u00a0\\u202f\\u2009";
const SCALE_WORDS: Record<string, string> = {
  thousand: 'thousand',
  million: 'million',
  billion: 'billion',
  ألف: 'thousand',
  ألفا: 'thousand',
  ألفاً: 'thousand',
  الف: 'thousand',
  آلاف: 'thousand',
  مليون: 'million',
  ملايين: 'million',
  مليار: 'billion',
  אלף: 'thousand',
  אלפים: 'thousand',
  מיליון: 'million',
  מיליארד: 'billion',
};
const SCALE_SUFFIX: Record<string, string> = { k: 'k', m: 'm', bn: 'bn', mn: 'mn' };
const SCALE_ALTERNATIVES = Object.keys(SCALE_WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|');

/**
 * A run of digits with the marks inside it, a plain space only before a group of exactly three digits ("20 000"),
 * then a scale: a word after a space ("20 thousand", "٢٠ ألف") or a suffix written on ("35k", "1.2bn").
 */
const NUMBER = new RegExp(
  `[${D}](?:[${D}]|[${MARK}](?=[${D}])|(?<=(?:^|[^${D}${MARK}])[${D}]{1,3}(?: [${D}]{3})*) (?=[${D}]{3}(?![${D}])))*` +
    `(?:(?<scaleWord>\\s?(?:${SCALE_ALTERNATIVES}))(?![\\p{L}])|(?<suffix>k|m|bn|mn)(?![\\p{L}\\p{N}]))?`,
  'giu',
);

const LATIN_LETTER = /\p{Script=Latin}/u;
const MONTHS_EN = 'January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec';
const MONTHS_AR =
  'يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|ديسمبر|كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|تشرين الثاني|كانون الأول';
const MONTHS_HE = 'ינואר|פברואר|מרץ|מרס|אפריל|מאי|יוני|יולי|אוגוסט|ספטמבר|אוקטובר|נובמבר|דצמבר';
const MONTH = `(?:${MONTHS_EN}|${MONTHS_AR}|ב?(?:${MONTHS_HE}))`;
const N = `[${D}]`;
/** Dates, blanked out before numbers are looked for (so every other place in the text stays where it was). */
const DATES = [
  new RegExp(`(?<![${D}])(?:19|20|[١٢][٩٠])${N}{2}(?:[-/.]${N}{1,2}[-/.]${N}{1,2}|[-/]${N}{2})(?![${D}])`, 'gu'), // 2024-05-19, 2024/05
  new RegExp(`(?<![${D}])${N}{1,2}[-/.]${N}{1,2}[-/.]${N}{2,4}(?![${D}])`, 'gu'), // 19/05/2024, 19.5.24
  // month names as written (capitalised in English: "15 may have died" is no date)
  new RegExp(`(?<!\\p{L})${MONTH}\\.?\\s+${N}{1,2}(?:st|nd|rd|th)?(?:,?\\s+${N}{4})?(?![${D}])`, 'gu'), // March 23, 2024
  new RegExp(`(?<![${D}])${N}{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?!\\p{L})(?:,?\\s+${N}{4})?(?![${D}])`, 'gu'), // 23 March 2024, 19 مايو
  new RegExp(`(?<!\\p{L})${MONTH},?\\s+${N}{4}(?![${D}])`, 'gu'), // March 2024
  new RegExp(`(?<![${D}:])${N}{1,2}:${N}{2}(?::${N}{2})?(?![${D}])`, 'gu'), // 10:30, a time
];
/** a bare four-digit year after the words that introduce one ("in 2023", "منذ 2007", "בשנת 2014", "ב-2024") */
const YEAR_BEFORE = /(?:\b(?:in|since|until|till|by|from|during|year|early|late|mid|before|after)|في|عام|منذ|سنة|حتى|שנת|בשנת|משנת|עד|ב|מ|ל|מאז)[\s\-־]*$/iu;

const SENTENCE_END = /[.!?؟。]+["”’»)\]]*(?=\s)|\n\s*\n|\n/gu;
const ABBREVIATION =
  /(?:^|[\s(])(?:[A-Z]|Mr|Mrs|Ms|Dr|St|No|vs|etc|Gen|Lt|Col|Sgt|Capt|Maj|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|approx|ca|c|e\.g|i\.e|U\.S|U\.N)\.$/;

/** Qualifiers in Arabic and Hebrew, as the words before a number (longest first); English words go to readQualifier. */
const QUALIFIER_WORDS: Array<[string, Qualifier]> = (
  [
    ['ما لا يقل عن', 'at_least'],
    ['لا يقل عن', 'at_least'],
    ['على الأقل', 'at_least'],
    ['ما يزيد على', 'more_than'],
    ['ما يزيد عن', 'more_than'],
    ['ما يربو على', 'more_than'],
    ['أكثر من', 'more_than'],
    ['اكثر من', 'more_than'],
    ['أزيد من', 'more_than'],
    ['ما يقرب من', 'approximately'],
    ['ما يقارب', 'approximately'],
    ['ما يصل إلى', 'up_to'],
    ['أقل من', 'less_than'],
    ['اقل من', 'less_than'],
    ['حوالي', 'approximately'],
    ['حوالى', 'approximately'],
    ['قرابة', 'approximately'],
    ['زهاء', 'approximately'],
    ['نحو', 'approximately'],
    ['לא פחות מ', 'at_least'],
    ['למעלה מ', 'more_than'],
    ['יותר מ', 'more_than'],
    ['מעל ל', 'more_than'],
    ['מעל', 'more_than'],
    ['פחות מ', 'less_than'],
    ['לפחות', 'at_least'],
    ['קרוב ל', 'approximately'],
    ['בערך', 'approximately'],
    ['כמעט', 'approximately'],
    ['עד', 'up_to'],
    ['כ', 'approximately'],
  ] as Array<[string, Qualifier]>
).sort((a, b) => b[0].length - a[0].length);
/** Words after a number that qualify it. */
const QUALIFIER_AFTER: Array<[RegExp, Qualifier]> = [
  [/^\+/u, 'at_least'],
  [/^\s+or more\b/iu, 'at_least'],
  [/^\s+at least\b/iu, 'at_least'],
  [/^\s+على الأقل/u, 'at_least'],
  [/^\s+تقريبا|^\s+تقريباً/u, 'approximately'],
  [/^\s+לפחות/u, 'at_least'],
  [/^\s+בערך/u, 'approximately'],
];
const ESTIMATE = /\bestimat|يقدر|يُقدر|تقدير|تقديرات|מוערך|הערכה|הערכות|מעריכים/iu;
const RANGE_JOIN = /^\s*(?:–|—|-|to|إلى|الى|עד)\s*$|^(?:–|—|-)$/iu;
const BETWEEN_JOIN = /^\s*(?:and|و|ו|ל|ל-|ל־)\s*$/iu;
const BETWEEN_BEFORE = /(?:\bbetween|بين|בין)\s*$/iu;

interface Token extends TextSpan {
  written: string;
  scaled: string;
  /** words of the workbook's rule table of vague quantities ("dozens"), not digits */
  vague: boolean;
}

/**
 * Every number the text states, in order. `format`: how its digits are grouped (1,234.5 unless said); `vague`: the
 * workbook's rule table, whose words ("dozens": at least 12) are numbers too.
 */
export function findNumbers(text: string, format: NumberFormat = DEFAULT_NUMBER_FORMAT, vague: VagueRules = NO_VAGUE_RULES): FoundNumber[] {
  const sentences = sentenceSpans(text);
  const tokens = numberTokens(text, vague);
  const found: FoundNumber[] = [];
  let s = 0;
  for (let i = 0; i < tokens.length; i += 1) {
    const first = tokens[i]!;
    while (s < sentences.length - 1 && sentences[s]!.index + sentences[s]!.length <= first.index) s += 1;
    const sentence = sentences[s] ?? { index: first.index, length: first.length };
    let quantity: CellQuantity | null = null;
    let reason: string | null = null;
    let end = first.index + first.length;
    const next = tokens[i + 1];
    const between = next ? text.slice(end, next.index) : '';
    const lead = text.slice(sentence.index, first.index);
    if (first.vague) {
      found.push(vagueNumber(text, first, sentence, format, vague));
      continue;
    }
    const asRange =
      next &&
      !next.vague &&
      next.index < sentence.index + sentence.length &&
      (RANGE_JOIN.test(between) || (BETWEEN_JOIN.test(between) && BETWEEN_BEFORE.test(lead)));
    if (asRange) {
      const low = readNumber(first.scaled, format);
      const high = readNumber(next.scaled, format);
      if (low.ok && high.ok && low.value <= high.value) {
        quantity = { value: null, low: low.value, high: high.value, qualifier: null, words: null };
        end = next.index + next.length;
        i += 1;
      }
    }
    if (!quantity) {
      const read = readNumber(first.scaled, format);
      if (read.ok) quantity = { value: read.value, low: null, high: null, qualifier: null, words: null };
      else reason = read.reason;
    }
    const span = { index: first.index, length: end - first.index };
    const qualified = qualifierOf(text, sentence, span);
    if (quantity) quantity.qualifier = qualified?.qualifier ?? null;
    found.push({
      ...span,
      written: text.slice(span.index, end),
      quantity,
      reason,
      qualifierWords: qualified?.words ?? null,
      sentence,
      clause: { index: 0, length: 0 },
      estimate: false,
    });
  }
  // A number's clause runs from the number before it in its sentence to the number after it.
  found.forEach((number, i) => {
    const sentenceEnd = number.sentence.index + number.sentence.length;
    const before = found[i - 1];
    const after = found[i + 1];
    const start = before && before.sentence.index === number.sentence.index ? before.index + before.length : number.sentence.index;
    const end = after && after.sentence.index === number.sentence.index ? after.index : sentenceEnd;
    number.clause = { index: start, length: end - start };
    number.estimate = ESTIMATE.test(text.slice(number.sentence.index, number.index));
  });
  return found;
}

/** Vague words, read by the rule table with the qualifier before them ("more than a dozen") when it reads so. */
function vagueNumber(text: string, token: Token, sentence: TextSpan, format: NumberFormat, vague: VagueRules): FoundNumber {
  const qualified = qualifierOf(text, sentence, token);
  const combined = qualified ? readQuantity(`${spanText(text, qualified.words)} ${token.written}`, format, vague) : null;
  const read = combined?.ok ? combined : readQuantity(token.written, format, vague);
  return {
    index: token.index,
    length: token.length,
    written: token.written,
    quantity: read.ok ? read.value : null,
    reason: read.ok ? null : read.reason,
    qualifierWords: combined?.ok ? qualified!.words : null,
    sentence,
    clause: { index: 0, length: 0 },
    estimate: false,
  };
}

/** A figure's number: its value, or its range's two ends. */
export interface StatedQuantity {
  value: number | null;
  low: number | null;
  high: number | null;
}

/**
 * Where the text states the figure's number: the first number it writes in digits that reads as the value (else as
 * the range's low end, else its high end), in either number format (an excerpt's own: 20.000 is 20000 in 1.234,5
 * text). Null when it states none of them.
 */
export function whereStated(text: string, quantity: StatedQuantity): TextSpan | null {
  const tokens = numberTokens(text, NO_VAGUE_RULES);
  for (const n of [quantity.value, quantity.low, quantity.high]) {
    if (n === null) continue;
    const at = tokens.find((token) => readsAs(token, n));
    if (at) return { index: at.index, length: at.length };
  }
  return null;
}

/** Whether the text states the figure's number: its value, or both ends of its range, as whereStated reads them. */
export function statesQuantity(text: string, quantity: StatedQuantity): boolean {
  const tokens = numberTokens(text, NO_VAGUE_RULES);
  const stated = (n: number | null) => n !== null && tokens.some((token) => readsAs(token, n));
  return stated(quantity.value) || (quantity.low !== null && stated(quantity.low) && stated(quantity.high));
}

const ARABIC_DIGIT = /[\u0660-\u0669\u06f0-\u06f9]/g;
const asciiDigits = (text: string) => text.replace(ARABIC_DIGIT, (d) => String((d.codePointAt(0)! - (d >= '\u06f0' ? 0x06f0 : 0x0660)) % 10));
/** The digits that matter: no marks, no leading or trailing zeros (20,000 → 2; 1.25 million → 125; ٢٠ ألف → 2). */
const significant = (text: string) =>
  asciiDigits(text)
    .replace(/[^0-9]/g, '')
    .replace(/^0+|0+$/g, '');
const BARE_DIGITS = /^[0-9]{1,15}$/;

/** Whether a number written in digits reads as n in either number format. */
function readsAs(token: Token, n: number): boolean {
  // only digits that are n's can read as n: spares the reader's work, which is most of an excerpt check
  if (significant(token.scaled) !== significant(String(n))) return false;
  if (BARE_DIGITS.test(token.scaled)) return Number(token.scaled) === n;
  return NUMBER_FORMATS.some((format) => {
    const read = readNumber(token.scaled, format);
    return read.ok && Math.abs(read.value - n) <= 1e-9 * Math.max(1, Math.abs(n));
  });
}

/** The text of a span. */
export function spanText(text: string, span: TextSpan): string {
  return text.slice(span.index, span.index + span.length);
}

/** The sentences of a text: split after . ! ? ؟ (and a closing quote) before a space, and at line ends. */
export function sentenceSpans(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed !== '') spans.push({ index: start + lead, length: trimmed.length });
  };
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = (match.index ?? 0) + match[0].length;
    const upTo = (match.index ?? 0) + 1;
    if (match[0].startsWith('.') && ABBREVIATION.test(text.slice(Math.max(start, upTo - 10), upTo))) continue;
    push(end);
    start = end;
  }
  push(text.length);
  return spans;
}

function numberTokens(text: string, vague: VagueRules): Token[] {
  let undated = text;
  for (const date of DATES) undated = undated.replace(date, (d) => ' '.repeat(d.length));
  const tokens: Token[] = [];
  for (const match of undated.matchAll(NUMBER)) {
    const index = match.index ?? 0;
    let written = match[0];
    const before = undated.slice(Math.max(0, index - 2), index);
    const after = undated.slice(index + written.length, index + written.length + 2);
    // part of a word or a code ("A320", "F-16", "COVID-19"), an ordinal or a decade ("20th", "1990s"), a share ("45%")
    if (LATIN_LETTER.test(before.slice(-1)) || /\p{Script=Latin}[-‐]$/u.test(before)) continue;
    if (/^\p{Script=Latin}/u.test(after) && !match.groups?.suffix) continue;
    if (/^\s?[%٪]/u.test(after) || /^[/:][0-9]/.test(after) || /[0-9][/:]$/.test(before)) continue;
    // a negative number is no count; a hyphen between two numbers is a range, read below
    const scaleWord = match.groups?.scaleWord;
    const suffix = match.groups?.suffix;
    const digits = scaleWord ? written.slice(0, -scaleWord.length) : suffix ? written.slice(0, -suffix.length) : written;
    if (
      !scaleWord &&
      !suffix &&
      /^[0-9]{4}$/.test(digits) &&
      Number(digits) >= 1900 &&
      Number(digits) <= 2099 &&
      YEAR_BEFORE.test(undated.slice(Math.max(0, index - 16), index))
    ) {
      continue;
    }
    const scaled = scaleWord
      ? `${digits} ${SCALE_WORDS[scaleWord.trim()] ?? scaleWord.trim()}`
      : suffix
        ? `${digits}${SCALE_SUFFIX[suffix.toLowerCase()] ?? suffix}`
        : digits;
    written = text.slice(index, index + written.length);
    tokens.push({ index, length: written.length, written, scaled, vague: false });
  }
  // the rule table's words, longest first ("tens of thousands" before "thousands"), where no number is already
  const taken = (index: number, length: number) => tokens.some((t) => t.index < index + length && index < t.index + t.length);
  for (const rule of [...vague.values()].sort((a, b) => b.word.length - a.word.length)) {
    const words = rule.word
      .trim()
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\s+/g, '\\s+');
    for (const match of undated.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`, 'giu'))) {
      const index = match.index ?? 0;
      if (taken(index, match[0].length)) continue;
      tokens.push({ index, length: match[0].length, written: text.slice(index, index + match[0].length), scaled: match[0], vague: true });
    }
  }
  return tokens.sort((a, b) => a.index - b.index);
}

/** The qualifier of the words right before the number (or right after it), and where they are. */
function qualifierOf(text: string, sentence: TextSpan, span: TextSpan): { qualifier: Qualifier; words: TextSpan } | null {
  const start = sentence.index;
  const lead = text.slice(start, span.index);
  // a sign written on: "~20,000", "≥5", ">100"
  const sign = /(~|≈|>=|<=|≥|≤|>|<)\s?$/u.exec(lead);
  if (sign) {
    const read = readQualifier(sign[1]!);
    if (read.ok && read.value) return { qualifier: read.value, words: { index: start + sign.index, length: sign[1]!.length } };
  }
  // Arabic and Hebrew words, the Hebrew ones perhaps written onto the number with a hyphen ("כ-20", "מעל ל-300")
  const bare = lead.replace(/[\s\-־]+$/u, '');
  for (const [words, qualifier] of QUALIFIER_WORDS) {
    if (!bare.endsWith(words)) continue;
    const at = bare.length - words.length;
    // the word stands alone, or carries a one-letter prefix ("بنحو": by about; "ולפחות": and at least)
    const prior = bare.slice(Math.max(0, at - 2), at);
    if (at === 0 || /[\s("“«]$/u.test(prior) || /(?:^|[\s("“«])[وبلفוהשבלמ]$/u.test(prior)) {
      return { qualifier, words: { index: start + at, length: words.length } };
    }
  }
  // English: the last one, two or three words, read by the one qualifier reader ("some", "at least", "more than")
  const words = [...lead.matchAll(/[\p{L}.]+/gu)].slice(-3);
  if (words.length && lead.slice(words.at(-1)!.index! + words.at(-1)![0].length).trim() === '') {
    for (let n = words.length; n >= 1; n -= 1) {
      const first = words[words.length - n]!;
      const phrase = lead.slice(first.index, lead.trimEnd().length);
      if (/[^\p{L}.\s]/u.test(phrase)) continue; // the words run on, not across punctuation
      const read = readQualifier(phrase.replace(/\s+/g, ' '));
      if (read.ok && read.value && read.value !== 'exact') return { qualifier: read.value, words: { index: start + first.index!, length: phrase.length } };
    }
  }
  const rest = text.slice(span.index + span.length, sentence.index + sentence.length);
  for (const [pattern, qualifier] of QUALIFIER_AFTER) {
    const match = pattern.exec(rest);
    if (match) {
      const lead = match[0].length - match[0].trimStart().length;
      return { qualifier, words: { index: span.index + span.length + lead, length: match[0].trim().length } };
    }
  }
  return null;
}
