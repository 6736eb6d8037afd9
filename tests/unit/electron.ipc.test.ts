// IPC: a handler for every API call, the sender checked, errors kept typed across the boundary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CALL_NAMES } from '../../src/shared/api';
import type { AppEvent } from '../../src/shared/bridge';
import { CANCEL_CHANNEL, type Envelope, ipcChannel } from '../../src/shared/transport';
import { type IpcMainLike, registerIpc } from '../../src/main/ipc';
import { type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

type Listener = Parameters<IpcMainLike['handle']>[1];

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  readonly sent: AppEvent[] = [];
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, url: string | null, ...args: unknown[]): Promise<Envelope<unknown>> {
    const event = { senderFrame: url === null ? null : { url }, sender: { send: (_channel: string, e: AppEvent) => this.sent.push(e) } };
    return this.handlers.get(channel)!(event, ...args) as Promise<Envelope<unknown>>;
  }
}

const APP_PAGE = 'file:///app/out/renderer/index.html';

describe('registerIpc', () => {
  let session: TempWorkbook;
  const changeCount = () => session.db.prepare('SELECT count(*) FROM change_log').pluck().get() as number;
  const ipc = new FakeIpcMain();
  let unregister: () => void;

  beforeAll(async () => {
    session = await tempWorkbook();
    unregister = registerIpc(
      ipc,
      () => session.api,
      (url) => url === APP_PAGE,
    );
  });
  afterAll(() => session.cleanup());

  it('registers exactly one handler per API call, and one to cancel a task', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([...API_CALL_NAMES.map(ipcChannel), CANCEL_CHANNEL].sort());
  });

  it('sends progress of a named task to its sender, and cancels it by name with nothing written', async () => {
    const csv = `metric,value,as_of,source,citation_title\n${Array.from({ length: 3000 }, (_, i) => `injured,${i},2024-01-01,S${i % 7},C`).join('\n')}`;
    const before = changeCount();
    const pending = ipc.invoke(ipcChannel('importCsv'), APP_PAGE, { file: { name: 'big.csv', text: csv } }, 'task-1');
    await ipc.invoke(CANCEL_CHANNEL, APP_PAGE, 'task-1');
    const result = await pending;
    expect(result).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(changeCount()).toBe(before);

    const done = await ipc.invoke(ipcChannel('importCsv'), APP_PAGE, { file: { name: 'big.csv', text: csv }, dry_run: true }, 'task-2');
    expect(done.ok).toBe(true);
    const progress = ipc.sent.filter((e) => e.kind === 'progress' && e.task === 'task-2');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ progress: { phase: 'import', done: csv.length, total: csv.length } });
  });

  it('serves a call from the app page', async () => {
    const result = await ipc.invoke(ipcChannel('listMetrics'), APP_PAGE, {});
    expect(result.ok).toBe(true);
    expect((result as { value: Array<{ code: string }> }).value.map((m) => m.code)).toContain('killed_civilian');
  });

  it('refuses a call from any other page, or with no frame, without touching the workbook', async () => {
    const before = changeCount();
    for (const url of ['https://example.org/', 'file:///tmp/other.html', null]) {
      const result = await ipc.invoke(ipcChannel('createSource'), url, { name: 'Injected' });
      expect(result).toMatchObject({ ok: false, error: { code: 'validation' } });
    }
    expect(changeCount()).toBe(before);
  });

  it('returns a typed validation error for malformed input, and writes nothing', async () => {
    const before = changeCount();
    const result = await ipc.invoke(ipcChannel('createFigure'), APP_PAGE, { value: 'lots' });
    expect(result.ok).toBe(false);
    const error = (result as { error: { code: string; problems: Array<{ field: string }> } }).error;
    expect(error.code).toBe('validation');
    expect(error.problems.map((p) => p.field)).toEqual(expect.arrayContaining(['metric_id', 'source_id', 'citation_id', 'value']));
    expect(changeCount()).toBe(before);
  });

  it('removes every handler when unregistered', () => {
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });
});
