// The half of an import that needs no workbook: a CSV's records read, decoded and checked cell by cell, each data
// row turned into what it states (figure drafts, a skip, or its problems). It runs on a worker thread for a file
// (readInWorker.ts) while the main thread writes, and inline for text; either way the same code, so the same rows.
import type { Problem } from '../../shared/errors';
import type { VagueRules } from '../../shared/cells';
import type { MappingParsed } from '../../shared/mapping';
import { type ColumnPlan, isHxlRow, planColumns } from './columnPlan';
import { type CsvRecord, type CsvSource, type ReadCsvResult, readCsv } from './readCsv';
import { checkDraft } from './draftCheck';
import { type RowOutcome, readRow } from './rowReader';

/** What the writing side gets of each record, in file order. */
export type RecordOutcome =
  /** row 1 as read: the writing side plans its columns from it too, and judges it */
  | { kind: 'header'; record: CsvRecord }
  /** a data row that states something (a blank or HXL row is not sent); `cells` only when asked for */
  | { kind: 'row'; row: number; cells: string[] | null; outcome: RowOutcome };

export interface RowOutcomesOptions {
  mapping?: MappingParsed;
  /** the workbook's rule table of vague quantities, as the import's transaction read it */
  vague: VagueRules;
  /** send every row's cells (a partial import's errors file writes the rejected ones as they were) */
  keepCells: boolean;
  /** how much of the file is read at a time (tests) */
  chunkBytes?: number;
}

export const NUL_REASON = 'holds a NUL byte (0x00), which no text has: is this a binary or damaged file? Save it again as "CSV UTF-8"';

/** The plan of a header record, or null when the header itself is refused (then no row below is read). */
export function headerPlan(record: CsvRecord, mapping: MappingParsed | undefined, vague: VagueRules): ColumnPlan | null {
  if (record.nulField !== null || record.parseError) return null;
  const plan = planColumns(record.cells, mapping, vague);
  return plan.problems.length ? null : plan;
}

/** The header's name for field `index`, or its position when the record has more fields than the header. */
export function columnName(plan: ColumnPlan, index: number): string {
  return plan.header[index] || `#${index + 1}`;
}

export function readRowOutcomes(
  source: CsvSource,
  options: RowOutcomesOptions,
  emit: (outcome: RecordOutcome) => void,
  onBytes?: (done: number, total: number) => void,
): Promise<ReadCsvResult> {
  let plan: ColumnPlan | null = null;
  return readCsv(
    source,
    (record) => {
      if (record.row === 1) {
        plan = headerPlan(record, options.mapping, options.vague);
        emit({ kind: 'header', record });
        return;
      }
      if (!plan) return;
      if (record.row === 2 && isHxlRow(record.cells)) return;
      // a line of only delimiters (Excel writes them after the last row it kept) states nothing: as a blank line
      if (!record.parseError && record.cells.every((cell) => cell.trim() === '')) return;
      emit({ kind: 'row', row: record.row, cells: options.keepCells ? record.cells : null, outcome: outcomeOf(plan, record) });
    },
    { delimiter: options.mapping?.delimiter, onBytes, chunkBytes: options.chunkBytes },
  );
}

function outcomeOf(plan: ColumnPlan, record: CsvRecord): RowOutcome {
  if (record.parseError) {
    const problem: Problem = {
      row: record.row,
      column: columnName(plan, record.parseErrorField ?? 0),
      reason: `${record.parseError}; is the file cut short?`,
    };
    return { kind: 'rejected', problems: [problem] };
  }
  if (record.nulField !== null) return { kind: 'rejected', problems: [{ row: record.row, column: columnName(plan, record.nulField), reason: NUL_REASON }] };
  const outcome = readRow(plan, record.row, record.cells);
  if (outcome.kind === 'figures') for (const draft of outcome.drafts) draft.check = checkDraft(plan, draft);
  return outcome;
}
