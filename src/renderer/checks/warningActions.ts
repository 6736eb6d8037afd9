// A warning as the views show it (its kind, its one line, its figures) and what can be done with it: dismiss it
// with a reason, or open it again. Each is a logged write, recorded for undo.
import type { WarningView, WorkbenchApi } from '../../shared/api';
import { WARNING_LABELS } from '../../shared/warnings';
import type { UndoHistory } from '../app/undo';
import { askReason } from '../ui/dialog';
import { h } from '../ui/dom';
import { showError, showStatus } from '../ui/status';

export interface WarningContext {
  api: WorkbenchApi;
  undo: UndoHistory;
  /** after a dismissal or its reopening: the views read the warnings again */
  changed(): void;
}

export async function dismiss(ctx: WarningContext, warning: WarningView): Promise<void> {
  const reason = await askReason(`Dismiss: ${WARNING_LABELS[warning.kind]}`, `Why does this warning not need acting on? (${warning.message})`, 'Dismiss');
  if (!reason) return;
  try {
    const result = await ctx.api.dismissWarning({ kind: warning.kind, figure_ids: warning.figure_ids, reason });
    ctx.undo.record(result.txn, `dismissal of a warning (${WARNING_LABELS[warning.kind].toLowerCase()})`);
    showStatus('Warning dismissed, with its reason. Ctrl+Z undoes it.', 'success');
    ctx.changed();
  } catch (error) {
    showError(error, 'Not dismissed');
  }
}

export async function reopen(ctx: WarningContext, warning: WarningView): Promise<void> {
  if (!warning.dismissal) return;
  try {
    const result = await ctx.api.reopenWarning({ dismissal_id: warning.dismissal.id });
    ctx.undo.record(result.txn, 'reopening of a warning');
    showStatus('Warning open again. Ctrl+Z undoes it.', 'success');
    ctx.changed();
  } catch (error) {
    showError(error, 'Not opened again');
  }
}

/** One warning: its kind, its message, and (when dismissed) why; with its buttons. */
export function warningItem(ctx: WarningContext, warning: WarningView, extra: HTMLElement[] = []): HTMLElement {
  const action = warning.dismissal
    ? h('button', { type: 'button', class: 'small', 'data-action': 'reopen' }, 'Open again')
    : h('button', { type: 'button', class: 'small', 'data-action': 'dismiss' }, 'Dismiss…');
  action.addEventListener('click', () => void (warning.dismissal ? reopen(ctx, warning) : dismiss(ctx, warning)));
  return h(
    'li',
    { class: `warning${warning.dismissal ? ' dismissed' : ''}`, 'data-kind': warning.kind, 'data-figures': warning.figure_ids.join(' ') },
    h('span', { class: 'warning-kind' }, WARNING_LABELS[warning.kind]),
    h('span', { class: 'warning-message' }, warning.message),
    warning.dismissal ? h('span', { class: 'warning-dismissal muted' }, `Dismissed by ${warning.dismissal.by}: ${warning.dismissal.reason}`) : null,
    h('span', { class: 'warning-actions' }, ...extra, action),
  );
}
