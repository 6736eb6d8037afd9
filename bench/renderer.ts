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
  const loaded: number[] = [];
  const last: number[] = [];
  try {
    for (let round = 0; round < 3; round += 1) {
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
      // Keyboard, as a user would: focus a cell, Ctrl+End to the last row. Timed in the page, like the first rows:
      // from the keydown event to the first animation frame in which the last row is on screen. (Timing it from
      // Node added Playwright's round trips and its locator polling, which backs off to 100 ms steps.)
      await page.locator('.ag-row[row-index="0"] .ag-cell').first().click();
      const jump = page.evaluate(`new Promise((resolve, reject) => {
        setTimeout(() => reject(new Error('the last row did not appear within 30 s of Ctrl+End')), 30000);
        window.addEventListener('keydown', function onKey(event) {
          if (event.key !== 'End' || !event.ctrlKey) return; // Control's own keydown comes first
          window.removeEventListener('keydown', onKey, { capture: true });
          const pressedAt = event.timeStamp;
          const look = () => {
            const row = document.querySelector('.ag-row[row-index="${figures - 1}"]');
            const box = row && row.getBoundingClientRect();
            if (box && box.height > 0) resolve(performance.now() - pressedAt);
            else requestAnimationFrame(look);
          };
          requestAnimationFrame(look);
        }, { capture: true });
      })`);
      await page.keyboard.press('Control+End');
      last.push(Math.round((await jump) as number));
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
    { measure: 'renderer: Ctrl+End to the last row visible', ours: lastStats, baseline: null, baselineName: '–', target: '< 250 ms', met: lastStats.median < 250 },
  ];
}
