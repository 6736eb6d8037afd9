/// <reference lib="dom" />
// Entering figures as in a spreadsheet, in Chromium against the real store: typed work is never lost — not by Esc,
// clicking away, switching views, a filter, a paste or an undo while the new-figure row is half typed — and never
// dropped without asking. Each test checks the figure in the workbook file itself.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { API_CALL_NAMES } from '../../src/shared/api';
import { changeCount, draftCell, e2eSuite, query, screenshot, status } from './support/app';
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
    if (text !== null) await page.keyboard.type(text);
  }
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
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
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
    await page.locator('.compare-title').waitFor();
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
    await expect.poll(() => page.locator('.count').textContent()).toMatch(/^\d[\d,]* figures?$/);
    await expect.poll(() => page.locator(draftCell('value')).textContent()).toBe('7,500');
    await resumeAt(page, 'as_of', REST('kept through a filter'));
    await saveAndCheck(page, workbook, expected('killed_civilian', 7500, 'kept through a filter'));
  });

  it('rows pasted while the new row is half typed are added, and the new row keeps what was typed', async () => {
    const { page, workbook } = await suite.open();
    await page.keyboard.press('Alt+N');
    await typeCells(page, ['killed_civ', '8,800', '']);
    await page.keyboard.press('Escape'); // leave the Range cell's editor; the paste goes to the grid
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
    await page.keyboard.press('Escape'); // out of the Range cell: Ctrl+Z in an open cell is the text's own undo
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

/** A paste onto the focused element, as Ctrl+V delivers text copied from a spreadsheet. */
function paste(page: Page, text: string): Promise<void> {
  return page.evaluate((tsv) => {
    const data = new DataTransfer();
    data.setData('text/plain', tsv);
    (document.activeElement ?? document.body).dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}
