// `npm run test:crash`: the full kill tests. Each scenario kills a real child process with SIGKILL at seeded random
// moments and checks the workbook afterwards (see scenarios.ts). Prints every round and a summary; exits 1 when any
// promise was broken (a loss), so CI can run it.
//
//   node --import tsx tests/crash/run.ts [--only import,edits,migration,backup,restore] [--rounds N] [--seed S]
//                                        [--rows N] [--quiet]
// Defaults: import 100 rounds of a 200,000-row import; edits 100 rounds; migration, backup 50; restore 30.
import { parseArgs } from 'node:util';
import { describeSummary, type Summary, workDir } from './harness';
import { crashBackup, crashEdits, crashImport, crashMigration, crashRestore } from './scenarios';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    rounds: { type: 'string' },
    seed: { type: 'string', default: '20241119' },
    rows: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed);
const only = values.only ? new Set(values.only.split(',')) : null;
const rounds = (fallback: number) => (values.rounds ? Number(values.rounds) : fallback);
const log = values.quiet ? undefined : (line: string) => process.stdout.write(`${line}\n`);

const scenarios: Array<[string, (dir: string) => Promise<Summary>]> = [
  ['import', (dir) => crashImport({ dir, seed, rounds: rounds(100), rows: values.rows ? Number(values.rows) : 200_000, log })],
  ['edits', (dir) => crashEdits({ dir, seed: seed + 1, rounds: rounds(100), maxKillMs: 1_500, log })],
  ['migration', (dir) => crashMigration({ dir, seed: seed + 2, rounds: rounds(50), rows: 20_000, log })],
  ['backup', (dir) => crashBackup({ dir, seed: seed + 3, rounds: rounds(50), rows: 20_000, log })],
  ['restore', (dir) => crashRestore({ dir, seed: seed + 4, rounds: rounds(30), rows: 20_000, log })],
];

const started = performance.now();
const summaries: Summary[] = [];
for (const [name, run] of scenarios) {
  if (only && !only.has(name)) continue;
  process.stdout.write(`== ${name} (seed ${seed})\n`);
  const { dir, cleanup } = workDir(`fw-crash-${name}-`);
  try {
    const summary = await run(dir);
    summaries.push(summary);
    process.stdout.write(`${describeSummary(summary)}\n`);
    for (const problem of summary.problems) process.stdout.write(`  LOSS ${problem}\n`);
  } finally {
    cleanup();
  }
}

const total = summaries.reduce((t, s) => ({ rounds: t.rounds + s.rounds, kills: t.kills + s.kills, losses: t.losses + s.losses }), {
  rounds: 0,
  kills: 0,
  losses: 0,
});
process.stdout.write('\n== crash tests\n');
for (const s of summaries) process.stdout.write(`${describeSummary(s)}\n`);
process.stdout.write(
  `total: ${total.rounds} rounds, ${total.kills} kills survived, losses ${total.losses}, ` + `${((performance.now() - started) / 60_000).toFixed(1)} min\n`,
);
process.exitCode = total.losses === 0 ? 0 : 1;
