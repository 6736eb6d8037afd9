// The filter over the figures grid: one FigureFilter, used for what the grid shows and, unchanged, for what the
// export writes — so an export is exactly the figures on screen (and equals the CLI's export with the same filter).
import { STATUSES, type Status } from '../../shared/domain';
import type { FigureFilterInput } from '../../shared/schemas';
import type { Catalog } from '../app/catalog';
import { citationLabel } from '../app/catalog';
import { h, select } from '../ui/dom';
import { readClaimDate } from '../../shared/cells';

const SEARCH_PAUSE_MS = 100;

export class FilterBar {
  readonly element: HTMLElement;
  private readonly search = h('input', {
    type: 'search',
    class: 'filter-search',
    placeholder: 'Search excerpts, notes, names…',
    title:
      'Search excerpts, notes, metrics (code or label), sources and relayed-via sources (name or short name), citations (title, publisher, URL) and places',
    'aria-label': 'Search figures',
  });
  private readonly metric = h('select', { 'aria-label': 'Metric' });
  private readonly source = h('select', { 'aria-label': 'Source' });
  private readonly location = h('select', { 'aria-label': 'Location' });
  private readonly status = select([{ value: '', label: 'Any status' }, ...STATUSES.map((s) => ({ value: s, label: s }))], '', { 'aria-label': 'Status' });
  // Placeholders in words, not sample dates: a sample date in a date box reads as a date already filled in.
  private readonly from = h('input', {
    type: 'text',
    class: 'date-input',
    placeholder: 'From date',
    title: 'From this date (YYYY-MM-DD, YYYY-MM or YYYY)',
    'aria-label': 'From date',
  });
  private readonly to = h('input', {
    type: 'text',
    class: 'date-input',
    placeholder: 'To date',
    title: 'Up to this date (YYYY-MM-DD, YYYY-MM or YYYY)',
    'aria-label': 'To date',
  });
  private readonly retracted = h('input', { type: 'checkbox', 'aria-label': 'Show retracted figures' });
  private readonly citationChip = h('span', { class: 'chip', hidden: true });
  private citationId: string | null = null;
  /** only these figures (a warning's, opened from the Checks view), with what they are */
  private figures: { ids: string[]; label: string } | null = null;
  private readonly figuresChip = h('span', { class: 'chip', hidden: true, 'data-chip': 'figures' });
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly catalog: Catalog) {
    const clear = h('button', { type: 'button', class: 'link-button', title: 'Show every figure' }, 'Clear filters');
    clear.addEventListener('click', () => this.clear());
    this.element = h(
      'div',
      { class: 'filter-bar', role: 'search' },
      this.search,
      this.metric,
      this.source,
      this.location,
      this.status,
      this.from,
      this.to,
      h('label', { class: 'checkbox' }, this.retracted, 'Retracted'),
      this.citationChip,
      this.figuresChip,
      clear,
    );
    // a pause between keystrokes, not one query per letter; short, as the grid narrows the rows it holds at once.
    // Words that arrive at once (pasted, dropped, an autocompletion) are the whole search: no pause.
    this.search.addEventListener('input', (event) => {
      const input = event as InputEvent;
      const whole = input.inputType === 'insertFromPaste' || input.inputType === 'insertFromDrop' || (input.data?.length ?? 0) > 1;
      this.changed(whole ? 0 : SEARCH_PAUSE_MS);
    });
    for (const control of [this.metric, this.source, this.location, this.status, this.retracted]) control.addEventListener('change', () => this.changed());
    for (const date of [this.from, this.to]) date.addEventListener('input', () => this.changed(400));
    catalog.onChange(() => this.fillLists());
    this.fillLists();
  }

  private fillLists(): void {
    const keep = (element: HTMLSelectElement, options: Array<{ value: string; label: string }>) => {
      const value = element.value;
      element.replaceChildren(...options.map((o) => h('option', { value: o.value }, o.label)));
      element.value = options.some((o) => o.value === value) ? value : '';
    };
    keep(this.metric, [{ value: '', label: 'All metrics' }, ...this.catalog.metrics.map((m) => ({ value: m.code, label: m.label }))]);
    keep(this.source, [{ value: '', label: 'All sources' }, ...this.catalog.sources.map((s) => ({ value: s.name, label: s.name }))]);
    keep(this.location, [{ value: '', label: 'All locations' }, ...this.catalog.locations.map((l) => ({ value: l.name, label: l.name }))]);
    this.showCitation();
  }

  /** Only the figures of one citation (entering an article's figures), or all again with null. */
  setCitation(id: string | null): void {
    this.citationId = id;
    this.showCitation();
    this.changed();
  }

  private showCitation(): void {
    const citation = this.catalog.citation(this.citationId);
    this.citationChip.hidden = !citation;
    if (!citation) return;
    const remove = h(
      'button',
      { type: 'button', class: 'chip-remove', 'aria-label': 'Show figures of every citation', title: 'Show figures of every citation' },
      '×',
    );
    remove.addEventListener('click', () => this.setCitation(null));
    this.citationChip.replaceChildren(h('span', { class: 'chip-text', title: citationLabel(citation) }, `Citation: ${citationLabel(citation)}`), remove);
  }

  /** Only these figures (those of a warning), or all again with null. The rest of the filter still applies. */
  setFigures(figures: { ids: string[]; label: string } | null): void {
    this.figures = figures ? { ids: figures.ids.slice(0, 1000), label: figures.label } : null;
    this.figuresChip.hidden = !figures;
    if (figures) {
      const remove = h('button', { type: 'button', class: 'chip-remove', 'aria-label': 'Show every figure again', title: 'Show every figure again' }, '×');
      remove.addEventListener('click', () => this.setFigures(null));
      const n = this.figures!.ids.length;
      this.figuresChip.replaceChildren(h('span', { class: 'chip-text' }, `${n} figure${n === 1 ? '' : 's'}: ${figures.label}`), remove);
    }
    this.changed();
  }

  /** Only the figures dated from `from` to `to` ('' for no bound); `notify: false` when the caller loads itself. */
  setDates(from: string, to: string, notify = true): void {
    this.from.value = from;
    this.to.value = to;
    if (notify) this.changed();
  }

  clear(): void {
    this.search.value = '';
    for (const element of [this.metric, this.source, this.location, this.status]) element.value = '';
    this.from.value = '';
    this.to.value = '';
    this.retracted.checked = false;
    this.citationId = null;
    this.showCitation();
    this.figures = null;
    this.figuresChip.hidden = true;
    this.changed();
  }

  focusSearch(): void {
    this.search.focus();
    this.search.select();
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  private changed(delay = 0): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      for (const listener of this.listeners) listener();
    }, delay);
  }

  /** The filter as the API takes it; a date that cannot be read is marked and left out. */
  filter(): NonNullable<FigureFilterInput> {
    const filter: NonNullable<FigureFilterInput> = {};
    const search = this.search.value.trim();
    if (search) filter.search = search;
    if (this.metric.value) filter.metric = [this.metric.value];
    if (this.source.value) filter.source = [this.source.value];
    if (this.location.value) filter.location = [this.location.value];
    if (this.status.value) filter.status = [this.status.value as Status];
    if (this.citationId) filter.citation_id = this.citationId;
    if (this.figures) filter.ids = this.figures.ids;
    for (const [input, key] of [
      [this.from, 'from'],
      [this.to, 'to'],
    ] as const) {
      const parsed = readClaimDate(input.value);
      input.classList.toggle('invalid', !parsed.ok);
      input.dataset.hint ??= input.title;
      input.title = parsed.ok ? input.dataset.hint : parsed.reason;
      if (parsed.ok && parsed.value) filter[key] = parsed.value;
    }
    if (this.retracted.checked) filter.include_retracted = true;
    return filter;
  }
}

/** The filter in words, for the export dialog: "metric killed_total · from 2024-01-01 · retracted included". */
export function describeFilter(filter: NonNullable<FigureFilterInput>, catalog: Catalog): string {
  const parts: string[] = [];
  if (filter.metric?.length) parts.push(`metric ${filter.metric.join(', ')}`);
  if (filter.source?.length) parts.push(`source ${filter.source.join(', ')}`);
  if (filter.location?.length) parts.push(`location ${filter.location.join(', ')}`);
  if (filter.citation_id) parts.push(`citation “${citationLabel(catalog.citation(filter.citation_id) ?? { title: filter.citation_id, url: null })}”`);
  if (filter.status?.length) parts.push(`status ${filter.status.join(', ')}`);
  if (filter.from) parts.push(`from ${filter.from}`);
  if (filter.to) parts.push(`to ${filter.to}`);
  if (filter.search) parts.push(`matching “${filter.search}”`);
  if (filter.ids) parts.push(`${filter.ids.length} chosen figure${filter.ids.length === 1 ? '' : 's'}`);
  if (filter.include_retracted) parts.push('retracted included');
  return parts.length ? parts.join(' · ') : 'all figures (retracted ones left out)';
}
