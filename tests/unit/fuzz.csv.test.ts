// CSV import under fuzzing (fast-check, seeded): generated and mutated files — random bytes, broken quoting, huge
// fields, wrong encodings, ragged rows, formula-like cells, numbers in odd formats — through WorkbenchApi.importCsv.
// Whatever the file: no crash (never an 'internal' error), no hang, every problem of a rejected import names its
// row, column and reason, and a rejected import leaves the workbook file byte for byte as it was.
//
// FUZZ_RUNS=5000 npx vitest run tests/unit/fuzz.csv.test.ts   runs more files (default 500 for the first property;
// the others run a share of it).
// FUZZ_SEED=… picks another seed; a failure prints the seed and path to replay it.
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../src/shared/api';
import { CSV_COLUMNS } from '../../src/shared/fields';
import { type Problem, WorkbenchError } from '../../src/shared/errors';
import { sha256File, seedBasics, type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const SEED = Number(process.env.FUZZ_SEED ?? 20_241_119);
/** a file that takes longer than this to import counts as a hang */
const HANG_MS = 15_000;

let t: TempWorkbook;
let files = 0;
const tally = { accepted: 0, rejected: 0, thrown: 0 };
beforeAll(async () => {
  t = await tempWorkbook();
  await seedBasics(t.api);
});
afterAll(() => {
  console.log(
    `fuzz.csv: ${files} files imported (${tally.accepted} accepted, ${tally.rejected} rejected with problems, ${tally.thrown} refused with an error), seed ${SEED}`,
  );
  t.cleanup();
});

// ---- the pieces of a file ----

const ODD_NUMBERS = [
  '20,000',
  '20 000',
  '20\u00a0000',
  '1.2 million',
  '14,000-15,000',
  '14,000 to 15,000',
  'between 3 and 4',
  'some 15,000',
  '~20,000',
  'at least 2',
  '20,000+',
  'more than 1,000',
  '1e5',
  '1E+308',
  '0x1F',
  '١٢٣',
  '−5',
  '-5',
  '- 5',
  'NaN',
  'Infinity',
  '-Infinity',
  '20.000',
  '1.000.000',
  '1_000',
  ' 12 ',
  '12.',
  '.5',
  '½',
  '10%',
  '$100',
  '9'.repeat(400),
  '00012',
  '1.2.3 million',
  '1,2,3',
  '1,,000',
  '15,000-14,000',
  '0',
  '0.0000001',
  '3 million 2',
  'k',
  'million',
  '=1+2',
  '+3',
  '@SUM(1)',
  '-2+3',
  "'=1+1",
  '\t5',
  '5\r',
  '',
  ' ',
  'twenty',
  '20,000 (approx)',
  '~',
  '+',
];
const FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", '@SUM(1)', '-2+3', '=1+1', "'=1+1", '\t=1', '\r=1'];
const DATES = [
  '2024-05-19',
  '2024-02-29',
  '2023-02-29',
  '2024-13-01',
  '2024-00-10',
  '2024',
  '2024-05',
  '19/05/2024',
  '2024-5-9',
  '',
  '0000-01-01',
  '2024-05-19T00:00:00Z',
];
const METRICS = ['killed_total', 'killed_civilian', 'injured', 'aid_trucks', 'KILLED_TOTAL', 'no_such_metric', '', 'killed total'];
const SOURCES = ['Source Alpha', 'SA', 'Source Beta', 'A new claimant', 'source alpha', '', ' ', 'x'.repeat(301)];
const QUALIFIERS = ['exact', 'at least', 'at_least', 'some', '~', 'up to', 'roughly', 'nope', '', 'AT LEAST'];
const ENUMS = ['reported_count', 'estimate', 'draft', 'checked', 'retracted', 'high', 'low', 'bogus', ''];

const cellText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.constantFrom(...FORMULAS) },
  { weight: 1, arbitrary: fc.constantFrom('a,b', 'say "hi"', 'line\nbreak', 'cr\rlf\r\n', '"', '""', ',', '') },
);

