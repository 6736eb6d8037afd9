// The crash scenarios: a real child process does real work on a real workbook file and is killed with SIGKILL at a
// seeded random moment; then the file is checked the way a user would meet it — hashed before anything opens it,
// opened through the app, integrity_check'ed, and compared with what was promised.
//
//   import    the CLI imports an N-row CSV in one transaction: afterwards the import is wholly present or wholly
//             absent (figures, their change_log rows, the import_batch row), and when absent the .fwb file's bytes
//             are the bytes it had before.
//   edits     single figure edits through WorkbenchApi: every edit acknowledged before the kill is present, with its
//             change_log entry.
//   migration a pending migration (backup first, then one transaction): the file is at the old version with its
//             bytes unchanged, or at the new one wholly migrated; every backup file present is complete.
//   backup    backups on demand in a loop: the workbook's bytes never change, every file under a backup's name is
//             a complete, sound backup; the acknowledged ones are there.
//   restore   restores in a loop: the workbook is always exactly one of the two states, never a mix.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSession } from '../../src/core/session';
import { parseBackupName } from '../../src/core/store/backupNames';
import { backupNow, listBackups, verifyBackup } from '../../src/core/store/backups';
import { checkWorkbook } from '../../src/core/store/check';
import { entityHistory } from '../../src/core/store/history';
import { latestVersion, loadMigrations } from '../../src/core/store/migrations';
import { Workbook } from '../../src/core/store/workbook';
import { CLI, childScript, count, loss, newSummary, removeWorkbook, rng, runAndKill, sha256File, type Summary } from './harness';

export interface ScenarioOptions {
  rounds: number;
  seed: number;
  /** a fresh directory for this scenario's files */
  dir: string;
  log?: (line: string) => void;
}

// ---------------------------------------------------------------------------------------------------------------
// fixtures

/** A deterministic long-format CSV of `rows` figures (quoted excerpts with commas and quotes, several claimants). */
export function writeImportCsv(path: string, rows: number, seed: number): void {
  const random = rng(seed);
  const lines = ['id,metric,value,as_of,source,citation_title,url,location,excerpt'];
  const metrics = ['killed_total', 'killed_civilian', 'injured', 'aid_trucks'];
  const chunks: string[] = [];
  for (let i = 0; i < rows; i += 1) {
    const day = new Date(Date.UTC(2023, 9, 7) + (i % 700) * 86_400_000).toISOString().slice(0, 10);
    const value = 1 + Math.floor(random() * 50_000);
    const source = i % 11 === 0 ? 'Source Alpha' : `Crash source ${i % 13}`;
    const report = i % 97;
    lines.push(
      `,${metrics[i % metrics.length]},${value},${day},${source},Crash report ${report},https://example.org/crash/${report},` +
        `${i % 5 === 0 ? 'Rafah' : 'Gaza Strip'},"row ${i + 2}: ""about ${value.toLocaleString('en-US')}"", it said"`,
    );
    if (lines.length === 10_000) chunks.push(lines.splice(0).join('\r\n'));
  }
  chunks.push(lines.join('\r\n'));
  writeFileSync(path, `${chunks.filter(Boolean).join('\r\n')}\r\n`);
}

interface Pristine {
  path: string;
  sha256: string;
  context: { metric: string; source: string; citation: string; figures: string[] };
  figures: number;
  changeLog: number;
  batches: string[];
  fingerprint: string;
}

/** A closed workbook (no -wal) with a few figures and one earlier import, plus the CSV at `importCsv` when given. */
export async function makePristine(path: string, importCsv?: string): Promise<Pristine> {
  const { api, workbook } = await openSession(path, { user: 'crash-setup' });
  const metrics = await api.listMetrics({});
  const metric = metrics.find((m) => m.code === 'killed_total')!.id;
  const source = (await api.createSource({ name: 'Source Alpha', kind: 'ngo' })).value.id;
  const citation = (await api.createCitation({ title: 'Baseline report', url: 'https://example.org/baseline' })).value.id;
  const figures: string[] = [];
  for (let i = 0; i < 5; i += 1) {
    figures.push(
      (await api.createFigure({ metric_id: metric, source_id: source, citation_id: citation, value: 100 + i, as_of: `2024-01-0${i + 1}` })).value.id,
    );
  }
  const small = 'metric,value,as_of,source,citation_title\r\nkilled_total,7,2024-02-01,Source Alpha,Earlier import\r\n';
  await api.importCsv({ file: { name: 'earlier.csv', text: small } });
  if (importCsv) await api.importCsv({ file: { path: importCsv } });
  workbook.close(); // checkpoints and removes the -wal: one file, its bytes the reference
  const db = new Database(path, { readonly: true });
  const result: Pristine = {
    path,
    sha256: '',
    context: { metric, source, citation, figures },
    figures: db.prepare('SELECT count(*) FROM figure').pluck().get() as number,
    changeLog: db.prepare('SELECT count(*) FROM change_log').pluck().get() as number,
    batches: db.prepare('SELECT id FROM import_batch ORDER BY id').pluck().all() as string[],
    fingerprint: fingerprint(db),
  };
  db.close();
  result.sha256 = sha256File(path);
  return result;
}

