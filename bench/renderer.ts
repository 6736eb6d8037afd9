// The renderer with 100,000 figures in real Chromium through the HTTP host: time to the first grid rows after
// navigation, and time to bring the last row into view.
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { type Browser, chromium, type ConsoleMessage, type Page } from 'playwright-core';
import { startHost } from '../src/host/server';
import { openSession } from '../src/core/session';
import type { FigureView } from '../src/shared/domain';
import { FIRST_START_KEY } from '../src/renderer/app/firstStart';
import type { BenchRow } from './run';
import { stats } from './measure';

const CHROMIUM = '/usr/bin/chromium';
/**
 * Debian's chromium-headless-shell: the same Blink and V8 as /usr/bin/chromium, without the browser's own windows
 * (tab strip, omnibox). Playwright runs headless Chromium in this shell by default, and it is the closer stand-in for
 * an Electron window, which has no browser UI either. The full browser in its headless mode runs its window UI too:
 * a trace of one page load shows its omnibox popup's WebUI scripts parsed meanwhile, on the same cores.
 */
const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';

/** The browser the renderer is timed in: the headless shell where installed, else the full browser; null without either. */
export function rendererBrowser(): string | null {
  if (existsSync(HEADLESS_SHELL)) return HEADLESS_SHELL;
  return existsSync(CHROMIUM) ? CHROMIUM : null;
}
export const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// The page reports its own timings on the console (a CDP event): waiting for them with Playwright's waitForFunction
// would inject Playwright's script into the page at the start of navigation and poll it at every frame, on the main
// thread the app is starting on.
/** What the page writes to the console before a timing: `${SIGNAL} name ms`. */
export const SIGNAL = 'workbench-bench';

/** Runs at the creation of each document, before the app: reports the first frame in which the grid's first row is
 * on screen, in ms from the start of navigation (performance.now() = 0). */
const FIRST_ROW_WATCH = `(() => {
  const look = () => {
    const row = document.querySelector('.ag-row[row-index="0"]');
    if (row && row.getBoundingClientRect().height > 0) console.debug('${SIGNAL} first-row ' + performance.now());
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})()`;

/**
 * Installed in the page before Ctrl+End is pressed: reports the time from the keydown (its event time) to the first
 * animation frame in which the last row is inside the grid's viewport. A string (evaluated by the debugger, so the
 * CSP allows it): a function compiled by tsx may call its __name helper, which the page does not have.
 */
const timeJumpToEnd = (lastIndex: number) => `(() => {
  const onKey = (event) => {
    if (event.key !== 'End' || !event.ctrlKey) return; // Control's own keydown comes first
    removeEventListener('keydown', onKey, { capture: true });
    const pressed = event.timeStamp;
    const check = () => {
      const row = document.querySelector('.ag-row[row-index="${lastIndex}"]');
      const viewport = row && row.closest('.ag-grid-viewport');
      if (row && viewport) {
        const r = row.getBoundingClientRect();
        const v = viewport.getBoundingClientRect();
        if (r.height > 0 && r.top < v.bottom && r.bottom > v.top) {
          console.debug('${SIGNAL} last-row ' + (performance.now() - pressed));
          return;
        }
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  };
  addEventListener('keydown', onKey, { capture: true });
})()`;

