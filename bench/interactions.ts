// What an analyst does on a large workbook, timed in the page through the HTTP host: undo and redo of an edit,
// filter by metric, search, sort by a column, the Sources & citations tab, and Compare's first draw. Each timing runs
// from the input event (its timeStamp) to the first animation frame in which the page shows the result.
import { FIRST_START_KEY } from '../src/renderer/app/firstStart';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Browser, chromium, type Page } from 'playwright-core';
import { countFigures } from '../src/core/store/figures';
import { startHost } from '../src/host/server';
import { FigureFilter } from '../src/shared/schemas';
import { stats } from './measure';
import { ARGS, pageTiming, SIGNAL } from './renderer';
import type { BenchRow } from './run';

/**
 * A one-shot timer installed in the page: from the next `eventType` event (capture, on window) for which `when`
 * holds, to the first animation frame in which `done` holds. Strings, evaluated by the debugger (the CSP allows it).
 */
function installTimer(page: Page, name: string, eventType: string, when: string, done: string): Promise<void> {
  return page.evaluate(`(() => {
    const on = (event) => {
      if (!(${when})) return;
      removeEventListener('${eventType}', on, { capture: true });
      const start = event.timeStamp;
      const check = () => {
        if (${done}) console.debug('${SIGNAL} ${name} ' + (performance.now() - start));
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    };
    addEventListener('${eventType}', on, { capture: true });
  })()`) as Promise<void>;
}

/** Times one action: installs the timer, runs the action, waits for the page's report. */
async function timed(
  page: Page,
  name: string,
  eventType: string,
  when: string,
  done: string,
  act: () => Promise<unknown>,
  timeoutMs = 60_000,
): Promise<number> {
  await installTimer(page, name, eventType, when, done);
  const report = pageTiming(page, name, timeoutMs).then(Math.round);
  report.catch(() => undefined); // awaited below, unless the action itself failed
  await act();
  return report;
}

const js = (value: unknown) => JSON.stringify(value);
const countIs = (n: number) => `document.querySelector('.toolbar .count')?.textContent === ${js(`${n.toLocaleString('en-US')} figures`)}`;
const statusStarts = (prefix: string) => `(document.querySelector('.status')?.textContent ?? '').startsWith(${js(prefix)})`;
const cellText = (rowIndex: number, column: string) =>
  `document.querySelector('.ag-row[row-index="${rowIndex}"]:not(.ag-row-pinned) .ag-cell[col-id="${column}"]')?.textContent`;
const visible = (selector: string) => `(() => { const e = document.querySelector(${js(selector)}); return !!e && e.getBoundingClientRect().height > 0; })()`;

async function openLoaded(browser: Browser, url: string, figures: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // a returning analyst's browser: the very first start would open on one contested day (firstStart.ts)
  await page.addInitScript((key) => localStorage.setItem(key, 'bench'), FIRST_START_KEY);
  await page.goto(url);
  await page.locator('.toolbar .count', { hasText: new RegExp(`^${figures.toLocaleString('en-US')} figures$`) }).waitFor({ timeout: 120_000 });
  return page;
}

const SORT_LIMIT_MS = 20_000;
const SEARCH_TERMS = ['Synthetic location 7', 'Synthetic source 42', 'report 1234', 'naïve café', 'SYNTHETIC note'];
const SORT_COLUMNS = ['value', 'as_of', 'metric', 'source', 'citation', 'location', 'excerpt'];