/** The content of a workbook in one line: enough to tell two states apart, and any mix of them from both. */
export function fingerprint(db: Database.Database, schema = 'main'): string {
  const one = (sql: string) => JSON.stringify(db.prepare(sql.replaceAll('@s', schema)).raw().get());
  return [
    one('SELECT count(*), total(value), max(id), min(id) FROM @s.figure'),
    one('SELECT count(*), max(id), max(txn) FROM @s.change_log'),
    one('SELECT count(*), max(id) FROM @s.source'),
    one('SELECT count(*), max(id) FROM @s.citation'),
    one('SELECT count(*) FROM @s.import_batch'),
  ].join(' ');
}

function integrity(db: Database.Database): string {
  return (db.pragma('integrity_check') as Array<{ integrity_check: string }>)
    .map((r) => r.integrity_check)
    .slice(0, 5)
    .join('; ');
}

/** Opens a workbook the way the app does (quick_check, pragmas, migrations); null and a reason when it will not. */
async function openAsApp(path: string, migrations = loadMigrations()): Promise<{ workbook: Workbook } | { error: string }> {
  try {
    // quick_check at open even for a large file (the app checks those in the background): a damaged file is a loss
    return { workbook: await Workbook.open(path, { user: 'crash-verify', create: false, migrations, checkAtOpenMaxBytes: Number.MAX_SAFE_INTEGER }) };
  } catch (error) {
    return { error: `${(error as { code?: string }).code ?? ''} ${(error as Error).message}` };
  }
}

const uniform = (random: () => number, max: number) => random() * max;

// ---------------------------------------------------------------------------------------------------------------
// import

