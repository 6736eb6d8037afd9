// File ▸ Merge a Workbook…: another analyst's workbook file, merged change by change into this one (mergeWorkbook),
// and what it did: transactions applied, already here, unchanged; conflicts; entities matched; possible duplicates.
// The desktop app picks the file with a native dialog; a browser page has no file paths, so it takes one typed.
import type { MergeReport } from '../../shared/api';
import type { DesktopFiles } from '../../shared/bridge';
import { openDialog } from '../ui/dialog';
import { field, h } from '../ui/dom';
import { errorMessage, showStatus } from '../ui/status';
import { aliasesList, conflictsLine, duplicatesList, plural, type ReportContext } from './report';

export function openMergeDialog(context: ReportContext, files: DesktopFiles | null): void {
  let running = false;
  const dialog = openDialog({ title: 'Merge a workbook', name: 'merge-workbook', size: 'wide', onCancel: () => !running });
  const ctx: ReportContext = {
    ...context,
    openConflicts: () => {
      dialog.close();
      context.openConflicts();
    },
  };
  const path = h('input', { type: 'text', name: 'from', spellcheck: 'false', placeholder: '/path/to/colleague.fwb', 'aria-label': 'Workbook to merge from' });
  const choose = h('button', { type: 'button' }, 'Choose…');
  choose.addEventListener('click', async () => {
    const chosen = await files?.chooseWorkbookPath();
    if (chosen) path.value = chosen;
  });
  const report = h('div', { class: 'merge-report', role: 'status' });
  dialog.body.append(
    h(
      'p',
      { class: 'muted' },
      "Every change of the other workbook's change log that this one lacks is applied, under its own author, time and reason. Where both changed the same thing, both versions are kept as a conflict for you to settle.",
    ),
    h('div', { class: 'path-row' }, field('Workbook file', path), files ? choose : null),
    report,
  );
  const close = h('button', { type: 'button' }, 'Close');
  const go = h('button', { type: 'button', class: 'primary' }, 'Merge');
  dialog.footer.append(close, go);
  close.addEventListener('click', () => dialog.close());
  const run = async () => {
    const from = path.value.trim();
    if (!from) {
      report.replaceChildren(h('p', { class: 'form-error' }, 'Give the path of the workbook to merge from.'));
      return path.focus();
    }
    running = true;
    go.disabled = true;
    close.disabled = true;
    report.replaceChildren(h('p', {}, `Merging ${from}…`));
    try {
      const merged = await ctx.api.mergeWorkbook({ from });
      report.replaceChildren(...mergeReport(ctx, merged));
      showStatus(`Merged ${merged.from}: ${plural(merged.applied, 'transaction')} applied, ${plural(merged.conflicts, 'conflict')}.`, 'success');
      await ctx.changed();
    } catch (error) {
      report.replaceChildren(h('p', { class: 'form-error' }, `Not merged: ${errorMessage(error)}`));
    } finally {
      running = false;
      go.disabled = false;
      close.disabled = false;
    }
  };
  go.addEventListener('click', () => void run());
  path.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void run();
    }
  });
  if (files) choose.focus();
  else path.focus();
}

function mergeReport(ctx: ReportContext, merged: MergeReport): HTMLElement[] {
  return [
    h('h3', {}, `Merged from ${merged.from}`),
    h(
      'ul',
      { class: 'report-counts' },
      h('li', { 'data-count': 'applied' }, `${plural(merged.applied, 'transaction')} applied (${plural(merged.changes, 'change')})`),
      h('li', { 'data-count': 'skipped' }, `${plural(merged.skipped, 'transaction')} already here (skipped)`),
      h('li', { 'data-count': 'unchanged' }, `${plural(merged.unchanged, 'transaction')} unchanged (this workbook held them already, or they only conflicted)`),
    ),
    conflictsLine(ctx, merged.conflicts),
    aliasesList(ctx, merged.aliases),
    duplicatesList(ctx, merged.duplicates),
  ].filter((e): e is HTMLElement => e !== null);
}
