/// <reference lib="dom" />
// The Checks view on the demo: the warnings the checks find per kind, a warning opened on its figures (marked in
// the grid, explained in the provenance panel), and a dismissal with its reason, undone and redone from the keyboard.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cell, e2eSuite, figureId, filterMetric, query, screenshot, status } from './support/app';

const suite = e2eSuite();

async function openChecks(page: Page): Promise<void> {
  await page.locator('.tab[data-view="checks"]').click();
  await page.locator('.checks-view .warning').first().waitFor();
}

const countOf = (page: Page, kind: string) => page.locator(`.check-kind[data-kind="${kind}"] .check-kind-count`).textContent();

const STEP_DOWN = /^Gaza Ministry of Health's women killed \(Gaza Strip\) falls from 1,000 on 2023-10-19 to 967 on 2023-10-21/;

describe('the Checks view', () => {
  it('counts the warnings per kind and opens one on its figures: marked rows, the warning in the provenance panel', async () => {
    const { page, workbook } = await suite.open();
    await openChecks(page);
    expect(await countOf(page, 'cumulative_step_down')).toBe('1');
    expect(await countOf(page, 'retroactive_jump')).toBe('24');
    expect(await countOf(page, 'excerpt_mismatch')).toBe('1');
    expect(await countOf(page, 'duplicate_claim')).toBe('0');
    expect(await page.locator('.check-summary').textContent()).toMatch(/^26 warnings\./);
    await screenshot(page, 'checks-view');

    await page.locator('.check-kind[data-kind="cumulative_step_down"]').click();
    const item = page.locator('.checks-view .warning[data-kind="cumulative_step_down"]');
    await expect.poll(() => page.locator('.checks-view .warning').count()).toBe(1);
    expect(await item.locator('.warning-message').textContent()).toMatch(STEP_DOWN);
    const ids = ((await item.getAttribute('data-figures')) ?? '').split(' ');
    expect(ids).toHaveLength(2);
    const stored = query<{ as_of: string; value: number }>(workbook, `SELECT as_of, value FROM figure WHERE id IN (?, ?) ORDER BY as_of`, ...ids);
    expect(stored).toEqual([
      { as_of: '2023-10-19', value: 1000 },
      { as_of: '2023-10-21', value: 967 },
    ]);

    await item.getByRole('button', { name: 'Show 2 figures' }).click();
    await expect.poll(() => page.locator('.figures-view').isVisible()).toBe(true);
    await expect.poll(() => page.locator('.figures-view .count').textContent()).toBe('2 figures');
    expect(await page.locator('.chip[data-chip="figures"] .chip-text').textContent()).toBe('2 figures: A running total falls');
    for (const id of ids)
      await expect.poll(() => page.locator(`.ag-row[row-id="${id}"] .ag-cell[col-id="state"]`).getAttribute('class')).toMatch(/row-state-warning/);
    await page.locator(`.ag-row[row-id="${ids[0]}"] .ag-cell[col-id="value"]`).click();
    const panel = page.locator('[data-testid="provenance-warnings"]');
    await panel.waitFor();
    expect(await panel.locator('.warning-message').textContent()).toMatch(STEP_DOWN);
    await screenshot(page, 'checks-figures');
  });

  it('dismisses a warning with its reason; Ctrl+Z brings it back and Ctrl+Y dismisses it again', async () => {
    const { page, workbook } = await suite.open();
    await openChecks(page);
    await page.locator('.check-kind[data-kind="excerpt_mismatch"]').click();
    const item = page.locator('.checks-view .warning[data-kind="excerpt_mismatch"]');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.locator('.warning-message').textContent()).toBe("The Times of Israel's aid workers killed: the excerpt does not state 2");
    await item.getByRole('button', { name: 'Dismiss…' }).click();
    const dialog = page.locator('dialog[data-dialog="reason"]');
    await dialog.locator('textarea').fill('"another pair" states two in words');
    await dialog.getByRole('button', { name: 'Dismiss' }).click();
    await status(page, /^Warning dismissed/);
    await expect.poll(() => countOf(page, 'excerpt_mismatch')).toBe('0');
    await expect.poll(() => page.locator('.checks-view .warning').count()).toBe(0);
    expect(query(workbook, 'SELECT kind, reason, created_by FROM dismissal')).toEqual([
      { kind: 'excerpt_mismatch', reason: '"another pair" states two in words', created_by: 'analyst' },
    ]);

    await page.locator('.checks-view .view-title').click(); // focus out of any button: the shortcut is the app's
    await page.keyboard.press('Control+z');
    await status(page, /^Undone: dismissal of a warning/);
    await expect.poll(() => countOf(page, 'excerpt_mismatch')).toBe('1');
    expect(query(workbook, 'SELECT count(*) AS n FROM dismissal')).toEqual([{ n: 0 }]);

    await page.keyboard.press('Control+y');
    await status(page, /^Redone: dismissal of a warning/);
    await expect.poll(() => countOf(page, 'excerpt_mismatch')).toBe('0');
    await page.locator('.checks-view input[name="dismissed"]').check();
    await expect
      .poll(() => page.locator('.checks-view .warning.dismissed .warning-dismissal').textContent())
      .toBe('Dismissed by analyst: "another pair" states two in words');
    await screenshot(page, 'checks-dismissed');
  });

  it('marks a row as soon as an edit makes a warning, without taking the keys typed next in that row', async () => {
    const { page, workbook } = await suite.open();
    const id = figureId(workbook, 'killed_civilian', 'Israel Defense Forces');
    await filterMetric(page, 'killed_civilian');
    const state = page.locator(cell(id, 'state'));
    expect(await state.getAttribute('class')).not.toMatch(/row-state-warning/);
    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('21000');
    await page.keyboard.press('Enter');
    await status(page, /^Saved Value/);
    // the excerpt says 20,000: the figure now has a warning, marked while the next value is typed in the same row
    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('21500');
    await page.keyboard.press('Enter');
    await expect.poll(() => query<{ value: number }>(workbook, 'SELECT value FROM figure WHERE id = ?', id)[0]!.value).toBe(21500);
    await expect.poll(() => state.getAttribute('class')).toMatch(/row-state-warning/);
    await page.locator(cell(id, 'value')).click();
    await expect
      .poll(() => page.locator('[data-testid="provenance-warnings"] .warning-message').textContent())
      .toBe("Israel Defense Forces' civilians killed: the excerpt does not state 21,500");
    await screenshot(page, 'checks-marked-row');
  });
});
