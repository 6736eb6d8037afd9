// A few DOM helpers. Text always goes in as text (textContent), never as HTML: values in a workbook come from
// other people's files and must not become markup.

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

/** h('button', { class: 'primary', onclick: save }, 'Save') */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A <select> with its options; `value` is selected. */
export function select(options: Array<{ value: string; label: string }>, value: string, attributes: Attributes = {}): HTMLSelectElement {
  const element = h('select', attributes);
  for (const option of options) element.append(h('option', { value: option.value }, option.label));
  element.value = value;
  return element;
}

/** A labelled form field: <label><span>Label</span>control<small>hint</small></label> */
export function field(label: string, control: HTMLElement, hint?: string): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, hint ? h('small', { class: 'field-hint' }, hint) : null);
}

/** An empty state: what is missing and what to do about it. */
export function emptyState(title: string, ...what: Child[]): HTMLElement {
  return h('div', { class: 'empty-state' }, h('strong', {}, title), h('p', {}, ...what));
}

/** Input types that hold typed text, with their own undo; a checkbox, a radio or a button has none. */
const TEXT_INPUT_TYPES = new Set(['text', 'search', 'url', 'email', 'tel', 'password', 'number']);

/** A text box (its own undo and redo, Ctrl+Z and Ctrl+Y): a text input, a textarea, an editable element — not a select or a checkbox. */
export function isTextInput(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(target.type);
}
