/// <reference lib="dom" />
// Entering figures as in a spreadsheet, in Chromium against the real store: typed work is never lost — not by Esc,
// clicking away, switching views, a filter, a paste or an undo while the new-figure row is half typed — and never
// dropped without asking; and the habits of Excel and LibreOffice (paste over cells, Home/End, Ctrl+C, F2, Delete,
// Ctrl+Z anywhere but in a text box). Each test checks what the workbook file itself holds.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { API_CALL_NAMES } from '../../src/shared/api';
import { cell, changeCount, draftCell, e2eSuite, figureId, query, screenshot, status, workbookCount } from './support/app';
import { appEvent, desktopBridge, leaveAnswers } from './support/desktopBridge';

const suite = e2eSuite();

const CITATION = "Times of Israel report on Sullivan's meeting with Israeli security officials (Rafah, aid, civilian harm)";

interface Saved {
  metric: string;
  value: number | null;
  as_of: string | null;
  location: string | null;
  source: string;
  citation: string;
  excerpt: string | null;
}

/** The figure saved with this excerpt, as the workbook file holds it. */
function savedWith(workbook: string, excerpt: string): Saved[] {
  return query<Saved>(
    workbook,
    `SELECT m.code AS metric, f.value, f.as_of, l.name AS location, s.name AS source, c.title AS citation, f.excerpt
       FROM figure f JOIN metric m ON m.id = f.metric_id JOIN source s ON s.id = f.source_id
       JOIN citation c ON c.id = f.citation_id LEFT JOIN location l ON l.id = f.location_id
      WHERE f.excerpt = ?`,
    excerpt,
  );
}

/** Types each text into a cell and Tabs to the next (null: a cell passed over), as an analyst does. */
async function typeCells(page: Page, texts: Array<string | null>): Promise<void> {
  for (const [i, text] of texts.entries()) {
    if (i > 0) await page.keyboard.press('Tab');
    if (text === null) continue;
    await page.keyboard.type(text);
    // the editor holds what was typed before the next key: on a loaded machine a Tab can overtake the typing
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value ?? null)).toBe(text);
  }
}

/** Esc out of the open cell, and wait until its editor has closed: the next key or paste goes to the grid. */
async function leaveEditor(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('.ag-cell-inline-editing, .ag-popup-editor').count()).toBe(0);
}

/** From the new row's As of cell on: the date, place, source, (relayed via), citation and excerpt. */
const REST = (excerpt: string) => ['2024-06-03', 'gaza str', 'israel def', null, 'sullivan', excerpt];

const expected = (metric: string, value: number, excerpt: string): Saved => ({
  metric,
  value,
  as_of: '2024-06-03',
  location: 'Gaza Strip',
  source: 'Israel Defense Forces',
  citation: CITATION,
  excerpt,
});

/** Back into the new row at a cell, by clicking it, and types on from there. */
async function resumeAt(page: Page, column: string, texts: Array<string | null>): Promise<void> {
  await page.locator(draftCell(column)).click();
  await typeCells(page, texts);
}

/** Enter on the new row, and the figure with this excerpt is in the file. */
async function saveAndCheck(page: Page, workbook: string, figure: Saved): Promise<void> {
  await page.keyboard.press('Enter');
  await status(page, /^Saved: /);
  expect(savedWith(workbook, figure.excerpt!)).toEqual([figure]);
}

