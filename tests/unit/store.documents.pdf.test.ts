// A citation's document given as a PDF: the core reads its text with pdf.js from the file's bytes, in reading order,
// a sentence wrapped across lines kept one sentence, and keeps that text (not the file) with the text's sha256. A PDF
// that is damaged, locked or holds no text is refused, saying which, and nothing is written.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createApi } from '../../src/core/api';
import { pageText } from '../../src/core/pdfText';
import { openSession } from '../../src/core/session';
import { latestVersion, loadMigrations } from '../../src/core/store/migrations';
import { Workbook } from '../../src/core/store/workbook';
import { findNumbers, spanText } from '../../src/shared/textNumbers';
import { pdfFile } from '../support/pdfFile';
import { rejection, seedBasics, type TempWorkbook, tempDir, tempWorkbook } from '../support/tempWorkbook';

let t: TempWorkbook;
let basics: Awaited<ReturnType<typeof seedBasics>>;
beforeEach(async () => {
  t = await tempWorkbook();
  basics = await seedBasics(t.api);
});
afterEach(() => t.cleanup());

const SEED = 'IDF estimates putting the number of civilians killed in the war at 20,000, compared to some 15,000 combatants.';
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const base64 = (bytes: Buffer) => bytes.toString('base64');
const unchanged = () => ({
  log: t.db.prepare('SELECT count(*) FROM change_log').pluck().get(),
  documents: t.db.prepare('SELECT count(*) FROM document').pluck().get(),
});

/** The seed article's sentence wrapped over two lines of a page, a heading above, a table's row and a second page. */
const ARTICLE = pdfFile([
  [
    '“Israel says 20,000 civilians killed” (Times of Israel)',
    '',
    'IDF estimates putting the number of civilians killed in the war at 20,000,',
    'compared to some 15,000 combatants.',
    '',
    'The figures were well-',
    'known to both sides.',
  ],
  ['Page two: nearly 300 aid trucks entered.'],
]);

describe('a PDF document', () => {
  it('keeps the text pdf.js reads from the bytes: paragraphs, a wrapped sentence whole, pages apart; hashed as text', async () => {
    const before = t.db.prepare('SELECT count(*) FROM change_log').pluck().get() as number;
    const { value, txn } = await t.api.attachDocument({
      citation_id: basics.citation.id,
      base64: base64(ARTICLE),
      media_type: 'application/pdf',
      name: 'report.pdf',
    });
    expect(value.text).toBe(
      [
        '“Israel says 20,000 civilians killed” (Times of Israel)',
        SEED,
        'The figures were well-known to both sides.',
        'Page two: nearly 300 aid trucks entered.',
      ].join('\n\n'),
    );
    expect(value).toMatchObject({ media_type: 'application/pdf', name: 'report.pdf', sha256: sha(value.text) });
    expect(t.db.prepare('SELECT entity, op, txn FROM change_log WHERE id > ?').all(before)).toEqual([{ entity: 'document', op: 'insert', txn }]);
    expect((await t.api.check({})).ok).toBe(true);

    // the numbers are found in it as in any text, the seed sentence each one's excerpt
    const found = findNumbers(value.text);
    expect(found.map((n) => [n.written, n.quantity?.value, n.quantity?.qualifier])).toEqual([
      ['20,000', 20000, null],
      ['20,000', 20000, null],
      ['15,000', 15000, 'approximately'],
      ['300', 300, 'approximately'],
    ]);
    expect(spanText(value.text, found[1]!.sentence)).toBe(SEED);
    expect(spanText(value.text, found[2]!.sentence)).toBe(SEED);
  });

  it('refuses a damaged PDF, a file that is no PDF, and a PDF with no text layer, naming the file; nothing written', async () => {
    const before = unchanged();
    const cut = ARTICLE.subarray(0, 40);
    const damaged = await rejection(
      t.api.attachDocument({ citation_id: basics.citation.id, base64: base64(cut), media_type: 'application/pdf', name: 'cut.pdf' }),
    );
    expect(damaged.code).toBe('validation');
    expect(damaged.message).toMatch(/^cut\.pdf: /);
    const html = await rejection(
      t.api.attachDocument({
        citation_id: basics.citation.id,
        base64: base64(Buffer.from('<html>20,000</html>')),
        media_type: 'application/pdf',
        name: 'page.pdf',
      }),
    );
    expect(html.message).toBe('page.pdf: not a PDF (a PDF file starts with %PDF-)');
    const scan = await rejection(
      t.api.attachDocument({ citation_id: basics.citation.id, base64: base64(pdfFile([[]])), media_type: 'application/pdf', name: 'scan.pdf' }),
    );
    expect(scan.message).toMatch(/^scan\.pdf: the PDF holds no text, only images/);
    const locked = await rejection(
      t.api.attachDocument({
        citation_id: basics.citation.id,
        base64: base64(pdfFile([[SEED]], { locked: true })),
        media_type: 'application/pdf',
        name: 'locked.pdf',
      }),
    );
    expect(locked.message).toBe('locked.pdf: the PDF is locked with a password: save a copy without it, or paste its text');
    expect(unchanged()).toEqual(before);
  });

  it('refuses a PDF given as text, text given as bytes, and neither', async () => {
    const before = unchanged();
    const asText = await rejection(t.api.attachDocument({ citation_id: basics.citation.id, text: '%PDF-1.4', media_type: 'application/pdf' }));
    expect(asText.problems).toEqual([expect.objectContaining({ field: 'media_type' })]);
    const asBytes = await rejection(t.api.attachDocument({ citation_id: basics.citation.id, base64: base64(ARTICLE) }));
    expect(asBytes.problems).toEqual([expect.objectContaining({ field: 'media_type' })]);
    const neither = await rejection(t.api.attachDocument({ citation_id: basics.citation.id, media_type: 'application/pdf' } as never));
    expect(neither.problems).toEqual([{ field: 'text', reason: 'required' }]);
    expect(unchanged()).toEqual(before);
  });
});

