// The preload exposes window.workbench (the API over ipcRenderer.invoke) and nothing else.
import { describe, expect, it, vi } from 'vitest';
import { API_CALL_NAMES } from '../../src/shared/api';
import { WorkbenchError } from '../../src/shared/errors';

const exposed: Array<[string, unknown]> = [];
const invoke = vi.fn();

const listeners = new Map<string, Array<(...args: unknown[]) => void>>();

const pathForFile = vi.fn();
vi.mock('electron', () => ({
  webUtils: { getPathForFile: (file: unknown) => pathForFile(file) },
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.push([key, value]) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => invoke(...args),
    on: (channel: string, listener: (...args: unknown[]) => void) => listeners.set(channel, [...(listeners.get(channel) ?? []), listener]),
    removeListener: (channel: string, listener: (...args: unknown[]) => void) =>
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((l) => l !== listener),
      ),
  },
}));

describe('preload', async () => {
  await import('../../src/preload/index');

  it('exposes one object, window.workbench: the API calls, task cancel, app events and file paths, nothing else', () => {
    expect(exposed.map(([key]) => key)).toEqual(['workbench']);
    const api = exposed[0]![1] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(
      [...API_CALL_NAMES, 'cancelTask', 'answerLeave', 'onAppEvent', 'pathForFile', 'chooseSavePath', 'chooseWorkbookPath'].sort(),
    );
    for (const name of Object.keys(api)) expect(typeof api[name]).toBe('function');
  });

  it('sends each call on its own channel and unwraps the result', async () => {
    const api = exposed[0]![1] as Record<string, (input: unknown, task?: { id: string }) => Promise<unknown>>;
    invoke.mockResolvedValueOnce({ ok: true, value: [{ code: 'killed_civilian' }] });
    await expect(api.listMetrics!({})).resolves.toEqual([{ code: 'killed_civilian' }]);
    expect(invoke).toHaveBeenLastCalledWith('workbench:listMetrics', {}, null);
    invoke.mockResolvedValueOnce({ ok: true, value: { rows: 1 } });
    await api.exportCsv!({ to: 'text' }, { id: 'task-9' });
    expect(invoke).toHaveBeenLastCalledWith('workbench:exportCsv', { to: 'text' }, 'task-9');
  });

  it('delivers app events to a listener until it unsubscribes', () => {
    const bridge = exposed[0]![1] as { onAppEvent: (l: (e: unknown) => void) => () => void };
    const seen: unknown[] = [];
    const stop = bridge.onAppEvent((e) => seen.push(e));
    for (const l of listeners.get('workbench:event') ?? []) l({}, { kind: 'menu', command: 'undo' });
    stop();
    for (const l of listeners.get('workbench:event') ?? []) l({}, { kind: 'menu', command: 'redo' });
    expect(seen).toEqual([{ kind: 'menu', command: 'undo' }]);
  });

  it("answers main's question whether the window may leave, on its own channel", async () => {
    const bridge = exposed[0]![1] as { answerLeave: (request: string, leave: boolean) => Promise<void> };
    invoke.mockResolvedValueOnce(undefined);
    await bridge.answerLeave('leave-3', false);
    expect(invoke).toHaveBeenLastCalledWith('workbench:leave-answer', 'leave-3', false);
  });

  it('turns an error envelope back into the same typed WorkbenchError', async () => {
    const api = exposed[0]![1] as Record<string, (input: unknown) => Promise<unknown>>;
    invoke.mockResolvedValueOnce({ ok: false, error: { code: 'not_found', message: 'no figure with id x', place: { field: 'id', value: 'x' } } });
    const error = await api.getFigure!({ id: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkbenchError);
    expect(error).toMatchObject({ code: 'not_found', place: { field: 'id', value: 'x' } });
  });

  it("gives a File's path from Electron, or none; asks main for a save path", async () => {
    const bridge = exposed[0]![1] as { pathForFile(file: unknown): string; chooseSavePath(name: string): Promise<string | null> };
    pathForFile.mockReturnValueOnce('/home/a/figures.csv');
    expect(bridge.pathForFile({ name: 'figures.csv' })).toBe('/home/a/figures.csv');
    pathForFile.mockImplementationOnce(() => {
      throw new TypeError('not a File');
    });
    expect(bridge.pathForFile('nonsense')).toBe('');
    invoke.mockResolvedValueOnce('/home/a/out.csv');
    await expect(bridge.chooseSavePath('out.csv')).resolves.toBe('/home/a/out.csv');
    expect(invoke).toHaveBeenLastCalledWith('workbench:choose-save-path', 'out.csv');
    invoke.mockResolvedValueOnce(null);
    await expect(bridge.chooseSavePath('out.csv')).resolves.toBeNull();
  });
});
