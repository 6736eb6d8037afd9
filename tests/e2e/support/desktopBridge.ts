/// <reference lib="dom" />
// window.workbench as the Electron preload exposes it (calls by name, long tasks by id with progress as app
// events, file paths, the answer to main's leave question), for a page in real Chromium. The Electron binary cannot
// run here, so this bridge reaches the store through the HTTP host instead of IPC and the core process; the page's
// side is the app's own. Installed with context.addInitScript(desktopBridge, setup).
import type { Page } from 'playwright-core';

export interface BridgeSetup {
  names: readonly string[];
  /** File name → the path pathForFile gives it */
  paths: Record<string, string>;
  savePath: string | null;
  /** what the open dialog of File ▸ Merge a Workbook… answers (null: cancelled) */
  workbookPath?: string | null;
}

/** window.workbench as the preload exposes it, over the host's HTTP routes; every call's input is recorded. */
export function desktopBridge(setup: BridgeSetup): void {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const listeners = new Set<(event: unknown) => void>();
  const calls: Array<{ name: string; input: unknown }> = [];
  const leaveAnswers: Array<{ request: string; leave: boolean }> = [];
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-workbench-token': token, ...headers }, body: JSON.stringify(body ?? {}) });
  const unwrap = (envelope: { ok: boolean; value?: unknown; error?: unknown }) => {
    if (envelope.ok) return envelope.value;
    throw envelope.error; // WorkbenchError data: the page's WorkbenchError.from reads it back
  };
  const bridge: Record<string, unknown> = {
    cancelTask: async (id: string) => void (await post(`/tasks/${encodeURIComponent(id)}/cancel`, {})),
    onAppEvent: (listener: (event: unknown) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    pathForFile: (file: File) => setup.paths[file.name] ?? '',
    chooseSavePath: async () => setup.savePath,
    chooseWorkbookPath: async () => setup.workbookPath ?? null,
    answerLeave: async (request: string, leave: boolean) => void leaveAnswers.push({ request, leave }),
  };
  for (const name of setup.names) {
    bridge[name] = async (input: unknown, task?: { id: string }) => {
      calls.push({ name, input });
      const response = await post(`/api/${name}`, input, task ? { 'x-workbench-task': task.id } : {});
      if (!task || !response.headers.get('content-type')?.startsWith('application/x-ndjson')) return unwrap(await response.json());
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended before the result');
        buffer += value;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = JSON.parse(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
          if (line.type === 'progress') for (const listener of listeners) listener({ kind: 'progress', task: task.id, progress: line.progress });
          else return unwrap(line.envelope);
        }
      }
    };
  }
  (window as unknown as { workbench: unknown; __bridgeCalls: unknown }).workbench = bridge;
  Object.assign(window, {
    __bridgeCalls: calls,
    __leaveAnswers: leaveAnswers,
    /** an app event, as main would send it */
    __appEvent: (event: unknown) => {
      for (const listener of listeners) listener(event);
    },
  });
}

export const bridgeCalls = (page: Page) => page.evaluate(() => (window as unknown as { __bridgeCalls: Array<{ name: string; input: unknown }> }).__bridgeCalls);

/** Sends the page an app event as main would (a menu command, a leave question…). */
export const appEvent = (page: Page, event: unknown) => page.evaluate((e) => (window as unknown as { __appEvent: (e: unknown) => void }).__appEvent(e), event);

export const leaveAnswers = (page: Page) =>
  page.evaluate(() => (window as unknown as { __leaveAnswers: Array<{ request: string; leave: boolean }> }).__leaveAnswers);
