/// <reference lib="dom" />
// Getting data in and out, and keeping its sources tidy: the import wizard (a bad file lists its problems and
// changes nothing; a good one imports), the export (the same bytes as the CLI's), sources and citations (merge,
// entering an article's figures), and a page that never reaches beyond its own origin.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changeCount, cli, e2eSuite, query, screenshot, status } from './support/app';

const suite = e2eSuite();

const figureCount = (workbook: string) => query<{ n: number }>(workbook, 'SELECT count(*) AS n FROM figure')[0]!.n;

describe('import wizard', () => {
  it('lists every problem of a bad file by row, column, value and reason, and changes nothing; a good file then imports', async () => {
    const app = await suite.open();
    const { page, workbook } = app;
    const changes = changeCount(workbook);
    const figures = figureCount(workbook);

    await page.getByRole('button', { name: 'Import…' }).click();
    const wizard = page.locator('dialog[data-dialog="import"]');
    const bad = [
      'metric,value,low,high,as_of,source,citation_title,location',
      'killed_total,abc,,,2024-05-01,UN OCHA,Flash update 170,Gaza Strip',
      'killed_everyone,100,,,2024-05-01,UN OCHA,Flash update 170,Gaza Strip',
      'killed_total,,500,100,2024-05-01,UN OCHA,Flash update 170,Gaza Strip',
      'killed_total,100,,,2024-02-30,UN OCHA,Flash update 170,Gaza Strip',
      'killed_total,35000,,,2024-05-01,UN OCHA,Flash update 170,Gaza Strip',
    ].join('\r\n');
    await wizard.locator('input.file-input').setInputFiles({ name: 'bad-figures.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await expect.poll(() => wizard.textContent()).toMatch(/bad-figures\.csv: 8 columns — the workbook’s own format/);
    await wizard.getByRole('button', { name: 'Check the file' }).click();
    await wizard.locator('table[data-table="problems"]').waitFor();
    const problems = await wizard
      .locator('table[data-table="problems"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    const byRow = (row: string) => problems.filter((p) => p[0] === row);
    expect(byRow('2')).toEqual([['2', 'value', 'abc', expect.stringMatching(/number/i)]]);
    expect(byRow('3')).toEqual([['3', 'metric', 'killed_everyone', expect.stringMatching(/unknown metric/)]]);
    expect(byRow('4')[0]).toEqual(['4', expect.stringMatching(/low/), expect.any(String), expect.stringMatching(/low \(500\) exceeds high \(100\)/)]);
    expect(byRow('5')[0]).toEqual(['5', 'as_of', '2024-02-30', '2024 has no 30 February']);
    expect(byRow('6')).toEqual([]);
    expect(await wizard.locator('.check-summary').getAttribute('data-problems')).toBe('4');
    expect(await wizard.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await screenshot(page, 'import-problems');
    expect(changeCount(workbook)).toBe(changes);
    expect(figureCount(workbook)).toBe(figures);
    await wizard.locator('.dialog-header button').click();

    // Someone else's layout: headers matched by meaning, the metric given once for every row.
    await page.getByRole('button', { name: 'Import…' }).click();
    const good = [
      'Date,Claimant,Count,Title,Place',
      '2024-05-10,UN OCHA,34844,Flash update 168,Gaza Strip',
      '2024-05-17,UN OCHA,35303,Flash update 170,Gaza Strip',
    ].join('\n');
    await wizard.locator('input.file-input').setInputFiles({ name: 'ocha-killed.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await wizard.locator('select[data-header="Place"]').waitFor();
    const mapped = await wizard
      .locator('select[data-header]')
      .evaluateAll((selects) => selects.map((s) => [s.getAttribute('data-header'), (s as HTMLSelectElement).value]));
    expect(mapped).toEqual([
      ['Date', 'as_of'],
      ['Claimant', 'source'],
      ['Count', 'value'],
      ['Title', 'citation_title'],
      ['Place', 'location'],
    ]);
    await expect.poll(() => wizard.locator('.requirements').textContent()).toMatch(/Still needed: metric/);
    await wizard.getByLabel('Metric for every row').fill('killed_total');
    await wizard.getByLabel('Metric for every row').press('Tab');
    await expect.poll(() => wizard.locator('.requirements').textContent()).toMatch(/Every required column is fed/);
    await wizard.getByRole('button', { name: 'Check the file' }).click();
    await wizard.getByRole('button', { name: 'Import: 2 new' }).click();
    await wizard.locator('[data-imported="true"]').waitFor();
    expect(await wizard.textContent()).toMatch(/New sources: UN OCHA/);
    await screenshot(page, 'import-done');
    const imported = query<{ value: number; as_of: string; source: string; file_name: string; import_row: number }>(
      workbook,
      `SELECT f.value, f.as_of, s.name AS source, b.file_name, f.import_row FROM figure f JOIN source s ON s.id = f.source_id
         JOIN import_batch b ON b.id = f.import_batch_id WHERE b.file_name = 'ocha-killed.csv' ORDER BY f.as_of`,
    );
    expect(imported).toEqual([
      { value: 34844, as_of: '2024-05-10', source: 'UN OCHA', file_name: 'ocha-killed.csv', import_row: 2 },
      { value: 35303, as_of: '2024-05-17', source: 'UN OCHA', file_name: 'ocha-killed.csv', import_row: 3 },
    ]);
  });
});

describe('export', () => {
  it('writes the figures of the grid’s filter, byte for byte what `workbench export` writes with the same filter', async () => {
    const app = await suite.open();
    const { page, workbook, dir } = app;
    const bar = page.locator('.filter-bar');
    await bar.locator('select[aria-label="Metric"]').selectOption('killed_total');
    await bar.locator('select[aria-label="Source"]').selectOption('Gaza Ministry of Health');
    await bar.locator('input[aria-label="From date"]').fill('2024-01-01');
    await bar.locator('input[aria-label="To date"]').fill('2024-06');
    const expected = query<{ n: number }>(
      workbook,
      `SELECT count(*) AS n FROM figure f JOIN metric m ON m.id = f.metric_id JOIN source s ON s.id = f.source_id
        WHERE m.code = 'killed_total' AND s.name = 'Gaza Ministry of Health' AND f.effective_date BETWEEN '2024-01-01' AND '2024-06-31' AND f.status <> 'retracted'`,
    )[0]!.n;
    await expect.poll(() => page.locator('.toolbar .count').textContent()).toBe(`${expected} figures`);

    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.locator('dialog[data-dialog="export"]');
    await expect
      .poll(() => dialog.locator('.export-scope').textContent())
      .toBe(`${expected} figures — metric killed_total · source Gaza Ministry of Health · from 2024-01-01 · to 2024-06.`);
    await dialog.getByLabel(/Byte-order mark/).check();
    await dialog.getByLabel(/HXL hashtag row/).check();
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const saved = await download;
    await expect.poll(() => dialog.locator('.export-result').textContent()).toMatch(/^Exported \d+ figures to figures-\d{4}-\d{2}-\d{2}\.csv/);
    await screenshot(page, 'export-dialog');
    const fromUi = readFileSync(await saved.path());

    const out = join(dir, 'cli.csv');
    await cli(
      'export',
      workbook,
      out,
      '--metric',
      'killed_total',
      '--source',
      'Gaza Ministry of Health',
      '--from',
      '2024-01-01',
      '--to',
      '2024-06',
      '--bom',
      '--hxl',
    );
    const fromCli = readFileSync(out);
    expect(fromUi.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(fromUi.toString('utf8').split('\r\n')[1]).toMatch(/^#meta\+id,/);
    expect(fromUi.length).toBe(fromCli.length);
    expect(fromUi.equals(fromCli)).toBe(true);
    expect(fromUi.toString('utf8').trimEnd().split('\r\n').length - 2).toBe(expected); // header and HXL rows aside
  });
});

describe('sources and citations', () => {
  it('draws the citations on screen, not all of them at once, and the rest as the list is scrolled to them', async () => {
    const app = await suite.open({
      setup: async (api) => {
        for (let i = 1; i <= 800; i += 1) await api.createCitation({ title: `Situation report ${i}`, publisher: 'OCHA', published: '2024-05-01' });
      },
    });
    const { page, workbook } = app;
    const total = query<{ n: number }>(workbook, 'SELECT count(*) AS n FROM citation')[0]!.n;
    expect(total).toBeGreaterThan(800);
    await page.locator('.tab[data-view="library"]').click();
    const list = page.locator('[data-list="citation"]');
    await list.locator('tr[data-id]').first().waitFor();
    const drawn = await list.locator('tr[data-id]').count();
    expect(drawn).toBeLessThan(total / 4);
    // The scrollbar is the whole list's: scrolled to the end, the last entries are drawn there.
    await list.locator('.list-body').evaluate((body) => body.scrollTo(0, body.scrollHeight));
    await expect.poll(() => list.locator('tr[data-id]').count(), { timeout: 10_000 }).toBe(total);
    await list.locator('.list-body').evaluate((body) => body.scrollTo(0, body.scrollHeight));
    expect(await list.locator('tr[data-id]').last().isVisible()).toBe(true);
    await screenshot(page, 'library-scrolled');
    // The list's own search still finds any entry, drawn or not.
    await list.locator('.list-search').fill('Times of Israel');
    await expect.poll(() => list.locator('tr[data-id]').count()).toBeGreaterThan(0);
    expect(await list.locator('tr[data-id]').first().textContent()).toMatch(/Times of Israel/);
  });

  it('merges a duplicate source into the one kept, and enters an article’s figures with its citation picked once', async () => {
    const app = await suite.open();
    const { page, workbook } = app;
    await page.locator('.tab[data-view="library"]').click();
    const sources = page.locator('[data-list="source"]');

    // A second spelling of the ministry, with a figure of its own.
    await sources.getByRole('button', { name: '+ New source' }).click();
    const form = page.locator('dialog[data-dialog="source-form"]');
    await form.getByRole('button', { name: 'Add source' }).click();
    await expect.poll(() => form.locator('.field-error').first().textContent()).toBe('required');
    await form.locator('input[name="name"]').fill('Gaza ministry of health.');
    await form.locator('select[name="kind"]').selectOption('health_authority');
    await form.locator('input[name="name"]').press('Enter');
    await status(page, /^Saved new source “Gaza ministry of health\.”/);
    await expect.poll(() => sources.locator('.badge.warn').count()).toBe(2);
    await screenshot(page, 'library');

    const duplicate = query<{ id: string }>(workbook, "SELECT id FROM source WHERE name = 'Gaza ministry of health.'")[0]!.id;
    await sources.locator(`tr[data-id="${duplicate}"] input[type="checkbox"]`).check();
    await sources
      .locator('tr', { hasText: 'Gaza Ministry of Health' })
      .filter({ hasNot: page.locator(`[data-id="${duplicate}"]`) })
      .locator('input[type="checkbox"]')
      .first()
      .check();
    await sources.getByRole('button', { name: 'Merge selected…' }).click();
    const merge = page.locator('dialog[data-dialog="merge"]');
    expect(await merge.locator('input[type="radio"]:checked').evaluate((r) => r.closest('label')?.textContent)).toMatch(
      /^Gaza Ministry of Health — 2,584 figures/,
    );
    await merge.getByRole('button', { name: 'Merge' }).click();
    await status(page, /^Merged 2 sources into “Gaza Ministry of Health”/);
    expect(query(workbook, "SELECT id FROM source WHERE name = 'Gaza ministry of health.'")).toEqual([]);

    // From a new citation straight to its figures: the new row starts with it.
    await page.locator('[data-list="citation"]').getByRole('button', { name: '+ New citation' }).click();
    const citation = page.locator('dialog[data-dialog="citation-form"]');
    await citation.locator('input[name="title"]').fill('Gaza: health ministry update, 20 May');
    await citation.locator('input[name="url"]').fill('not a url');
    await citation.getByRole('button', { name: 'Add citation' }).click();
    await expect.poll(() => citation.locator('.field-error').nth(2).textContent()).toMatch(/expected a URL/);
    await citation.locator('input[name="url"]').fill('https://example.org/moh-update-20-may');
    await citation.locator('input[name="published"]').fill('2024-05-20');
    await citation.getByRole('button', { name: 'Add citation' }).click();
    await page.locator('.citation-banner', { hasText: 'Gaza: health ministry update, 20 May' }).waitFor();
    await expect.poll(() => page.locator('.toolbar .count').textContent()).toBe('0 figures');
    await page.keyboard.type('killed_total');
    await page.keyboard.press('Tab');
    await page.keyboard.type('35,562');
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('Tab'); // range, qualifier, as of (the citation's date), location
    await page.keyboard.type('gaza strip');
    await page.keyboard.press('Tab');
    await page.keyboard.type('gaza ministry');
    await page.keyboard.press('Enter');
    await status(page, /^Saved: killed_total 35,562/);
    await screenshot(page, 'grid-citation-entry');
    const entered = query<{ citation: string; as_of: string; source: string }>(
      workbook,
      "SELECT c.title AS citation, f.as_of, s.name AS source FROM figure f JOIN citation c ON c.id = f.citation_id JOIN source s ON s.id = f.source_id WHERE c.title LIKE 'Gaza: health ministry update%'",
    );
    expect(entered).toEqual([{ citation: 'Gaza: health ministry update, 20 May', as_of: '2024-05-20', source: 'Gaza Ministry of Health' }]);
  });
});

describe('the page', () => {
  it('requests nothing outside its own origin, has a strict CSP and no inline script, in every view and dialog', async () => {
    const app = await suite.open();
    const { page, host, requests } = app;
    await page.locator('.ag-row[row-index="0"] .ag-cell[col-id="value"]').click();
    await page.locator('.provenance .history-entry').first().waitFor();
    await page.screenshot({ path: join('tests/e2e/screenshots', 'figures-light.png') });
    for (const view of ['library', 'compare', 'figures']) {
      await page.locator(`.tab[data-view="${view}"]`).click();
      await page.waitForTimeout(view === 'compare' ? 600 : 100);
    }
    await page.getByRole('button', { name: 'Import…' }).click();
    await page.locator('dialog[data-dialog="import"] .dialog-header button').click();
    await page.getByRole('button', { name: 'Export…' }).click();
    await page.locator('dialog[data-dialog="export"] .dialog-header button').click();
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'figures-dark');

    expect(requests.length).toBeGreaterThan(5);
    expect(requests.filter((url) => !url.startsWith(`${host.origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
    const page_ = await page.evaluate(() => ({
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
      inline: [...document.scripts].filter((s) => !s.src).length,
      external: [...document.scripts].map((s) => s.src).filter((src) => !src.startsWith(location.origin)),
      token: location.search,
      violations: (window as unknown as { __cspViolations: string[] }).__cspViolations,
    }));
    expect(page_.violations).toEqual([]);
    expect(page_.csp).toMatch(/default-src 'none'/);
    expect(page_.csp).toMatch(/script-src 'self'(;|$)/);
    expect(page_.csp).not.toMatch(/unsafe-eval/);
    expect(page_.inline).toBe(0);
    expect(page_.external).toEqual([]);
    expect(page_.token).toBe(''); // the token left the address bar
  });

  it('fits the window: at the default 1400×900, a 1280×800 laptop and the 900×600 minimum, every button of every view and of the dialogs they open is inside it, none behind a sideways scroll', async () => {
    const { page } = await suite.open();
    await page.locator('.ag-row[row-index="0"]').first().waitFor();
    /** The buttons on screen (only the open dialog's, when one is) that lie outside the window or outside a box
     * that scrolls sideways — the ones a user would have to scroll sideways to reach. */
    const unreachable = () =>
      page.evaluate(() => {
        const scope = document.querySelector('dialog[open]') ?? document.body;
        const shown = [...scope.querySelectorAll<HTMLElement>('button, summary, a[href], [role="button"], select')].filter(
          (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden',
        );
        const outside = shown.filter((e) => {
          const box = e.getBoundingClientRect();
          if (box.left < -0.5 || box.right > innerWidth + 0.5) return true;
          for (let a = e.parentElement; a && a !== scope.parentElement; a = a.parentElement) {
            if (getComputedStyle(a).overflowX === 'visible') continue;
            const clip = a.getBoundingClientRect();
            if (box.left < clip.left - 0.5 || box.right > clip.right + 0.5) return true;
          }
          return false;
        });
        return {
          outside: outside.map((e) => (e.textContent?.trim() || e.getAttribute('aria-label') || e.className).slice(0, 40)),
          shown: shown.length,
          pageWidth: document.documentElement.scrollWidth,
        };
      });
    const expectInside = async (what: string, atLeast: number) => {
      const found = await unreachable();
      expect(found, what).toEqual({ outside: [], shown: expect.any(Number), pageWidth: found.pageWidth });
      expect(found.pageWidth, `${what}: the page itself scrolls sideways`).toBeLessThanOrEqual(page.viewportSize()!.width);
      expect(found.shown, `${what}: buttons found`).toBeGreaterThanOrEqual(atLeast);
    };
    const inDialog = async (what: string, open: () => Promise<unknown>, atLeast: number) => {
      await open();
      await page.locator('dialog[open]').waitFor();
      await expectInside(what, atLeast);
      await page.keyboard.press('Escape');
      await page
        .locator('dialog[open]')
        .waitFor({ state: 'detached' })
        .catch(() => page.locator('dialog[open]').waitFor({ state: 'hidden' }));
    };
    // src/main/window.ts: width 1400, height 900, minWidth 900, minHeight 600
    for (const [width, height] of [
      [1400, 900],
      [1280, 800],
      [900, 600],
    ] as const) {
      await page.setViewportSize({ width, height });
      const at = `${width}×${height}`;

      await page.locator('.tab[data-view="figures"]').click();
      await page.locator('.ag-row[row-index="0"] .ag-cell[col-id="metric"]').click();
      await page.locator('.provenance .panel-actions button').waitFor();
      await expectInside(`${at}, figures, a figure selected`, 15);
      await page.locator('.toolbar summary', { hasText: 'Columns' }).click();
      await expectInside(`${at}, figures, the Columns menu`, 16);
      await page.keyboard.press('Escape');
      await page.locator('.toolbar summary', { hasText: 'Columns' }).click();
      await screenshot(page, `figures-${width}x${height}`);
      await inDialog(`${at}, the Retract dialog`, () => page.locator('.toolbar').getByRole('button', { name: 'Retract…' }).click(), 2);
      await inDialog(`${at}, the import wizard`, () => page.getByRole('button', { name: 'Import…' }).click(), 2);
      await inDialog(`${at}, the export dialog`, () => page.getByRole('button', { name: 'Export…' }).click(), 2);

      await page.locator('.tab[data-view="library"]').click();
      await page.locator('.entity-list[data-list="citation"] tbody tr').first().waitFor();
      await expectInside(`${at}, sources & citations`, 20);
      await screenshot(page, `library-${width}x${height}`);
      await inDialog(`${at}, the new source form`, () => page.getByRole('button', { name: '+ New source' }).click(), 2);
      await inDialog(`${at}, the new citation form`, () => page.getByRole('button', { name: '+ New citation' }).click(), 2);

      await page.locator('.tab[data-view="compare"]').click();
      await page.locator('.compare-results table').first().waitFor();
      await page.locator('.chart-card canvas').first().waitFor();
      await expectInside(`${at}, compare`, 10);
      await screenshot(page, `compare-${width}x${height}`);
    }
  });
});
