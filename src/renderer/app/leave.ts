// Typed but unsaved work is never dropped without asking. The desktop app's main process asks before the window
// closes or opens another workbook (a 'leave' app event), and the analyst answers in the app's own dialog; a
// browser page asks through beforeunload, the only way a page may.
import type { LeaveAction } from '../../shared/bridge';
import { openDialog } from '../ui/dialog';
import { h } from '../ui/dom';

const WHAT: Record<LeaveAction, { title: string; button: string }> = {
  close: { title: 'Close the window?', button: 'Discard and close' },
  open: { title: 'Open another workbook?', button: 'Discard and open another' },
  new: { title: 'Start a new workbook?', button: 'Discard and start a new one' },
};

/** Resolves true when the analyst chooses to drop `unsaved` (a description of it); Keep editing is the default. */
export function confirmDiscard(unsaved: string, action: LeaveAction): Promise<boolean> {
  return new Promise((resolve) => {
    const { title, button } = WHAT[action];
    const dialog = openDialog({ title, name: 'confirm-discard' });
    let discard = false;
    const keep = h('button', { class: 'primary', type: 'button' }, 'Keep editing');
    const drop = h('button', { class: 'danger', type: 'button' }, button);
    keep.addEventListener('click', () => dialog.close());
    drop.addEventListener('click', () => {
      discard = true;
      dialog.close();
    });
    dialog.body.append(
      h('p', {}, `Not saved yet: ${unsaved}.`),
      h('p', { class: 'muted' }, 'Keep editing to finish it (Enter saves the new figure), or discard it.'),
    );
    dialog.footer.append(drop, keep);
    void dialog.closed.then(() => resolve(discard));
    keep.focus();
  });
}

/** The answer to main's question, one dialog per question however often it is asked. */
export class LeaveGuard {
  private readonly asking = new Map<string, Promise<boolean>>();

  constructor(
    private readonly unsaved: () => string | null,
    private readonly answer: (request: string, leave: boolean) => Promise<void>,
  ) {}

  async ask(request: string, action: LeaveAction): Promise<void> {
    if (this.asking.has(request)) return;
    const work = this.unsaved();
    const question = work === null ? Promise.resolve(true) : confirmDiscard(work, action);
    this.asking.set(request, question);
    try {
      await this.answer(request, await question);
    } finally {
      this.asking.delete(request);
    }
  }

  /** A browser page: the browser's own prompt before the page is closed or reloaded with typed work. */
  guardUnload(): void {
    window.addEventListener('beforeunload', (event) => {
      if (this.unsaved() === null) return;
      event.preventDefault();
      event.returnValue = ''; // older Chromium needs it set to show the prompt
    });
  }
}
