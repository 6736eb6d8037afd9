// The core's process started from plain Node (tests, and any Node parent): child_process.fork of the entry, with the
// same client the Electron shell uses over utilityProcess.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type CoreClient, coreClient, type CorePort } from '../shared/coreClient';

/** The entry as TypeScript source; run with tsx (the built one is out/main/core.js). */
export const CORE_SOURCE_ENTRY = fileURLToPath(new URL('./process.ts', import.meta.url));

export interface ForkedCore {
  client: CoreClient;
  child: ChildProcess;
}

/** Forks the core and gives back the client over it; a .ts entry runs through tsx. */
export function forkCore(entry: string = CORE_SOURCE_ENTRY, options: { env?: NodeJS.ProcessEnv } = {}): ForkedCore {
  const child = spawnCore(entry, options);
  return { client: coreClient(childPort(child)), child };
}

/** The bare child process of the core (what a fake utilityProcess wraps). */
export function spawnCore(entry: string = CORE_SOURCE_ENTRY, options: { env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return fork(entry, [], {
    execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
    // structured clone, as a utilityProcess's messages are: the same values arrive either way
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: options.env ?? process.env,
  });
}

export function childPort(child: ChildProcess): CorePort {
  return {
    postMessage: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => {
      child.on('exit', (code, signal) => listener(signal ? `signal ${signal}` : `exit code ${code}`));
      child.on('error', (error) => listener(error.message));
    },
  };
}
