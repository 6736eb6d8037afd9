// The Figures view: the filter, the grid with its new-figure row, and the provenance of the figure in focus.
import type { ContestedDate, WorkbenchApi } from '../../shared/api';
import type { FigureView } from '../../shared/domain';
import type { FigureFilterInput } from '../../shared/schemas';
import { FiguresGrid } from '../grid/figuresGrid';
import { describeFilter, FilterBar } from '../grid/filterBar';
import { resetLayout } from '../grid/layout';
import { WarningMarks } from '../grid/warningMarks';
import { COLUMN_IDS, type ColumnId } from '../grid/rows';
import { numberFormatSelect } from '../ui/numberFormat';
import type { EntityKind } from '../panels/entityForms';
import { ProvenancePanel } from '../panels/provenance';
import type { NumberDraft } from '../reader/draftFromNumber';
import { ReaderPanel } from '../reader/readerPanel';
import { askReason } from '../ui/dialog';
import { h } from '../ui/dom';
import { formatNumber, formatQuantity } from '../ui/format';
import { showError, showStatus } from '../ui/status';
import type { Catalog } from './catalog';
import type { FirstPage } from './firstData';
import { citationLabel } from './catalog';
import { describeMoment, describeRecorded, type RecordedOn } from './recordedOn';
import type { UndoHistory } from './undo';

const CATEGORY_FIGURES: Record<ContestedDate['category'], string> = { casualties: 'casualty figures', aid: 'aid figures', other: 'figures' };

export class FiguresView {
  readonly element: HTMLElement;
  readonly grid: FiguresGrid;
  readonly filterBar: FilterBar;
  readonly provenance: ProvenancePanel;
  private readonly marks: WarningMarks;
  /** a citation's document beside the grid, in the provenance panel's place while open */
  readonly reader: ReaderPanel;
  private readonly body: HTMLElement;
  private readonly count = h('span', { class: 'count', 'aria-live': 'polite' });
  private readonly banner = h('div', { class: 'citation-banner', hidden: true });
  private readonly momentBanner = h('div', { class: 'citation-banner moment-banner', hidden: true });
  private readonly recordedBanner = h('div', { class: 'citation-banner recorded-banner', role: 'status', hidden: true });
  private readonly writeButtons: HTMLButtonElement[];
  /** the contested day the first start opened on (firstStart.ts) */
  private moment: ContestedDate | null = null;

  constructor(
    private readonly ctx: { api: WorkbenchApi; catalog: Catalog; undo: UndoHistory; recorded: RecordedOn },
    firstPage: FirstPage | null = null,
  ) {
    this.filterBar = new FilterBar(ctx.catalog);
    const gridHost = h('div', { class: 'grid-host' });
    this.provenance = new ProvenancePanel({
      ...ctx,
      onChanged: (figure) => this.grid.showFigure(figure),
      retract: (figure) => void this.retract(figure),
      read: (citationId) => void this.openReader(citationId),
    });
    this.reader = new ReaderPanel({
      ...ctx,
      onDraft: (draft) => this.draftFromDocument(draft),
      onClose: () => this.closeReader(),
    });
    const newFigure = h('button', { type: 'button', class: 'primary', title: 'Go to the new-figure row (Alt+N)' }, '+ New figure');
    newFigure.addEventListener('click', () => this.grid.focusDraft());
    const retract = h('button', { type: 'button', title: 'Retract the figure in focus, with a reason' }, 'Retract…');
    retract.addEventListener('click', () => {
      const figure = this.grid.currentFigure();
      if (figure) void this.retract(figure);
      else showStatus('Move to a figure first (click it, or use the arrow keys), then Retract.', 'error');
    });
    this.writeButtons = [newFigure, retract];
    const toolbar = h(
      'div',
      { class: 'toolbar' },
      newFigure,
      retract,
      this.columnChooser(),
      numberFormatSelect(),
      this.count,
      h(
        'span',
        { class: 'hint' },
        'Type to edit · Tab/Enter move · Enter on the bottom row saves it · Esc discards · Ctrl+Z/Ctrl+Y undo/redo · paste rows from a spreadsheet',
      ),
    );
    this.element = h(
      'section',
      { class: 'view figures-view', 'data-view': 'figures' },
      this.filterBar.element,
      this.recordedBanner,
      this.momentBanner,
      this.banner,
      toolbar,
      (this.body = h('div', { class: 'figures-body' }, gridHost, this.reader.element, this.provenance.element)),
    );
    this.grid = new FiguresGrid(
      gridHost,
      {
        ...ctx,
        onCurrent: (figure) => void this.provenance.show(figure),
        // the forms (and the schemas they check with) load when first opened, not with the window
        create: (kind, text) => import('../panels/entityForms').then(({ editEntity }) => editEntity(ctx, kind as EntityKind, null, prefill(kind, text))),
        hasWarning: (id) => this.marks.has(id),
        onViewport: () => this.marks?.schedule(), // (the grid draws its first rows before the marks exist)
        onCount: (n, loadingOf) =>
          (this.count.textContent =
            loadingOf === undefined ? `${formatNumber(n)} figure${n === 1 ? '' : 's'}` : `${formatNumber(n)} of ${formatNumber(loadingOf)} figures (loading…)`),
      },
      firstPage,
    );
    this.marks = new WarningMarks(ctx.api, this.grid);
    // every write passes through the undo history, and may add or take away a warning of a figure on screen
    ctx.undo.onChange(() => this.marks.schedule());
    this.filterBar.onChange(() => {
      this.showMomentBanner();
      void this.reload();
    });
    ctx.catalog.onChange(() => this.showBanner());
    ctx.recorded.onChange(() => {
      const readOnly = ctx.recorded.value !== null;
      this.grid.setReadOnly(readOnly);
      for (const button of this.writeButtons) button.disabled = readOnly;
      void this.reload();
    });
  }

