// A citation holds its document: the text kept in the workbook file with its sha256, written in one logged,
// undoable transaction, checked by `check`, carried by a backup, and kept whole through a merge of citations.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession } from '../../src/core/session';
import { rejection, seedBasics, type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

let t: TempWorkbook;
let basics: Awaited<ReturnType<typeof seedBasics>>;
beforeEach(async () => {
  t = await tempWorkbook();
  basics = await seedBasics(t.api);
});
afterEach(() => t.cleanup());

const ARTICLE = 'IDF estimates put the number of civilians killed at 20,000.\r\n\r\nSome 15,000 combatants were killed.\r\n';
const STORED = 'IDF estimates put the number of civilians killed at 20,000.\n\nSome 15,000 combatants were killed.';
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('a citation holds its document', () => {
  it('keeps pasted text (line ends as LF) with the sha256 of that text, in one transaction the change log holds', async () => {
    const before = t.db.prepare('SELECT count(*) FROM change_log').pluck().get() as number;
    const { value, txn } = await t.api.attachDocument({ citation_id: basics.citation.id, text: ARTICLE });
    expect(value).toMatchObject({ citation_id: basics.citation.id, text: STORED, sha256: sha(STORED), media_type: 'text/plain', name: null });
    const log = t.db.prepare('SELECT entity, op, txn FROM change_log WHERE id > ?').all(before);
    expect(log).toEqual([{ entity: 'document', op: 'insert', txn }]);
    expect(await t.api.getDocument({ citation_id: basics.citation.id })).toEqual(value);
    expect((await t.api.listCitations({})).find((c) => c.id === basics.citation.id)?.document_sha256).toBe(sha(STORED));
    expect((await t.api.check({})).ok).toBe(true);
  });

  it("reads an HTML file's text: the markup, script and style gone, paragraphs kept, entities read", async () => {
    const html =
      '<html><head><title>Gaza &amp; aid</title><style>p{}</style><script>var x = "20,000";</script></head>' +
      '<body><p>Nearly&nbsp;300 trucks entered.</p><p dir="rtl">دخلت نحو ٣٠٠ شاحنة</p></body></html>';
    const { value } = await t.api.attachDocument({ citation_id: basics.citation.id, text: html, media_type: 'text/html', name: 'report.html' });
    expect(value.text).toBe('Gaza & aid\n\nNearly\u00a0300 trucks entered.\n\nدخلت نحو ٣٠٠ شاحنة');
    expect(value).toMatchObject({ media_type: 'text/html', name: 'report.html', sha256: sha(value.text) });
  });

  it('replaces the text through a logged update, and undo gives the first text back; undo of the attach removes it', async () => {
    const first = await t.api.attachDocument({ citation_id: basics.citation.id, text: 'At least 10 killed.' });
    const second = await t.api.attachDocument({ citation_id: basics.citation.id, text: 'At least 12 killed.' });
    expect(second.value.id).toBe(first.value.id);
    expect(second.value.sha256).toBe(sha('At least 12 killed.'));
    await t.api.undo({ txn: second.txn });
    expect((await t.api.getDocument({ citation_id: basics.citation.id }))?.text).toBe('At least 10 killed.');
    await t.api.undo({ txn: first.txn });
    expect(await t.api.getDocument({ citation_id: basics.citation.id })).toBeNull();
    expect((await t.api.check({})).ok).toBe(true);
  });

  it('refuses text with nothing in it, and a citation that does not exist, leaving the workbook unchanged', async () => {
    const before = t.db.prepare('SELECT count(*) FROM change_log').pluck().get();
    expect((await rejection(t.api.attachDocument({ citation_id: basics.citation.id, text: ' \n ' }))).message).toMatch(/no text/);
    expect((await rejection(t.api.attachDocument({ citation_id: 'nope', text: 'x 1' }))).code).toBe('not_found');
    expect(t.db.prepare('SELECT count(*) FROM change_log').pluck().get()).toBe(before);
    expect(t.db.prepare('SELECT count(*) FROM document').pluck().get()).toBe(0);
  });

  it('travels with the file: a backup opened as a workbook holds the same text and hash', async () => {
    await t.api.attachDocument({ citation_id: basics.citation.id, text: ARTICLE, name: 'article.txt' });
    const copy = join(t.dir, 'copy.fwb');
    await t.api.backup({ to: copy });
    const session = await openSession(copy, { user: 'test', create: false });
    try {
      expect((await session.api.getDocument({ citation_id: basics.citation.id }))?.sha256).toBe(sha(STORED));
      expect((await session.api.check({})).ok).toBe(true);
    } finally {
      session.workbook.close();
    }
  });

  it('a text changed outside the app is found by check', async () => {
    await t.api.attachDocument({ citation_id: basics.citation.id, text: ARTICLE });
    t.workbook.close();
    const db = new Database(t.path);
    db.prepare("UPDATE document SET text = replace(text, '20,000', '2,000')").run();
    db.close();
    const session = await openSession(t.path, { user: 'test', create: false });
    try {
      const report = await session.api.check({});
      expect(report.ok).toBe(false);
      expect(report.problems).toContainEqual(expect.objectContaining({ entity: 'document', severity: 'error' }));
    } finally {
      session.workbook.close();
    }
  });
});

describe('merging citations keeps their document', () => {
  it("moves a merged citation's document to the one kept, and refuses two different texts", async () => {
    const other = (await t.api.createCitation({ title: 'Situation report 1 (copy)' })).value;
    await t.api.attachDocument({ citation_id: other.id, text: 'Some 15,000 combatants.' });
    await t.api.mergeCitations({ keep_id: basics.citation.id, merge_ids: [other.id] });
    expect((await t.api.getDocument({ citation_id: basics.citation.id }))?.text).toBe('Some 15,000 combatants.');

    const third = (await t.api.createCitation({ title: 'Situation report 1 (third)' })).value;
    await t.api.attachDocument({ citation_id: third.id, text: 'About 20,000 civilians.' });
    const refused = await rejection(t.api.mergeCitations({ keep_id: basics.citation.id, merge_ids: [third.id] }));
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(/texts differ/);
    expect((await t.api.listCitations({})).map((c) => c.id)).toContain(third.id);
  });

  it('undoing the creation of a citation that holds a document is refused while the document is there', async () => {
    const created = await t.api.createCitation({ title: 'Bulletin' });
    await t.api.attachDocument({ citation_id: created.value.id, text: 'At least 4 killed.' });
    expect((await rejection(t.api.undo({ txn: created.txn }))).code).toBe('conflict');
  });
});
