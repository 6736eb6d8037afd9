// WorkbenchApi under fuzzing (fast-check, seeded): every call in API_CALLS gets generated input — anything at all,
// and valid examples broken on purpose (a key dropped, an unknown key, a value swapped for another type deep inside,
// NaN, huge strings, lone surrogates, prototype-pollution keys). The oracle is the contract itself:
//   - input the call's schema refuses → a WorkbenchError 'validation' listing problems, and no write at all;
//   - input the schema accepts may still be refused by the domain (not_found, conflict, validation …): then a typed
//     error, never 'internal', and again no write;
//   - nothing ever pollutes Object.prototype.
// "No write" is strict: the .fwb bytes after folding the -wal in, and every file in the workbook's folder.
//
// FUZZ_RUNS=5000 npx vitest run tests/unit/fuzz.api.test.ts   runs more inputs (default 500: 20 per call, at least).
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CALL_NAMES, API_CALLS, type ApiCallName } from '../../src/shared/api';
import { WorkbenchError } from '../../src/shared/errors';
import { CALLS, type Context, makeContext } from '../support/apiExamples';
import { sha256File, type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const SEED = Number(process.env.FUZZ_SEED ?? 20_241_119);
const PER_CALL = Math.max(20, Math.ceil(RUNS / API_CALL_NAMES.length));

let t: TempWorkbook;
let context: Context;
let cwd: string;
const tally = { inputs: 0, refusedBySchema: 0, refusedByDomain: 0, accepted: 0 };
beforeAll(async () => {
  t = await tempWorkbook();
  context = await makeContext(t);
  // Generated strings become file names (exportCsv to, backup to …): they must land in the temp folder, nowhere else.
  cwd = process.cwd();
  process.chdir(t.dir);
});
afterAll(() => {
  process.chdir(cwd);
  console.log(
    `fuzz.api: ${tally.inputs} inputs over ${API_CALL_NAMES.length} calls (${tally.refusedBySchema} refused by the schema, ` +
      `${tally.refusedByDomain} by the domain, ${tally.accepted} accepted), seed ${SEED}`,
  );
  t.cleanup();
});

/** Every generated string as a plain file name: no directory separators, so no path can leave the temp folder. */
function confine(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(/[\\/]/g, '_');
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => confine(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const out: Record<string, unknown> = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'string')
      Object.defineProperty(out, key, {
        value: confine((value as Record<string, unknown>)[key], depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return out;
}

const nasty = fc.constantFrom<unknown>(
  NaN,
  Infinity,
  -Infinity,
  -0,
  -1,
  1.5,
  2 ** 53 + 2,
  1e308,
  '',
  ' ',
  '\0',
  '\u0000x',
  '\uD800',
  'x'.repeat(70_000),
  '9'.repeat(400),
  '2024-02-30',
  '../../etc/passwd',
  'SELECT 1; DROP TABLE figure; --',
  "' OR 1=1 --",
  '=HYPERLINK("x")',
  [],
  {},
  [[]],
  true,
  null,
  undefined,
  { toString: 'nope' },
  new Date(0),
  BigInt(1),
  Symbol('s'),
  () => 1,
  new Uint8Array(3),
  new Map([[1, 2]]),
  new Set([1]),
);

/** a value for anywhere: anything fast-check makes, or one of the classics */
const anyValue = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.anything({
      maxDepth: 3,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withNullPrototype: true,
      withSparseArray: true,
      withBoxedValues: true,
      withObjectString: true,
    }),
  },
  { weight: 2, arbitrary: nasty },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);

/** The paths to every value inside a plain input. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys = Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string, unknown>)[k], [...prefix, k]))];
}

const isContainer = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object';

/** (an earlier edit may have replaced or removed a container on the path: then it is made again, as an object) */
function setAt(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  if (!isContainer(value)) value = {};
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...(value as Record<string, unknown>) };
  copy[path[0]!] = setAt(copy[path[0]!], path.slice(1), replacement);
  return copy;
}

function removeAt(value: unknown, path: string[]): unknown {
  if (path.length === 0) return undefined;
  if (!isContainer(value)) return value;
  if (path.length === 1) {
    if (Array.isArray(value)) return value.filter((_, i) => String(i) !== path[0]);
    const { [path[0]!]: _dropped, ...rest } = value as Record<string, unknown>;
    return rest;
  }
  return setAt(value, [path[0]!], removeAt(value[path[0]!], path.slice(1)));
}

/** Inputs for one call: anything, or its valid example broken in one to three places. */
function inputsFor(name: ApiCallName): fc.Arbitrary<unknown> {
  const valid = CALLS[name].valid(context);
  const where = paths(valid);
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), at: fc.constantFrom(...where), value: anyValue }),
    fc.record({ kind: fc.constant('remove' as const), at: fc.constantFrom(...where.filter((p) => p.length > 0).concat([[]])) }),
    fc.record({
      kind: fc.constant('add' as const),
      at: fc.constantFrom(...where),
      key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'id', 'why')),
      value: anyValue,
    }),
  );
  const broken = fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    let input: unknown = valid;
    for (const e of edits) {
      if (e.kind === 'replace') input = setAt(input, e.at, e.value);
      else if (e.kind === 'remove') input = removeAt(input, e.at);
      else {
        const target = e.at.reduce<unknown>((v, k) => (v as Record<string, unknown> | null)?.[k], input);
        if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
          // defineProperty, so "__proto__" becomes an own key as JSON.parse would make it, not a prototype change
          const extended = { ...(target as Record<string, unknown>) };
          Object.defineProperty(extended, e.key, { value: e.value, enumerable: true, writable: true, configurable: true });
          input = setAt(input, e.at, extended);
        }
      }
    }
    return input;
  });
  const pollution = fc.constant(JSON.parse(`{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}`));
  return fc.oneof({ weight: 5, arbitrary: broken }, { weight: 2, arbitrary: anyValue }, { weight: 1, arbitrary: pollution }).map((input) => confine(input));
}

