// The grid's cell editors, built for the keyboard: a choice list that filters as you type (metric, source,
// citation, location, qualifier, status…) with "New …" for a name the workbook lacks, and a text editor for
// numbers, ranges, dates and words. Each returns an EditResult; the grid reads and checks it (figuresGrid.ts).
import type { ICellEditorComp, ICellEditorParams } from 'ag-grid-community';
import type { Option } from '../app/catalog';
import { h } from '../ui/dom';
import type { GridRow } from './rows';

export type EditResult = { kind: 'text'; text: string } | { kind: 'choice'; value: string | null } | { kind: 'unknown'; text: string };

/** A printable key that started the edit: it replaces the cell's text, as in a spreadsheet. */
function typedKey(params: ICellEditorParams): string | null {
  const key = params.eventKey;
  return key && key.length === 1 ? key : null;
}

export interface ChoiceEditorParams {
  options: () => Option[];
  current: (row: GridRow) => string | null;
  /** an optional column: an empty cell clears it */
  allowEmpty: boolean;
  /** a column whose list the analyst can add to from here */
  create?: { noun: string; run: (text: string, row: GridRow, rowPinned: string | null | undefined) => void };
}

type Item = { option: Option } | { create: string };

export class ChoiceEditor implements ICellEditorComp<GridRow, EditResult> {
  private params!: ICellEditorParams<GridRow, EditResult> & ChoiceEditorParams;
  private root!: HTMLElement;
  private input!: HTMLInputElement;
  private list!: HTMLElement;
  private items: Item[] = [];
  private active = 0;
  private edited = false;
  private current: string | null = null;

  init(params: ICellEditorParams<GridRow, EditResult> & ChoiceEditorParams): void {
    this.params = params;
    this.current = params.current(params.data);
    const currentLabel = params.options().find((o) => o.value === this.current)?.label ?? '';
    const typed = typedKey(params);
    this.edited = typed !== null;
    this.input = h('input', { type: 'text', class: 'choice-input', spellcheck: 'false', autocomplete: 'off', 'aria-autocomplete': 'list' });
    this.input.value = typed ?? currentLabel;
    this.list = h('ul', { class: 'choice-list', role: 'listbox' });
    this.root = h('div', { class: 'choice-editor' }, this.input, this.list);
    this.input.addEventListener('input', () => {
      this.edited = true;
      this.render();
    });
    this.input.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.list.addEventListener('mousedown', (event) => {
      const item = (event.target as HTMLElement).closest('li');
      if (!item) return;
      event.preventDefault();
      this.active = Number(item.dataset.index);
      this.edited = true;
      if (!this.chooseCreate()) this.params.stopEditing();
    });
    this.render();
  }

  getGui(): HTMLElement {
    return this.root;
  }

  afterGuiAttached(): void {
    this.input.focus();
    if (!this.edited) this.input.select();
    else this.input.setSelectionRange(this.input.value.length, this.input.value.length);
  }

  isPopup(): boolean {
    return true;
  }

  isCancelAfterEnd(): boolean {
    return !this.edited;
  }

  getValue(): EditResult {
    const text = this.input.value.trim();
    if (text === '') return { kind: 'choice', value: null };
    const item = this.items[this.active];
    if (item && 'option' in item) return { kind: 'choice', value: item.option.value };
    return { kind: 'unknown', text };
  }

  private matches(): Option[] {
    const options = this.params.options();
    const text = this.input.value.trim().toLowerCase();
    if (!this.edited || text === '') return options;
    // "killed_civ" finds "killed_civilian" and "Civilians killed": underscores read as spaces
    const spaced = (s: string) => s.replace(/_/g, ' ');
    const tokens = text.split(/\s+/);
    const scored: Array<{ option: Option; score: number }> = [];
    for (const option of options) {
      const names = [option.label, option.detail ?? ''].map((n) => n.toLowerCase());
      // the label and the detail apart: a word typed must not match across the two
      const haystack = names.flatMap((n) => [n, spaced(n)]).join('\u0000');
      if (!tokens.every((t) => haystack.includes(t) || haystack.includes(spaced(t)))) continue;
      const score = names.includes(text) ? 0 : names.some((n) => n.startsWith(text) || spaced(n).startsWith(spaced(text))) ? 1 : 2;
      scored.push({ option, score });
    }
    return scored.sort((a, b) => a.score - b.score).map((s) => s.option);
  }

