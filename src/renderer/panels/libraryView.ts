// Sources and citations side by side: who makes claims, and where claims were published. From a citation, "Enter
// figures" opens the grid on that citation, so an article's figures go in with the citation picked once. Below
// them, the rule table of vague quantities ("dozens": at least 12).
import type { CitationSummary, SourceSummary, WorkbenchApi } from '../../shared/api';
import type { Catalog } from '../app/catalog';
import { citationLabel } from '../app/catalog';
import type { UndoHistory } from '../app/undo';
import { h } from '../ui/dom';
import { formatNumber, words } from '../ui/format';
import { showError, showStatus } from '../ui/status';
import type { editEntity as EditEntity } from './entityForms';
import { EntityList, looseKey } from './entityList';
import { VagueRulesPanel } from './vagueRulesPanel';

/** The source and citation forms, loaded (with the schemas they check with) when one is first opened. */
const editEntity: typeof EditEntity = (...args) => import('./entityForms').then(({ editEntity }) => editEntity(...args));

export interface LibraryDeps {
  api: WorkbenchApi;
  catalog: Catalog;
  undo: UndoHistory;
  enterFigures(citationId: string): void;
  /** the grid on the citation, with its document beside it */
  readDocument(citationId: string): void;
  /** after a merge: the grid and everything else reload */
  changed(): Promise<void>;
}

export class LibraryView {
  readonly element: HTMLElement;
  private readonly sources: EntityList<SourceSummary>;
  private readonly citations: EntityList<CitationSummary>;
  private readonly rules: VagueRulesPanel;

  constructor(private readonly deps: LibraryDeps) {
    const { catalog } = deps;
    this.sources = new EntityList<SourceSummary>({
      title: 'Sources',
      noun: 'source',
      empty: 'Add the organisations whose figures you record (New source), or import a CSV: its sources are added as they come.',
      columns: [
        { header: 'Name', cell: (s) => s.name },
        { header: 'Short', cell: (s) => s.short_name ?? '' },
        { header: 'Kind', cell: (s) => words(s.kind) },
        { header: 'Party', cell: (s) => (s.party_to_conflict === 1 ? 'yes' : s.party_to_conflict === 0 ? 'no' : '—') },
        // A relay (an aggregator, a newspaper quoting a ministry) claims few figures itself but carries many.
        { header: 'Relays', cell: (s) => formatNumber(s.relays), numeric: true },
      ],
      items: () => catalog.sources,
      id: (s) => s.id,
      name: (s) => s.name,
      figures: (s) => s.figures,
      duplicateKey: (s) => looseKey(s.name),
      onNew: () => void editEntity(deps, 'source', null),
      onEdit: (s) => void editEntity(deps, 'source', s as never),
      onMerge: (keep, merge, why) =>
        this.merge(
          'source',
          keep.id,
          merge.map((m) => m.id),
          why,
          keep.name,
        ),
    });
    this.citations = new EntityList<CitationSummary>({
      title: 'Citations',
      noun: 'citation',
      empty: 'Add the article or report you are reading (New citation), then Enter figures: the grid opens with that citation picked.',
      columns: [
        { header: 'Title', cell: (c) => citationLabel(c) },
        { header: 'Publisher', cell: (c) => c.publisher ?? '' },
        { header: 'Published', cell: (c) => c.published ?? '' },
      ],
      items: () => catalog.citations,
      id: (c) => c.id,
      name: (c) => citationLabel(c),
      figures: (c) => c.figures,
      duplicateKey: (c) => (c.url ? c.url.replace(/^https?:\/\/(www\.)?/, '').replace(/[/?#]+$/, '') : looseKey(c.title)),
      rowActions: (c) => {
        const enter = h(
          'button',
          { type: 'button', class: 'small primary', title: 'Open the grid on this citation, with the new row set to it' },
          'Enter figures',
        );
        enter.addEventListener('click', () => deps.enterFigures(c.id));
        const read = h(
          'button',
          {
            type: 'button',
            class: 'small',
            title: c.document_sha256 ? 'Read its document beside the grid and pick its numbers' : "Keep the document's text with the citation",
          },
          c.document_sha256 ? 'Read' : 'Add text…',
        );
        read.addEventListener('click', () => deps.readDocument(c.id));
        return [enter, read];
      },
      onNew: () => void this.newCitation(),
      onEdit: (c) => void editEntity(deps, 'citation', c as never),
      onMerge: (keep, merge, why) =>
        this.merge(
          'citation',
          keep.id,
          merge.map((m) => m.id),
          why,
          citationLabel(keep),
        ),
    });
    this.rules = new VagueRulesPanel(deps);
    this.element = h('section', { class: 'view library-view', 'data-view': 'library' }, this.sources.element, this.citations.element, this.rules.element);
    // Thousands of citations are many elements: drawn when the view is on screen, not on every catalog change.
    catalog.onChange(() => {
      if (!this.element.hidden) this.render();
    });
  }

  /** Draws both lists; the shell calls it when the view is shown. */
  render(): void {
    this.sources.render();
    this.citations.render();
    this.rules.render();
  }

  /** A new citation, then straight to entering its figures. */
  private async newCitation(): Promise<void> {
    const id = await editEntity(this.deps, 'citation', null);
    if (id) this.deps.enterFigures(id);
  }

  private async merge(kind: 'source' | 'citation', keep: string, merge: string[], why: string, name: string): Promise<boolean> {
    try {
      const input = { keep_id: keep, merge_ids: merge, why: why || undefined };
      const result = kind === 'source' ? await this.deps.api.mergeSources(input) : await this.deps.api.mergeCitations(input);
      this.deps.undo.record(result.txn, `merge of ${merge.length + 1} ${kind}s into “${name}”`);
      showStatus(`Merged ${merge.length + 1} ${kind}s into “${name}”. Ctrl+Z undoes the merge.`, 'success');
      await this.deps.changed();
      return true;
    } catch (error) {
      showError(error, 'Not merged');
      return false;
    }
  }
}
