// Rows copied from a spreadsheet (tab-separated text) become new figures, or overwrite the cells of the figures they
// are pasted onto: each cell read exactly as if typed into the grid, every row checked, and all of them written in
// one transaction (api.createFigures, api.updateFigures) — or none, with a list of each row's problems. ag-grid's
// own clipboard is an Enterprise feature; this is ours.
import Papa from 'papaparse';
import type { WorkbenchApi } from '../../shared/api';
import type { FigureView } from '../../shared/domain';
import { type Problem, WorkbenchError } from '../../shared/errors';
import type { Catalog } from '../app/catalog';
import { h } from '../ui/dom';
import { openDialog } from '../ui/dialog';
import { columnHeader } from './columns';
import { applyEdit } from './edit';
import { DEFAULT_NUMBER_FORMAT, NUMBER_FORMATS, type NumberFormat } from '../../shared/cells';
import { FIGURE_FIELD, GRID_COLUMNS } from '../../shared/fields';
import {
  COLUMN_IDS,
  type ColumnId,
  columnOfField,
  draftRow,
  type FigureValues,
  figureInput,
  type GridRow,
  hasErrors,
  isDirty,
  patchOf,
  rowFromFigure,
  stickyValues,
} from './rows';
import { loadRowRules, type RowRules } from './rowRulesLoader';

/** What a pasted column feeds: a grid column, or one end of the range (a CSV with low and high columns). */
type Target = ColumnId | 'low' | 'high';

/**
 * The header names a pasted table may use, from the field registry: each column's id and header, each field's name
 * and paste aliases (which feed their own end of a column that holds two fields, such as the range).
 */
const HEADER_TARGETS: ReadonlyMap<string, Target> = (() => {
  const targets = new Map<string, Target>();
  for (const column of GRID_COLUMNS) {
    for (const name of [column.id, column.header]) targets.set(name.toLowerCase(), column.id);
    for (const field of column.fields) {
      // a column's second field fed by its own pasted column: the range's ends; the words of a vague value come
      // with the value they were read from, never alone
      if (column.fields.length > 1 && field !== 'low' && field !== 'high') continue;
      const spec = FIGURE_FIELD[field] as { paste?: readonly string[] };
      const target = column.fields.length > 1 ? (field as Target) : column.id;
      for (const name of [field, ...(spec.paste ?? [])]) if (!targets.has(name.toLowerCase())) targets.set(name.toLowerCase(), target);
    }
  }
  return targets;
})();

function headerTarget(cell: string): Target | null {
  return HEADER_TARGETS.get(cell.trim().toLowerCase()) ?? null;
}

export interface PasteContext {
  api: WorkbenchApi;
  catalog: Catalog;
  /** the new-figure row: what it holds fills the cells a pasted row leaves out (the citation being entered…) */
  draft: FigureValues;
  /** the grid's editable columns in their displayed order, from the focused one on (for text with no header) */
  columns: ColumnId[];
  /** how the pasted numbers are written */
  numbers?: NumberFormat;
}

export interface PasteResult {
  figures: FigureView[];
  txn: string;
  columns: string[];
}

export class PasteRefused extends Error {
  constructor(
    readonly problems: Problem[],
    readonly rows: number,
    readonly columns: string[],
    /** the number format the rows were read with */
    readonly numbers: NumberFormat = DEFAULT_NUMBER_FORMAT,
    /** pasted over existing figures, not added as new ones */
    readonly over = false,
  ) {
    super(`${new Set(problems.map((p) => p.row)).size} of ${rows} pasted rows have problems; nothing was ${over ? 'changed' : 'added'}`);
  }
}

export function isMultiCell(text: string): boolean {
  return /[\t\n]/.test(text.replace(/\r?\n$/, ''));
}

/** A pasted block: each row's cell texts (empty ones too) by the column they feed (a header names them, else their position). */
interface Block {
  rows: Array<Map<ColumnId, string>>;
  /** the columns read, for the analyst */
  used: string[];
  /** the number problems give the first row: rows count as the CLI and the import count them, the header being row 1 */
  firstRow: number;
}

