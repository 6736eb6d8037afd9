// Export the figures on screen: the grid's filter as it is, with the BOM and HXL options, a progress bar and
// Cancel; the CSV comes back as text and is saved as a download (in a browser and in the desktop app alike).
import type { WorkbenchApi } from '../../shared/api';
import { WorkbenchError } from '../../shared/errors';
import type { FigureFilterInput } from '../../shared/schemas';
import { openDialog, progressBar } from '../ui/dialog';
import { h } from '../ui/dom';
import { downloadText, safeFileName } from '../ui/download';
import { formatBytes, formatNumber, today } from '../ui/format';
import { errorMessage, showStatus } from '../ui/status';

export function openExportDialog(api: WorkbenchApi, filter: NonNullable<FigureFilterInput>, description: string): void {
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
    h('p', { class: 'muted' }, 'Every provenance column is included (source, citation, URL, excerpt, ids). RFC 4180, UTF-8; cells a spreadsheet would run as formulas are neutralised.'),
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
    running = new AbortController();
    go.disabled = true;
    cancel.textContent = 'Cancel';
    progress.element.hidden = false;
    progress.update(0, shown || null, 'Exporting…');
    result.textContent = '';
    try {
      const exported = await api.exportCsv(
        { filter, options: { bom: bom.checked, hxl: hxl.checked }, to: 'text' },
        { signal: running.signal, onProgress: (p) => progress.update(p.done, p.total, `Exporting: ${formatNumber(p.done)}${p.total ? ` of ${formatNumber(p.total)}` : ''} figures`) },
      );
      const fileName = safeFileName(name.value.replace(/\.csv$/i, '')) + '.csv';
      downloadText(exported.text ?? '', fileName);
      result.textContent = `Exported ${formatNumber(exported.rows)} figures to ${fileName} (${formatBytes(exported.bytes)}, sha256 ${exported.sha256.slice(0, 12)}…).`;
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