/** The workbook and everything beside it, as bytes: what "no write" is checked against. */
function snapshot(): Record<string, string | number> {
  const [checkpoint] = t.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
  if (checkpoint?.busy) throw new Error('wal_checkpoint was blocked');
  const files: Record<string, string | number> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(t.dir, path)] = entry.name.endsWith('-shm') ? 0 : entry.name.endsWith('-wal') ? statSync(path).size : sha256File(path);
    }
  };
  walk(t.dir);
  return files;
}

function describeInput(input: unknown): string {
  try {
    return fc.stringify(input).slice(0, 400);
  } catch {
    return String(input).slice(0, 400);
  }
}

async function callChecked(name: ApiCallName, input: unknown): Promise<void> {
  tally.inputs += 1;
  const schemaAccepts = API_CALLS[name].input.safeParse(input).success;
  const before = snapshot();
  const api = t.api as unknown as Record<ApiCallName, (input: unknown) => Promise<unknown>>;
  let error: unknown = null;
  try {
    await api[name](input);
  } catch (e) {
    error = e;
  }
  const what = `${name}(${describeInput(input)})`;
  expect(({} as Record<string, unknown>).polluted, `${what}: Object.prototype polluted`).toBeUndefined();
  if (error === null) {
    expect(schemaAccepts, `${what}: accepted input its schema refuses`).toBe(true);
    tally.accepted += 1;
    return;
  }
  expect(error, `${what}: threw ${String(error)}`).toBeInstanceOf(WorkbenchError);
  const e = error as WorkbenchError;
  expect(e.code, `${what}: ${e.message}`).not.toBe('internal');
  if (!schemaAccepts) {
    tally.refusedBySchema += 1;
    expect(e.code, `${what}: ${e.message}`).toBe('validation');
    expect(e.problems?.length, `${what}: problems listed`).toBeGreaterThan(0);
    for (const problem of e.problems ?? []) expect(problem.reason.trim(), what).not.toBe('');
  } else {
    tally.refusedByDomain += 1;
  }
  expect(snapshot(), `${what}: refused (${e.code} ${e.message}) but something was written`).toEqual(before);
}

describe('WorkbenchApi fuzzing', () => {
  it('has a generator for every call in API_CALLS', () => {
    expect(Object.keys(CALLS).sort()).toEqual([...API_CALL_NAMES].sort());
  });

  for (const name of API_CALL_NAMES) {
    it(`${name}: generated malformed input is a typed validation error and writes nothing (${PER_CALL} inputs)`, async () => {
      await fc.assert(
        fc.asyncProperty(inputsFor(name), (input) => callChecked(name, input)),
        {
          seed: SEED + API_CALL_NAMES.indexOf(name),
          numRuns: PER_CALL,
          endOnFailure: true,
        },
      );
    }, 120_000);
  }
});

describe('what fuzzing found', () => {
  it('backup to a file name longer than the file system allows: an io error naming the cause, no stray file', async () => {
    const before = snapshot();
    const error = await t.api.backup({ to: 'x'.repeat(300) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkbenchError);
    expect((error as WorkbenchError).code).toBe('io');
    expect((error as WorkbenchError).message).toMatch(/^backup to x+ failed: /);
    expect(snapshot()).toEqual(before);
  });
});
