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

  it("search also finds a source's short name, the relayed-via source, a citation's publisher and URL, and a metric's code or label", async () => {
    const api = t.api;
    const ocha = (await api.createSource({ name: 'UN Office for the Coordination of Humanitarian Affairs', short_name: 'OCHA', kind: 'un_agency' })).value;
    const moh = (await api.listSources({})).find((s) => s.short_name === 'MoH')!;
    const flash = (await api.createCitation({ title: 'Flash update 12', publisher: 'Reliefweb desk', url: 'https://example.org/flash-update-12' })).value;
    const shelters = (await api.createMetric({ code: 'shelters_hit', label: 'Shelters struck', category: 'casualties' })).value;
    const killedTotal = (await api.listMetrics({})).find((m) => m.code === 'killed_total')!;
    const common = { citation_id: flash.id, as_of: '2024-05-19', excerpt: 'flash update', status: 'draft' as const };
    const own = (await api.createFigure({ ...common, metric_id: shelters.id, source_id: ocha.id, value: 12 })).value;
    const relayed = (await api.createFigure({ ...common, metric_id: killedTotal.id, source_id: moh.id, relayed_via_id: ocha.id, value: 35000 })).value;
    const found = async (search: string) => (await api.listFigures({ search })).rows.map((r) => r.id);

    expect(await found('OCHA')).toEqual([own.id, relayed.id].sort());
    expect(await found('reliefweb DESK')).toEqual([own.id, relayed.id].sort());
    expect(await found('example.org/flash-update-12')).toEqual([own.id, relayed.id].sort());
    expect(await found('shelters_hit')).toEqual([own.id]);
    expect(await found('Shelters struck')).toEqual([own.id]);
    const byLabel = await found('Killed (total)');
    expect(byLabel).toContain(relayed.id);
    expect(byLabel).toEqual(await found('killed_total'));
    expect(byLabel.length).toBe((await api.listFigures({ metric: ['killed_total'] })).total);
  });
});
