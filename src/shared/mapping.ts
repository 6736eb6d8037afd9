// A mapping tells an import how someone else's CSV becomes workbook figures. The workbook's own export header needs
// none. A *long* file has one figure per row; a *wide* file has one row per date and one column per measure, and each
// non-empty measure cell becomes one figure.
import { z } from 'zod';
import { CSV_COLUMNS, type CsvColumn } from './fields';
import { NUMBER_FORMATS } from './cells';
import { MetricFields } from './schemas';

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
    excerpt_template: z.string().optional(),
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
  });
export type MappingInput = z.input<typeof Mapping>;
export type MappingParsed = z.output<typeof Mapping>;

export type { CsvColumn };
