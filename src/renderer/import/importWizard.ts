// The import wizard: pick or drop a CSV → match its columns to the workbook's → a dry run lists every problem
// (row, column, value, reason) and writes nothing → import with progress and cancel → what was created.
// In the desktop app the file is imported by its path, streaming, as the CLI does; the page reads only its first
// bytes, for the preview. A browser has no paths: there the page reads the file and sends its text.
import Papa from 'papaparse';
import '../zodConfig'; // before the schemas are built: this module is loaded on its own, when the wizard first opens
import type { ApiInput, ImportReport, WorkbenchApi } from '../../shared/api';
import type { DesktopFiles } from '../../shared/bridge';
import { DEFAULT_NUMBER_FORMAT, NUMBER_FORMATS, type NumberFormat } from '../../shared/cells';
import { CSV_COLUMNS, type CsvColumn } from '../../shared/fields';
import { WorkbenchError } from '../../shared/errors';
import { type MappingInput, parseMappingText } from '../../shared/mapping';
import type { Catalog } from '../app/catalog';
import { citationLabel } from '../app/catalog';
import type { UndoHistory } from '../app/undo';
import { openDialog, progressBar } from '../ui/dialog';
import { emptyState, fill, h } from '../ui/dom';
import { formatBytes, formatNumber } from '../ui/format';
import { errorMessage, showStatus } from '../ui/status';
import { autoMap, isWorkbookFormat, unmetRequirements } from './autoMap';
import { problemsTable } from './problemsTable';

export interface ImportDeps {
  api: WorkbenchApi;
  catalog: Catalog;
  undo: UndoHistory;
  /** the desktop app's file paths; null in a browser */
  files: DesktopFiles | null;
  /** after an import: reload what shows figures */
  changed(): Promise<void>;
}

/** The preview needs the header and a few rows: this much of a file imported by path is read in the page. */
const PREVIEW_BYTES = 64 * 1024;

interface Picked {
  name: string;
  /** what importCsv reads: the file's path in the desktop app, its text in a browser */
  source: ApiInput<'importCsv'>['file'];
  headers: string[];
  samples: string[][];
  delimiter: ',' | ';' | '\t' | '|';
}

/** Workbook columns a constant can fill ("every row is from this citation"). */
const CONSTANT_COLUMNS: Array<{ column: CsvColumn; label: string; list: (c: Catalog) => string[] }> = [
  { column: 'metric', label: 'Metric', list: (c) => c.metrics.map((m) => m.code) },
  { column: 'source', label: 'Source', list: (c) => c.sources.map((s) => s.name) },
  { column: 'citation_title', label: 'Citation title', list: (c) => c.citations.map((x) => citationLabel(x)) },
  { column: 'location', label: 'Location', list: (c) => c.locations.map((l) => l.name) },
  { column: 'as_of', label: 'As of', list: () => [] },
];