describe('never lose a keystroke', () => {
  it('Esc twice clears the new row ("New row cleared"), and the whole figure typed next is saved as typed', async () => {
    const { page, workbook } = await suite.open();
    await page.keyboard.press('Alt+N');
    await page.keyboard.type('kil');
    await leaveEditor(page); // the open cell first
    await page.keyboard.press('Escape'); // then the row
    await status(page, /New row cleared/);
    await typeCells(page, ['killed_civ', '1,234', null, null, ...REST('typed after a clear')]);
    await saveAndCheck(page, workbook, expected('killed_civilian', 1234, 'typed after a clear'));
  });

  it('Esc on an open cell cancels that cell only: the cells typed before it are kept and saved', async () => {
    const { page, workbook } = await suite.open();
    await page.keyboard.press('Alt+N');
    await typeCells(page, ['killed_comb', '950', '1-2']);
    await page.keyboard.press('Escape'); // the range being typed, not the row
    await expect.poll(() => page.locator(draftCell('value')).textContent()).toBe('950');
    await resumeAt(page, 'as_of', REST('kept after Esc'));
    await saveAndCheck(page, workbook, expected('killed_combatant', 950, 'kept after Esc'));
  });

  it('clicking away from a half-typed new row keeps it, the open cell included', async () => {
    const { page, workbook } = await suite.open();
    await page.keyboard.press('Alt+N');
    await typeCells(page, ['injured', '3 000']); // Value still open in its editor
    await page.locator('.ag-row[row-index="2"] .ag-cell[col-id="source"]').click();
    await expect.poll(() => page.locator(draftCell('value')).textContent()).toBe('3,000');
    await resumeAt(page, 'as_of', REST('kept after a click away'));
    await saveAndCheck(page, workbook, expected('injured', 3000, 'kept after a click away'));
  });

  it('switching to Compare and Sources and back keeps the half-typed new row', async () => {
    const { page, workbook } = await suite.open();
    await page.keyboard.press('Alt+N');
    await typeCells(page, ['killed_total', '40,000', null, null, '2024-06-03']);
    await page.keyboard.press('Alt+2');
    await page.locator('.compare-title').first().waitFor();
    await page.keyboard.press('Alt+3');
    await page.keyboard.press('Alt+1');
    await expect.poll(() => page.locator(draftCell('as_of')).textContent()).toBe('2024-06-03');
    await resumeAt(page, 'location', REST('kept across views').slice(1));
    await saveAndCheck(page, workbook, expected('killed_total', 40000, 'kept across views'));
  });

  it('a filter change reloads the rows above and keeps the half-typed new row', async () => {
    const { page, workbook } = await suite.open();
    await page.keyboard.press('Alt+N');
    await typeCells(page, ['killed_civ', '7,500']);
    await page.locator('.filter-bar select[aria-label="Metric"]').selectOption('injured');
    await page.locator('.filter-bar input[type="search"]').fill('ministry');
    const shown = workbookCount(workbook, { metric: ['injured'], search: 'ministry' });
    await expect.poll(() => page.locator('.count').textContent()).toBe(`${shown.toLocaleString('en-US')} figure${shown === 1 ? '' : 's'}`);
    await expect.poll(() => page.locator(draftCell('value')).textContent()).toBe('7,500');
    await resumeAt(page, 'as_of', REST('kept through a filter'));
    await saveAndCheck(page, workbook, expected('killed_civilian', 7500, 'kept through a filter'));
  });

  it('rows pasted while the new row is half typed are added, and the new row keeps what was typed', async () => {
    const { page, workbook } = await suite.open();
    await page.keyboard.press('Alt+N');
    await typeCells(page, ['killed_civ', '8,800', '']);
    await leaveEditor(page); // leave the Range cell's editor; the paste goes to the grid
    await paste(
      page,
      [
        'metric\tvalue\tas_of\tsource\tcitation_title\texcerpt',
        `aid_trucks\t120\t2024-05-01\tThe Times of Israel\t${CITATION}\tpasted one`,
        `aid_trucks\t130\t2024-05-02\tThe Times of Israel\t${CITATION}\tpasted two`,
      ].join('\n'),
    );
    await status(page, /^Pasted 2 figures/);
    expect(savedWith(workbook, 'pasted two').map((f) => f.value)).toEqual([130]);
    await expect.poll(() => page.locator(draftCell('value')).textContent()).toBe('8,800');
    await resumeAt(page, 'as_of', REST('kept through a paste'));
    await saveAndCheck(page, workbook, expected('killed_civilian', 8800, 'kept through a paste'));
  });

  it('an undo while the new row is half typed reloads the grid and keeps the new row', async () => {
    const { page, workbook } = await suite.open();
    await page.keyboard.press('Alt+N');
    await typeCells(page, ['killed_civ', '1,111', null, null, ...REST('to be undone')]);
    await page.keyboard.press('Enter');
    await status(page, /^Saved: /);
    // the next figure keeps the date, place, source and citation: its metric and value, then an undo
    await typeCells(page, ['killed_comb', '2,222', '']);
    await leaveEditor(page); // out of the Range cell: Ctrl+Z in an open cell is the text's own undo
    await page.keyboard.press('Control+z');
    await status(page, /^Undone: new figure killed_civilian 1,111/);
    expect(query(workbook, "SELECT 1 FROM figure WHERE excerpt = 'to be undone' AND status <> 'retracted'")).toEqual([]);
    await expect.poll(() => page.locator(draftCell('value')).textContent()).toBe('2,222');
    await resumeAt(page, 'excerpt', ['kept through an undo']);
    await saveAndCheck(page, workbook, expected('killed_combatant', 2222, 'kept through an undo'));
  });
});

