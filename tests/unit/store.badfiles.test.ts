// A workbook file that is truncated, corrupted in its header or its pages, locked by another process, read-only, or
// on a full disk: a clear WorkbenchError (corrupt / io), no crash, the file not made worse — and, for a damaged
// file, the latest sound backup is there to offer (latestBackup).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../src/core/session';
import { backupNow, latestBackup } from '../../src/core/store/backups';
import { Workbook } from '../../src/core/store/workbook';
import type { WorkbenchError } from '../../src/shared/errors';
import { PROJECT, rejection, seedBasics, sha256File, tempDir } from '../support/tempWorkbook';

const SEED = Number(process.env.FUZZ_SEED ?? 20_241_119);
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A closed workbook with figures and one backup of itself, in a fresh folder (or in `dir`). */
async function closedWorkbook(dir?: string): Promise<{ dir: string; path: string; backup: string; figureId: string }> {
  if (!dir) {
    const made = tempDir();
    cleanups.push(made.cleanup);
    dir = made.dir;
  }
  const path = join(dir, 'w.fwb');
  const { api, workbook } = await openSession(path, { user: 'test' });
  const basics = await seedBasics(api);
  let figureId = '';
  for (let i = 0; i < 30; i += 1) {
    const figure = await api.createFigure({
      metric_id: basics.metric('killed_total'),
      source_id: basics.sourceA.id,
      citation_id: basics.citation.id,
      value: 1000 + i,
      as_of: `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      excerpt: `excerpt ${i} `.repeat(20),
    });
    figureId = figure.value.id;
  }
  const { backup } = await backupNow(workbook);
  workbook.close();
  return { dir, path, backup: backup.name, figureId };
}

function overwrite(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens as the app does; a refusal must be corrupt or io, name the file, and leave its bytes and its folder alone
 * (SQLite may leave an empty -wal and a -shm, its index, where it could not clean up: harmless, and allowed).
 */
async function expectRefusedUntouched(path: string, codes: string[] = ['corrupt']): Promise<WorkbenchError> {
  const bytes = sha256File(path);
  const dir = join(path, '..');
  const listing = () =>
    readdirSync(dir)
      .filter((f) => !f.endsWith('-shm') && !(f.endsWith('-wal') && statSync(join(dir, f)).size === 0))
      .sort();
  const folder = listing();
  const error = await rejection(Workbook.open(path, { user: 'test', create: false }));
  expect(codes, error.message).toContain(error.code);
  expect(error.message).toContain(path);
  expect(sha256File(path)).toBe(bytes);
  expect(listing()).toEqual(folder);
  return error;
}

describe('a damaged workbook file', () => {
  it('truncated anywhere (even by one byte, which SQLite itself would open): refused as corrupt with its path, never worse; the backup is offered', async () => {
    const { path, backup } = await closedWorkbook();
    const original = readFileSync(path);
    expect(original.length % 4096).toBe(0);
    const points = [0, 50, 100, 511, 512, 1000, 4096, 4097, 8192, original.length / 2, original.length - 4096, original.length - 1];
    for (const size of points) {
      writeFileSync(path, original.subarray(0, size));
      if (size === 0) continue; // an empty file is a new workbook, not a damaged one
      const error = await expectRefusedUntouched(path);
      expect(error.message, `cut at ${size}`).toMatch(/not an SQLite file|damaged/);
      expect(latestBackup(path)?.name, `cut at ${size}`).toBe(backup);
    }
  });

  it('a broken magic string or page size in the header: corrupt ("not an SQLite file" / damaged), bytes unchanged', async () => {
    const { path } = await closedWorkbook();
    const original = readFileSync(path);
    overwrite(path, 0, Buffer.from('SQLite format 4\0'));
    expect((await expectRefusedUntouched(path)).message).toMatch(/not an SQLite file/);
    writeFileSync(path, original);
    overwrite(path, 16, Buffer.from([0x12, 0x34])); // page size 4660: not a power of two
    expect((await expectRefusedUntouched(path)).message).toMatch(/damaged|not a workbook/);
  });

  it(`any byte of the 100-byte header changed: refused with a typed error and untouched, or opens and passes integrity_check (${Math.ceil(RUNS / 5)} cases)`, async () => {
    const { path } = await closedWorkbook();
    const original = readFileSync(path);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 255 }), async (offset, byte) => {
        if (original[offset] === byte) return;
        writeFileSync(path, original);
        overwrite(path, offset, Buffer.from([byte]));
        const bytes = sha256File(path);
        try {
          const workbook = await Workbook.open(path, { user: 'test', create: false });
          expect(workbook.db.pragma('integrity_check', { simple: true })).toBe('ok');
          workbook.close();
        } catch (error) {
          const e = error as WorkbenchError;
          expect(['corrupt', 'io', 'newer_version'], `header byte ${offset} = ${byte}: ${e.code} ${e.message}`).toContain(e.code);
          expect(sha256File(path), `header byte ${offset} = ${byte}`).toBe(bytes);
        }
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 5), endOnFailure: true },
    );
  });

  it(`a page overwritten with garbage: refused as corrupt and untouched, or still sound (${Math.ceil(RUNS / 5)} cases)`, async () => {
    const { path } = await closedWorkbook();
    const original = readFileSync(path);
    const pages = original.length / 4096;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: pages }), fc.uint8Array({ minLength: 16, maxLength: 4096 }), fc.nat(4095), async (page, garbage, at) => {
        writeFileSync(path, original);
        overwrite(path, (page - 1) * 4096 + Math.min(at, 4096 - garbage.length), Buffer.from(garbage));
        const bytes = sha256File(path);
        try {
          const { api, workbook } = await openSession(path, { user: 'test', create: false });
          // quick_check passed (or a large file is checked in the background): reading and checking it may still meet
          // damage; the answer is then a typed error or a report, never a crash or an 'internal' error
          const reads = [() => api.check({}), () => api.listFigures({ limit: 1000 }), () => api.compare({ metric: 'killed_total' }), () => api.listSources({})];
          const failures = (
            await Promise.all(
              reads.map((read) =>
                read().then(
                  () => null,
                  (e: WorkbenchError) => e,
                ),
              ),
            )
          ).filter((e) => e !== null);
          workbook.close();
          for (const e of failures) expect(['corrupt', 'io'], `page ${page} opened, then: ${e.code} ${e.message}`).toContain(e.code);
          return;
        } catch (error) {
          refused += 1;
          const e = error as WorkbenchError;
          expect(['corrupt', 'io'], `page ${page}: ${e.code} ${e.message}`).toContain(e.code);
          expect(sha256File(path)).toBe(bytes);
        }
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 5), endOnFailure: true },
    );
    expect(refused).toBeGreaterThan(0);
  });
  it('damaged text inside a change_log entry (quick_check cannot see it): check reports it, history says corrupt, nothing throws a bug', async () => {
    const { path, figureId } = await closedWorkbook();
    // an update logs the fields it changed, before and after: the excerpt's old words are in the log
    const edit = await openSession(path, { user: 'test', create: false });
    await edit.api.updateFigure({ id: figureId, patch: { excerpt: 'excerpt 29, revised' } });
    edit.workbook.close();
    const bytes = readFileSync(path);
    const at = bytes.lastIndexOf(Buffer.from('"excerpt":["excerpt 29 '));
    expect(at).toBeGreaterThan(0);
    overwrite(path, at + 9, Buffer.from([0x01])); // the JSON's own quote becomes a control character
    const { api, workbook } = await openSession(path, { user: 'test', create: false });
    cleanups.push(() => workbook.close());
    const report = await api.check({});
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({
      entity: 'figure',
      id: figureId,
      severity: 'error',
      reason: expect.stringMatching(/change_log entry #\d+ is unreadable/),
    });
    const error = await rejection(api.history({ entity: 'figure', id: figureId }));
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/latest backup/);
  });
});

describe('a workbook another process holds', () => {
  const sqlite3 = spawnSync('sqlite3', ['-version']).status === 0;

  it('locked exclusively by another process (sqlite3 CLI): "locked by another program" (io) after the wait, bytes unchanged', async (ctx) => {
    if (!sqlite3) return ctx.skip('the sqlite3 CLI is not installed');
    const { path } = await closedWorkbook();
    const holder = spawn('sqlite3', [path], { stdio: ['pipe', 'pipe', 'inherit'] });
    cleanups.push(() => holder.kill('SIGKILL'));
    holder.stdin.write("PRAGMA locking_mode=EXCLUSIVE;\nBEGIN EXCLUSIVE;\nSELECT 'holding';\n");
    await new Promise<void>((resolve) => holder.stdout.on('data', (d: Buffer) => d.toString().includes('holding') && resolve()));
    const error = await expectRefusedUntouched(path, ['io']);
    expect(error.message).toMatch(/locked by another program/);
  }, 30_000);

  it("in the middle of another process's write: opens, and an edit is refused as locked (io) without a partial write", async (ctx) => {
    if (!sqlite3) return ctx.skip('the sqlite3 CLI is not installed');
    const { path, figureId } = await closedWorkbook();
    const holder = spawn('sqlite3', [path], { stdio: ['pipe', 'pipe', 'inherit'] });
    cleanups.push(() => holder.kill('SIGKILL'));
    holder.stdin.write("BEGIN IMMEDIATE;\nSELECT 'holding';\n");
    await new Promise<void>((resolve) => holder.stdout.on('data', (d: Buffer) => d.toString().includes('holding') && resolve()));
    const { api, workbook } = await openSession(path, { user: 'test', create: false });
    cleanups.push(() => workbook.close());
    workbook.db.pragma('busy_timeout = 300'); // the app waits 5 s; the test need not
    const before = (await api.getFigure({ id: figureId })).value;
    const error = await rejection(api.updateFigure({ id: figureId, patch: { value: 1 } }));
    expect(error.code).toBe('io');
    expect(error.message).toMatch(/locked by another program/);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.on('close', resolve));
    expect((await api.getFigure({ id: figureId })).value).toBe(before);
    expect((await api.check({})).ok).toBe(true);
  }, 30_000);
});

// ---- read-only and full: staged for real where this machine allows it, with the reason printed where it does not ----

function canMount(): boolean {
  const probe = tempDir('fw-mount-probe-');
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe.dir]).status === 0;
  if (ok) spawnSync('umount', [probe.dir]);
  probe.cleanup();
  return ok;
}

/** A tmpfs of `size` at a fresh folder; umounted by cleanup. */
function tmpfs(size: string): string {
  const { dir, cleanup } = tempDir('fw-tmpfs-');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  if (mounted.status !== 0) throw new Error(`mount failed: ${mounted.stderr}`);
  cleanups.push(() => {
    spawnSync('umount', ['-l', dir]);
    cleanup();
  });
  return dir;
}

describe('a read-only workbook', () => {
  let mount = false;
  beforeAll(() => {
    mount = canMount();
  });

  it('on a read-only file system (a tmpfs remounted ro): "read-only" (io), nothing written, no -wal or -shm', async (ctx) => {
    if (!mount) return ctx.skip('cannot mount a tmpfs here (needs CAP_SYS_ADMIN); the file-permission case below still runs');
    const dir = tmpfs('4m');
    const { path } = await closedWorkbook(dir);
    expect(spawnSync('mount', ['-o', 'remount,ro', dir]).status).toBe(0);
    const error = await expectRefusedUntouched(path, ['io']);
    expect(error.message).toMatch(/read-only/);
    expect(readdirSync(dir).filter((f) => f.endsWith('-wal') || f.endsWith('-shm'))).toEqual([]);
  });

  it('a file its user may not write (chmod 444 in a folder it may not write): "read-only" (io), nothing written', async () => {
    const { dir, path } = await closedWorkbook();
    chmodSync(path, 0o444);
    chmodSync(dir, 0o555);
    cleanups.push(() => chmodSync(dir, 0o755));
    const before = sha256File(path);
    // root may write anything: then the open is made by a child process running as "nobody"
    const asOther = process.getuid?.() === 0;
    if (asOther) chmodSync(join(dir, '..'), statSync(join(dir, '..')).mode | 0o005);
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT, 'tests/support/children/openWorkbook.ts'), path], {
      cwd: PROJECT,
      encoding: 'utf8',
      ...(asOther ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: '/tmp' } } : {}),
    });
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { opened: boolean; code?: string; message?: string; name?: string };
    expect(result).toMatchObject({ opened: false, name: 'WorkbenchError', code: 'io' });
    expect(result.message).toMatch(/read-only/);
    expect(sha256File(path)).toBe(before);
    expect(readdirSync(dir)).toEqual(['w.fwb', 'w.fwb.backups']);
  });
});

describe('a full disk', () => {
  let mount = false;
  beforeAll(() => {
    mount = canMount();
  });
  afterAll(() => undefined);

  it('an import and an edit that do not fit: "the disk is full" (io), the workbook intact and usable once there is room', async () => {
    let path: string;
    let fill = () => {};
    let free = () => {};
    if (mount) {
      const dir = tmpfs('4m');
      ({ path } = await closedWorkbook(dir));
      fill = () => {
        for (let i = 0; ; i += 1) {
          try {
            writeFileSync(join(dir, `more-${i}`), Buffer.alloc(16 * 1024));
          } catch {
            break;
          }
        }
      };
      free = () => {
        for (const f of readdirSync(dir)) if (f.startsWith('more-')) rmSync(join(dir, f));
      };
      // opening needs room for the -shm beside the file: on a full disk, a plain refusal that says so
      fill();
      const error = await expectRefusedUntouched(path, ['io']);
      expect(error.message).toMatch(/disk is full/);
      free();
    } else {
      console.log('full disk: cannot mount a tmpfs here; simulated with PRAGMA max_page_count (SQLITE_FULL)');
      ({ path } = await closedWorkbook());
    }
    const { api, workbook } = await openSession(path, { user: 'test', create: false });
    cleanups.push(() => workbook.close());
    fill();
    if (!mount) {
      const pages = workbook.db.pragma('page_count', { simple: true }) as number;
      workbook.db.pragma(`max_page_count = ${pages + 2}`);
      free = () => workbook.db.pragma('max_page_count = 1073741823');
    }
    const figureCount = () => workbook.db.prepare('SELECT count(*) FROM figure').pluck().get() as number;
    const figuresBefore = figureCount();
    const entitiesBefore = [(await api.listSources({})).length, (await api.listCitations({})).length];
    const changesBefore = workbook.db.prepare('SELECT count(*) FROM change_log').pluck().get();

    // every row names a new claimant and document, so the disk fills while sources and citations are being made
    const rows = Array.from(
      { length: 3000 },
      (_, i) => `killed_total,${i},2024-03-01,Claimant ${i} ${'s'.repeat(200)},Report ${i} ${'r'.repeat(300)},${'words '.repeat(30)}`,
    );
    const csv = `metric,value,as_of,source,citation_title,excerpt\n${rows.join('\n')}\n`;
    const imported = await rejection(api.importCsv({ file: { name: 'big.csv', text: csv } }));
    expect(imported.code).toBe('io');
    expect(imported.message).toMatch(/disk is full/);

    const metrics = await api.listMetrics({});
    const sources = await api.listSources({});
    const citations = await api.listCitations({});
    const one = (n: number) => ({
      metric_id: metrics[0]!.id,
      source_id: sources[0]!.id,
      citation_id: citations[0]!.id,
      value: n,
      as_of: '2024-03-02',
      excerpt: 'x'.repeat(3000),
    });
    const edits = await rejection(api.createFigures({ figures: Array.from({ length: 200 }, (_, i) => one(i)) }));
    expect(edits.code).toBe('io');

    // nothing half-written: the same figures, sources, citations and change log, sound
    expect(figureCount()).toBe(figuresBefore);
    expect([(await api.listSources({})).length, (await api.listCitations({})).length]).toEqual(entitiesBefore);
    expect(workbook.db.prepare('SELECT count(*) FROM change_log').pluck().get()).toBe(changesBefore);
    expect(workbook.db.pragma('integrity_check', { simple: true })).toBe('ok');

    // a backup that does not fit leaves no partial file and no file under a backup's name
    if (mount) {
      const backupsBefore = readdirSync(`${path}.backups`).sort();
      const failed = await rejection(api.backupNow({}));
      expect(failed.code).toBe('io');
      expect(readdirSync(`${path}.backups`).sort()).toEqual(backupsBefore);
    }

    free();
    await api.createFigure(one(7));
    expect(figureCount()).toBe(figuresBefore + 1);
    expect((await api.check({})).ok).toBe(true);
    workbook.close();
    const reopened = await Workbook.open(path, { user: 'test', create: false });
    expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
    reopened.close();
    expect(existsSync(path)).toBe(true);
  }, 60_000);
});
