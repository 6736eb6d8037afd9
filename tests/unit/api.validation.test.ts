// Point 4: one typed contract; every call validates its input. Malformed input — the wrong type, a missing field, an
// unknown key — is a WorkbenchError with code 'validation' and writes nothing. The table below must name every call
// in API_CALLS, so a new call cannot escape these tests.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CALL_NAMES, type ApiCallName, type WorkbenchApi } from '../../src/shared/api';
import { unwrap, wrap } from '../../src/shared/transport';
import {
  rejection,
  seedBasics,
  type TempWorkbook,
  tempWorkbook,
  workbookState,
} from '../support/tempWorkbook';

interface Context {
  dir: string;
  metricId: string;
  sourceId: string;
  duplicateSourceId: string;
  citationId: string;
  duplicateCitationId: string;
  locationId: string;
  figureId: string;
  figureChangeId: number;
  undoableChangeId: number;
  backupName: string;
}

async function makeContext(t: TempWorkbook): Promise<Context> {
  const { api } = t;
  const basics = await seedBasics(api);
  const duplicateSource = (await api.createSource({ name: 'Source Alpha (dup)' })).value;
  const duplicateCitation = (await api.createCitation({ title: 'Situation report 1 (dup)' })).value;
  const figure = (
    await api.createFigure({
      metric_id: basics.metric('killed_total'),
      source_id: basics.sourceA.id,
      citation_id: basics.citation.id,
      location_id: basics.gaza.id,
      value: 10,
      as_of: '2024-01-01',
    })
  ).value;
  const [insert] = await api.history({ entity: 'figure', id: figure.id });
  const undoable = (await api.createLocation({ name: 'Undo target' })).value;
  await api.updateLocation({ id: undoable.id, patch: { note: 'to be undone' } });
  const undoHistory = await api.history({ entity: 'location', id: undoable.id });
  const backup = await api.backupNow({});
  return {
    dir: t.dir,
    metricId: basics.metric('aid_trucks'),
    sourceId: basics.sourceA.id,
    duplicateSourceId: duplicateSource.id,
    citationId: basics.citation.id,
    duplicateCitationId: duplicateCitation.id,
    locationId: basics.rafah.id,
    figureId: figure.id,
    figureChangeId: insert!.id,
    undoableChangeId: undoHistory.at(-1)!.id,
    backupName: backup.backup.name,
  };
}

interface CallCase {
  /** an input the call accepts */
  valid: (c: Context) => Record<string, unknown>;
  /** top-level keys whose absence the call must refuse */
  required: string[];
}

