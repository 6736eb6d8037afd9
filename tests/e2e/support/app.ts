/// <reference lib="dom" />
// The app in real Chromium against the real store: a demo workbook copied for each test, the HTTP host started
// in-process on it, one browser per test file, a fresh browser context per test. Every request the page makes is
// recorded, and any that leaves the app's origin is blocked (and fails the test that checks).
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { WorkbenchApi } from '../../../src/shared/api';
import { FIRST_START_KEY } from '../../../src/renderer/app/firstStart';
import { openSession } from '../../../src/core/session';
import { type Host, startHost } from '../../../src/host/server';
import { countFigures } from '../../../src/core/store/figures';
import { FigureFilter, type FigureFilterInput } from '../../../src/shared/schemas';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOTS = resolve('tests/e2e/screenshots');
const run = promisify(execFile);

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A demo workbook made once per test file; each test works on its own copy. */
export async function makeDemoTemplate(): Promise<{ path: string; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'fw-e2e-template-'));
  const path = join(dir, 'demo.fwb');
  const session = await openSession(path, { demo: true, user: 'analyst' });
  session.workbook.close(); // checkpoints the WAL: the file alone is the workbook
  return { path, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface App {
  page: Page;
  context: BrowserContext;
  host: Host;
  /** the workbook file the host serves */
  workbook: string;
  dir: string;
  /** every URL the page requested */
  requests: string[];
  /** URLs outside the app's origin (blocked) */
  foreign: string[];
  pageErrors: string[];
  /** CSP violations the page caused (blocked eval, inline script, remote load) */
  cspViolations(): Promise<string[]>;
  close(): Promise<void>;
}

export interface OpenOptions {
  colorScheme?: 'light' | 'dark';
  /** writes to the workbook before the host opens it (e.g. aid figures the demo lacks) */
  setup?: (api: WorkbenchApi) => Promise<void>;
  /** runs once the page's context exists, before the app is loaded (e.g. to hold back one of its requests) */
  beforeLoad?: (context: BrowserContext) => Promise<unknown>;
  /** the app's very first start (a new user): it opens on a contested day, not on every figure (firstStart.ts).
   * Otherwise the browser has started the app before, as an analyst's has. */
  firstStart?: boolean;
}

export async function openApp(browser: Browser, template: string, options: OpenOptions = {}): Promise<App> {
  const dir = mkdtempSync(join(tmpdir(), 'fw-e2e-'));
  const workbook = join(dir, 'workbook.fwb');
  copyFileSync(template, workbook);
  if (options.setup) {
    const session = await openSession(workbook, { user: 'analyst' });
    try {
      await options.setup(session.api);
    } finally {
      session.workbook.close();
    }
  }
  const host = await startHost({ workbookPath: workbook, user: 'analyst' });
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
    locale: 'en-US',
  });
  const requests: string[] = [];
  const foreign: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url.startsWith(`${host.origin}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    foreign.push(url);
    return route.abort('blockedbyclient');
  });
  // Every CSP violation the page causes (a blocked eval, inline script or remote load) is kept for the tests.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`),
    );
  });
  if (!options.firstStart) await context.addInitScript((key) => localStorage.setItem(key, 'before this test'), FIRST_START_KEY);
  await options.beforeLoad?.(context);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  // Not until 'load': a test may hold back a script the app asks for later (load would wait for it).
  await page.goto(host.url, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('.ag-row[row-index="0"]');
  return {
    page,
    context,
    host,
    workbook,
    dir,
    requests,
    foreign,
    pageErrors,
    cspViolations: () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
    close: async () => {
      await context.close();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * After each test: the page raised no error, caused no CSP violation and requested nothing outside its origin;
 * the app is closed even when those checks fail.
 */
export async function closeChecked(app: App | null): Promise<void> {
  if (!app) return;
  try {
    expect(app.pageErrors, 'errors in the page').toEqual([]);
    expect(app.foreign, 'requests outside the app').toEqual([]);
    expect(await app.cspViolations(), 'CSP violations').toEqual([]);
  } finally {
    await app.close();
  }
}

/** Reads the workbook file directly, as another program would (the host keeps it open in WAL mode). */
export function query<T = unknown>(workbook: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(workbook, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** How many figures the workbook holds for a filter, counted by the core's own query. */
export function workbookCount(workbook: string, filter: FigureFilterInput): number {
  const db = new Database(workbook, { readonly: true, fileMustExist: true });
  try {
    return countFigures(db, FigureFilter.parse(filter) as never);
  } finally {
    db.close();
  }
}

export function changeCount(workbook: string): number {
  return query<{ n: number }>(workbook, 'SELECT count(*) AS n FROM change_log')[0]!.n;
}

export function figureId(workbook: string, metric: string, source: string): string {
  const rows = query<{ id: string }>(
    workbook,
    `SELECT f.id FROM figure f JOIN metric m ON m.id = f.metric_id JOIN source s ON s.id = f.source_id WHERE m.code = ? AND s.name = ? ORDER BY f.effective_date DESC LIMIT 1`,
    metric,
    source,
  );
  if (!rows[0]) throw new Error(`no ${metric} figure from ${source}`);
  return rows[0].id;
}

/** The `workbench` CLI on the same file. */
export async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [resolve('bin/workbench.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

// ---- the grid ----

export const cell = (rowId: string, column: string) => `.ag-row[row-id="${rowId}"] .ag-cell[col-id="${column}"]`;
export const draftCell = (column: string) => cell('new-figure', column);

/**
 * Shows only one metric's figures, picked by its code (the grid renders the rows on screen; a filter brings a
 * figure into view). The grid names a metric by its label: the option's text.
 */
export async function filterMetric(page: Page, metric: string): Promise<void> {
  const select = page.locator('.filter-bar select[aria-label="Metric"]');
  await select.selectOption(metric);
  const label = await select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? '');
  await page.waitForFunction((m) => {
    const cells = [...document.querySelectorAll('.ag-row:not(.ag-row-pinned) .ag-cell[col-id="metric"]')];
    return cells.length > 0 && cells.every((c) => c.textContent === m);
  }, label);
}

/** Waits for the status line to say something matching `pattern`. */
export async function status(page: Page, pattern: RegExp): Promise<string> {
  const locator = page.locator('.status');
  await locator.filter({ hasText: pattern }).waitFor({ timeout: 10_000 });
  return (await locator.textContent()) ?? '';
}

/** One browser and one demo template per test file; each test's app is closed after it, and checked (page errors,
 * CSP violations, requests off the origin) by closeChecked. */
export function e2eSuite(): { open(options?: OpenOptions): Promise<App> } {
  let browser: Browser;
  let template: { path: string; dispose(): void };
  let app: App | null = null;
  beforeAll(async () => {
    [browser, template] = await Promise.all([launchBrowser(), makeDemoTemplate()]);
  });
  afterAll(async () => {
    await browser?.close();
    template?.dispose();
  });
  afterEach(async () => {
    const current = app;
    app = null;
    await closeChecked(current);
  });
  return { open: async (options = {}) => (app = await openApp(browser, template.path, options)) };
}
