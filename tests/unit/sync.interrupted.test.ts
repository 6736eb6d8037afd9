// A sync cut in the middle loses nothing and the next one completes it: the client killed with SIGKILL during its
// push (before and after the server's commit), the server restarted during a pull. Also: a listener is told of
// others' pushes, and hears again after the restart. A real PostgreSQL, real workbook files, real child processes.
import { spawn } from 'node:child_process';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerUrl } from '../../src/core/sync/server/connection';
import { type Pushed, watchServer } from '../../src/core/sync/watch';
import { postgresSkipReason } from '../support/postgres';
import { type Analyst, addClaim, exportText, openAnalyst, startTeam, type Team } from '../support/team';
import { PROJECT, rejection, tempDir } from '../support/tempWorkbook';

const skip = postgresSkipReason();
const CHILD = join(PROJECT, 'tests', 'support', 'children', 'syncWorkbook.ts');

/** Runs the sync child and kills it (SIGKILL) as soon as it prints a line matching `killOn`. */
function syncAndKill(path: string, url: string, page: number, killOn: (step: { phase?: string; step?: string }) => boolean) {
  return new Promise<{ killed: boolean; lines: string[]; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, url, String(page)], { cwd: PROJECT, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    let pending = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      for (let n = pending.indexOf('\n'); n >= 0; n = pending.indexOf('\n')) {
        const line = pending.slice(0, n);
        pending = pending.slice(n + 1);
        lines.push(line);
        if (!killed && killOn(JSON.parse(line) as { phase?: string; step?: string })) killed = child.kill('SIGKILL');
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', () => resolve({ killed, lines, stderr }));
  });
}

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The server's count of transactions, once no client of ours is left mid-transaction there. */
async function settledCount(adminUrl: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const open = await query<{ n: number }>(
      adminUrl,
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'figures-workbench' AND state <> 'idle'",
    );
    if (open[0]!.n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return (await query<{ n: number }>(adminUrl, 'SELECT count(*)::int AS n FROM workbench.changeset'))[0]!.n;
}

/** Every transaction id of a workbook's log. */
function txns(a: Analyst): string[] {
  return a.workbook.db.prepare('SELECT DISTINCT txn FROM change_log ORDER BY txn').pluck().all() as string[];
}

describe.skipIf(skip !== null)('an interrupted sync (a real PostgreSQL)', () => {
  let team: Team;
  let temp: ReturnType<typeof tempDir>;
  let url: (user: string) => string;
  let adminUrl: string;
  let alice: Analyst;

  beforeAll(async () => {
    team = await startTeam();
    temp = tempDir('fw-sync-cut-');
    url = await team.database('cut');
    adminUrl = team.server.adminUrl.replace(/\/workbench$/, '/cut');
    // a push of a few hundred transactions, one of them a thousand figures at once
    alice = await openAnalyst(temp.dir, 'alice');
    const first = await addClaim(alice.api, 'base', 1);
    const base = await alice.api.getFigure({ id: first });
    await alice.api.createFigures({
      figures: Array.from({ length: 1_000 }, (_, i) => ({ ...pick(base), value: 1_000 + i, as_of: `2024-01-${String((i % 28) + 1).padStart(2, '0')}` })),
      why: 'a thousand figures at once',
    });
    for (let i = 0; i < 150; i++) await alice.api.updateFigure({ id: first, patch: { value: i + 2 }, why: `revision ${i}` });
    alice.close();
  });
  afterAll(async () => {
    temp?.cleanup();
    await team?.stop();
  });

  it('loses nothing when the client is killed during its push, before and after the server commits, and the next sync completes it', async () => {
    const path = join(temp.dir, 'alice.fwb');
    const page = 20;
    // killed with part of the push on the server, uncommitted: the server keeps none of it
    const midPush = await syncAndKill(path, url('alice'), page, (s) => s.phase === 'push' && s.step === 'sent');
    expect(midPush.killed, midPush.stderr).toBe(true);
    expect(await settledCount(adminUrl)).toBe(0);

    // killed after the server's commit, before the workbook recorded it: the server has all of it
    const afterCommit = await syncAndKill(path, url('alice'), page, (s) => s.phase === 'push' && s.step === 'committed');
    expect(afterCommit.killed, afterCommit.stderr).toBe(true);
    const reopened = await openAnalyst(temp.dir, 'alice');
    try {
      const local = txns(reopened);
      expect(await settledCount(adminUrl)).toBe(local.length);

      // the next sync sends them again; the server keeps its one copy of each
      const again = await reopened.sync(url('alice'), { page });
      expect(again).toMatchObject({ pushed: 0, unpushed: 0 });
      const onServer = await query<{ txn: string }>(adminUrl, 'SELECT txn FROM workbench.changeset ORDER BY txn');
      expect(onServer.map((r) => r.txn)).toEqual(local);
      expect((await reopened.sync(url('alice'), { page })).pushed).toBe(0);
    } finally {
      reopened.close();
    }
  });

  it('loses nothing when the network is cut during a push, and the next sync completes it', async () => {
    // a workbook with transactions the server lacks, and a connection to the server through a proxy that can be cut
    const dave = await openAnalyst(temp.dir, 'bob', 'dave.fwb');
    const proxy = await tcpProxy(team.server.port);
    try {
      for (let i = 0; i < 60; i++) await addClaim(dave.api, `dave-${i}`, i + 1);
      const before = await settledCount(adminUrl);
      const cut = await rejection(
        dave.sync(proxy.url(url('bob')), {
          page: 10,
          onProgress: (p) => {
            if (p.phase === 'push' && p.step === 'sent') proxy.cut();
          },
        }),
      );
      expect(cut.code, cut.message).toBe('io');
      expect(cut.message).toMatch(/nothing was lost: sync again/);
      expect(await settledCount(adminUrl)).toBe(before);
      // what it pulled before the push is kept; of its own transactions, none is taken as pushed
      const serverHas = new Set((await query<{ txn: string }>(adminUrl, 'SELECT txn FROM workbench.changeset')).map((r) => r.txn));
      const mine = txns(dave).filter((txn) => !serverHas.has(txn));
      expect(mine.length).toBeGreaterThan(60);
      const known = new Set(dave.workbook.db.prepare('SELECT txn FROM sync_txn').pluck().all() as string[]);
      expect(mine.filter((txn) => known.has(txn))).toEqual([]);

      const done = await dave.sync(url('bob'));
      expect(done.pushed).toBeGreaterThan(60);
      expect(done.unpushed).toBe(0);
      const onServer = new Set((await query<{ txn: string }>(adminUrl, 'SELECT txn FROM workbench.changeset')).map((r) => r.txn));
      expect(txns(dave).filter((txn) => !onServer.has(txn))).toEqual([]);
    } finally {
      dave.close();
      await proxy.close();
    }
  });

  it('loses nothing when the server restarts during a pull, and the next sync completes it; a listener hears again after', async () => {
    const heard: Pushed[] = [];
    const errors: string[] = [];
    const watch = await watchServer(readServerUrl(url('carol')), (p) => heard.push(p), { retryMs: 100, onError: (e) => errors.push(e.message) });
    // alice's transactions on the server, whatever the test before did
    const writer = await openAnalyst(temp.dir, 'alice');
    await writer.sync(url('alice')).finally(() => writer.close());
    const carol = await openAnalyst(temp.dir, 'carol');
    try {
      let restarted = false;
      const cut = await rejection(
        carol.sync(url('carol'), {
          page: 10,
          onProgress: async (p) => {
            if (p.phase === 'pull' && !restarted) {
              restarted = true;
              await team.server.restart();
            }
          },
        }),
      );
      expect(restarted).toBe(true);
      expect(cut.code, cut.message).toBe('io');
      expect(cut.message).toMatch(/nothing was lost: sync again/);
      expect(cut.message).not.toMatch(/carol pw/);
      // the first page's apply committed and was recorded, no more
      const state = carol.workbook.db.prepare('SELECT last_seq FROM sync_server').pluck().get() as number;
      expect(state).toBeGreaterThan(0);

      const done = await carol.sync(url('carol'));
      expect(done.pulled).toBeGreaterThan(0);
      const reader = await openAnalyst(temp.dir, 'alice');
      try {
        expect(await exportText(carol.api)).toBe(await exportText(reader.api));
        // every transaction on the server is in carol's log, or was found to change nothing here: alice's own
        // built-in metrics and vague rules, which carol has under her ids, and the aliases alice recorded for them
        const inCarol = new Set(txns(carol));
        const missing = txns(reader).filter((txn) => !inCarol.has(txn));
        const why = reader.workbook.db.prepare('SELECT DISTINCT why FROM change_log WHERE txn = ?').pluck();
        expect(missing.map((txn) => why.get(txn))).toEqual(missing.map(() => expect.stringMatching(/^built-in|vague|: what it found$/)));
        const onServer = await query<{ txn: string }>(adminUrl, 'SELECT txn FROM workbench.changeset');
        const known = new Set(carol.workbook.db.prepare('SELECT txn FROM sync_txn').pluck().all() as string[]);
        expect(onServer.filter((r) => !known.has(r.txn))).toEqual([]);
        expect(await carol.sync(url('carol'))).toMatchObject({ pulled: 0, changes: 0 });
      } finally {
        reader.close();
      }

      // the listener reconnected after the restart and hears carol's own push
      await watch.listening();
      await addClaim(carol.api, 'carol-after-restart', 5);
      const pushed = await carol.sync(url('carol'));
      expect(pushed.pushed).toBeGreaterThan(0);
      for (let i = 0; i < 100 && heard.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heard.at(-1)?.pushed_by).toBe('carol');
      const top = await query<{ seq: string }>(adminUrl, 'SELECT max(seq) AS seq FROM workbench.changeset');
      expect(heard.at(-1)!.seq).toBe(Number(top[0]!.seq));
      expect(errors.some((m) => /lost the connection/.test(m))).toBe(true);
    } finally {
      carol.close();
      await watch.close();
    }
  });
});

/** A TCP proxy to the server on loopback; `cut` ends every connection through it at once, as a network cut. */
async function tcpProxy(port: number) {
  const sockets = new Set<Socket>();
  const proxy = createServer((inbound) => {
    const outbound = connect(port, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const own = (proxy.address() as AddressInfo).port;
  return {
    url: (to: string) => to.replace(`:${port}/`, `:${own}/`),
    cut: () => {
      for (const s of sockets) s.resetAndDestroy();
    },
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}

/** The fields of a figure that make another like it. */
function pick(f: object) {
  const { metric_id, source_id, citation_id, location_id } = f as Record<string, string>;
  return { metric_id, source_id, citation_id, location_id };
}
