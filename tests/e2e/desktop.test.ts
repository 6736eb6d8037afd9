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
import { bridgeCalls, desktopBridge } from './support/desktopBridge';

const suite = e2eSuite();
const scratch = mkdtempSync(join(tmpdir(), 'fw-e2e-desktop-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

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