describe('a workbook of schema 6, opened by this version', () => {
  it('keeps its documents as they were (check passes) and then takes a PDF', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'six.fwb');
      const old = await Workbook.open(path, { user: 'test', migrations: loadMigrations().filter((m) => m.version <= 6) });
      const oldApi = createApi(old);
      const { citation } = await seedBasics(oldApi);
      const kept = (await oldApi.attachDocument({ citation_id: citation.id, text: 'At least 10 killed.', name: 'a.txt' })).value;
      old.close();

      const { api, workbook } = await openSession(path, { user: 'test', create: false });
      try {
        expect(workbook.schemaVersion).toBe(latestVersion(loadMigrations()));
        expect(await api.getDocument({ citation_id: citation.id })).toEqual(kept);
        expect((await api.check({})).ok).toBe(true);
        const { value } = await api.attachDocument({ citation_id: citation.id, base64: base64(ARTICLE), media_type: 'application/pdf', name: 'b.pdf' });
        expect([value.id, value.media_type]).toEqual([kept.id, 'application/pdf']);
        expect((await api.check({})).ok).toBe(true);
      } finally {
        workbook.close();
      }
    } finally {
      cleanup();
    }
  });
});

describe("a page's pieces of text as lines and paragraphs", () => {
  const at = (str: string, x: number, y: number, hasEOL = false, width = str.length * 5) => ({
    str,
    hasEOL,
    transform: [10, 0, 0, 10, x, y],
    width,
    height: 10,
  });

  it('joins the pieces of a line, spacing them only where the page leaves a gap, and keeps a table row a line', () => {
    expect(
      pageText([
        at('Killed:', 72, 700),
        at('20,000', 72 + 35 + 3, 700, true),
        at('Gaza', 72, 688),
        at('35', 200, 688, true),
        at('Rafah', 72, 676),
        at('12', 200, 676, true),
        at('Total', 72, 640),
        at('ized', 97, 640),
      ]),
    ).toBe('Killed: 20,000\nGaza 35\nRafah 12\n\nTotalized');
  });
});
