// The preload exposes window.workbench (the API over ipcRenderer.invoke) and nothing else.
import { describe, expect, it, vi } from 'vitest';
import { API_CALL_NAMES } from '../../src/shared/api';
import { WorkbenchError } from '../../src/shared/errors';

const exposed: Array<[string, unknown]> = [];
const invoke = vi.fn();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.push([key, value]) },
  ipcRenderer: { invoke: (...args: unknown[]) => invoke(...args) },
}));

describe('preload', async () => {
  await import('../../src/preload/index');

  it('exposes one object, window.workbench, with exactly the API calls', () => {
    expect(exposed.map(([key]) => key)).toEqual(['workbench']);
    const api = exposed[0]![1] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...API_CALL_NAMES].sort());
    for (const name of API_CALL_NAMES) expect(typeof api[name]).toBe('function');
  });

  it('sends each call on its own channel and unwraps the result', async () => {
    const api = exposed[0]![1] as Record<string, (input: unknown) => Promise<unknown>>;
    invoke.mockResolvedValueOnce({ ok: true, value: [{ code: 'killed_civilian' }] });
    await expect(api.listMetrics!({})).resolves.toEqual([{ code: 'killed_civilian' }]);
    expect(invoke).toHaveBeenLastCalledWith('workbench:listMetrics', {});
  });

  it('turns an error envelope back into the same typed WorkbenchError', async () => {
    const api = exposed[0]![1] as Record<string, (input: unknown) => Promise<unknown>>;
    invoke.mockResolvedValueOnce({ ok: false, error: { code: 'not_found', message: 'no figure with id x', place: { field: 'id', value: 'x' } } });
    const error = await api.getFigure!({ id: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkbenchError);
    expect(error).toMatchObject({ code: 'not_found', place: { field: 'id', value: 'x' } });
  });
});
