// The renderer with 100,000 figures in real Chromium through the HTTP host: time to the first grid rows after
// navigation, and time to bring the last row into view.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startHost } from '../src/host/server';
import type { BenchRow } from './run';
import { stats } from './measure';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function benchRenderer(workbookPath: string, figures: number, _out: string): Promise<BenchRow[]> {
  if (!existsSync(CHROMIUM)) {
    process.stdout.write(`renderer benchmark skipped: ${CHROMIUM} is not installed (apt-get install chromium)\n`);
    return [];
  }
  const host = await startHost({ workbookPath, user: 'bench' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const first: number[] = [];
  const last: number[] = [];
  try {
    for (let round = 0; round < 3; round += 1) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const started = Date.now();
      await page.goto(host.url);
      await page.locator('.ag-row[row-index="0"]').first().waitFor({ state: 'visible', timeout: 60_000 });
      first.push(Date.now() - started);
      const rowCount = await page.locator('.ag-row').count();
      if (rowCount === 0) throw new Error('the grid shows no rows');
      // Keyboard, as a user would: focus a cell, Ctrl+End to the last row.
      await page.locator('.ag-row[row-index="0"] .ag-cell').first().click();
      const scrollStarted = Date.now();
      await page.keyboard.press('Control+End');
      await page.locator(`.ag-row[row-index="${figures - 1}"]`).first().waitFor({ state: 'visible', timeout: 30_000 });
      last.push(Date.now() - scrollStarted);
      await page.close();
    }
  } finally {
    await browser.close();
    await host.close();
  }
  const firstStats = stats(first.map((ms) => ({ ms, rssMiB: null })));
  const lastStats = stats(last.map((ms) => ({ ms, rssMiB: null })));
  return [
    { measure: `renderer: first grid rows visible after navigation (${figures.toLocaleString('en-US')} figures, Chromium via the host)`, ours: firstStats, baseline: null, baselineName: '–', target: '< 1 s', met: firstStats.median < 1000 },
    { measure: 'renderer: Ctrl+End to the last row visible', ours: lastStats, baseline: null, baselineName: '–', target: '< 250 ms', met: lastStats.median < 250 },
  ];
}
