// A list of sources or citations: search, create, edit, and merge duplicates (the figures of the merged entries
// move to the one kept; the merge is one logged transaction that undo reverses).
import { openDialog } from '../ui/dialog';
import { emptyState, h } from '../ui/dom';
import { formatNumber } from '../ui/format';

export interface ListColumn<T> {
  header: string;
  cell: (item: T) => string | Node;
  numeric?: boolean;
}

export interface ListSpec<T> {
  title: string;
  noun: string;
  empty: string;
  columns: Array<ListColumn<T>>;
  items: () => T[];
  id: (item: T) => string;
  name: (item: T) => string;
  figures: (item: T) => number;
  /** entries with the same key are flagged as possible duplicates */
  duplicateKey: (item: T) => string;
  rowActions?: (item: T) => HTMLElement[];
  onNew: () => void;
  onEdit: (item: T) => void;
  onMerge: (keep: T, merge: T[], why: string) => Promise<boolean>;
}

/** Rows drawn at a time, and how far below the visible end of the list the next ones are drawn. */
const ROW_BATCH = 60;
const ROWS_AHEAD_PX = 600;

export class EntityList<T> {
  readonly element: HTMLElement;
  private readonly body = h('div', { class: 'list-body' });
  private readonly search = h('input', { type: 'search', placeholder: 'Search…', class: 'list-search' });
  private readonly mergeButton = h('button', { type: 'button', disabled: true, title: 'Tick two or more entries that name the same thing' }, 'Merge selected…');
  private readonly selected = new Set<string>();
  /** the rows of the last render: the entries that match the search, and how many of them are drawn */
  private shown: { items: T[]; keys: Map<string, number>; tbody: HTMLElement; drawn: number } | null = null;
  private spacer: HTMLElement = h('tr');

  constructor(private readonly spec: ListSpec<T>) {
    const add = h('button', { type: 'button', class: 'primary' }, `+ New ${spec.noun}`);
    add.addEventListener('click', () => spec.onNew());
    this.mergeButton.addEventListener('click', () => this.merge());
    this.search.addEventListener('input', () => this.render());
    let frame = 0;
    this.body.addEventListener(
      'scroll',
      () => {
        cancelAnimationFrame(frame);
        frame = requestAnimationFrame(() => this.drawMore());
      },
      { passive: true },
    );
    this.element = h(
      'section',
      { class: 'entity-list', 'data-list': spec.noun },
      h('header', { class: 'list-header' }, h('h2', {}, spec.title), this.search, this.mergeButton, add),
      this.body,
    );
    this.render();
  }

