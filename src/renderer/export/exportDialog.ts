// Export the figures on screen: the grid's filter as it is, with the BOM and HXL options, a progress bar and
// Cancel. In the desktop app a native save dialog names the file and the core writes it there, streaming; a
// browser has no paths, so there the CSV comes back as text and is saved as a download.
import type { WorkbenchApi } from '../../shared/api';
import type { DesktopFiles } from '../../shared/bridge';
import { WorkbenchError } from '../../shared/errors';
import type { FigureFilterInput } from '../../shared/schemas';
import { openDialog, progressBar } from '../ui/dialog';
import { h } from '../ui/dom';
import { downloadText, safeFileName } from '../ui/download';
import { formatBytes, formatNumber, today } from '../ui/format';
import { errorMessage, showStatus } from '../ui/status';

export function openExportDialog(api: WorkbenchApi, filter: NonNullable<FigureFilterInput>, description: string, files: DesktopFiles | null = null): void {
  let running: AbortController | null = null;
  const dialog = openDialog({ title: 'Export figures as CSV', name: 'export', onCancel: () => running === null });
  const bom = h('input', { type: 'checkbox', name: 'bom' });
  const hxl = h('input', { type: 'checkbox', name: 'hxl' });
  const name = h('input', { type: 'text', name: 'file-name', value: `figures-${today()}.csv`, 'aria-label': 'File name' });
  const progress = progressBar();
  progress.element.hidden = true;
  const result = h('p', { class: 'export-result', role: 'status' });
  // Counted from the filter itself, not from the grid, which may still be loading the last change to it.
  let shown = 0;
  const count = h('strong', {}, 'Counting…');
  void api.listFigures({ ...filter, limit: 1 }).then(
    (list) => {
      shown = list.total ?? 0;
      count.textContent = `${formatNumber(shown)} figure${shown === 1 ? '' : 's'}`;
    },
    () => (count.textContent = 'The figures'),
  );
  dialog.body.append(
    h('p', { class: 'export-scope' }, count, ` — ${description}.`),
    h(
      'p',
      { class: 'muted' },
      'Every provenance column is included (source, citation, URL, excerpt, ids). RFC 4180, UTF-8; cells a spreadsheet would run as formulas are neutralised.',
    ),
    h('label', { class: 'checkbox' }, bom, 'Byte-order mark (helps Excel on Windows read UTF-8)'),
    h('label', { class: 'checkbox' }, hxl, 'HXL hashtag row under the header (Humanitarian Exchange Language)'),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'File name'), name),
    progress.element,
    result,
  );
  const cancel = h('button', { type: 'button' }, 'Close');
  const go = h('button', { type: 'button', class: 'primary' }, 'Export');
  dialog.footer.append(cancel, go);
  cancel.addEventListener('click', () => (running ? running.abort() : dialog.close()));
  go.addEventListener('click', async () => {
    const fileName = `${safeFileName(name.value.replace(/\.csv$/i, ''))}.csv`;
    const path = files ? await files.chooseSavePath(fileName) : null;
    if (files && !path) return; // the save dialog was cancelled
    running = new AbortController();
    go.disabled = true;
    cancel.textContent = 'Cancel';
    progress.element.hidden = false;
    progress.update(0, shown || null, 'Exporting…');
    result.textContent = '';
    try {
      const exported = await api.exportCsv(
        { filter, options: { bom: bom.checked, hxl: hxl.checked }, to: path ? { path } : 'text' },
        {
          signal: running.signal,
          onProgress: (p) => progress.update(p.done, p.total, `Exporting: ${formatNumber(p.done)}${p.total ? ` of ${formatNumber(p.total)}` : ''} figures`),
        },
      );
      if (!path) downloadText(exported.text ?? '', fileName);
      result.textContent = `Exported ${formatNumber(exported.rows)} figures to ${path ?? fileName} (${formatBytes(exported.bytes)}, sha256 ${exported.sha256.slice(0, 12)}…).`;
      showStatus(result.textContent, 'success');
    } catch (error) {
      result.textContent = WorkbenchError.from(error).code === 'cancelled' ? 'Cancelled: no file was saved.' : `Not exported: ${errorMessage(error)}`;
    } finally {
      running = null;
      go.disabled = false;
      cancel.textContent = 'Close';
    }
  });
  go.focus();
}
