// The figures grid: every figure of the current filter, edited in place, and a new-figure row pinned at the
// bottom to type into. Edits are read and checked as they are made; a figure is saved only when all of it is valid
// (an existing one at once, a new one on Enter). Each save is one transaction the undo history can reverse.
import { SORTED_BY_ROWSORT, sortRows } from './rowSort';
import { createGrid, type GridApi, type IRowNode, ModuleRegistry, type SuppressKeyboardEventParams } from 'ag-grid-community';
import { effectiveDate, type FigureView } from '../../shared/domain';
import { WorkbenchError } from '../../shared/errors';
import type { FigureFilterInput } from '../../shared/schemas';
import type { RecordedMoment, WorkbenchApi } from '../../shared/api';
import { FIRST_PAGE, type FirstPage, firstPageQuery } from '../app/firstData';
import type { Catalog } from '../app/catalog';
import type { UndoHistory } from '../app/undo';
import { h } from '../ui/dom';
import { formatQuantity } from '../ui/format';
import { showError, showStatus } from '../ui/status';
import { columnDefs, columnHeader, type CreateKind } from './columns';
import { applyEdit } from './edit';
import { numberFormat, setNumberFormat } from '../ui/numberFormat';
import type { EditResult } from './editors';
import { restoreLayout, saveLayout } from './layout';
import { isMultiCell, PasteRefused, pasteColumns, pasteFigures, pasteOverFigures, showPasteProblems } from './paste';
import {
  COLUMN_FIELDS,
  COLUMN_IDS,
  columnOfField,
  type ColumnId,
  draftRow,
  EDIT_FIELDS,
  type FigureValues,
  figureInput,
  type GridRow,
  hasErrors,
  isDirty,
  patchOf,
  rowFromFigure,
  stickyValues,
} from './rows';
import { loadRowRules, type RowRules, withRowRules } from './rowRulesLoader';
import { GRID_MODULES } from './modules';
import { gridTheme } from './theme';
import { toTsv } from './copy';
import { type JumpKey, jumpTarget } from './keys';
import { blockBetween, type CellBlock, type CellRef, inBlock, isArrowKey, stepFrom } from './cellRange';

const sameCell = (a: CellRef, b: CellRef) => a.rowIndex === b.rowIndex && a.column === b.column;

/** Filter keys that only widen what a filter holds (retracted figures); every other key narrows it. */
const WIDENING = new Set(['status', 'include_retracted', 'limit', 'offset', 'after']);

const present = (value: unknown) => value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);

/** Whether every figure of `filter` is among those of `held`: held narrows nothing, and holds retracted ones if asked. */
function holds(held: FigureFilterInput, filter: FigureFilterInput): boolean {
  const h = held ?? {};
  const f = filter ?? {};
  if (Object.entries(h).some(([key, value]) => !WIDENING.has(key) && present(value))) return false;
  if (h.status?.length) return false;
  // as recorded on another moment: other rows, read again
  if ((f.recorded_on ?? '') !== (h.recorded_on ?? '')) return false;
  const wantsRetracted = !!f.include_retracted || !!f.status?.includes('retracted');
  return !wantsRetracted || !!h.include_retracted;
}

function sameFilter(a: FigureFilterInput, b: FigureFilterInput): boolean {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  const pick = (f: FigureFilterInput, key: string) => {
    const value = (f as Record<string, unknown> | undefined)?.[key];
    return present(value) ? JSON.stringify(value) : '';
  };
  return [...keys].every((key) => pick(a, key) === pick(b, key));
}

const READ_ONLY = 'The workbook is shown as recorded on a past moment, read-only: press Now (top right) to edit.';

/** The first page is small so it shows at once; later pages are large so they cost few round trips. */
const PAGE = 10_000;

function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

ModuleRegistry.registerModules(GRID_MODULES);

export interface GridDeps {
  api: WorkbenchApi;
  catalog: Catalog;
  undo: UndoHistory;
  /** the figure of the focused row changed (null: the new-figure row, or nothing) */
  onCurrent(figure: FigureView | null): void;
  /** opens the form for a new metric/source/citation/location named `text`; resolves with its id, or null */
  create(kind: CreateKind, text: string): Promise<string | null>;
  /** figures in the grid, and (while pages are still arriving) how many the filter holds */
  onCount(count: number, loadingOf?: number): void;
  /** whether the checks warn about a figure: its row is marked */
  hasWarning?(id: string): boolean;
  /** the rows on screen changed (a load, a scroll) */
  onViewport?(): void;
}

