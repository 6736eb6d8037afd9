// The kill tests in short form (the full runs: `npm run test:crash`). Each kills a real child process with SIGKILL
// at seeded random moments and checks the workbook file afterwards; see tests/crash/scenarios.ts for what each
// scenario promises. A broken promise is a "loss" and fails the test with the round and what was lost.
import { afterAll, describe, expect, it } from 'vitest';
import { describeSummary, type Summary, workDir } from '../crash/harness';
import { crashBackup, crashEdits, crashImport, crashMigration, crashRestore } from '../crash/scenarios';

const SEED = 7_2024;
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

function dir(name: string): string {
  const { dir, cleanup } = workDir(`fw-crash-short-${name}-`);
  cleanups.push(cleanup);
  return dir;
}

function expectNoLoss(summary: Summary): void {
  console.log(describeSummary(summary)); // the counts, in the test log
  expect(summary.problems).toEqual([]);
  expect(summary.losses).toBe(0);
  expect(summary.kills).toBeGreaterThan(0);
}

describe('kill -9 (short form)', () => {
  it('during a 3,000-row CLI import: the import is wholly present or wholly absent, the file opens and passes integrity_check', async () => {
    expectNoLoss(await crashImport({ dir: dir('import'), seed: SEED, rounds: 5, rows: 3_000 }));
  }, 120_000);

  it('during a stream of figure edits through WorkbenchApi: every acknowledged edit is there with its change_log entry', async () => {
    const summary = await crashEdits({ dir: dir('edits'), seed: SEED, rounds: 4, maxKillMs: 800 });
    expectNoLoss(summary);
    expect(summary.counts['acknowledged edits']).toBeGreaterThan(50);
  }, 120_000);

  it('during a migration: the original file is intact (same bytes) or wholly migrated, backups complete, and it opens', async () => {
    expectNoLoss(await crashMigration({ dir: dir('migration'), seed: SEED, rounds: 3, rows: 3_000 }));
  }, 120_000);

  it('during backups: the workbook is untouched, every file named as a backup is complete, and the acknowledged ones are there', async () => {
    expectNoLoss(await crashBackup({ dir: dir('backup'), seed: SEED, rounds: 3, rows: 3_000 }));
  }, 120_000);

  it('during restores: the workbook is exactly one state or the other, never a mix', async () => {
    expectNoLoss(await crashRestore({ dir: dir('restore'), seed: SEED, rounds: 2, rows: 3_000 }));
  }, 120_000);
});
