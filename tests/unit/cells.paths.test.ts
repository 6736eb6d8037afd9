// One reading of every cell, whatever path it took: thousands of generated value, range and date cells go through a
// real CSV import into a real workbook and through the grid's typing path (the code a paste runs too), in both
// number formats. Each cell gives the same figure on both paths, or the same refusal with the same reason.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NumberFormat } from '../../src/shared/cells';
import { Catalog } from '../../src/renderer/app/catalog';
import { applyEdit } from '../../src/renderer/grid/edit';
import { pasteFigures, PasteRefused } from '../../src/renderer/grid/paste';
import { type ColumnId, draftRow } from '../../src/renderer/grid/rows';
import { type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);

const QUALIFIERS = ['', '', '', 'some ', 'about ', '~', 'at least ', 'more than ', 'up to ', 'nearly ', 'no more than ', 'over '];
const GROUPS = [',', '.', ' ', '\u00a0', "'", ''];
const SCALES = ['', '', '', ' million', 'k', ' thousand', 'm'];

/** A number written as people write it, well or badly: grouped any way, a fraction with either mark, a scale. */
const writtenNumber = fc
  .tuple(
    fc.integer({ min: 0, max: 9_999_999 }),
    fc.constantFrom(...GROUPS),
    fc.option(fc.tuple(fc.constantFrom('.', ','), fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 4 }))),
    fc.constantFrom(...SCALES),
    fc.boolean(),
  )
  .map(([n, group, fraction, scale, arabic]) => {
    const digits = String(n);
    const grouped = group === '' ? digits : digits.replace(/\B(?=(\d{3})+(?!\d))/g, group);
    const frac = fraction ? `${fraction[0]}${String(fraction[1]).padStart(fraction[2], '0').slice(0, fraction[2])}` : '';
    const text = `${grouped}${frac}${scale}`;
    return arabic ? text.replace(/\d/g, (d) => String.fromCodePoint(0x0660 + Number(d))) : text;
  });

/** Vague words as the workbook's rule table has them (one rule edited, one added), in any case, or near misses. */
const VAGUE_WORDS = ['dozens', 'Dozens', 'a dozen', 'HUNDREDS', 'several  hundred', 'tens of thousands', 'scores', 'a handful', 'dozen', 'hundreds of'];
const vagueCell = fc.tuple(fc.constantFrom(...QUALIFIERS), fc.constantFrom(...VAGUE_WORDS)).map(([q, words]) => `${q}${words}`);

const valueCell = fc.oneof(
  { weight: 1, arbitrary: vagueCell },
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...QUALIFIERS), writtenNumber, fc.constantFrom('', '', '', '+')).map(([q, n, plus]) => `${q}${n}${plus}`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...QUALIFIERS), writtenNumber, fc.constantFrom('-', '–', ' – ', ' to '), writtenNumber)
      .map(([q, a, dash, b]) => `${q}${a}${dash}${b}`),
  },
  { weight: 1, arbitrary: writtenNumber.map((n) => `-${n}`) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\r\n"]/.test(s) && s.trim() !== '') },
);

const dateCell = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1990, max: 2030 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.constantFrom('-', '/', '.'))
    .map(([y, m, d, sep]) => `${y}${sep}${String(m).padStart(2, '0')}${sep}${String(d).padStart(2, '0')}`),
  fc.tuple(fc.integer({ min: 1990, max: 2030 }), fc.integer({ min: 0, max: 13 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
  fc.tuple(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2000, max: 2030 })).map(([d, m, y]) => `${d}/${m}/${y}`),
);

interface Reading {
  figure?: { value: number | null; low: number | null; high: number | null; qualifier: string; as_of: string | null; vague_words: string | null };
  /** every cell's reason, as "column: reason", sorted */
  refused?: string[];
}

let t: TempWorkbook;
let catalog: Catalog;
beforeAll(async () => {
  t = await tempWorkbook();
  const metric = (await t.api.listMetrics({})).find((m) => m.code === 'killed_total')!;
  const source = await t.api.createSource({ name: 'Source Alpha' });
  const citation = await t.api.createCitation({ title: 'Report' });
  // the rule table is the workbook's: both paths must read by it as edited, not by the defaults
  const scores = (await t.api.listVagueRules({})).find((r) => r.word === 'scores')!;
  await t.api.updateVagueRule({ id: scores.id, patch: { value: 25 } });
  await t.api.createVagueRule({ word: 'a handful', value: 3, qualifier: 'approximately' });
  catalog = new Catalog(t.api);
  await catalog.load();
  draftDefaults = { metric_id: metric.id, source_id: source.value.id, citation_id: citation.value.id };
});
afterAll(() => t.cleanup());
let draftDefaults: Record<string, string>;

