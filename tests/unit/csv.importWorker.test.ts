// An import reads its file on a worker thread while the main thread writes: the same report, problem for problem,
// as reading it on the writing thread; progress and cancel as before; and the built app finds its worker.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ImportOptions, importCsv } from '../../src/core/csv/importCsv';
import { WORKER_MIN_BYTES } from '../../src/core/csv/readInWorker';
import { openSession } from '../../src/core/session';
import type { ImportReport, Progress } from '../../src/shared/api';
import { fixture, PROJECT, rejection, seedBasics, type TempWorkbook, tempDir, tempWorkbook, workbookState } from '../support/tempWorkbook';

let inWorker: TempWorkbook;
let here: TempWorkbook;
beforeEach(async () => {
  inWorker = await tempWorkbook();
  here = await tempWorkbook();
  await seedBasics(inWorker.api);
  await seedBasics(here.api);
});
afterEach(() => {
  inWorker.cleanup();
  here.cleanup();
});

/** What a report says, without what differs between two workbooks by construction (new ids). */
const said = (report: ImportReport) => ({ ...report, batch_id: report.batch_id && 'a batch', txn: report.txn && 'a txn' });

/** The report, or the error, of importing `path` on each side. */
async function both(path: string, options: ImportOptions): Promise<[unknown, unknown]> {
  const run = (t: TempWorkbook, worker: boolean) =>
    importCsv(t.workbook, { path }, { ...options, worker }).then(
      (report) => said(report),
      (error) => ({ code: error.code, message: error.message, place: error.place, problems: error.problems }),
    );
  return [await run(inWorker, true), await run(here, false)];
}

/** The figures as rows state them: no ids, which are new in each workbook. */
const figures = (t: TempWorkbook) =>
  t.db
    .prepare(
      `SELECT m.code AS metric, f.value, f.low, f.high, f.qualifier, f.as_of, s.name AS source, c.title AS citation, f.excerpt, f.note, f.import_row
         FROM figure f JOIN metric m ON m.id = f.metric_id JOIN source s ON s.id = f.source_id JOIN citation c ON c.id = f.citation_id
        ORDER BY f.import_row, m.code`,
    )
    .all();

/** A clean long-format file of `rows` figures, each with an excerpt long enough to make it `rows` × ~230 bytes. */
function bigCsv(dir: string, rows: number): string {
  const path = join(dir, `big-${rows}.csv`);
  const lines = ['metric,value,as_of,source,citation_title,excerpt'];
  for (let i = 0; i < rows; i += 1) {
    lines.push(`killed_total,${i},2024-0${1 + (i % 9)}-1${i % 10},Source ${i % 7},Report ${i % 13},"row ${i}: ${'words of the report, '.repeat(9)}"`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('reading on a worker thread', () => {
  it('gives the same report, problem for problem, as reading on the writing thread, for every fixture, good and bad', async () => {
    const files = [
      ...readdirSync(fixture('import')).map((name) => fixture('import', name)),
      ...readdirSync(fixture('bad')).map((name) => fixture('bad', name)),
    ];
    const latin1 = join(inWorker.dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.from('metric,value,as_of,source,citation_title\nkilled_total,5,2024-01-01,Médecins Sans Frontières,Rapport été\n', 'latin1'));
    const nul = join(inWorker.dir, 'nul.csv');
    writeFileSync(nul, 'metric,value,as_of,source,citation_title\nkilled_total,5,2024-01-01,Source\0Alpha,Report\n');
    for (const path of [...files, latin1, nul]) {
      const [worker, inline] = await both(path, { dryRun: true });
      expect(worker, path).toEqual(inline);
    }
    const [worker] = await both(latin1, {});
    expect(worker).toMatchObject({ code: 'validation', place: { row: 2, column: 'source' } });
  }, 120_000); // a worker started from TypeScript source compiles it first: a second or so, each

  it('writes the same figures, all or nothing and partial, and the change log passes check', async () => {
    for (const [path, options] of [
      [fixture('import', 'long-values.csv'), {}],
      [fixture('import', 'partial.csv'), { mode: 'partial' as const }],
      [fixture('import', 'partial.csv'), {}],
      [fixture('bad', 'ragged.csv'), { mode: 'partial' as const }],
      [fixture('bad', 'truncated.csv'), { mode: 'partial' as const }],
    ] as const) {
      const [worker, inline] = await both(path, options);
      expect(worker, path).toEqual(inline);
    }
    expect(figures(inWorker)).toEqual(figures(here));
    expect(figures(inWorker).length).toBeGreaterThan(8);
    for (const t of [inWorker, here]) expect((await t.api.check({})).ok).toBe(true);
  });

  it('reports progress through the file as it is written, and a cancel midway leaves the workbook as it was', async () => {
    const path = bigCsv(inWorker.dir, 30_000);
    const progress: Progress[] = [];
    const report = await importCsv(inWorker.workbook, { path }, { worker: true, dryRun: true, onProgress: (p) => progress.push({ ...p }) });
    expect(report).toMatchObject({ rows: 30_000, created: 30_000, problems: [] });
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual({ done: progress.at(-1)!.total, total: expect.any(Number), phase: 'import' });

    const before = workbookState(inWorker);
    const controller = new AbortController();
    const error = await rejection(
      importCsv(inWorker.workbook, { path }, { worker: true, signal: controller.signal, onProgress: (p) => p.done > 0 && controller.abort() }),
    );
    expect(error.code).toBe('cancelled');
    expect(error.message).toBe('import cancelled; nothing was written');
    expect(workbookState(inWorker)).toEqual(before);
  });
});

describe('the built app', () => {
  const cli = resolve(PROJECT, 'out/main/cli.js');
  it.skipIf(!existsSync(cli))('imports a file large enough for the worker through the bundled CLI, run from another folder', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = bigCsv(dir, 20_000);
      expect(statSync(path).size).toBeGreaterThanOrEqual(WORKER_MIN_BYTES); // read on the worker by default
      const workbook = join(dir, 'built.fwb');
      const session = await openSession(workbook, { user: 'test' });
      session.workbook.close();
      const out = execFileSync(process.execPath, [cli, 'import', workbook, path], { cwd: dir, encoding: 'utf8' });
      expect(out).toMatch(/20000 rows, 20000 figures: 20000 created/);
      expect(existsSync(resolve(PROJECT, 'out/main/csvWorker.js'))).toBe(true);
      expect(execFileSync(process.execPath, [cli, 'check', workbook], { cwd: dir, encoding: 'utf8' })).toMatch(/ok: 0 errors/);
    } finally {
      cleanup();
    }
  });
});
