// The provenance of the figure in focus: who claims it, who relayed it, the citation and the exact words, the import
// it came from, and its whole history from the change log — each past state one click from being restored.
import type { WarningView, WorkbenchApi } from '../../shared/api';
import type { ChangeLogEntry, FigureView } from '../../shared/domain';
import type { Catalog } from '../app/catalog';
import { citationLabel } from '../app/catalog';
import type { UndoHistory } from '../app/undo';
import { warningItem } from '../checks/warningActions';
import { emptyState, fill, h } from '../ui/dom';
import { formatNumber, formatQuantity, formatTime, QUALIFIER_LABELS, words } from '../ui/format';
import { showError, showStatus } from '../ui/status';
import { whereStated } from '../../shared/textNumbers';

export interface ProvenanceDeps {
  api: WorkbenchApi;
  catalog: Catalog;
  undo: UndoHistory;
  /** the figure changed here (reverted): the grid shows it as it is now */
  onChanged(figure: FigureView): void;
  retract(figure: FigureView): void;
  /** opens the citation's document in the reader (or asks for its text) */
  read(citationId: string): void;
}

const STAMPS = new Set(['created_at', 'created_by', 'updated_at', 'updated_by', 'id']);

export class ProvenancePanel {
  readonly element: HTMLElement;
  private readonly content: HTMLElement;
  private figure: FigureView | null = null;
  private sequence = 0;

  constructor(private readonly deps: ProvenanceDeps) {
    this.content = h('div', { class: 'panel-content' });
    this.element = h('aside', { class: 'provenance', 'aria-label': 'Provenance' }, h('h2', { class: 'panel-title' }, 'Provenance'), this.content);
    this.renderEmpty();
  }

  /** Shows a figure's provenance (null: what to do instead). */
  async show(figure: FigureView | null): Promise<void> {
    const sequence = ++this.sequence;
    this.figure = figure;
    if (!figure) return this.renderEmpty();
    let history: ChangeLogEntry[] = [];
    let warnings: WarningView[] = [];
    const checked = this.deps.api.listWarnings({ figure_id: figure.id, dismissed: true, counts: false, limit: 50 }).then(
      (list) => (warnings = list.warnings),
      (error) => showError(error, 'Warnings not loaded'),
    );
    try {
      history = await this.deps.api.history({ entity: 'figure', id: figure.id });
    } catch (error) {
      showError(error, 'History not loaded');
    }
    await checked;
    if (sequence !== this.sequence) return; // another figure was selected meanwhile
    this.render(figure, history, warnings);
  }

  refresh(): Promise<void> {
    return this.show(this.figure);
  }

  current(): FigureView | null {
    return this.figure;
  }

  private renderEmpty(): void {
    fill(
      this.content,
      emptyState(
        'No figure selected',
        'Click a figure (or move to it with the arrow keys) to see who claims it, where it was published, the words that state it, and every change made to it.',
      ),
    );
  }

