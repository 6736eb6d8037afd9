// How the analyst writes numbers when typing and pasting: 1,234.5 (the default) or 1.234,5. Kept in the browser's
// storage, like the grid's layout, so it stays the analyst's own habit across workbooks.
import { DEFAULT_NUMBER_FORMAT, NUMBER_FORMATS, type NumberFormat } from '../../shared/cells';
import { h } from './dom';

const KEY = 'figures-workbench.number-format';

export function numberFormat(): NumberFormat {
  const stored = globalThis.localStorage?.getItem(KEY);
  return (NUMBER_FORMATS as readonly string[]).includes(stored ?? '') ? (stored as NumberFormat) : DEFAULT_NUMBER_FORMAT;
}

const CHANGED = 'number-format-changed';

export function setNumberFormat(format: NumberFormat): void {
  globalThis.localStorage?.setItem(KEY, format);
  globalThis.dispatchEvent?.(new CustomEvent(CHANGED));
}

/** The toolbar's choice of number format. */
export function numberFormatSelect(onChange: (format: NumberFormat) => void = () => {}): HTMLElement {
  const choice = h('select', { 'aria-label': 'Number format for typing and pasting', title: 'How numbers you type or paste are read' });
  choice.append(...NUMBER_FORMATS.map((f) => h('option', { value: f }, `Numbers ${f}`)));
  choice.value = numberFormat();
  // a paste read again in the other format changes it too
  globalThis.addEventListener?.(CHANGED, () => (choice.value = numberFormat()));
  choice.addEventListener('change', () => {
    setNumberFormat(choice.value as NumberFormat);
    onChange(choice.value as NumberFormat);
  });
  return choice;
}
