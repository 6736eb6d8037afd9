// A transaction bigger than one part (a large import) goes to the server in parts and comes back whole: pushed with
// parts of a few entries across several statements, pulled a row at a time, the other workbook ends with the very
// same figures and log; a server that holds a transaction already keeps its copy, however another push cuts it.
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { type ChangesetPart, type PartCursor, readChangesetParts, readChangesets } from '../../src/core/sync/changesets';
import { postgresSkipReason } from '../support/postgres';
import { exportText, useTeam } from '../support/team';

const skip = postgresSkipReason();

async function serverRows(url: string): Promise<Array<{ txn: string; part: number; last: boolean; n: number }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT txn, part, last, json_array_length(entries) AS n FROM workbench.changeset ORDER BY seq')).rows;
  } finally {
    await client.end();
  }
}

const CSV = [
  'metric,value,as_of,source,citation_title,location',
  ...Array.from({ length: 7 }, (_, i) => `killed_civilian,${100 + i},2024-01-0${i + 1},Source Parts,Report parts,Rafah`),
  '',
].join('\n');

describe.skipIf(skip !== null)('a transaction pushed in parts (a real PostgreSQL)', () => {
  const fixture = useTeam('fw-sync-parts-');

  it('reads an import in parts that resume where the last stopped, the same entries as read whole', async () => {
    const alice = await fixture.analyst('alice', 'read-alice.fwb');
    const imported = await alice.api.importCsv({ file: { name: 'parts.csv', text: CSV } });
    expect(imported.created).toBe(7);
    const first = (await alice.api.listFigures({ limit: 100 })).rows[0]!;
    await alice.api.updateFigure({ id: first.id, patch: { note: 'edited after the import' } });
    const whole = [...readChangesets(alice.workbook.db)];
    // read a part at a time, each by a fresh reader resuming where the one before stopped
    const pieces: ChangesetPart[] = [];
    let after = 0;
    let resume: PartCursor | null = null;
    for (;;) {
      const reader = readChangesetParts(alice.workbook.db, { after, maxEntries: 3, resume });
      const next = reader.next();
      reader.return(undefined);
      if (next.done) break;
      pieces.push(next.value);
      resume = next.value.next;
      if (next.value.last) after = next.value.position;
    }
    const joined = whole.map((c) => ({ ...c, entries: pieces.filter((p) => p.txn === c.txn).flatMap((p) => p.entries) }));
    expect(joined).toEqual(whole);
    const importTxn = whole.find((c) => c.entries.some((e) => e.imported))!;
    const parts = pieces.filter((p) => p.txn === importTxn.txn);
    expect(parts.map((p) => [p.part, p.last])).toEqual(parts.map((_, i) => [i, i === parts.length - 1]));
    expect(parts.length).toBeGreaterThan(2);
    // the edited figure as the import left it, not as it is now
    expect(importTxn.entries.find((e) => e.id === first.id)!.after).toMatchObject({ note: null });
  });

  it('pushes an import in parts and pulls it back whole into another workbook', async () => {
    const url = await fixture.team().database('parts');
    const alice = await fixture.analyst('alice');
    const bob = await fixture.analyst('bob');
    await alice.api.importCsv({ file: { name: 'parts.csv', text: CSV } });
    const first = (await alice.api.listFigures({ limit: 100 })).rows[0]!;
    await alice.api.updateFigure({ id: first.id, patch: { value: 99 }, why: 'revised' });
    const pushed = await alice.sync(url('alice'), { partEntries: 3, page: 2 });
    // (the warnings kept in step after a write are transactions of their own: read the log once it is synced)
    const txns = new Set(alice.workbook.db.prepare('SELECT txn FROM change_log').pluck().all() as string[]);
    expect(pushed.pushed).toBe(txns.size);
    const rows = await serverRows(url('alice'));
    expect(
      rows
        .filter((r) => r.last)
        .map((r) => r.txn)
        .sort(),
    ).toEqual([...txns].sort());
    expect(Math.max(...rows.map((r) => r.n))).toBeLessThanOrEqual(3);
    expect(Math.max(...rows.map((r) => r.part))).toBeGreaterThan(1);

    const pulled = await bob.sync(url('bob'), { page: 1 });
    expect(pulled.pulled).toBe(txns.size);
    expect(await exportText(bob.api)).toBe(await exportText(alice.api));
    // alice's import and edit, each whole, in bob's log (her setup found his metrics there, changing nothing)
    const inBob = (txn: string) => bob.workbook.db.prepare('SELECT count(*) FROM change_log WHERE txn = ?').pluck().get(txn);
    const inAlice = (txn: string) => alice.workbook.db.prepare('SELECT count(*) FROM change_log WHERE txn = ?').pluck().get(txn);
    const ofFigures = alice.workbook.db.prepare("SELECT DISTINCT txn FROM change_log WHERE entity = 'figure'").pluck().all() as string[];
    expect(ofFigures).toHaveLength(2);
    for (const txn of ofFigures) expect(inBob(txn), txn).toBe(inAlice(txn));
    expect((await bob.api.listFigures({ limit: 100 })).rows.find((f) => f.id === first.id)).toMatchObject({ value: 99 });
    const again = await bob.sync(url('bob'), { page: 1 });
    expect(again).toMatchObject({ pushed: 0, pulled: 0, changes: 0 });
  });

  it('keeps the copy the server holds of a transaction another push cuts differently', async () => {
    const url = await fixture.team().database('parts_held');
    const carol = await fixture.analyst('carol');
    await carol.api.importCsv({ file: { name: 'parts.csv', text: CSV } });
    await carol.sync(url('carol'), { partEntries: 3 });
    const held = await serverRows(url('carol'));
    // as a workbook that has these transactions from elsewhere (a merge) and has not pulled them would push them
    const db = new Database(carol.path);
    db.exec('DELETE FROM sync_txn; UPDATE sync_server SET pushed_through = 0');
    db.close();
    const again = await carol.sync(url('carol'), { partEntries: 2, page: 1 });
    expect(again.pushed).toBe(0);
    expect(await serverRows(url('carol'))).toEqual(held);
  });
});
