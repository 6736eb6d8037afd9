/// <reference lib="dom" />
// The window as the desktop app drives it, in real Chromium: a page with window.workbench (the preload's shape —
// calls by name, long tasks by id with progress as app events, file paths) imports a dropped CSV by its path, reading
// only a slice of it for the preview, and exports to the path a save dialog gave. The Electron binary cannot run
// here, so this bridge reaches the store through the HTTP host instead of IPC and the core process; the page's side
// is the app's own. And in a plain browser, a CSV dropped on the window opens the wizard with it, sent as text.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { API_CALL_NAMES } from '../../src/shared/api';
import { e2eSuite, query } from './support/app';

const suite = e2eSuite();
const scratch = mkdtempSync(join(tmpdir(), 'fw-e2e-desktop-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface BridgeSetup {
  names: readonly string[];
  /** File name → the path pathForFile gives it */
  paths: Record<string, string>;
  savePath: string | null;
}

/** window.workbench as the preload exposes it, over the host's HTTP routes; every call's input is recorded. */
function desktopBridge(setup: BridgeSetup): void {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const listeners = new Set<(event: unknown) => void>();
  const calls: Array<{ name: string; input: unknown }> = [];
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-workbench-token': token, ...headers }, body: JSON.stringify(body ?? {}) });
  const unwrap = (envelope: { ok: boolean; value?: unknown; error?: unknown }) => {
    if (envelope.ok) return envelope.value;
    throw envelope.error; // WorkbenchError data: the page's WorkbenchError.from reads it back
  };
  const bridge: Record<string, unknown> = {
    cancelTask: async (id: string) => void (await post(`/tasks/${encodeURIComponent(id)}/cancel`, {})),
    onAppEvent: (listener: (event: unknown) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    pathForFile: (file: File) => setup.paths[file.name] ?? '',
    chooseSavePath: async () => setup.savePath,
  };
  for (const name of setup.names) {
    bridge[name] = async (input: unknown, task?: { id: string }) => {
      calls.push({ name, input });
      const response = await post(`/api/${name}`, input, task ? { 'x-workbench-task': task.id } : {});
      if (!task || !response.headers.get('content-type')?.startsWith('application/x-ndjson')) return unwrap(await response.json());
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended before the result');
        buffer += value;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = JSON.parse(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
          if (line.type === 'progress') for (const listener of listeners) listener({ kind: 'progress', task: task.id, progress: line.progress });
          else return unwrap(line.envelope);
        }
      }
    };
  }
  (window as unknown as { workbench: unknown; __bridgeCalls: unknown }).workbench = bridge;
  (window as unknown as { __bridgeCalls: unknown }).__bridgeCalls = calls;
}

const bridgeCalls = (page: Page) => page.evaluate(() => (window as unknown as { __bridgeCalls: Array<{ name: string; input: unknown }> }).__bridgeCalls);

/** Drops a file with this name and text on the element, as a user dragging it from the file manager would. */
async function dropFile(page: Page, selector: string, name: string, text: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, text }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: 'text/csv' }));
      return transfer;
    },
    { name, text },
  );
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
}

describe('the desktop window', () => {
  it('imports a CSV dropped on the window by its path, previewing only its first bytes', async () => {
    const rows = 3000; // a file larger than the preview's slice
    const lines = ['metric,value,as_of,source,citation_title,location'];
    for (let i = 0; i < rows; i += 1)
      lines.push(`injured,${i + 1},2024-03-${String((i % 28) + 1).padStart(2, '0')},Dropped Source,Dropped report ${i % 5},Gaza Strip`);
    const text = `${lines.join('\n')}\n`;
    const path = join(scratch, 'dropped.csv');
    writeFileSync(path, text);
    const app = await suite.open({
      beforeLoad: (context) => context.addInitScript(desktopBridge, { names: API_CALL_NAMES, paths: { 'dropped.csv': path }, savePath: null }),
    });
    const { page, workbook } = app;

    await dropFile(page, 'main.views', 'dropped.csv', text);
    const wizard = page.locator('dialog[data-dialog="import"]');
    await expect.poll(() => wizard.textContent()).toMatch(/dropped\.csv: 6 columns — the workbook’s own format/);
    await wizard.getByRole('button', { name: 'Check the file' }).click();
    await wizard.getByRole('button', { name: `Import: ${rows.toLocaleString('en-US')} new` }).click();
    await wizard.locator('[data-imported="true"]').waitFor();

    const imports = (await bridgeCalls(page)).filter((c) => c.name === 'importCsv');
    expect(imports.map((c) => (c.input as { file: unknown }).file)).toEqual([{ path }, { path }]);
    // the whole file, read by the store from its path: its hash, every row
    const batch = query<{ file_name: string; sha256: string; rows: number; n: number }>(
      workbook,
      `SELECT b.file_name, b.sha256, b.rows, (SELECT count(*) FROM figure f WHERE f.import_batch_id = b.id) AS n FROM import_batch b WHERE b.file_name = 'dropped.csv'`,
    );
    expect(batch).toEqual([{ file_name: 'dropped.csv', sha256: createHash('sha256').update(text).digest('hex'), rows, n: rows }]);
  });

  it('exports to the path the save dialog gave, with no download', async () => {
    const savePath = join(scratch, 'saved.csv');
    const app = await suite.open({ beforeLoad: (context) => context.addInitScript(desktopBridge, { names: API_CALL_NAMES, paths: {}, savePath }) });
    const { page, workbook } = app;
    let downloads = 0;
    page.on('download', () => (downloads += 1));
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.locator('dialog[data-dialog="export"]');
    await expect.poll(() => dialog.locator('.export-scope').textContent()).toMatch(/^[\d,]+ figures/);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect
      .poll(() => dialog.locator('.export-result').textContent())
      .toMatch(new RegExp(`^Exported [\\d,]+ figures to ${savePath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    const exports = (await bridgeCalls(page)).filter((c) => c.name === 'exportCsv');
    expect(exports.map((c) => (c.input as { to: unknown }).to)).toEqual([{ path: savePath }]);
    const figures = query<{ n: number }>(workbook, "SELECT count(*) AS n FROM figure WHERE status <> 'retracted'")[0]!.n;
    expect(readFileSync(savePath, 'utf8').trimEnd().split('\r\n')).toHaveLength(figures + 1);
    expect(downloads).toBe(0);
  });
});

describe('a browser window', () => {
  it('opens the import wizard with a CSV dropped on the window, read as text', async () => {
    const { page } = await suite.open();
    await dropFile(page, 'main.views', 'ocha.csv', 'Date,Claimant,Count\n2024-05-10,UN OCHA,34844\n');
    const wizard = page.locator('dialog[data-dialog="import"]');
    await expect.poll(() => wizard.textContent()).toMatch(/ocha\.csv: 3 columns/);
    expect(await wizard.locator('select[data-header]').count()).toBe(3);
  });
});
