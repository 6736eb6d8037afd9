// Listing figures page by page (how the grid loads a large workbook): the pages, laid end to end, are the whole list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveDate } from '../../src/shared/domain';
import { type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

describe('keyset pages of listFigures', () => {
  let t: TempWorkbook;
  beforeAll(async () => {
    t = await tempWorkbook({ demo: true });
  });
  afterAll(() => t.cleanup());

  async function pages(filter: Record<string, unknown>, size: number) {
    const first = await t.api.listFigures({ ...filter, limit: size });
    const ids = first.rows.map((r) => r.id);
    let page = first.rows;
    const totals: Array<number | null> = [first.total];
    while (page.length === size) {
      const last = page.at(-1)!;
      const next = await t.api.listFigures({ ...filter, limit: size, after: { date: effectiveDate(last)!, id: last.id } });
      totals.push(next.total);
      page = next.rows;
      ids.push(...page.map((r) => r.id));
    }
    return { ids, totals };
  }

  it('give every figure once, in list order, with the total on the first page only', async () => {
    const all = await t.api.listFigures({});
    expect(all.rows.length).toBeGreaterThan(2700);
    const { ids, totals } = await pages({}, 500);
    expect(ids).toEqual(all.rows.map((r) => r.id));
    expect(totals[0]).toBe(all.rows.length);
    expect(totals.slice(1).every((total) => total === null)).toBe(true);
  });

  it('keep to the filter across pages', async () => {
    const filter = { metric: ['killed_total'], source: ['Gaza Ministry of Health'], from: '2024-01-01', to: '2024-12' };
    const all = await t.api.listFigures(filter);
    expect(all.rows.length).toBeGreaterThan(300);
    expect(all.rows.every((r) => r.metric === 'killed_total' && r.source === 'Gaza Ministry of Health')).toBe(true);
    expect((await pages(filter, 97)).ids).toEqual(all.rows.map((r) => r.id));
  });

  it('search names of sources, citations and locations as well as excerpts and notes', async () => {
    const bySource = await t.api.listFigures({ search: 'Israel Defense' });
    // the seed article's two estimates and the IDF's two aid claims of aid-claims.csv
    expect(bySource.rows.map((r) => r.metric).sort()).toEqual(['aid_trucks', 'aid_trucks', 'killed_civilian', 'killed_combatant']);
    const byExcerpt = await t.api.listFigures({ search: 'humanitarian staff' });
    expect(byExcerpt.rows.map((r) => r.metric)).toEqual(['aid_workers_killed']);
    expect((await t.api.listFigures({ search: '100%_' })).rows).toEqual([]);
  });
});