  private render(f: FigureView, history: ChangeLogEntry[], warnings: WarningView[]): void {
    const { catalog } = this.deps;
    const metric = catalog.metric(f.metric_id);
    const source = catalog.source(f.source_id);
    const relayed = catalog.source(f.relayed_via_id);
    const citation = catalog.citation(f.citation_id);
    const batch = catalog.batch(f.import_batch_id);
    const retract = h('button', { type: 'button', class: 'danger', disabled: f.status === 'retracted' }, 'Retract…');
    retract.addEventListener('click', () => this.deps.retract(f));

    const dates = [f.as_of ? `as of ${f.as_of}` : null, f.period_start ? `period ${f.period_start}${f.period_end ? ` to ${f.period_end}` : ''}` : null]
      .filter(Boolean)
      .join(', ');
    fill(
      this.content,
      h(
        'section',
        { class: 'prov-head' },
        h('div', { class: 'prov-metric' }, metric?.label ?? f.metric, h('span', { class: `badge status-${f.status}` }, f.status)),
        h(
          'div',
          { class: 'prov-quantity', 'data-testid': 'provenance-quantity' },
          formatQuantity(f),
          h('span', { class: 'unit' }, metric?.unit ?? ''),
          f.vague_words
            ? h(
                'span',
                { class: 'prov-words', 'data-testid': 'provenance-words', title: 'The words the number was read from, by the rule table' },
                `“${f.vague_words}”`,
              )
            : null,
        ),
        h('div', { class: 'prov-meta' }, [f.location, dates, f.qualifier !== 'exact' ? QUALIFIER_LABELS[f.qualifier] : null].filter(Boolean).join(' · ')),
        f.status === 'retracted' ? h('p', { class: 'retracted-reason' }, `Retracted: ${f.retracted_reason ?? ''}`) : null,
      ),
      warnings.length
        ? section(
            'Checks',
            h(
              'ul',
              { class: 'warning-list compact', 'data-testid': 'provenance-warnings' },
              ...warnings.map((w) => warningItem({ ...this.deps, changed: () => void this.refresh() }, w)),
            ),
          )
        : null,
      section(
        'Claimant',
        h('div', { class: 'prov-strong' }, f.source, source?.short_name ? h('span', { class: 'muted' }, ` (${source.short_name})`) : null),
        h(
          'div',
          { class: 'muted' },
          [
            words(source?.kind),
            source?.party_to_conflict === 1 ? 'party to the conflict' : source?.party_to_conflict === 0 ? 'not a party to the conflict' : null,
          ]
            .filter(Boolean)
            .join(' · '),
        ),
        relayed
          ? h('div', {}, 'Relayed via ', h('strong', {}, relayed.name), relayed.kind ? h('span', { class: 'muted' }, ` (${words(relayed.kind)})`) : null)
          : null,
      ),
      section(
        'Citation',
        h('div', { class: 'prov-strong' }, citation ? citationLabel(citation) : (f.citation_title ?? '')),
        h(
          'div',
          { class: 'muted' },
          [
            citation?.publisher,
            citation?.published ? `published ${citation.published}` : null,
            citation?.accessed ? `accessed ${citation.accessed}` : null,
            citation?.language,
          ]
            .filter(Boolean)
            .join(' · '),
        ),
        citation?.url ? h('a', { href: citation.url, target: '_blank', rel: 'noopener noreferrer', class: 'prov-url' }, citation.url) : null,
        citation?.local_path ? h('div', { class: 'muted' }, `Local copy: ${citation.local_path}`) : null,
        this.readButton(f.citation_id, citation?.document_sha256 ?? null),
      ),
      section(
        'Excerpt',
        f.excerpt ? quote(f.excerpt, f) : h('p', { class: 'muted' }, 'No excerpt: add the sentence that states this figure (the Excerpt column).'),
      ),
      f.method || f.confidence || f.note
        ? section(
            'Method and notes',
            h('div', {}, [words(f.method), f.confidence ? `${f.confidence} confidence` : null].filter(Boolean).join(' · ')),
            f.note ? h('p', { class: 'prov-note' }, f.note) : null,
          )
        : null,
      f.import_batch_id
        ? section(
            'Import',
            h('div', {}, batch?.file_name ?? f.import_batch_id, f.import_row ? h('span', { class: 'muted' }, ` · row ${f.import_row}`) : null),
            batch ? h('div', { class: 'muted' }, `imported ${formatTime(batch.at)} by ${batch.by}`) : null,
          )
        : section('Import', h('div', { class: 'muted' }, 'Entered by hand, not imported.')),
      section('History', this.historyList(f, history)),
      h('div', { class: 'panel-actions' }, retract),
    );
  }

  private readButton(citationId: string, sha256: string | null): HTMLElement {
    const read = h(
      'button',
      {
        type: 'button',
        class: 'small',
        title: sha256 ? 'Open the text kept with this citation, its numbers highlighted' : "Keep the document's text with its citation",
      },
      sha256 ? 'Read the document' : 'Add its text…',
    );
    read.addEventListener('click', () => this.deps.read(citationId));
    return h('div', { class: 'prov-read' }, read);
  }

