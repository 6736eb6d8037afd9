// The sync rows of the benchmark (issue 19 §4): a workbook's initial push to a team server on this machine, beside
// PostgreSQL's own COPY of the very rows it stored, and an incremental sync of 1,000 edits, pushed by one workbook
// and pulled by another that holds the state before them. The server is a throwaway one started here, as the sync
// tests start theirs (tests/support/postgres.ts); the workbooks are copies, so the other phases' files are left as
// they were.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSession, type Session } from '../src/core/session';
import { connectServer, readServerUrl } from '../src/core/sync/server/connection';
import { initServerSchema } from '../src/core/sync/server/schema';
import { syncWithServer } from '../src/core/sync/serverSync';
import { findPostgresBin, startPostgres } from '../tests/support/postgres';
import { type Sample, type Stats, stats, timeCall, timeCommand } from './measure';

export interface SyncBenchRow {
  measure: string;
  ours: Stats;
  baseline: Stats | null;
  baselineName: string;
  target: string;
  met: boolean | null;
  note?: string;
}

export interface SyncBenchOptions {
  /** the imported workbook (left as it is: the bench works on copies) */
  workbook: string;
  count: number;
  out: string;
  /** the workbench CLI (bin/workbench.js) */
  bin: string;
  /** rounds of 1,000 edits */
  rounds: number;
  log: (text: string) => void;
}

const EDITS = 1_000;

