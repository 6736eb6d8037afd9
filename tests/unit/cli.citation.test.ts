// `workbench citation`: a document's text attached to a citation from a file, and the numbers it states that no
// figure captures yet, listed with their line and sentence — run as a user runs it, on a real workbook file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workbench } from '../support/cli';
import { pdfFile } from '../support/pdfFile';

describe('workbench citation', () => {
  let dir: string;
  let book: string;
  let citationId: string;
  const article = join(process.cwd(), 'demo', 'seed-article.txt');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fw-cli-citation-'));
    book = join(dir, 'demo.fwb');
    expect((await workbench('init', book, '--demo')).code).toBe(0);
    const db = new Database(book, { readonly: true });
    citationId = db.prepare("SELECT id FROM citation WHERE title LIKE 'Times of Israel report%'").pluck().get() as string;
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const changes = () => {
    const db = new Database(book, { readonly: true });
    try {
      return db.prepare('SELECT count(*) FROM change_log').pluck().get() as number;
    } finally {
      db.close();
    }
  };

  it("attaches a .txt file's text with its sha256, in the change log, and counts the demo's figures as capturing it", async () => {
    const run = await workbench('citation', book, citationId, '--text', article);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const db = new Database(book, { readonly: true });
    const stored = db.prepare('SELECT name, sha256, text FROM document WHERE citation_id = ?').get(citationId) as {
      name: string;
      sha256: string;
      text: string;
    };
    const logged = db.prepare("SELECT count(*) FROM change_log WHERE entity = 'document' AND entity_id = (SELECT id FROM document)").pluck().get();
    db.close();
    expect(stored.name).toBe('seed-article.txt');
    expect(stored.text).toBe(readFileSync(article, 'utf8').trim());
    expect(logged).toBe(1);
    expect(run.stdout).toContain(`sha256 ${stored.sha256}`);
    expect(run.stdout).toMatch(/^2 of 2 numbers captured/m);
  });

  it('lists the uncaptured numbers of an HTML bulletin, line and sentence, and a count', async () => {
    const html = join(dir, 'bulletin.html');
    writeFileSync(
      html,
      '<html><body><h1>Daily bulletin</h1><p>Some 15,000 combatants were killed, the IDF says.</p><p>Nearly 300 aid trucks entered on 19 May 2024.</p></body></html>',
    );
    const run = await workbench('citation', book, citationId, '--text', html, '--uncaptured');
    expect(run.code).toBe(0);
    const listed = run.stdout.split('\n').filter((line) => /^\d+:\d+\t/.test(line));
    expect(listed).toEqual(['5:8\t300\t~300\tNearly 300 aid trucks entered on 19 May 2024.']);
    expect(run.stdout).toMatch(/^1 of 2 numbers captured \(bulletin\.html/m);
    // listing only reads: the file is not written
    const before = changes();
    const again = await workbench('citation', book, citationId, '--uncaptured');
    expect(changes()).toBe(before);
    expect(again.stdout.split('\n').filter((line) => /^\d+:\d+\t/.test(line))).toEqual(listed);
  });

  it("attaches a PDF's text, found by its first bytes whatever its name, and counts its numbers", async () => {
    const pdf = join(dir, 'report.download');
    writeFileSync(
      pdf,
      pdfFile([
        ['IDF estimates putting the number of civilians killed in the war at 20,000,', 'compared to some 15,000 combatants.', '', 'About 40 trucks entered.'],
      ]),
    );
    const run = await workbench('citation', book, citationId, '--text', pdf, '--uncaptured');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const db = new Database(book, { readonly: true });
    const stored = db.prepare('SELECT name, media_type, text FROM document WHERE citation_id = ?').get(citationId);
    db.close();
    expect(stored).toEqual({
      name: 'report.download',
      media_type: 'application/pdf',
      text: 'IDF estimates putting the number of civilians killed in the war at 20,000, compared to some 15,000 combatants.\n\nAbout 40 trucks entered.',
    });
    expect(run.stdout.split('\n').filter((line) => /^\d+:\d+\t/.test(line))).toEqual(['3:7\t40\t~40\tAbout 40 trucks entered.']);
    expect(run.stdout).toMatch(/^2 of 3 numbers captured \(report\.download/m);
  });

  it('refuses a broken PDF, saying so, and an unknown citation, and writes nothing', async () => {
    const pdf = join(dir, 'report.pdf');
    writeFileSync(pdf, '%PDF-1.4');
    const before = changes();
    const refused = await workbench('citation', book, citationId, '--text', pdf);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/report\.pdf: not a readable PDF/);
    const unknown = await workbench('citation', book, 'no-such-id', '--uncaptured');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no citation with id no-such-id/);
    expect(changes()).toBe(before);
  });
});