/** The import path: a real CSV file, imported (valid rows kept) into the real workbook, read back by source row. */
async function importPath(cells: Array<{ value: string; as_of: string }>, format: NumberFormat): Promise<Reading[]> {
  const path = join(t.dir, `cells-${format === '1,234.5' ? 'dot' : 'comma'}.csv`);
  const rows = cells.map((c) => ['killed_total', c.value, 'Source Alpha', 'Report', c.as_of]);
  writeFileSync(path, Papa.unparse({ fields: ['metric', 'value', 'source', 'citation_title', 'as_of'], data: rows }, { newline: '\r\n' }));
  const report = await t.api.importCsv({ file: { path }, mode: 'partial', mapping: { number_format: format } });
  const refused = new Map<number, string[]>();
  for (const p of report.problems) refused.set(p.row!, [...(refused.get(p.row!) ?? []), `${p.column}: ${p.reason}`].sort());
  const figures = t.db
    .prepare('SELECT import_row, value, low, high, qualifier, as_of, vague_words FROM figure WHERE import_batch_id = ?')
    .all(report.batch_id) as Array<{
    import_row: number;
    value: number | null;
    low: number | null;
    high: number | null;
    qualifier: string;
    as_of: string | null;
    vague_words: string | null;
  }>;
  const byRow = new Map(figures.map((f) => [f.import_row, f]));
  return cells.map((_, i) => {
    const row = i + 2;
    const f = byRow.get(row);
    if (f) return { figure: { value: f.value, low: f.low, high: f.high, qualifier: f.qualifier, as_of: f.as_of, vague_words: f.vague_words } };
    // an unchanged duplicate of an earlier row of the same reading is neither written again nor refused
    return refused.has(row) ? { refused: refused.get(row)! } : { figure: undefined };
  });
}

/** The grid's path: each cell typed into the new-figure row (paste runs the same applyEdit). */
function gridPath(cell: { value: string; as_of: string }, format: NumberFormat): Reading {
  const row = draftRow(draftDefaults);
  const columns: Array<[ColumnId, string, string]> = [
    ['value', 'value', cell.value],
    ['as_of', 'as_of', cell.as_of],
  ];
  for (const [column, , text] of columns) applyEdit(row, column, { kind: 'text', text }, catalog, format);
  const refused = columns.filter(([column]) => row.raw[column]).map(([column, name]) => `${name}: ${row.raw[column]!.reason}`);
  if (refused.length) return { refused: refused.sort() };
  const v = row.values;
  return { figure: { value: v.value, low: v.low, high: v.high, qualifier: v.qualifier ?? 'exact', as_of: v.as_of, vague_words: v.vague_words ?? null } };
}

describe('the one cell reader on every path', () => {
  it.each(['1,234.5', '1.234,5'] as const)('a generated cell reads the same through a CSV import and the grid (%s)', async (format) => {
    const cells = fc.sample(fc.record({ value: valueCell, as_of: dateCell }), RUNS);
    // in chunks, so that every problem is listed (a report lists the first thousand and counts the rest)
    const imported: Reading[] = [];
    for (let i = 0; i < cells.length; i += 400) imported.push(...(await importPath(cells.slice(i, i + 400), format)));
    let accepted = 0;
    cells.forEach((cell, i) => {
      const viaImport = imported[i]!;
      if (viaImport.figure === undefined && viaImport.refused === undefined) return; // a duplicate, counted unchanged
      const viaGrid = gridPath(cell, format);
      // the import's other rules (a figure's cross-field rules) may refuse a cell the reader took: compare readings
      if (viaImport.refused && viaGrid.figure) {
        for (const reason of viaImport.refused) expect(reason, JSON.stringify(cell)).not.toMatch(/^(value|as_of): /);
        return;
      }
      expect(viaGrid, JSON.stringify(cell)).toEqual(viaImport);
      if (viaImport.figure) accepted += 1;
    });
    // the generator makes both kinds: readable cells and refusals; and vague words read by the edited table
    expect(accepted).toBeGreaterThan(RUNS / 10);
    const vague = imported.filter((r) => r.figure?.vague_words);
    expect(vague.length).toBeGreaterThan(0);
    expect(vague.filter((r) => /scores$/.test(r.figure!.vague_words!)).map((r) => r.figure!.value)).toEqual(expect.arrayContaining([25]));
    expect(vague.every((r) => !/scores$/.test(r.figure!.vague_words!) || r.figure!.value === 25)).toBe(true);
    expect(accepted).toBeLessThan(RUNS);
  });

  it('a pasted block reads as typed: the same figures, or the same reason for the first refused cell', async () => {
    const cells = fc.sample(fc.record({ value: valueCell, as_of: dateCell }), 60);
    const outcomes = { pasted: 0, refused: 0 };
    for (const cell of cells) {
      const typed = gridPath(cell, '1,234.5');
      try {
        const pasted = await pasteFigures(`metric\tvalue\tas_of\nkilled_total\t${cell.value}\t${cell.as_of}`, {
          api: t.api,
          catalog,
          draft: draftRow(draftDefaults).values,
          columns: [],
        });
        const f = pasted.figures[0]!;
        expect(
          { figure: { value: f.value, low: f.low, high: f.high, qualifier: f.qualifier, as_of: f.as_of, vague_words: f.vague_words } },
          JSON.stringify(cell),
        ).toEqual(typed);
        outcomes.pasted += 1;
      } catch (error) {
        if (!(error instanceof PasteRefused)) throw error;
        const reasons = error.problems.map((p) => p.reason);
        if (typed.refused) expect(reasons.sort(), JSON.stringify(cell)).toEqual(typed.refused.map((r) => r.replace(/^[a-z_]+: /, '')).sort());
        else expect(typed.figure, JSON.stringify(cell)).toBeDefined();
        outcomes.refused += 1;
      }
    }
    expect(outcomes.pasted).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});