  render(): void {
    const all = this.spec.items();
    for (const id of [...this.selected]) if (!all.some((i) => this.spec.id(i) === id)) this.selected.delete(id);
    this.mergeButton.disabled = this.selected.size < 2;
    if (all.length === 0) {
      this.shown = null;
      this.body.replaceChildren(emptyState(`No ${this.spec.noun}s yet`, this.spec.empty));
      return;
    }
    const words = this.search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const items = all.filter((item) =>
      words.every(
        (w) =>
          this.spec.name(item).toLowerCase().includes(w) ||
          this.spec.columns.some((c) =>
            String(textOf(c.cell(item)))
              .toLowerCase()
              .includes(w),
          ),
      ),
    );
    const keys = new Map<string, number>();
    for (const item of all) keys.set(this.spec.duplicateKey(item), (keys.get(this.spec.duplicateKey(item)) ?? 0) + 1);
    const table = h(
      'table',
      { class: 'data-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { class: 'check' }, ''),
          ...this.spec.columns.map((c) => h('th', { class: c.numeric ? 'num' : '' }, c.header)),
          h('th', { class: 'num' }, 'Figures'),
          h('th', {}, ''),
        ),
      ),
    );
    const tbody = h('tbody');
    table.append(tbody);
    if (items.length === 0) {
      this.shown = null;
      this.body.replaceChildren(emptyState('Nothing matches', 'Clear the search to see every entry.'));
      return;
    }
    this.body.replaceChildren(table);
    this.spacer = h('tr', { class: 'list-spacer', 'aria-hidden': 'true' }, h('td', { colspan: String(this.spec.columns.length + 3) }));
    this.shown = { items, keys, tbody, drawn: 0 };
    tbody.append(this.spacer);
    this.drawMore();
  }

  /**
   * Draws the next rows while the end of what is drawn is on screen (or near it): thousands of citations are not
   * built at once, only as the list is scrolled to them. The spacer below keeps the scrollbar the whole list's size.
   */
  private drawMore(): void {
    const shown = this.shown;
    if (!shown) return;
    const near = () => this.spacer.getBoundingClientRect().top < this.body.getBoundingClientRect().bottom + ROWS_AHEAD_PX;
    do {
      const next = shown.items.slice(shown.drawn, shown.drawn + ROW_BATCH);
      if (next.length === 0) break;
      this.spacer.before(...next.map((item) => this.row(item, shown.keys)));
      shown.drawn += next.length;
      const first = shown.tbody.firstElementChild as HTMLElement | null;
      const rowHeight = first && first !== this.spacer ? first.getBoundingClientRect().height || 34 : 34;
      this.spacer.style.height = `${(shown.items.length - shown.drawn) * rowHeight}px`;
    } while (near());
    this.spacer.hidden = shown.drawn >= shown.items.length;
  }

  private row(item: T, keys: Map<string, number>): HTMLElement {
    const id = this.spec.id(item);
    const box = h('input', { type: 'checkbox', 'aria-label': `Select ${this.spec.name(item)}`, checked: this.selected.has(id) });
    box.addEventListener('change', () => {
      if (box.checked) this.selected.add(id);
      else this.selected.delete(id);
      this.mergeButton.disabled = this.selected.size < 2;
    });
    const edit = h('button', { type: 'button', class: 'small' }, 'Edit');
    edit.addEventListener('click', () => this.spec.onEdit(item));
    const duplicate = (keys.get(this.spec.duplicateKey(item)) ?? 0) > 1;
    const cells = this.spec.columns.map((c, i) =>
      h(
        'td',
        { class: c.numeric ? 'num' : '' },
        c.cell(item),
        i === 0 && duplicate
          ? h('span', { class: 'badge warn', title: 'Another entry has a very similar name: merge them if they are the same' }, 'possible duplicate')
          : null,
      ),
    );
    const row = h(
      'tr',
      { 'data-id': id },
      h('td', { class: 'check' }, box),
      ...cells,
      h('td', { class: 'num' }, formatNumber(this.spec.figures(item))),
      h('td', { class: 'row-actions' }, ...(this.spec.rowActions?.(item) ?? []), edit),
    );
    row.addEventListener('dblclick', () => this.spec.onEdit(item));
    return row;
  }

  private merge(): void {
    const items = this.spec.items().filter((i) => this.selected.has(this.spec.id(i)));
    if (items.length < 2) return;
    const dialog = openDialog({ title: `Merge ${items.length} ${this.spec.noun}s`, size: 'wide', name: 'merge' });
    // Keep the entry with the most figures by default: the one analysts already use.
    let keep = [...items].sort((a, b) => this.spec.figures(b) - this.spec.figures(a))[0] as T;
    const list = h('div', { class: 'merge-list' });
    for (const item of items) {
      const radio = h('input', { type: 'radio', name: 'keep', checked: item === keep });
      radio.addEventListener('change', () => (keep = item));
      list.append(
        h(
          'label',
          { class: 'merge-option' },
          radio,
          h('span', {}, h('strong', {}, this.spec.name(item)), h('span', { class: 'muted' }, ` — ${formatNumber(this.spec.figures(item))} figures`)),
        ),
      );
    }
    const why = h('input', { type: 'text', placeholder: 'Why (kept in the change log): e.g. same organisation, two spellings' });
    const go = h('button', { type: 'button', class: 'primary' }, 'Merge');
    const cancel = h('button', { type: 'button' }, 'Cancel');
    dialog.body.append(
      h('p', {}, `Keep one ${this.spec.noun}; the figures of the others move to it and the others are removed. Undo reverses the whole merge.`),
      list,
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Reason'), why),
    );
    dialog.footer.append(cancel, go);
    cancel.addEventListener('click', () => dialog.close());
    go.addEventListener('click', async () => {
      go.disabled = true;
      const merged = await this.spec.onMerge(
        keep,
        items.filter((i) => i !== keep),
        why.value.trim(),
      );
      go.disabled = false;
      if (merged) {
        this.selected.clear();
        dialog.close();
      }
    });
  }
}

function textOf(value: string | Node): string {
  return typeof value === 'string' ? value : (value.textContent ?? '');
}

/** "Gaza Ministry of Health" and "Gaza ministry of health." share a key; so do "MoH (Gaza)" and "moh gaza". */
export function looseKey(text: string | null | undefined): string {
  return (text ?? '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\b(the|of|for|and)\b/g, '')
    .replace(/[^a-z0-9]+/g, '');
}