/** a value that a clean file would have in this column */
function cleanCell(column: string): fc.Arbitrary<string> {
  const clean: Record<string, fc.Arbitrary<string>> = {
    metric: fc.constantFrom('killed_total', 'killed_civilian', 'injured', 'aid_trucks'),
    value: fc.oneof(fc.nat(1_000_000).map(String), fc.constantFrom('20,000', 'some 15,000', '~20,000', 'at least 2', '1.2 million')),
    low: fc.nat(1000).map(String),
    high: fc.integer({ min: 1000, max: 5000 }).map(String),
    qualifier: fc.constantFrom('exact', 'at least', 'some', ''),
    as_of: fc.constantFrom('2024-05-19', '2024-02-29', '2024', '2024-05'),
    period_start: fc.constantFrom('2024-01-01', ''),
    period_end: fc.constant(''),
    published: fc.constantFrom('2024-05-19', ''),
    source: fc.constantFrom('Source Alpha', 'SA', 'Source Beta', 'A new claimant'),
    relayed_via: fc.constantFrom('', 'Source Beta'),
    citation_title: fc.constantFrom('Situation report 1', 'A new report'),
    url: fc.constantFrom('https://example.org/report-1', 'https://example.org/new', ''),
    method: fc.constantFrom('reported_count', 'estimate', ''),
    status: fc.constantFrom('draft', 'checked', ''),
    confidence: fc.constantFrom('high', 'low', ''),
    id: fc.constant(''),
    source_id: fc.constant(''),
    citation_id: fc.constant(''),
    relayed_via_id: fc.constant(''),
    retracted_reason: fc.constant(''),
    location: fc.constantFrom('Gaza Strip', 'Rafah', 'Khan Younis', ''),
  };
  return clean[column] ?? fc.oneof(fc.constantFrom(...FORMULAS), fc.string({ unit: 'grapheme', maxLength: 30 }));
}

/** the value a column gets: mostly plausible for that column, sometimes anything */
function cellFor(column: string): fc.Arbitrary<string> {
  const specific: Record<string, fc.Arbitrary<string>> = {
    metric: fc.constantFrom(...METRICS),
    value: fc.oneof(fc.constantFrom(...ODD_NUMBERS), fc.nat().map(String), fc.double().map(String)),
    low: fc.oneof(fc.constantFrom(...ODD_NUMBERS), fc.nat().map(String)),
    high: fc.oneof(fc.constantFrom(...ODD_NUMBERS), fc.nat().map(String)),
    qualifier: fc.constantFrom(...QUALIFIERS),
    as_of: fc.constantFrom(...DATES),
    period_start: fc.constantFrom(...DATES),
    period_end: fc.constantFrom(...DATES),
    published: fc.constantFrom(...DATES),
    source: fc.constantFrom(...SOURCES),
    relayed_via: fc.constantFrom(...SOURCES),
    citation_title: fc.oneof(fc.constantFrom('Situation report 1', 'A new report', ''), cellText),
    url: fc.constantFrom('https://example.org/report-1', 'https://example.org/new', 'not a url', 'javascript:alert(1)', ''),
    method: fc.constantFrom(...ENUMS),
    status: fc.constantFrom(...ENUMS),
    confidence: fc.constantFrom(...ENUMS),
    id: fc.constantFrom('', '', '', 'not/an/id', '01900000-0000-7000-8000-000000000001', 'x'.repeat(70)),
  };
  return fc.oneof({ weight: 4, arbitrary: specific[column] ?? cellText }, { weight: 1, arbitrary: cellText });
}

/** A header (mostly the workbook's columns, sometimes an unknown or duplicate one) and rows for it. */
const table = fc
  .tuple(
    fc.shuffledSubarray([...CSV_COLUMNS], { minLength: 1, maxLength: 12 }),
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(['metric', 'value', 'as_of', 'source', 'citation_title']) },
      { weight: 2, arbitrary: fc.constant(['metric', 'low', 'high', 'period_start', 'source', 'url']) },
      { weight: 1, arbitrary: fc.constant([]) },
    ),
    fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('valeu', 'Metric', 'value', '', 'claimant') }),
  )
  .map(([some, required, extra]) => {
    const header: string[] = [...new Set([...required, ...some])];
    if (extra !== undefined) header.splice(Math.min(1, header.length), 0, extra);
    return header;
  })
  .chain((header) =>
    fc.record({
      header: fc.constant(header),
      rows: fc.oneof(
        fc.array(fc.tuple(...header.map((column) => cellFor(column))), { maxLength: 12 }),
        fc.array(fc.tuple(...header.map((column) => cleanCell(column))), { minLength: 1, maxLength: 12 }),
      ),
    }),
  );

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) || cell.startsWith(' ') ? `"${cell.replaceAll('"', '""')}"` : cell;
}