export class FiguresGrid {
  readonly gridApi: GridApi<GridRow>;
  /**
   * The new-figure row: one object for the grid's life, reset in place. ag-grid keeps the pinned row's node (same
   * row id) when given a new object, and its editors would go on writing into the old one.
   */
  private readonly draft: GridRow = draftRow();
  private rows = new Map<string, GridRow>();
  private current: GridRow | null = null;
  private currentTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly callout: HTMLElement;
  private loading: Promise<void> = Promise.resolve();
  /** bumped by every load: the pages of a superseded load stop arriving */
  private generation = 0;
  /** while pages are still arriving: how many figures the filter holds */
  private loadingOf: number | undefined;
  /** the first page of the first load, asked for before the grid is built; used once, if the filter still matches */
  private prefetched: FirstPage | null;
  /** the filter whose every figure this.rows holds, once all its pages have arrived */
  private held: FigureFilterInput | null = null;
  /** the rows shown when a narrower filter is applied to the rows held (the core names them); null: every row */
  private shown: Set<string> | null = null;
  /** a Shift+arrow or Shift+click selection: the cell it grows from, the cell it was grown to (the focus), and the
   * block between them; null: the focused cell alone */
  private anchor: CellRef | null = null;
  private blockEnd: CellRef | null = null;
  private block: CellBlock | null = null;
  /** the cells the block was grown to whose focus events have not come yet (ag-grid sends them a task late, perhaps
   * after the next key or click): those events keep the block */
  private pendingFocus: CellRef[] = [];
  /** the workbook is shown as recorded on a past moment: nothing is edited, pasted or added */
  private readOnly = false;
  /** the moment the rows shown were read at, when the filter asked for one */
  recorded: RecordedMoment | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly deps: GridDeps,
    firstPage: FirstPage | null = null,
  ) {
    this.prefetched = firstPage;
    this.callout = h('div', { class: 'cell-callout', role: 'alert', hidden: true });
    const gridElement = h('div', { class: 'figures-grid' });
    root.append(gridElement, this.callout);
    this.gridApi = createGrid<GridRow>(gridElement, {
      theme: gridTheme,
      columnDefs: columnDefs(
        deps.catalog,
        (kind, text, row, column) => void this.createFor(kind, text, row, column),
        () => this.readOnly,
        (id) => this.deps.hasWarning?.(id) ?? false,
      ).map((def) => ({
        ...def,
        cellClassRules: { ...def.cellClassRules, 'cell-in-block': (p) => !p.node.rowPinned && inBlock(this.block, p.rowIndex, def.colId!) },
      })),
      defaultColDef: {
        sortable: true,
        comparator: SORTED_BY_ROWSORT,
        resizable: true,
        suppressKeyboardEvent: (p) => this.onKey(p),
      },
      rowData: [],
      pinnedBottomRowData: [this.draft],
      getRowId: (p) => p.data.key,
      // A narrower filter shows fewer of the rows held: the core says which match, the grid hides the others. A row
      // with unsaved edits stays in sight, so the analyst never loses track of typed work.
      isExternalFilterPresent: () => this.shown !== null,
      doesExternalFilterPass: (node) => !node.data || this.shown?.has(node.data.key) !== false || node.data.saving || isDirty(node.data),
      // The grid never writes to our rows: every edit comes to onCellEditRequest, which reads, checks and saves it.
      readOnlyEdit: true,
      onCellEditRequest: (event) => this.onEdit(event.data, event.colDef.colId as ColumnId, event.newValue as EditResult | null),
      enterNavigatesVertically: true,
      enterNavigatesVerticallyAfterEdit: true,
      stopEditingWhenCellsLoseFocus: true,
      suppressCellFocus: false,
      animateRows: false,
      // Draw rows when the data arrives, not in a later animation frame that a large page's parsing would delay.
      suppressAnimationFrame: true,
      // Rows drawn beyond the visible ones (default 10 each side): fewer to build on a jump to the end.
      rowBuffer: 4,
      // A sort reads each row's value once, not at every comparison (n log n of them); any data change expires it.
      valueCache: true,
      tooltipShowDelay: 400,
      suppressDragLeaveHidesColumns: true,
      rowClassRules: {
        'row-retracted': (p) => p.data?.saved?.status === 'retracted',
        'row-draft': (p) => p.node.rowPinned === 'bottom',
      },
      onViewportChanged: () => this.deps.onViewport?.(),
      overlayNoRowsTemplate:
        '<div class="grid-empty"><strong>No figures to show.</strong><br>Type a new one in the bottom row (start with its metric), paste rows from a spreadsheet, or import a CSV. If filters are set, clearing them may show more.</div>',
      // (a filter applied to the rows held that leaves none)
      localeText: { noMatchingRows: 'No figures to show for these filters. Clearing them shows more; a new figure can be typed in the bottom row.' },
      overlayLoadingTemplate: '<div class="grid-empty">Loading figures…</div>',
      onCellFocused: (event) => this.onFocus(event.rowIndex, event.rowPinned, typeof event.column === 'object' ? event.column?.getColId() : null),
      onBodyScroll: () => this.updateCallout(),
      onColumnResized: (e) => e.finished && saveLayout(this.gridApi),
      onColumnMoved: (e) => e.finished && saveLayout(this.gridApi),
      onSortChanged: () => saveLayout(this.gridApi),
      postSortRows: ({ api, nodes }) => sortRows(api, nodes),
      onColumnVisible: () => saveLayout(this.gridApi),
      onColumnPinned: () => saveLayout(this.gridApi),
      onGridReady: (e) => restoreLayout(e.api),
    });
    deps.catalog.onChange(() => {
      this.gridApi.expireValueCache(); // the names of references are read from the catalog
      this.gridApi.refreshCells({ force: true });
    });
    root.addEventListener('paste', (event) => void this.onPaste(event));
    root.addEventListener('copy', (event) => this.onCopy(event));
    root.addEventListener('mousedown', (event) => this.onShiftClick(event), { capture: true });
  }

  /**
   * Shows the figures of a filter. Rows with unsaved edits keep them. The first page is on screen at once; the rest
   * follow in pages (keyset paging on the list order), so a workbook of 100,000 figures opens as fast as one of 300.
   */
  load(filter: FigureFilterInput, options: { fresh?: boolean } = {}): Promise<void> {
    const generation = ++this.generation;
    // fresh: figures came in from elsewhere (a merge, a sync): the rows held are not all there is
    if (!options.fresh && this.held && this.loadingOf === undefined && holds(this.held, filter)) {
      const held = this.held;
      this.loading = this.loading.catch(() => undefined).then(() => this.narrow(held, filter, generation));
      return this.loading;
    }
    this.held = null;
    this.setShown(null);
    const base = { ...(filter ?? {}), limit: undefined, offset: undefined, after: undefined };
    const firstQuery = firstPageQuery(filter);
    const prefetched = this.prefetched?.query === JSON.stringify(firstQuery) ? this.prefetched.page : null;
    this.prefetched = null;
    // Loads run one after another, in the order asked (a failed one does not stop the next).
    this.loading = this.loading
      .catch(() => undefined)
      .then(async () => {
        if (generation !== this.generation) return;
        // Drawn as soon as it arrives, without waiting for the catalog: each row names what it holds as loaded.
        const first = await (prefetched ?? this.deps.api.listFigures(firstQuery));
        if (generation !== this.generation) return;
        this.recorded = first.recorded;
        const total = first.total ?? first.rows.length;
        const previous = this.rows;
        this.rows = new Map();
        this.gridApi.setGridOption('rowData', this.keep(first.rows, previous));
        this.loadingOf = this.rows.size < total ? total : undefined;
        this.deps.onCount(this.rows.size, this.loadingOf);
        if (this.current?.saved) this.deps.onCurrent(this.rows.get(this.current.key)?.saved ?? null);
        this.updateCallout();
        // Let the first page paint before the next arrives: parsing a large page holds the main thread.
        await nextPaint();
        // Then the rules an edit is checked with (an edit made before they arrive waits for them).
        void loadRowRules().catch(() => undefined);
        const pageAfter = (rows: FigureView[]) => {
          const last = rows.at(-1)!;
          const page = this.deps.api.listFigures({ ...base, limit: PAGE, after: { date: effectiveDate(last)!, id: last.id } });
          page.catch(() => undefined); // awaited below, unless a newer load has taken over
          return page;
        };
        let next = first.rows.length === FIRST_PAGE ? pageAfter(first.rows) : null;
        while (next) {
          const page = (await next).rows;
          if (generation !== this.generation) return;
          // The page after is asked for before this one is added: the workbook reads it while the grid works.
          next = page.length === PAGE ? pageAfter(page) : null;
          this.gridApi.applyTransaction({ add: this.keep(page, previous) });
          this.loadingOf = this.rows.size < total ? total : undefined;
          this.deps.onCount(this.rows.size, this.loadingOf);
        }
        this.held = filter ?? {};
      });
    return this.loading;
  }

  /** Shows the rows held that match `filter`, a narrower filter than `held`: one query for their ids, no rows read. */
  private async narrow(held: FigureFilterInput, filter: FigureFilterInput, generation: number): Promise<void> {
    const wide = sameFilter(held, filter);
    const ids = wide ? null : await this.deps.api.figureIds({ ...(filter ?? {}), limit: undefined, offset: undefined, after: undefined });
    if (generation !== this.generation) return;
    this.setShown(ids && new Set(ids.filter((id) => this.rows.has(id))));
    if (this.current?.saved) this.deps.onCurrent(this.rows.get(this.current.key)?.saved ?? null);
    this.updateCallout();
  }

  private setShown(shown: Set<string> | null): void {
    if (shown === null && this.shown === null) return;
    this.shown = shown;
    this.gridApi.onFilterChanged();
    this.deps.onCount(this.shownCount(), this.loadingOf);
  }

  /** The figures the grid shows: those held, or those of the narrower filter (and any with unsaved edits). */
  private shownCount(): number {
    return this.shown === null ? this.rows.size : this.gridApi.getDisplayedRowCount();
  }

  /** Grid rows for listed figures, added to this.rows; a row with unsaved edits keeps them. */
  private keep(figures: FigureView[], previous: Map<string, GridRow>): GridRow[] {
    return figures.map((figure) => {
      const existing = previous.get(figure.id);
      const row = existing && (isDirty(existing) || existing.saving) ? Object.assign(existing, { saved: figure }) : rowFromFigure(figure);
      this.rows.set(figure.id, row);
      return row;
    });
  }

  /**
   * Reads these figures again (after an undo) and changes only their rows: one that no longer matches the filter
   * leaves the grid, one that now does joins it in list order. The other rows are not read or redrawn.
   */
  async refreshFigures(filter: FigureFilterInput, ids: string[]): Promise<void> {
    const generation = this.generation;
    const only = { ids, limit: undefined, offset: undefined, after: undefined };
    // Narrowed: the rows are read as the filter held reads them, and the narrower filter says which are shown.
    const narrowed = this.shown !== null && this.held !== null;
    const [{ rows }, matching] = await Promise.all([
      this.deps.api.listFigures({ ...((narrowed ? this.held : filter) ?? {}), ...only }),
      narrowed ? this.deps.api.figureIds({ ...(filter ?? {}), ...only }) : Promise.resolve(null),
    ]);
    if (generation !== this.generation) return; // a newer load reads them anyway
    if (matching && this.shown) {
      for (const id of ids) this.shown.delete(id);
      for (const id of matching) this.shown.add(id);
    }
    const found = new Map(rows.map((figure) => [figure.id, figure]));
    const update: GridRow[] = [];
    const remove: GridRow[] = [];
    const add: GridRow[] = [];
    for (const id of ids) {
      const row = this.rows.get(id);
      const figure = found.get(id);
      if (row && figure) {
        // the same row object, updated: a row with unsaved edits keeps them, as on a load
        if (isDirty(row) || row.saving) row.saved = figure;
        else Object.assign(row, rowFromFigure(figure));
        update.push(row);
      } else if (row) {
        this.rows.delete(id);
        this.shown?.delete(id);
        remove.push(row);
      } else if (figure && this.loadingOf === undefined) {
        // (while pages are still arriving, a figure not yet here comes with its page)
        add.push(rowFromFigure(figure));
      }
    }
    if (update.length || remove.length) this.gridApi.applyTransaction({ update, remove });
    for (const row of add) {
      this.rows.set(row.key, row);
      this.gridApi.applyTransaction({ add: [row], addIndex: this.listIndexOf(row.saved!) });
    }
    const nodes = update.map((row) => this.gridApi.getRowNode(row.key)).filter((n): n is IRowNode<GridRow> => !!n);
    if (nodes.length) this.gridApi.refreshCells({ rowNodes: nodes, force: true });
    if (matching) this.gridApi.onFilterChanged();
    if (this.loadingOf === undefined) this.deps.onCount(this.shownCount());
    if (this.current?.saved && ids.includes(this.current.key)) this.deps.onCurrent(this.rows.get(this.current.key)?.saved ?? null);
    this.updateCallout();
  }

  /** Where a figure goes in the list order (effective date, then id) of the rows as loaded. */
  private listIndexOf(figure: FigureView): number {
    const key = (f: FigureView) => `${effectiveDate(f) ?? ''}\u0000${f.id}`;
    const keys: string[] = [];
    this.gridApi.forEachNode((node) => node.data?.saved && keys.push(key(node.data.saved)));
    const target = key(figure);
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (keys[mid]! < target) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The new-figure row starts from these values (entering figures from one citation). */
  setDraftDefaults(defaults: Partial<FigureValues>): void {
    // What the analyst typed stays; only these cells change.
    Object.assign(this.draft.values, defaults);
    this.redraw(this.draft);
  }

  /**
   * A figure drafted from a document (the reader): these cells are filled as if typed, so Enter saves them once the
   * analyst has checked them; the other cells keep what the row held.
   */
  fillDraft(values: Partial<FigureValues>): void {
    this.gridApi.stopEditing(true);
    Object.assign(this.draft.values, values);
    const filled = new Set(Object.keys(values));
    for (const column of COLUMN_IDS) {
      if (!COLUMN_FIELDS[column].some((field) => filled.has(field))) continue;
      this.draft.touched.add(column);
      delete this.draft.raw[column];
      delete this.draft.errors[column];
    }
    this.redraw(this.draft);
    this.updateCallout();
  }

  /**
   * Typed work the workbook does not have yet, in words ("the new figure being typed (Metric, Value)"), or null:
   * what leaving the workbook would drop, so the window asks first.
   */
  unsavedWork(): string | null {
    const parts: string[] = [];
    const editing = this.gridApi.getEditingCells()[0];
    const editingColumn = editing?.column?.getColId() as ColumnId | undefined;
    const inDraft = (c: ColumnId) => this.draft.touched.has(c) || !!this.draft.raw[c] || (editing?.rowPinned === 'bottom' && editingColumn === c);
    const draftCells = COLUMN_IDS.filter(inDraft).map(columnHeader);
    if (draftCells.length) parts.push(`the new figure being typed (${draftCells.join(', ')})`);
    else if (editing && editingColumn && COLUMN_IDS.includes(editingColumn)) parts.push(`the ${columnHeader(editingColumn)} cell being edited`);
    let edited = 0;
    for (const row of this.rows.values()) if (isDirty(row)) edited += 1;
    if (edited > 0) parts.push(`edits to ${edited} figure${edited === 1 ? '' : 's'} that could not be saved`);
    return parts.length ? parts.join(' and ') : null;
  }

  /** Another workbook is open: the typed work was the other one's (the analyst agreed to drop it). */
  forgetUnsaved(): void {
    this.gridApi.stopEditing(true);
    Object.assign(this.draft, draftRow());
    this.redraw(this.draft);
    for (const row of this.rows.values()) if (isDirty(row) && row.saved) Object.assign(row, rowFromFigure(row.saved));
  }

  /** Empties the new-figure row but for what the next figure keeps (its source, citation, place and date). */
  private resetDraft(): void {
    Object.assign(this.draft, draftRow(stickyValues(this.draft.values)));
    this.redraw(this.draft);
  }

  draftValues(): FigureValues {
    return this.draft.values;
  }

  focusDraft(column: ColumnId = 'metric'): void {
    if (this.readOnly) {
      showStatus(READ_ONLY, 'error');
      return;
    }
    this.gridApi.ensureColumnVisible(column);
    this.gridApi.setFocusedCell(0, column, 'bottom');
  }

  /** The figures of the rows on screen. */
  visibleFigureIds(): string[] {
    const ids: string[] = [];
    const last = this.gridApi.getLastDisplayedRowIndex();
    for (let i = Math.max(0, this.gridApi.getFirstDisplayedRowIndex()); i <= last; i += 1) {
      const row = this.gridApi.getDisplayedRowAtIndex(i)?.data;
      if (row?.saved) ids.push(row.key);
    }
    return ids;
  }

  /** Draws these figures' state cells again (their marks changed); never the row, whose other cells may be in edit. */
  refreshMarks(ids: string[]): void {
    const rowNodes = ids.map((id) => this.gridApi.getRowNode(id)).filter((n): n is IRowNode<GridRow> => !!n);
    if (rowNodes.length) this.gridApi.refreshCells({ rowNodes, columns: ['state'], force: true });
  }

  currentFigure(): FigureView | null {
    return this.current?.saved ?? null;
  }

  /** While the workbook is shown as recorded on a past moment: no cell is edited, no row pasted, no new-figure row. */
  setReadOnly(readOnly: boolean): void {
    if (readOnly === this.readOnly) return;
    this.readOnly = readOnly;
    this.gridApi.stopEditing(true);
    this.gridApi.setGridOption('pinnedBottomRowData', readOnly ? [] : [this.draft]);
  }

  /** A figure changed elsewhere (retracted, reverted): show it as it is now. */
  showFigure(figure: FigureView): void {
    const row = this.rows.get(figure.id);
    if (!row) return;
    Object.assign(row, rowFromFigure(figure));
    this.redraw(row);
    if (this.current === row) this.deps.onCurrent(figure);
  }

  /** Figures created elsewhere (a paste): added to the grid, the first one shown. */
  addFigures(figures: FigureView[]): void {
    const rows = figures.map(rowFromFigure);
    for (const row of rows) {
      this.rows.set(row.key, row);
      this.shown?.add(row.key); // what the analyst just made stays in sight, whatever the filter
    }
    this.gridApi.applyTransaction({ add: rows });
    this.deps.onCount(this.shownCount());
    this.reveal(rows.map((r) => r.key));
  }

  /** Scrolls new rows into view and flashes them — once the grid has laid them out (the next frame). */
  private reveal(keys: string[]): void {
    requestAnimationFrame(() => {
      const nodes = keys.map((k) => this.gridApi.getRowNode(k)).filter((n): n is IRowNode<GridRow> => !!n);
      const last = nodes.at(-1);
      if (last) this.gridApi.ensureNodeVisible(last, 'bottom');
      if (nodes[0] && nodes[0] !== last) this.gridApi.ensureNodeVisible(nodes[0]);
      this.gridApi.flashCells({ rowNodes: nodes });
    });
  }

  // ---- editing ----

  private onEdit(row: GridRow | undefined, column: ColumnId, result: EditResult | null): void {
    if (!row || !COLUMN_IDS.includes(column) || this.readOnly) return;
    applyEdit(row, column, result, this.deps.catalog, numberFormat());
    withRowRules(
      (rules) => {
        rules.validate(row);
        this.redraw(row);
        if (row.saved) void this.save(row, rules);
        else this.updateCallout();
      },
      (error) => showError(error, 'The edit cannot be checked, so it is not saved'),
    );
  }

  /** Sets a choice cell from outside an editor (a new source just created for it). */
  private setChoice(row: GridRow, column: ColumnId, id: string): void {
    this.onEdit(row, column, { kind: 'choice', value: id });
  }

  /** Saves an existing figure's edits (the rules are passed in: an edit reaches here once they are loaded). */
  private async save(row: GridRow, rules: RowRules): Promise<void> {
    if (row.saving || !row.saved) return;
    if (hasErrors(row)) {
      this.showRowProblem(row);
      return;
    }
    const patch = patchOf(row);
    const fields = Object.keys(patch);
    if (fields.length === 0) return;
    const before = row.saved;
    row.saving = true;
    this.redraw(row);
    try {
      const result = await this.deps.api.updateFigure({ id: row.key, patch: patch as never });
      const saved = result.value;
      // Keep what the analyst edited while the save was on its way.
      const next = rowFromFigure(saved);
      for (const field of EDIT_FIELDS) {
        const sent = field in patch ? (patch as Record<string, unknown>)[field] : before[field];
        if ((row.values[field] ?? null) !== (sent ?? null)) {
          (next.values as Record<string, unknown>)[field] = row.values[field];
          next.touched.add(columnOfField(field));
        }
      }
      next.raw = row.raw;
      Object.assign(row, next, { saving: false });
      rules.validate(row);
      const columns = [...new Set(fields.map((f) => columnHeader(columnOfField(f))))].join(', ');
      this.deps.undo.record(result.txn, `edit ${columns} of ${saved.metric}`);
      showStatus(`Saved ${columns} of ${saved.metric} ${formatQuantity(saved)} (${saved.source}). Ctrl+Z undoes it.`, 'success');
      if (this.current === row) this.deps.onCurrent(saved);
      if (isDirty(row) && !hasErrors(row)) void this.save(row, rules);
    } catch (error) {
      row.saving = false;
      this.takeProblems(row, error);
      showError(error, 'Not saved');
    }
    this.redraw(row);
    this.updateCallout();
  }

  /** Enter on the new-figure row: save it if it is a whole, valid figure; otherwise say what is missing. */
  async commitDraft(): Promise<void> {
    const row = this.draft;
    // Nothing typed yet (the row holds only what the last save left for the next one): Enter has nothing to save,
    // as in a spreadsheet, rather than a list of every field still missing.
    if (row.touched.size === 0) return;
    const { validate } = await loadRowRules();
    if (row.saving) return;
    validate(row, true);
    this.redraw(row);
    if (hasErrors(row)) {
      this.showRowProblem(row);
      const first = COLUMN_IDS.find((c) => row.errors[c]);
      if (first) this.focusDraft(first);
      return;
    }
    row.saving = true;
    try {
      const result = await this.deps.api.createFigure(figureInput(row.values) as never);
      const saved = rowFromFigure(result.value);
      this.rows.set(saved.key, saved);
      this.shown?.add(saved.key);
      this.gridApi.applyTransaction({ add: [saved] });
      this.deps.onCount(this.shownCount());
      this.deps.undo.record(result.txn, `new figure ${result.value.metric} ${formatQuantity(result.value)}`);
      this.resetDraft();
      this.reveal([saved.key]);
      showStatus(
        `Saved: ${result.value.metric} ${formatQuantity(result.value)} (${result.value.source}). The next row keeps its source, citation, place and date.`,
        'success',
      );
      this.focusDraft('metric');
    } catch (error) {
      row.saving = false;
      this.takeProblems(row, error);
      this.redraw(row);
      showError(error, 'Not saved');
    }
    this.updateCallout();
  }

  /** Esc on a row: its unsaved edits are dropped (the new-figure row keeps its source, citation, place and date). */
  private discard(row: GridRow): void {
    if (row.saved) {
      if (!isDirty(row) && !hasErrors(row)) return;
      Object.assign(row, rowFromFigure(row.saved));
      showStatus('Edits discarded; the figure is as saved.');
    } else {
      this.resetDraft();
      this.focusDraft();
      showStatus('New row cleared.');
    }
    this.redraw(row);
    this.updateCallout();
  }

  private takeProblems(row: GridRow, error: unknown): void {
    const e = WorkbenchError.from(error);
    const problems = e.problems ?? (e.place ? [{ ...e.place, reason: e.message }] : []);
    for (const problem of problems) row.errors[columnOfField(problem.field ?? problem.column)] = problem.reason;
  }

  private async createFor(kind: CreateKind, text: string, row: GridRow, column: ColumnId): Promise<void> {
    const id = await this.deps.create(kind, text);
    if (!id) return;
    const target = row.saved ? this.rows.get(row.key) : this.draft;
    if (target) this.setChoice(target, column, id);
    if (!row.saved) this.focusDraft(column);
  }

  // ---- paste ----

  private async onPaste(event: ClipboardEvent): Promise<void> {
    if (this.gridApi.getEditingCells().length > 0) return; // the editor's own text field takes it
    const text = event.clipboardData?.getData('text/plain') ?? '';
    if (!text.trim()) return;
    event.preventDefault();
    if (this.readOnly) return showStatus(READ_ONLY, 'error');
    const focused = this.gridApi.getFocusedCell();
    const column = focused?.column.getColId() ?? null;
    if (!isMultiCell(text)) {
      // One cell: it goes into the focused cell, as if typed there.
      const node = focused
        ? focused.rowPinned === 'bottom'
          ? this.gridApi.getPinnedBottomRow(focused.rowIndex)
          : this.gridApi.getDisplayedRowAtIndex(focused.rowIndex)
        : null;
      if (node?.data && column && (COLUMN_IDS as readonly string[]).includes(column) && node.data.saved?.status !== 'retracted') {
        this.onEdit(node.data, column as ColumnId, { kind: 'text', text: text.replace(/\r?\n$/, '') });
      }
      return;
    }
    if (focused && !focused.rowPinned) await this.pasteOver(text, column, focused.rowIndex);
    else await this.pasteBlock(text, column);
  }

  /** A block pasted onto the figures from the focused cell on: their cells overwritten, in one undoable change. */
  private async pasteOver(text: string, column: string | null, rowIndex: number): Promise<void> {
    const displayed = this.gridApi.getAllDisplayedColumns().map((c) => c.getColId());
    const below: GridRow[] = [];
    const count = this.gridApi.getDisplayedRowCount();
    // a block has at most as many rows as lines: the rows it could reach, not the whole grid
    const lines = text.replace(/\r?\n$/, '').split('\n').length;
    for (let i = rowIndex; i < Math.min(count, rowIndex + lines); i += 1) {
      const data = this.gridApi.getDisplayedRowAtIndex(i)?.data;
      if (data) below.push(data);
    }
    showStatus('Checking the pasted cells…');
    try {
      const result = await pasteOverFigures(text, below, {
        api: this.deps.api,
        catalog: this.deps.catalog,
        columns: pasteColumns(displayed, column),
        numbers: numberFormat(),
      });
      if (result.figures.length === 0) {
        showStatus('The pasted cells hold what the figures already say: nothing changed.');
        return;
      }
      for (const figure of result.figures) this.showFigure(figure);
      this.gridApi.flashCells({ rowNodes: result.figures.map((f) => this.gridApi.getRowNode(f.id)).filter((n): n is IRowNode<GridRow> => !!n) });
      const n = result.figures.length;
      this.deps.undo.record(result.txn, `paste over ${n} figure${n === 1 ? '' : 's'}`);
      showStatus(`Pasted over ${n} figure${n === 1 ? '' : 's'} (columns: ${result.columns.join(', ')}). Ctrl+Z undoes the paste.`, 'success');
    } catch (error) {
      if (error instanceof PasteRefused) {
        showStatus(error.message, 'error');
        showPasteProblems(error, (format) => {
          setNumberFormat(format);
          void this.pasteOver(text, column, rowIndex);
        });
      } else {
        showError(error, 'Not pasted');
      }
    }
  }

  /** Rows copied from a spreadsheet, read as the analyst's number format says; refused ones can be read again. */
  private async pasteBlock(text: string, column: string | null): Promise<void> {
    const displayed = this.gridApi.getAllDisplayedColumns().map((c) => c.getColId());
    showStatus('Checking the pasted rows…');
    try {
      const result = await pasteFigures(text, {
        api: this.deps.api,
        catalog: this.deps.catalog,
        draft: this.draft.values,
        columns: pasteColumns(displayed, column),
        numbers: numberFormat(),
      });
      this.addFigures(result.figures);
      this.deps.undo.record(result.txn, `paste of ${result.figures.length} figures`);
      showStatus(`Pasted ${result.figures.length} figures (columns: ${result.columns.join(', ')}). Ctrl+Z undoes the paste.`, 'success');
    } catch (error) {
      if (error instanceof PasteRefused) {
        showStatus(error.message, 'error');
        showPasteProblems(error, (format) => {
          setNumberFormat(format);
          void this.pasteBlock(text, column);
        });
      } else {
        showError(error, 'Not pasted');
      }
    }
  }

  // ---- keyboard and focus ----

  private onKey(p: SuppressKeyboardEventParams<GridRow>): boolean {
    const event = p.event;
    if (event.type !== 'keydown') return false;
    const pinned = p.node.rowPinned === 'bottom';
    if (pinned && event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.isComposing) {
      event.preventDefault();
      // The open editor's value is read first, then the row is saved. ag-grid delivers cellEditRequest to its
      // listeners in a later task (its events are batched through setTimeout), so the save waits one task more.
      setTimeout(() => {
        if (p.api.getEditingCells().length > 0) p.api.stopEditing();
        setTimeout(() => void this.commitDraft());
      });
      return true;
    }
    if (!p.editing && !pinned && event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey && isArrowKey(event.key)) {
      event.preventDefault();
      this.extendBlock(event.key);
      return true;
    }
    if (!p.editing && !event.altKey && !event.shiftKey && !event.metaKey && (event.key === 'End' || event.key === 'Home')) {
      event.preventDefault();
      this.jump(event.key, event.ctrlKey);
      return true;
    }
    if (!p.editing && event.key === 'Delete' && !event.ctrlKey && !event.altKey && !event.metaKey && p.data) {
      event.preventDefault();
      this.clearCell(p.data, p.column.getColId());
      return true;
    }
    if (!p.editing && event.key === 'Escape' && p.data) {
      this.discard(p.data);
      return true;
    }
    return false;
  }

  /** Home/End along the row, Ctrl+Home/Ctrl+End to the first/last cell: the focus moves there. */
  private jump(key: JumpKey, ctrl: boolean): void {
    const focused = this.gridApi.getFocusedCell();
    if (!focused) return;
    const columns = this.gridApi
      .getAllDisplayedColumns()
      .map((c) => c.getColId())
      .filter((c) => c !== 'state');
    const from = { rowIndex: focused.rowIndex, rowPinned: focused.rowPinned === 'bottom' ? ('bottom' as const) : null, column: focused.column.getColId() };
    const target = jumpTarget(key, ctrl, from, columns, this.gridApi.getDisplayedRowCount());
    if (!target) return;
    // One step: ag-grid leaves Ctrl+End/Home to the browser, whose smooth scroll draws every set of rows on the way.
    if (!target.rowPinned) this.gridApi.ensureIndexVisible(target.rowIndex, key === 'End' ? 'bottom' : 'top');
    this.gridApi.ensureColumnVisible(target.column);
    this.gridApi.setFocusedCell(target.rowIndex, target.column, target.rowPinned);
  }

  /**
   * Delete on a cell: it is emptied, as an edit (saved at once on a figure, so Ctrl+Z undoes it). A cell a figure
   * cannot be without is left as it is, with the reason.
   */
  private clearCell(row: GridRow, column: string): void {
    if (!(COLUMN_IDS as readonly string[]).includes(column) || row.saving || row.saved?.status === 'retracted') return;
    const id = column as ColumnId;
    if (!row.saved) {
      this.onEdit(row, id, null); // the new figure is checked as a whole on Enter
      return;
    }
    withRowRules(
      (rules) => {
        const trial: GridRow = { ...row, values: { ...row.values }, raw: { ...row.raw }, touched: new Set(row.touched), errors: {} };
        applyEdit(trial, id, null, this.deps.catalog, numberFormat());
        rules.validate(trial);
        const added = COLUMN_IDS.find((c) => trial.errors[c] && trial.errors[c] !== row.errors[c]);
        if (added) showStatus(`${columnHeader(id)} not cleared — ${columnHeader(added)}: ${trial.errors[added]}`, 'error');
        else this.onEdit(row, id, null);
      },
      (error) => showError(error, 'The cell cannot be checked, so it is not cleared'),
    );
  }

  /** Ctrl+C on a cell (not in an open editor): its text, as a spreadsheet pastes it back. */
  /** Ctrl+C: the selected block of cells, or the focused cell, as a spreadsheet pastes them back. */
  private onCopy(event: ClipboardEvent): void {
    if (this.gridApi.getEditingCells().length > 0 || !event.clipboardData) return;
    const focused = this.gridApi.getFocusedCell();
    if (!focused || !this.root.contains(document.activeElement)) return;
    const pinned = focused.rowPinned === 'bottom';
    const block = !pinned && this.block ? this.block : null;
    const rows = block
      ? Array.from({ length: block.lastRow - block.firstRow + 1 }, (_, i) => this.gridApi.getDisplayedRowAtIndex(block.firstRow + i))
      : [pinned ? this.gridApi.getPinnedBottomRow(focused.rowIndex) : this.gridApi.getDisplayedRowAtIndex(focused.rowIndex)];
    const columns = block ? block.columns : [focused.column.getColId()];
    // each cell's text as shown (its column's formatter; ag-grid's getCellValue needs a module we do not load)
    const textOf = (data: GridRow | undefined, column: string) => {
      const format = this.gridApi.getColumn(column)?.getColDef().valueFormatter;
      return typeof format === 'function' && data ? format({ data } as never) : '';
    };
    if (rows.some((node) => !node)) return;
    event.clipboardData.setData('text/plain', toTsv(rows.map((node) => columns.map((column) => textOf(node!.data, column)))));
    event.preventDefault();
  }

  /** The columns a block can span: those shown, in order, but the row-state marker. */
  private blockColumns(): string[] {
    return this.gridApi
      .getAllDisplayedColumns()
      .map((c) => c.getColId())
      .filter((c) => c !== 'state');
  }

  private setBlock(block: CellBlock | null): void {
    if (block === null && this.block === null) return;
    this.block = block;
    // the rows on screen take or lose the block's mark (only a forced refresh applies class rules to unchanged cells)
    this.gridApi.refreshCells({ force: true });
  }

  /** The focused cell now (ag-grid moves it at once; the event saying so comes a task later). */
  private focusedRef(): CellRef | null {
    const focused = this.gridApi.getFocusedCell();
    return focused && !focused.rowPinned ? { rowIndex: focused.rowIndex, column: focused.column.getColId() } : null;
  }

  /** Shift+arrow: the focus moves one cell and the block grows from its anchor to there. */
  private extendBlock(key: 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight'): void {
    const from = this.focusedRef();
    if (!from) return;
    const next = stepFrom(from, key, this.blockColumns(), this.gridApi.getDisplayedRowCount());
    this.growTo(next, from);
    this.gridApi.ensureIndexVisible(next.rowIndex);
    this.gridApi.ensureColumnVisible(next.column);
    this.gridApi.setFocusedCell(next.rowIndex, next.column);
  }

  /** Shift+click on a cell: the block grows from its anchor to that cell (ag-grid then moves the focus there). */
  private onShiftClick(event: MouseEvent): void {
    if (!event.shiftKey || event.button !== 0) return;
    const element = (event.target as Element | null)?.closest?.('.ag-cell[col-id]');
    const row = element?.closest('.ag-row[row-index]');
    if (!element || !row || row.classList.contains('ag-row-pinned')) return;
    // the focus before this click: ag-grid may have moved it to the clicked cell already (on pointerdown)
    const from = this.blockEnd ?? this.anchor ?? this.focusedRef();
    if (from) this.growTo({ rowIndex: Number(row.getAttribute('row-index')), column: element.getAttribute('col-id')! }, from);
  }

  /** Grows the block to `at`; `from` is the focused cell, where a new block starts unless the focus is its end. */
  private growTo(at: CellRef, from: CellRef): void {
    if (!this.anchor || !sameCell(this.blockEnd ?? this.anchor, from)) this.anchor = from;
    this.blockEnd = at;
    this.pendingFocus.push(at);
    const block = blockBetween(this.anchor, at, this.blockColumns());
    this.setBlock(block && (block.firstRow !== block.lastRow || block.columns.length > 1) ? block : null);
  }

  /** The focus moved (as ag-grid tells, a task late): anywhere but the block's end, the block is dropped. */
  private trackBlock(rowIndex: number | null, pinned: string | null | undefined, column: string | null | undefined): void {
    const at = rowIndex !== null && pinned !== 'bottom' && column ? { rowIndex, column } : null;
    const pending = at ? this.pendingFocus.findIndex((c) => sameCell(c, at)) : -1;
    if (pending >= 0) {
      this.pendingFocus.splice(0, pending + 1);
      return;
    }
    const now = this.focusedRef();
    // a late event for a cell the focus has already left says nothing
    if (at && now && !sameCell(now, at)) return;
    this.pendingFocus = [];
    this.anchor = now;
    this.blockEnd = null;
    this.setBlock(null);
  }

  private onFocus(rowIndex: number | null, pinned: string | null | undefined, column: string | null | undefined): void {
    this.trackBlock(rowIndex, pinned, column);
    const node = rowIndex === null ? null : pinned === 'bottom' ? this.gridApi.getPinnedBottomRow(rowIndex) : this.gridApi.getDisplayedRowAtIndex(rowIndex);
    const row = node?.data ?? null;
    this.updateCallout();
    // The focused cell's problem, in the status bar too: readable without hovering, and read out by screen readers.
    const problem = column ? row?.errors[column as ColumnId] : undefined;
    if (problem) showStatus(`${columnHeader(column as ColumnId)}: ${problem}`, 'error');
    if (row === this.current) return;
    this.current = row;
    clearTimeout(this.currentTimer);
    // Arrowing down a column should not load every figure's history on the way.
    this.currentTimer = setTimeout(() => this.deps.onCurrent(row?.saved ?? null), 120);
  }

  private showRowProblem(row: GridRow): void {
    const problems = COLUMN_IDS.filter((c) => row.errors[c]).map((c) => `${columnHeader(c)}: ${row.errors[c]}`);
    showStatus(`Not saved — ${problems.join('; ')}`, 'error');
  }

  /** The problem of the focused cell, in a callout under it (above it in the bottom row). */
  updateCallout(): void {
    const focused = this.gridApi.getFocusedCell();
    const node = focused
      ? focused.rowPinned === 'bottom'
        ? this.gridApi.getPinnedBottomRow(focused.rowIndex)
        : this.gridApi.getDisplayedRowAtIndex(focused.rowIndex)
      : null;
    const column = focused?.column.getColId() as ColumnId | undefined;
    const message = column ? node?.data?.errors[column] : undefined;
    const cell = this.root.querySelector<HTMLElement>('.ag-cell-focus');
    if (!message || !cell) {
      this.callout.hidden = true;
      return;
    }
    this.callout.textContent = `${columnHeader(column!)}: ${message}`;
    this.callout.hidden = false;
    const box = this.root.getBoundingClientRect();
    const rect = cell.getBoundingClientRect();
    const below = focused?.rowPinned !== 'bottom';
    this.callout.style.left = `${Math.max(0, Math.min(rect.left - box.left, box.width - 340))}px`;
    this.callout.style.top = below ? `${rect.bottom - box.top + 2}px` : '';
    this.callout.style.bottom = below ? '' : `${box.bottom - rect.top + 2}px`;
  }

  private redraw(row: GridRow): void {
    const node = row === this.draft || !row.saved ? this.gridApi.getPinnedBottomRow(0) : this.gridApi.getRowNode(row.key);
    if (!node) return;
    node.setData(row);
    this.gridApi.refreshCells({ rowNodes: [node], force: true });
  }
}