const CALLS: Record<ApiCallName, CallCase> = {
  getWorkbookInfo: { valid: () => ({}), required: [] },
  listMetrics: { valid: () => ({}), required: [] },
  createMetric: { valid: () => ({ code: 'schools_damaged', label: 'Schools damaged', unit: 'schools' }), required: ['code', 'label'] },
  updateMetric: { valid: (c) => ({ id: c.metricId, patch: { note: 'per day' }, why: 'note' }), required: ['id', 'patch'] },
  listLocations: { valid: () => ({}), required: [] },
  createLocation: { valid: () => ({ name: 'Khan Younis', kind: 'city' }), required: ['name'] },
  updateLocation: { valid: (c) => ({ id: c.locationId, patch: { note: 'south' } }), required: ['id', 'patch'] },
  listSources: { valid: () => ({}), required: [] },
  createSource: { valid: () => ({ name: 'UNRWA', kind: 'un_agency', party_to_conflict: false }), required: ['name'] },
  updateSource: { valid: (c) => ({ id: c.sourceId, patch: { note: 'checked' } }), required: ['id', 'patch'] },
  mergeSources: { valid: (c) => ({ keep_id: c.sourceId, merge_ids: [c.duplicateSourceId] }), required: ['keep_id', 'merge_ids'] },
  listCitations: { valid: () => ({}), required: [] },
  createCitation: { valid: () => ({ title: 'Daily report', url: 'https://example.org/daily' }), required: [] },
  updateCitation: { valid: (c) => ({ id: c.citationId, patch: { language: 'en' } }), required: ['id', 'patch'] },
  mergeCitations: {
    valid: (c) => ({ keep_id: c.citationId, merge_ids: [c.duplicateCitationId] }),
    required: ['keep_id', 'merge_ids'],
  },
  listFigures: { valid: () => ({ metric: ['killed_total'], limit: 10 }), required: [] },
  getFigure: { valid: (c) => ({ id: c.figureId }), required: ['id'] },
  createFigure: {
    valid: (c) => ({ metric_id: c.metricId, source_id: c.sourceId, citation_id: c.citationId, value: 120, as_of: '2024-02-01' }),
    required: ['metric_id', 'source_id', 'citation_id', 'value', 'as_of'],
  },
  createFigures: {
    valid: (c) => ({
      figures: [{ metric_id: c.metricId, source_id: c.sourceId, citation_id: c.citationId, value: 130, as_of: '2024-02-02' }],
    }),
    required: ['figures'],
  },
  updateFigure: { valid: (c) => ({ id: c.figureId, patch: { note: 'edited' }, why: 'test' }), required: ['id', 'patch'] },
  retractFigure: { valid: (c) => ({ id: c.figureId, reason: 'withdrawn' }), required: ['id', 'reason'] },
  revertFigure: { valid: (c) => ({ id: c.figureId, change_id: c.figureChangeId }), required: ['id', 'change_id'] },
  history: { valid: (c) => ({ entity: 'figure', id: c.figureId }), required: ['entity', 'id'] },
  undo: { valid: (c) => ({ change_id: c.undoableChangeId, why: 'test' }), required: ['change_id'] },
  compare: { valid: () => ({ metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-05-19' }), required: ['metric'] },
  series: { valid: () => ({ metric: 'killed_total', from: '2024-01', to: '2024' }), required: ['metric'] },
  listImportBatches: { valid: () => ({}), required: [] },
  importCsv: {
    valid: () => ({
      file: { name: 'one.csv', text: 'metric,value,as_of,source,citation_title\nkilled_total,5,2024-03-01,Src,Doc\n' },
      dry_run: false,
    }),
    required: ['file'],
  },
  exportCsv: { valid: () => ({ filter: { metric: ['killed_total'] }, options: { bom: true, hxl: false }, to: 'text' }), required: ['to'] },
  exportCompareCsv: { valid: () => ({ query: { metric: 'killed_total' }, to: 'text' }), required: ['query', 'to'] },
  backup: { valid: (c) => ({ to: join(c.dir, 'backup-from-api.fwb') }), required: ['to'] },
  listBackups: { valid: () => ({}), required: [] },
  backupNow: { valid: () => ({ keep: 3 }), required: [] },
  restoreBackup: { valid: (c) => ({ name: c.backupName, keep: 5 }), required: ['name'] },
  check: { valid: () => ({}), required: [] },
};

/** A value of another JSON type than `value`. */
function wrongType(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'twelve';
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return 'not-a-list';
  if (value && typeof value === 'object') return 'not-an-object';
  return 0;
}

function malformedInputs(name: ApiCallName, c: Context): Array<[string, unknown]> {
  const valid = CALLS[name].valid(c);
  const cases: Array<[string, unknown]> = [
    ['a number instead of an object', 42],
    ['a string instead of an object', 'figures please'],
    ['an array instead of an object', [valid]],
    ['null', null],
    ['an unknown key', { ...valid, definitely_not_a_field: 1 }],
  ];
  for (const key of CALLS[name].required) {
    const { [key]: _dropped, ...rest } = valid;
    cases.push([`no ${key}`, rest]);
  }
  for (const [key, value] of Object.entries(valid)) {
    cases.push([`${key} of the wrong type`, { ...valid, [key]: wrongType(value) }]);
  }
  return cases;
}

describe('the call table', () => {
  it('has a validation case for every call in API_CALLS, and none for calls that no longer exist', () => {
    expect(Object.keys(CALLS).sort()).toEqual([...API_CALL_NAMES].sort());
  });
});

describe('malformed input', () => {
  let t: TempWorkbook;
  let context: Context;
  beforeAll(async () => {
    t = await tempWorkbook();
    context = await makeContext(t);
  });
  afterAll(() => t.cleanup());

  for (const name of API_CALL_NAMES) {
    it(`${name}: every malformed input is a validation error with problems, and writes nothing`, async () => {
      const before = workbookState(t);
      const files = readdirSync(t.dir).sort();
      const api = t.api as unknown as Record<ApiCallName, (input: unknown) => Promise<unknown>>;
      for (const [label, input] of malformedInputs(name, context)) {
        const error = await rejection(api[name](input)).catch((e: Error) => {
          throw new Error(`${name} with ${label}: ${e.message}`);
        });
        expect(error.code, `${name} with ${label}`).toBe('validation');
        expect(error.problems?.length, `${name} with ${label}: problems listed`).toBeGreaterThan(0);
        for (const problem of error.problems ?? []) expect(problem.reason).not.toBe('');
      }
      expect(workbookState(t)).toEqual(before);
      expect(readdirSync(t.dir).sort()).toEqual(files); // no backup, export or errors file either
    });
  }

  it('names the unknown key in the problem', async () => {
    const error = await rejection(t.api.createSource({ name: 'X', colour: 'red' } as never));
    expect(error.code).toBe('validation');
    expect(error.message).toMatch(/colour/);
  });

  it('names the field and the reason when a nested field is malformed', async () => {
    const error = await rejection(t.api.updateFigure({ id: context.figureId, patch: { value: 'many' } } as never));
    expect(error.problems).toEqual([{ field: 'patch.value', reason: 'expected a number' }]);
  });

  it('createFigures refuses an unknown key inside a figure of the list, writing nothing', async () => {
    const before = workbookState(t);
    const valid = CALLS.createFigure.valid(context);
    const error = await rejection(t.api.createFigures({ figures: [valid, { ...valid, claimant: 'IDF' }] }));
    expect(error.code).toBe('validation');
    expect(error.problems).toHaveLength(1);
    expect(error.problems![0]!.row).toBe(2);
    expect(error.problems![0]!.reason).toMatch(/claimant/);
    expect(workbookState(t)).toEqual(before);
  });

  it('createFigures checks each figure in the list and names its position as the row', async () => {
    const before = workbookState(t);
    const error = await rejection(t.api.createFigures({ figures: [{ value: 'x' }] }));
    expect(error.code).toBe('validation');
    expect(error.problems!.every((p) => p.row === 1)).toBe(true);
    expect(error.problems!.map((p) => p.field)).toEqual(expect.arrayContaining(['metric_id', 'source_id', 'citation_id', 'value']));
    expect(workbookState(t)).toEqual(before);
  });

  it('keeps the code and the problems across a transport boundary (wrap → unwrap)', async () => {
    const envelope = await wrap(() => t.api.createSource({ name: '' }));
    expect(envelope.ok).toBe(false);
    const carried = JSON.parse(JSON.stringify(envelope)) as typeof envelope;
    const error = await rejection(Promise.resolve().then(() => unwrap(carried)));
    expect(error.code).toBe('validation');
    expect(error.problems).toEqual([{ field: 'name', reason: 'required' }]);
  });
});

describe('well-formed input', () => {
  let t: TempWorkbook;
  let context: Context;
  beforeAll(async () => {
    t = await tempWorkbook();
    context = await makeContext(t);
  });
  afterAll(() => t.cleanup());

  // The valid examples above must really be valid, or the malformed cases would prove nothing.
  it('every call accepts its example input', async () => {
    const api = t.api as unknown as WorkbenchApi & Record<ApiCallName, (input: unknown) => Promise<unknown>>;
    for (const name of API_CALL_NAMES) {
      const result = await api[name](CALLS[name].valid(context)).catch((e: Error & { code?: string }) => {
        throw new Error(`${name} refused its example input: ${e.code} ${e.message}`);
      });
      expect(result, name).toBeDefined();
    }
    expect((await t.api.check({})).ok).toBe(true);
  });

  it('fills defaults for calls without input', async () => {
    const info = await (t.api.getWorkbookInfo as (input?: unknown) => ReturnType<WorkbenchApi['getWorkbookInfo']>)();
    expect(info.path).toBe(t.path);
    expect(info.schema_version).toBe(1);
  });
});
