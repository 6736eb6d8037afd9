/// <reference lib="dom" />
// Compare ▸ Aid on the demo workbook, as a new user first sees it: the aid claims of late May 2024 side by side,
// each with its period, method and relay, grouped so that a week's count never sits in a day's block, and the same
// figures as `workbench compare --from --to` gives.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cli, e2eSuite, screenshot } from './support/app';

const suite = e2eSuite();

interface Shown {
  group: string;
  source: string;
  value: string;
  qualifier: string;
  method: string;
  relayed_via: string;
  period_start: string;
  period_end: string;
  days: string;
}

const shownRows = (page: Page): Promise<Shown[]> =>
  page.locator('table[data-table="period"] tbody tr[data-figure-id]').evaluateAll((rows) =>
    rows.map((tr) => {
      const attr = (selector: string, name: string) => tr.querySelector(selector)?.getAttribute(name) ?? '';
      return {
        group: tr.closest('tbody')?.querySelector('.period-head')?.textContent ?? '',
        source: tr.getAttribute('data-source') ?? '',
        value: attr('[data-value]', 'data-value'),
        qualifier: attr('[data-qualifier]', 'data-qualifier'),
        method: attr('[data-method]', 'data-method'),
        relayed_via: attr('[data-relayed-via]', 'data-relayed-via'),
        period_start: tr.getAttribute('data-period-start') ?? '',
        period_end: tr.getAttribute('data-period-end') ?? '',
        days: tr.getAttribute('data-days') ?? '',
      };
    }),
  );

async function openAid(page: Page): Promise<void> {
  await page.locator('.tab[data-view="compare"]').click();
  await page.locator('.compare-title', { hasText: /as of/ }).waitFor();
  await page.locator('.compare-mode[data-mode="aid"]').click();
  await page.locator('table[data-table="period"]').waitFor();
}

describe('Compare ▸ Aid on the demo', () => {
  it("opens on Kerem Shalom's week of 2024-05-26: COGAT's 7-day count beside the day's ~200 of Al Qahera News and the Red Crescent's projection", async () => {
    const { page, workbook } = await suite.open();
    await openAid(page);
    const controls = page.locator('.aid-controls');
    expect(await controls.locator('select[name="aid_metric"]').inputValue()).toBe('aid_trucks');
    expect(await controls.locator('select[name="aid_location"]').inputValue()).toBe('Kerem Shalom crossing');
    expect(await controls.locator('input[name="from"]').inputValue()).toBe('2024-05-26');
    expect(await controls.locator('input[name="to"]').inputValue()).toBe('2024-06-01');
    expect(await page.locator('.compare-pane[data-mode="aid"] .compare-title').textContent()).toBe(
      'Aid trucks, Kerem Shalom crossing — 2024-05-26 to 2024-06-01',
    );

    const day = 'Kerem Shalom crossing — 2024-05-26, 1 day · 2 figures';
    const week = 'Kerem Shalom crossing — 2024-05-26 to 2024-06-01, 7 days · 1 figure';
    expect(await shownRows(page)).toEqual([
      {
        group: day,
        source: 'Al Qahera News',
        value: '200',
        qualifier: 'approximately',
        method: 'reported_count',
        relayed_via: 'i24NEWS',
        period_start: '2024-05-26',
        period_end: '2024-05-26',
        days: '1',
      },
      {
        group: day,
        source: 'Egyptian Red Crescent Society',
        value: '200',
        qualifier: 'approximately',
        method: 'projection',
        relayed_via: 'Reuters',
        period_start: '2024-05-26',
        period_end: '2024-05-26',
        days: '1',
      },
      {
        group: week,
        source: 'COGAT',
        value: '764',
        qualifier: 'exact',
        method: 'reported_count',
        relayed_via: 'Israel National News',
        period_start: '2024-05-26',
        period_end: '2024-06-01',
        days: '7',
      },
    ]);
    // what a reader sees in the row: the projection says so, the relay is a relay, the note and the words are there
    const ercs = page.locator('tr[data-source="Egyptian Red Crescent Society"]');
    await expect.poll(() => ercs.locator('[data-method] .badge').textContent()).toBe('projection');
    expect(await ercs.textContent()).toMatch(/via Reuters.*About 200 aid trucks, including four fuel trucks, are expected to enter Gaza/);
    expect(await page.locator('tr[data-source="COGAT"]').textContent()).toMatch(/Egyptian trucks only, part of the 1,858/);
    // nothing is added up: the cards count figures, sources, periods and projections, not trucks
    const stat = (key: string) => page.locator(`.compare-pane[data-mode="aid"] [data-stat="${key}"] .stat-value`).textContent();
    expect([await stat('figures'), await stat('sources'), await stat('periods'), await stat('projections')]).toEqual(['3', '3', '2', '1']);
    expect(await page.locator('.compare-pane[data-mode="aid"]').textContent()).not.toMatch(/1,164|964/);

    // the same figures, in the same order, as the command line gives
    const text = await cli('compare', workbook, '--metric', 'aid_trucks', '--location', 'Kerem Shalom crossing', '--from', '2024-05-26', '--to', '2024-06-01');
    const cliSources = text
      .split('\n')
      .filter((line) => /^2024-05-26/.test(line))
      .map((line) => line.split(/\s{2,}/)[1]);
    expect(cliSources).toEqual(['Al Qahera News', 'Egyptian Red Crescent Society', 'COGAT']);

    // the chart is drawn: saturated pixels, bars and not only axes
    const colour = await page.locator('figure[data-chart="aid"] canvas').evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.max(data[i]!, data[i + 1]!, data[i + 2]!) - Math.min(data[i]!, data[i + 1]!, data[i + 2]!) > 60) n += 1;
      return n;
    });
    expect(colour).toBeGreaterThan(400);
    await screenshot(page, 'compare-aid');
    await page.locator('figure[data-chart="aid"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'compare-aid-chart');
  });

  it('shows every location for the fortnight when asked, each block with its own period, the as-of count apart', async () => {
    const { page } = await suite.open();
    await openAid(page);
    const controls = page.locator('.aid-controls');
    await controls.locator('select[name="aid_location"]').selectOption('');
    await controls.locator('input[name="from"]').fill('2024-05-19');
    await controls.locator('input[name="from"]').press('Enter');
    await page.locator('.compare-pane[data-mode="aid"] .compare-title', { hasText: 'all locations — 2024-05-19 to 2024-06-01' }).waitFor();
    const groups = await page.locator('table[data-table="period"] .period-head').allTextContents();
    expect(groups).toEqual([
      'Gaza Strip — 2024-05-19 to 2024-05-25, 7 days · 1 figure',
      'Gaza Strip — 2024-05-26 to 2024-06-01, 7 days · 2 figures',
      'Gaza Strip — as of 2024-05-28, no period stated · 1 figure',
      'Kerem Shalom crossing — 2024-05-26, 1 day · 2 figures',
      'Kerem Shalom crossing — 2024-05-26 to 2024-06-01, 7 days · 1 figure',
      'Maritime corridor (US floating pier) — 2024-05-19 to 2024-05-25, 7 days · 1 figure',
    ]);
    expect(await page.locator('tr[data-source="Unnamed sources (Reuters)"] [data-relayed-via]').getAttribute('data-relayed-via')).toBe('Reuters');
    await screenshot(page, 'compare-aid-all');
    await page.locator('figure[data-chart="aid"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'compare-aid-all-chart');
  });
});
