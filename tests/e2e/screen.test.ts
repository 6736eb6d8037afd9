/// <reference lib="dom" />
// What a new user sees first, and what fits the smallest window: the first start opens on a day when sources
// compete; every page loads without a console error; at 900×600 every button of every view is inside the window.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eSuite, query, screenshot } from './support/app';

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
        WHERE f.status <> 'retracted' AND length(f.effective_date) = 10
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
      ['killed_civilian', '20,000'],
      ['killed_combatant', '15,000'],
    ]);
    expect(bySource('Gaza Ministry of Health').find((r) => r[0] === 'killed_total')?.[1]).toBe('35,456');
    for (const row of rows) expect(row[4], `${row[0]} of ${row[3]} is cited`).not.toBe('');
    expect(await page.locator('.count').textContent()).toBe(`${onTheDay} figures`);

    // the first claim is selected: its citation and the words quoted are on screen
    const provenance = page.locator('.provenance');
    await provenance.getByText('IDF estimates putting the number of civilians killed in the war at 20,000', { exact: false }).waitFor();
    expect(await provenance.textContent()).toMatch(/Israel Defense Forces/);
    expect(await provenance.textContent()).toMatch(/Times of Israel/);
    await screenshot(page, 'first-screen');
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
