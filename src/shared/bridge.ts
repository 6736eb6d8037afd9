// What the Electron preload exposes as window.workbench: the WorkbenchApi calls, plus what a desktop window needs
// around them — progress and cancel for long tasks, and the app's events (menu commands, a workbook opened).
// An AbortSignal or a callback cannot cross contextBridge intact, so a long task is named by an id instead;
// apiFromBridge turns this back into the plain WorkbenchApi the renderer uses everywhere.
import type { ApiInput, ApiOutput, CallOptions, Progress, WorkbenchApi } from './api';
import { API_CALL_NAMES, type ApiCallName } from './calls';

/** Menu commands the renderer carries out (the main process handles New, Open and Backup itself). */
export const MENU_COMMANDS = [
  'import-csv',
  'export-csv',
  'export-chart-png',
  'merge-workbook',
  'sync',
  'undo',
  'redo',
  'find',
  'show-figures',
  'show-compare',
  'show-sources',
  'show-checks',
  'show-conflicts',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** What the window is about to do that would drop typed but unsaved work: close, or open another workbook. */
export type LeaveAction = 'close' | 'open' | 'new';

export type AppEvent =
  | { kind: 'menu'; command: MenuCommand }
  /** main asks whether the window may leave the workbook; the renderer answers with answerLeave(request, …) */
  | { kind: 'leave'; request: string; action: LeaveAction }
  | { kind: 'workbook-opened'; path: string }
  | { kind: 'progress'; task: string; progress: Progress }
  | { kind: 'error'; message: string };

export interface TaskHandle {
  id: string;
}

/**
 * What only a desktop window has: files by path. The window imports and exports by path, streaming, as the CLI
 * does; a browser page has no paths and sends text or takes a download instead.
 */
export interface DesktopFiles {
  /** where a picked or dropped File is on disk; '' when it is not a file on disk */
  pathForFile(file: File): string;
  /** a native save dialog suggesting `suggestedName`; the path chosen, or null when cancelled */
  chooseSavePath(suggestedName: string): Promise<string | null>;
  /** a native open dialog for a workbook file (File ▸ Merge a Workbook…); the path chosen, or null when cancelled */
  chooseWorkbookPath(): Promise<string | null>;
}

export type BridgeApi = {
  [K in ApiCallName]: (input: ApiInput<K>, task?: TaskHandle) => Promise<ApiOutput<K>>;
} & DesktopFiles & {
    cancelTask(id: string): Promise<void>;
    /** the answer to a 'leave' event: true once nothing typed would be lost, or the analyst agreed to drop it */
    answerLeave(request: string, leave: boolean): Promise<void>;
    onAppEvent(listener: (event: AppEvent) => void): () => void;
  };

let taskCounter = 0;

/** The renderer's WorkbenchApi over the preload bridge: progress events and abort signals mapped to task ids. */
export function apiFromBridge(bridge: BridgeApi): WorkbenchApi {
  const api = {} as Record<ApiCallName, (input: unknown, options?: CallOptions) => Promise<unknown>>;
  for (const name of API_CALL_NAMES) {
    const call = bridge[name] as (input: unknown, task?: TaskHandle) => Promise<unknown>;
    api[name] = async (input, options = {}) => {
      if (!options.signal && !options.onProgress) return call(input);
      const task = { id: `task-${Date.now()}-${(taskCounter += 1)}` };
      const stopListening = bridge.onAppEvent((event) => {
        if (event.kind === 'progress' && event.task === task.id) options.onProgress?.(event.progress);
      });
      const cancel = () => void bridge.cancelTask(task.id);
      options.signal?.addEventListener('abort', cancel, { once: true });
      try {
        return await call(input, task);
      } finally {
        stopListening();
        options.signal?.removeEventListener('abort', cancel);
      }
    };
  }
  return api as unknown as WorkbenchApi;
}
