// Modal dialogs on the native <dialog> element: focus stays inside, Esc closes, the page behind is inert.
import { h } from './dom';

export interface DialogHandle {
  element: HTMLDialogElement;
  body: HTMLElement;
  footer: HTMLElement;
  close(): void;
  /** resolves when the dialog closes, however it closed */
  closed: Promise<void>;
}

export interface DialogOptions {
  title: string;
  /** wide dialogs: the import wizard, merge lists */
  size?: 'normal' | 'wide';
  /** name for tests and assistive technology */
  name?: string;
  /** return false to keep the dialog open (e.g. while a task runs) */
  onCancel?: () => boolean;
}

export function openDialog(options: DialogOptions): DialogHandle {
  const body = h('div', { class: 'dialog-body' });
  const footer = h('footer', { class: 'dialog-footer' });
  const closeButton = h('button', { class: 'icon-button', type: 'button', 'aria-label': 'Close', title: 'Close (Esc)' }, '×');
  const heading = h('h2', {}, options.title);
  const element = h(
    'dialog',
    { class: `dialog dialog-${options.size ?? 'normal'}`, 'data-dialog': options.name ?? null, 'aria-label': options.title },
    h('header', { class: 'dialog-header' }, heading, closeButton),
    body,
    footer,
  );
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const close = () => {
    if (element.open) element.close();
  };
  element.addEventListener('cancel', (event) => {
    if (options.onCancel && options.onCancel() === false) event.preventDefault();
  });
  closeButton.addEventListener('click', () => {
    if (options.onCancel?.() !== false) close();
  });
  element.addEventListener('close', () => {
    element.remove();
    resolveClosed();
  });
  document.body.append(element);
  element.showModal();
  return { element, body, footer, close, closed };
}

/** Asks for a reason (retracting, merging): resolves with the text, or null if cancelled. */
export function askReason(title: string, prompt: string, action: string): Promise<string | null> {
  return new Promise((resolve) => {
    const dialog = openDialog({ title, name: 'reason' });
    const input = h('textarea', { rows: 3, required: true, 'aria-label': prompt, placeholder: prompt });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const ok = h('button', { class: 'primary', type: 'button' }, action);
    const cancel = h('button', { type: 'button' }, 'Cancel');
    let answer: string | null = null;
    dialog.body.append(h('p', {}, prompt), input, error);
    dialog.footer.append(cancel, ok);
    const submit = () => {
      const text = input.value.trim();
      if (!text) {
        error.textContent = 'A reason is required: it is kept in the change log.';
        input.focus();
        return;
      }
      answer = text;
      dialog.close();
    };
    ok.addEventListener('click', submit);
    cancel.addEventListener('click', () => dialog.close());
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        submit();
      }
    });
    void dialog.closed.then(() => resolve(answer));
    input.focus();
  });
}

/** A progress bar with a label: done/total, or an indeterminate bar while the total is unknown. */
export function progressBar(): { element: HTMLElement; update(done: number, total: number | null, label: string): void } {
  const bar = h('progress', { max: 1 });
  const label = h('span', { class: 'progress-label' });
  const element = h('div', { class: 'progress' }, bar, label);
  return {
    element,
    update(done, total, text) {
      if (total && total > 0) {
        bar.max = total;
        bar.value = Math.min(done, total);
      } else {
        bar.removeAttribute('value');
      }
      label.textContent = text;
    },
  };
}