export async function crashImport(options: ScenarioOptions & { rows: number }): Promise<Summary> {
  const summary = newSummary(`import (${options.rows.toLocaleString('en-US')} rows, CLI)`);
  const started = performance.now();
  const csv = join(options.dir, `import-${options.rows}.csv`);
  writeImportCsv(csv, options.rows, options.seed);
  const pristine = await makePristine(join(options.dir, 'pristine.fwb'));
  const pristineFigures = (() => {
    const db = new Database(pristine.path, { readonly: true });
    const rows = db.prepare('SELECT * FROM figure ORDER BY id').all();
    db.close();
    return JSON.stringify(rows);
  })();
  const random = rng(options.seed);
  let duration = Infinity;
  // round 0 runs to the end and times the import (checked like the others, not counted as a round); rounds 1…N are
  // killed at a uniform moment within the shortest whole import seen so far — before the commit, during it, or
  // during the checkpoint and close after it — counted from when the CLI opened the workbook (its -wal appears)
  for (let round = 0; round <= options.rounds; round += 1) {
    const path = join(options.dir, `round-${round}.fwb`);
    copyFileSync(pristine.path, path);
    const killAfter = round === 0 ? Infinity : uniform(random, duration * 0.98);
    const outcome = await runAndKill({
      command: process.execPath,
      args: [CLI, 'import', path, csv],
      startWhen: { file: `${path}-wal` },
      killAfter,
      timeout: round === 0 ? 1_800_000 : Math.max(120_000, duration * 5),
    });
    if (!outcome.killed && outcome.code !== 0) {
      throw new Error(`round ${round}: the import failed by itself (exit ${outcome.code}): ${outcome.stderr.slice(0, 2000)}`);
    }
    if (!outcome.killed) duration = Math.min(duration, outcome.at);
    if (round === 0) count(summary, 'uninterrupted timing run (checked too, not counted)');
    else {
      summary.rounds += 1;
      if (outcome.killed) summary.kills += 1;
      else summary.finished += 1;
    }

    const bytesUnchanged = sha256File(path) === pristine.sha256; // before anything opens it
    const opened = await openAsApp(path);
    if ('error' in opened) {
      loss(summary, round, `the workbook does not open after a kill at ${outcome.at.toFixed(0)} ms: ${opened.error}`);
      continue;
    }
    const db = opened.workbook.db;
    try {
      const check = integrity(db);
      if (check !== 'ok') loss(summary, round, `integrity_check: ${check}`);
      const q = (sql: string, ...params: unknown[]) =>
        db
          .prepare(sql)
          .pluck()
          .get(...params) as number;
      const newBatches = (db.prepare('SELECT id FROM import_batch ORDER BY id').pluck().all() as string[]).filter((id) => !pristine.batches.includes(id));
      const figures = q('SELECT count(*) FROM figure');
      const stray = q(
        `SELECT count(*) FROM figure WHERE import_batch_id IS NOT NULL AND import_batch_id NOT IN (${pristine.batches.map(() => '?').join(',')})`,
        ...pristine.batches,
      );
      const kept = JSON.stringify(
        db
          .prepare(
            `SELECT * FROM figure WHERE id IN (SELECT id FROM figure WHERE import_batch_id IS NULL OR import_batch_id IN (${pristine.batches.map(() => '?').join(',')})) ORDER BY id`,
          )
          .all(...pristine.batches),
      );
      if (kept !== pristineFigures) loss(summary, round, 'the figures that were there before the import changed');
      const at = `(killed at ${outcome.at.toFixed(0)} ms of ~${duration.toFixed(0)})`;
      if (newBatches.length === 0) {
        if (round > 0) count(summary, 'absent');
        if (figures !== pristine.figures || stray !== 0) loss(summary, round, `no import_batch row, but ${figures - pristine.figures} new figures ${at}`);
        if (q('SELECT count(*) FROM change_log') !== pristine.changeLog) loss(summary, round, `import absent, but change_log has new rows ${at}`);
        if (!bytesUnchanged) loss(summary, round, `import absent, but the .fwb bytes differ from before the import ${at}`);
      } else if (newBatches.length === 1) {
        if (round > 0) count(summary, 'present');
        const batch = newBatches[0]!;
        const inBatch = q('SELECT count(*) FROM figure WHERE import_batch_id = ?', batch);
        // one entry logs every figure the import inserted (its entity_id is the batch)
        const logged = q("SELECT count(*) FROM change_log WHERE entity_id = ? AND import_batch_id = ? AND entity = 'figure' AND op = 'import'", batch, batch);
        const row = db.prepare('SELECT rows, created FROM import_batch WHERE id = ?').get(batch) as { rows: number; created: number };
        if (inBatch !== options.rows || figures !== pristine.figures + options.rows || stray !== inBatch) {
          loss(summary, round, `half an import: ${inBatch} of ${options.rows} figures in the batch, ${figures - pristine.figures} new ${at}`);
        }
        if (logged !== 1) loss(summary, round, `${logged} change_log import entries for one import of ${options.rows} figures ${at}`);
        if (row.rows !== options.rows || row.created !== options.rows) loss(summary, round, `import_batch says ${row.rows} rows, ${row.created} created ${at}`);
      } else {
        loss(summary, round, `${newBatches.length} new import batches from one import`);
      }
      options.log?.(
        `  import round ${round}: ${outcome.killed ? `killed at ${outcome.at.toFixed(0)} ms` : `finished in ${outcome.at.toFixed(0)} ms`} → ${newBatches.length ? 'present' : 'absent'}${bytesUnchanged ? ', .fwb bytes unchanged' : ''}`,
      );
    } finally {
      opened.workbook.close();
      removeWorkbook(path);
    }
  }
  summary.counts['ms per import'] = Math.round(duration);
  summary.ms = performance.now() - started;
  return summary;
}

// ---------------------------------------------------------------------------------------------------------------
// edits

