/// <reference lib="dom" />
// Quote-first entry in Chromium against the real store: the seed article pasted into a new citation, its numbers
// highlighted in the reader, and the IDF's two estimates captured each with one click and a few keys — coming out
// as the demo workbook records them — the coverage counted as they are; and a document in Arabic read right to left.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pdfFile } from '../support/pdfFile';
import { draftCell, e2eSuite, query, screenshot, status } from './support/app';

const suite = e2eSuite();
const ARTICLE = readFileSync('/work/shared/reference/seed-article.txt', 'utf8');
const TITLE = 'Sullivan in Israel: Rafah, aid, civilian harm (pasted)';

/** The keyboard, counting every key pressed: the promise is a click and at most six keys a figure. */
function countingKeyboard(page: Page) {
  let count = 0;
  return {
    press: async (key: string) => {
      count += 1;
      await page.keyboard.press(key);
    },
    type: async (text: string) => {
      count += [...text].length;
      await page.keyboard.type(text);
    },
    take: () => {
      const taken = count;
      count = 0;
      return taken;
    },
  };
}

/**
 * Selects words of the reader's text with the mouse, as an analyst drags across them: pressed on the first letter's
 * left half, released on the last letter's right half, so the selection is those words exactly.
 */
async function dragSelect(page: Page, words: string): Promise<void> {
  const ends = await page.evaluate((wanted) => {
    const line = [...document.querySelectorAll<HTMLElement>('.reader-text p')].find((p) => p.textContent?.includes(wanted));
    if (!line) throw new Error(`no line of the reader holds "${wanted}"`);
    const start = line.textContent!.indexOf(wanted);
    // the character at an offset of the line's text, as a range over it (the line is text and marks)
    const charRect = (offset: number) => {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = node.textContent!.length;
        if (offset < seen + length) {
          const range = document.createRange();
          range.setStart(node, offset - seen);
          range.setEnd(node, offset - seen + 1);
          const rect = range.getBoundingClientRect();
          return { left: rect.left, right: rect.right, y: rect.top + rect.height / 2 };
        }
        seen += length;
      }
      throw new Error(`offset ${offset} is past the line's end`);
    };
    const first = charRect(start);
    const last = charRect(start + wanted.length - 1);
    return { from: { x: first.left + 1, y: first.y }, to: { x: last.right - 1, y: last.y } };
  }, words);
  await page.mouse.move(ends.from.x, ends.from.y);
  await page.mouse.down();
  await page.mouse.move((ends.from.x + ends.to.x) / 2, (ends.from.y + ends.to.y) / 2, { steps: 4 });
  await page.mouse.move(ends.to.x, ends.to.y, { steps: 4 });
  await page.mouse.up();
  expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(words);
}

interface Captured {
  metric: string;
  value: number | null;
  qualifier: string;
  source: string;
  relayed_via: string | null;
  excerpt: string | null;
  as_of: string | null;
  method: string | null;
}

const capturedSql = (where: string) => `SELECT m.code AS metric, f.value, f.qualifier, s.name AS source, r.name AS relayed_via, f.excerpt, f.as_of, f.method
  FROM figure f JOIN metric m ON m.id = f.metric_id JOIN source s ON s.id = f.source_id LEFT JOIN source r ON r.id = f.relayed_via_id
  JOIN citation c ON c.id = f.citation_id WHERE ${where} AND m.code IN ('killed_civilian', 'killed_combatant') ORDER BY m.code`;

