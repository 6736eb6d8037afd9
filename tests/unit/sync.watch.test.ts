// Being told when others pushed (watchSyncServer, through LISTEN/NOTIFY on a real PostgreSQL), and a sync
// cancelled part-way: the watch answers for another's push and not for this workbook's own, at once when a push
// is waiting already; a cancelled sync keeps what it pulled and the next one finishes it.
import { describe, expect, it } from 'vitest';
import type { Progress, ServerPushes } from '../../src/shared/api';
import { postgresSkipReason } from '../support/postgres';
import { type Analyst, addClaim, exportText, useTeam } from '../support/team';
import { rejection } from '../support/tempWorkbook';

const skip = postgresSkipReason();

interface Watching {
  /** settles with the answer, or the refusal */
  answer: Promise<ServerPushes | Error>;
  /** resolves once the watch listens */
  listening: Promise<void>;
  settled: () => boolean;
  stop: () => void;
}

function watch(analyst: Analyst, url: string): Watching {
  const controller = new AbortController();
  let heard!: () => void;
  const listening = new Promise<void>((resolve) => (heard = resolve));
  let settled = false;
  const answer = analyst.api
    .watchSyncServer(
      { server: url },
      {
        signal: controller.signal,
        onProgress: (p: Progress) => {
          if (p.phase === 'listening') heard();
        },
      },
    )
    .then(
      (pushes) => pushes,
      (error: Error) => error,
    )
    .finally(() => (settled = true));
  return { answer, listening, settled: () => settled, stop: () => controller.abort() };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skip !== null)('told when others pushed, and a sync cancelled (a real PostgreSQL)', () => {
  const fixture = useTeam('fw-watch-');
  const analyst = (prefix: string, user: string) => fixture.analyst(user, `${prefix}-${user}.fwb`);

  it("answers for another's push, not for this workbook's own, and at once for one waiting", async () => {
    const url = await fixture.team().database('watch_push');
    const alice = await analyst('push', 'alice');
    const bob = await analyst('push', 'bob');
    await addClaim(alice.api, 'first', 100);
    // until neither has anything to send: each first sync pushes what the workbook was made with, and the other's
    // pull of it records aliases of the built-in entities, which go out in turn
    for (let round = 0; round < 5; round++) {
      const sent = (await alice.sync(url('alice'))).pushed + (await bob.sync(url('bob'))).pushed;
      if (sent === 0 && round > 0) break;
    }

    const bobWatch = watch(bob, url('bob'));
    const aliceWatch = watch(alice, url('alice'));
    await Promise.all([bobWatch.listening, aliceWatch.listening]);
    await pause(200);
    expect(bobWatch.settled(), 'nothing new: bob has pulled everything').toBe(false);

    await addClaim(alice.api, 'second', 200);
    await alice.sync(url('alice'));
    const told = await bobWatch.answer;
    expect(told).not.toBeInstanceOf(Error);
    const pushes = told as ServerPushes;
    // a claim is three transactions: its source, its citation, the figure
    expect(pushes.transactions).toBe(3);
    expect(pushes).toMatchObject({ more: false, by: { alice: pushes.transactions } });
    expect(pushes.server).not.toMatch(/bob pw/);

    // alice's own push is in her log: no news to her
    await pause(500);
    expect(aliceWatch.settled()).toBe(false);
    aliceWatch.stop();
    const stopped = await aliceWatch.answer;
    expect(stopped).toMatchObject({ code: 'cancelled' });

    // a watch started while the push waits answers at once; once bob synced, a new one waits again
    const again = watch(bob, url('bob'));
    expect(await again.answer).toEqual(pushes);
    // what it told of is what the sync then brings in
    const synced = await bob.sync(url('bob'));
    expect(synced.pulled_by).toEqual(pushes.by);
    const quiet = watch(bob, url('bob'));
    await quiet.listening;
    await pause(300);
    expect(quiet.settled()).toBe(false);
    quiet.stop();
    expect(await quiet.answer).toMatchObject({ code: 'cancelled' });
  });

  it('says plainly when the server cannot be reached or refuses the password', async () => {
    const url = await fixture.team().database('watch_refused');
    const carol = await analyst('refused', 'carol');
    const wrong = await rejection(carol.api.watchSyncServer({ server: url('carol').replace('carol%20pw', 'wrong') }));
    expect(wrong.code).toBe('denied');
    expect(wrong.message).not.toMatch(/wrong|carol pw/);
    const nobody = await rejection(carol.api.watchSyncServer({ server: 'postgresql://carol@127.0.0.1:1/workbench' }));
    expect(nobody.code).toBe('io');
  });

  it('stops a sync cancelled part-way: what it pulled stays, and the next sync finishes the work', async () => {
    const url = await fixture.team().database('sync_cancel');
    const alice = await analyst('cancel', 'alice');
    for (let i = 0; i < 12; i++) await addClaim(alice.api, `c${i}`, 1_000 + i);
    await alice.sync(url('alice'));

    const dave = await analyst('cancel', 'bob');
    await addClaim(dave.api, 'own', 7);
    const controller = new AbortController();
    const cut = await rejection(
      dave.sync(url('bob'), {
        page: 5,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'pull') controller.abort();
        },
      }),
    );
    expect(cut.code).toBe('cancelled');
    expect(cut.message).toMatch(/what was pulled \(\d+ transactions\) is kept/);
    const seq = dave.workbook.db.prepare('SELECT last_seq FROM sync_server').pluck().get() as number;
    expect(seq).toBeGreaterThan(0);
    // the push never began: the server holds alice's transactions only
    const held = dave.workbook.db.prepare('SELECT pushed_through FROM sync_server').pluck().get() as number;
    expect(held).toBe(0);

    const done = await dave.sync(url('bob'));
    // the claim's source, citation and figure at least (and the built-in entities made with the workbook)
    expect(done.pushed).toBeGreaterThanOrEqual(3);
    await alice.sync(url('alice'));
    expect(await exportText(dave.api)).toBe(await exportText(alice.api));
  });
});
