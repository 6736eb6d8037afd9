/// <reference lib="dom" />
// A filter narrower than the rows the grid holds is applied to them in place (the core names the matching ids):
// each filter shows exactly the figures the workbook holds for it, clearing it shows every figure again with the
// edits made meanwhile, and a row with unsaved edits never drops out of sight.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cell, e2eSuite, figureId, filterMetric, query, status, workbookCount } from './support/app';

const suite = e2eSuite();

const countText = (page: Page) => page.locator('.toolbar .count').textContent();
const figures = (n: number) => `${n.toLocaleString('en-US')} figure${n === 1 ? '' : 's'}`;
/** The figure ids of the rows the grid draws (those on screen). */
const drawnIds = (page: Page) =>
  page.locator('.ag-center-cols-container .ag-row:not(.ag-row-pinned)').evaluateAll((rows) => rows.map((r) => r.getAttribute('row-id')));

describe('filters on the rows held', () => {
  it('shows exactly the figures of each filter, and every figure again when it is cleared', async () => {
    const { page, workbook } = await suite.open();
    const all = workbookCount(workbook, {});
    await expect.poll(() => countText(page)).toBe(figures(all));
    const search = page.locator('.filter-bar input[type="search"]');
    const metric = page.locator('.filter-bar select[aria-label="Metric"]');
    const status = page.locator('.filter-bar select[aria-label="Status"]');

    await filterMetric(page, 'killed_total');
    await expect.poll(() => countText(page)).toBe(figures(workbookCount(workbook, { metric: ['killed_total'] })));
    // narrower again, by words the core matches in names it joins (a source's short name)
    await search.fill('MoH');
    await expect.poll(() => countText(page)).toBe(figures(workbookCount(workbook, { metric: ['killed_total'], search: 'MoH' })));
    const matching = query<{ id: string }>(
      workbook,
      "SELECT f.id FROM figure f JOIN metric m ON m.id = f.metric_id JOIN source s ON s.id = f.source_id WHERE m.code = 'killed_total' AND s.short_name = 'MoH' AND f.status <> 'retracted'",
    ).map((r) => r.id);
    expect(matching.length).toBeGreaterThan(0);
    for (const id of await drawnIds(page)) expect(matching).toContain(id);
    await search.fill('');
    await metric.selectOption('');
    await expect.poll(() => countText(page)).toBe(figures(all));

    // a status narrows too; dates with it
    await status.selectOption('checked');
    await expect.poll(() => countText(page)).toBe(figures(workbookCount(workbook, { status: ['checked'] })));
    await page.locator('.filter-bar input[aria-label="From date"]').fill('2024-05');
    await page.locator('.filter-bar input[aria-label="From date"]').press('Enter');
    await expect.poll(() => countText(page)).toBe(figures(workbookCount(workbook, { status: ['checked'], from: '2024-05' })));
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => countText(page)).toBe(figures(all));
  });

  it('keeps an edit made while narrowed when the filter is cleared', async () => {
    const { page, workbook } = await suite.open();
    const id = figureId(workbook, 'killed_civilian', 'Israel Defense Forces');
    await filterMetric(page, 'killed_civilian');
    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('21234');
    await page.keyboard.press('Enter');
    await status(page, /^Saved Value/);
    await page.locator('.filter-bar select[aria-label="Metric"]').selectOption('');
    await expect.poll(() => countText(page)).toBe(figures(workbookCount(workbook, {})));
    await filterMetric(page, 'killed_civilian');
    await expect.poll(() => page.locator(cell(id, 'value')).textContent()).toBe('21,234');
  });

  it('keeps a row with unsaved edits in sight when a filter would hide it', async () => {
    const { page, workbook } = await suite.open();
    const id = figureId(workbook, 'killed_civilian', 'Israel Defense Forces');
    const search = page.locator('.filter-bar input[type="search"]');
    await search.fill('IDF');
    await expect.poll(() => countText(page)).toBe(figures(workbookCount(workbook, { search: 'IDF' })));
    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('20k0'); // cannot be read: not saved, the row keeps it
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(cell(id, 'value')).getAttribute('class')).toMatch(/cell-invalid/);
    await page.locator('.filter-bar select[aria-label="Metric"]').selectOption('killed_total');
    // the IDF's killed_total figures, and the kept row besides (it is not one of them)
    const n = workbookCount(workbook, { search: 'IDF', metric: ['killed_total'] });
    await expect.poll(() => countText(page)).toBe(figures(n + 1));
    await expect.poll(() => page.locator(cell(id, 'value')).textContent()).toContain('20k0');
    expect(query<{ value: number }>(workbook, 'SELECT value FROM figure WHERE id = ?', id)[0]!.value).toBe(20000);
  });
});