export async function crashEdits(options: ScenarioOptions & { maxKillMs: number }): Promise<Summary> {
  const summary = newSummary('edits (WorkbenchApi, single figure edits)');
  const started = performance.now();
  const pristine = await makePristine(join(options.dir, 'pristine.fwb'));
  const contextPath = join(options.dir, 'context.json');
  writeFileSync(contextPath, JSON.stringify(pristine.context));
  const random = rng(options.seed);
  for (let round = 0; round < options.rounds; round += 1) {
    const path = join(options.dir, `round-${round}.fwb`);
    copyFileSync(pristine.path, path);
    const { command, args } = childScript('edits.ts', path, contextPath, String(options.seed * 1000 + round));
    const outcome = await runAndKill({ command, args, startWhen: { line: 'ready' }, killAfter: uniform(random, options.maxKillMs), timeout: 60_000 });
    summary.rounds += 1;
    if (outcome.killed) summary.kills += 1;
    else {
      summary.finished += 1;
      loss(summary, round, `the edit stream stopped by itself (exit ${outcome.code}): ${outcome.stderr.slice(0, 500)}`);
    }
    const acks = outcome.lines.filter((l) => l.startsWith('ack ')).map((l) => l.split(' '));
    count(summary, 'acknowledged edits', acks.length);

    const opened = await openAsApp(path);
    if ('error' in opened) {
      loss(summary, round, `the workbook does not open: ${opened.error}`);
      continue;
    }
    const db = opened.workbook.db;
    try {
      const check = integrity(db);
      if (check !== 'ok') loss(summary, round, `integrity_check: ${check}`);
      const figure = db.prepare('SELECT value FROM figure WHERE id = ?').pluck();
      let missing = 0;
      for (const [, kind, nText, ...rest] of acks) {
        const n = Number(nText);
        const expect = (id: string, txn: string, op: string, value: number) => {
          // the figure's state after the change, rebuilt from the head through the log
          const entry = figure.get(id) === undefined ? undefined : entityHistory(db, 'figure', id).find((e) => e.txn === txn);
          if (!entry || entry.op !== op || entry.after?.value !== value) {
            missing += 1;
            loss(summary, round, `acknowledged ${op} of figure ${id} (value ${value}, txn ${txn}) is missing or not in change_log`);
          }
        };
        if (kind === 'update') expect(rest[0]!, rest[1]!, 'update', n);
        else if (kind === 'create') expect(rest[0]!, rest[1]!, 'insert', n);
        else if (kind === 'batch') rest[1]!.split(',').forEach((id, i) => expect(id, rest[0]!, 'insert', n + i));
      }
      // every figure is what its latest change_log entry says (nothing half-written around the log)
      const report = checkWorkbook(db);
      for (const p of report.problems.filter((p) => p.severity === 'error')) loss(summary, round, `check: ${p.entity} ${p.id}: ${p.reason}`);
      // a committed edit the child had no time to acknowledge is fine (at most one: the one in flight)
      const lastAck = acks.length ? Number(acks.at(-1)![2]) : 0;
      const unacknowledged = (db.prepare("SELECT why FROM change_log WHERE why LIKE 'crash %'").pluck().all() as string[])
        .map((why) => Number(why.split(' ').at(-1)))
        .filter((n) => n > lastAck);
      if (new Set(unacknowledged).size > 1) loss(summary, round, `${new Set(unacknowledged).size} committed edits after the last acknowledged one`);
      count(summary, 'committed in flight (not yet acknowledged)', new Set(unacknowledged).size);
      options.log?.(`  edits round ${round}: killed at ${outcome.at.toFixed(0)} ms after ${acks.length} acknowledged edits, ${missing} missing`);
    } finally {
      opened.workbook.close();
      removeWorkbook(path);
    }
  }
  summary.ms = performance.now() - started;
  return summary;
}

// ---------------------------------------------------------------------------------------------------------------
// migration

/** A migration with real work: 5 rows per figure into a new table, and an index over them. */
export const PROBE_MIGRATION = `
CREATE TABLE crash_probe (id INTEGER PRIMARY KEY, figure_id TEXT NOT NULL REFERENCES figure (id), words TEXT NOT NULL);
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 5)
INSERT INTO crash_probe (figure_id, words) SELECT f.id, printf('%s-%d-%s', f.id, k.n, hex(randomblob(24))) FROM figure f, k;
CREATE INDEX crash_probe_words ON crash_probe (words);
`;

