// Point 4: one typed contract; every call validates its input. Malformed input — the wrong type, a missing field, an
// unknown key — is a WorkbenchError with code 'validation' and writes nothing. The table below must name every call
// in API_CALLS, so a new call cannot escape these tests.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CALL_NAMES, type ApiCallName, type WorkbenchApi } from '../../src/shared/api';
import { unwrap, wrap } from '../../src/shared/transport';
import { CALLS, type Context, makeContext, runExample } from '../support/apiExamples';
import { rejection, type TempWorkbook, tempWorkbook, workbookState } from '../support/tempWorkbook';
import { latestVersion, loadMigrations } from '../../src/core/store/migrations';

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
      const result = await runExample(name, api[name], context).catch((e: Error & { code?: string }) => {
        throw new Error(`${name} refused its example input: ${e.code} ${e.message}`);
      });
      expect(result, name).toBeDefined();
    }
    expect((await t.api.check({})).ok).toBe(true);
  });

  it('fills defaults for calls without input', async () => {
    const info = await (t.api.getWorkbookInfo as (input?: unknown) => ReturnType<WorkbenchApi['getWorkbookInfo']>)();
    expect(info.path).toBe(t.path);
    expect(info.schema_version).toBe(t.workbook.schemaVersion);
    expect(info.schema_version).toBe(latestVersion(loadMigrations()));
  });
});
