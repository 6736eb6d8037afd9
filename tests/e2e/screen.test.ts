/// <reference lib="dom" />
// What a new user sees first, and what fits the smallest window: the first start opens on a day when sources
// compete; every page loads without a console error; at 900×600 every button of every view is inside the window.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cell, changeCount, cli, draftCell, e2eSuite, figureId, query, screenshot, status } from './support/app';

const suite = e2eSuite();

/** The rows the grid shows (not the new-figure row): the cells of the given columns, by row. */
async function gridRows(page: Page, columns: string[]): Promise<string[][]> {
  return page.evaluate(
    (cols) =>
      [...document.querySelectorAll('.ag-row:not(.ag-row-pinned)')]
        .filter((row) => row.querySelector('.ag-cell[col-id="metric"]'))
        .sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index')))
        .map((row) => cols.map((c) => row.querySelector(`.ag-cell[col-id="${c}"]`)?.textContent?.trim() ?? '')),
    columns,
  );
}

describe('the first screen', () => {
  it("opens a new user's first start on the latest day on which sources compete: the IDF and the Ministry of Health for 2024-05-19, cited, without a search", async () => {
    const { page, workbook } = await suite.open({ firstStart: true });
    await page.locator('.moment-banner').waitFor();
    // the day the workbook itself says two or more sources claim casualty figures on, latest first
    const [latest] = query<{ date: string }>(
      workbook,
      `SELECT f.effective_date AS date FROM figure f JOIN metric m ON m.id = f.metric_id
        WHERE f.status <> 'retracted' AND length(f.effective_date) = 10 AND m.category = 'casualties'
        GROUP BY f.effective_date, m.category HAVING count(DISTINCT f.source_id) > 1 ORDER BY f.effective_date DESC LIMIT 1`,
    );
    expect(latest!.date).toBe('2024-05-19');
    expect(await page.locator('.moment-banner').textContent()).toMatch(
      /^Claims of 2024-05-19, the latest day on which more than one source gives casualty figures: Gaza Ministry of Health, Israel Defense Forces, The Times of Israel\./,
    );
    // an ordinary date filter the analyst can see and change
    expect(await page.locator('.filter-bar input[aria-label="From date"]').inputValue()).toBe('2024-05-19');
    expect(await page.locator('.filter-bar input[aria-label="To date"]').inputValue()).toBe('2024-05-19');
    expect(await page.locator('.filter-bar input[aria-label="Search figures"]').inputValue()).toBe('');

    const rows = await gridRows(page, ['metric', 'value', 'as_of', 'source', 'citation']);
    const onTheDay = query<{ n: number }>(workbook, "SELECT count(*) AS n FROM figure WHERE effective_date = '2024-05-19' AND status <> 'retracted'")[0]!.n;
    expect(rows).toHaveLength(onTheDay);
    expect(new Set(rows.map((r) => r[2]))).toEqual(new Set(['2024-05-19']));
    const bySource = (source: string) => rows.filter((r) => r[3] === source);
    expect(
      bySource('Israel Defense Forces')
        .map((r) => [r[0], r[1]])
        .sort(),
    ).toEqual([
      ['Civilians killed', '20,000'],
      ['Combatants killed', '15,000'],
    ]);
    expect(bySource('Gaza Ministry of Health').find((r) => r[0] === 'Killed (total)')?.[1]).toBe('35,456');
    for (const row of rows) expect(row[4], `${row[0]} of ${row[3]} is cited`).not.toBe('');
    expect(await page.locator('.count').textContent()).toBe(`${onTheDay} figures`);

    // the first claim is selected: its citation and the words quoted are on screen
    const provenance = page.locator('.provenance');
    await provenance.getByText('IDF estimates putting the number of civilians killed in the war at 20,000', { exact: false }).waitFor();
    expect(await provenance.textContent()).toMatch(/Israel Defense Forces/);
    expect(await provenance.textContent()).toMatch(/Times of Israel/);
    await screenshot(page, 'first-screen');

    // in the smallest window, the banner's button is in reach
    await page.setViewportSize({ width: 900, height: 600 });
    const box = (await page.getByRole('button', { name: 'Show every date' }).boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(900);
    await screenshot(page, 'first-screen-900x600');
  });

  it('clears the first screen with "Show every date" to every figure, oldest first, and a later start opens on every figure', async () => {
    const { page, workbook } = await suite.open({ firstStart: true });
    await page.locator('.moment-banner').waitFor();
    const all = query<{ n: number }>(workbook, "SELECT count(*) AS n FROM figure WHERE status <> 'retracted'")[0]!.n;
    await page.getByRole('button', { name: 'Show every date' }).click();
    await page
      .locator('.count')
      .filter({ hasText: new RegExp(`^${all.toLocaleString('en-US')} figures$`) })
      .waitFor();
    expect(await page.locator('.moment-banner').isHidden()).toBe(true);
    expect(await page.locator('.filter-bar input[aria-label="From date"]').inputValue()).toBe('');
    expect((await gridRows(page, ['as_of']))[0]).toEqual(['2023-10-07']);

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page
      .locator('.count')
      .filter({ hasText: new RegExp(`^${all.toLocaleString('en-US')} figures$`) })
      .waitFor();
    expect(await page.locator('.moment-banner').isHidden()).toBe(true);
    expect(await page.locator('.filter-bar input[aria-label="From date"]').inputValue()).toBe('');
  });

  it('shows date filters whose placeholders are words, not dates that read as filled in', async () => {
    const { page } = await suite.open();
    for (const label of ['From date', 'To date']) {
      const input = page.locator(`.filter-bar input[aria-label="${label}"]`);
      expect(await input.inputValue()).toBe('');
      const placeholder = (await input.getAttribute('placeholder')) ?? '';
      expect(placeholder).toBe(label);
      expect(placeholder).not.toMatch(/\d/);
    }
  });
});

/** Dispatches a paste of `text` at the focused element, as Ctrl+V from a spreadsheet does. */
const paste = (page: Page, text: string) =>
  page.evaluate((tsv) => {
    const data = new DataTransfer();
    data.setData('text/plain', tsv);
    (document.activeElement ?? document.body).dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);

/** The CLI's complaints about a CSV, on a copy of the workbook (a refused import exits 1 and writes to stderr). */
async function cliProblems(workbook: string, dir: string, csv: string): Promise<string> {
  const copy = join(dir, 'cli-copy.fwb');
  copyFileSync(workbook, copy);
  const file = join(dir, 'pasted.csv');
  writeFileSync(file, csv);
  try {
    await cli('import', copy, file, '--dry-run');
    return '';
  } catch (error) {
    return (error as { stderr: string }).stderr;
  }
}

describe('page loads', () => {
  it('print no console error, in every view, on a first start and after a reload; the meta-tag CSP leaves frame-ancestors to the header', async () => {
    const app = await suite.open({ firstStart: true });
    const { page, host } = app;
    const messages: string[] = [];
    page.on('console', (m) => m.type() === 'error' && messages.push(m.text()));
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    for (const view of ['library', 'compare', 'figures']) {
      await page.locator(`.tab[data-view="${view}"]`).click();
      await page.locator(`[data-view="${view}"].view`).waitFor();
    }
    await page.locator('.chart-card canvas').first().waitFor({ state: 'attached' });
    expect(messages).toEqual([]);
    expect(app.pageErrors).toEqual([]);
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).not.toMatch(/frame-ancestors/);
    const header = (await fetch(host.url)).headers.get('content-security-policy');
    expect(header).toMatch(/frame-ancestors 'none'/);
  });
});

describe('smaller things', () => {
  it('numbers the rows of a refused paste as the CLI does: the header is row 1, the first row under it row 2', async () => {
    const { page, workbook, dir } = await suite.open();
    await page.keyboard.press('Alt+N');
    const citation = "Times of Israel report on Sullivan's meeting with Israeli security officials (Rafah, aid, civilian harm)";
    const lines = [
      ['metric', 'value', 'as_of', 'source', 'citation_title', 'location'],
      ['aid_trucks', '1200', '2024-05-01', 'The Times of Israel', citation, 'Kerem Shalom crossing'],
      ['aid_trucks', 'about', '2024-05-02', 'The Times of Israel', citation, 'Kerem Shalom crossing'],
    ];
    const csvLine = (cells: string[]) => cells.map((c) => (c.includes(',') ? `"${c}"` : c)).join(',');
    await paste(page, lines.map((l) => l.join('\t')).join('\r\n'));
    const dialog = page.locator('dialog[data-dialog="paste-problems"]');
    await dialog.waitFor();
    const rows = await dialog.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual([['3', 'Value', 'about', expect.stringMatching(/qualifier but no number/)]]);
    // the same rows as a CSV file, through the CLI
    expect(await cliProblems(workbook, dir, lines.map(csvLine).join('\r\n'))).toMatch(/row 3, column value, value "about"/);
    await dialog.locator('.dialog-footer button').click();

    // without a header, the first pasted row is row 1 (cells fill the columns from the focused one: metric, value)
    await page.locator(draftCell('metric')).click();
    await paste(page, 'aid_trucks\t1200\r\naid_trucks\tabout');
    await dialog.waitFor();
    const headerless = await dialog.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(new Set(headerless.map((r) => r[0]))).toEqual(new Set(['1', '2']));
    expect(headerless.filter((r) => r[1] === 'Value')).toEqual([['2', 'Value', 'about', expect.stringMatching(/qualifier but no number/)]]);
  });

  it('names on the import button what the import will write: "3 new, 2 unchanged" for an exported file with three rows added', async () => {
    const { page, workbook, dir } = await suite.open();
    const exported = join(dir, 'idf.csv');
    await cli('export', workbook, exported, '--source', 'Israel Defense Forces', '--metric', 'killed_civilian', '--metric', 'killed_combatant');
    const csv = readFileSync(exported, 'utf8').trimEnd().split('\r\n');
    expect(csv).toHaveLength(3); // the header and the IDF's two casualty figures
    const header = csv[0]!.split(',');
    const row = (metric: string, value: string, asOf: string) =>
      header
        .map((column) => ({ metric, value, as_of: asOf, source: 'UN OCHA', citation_title: 'Flash update 170', location: 'Gaza Strip' })[column] ?? '')
        .join(',');
    const text = [...csv, row('killed_total', '35000', '2024-05-17'), row('killed_total', '35100', '2024-05-18'), row('injured', '79000', '2024-05-18')].join(
      '\r\n',
    );
    const changes = changeCount(workbook);
    const figures = () => query<{ n: number }>(workbook, 'SELECT count(*) AS n FROM figure')[0]!.n;
    const before = figures();

    await page.getByRole('button', { name: 'Import…' }).click();
    const wizard = page.locator('dialog[data-dialog="import"]');
    await wizard.locator('input.file-input').setInputFiles({ name: 'idf-and-three.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await wizard.getByRole('button', { name: 'Check the file' }).click();
    const go = wizard.getByRole('button', { name: 'Import: 3 new, 2 unchanged' });
    await go.waitFor();
    await screenshot(page, 'import-counts');
    expect(changeCount(workbook)).toBe(changes);
    await go.click();
    await wizard.locator('[data-imported="true"]').waitFor();
    expect(figures()).toBe(before + 3);
    const idfChanges = query<{ n: number }>(
      workbook,
      "SELECT count(*) AS n FROM change_log c JOIN figure f ON f.id = c.entity_id JOIN source s ON s.id = f.source_id WHERE s.name = 'Israel Defense Forces' AND c.id > ?",
      changes,
    )[0]!.n;
    expect(idfChanges, 'the two unchanged figures are not written').toBe(0);
  });

  it('labels a redo in the history as a redo, and an undo as an undo', async () => {
    const { page, workbook } = await suite.open();
    const id = figureId(workbook, 'killed_civilian', 'Israel Defense Forces');
    await page.locator('.filter-bar select[aria-label="Source"]').selectOption('Israel Defense Forces');
    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('21000');
    await page.keyboard.press('Enter');
    await status(page, /^Saved Value/);
    await page.locator('.ag-header-cell[col-id="metric"]').click();
    await page.keyboard.press('Control+z');
    await status(page, /^Undone: edit Value/);
    await page.keyboard.press('Control+y');
    await status(page, /^Redone: edit Value/);
    await page.locator(cell(id, 'metric')).click();
    const badges = page.locator('.provenance .history .history-head .badge');
    await expect.poll(() => badges.count()).toBe(4);
    // newest first
    expect(await badges.allTextContents()).toEqual(['update (redo)', 'update (undo)', 'update', 'insert']);
    await screenshot(page, 'history-redo');
  });

  it('does nothing on Enter in an empty new row right after a save: no error, nothing written', async () => {
    const { page, workbook } = await suite.open();
    await page.keyboard.press('Alt+N');
    await page.keyboard.type('killed_civ');
    await page.keyboard.press('Tab');
    await page.keyboard.type('1,234');
    for (const [skip, text] of [
      [3, '2024-06-01'],
      [1, 'gaza str'],
      [1, 'israel def'],
      [2, 'sullivan'],
    ] as const) {
      for (let i = 0; i < skip; i += 1) await page.keyboard.press('Tab');
      await page.keyboard.type(text);
    }
    await page.keyboard.press('Enter');
    const saved = await status(page, /^Saved: killed_civilian 1,234/);
    const changes = changeCount(workbook);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    expect(await page.locator('.status').textContent()).toBe(saved);
    expect(await page.locator('.ag-row-pinned .cell-invalid').count()).toBe(0);
    expect(changeCount(workbook)).toBe(changes);
  });

  it('shows in Sources & citations the figures a source relays beside those it claims: Tech for Palestine claims 0, relays the daily series', async () => {
    const { page, workbook } = await suite.open();
    const relays = query<{ n: number }>(
      workbook,
      "SELECT count(*) AS n FROM figure f JOIN source s ON s.id = f.relayed_via_id WHERE s.name = 'Tech for Palestine' AND f.status <> 'retracted'",
    )[0]!.n;
    expect(relays).toBeGreaterThan(2700);
    await page.locator('.tab[data-view="library"]').click();
    const list = page.locator('.entity-list[data-list="source"]');
    const headers = await list.locator('thead th').allTextContents();
    const cellOf = async (name: string, header: string) => {
      const row = list.locator('tbody tr', { has: page.getByText(name, { exact: true }) });
      return row.locator('td').nth(headers.indexOf(header)).textContent();
    };
    expect(await cellOf('Tech for Palestine', 'Figures')).toBe('0');
    expect(await cellOf('Tech for Palestine', 'Relays')).toBe(relays.toLocaleString('en-US'));
    expect(await cellOf('The Times of Israel', 'Relays')).toBe('2');
    expect(await cellOf('Israel Defense Forces', 'Relays')).toBe('0');
  });
});
