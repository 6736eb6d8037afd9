// A mapping tells an import how someone else's CSV becomes workbook figures. The workbook's own export header needs
// none. A *long* file has one figure per row; a *wide* file has one row per date and one column per measure, and each
// non-empty measure cell becomes one figure.
import { z } from 'zod';
import { NUMBER_FORMATS } from './cells';
import { type Problem, WorkbenchError } from './errors';
import { CSV_COLUMNS, type CsvColumn } from './fields';
import { LIMITS, MetricFields } from './schemas';

const column = z.enum(CSV_COLUMNS);

export const MeasureMapping = z
  .object({
    column: z.string().min(1),
    metric: z.string().min(1),
    note: z.string().optional(),
  })
  .strict();

export const Mapping = z
  .object({
    description: z.string().optional(),
    format: z.enum(['long', 'wide']).default('long'),
    delimiter: z.enum([',', ';', '\t', '|']).default(','),
    /** how numbers are written: 1,234.5 or 1.234,5; unset, a ;-delimited file reads only what both agree on */
    number_format: z.enum(NUMBER_FORMATS).optional(),
    /** workbook column ← header of the CSV column that feeds it */
    columns: z.partialRecord(column, z.string().min(1)).default({}),
    /** workbook column ← the same value for every figure (a citation, a location…) */
    constants: z.partialRecord(column, z.string()).default({}),
    /** workbook column ← value found in the file → value to store; null means "this row states no claim": skipped */
    value_maps: z.partialRecord(column, z.record(z.string(), z.string().nullable())).default({}),
    /** wide files only: which columns hold measures, and the metric each one is */
    measures: z.array(MeasureMapping).default([]),
    /** the excerpt for each figure, from the row's cells: {header} is a cell, {measure} the measure column, {value} its cell */
    excerpt_template: z.string().max(LIMITS.text, `longer than ${LIMITS.text} characters`).optional(),
    /** metrics this file needs that a new workbook lacks; created (and logged) when missing */
    metrics: z.array(MetricFields).default([]),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.format === 'wide' && m.measures.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['measures'], message: 'a wide mapping needs at least one measure column' });
    }
    if (m.format === 'long' && m.measures.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['measures'], message: 'measures belong to a wide mapping (format: "wide")' });
    }
    if (m.excerpt_template !== undefined && (m.columns.excerpt !== undefined || m.constants.excerpt !== undefined)) {
      const other = m.columns.excerpt !== undefined ? 'columns.excerpt' : 'constants.excerpt';
      ctx.addIssue({ code: 'custom', path: ['excerpt_template'], message: `the excerpt comes from excerpt_template or from ${other}, not both` });
    }
  });
export type MappingInput = z.input<typeof Mapping>;
export type MappingParsed = z.output<typeof Mapping>;

export type { CsvColumn };

const MAPPING_KEYS = Object.keys(Mapping.shape);
const COLUMN_KEYED = new Set(['columns', 'constants', 'value_maps']);

/** A mapping file's text (a UTF-8 BOM, as Windows editors save, is allowed) as a mapping, or the reasons it is not. */
export function parseMappingText(text: string, name: string): MappingParsed {
  let json: unknown;
  try {
    json = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    throw new WorkbenchError('validation', `${name}: not JSON (${(error as Error).message}); a mapping is a JSON object, see mappings/*.json`);
  }
  const parsed = Mapping.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = mappingProblems(parsed.error);
  const [only] = problems;
  if (problems.length === 1 && only) throw new WorkbenchError('validation', `${name}: not a valid mapping: ${only.field}: ${only.reason}`, { problems });
  throw new WorkbenchError('validation', `${name}: not a valid mapping`, { problems });
}

/** Each issue at the key it is about, as written in the file: columns.valeu, measures[0].metric. */
export function mappingProblems(error: z.ZodError): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const reason =
          COLUMN_KEYED.has(String(issue.path[0])) && issue.path.length === 1
            ? `not a workbook column${closest(key, CSV_COLUMNS)}; the columns are ${CSV_COLUMNS.join(', ')}`
            : issue.path.length === 0
              ? `not a mapping key${closest(key, MAPPING_KEYS)}; the keys are ${MAPPING_KEYS.join(', ')}`
              : 'not a key here';
        problems.push({ field: keyPath(path), reason });
      }
      continue;
    }
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    problems.push({ field: keyPath(issue.path) || '(the mapping)', reason: missing ? 'required' : issue.message });
  }
  return problems;
}

function keyPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`)).join('');
}

/** ' (did you mean "value"?)' for a near miss: an edit distance of at most 2. */
function closest(key: string, known: readonly string[]): string {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
