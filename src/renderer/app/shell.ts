// The window: a top bar (workbook, views, undo/redo, import/export), the current view, and the status line.
// Commands come from the top bar, from keyboard shortcuts in a browser, and from the menu in the desktop app.
import type { UndoResult } from '../../shared/api';
import type { MenuCommand } from '../../shared/bridge';
import type { CompareView } from '../compare/compareView';
import { openExportDialog } from '../export/exportDialog';
import { ChecksView } from '../checks/checksView';
import { ConflictsView } from '../sync/conflictsView';
import { ServerWatch } from '../sync/serverWatch';
import type { ReportContext } from '../sync/report';
import { LibraryView } from '../panels/libraryView';
import { h, isTextInput } from '../ui/dom';
import { formatNumber } from '../ui/format';
import { mountStatus, showError, showStatus } from '../ui/status';
import type { Connection } from '../api/connect';
import { Catalog } from './catalog';
import { FiguresView } from './figuresView';
import { type FirstData, requestFirstData } from './firstData';
import { markStarted } from './firstStart';
import { LeaveGuard } from './leave';
import { RecordedOn, recordedOnControl } from './recordedOn';
import { UndoHistory } from './undo';

type ViewName = 'figures' | 'library' | 'compare' | 'checks' | 'conflicts';

export class Shell {
  readonly catalog: Catalog;
  readonly undo: UndoHistory;
  readonly figures: FiguresView;
  readonly library: LibraryView;
  /** the moment the read views show the workbook at (null: now) */
  readonly recorded = new RecordedOn();
  readonly checks: ChecksView;
  readonly conflicts: ConflictsView;
  /** the number of open conflicts, on the Conflicts tab */
  private readonly conflictBadge = h('span', { class: 'tab-badge', hidden: true, 'aria-label': 'open conflicts' });
  /** loaded (with chart.js) the first time it is shown: the Figures view opens without it */
  private compare: Promise<CompareView> | null = null;
  private view: ViewName = 'figures';
  private infoTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly tabs = new Map<ViewName, HTMLButtonElement>();
  private readonly main = h('main', { class: 'views' });
  private readonly workbook = h('span', { class: 'workbook-name' });
  private readonly undoButton = h('button', { type: 'button', class: 'icon-text', disabled: true }, '↶ Undo');
  private readonly redoButton = h('button', { type: 'button', class: 'icon-text', disabled: true }, '↷ Redo');
  private readonly importButton = h('button', { type: 'button', title: 'Import figures from a CSV file (Ctrl+I)' }, 'Import…');
  private readonly mergeButton = h('button', { type: 'button', class: 'team-action', title: "Merge another analyst's workbook file into this one" }, 'Merge…');
  private readonly syncButton = h('button', { type: 'button', class: 'team-action', title: "Sync with the team's PostgreSQL server" }, 'Sync…');
  /** told when others pushed to the team server: a bar above the views offers to sync */
  private readonly serverWatch: ServerWatch;
  /** the catalog's first load, asked for before the app was loaded (see main.ts) */
  private readonly catalogLoading: Promise<void>;

  constructor(
    private readonly root: HTMLElement,
    private readonly connection: Connection,
    private readonly first: FirstData = requestFirstData(connection.api),
  ) {
    const { api } = connection;
    this.catalog = new Catalog(api);
    this.catalogLoading = this.catalog.load(first.catalog);
    this.undo = new UndoHistory(api);
    const ctx = { api, catalog: this.catalog, undo: this.undo };
    this.figures = new FiguresView({ ...ctx, recorded: this.recorded }, first.figures);
    this.library = new LibraryView({
      ...ctx,
      enterFigures: (id) => {
        this.show('figures');
        this.figures.enterFromCitation(id);
      },
      readDocument: (id) => {
        this.show('figures');
        void this.figures.openReader(id);
      },
      changed: () => this.refreshAll(),
    });
    this.checks = new ChecksView({
      api,
      undo: this.undo,
      openFigures: (ids, label) => {
        this.show('figures');
        this.figures.showFigures(ids, label);
      },
    });
    this.conflicts = new ConflictsView({
      api,
      catalog: this.catalog,
      undo: this.undo,
      // a figure's conflict: that figure read again (as after an undo); an entity's: everything that names it
      changed: (conflict) => (conflict.entity === 'figure' ? this.figures.refreshFigures([conflict.entity_id]) : this.refreshAll()),
      counted: (open) => {
        this.conflictBadge.hidden = open === 0;
        this.conflictBadge.textContent = String(open);
        this.conflictBadge.title = `${open} open conflict${open === 1 ? '' : 's'}`;
      },
    });
    this.undo.onChange(() => {
      this.showUndo();
      // Every write passes through the undo history: the counts in the top bar follow.
      clearTimeout(this.infoTimer);
      this.infoTimer = setTimeout(
        () =>
          void this.catalog.refreshInfo().then(
            () => this.showWorkbook(),
            () => undefined,
          ),
        300,
      );
    });
    this.catalog.onChange(() => this.showWorkbook());
    this.recorded.onChange(() => {
      this.showUndo();
      for (const button of [this.importButton, this.mergeButton, this.syncButton]) button.disabled = this.recorded.value !== null;
      if (this.view === 'compare') void this.compareView().then((compare) => compare.run());
    });
    this.undoButton.addEventListener('click', () => void this.command('undo'));
    this.redoButton.addEventListener('click', () => void this.command('redo'));
    this.serverWatch = new ServerWatch(api, this.syncButton, () => void this.command('sync'));
  }

