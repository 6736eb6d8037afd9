// The core in its own process, as the desktop app runs it: src/core/process.ts forked in plain Node (the same entry
// Electron starts as a utilityProcess), driven through the client over messages. Every call is reachable, errors
// keep their code and problems, a long import by path reports progress and cancels with nothing written, and a
// core that dies makes pending calls reject at once, never hang.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API_CALL_NAMES, type ApiCallName, type Progress } from '../../src/shared/api';
import { WorkbenchError } from '../../src/shared/errors';
import { type ForkedCore, forkCore } from '../../src/core/forkCore';
import { makeContext, runExample } from '../support/apiExamples';
import { sha256File, type TempWorkbook, tempDir } from '../support/tempWorkbook';

const ROWS = 200_000;

/** The workbook file's figures and change log, read from the file itself over a connection of the test's own. */
function fileState(path: string): { figures: number; changes: number } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      figures: db.prepare('SELECT count(*) FROM figure').pluck().get() as number,
      changes: db.prepare('SELECT count(*) FROM change_log').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

async function rejection(promise: Promise<unknown>): Promise<WorkbenchError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WorkbenchError);
    return error as WorkbenchError;
  }
  throw new Error('expected the call to reject');
}

describe('the core process', () => {
  const temp = tempDir('fw-core-process-');
  const workbook = join(temp.dir, 'core.fwb');
  const bigCsv = join(temp.dir, 'big.csv');
  const forked: ForkedCore[] = [];
  const start = () => {
    const core = forkCore();
    forked.push(core);
    return core;
  };

  beforeAll(() => {
    const lines = ['metric,value,as_of,source,citation_title'];
    for (let i = 0; i < ROWS; i += 1) lines.push(`injured,${i},2024-01-${String((i % 28) + 1).padStart(2, '0')},Source ${i % 7},Report ${i % 11}`);
    writeFileSync(bigCsv, `${lines.join('\n')}\n`);
  });
  afterEach(() => {
    for (const core of forked.splice(0)) if (core.child.exitCode === null) core.child.kill('SIGKILL');
  });
  afterAll(() => temp.cleanup());

  it('answers no call until a workbook is open, then serves every call in the table', async () => {
    const { client } = start();
    expect((await rejection(client.api.listMetrics({}))).code).toBe('not_found');
    const opened = await client.control('open', { path: workbook, user: 'test' });
    expect(opened).toEqual({ path: workbook, integrity: 'ok' });

    const context = await makeContext({ api: client.api, dir: temp.dir } as unknown as TempWorkbook);
    const api = client.api as unknown as Record<ApiCallName, (input: unknown) => Promise<unknown>>;
    for (const name of API_CALL_NAMES) {
      await expect(runExample(name, api[name], context), name).resolves.toBeDefined();
    }
    await client.control('close', {});
  });

  it('keeps a read, a logged write and a typed validation error across the boundary', async () => {
    const { client } = start();
    await client.control('open', { path: workbook, user: 'test' });
    const metrics = await client.api.listMetrics({});
    expect(metrics.map((m) => m.code)).toContain('killed_civilian');

    const before = fileState(workbook).changes;
    const created = await client.api.createSource({ name: 'Through the core' });
    const history = await client.api.history({ entity: 'source', id: created.value.id });
    expect(history).toMatchObject([{ op: 'insert', txn: created.txn, by: 'test' }]);
    expect(fileState(workbook).changes).toBe(before + 1);

    const error = await rejection(client.api.createFigure({ value: 'lots' } as never));
    expect(error.code).toBe('validation');
    expect(error.problems?.map((p) => p.field)).toEqual(expect.arrayContaining(['metric_id', 'source_id', 'citation_id', 'value']));
    expect(fileState(workbook).changes).toBe(before + 1);

    // a malformed message gets an answer, not a crash
    expect((await rejection(client.control('open', { path: '' }))).code).toBe('validation');
    expect((await rejection(client.control('nonsense' as 'close', {}))).code).toBe('validation');
    await expect(client.api.getWorkbookInfo({})).resolves.toMatchObject({ path: workbook });
    await client.control('close', {});
  });

  it(`imports a ${ROWS.toLocaleString('en')}-row CSV by path with progress, and a cancel leaves the file as it was`, async () => {
    const { client } = start();
    await client.control('open', { path: workbook, user: 'test' });
    const before = fileState(workbook);
    const hash = sha256File(workbook);
    const controller = new AbortController();
    const progress: Progress[] = [];
    const pending = client.api.importCsv(
      { file: { path: bigCsv } },
      {
        signal: controller.signal,
        onProgress: (p) => {
          progress.push(p);
          if (p.done > 0 && p.total && p.done < p.total) controller.abort();
        },
      },
    );
    const error = await rejection(pending);
    expect(error.code).toBe('cancelled');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatchObject({ phase: 'import', total: expect.any(Number) });
    expect(progress.at(-1)!.done).toBeLessThan(progress.at(-1)!.total!);
    await client.control('close', {});
    expect(fileState(workbook)).toEqual(before);
    expect(sha256File(workbook)).toBe(hash);
  });

  it('rejects every pending call when the process is killed, and every later call at once', async () => {
    const { client, child } = start();
    await client.control('open', { path: workbook, user: 'test' });
    const importing = client.api.importCsv({ file: { path: bigCsv }, dry_run: true }, { onProgress: () => undefined });
    const reading = client.api.listFigures({ limit: 5 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill('SIGKILL');
    for (const pending of [importing, reading]) {
      const error = await rejection(pending);
      expect(error.code).toBe('io');
      expect(error.message).toMatch(/core process stopped \(signal SIGKILL\)/);
    }
    const started = Date.now();
    expect((await rejection(client.api.getWorkbookInfo({}))).message).toMatch(/core process stopped/);
    expect((await rejection(client.control('close', {}))).message).toMatch(/core process stopped/);
    expect(Date.now() - started).toBeLessThan(100);
    expect(client.stopped()?.code).toBe('io');
  });
});