describe('typed work is never dropped without asking', () => {
  it('a browser page with a half-typed new row asks before it is closed or reloaded; without one it does not', async () => {
    const { page, workbook } = await suite.open();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss(); // stay on the page
    });
    await page.keyboard.press('Alt+N');
    await typeCells(page, ['killed_civ', '4,321', null, null, ...REST('asked before unload')]);
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => dialogs).toEqual(['beforeunload']);
    expect(page.isClosed()).toBe(false);
    await page.locator(draftCell('excerpt')).click();
    await saveAndCheck(page, workbook, expected('killed_civilian', 4321, 'asked before unload'));

    await page.reload(); // nothing typed since the save: no question
    await page.waitForSelector('body[data-ready="true"]');
    expect(dialogs).toEqual(['beforeunload']);
  });

  it('in the desktop app, main’s question before closing or opening another workbook is answered in the app’s own dialog', async () => {
    const { page, workbook } = await suite.open({
      beforeLoad: (context) => context.addInitScript(desktopBridge, { names: API_CALL_NAMES, paths: {}, savePath: null }),
    });
    const dialog = page.locator('dialog[data-dialog="confirm-discard"]');
    await appEvent(page, { kind: 'leave', request: 'leave-1', action: 'open' });
    await expect.poll(() => leaveAnswers(page)).toEqual([{ request: 'leave-1', leave: true }]); // nothing typed: no question
    expect(await dialog.count()).toBe(0);

    await page.keyboard.press('Alt+N');
    await typeCells(page, ['killed_civ', '5,150']);
    await appEvent(page, { kind: 'leave', request: 'leave-2', action: 'open' });
    await appEvent(page, { kind: 'leave', request: 'leave-2', action: 'open' }); // asked again: one dialog
    await dialog.waitFor();
    expect(await dialog.count()).toBe(1);
    expect(await dialog.textContent()).toMatch(/Not saved yet: the new figure being typed \(Metric, Value\)/);
    await screenshot(page, 'entry-confirm-discard');
    await dialog.getByRole('button', { name: 'Keep editing' }).click();
    await expect
      .poll(() => leaveAnswers(page))
      .toEqual([
        { request: 'leave-1', leave: true },
        { request: 'leave-2', leave: false },
      ]);
    await expect.poll(() => page.locator(draftCell('value')).textContent()).toBe('5,150');

    const changes = changeCount(workbook);
    await appEvent(page, { kind: 'leave', request: 'leave-3', action: 'close' });
    await dialog.getByRole('button', { name: 'Discard and close' }).click();
    await expect.poll(async () => (await leaveAnswers(page)).at(-1)).toEqual({ request: 'leave-3', leave: true });
    // main then opens the other workbook: the new row no longer holds the first one's typing
    await appEvent(page, { kind: 'workbook-opened', path: workbook });
    await expect.poll(() => page.locator(draftCell('value')).textContent()).toBe('');
    expect(changeCount(workbook)).toBe(changes);
  });
});

interface Stored {
  id: string;
  value: number | null;
  qualifier: string;
  relayed_via_id: string | null;
  note: string | null;
}
const stored = (workbook: string, id: string) => query<Stored>(workbook, 'SELECT id, value, qualifier, relayed_via_id, note FROM figure WHERE id = ?', id)[0]!;

