// Point 2: the data model with provenance — a figure needs a claimant and a citation, a value or a range, and is
// retracted with a reason, never deleted. IDs are UUIDv7.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FigureInput } from '../../src/shared/schemas';
import { rejection, seedBasics, type TempWorkbook, tempWorkbook, thrown, workbookState } from '../support/tempWorkbook';

let t: TempWorkbook;
let basics: Awaited<ReturnType<typeof seedBasics>>;
beforeEach(async () => {
  t = await tempWorkbook();
  basics = await seedBasics(t.api);
});
afterEach(() => t.cleanup());

function figure(overrides: Partial<FigureInput> = {}): FigureInput {
  return {
    metric_id: basics.metric('killed_civilian'),
    source_id: basics.sourceA.id,
    citation_id: basics.citation.id,
    location_id: basics.gaza.id,
    value: 20000,
    qualifier: 'approximately',
    as_of: '2024-05-19',
    excerpt: 'putting the number of civilians killed in the war at 20,000',
    ...overrides,
  };
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('saving a figure', () => {
  it('stores a figure with its claimant, citation, location, qualifier, excerpt and provenance stamps', async () => {
    const { value } = await t.api.createFigure(figure({ method: 'estimate', confidence: 'medium', relayed_via_id: basics.sourceB.id, note: 'n' }));
    expect(value).toMatchObject({
      metric: 'killed_civilian',
      source: 'Source Alpha',
      relayed_via: 'Source Beta',
      citation_title: 'Situation report 1',
      publisher: 'Alpha Press',
      url: 'https://example.org/report-1',
      location: 'Gaza Strip',
      value: 20000,
      low: null,
      high: null,
      qualifier: 'approximately',
      as_of: '2024-05-19',
      excerpt: 'putting the number of civilians killed in the war at 20,000',
      method: 'estimate',
      confidence: 'medium',
      status: 'draft',
      created_by: 'test',
      updated_by: 'test',
    });
    expect(Date.parse(value.created_at)).not.toBeNaN();
    const stored = t.db.prepare('SELECT value, source_id, citation_id FROM figure WHERE id = ?').get(value.id);
    expect(stored).toEqual({ value: 20000, source_id: basics.sourceA.id, citation_id: basics.citation.id });
  });

  it('stores a low–high range without a point value', async () => {
    const { value } = await t.api.createFigure(figure({ value: null, low: 14000, high: 15000 }));
    expect([value.value, value.low, value.high]).toEqual([null, 14000, 15000]);
  });

  it('stores a flow over a period (start–end) without an as-of date', async () => {
    const { value } = await t.api.createFigure(
      figure({ metric_id: basics.metric('aid_trucks'), as_of: null, period_start: '2024-05-01', period_end: '2024-05-07', value: 600 }),
    );
    expect([value.as_of, value.period_start, value.period_end]).toEqual([null, '2024-05-01', '2024-05-07']);
  });

  it.each(['source_id', 'citation_id', 'metric_id'] as const)(
    'refuses a figure without %s with a validation error naming the field, writing nothing',
    async (field) => {
      const before = workbookState(t);
      const input = figure();
      delete (input as Record<string, unknown>)[field];
      const error = await rejection(t.api.createFigure(input));
      expect(error.code).toBe('validation');
      expect(error.problems?.map((p) => p.field)).toContain(field);
      expect(workbookState(t)).toEqual(before);
    },
  );

  it('refuses a figure whose source or citation id names nothing, writing nothing', async () => {
    const before = workbookState(t);
    const error = await rejection(t.api.createFigure(figure({ source_id: 'no-such-source', citation_id: 'no-such-citation' })));
    expect(error.code).toBe('validation');
    expect(error.problems).toEqual([
      { field: 'source_id', value: 'no-such-source', reason: 'no source with this id' },
      { field: 'citation_id', value: 'no-such-citation', reason: 'no citation with this id' },
    ]);
    expect(workbookState(t)).toEqual(before);
  });

  it('refuses a figure with neither a value nor a range', async () => {
    const before = workbookState(t);
    const error = await rejection(t.api.createFigure(figure({ value: null })));
    expect(error.code).toBe('validation');
    expect(error.problems).toEqual([{ field: 'value', reason: 'a figure needs a value or a low–high range' }]);
    expect(workbookState(t)).toEqual(before);
  });

  it('refuses a range with only one end', async () => {
    const before = workbookState(t);
    const error = await rejection(t.api.createFigure(figure({ value: null, low: 100 })));
    expect(error.code).toBe('validation');
    expect(error.problems).toContainEqual({ field: 'high', reason: 'a range needs both low and high' });
    expect(workbookState(t)).toEqual(before);
  });

  it('refuses a range whose low exceeds its high, naming field low and both numbers', async () => {
    const before = workbookState(t);
    const error = await rejection(t.api.createFigure(figure({ value: null, low: 15000, high: 14000 })));
    expect(error.code).toBe('validation');
    expect(error.place?.field).toBe('low');
    expect(error.message).toBe('low (15000) exceeds high (14000)');
    expect(workbookState(t)).toEqual(before);
  });

  it('refuses a value outside its own range, a negative count, and a figure without any date', async () => {
    const before = workbookState(t);
    const outside = await rejection(t.api.createFigure(figure({ value: 5, low: 10, high: 20 })));
    expect(outside.problems).toEqual([{ field: 'value', reason: 'value lies outside the range 10–20' }]);
    const negative = await rejection(t.api.createFigure(figure({ value: -3 })));
    expect(negative.problems).toEqual([{ field: 'value', reason: 'a count cannot be negative' }]);
    const undated = await rejection(t.api.createFigure(figure({ as_of: null })));
    expect(undated.problems).toEqual([{ field: 'as_of', reason: 'a figure needs an as-of date or a period start' }]);
    const badDate = await rejection(t.api.createFigure(figure({ as_of: '19/05/2024' })));
    expect(badDate.problems?.[0]?.field).toBe('as_of');
    for (const e of [outside, negative, undated, badDate]) expect(e.code).toBe('validation');
    expect(workbookState(t)).toEqual(before);
  });

  it('refuses a figure relayed via its own claimant', async () => {
    const before = workbookState(t);
    const error = await rejection(t.api.createFigure(figure({ relayed_via_id: basics.sourceA.id })));
    expect(error.code).toBe('validation');
    expect(error.place?.field).toBe('relayed_via_id');
    expect(workbookState(t)).toEqual(before);
  });

  it('refuses to create a figure that starts out retracted', async () => {
    const before = workbookState(t);
    const error = await rejection(t.api.createFigure(figure({ status: 'retracted', retracted_reason: 'x' })));
    expect(error.code).toBe('validation');
    expect(error.place?.field).toBe('status');
    expect(workbookState(t)).toEqual(before);
  });

  it('refuses an edit that would leave the figure invalid (removing its only value) and keeps the figure as it was', async () => {
    const { value: created } = await t.api.createFigure(figure());
    const before = workbookState(t);
    const error = await rejection(t.api.updateFigure({ id: created.id, patch: { value: null } }));
    expect(error.code).toBe('validation');
    expect(error.message).toBe('a figure needs a value or a low–high range');
    expect(workbookState(t)).toEqual(before);
  });

  it('the schema itself refuses what validation would, should anything bypass it (low > high, no citation)', () => {
    const insert = (fields: Record<string, unknown>) =>
      t.db
        .prepare(
          `INSERT INTO figure (id, metric_id, source_id, citation_id, value, low, high, as_of, created_at, created_by, updated_at, updated_by)
           VALUES (@id, @metric_id, @source_id, @citation_id, @value, @low, @high, '2024-01-01', 'now', 'x', 'now', 'x')`,
        )
        .run({
          id: 'raw-1',
          metric_id: basics.metric('killed_total'),
          source_id: basics.sourceA.id,
          citation_id: basics.citation.id,
          value: null,
          low: 10,
          high: 20,
          ...fields,
        });
    expect(String(thrown(() => insert({ low: 30, high: 20 })))).toMatch(/CHECK constraint failed/);
    expect(String(thrown(() => insert({ citation_id: null })))).toMatch(/NOT NULL constraint failed: figure.citation_id/);
    expect(String(thrown(() => insert({ source_id: 'nobody' })))).toMatch(/FOREIGN KEY constraint failed/);
    expect(t.db.prepare('SELECT count(*) FROM figure').pluck().get()).toBe(0);
  });
});

describe('retracting, never deleting', () => {
  it('retracts a figure with its reason and keeps the row', async () => {
    const { value: created } = await t.api.createFigure(figure());
    const { value: retracted } = await t.api.retractFigure({ id: created.id, reason: 'superseded by the May report' });
    expect(retracted.status).toBe('retracted');
    expect(retracted.retracted_reason).toBe('superseded by the May report');
    expect(t.db.prepare('SELECT count(*) FROM figure').pluck().get()).toBe(1);
    // hidden from lists unless asked for
    expect((await t.api.listFigures({})).total).toBe(0);
    expect((await t.api.listFigures({ include_retracted: true })).rows.map((r) => r.id)).toEqual([created.id]);
  });

  it('refuses a retraction without a reason, writing nothing', async () => {
    const { value: created } = await t.api.createFigure(figure());
    const before = workbookState(t);
    for (const reason of ['', '   ']) {
      const error = await rejection(t.api.retractFigure({ id: created.id, reason }));
      expect(error.code).toBe('validation');
      expect(error.problems).toEqual([{ field: 'reason', reason: 'required' }]);
    }
    const viaEdit = await rejection(t.api.updateFigure({ id: created.id, patch: { status: 'retracted' } }));
    expect(viaEdit.code).toBe('validation');
    expect(viaEdit.problems).toEqual([{ field: 'retracted_reason', reason: 'a retracted figure needs a reason' }]);
    expect(workbookState(t)).toEqual(before);
  });

  it('refuses to retract a figure twice (conflict), keeping the first reason', async () => {
    const { value: created } = await t.api.createFigure(figure());
    await t.api.retractFigure({ id: created.id, reason: 'first' });
    const before = workbookState(t);
    const error = await rejection(t.api.retractFigure({ id: created.id, reason: 'second' }));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('already retracted (first)');
    expect(workbookState(t)).toEqual(before);
  });

  it('refuses DELETE FROM figure at the SQL level (trigger), so not even a bypass can hard-delete', async () => {
    await t.api.createFigure(figure());
    const before = workbookState(t);
    expect(String(thrown(() => t.db.prepare('DELETE FROM figure').run()))).toMatch(/figures are retracted with a reason, never deleted/);
    expect(workbookState(t)).toEqual(before);
  });
});

describe('ids', () => {
  it('gives every entity a UUIDv7 text id, time-ordered and stamped with the current time', async () => {
    const startedMs = Date.now();
    const a = (await t.api.createFigure(figure())).value.id;
    const b = (await t.api.createFigure(figure({ value: 20001 }))).value.id;
    const ids = [
      a,
      b,
      basics.sourceA.id,
      basics.sourceB.id,
      basics.citation.id,
      basics.gaza.id,
      ...(t.db.prepare('SELECT id FROM metric').pluck().all() as string[]),
    ];
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(a < b).toBe(true); // created later, sorts later
    const msOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(msOf(b)).toBeGreaterThanOrEqual(startedMs - 1000);
    expect(msOf(b)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(t.db.prepare('SELECT typeof(id) FROM figure LIMIT 1').pluck().get()).toBe('text');
  });
});

describe('sources, citations, metrics, locations', () => {
  it('refuses a citation with neither a title nor a URL', async () => {
    const before = workbookState(t);
    const error = await rejection(t.api.createCitation({ publisher: 'Nobody' }));
    expect(error.code).toBe('validation');
    expect(error.problems).toEqual([{ field: 'title', reason: 'a citation needs a title or a URL' }]);
    expect(workbookState(t)).toEqual(before);
  });

  it('refuses a second source with the same name in another case (conflict, naming the name)', async () => {
    const before = workbookState(t);
    const error = await rejection(t.api.createSource({ name: 'source alpha' }));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('a source named "source alpha" already exists');
    expect(workbookState(t)).toEqual(before);
  });

  it('refuses a location that would be inside itself', async () => {
    const before = workbookState(t);
    const error = await rejection(t.api.updateLocation({ id: basics.gaza.id, patch: { parent_id: basics.rafah.id } }));
    expect(error.code).toBe('validation');
    expect(error.place?.field).toBe('parent_id');
    expect(workbookState(t)).toEqual(before);
  });

  it('lets users add a metric with its own code, and refuses a malformed code', async () => {
    const { value } = await t.api.createMetric({ code: 'hospitals_damaged', label: 'Hospitals damaged', unit: 'hospitals' });
    expect(value).toMatchObject({ code: 'hospitals_damaged', category: 'other', unit: 'hospitals' });
    const before = workbookState(t);
    const error = await rejection(t.api.createMetric({ code: 'Hospitals Damaged', label: 'x' }));
    expect(error.code).toBe('validation');
    expect(error.place?.field).toBe('code');
    expect(workbookState(t)).toEqual(before);
  });
});