  async start(): Promise<void> {
    const status = h('div', { class: 'status' });
    const nav = h('nav', { class: 'tabs', 'aria-label': 'Views' });
    for (const [name, label, key] of [
      ['figures', 'Figures', '1'],
      ['library', 'Sources & citations', '3'],
      ['compare', 'Compare', '2'],
      ['checks', 'Checks', '4'],
      ['conflicts', 'Conflicts', '5'],
    ] as const) {
      const tab = h(
        'button',
        { type: 'button', class: 'tab', 'data-view': name, title: `${label} (${this.connection.desktop ? 'Ctrl' : 'Alt'}+${key})` },
        label,
        name === 'conflicts' ? this.conflictBadge : null,
      );
      tab.addEventListener('click', () => this.show(name));
      this.tabs.set(name, tab);
      nav.append(tab);
    }
    const importButton = this.importButton;
    importButton.addEventListener('click', () => void this.command('import-csv'));
    const exportButton = h('button', { type: 'button', title: 'Export the figures shown as CSV (Ctrl+E)' }, 'Export…');
    exportButton.addEventListener('click', () => void this.command('export-csv'));
    this.mergeButton.addEventListener('click', () => void this.command('merge-workbook'));
    this.syncButton.addEventListener('click', () => void this.command('sync'));
    this.root.replaceChildren(
      h(
        'header',
        { class: 'topbar' },
        h('div', { class: 'brand' }, h('span', { class: 'app-name' }, 'Figures Workbench'), this.workbook),
        nav,
        h(
          'div',
          { class: 'topbar-actions' },
          recordedOnControl(this.recorded),
          this.undoButton,
          this.redoButton,
          importButton,
          exportButton,
          this.mergeButton,
          this.syncButton,
        ),
      ),
      this.serverWatch.element,
      this.main,
      h(
        'footer',
        { class: 'statusbar' },
        status,
        h(
          'span',
          { class: 'shortcuts' },
          this.connection.desktop
            ? ''
            : 'Alt+1 Figures · Alt+2 Compare · Alt+3 Sources · Alt+4 Checks · Alt+5 Conflicts · Ctrl+F search · Ctrl+I import · Ctrl+E export · Alt+N new figure',
        ),
      ),
    );
    mountStatus(status);
    this.main.append(this.figures.element, this.library.element, this.checks.element, this.conflicts.element);
    void this.conflicts.count();
    this.show('figures');
    this.listen();
    // The first start opens on a day when sources compete (firstStart.ts); the day was asked for with the catalog.
    const moment = this.first.moment ? await this.first.moment.catch(() => null) : null;
    if (this.first.moment) markStarted();
    if (moment) this.figures.showMoment(moment);
    // The catalog and the figures' first page were asked for while the views were built.
    await this.figures.reload(this.catalogLoading);
    // On the contested day, the first claim is selected: the provenance panel shows its citation and excerpt.
    if (moment && this.figures.grid.gridApi.getDisplayedRowCount() > 0) this.figures.grid.gridApi.setFocusedCell(0, 'metric');
    await this.catalogLoading;
    void this.serverWatch.startIfSynced();
  }

