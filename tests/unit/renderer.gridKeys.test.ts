// The grid's spreadsheet keys as pure logic: where Home, End, Ctrl+Home and Ctrl+End take the focus, and the text
// Ctrl+C puts on the clipboard — read back by our own paste's parser and by LibreOffice as the same cells.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { toTsv, tsvCell } from '../../src/renderer/grid/copy';
import { jumpTarget } from '../../src/renderer/grid/keys';

const COLUMNS = ['metric', 'value', 'range', 'as_of', 'updated'];
const HAVE_SOFFICE = spawnSync('soffice', ['--version'], { encoding: 'utf8' }).status === 0;
if (!HAVE_SOFFICE) console.log('skipped: LibreOffice (soffice) is not installed — apt-get install -y libreoffice-calc-nogui (.ci/run does)');

describe('Home, End, Ctrl+Home, Ctrl+End', () => {
  const at = { rowIndex: 7, rowPinned: null, column: 'range' } as const;

  it('Home and End move along the row, the new-figure row too', () => {
    expect(jumpTarget('Home', false, at, COLUMNS, 100)).toEqual({ rowIndex: 7, rowPinned: null, column: 'metric' });
    expect(jumpTarget('End', false, at, COLUMNS, 100)).toEqual({ rowIndex: 7, rowPinned: null, column: 'updated' });
    expect(jumpTarget('End', false, { rowIndex: 0, rowPinned: 'bottom', column: 'metric' }, COLUMNS, 100)).toEqual({
      rowIndex: 0,
      rowPinned: 'bottom',
      column: 'updated',
    });
  });

  it('Ctrl+Home and Ctrl+End go to the first and the last cell of the figures; with none, to the new-figure row', () => {
    expect(jumpTarget('Home', true, at, COLUMNS, 100)).toEqual({ rowIndex: 0, rowPinned: null, column: 'metric' });
    expect(jumpTarget('End', true, at, COLUMNS, 100)).toEqual({ rowIndex: 99, rowPinned: null, column: 'updated' });
    expect(jumpTarget('End', true, { rowIndex: 0, rowPinned: 'bottom', column: 'value' }, COLUMNS, 0)).toEqual({
      rowIndex: 0,
      rowPinned: 'bottom',
      column: 'updated',
    });
    expect(jumpTarget('End', true, at, [], 100)).toBeNull();
  });
});

const CELLS = [
  ['Civilians killed', '20,000', 'plain'],
  ['two\nlines', 'a\ttab', 'say "some 15,000"'],
  ['"quoted"', '', 'trailing space '],
];

describe('the text Ctrl+C copies', () => {
  it('quotes only a cell holding a tab, a line break or a quote, doubling its quotes', () => {
    expect(tsvCell('20,000')).toBe('20,000');
    expect(tsvCell('say "some"')).toBe('"say ""some"""');
    expect(tsvCell('a\tb')).toBe('"a\tb"');
    expect(tsvCell('one\r\ntwo')).toBe('"one\r\ntwo"');
  });

  it('reads back as the same cells through the paste parser', () => {
    expect(Papa.parse<string[]>(toTsv(CELLS), { delimiter: '\t' }).data).toEqual(CELLS);
  });

  it.skipIf(!HAVE_SOFFICE)(
    'reads back as the same cells in LibreOffice (tab-separated, quoted text)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'fw-copy-'));
      try {
        const file = join(dir, 'copied.csv'); // a .csv name, for Calc to open it; the filter says tab-separated
        writeFileSync(file, toTsv(CELLS), 'utf8');
        // 9: tab-separated; 34: the quote; 76: UTF-8; the output is LibreOffice's CSV (comma, quoted as needed)
        execFileSync(
          'soffice',
          [
            `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
            '--headless',
            '--infilter=CSV:9,34,76,1',
            '--convert-to',
            'csv:Text - txt - csv (StarCalc):44,34,76,1',
            '--outdir',
            join(dir, 'out'),
            file,
          ],
          { stdio: 'pipe', timeout: 120_000 },
        );
        const read = Papa.parse<string[]>(readFileSync(join(dir, 'out', 'copied.csv'), 'utf8').replace(/\r?\n$/, ''), { delimiter: ',' }).data;
        // the same cells; the figure's number is a number in the sheet, written back without its thousands separator
        const expected = CELLS.map((row) => row.map((c) => (c === '20,000' ? '20000' : c)));
        expect(read.map((row) => row.map((c) => c.replace(/\r\n/g, '\n')))).toEqual(expected);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