function render(header: string[], rows: string[][], eol: string): string {
  return [header, ...rows].map((cells) => cells.map(quote).join(',')).join(eol) + eol;
}

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: readonly number[] }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'ragged'; line: number; extra: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.nat(255) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.oneof(
      fc.constantFrom([0x22], [0x2c], [0x0d], [0x0a], [0x00], [0xff], [0xc3], [0xef, 0xbb, 0xbf], [0x22, 0x22, 0x22], [0xe2, 0x80]),
      fc.array(fc.nat(255), { maxLength: 8 }),
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('ragged' as const), line: fc.nat(), extra: fc.integer({ min: -3, max: 3 }) }),
);

function mutate(bytes: Buffer, mutations: Mutation[]): Buffer {
  let b = bytes;
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.kind === 'ragged' ? 0 : (m as { at: number }).at % (b.length + 1);
    switch (m.kind) {
      case 'flip':
        if (b.length) b[at % b.length] = m.byte;
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'duplicate':
        b = Buffer.concat([b.subarray(0, at + m.length), b.subarray(at)]);
        break;
      case 'ragged': {
        const lines = b.toString('latin1').split('\n');
        const index = m.line % lines.length;
        const line = lines[index]!;
        lines[index] = m.extra >= 0 ? line + ','.repeat(m.extra) + (m.extra ? 'extra' : '') : line.split(',').slice(0, m.extra).join(',');
        b = Buffer.from(lines.join('\n'), 'latin1');
        break;
      }
    }
  }
  return b;
}

const encodings = fc.constantFrom('utf8', 'utf8-bom', 'latin1', 'utf16le-bom', 'utf16be-bom', 'utf16le');

function encode(text: string, encoding: string): Buffer {
  switch (encoding) {
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'latin1':
      return Buffer.from(text, 'latin1');
    case 'utf16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be-bom': {
      const le = Buffer.from(text, 'utf16le');
      for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
      return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
    }
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    default:
      return Buffer.from(text, 'utf8');
  }
}

/** The bytes of a file, shown short when fast-check reports a counterexample (the seed replays it whole). */
class CsvFile {
  constructor(readonly bytes: Buffer) {}
  [fc.toStringMethod](): string {
    return `CsvFile(${this.bytes.length} bytes, starting ${JSON.stringify(this.bytes.subarray(0, 160).toString('latin1'))})`;
  }
}

/** A generated CSV, rendered, re-encoded, and mutated. */
const generatedFile = fc
  .record({
    table,
    eol: fc.constantFrom('\r\n', '\n', '\r'),
    encoding: fc.oneof({ weight: 5, arbitrary: fc.constant('utf8') }, { weight: 2, arbitrary: encodings }),
    mutations: fc.oneof({ weight: 2, arbitrary: fc.constant([] as Mutation[]) }, { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }) }),
  })
  .map(({ table: { header, rows }, eol, encoding, mutations }) => new CsvFile(mutate(encode(render(header, rows, eol), encoding), mutations)));

const randomBytes = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }).map((a) => new CsvFile(Buffer.from(a))),
  // printable-ish noise with the CSV's own characters in it
  fc
    .array(fc.constantFrom(...'metric,value,as_of,source,citation_title\r\n"\',=+-@;0123456789 abc\u00e9'.split('')), { maxLength: 2000 })
    .map((chars) => new CsvFile(Buffer.from(chars.join(''), 'utf8'))),
);

/** One row with a huge cell (up to 2 MB), or a header thousands of columns wide. */
const hugeFile = fc.oneof(
  fc
    .record({ size: fc.integer({ min: 19_990, max: 2_000_000 }), column: fc.constantFrom('excerpt', 'source', 'value', 'note', 'metric') })
    .map(({ size, column }) => {
      const header = ['metric', 'value', 'as_of', 'source', 'citation_title', 'excerpt', 'note'];
      const row: Record<string, string> = {
        metric: 'killed_total',
        value: '5',
        as_of: '2024-01-01',
        source: 'Source Alpha',
        citation_title: 'Big',
        excerpt: 'e',
        note: '',
      };
      row[column] = 'x'.repeat(size);
      return new CsvFile(Buffer.from(render(header, [header.map((h) => row[h]!)], '\r\n')));
    }),
  fc.integer({ min: 500, max: 20_000 }).map((width) => {
    const header = ['metric', 'value', 'as_of', 'source', 'citation_title', ...Array.from({ length: width }, (_, i) => `extra_${i}`)];
    return new CsvFile(Buffer.from(render(header, [header.map(() => '1')], '\n')));
  }),
  fc.integer({ min: 1, max: 200_000 }).map((n) => new CsvFile(Buffer.from(`metric,value,as_of,source,citation_title\n"${'unterminated '.repeat(n)}`))),
);