export function openImportWizard(deps: ImportDeps, file?: File): void {
  let running: AbortController | null = null;
  const dialog = openDialog({
    title: 'Import figures from a CSV file',
    size: 'wide',
    name: 'import',
    // While the import runs, Esc does not close the dialog: Cancel stops the import (and nothing is written).
    onCancel: () => running === null,
  });
  const steps = h('ol', { class: 'steps' }, ...['File', 'Columns', 'Check', 'Import'].map((s, i) => h('li', { 'data-step': i + 1 }, s)));
  const stage = h('div', { class: 'wizard-stage' });
  dialog.body.append(steps, stage);
  const step = (n: number) => steps.querySelectorAll('li').forEach((li, i) => li.classList.toggle('current', i + 1 === n));

  let picked: Picked | null = null;
  let loadedMapping: MappingInput | null = null;
  let mappingName = '';
  let targets: Array<CsvColumn | null> = [];
  /** the number format the analyst chose ('': not stated) */
  let numberFormat: NumberFormat | '' = DEFAULT_NUMBER_FORMAT;
  const constants = new Map<CsvColumn, string>();

  const buttons = (...list: HTMLButtonElement[]) => dialog.footer.replaceChildren(...list);
  const button = (label: string, primary = false) => h('button', { type: 'button', class: primary ? 'primary' : '' }, label);

  // ---- 1. the file ----
  const chooseFile = () => {
    step(1);
    const input = h('input', { type: 'file', accept: '.csv,.tsv,.txt,text/csv', 'aria-label': 'CSV file', class: 'file-input' });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const zone = h(
      'label',
      { class: 'drop-zone' },
      h('strong', {}, 'Drop a CSV file here'),
      h('span', {}, 'or choose one: '),
      input,
      h('small', { class: 'muted' }, 'UTF-8 text, comma-, semicolon- or tab-separated, with a header row. The workbook’s own export imports as it is.'),
    );
    zone.addEventListener('dragover', (e) => {
      e.preventDefault();
      zone.classList.add('over');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('over');
      const dropped = e.dataTransfer?.files[0];
      if (dropped) void read(dropped, error);
    });
    input.addEventListener('change', () => input.files?.[0] && void read(input.files[0], error));
    fill(stage, zone, error);
    const cancel = button('Cancel');
    cancel.addEventListener('click', () => dialog.close());
    buttons(cancel);
    input.focus();
    return error;
  };

  const read = async (chosen: File, error: HTMLElement) => {
    error.textContent = '';
    const path = deps.files?.pathForFile(chosen) ?? '';
    let text: string;
    try {
      text = path ? await chosen.slice(0, PREVIEW_BYTES).text() : await chosen.text();
    } catch (e) {
      error.textContent = `${chosen.name} could not be read: ${(e as Error).message}`;
      return;
    }
    // A slice may end inside a row: the preview stops at the last whole line.
    const lastLine = text.lastIndexOf('\n');
    if (path && chosen.size > PREVIEW_BYTES && lastLine > 0) text = text.slice(0, lastLine);
    const preview = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { preview: 6, skipEmptyLines: true });
    const headers = preview.data[0] ?? [];
    if (headers.length === 0) {
      error.textContent = `${chosen.name} is empty: a CSV with a header row is needed.`;
      return;
    }
    const delimiter = ([',', ';', '\t', '|'] as const).find((d) => d === preview.meta.delimiter) ?? ',';
    picked = { name: chosen.name, source: path ? { path } : { name: chosen.name, text }, headers, samples: preview.data.slice(1), delimiter };
    targets = autoMap(headers);
    constants.clear();
    numberFormat = delimiter === ';' ? '' : DEFAULT_NUMBER_FORMAT;
    mapColumns();
  };

  // ---- 2. the columns ----
  const mapping = (): MappingInput | undefined => {
    const number_format = numberFormat || undefined;
    if (loadedMapping) return number_format ? { ...loadedMapping, number_format } : loadedMapping;
    if (!picked) return undefined;
    if (isWorkbookFormat(picked.headers) && constants.size === 0 && picked.delimiter === ',' && !number_format) return undefined;
    const columns: Partial<Record<CsvColumn, string>> = {};
    targets.forEach((t, i) => t && (columns[t] = picked!.headers[i]!.trim()));
    return { format: 'long', delimiter: picked.delimiter, number_format, columns, constants: Object.fromEntries(constants) };
  };

  /**
   * How the file writes numbers. A ;-file (Excel where the decimal mark is a comma) starts unstated: the import then
   * refuses the cells that read differently in the two formats and says to choose here.
   */
  const numberFormatChoice = () => {
    const choice = h('select', { 'aria-label': 'Number format', name: 'number-format' });
    choice.append(
      h('option', { value: '' }, 'not stated: refuse numbers that read both ways'),
      ...NUMBER_FORMATS.map((f) =>
        h(
          'option',
          { value: f },
          f === '1,234.5' ? '1,234.5 (20,000 is twenty thousand; 1.5 is one and a half)' : '1.234,5 (20.000 is twenty thousand; 1,5 is one and a half)',
        ),
      ),
    );
    choice.value = numberFormat;
    choice.addEventListener('change', () => (numberFormat = choice.value as NumberFormat | ''));
    return h('label', { class: 'field inline number-format' }, h('span', { class: 'field-label' }, 'Number format'), choice);
  };

  const mapColumns = () => {
    step(2);
    const file = picked!;
    const next = button('Check the file', true);
    const back = button('Back');
    back.addEventListener('click', chooseFile);
    next.addEventListener('click', () => void check());
    buttons(back, next);
    // A file in another layout (one row per date, one column per measure…) is read with a JSON mapping instead.
    const mappingInput = h('input', { type: 'file', accept: '.json,application/json', 'aria-label': 'Mapping file' });
    const mappingError = h('span', { class: 'form-error', role: 'alert' });
    mappingInput.addEventListener('change', async () => {
      const chosen = mappingInput.files?.[0];
      if (!chosen) return;
      try {
        loadedMapping = parseMappingText(await chosen.text(), chosen.name);
        mappingName = chosen.name;
        mapColumns();
      } catch (e) {
        const problems = (e as WorkbenchError).problems ?? [];
        mappingError.textContent =
          problems.length > 1 ? `${(e as Error).message}: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}` : (e as Error).message;
      }
    });
    const mappingLine = h(
      'p',
      { class: 'mapping-file muted' },
      'Another layout, e.g. one row per date? Read it with a mapping file (mappings/*.json): ',
      mappingInput,
      mappingError,
    );
    if (loadedMapping) {
      const drop = h('button', { type: 'button', class: 'link-button' }, 'Match the columns here instead');
      drop.addEventListener('click', () => {
        loadedMapping = null;
        mapColumns();
      });
      fill(
        stage,
        h(
          'p',
          {},
          `${file.name}: ${file.headers.length} columns, read with ${mappingName} (${loadedMapping.format ?? 'long'} layout${loadedMapping.measures?.length ? `, ${loadedMapping.measures.length} measure columns` : ''}).`,
        ),
        h('p', { class: 'muted' }, loadedMapping.description ?? ''),
        numberFormatChoice(),
        drop,
      );
      next.focus();
      return;
    }
    const unmet = h('p', { class: 'requirements', role: 'status' });
    const refresh = () => {
      const fed = new Set<string>([...targets.filter((t): t is CsvColumn => t !== null), ...constants.keys()]);
      const missing = unmetRequirements(fed);
      unmet.textContent = missing.length
        ? `Still needed: ${missing.join('; ')} — map a column to each, or give one value for every row below.`
        : 'Every required column is fed.';
      unmet.classList.toggle('warn', missing.length > 0);
      renderConstants(fed);
    };
    const rows = file.headers.map((header, i) => {
      const choice = h('select', { 'aria-label': `Workbook column for ${header}`, 'data-header': header });
      choice.append(h('option', { value: '' }, '— not imported —'), ...CSV_COLUMNS.map((c) => h('option', { value: c }, c)));
      choice.value = targets[i] ?? '';
      choice.addEventListener('change', () => {
        const value = (choice.value || null) as CsvColumn | null;
        // One header per workbook column: taking a column from another header frees that one.
        targets = targets.map((t, j) => (j !== i && t === value ? null : t));
        targets[i] = value;
        stage.querySelectorAll<HTMLSelectElement>('select[data-header]').forEach((s, j) => (s.value = targets[j] ?? ''));
        refresh();
      });
      const samples = file.samples
        .map((r) => r[i] ?? '')
        .filter(Boolean)
        .slice(0, 3)
        .join(' · ');
      return h('tr', {}, h('td', {}, h('strong', {}, header)), h('td', { class: 'muted sample' }, samples), h('td', {}, choice));
    });
    const constantsBox = h('div', { class: 'constants' });
    const renderConstants = (fed: Set<string>) => {
      constantsBox.replaceChildren(
        h('h3', {}, 'The same value for every row'),
        h('p', { class: 'muted' }, 'For what the file does not say: e.g. every row comes from one report.'),
        ...CONSTANT_COLUMNS.filter((c) => !targets.includes(c.column)).map((c) => {
          const listId = `constant-${c.column}`;
          const input = h('input', {
            type: 'text',
            list: listId,
            value: constants.get(c.column) ?? '',
            'aria-label': `${c.label} for every row`,
            placeholder: c.column === 'as_of' ? 'YYYY-MM-DD' : '',
          });
          input.addEventListener('change', () => {
            const value = input.value.trim();
            if (value) constants.set(c.column, value);
            else constants.delete(c.column);
            refresh();
          });
          const needed = !fed.has(c.column) && unmetRequirements(fed).some((u) => u.split(/ or | and /).includes(c.column));
          return h(
            'label',
            { class: `field inline${needed ? ' needed' : ''}` },
            h('span', { class: 'field-label' }, c.label),
            input,
            h('datalist', { id: listId }, ...c.list(deps.catalog).map((v) => h('option', { value: v }))),
          );
        }),
      );
    };
    fill(
      stage,
      h(
        'p',
        {},
        `${file.name}: ${file.headers.length} columns${isWorkbookFormat(file.headers) ? ' — the workbook’s own format' : ''}. Each column goes to the workbook column on its right.`,
      ),
      h(
        'table',
        { class: 'data-table mapping-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Column in the file'), h('th', {}, 'First values'), h('th', {}, 'Workbook column'))),
        h('tbody', {}, ...rows),
      ),
      unmet,
      numberFormatChoice(),
      constantsBox,
      mappingLine,
    );
    refresh();
    next.focus();
  };

  // ---- 3. the dry run ----
  const check = async () => {
    step(3);
    const file = picked!;
    const progress = progressBar();
    fill(stage, h('p', {}, `Checking ${file.name}: every row is read and validated; nothing is written.`), progress.element);
    buttons();
    let report: ImportReport;
    try {
      report = await run((options) => deps.api.importCsv({ file: file.source, mapping: mapping(), dry_run: true }, options), progress, 'Checking');
    } catch (error) {
      return failed(error, mapColumns);
    }
    showCheck(report);
  };

  const showCheck = (report: ImportReport) => {
    const problems = report.problems.length + report.more_problems;
    const partial = h('input', { type: 'checkbox' });
    const go = button(problems ? 'Import' : `Import: ${writes(report)}`, true);
    const back = button('Back to the columns');
    back.addEventListener('click', mapColumns);
    const update = () => {
      const usable = report.figures > 0 && (problems === 0 || partial.checked) && report.rejected < report.rows;
      go.disabled = !usable;
      go.textContent = problems && partial.checked ? `Import the valid rows: ${writes(report)}` : go.textContent;
    };
    partial.addEventListener('change', update);
    go.addEventListener('click', () => void importNow(partial.checked ? 'partial' : 'all'));
    fill(
      stage,
      h(
        'div',
        { class: `check-summary ${problems ? 'has-problems' : 'clean'}`, 'data-problems': problems },
        summary(report),
        problems
          ? h('strong', {}, `${formatNumber(problems)} problem${problems === 1 ? '' : 's'}: nothing will be imported until they are fixed.`)
          : h('strong', {}, 'No problems found.'),
      ),
      problems ? problemsTable(report.problems, report.more_problems) : null,
      problems ? h('label', { class: 'checkbox' }, partial, 'Import the valid rows anyway and leave out the rejected ones') : null,
    );
    buttons(back, go);
    update();
  };

  // ---- 4. the import ----
  const importNow = async (mode: 'all' | 'partial') => {
    step(4);
    const file = picked!;
    const progress = progressBar();
    fill(stage, h('p', {}, `Importing ${file.name}. Cancel stops it; the workbook is then left as it was.`), progress.element);
    let report: ImportReport;
    try {
      report = await run((options) => deps.api.importCsv({ file: file.source, mapping: mapping(), mode }, options), progress, 'Importing');
    } catch (error) {
      return failed(error, () => showCheckAgain());
    }
    if (report.txn) deps.undo.record(report.txn, `import of ${file.name}`);
    await deps.changed();
    step(4);
    const close = button('Close', true);
    close.addEventListener('click', () => dialog.close());
    fill(
      stage,
      h(
        'div',
        { class: `check-summary ${report.written ? 'clean' : 'has-problems'}`, 'data-imported': String(report.written) },
        h('strong', {}, report.written ? `Imported ${file.name} as batch ${report.batch_id}.` : `${file.name} was not imported.`),
        summary(report),
      ),
      newEntities(report),
      report.problems.length ? problemsTable(report.problems, report.more_problems) : null,
    );
    buttons(close);
    showStatus(
      report.written
        ? `Imported ${file.name}: ${formatNumber(report.created)} created, ${formatNumber(report.updated)} updated. Ctrl+Z undoes the import.`
        : `${file.name} was not imported.`,
      report.written ? 'success' : 'error',
    );
    close.focus();
  };

  const showCheckAgain = () => void check();

  /** Runs a long call with a progress bar and a Cancel button. */
  const run = async (
    work: (options: { signal: AbortSignal; onProgress: (p: { done: number; total: number | null }) => void }) => Promise<ImportReport>,
    progress: ReturnType<typeof progressBar>,
    verb: string,
  ) => {
    running = new AbortController();
    const controller = running;
    const cancel = button('Cancel');
    cancel.addEventListener('click', () => {
      cancel.disabled = true;
      cancel.textContent = 'Cancelling…';
      controller.abort();
    });
    buttons(cancel);
    progress.update(0, null, `${verb}…`);
    try {
      return await work({
        signal: controller.signal,
        onProgress: (p) => progress.update(p.done, p.total, `${verb}: ${formatBytes(p.done)}${p.total ? ` of ${formatBytes(p.total)}` : ''}`),
      });
    } finally {
      running = null;
    }
  };

  const failed = (error: unknown, back: () => void) => {
    const e = WorkbenchError.from(error);
    const again = button('Back', true);
    again.addEventListener('click', back);
    fill(
      stage,
      e.code === 'cancelled'
        ? emptyState('Cancelled', 'Nothing was written: the workbook is as it was before.')
        : h('div', { class: 'check-summary has-problems' }, h('strong', {}, 'The file could not be read'), h('p', {}, errorMessage(error))),
      e.problems?.length ? problemsTable(e.problems, 0) : null,
    );
    buttons(again);
  };

  // a dropped file: its errors show on the first step, where another can be picked
  const fileError = chooseFile();
  if (file) void read(file, fileError);
}