describe('quote-first entry', () => {
  it('captures the IDF estimates of the seed article pasted into a new citation, each with a click and at most six keys, as the demo records them', async () => {
    const { page, workbook } = await suite.open();
    const keys = countingKeyboard(page);

    // a new citation, as the analyst makes one
    await page.keyboard.press('Alt+3');
    await page.locator('[data-list="citation"]').getByRole('button', { name: '+ New citation' }).click();
    const form = page.locator('dialog[data-dialog="citation-form"]');
    await form.locator('input[name="title"]').fill(TITLE);
    await form.locator('input[name="publisher"]').fill('The Times of Israel');
    await form.locator('input[name="published"]').fill('2024-05-19');
    await form.getByRole('button', { name: 'Add citation' }).click();
    await page.locator('.citation-banner', { hasText: TITLE }).waitFor();

    // its text pasted into the reader and kept with it
    await page.locator('.citation-banner').getByRole('button', { name: 'Read the document' }).click();
    await page.locator('.reader-paste').fill(ARTICLE);
    await page.locator('.reader').getByRole('button', { name: 'Keep this text' }).click();
    await status(page, /^Text kept with the citation/);
    const marks = page.locator('.reader mark.number');
    await expect.poll(() => marks.allTextContents()).toEqual(['20,000', '15,000']);
    await expect.poll(() => page.locator('[data-testid="reader-count"]').textContent()).toBe('0 of 2 numbers captured');
    const stored = query<{ sha256: string; text: string }>(
      workbook,
      'SELECT d.sha256, d.text FROM document d JOIN citation c ON c.id = d.citation_id WHERE c.title = ?',
      TITLE,
    );
    expect(stored[0]?.text).toBe(ARTICLE.trim());
    await screenshot(page, 'quote-reader-pasted');

    // 20,000 civilians: a click, then "approximately" (the text gives no qualifier; the demo records the rounded
    // estimate as approximate) in the qualifier cell the draft opens on, and Enter
    await marks.filter({ hasText: '20,000' }).click();
    await status(page, /^Drafted from the text \(claimant Israel Defense Forces, relayed via The Times of Israel, metric Civilians killed\)/);
    await expect.poll(() => page.locator(draftCell('value')).textContent()).toBe('20,000');
    await screenshot(page, 'quote-draft-20000');
    await keys.type('ap');
    await keys.press('Enter');
    await status(page, /^Saved: killed_civilian ~?20,000/);
    expect(keys.take()).toBeLessThanOrEqual(6);
    await expect.poll(() => page.locator('[data-testid="reader-count"]').textContent()).toBe('1 of 2 numbers captured');

    // some 15,000 combatants: the qualifier read from "some", so a click and Enter
    await marks.filter({ hasText: '15,000' }).click();
    await expect.poll(() => page.locator(draftCell('value')).textContent()).toBe('15,000');
    await keys.press('Enter');
    await status(page, /^Saved: killed_combatant ~?15,000/);
    expect(keys.take()).toBeLessThanOrEqual(6);
    await expect.poll(() => page.locator('[data-testid="reader-count"]').textContent()).toBe('2 of 2 numbers captured');
    await expect.poll(() => page.locator('.reader mark.number.captured').count()).toBe(2);
    await screenshot(page, 'quote-captured');

    // Ctrl+Z takes the last figure back out, and the count follows
    await page.locator('.reader-title').click();
    await page.keyboard.press('Control+z');
    await status(page, /^Undone: new figure killed_combatant/);
    await expect.poll(() => page.locator('[data-testid="reader-count"]').textContent()).toBe('1 of 2 numbers captured');
    await page.keyboard.press('Control+y');
    await expect.poll(() => page.locator('[data-testid="reader-count"]').textContent()).toBe('2 of 2 numbers captured');

    // as the demo workbook has them: value, qualifier, claimant, relay, the sentence, the report's date, estimate
    const pasted = query<Captured>(workbook, capturedSql('c.title = ?'), TITLE);
    const demo = query<Captured>(workbook, capturedSql("c.title LIKE 'Times of Israel report on Sullivan%'"));
    expect(demo).toHaveLength(2);
    expect(pasted).toEqual(demo);
  });

  it('reads a document from the provenance panel, counts the demo figures as captured, and shows Arabic right to left', async () => {
    const { page } = await suite.open({
      setup: async (api) => {
        const citations = await api.listCitations({});
        const demo = citations.find((c) => c.title?.startsWith('Times of Israel report on Sullivan'))!;
        await api.attachDocument({ citation_id: demo.id, text: ARTICLE, name: 'seed-article.txt' });
        const arabic = (await api.createCitation({ title: 'نشرة وزارة الصحة', publisher: 'Gaza Ministry of Health', published: '2024-05-20', language: 'ar' }))
          .value;
        await api.attachDocument({ citation_id: arabic.id, text: 'قالت الوزارة إن نحو ٣٥٬٥٠٠ شخص قتلوا.\n\nAnd 7 trucks entered.' });
      },
    });
    // the demo's IDF figure in the grid, its provenance, then its document
    await page.locator('.filter-bar input[type="search"]').fill('IDF estimates');
    await expect.poll(() => page.locator('.toolbar .count').textContent()).toBe('2 figures');
    await page.locator('.ag-row[row-index="0"] .ag-cell[col-id="metric"]').click();
    await page.locator('.provenance .prov-strong', { hasText: 'Israel Defense Forces' }).waitFor();
    await page.locator('.provenance').getByRole('button', { name: 'Read the document' }).click();
    await expect.poll(() => page.locator('[data-testid="reader-count"]').textContent()).toBe('2 of 2 numbers captured');

    await page.keyboard.press('Alt+3');
    const row = page.locator('[data-list="citation"] tr', { hasText: 'نشرة وزارة الصحة' });
    await row.getByRole('button', { name: 'Read' }).click();
    await expect.poll(() => page.locator('.reader mark.number').allTextContents()).toEqual(['٣٥٬٥٠٠', '7']);
    const directions = await page.locator('.reader-text p').evaluateAll((ps) => ps.map((p) => getComputedStyle(p).direction));
    expect(directions).toEqual(['rtl', 'ltr']);
    await expect.poll(() => page.locator('[data-testid="reader-count"]').textContent()).toBe('0 of 2 numbers captured');
    await page.locator('.reader mark.number').first().click();
    await expect.poll(() => page.locator(draftCell('value')).textContent()).toBe('35,500');
    await status(page, /claimant Gaza Ministry of Health/);
    await screenshot(page, 'quote-arabic');
  });

  it("warns in the Checks view when an excerpt is edited to words its citation's document does not hold", async () => {
    const { page, workbook } = await suite.open({
      setup: async (api) => {
        const demo = (await api.listCitations({})).find((c) => c.title?.startsWith('Times of Israel report on Sullivan'))!;
        await api.attachDocument({ citation_id: demo.id, text: ARTICLE, name: 'seed-article.txt' });
      },
    });
    const count = () => page.locator('.check-kind[data-kind="excerpt_not_in_document"] .check-kind-count').textContent();
    await page.locator('.tab[data-view="checks"]').click();
    await expect.poll(count).toBe('0'); // the demo's excerpts are the article's own sentences

    await page.locator('.tab[data-view="figures"]').click();
    await page.locator('.filter-bar input[type="search"]').fill('IDF estimates');
    await expect.poll(() => page.locator('.toolbar .count').textContent()).toBe('2 figures');
    // to the Excerpt cell by the keyboard: the grid draws only the columns on screen
    await page.locator('.ag-row[row-index="0"] .ag-cell[col-id="metric"]').click();
    for (let i = 0; i < 9; i += 1) await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('col-id'))).toBe('excerpt');
    await page.keyboard.type('The IDF estimated that 20,000 civilians were killed');
    await page.keyboard.press('Enter');
    await status(page, /^Saved/);

    await page.locator('.tab[data-view="checks"]').click();
    await expect.poll(count).toBe('1');
    await page.locator('.check-kind[data-kind="excerpt_not_in_document"]').click();
    const item = page.locator('.checks-view .warning[data-kind="excerpt_not_in_document"]');
    await expect
      .poll(() => item.locator('.warning-message').textContent())
      .toMatch(/^Israel Defense Forces' .*: the excerpt is not in the text of its citation's document$/);
    const [warned] = query<{ excerpt: string }>(
      workbook,
      "SELECT f.excerpt FROM warning w JOIN warning_figure wf ON wf.warning_id = w.id JOIN figure f ON f.id = wf.figure_id WHERE w.kind = 'excerpt_not_in_document'",
    );
    expect(warned?.excerpt).toBe('The IDF estimated that 20,000 civilians were killed');
    await screenshot(page, 'quote-excerpt-check');
  });

  it('drafts a figure from words selected with the mouse: their number, its qualifier, the words as the excerpt, the claimant the sentence names', async () => {
    const { page, workbook } = await suite.open({
      setup: async (api) => {
        const citation = (await api.createCitation({ title: TITLE, publisher: 'The Times of Israel', published: '2024-05-19' })).value;
        await api.attachDocument({ citation_id: citation.id, text: ARTICLE, name: 'seed-article.txt' });
      },
    });
    await page.keyboard.press('Alt+3');
    await page.locator('[data-list="citation"] tr', { hasText: TITLE }).getByRole('button', { name: 'Read' }).click();
    await expect.poll(() => page.locator('[data-testid="reader-count"]').textContent()).toBe('0 of 2 numbers captured');

    // words that state no number draft nothing, and say why
    await dragSelect(page, 'The two sides discussed');
    await status(page, /^No number in the words selected/);
    expect(await page.locator(draftCell('value')).textContent()).toBe('');

    // "compared to some 15,000 combatants": the number in them, "some" read as approximately, the words the excerpt
    await dragSelect(page, 'compared to some 15,000 combatants');
    await status(page, /^Drafted from the text \(claimant Israel Defense Forces, relayed via The Times of Israel, metric Combatants killed\)/);
    await expect.poll(() => page.locator(draftCell('value')).textContent()).toBe('15,000');
    await expect.poll(() => page.locator(draftCell('qualifier')).textContent()).toBe('approximately');
    await expect.poll(() => page.locator('.reader mark.number.picked').textContent()).toBe('15,000');
    await screenshot(page, 'quote-selected');
    await page.keyboard.press('Enter');
    await status(page, /^Saved: killed_combatant ~?15,000/);

    const [saved] = query<Captured>(workbook, capturedSql('c.title = ?'), TITLE);
    expect(saved).toEqual({
      metric: 'killed_combatant',
      value: 15000,
      qualifier: 'approximately',
      source: 'Israel Defense Forces',
      relayed_via: 'The Times of Israel',
      excerpt: 'compared to some 15,000 combatants',
      as_of: '2024-05-19',
      method: 'estimate',
    });
    // the words selected state the number: it counts as captured
    await expect.poll(() => page.locator('[data-testid="reader-count"]').textContent()).toBe('1 of 2 numbers captured');
  });

  it("keeps a PDF chosen in the reader as its text, read by the core, and highlights the seed sentence's numbers", async () => {
    const { page, workbook } = await suite.open({
      setup: async (api) => {
        await api.createCitation({ title: TITLE, publisher: 'The Times of Israel', published: '2024-05-19' });
      },
    });
    await page.keyboard.press('Alt+3');
    await page.locator('[data-list="citation"] tr', { hasText: TITLE }).getByRole('button', { name: 'Add text…' }).click();
    const pdf = pdfFile([['IDF estimates putting the number of civilians killed in the war at 20,000,', 'compared to some 15,000 combatants.']]);
    await page.locator('.reader input[type="file"]').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: pdf });
    await expect.poll(() => page.locator('.reader-paste').getAttribute('placeholder')).toMatch(/^report\.pdf: its text is read from the PDF/);
    await page.locator('.reader').getByRole('button', { name: 'Keep this text' }).click();
    await status(page, /^Text kept with the citation/);
    await expect.poll(() => page.locator('.reader mark.number').allTextContents()).toEqual(['20,000', '15,000']);
    // one line: the sentence the PDF wrapped over two is one sentence again
    expect(await page.locator('.reader-text p').allTextContents()).toEqual([
      'IDF estimates putting the number of civilians killed in the war at 20,000, compared to some 15,000 combatants.',
    ]);
    const [stored] = query<{ media_type: string; name: string }>(
      workbook,
      'SELECT d.media_type, d.name FROM document d JOIN citation c ON c.id = d.citation_id WHERE c.title = ?',
      TITLE,
    );
    expect(stored).toEqual({ media_type: 'application/pdf', name: 'report.pdf' });

    // a PDF that is not one: the reason on the status line, nothing kept
    await page.locator('.reader').getByRole('button', { name: 'Replace text…' }).click();
    await page.locator('.reader input[type="file"]').setInputFiles({ name: 'broken.pdf', mimeType: 'application/pdf', buffer: pdf.subarray(0, 60) });
    await expect.poll(() => page.locator('.reader-paste').getAttribute('placeholder')).toMatch(/^broken\.pdf/);
    await page.locator('.reader').getByRole('button', { name: 'Keep this text' }).click();
    await status(page, /broken\.pdf: not a readable PDF/);
    expect(query(workbook, "SELECT name FROM document WHERE name = 'broken.pdf'")).toEqual([]);
  });
});