function checkBackupsFolder(summary: Summary, round: number, workbookPath: string, expected: string): { backups: number; partial: number } {
  const dir = `${workbookPath}.backups`;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return { backups: 0, partial: 0 };
  }
  const listed = listBackups(workbookPath);
  for (const backup of listed) {
    const verified = verifyBackup(backup.path);
    if (!verified.ok) {
      loss(summary, round, `a file under a backup's name is not a complete backup: ${backup.name}: ${verified.reason}`);
      continue;
    }
    const db = new Database(backup.path, { readonly: true });
    const print = fingerprint(db);
    db.close();
    if (print !== expected) loss(summary, round, `backup ${backup.name} does not hold the workbook as it was`);
  }
  const partial = names.filter((n) => n.includes('.partial-')).length;
  const stray = names.filter((n) => !n.includes('.partial-') && !listed.some((b) => b.name === n));
  if (stray.length) loss(summary, round, `unexpected files in the backups folder: ${stray.join(', ')}`);
  return { backups: listed.length, partial };
}

export async function crashMigration(options: ScenarioOptions & { rows: number }): Promise<Summary> {
  const summary = newSummary(`migration (backup, then one transaction; ${options.rows.toLocaleString('en-US')}-row workbook)`);
  const started = performance.now();
  const csv = join(options.dir, `setup-${options.rows}.csv`);
  writeImportCsv(csv, options.rows, options.seed);
  const pristine = await makePristine(join(options.dir, 'pristine.fwb'), csv);
  const sqlPath = join(options.dir, 'migration.sql');
  writeFileSync(sqlPath, PROBE_MIGRATION);
  const real = loadMigrations();
  const before = latestVersion(real); // the version the pristine file is at; the probe migration is the next one
  const withProbe = [...real, { version: before + 1, name: 'crash_probe.sql', sql: PROBE_MIGRATION }];
  const random = rng(options.seed);
  let duration = Infinity;
  // as for the import: round 0 times a whole backup + migration, rounds 1…N are killed within the shortest seen
  for (let round = 0; round <= options.rounds; round += 1) {
    const path = join(options.dir, `round-${round}.fwb`);
    removeWorkbook(path);
    copyFileSync(pristine.path, path);
    const { command, args } = childScript('migrate.ts', path, sqlPath);
    const outcome = await runAndKill({
      command,
      args,
      startWhen: { line: 'start' },
      killAfter: round === 0 ? Infinity : uniform(random, duration * 0.98),
      timeout: 120_000,
    });
    if (!outcome.killed && outcome.code !== 0) throw new Error(`the migration failed by itself (exit ${outcome.code}): ${outcome.stderr}`);
    if (!outcome.killed) duration = Math.min(duration, outcome.at);
    if (round === 0) count(summary, 'uninterrupted timing run (checked too, not counted)');
    else {
      summary.rounds += 1;
      if (outcome.killed) summary.kills += 1;
      else summary.finished += 1;
    }

    const bytesUnchanged = sha256File(path) === pristine.sha256;
    const folder = checkBackupsFolder(summary, round, path, pristine.fingerprint);
    count(summary, 'partial backup copies left (not named as backups)', folder.partial);
    // the file as SQLite finds it, before the app (which would migrate again) touches it
    const raw = new Database(path);
    const version = raw.pragma('user_version', { simple: true }) as number;
    const check = integrity(raw);
    const probe = raw.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'crash_probe'").pluck().get() as number;
    const probeRows = probe ? (raw.prepare('SELECT count(*) FROM crash_probe').pluck().get() as number) : 0;
    const original = fingerprint(raw);
    raw.close();
    if (check !== 'ok') loss(summary, round, `integrity_check: ${check}`);
    if (original !== pristine.fingerprint) loss(summary, round, 'the data that was there before the migration changed');
    if (version === before) {
      if (round > 0) count(summary, 'still at the old version');
      if (probe) loss(summary, round, "the old version but the migration's table is there: half a migration");
      if (!bytesUnchanged) loss(summary, round, 'the old version but the .fwb bytes differ from the original');
    } else if (version === before + 1) {
      if (round > 0) count(summary, 'migrated');
      if (probeRows !== pristine.figures * 5) loss(summary, round, `migrated with ${probeRows} of ${pristine.figures * 5} rows`);
    } else {
      loss(summary, round, `user_version ${version}`);
    }
    // and the app opens it (migrating it now if the kill came first)
    const opened = await openAsApp(path, withProbe);
    if ('error' in opened) loss(summary, round, `the workbook does not open: ${opened.error}`);
    else {
      const db = opened.workbook.db;
      const rows = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'crash_probe'").pluck().get()
        ? (db.prepare('SELECT count(*) FROM crash_probe').pluck().get() as number)
        : -1;
      if (rows !== pristine.figures * 5) {
        loss(
          summary,
          round,
          `opened again (schema ${opened.workbook.schemaVersion}), the migration is not complete (${rows < 0 ? 'no crash_probe table' : `${rows} rows`})`,
        );
      }
      opened.workbook.close();
    }
    options.log?.(
      `  migration round ${round}: ${outcome.killed ? `killed at ${outcome.at.toFixed(0)} ms` : `finished in ${outcome.at.toFixed(0)} ms`} → version ${version}, ${folder.backups} backups, ${folder.partial} partial copies`,
    );
    removeWorkbook(path);
  }
  summary.counts['ms per backup+migration'] = Math.round(duration);
  summary.ms = performance.now() - started;
  return summary;
}