/** The next timing the page reports under this name, in ms. */
export function pageTiming(page: Page, name: string, timeoutMs = 60_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      page.off('console', onMessage);
      reject(new Error(`the page did not report ${name} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const onMessage = (message: ConsoleMessage) => {
      const [signal, what, ms] = message.text().split(' ');
      if (signal !== SIGNAL || what !== name) return;
      clearTimeout(timer);
      page.off('console', onMessage);
      resolve(Number(ms));
    };
    page.on('console', onMessage);
  });
}

/** Builds the floor page (bench/grid-floor: ag-grid alone, with the app's modules and theme) into out. */
async function buildGridFloor(out: string): Promise<string> {
  const dir = join(out, 'grid-floor');
  await build({
    configFile: false,
    root: resolve('bench/grid-floor'),
    base: './',
    logLevel: 'error',
    build: { outDir: dir, emptyOutDir: true, minify: true, chunkSizeWarningLimit: 2000 },
  });
  return dir;
}

const STATIC_FIELDS: Array<keyof FigureView> = [
  'metric',
  'value',
  'low',
  'high',
  'qualifier',
  'as_of',
  'location',
  'source',
  'relayed_via',
  'citation_title',
  'excerpt',
  'status',
  'note',
];
const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * A reference for what the browser itself costs here: the first rows of the same workbook written into a static
 * page, as plain HTML and CSS, no script at all. No grid can show rows sooner than this page does.
 */
async function writeStaticRows(workbookPath: string, dir: string): Promise<string> {
  const session = await openSession(workbookPath, { user: 'bench', create: false });
  const { rows } = await session.api.listFigures({ limit: 40 });
  session.workbook.close();
  const cell = (figure: FigureView, field: keyof FigureView) => `<span>${escapeHtml(String(figure[field] ?? ''))}</span>`;
  const body = rows
    .map((figure, index) => `<div class="ag-row" row-index="${index}">${STATIC_FIELDS.map((field) => cell(figure, field)).join('')}</div>`)
    .join('\n');
  const css =
    'body{margin:0;font:14px system-ui,sans-serif}.ag-row{display:flex;height:42px;align-items:center;border-bottom:1px solid #ddd}.ag-row span{width:140px;flex:none;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;padding:0 8px}';
  writeFileSync(join(dir, 'static-rows.css'), css); // a file, not a <style>: the host's CSP allows no inline style
  writeFileSync(
    join(dir, 'static-rows.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>static rows</title><link rel="stylesheet" href="static-rows.css"></head><body>${body}</body></html>`,
  );
  return 'static-rows.html';
}

/** The first-row time of one fresh page of this host, in ms from the start of navigation. */
async function firstRowOf(browser: Browser, url: string): Promise<{ page: Page; ms: number }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(FIRST_ROW_WATCH);
  // an analyst's start, on every figure (a first start opens on one contested day)
  await page.addInitScript((key) => localStorage.setItem(key, 'bench'), FIRST_START_KEY);
  const firstRow = pageTiming(page, 'first-row', 60_000);
  await page.goto(url, { waitUntil: 'commit' });
  return { page, ms: Math.round(await firstRow) };
}

/** The same, for a page that is not needed afterwards: closed once timed. */
async function firstRowMs(browser: Browser, url: string): Promise<number> {
  const { page, ms } = await firstRowOf(browser, url);
  await page.close();
  return ms;
}