function summary(r: ImportReport): HTMLElement {
  const item = (label: string, value: number, key: string) =>
    h('li', { 'data-count': key }, h('span', { class: 'stat-value' }, formatNumber(value)), ' ', label);
  return h(
    'ul',
    { class: 'import-counts' },
    item('rows', r.rows, 'rows'),
    item('figures', r.figures, 'figures'),
    item(r.dry_run ? 'would be created' : 'created', r.created, 'created'),
    item(r.dry_run ? 'would be updated' : 'updated', r.updated, 'updated'),
    item('unchanged', r.unchanged, 'unchanged'),
    item('rows skipped', r.skipped, 'skipped'),
    item('rows rejected', r.rejected, 'rejected'),
  );
}

/** What an import will write, from its dry run: "3 new, 99,997 unchanged" (a re-import changes only what changed). */
function writes(r: ImportReport): string {
  const parts = [
    r.created ? `${formatNumber(r.created)} new` : null,
    r.updated ? `${formatNumber(r.updated)} updated` : null,
    r.unchanged ? `${formatNumber(r.unchanged)} unchanged` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'nothing to write';
}

function newEntities(r: ImportReport): HTMLElement | null {
  const lines = Object.entries(r.new_entities)
    .filter(([, names]) => names.length)
    .map(([kind, names]) => h('li', {}, h('strong', {}, `New ${kind}: `), names.join(', ')));
  return lines.length ? h('ul', { class: 'new-entities' }, ...lines) : null;
}