// ---------------------------------------------------------------------------------------------------------------
// backup

export async function crashBackup(options: ScenarioOptions & { rows: number }): Promise<Summary> {
  const summary = newSummary(`backup on demand (loop, keep 2; ${options.rows.toLocaleString('en-US')}-row workbook)`);
  const started = performance.now();
  const csv = join(options.dir, `setup-${options.rows}.csv`);
  writeImportCsv(csv, options.rows, options.seed);
  const pristine = await makePristine(join(options.dir, 'pristine.fwb'), csv);
  const perBackup = await timeOneBackup(pristine.path, options.dir);
  const random = rng(options.seed);
  const keep = 2;
  for (let round = 0; round < options.rounds; round += 1) {
    const path = join(options.dir, `round-${round}.fwb`);
    removeWorkbook(path);
    copyFileSync(pristine.path, path);
    const { command, args } = childScript('backup.ts', path, String(keep));
    const outcome = await runAndKill({ command, args, startWhen: { line: 'start' }, killAfter: uniform(random, perBackup * 4), timeout: 120_000 });
    summary.rounds += 1;
    if (outcome.killed) summary.kills += 1;
    else {
      summary.finished += 1;
      loss(summary, round, `the backup loop stopped by itself (exit ${outcome.code}): ${outcome.stderr.slice(0, 500)}`);
    }
    const acked = outcome.lines.filter((l) => l.startsWith('ack ')).map((l) => l.slice(4));
    count(summary, 'backups acknowledged', acked.length);
    if (sha256File(path) !== pristine.sha256) loss(summary, round, "backing up changed the workbook file's bytes");
    const folder = checkBackupsFolder(summary, round, path, pristine.fingerprint);
    count(summary, 'partial copies left (not named as backups)', folder.partial);
    // an acknowledged backup is there, or rotation (keep 2) removed it for `keep` newer complete ones (one of them
    // perhaps made just before the kill, not yet acknowledged)
    const present = listBackups(path);
    for (const name of acked) {
      if (present.some((b) => b.name === name)) continue;
      const newer = present.filter((b) => b.at > parseBackupName(name)!.at).length;
      if (newer < keep) loss(summary, round, `acknowledged backup ${name} is gone, with only ${newer} newer backups kept`);
    }
    const opened = await openAsApp(path);
    if ('error' in opened) loss(summary, round, `the workbook does not open: ${opened.error}`);
    else {
      if (fingerprint(opened.workbook.db) !== pristine.fingerprint) loss(summary, round, 'the workbook changed');
      // the next backup clears what the killed one left
      await backupNow(opened.workbook, { keep });
      const left = readdirSync(`${path}.backups`).filter((n) => n.includes('.partial-'));
      if (left.length) loss(summary, round, `the next backup left the killed one's temporary copies: ${left.join(', ')}`);
      opened.workbook.close();
    }
    options.log?.(
      `  backup round ${round}: killed at ${outcome.at.toFixed(0)} ms after ${acked.length} backups; ${folder.backups} in the folder, ${folder.partial} partial copies`,
    );
    removeWorkbook(path);
  }
  summary.counts['ms per backup'] = Math.round(perBackup);
  summary.ms = performance.now() - started;
  return summary;
}