// ---- the property ----

let fileIndex = 0;

/** The .fwb bytes after folding the -wal in, and that the -wal is then empty. */
function fileState(): { sha256: string; wal: number } {
  t.workbook.findPendingWarnings(); // at rest: the warnings' upkeep of the import before done
  const [checkpoint] = t.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
  if (checkpoint?.busy) throw new Error('wal_checkpoint was blocked');
  return { sha256: sha256File(t.path), wal: existsSync(`${t.path}-wal`) ? statSync(`${t.path}-wal`).size : 0 };
}

/** The problems without a column: a file with no header row, or with no rows under it, has no column to name. */
const WHOLE_FILE = new Set(['the file is empty: no header row', 'no data rows: the file has a header and nothing under it']);

function assertNamesThePlace(problem: Problem, context: string): void {
  expect(Number.isInteger(problem.row) && problem.row! >= 1, `${context}: row in ${JSON.stringify(problem)}`).toBe(true);
  if (!WHOLE_FILE.has(problem.reason)) {
    expect(typeof problem.column === 'string' && problem.column.length > 0, `${context}: column in ${JSON.stringify(problem)}`).toBe(true);
  }
  expect(typeof problem.reason === 'string' && problem.reason.trim().length > 0, `${context}: reason in ${JSON.stringify(problem)}`).toBe(true);
}

async function importChecked({ bytes }: CsvFile, mode: 'all' | 'partial' = 'all'): Promise<void> {
  files += 1;
  const csv = join(t.dir, `fuzz-${fileIndex++}.csv`);
  writeFileSync(csv, bytes);
  const before = fileState();
  const listing = readdirSync(t.dir).sort();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`import did not finish within ${HANG_MS} ms (${bytes.length} bytes)`)), HANG_MS);
  });
  let report: ImportReport | null = null;
  let error: unknown = null;
  try {
    report = await Promise.race([t.api.importCsv({ file: { path: csv }, mode, errors_path: `${csv}.errors.csv` }), hang]);
  } catch (e) {
    error = e;
  } finally {
    clearTimeout(timer);
  }
  const context = `${bytes.length}-byte file ${JSON.stringify(bytes.subarray(0, 120).toString('latin1'))}`;
  if (error) {
    if (!(error instanceof WorkbenchError)) throw error; // a hang, or a crash that escaped the API
    expect(error.code, `${context}: ${error.message}`).not.toBe('internal');
    expect(['validation', 'io'], `${context}: ${error.code} ${error.message}`).toContain(error.code);
    tally.thrown += 1;
    const problems = error.problems ?? (error.place ? [{ ...error.place, reason: error.message }] : []);
    expect(problems.length, `${context}: a refusal must say where (${error.message})`).toBeGreaterThan(0);
    for (const problem of problems) assertNamesThePlace(problem, context);
  } else if (!report!.written) {
    tally.rejected += 1;
    expect(report!.problems.length, context).toBeGreaterThan(0);
    for (const problem of report!.problems) assertNamesThePlace(problem, context);
  } else {
    tally.accepted += 1;
    // all or nothing: an import with any problem writes nothing (only partial mode keeps the valid rows)
    if (mode === 'all') expect(report!.problems, `${context}: written with problems`).toEqual([]);
    expect(report!.created + report!.updated + report!.unchanged, context).toBe(report!.figures);
    for (const problem of report!.problems) assertNamesThePlace(problem, context);
    rmSync(csv, { force: true });
    rmSync(`${csv}.errors.csv`, { force: true });
    return;
  }
  // rejected: not a byte of the workbook changed, and no file appeared beside it
  const after = fileState();
  expect(after, `${context}: the workbook file changed after a rejected import`).toEqual(before);
  expect(after.wal).toBe(0);
  rmSync(csv, { force: true });
  expect(readdirSync(t.dir).sort(), context).toEqual(
    listing
      .filter((name) => name !== `fuzz-${fileIndex - 1}.csv`)
      .concat()
      .sort(),
  );
}

const params = (runs: number) => ({ seed: SEED, numRuns: runs, endOnFailure: true });

