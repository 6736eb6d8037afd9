/// <reference lib="dom" />
// The figures grid in Chromium against the real store: keyboard entry, validation, undo/redo from the change log,
// paste from a spreadsheet, retraction, and the provenance panel — each checked in the workbook file itself.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FIGURE_ORDER } from '../../src/core/store/figures';
import { cell, changeCount, e2eSuite, figureId, filterMetric, query, screenshot, status } from './support/app';

const suite = e2eSuite();

interface FigureRow {
  id: string;
  metric: string;
  metric_label: string;
  value: number | null;
  low: number | null;
  high: number | null;
  qualifier: string;
  as_of: string | null;
  source: string;
  relayed_via: string | null;
  citation: string | null;
  location: string | null;
  excerpt: string | null;
  status: string;
  retracted_reason: string | null;
  citation_url: string | null;
}

const FIGURES_SQL = `
  SELECT f.id, m.code AS metric, m.label AS metric_label, f.value, f.low, f.high, f.qualifier, f.as_of, s.name AS source, rv.name AS relayed_via,
         c.title AS citation, c.url AS citation_url, l.name AS location, f.excerpt, f.status, f.retracted_reason
    FROM figure f JOIN metric m ON m.id = f.metric_id JOIN source s ON s.id = f.source_id
    LEFT JOIN source rv ON rv.id = f.relayed_via_id JOIN citation c ON c.id = f.citation_id LEFT JOIN location l ON l.id = f.location_id`;

const figure = (workbook: string, id: string) => query<FigureRow>(workbook, `${FIGURES_SQL} WHERE f.id = ?`, id)[0]!;