  private historyList(f: FigureView, history: ChangeLogEntry[]): HTMLElement {
    if (history.length === 0) return h('p', { class: 'muted' }, 'No history recorded.');
    const list = h('ol', { class: 'history', reversed: true });
    const newest = history.at(-1)!.id;
    const byId = new Map(history.map((e) => [e.id, e]));
    for (const entry of [...history].reverse()) {
      const revert =
        entry.after && entry.id !== newest
          ? h(
              'button',
              { type: 'button', class: 'small', title: 'Make the figure what it was right after this change (a new, logged change)' },
              'Revert to this',
            )
          : null;
      revert?.addEventListener('click', () => void this.revert(f, entry));
      list.append(
        h(
          'li',
          { class: `history-entry op-${entry.op}`, 'data-change-id': entry.id },
          h(
            'div',
            { class: 'history-head' },
            h('span', { class: `badge op-${entry.op}` }, reversal(entry, byId) ? `${entry.op} (${reversal(entry, byId)})` : entry.op),
            h('span', { class: 'muted' }, `#${entry.id} · ${formatTime(entry.at)} · ${entry.by}`),
            revert,
          ),
          entry.why ? h('div', { class: 'history-why' }, entry.why) : null,
          this.changes(entry),
        ),
      );
    }
    return list;
  }

  private changes(entry: ChangeLogEntry): HTMLElement | null {
    if (entry.op === 'insert') return h('div', { class: 'muted' }, entry.import_batch_id ? 'created by an import' : 'created');
    const before = entry.before ?? {};
    const after = entry.after ?? {};
    const keys = Object.keys({ ...before, ...after }).filter((k) => !STAMPS.has(k) && JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
    if (keys.length === 0) return null;
    return h(
      'ul',
      { class: 'history-changes' },
      ...keys.map((k) =>
        h(
          'li',
          {},
          h('span', { class: 'field-name' }, k.replace(/_id$/, '')),
          ' ',
          h('del', {}, this.show1(k, before[k])),
          ' → ',
          h('ins', {}, this.show1(k, after[k])),
        ),
      ),
    );
  }

  private show1(key: string, value: unknown): string {
    if (value === null || value === undefined || value === '') return '∅';
    const { catalog } = this.deps;
    if (key === 'metric_id') return catalog.metric(String(value))?.code ?? String(value);
    if (key === 'source_id' || key === 'relayed_via_id') return catalog.source(String(value))?.name ?? String(value);
    if (key === 'citation_id') return citationLabel(catalog.citation(String(value)) ?? { title: String(value), url: null });
    if (key === 'location_id') return catalog.location(String(value))?.name ?? String(value);
    if (typeof value === 'number') return formatNumber(value);
    const text = String(value);
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  }

  private async revert(f: FigureView, entry: ChangeLogEntry): Promise<void> {
    try {
      const result = await this.deps.api.revertFigure({ id: f.id, change_id: entry.id });
      this.deps.undo.record(result.txn, `revert of ${f.metric} to change #${entry.id}`);
      showStatus(`Reverted ${f.metric} to change #${entry.id}: now ${formatQuantity(result.value)}. Ctrl+Z undoes it.`, 'success');
      this.deps.onChanged(result.value);
      await this.show(result.value);
    } catch (error) {
      showError(error, 'Not reverted');
    }
  }
}

/** An undo, or a redo when the change it reverses was itself an undo (an undo of a redo is an undo again). The
 * changes it reverses are of the same figure, so they are in the same history. */
function reversal(entry: ChangeLogEntry, byId: Map<number, ChangeLogEntry>): 'undo' | 'redo' | null {
  let depth = 0;
  for (let e: ChangeLogEntry | undefined = entry; e?.undoes; e = byId.get(e.undoes)) depth += 1;
  return depth === 0 ? null : depth % 2 === 1 ? 'undo' : 'redo';
}

function section(title: string, ...children: Array<Node | null>): HTMLElement {
  return h('section', { class: 'prov-section' }, h('h3', {}, title), ...children);
}

/** The excerpt, with the figure's number marked where the text states it. */
function quote(excerpt: string, f: FigureView): HTMLElement {
  const block = h('blockquote', { class: 'excerpt' });
  const found = whereStated(excerpt, f);
  if (!found) {
    block.textContent = excerpt;
    return block;
  }
  const end = found.index + found.length;
  block.append(excerpt.slice(0, found.index), h('mark', {}, excerpt.slice(found.index, end)), excerpt.slice(end));
  return block;
}
