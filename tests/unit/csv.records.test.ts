// The CSV writer against papaparse: for any records, our text is exactly what Papa.unparse writes with the export's
// options, and papaparse reads it back to the same cells.
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvLine, csvRecords, Utf8Chunks } from '../../src/core/csv/csvRecords';
import { numberText } from '../../src/core/csv/exportRecords';

const cell = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom('a,b', 'say "hi"', 'line\nbreak', 'cr\rlf\r\n', '"', '""', ',', '', ' lead', 'trail ', ' ', '\uFEFFbom', "'=1+2", 'tab\there'),
  },
);
const records = fc.array(fc.array(cell, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 12 });
const papaOptions = { newline: '\r\n', quotes: false, escapeFormulae: false, header: false } as const;

describe('csvRecords', () => {
  it('writes exactly what Papa.unparse writes, one CRLF after every record', () => {
    fc.assert(
      fc.property(records, (rows) => {
        expect(csvRecords(rows)).toBe(`${Papa.unparse(rows, papaOptions)}\r\n`);
      }),
      { seed: 4242, numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
    );
  });

  it('reads back to the same cells', () => {
    fc.assert(
      fc.property(records, (rows) => {
        const parsed = Papa.parse<string[]>(csvRecords(rows), { delimiter: ',', newline: '\r\n', skipEmptyLines: false });
        // the final CRLF ends the last record; papaparse reports the empty line after it
        expect(parsed.data.slice(0, rows.length)).toEqual(rows);
      }),
      { seed: 4243, numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
    );
  });

  it('quotes only the cells that need it', () => {
    expect(csvRecords([['20,000', 'some 15,000', 'IDF', 'said "about"', ' x', 'y ', 'plain'], []])).toBe(
      '"20,000","some 15,000",IDF,"said ""about"""," x","y ",plain\r\n\r\n',
    );
    expect(csvRecords([])).toBe('');
  });
});

describe('Utf8Chunks', () => {
  it('gives back every line, in order, as UTF-8, across chunk edges and for a line larger than a chunk (each chunk copied before the next call, as the contract asks)', () => {
    const lines = [
      ...Array.from({ length: 30_000 }, (_, i) => csvLine([`row ${i}`, 'مدنيون', '20,000 ✓', '𝟙𝟚'])),
      csvLine(['x'.repeat(2_000_000)]),
      csvLine(['after the giant', 'שלום']),
      csvLine([`${'y'.repeat(400_000)}é`]),
    ];
    const chunks = new Utf8Chunks();
    const out: Buffer[] = [];
    for (const line of lines) {
      const full = chunks.add(line);
      if (full) out.push(Buffer.from(full));
    }
    const rest = chunks.take();
    if (rest) out.push(Buffer.from(rest));
    expect(out.length).toBeGreaterThan(2);
    expect(Buffer.concat(out).toString('utf8')).toBe(lines.join(''));
    expect(chunks.take()).toBeNull();
  });
});

describe('numberText', () => {
  it('writes every number with the digits String gives it (integers take another path, so hold them to it)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double(), fc.constantFrom(0, -0, 1e21, -1e21, 1e21 - 65536, 2 ** 53 + 2, 1e-7, -5)),
        (value) => {
          expect(numberText(value)).toBe(String(value));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