describe('figures grid', () => {
  it('enters three figures by keyboard alone, and each is in the workbook file with its source, citation, place and date', async () => {
    const app = await suite.open();
    const { page, workbook } = app;
    const before = query<{ n: number }>(workbook, 'SELECT count(*) AS n FROM figure')[0]!.n;
    const changes = changeCount(workbook);

    await page.keyboard.press('Alt+N'); // to the new-figure row
    await page.keyboard.type('killed_civ');
    await page.keyboard.press('Tab');
    await page.keyboard.type('1,234');
    await page.keyboard.press('Tab'); // range: left empty
    await page.keyboard.press('Tab'); // qualifier
    await page.keyboard.type('at least');
    await page.keyboard.press('Tab'); // as of
    await page.keyboard.type('2024-06-01');
    await page.keyboard.press('Tab'); // location
    await page.keyboard.type('gaza str');
    await page.keyboard.press('Tab'); // source
    await page.keyboard.type('israel def');
    await page.keyboard.press('Tab'); // relayed via
    await page.keyboard.type('times of');
    await page.keyboard.press('Tab'); // citation
    await page.keyboard.type('sullivan');
    await page.keyboard.press('Tab'); // excerpt
    await page.keyboard.type('at least 1,234 civilians');
    await screenshot(page, 'grid-keyboard-entry');
    await page.keyboard.press('Enter');
    await status(page, /^Saved: killed_civilian at least 1,234/);

    // The next row keeps the source, citation, place and date: metric, value, Enter.
    await page.keyboard.type('killed_comb');
    await page.keyboard.press('Tab');
    await page.keyboard.type('950');
    await page.keyboard.press('Enter');
    await status(page, /^Saved: killed_combatant 950/);
    await page.keyboard.type('injured');
    await page.keyboard.press('Tab');
    await page.keyboard.type('3 000');
    await page.keyboard.press('Enter');
    await status(page, /^Saved: injured 3,000/);

    const added = query<FigureRow>(workbook, `${FIGURES_SQL} WHERE f.import_batch_id IS NULL AND f.as_of = '2024-06-01' ORDER BY f.id`);
    expect(added.map((f) => [f.metric, f.value, f.qualifier])).toEqual([
      ['killed_civilian', 1234, 'at_least'],
      ['killed_combatant', 950, 'exact'],
      ['injured', 3000, 'exact'],
    ]);
    for (const f of added) {
      expect(f).toMatchObject({
        source: 'Israel Defense Forces',
        relayed_via: 'The Times of Israel',
        location: 'Gaza Strip',
        as_of: '2024-06-01',
        status: 'draft',
      });
      expect(f.citation).toMatch(/Sullivan/);
    }
    expect(added[0]!.excerpt).toBe('at least 1,234 civilians');
    expect(query<{ n: number }>(workbook, 'SELECT count(*) AS n FROM figure')[0]!.n).toBe(before + 3);
    expect(changeCount(workbook)).toBe(changes + 3); // one logged insert each, nothing else
    // and the grid shows them
    for (const f of added) await expect.poll(() => page.locator(cell(f.id, 'source')).textContent()).toBe('Israel Defense Forces');
    await screenshot(page, 'grid-after-entry');
  });

  it('shows why a value cannot be read, on the cell, and writes nothing until it is valid', async () => {
    const app = await suite.open();
    const { page, workbook } = app;
    const id = figureId(workbook, 'killed_civilian', 'Israel Defense Forces');
    await filterMetric(page, 'killed_civilian');
    const changes = changeCount(workbook);

    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('20k0');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(cell(id, 'value')).getAttribute('class')).toMatch(/cell-invalid/);
    await page.keyboard.press('ArrowUp'); // back onto the cell: its problem shows under it
    await expect.poll(() => page.locator('.cell-callout').textContent()).toMatch(/Value: not a number/);
    expect(await page.locator(cell(id, 'value')).textContent()).toContain('20k0');
    await screenshot(page, 'grid-invalid-value');
    expect(changeCount(workbook)).toBe(changes);
    expect(figure(workbook, id).value).toBe(20000);

    // A rule across cells: a range whose low exceeds its high.
    await page.locator(cell(id, 'range')).click();
    await page.keyboard.type('30000-25000');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(cell(id, 'range')).getAttribute('class')).toMatch(/cell-invalid/);
    await status(page, /Not saved/);
    expect(changeCount(workbook)).toBe(changes);

    // Fixing both cells saves the figure in one go.
    await page.locator(cell(id, 'range')).click();
    await page.keyboard.type('18000-22000');
    await page.keyboard.press('Enter');
    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('21000');
    await page.keyboard.press('Enter');
    await status(page, /^Saved/);
    await expect.poll(() => figure(workbook, id)).toMatchObject({ value: 21000, low: 18000, high: 22000 });
    expect(await page.locator(cell(id, 'value')).getAttribute('class')).not.toMatch(/cell-invalid/);
  });

  it('checks edits made before the rules (zod, loaded after the first rows) arrive, and writes nothing invalid', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const rulesRequested: string[] = [];
    const app = await suite.open({
      beforeLoad: (context) =>
        context.route(/\/rowRules-[\w-]+\.js$/, async (route) => {
          rulesRequested.push(route.request().url());
          await held;
          await route.fallback();
        }),
    });
    const { page, workbook } = app;
    const id = figureId(workbook, 'killed_civilian', 'Israel Defense Forces');
    await expect.poll(() => rulesRequested.length).toBe(1); // asked for once the first rows are drawn
    await filterMetric(page, 'killed_civilian');
    const changes = changeCount(workbook);

    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('21500');
    await page.keyboard.press('Enter');
    await page.locator(cell(id, 'range')).click();
    await page.keyboard.type('30000-25000'); // low above high: only the schema knows
    await page.keyboard.press('Enter');
    // Held back: what was typed shows, nothing is written, nothing is called valid or invalid yet.
    await expect.poll(() => page.locator(cell(id, 'value')).textContent()).toBe('21,500');
    await page.waitForTimeout(500);
    expect(changeCount(workbook)).toBe(changes);
    expect(await page.locator(cell(id, 'range')).getAttribute('class')).not.toMatch(/cell-invalid/);

    release();
    await expect.poll(() => page.locator(cell(id, 'range')).getAttribute('class')).toMatch(/cell-invalid/);
    await page.waitForTimeout(500);
    expect(changeCount(workbook)).toBe(changes);
    expect(figure(workbook, id)).toMatchObject({ value: 20000, low: null, high: null });

    // Fixing the range saves both edits in one go; the rules were asked for once.
    await page.locator(cell(id, 'range')).click();
    await page.keyboard.type('18000-22000');
    await page.keyboard.press('Enter');
    await expect.poll(() => figure(workbook, id)).toMatchObject({ value: 21500, low: 18000, high: 22000 });
    expect(changeCount(workbook)).toBe(changes + 1);
    expect(rulesRequested).toHaveLength(1);
  });

  it('loads a large workbook in pages: every figure once, in the list order, the last one reached by Ctrl+End', async () => {
    // 20,500 more figures than the demo's: the first page, two full pages and one more (pages of 300, then 10,000).
    const app = await suite.open({
      setup: async (api) => {
        const source = (await api.createSource({ name: 'Synthetic crossing monitor', kind: 'other', party_to_conflict: 0 })).value;
        const citation = (await api.createCitation({ title: 'Synthetic daily crossings (test data)', published: '2025-01-01' })).value;
        const metric = (await api.listMetrics({})).find((m) => m.code === 'aid_trucks')!;
        const day = (i: number) => new Date(Date.UTC(2025, 0, 1) + Math.floor(i / 10) * 86_400_000).toISOString().slice(0, 10);
        const figure = (i: number) => ({
          metric_id: metric.id,
          source_id: source.id,
          citation_id: citation.id,
          as_of: day(i),
          value: i,
          note: `synthetic ${i}`,
        });
        for (const [from, to] of [
          [0, 10_000],
          [10_000, 20_000],
          [20_000, 20_500],
        ] as const) {
          await api.createFigures({ figures: Array.from({ length: to - from }, (_, k) => figure(from + k)) });
        }
      },
    });
    const { page, workbook } = app;
    const listed = query<{ id: string }>(workbook, `SELECT f.id FROM figure f WHERE f.status <> 'retracted' ${FIGURE_ORDER}`).map((row) => row.id);
    expect(listed.length).toBeGreaterThan(20_300 + 2_000);
    await page.locator('.count', { hasText: new RegExp(`^${listed.length.toLocaleString('en-US')} figures$`) }).waitFor({ timeout: 60_000 });
    const shownRows = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('.ag-row[row-id]:not([row-id="new-figure"])')].map(
          (row) => [Number(row.getAttribute('row-index')), row.getAttribute('row-id')!] as const,
        ),
      );
    const expectInListOrder = (rows: ReadonlyArray<readonly [number, string]>) => {
      expect(rows.length).toBeGreaterThan(10);
      expect(rows.map(([index]) => listed[index])).toEqual(rows.map(([, id]) => id));
    };
    expectInListOrder(await shownRows());
    await page.locator('.ag-row[row-index="0"] .ag-cell[col-id="value"]').click();
    await page.keyboard.press('Control+End');
    await page.locator(`.ag-row[row-index="${listed.length - 1}"]`).waitFor();
    const atEnd = await shownRows();
    expectInListOrder(atEnd);
    expect(Math.max(...atEnd.map(([index]) => index))).toBe(listed.length - 1); // nothing after the last figure
    await screenshot(page, 'grid-large-end');
  });

  it('draws the first rows before the catalog arrives, each naming its metric, place, sources and citation as loaded', async () => {
    type Shown = { id: string; metric: string; location: string; source: string; relayed_via: string; citation: string };
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let shownWhileHeld: Shown[] = [];
    let heldError: unknown = null;
    const readRows = (page: Page) =>
      page.evaluate(() =>
        [...document.querySelectorAll('.ag-row[row-id]:not([row-id="new-figure"])')].map((row) => {
          const text = (column: string) => row.querySelector(`.ag-cell[col-id="${column}"]`)?.textContent ?? '';
          return {
            id: row.getAttribute('row-id')!,
            metric: text('metric'),
            location: text('location'),
            source: text('source'),
            relayed_via: text('relayed_via'),
            citation: text('citation'),
          };
        }),
      );
    const app = await suite.open({
      beforeLoad: async (context) => {
        // The citations (the catalog's largest answer) are held until the first rows have been read off the page.
        await context.route(/\/api\/listCitations$/, async (route) => {
          await held;
          await route.fallback();
        });
        context.on('page', (page) => {
          void page
            .locator('.ag-row[row-index="0"]')
            .waitFor({ timeout: 10_000 }) // rows that never come release the hold and fail below, not at the time limit
            .then(async () => (shownWhileHeld = await readRows(page)))
            .catch((error: unknown) => (heldError = error))
            .finally(release);
        });
      },
    });
    expect(heldError).toBeNull();
    expect(shownWhileHeld.length).toBeGreaterThan(0);
    const expected = (id: string): Shown => {
      const f = figure(app.workbook, id);
      return {
        id,
        metric: f.metric_label, // the grid names a metric by its label
        location: f.location ?? '',
        source: f.source,
        relayed_via: f.relayed_via ?? '',
        citation: f.citation ?? f.citation_url ?? '(untitled)',
      };
    };
    expect(shownWhileHeld).toEqual(shownWhileHeld.map((row) => expected(row.id)));
    expect(shownWhileHeld.some((row) => row.relayed_via !== '' && row.location !== '')).toBe(true); // the optional names too
    // Once the catalog has arrived, the same rows read the same.
    const shownAfter = await readRows(app.page);
    expect(shownAfter.filter((row) => shownWhileHeld.some((held) => held.id === row.id))).toEqual(
      shownWhileHeld.filter((row) => shownAfter.some((after) => after.id === row.id)),
    );
  });

  it('asks for every script it starts with before it asks the workbook anything, so none waits behind the first data', async () => {
    // The first data is seven requests, more than the six connections Chromium opens to one host: a script found
    // only once the app's chunk is parsed (one it imports) would queue behind them, and the app could not run until
    // it arrived. The first frame showing a row is recorded in the page, as the renderer benchmark does.
    const app = await suite.open({
      beforeLoad: (context) =>
        context.addInitScript(() => {
          const look = () => {
            const row = document.querySelector('.ag-row[row-index="0"]');
            if (row && row.getBoundingClientRect().height > 0) document.documentElement.dataset.firstRow = String(performance.now());
            else requestAnimationFrame(look);
          };
          requestAnimationFrame(look);
        }),
    });
    const { page } = app;
    await page.locator('html[data-first-row]').waitFor();
    const timings = await page.evaluate(() => {
      const firstRow = Number(document.documentElement.dataset.firstRow);
      const entries = performance.getEntriesByType('resource').map((entry) => ({ path: new URL(entry.name).pathname, start: entry.startTime }));
      return { firstRow, entries };
    });
    const api = timings.entries.filter((entry) => entry.path.startsWith('/api/'));
    // Scripts asked for before the first row was drawn; the row rules are asked for after it, on purpose.
    const startScripts = timings.entries.filter((entry) => entry.path.endsWith('.js') && entry.start < timings.firstRow && !/\/rowRules-/.test(entry.path));
    expect(api.length).toBeGreaterThanOrEqual(7);
    expect(startScripts.length).toBeGreaterThanOrEqual(2); // the entry and the app's chunk, at least
    const firstApiCall = Math.min(...api.map((entry) => entry.start));
    expect(startScripts.filter((entry) => entry.start > firstApiCall).map((entry) => entry.path)).toEqual([]);
  });

  it('undoes and redoes edits from the change log, also after the grid is sorted', async () => {
    const app = await suite.open();
    const { page, workbook } = app;
    const id = figureId(workbook, 'killed_total', 'Gaza Ministry of Health');
    await page.locator('.filter-bar input[type="search"]').fill('report_date=2026-08-22');
    await expect.poll(() => page.locator(cell(id, 'value')).count()).toBe(1);
    const original = figure(workbook, id).value;

    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('80000');
    await page.keyboard.press('Enter');
    await status(page, /^Saved Value/);
    expect(figure(workbook, id).value).toBe(80000);

    // Sorting would clear ag-grid's own undo stack; ours is the change log.
    await page.locator('.ag-header-cell[col-id="value"]').click();
    await page.locator('.ag-header-cell[col-id="value"]').click();
    await page.keyboard.press('Control+z');
    await status(page, /^Undone: edit Value/);
    expect(figure(workbook, id).value).toBe(original);
    await expect.poll(() => page.locator(cell(id, 'value')).textContent()).toBe(original!.toLocaleString('en-US'));

    await page.locator('.ag-header-cell[col-id="as_of"]').click();
    await page.keyboard.press('Control+y');
    await status(page, /^Redone: edit Value/);
    expect(figure(workbook, id).value).toBe(80000);
    await expect.poll(() => page.locator(cell(id, 'value')).textContent()).toBe('80,000');

    // Undo and redo are themselves in the change log, each naming the change it reverses. (The demo figure's insert
    // is its import's one entry, logged under the batch's id.)
    const log = query<{ op: string; undoes: number | null; why: string | null }>(
      workbook,
      "SELECT op, undoes, why FROM change_log WHERE entity = 'figure' AND entity_id = ? ORDER BY id",
      id,
    );
    expect(log.map((e) => e.op)).toEqual(['update', 'update', 'update']);
    expect(log.slice(1).every((e) => e.undoes !== null)).toBe(true);
    expect(log[1]!.why).toMatch(/^undo: /);
    expect(log[2]!.why).toMatch(/^redo: /);
  });

  it('an undo or redo reads back only the figure it changed, not the catalog or the other rows, and says what it undid', async () => {
    const app = await suite.open();
    const { page, workbook } = app;
    const id = figureId(workbook, 'killed_civilian', 'Israel Defense Forces');
    await page.locator('.filter-bar input[type="search"]').fill('IDF');
    await expect.poll(() => page.locator(cell(id, 'value')).count()).toBe(1);
    const rowsShown = await page.locator('.ag-row:not(.ag-row-pinned)').count();
    expect(rowsShown).toBeGreaterThan(1);
    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('21000');
    await page.keyboard.press('Enter');
    await status(page, /^Saved Value/);

    // Every call the page makes from here: its name and what it asked.
    const calls: Array<{ name: string; input: Record<string, unknown> }> = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/api/')) calls.push({ name: path.slice('/api/'.length), input: JSON.parse(request.postData() ?? '{}') });
    });
    // Another row's grid object must be the very same after the undo: only the changed row is replaced.
    const other = await page
      .locator('.ag-row:not(.ag-row-pinned)')
      .evaluateAll((rows, changed) => rows.map((r) => r.getAttribute('row-id')).find((r) => r !== changed), id);
    const otherCell = page.locator(cell(other!, 'value'));
    const otherText = await otherCell.textContent();
    await otherCell.evaluate((element) => element.setAttribute('data-untouched', 'yes'));

    // Aside: the top bar's counts follow every write, the provenance panel the focused row (its history and its
    // warnings), the rows' warning marks the rows on screen.
    // (and the Conflicts tab's badge, a count: an undo may open a settled conflict again)
    const ASIDE = new Set(['getWorkbookInfo', 'history', 'listWarnings', 'figureWarnings', 'listConflicts']);
    const reads = () => calls.filter((c) => !ASIDE.has(c.name));
    await page.keyboard.press('Control+z');
    expect(await status(page, /^Undone: /)).toBe('Undone: edit Value of killed_civilian.');
    await expect.poll(() => page.locator(cell(id, 'value')).textContent()).toBe('20,000');
    // The search narrows the rows held: the figure is read back as they were read, and the search asked only
    // whether this one figure still matches.
    expect(reads().map((c) => c.name)).toEqual(['undo', 'listFigures', 'figureIds']);
    expect(reads()[1]!.input).toEqual({ ids: [id] });
    expect(reads()[2]!.input).toEqual({ ids: [id], search: 'IDF' });
    expect(await otherCell.getAttribute('data-untouched')).toBe('yes');
    expect(await otherCell.textContent()).toBe(otherText);
    expect(await page.locator('.ag-row:not(.ag-row-pinned)').count()).toBe(rowsShown);

    calls.length = 0;
    await page.keyboard.press('Control+y');
    expect(await status(page, /^Redone: /)).toBe('Redone: edit Value of killed_civilian.');
    await expect.poll(() => page.locator(cell(id, 'value')).textContent()).toBe('21,000');
    expect(reads().map((c) => c.name)).toEqual(['undo', 'listFigures', 'figureIds']);
    expect(figure(workbook, id).value).toBe(21000);
    expect(await otherCell.getAttribute('data-untouched')).toBe('yes');
  });

  it('an undo that brings a figure back into the filter, or takes one out of it, adds or removes just that row', async () => {
    const app = await suite.open();
    const { page, workbook } = app;
    const id = figureId(workbook, 'killed_combatant', 'Israel Defense Forces');
    await filterMetric(page, 'killed_combatant');
    const before = await page.locator('.ag-row:not(.ag-row-pinned)').count();
    // The metric changed: the figure no longer matches the filter, but an edit leaves it where it is.
    await page.locator(cell(id, 'metric')).click();
    await page.keyboard.type('killed_total');
    await page.keyboard.press('Enter');
    await status(page, /^Saved Metric/);
    await page.locator('.filter-bar select[aria-label="Metric"]').selectOption('killed_total');
    await expect.poll(() => page.locator(cell(id, 'value')).count()).toBe(1);
    await page.locator('.toolbar .count', { hasText: /^[\d,]+ figures$/ }).waitFor();
    const shown = await page.locator('.toolbar .count').textContent();
    // Undone, it is a killed_combatant figure again: out of this filter's rows.
    await page.keyboard.press('Control+z');
    await status(page, /^Undone: edit Metric of killed_total/);
    await expect.poll(() => page.locator(cell(id, 'value')).count()).toBe(0);
    expect(figure(workbook, id).metric).toBe('killed_combatant');
    const n = Number(shown!.replace(/\D/g, ''));
    await expect.poll(() => page.locator('.toolbar .count').textContent()).toBe(`${(n - 1).toLocaleString('en-US')} figures`);
    // Redone, back in (in list order, off screen among a thousand rows: counted, not seen).
    await page.keyboard.press('Control+y');
    await status(page, /^Redone: /);
    await expect.poll(() => page.locator('.toolbar .count').textContent()).toBe(shown);
    await page.locator('.filter-bar select[aria-label="Metric"]').selectOption('killed_combatant');
    await expect.poll(() => page.locator('.ag-row:not(.ag-row-pinned)').count()).toBe(before - 1);
  });

  it('adds rows pasted from a spreadsheet as new figures, or none of them with a list of each row’s problems', async () => {
    const app = await suite.open();
    const { page, workbook } = app;
    const paste = (text: string) =>
      page.evaluate((tsv) => {
        const data = new DataTransfer();
        data.setData('text/plain', tsv);
        (document.activeElement ?? document.body).dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, text);
    const citation = "Times of Israel report on Sullivan's meeting with Israeli security officials (Rafah, aid, civilian harm)";
    await page.keyboard.press('Alt+N');

    const changes = changeCount(workbook);
    await paste(
      [
        'metric\tvalue\tas_of\tsource\tcitation_title\tlocation',
        `aid_trucks\t1,200\t2024-05-01\tThe Times of Israel\t${citation}\tKerem Shalom crossing`,
        `aid_trucks\tabout\t2024-05-02\tThe Times of Israel\t${citation}\tKerem Shalom crossing`,
        `aid_trucks\t300\t2024-13-02\tNobody Known\t${citation}\tKerem Shalom crossing`,
      ].join('\r\n'),
    );
    const dialog = page.locator('dialog[data-dialog="paste-problems"]');
    await dialog.waitFor();
    const problems = await dialog.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(problems).toEqual(
      expect.arrayContaining([
        // the header is row 1, as in the CLI's and the import's messages
        ['3', 'Value', 'about', expect.stringMatching(/qualifier but no number/)],
        ['4', 'As of', '2024-13-02', expect.stringMatching(/expected a date/)],
        ['4', 'Source', 'Nobody Known', expect.stringMatching(/no source “Nobody Known”/)],
      ]),
    );
    expect(await dialog.textContent()).toMatch(/2 of 3 pasted rows have problems; nothing was added/);
    await screenshot(page, 'grid-paste-problems');
    expect(changeCount(workbook)).toBe(changes);
    await dialog.locator('.dialog-footer button').click();

    await paste(
      [
        'metric\tvalue\tas_of\tsource\tcitation_title\tlocation',
        `aid_trucks\t1,200\t2024-05-01\tThe Times of Israel\t${citation}\tKerem Shalom crossing`,
        `aid_trucks\t~950\t2024-05-02\tThe Times of Israel\t${citation}\tKerem Shalom crossing`,
        `aid_trucks\t300\t2024-05-02\tThe Times of Israel\t${citation}\tRafah crossing`,
      ].join('\r\n'),
    );
    await status(page, /^Pasted 3 figures/);
    // the pasted rows, not the demo's own aid claims (an import batch)
    const added = query<FigureRow>(workbook, `${FIGURES_SQL} WHERE m.code = 'aid_trucks' AND f.import_batch_id IS NULL ORDER BY f.as_of, l.name`);
    expect(added.map((f) => [f.value, f.qualifier, f.as_of, f.location, f.source])).toEqual([
      [1200, 'exact', '2024-05-01', 'Kerem Shalom crossing', 'The Times of Israel'],
      [950, 'approximately', '2024-05-02', 'Kerem Shalom crossing', 'The Times of Israel'],
      [300, 'exact', '2024-05-02', 'Rafah crossing', 'The Times of Israel'],
    ]);
    // one transaction: one undo takes the whole paste back
    const txns = query<{ n: number }>(workbook, 'SELECT count(DISTINCT txn) AS n FROM change_log WHERE id > (SELECT max(id) - 3 FROM change_log)')[0]!.n;
    expect(txns).toBe(1);
    await page.locator('.ag-header-cell[col-id="metric"]').click();
    await page.keyboard.press('Control+z');
    await status(page, /^Undone: paste of 3 figures/);
    const pasted = query<FigureRow>(workbook, `${FIGURES_SQL} WHERE m.code = 'aid_trucks' AND f.import_batch_id IS NULL`);
    expect(pasted).toHaveLength(3);
    expect(pasted.every((f) => f.status === 'retracted')).toBe(true);
  });

  it('retracts a figure with a reason: it leaves the grid but stays in the workbook', async () => {
    const app = await suite.open();
    const { page, workbook } = app;
    const id = figureId(workbook, 'killed_combatant', 'Israel Defense Forces');
    await filterMetric(page, 'killed_combatant');
    await page.locator(cell(id, 'metric')).click();
    await page.getByRole('button', { name: 'Retract…' }).first().click();
    const dialog = page.locator('dialog[data-dialog="reason"]');
    await dialog.getByRole('button', { name: 'Retract' }).click();
    await expect.poll(() => dialog.locator('.form-error').textContent()).toMatch(/reason is required/);
    await dialog.locator('textarea').fill('The IDF revised its estimate');
    await dialog.locator('textarea').press('Enter');
    await status(page, /^Retracted killed_combatant ~15,000/);
    expect(figure(workbook, id)).toMatchObject({ status: 'retracted', retracted_reason: 'The IDF revised its estimate' });
    await expect.poll(() => page.locator(cell(id, 'value')).count()).toBe(0);
    await expect.poll(() => page.locator('.ag-overlay').textContent()).toMatch(/No figures to show/);

    await page.locator('.filter-bar label:has-text("Retracted") input').check();
    await expect.poll(() => page.locator(`.ag-row[row-id="${id}"]`).getAttribute('class')).toMatch(/row-retracted/);
    expect(await page.locator('.provenance').textContent()).toMatch(/Retracted: The IDF revised its estimate/);
  });

  it('remembers the column layout — hidden and shown columns, sort — when the app is opened again', async () => {
    const app = await suite.open();
    const { page } = app;
    const chooser = page.locator('details.dropdown');
    const columnBox = (name: string) => chooser.locator('label', { hasText: name }).locator('input');
    await chooser.locator('summary').click();
    await columnBox('Relayed via').uncheck();
    await columnBox('Confidence').check();
    await chooser.locator('summary').click();
    await page.locator('.ag-header-cell[col-id="value"]').click();
    await expect.poll(() => page.locator('.ag-header-cell[col-id="value"]').getAttribute('aria-sort')).toBe('ascending');
    await page.waitForTimeout(400); // the layout is saved after a short pause

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await expect.poll(() => page.locator('.ag-header-cell[col-id="value"]').getAttribute('aria-sort')).toBe('ascending');
    await chooser.locator('summary').click();
    expect(await columnBox('Relayed via').isChecked()).toBe(false);
    expect(await columnBox('Confidence').isChecked()).toBe(true);
    expect(await columnBox('Metric').isChecked()).toBe(true);
  });

  it('sorts by Value and by Source, up and down, in the order of the figures themselves, and back to the list order', async () => {
    const app = await suite.open();
    const { page, workbook } = app;
    const shown = query<FigureRow>(workbook, `${FIGURES_SQL} WHERE f.status <> 'retracted'`);
    // the rows drawn, in row order (a row has a part in each column container: one id each)
    const firstRows = async () =>
      page.$$eval('.ag-row[row-index]:not(.ag-row-pinned)', (rows) => {
        const byIndex = new Map(rows.map((row) => [Number(row.getAttribute('row-index')), row.getAttribute('row-id')!]));
        return [...byIndex].sort((a, b) => a[0] - b[0]).map(([, id]) => id);
      });
    const byId = new Map(shown.map((f) => [f.id, f]));
    const missingFirst = (a: number | string | null, b: number | string | null) =>
      a === null ? (b === null ? 0 : -1) : b === null ? 1 : a < b ? -1 : a > b ? 1 : 0;
    const columns: Array<[string, (f: FigureRow) => number | string | null]> = [
      ['value', (f) => f.value],
      ['source', (f) => f.source],
    ];
    for (const [column, key] of columns) {
      const header = page.locator(`.ag-header-cell[col-id="${column}"]`);
      const all = shown.map(key).sort(missingFirst);
      for (const [state, sign] of [
        ['ascending', 1],
        ['descending', -1],
      ] as const) {
        await header.locator('.ag-header-cell-label').click();
        await expect.poll(() => header.getAttribute('aria-sort')).toBe(state);
        const values = (await firstRows()).map((id) => key(byId.get(id)!));
        expect(values.length).toBeGreaterThan(5);
        for (let i = 1; i < values.length; i += 1) expect(missingFirst(values[i - 1]!, values[i]!) * sign).toBeLessThanOrEqual(0);
        expect(values[0]).toBe(sign === 1 ? all[0] : all.at(-1));
      }
      await header.locator('.ag-header-cell-label').click();
      await expect.poll(() => header.getAttribute('aria-sort')).toBe('none');
    }
    // unsorted: the list order (date, then id), as the core gives it
    const listed = query<{ id: string }>(workbook, `SELECT f.id FROM figure f WHERE f.status <> 'retracted' ${FIGURE_ORDER}`).map((r) => r.id);
    const rows = await firstRows();
    expect(rows).toEqual(listed.slice(0, rows.length));
  });

  it('shows a figure’s provenance and full history, and reverts it to an earlier state', async () => {
    const app = await suite.open();
    const { page, workbook } = app;
    const id = figureId(workbook, 'killed_civilian', 'Israel Defense Forces');
    await filterMetric(page, 'killed_civilian');
    await page.locator(cell(id, 'value')).click();
    const panel = page.locator('.provenance');
    await expect.poll(() => panel.textContent()).toMatch(/Israel Defense Forces/);
    const text = (await panel.textContent())!;
    expect(text).toMatch(/Claimant.*Israel Defense Forces \(IDF\).*military · party to the conflict.*Relayed via The Times of Israel/s);
    expect(text).toMatch(/Citation.*Sullivan.*The Times of Israel · published 2024-05-19/s);
    expect(await panel.locator('blockquote mark').textContent()).toBe('20,000');
    expect(text).toMatch(/Entered by hand, not imported/);

    // two edits, then back to the figure as it was created
    for (const value of ['21000', '22000']) {
      await page.locator(cell(id, 'value')).click();
      await page.keyboard.type(value);
      await page.keyboard.press('Enter');
      await status(page, /^Saved Value/);
      // the status line may still show the previous edit's "Saved": wait for this edit's value in the workbook
      await expect.poll(() => figure(workbook, id).value).toBe(Number(value));
    }
    // an edit changes only the cell edited: the qualifier and status stay as they were
    expect(figure(workbook, id)).toMatchObject({ value: 22000, qualifier: 'approximately', status: 'checked' });
    await page.locator(cell(id, 'value')).click();
    await expect.poll(() => panel.locator('.history-entry').count()).toBe(3);
    expect(await panel.locator('.history-entry').first().textContent()).toMatch(/update.*value\s*21,000\s*→\s*22,000/s);
    await screenshot(page, 'grid-provenance-history');
    const created = panel.locator('.history-entry.op-insert');
    await created.getByRole('button', { name: 'Revert to this' }).click();
    await status(page, /^Reverted killed_civilian to change #\d+: now ~20,000/);
    expect(figure(workbook, id).value).toBe(20000);
    await expect.poll(() => panel.locator('.history-entry').count()).toBe(4);
    expect(await panel.locator('.history-entry').first().textContent()).toMatch(/revert to change #\d+/);
    await expect.poll(() => page.locator(cell(id, 'value')).textContent()).toBe('20,000');

    // an imported figure names its import batch and row
    await filterMetric(page, 'killed_total');
    await page.locator('.ag-row[row-index="0"] .ag-cell[col-id="value"]').click();
    await expect.poll(() => panel.textContent()).toMatch(/Import.*gaza-daily-casualties\.csv · row \d+/s);
  });
});
