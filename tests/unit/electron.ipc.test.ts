// IPC: a handler for every API call, the sender checked, errors kept typed across the boundary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CALL_NAMES } from '../../src/shared/api';
import type { Envelope } from '../../src/shared/transport';
import { ipcChannel } from '../../src/shared/transport';
import { type IpcMainLike, registerIpc } from '../../src/main/ipc';
import { openTempSession, type TempSession } from '../support/tempSession';

type Listener = Parameters<IpcMainLike['handle']>[1];

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, url: string | null, input: unknown): Promise<Envelope<unknown>> {
    return this.handlers.get(channel)!({ senderFrame: url === null ? null : { url } }, input);
  }
}

const APP_PAGE = 'file:///app/out/renderer/index.html';

describe('registerIpc', () => {
  let session: TempSession;
  const ipc = new FakeIpcMain();
  let unregister: () => void;

  beforeAll(async () => {
    session = await openTempSession();
    unregister = registerIpc(ipc, () => session.api, (url) => url === APP_PAGE);
  });
  afterAll(() => session.close());

  it('registers exactly one handler per API call', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(API_CALL_NAMES.map(ipcChannel).sort());
  });

  it('serves a call from the app page', async () => {
    const result = await ipc.invoke(ipcChannel('listMetrics'), APP_PAGE, {});
    expect(result.ok).toBe(true);
    expect((result as { value: Array<{ code: string }> }).value.map((m) => m.code)).toContain('killed_civilian');
  });

  it('refuses a call from any other page, or with no frame, without touching the workbook', async () => {
    const before = session.changeCount();
    for (const url of ['https://example.org/', 'file:///tmp/other.html', null]) {
      const result = await ipc.invoke(ipcChannel('createSource'), url, { name: 'Injected' });
      expect(result).toMatchObject({ ok: false, error: { code: 'validation' } });
    }
    expect(session.changeCount()).toBe(before);
  });

  it('returns a typed validation error for malformed input, and writes nothing', async () => {
    const before = session.changeCount();
    const result = await ipc.invoke(ipcChannel('createFigure'), APP_PAGE, { value: 'lots' });
    expect(result.ok).toBe(false);
    const error = (result as { error: { code: string; problems: Array<{ field: string }> } }).error;
    expect(error.code).toBe('validation');
    expect(error.problems.map((p) => p.field)).toEqual(expect.arrayContaining(['metric_id', 'source_id', 'citation_id', 'value']));
    expect(session.changeCount()).toBe(before);
  });

  it('removes every handler when unregistered', () => {
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });
});