export async function benchRenderer(
  workbookPath: string,
  figures: number,
  out: string,
  options: { rendererDir?: string; rounds?: number; jumps?: number } = {},
): Promise<BenchRow[]> {
  if (!existsSync(CHROMIUM)) {
    process.stdout.write(`renderer benchmark skipped: ${CHROMIUM} is not installed (apt-get install chromium)\n`);
    return [];
  }
  const shell = existsSync(HEADLESS_SHELL);
  if (!shell)
    process.stdout.write(
      `${HEADLESS_SHELL} is not installed (apt-get install chromium-headless-shell): the renderer is timed in the full browser, ${CHROMIUM}\n`,
    );
  const browserPath = shell ? HEADLESS_SHELL : CHROMIUM;
  // The floor gets its own host, on a copy of the workbook: the app's host keeps its workbook to itself.
  const floorWorkbook = join(out, 'grid-floor.fwb');
  copyFileSync(workbookPath, floorWorkbook);
  const floorDir = await buildGridFloor(out);
  const staticPage = await writeStaticRows(floorWorkbook, floorDir);
  const floorHost = await startHost({ workbookPath: floorWorkbook, user: 'bench', rendererDir: floorDir });
  const staticUrl = new URL(floorHost.url);
  staticUrl.pathname = `/${staticPage}`;
  const host = await startHost({ workbookPath, user: 'bench', rendererDir: options.rendererDir });
  const rounds = options.rounds ?? 5;
  const first: number[] = [];
  const floor: number[] = [];
  const plain: number[] = [];
  const loaded: number[] = [];
  const last: number[] = [];
  const fullFirst: number[] = [];
  const fullFloor: number[] = [];
  try {
    const browser = await chromium.launch({ executablePath: browserPath, args: ARGS });
    try {
      for (let round = 0; round < rounds; round += 1) {
        // Alternating with the floor, each in a fresh page (a new browser context: nothing cached).
        floor.push(await firstRowMs(browser, floorHost.url));
        plain.push(await firstRowMs(browser, staticUrl.href));
        const { page, ms } = await firstRowOf(browser, host.url);
        first.push(ms);
        if (round < rounds - 1) {
          await page.close();
          continue;
        }
        // The last round waits for the rest, which arrives in pages; the jumps are timed once the grid holds every
        // figure (waiting for all of them in every round would make every round long).
        const loadedAt = Date.now();
        await page.locator('.count', { hasText: new RegExp(`^${figures.toLocaleString('en-US')} figures$`) }).waitFor({ timeout: 120_000 });
        loaded.push(Date.now() - loadedAt + first.at(-1)!);
        // Keyboard, as a user would: focus a cell, Ctrl+End to the last row; Ctrl+Home back between jumps.
        await page.locator('.ag-row[row-index="0"] .ag-cell').first().click();
        for (let jump = 0; jump < (options.jumps ?? 5); jump += 1) {
          if (jump > 0) {
            await page.keyboard.press('Control+Home');
            await page.locator('.ag-row[row-index="0"]').first().waitFor();
            await page.waitForTimeout(300); // let the grid settle, so one jump's work does not run into the next
          }
          await page.evaluate(timeJumpToEnd(figures - 1));
          const lastRow = pageTiming(page, 'last-row', 30_000);
          await page.keyboard.press('Control+End');
          last.push(Math.round(await lastRow));
        }
        await page.close();
      }
    } finally {
      await browser.close();
    }
    if (shell) {
      // The same first rows in the full browser, once the shell is closed (one browser at a time: they share the cores).
      const full = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      try {
        for (let round = 0; round < rounds; round += 1) {
          fullFloor.push(await firstRowMs(full, floorHost.url));
          fullFirst.push(await firstRowMs(full, host.url));
        }
      } finally {
        await full.close();
      }
    }
  } finally {
    await host.close();
    await floorHost.close();
    rmSync(floorWorkbook, { force: true });
  }
  const firstStats = stats(first.map((ms) => ({ ms, rssMiB: null })));
  const floorStats = stats(floor.map((ms) => ({ ms, rssMiB: null })));
  const plainStats = stats(plain.map((ms) => ({ ms, rssMiB: null })));
  const lastStats = stats(last.map((ms) => ({ ms, rssMiB: null })));
  const loadedStats = stats(loaded.map((ms) => ({ ms, rssMiB: null })));
  const where = shell ? "Chromium's headless shell" : 'Chromium';
  const fullRows: BenchRow[] = [];
  if (shell) {
    const fullStats = stats(fullFirst.map((ms) => ({ ms, rssMiB: null })));
    const fullFloorStats = stats(fullFloor.map((ms) => ({ ms, rssMiB: null })));
    fullRows.push({
      measure: `renderer reference: the same first rows in the full Chromium browser (${CHROMIUM}, headless mode)`,
      ours: fullStats,
      baseline: fullFloorStats,
      baselineName: 'ag-grid alone, in the same browser',
      target: '(reference: the browser builds its own window UI while the page loads)',
      met: null,
      note: `Timed as above, after the shell's rounds, alternating with the floor. The app takes ×${(fullStats.median / fullFloorStats.median).toFixed(2)} the floor here; the full browser adds ${Math.round(fullStats.median - firstStats.median)} ms to the app and ${Math.round(fullFloorStats.median - floorStats.median)} ms to ag-grid alone, what that browser does besides the page, on the same 2 cores (a trace of one load shows its own window UI at work: the omnibox popup's WebUI scripts parsed during the page load); an Electron window has no browser UI.`,
    });
  }
  return [
    {
      measure: `renderer: first grid rows visible after navigation (${figures.toLocaleString('en-US')} figures, ${where} via the host)`,
      ours: firstStats,
      baseline: floorStats,
      baselineName: 'ag-grid alone: same modules, theme and first page, no app (bench/grid-floor)',
      target: '< 1 s',
      met: firstStats.median < 1000,
      note: `${shell ? `In ${HEADLESS_SHELL} (the same Blink and V8 as ${CHROMIUM}, without the browser's own windows; the full browser is a reference row below). ` : ''}Both timed in the page, from the start of navigation to the first frame showing the first row; each load in a fresh browser context, the two alternating. The app takes ×${(firstStats.median / floorStats.median).toFixed(2)} the floor${floorStats.median >= 1000 ? ', and the floor itself is over 1 s here: ag-grid alone does not reach the target on this machine' : ''}.`,
    },
    {
      measure: 'renderer reference: the same first rows as a static page, plain HTML and CSS, no script (what the browser alone costs here)',
      ours: plainStats,
      baseline: null,
      baselineName: '–',
      target: '(reference)',
      met: null,
      note: `Timed like the two above, in the same rounds. Of the app's ${firstStats.median} ms, ${plainStats.median} ms pass before any page could show a row here (a fresh browser context, the document, its first frame); the rest is loading and running the grid.`,
    },
    ...fullRows,
    {
      measure: 'renderer: every figure loaded into the grid (pages after the first, in the background; last round only)',
      ours: loadedStats,
      baseline: null,
      baselineName: '–',
      target: '(reference)',
      met: null,
    },
    {
      measure: 'renderer: Ctrl+End to the last row visible (in the page: keydown to the frame that shows it; Ctrl+Home between jumps)',
      ours: lastStats,
      baseline: null,
      baselineName: '–',
      target: '< 250 ms',
      met: lastStats.median < 250,
    },
  ];
}