  show(view: ViewName): void {
    this.view = view;
    for (const [name, tab] of this.tabs) {
      tab.classList.toggle('active', name === view);
      tab.setAttribute('aria-current', name === view ? 'page' : 'false');
    }
    for (const element of this.main.children) (element as HTMLElement).hidden = (element as HTMLElement).dataset.view !== view;
    document.body.dataset.view = view;
    if (view === 'compare')
      void this.compareView().then(
        (compare) => compare.open(),
        (error) => showError(error, 'Compare not loaded'),
      );
    if (view === 'checks') void this.checks.open();
    if (view === 'conflicts') void this.conflicts.open();
    if (view === 'library') {
      this.library.render();
      void this.catalog.load().catch((error) => showError(error)); // fresh figure counts
    }
  }

  /** Everything that shows data, reloaded (after undo, redo, an import or a merge). */
  async refreshAll(): Promise<void> {
    await this.catalog.load();
    // read again from the core: a merge or a sync brings figures the grid never held
    await this.figures.reload(undefined, { fresh: true });
    if (this.view === 'compare') await (await this.compareView()).run();
  }

  /** After an undo or redo: only what it changed is read again (an import's undo, too large to list, reloads all). */
  private async refreshAfterUndo(result: UndoResult): Promise<void> {
    if (result.figure_ids === null) return this.refreshAll();
    if (result.entities) await this.catalog.load();
    await this.figures.refreshFigures(result.figure_ids);
    if (this.view === 'compare') await (await this.compareView()).run();
  }

  private compareView(): Promise<CompareView> {
    this.compare ??= import('../compare/compareView').then(({ CompareView }) => {
      const compare = new CompareView({ api: this.connection.api, catalog: this.catalog, recorded: this.recorded });
      compare.element.hidden = this.view !== 'compare';
      this.main.append(compare.element);
      return compare;
    });
    return this.compare;
  }

  /** `file`: a CSV dropped on the window, for the import wizard */
  async command(command: MenuCommand, file?: File): Promise<void> {
    const writes = { undo: 'undo', redo: 'redo', 'import-csv': 'import', 'merge-workbook': 'merge', sync: 'sync' } as Partial<Record<MenuCommand, string>>;
    if (this.recorded.value !== null && writes[command]) {
      return showStatus(`Not while the workbook is shown as recorded on a past moment: press Now (top right) to ${writes[command]}.`, 'error');
    }
    try {
      switch (command) {
        case 'undo':
        case 'redo': {
          const reversal = command === 'undo' ? await this.undo.undo() : await this.undo.redo();
          if (reversal === null) return showStatus(`Nothing to ${command}.`);
          await this.refreshAfterUndo(reversal.result);
          return showStatus(`${command === 'undo' ? 'Undone' : 'Redone'}: ${reversal.label}.`, 'success');
        }
        case 'find':
          this.show('figures');
          return this.figures.filterBar.focusSearch();
        case 'import-csv': {
          // loaded when first opened, with the schemas it checks a mapping with, not with the window
          const { openImportWizard } = await import('../import/importWizard');
          return openImportWizard(
            { api: this.connection.api, catalog: this.catalog, undo: this.undo, files: this.connection.files, changed: () => this.refreshAll() },
            file,
          );
        }
        case 'export-csv':
          this.show('figures');
          return openExportDialog(this.connection.api, this.figures.filter(), this.figures.describeFilter(), this.connection.files);
        case 'export-chart-png': {
          this.show('compare');
          const compare = await this.compareView();
          await compare.open();
          const saved = compare.exportCharts();
          return showStatus(saved ? `Saved ${saved} chart${saved === 1 ? '' : 's'} as PNG.` : 'No chart to save yet.', saved ? 'success' : 'info');
        }
        case 'show-figures':
          return this.show('figures');
        case 'show-compare':
          return this.show('compare');
        case 'show-sources':
          return this.show('library');
        case 'show-checks':
          return this.show('checks');
        case 'show-conflicts':
          return this.show('conflicts');
        case 'merge-workbook': {
          const { openMergeDialog } = await import('../sync/mergeDialog');
          return openMergeDialog(this.reportContext(), this.connection.files);
        }
        case 'sync': {
          const { openSyncDialog } = await import('../sync/syncDialog');
          // after a sync, listen for the others' pushes with the password it was given (kept by the core only)
          return openSyncDialog(this.reportContext(), (server, password) => this.serverWatch.start({ server, password }));
        }
      }
    } catch (error) {
      showError(error, command === 'undo' || command === 'redo' ? `Could not ${command}` : undefined);
    }
  }