describe('CSV import fuzzing', () => {
  it(`generated files — odd numbers, formulas, broken quoting, ragged rows, wrong encodings — never crash, hang or half-write (${RUNS} files)`, async () => {
    await fc.assert(
      fc.asyncProperty(generatedFile, (file) => importChecked(file)),
      params(RUNS),
    );
  }, 300_000);

  it(`random bytes are refused with a place and a reason, leaving the workbook as it was (${Math.ceil(RUNS / 2)} files)`, async () => {
    await fc.assert(
      fc.asyncProperty(randomBytes, (file) => importChecked(file)),
      params(Math.ceil(RUNS / 2)),
    );
  }, 300_000);

  it(`huge fields, thousands of columns and an unterminated quote over megabytes are handled (${Math.ceil(RUNS / 20)} files)`, async () => {
    await fc.assert(
      fc.asyncProperty(hugeFile, (file) => importChecked(file)),
      params(Math.ceil(RUNS / 20)),
    );
  }, 300_000);

  it(`partial mode on generated files: whatever is imported is whole rows, and the rest are named (${Math.ceil(RUNS / 4)} files)`, async () => {
    await fc.assert(
      fc.asyncProperty(generatedFile, (file) => importChecked(file, 'partial')),
      params(Math.ceil(RUNS / 4)),
    );
    expect((await t.api.check({})).ok).toBe(true);
  }, 300_000);
});

describe('the place named in what fuzzing found', () => {
  const refusal = async (text: string | Buffer) => {
    const csv = join(t.dir, `place-${fileIndex++}.csv`);
    writeFileSync(csv, text);
    try {
      const report = await t.api.importCsv({ file: { path: csv } });
      return report.problems;
    } catch (error) {
      return (error as WorkbenchError).problems;
    } finally {
      rmSync(csv, { force: true });
    }
  };
  const header = 'metric,value,as_of,source,citation_title,excerpt\n';

  it('a stray quote inside a quoted field: the row and the column of that field', async () => {
    expect(await refusal(`${header}killed_total,5,2024-01-01,"Source "Alpha",Report,fine\n`)).toEqual([
      expect.objectContaining({ row: 2, column: 'source', reason: expect.stringMatching(/InvalidQuotes/) }),
    ]);
  });

  it('a broken quote in the header row: row 1 and the position of the field', async () => {
    expect(await refusal(`metric,"value,as_of\nkilled_total,5,2024-01-01\n`)).toEqual([
      { row: 1, column: '#2', reason: 'Quoted field unterminated (MissingQuotes) in the header row' },
    ]);
  });

  it('a byte that is not UTF-8 after a quoted line break: the spreadsheet row (not the line) and the column', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${header}killed_total,5,2024-01-01,Source Alpha,Report,"two\nlines"\nkilled_total,6,2024-01-02,Source Alpha,Report,caf`),
      Buffer.from([0xe9]), // é in Latin-1
      Buffer.from('\n'),
    ]);
    const [problem] = (await refusal(bytes))!;
    expect(problem).toMatchObject({ row: 3, column: 'excerpt', value: `byte ${bytes.indexOf(0xe9)}` });
    expect(problem!.reason).toMatch(/not UTF-8: byte \d+ \(line 4\) is 0xe9/);
  });

  it('a UTF-16 file: row 1, its first column', async () => {
    const [problem] = (await refusal(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(header, 'utf16le')])))!;
    expect(problem).toMatchObject({ row: 1, column: '#1', value: 'byte 0', reason: expect.stringMatching(/UTF-16/) });
  });
});

describe('partial mode keeps whole rows only (found by fuzzing)', () => {
  it('a row refused after it made a new source leaves neither its figure nor that source, and the counts add up', async () => {
    const csv = join(t.dir, 'partial-row.csv');
    writeFileSync(
      csv,
      'id,metric,value,as_of,source,citation_title\n' +
        ',killed_total,11,2024-04-01,Source Alpha,Situation report 1\n' +
        'not/an/id,killed_total,12,2024-04-02,A claimant only row 3 names,Situation report 1\n',
    );
    const report = await t.api.importCsv({ file: { path: csv }, mode: 'partial', errors_path: `${csv}.errors.csv` });
    expect(report.written).toBe(true);
    expect(report.problems).toEqual([expect.objectContaining({ row: 3, column: 'id', reason: expect.stringMatching(/not a valid id/) })]);
    expect([report.created, report.rejected, report.figures]).toEqual([1, 1, 1]);
    expect(report.new_entities.sources).toEqual([]);
    expect((await t.api.listSources({})).map((s) => s.name)).not.toContain('A claimant only row 3 names');
    expect((await t.api.check({})).ok).toBe(true);
    rmSync(csv, { force: true });
    rmSync(`${csv}.errors.csv`, { force: true });
  });
});
