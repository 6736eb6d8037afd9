// Three analysts' workbooks, edited offline, synced through a real PostgreSQL server in different orders: they end
// with the same figures, byte for byte in the export; the same figure edited on two sides is one conflict with both
// versions; a sync repeated changes nothing; a viewer's push is refused by the server.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { readSyncStates } from '../../src/core/sync/serverSync';
import { postgresSkipReason } from '../support/postgres';
import { type Analyst, addClaim, exportText, useTeam } from '../support/team';
import { changeLogCount, dumpTables } from '../support/tempWorkbook';

const skip = postgresSkipReason();

async function serverCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT count(*)::int AS n FROM workbench.changeset')).rows[0].n as number;
  } finally {
    await client.end();
  }
}

/** Everything but the sync's own bookkeeping, which records when it last ran. */
function dataTables(analyst: Analyst) {
  const { sync_server: _, ...rest } = dumpTables(analyst.workbook.db);
  return rest;
}

describe.skipIf(skip !== null)('syncing workbooks through a team server (a real PostgreSQL)', () => {
  const fixture = useTeam('fw-sync-');
  const analyst = (dirName: string, user: string) => fixture.analyst(user, `${dirName}-${user}.fwb`);

  for (const order of [
    ['alice', 'bob', 'carol', 'alice', 'bob'],
    ['carol', 'bob', 'alice', 'carol', 'bob'],
  ]) {
    it(`converges three workbooks edited offline to byte-identical exports (syncing ${order.join(', ')})`, async () => {
      const url = await fixture.team().database(`converge_${order[0]}`);
      const books: Record<string, Analyst> = {};
      for (const user of ['alice', 'bob', 'carol']) books[user] = await analyst(order[0]!, user);
      const { alice, bob, carol } = books as Record<'alice' | 'bob' | 'carol', Analyst>;
      // a figure everyone has before going offline
      const shared = await addClaim(alice.api, 'shared', 100);
      await alice.sync(url('alice'));
      await bob.sync(url('bob'));
      await carol.sync(url('carol'));

      // offline: each adds claims of their own, and bob revises the shared one
      await addClaim(alice.api, 'alice-1', 20_000, 'killed_civilian');
      await addClaim(alice.api, 'alice-2', 15_000, 'killed_combatant');
      await addClaim(bob.api, 'bob-1', 35_456);
      await bob.api.updateFigure({ id: shared, patch: { value: 120, qualifier: 'at_least' }, why: 'revised by the source' });
      const carolFigure = await addClaim(carol.api, 'carol-1', 412, 'aid_trucks');
      await carol.api.retractFigure({ id: carolFigure, reason: 'a duplicate of another report' });

      for (const user of order) await books[user]!.sync(url(user));
      const exports = await Promise.all([alice, bob, carol].map((a) => exportText(a.api)));
      expect(exports[0]!.trim().split(/\r?\n/)).toHaveLength(6); // the header and the 5 figures
      expect(exports[1]).toBe(exports[0]);
      expect(exports[2]).toBe(exports[0]);
      expect(exports[0]).toMatch(/Source bob-1/);
      const revised = (await carol.api.listFigures({ limit: 100 })).rows.find((f) => f.id === shared);
      expect(revised).toMatchObject({ value: 120, qualifier: 'at_least' });
      // each change keeps the analyst who made it
      const history = await carol.api.history({ entity: 'figure', id: shared });
      expect(JSON.stringify(history)).toMatch(/"bob"/);

      // a sync repeated changes nothing, here or on the server
      const count = await serverCount(url('alice'));
      for (const a of [alice, bob, carol]) {
        const before = { log: changeLogCount(a.workbook.db), tables: dataTables(a) };
        const again = await a.sync(url(a.user));
        expect(again).toMatchObject({ pushed: 0, pulled: 0, changes: 0, conflicts: 0 });
        expect({ log: changeLogCount(a.workbook.db), tables: dataTables(a) }).toEqual(before);
      }
      expect(await serverCount(url('alice'))).toBe(count);
    });
  }

  it('records the same figure edited on two sides as one conflict holding both versions, in both workbooks', async () => {
    const url = await fixture.team().database('conflict');
    const alice = await analyst('conflict', 'alice');
    const bob = await analyst('conflict', 'bob');
    const figure = await addClaim(alice.api, 'disputed', 1_000);
    await alice.sync(url('alice'));
    await bob.sync(url('bob'));

    await alice.api.updateFigure({ id: figure, patch: { value: 1_100 }, why: 'alice read the update' });
    await bob.api.updateFigure({ id: figure, patch: { value: 1_250 }, why: 'bob read another report' });
    expect((await alice.sync(url('alice'))).conflicts).toBe(0);
    const atBob = await bob.sync(url('bob'));
    expect(atBob.conflicts).toBe(1);
    await alice.sync(url('alice'));

    for (const a of [alice, bob]) {
      const conflicts = await a.api.listConflicts({});
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]!.id).toBe(atBob.conflict_ids[0]);
      const values = [conflicts[0]!.a, conflicts[0]!.b].map((side) => (side as { state: { value: number } | null }).state?.value).sort();
      expect(values).toEqual([1_100, 1_250]);
    }
    // neither overwrote the other: each keeps its own until someone picks
    expect((await alice.api.listFigures({ limit: 10 })).rows[0]).toMatchObject({ value: 1_100 });
    expect((await bob.api.listFigures({ limit: 10 })).rows[0]).toMatchObject({ value: 1_250 });
    // what File ▸ Sync… shows of the last sync
    expect(readSyncStates(bob.workbook.db)[0]).toMatchObject({
      url: url('bob').replace(/\/\/bob:[^@]*@/, '//'),
      last_report: { conflicts: 1, conflict_ids: atBob.conflict_ids },
    });
  });

  it("has the server refuse a viewer's push: the pull lands, the server and the viewer's own edits stay as they were", async () => {
    const url = await fixture.team().database('viewer');
    const alice = await analyst('viewer', 'alice');
    await addClaim(alice.api, 'published', 7);
    await alice.sync(url('alice'));
    const victor = await analyst('viewer', 'victor');
    const first = await victor.sync(url('victor'));
    expect(first.pulled).toBeGreaterThan(0);
    expect(first.push_refused).toMatch(/refused: permission denied for table changeset \(the user needs the workbench_editor role to push\)/);
    expect(await exportText(victor.api)).toBe(await exportText(alice.api));

    await addClaim(victor.api, 'victor-1', 9);
    const before = { log: changeLogCount(victor.workbook.db), tables: dataTables(victor) };
    const count = await serverCount(url('alice'));
    const again = await victor.sync(url('victor'));
    expect(again).toMatchObject({ pushed: 0, pulled: 0 });
    expect(again.unpushed).toBeGreaterThan(first.unpushed);
    expect(again.push_refused).toMatch(/permission denied/);
    expect(JSON.stringify(again)).not.toMatch(/victor pw/);
    expect(await serverCount(url('alice'))).toBe(count);
    expect({ log: changeLogCount(victor.workbook.db), tables: dataTables(victor) }).toEqual(before);
    // an editor's next sync is not touched by the viewer's attempt
    expect((await alice.sync(url('alice'))).pulled).toBe(0);
  });
});