export async function benchInteractions(
  workbookPath: string,
  figures: number,
  out: string,
  options: { browserPath: string; rounds?: number; rendererDir?: string },
): Promise<BenchRow[]> {
  const rounds = options.rounds ?? 5;
  // Undo and redo write: the timings run on a copy.
  const workbook = join(out, 'interactions.fwb');
  for (const suffix of ['', '-wal', '-shm']) rmSync(workbook + suffix, { force: true });
  copyFileSync(workbookPath, workbook);
  const db = new Database(workbook, { readonly: true });
  const count = (filter: object) => countFigures(db, FigureFilter.parse(filter) as never);
  const metrics = db.prepare('SELECT code FROM metric ORDER BY code').pluck().all() as string[];
  const host = await startHost({ workbookPath: workbook, user: 'bench', rendererDir: options.rendererDir });
  const samples = {
    undo: [] as number[],
    redo: [] as number[],
    filter: [] as number[],
    search: [] as number[],
    library: [] as number[],
    compare: [] as number[],
  };
  const sorts = new Map<string, number[]>();
  const unfinished = new Set<string>();
  try {
    const browser = await chromium.launch({ executablePath: options.browserPath, args: ARGS });
    try {
      let page = await openLoaded(browser, host.url, figures);

      // Undo and redo of a Value edit, from the keyboard, with the focus in the grid.
      for (let round = 0; round < rounds; round += 1) {
        const row = round;
        const cell = page.locator(`.ag-row[row-index="${row}"]:not(.ag-row-pinned) .ag-cell[col-id="value"]`);
        const before = (await cell.textContent()) ?? '';
        const typed = 40_000 + round;
        await cell.click();
        await page.keyboard.type(String(typed));
        await page.keyboard.press('Enter');
        await page.locator('.status', { hasText: /^Saved Value/ }).waitFor();
        const isCtrl = (key: string) => `event.ctrlKey && event.key === '${key}'`;
        samples.undo.push(
          await timed(page, 'undo', 'keydown', isCtrl('z'), `${statusStarts('Undone: ')} && ${cellText(row, 'value')} === ${js(before)}`, () =>
            page.keyboard.press('Control+z'),
          ),
        );
        samples.redo.push(
          await timed(
            page,
            'redo',
            'keydown',
            isCtrl('y'),
            `${statusStarts('Redone: ')} && ${cellText(row, 'value')} === ${js(typed.toLocaleString('en-US'))}`,
            () => page.keyboard.press('Control+y'),
          ),
        );
        await page.waitForTimeout(200);
      }

      // Sort by each column: ascending, descending, and back to the list order (each click timed). A sort that has
      // not finished after SORT_LIMIT_MS is counted at that (a lower bound), and the page opened again.
      for (const column of SORT_COLUMNS) {
        const header = `.ag-header-cell[col-id="${column}"]`;
        const times: number[] = [];
        for (const state of ['ascending', 'descending', 'none']) {
          try {
            times.push(
              await timed(
                page,
                `sort-${column}`,
                'pointerdown',
                `event.target.closest?.(${js(header)})`,
                `document.querySelector(${js(header)})?.getAttribute('aria-sort') === ${js(state)}`,
                () => page.locator(`${header} .ag-header-cell-label`).click({ timeout: SORT_LIMIT_MS }),
                SORT_LIMIT_MS,
              ),
            );
          } catch {
            times.push(SORT_LIMIT_MS);
            unfinished.add(column);
            await page.close();
            page = await openLoaded(browser, host.url, figures);
            break;
          }
          await page.waitForTimeout(200);
        }
        sorts.set(column, times);
      }

      // Filter by a metric (every figure of it on screen), then back to all figures (untimed).
      const metricSelect = page.locator('.filter-bar select[aria-label="Metric"]');
      for (let round = 0; round < rounds; round += 1) {
        const metric = metrics[round % metrics.length]!;
        samples.filter.push(
          await timed(page, 'filter', 'change', `event.target.matches?.('.filter-bar select')`, countIs(count({ metric: [metric] })), () =>
            metricSelect.selectOption(metric),
          ),
        );
        await metricSelect.selectOption('');
        await page.locator('.toolbar .count', { hasText: new RegExp(`^${figures.toLocaleString('en-US')} figures$`) }).waitFor({ timeout: 120_000 });
      }

      // Search (one input event: text pasted, or the last key typed), to every match on screen.
      const search = page.locator('.filter-bar input[type="search"]');
      for (let round = 0; round < rounds; round += 1) {
        const term = SEARCH_TERMS[round % SEARCH_TERMS.length]!;
        samples.search.push(
          await timed(page, 'search', 'input', `event.target.matches?.('.filter-search')`, countIs(count({ search: term })), () => search.fill(term)),
        );
        await search.fill('');
        await page.locator('.toolbar .count', { hasText: new RegExp(`^${figures.toLocaleString('en-US')} figures$`) }).waitFor({ timeout: 120_000 });
      }

      // The Sources & citations tab, from the Figures view.
      for (let round = 0; round < rounds; round += 1) {
        samples.library.push(
          await timed(page, 'library', 'pointerdown', `event.target.closest?.('.tab[data-view="library"]')`, visible('[data-list="citation"] [data-id]'), () =>
            page.locator('.tab[data-view="library"]').click(),
          ),
        );
        await page.waitForTimeout(500);
        await page.locator('.tab[data-view="figures"]').click();
        await page.waitForTimeout(200);
      }
      await page.close();

      // Compare's first draw: a fresh page each round (the view and chart.js load when first shown).
      for (let round = 0; round < Math.min(rounds, 3); round += 1) {
        const fresh = await openLoaded(browser, host.url, figures);
        samples.compare.push(
          await timed(
            fresh,
            'compare',
            'pointerdown',
            `event.target.closest?.('.tab[data-view="compare"]')`,
            `!!document.querySelector('.compare-results .card') && (document.querySelector('.compare-title')?.textContent ?? '') !== ''`,
            () => fresh.locator('.tab[data-view="compare"]').click(),
          ),
        );
        await fresh.close();
      }
    } finally {
      await browser.close();
    }
  } finally {
    db.close();
    await host.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(workbook + suffix, { force: true });
    rmSync(`${workbook}.backups`, { recursive: true, force: true });
  }
  process.stdout.write(`  interactions: ${JSON.stringify({ ...samples, sort: Object.fromEntries(sorts) })}\n`);
  const of = (ms: number[]) => stats(ms.map((m) => ({ ms: m, rssMiB: null })));
  const sortAll = of([...sorts.values()].flat());
  const sortWorst = [...sorts.entries()].map(([column, ms]) => ({ column, median: of(ms).median })).sort((a, b) => b.median - a.median)[0]!;
  const n = figures.toLocaleString('en-US');
  const row = (measure: string, s: ReturnType<typeof of>, target: number, note?: string): BenchRow => ({
    measure: `renderer: ${measure} (${n} figures)`,
    ours: s,
    baseline: null,
    baselineName: '–',
    target: `< ${target} ms`,
    met: s.median < target,
    note,
  });
  const undo = of(samples.undo);
  const redo = of(samples.redo);
  return [
    row('undo of a Value edit (Ctrl+Z to the cell and the status showing it undone)', undo, 150),
    row('redo of the same edit (Ctrl+Y to the cell and the status showing it redone)', redo, 150),
    row('filter by metric (the change to every figure of it in the grid)', of(samples.filter), 200),
    row(
      'search (the input event to every match in the grid)',
      of(samples.search),
      200,
      `Includes the search box's wait for the next keystroke. Terms: ${SEARCH_TERMS.map((t) => `“${t}”`).join(', ')}.`,
    ),
    row(
      'sort by a column (the header click to the sorted rows; ascending, descending, none)',
      sortAll,
      300,
      `Columns ${SORT_COLUMNS.join(', ')}; the slowest column, ${sortWorst.column}, has a median of ${sortWorst.median} ms.${unfinished.size ? ` Not finished within ${SORT_LIMIT_MS / 1000} s (counted at that): ${[...unfinished].join(', ')}.` : ''}`,
    ),
    row('the Sources & citations tab (the click to its rows on screen)', of(samples.library), 200),
    row('Compare, first draw (the click to the table and charts; a fresh page each round)', of(samples.compare), 300),
  ];
}
