/// <reference lib="dom" />
// The compare view against the CLI: the same query gives the same numbers, the same CSV bytes; and the charts
// really draw (pixels, not just canvases), save as opaque PNGs, and follow the system's light/dark switch.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WorkbenchApi } from '../../src/shared/api';
import { cli, e2eSuite, SCREENSHOTS, screenshot } from './support/app';

const suite = e2eSuite();

/** What the demo lacks for a full comparison: a third claimant stating ranges. */
async function moreClaims(api: WorkbenchApi): Promise<void> {
  const ocha = (await api.createSource({ name: 'UN OCHA', short_name: 'OCHA', kind: 'un_agency', party_to_conflict: 0 })).value;
  const report = (
    await api.createCitation({
      title: 'Hostilities in the Gaza Strip — flash update',
      publisher: 'OCHA',
      url: 'https://www.ochaopt.org/flash-update',
      published: '2024-05-15',
    })
  ).value;
  const metrics = new Map((await api.listMetrics({})).map((m) => [m.code, m.id]));
  const locations = new Map((await api.listLocations({})).map((l) => [l.name, l.id]));
  const claim = { source_id: ocha.id, citation_id: report.id, location_id: locations.get('Gaza Strip'), as_of: '2024-05-15', method: 'estimate' as const };
  await api.createFigures({
    figures: [
      { ...claim, metric_id: metrics.get('killed_total'), low: 34000, high: 36000, qualifier: 'approximately', excerpt: 'between 34,000 and 36,000 killed' },
      { ...claim, metric_id: metrics.get('killed_civilian'), low: 24000, high: 26000, excerpt: '24,000 to 26,000 civilians' },
      { ...claim, metric_id: metrics.get('killed_combatant'), value: 10000, qualifier: 'up_to', excerpt: 'up to 10,000 combatants' },
    ],
  });
}

/** Compare ▸ Casualties or Compare ▸ Aid, where each chart is. */
async function showMode(page: Page, chart: string): Promise<void> {
  await page.locator(`.compare-mode[data-mode="${chart === 'aid' ? 'aid' : 'casualties'}"]`).click();
  await page.locator(`figure[data-chart="${chart}"]`).waitFor();
  if (chart === 'aid') await page.locator('table[data-table="period"]').waitFor();
}

async function compare(page: Page, query: { metric: string; location: string; as_of: string }): Promise<void> {
  await page.locator('.tab[data-view="compare"]').click();
  await page.locator('.compare-title', { hasText: /as of/ }).waitFor(); // the first look
  const controls = page.locator('.compare-controls');
  await controls.locator('select[name="metric"]').selectOption(query.metric);
  await controls.locator('select[name="location"]').selectOption(query.location);
  await controls.locator('input[name="as_of"]').fill(query.as_of);
  await controls.locator('input[name="as_of"]').press('Enter');
  await page.locator('.compare-title', { hasText: `as of ${query.as_of}` }).waitFor();
  await page.waitForFunction(
    (metric) =>
      document.querySelector('.compare-title')?.textContent?.length &&
      document.querySelector('select[name="metric"]') &&
      (document.querySelector('select[name="metric"]') as HTMLSelectElement).value === metric,
    query.metric,
  );
}

interface Row {
  source: string;
  value: string;
  low: string;
  high: string;
  qualifier: string;
  date: string;
  ratio: string;
}

/** Every claim the view shows: the current ones, then the ones older than the window. */
const shownRows = (page: Page): Promise<Row[]> =>
  page.locator('table[data-table^="compare"] tbody tr').evaluateAll((rows) =>
    rows.map((tr) => {
      const attr = (selector: string, name: string) => tr.querySelector(selector)?.getAttribute(name) ?? '';
      return {
        source: tr.getAttribute('data-source') ?? '',
        value: attr('[data-value]', 'data-value'),
        low: attr('[data-low]', 'data-low'),
        high: attr('[data-high]', 'data-high'),
        qualifier: attr('[data-qualifier]', 'data-qualifier'),
        date: attr('[data-date]', 'data-date'),
        ratio: attr('[data-ratio]', 'data-ratio'),
      };
    }),
  );