async function timeOneBackup(pristinePath: string, dir: string): Promise<number> {
  const path = join(dir, 'timing.fwb');
  copyFileSync(pristinePath, path);
  const { api, workbook } = await openSession(path, { user: 'crash-setup', create: false });
  const t0 = performance.now();
  await api.backupNow({});
  const ms = performance.now() - t0;
  workbook.close();
  removeWorkbook(path);
  return ms;
}

// ---------------------------------------------------------------------------------------------------------------
// restore

export async function crashRestore(options: ScenarioOptions & { rows: number }): Promise<Summary> {
  const summary = newSummary(`restore (loop between two states; ${options.rows.toLocaleString('en-US')}-row workbook)`);
  const started = performance.now();
  const csv = join(options.dir, `setup-${options.rows}.csv`);
  writeImportCsv(csv, options.rows, options.seed);
  // state A: the pristine workbook, backed up; state B: after one more import
  const pristine = await makePristine(join(options.dir, 'pristine.fwb'));
  const stateB = join(options.dir, 'state-b.fwb');
  copyFileSync(pristine.path, stateB);
  let first = '';
  let perRestore = 0;
  {
    const { api, workbook } = await openSession(stateB, { user: 'crash-setup', create: false });
    first = (await api.backupNow({})).backup.name;
    await api.importCsv({ file: { path: csv } });
    const t0 = performance.now();
    const { safety } = await api.restoreBackup({ name: first });
    perRestore = performance.now() - t0;
    await api.restoreBackup({ name: safety.name }); // back to B
    workbook.close();
  }
  const printOf = (path: string) => {
    const db = new Database(path, { readonly: true });
    const print = fingerprint(db);
    db.close();
    return print;
  };
  const states = new Map([
    [pristine.fingerprint, 'A'],
    [printOf(stateB), 'B'],
  ]);
  const backupFiles = readdirSync(`${stateB}.backups`);
  const random = rng(options.seed);
  for (let round = 0; round < options.rounds; round += 1) {
    const path = join(options.dir, `round-${round}.fwb`);
    removeWorkbook(path);
    copyFileSync(stateB, path);
    // the backups folder travels with the workbook, renamed for it
    mkdirSync(`${path}.backups`);
    for (const name of backupFiles) {
      copyFileSync(join(`${stateB}.backups`, name), join(`${path}.backups`, name.replace('state-b.fwb', `round-${round}.fwb`)));
    }
    const firstName = first.replace('state-b.fwb', `round-${round}.fwb`);
    const { command, args } = childScript('restore.ts', path, firstName, '3');
    const outcome = await runAndKill({ command, args, startWhen: { line: 'start' }, killAfter: uniform(random, perRestore * 6), timeout: 120_000 });
    summary.rounds += 1;
    if (outcome.killed) summary.kills += 1;
    else {
      summary.finished += 1;
      loss(summary, round, `the restore loop stopped by itself (exit ${outcome.code}): ${outcome.stderr.slice(0, 500)}`);
    }
    const acked = outcome.lines.filter((l) => l.startsWith('ack ')).length;
    count(summary, 'restores acknowledged', acked);
    const opened = await openAsApp(path);
    if ('error' in opened) {
      loss(summary, round, `the workbook does not open: ${opened.error}`);
      continue;
    }
    const check = integrity(opened.workbook.db);
    const state = states.get(fingerprint(opened.workbook.db));
    opened.workbook.close();
    if (check !== 'ok') loss(summary, round, `integrity_check: ${check}`);
    if (!state) loss(summary, round, 'the workbook is neither state A nor state B: a half restore');
    else count(summary, `ended in state ${state}`);
    // every file under a backup's name is one of the two states, whole
    for (const backup of listBackups(path)) {
      const verified = verifyBackup(backup.path);
      if (!verified.ok || !states.has(printOf(backup.path))) loss(summary, round, `backup ${backup.name} is not a whole copy of state A or B`);
    }
    options.log?.(`  restore round ${round}: killed at ${outcome.at.toFixed(0)} ms after ${acked} restores → state ${state ?? '?'}`);
    removeWorkbook(path);
  }
  summary.counts['ms per restore'] = Math.round(perRestore);
  summary.ms = performance.now() - started;
  return summary;
}
