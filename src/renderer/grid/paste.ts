// Rows copied from a spreadsheet (tab-separated text) become new figures: each cell read exactly as if typed into
// the grid, every row checked, and all of them created in one transaction (api.createFigures) — or none, with a
// list of each row's problems. ag-grid's own clipboard is an Enterprise feature; this is ours.
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
import { COLUMN_IDS, type ColumnId, columnOfField, draftRow, type FigureValues, figureInput, stickyValues } from './rows';
import { loadRowRules } from './rowRulesLoader';

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
  ) {
    super(`${new Set(problems.map((p) => p.row)).size} of ${rows} pasted rows have problems; nothing was added`);
  }
}

export function isMultiCell(text: string): boolean {
  return /[\t\n]/.test(text.replace(/\r?\n$/, ''));
}

export async function pasteFigures(text: string, context: PasteContext): Promise<PasteResult> {
  const parsed = Papa.parse<string[]>(text.replace(/\r?\n$/, ''), { delimiter: '\t', skipEmptyLines: 'greedy' });
  let rows = parsed.data.filter((r) => r.some((c) => c.trim() !== ''));
  const first = rows[0] ?? [];
  const fromHeader = first.map(headerTarget);
  const hasHeader = fromHeader.filter(Boolean).length >= Math.max(2, Math.ceil(first.length / 2));
  const targets: Array<Target | null> = hasHeader ? fromHeader : first.map((_, i) => context.columns[i] ?? null);
  if (hasHeader) rows = rows.slice(1);
  const used = targets.filter((t): t is Target => t !== null).map((t) => (t === 'low' || t === 'high' ? t : columnHeader(t)));
  if (rows.length === 0) throw new PasteRefused([{ reason: 'the pasted text has a header but no rows' }], 0, used);
  // Problems name rows as the CLI and the import do: the pasted header is row 1, the first row under it row 2.
  const rowNumber = (index: number) => index + (hasHeader ? 2 : 1);

  const { validate } = await loadRowRules();
  const problems: Problem[] = [];
  const inputs: Array<Record<string, unknown>> = [];
  const cellsOf: Array<Map<ColumnId, string>> = [];
  rows.forEach((cells, index) => {
    const row = draftRow(stickyValues(context.draft));
    const texts = new Map<ColumnId, string>();
    let low = '';
    let high = '';
    cells.forEach((cell, i) => {
      const target = targets[i];
      if (!target || cell.trim() === '') return;
      if (target === 'low') low = cell;
      else if (target === 'high') high = cell;
      else texts.set(target, cell);
    });
    if (low || high) texts.set('range', `${low}–${high}`);
    for (const [column, cell] of texts) applyEdit(row, column, { kind: 'text', text: cell }, context.catalog, context.numbers);
    validate(row, true);
    for (const [column, reason] of Object.entries(row.errors) as Array<[ColumnId, string]>) {
      problems.push({ row: rowNumber(index), column: columnHeader(column), value: texts.get(column) ?? '', reason });
    }
    inputs.push(figureInput(row.values));
    cellsOf.push(texts);
  });
  if (problems.length) throw new PasteRefused(problems, rows.length, used, context.numbers);

  try {
    const result = await context.api.createFigures({ figures: inputs, why: `pasted ${rows.length} rows` });
    return { figures: result.value, txn: result.txn, columns: used };
  } catch (error) {
    const e = WorkbenchError.from(error);
    if (e.code !== 'validation') throw error;
    const listed = (e.problems ?? [{ reason: e.message }]).map((p) => {
      const column = columnOfField(p.field ?? p.column);
      // createFigures names a row by its place in the list it was given (1 = the first)
      const row = p.row ? rowNumber(p.row - 1) : undefined;
      return { row, column: columnHeader(column), value: p.row ? (cellsOf[p.row - 1]?.get(column) ?? p.value ?? '') : '', reason: p.reason };
    });
    throw new PasteRefused(listed, rows.length, used, context.numbers);
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
    h('p', {}, `${refused.message}. Pasted rows are added all together or not at all.`),
    h(
      'p',
      { class: 'muted' },
      `Columns read: ${refused.columns.join(', ') || 'none'}. Cells left empty take the new-figure row's values (its citation, source, place and date).`,
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
