// The Checks view: how many warnings of each kind the checks found, and the warnings themselves, a page at a time;
// each opens its figures in the grid, and can be dismissed with a reason (or opened again).
import type { WarningCount, WarningView } from '../../shared/api';
import { WARNING_LABELS, type WarningKind } from '../../shared/warnings';
import { emptyState, fill, h } from '../ui/dom';
import { formatNumber } from '../ui/format';
import { showError } from '../ui/status';
import { type WarningContext, warningItem } from './warningActions';

const PAGE = 100;

export interface ChecksDeps extends Omit<WarningContext, 'changed'> {
  /** shows these figures in the Figures view */
  openFigures(ids: string[], label: string): void;
}

export class ChecksView {
  readonly element: HTMLElement;
  private readonly kinds = h('div', { class: 'check-kinds', role: 'group', 'aria-label': 'Kinds of warning' });
  private readonly list = h('ul', { class: 'warning-list', 'aria-label': 'Warnings' });
  private readonly more = h('button', { type: 'button', hidden: true }, 'Show more');
  private readonly dismissed = h('input', { type: 'checkbox', name: 'dismissed' });
  private readonly summary = h('p', { class: 'check-summary', 'aria-live': 'polite' });
  private kind: WarningKind | null = null;
  private shown = 0;
  private sequence = 0;
  /** read again when next shown: a write happened while the view was hidden */
  private stale = true;

  constructor(private readonly deps: ChecksDeps) {
    this.element = h(
      'section',
      { class: 'view checks-view', 'data-view': 'checks', hidden: true },
      h(
        'div',
        { class: 'toolbar' },
        h('h2', { class: 'view-title' }, 'Checks'),
        this.summary,
        h('label', { class: 'checkbox' }, this.dismissed, 'Show dismissed'),
      ),
      this.kinds,
      this.list,
      this.more,
    );
    this.dismissed.addEventListener('change', () => void this.load());
    this.more.addEventListener('click', () => void this.load(true));
    deps.undo.onChange(() => {
      if (this.element.hidden) this.stale = true;
      else void this.load();
    });
  }

  /** Shown: read again if anything was written since. */
  open(): Promise<void> {
    if (!this.stale) return Promise.resolve();
    return this.load();
  }

  async load(more = false): Promise<void> {
    const sequence = ++this.sequence;
    this.stale = false;
    try {
      const result = await this.deps.api.listWarnings({
        kind: this.kind ?? undefined,
        dismissed: this.dismissed.checked,
        offset: more ? this.shown : 0,
        limit: PAGE,
      });
      if (sequence !== this.sequence) return;
      this.showKinds(result.counts);
      if (!more) this.list.replaceChildren();
      this.shown = (more ? this.shown : 0) + result.warnings.length;
      for (const warning of result.warnings) this.list.append(this.item(warning));
      if (result.total === 0) fill(this.list, emptyState('No warnings', this.kind ? 'None of this kind.' : 'The checks find nothing to look at twice.'));
      this.more.hidden = this.shown >= result.total;
      this.more.textContent = `Show more (${formatNumber(result.total - this.shown)} left)`;
    } catch (error) {
      showError(error, 'Warnings not loaded');
    }
  }

  private showKinds(counts: WarningCount[]): void {
    const open = counts.reduce((n, c) => n + c.open, 0);
    const dismissed = counts.reduce((n, c) => n + c.dismissed, 0);
    this.summary.textContent = `${formatNumber(open)} warning${open === 1 ? '' : 's'}${dismissed ? `, ${formatNumber(dismissed)} dismissed` : ''}. Warnings never block: each says why a figure may need a second look.`;
    const all = this.kindButton(null, 'All kinds', open);
    this.kinds.replaceChildren(all, ...counts.map((c) => this.kindButton(c.kind, WARNING_LABELS[c.kind], c.open, c.dismissed)));
  }

  private kindButton(kind: WarningKind | null, label: string, open: number, dismissed = 0): HTMLButtonElement {
    const button = h(
      'button',
      {
        type: 'button',
        class: `check-kind${this.kind === kind ? ' active' : ''}`,
        'data-kind': kind ?? 'all',
        'aria-pressed': String(this.kind === kind),
        title: kind ? `${kind}${dismissed ? ` (${dismissed} dismissed)` : ''}` : 'Every kind',
        disabled: kind !== null && open === 0 && dismissed === 0,
      },
      h('span', { class: 'check-kind-label' }, label),
      h('span', { class: 'check-kind-count' }, formatNumber(open)),
    );
    button.addEventListener('click', () => {
      this.kind = kind;
      void this.load();
    });
    return button;
  }

  private item(warning: WarningView): HTMLElement {
    const open = h(
      'button',
      { type: 'button', class: 'small', 'data-action': 'open' },
      warning.figure_ids.length === 1 ? 'Show figure' : `Show ${warning.figure_ids.length} figures`,
    );
    open.addEventListener('click', () => this.deps.openFigures(warning.figure_ids, WARNING_LABELS[warning.kind]));
    const item = warningItem({ ...this.deps, changed: () => void this.load() }, warning, [open]);
    item.addEventListener('dblclick', () => this.deps.openFigures(warning.figure_ids, WARNING_LABELS[warning.kind]));
    return item;
  }
}