/** The grid cell that has the keyboard focus: its row (index, or 'new' for the new-figure row) and column. */
const focusedCell = (page: Page) =>
  page.evaluate(() => {
    const cellElement = document.activeElement?.closest('.ag-cell');
    const row = cellElement?.closest('.ag-row');
    if (!cellElement || !row) return null;
    return { row: row.getAttribute('row-id') === 'new-figure' ? 'new' : Number(row.getAttribute('row-index')), column: cellElement.getAttribute('col-id') };
  });

/** Shows only the figures matching a search, and waits for the grid to show `n` of them. */
async function search(page: Page, text: string, n: number): Promise<void> {
  await page.locator('.filter-bar input[type="search"]').fill(text);
  await expect.poll(() => page.locator('.count').textContent()).toBe(`${n.toLocaleString('en-US')} figure${n === 1 ? '' : 's'}`);
}

describe("Excel's habits", () => {
  it('a block pasted onto figures overwrites their cells in one undoable change; a bad cell or a block past the last figure changes nothing', async () => {
    const { page, workbook } = await suite.open();
    const civilians = figureId(workbook, 'killed_civilian', 'Israel Defense Forces');
    const combatants = figureId(workbook, 'killed_combatant', 'Israel Defense Forces');
    await search(page, 'IDF estimates', 2);
    const first = await page.locator('.ag-row[row-index="0"]').getAttribute('row-id');
    const [top, second] = first === civilians ? [civilians, combatants] : [combatants, civilians];

    // Value, Range, Qualifier from the focused Value cell on; the empty Range cells clear nothing that is there
    await page.locator(cell(top, 'value')).click();
    let changes = changeCount(workbook);
    await paste(page, '21,000\t\tat least\r\n16,000\t\tabout\r\n');
    await status(page, /^Pasted over 2 figures/);
    expect([stored(workbook, top), stored(workbook, second)].map((f) => [f.value, f.qualifier])).toEqual([
      [21000, 'at_least'],
      [16000, 'approximately'],
    ]);
    const txns = query<{ txn: string; n: number }>(workbook, 'SELECT txn, count(*) AS n FROM change_log WHERE id > ? GROUP BY txn', changes);
    expect(txns.map((t) => t.n)).toEqual([2]); // one transaction, both figures
    await expect.poll(() => page.locator(cell(second, 'value')).textContent()).toBe('16,000');

    await page.keyboard.press('Control+z');
    await status(page, /^Undone: paste over 2 figures/);
    expect([stored(workbook, civilians), stored(workbook, combatants)].map((f) => [f.value, f.qualifier])).toEqual([
      [20000, 'approximately'],
      [15000, 'approximately'],
    ]);

    // one unreadable cell: nothing is written, and the dialog names its row and column
    changes = changeCount(workbook);
    await page.locator(cell(top, 'value')).click();
    await paste(page, '22,000\n15k0');
    const dialog = page.locator('dialog[data-dialog="paste-problems"]');
    await dialog.waitFor();
    const problems = await dialog.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(problems).toEqual([['2', 'Value', '15k0', expect.stringMatching(/not a number/)]]);
    expect(await dialog.textContent()).toMatch(/nothing was changed/);
    await dialog.locator('.dialog-footer button').click();
    // three rows onto the last two figures: refused, not spilled
    await paste(page, '1\n2\n3');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/3 rows pasted onto the last 2 figures shown: paste the rows past the last figure into the new-figure row/);
    await dialog.locator('.dialog-footer button').click();
    expect(changeCount(workbook)).toBe(changes);
  });

  it('Home and End move along the row, Ctrl+Home and Ctrl+End to the first and last cell, and the arrows go on from there', async () => {
    const { page } = await suite.open();
    const last = Number((await page.locator('.count').textContent())!.replace(/\D/g, '')) - 1;
    await page.locator('.ag-row[row-index="3"] .ag-cell[col-id="value"]').click();
    await page.keyboard.press('End');
    expect(await focusedCell(page)).toEqual({ row: 3, column: 'updated' });
    await page.keyboard.press('Home');
    expect(await focusedCell(page)).toEqual({ row: 3, column: 'metric' });
    await page.keyboard.press('Control+End');
    await expect.poll(() => focusedCell(page)).toEqual({ row: last, column: 'updated' });
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => focusedCell(page)).toEqual({ row: last - 1, column: 'updated' });
    await page.keyboard.press('Control+Home');
    await expect.poll(() => focusedCell(page)).toEqual({ row: 0, column: 'metric' });
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => focusedCell(page)).toEqual({ row: 0, column: 'value' });
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedCell(page)).toEqual({ row: 1, column: 'value' });
  });

  it('Ctrl+C copies the focused cell as tab-separated text, quoted where a spreadsheet needs it; pasted back, it is the same value', async () => {
    const excerpt = 'He said "about 1,000"\nand left';
    const { page, workbook } = await suite.open({
      setup: async (api) => {
        const [metric] = (await api.listMetrics({})).filter((m) => m.code === 'injured');
        const [source] = await api.listSources({});
        const [citation] = await api.listCitations({});
        for (const value of [1000, 2000])
          await api.createFigure({
            metric_id: metric!.id,
            source_id: source!.id,
            citation_id: citation!.id,
            value,
            as_of: '2024-06-04',
            excerpt,
            note: 'copy-me',
          });
      },
    });
    await page.evaluate(() =>
      document.addEventListener('copy', (e) => ((window as unknown as { copied: string }).copied = e.clipboardData?.getData('text/plain') ?? '')),
    );
    const copied = () => page.evaluate(() => (window as unknown as { copied: string }).copied);
    await search(page, 'copy-me', 2);
    const ids = await page.locator('.ag-row:not(.ag-row-pinned)').evaluateAll((rows) => rows.map((r) => r.getAttribute('row-id')!));
    const [one, two] = ids.sort((a, b) => Number(stored(workbook, a).value) - Number(stored(workbook, b).value)) as [string, string];

    await page.locator(cell(one, 'value')).click();
    for (let i = 0; i < 8; i += 1) await page.keyboard.press('ArrowRight'); // to the Excerpt, scrolled into view
    await expect.poll(() => focusedCell(page)).toEqual({ row: expect.any(Number), column: 'excerpt' });
    await page.keyboard.press('Control+c');
    await expect.poll(copied).toBe('"He said ""about 1,000""\nand left"');
    await page.keyboard.press('Home'); // back to the Metric cell
    await page.keyboard.press('Control+c');
    await expect.poll(copied).toBe('Injured');

    await page.locator(cell(two, 'value')).click();
    await page.keyboard.press('Control+c');
    await expect.poll(copied).toBe('2,000');
    await page.locator(cell(one, 'value')).click();
    await paste(page, await copied());
    await status(page, /^Saved Value/);
    expect(stored(workbook, one).value).toBe(2000);
  });

  it('Shift+arrows and Shift+click select a block of cells; Ctrl+C copies it as rows of tab-separated cells', async () => {
    const { page, workbook } = await suite.open({
      setup: async (api) => {
        const [metric] = (await api.listMetrics({})).filter((m) => m.code === 'injured');
        const [source] = await api.listSources({});
        const [citation] = await api.listCitations({});
        for (const [value, as_of] of [
          [1500, '2024-06-01'],
          [2500, '2024-06-02'],
          [3500, '2024-06-03'],
        ] as const)
          await api.createFigure({ metric_id: metric!.id, source_id: source!.id, citation_id: citation!.id, value, as_of, note: 'block-me' });
      },
    });
    await page.evaluate(() =>
      document.addEventListener('copy', (e) => ((window as unknown as { copied: string }).copied = e.clipboardData?.getData('text/plain') ?? '')),
    );
    const copied = () => page.evaluate(() => (window as unknown as { copied: string }).copied);
    await search(page, 'block-me', 3);
    const rowAt = (i: number) => `.ag-row[row-index="${i}"]:not(.ag-row-pinned)`;

    await page.locator(`${rowAt(0)} .ag-cell[col-id="metric"]`).click();
    await expect.poll(() => focusedCell(page)).toEqual({ row: 0, column: 'metric' });
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => page.locator('.ag-cell.cell-in-block').count()).toBe(4);
    await page.keyboard.press('Control+c');
    await expect.poll(copied).toBe('Injured\t1,500\r\nInjured\t2,500');
    await screenshot(page, 'grid-block-selected');

    // Shift+click grows the block from the same anchor; a plain arrow key starts again from one cell.
    await page.locator(`${rowAt(2)} .ag-cell[col-id="as_of"]`).click({ modifiers: ['Shift'] });
    await page.keyboard.press('Control+c');
    await expect
      .poll(copied)
      .toBe(['Injured\t1,500\t\texact\t2024-06-01', 'Injured\t2,500\t\texact\t2024-06-02', 'Injured\t3,500\t\texact\t2024-06-03'].join('\r\n'));
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.locator('.ag-cell.cell-in-block').count()).toBe(0);
    await page.keyboard.press('Control+c');
    await expect.poll(copied).toBe('2024-06-02');

    // Pasted back onto the first row's Value cell, the two values copied fill two rows' Value cells.
    await page.locator(`${rowAt(0)} .ag-cell[col-id="value"]`).click();
    await expect.poll(() => focusedCell(page)).toEqual({ row: 0, column: 'value' });
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Control+c');
    await expect.poll(copied).toBe('1,500\r\n2,500');
    await page.locator(`${rowAt(1)} .ag-cell[col-id="value"]`).click();
    await paste(page, await copied());
    await status(page, /^Pasted|^Saved/);
    const values = query<{ value: number }>(workbook, "SELECT value FROM figure WHERE note = 'block-me' ORDER BY as_of").map((r) => r.value);
    expect(values).toEqual([1500, 1500, 2500]);
  });

  it('F2 edits the cell with the caret at its end; Delete empties a cell (Ctrl+Z brings it back), and a cell a figure needs refuses with its reason', async () => {
    const { page, workbook } = await suite.open();
    const id = figureId(workbook, 'killed_civilian', 'Israel Defense Forces');
    await search(page, 'IDF estimates', 2);
    await page.locator(cell(id, 'value')).click();
    await page.keyboard.press('F2');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    await status(page, /^Saved Value/);
    expect(stored(workbook, id).value).toBe(20005);

    const relayedVia = stored(workbook, id).relayed_via_id;
    expect(relayedVia).not.toBeNull();
    await page.locator(cell(id, 'relayed_via')).click();
    await page.keyboard.press('Delete');
    await status(page, /^Saved Relayed via/);
    expect(stored(workbook, id).relayed_via_id).toBeNull();
    await expect.poll(() => page.locator(cell(id, 'relayed_via')).textContent()).toBe('');
    await page.keyboard.press('Control+z');
    await status(page, /^Undone: edit Relayed via/);
    expect(stored(workbook, id).relayed_via_id).toBe(relayedVia);

    const changes = changeCount(workbook);
    await page.locator(cell(id, 'source')).click();
    await page.keyboard.press('Delete');
    await status(page, /^Source not cleared — Source: pick the source/);
    expect(changeCount(workbook)).toBe(changes);
    expect(await page.locator(cell(id, 'source')).textContent()).toBe('Israel Defense Forces');
  });

  it('Ctrl+Z and Ctrl+Y undo and redo from a select or a checkbox, but inside a text box they are the text’s own', async () => {
    const { page, workbook } = await suite.open();
    const id = figureId(workbook, 'killed_civilian', 'Israel Defense Forces');
    await search(page, 'IDF estimates', 2);
    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('20100');
    await page.keyboard.press('Enter');
    await status(page, /^Saved Value/);

    await page.locator('.filter-bar select[aria-label="Status"]').focus();
    await page.keyboard.press('Control+z');
    await status(page, /^Undone: edit Value/);
    expect(stored(workbook, id).value).toBe(20000);
    await page.locator('.filter-bar input[aria-label="Show retracted figures"]').focus();
    await page.keyboard.press('Control+y');
    await status(page, /^Redone: edit Value/);
    expect(stored(workbook, id).value).toBe(20100);

    const changes = changeCount(workbook);
    const box = page.locator('.filter-bar input[type="search"]');
    await box.focus();
    await page.keyboard.type('x');
    await page.keyboard.press('Control+z'); // the text box's own undo: the x goes
    await expect.poll(() => box.inputValue()).toBe('IDF estimates');
    expect(changeCount(workbook)).toBe(changes);
    expect(stored(workbook, id).value).toBe(20100);
  });

  it('a cell’s problem shows when it has the focus, under the cell and in the status bar, without hovering', async () => {
    const { page, workbook } = await suite.open();
    const id = figureId(workbook, 'killed_civilian', 'Israel Defense Forces');
    await search(page, 'IDF estimates', 2);
    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('20k0');
    await page.keyboard.press('Enter');
    await page.locator(cell(id, 'metric')).click(); // away, then back by the keyboard
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('.cell-callout').textContent()).toMatch(/^Value: not a number/);
    expect(await page.locator('.cell-callout').isVisible()).toBe(true);
    await status(page, /^Value: not a number/);
    await screenshot(page, 'entry-problem-cell');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.locator('.cell-callout').isVisible()).toBe(false);
  });

  it('names metrics by their labels in the grid and the filter; the code is on hover and in the editor’s list', async () => {
    const { page } = await suite.open();
    const options = await page
      .locator('.filter-bar select[aria-label="Metric"] option')
      .evaluateAll((o) => o.map((x) => [(x as HTMLOptionElement).value, x.textContent]));
    expect(options).toEqual(
      expect.arrayContaining([
        ['killed_civilian', 'Civilians killed'],
        ['killed_total', 'Killed (total)'],
      ]),
    );
    await search(page, 'IDF estimates', 2);
    const metrics = await page.locator('.ag-row:not(.ag-row-pinned) .ag-cell[col-id="metric"]').allTextContents();
    expect(metrics.sort()).toEqual(['Civilians killed', 'Combatants killed']);
    await page.locator('.ag-row:not(.ag-row-pinned) .ag-cell[col-id="metric"]', { hasText: 'Civilians killed' }).hover();
    await expect.poll(() => page.locator('.ag-tooltip').textContent(), { timeout: 5_000 }).toBe('Civilians killed — code killed_civilian');

    await page.keyboard.press('Alt+N');
    await page.keyboard.type('civilians');
    const item = page.locator('.choice-list li[role="option"]').first();
    await expect.poll(() => item.textContent()).toBe('Civilians killedkilled_civilian');
    expect(await item.locator('small').textContent()).toBe('killed_civilian');
  });

  it("search finds a source's short name, the relayed-via source, a metric's code or label, and a citation's publisher", async () => {
    const { page, workbook } = await suite.open();
    const total = query<{ n: number }>(
      workbook,
      "SELECT count(*) AS n FROM figure f JOIN metric m ON m.id = f.metric_id WHERE m.code = 'killed_total' AND f.status <> 'retracted'",
    )[0]!.n;
    await search(page, 'Killed (total)', total);
    await search(page, 'killed_total', total);
    const viaToi = query<{ n: number }>(
      workbook,
      `SELECT count(*) AS n FROM figure f JOIN source s ON s.id = f.source_id LEFT JOIN source rv ON rv.id = f.relayed_via_id
        WHERE (s.short_name = 'ToI' OR rv.short_name = 'ToI') AND f.status <> 'retracted'`,
    )[0]!.n;
    expect(viaToi).toBeGreaterThanOrEqual(3); // the IDF's two figures, relayed by The Times of Israel, and its own
    await search(page, 'ToI', viaToi);
    await search(page, 'The Times of Israel', viaToi); // its citation's publisher: the same figures here
  });
});

/** A paste onto the focused element, as Ctrl+V delivers text copied from a spreadsheet. */
function paste(page: Page, text: string): Promise<void> {
  return page.evaluate((tsv) => {
    const data = new DataTransfer();
    data.setData('text/plain', tsv);
    (document.activeElement ?? document.body).dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}