export async function benchSync(options: SyncBenchOptions): Promise<SyncBenchRow[]> {
  const { count, out, log } = options;
  const found = findPostgresBin();
  if ('missing' in found) {
    log(`  skipping the sync rows: ${found.missing}`);
    return [];
  }
  const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
  const rows: SyncBenchRow[] = [];
  const server = await startPostgres();
  const pushing = join(out, `bench-${count}-sync-a.fwb`);
  const pulling = join(out, `bench-${count}-sync-b.fwb`);
  const copyFile = join(server.socketDir, 'changeset.copy');
  try {
    const admin = await connectServer(readServerUrl(server.adminUrl));
    try {
      await initServerSchema(admin);
    } finally {
      await admin.end();
    }
    // The superuser logs in over trust: no password to find, nothing but the sync timed.
    const url = server.adminUrl;
    copyWorkbook(options.workbook, pushing);

    // (a) the initial push: the bundled CLI, as an analyst runs it, in a process of its own for its peak RSS
    const push = timeCommand(process.execPath, [options.bin, 'sync', pushing, '--server', url, '--json'], {
      stdoutTo: join(out, 'sync-push.json'),
    });
    const psql = (sql: string) => [
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      server.socketDir,
      '-p',
      String(server.port),
      '-U',
      'fw_admin',
      '-d',
      'workbench',
      '-c',
      sql,
    ];
    const stored = execFileSync('psql', [...psql('SELECT count(*), sum(octet_length(entries::text)) FROM workbench.changeset'), '-At'], { encoding: 'utf8' })
      .trim()
      .split('|')
      .map(Number);
    const columns = 'txn, at, by, why, import_batch_id, part, last, entries';
    execFileSync('psql', psql(`\\copy (SELECT ${columns} FROM workbench.changeset ORDER BY seq) TO '${copyFile}'`));
    execFileSync(
      'psql',
      psql('CREATE TABLE public.copied (txn text, at text, by text, why text, import_batch_id text, part int, last bool, entries json, UNIQUE (txn, part))'),
    );
    const copy = timeCommand('psql', psql(`\\copy public.copied (${columns}) FROM '${copyFile}'`));
    rows.push({
      measure: `initial push of ${fmt(count)} figures to a PostgreSQL server on the same machine (workbench sync, one server transaction)`,
      ours: stats([push]),
      baseline: stats([copy]),
      baselineName: 'psql \\copy of the same rows into a table',
      target: '(reported: issue 19 §4)',
      met: null,
      note:
        `The push stored ${fmt(stored[0] ?? 0)} changeset rows holding ${fmt((stored[1] ?? 0) / 2 ** 20)} MiB of entries JSON; the baseline copies those very rows ` +
        '(as COPY TO wrote them) from a client process into a table of the same columns, unique by (txn, part), in one transaction. Both are whole processes (the sync includes its start-up and reading the workbook).',
    });

    // (b) 1,000 edits through the API, then one sync pushes them; a copy holding the state before them pulls them
    const a = await openSession(pushing, { user: 'bench', create: false, backgroundCheck: false });
    let b: Session | null = null;
    try {
      const ids = a.workbook.db.prepare('SELECT id FROM figure ORDER BY random() LIMIT ?').pluck().all(EDITS) as string[];
      const pushes: Sample[] = [];
      const pulls: Sample[] = [];
      const editing: number[] = [];
      const server_ = readServerUrl(url);
      let pulledChanges = 0;
      for (let round = 0; round < options.rounds; round += 1) {
        b?.workbook.close();
        copyWorkbook(pushing, pulling);
        b = await openSession(pulling, { user: 'bench-b', create: false, backgroundCheck: false });
        editing.push(
          await timeCall(async () => {
            for (const [i, id] of ids.entries()) await a.api.updateFigure({ id, patch: { note: `bench sync round ${round} edit ${i}` } });
          }),
        );
        // The edits' warnings upkeep runs on the lock once the burst of edits is over; an analyst's sync comes long
        // after it. Done here, so the sync is what is timed.
        a.workbook.findPendingWarnings();
        let pushed = 0;
        pushes.push({ ms: await timeCall(async () => (pushed = (await syncWithServer(a.workbook, server_)).pushed)), rssMiB: null });
        const bWorkbook = b.workbook;
        let pulled = 0;
        pulls.push({
          ms: await timeCall(async () => {
            const report = await syncWithServer(bWorkbook, server_);
            pulled = report.pulled;
            pulledChanges = report.changes;
          }),
          rssMiB: null,
        });
        if (pushed !== EDITS || pulled !== EDITS) throw new Error(`sync round ${round + 1}: pushed ${pushed}, pulled ${pulled}, not ${EDITS} each`);
        log(
          `  sync round ${round + 1}: ${fmt(EDITS)} edits ${fmt(editing.at(-1)!)} ms, pushed by one sync in ${fmt(pushes.at(-1)!.ms)} ms, pulled by the other workbook in ${fmt(pulls.at(-1)!.ms)} ms`,
        );
      }
      const pushStats = stats(pushes);
      rows.push({
        measure: `incremental sync of ${fmt(EDITS)} figure edits (${fmt(EDITS)} transactions) in a workbook of ${fmt(count)} figures: one sync pushes them`,
        ours: pushStats,
        baseline: null,
        baselineName: '–',
        target: '< 1 s',
        met: pushStats.median < 1000,
        note: `Each round makes ${fmt(EDITS)} edits through the API (median ${fmt(stats(editing.map((ms) => ({ ms, rssMiB: null }))).median)} ms, not timed here), then (after the edits' warnings upkeep, which runs once a burst of edits is over) times syncWithServer in this process: it pulls (nothing new) and pushes the ${fmt(EDITS)} transactions in one server transaction.`,
      });
      const pullStats = stats(pulls);
      rows.push({
        measure: `the pull side: another workbook of ${fmt(count)} figures holding the state before the edits syncs and applies the ${fmt(EDITS)} transactions`,
        ours: pullStats,
        baseline: null,
        baselineName: '–',
        target: '< 1 s',
        met: pullStats.median < 1000,
        note: `Each round the second workbook is a fresh copy of the first as it was before the edits; its sync applied ${fmt(pulledChanges)} changes through the one write path, each transaction keeping its id, analyst, time and reason.`,
      });
    } finally {
      b?.workbook.close();
      a.workbook.close();
    }
  } finally {
    await server.stop();
    for (const path of [pushing, pulling]) removeWorkbook(path);
  }
  return rows;
}

function copyWorkbook(from: string, to: string): void {
  removeWorkbook(to);
  // a plain copy is a consistent workbook only when nothing is left in its -wal (open elsewhere, but idle)
  const db = new Database(from);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  copyFileSync(from, to);
}

function removeWorkbook(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  rmSync(`${path}.backups`, { recursive: true, force: true });
}
