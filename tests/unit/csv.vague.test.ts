// Vague quantities (issue 17, part 4) through a real CSV import and export: "dozens" in a value cell is read by the
// workbook's own rule table into a number with its qualifier, the words kept with the figure in their own column;
// the rule table is the workbook's (edited through the API, logged, undoable, checked), and a file that states a
// vague value round-trips byte for byte.
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_VAGUE_RULES } from '../../src/shared/domain';
import { type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

const CSV = [
  'metric,value,as_of,source,citation_title,excerpt',
  'killed_total,dozens,2024-03-01,Civil Defence,Flash report,Dozens were killed in the strike',
  'killed_total,several hundred,2024-03-02,Civil Defence,Flash report,several hundred people',
  'injured,more than a dozen,2024-03-02,Civil Defence,Flash report,more than a dozen injured',
  'injured,120,2024-03-03,Civil Defence,Flash report,120 injured',
].join('\r\n');

describe('vague quantities in a CSV import', () => {
  let t: TempWorkbook;
  beforeEach(async () => {
    t = await tempWorkbook();
  });
  afterEach(() => t.cleanup());

  const stored = () =>
    t.db.prepare('SELECT value, qualifier, vague_words FROM figure ORDER BY effective_date, value').all() as Array<{
      value: number;
      qualifier: string;
      vague_words: string | null;
    }>;

  it('reads the words by the default rule table into a number and qualifier, and keeps the words', async () => {
    expect((await t.api.listVagueRules({})).map((r) => [r.word, r.value, r.qualifier]).sort()).toEqual(
      DEFAULT_VAGUE_RULES.map((r) => [r.word, r.value, r.qualifier]).sort(),
    );
    const report = await t.api.importCsv({ file: { name: 'vague.csv', text: CSV } });
    expect(report.problems).toEqual([]);
    expect(report.created).toBe(4);
    expect(stored()).toEqual([
      { value: 12, qualifier: 'at_least', vague_words: 'dozens' },
      { value: 12, qualifier: 'more_than', vague_words: 'more than a dozen' },
      { value: 200, qualifier: 'at_least', vague_words: 'several hundred' },
      { value: 120, qualifier: 'exact', vague_words: null },
    ]);
  });

  it('reads by the table as edited in the workbook; an edit is logged and undone like any other', async () => {
    const dozens = (await t.api.listVagueRules({})).find((r) => r.word === 'dozens')!;
    const edit = await t.api.updateVagueRule({ id: dozens.id, patch: { value: 24 }, why: 'our reading' });
    const history = await t.api.history({ entity: 'vague_rule', id: dozens.id });
    expect(history.at(-1)).toMatchObject({ op: 'update', why: 'our reading', before: expect.objectContaining({ value: 12 }) });
    await t.api.importCsv({ file: { name: 'vague.csv', text: CSV } });
    expect(stored()[0]).toEqual({ value: 24, qualifier: 'at_least', vague_words: 'dozens' });

    await t.api.undo({ txn: edit.txn });
    expect((await t.api.listVagueRules({})).find((r) => r.word === 'dozens')?.value).toBe(12);
    // the figure keeps what it was read as: a rule's edit does not rewrite figures
    expect(stored()[0]).toEqual({ value: 24, qualifier: 'at_least', vague_words: 'dozens' });
    const report = await t.api.check({});
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('refuses words no rule reads and a bound the words cannot carry, naming row and column, and writes nothing', async () => {
    const rule = (await t.api.listVagueRules({})).find((r) => r.word === 'scores')!;
    await t.api.deleteVagueRule({ id: rule.id });
    const text = ['metric,value,as_of,source,citation_title', 'killed_total,scores,2024-03-01,A,Doc', 'killed_total,up to hundreds,2024-03-01,A,Doc'].join(
      '\r\n',
    );
    const report = await t.api.importCsv({ file: { name: 'bad.csv', text } });
    expect(report.written).toBe(false);
    expect(report.problems.map((p) => [p.row, p.column, p.value, p.reason])).toEqual([
      [2, 'value', 'scores', 'not a number'],
      [3, 'value', 'up to hundreds', '"up to hundreds" sets no upper bound ("hundreds" is at least 100): write the number the source gives'],
    ]);
    expect(stored()).toEqual([]);
  });

  it('refuses a vague_words cell that disagrees with the words in the value', async () => {
    const text = ['metric,value,vague_words,as_of,source,citation_title', 'killed_total,dozens,scores,2024-03-01,A,Doc'].join('\r\n');
    const report = await t.api.importCsv({ file: { name: 'two.csv', text } });
    expect(report.problems.map((p) => [p.row, p.column, p.reason])).toEqual([[2, 'vague_words', 'disagrees with the words in value ("dozens")']]);
  });

  it('exports the words in the vague_words column; export → import into an empty workbook → export gives the same bytes', async () => {
    await t.api.importCsv({ file: { name: 'vague.csv', text: CSV } });
    const first = (await t.api.exportCsv({ filter: {}, options: { bom: false, hxl: true }, to: 'text' })).text!;
    const rows = Papa.parse<Record<string, string>>(first, { header: true, skipEmptyLines: true }).data.slice(1); // past the HXL row
    // figures of one date come in id order, and ids are random: compare as a set
    expect(rows.map((r) => [r.value, r.qualifier, r.vague_words]).sort()).toEqual(
      [
        ['12', 'at_least', 'dozens'],
        ['200', 'at_least', 'several hundred'],
        ['12', 'more_than', 'more than a dozen'],
        ['120', 'exact', ''],
      ].sort(),
    );
    expect(first.split('\r\n')[1]!.split(',').at(-1)).toBe('#description+vague');
    const other = await tempWorkbook();
    try {
      const report = await other.api.importCsv({ file: { name: 'export.csv', text: first } });
      expect(report.problems).toEqual([]);
      const second = (await other.api.exportCsv({ filter: {}, options: { bom: false, hxl: true }, to: 'text' })).text!;
      expect(second).toBe(first);
    } finally {
      other.cleanup();
    }
  });
});

describe('the rule table through the API', () => {
  let t: TempWorkbook;
  beforeEach(async () => {
    t = await tempWorkbook();
  });
  afterEach(() => t.cleanup());

  it('refuses a second rule for the same words in another case, digits for words, and a negative count', async () => {
    await expect(t.api.createVagueRule({ word: 'Dozens', value: 10 })).rejects.toMatchObject({
      code: 'conflict',
      message: 'a rule for "Dozens" already exists',
    });
    await expect(t.api.createVagueRule({ word: '12 or so', value: 12 })).rejects.toMatchObject({ code: 'validation' });
    await expect(t.api.createVagueRule({ word: 'a few', value: -3 })).rejects.toMatchObject({ code: 'validation' });
    const made = await t.api.createVagueRule({ word: '  a   few ', value: 3, qualifier: 'approximately' });
    expect(made.value).toMatchObject({ word: 'a few', value: 3, qualifier: 'approximately' });
  });
});