  /** The filter's figures, as recorded on the moment the window is put at (if it is). */
  filter(): NonNullable<FigureFilterInput> {
    const recordedOn = this.ctx.recorded.value;
    return recordedOn ? { ...this.filterBar.filter(), recorded_on: recordedOn } : this.filterBar.filter();
  }

  describeFilter(): string {
    const recordedOn = this.ctx.recorded.value;
    return describeFilter(this.filterBar.filter(), this.ctx.catalog) + (recordedOn ? ` · as recorded on ${describeMoment(recordedOn)}` : '');
  }

  /** Loads the grid for the filter; `catalogLoading`, if given, is awaited before the provenance panel (which names
   * what it shows from the catalog) is drawn. A catalog that fails to load is reported by whoever loads it. */
  async reload(catalogLoading: Promise<unknown> = Promise.resolve(), options: { fresh?: boolean } = {}): Promise<void> {
    try {
      await this.grid.load(this.filter(), options);
    } catch (error) {
      showError(error, 'Figures not loaded');
    }
    this.showRecordedBanner();
    await catalogLoading.catch(() => undefined);
    await this.provenance.refresh();
  }

  /** Figures changed elsewhere (an undo): read again, and shown, added or taken out as the filter says. */
  async refreshFigures(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      await this.grid.refreshFigures(this.filter(), ids);
    } catch (error) {
      showError(error, 'Figures not reloaded');
    }
  }

  /** Entering an article's figures: the grid shows that citation's figures and the new row starts with it. */
  enterFromCitation(citationId: string, focus = true): void {
    const citation = this.ctx.catalog.citation(citationId);
    this.grid.setDraftDefaults({ citation_id: citationId, as_of: citation?.published ?? this.grid.draftValues().as_of });
    this.filterBar.setCitation(citationId);
    this.showBanner();
    if (focus) setTimeout(() => this.grid.focusDraft('metric'), 50);
  }

  /** Entering an article's figures from its document: the grid on that citation, and the document beside it. */
  async openReader(citationId: string): Promise<void> {
    this.enterFromCitation(citationId, false);
    this.body.classList.add('reading');
    this.provenance.element.hidden = true;
    const opening = this.reader.open(citationId);
    this.showBanner();
    await opening;
  }

  closeReader(): void {
    this.reader.close();
    this.body.classList.remove('reading');
    this.provenance.element.hidden = false;
    this.showBanner();
  }

  /** A number picked in the document: its draft in the new-figure row, focused where the analyst checks first. */
  private draftFromDocument(draft: NumberDraft): void {
    this.grid.fillDraft(draft.values);
    const check = draft.suggested.metric ? 'qualifier' : 'metric';
    this.grid.focusDraft(check);
    const said = [
      draft.suggested.source ? `claimant ${this.ctx.catalog.source(draft.values.source_id)?.name}` : 'no claimant named: pick the source',
      draft.suggested.relay ? `relayed via ${this.ctx.catalog.source(draft.values.relayed_via_id)?.name}` : null,
      draft.suggested.metric ? `metric ${this.ctx.catalog.metric(draft.values.metric_id)?.label}` : 'pick the metric',
    ].filter(Boolean);
    showStatus(`Drafted from the text (${said.join(', ')}): check the cells, then Enter to save.`);
  }

  /** Only these figures (a warning's), every date and status, with a chip that shows all again. */
  showFigures(ids: string[], label: string): void {
    this.moment = null;
    this.filterBar.clear();
    this.filterBar.setFigures({ ids, label });
    this.showMomentBanner();
  }

  /** Only the figures of a day on which sources compete, with a banner that says so and shows every date again.
   * The caller loads the grid. */
  showMoment(moment: ContestedDate): void {
    this.moment = moment;
    this.filterBar.setDates(moment.date, moment.date, false);
    this.showMomentBanner();
  }

  private showMomentBanner(): void {
    const moment = this.moment;
    const filter = this.filter();
    this.momentBanner.hidden = !moment || filter.from !== moment.date || filter.to !== moment.date;
    if (!moment || this.momentBanner.hidden) return;
    const all = h('button', { type: 'button', class: 'small', title: 'Clear the date filter: every figure, oldest first' }, 'Show every date');
    all.addEventListener('click', () => this.filterBar.setDates('', ''));
    this.momentBanner.replaceChildren(
      h(
        'span',
        {},
        'Claims of ',
        h('strong', {}, moment.date),
        `, the latest day on which more than one source gives ${CATEGORY_FIGURES[moment.category]}: `,
        moment.sources.map((s) => s.name).join(', '),
        '. Each figure shows its citation and the words quoted when selected.',
      ),
      all,
    );
  }

  /** While the window shows the workbook as recorded on a past moment: which moment, that it is read-only, and the way back. */
  private showRecordedBanner(): void {
    const recorded = this.ctx.recorded.value ? this.grid.recorded : undefined;
    this.recordedBanner.hidden = !recorded;
    if (!recorded) return;
    const back = h('button', { type: 'button', class: 'small' }, 'Back to now');
    back.addEventListener('click', () => this.ctx.recorded.set(null));
    this.recordedBanner.replaceChildren(
      h(
        'span',
        {},
        'As recorded on ',
        h('strong', {}, describeRecorded(recorded)),
        ': the figures as the change log had them then. Read-only — nothing here can be edited, pasted or added.',
      ),
      back,
    );
  }

  private showBanner(): void {
    const id = this.filter().citation_id;
    const citation = this.ctx.catalog.citation(id);
    this.banner.hidden = !citation;
    if (!citation) return;
    const done = h('button', { type: 'button', class: 'small' }, 'Done');
    done.addEventListener('click', () => {
      this.filterBar.setCitation(null);
      this.closeReader();
      this.showBanner();
    });
    const read = h(
      'button',
      { type: 'button', class: 'small', title: "Open the citation's document beside the grid and pick its numbers" },
      'Read the document',
    );
    read.addEventListener('click', () => void this.openReader(citation.id));
    this.banner.replaceChildren(
      h(
        'span',
        {},
        'Entering figures from ',
        h('strong', {}, `“${citationLabel(citation)}”`),
        [citation.publisher, citation.published].filter(Boolean).length ? ` — ${[citation.publisher, citation.published].filter(Boolean).join(', ')}` : '',
      ),
      h('span', { class: 'muted' }, ' The new row starts with this citation; type the metric, the value and the quoted sentence, then Enter.'),
      ...(this.reader.openCitation === citation.id ? [] : [read]),
      done,
    );
  }

  async retract(figure: FigureView): Promise<void> {
    const reason = await askReason(
      `Retract ${figure.metric} ${formatQuantity(figure)}`,
      `Why is this figure (${figure.source}, ${figure.as_of ?? figure.period_start}) retracted?`,
      'Retract',
    );
    if (!reason) return;
    try {
      const result = await this.ctx.api.retractFigure({ id: figure.id, reason });
      this.ctx.undo.record(result.txn, `retraction of ${figure.metric} ${formatQuantity(figure)}`);
      showStatus(
        `Retracted ${figure.metric} ${formatQuantity(figure)} (${figure.source}). It stays in the workbook with its reason; Ctrl+Z undoes it.`,
        'success',
      );
      await this.ctx.catalog.load();
      await this.reload();
      await this.provenance.show(result.value);
    } catch (error) {
      showError(error, 'Not retracted');
    }
  }

  private columnChooser(): HTMLElement {
    const menu = h('div', { class: 'menu' });
    const details = h('details', { class: 'dropdown' }, h('summary', {}, 'Columns'), menu);
    const fill = () => {
      const api = this.grid.gridApi;
      menu.replaceChildren(
        ...COLUMN_IDS.map((id: ColumnId) => {
          const column = api.getColumn(id);
          const box = h('input', { type: 'checkbox', checked: column?.isVisible() ?? false });
          box.addEventListener('change', () => api.setColumnsVisible([id], box.checked));
          return h('label', { class: 'checkbox' }, box, column?.getColDef().headerName ?? id);
        }),
      );
      const reset = h('button', { type: 'button', class: 'small' }, 'Reset layout');
      reset.addEventListener('click', () => {
        resetLayout(api);
        details.open = false;
      });
      menu.append(reset);
    };
    details.addEventListener('toggle', () => details.open && fill());
    document.addEventListener('click', (event) => {
      if (details.open && !details.contains(event.target as Node)) details.open = false;
    });
    return details;
  }
}

function prefill(kind: string, text: string): Record<string, string> {
  if (kind === 'citation') return /^https?:\/\//i.test(text) ? { url: text } : { title: text };
  if (kind === 'metric') return { code: text.toLowerCase().replace(/[^a-z0-9_]+/g, '_'), label: text };
  return { name: text };
}
