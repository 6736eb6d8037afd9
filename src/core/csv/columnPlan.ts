// From a CSV header (and a mapping, if any) to a plan: which cell feeds which workbook column, which cells are
// measures of a wide file, and what is wrong with the header.
import { CSV_COLUMNS, type CsvColumn, REQUIRED_FOR_IMPORT } from '../../shared/fields';
import { DEFAULT_NUMBER_FORMAT, NO_VAGUE_RULES, type NumberReading, type VagueRules } from '../../shared/cells';
import type { Problem } from '../../shared/errors';
import type { MappingParsed } from '../../shared/mapping';
import { compileTemplate, type ExcerptTemplate } from './excerptTemplate';

export interface MeasurePlan {
  index: number;
  header: string;
  metric: string;
  note: string | undefined;
}

export interface ColumnPlan {
  header: string[];
  /** workbook column → index of the cell that feeds it */
  cells: Map<CsvColumn, number>;
  constants: Map<CsvColumn, string>;
  valueMaps: Map<CsvColumn, Record<string, string | null>>;
  measures: MeasurePlan[];
  /** the mapping's excerpt_template, read against this header */
  excerptTemplate: ExcerptTemplate | undefined;
  /** how the number cells read: the mapping's number format, else the default, else (a ;-file) both must agree */
  numbers: NumberReading;
  /** the workbook's rule table of vague quantities ("dozens"), which the value cells read by */
  vague: VagueRules;
  problems: Problem[];
}

const HEADER_ROW = 1;

/** More columns than a spreadsheet holds (Excel's limit): not a file of figures. Said in one line. */
export const MAX_COLUMNS = 16_384;
/** Columns that are not the workbook's are named up to this many; the rest are counted. */
const LISTED_UNKNOWN_COLUMNS = 10;

export function planColumns(
  header: string[],
  mapping: MappingParsed | undefined,
  vague: VagueRules = NO_VAGUE_RULES,
  delimiter = mapping?.delimiter ?? ',',
): ColumnPlan {
  if (header.length > MAX_COLUMNS) {
    const reason =
      `the header has ${header.length.toLocaleString('en-US')} columns, more than a spreadsheet holds ` +
      `(${MAX_COLUMNS.toLocaleString('en-US')}): is this a file of figures, and is the delimiter right?`;
    const problem = { row: HEADER_ROW, column: `#${MAX_COLUMNS + 1}`, reason };
    return {
      header: [],
      cells: new Map(),
      constants: new Map(),
      valueMaps: new Map(),
      measures: [],
      excerptTemplate: undefined,
      numbers: DEFAULT_NUMBER_FORMAT,
      vague,
      problems: [problem],
    };
  }
  const names = header.map((h) => h.trim());
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    const key = name.toLowerCase();
    if (name === '') {
      problems.push({ row: HEADER_ROW, column: `#${index + 1}`, reason: 'empty column name in the header' });
    } else if (seen.has(key)) {
      problems.push({ row: HEADER_ROW, column: name, value: name, reason: `duplicate column name (also column ${seen.get(key)! + 1})` });
    } else {
      seen.set(key, index);
    }
  });
  const indexOf = (name: string) => seen.get(name.trim().toLowerCase());

  const cells = new Map<CsvColumn, number>();
  const constants = new Map<CsvColumn, string>();
  const valueMaps = new Map<CsvColumn, Record<string, string | null>>();
  const measures: MeasurePlan[] = [];

  if (!mapping) {
    // The workbook's own format: every column must be one of ours (a misspelt "valeu" must not be ignored silently).
    let unknown = 0;
    let firstUnlisted = '';
    names.forEach((name, index) => {
      const column = CSV_COLUMNS.find((c) => c === name.toLowerCase());
      if (column) cells.set(column, index);
      else if (name !== '' && indexOf(name) === index) {
        unknown += 1;
        if (unknown === LISTED_UNKNOWN_COLUMNS + 1) firstUnlisted = name;
        if (unknown > LISTED_UNKNOWN_COLUMNS) return;
        problems.push({
          row: HEADER_ROW,
          column: name,
          value: name,
          reason: 'not a workbook column; rename it, or import with a mapping file (--mapping)',
        });
      }
    });
    if (unknown > LISTED_UNKNOWN_COLUMNS) {
      const more = unknown - LISTED_UNKNOWN_COLUMNS;
      problems.push({
        row: HEADER_ROW,
        column: firstUnlisted,
        value: firstUnlisted,
        reason: `… and ${more.toLocaleString('en-US')} more columns from this one on that are not workbook columns either`,
      });
    }
  } else {
    for (const [column, headerName] of Object.entries(mapping.columns) as Array<[CsvColumn, string]>) {
      const index = indexOf(headerName);
      if (index === undefined) {
        problems.push({ row: HEADER_ROW, column: headerName, reason: `the mapping reads ${column} from this column, but the file has no such column` });
      } else cells.set(column, index);
    }
    for (const [column, value] of Object.entries(mapping.constants) as Array<[CsvColumn, string]>) constants.set(column, value);
    for (const [column, map] of Object.entries(mapping.value_maps) as Array<[CsvColumn, Record<string, string | null>]>) {
      valueMaps.set(column, map);
    }
    for (const measure of mapping.measures) {
      const index = indexOf(measure.column);
      if (index === undefined) {
        problems.push({ row: HEADER_ROW, column: measure.column, reason: 'the mapping names this measure column, but the file has no such column' });
      } else measures.push({ index, header: names[index]!, metric: measure.metric, note: measure.note });
    }
    // A column under one of the workbook's own names feeds that column, unless the mapping says where it comes
    // from or reads the column for something else: a mapping with only a delimiter reads our own format.
    const used = new Set([...cells.values(), ...measures.map((m) => m.index)]);
    names.forEach((name, index) => {
      const column = CSV_COLUMNS.find((c) => c === name.toLowerCase());
      if (!column || used.has(index) || indexOf(name) !== index) return;
      if (cells.has(column) || constants.has(column)) return;
      if (column === 'excerpt' && mapping.excerpt_template !== undefined) return;
      cells.set(column, index);
    });
  }

  let excerptTemplate: ExcerptTemplate | undefined;
  if (mapping?.excerpt_template !== undefined) {
    const compiled = compileTemplate(mapping.excerpt_template, indexOf, measures.length > 0);
    excerptTemplate = compiled.fill;
    problems.push(...compiled.problems);
  }

  const wide = measures.length > 0;
  const available = (column: CsvColumn) => cells.has(column) || constants.has(column) || (wide && (column === 'metric' || column === 'value'));
  for (const alternatives of REQUIRED_FOR_IMPORT) {
    if (!alternatives.some((set) => set.every(available))) {
      problems.push({
        row: HEADER_ROW,
        column: alternatives.map((set) => set.join(' + ')).join(' or '),
        reason: 'required column missing',
      });
    }
  }
  // Excel writes ; where the decimal mark is a comma: a ;-file whose number format nobody stated reads a number only
  // where both formats agree, and names the setting where they do not.
  const numbers = mapping?.number_format ?? (delimiter === ';' ? 'either' : DEFAULT_NUMBER_FORMAT);
  return { header: names, cells, constants, valueMaps, measures, excerptTemplate, numbers, vague, problems };
}

/** The second row of an HXL file: hashtags (or blanks) under the header. Skipped on import. */
export function isHxlRow(cells: string[]): boolean {
  const filled = cells.filter((c) => c.trim() !== '');
  return filled.length > 0 && filled.every((c) => /^#[a-z][a-z0-9_]*(\s*\+\s*[a-z][a-z0-9_]*)*$/i.test(c.trim()));
}
