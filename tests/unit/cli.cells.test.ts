// The command line reads cells and dates as every other path does: the same number format setting, the same reasons.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workbench } from '../support/cli';

describe('workbench CLI: one reading of cells', () => {
  let dir: string;
  let book: string;
  const values = () => {
    const db = new Database(book, { readonly: true });
    try {
      return db.prepare('SELECT value FROM figure ORDER BY import_row').pluck().all();
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fw-cli-cells-'));
    book = join(dir, 'book.fwb');
    expect(await workbench('init', book)).toMatchObject({ code: 0 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses 35.000 as ambiguous, and reads it as 35000 with --number-format 1.234,5', async () => {
    const csv = join(dir, 'european.csv');
    writeFileSync(csv, 'metric,value,as_of,source,citation_title\r\naid_trucks,35.000,2024-05-26,COGAT,Weekly\r\naid_tonnes,"2,5",2024-05-26,COGAT,Weekly\r\n');
    const refused = await workbench('import', book, csv);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('row 2, column value, value "35.000": ambiguous: "." is a decimal mark in 1,234.5 numbers');
    expect(refused.stderr).toContain('row 3, column value, value "2,5": a decimal comma? Numbers here are read as 1,234.5: write 2.5');
    expect(values()).toEqual([]);
    const read = await workbench('import', book, csv, '--number-format', '1.234,5');
    expect(read.code).toBe(0);
    expect(values()).toEqual([35000, 2.5]);
    expect((await workbench('import', book, csv, '--number-format', '1 234,5')).code).toBe(2);
  });

  it('reads dates given as options like date cells: 2024/05/26 is 2024-05-26, and 2024-02-30 is refused with its reason', async () => {
    const compare = await workbench('compare', book, '--metric', 'aid_trucks', '--as-of', '2024/05/26', '--csv');
    expect(compare.code).toBe(0);
    expect(compare.stdout).toContain('35000');
    const bad = await workbench('export', book, '-', '--from', '2024-02-30');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from 2024-02-30: 2024 has no 30 February');
  });
});
