// Crash-test child: a stream of figure edits through WorkbenchApi on a real workbook, until it is killed. After each
// call the API has returned (the write committed), one acknowledgement line is written synchronously to stdout:
//   ack update <n> <figure id> <txn>      (value = n)
//   ack create <n> <figure id> <txn>      (value = n)
//   ack batch <n> <txn> <id>,<id>,<id>    (createFigures, values n, n+1, n+2)
// Usage: node --import tsx edits.ts WORKBOOK CONTEXT.json SEED
import { readFileSync, writeSync } from 'node:fs';
import { openSession } from '../../../src/core/session';
import { rng } from '../harness';

const [path, contextPath, seedText] = process.argv.slice(2) as [string, string, string];
const context = JSON.parse(readFileSync(contextPath, 'utf8')) as { metric: string; source: string; citation: string; figures: string[] };
const random = rng(Number(seedText));
const say = (line: string) => writeSync(1, `${line}\n`); // synchronous: once written, the parent will read it

const { api } = await openSession(path, { user: 'crash-edits', create: false });
const figures = [...context.figures];
const base = (n: number) => ({
  metric_id: context.metric,
  source_id: context.source,
  citation_id: context.citation,
  value: n,
  as_of: `2024-${String(1 + (n % 12)).padStart(2, '0')}-01`,
  note: `crash edit ${n}`,
});
say('ready');
for (let n = 1; ; n += 3) {
  const pick = random();
  if (pick < 0.75) {
    const id = figures[Math.floor(random() * figures.length)]!;
    const { txn } = await api.updateFigure({ id, patch: { value: n, note: `crash edit ${n}` }, why: `crash edit ${n}` });
    say(`ack update ${n} ${id} ${txn}`);
  } else if (pick < 0.95) {
    const { value, txn } = await api.createFigure(base(n));
    figures.push(value.id);
    say(`ack create ${n} ${value.id} ${txn}`);
  } else {
    const { value, txn } = await api.createFigures({ figures: [base(n), base(n + 1), base(n + 2)], why: `crash batch ${n}` });
    figures.push(...value.map((f) => f.id));
    say(`ack batch ${n} ${txn} ${value.map((f) => f.id).join(',')}`);
  }
}
