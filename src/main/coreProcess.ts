// Starts the core (src/core/process.ts, built as out/main/core.js) as an Electron utilityProcess and gives back
// the client main serves to the window: the workbook lives in that process, never on main's thread.
import type { UtilityProcess } from 'electron';
import { type CoreClient, coreClient } from '../shared/coreClient';

/** The part of Electron's utilityProcess module this needs (a fake in tests). */
export interface UtilityProcessModule {
  fork(modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'inherit' | 'pipe' | 'ignore' }): UtilityProcessChild;
}
export type UtilityProcessChild = Pick<UtilityProcess, 'postMessage' | 'kill'> & {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
};

export interface StartedCore {
  client: CoreClient;
  child: UtilityProcessChild;
}

export function startCore(utilityProcess: UtilityProcessModule, entry: string): StartedCore {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Figures Workbench core', stdio: 'inherit' });
  const client = coreClient({
    postMessage: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code) => listener(`exit code ${code}`)),
  });
  return { client, child };
}
