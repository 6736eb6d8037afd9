/// <reference lib="dom" />
// Vague quantities in the window (issue 17, part 4): "dozens" typed in Value is read by the workbook's rule table
// into at least 12, the words kept and shown beside the number in the grid and the provenance panel; the rule
// table is shown and edited in Sources & citations, and the next cell reads by the edited rule. Each test checks
// what the workbook file itself holds.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { draftCell, e2eSuite, query, screenshot, status } from './support/app';

const suite = e2eSuite();

/** Types each text into a cell and Tabs to the next (null: a cell passed over), as an analyst does. */
async function typeCells(page: Page, texts: Array<string | null>): Promise<void> {
  for (const [i, text] of texts.entries()) {
    if (i > 0) await page.keyboard.press('Tab');
    if (text === null) continue;
    await page.keyboard.type(text);
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value ?? null)).toBe(text);
  }
}

/** From Metric to Excerpt in the new row: metric, value, (range), (qualifier), as of, place, source, (relay), citation, excerpt. */
const figure = (metric: string, value: string, excerpt: string) => [
  metric,
  value,
  null,
  null,
  '2024-06-03',
  'gaza str',
  'israel def',
  null,
  'sullivan',
  excerpt,
];

const saved = (workbook: string, excerpt: string) =>
  query<{ value: number; qualifier: string; vague_words: string | null }>(
    workbook,
    'SELECT value, qualifier, vague_words FROM figure WHERE excerpt = ?',
    excerpt,
  );

describe('vague quantities', () => {
  it('reads "dozens" typed in Value as at least 12, keeps the words, and shows them in the grid and the provenance panel', async () => {
    const { page, workbook } = await suite.open();
    await page.keyboard.press('Alt+N');
    await typeCells(page, figure('killed_civ', 'dozens', 'Dozens were killed'));
    await page.keyboard.press('Enter');
    await status(page, /^Saved: /);
    expect(saved(workbook, 'Dozens were killed')).toEqual([{ value: 12, qualifier: 'at_least', vague_words: 'dozens' }]);

    const id = query<{ id: string }>(workbook, "SELECT id FROM figure WHERE excerpt = 'Dozens were killed'")[0]!.id;
    const row = `.ag-row[row-id="${id}"]`;
    await expect.poll(() => page.locator(`${row} .ag-cell[col-id="value"]`).textContent()).toBe('12 · “dozens”');
    expect(await page.locator(`${row} .ag-cell[col-id="qualifier"]`).textContent()).toBe('at least');
    // up from the new row to the figure just saved, and across to its Value
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('[data-testid="provenance-words"]').textContent()).toBe('“dozens”');
    expect(await page.locator('[data-testid="provenance-quantity"]').textContent()).toMatch(/^at least 12/);
    await screenshot(page, 'vague-grid');

    // a number typed over the words: the words go, the number stays as typed
    await page.keyboard.press('F2');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('15');
    await page.keyboard.press('Enter');
    await expect.poll(() => saved(workbook, 'Dozens were killed')).toEqual([{ value: 15, qualifier: 'at_least', vague_words: null }]);
  }, 90_000);

  it('shows the rule table in Sources & citations; an edited rule reads the next cell, and a floor refuses "up to"', async () => {
    const { page, workbook } = await suite.open();
    await page.keyboard.press('Alt+3');
    const panel = page.locator('[data-panel="vague-rules"]');
    await panel.locator('summary').click();
    const rows = () =>
      panel
        .locator('tbody tr[data-word]:not([data-word=""])')
        .evaluateAll((trs) =>
          trs.map((tr) => [
            (tr.querySelector('input[name="word"]') as HTMLInputElement).value,
            (tr.querySelector('input[name="value"]') as HTMLInputElement).value,
            (tr.querySelector('select[name="qualifier"]') as HTMLSelectElement).value,
          ]),
        );
    expect(await rows()).toEqual(
      expect.arrayContaining([
        ['dozens', '12', 'at_least'],
        ['a dozen', '12', 'approximately'],
        ['hundreds', '100', 'at_least'],
      ]),
    );
    const dozens = panel.locator('tr[data-word="dozens"]');
    await dozens.locator('input[name="value"]').fill('24');
    await dozens.getByRole('button', { name: 'Save' }).click();
    await status(page, /^Saved the rule “dozens” = at least 24/);
    expect(query(workbook, "SELECT value, qualifier FROM vague_rule WHERE word = 'dozens'")).toEqual([{ value: 24, qualifier: 'at_least' }]);
    // a rule of its own, added from the table's last row
    const adding = panel.locator('tr[data-word=""]');
    await adding.locator('input[name="word"]').fill('a handful');
    await adding.locator('input[name="value"]').fill('3');
    await adding.locator('select[name="qualifier"]').selectOption('approximately');
    await adding.getByRole('button', { name: 'Add rule' }).click();
    await status(page, /^Saved the rule “a handful”/);
    await panel.locator('tr[data-word="a handful"]').waitFor();
    await panel.evaluate((e) => e.scrollTo(0, 0));
    await screenshot(page, 'vague-rules');

    await page.keyboard.press('Alt+1');
    await page.keyboard.press('Alt+N');
    await typeCells(page, figure('killed_civ', 'Dozens', 'read by the edited rule'));
    await page.keyboard.press('Enter');
    await status(page, /^Saved: /);
    expect(saved(workbook, 'read by the edited rule')).toEqual([{ value: 24, qualifier: 'at_least', vague_words: 'Dozens' }]);

    // "up to hundreds" states no upper bound: the cell keeps the text and says why, and nothing is saved
    await typeCells(page, ['killed_comb', 'up to hundreds']);
    await page.keyboard.press('Tab');
    const refused = page.locator(`${draftCell('value')} .cell-error`);
    await expect.poll(() => refused.textContent()).toContain('up to hundreds');
    expect(await refused.getAttribute('title')).toBe('"up to hundreds" sets no upper bound ("hundreds" is at least 100): write the number the source gives');
  }, 90_000);
});