  private render(): void {
    const found = this.matches();
    const text = this.input.value.trim();
    this.items = found.slice(0, 60).map((option) => ({ option }));
    const exact = found.some((o) => [o.label, o.detail].some((name) => name?.toLowerCase() === text.toLowerCase()));
    if (this.params.create && this.edited && text && !exact) this.items.push({ create: text });
    this.active = this.edited
      ? 0
      : Math.max(
          0,
          this.items.findIndex((i) => 'option' in i && i.option.value === this.current),
        );
    this.list.replaceChildren(
      ...this.items.map((item, index) =>
        'option' in item
          ? h(
              'li',
              { role: 'option', 'data-index': index, 'data-value': item.option.value },
              h('span', {}, item.option.label),
              item.option.detail ? h('small', {}, item.option.detail) : null,
            )
          : h('li', { role: 'option', class: 'choice-create', 'data-index': index }, `+ New ${this.params.create!.noun} “${item.create}”…`),
      ),
    );
    if (this.items.length === 0)
      this.list.append(h('li', { class: 'choice-none' }, this.params.allowEmpty ? 'No match — Enter leaves the cell empty' : 'No match'));
    this.highlight();
  }

  private highlight(): void {
    for (const li of this.list.querySelectorAll('li[data-index]')) {
      const on = Number((li as HTMLElement).dataset.index) === this.active;
      li.classList.toggle('active', on);
      li.setAttribute('aria-selected', String(on));
      if (on) li.scrollIntoView({ block: 'nearest' });
    }
  }

  private onKeyDown(event: KeyboardEvent): void {
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 8, PageUp: -8 }[event.key];
    if (step !== undefined) {
      event.preventDefault();
      event.stopPropagation();
      this.edited = true;
      this.active = Math.max(0, Math.min(this.items.length - 1, this.active + step));
      this.highlight();
      return;
    }
    if ((event.key === 'Enter' || event.key === 'Tab') && this.chooseCreate()) {
      event.preventDefault();
      event.stopPropagation();
    }
    // Home/End and left/right move in the text, not across cells.
    if (['Home', 'End', 'ArrowLeft', 'ArrowRight'].includes(event.key)) event.stopPropagation();
  }

  /** The "New …" item is active: leave the cell as it was and open the form for the new entry. */
  private chooseCreate(): boolean {
    const item = this.items[this.active];
    if (!item || !('create' in item) || !this.params.create) return false;
    const { data, node } = this.params;
    this.edited = false;
    this.params.api.stopEditing(true);
    this.params.create.run(item.create, data, node.rowPinned);
    return true;
  }
}

export interface TextEditorParams {
  text: (row: GridRow) => string;
  placeholder?: string;
  /** a popup textarea (excerpts, notes): Enter saves, Shift+Enter starts a new line */
  multiline?: boolean;
  inputMode?: 'numeric' | 'text';
}

export class TextEditor implements ICellEditorComp<GridRow, EditResult> {
  private params!: ICellEditorParams<GridRow, EditResult> & TextEditorParams;
  private input!: HTMLInputElement | HTMLTextAreaElement;
  private initial = '';
  private typed = false;

  init(params: ICellEditorParams<GridRow, EditResult> & TextEditorParams): void {
    this.params = params;
    this.initial = params.text(params.data);
    const typed = typedKey(params);
    this.typed = typed !== null;
    this.input = params.multiline
      ? h('textarea', { class: 'text-editor multiline', rows: 5, placeholder: params.placeholder ?? null })
      : h('input', {
          type: 'text',
          class: 'text-editor',
          placeholder: params.placeholder ?? null,
          inputmode: params.inputMode ?? null,
          spellcheck: 'false',
          autocomplete: 'off',
        });
    this.input.value = typed ?? this.initial;
    this.input.addEventListener('keydown', (event) => {
      const e = event as KeyboardEvent;
      if (['Home', 'End', 'ArrowLeft', 'ArrowRight'].includes(e.key)) e.stopPropagation();
      if (params.multiline && (e.key === 'ArrowUp' || e.key === 'ArrowDown' || (e.key === 'Enter' && e.shiftKey))) e.stopPropagation();
    });
  }

  getGui(): HTMLElement {
    return this.input;
  }

  afterGuiAttached(): void {
    this.input.focus();
    // a key typed replaces the text; F2 edits it, the caret at its end (as in a spreadsheet); Enter selects it all
    if (this.typed || this.params.eventKey === 'F2') this.input.setSelectionRange(this.input.value.length, this.input.value.length);
    else this.input.select();
  }

  isPopup(): boolean {
    return this.params.multiline === true;
  }

  isCancelAfterEnd(): boolean {
    return this.input.value === this.initial;
  }

  getValue(): EditResult {
    return { kind: 'text', text: this.input.value };
  }
}