/** The CLI's claims, one per claimant: its relays (independent false) are shown on the claimant's row. */
function cliRows(csv: string): Row[] {
  return cliRecords(csv)
    .filter((r) => r.independent === 'true')
    .map((r) => ({
      source: r.source!,
      value: r.value!,
      low: r.low!,
      high: r.high!,
      qualifier: r.qualifier!,
      date: r.date!,
      ratio: r.civilian_combatant_ratio!,
    }));
}

const cliRecords = (csv: string) => Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;

describe('compare view', () => {
  it('shows for each source the numbers that `workbench compare --csv` gives for the same query, and exports the same CSV', async () => {
    const app = await suite.open({ setup: moreClaims });
    const { page, workbook } = app;
    for (const query of [
      { metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-05-19' },
      { metric: 'killed_civilian', location: 'Gaza Strip', as_of: '2024-05-19' },
    ]) {
      await compare(page, query);
      const csv = await cli('compare', workbook, '--metric', query.metric, '--location', query.location, '--as-of', query.as_of, '--csv');
      const expected = cliRows(csv);
      expect(expected.length).toBeGreaterThanOrEqual(2);
      expect(await shownRows(page)).toEqual(expected);

      // the spread across the current claims, from the same rows' intervals
      const counted = cliRecords(csv).filter((r) => r.independent === 'true' && r.stale === 'false');
      const lows = counted.map((r) => Number(r.interval_low));
      const bounds = counted.flatMap((r) => [Number(r.interval_low), ...(r.interval_high ? [Number(r.interval_high)] : [])]);
      const stat = (key: string) => page.locator(`[data-stat="${key}"] .stat-value`).textContent();
      expect(await stat('sources')).toBe(String(counted.length));
      expect(await stat('min')).toBe(Math.min(...lows).toLocaleString('en-US'));
      expect(await stat('max')).toBe(Math.max(...bounds).toLocaleString('en-US'));

      // the table's CSV export is the CLI's output, byte for byte
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export table CSV' }).click();
      const file = await (await download).path();
      expect(readFileSync(file, 'utf8')).toBe(csv);
    }
    // civilians per combatant, per source: the IDF's 20,000 : 15,000, and OCHA's range midpoint 25,000 : 10,000
    const ratios = await page
      .locator('table[data-table="ratios"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-source'), r.querySelector('[data-ratio]')?.getAttribute('data-ratio')]));
    expect(ratios).toEqual([
      ['Israel Defense Forces', '1.333'],
      ['UN OCHA', '2.500'],
    ]);
    expect(await page.locator('table[data-table="ratios"]').textContent()).toMatch(/2\.50 : 1 \(from range midpoints\)/);
    await screenshot(page, 'compare-light');
  });

  it('first opens on the latest day on which sources compete, where a claim is within the window, not on today', async () => {
    const moments: string[] = [];
    const { page } = await suite.open({ setup: async (api) => void moments.push((await api.latestContestedDate({}))?.date ?? '') });
    const [date] = moments;
    expect(date).toMatch(/^\d{4}-\d\d-\d\d$/);
    await page.locator('.tab[data-view="compare"]').click();
    await page.locator('.compare-title', { hasText: `as of ${date}` }).waitFor();
    // the first look shows claims, not a table of stale ones only
    const casualties = page.locator('.compare-results').first();
    await expect.poll(() => casualties.locator('.card table tbody tr').count()).toBeGreaterThan(0);
    expect(await casualties.textContent()).not.toContain('No current figures');
    await screenshot(page, 'compare-first-look');
  });

  it('shows a stale figure apart and out of the spread, marks contested claims, and counts a relayed claim once', async () => {
    const app = await suite.open({
      setup: async (api) => {
        await moreClaims(api);
        const sources = new Map((await api.listSources({})).map((s) => [s.name, s.id]));
        const metric = (await api.listMetrics({})).find((m) => m.code === 'killed_total')!.id;
        const gaza = (await api.listLocations({})).find((l) => l.name === 'Gaza Strip')!.id;
        const source = async (name: string) => (await api.createSource({ name, kind: 'media' })).value.id;
        const citation = async (title: string, publisher: string) => (await api.createCitation({ title, publisher })).value.id;
        // the Ministry's 35,456 of 2024-05-19, relayed by a second outlet: the same claim, one claimant
        await api.createFigure({
          metric_id: metric,
          location_id: gaza,
          source_id: sources.get('Gaza Ministry of Health')!,
          relayed_via_id: await source('Al Jazeera'),
          citation_id: await citation('Gaza death toll passes 35,000', 'Al Jazeera'),
          value: 35456,
          as_of: '2024-05-19',
        });
        // a lower bound above the Ministry's count: the two cannot both be true
        await api.createFigure({
          metric_id: metric,
          location_id: gaza,
          source_id: await source('Euro-Med Monitor'),
          citation_id: await citation('Monitor estimate', 'Euro-Med Monitor'),
          value: 36000,
          qualifier: 'at_least',
          as_of: '2024-05-17',
        });
      },
    });
    const { page } = app;
    await compare(page, { metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-05-19' });

    const summary = page.locator('.compare-summary');
    await expect
      .poll(() => summary.textContent())
      .toBe(
        '3 independent claimants (2 relays) · 1 figure older than 30 days shown apart, left out of the spread · contested: some claims cannot both be true',
      );
    const rowsOf = (table: string) =>
      page
        .locator(`table[data-table="${table}"] tbody tr`)
        .evaluateAll((rows) =>
          rows.map((tr) => [
            tr.getAttribute('data-source'),
            tr.querySelector('.interval')?.textContent,
            tr.querySelector('[data-age]')?.getAttribute('data-age'),
            tr.querySelector('.badge')?.textContent ?? '',
          ]),
        );
    expect(await rowsOf('compare')).toEqual([
      ['Euro-Med Monitor', '[36,000, ∞)', '2', 'contested'],
      ['Gaza Ministry of Health', '35,456', '0', 'contested'],
      ['UN OCHA', '[34,000, 36,000]', '4', ''],
    ]);
    // the five-month-old Government Media Office figure: under its own heading, not in the spread
    expect(await rowsOf('compare-stale')).toEqual([['Gaza Government Media Office', '18,800', '156', '']]);
    await expect
      .poll(() => page.locator('.stale-claims .section-title').textContent())
      .toBe('Older than 30 days before 2024-05-19 — shown apart, not in the spread');
    const ministry = page.locator('table[data-table="compare"] tr[data-source="Gaza Ministry of Health"]');
    // one row for the Ministry, naming both outlets that relayed it
    const relayed = await ministry.locator('td[data-relays]').evaluate((td) => [td.firstChild?.textContent, td.querySelector('.relays-note')?.textContent]);
    expect(relayed.sort()).toEqual(['Al Jazeera', 'also via Tech for Palestine — one claim, counted once'].sort());
    const stat = (key: string) => page.locator(`[data-stat="${key}"] .stat-value`).textContent();
    expect([await stat('sources'), await stat('min'), await stat('max'), await stat('spread')]).toEqual(['3', '34,000', '36,000', '544 (×1.02)']);
    await screenshot(page, 'compare-honest');

    // a wider window lets the old figure in: four claimants, no stale table, the spread down to 18,800
    await page.locator('input[name="window_days"]').fill('200');
    await page.locator('input[name="window_days"]').press('Enter');
    await expect.poll(() => summary.getAttribute('data-claimants')).toBe('4');
    expect(await page.locator('table[data-table="compare-stale"]').count()).toBe(0);
    expect(await stat('min')).toBe('18,800');
    // and the table's export says the same: every claim and relay with its age, window and interval
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export table CSV' }).click();
    const records = cliRecords(readFileSync(await (await download).path(), 'utf8'));
    expect(records.map((r) => [r.source, r.relayed_via, r.age_days, r.window_days, r.stale, r.interval_low, r.interval_high, r.independent])).toEqual([
      ['Euro-Med Monitor', '', '2', '200', 'false', '36000', '', 'true'],
      ['Gaza Government Media Office', 'Tech for Palestine', '156', '200', 'false', '18800', '18800', 'true'],
      ['Gaza Ministry of Health', expect.any(String), '0', '200', 'false', '35456', '35456', 'true'],
      ['Gaza Ministry of Health', expect.any(String), '0', '200', 'false', '35456', '35456', 'false'],
      ['UN OCHA', '', '4', '200', 'false', '34000', '36000', 'true'],
    ]);
  });

  it('draws every chart (pixels, not just canvases), saves each as an opaque PNG, and redraws in dark mode', async () => {
    const app = await suite.open({ setup: moreClaims });
    const { page } = app;
    await compare(page, { metric: 'killed_civilian', location: 'Gaza Strip', as_of: '2024-05-19' });

    const pixels = (name: string) =>
      page.locator(`figure[data-chart="${name}"] canvas`).evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        const [r0, g0, b0] = [data[0]!, data[1]!, data[2]!]; // the painted background
        let ink = 0;
        let colour = 0;
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
          if (Math.abs(r - r0) + Math.abs(g - g0) + Math.abs(b - b0) > 60) ink += 1;
          if (Math.max(r, g, b) - Math.min(r, g, b) > 60) colour += 1; // saturated: bars and lines, not grey axes
        }
        return { width: canvas.width, height: canvas.height, ink, colour, background: [r0, g0, b0, data[3]!] };
      });
    for (const name of ['casualties', 'series', 'aid']) {
      await showMode(page, name);
      const p = await pixels(name);
      expect(p.width, name).toBeGreaterThan(300);
      expect(p.colour, `${name}: coloured pixels`).toBeGreaterThan(400);
      expect(p.background[3], `${name}: opaque`).toBe(255);
    }

    for (const name of ['casualties', 'series', 'aid']) {
      await showMode(page, name);
      const download = page.waitForEvent('download');
      await page.locator(`figure[data-chart="${name}"]`).getByRole('button', { name: 'Save PNG' }).click();
      const saved = await download;
      expect(saved.suggestedFilename()).toMatch(/\.png$/);
      const bytes = readFileSync(await saved.path());
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
      const corner = await page.evaluate(async (base64) => {
        const image = new Image();
        image.src = `data:image/png;base64,${base64}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        return {
          width: image.width,
          alpha: context.getImageData(0, 0, 1, 1).data[3],
          middle: context.getImageData(image.width >> 1, image.height >> 1, 1, 1).data[3],
        };
      }, bytes.toString('base64'));
      expect(corner.width, name).toBeGreaterThan(300);
      expect(corner.alpha, `${name}: the PNG has a background`).toBe(255);
      expect(corner.middle, name).toBe(255);
    }
    await page.locator('figure[data-chart="aid"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'compare-charts-light');

    // The system switches to dark: the page and the charts follow without a reload.
    await page.emulateMedia({ colorScheme: 'dark' });
    await showMode(page, 'series');
    await expect.poll(async () => (await pixels('series')).background.slice(0, 3).reduce((a, b) => a + b, 0)).toBeLessThan(200);
    expect((await pixels('series')).colour).toBeGreaterThan(400);
    await page.locator('.compare-scroll').evaluate((e) => e.scrollTo(0, 0));
    await screenshot(page, 'compare-dark');
    await showMode(page, 'aid');
    await page.locator('figure[data-chart="aid"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'compare-charts-dark');
  });

  it('draws a figure with a value and a range as a bar with an error bar from low to high; without a range, no error bar', async () => {
    const app = await suite.open({
      setup: async (api) => {
        // UN OCHA: on 2024-05-10 a best estimate with its range, on 2024-05-16 a bare number
        await moreClaims(api);
        const [ocha] = (await api.listSources({})).filter((s) => s.name === 'UN OCHA');
        const citation = (await api.listCitations({})).find((c) => c.publisher === 'OCHA')!;
        const metrics = new Map((await api.listMetrics({})).map((m) => [m.code, m.id]));
        const gaza = (await api.listLocations({})).find((l) => l.name === 'Gaza Strip')!;
        const claim = { source_id: ocha!.id, citation_id: citation.id, metric_id: metrics.get('killed_civilian')!, location_id: gaza.id };
        await api.createFigure({ ...claim, as_of: '2024-05-10', value: 23000, low: 21000, high: 27000, excerpt: 'some 23,000 (21,000–27,000) civilians' });
        await api.createFigure({ ...claim, as_of: '2024-05-16', value: 25000, excerpt: '25,000 civilians' });
      },
    });
    const { page } = app;
    // the error bars are drawn in the text colour; nothing else in the chart is (labels and ticks are muted)
    const whiskerPixels = () =>
      page.locator('figure[data-chart="casualties"] canvas').evaluate((canvas: HTMLCanvasElement) => {
        const ink = getComputedStyle(document.documentElement).getPropertyValue('--text').trim();
        const [r0, g0, b0] = [1, 3, 5].map((i) => Number.parseInt(ink.slice(i, i + 2), 16));
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - r0!) + Math.abs(data[i + 1]! - g0!) + Math.abs(data[i + 2]! - b0!) < 30) n += 1;
        return n;
      });
    await compare(page, { metric: 'killed_civilian', location: 'Gaza Strip', as_of: '2024-05-12' });
    await page.locator('figure[data-chart="casualties"] canvas').waitFor();
    // polled: the chart may still be animating into place
    await expect.poll(whiskerPixels, { message: 'the error bar of 21,000–27,000 over the bar of 23,000' }).toBeGreaterThan(40);
    const withRange = await whiskerPixels();
    await page.locator('figure[data-chart="casualties"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'compare-error-bar');

    await compare(page, { metric: 'killed_civilian', location: 'Gaza Strip', as_of: '2024-05-16' });
    await expect.poll(whiskerPixels).toBeLessThan(withRange / 10);
  });

  it('saves a chart as a PNG that carries its title, metric, location, as-of date and sources, named for the as-of date', async () => {
    const app = await suite.open({ setup: moreClaims });
    const { page } = app;
    // every text drawn on any canvas, the PNG's own included
    await page.evaluate(() => {
      const texts: string[] = [];
      (window as unknown as { __texts: string[] }).__texts = texts;
      const fillText = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
        texts.push(String(text));
        return fillText.call(this, text, ...rest);
      };
    });
    await compare(page, { metric: 'killed_civilian', location: 'Gaza Strip', as_of: '2024-05-19' });
    const card = page.locator('figure[data-chart="casualties"]');
    const chartHeight = await card.locator('canvas').evaluate((c: HTMLCanvasElement) => c.height);
    await page.evaluate(() => (window as unknown as { __texts: string[] }).__texts.splice(0));
    const download = page.waitForEvent('download');
    await card.getByRole('button', { name: 'Save PNG' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('Civilians-and-combatants-killed-by-source-as-of-2024-05-19.png');
    // the caption's lines, wrapped to the image's width, read as one text
    const drawn = (await page.evaluate(() => (window as unknown as { __texts: string[] }).__texts)).join(' ');
    expect(drawn).toContain('Civilians and combatants killed, by source');
    expect(drawn).toContain('Civilians killed (killed_civilian), Combatants killed (killed_combatant) · Gaza Strip · as of 2024-05-19');
    expect(drawn).toContain('Sources: ');
    const sources = drawn.slice(drawn.indexOf('Sources: '));
    expect(sources).toContain("Israel Defense Forces, via The Times of Israel — Times of Israel report on Sullivan's meeting");
    expect(sources).toContain('UN OCHA — Hostilities in the Gaza Strip — flash update (OCHA)');

    const bytes = readFileSync(await saved.path());
    writeFileSync(join(SCREENSHOTS, 'chart-png-casualties.png'), bytes);
    const size = await page.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      return { width: image.width, height: image.height };
    }, bytes.toString('base64'));
    expect(size.height, 'the caption adds room above and below the chart').toBeGreaterThan(chartHeight + 60);
  });
});