function readBlock(text: string, columns: ColumnId[]): Block {
  const parsed = Papa.parse<string[]>(text.replace(/\r?\n$/, ''), { delimiter: '\t', skipEmptyLines: 'greedy' });
  let rows = parsed.data.filter((r) => r.some((c) => c.trim() !== ''));
  const first = rows[0] ?? [];
  const fromHeader = first.map(headerTarget);
  const hasHeader = fromHeader.filter(Boolean).length >= Math.max(2, Math.ceil(first.length / 2));
  const targets: Array<Target | null> = hasHeader ? fromHeader : first.map((_, i) => columns[i] ?? null);
  if (hasHeader) rows = rows.slice(1);
  const used = targets.filter((t): t is Target => t !== null).map((t) => (t === 'low' || t === 'high' ? t : columnHeader(t)));
  if (rows.length === 0) throw new PasteRefused([{ reason: 'the pasted text has a header but no rows' }], 0, used);
  const texts = rows.map((cells) => {
    const row = new Map<ColumnId, string>();
    let low = '';
    let high = '';
    cells.forEach((cell, i) => {
      const target = targets[i];
      if (!target) return;
      if (target === 'low') low = cell.trim();
      else if (target === 'high') high = cell.trim();
      else row.set(target, cell);
    });
    if (targets.includes('low') || targets.includes('high')) row.set('range', low || high ? `${low}–${high}` : '');
    return row;
  });
  return { rows: texts, used, firstRow: hasHeader ? 2 : 1 };
}

/**
 * Each pasted row's cells read into `row` as if typed there, and its problems by the paste's row and column. An
 * empty cell clears the figure's (as a spreadsheet's paste does); on a new figure it leaves the cell as it starts.
 */
function readInto(
  row: GridRow,
  texts: Map<ColumnId, string>,
  rowNumber: number,
  context: Pick<PasteContext, 'catalog' | 'numbers'>,
  validate: RowRules['validate'],
): Problem[] {
  for (const [column, cell] of texts) {
    if (cell.trim() === '' && !row.saved) continue;
    applyEdit(row, column, { kind: 'text', text: cell }, context.catalog, context.numbers);
  }
  validate(row, true);
  return (Object.entries(row.errors) as Array<[ColumnId, string]>).map(([column, reason]) => ({
    row: rowNumber,
    column: columnHeader(column),
    value: texts.get(column) ?? '',
    reason,
  }));
}

/** A refusal from the workbook, its problems placed on the pasted rows and columns as the analyst sees them. */
function refusedByWorkbook(error: unknown, block: Block, numbers: NumberFormat | undefined, over = false): never {
  const e = WorkbenchError.from(error);
  if (e.code !== 'validation') throw error;
  const listed = (e.problems ?? [{ reason: e.message }]).map((p) => {
    const column = columnOfField(p.field ?? p.column);
    // the workbook names a row by its place in the list it was given (1 = the first)
    const row = p.row ? block.firstRow + p.row - 1 : undefined;
    return { row, column: columnHeader(column), value: p.row ? (block.rows[p.row - 1]?.get(column) ?? p.value ?? '') : '', reason: p.reason };
  });
  throw new PasteRefused(listed, block.rows.length, block.used, numbers, over);
}

export async function pasteFigures(text: string, context: PasteContext): Promise<PasteResult> {
  const block = readBlock(text, context.columns);
  const { validate } = await loadRowRules();
  const problems: Problem[] = [];
  const inputs: Array<Record<string, unknown>> = [];
  block.rows.forEach((texts, index) => {
    const row = draftRow(stickyValues(context.draft));
    problems.push(...readInto(row, texts, block.firstRow + index, context, validate));
    inputs.push(figureInput(row.values));
  });
  if (problems.length) throw new PasteRefused(problems, block.rows.length, block.used, context.numbers);
  try {
    const result = await context.api.createFigures({ figures: inputs, why: `pasted ${block.rows.length} rows` });
    return { figures: result.value, txn: result.txn, columns: block.used };
  } catch (error) {
    refusedByWorkbook(error, block, context.numbers);
  }
}

/**
 * A block pasted onto existing figures, as Excel and LibreOffice do: its cells overwrite theirs, from the focused
 * cell right and down (`below`: the grid rows from the focused one on, as displayed). Every row is read and checked
 * first, then all of them are written in one transaction (api.updateFigures) — one undo — or none.
 */