  /** What the merge and sync dialogs act through: after they wrote, every view reads again, the conflicts too. */
  private reportContext(): ReportContext {
    return {
      api: this.connection.api,
      catalog: this.catalog,
      undo: this.undo,
      openConflicts: () => this.show('conflicts'),
      changed: async () => {
        await this.refreshAll();
        await this.conflicts.refresh();
      },
    };
  }

  private listen(): void {
    const leave = new LeaveGuard(
      () => this.figures.grid.unsavedWork(),
      (request, answer) => this.connection.answerLeave(request, answer),
    );
    if (!this.connection.desktop) leave.guardUnload(); // in the desktop app, main asks (a 'leave' event)
    this.connection.onAppEvent((event) => {
      if (event.kind === 'menu') {
        // The desktop menu's Undo/Redo: in a text field they are the field's own.
        if ((event.command === 'undo' || event.command === 'redo') && isTextInput(document.activeElement)) {
          document.execCommand(event.command);
          return;
        }
        void this.command(event.command);
      } else if (event.kind === 'leave') {
        void leave.ask(event.request, event.action);
      } else if (event.kind === 'workbook-opened') {
        this.undo.clear(); // the other workbook's transactions mean nothing here
        this.figures.grid.forgetUnsaved(); // typed for the other workbook; the analyst agreed to drop it
        this.serverWatch.stop(); // the other workbook's server, if it has one
        void this.serverWatch.startIfSynced();
        void this.refreshAll().then(() => showStatus(`Opened ${event.path}.`, 'success'));
      } else if (event.kind === 'error') {
        showStatus(event.message, 'error');
      }
    });
    document.addEventListener('keydown', (event) => this.onKey(event));
    // A file dropped anywhere on the window opens the import wizard with it; the wizard's own drop zone takes a
    // drop on it first. Never the browser's default: that would open the file in place of the app.
    document.addEventListener('dragover', (event) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    });
    document.addEventListener('drop', (event) => {
      if (event.defaultPrevented) return;
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      event.preventDefault();
      if (!document.querySelector('dialog[open]')) void this.command('import-csv', file);
    });
  }

  /** Shortcuts in a browser (the desktop menu has its own accelerators and sends commands instead). */
  private onKey(event: KeyboardEvent): void {
    if (document.querySelector('dialog[open]')) return;
    const editing = isTextInput(event.target) || this.figures.grid.gridApi.getEditingCells().length > 0;
    if (event.altKey && !event.ctrlKey && !event.metaKey) {
      const view = ({ '1': 'figures', '2': 'compare', '3': 'library', '4': 'checks', '5': 'conflicts' } as const)[event.key as '1' | '2' | '3' | '4' | '5'];
      if (view) {
        event.preventDefault();
        this.show(view);
      } else if (event.key.toLowerCase() === 'n') {
        event.preventDefault();
        this.show('figures');
        this.figures.grid.focusDraft();
      }
      return;
    }
    if (this.connection.desktop || !(event.ctrlKey || event.metaKey) || event.altKey) return;
    const key = event.key.toLowerCase();
    const command: MenuCommand | null =
      key === 'z' && !event.shiftKey
        ? 'undo'
        : key === 'y' || (key === 'z' && event.shiftKey)
          ? 'redo'
          : key === 'f'
            ? 'find'
            : key === 'i'
              ? 'import-csv'
              : key === 'e'
                ? 'export-csv'
                : null;
    if (!command) return;
    if ((command === 'undo' || command === 'redo') && editing) return; // the text field's own undo
    event.preventDefault();
    void this.command(command);
  }

  private showUndo(): void {
    // while the workbook is shown as recorded on a past moment, nothing is written
    const writable = this.recorded.value === null;
    const u = this.undo.undoLabel;
    const r = this.undo.redoLabel;
    this.undoButton.disabled = u === null || !writable;
    this.redoButton.disabled = r === null || !writable;
    this.undoButton.title = u ? `Undo ${u} (Ctrl+Z)` : 'Nothing to undo';
    this.redoButton.title = r ? `Redo ${r} (Ctrl+Y)` : 'Nothing to redo';
  }

  private showWorkbook(): void {
    const info = this.catalog.info;
    if (!info) return;
    const file = info.path.split(/[\\/]/).pop() ?? info.path;
    this.workbook.textContent = `${file} · ${formatNumber(info.counts.figures)} figures · ${formatNumber(info.counts.sources)} sources · ${formatNumber(info.counts.citations)} citations`;
    this.workbook.title = info.path;
    document.title = `${file} — Figures Workbench`;
  }
}
