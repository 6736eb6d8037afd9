/// <reference lib="dom" />
// "As recorded on": the top bar's control puts the grid (read-only, marked so), compare and its charts at a past
// moment of the change log, and compare shows then beside now. In real Chromium against the real store.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WorkbenchApi } from '../../src/shared/api';
import { cell, changeCount, e2eSuite, filterMetric, query, screenshot, status } from './support/app';

const suite = e2eSuite();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * After the demo: a moment (to the second, as the control takes it), then IDF's civilian figure revised, the
 * ministry's latest total retracted and a new claimant's figure added. Returns the moment.
 */
async function editsAfterAMoment(api: WorkbenchApi): Promise<string> {
  await pause(1100);
  const moment = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  await pause(1100);
  const { rows } = await api.listFigures({ metric: ['killed_civilian'], source: ['Israel Defense Forces'] });
  const idf = rows.at(-1)!;
  await api.updateFigure({ id: idf.id, patch: { value: 21000, excerpt: 'some 21,000 civilians' } });
  const ocha = (await api.createSource({ name: 'UN OCHA', kind: 'un_agency' })).value;
  await api.createFigure({
    metric_id: idf.metric_id,
    source_id: ocha.id,
    citation_id: idf.citation_id,
    location_id: idf.location_id,
    value: 24000,
    as_of: idf.as_of,
  });
  return moment;
}

/** Types the moment into the control in the page's own time zone, as an analyst would. */
async function setRecordedOn(page: Page, moment: string): Promise<void> {
  const local = await page.evaluate((iso) => {
    const d = new Date(iso);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  }, moment);
  await page.locator('.recorded-on-control > summary').click();
  await page.locator('input[name="recorded_on"]').fill(local);
  await page.locator('.recorded-on-control button', { hasText: 'Show' }).click();
  await page.locator('.recorded-banner').waitFor();
}

describe('as recorded on a past moment', () => {
  it('shows the grid as recorded then, read-only and marked, and Back to now returns to the workbook as it is', async () => {
    let moment = '';
    const app = await suite.open({ setup: async (api) => void (moment = await editsAfterAMoment(api)) });
    const { page, workbook } = app;
    await filterMetric(page, 'killed_civilian');
    const idf = query<{ id: string }>(
      workbook,
      "SELECT f.id FROM figure f JOIN source s ON s.id = f.source_id JOIN metric m ON m.id = f.metric_id WHERE s.name = 'Israel Defense Forces' AND m.code = 'killed_civilian'",
    )[0]!.id;
    await expect.poll(() => page.locator(cell(idf, 'value')).textContent()).toBe('21,000');
    const ocha = await page.locator('.ag-row:not(.ag-row-pinned) .ag-cell[col-id="source"]', { hasText: 'UN OCHA' }).count();
    expect(ocha).toBe(1);

    await setRecordedOn(page, moment);
    const banner = (await page.locator('.recorded-banner').textContent()) ?? '';
    expect(banner).toMatch(/As recorded on .+, after change #\d+: the figures as the change log had them then\. Read-only/);
    await expect.poll(() => page.locator(cell(idf, 'value')).textContent()).toBe('20,000');
    expect(await page.locator('.ag-row:not(.ag-row-pinned) .ag-cell[col-id="source"]', { hasText: 'UN OCHA' }).count()).toBe(0);
    expect(await page.locator('.ag-row[row-id="new-figure"]').count()).toBe(0);
    expect(await page.locator('body').getAttribute('data-recorded-on')).toBe('');
    await screenshot(page, 'recorded-on-grid');

    // read-only: typing into a cell, pasting over it, undo and import write nothing
    const changes = changeCount(workbook);
    await page.locator(cell(idf, 'value')).click();
    await page.keyboard.type('99');
    await page.keyboard.press('Enter');
    expect(await page.locator('.ag-cell-inline-editing').count()).toBe(0);
    await page.keyboard.press('Control+Z');
    await status(page, /Not while the workbook is shown as recorded on a past moment/);
    expect(await page.locator('button', { hasText: 'Import…' }).isDisabled()).toBe(true);
    expect(await page.locator('button', { hasText: '+ New figure' }).isDisabled()).toBe(true);
    expect(changeCount(workbook)).toBe(changes);
    await expect.poll(() => page.locator(cell(idf, 'value')).textContent()).toBe('20,000');

    await page.locator('.recorded-banner button', { hasText: 'Back to now' }).click();
    await page.locator('.recorded-banner').waitFor({ state: 'hidden' });
    await expect.poll(() => page.locator(cell(idf, 'value')).textContent()).toBe('21,000');
    expect(await page.locator('.ag-row[row-id="new-figure"]').count()).toBe(1);
    expect(await page.locator('input[name="recorded_on"]').inputValue()).toBe('');
    expect(await page.locator('.recorded-on-control > summary').textContent()).toBe('As recorded on…');
    expect(await page.locator('body').getAttribute('data-recorded-on')).toBeNull();
  });

  it('puts compare and its charts at the moment, with then beside now: revised and added since', async () => {
    let moment = '';
    const app = await suite.open({ setup: async (api) => void (moment = await editsAfterAMoment(api)) });
    const { page } = app;
    await setRecordedOn(page, moment);
    await page.locator('.tab[data-view="compare"]').click();
    await page.locator('.compare-title', { hasText: /as recorded on/ }).waitFor();
    const controls = page.locator('.compare-controls');
    await controls.locator('select[name="metric"]').selectOption('killed_civilian');
    await controls.locator('select[name="location"]').selectOption('Gaza Strip');
    await controls.locator('input[name="as_of"]').fill('2024-06-01');
    await controls.locator('input[name="as_of"]').press('Enter');
    await page.locator('.compare-title', { hasText: /as of 2024-06-01, as recorded on .+, after change #\d+/ }).waitFor();
    const since = page.locator('table[data-table="since"]');
    await expect.poll(() => since.locator('tr[data-source="Israel Defense Forces"]').getAttribute('data-change')).toBe('revised');
    expect(await since.locator('tr[data-source="Israel Defense Forces"]').textContent()).toMatch(/20,000.*21,000.*revised since value, excerpt/);
    expect(await since.locator('tr[data-source="UN OCHA"]').getAttribute('data-change')).toBe('added');
    // the table of then: IDF's figure as it was, and no OCHA
    const then = page.locator('table[data-table="compare"]');
    expect(await then.locator('tr[data-source="Israel Defense Forces"] td.quantity').getAttribute('data-value')).toBe('20000');
    expect(await then.locator('tr[data-source="UN OCHA"]').count()).toBe(0);
    await page.locator('figure[data-chart="series"] canvas').waitFor();
    await screenshot(page, 'recorded-on-compare');

    expect(await page.locator('.recorded-on-control > summary').textContent()).toMatch(/^Recorded on /);
    await page.locator('.recorded-on-control > summary').click();
    await page.locator('.recorded-on-control button', { hasText: 'Now' }).click();
    await page.locator('.compare-title', { hasText: /as of 2024-06-01$/ }).waitFor();
    expect(await page.locator('table[data-table="since"]').count()).toBe(0);
    expect(await then.locator('tr[data-source="Israel Defense Forces"] td.quantity').getAttribute('data-value')).toBe('21000');
  });
});