export async function pasteOverFigures(text: string, below: GridRow[], context: Omit<PasteContext, 'draft'>): Promise<PasteResult> {
  const block = readBlock(text, context.columns);
  if (block.rows.length > below.length) {
    const reason = `${block.rows.length} rows pasted onto the last ${below.length} figure${below.length === 1 ? '' : 's'} shown: paste the rows past the last figure into the new-figure row at the bottom`;
    throw new PasteRefused([{ reason }], block.rows.length, block.used, context.numbers, true);
  }
  const { validate } = await loadRowRules();
  const problems: Problem[] = [];
  const updates: Array<{ id: string; patch: Record<string, unknown> }> = [];
  const positions: number[] = [];
  block.rows.forEach((texts, index) => {
    const target = below[index]!;
    const refuse = (reason: string) => problems.push({ row: block.firstRow + index, reason });
    if (!target.saved) return void refuse('not a figure');
    if (target.saved.status === 'retracted') return void refuse('a retracted figure cannot be changed');
    if (isDirty(target) || hasErrors(target)) return void refuse('this figure has edits not saved yet: fix them or press Esc on its row first');
    const row = rowFromFigure(target.saved);
    problems.push(...readInto(row, texts, block.firstRow + index, context, validate));
    const patch = patchOf(row);
    if (Object.keys(patch).length === 0) return;
    updates.push({ id: target.key, patch });
    positions.push(index + 1);
  });
  if (problems.length) throw new PasteRefused(problems, block.rows.length, block.used, context.numbers, true);
  if (updates.length === 0) return { figures: [], txn: '', columns: block.used };
  try {
    const result = await context.api.updateFigures({ updates, why: `pasted over ${updates.length} figures` });
    return { figures: result.value, txn: result.txn, columns: block.used };
  } catch (error) {
    // the workbook numbers the rows of `updates`; the analyst, the rows of the paste
    const e = WorkbenchError.from(error);
    const problems = e.problems?.map((p) => ({ ...p, row: p.row ? positions[p.row - 1] : p.row }));
    refusedByWorkbook(problems ? new WorkbenchError(e.code, e.message, { place: e.place, problems }) : error, block, context.numbers, true);
  }
}

/**
 * The refused paste, row by row: what to fix in the spreadsheet before pasting again. When numbers read differently
 * in the other number format, the dialog offers to read the same rows that way.
 */
export function showPasteProblems(refused: PasteRefused, readAs?: (format: NumberFormat) => void): void {
  const dialog = openDialog({ title: 'Nothing was pasted', size: 'wide', name: 'paste-problems' });
  const table = h(
    'table',
    { class: 'data-table problems-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Row'), h('th', {}, 'Column'), h('th', {}, 'Value'), h('th', {}, 'Problem'))),
    h(
      'tbody',
      {},
      ...refused.problems.map((p) =>
        h(
          'tr',
          {},
          h('td', { class: 'num' }, p.row ?? ''),
          h('td', {}, p.column ?? p.field ?? ''),
          h('td', { class: 'value-cell' }, p.value ?? ''),
          h('td', {}, p.reason),
        ),
      ),
    ),
  );
  dialog.body.append(
    h('p', {}, `${refused.message}. Pasted rows are ${refused.over ? 'written' : 'added'} all together or not at all.`),
    h(
      'p',
      { class: 'muted' },
      `Columns read: ${refused.columns.join(', ') || 'none'}. ${
        refused.over ? 'An empty cell clears the figure’s cell.' : 'Cells left empty take the new-figure row’s values (its citation, source, place and date).'
      }`,
    ),
    table,
  );
  const ok = h('button', { class: 'primary', type: 'button' }, 'Close');
  ok.addEventListener('click', () => dialog.close());
  const other = NUMBER_FORMATS.find((f) => f !== refused.numbers)!;
  if (readAs && refused.problems.some((p) => /number format|decimal (comma|point)/.test(p.reason))) {
    const again = h('button', { type: 'button' }, `Read numbers as ${other} and paste again`);
    again.addEventListener('click', () => {
      dialog.close();
      readAs(other);
    });
    dialog.footer.append(again);
  }
  dialog.footer.append(ok);
  ok.focus();
}

/** The grid columns a header-less paste fills, in order: the displayed editable columns from `start` on. */
export function pasteColumns(displayed: string[], start: string | null): ColumnId[] {
  const editable = displayed.filter((c): c is ColumnId => (COLUMN_IDS as readonly string[]).includes(c));
  const from = start ? editable.indexOf(start as ColumnId) : 0;
  return editable.slice(Math.max(0, from));
}
