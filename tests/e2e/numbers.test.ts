/// <reference lib="dom" />
// One reading of a number on every path of the window: typed into the grid, pasted, and imported through the wizard,
// with the number format an analyst chooses (1,234.5 or 1.234,5), and a ;-file from a European Excel refused where
// its numbers read two ways until the format is chosen.
import { describe, expect, it } from 'vitest';
import { cell, changeCount, e2eSuite, figureId, filterMetric, query, screenshot, status } from './support/app';

const suite = e2eSuite();
const storedValue = (workbook: string, id: string) => query<{ value: number | null }>(workbook, 'SELECT value FROM figure WHERE id = ?', id)[0]!.value;

describe('numbers as analysts write them', () => {
  it('typing 35.000 is refused as import refuses it; with the 1.234,5 format it saves 35000, and 1.2 million reads', async () => {
    const app = await suite.open();
    const { page, workbook } = app;
    const id = figureId(workbook, 'killed_civilian', 'Israel Defense Forces');
    await filterMetric(page, 'killed_civilian');
    const changes = changeCount(workbook);

    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('35.000');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(cell(id, 'value')).getAttribute('class')).toMatch(/cell-invalid/);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.locator('.cell-callout').textContent()).toMatch(/Value: ambiguous: "\." is a decimal mark in 1,234\.5 numbers/);
    expect(changeCount(workbook)).toBe(changes);
    await page.keyboard.press('Escape');

    await page.getByRole('combobox', { name: 'Number format for typing and pasting' }).selectOption('1.234,5');
    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('35.000');
    await page.keyboard.press('Enter');
    await status(page, /^Saved/);
    await expect.poll(() => storedValue(workbook, id)).toBe(35000);

    await page.getByRole('combobox', { name: 'Number format for typing and pasting' }).selectOption('1,234.5');
    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('1.2 million');
    await page.keyboard.press('Enter');
    await status(page, /^Saved/);
    await expect.poll(() => storedValue(workbook, id)).toBe(1_200_000);
  });

  it('a ;-file with no number format refuses 2.250 and 1.500, naming the setting; choosing 1.234,5 imports 2250 and 1500', async () => {
    const app = await suite.open();
    const { page, workbook } = app;
    const changes = changeCount(workbook);
    const file = [
      'metric;value;as_of;source;citation_title;location',
      'aid_tonnes;2.250;2024-05-26;COGAT;Weekly report;Kerem Shalom',
      'aid_trucks;1.500;2024-05-26;COGAT;Weekly report;Kerem Shalom',
      'aid_trucks;12;2024-05-27;COGAT;Weekly report;Kerem Shalom',
    ].join('\r\n');
    await page.getByRole('button', { name: 'Import…' }).click();
    const wizard = page.locator('dialog[data-dialog="import"]');
    await wizard.locator('input.file-input').setInputFiles({ name: 'european.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    const format = wizard.getByRole('combobox', { name: 'Number format' });
    await format.waitFor();
    expect(await format.inputValue()).toBe('');
    await wizard.getByRole('button', { name: 'Check the file' }).click();
    await wizard.locator('table[data-table="problems"]').waitFor();
    const problems = await wizard
      .locator('table[data-table="problems"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(problems).toEqual([
      ['2', 'value', '2.250', expect.stringMatching(/^reads as 2\.25 in 1,234\.5 numbers but as 2250 in 1\.234,5 numbers: choose the number format/)],
      ['3', 'value', '1.500', expect.stringMatching(/^reads as 1\.5 in 1,234\.5 numbers but as 1500 in 1\.234,5 numbers/)],
    ]);
    await screenshot(page, 'import-number-format');
    expect(changeCount(workbook)).toBe(changes);

    await wizard.getByRole('button', { name: 'Back to the columns' }).click();
    await wizard.getByRole('combobox', { name: 'Number format' }).selectOption('1.234,5');
    await wizard.getByRole('button', { name: 'Check the file' }).click();
    await wizard.getByRole('button', { name: 'Import: 3 new' }).click();
    const values = () =>
      query<{ value: number }>(
        workbook,
        "SELECT value FROM figure f JOIN citation c ON c.id = f.citation_id WHERE c.title = 'Weekly report' ORDER BY f.import_row",
      ).map((v) => v.value);
    await expect.poll(values).toEqual([2250, 1500, 12]);
  });

  it('a pasted block refused for its number format can be read again as 1.234,5: one click, the figures added', async () => {
    const app = await suite.open();
    const { page, workbook } = app;
    const citation = "Times of Israel report on Sullivan's meeting with Israeli security officials (Rafah, aid, civilian harm)";
    await page.keyboard.press('Alt+N');
    const figures = () => query<{ n: number }>(workbook, 'SELECT count(*) AS n FROM figure')[0]!.n;
    const before = figures();
    await page.evaluate(
      (tsv) => {
        const data = new DataTransfer();
        data.setData('text/plain', tsv);
        (document.activeElement ?? document.body).dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      },
      [
        'metric\tvalue\tas_of\tsource\tcitation_title',
        `aid_tonnes\t2,5\t2024-05-01\tThe Times of Israel\t${citation}`,
        `aid_trucks\t1.200\t2024-05-01\tThe Times of Israel\t${citation}`,
      ].join('\r\n'),
    );
    const dialog = page.locator('dialog[data-dialog="paste-problems"]');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/a decimal comma\? Numbers here are read as 1,234\.5/);
    expect(figures()).toBe(before);
    await dialog.getByRole('button', { name: 'Read numbers as 1.234,5 and paste again' }).click();
    await status(page, /^Pasted 2 figures/);
    const values = query<{ value: number }>(
      workbook,
      "SELECT value FROM figure WHERE as_of = '2024-05-01' AND metric_id IN (SELECT id FROM metric WHERE code IN ('aid_tonnes', 'aid_trucks')) ORDER BY value",
    );
    expect(values.map((v) => v.value)).toEqual([2.5, 1200]);
    expect(await page.getByRole('combobox', { name: 'Number format for typing and pasting' }).inputValue()).toBe('1.234,5');
  });
});
