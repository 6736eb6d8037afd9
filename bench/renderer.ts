// The renderer with 100,000 figures in real Chromium through the HTTP host: time to the first grid rows after
// navigation, and time to bring the last row into view.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startHost } from '../src/host/server';
import type { BenchRow } from './run';
import { stats } from './measure';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Installed in the page before Ctrl+End is pressed: from the keydown (its event time) to the first animation frame
// in which the last row is inside the grid's viewport. A string (evaluated by the debugger, so the CSP allows it):
// a function compiled by tsx may call its __name helper, which the page does not have.
const timeJumpToEnd = (lastIndex: number) => `(() => {
  const w = window;
  w.jumpToEnd = null;
  const onKey = (event) => {
    if (event.key !== 'End' || !event.ctrlKey) return;
    removeEventListener('keydown', onKey, { capture: true });
    const pressed = event.timeStamp;
    const check = () => {
      const row = document.querySelector('.ag-row[row-index="${lastIndex}"]');
      const viewport = row && row.closest('.ag-grid-viewport');
      if (row && viewport) {
        const r = row.getBoundingClientRect();
        const v = viewport.getBoundingClientRect();
        if (r.height > 0 && r.top < v.bottom && r.bottom > v.top) {
          w.jumpToEnd = performance.now() - pressed;
          return;
        }
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  };
  addEventListener('keydown', onKey, { capture: true });
})()`;

export async function benchRenderer(workbookPath: string, figures: number, _out: string, options: { rendererDir?: string; rounds?: number } = {}): Promise<BenchRow[]> {
  if (!existsSync(CHROMIUM)) {
    process.stdout.write(`renderer benchmark skipped: ${CHROMIUM} is not installed (apt-get install chromium)\n`);
    return [];
  }
  const host = await startHost({ workbookPath, user: 'bench', rendererDir: options.rendererDir });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const first: number[] = [];
  const loaded: number[] = [];
  const last: number[] = [];
  try {
    for (let round = 0; round < (options.rounds ?? 3); round += 1) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      // Measured in the page: from the start of navigation (performance.now() = 0) to the first animation frame in
      // which the grid's first row is on screen. (page.goto waits for the load event, which says nothing of rows.)
      await page.goto(host.url, { waitUntil: 'commit' });
      const shownAt = await page.waitForFunction(
        () => {
          const row = document.querySelector('.ag-row[row-index="0"]');
          return row && row.getBoundingClientRect().height > 0 ? performance.now() : false;
        },
        undefined,
        { polling: 'raf', timeout: 60_000 },
      );
      first.push(Math.round((await shownAt.jsonValue()) as number));
      // The rest arrives in pages; the scroll is measured once the grid holds every figure.
      const loadedAt = Date.now();
      await page.locator('.count', { hasText: new RegExp(`^${figures.toLocaleString('en-US')} figures$`) }).waitFor({ timeout: 120_000 });
      loaded.push(Date.now() - loadedAt + first.at(-1)!);
      // Keyboard, as a user would: focus a cell, Ctrl+End to the last row.
      await page.locator('.ag-row[row-index="0"] .ag-cell').first().click();
      await page.evaluate(timeJumpToEnd(figures - 1));
      await page.keyboard.press('Control+End');
      const jump = await page.waitForFunction(() => (window as unknown as { jumpToEnd: number | null }).jumpToEnd, undefined, { polling: 'raf', timeout: 30_000 });
      last.push(Math.round((await jump.jsonValue()) as number));
      await page.close();
    }
  } finally {
    await browser.close();
    await host.close();
  }
  const firstStats = stats(first.map((ms) => ({ ms, rssMiB: null })));
  const lastStats = stats(last.map((ms) => ({ ms, rssMiB: null })));
  const loadedStats = stats(loaded.map((ms) => ({ ms, rssMiB: null })));
  return [
    { measure: `renderer: first grid rows visible after navigation (${figures.toLocaleString('en-US')} figures, Chromium via the host)`, ours: firstStats, baseline: null, baselineName: '–', target: '< 1 s', met: firstStats.median < 1000 },
    { measure: 'renderer: every figure loaded into the grid (pages after the first, in the background)', ours: loadedStats, baseline: null, baselineName: '–', target: '(reference)', met: null },
    { measure: 'renderer: Ctrl+End to the last row visible (in the page: keydown to the frame that shows it)', ours: lastStats, baseline: null, baselineName: '–', target: '< 250 ms', met: lastStats.median < 250 },
  ];
}
